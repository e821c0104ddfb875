"""The audit view: who changed what, when, from what to what, and why — per assessment and per leaf,
filtered by unit, person, a range of days, year, action and free text (``services.audit_log``); the
filtered log exported to xlsx and printed (an HTML table in a QTextDocument, with a print preview)."""

from __future__ import annotations

import html
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QMarginsF, Qt, QTimer
from PySide6.QtGui import QPageLayout, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evaluator import i18n
from evaluator.errors import UserError
from evaluator.services import audit, audit_log
from evaluator.services import workspace as ws
from evaluator.services.audit import AuditRow
from evaluator.services.audit_log import AuditFilter
from evaluator.services.changes import Change
from evaluator.ui import dialogs, formats
from evaluator.ui.context import AppContext
from evaluator.ui.labels import action_label, role_label, stage_label
from evaluator.ui.operations import show_error
from evaluator.ui.table_models import RowsModel, RowsView


def state_text(state: Any) -> str:
    """An audit old/new value for people: points in the UI's notation, KĐG, a file name, locks."""
    if isinstance(state, dict):
        if state.get("not_applicable"):
            return QCoreApplication.translate("labels", "KĐG")
        if "points" in state:
            return formats.points(state["points"])
        if "locked" in state:
            return ", ".join(stage_label(s) for s in state["locked"]) or "—"
        if "scores_new" in state:  # a consolidated workbook's summary for one unit
            return (QCoreApplication.translate("labels", "%1: %2 điểm mới, %3 điểm sửa")
                    .replace("%1", str(state.get("file", ""))).replace("%2", str(state["scores_new"]))
                    .replace("%3", str(state.get("scores_updated", 0))))
    return audit.describe_state(state)


def audit_cells(e: AuditRow) -> list[str]:
    """One event's cells, as the audit table shows them."""
    old, new = state_text(e.old), state_text(e.new)
    return [
        formats.moment(e.time, seconds=True),
        e.author,
        role_label(e.role),
        action_label(e.action),
        f"{e.unit_code} {e.unit_name}".strip(),
        e.criterion_code,
        stage_label(e.stage) if e.stage else "",
        f"{old} → {new}" if old or new else "",
        e.reason,
    ]


NO_DAY = QDate(2000, 1, 1)
"""A date edit's "no day" (shown as "—"): its minimum, a day before any appraisal."""


def _date_edit(tip: str) -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")  # the one date notation of the UI (ui/formats.day)
    edit.setMinimumDate(NO_DAY)
    edit.setSpecialValueText("—")
    edit.setDate(NO_DAY)
    edit.setToolTip(tip)
    return edit


def _day(edit: QDateEdit) -> date | None:
    d = edit.date()
    return None if d == NO_DAY else date(d.year(), d.month(), d.day())


