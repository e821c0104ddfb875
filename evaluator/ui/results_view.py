"""The results dashboard: ranking table (sortable, filterable, classes coloured), mean index, class
counts and shares, component indices per area, QtCharts charts, and exports. Results are computed in a
worker thread and recomputed when a change touches the year shown."""

from __future__ import annotations

from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import (
    QAbstractTableModel,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QGraphicsSimpleTextItem,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator.services import dashboard
from evaluator.services import workspace as ws
from evaluator.services.changes import Change
from evaluator.services.results import YearResults, compute_year, previous_label
from evaluator.services.units import list_units
from evaluator.ui import formats
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import save_file
from evaluator.ui.labels import CLASS_COLORS, class_background, class_color, english, kind_label, num
from evaluator.ui.operations import Job, ReadOp, error_text
from evaluator.ui.table_models import RowsView
from evaluator.ui.year_changes import YearChangesPanel

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
SORT_ROLE = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex


class RankingModel(QAbstractTableModel):
    KEYS = ("rank", "rank_change", "code", "name", "points", "index", "class_label", "group",
            "previous_index", "rank_in_district")
    """``group``: the unit's ranking group ('' the kind's main group); its rank is within that group.
    ``previous_index``: last year's index, across a reorganisation its predecessors' (``previous_label``).
    ``rank_in_district``: the rank within the parent unit, when the set ranks by parent (else hidden)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, Any]] = []
        self.headers = [
            self.tr("Hạng"),
            self.tr("±"),
            self.tr("Mã"),
            self.tr("Đơn vị"),
            self.tr("Điểm"),
            self.tr("Chỉ số %"),
            self.tr("Xếp loại"),
            self.tr("Nhóm xếp hạng"),
            self.tr("Năm trước"),
            self.tr("Hạng trong huyện"),
        ]

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.KEYS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        key = self.KEYS[index.column()]
        value = row.get(key)
        if role == Qt.ItemDataRole.DisplayRole:
            if key in ("points", "index"):
                return num(value)
            if key == "rank_change":
                if value is None:
                    return "*" if row.get("previous_basis") == "merged" else "–"
                return f"▲{value}" if value > 0 else f"▼{-value}" if value < 0 else "="
            if key == "previous_index":
                return self.previous_text(row)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("rank_change", "previous_index") \
                and row.get("predecessors"):
            return previous_label(row).render()
        if role == SORT_ROLE:
            return -1e9 if value is None else value
        if role == Qt.ItemDataRole.TextAlignmentRole and key in ("rank", "rank_change", "points", "index",
                                                                 "previous_index", "rank_in_district"):
            return RIGHT
        if role == Qt.ItemDataRole.ForegroundRole:
            if key == "class_label":
                return QBrush(class_color(row.get("class")))
            if key == "rank_change" and value:
                return QBrush(QColor("#2e7d32" if value > 0 else "#c62828"))
        if role == Qt.ItemDataRole.BackgroundRole and key == "class_label":
            return QBrush(class_background(row.get("class")))
        return None


    @staticmethod
    def previous_text(row: dict[str, Any]) -> str:
        """Last year's index; after a reorganisation with what it is ("84,12 — Năm trước: bình quân của
        SO03, SO07")."""
        value = row.get("previous_index")
        shown = "–" if value is None else num(value)
        if not row.get("predecessors"):
            return shown
        return f"{shown} — {previous_label(row).render()}"


AXIS_FORMAT = "%.0f"
"""Whole numbers on the value axes: a chart that localizes its numbers draws no label for "%d"."""


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    chart.setMargins(chart.margins().__class__(4, 4, 4, 4))
    chart.setLocale(QLocale())  # numbers on bars and axes in the interface's notation (ui/formats.py)
    chart.setLocalizeNumbers(True)
    return chart


def _value_labels(chart: QChart, series: QBarSeries) -> list[QGraphicsSimpleTextItem]:
    """Each bar's value written by the one formatter (ui/formats.py), in the middle of the bar. Qt's own
    bar labels format with %g: "80,5" beside "83,58", and 100 as "1e+02"."""
    placed: list[tuple[QGraphicsSimpleTextItem, QPointF]] = []
    sets = series.barSets()
    width = series.barWidth()
    for j, bar in enumerate(sets):
        for i in range(bar.count()):
            item = QGraphicsSimpleTextItem(formats.index(bar.at(i)), chart)
            item.setBrush(QColor("white"))
            item.setZValue(1000)  # above the bars (the chart stacks its series' items high)
            # a category spans [i - ½, i + ½]; its bars share ``width`` of it side by side
            placed.append((item, QPointF(i - width / 2 + (j + 0.5) * width / len(sets), bar.at(i) / 2)))

    def place() -> None:
        for item, at in placed:
            centre = chart.mapToPosition(at, series)
            box = item.boundingRect()
            item.setPos(centre.x() - box.width() / 2, centre.y() - box.height() / 2)

    chart.plotAreaChanged.connect(lambda _area: place())
    place()
    return [item for item, _at in placed]


class ResultsView(QWidget):
    computed = Signal()
    """Emitted when fresh results are on screen."""
    report_requested = Signal(str, object, object)
    """(document, year, unit codes): the main window opens the report dialog."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.results: dict[int, YearResults] = {}
        self.year_labels: list[QGraphicsSimpleTextItem] = []
        """The values written on the bars of the "over the years" chart."""
        self.short_names: dict[str, str] = {}
        """Unit code → short name (the name when it has none): how the charts label units."""
        self.job: Job | None = None
        self.stale = True
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Năm")))
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self._show)
        bar.addWidget(self.year_combo)
        bar.addWidget(QLabel(self.tr("Loại đơn vị")))
        self.kind_combo = QComboBox()
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_combo.currentIndexChanged.connect(self._show)
        bar.addWidget(self.kind_combo)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Lọc theo mã, tên đơn vị, xếp loại"))
        self.filter.setClearButtonEnabled(True)
        bar.addWidget(self.filter, 1)
        self.xlsx_button = QPushButton(self.tr("Xuất Excel…"))
        self.xlsx_button.clicked.connect(lambda: self.export_dialog(".xlsx"))
        self.csv_button = QPushButton(self.tr("Xuất CSV…"))
        self.csv_button.clicked.connect(lambda: self.export_dialog(".csv"))
        bar.addWidget(self.xlsx_button)
        bar.addWidget(self.csv_button)
        self.minutes_button = QPushButton(self.tr("Biên bản…"))
        self.minutes_button.setToolTip(self.tr("Biên bản thẩm định của đơn vị chọn"))
        self.minutes_button.clicked.connect(lambda: self.request_report("appraisal"))
        self.publication_button = QPushButton(self.tr("Công bố kết quả…"))
        self.publication_button.setToolTip(self.tr("Quyết định phê duyệt và công bố Chỉ số CCHC của năm"))
        self.publication_button.clicked.connect(lambda: self.request_report("decision"))
        bar.addWidget(self.minutes_button)
        bar.addWidget(self.publication_button)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(140)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Huỷ"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        bar.addWidget(self.progress)
        bar.addWidget(self.cancel_button)
        outer.addLayout(bar)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size: 11pt; padding: 4px")
        outer.addWidget(self.summary)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = RankingModel()
        self.proxy = QSortFilterProxyModel()
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterKeyColumn(-1)
        self.filter.textChanged.connect(self.proxy.setFilterFixedString)
        # Columns sized once to the first ranking (not re-measured on each recompute), the name stretched.
        self.table = RowsView(stretch=3, row_height=self.fontMetrics().height() + 8)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._unit_chosen())
        split.addWidget(self.table)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.classes = QTableWidget(0, 3)
        self.classes.setHorizontalHeaderLabels(
            [self.tr("Xếp loại"), self.tr("Số đơn vị"), self.tr("Tỷ lệ %")]
        )
        self.areas = QTableWidget(0, 3)
        self.areas.setHorizontalHeaderLabels(
            [self.tr("Lĩnh vực"), self.tr("Đơn vị chọn %"), self.tr("Trung bình %")]
        )
        for t in (self.classes, self.areas):
            t.verticalHeader().hide()
            t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            h = t.horizontalHeader()
            h.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            h.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
            h.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        tables = QHBoxLayout()
        tables.addWidget(self.classes, 2)
        tables.addWidget(self.areas, 3)
        right_layout.addLayout(tables, 2)
        self.charts = QTabWidget()
        self.index_chart = QChartView()
        self.class_chart = QChartView()
        self.area_chart = QChartView()
        self.year_chart = QChartView()
        self.changes_panel = YearChangesPanel()
        for view, title in (
            (self.index_chart, self.tr("Chỉ số theo đơn vị")),
            (self.class_chart, self.tr("Xếp loại")),
            (self.area_chart, self.tr("Chỉ số thành phần")),
            (self.year_chart, self.tr("Qua các năm")),
        ):
            view.setRenderHint(QPainter.RenderHint.Antialiasing)
            self.charts.addTab(view, title)
        self.charts.addTab(self.changes_panel, self.tr("So với năm trước"))
        right_layout.addWidget(self.charts, 5)
        split.addWidget(right)
        split.setStretchFactor(0, 5)
        split.setStretchFactor(1, 5)
        split.setSizes([700, 720])
        outer.addWidget(split, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        outer.addWidget(self.message)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.recompute)
        ctx.changed.connect(self.on_change)
        ctx.project_opened.connect(lambda _p: self.load_project())

    # --- computing -----------------------------------------------------------------------------------
    def load_project(self) -> None:
        self.results = {}
        self.stale = True
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        if self.ctx.project is not None:
            for y in self.ctx.read(ws.years):
                self.year_combo.addItem(str(y), y)
        self.year_combo.blockSignals(False)
        if self.isVisible():
            self.recompute()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.recompute()

    def on_change(self, change: Change, _initiator: object = None) -> None:
        shown = self.year_combo.currentData()
        if change.years and shown is not None and not (change.years & {shown, shown - 1}):
            return
        if change.assessments or change.units or change.frameworks:
            self.stale = True
            if self.isVisible():
                self._debounce.start()  # a burst of edits (undo, redo, imports) recomputes once

    def recompute(self) -> Job | None:
        project = self.ctx.project
        if project is None:
            return None
        if self.job is not None:
            self.job.cancel()
        self.stale = False
        years = [int(self.year_combo.itemData(i)) for i in range(self.year_combo.count())]
        names: dict[str, str] = {}

        def work(job: Job) -> dict[int, YearResults]:
            out = {}
            for i, y in enumerate(years):
                job.progress(i / max(len(years), 1), str(y))  # raises Cancelled once cancelled
                with project.session() as session:
                    out[y] = compute_year(session, y, previous=True)
            with project.session() as session:
                units = list_units(session, include_retired=True)
            names.update((u.code, u.short_name or u.name) for u in units)
            return out

        self.progress.show()
        self.cancel_button.show()
        self.message.setText(self.tr("Đang tính kết quả…"))
        job = ReadOp(self, work).success(lambda r: self._computed(r, names)).failure(self._failed).run()
        self.job = job
        return job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _computed(self, results: dict[int, YearResults], names: dict[str, str] | None = None) -> None:
        self.job = None
        self.short_names = names or {}
        self.progress.hide()
        self.cancel_button.hide()
        self.message.clear()
        self.results = results
        self._show()
        self.computed.emit()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.message.setText(error_text(exc))  # "Đã huỷ." for a cancel
        self.stale = True

    # --- showing -----------------------------------------------------------------------------------
    def current(self) -> tuple[YearResults | None, str | None]:
        year = self.year_combo.currentData()
        results = self.results.get(year) if year is not None else None
        return results, self.kind_combo.currentData()

    def _show(self) -> None:
        year = self.year_combo.currentData()
        results = self.results.get(year) if year is not None else None
        if results is None:
            return
        kinds = results.kinds()
        if [self.kind_combo.itemData(i) for i in range(self.kind_combo.count())] != kinds:
            self.kind_combo.blockSignals(True)
            self.kind_combo.clear()
            for k in kinds:
                self.kind_combo.addItem(kind_label(k), k)
            self.kind_combo.blockSignals(False)
        kind = self.kind_combo.currentData()
        if kind is None:
            return
        rows = dashboard.ranking(results, kind)
        s = dashboard.summary(results, kind)
        fw = results.frameworks.get(kind)
        if english() and fw is not None:  # class names from the set's English labels
            names = {b.code: b.label_en or b.label for b in fw.classes_for(kind)}
            rows = [{**u, "class_label": names.get(u["class"], u["class_label"])} for u in rows]
            s = {
                **s,
                "classes": {c: {**v, "label": names.get(c, v["label"])} for c, v in s["classes"].items()},
            }
        self.model.set_rows(rows)
        self.table.setColumnHidden(RankingModel.KEYS.index("rank_in_district"),
                                   not any("rank_in_district" in r for r in rows))
        # a kind ranked as one group (most): its empty column would take the room the names need
        self.table.setColumnHidden(RankingModel.KEYS.index("group"), not any(r.get("group") for r in rows))
        self.table.sortByColumn(
            self.table.horizontalHeader().sortIndicatorSection(),
            self.table.horizontalHeader().sortIndicatorOrder(),
        )
        shares = " · ".join(
            f"<span style='color:{CLASS_COLORS.get(code, '#555')}'>{c['label']}</span> "
            f"{c['count']} ({num(c['share'])} %)"
            for code, c in s["classes"].items()
        )
        self.summary.setText(
            f"<b>{kind_label(kind)} — {results.year}</b>: "
            + self.tr("%1 đơn vị, chỉ số trung bình").replace("%1", str(s["units"]))
            + f" <b>{num(s['mean_index'])} %</b><br>{shares}" + self._group_lines(results, kind)
        )
        self.classes.setRowCount(len(s["classes"]))
        for r, (code, c) in enumerate(s["classes"].items()):
            for col, text in enumerate((c["label"], str(c["count"]), num(c["share"]))):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(RIGHT)
                else:
                    item.setForeground(QBrush(class_color(code)))
                self.classes.setItem(r, col, item)
        self._index_chart(rows, kind, results)
        self._class_chart(s)
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)
        self._unit_chosen()

    def _group_lines(self, results: YearResults, kind: str) -> str:
        """The other ranking groups of ``kind``, each ranked and summarised apart (as the command line's
        table shows them): the summary above is the main group's."""
        groups = results.to_json(kind).get("groups", {}).get(kind, {})
        lines = []
        for group, g in groups.items():
            if not group:
                continue
            text = self.tr("Nhóm xếp hạng %1: %2 đơn vị, chỉ số trung bình")
            lines.append(text.replace("%1", escape(group)).replace("%2", str(g["units"]))
                         + f" <b>{num(g['mean_index'])} %</b>")
        return "".join(f"<br>{line}" for line in lines)

    def selected_code(self) -> str | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid():
            return None
        source = self.proxy.mapToSource(index)
        return self.model.rows[source.row()]["code"]

    def _unit_chosen(self) -> None:
        results, kind = self.current()
        if results is None or kind is None:
            return
        code = self.selected_code()
        areas = dashboard.area_indices(results, kind, code)
        self.areas.setRowCount(len(areas))
        fw = results.frameworks.get(kind)
        for r, a in enumerate(areas):
            node = fw.nodes.get(a.code) if english() and fw is not None else None  # as the class names above
            title = node.title_en if node is not None and node.title_en else a.title
            for col, text in enumerate((f"{a.code}. {title}", num(a.unit), num(a.mean))):
                item = QTableWidgetItem(text)
                if col:
                    item.setTextAlignment(RIGHT)
                else:
                    item.setToolTip(title)
                self.areas.setItem(r, col, item)
        self._area_chart(areas, code)
        self._year_chart(kind, code)
        self.changes_panel.show_changes(results.changes.get(code) if code is not None else None, fw)

    # --- charts ------------------------------------------------------------------------------------
    def unit_label(self, code: str) -> str:
        """A unit as the charts name it: its short name (its name when it has none), not its code."""
        return self.short_names.get(code) or code

    def _index_chart(self, rows: list[dict[str, Any]], kind: str, results: YearResults) -> None:
        chart = _chart(self.tr("Chỉ số CCHC theo đơn vị (màu theo xếp loại)"))
        series = QStackedBarSeries()
        fw = results.frameworks.get(kind)
        bands = fw.classes_for(kind) if fw is not None else ()
        for band in bands:
            bar = QBarSet((band.label_en or band.label) if english() else band.label)
            bar.setColor(class_color(band.code))
            bar.append([float(u["index"] or 0) if u["class"] == band.code else 0.0 for u in rows])
            series.append(bar)
        series.setBarWidth(0.85)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        names = [self.unit_label(u["code"]) for u in rows]
        # an axis drops a repeated category: two units with one short name keep their codes apart
        axis_x.append([n if names.count(n) == 1 else f"{n} ({u['code']})"
                       for n, u in zip(names, rows, strict=True)])
        axis_x.setLabelsAngle(-90)
        font = axis_x.labelsFont()
        font.setPointSize(6)
        axis_x.setLabelsFont(font)
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat(AXIS_FORMAT)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        for band in bands:  # class bands as dashed lines at their lower bounds
            if band.lo <= 0:
                continue
            line = QLineSeries()
            line.setName(f"≥ {num(band.lo, 0)}")
            line.append(-0.5, float(band.lo))
            line.append(len(rows) - 0.5, float(band.lo))
            pen = line.pen()
            pen.setStyle(Qt.PenStyle.DashLine)
            pen.setColor(class_color(band.code))
            line.setPen(pen)
            chart.addSeries(line)
            line.attachAxis(axis_y)
            x2 = QValueAxis()
            x2.setRange(-0.5, len(rows) - 0.5)
            x2.setVisible(False)
            chart.addAxis(x2, Qt.AlignmentFlag.AlignTop)
            line.attachAxis(x2)
        for marker in chart.legend().markers():
            if isinstance(marker.series(), QLineSeries):
                marker.setVisible(False)
        self.index_chart.setChart(chart)

    def _class_chart(self, s: dict[str, Any]) -> None:
        chart = _chart(self.tr("Tỷ lệ đơn vị theo xếp loại"))
        pie = QPieSeries()
        for code, c in s["classes"].items():
            if c["count"]:
                sl = pie.append(f"{c['label']} {num(c['share'])} %", float(c["count"]))
                sl.setColor(class_color(code))
                sl.setLabelVisible(True)
        chart.addSeries(pie)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignRight)
        self.class_chart.setChart(chart)

    def _area_chart(self, areas: list[dashboard.AreaIndex], code: str | None) -> None:
        chart = _chart(self.tr("Chỉ số thành phần theo lĩnh vực"))
        series = QBarSeries()
        mean = QBarSet(self.tr("Trung bình"))
        mean.setColor(QColor("#90a4ae"))
        mean.append([a.mean or 0.0 for a in areas])
        series.append(mean)
        if code is not None:
            unit = QBarSet(self.unit_label(code))
            unit.setColor(QColor("#1565c0"))
            unit.append([a.unit or 0.0 for a in areas])
            series.append(unit)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([a.code for a in areas])
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat(AXIS_FORMAT)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self.area_chart.setChart(chart)

    def _year_chart(self, kind: str, code: str | None = None) -> None:
        chart = _chart(self.tr("Chỉ số qua các năm"))
        series = QBarSeries()
        bar = QBarSet(self.tr("Trung bình: %1").replace("%1", kind_label(kind)))
        bar.setColor(QColor("#90a4ae"))
        years = sorted(self.results)
        values = []
        for y in years:
            s = dashboard.summary(self.results[y], kind)
            values.append(float(s["mean_index"] or 0))
        bar.append(values)
        series.append(bar)
        if code is not None:
            unit = QBarSet(self.unit_label(code))
            unit.setColor(QColor("#1565c0"))
            for y in years:
                found = next((u for u in dashboard.ranking(self.results[y], kind) if u["code"] == code), None)
                unit.append(float(found["index"] or 0) if found is not None else 0.0)
            series.append(unit)
        chart.addSeries(series)
        axis_x = QBarCategoryAxis()
        axis_x.append([str(y) for y in years])
        axis_y = QValueAxis()
        axis_y.setRange(0, 100)
        axis_y.setLabelFormat(AXIS_FORMAT)
        chart.addAxis(axis_x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(axis_x)
        series.attachAxis(axis_y)
        self.year_labels = _value_labels(chart, series)
        self.year_chart.setChart(chart)

    def request_report(self, document: str) -> None:
        code = self.selected_code()
        self.report_requested.emit(document, self.year_combo.currentData(), [code] if code else [])

    # --- export ------------------------------------------------------------------------------------
    def export_dialog(self, suffix: str) -> None:
        results, kind = self.current()
        if results is None or kind is None:
            return
        default = f"xep-hang-{kind}-{results.year}{suffix}"
        name = save_file(self, self.tr("Xuất bảng xếp hạng"), default, f"*{suffix}")
        if name:
            self.export(Path(name))

    def export(self, path: Path) -> Job | None:
        """Write the shown ranking to ``path`` (.xlsx or .csv) in a worker thread."""
        results, kind = self.current()
        if results is None or kind is None:
            return None
        self.progress.show()

        def work(_job: Job) -> Path:
            return dashboard.export_ranking(results, kind, path)

        return ReadOp(self, work).success(self._exported).failure(self._export_failed).run()

    def _exported(self, path: Path) -> None:
        self.progress.hide()
        self.message.setText(self.tr("Đã xuất %1").replace("%1", str(path)))

    def _export_failed(self, exc: BaseException) -> None:
        self.progress.hide()
        self.message.setText(error_text(exc))