def print_html(title: str, filters: str, headers: list[str], rows: list[list[str]]) -> str:
    """The printout: a title, the filters that chose the rows, and the rows as one table (every text
    escaped: names and reasons are user text)."""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in headers)
    # the time and the criterion kept on one line: a wrapped "22/11/2024 / 17:59:00" reads as two events
    keep = " style='white-space:nowrap'"
    body = "".join("<tr>" + "".join(f"<td{keep if i in (0, 5) else ''}>{e(c)}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return (f"<html><body><h3>{e(title)}</h3><p>{e(filters)}</p>"
            "<table border='1' cellspacing='0' cellpadding='3' width='100%' style='font-size:8pt'>"
            f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></body></html>")


class AuditView(QWidget):
    COLUMNS = 9
    PAGE = 2000
    """Events shown at first and added by each "more" click (a province's log holds far more)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.rows: list[AuditRow] = []
        self.stale = True
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Năm")))
        self.year_combo = QComboBox()
        bar.addWidget(self.year_combo)
        bar.addWidget(QLabel(self.tr("Thao tác")))
        self.action_combo = QComboBox()
        bar.addWidget(self.action_combo)
        self.unit_filter = QLineEdit()
        self.unit_filter.setPlaceholderText(self.tr("Đơn vị, mã tiêu chí, người thực hiện, lý do…"))
        self.unit_filter.setClearButtonEnabled(True)
        bar.addWidget(self.unit_filter, 1)
        self.criterion_filter = QLineEdit()
        self.criterion_filter.setPlaceholderText(self.tr("Mã tiêu chí"))
        self.criterion_filter.setMaximumWidth(110)
        bar.addWidget(self.criterion_filter)
        layout.addLayout(bar)
        bar2 = QHBoxLayout()
        bar2.addWidget(QLabel(self.tr("Đơn vị")))
        self.unit_combo = QComboBox()
        self.unit_combo.setMinimumContentsLength(18)
        self.unit_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        bar2.addWidget(self.unit_combo, 1)
        bar2.addWidget(QLabel(self.tr("Người thực hiện")))
        self.person_combo = QComboBox()
        self.person_combo.setMinimumContentsLength(14)
        self.person_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        bar2.addWidget(self.person_combo, 1)
        bar2.addWidget(QLabel(self.tr("Từ ngày")))
        self.since_edit = _date_edit(self.tr("Để trống (—): từ sự kiện đầu tiên"))
        bar2.addWidget(self.since_edit)
        bar2.addWidget(QLabel(self.tr("đến ngày")))
        self.until_edit = _date_edit(self.tr("Để trống (—): đến sự kiện mới nhất"))
        bar2.addWidget(self.until_edit)
        self.export_button = QPushButton(self.tr("Xuất Excel…"))
        self.export_button.setToolTip(self.tr("Ghi các sự kiện đang lọc ra tệp Excel"))
        self.export_button.clicked.connect(self.export_xlsx)
        bar2.addWidget(self.export_button)
        self.preview_button = QPushButton(self.tr("Xem trước khi in"))
        self.preview_button.clicked.connect(self.print_preview)
        bar2.addWidget(self.preview_button)
        self.print_button = QPushButton(self.tr("In…"))
        self.print_button.setToolTip(self.tr("In các sự kiện đang lọc"))
        self.print_button.clicked.connect(self.print_dialog)
        bar2.addWidget(self.print_button)
        layout.addLayout(bar2)
        headers = [
            self.tr("Thời gian"),
            self.tr("Người thực hiện"),
            self.tr("Vai trò"),
            self.tr("Thao tác"),
            self.tr("Đơn vị"),
            self.tr("Tiêu chí"),
            self.tr("Giai đoạn"),
            self.tr("Từ → thành"),
            self.tr("Lý do"),
        ]
        self.model = RowsModel(
            headers, audit_cells, align={7: Qt.AlignmentFlag.AlignCenter}, tooltips=(4,), parent=self
        )
        # Columns sized once to the first events, the unit's name cut at 260 px (its tooltip shows it
        # whole), the reason taking the room left.
        self.table = RowsView(widths={4: 260}, stretch=8, row_height=self.fontMetrics().height() + 8)
        self.table.setAlternatingRowColors(True)
        self.table.setModel(self.model)
        layout.addWidget(self.table, 1)
        foot = QHBoxLayout()
        self.count = QLabel()
        foot.addWidget(self.count, 1)
        self.more_button = QPushButton()
        self.more_button.clicked.connect(self.show_more)
        self.more_button.hide()
        foot.addWidget(self.more_button)
        layout.addLayout(foot)
        self.limit = self.PAGE
        self.total = 0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)
        self._timer.timeout.connect(self.refilter)
        for w in (self.unit_filter, self.criterion_filter):
            w.textChanged.connect(lambda _t: self._timer.start())
        for combo in (self.year_combo, self.action_combo, self.unit_combo, self.person_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refilter())
        for edit in (self.since_edit, self.until_edit):
            edit.dateChanged.connect(lambda _d: self.refilter())
        ctx.changed.connect(self.on_change)
        ctx.project_opened.connect(lambda _p: self.load_project())

    def load_project(self) -> None:
        combos = (self.year_combo, self.action_combo, self.unit_combo, self.person_combo)
        for combo in combos:
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("Tất cả"), None)
        if self.ctx.project is not None:
            for y in self.ctx.read(ws.years):
                self.year_combo.addItem(str(y), y)
            for a in self.ctx.read(audit.actions):
                self.action_combo.addItem(action_label(a), a)
            for code, name in self.ctx.read(audit_log.units):
                self.unit_combo.addItem(f"{code} {name}".strip(), code)
            for person in self.ctx.read(audit_log.people):
                self.person_combo.addItem(person, person)
        for combo in combos:
            combo.blockSignals(False)
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.reload()

    def on_change(self, change: Change) -> None:
        if change.audit:
            self.stale = True
            if self.isVisible():
                self.reload()

    def refilter(self) -> None:
        """New filters: the newest page of what they select."""
        self.limit = self.PAGE
        self.reload()

    def show_more(self) -> None:
        """The next page of older events, below those shown."""
        self.limit += self.PAGE
        self.reload()

    def current_filter(self) -> AuditFilter:
        """What the filters above the table select (the view, the export and the printout alike)."""
        return AuditFilter(
            unit_code=self.unit_combo.currentData(),
            person=self.person_combo.currentData(),
            since=_day(self.since_edit),
            until=_day(self.until_edit),
            action=self.action_combo.currentData(),
            year=self.year_combo.currentData(),
            text=self.unit_filter.text().strip() or None,
            criterion_code=self.criterion_filter.text().strip() or None,
        )

    def reload(self) -> None:
        self.stale = False
        if self.ctx.project is None:
            return
        wanted = self.current_filter()
        limit = self.limit
        try:
            self.rows, self.total = self.ctx.read(
                lambda s: (audit_log.rows(s, wanted, limit=limit), audit_log.count(s, wanted))
            )
        except UserError as exc:  # a reversed range of days: say so, show nothing
            self.model.set_rows([])
            self.count.setText(str(exc))
            self.more_button.hide()
            return
        self.model.set_rows(self.rows)
        if len(self.rows) < self.total:
            self.count.setText(self.tr("%1 / %2 sự kiện (mới nhất trước)").replace("%1", str(len(self.rows)))
                               .replace("%2", str(self.total)))
            more = min(self.PAGE, self.total - len(self.rows))
            self.more_button.setText(self.tr("Xem thêm %1 sự kiện cũ hơn").replace("%1", str(more)))
            self.more_button.show()
        else:
            self.count.setText(self.tr("%1 sự kiện (mới nhất trước)").replace("%1", str(len(self.rows))))
            self.more_button.hide()

    # --- export and printing: all the events the filters select, not only the page shown -------------
    def export_xlsx(self, path: str | None = None) -> int | None:
        """Write the filtered log to an xlsx file (asked for when ``path`` is None); how many events."""
        if self.ctx.project is None:
            return None
        if path is None:
            path = dialogs.save_file(self, self.tr("Xuất nhật ký ra Excel"), "nhat-ky.xlsx",
                                     self.tr("Tệp Excel (*.xlsx)"))
            if not path:
                return None
        from pathlib import Path

        wanted, language = self.current_filter(), i18n.language()
        try:
            n: int = self.ctx.read(lambda s: audit_log.export_xlsx(s, wanted, Path(path), language=language))
        except UserError as exc:
            show_error(self, exc)
            return None
        self.count.setText(self.tr("Đã xuất %1 sự kiện vào %2").replace("%1", str(n)).replace("%2", path))
        return n

    def filters_text(self) -> str:
        """The filters in words, printed above the table (a printout must say what it leaves out)."""
        parts = []
        combos = ((self.tr("Đơn vị"), self.unit_combo), (self.tr("Người thực hiện"), self.person_combo),
                  (self.tr("Năm"), self.year_combo), (self.tr("Thao tác"), self.action_combo))
        for label, combo in combos:
            if combo.currentData() is not None:
                parts.append(f"{label}: {combo.currentText()}")
        since, until = _day(self.since_edit), _day(self.until_edit)
        if since is not None:
            parts.append(self.tr("từ ngày %1").replace("%1", formats.day(since)))
        if until is not None:
            parts.append(self.tr("đến ngày %1").replace("%1", formats.day(until)))
        for label, edit in ((self.tr("Tìm"), self.unit_filter), (self.tr("Tiêu chí"), self.criterion_filter)):
            if edit.text().strip():
                parts.append(f"{label}: {edit.text().strip()}")
        return "; ".join(parts) or self.tr("Tất cả sự kiện")

    def document(self) -> QTextDocument:
        """The printout of every event the filters select, newest first."""
        wanted = self.current_filter()
        events = [] if self.ctx.project is None else self.ctx.read(lambda s: audit_log.rows(s, wanted))
        headers = [str(self.model.headerData(c, Qt.Orientation.Horizontal)) for c in range(self.COLUMNS)]
        title = self.tr("Nhật ký kiểm toán") + " — " + self.tr("%1 sự kiện").replace("%1", str(len(events)))
        doc = QTextDocument(self)
        doc.setHtml(print_html(title, self.filters_text(), headers, [audit_cells(e) for e in events]))
        return doc

    def print_to(self, printer: QPrinter) -> None:
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)  # nine columns
        printer.setPageMargins(QMarginsF(10, 10, 10, 10), QPageLayout.Unit.Millimeter)
        self.document().print_(printer)

    def print_dialog(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def print_preview(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageOrientation(QPageLayout.Orientation.Landscape)
        preview = QPrintPreviewDialog(printer, self)
        preview.setWindowTitle(self.tr("Xem trước khi in"))
        preview.paintRequested.connect(self.print_to)
        preview.exec()
