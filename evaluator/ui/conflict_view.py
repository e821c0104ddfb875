"""Conflicts from team packages, side by side: the unit's self score, each side's value with its note,
author, device and time, the leaf's evidence; resolved by taking one value or deciding the points, with a
required reason (``services.conflicts.resolve_conflict``: a new revision and an audit event)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.errors import UserError
from evaluator.services import conflicts as conflict_service
from evaluator.services import workspace as ws
from evaluator.services.changes import Change
from evaluator.ui import formats
from evaluator.ui.context import AppContext
from evaluator.ui.labels import role_label, size_text, stage_label
from evaluator.ui.table_models import RowsModel, RowsView

SIDE_COLORS = ("#fff8e1", "#e3f2fd", "#f1f8e9", "#fce4ec")


def _time(text: str | None) -> str:
    """An ISO time in this computer's time zone, to the minute."""
    return formats.moment(text)


def _points(value: dict[str, Any] | None, tr: Any) -> str:
    if value is None:
        return "—"
    if value.get("not_applicable"):
        return tr("Không đánh giá")
    p = value.get("points")
    return "—" if p is None else formats.points(p)


def _open_in_red(conflict: dict[str, Any], column: int) -> Qt.GlobalColor | None:
    """The status of an open conflict in dark red."""
    return Qt.GlobalColor.darkRed if column == 5 and conflict.get("status", "open") == "open" else None


class ConflictView(QWidget):
    resolved = Signal(str)
    """Emitted with the conflict id once it is resolved."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.items: list[dict[str, Any]] = []
        self.detail: dict[str, Any] | None = None
        self.stale = True
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Năm")))
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.year_combo)
        self.show_resolved = QCheckBox(self.tr("Cả xung đột đã giải quyết"))
        self.show_resolved.toggled.connect(self.reload)
        bar.addWidget(self.show_resolved)
        self.count = QLabel()
        bar.addWidget(self.count, 1)
        outer.addLayout(bar)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.model = RowsModel(
            [
                self.tr("Đơn vị"),
                self.tr("Tiêu chí"),
                self.tr("Giai đoạn"),
                self.tr("Giá trị"),
                self.tr("Người nhập"),
                self.tr("Trạng thái"),
            ],
            self._cells,
            foreground=_open_in_red,
            parent=self,
        )
        self.table = RowsView(stretch=4)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setModel(self.model)
        self._loading = False
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        split.addWidget(self.table)

        right = QWidget()
        rl = QVBoxLayout(right)
        self.title = QLabel(self.tr("Chọn một xung đột trong danh sách."))
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-size: 12pt; padding: 2px")
        rl.addWidget(self.title)
        self.own = QLabel()
        self.own.setWordWrap(True)
        rl.addWidget(self.own)
        self.sides = QWidget()
        self.sides_layout = QGridLayout(self.sides)
        self.sides_layout.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.sides)
        rl.addWidget(QLabel(self.tr("Tài liệu kiểm chứng của tiêu chí")))
        self.evidence = QTableWidget(0, 4)
        self.evidence.setHorizontalHeaderLabels(
            [self.tr("Tệp"), self.tr("Dung lượng"), self.tr("Người thêm"), self.tr("Thời gian")]
        )
        self.evidence.verticalHeader().hide()
        self.evidence.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        eh = self.evidence.horizontalHeader()
        eh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            eh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.evidence.setMinimumHeight(90)
        rl.addWidget(self.evidence, 1)

        decide = QFrame()
        decide.setFrameShape(QFrame.Shape.StyledPanel)
        dl = QGridLayout(decide)
        self.choice = QButtonGroup(self)
        self.own_points = QRadioButton(self.tr("Hội đồng quyết định điểm:"))
        self.choice.addButton(self.own_points)  # one choice: deciding the points drops a value taken
        self.choice.buttonToggled.connect(lambda *_: self._choice_made())
        self.points = QLineEdit()
        self.points.setPlaceholderText(self.tr("ví dụ 0,75"))
        self.points.setMaximumWidth(100)
        self.points.textEdited.connect(lambda _t: self.own_points.setChecked(True))
        dl.addWidget(self.own_points, 0, 0)
        dl.addWidget(self.points, 0, 1)
        dl.addWidget(QLabel(self.tr("Lý do (bắt buộc, ghi vào nhật ký):")), 1, 0, 1, 2)
        self.reason = QPlainTextEdit()
        self.reason.setMaximumHeight(64)
        self.reason.setPlaceholderText(self.tr("Chọn giá trị cần giữ hoặc nhập điểm trước, rồi ghi lý do."))
        dl.addWidget(self.reason, 2, 0, 1, 3)
        self.resolve_button = QPushButton(self.tr("Giải quyết xung đột"))
        self.resolve_button.clicked.connect(self.resolve)
        dl.addWidget(self.resolve_button, 3, 2)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c")
        dl.addWidget(self.error, 3, 0, 1, 2)
        dl.setColumnStretch(2, 1)
        self.decide = decide
        rl.addWidget(decide)
        self.notice = QLabel()
        """Outside the decision frame (greyed when disabled): why this user may not resolve, or the
        confirmation of the conflict just resolved."""
        self.notice.setWordWrap(True)
        self.notice.setObjectName("conflict_notice")
        rl.addWidget(self.notice)
        split.addWidget(right)
        split.setSizes([560, 900])
        outer.addWidget(split, 1)
        self.value_buttons: dict[str, QRadioButton] = {}
        ctx.changed.connect(self.on_change)
        ctx.project_opened.connect(lambda _p: self.load_project())
        ctx.user_changed.connect(lambda: self.show_conflict(self.detail))  # the role decides who resolves

    # --- loading ---------------------------------------------------------------------------------------
    def load_project(self) -> None:
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        if self.ctx.project is not None:
            self.year_combo.addItem(self.tr("Mọi năm"), None)
            for y in self.ctx.read(ws.years):
                self.year_combo.addItem(str(y), y)
        self.year_combo.blockSignals(False)
        self.stale = True
        if self.isVisible():
            self.reload()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if self.stale:
            self.reload()

    def on_change(self, change: Change, _initiator: object = None) -> None:
        if change.audit or change.assessments:
            self.stale = True
            if self.isVisible():
                self.reload()

    def reload(self) -> None:
        self.stale = False
        if self.ctx.project is None:
            self.items = []
        else:
            year = self.year_combo.currentData()
            status = None if self.show_resolved.isChecked() else "open"
            self.items = self.ctx.read(
                lambda s: conflict_service.list_conflicts(
                    s, year=None if year is None else int(year), status=status
                )
            )
        keep = self.detail["id"] if self.detail else None
        self._loading = True  # the selection is set again below, then shown once
        self.model.set_rows(self.items)
        self._loading = False
        n_open = sum(1 for c in self.items if c.get("status", "open") == "open")
        self.count.setText(self.tr("%1 xung đột chưa giải quyết").replace("%1", str(n_open)))
        row = next((r for r, c in enumerate(self.items) if c["id"] == keep), 0 if self.items else -1)
        if row >= 0:
            self._loading = True
            self.table.selectRow(row)
            self._loading = False
            self._chosen()
        else:
            self.show_conflict(None)

    def _cells(self, c: dict[str, Any]) -> list[str]:
        """One conflict's cells in the list."""
        status = c.get("status", "open")
        return [
            f"{c['unit_code']} ({c['year']})",
            c["criterion_code"],
            stage_label(c["stage"]),
            " ↔ ".join(_points(v, self.tr) for v in c["values"]),
            " ↔ ".join(v["author"] or v["device"] for v in c["values"]),
            self.tr("Chưa giải quyết") if status == "open" else self.tr("Đã giải quyết"),
        ]

    def _chosen(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if self._loading or not rows:
            return
        ident = self.items[rows[0].row()]["id"]
        self.show_conflict(self.ctx.read(lambda s: conflict_service.conflict_detail(s, ident)))

    def select(self, ident: str) -> bool:
        for r, c in enumerate(self.items):
            if c["id"] == ident:
                self.table.selectRow(r)
                return True
        return False

    # --- one conflict ----------------------------------------------------------------------------------
    def show_conflict(self, d: dict[str, Any] | None) -> None:
        self.detail = d
        self.error.clear()
        while self.sides_layout.count():
            item = self.sides_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        for b in list(self.choice.buttons()):
            if b is not self.own_points:
                self.choice.removeButton(b)
        self.value_buttons = {}
        self.evidence.setRowCount(0)
        self._clear_choice()
        if d is None:
            self.title.setText(self.tr("Không có xung đột nào.") if not self.items else "")
            self.own.clear()
            self.decide.setEnabled(False)
            self._show_permission(False)
            return
        self.title.setText(
            f"<b>{d['unit_code']} · {d['unit_name']}</b> — {d['year']}<br>"
            f"<b>{d['criterion_code']}</b> {d['criterion_title']} · {stage_label(d['stage'])}"
            + (" · " + self.tr("tối đa %1").replace("%1", formats.points(d["max"])) if d["max"] else "")
        )
        lines = []
        own = d["self"]
        if d["stage"] != "self":  # on the self stage the unit's own score is one of the sides
            lines.append(
                self.tr("Đơn vị tự chấm: ")
                + (
                    f"<b>{_points(own, self.tr)}</b>"
                    + (f" — {own['note']}" if own["note"] else "")
                    + (f" ({own['author']})" if own["author"] else "")
                    if own
                    else self.tr("chưa chấm")
                )
            )
        lines.append(
            self.tr("Giá trị chung trước khi tách: %1").replace("%1", f"<b>{_points(d['base'], self.tr)}</b>")
            if d["base"]
            else self.tr("Hai bên không có giá trị chung trước đó.")
        )
        self.own.setText("<br>".join(lines))
        open_ = d["status"] == "open"
        shown = conflict_service.short_ids(v["value_id"] for v in d["values"])  # as `conflicts list` prints
        for c, v in enumerate(d["values"]):
            letter = chr(65 + c)
            box = QGroupBox(self.tr("Giá trị %1").replace("%1", letter))
            box.setStyleSheet(
                f"QGroupBox {{ background: {SIDE_COLORS[c % len(SIDE_COLORS)]}; border: 1px solid #b0bec5;"
                " border-radius: 4px; margin-top: 1.4em; font-weight: bold; }"
                " QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }"
                " QGroupBox QLabel, QGroupBox QRadioButton { font-weight: normal; }"
            )
            form = QFormLayout(box)
            button = QRadioButton(self.tr("Giữ giá trị %1").replace("%1", letter))
            button.setEnabled(open_)
            self.choice.addButton(button)
            self.value_buttons[v["value_id"]] = button
            form.addRow(button)
            rows = [
                (self.tr("Điểm"), f"<span style='font-size: 15pt'><b>{_points(v, self.tr)}</b></span>"),
                (self.tr("Ghi chú"), v["note"] or "—"),
                (self.tr("Người nhập"), v["author"] or "—"),
                (self.tr("Máy"), v["device"] or "—"),
                (self.tr("Thời gian"), _time(v["time"])),
                (self.tr("Mã giá trị"), f"<code>{shown[v['value_id']]}</code>"),
            ]
            for r, (head, text) in enumerate(rows):
                label = QLabel(text)
                label.setWordWrap(r > 0)  # the points never wrap
                if r == 0:  # a squeezed box cut the big points' comma to a dot: "0,75" beside "0.00"
                    label.setMinimumHeight(label.sizeHint().height())
                label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(f"<b>{head}</b>", label)
            self.sides_layout.addWidget(box, 0, c)
            self.sides_layout.setColumnStretch(c, 1)
        for e in d["evidence"]:
            r = self.evidence.rowCount()
            self.evidence.insertRow(r)
            cells = [e["file_name"], size_text(e["size"]), e["added_by"] or "—", _time(e["added_at"])]
            for col, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setToolTip(f"SHA-256 {e['sha256']}" + (f" · {e['reference']}" if e["reference"] else ""))
                self.evidence.setItem(r, col, cell)
        if not open_:
            self.error.setStyleSheet("color: #2e7d32")
            self.error.setText(
                self.tr("Đã giải quyết bởi %1 lúc %2: %3")
                .replace("%1", d["resolved_by"] or "—")
                .replace("%2", _time(d["resolved_at"]))
                .replace("%3", d["reason"])
            )
        else:
            self.error.setStyleSheet("color: #b71c1c")
        allowed = self.may_resolve()
        self.decide.setEnabled(open_ and allowed)
        self.resolve_button.setToolTip("" if allowed else self.refusal())
        self._show_permission(open_)
        self._choice_made()

    def may_resolve(self) -> bool:
        """Only the committee settles a conflict (the README); others see it. The service refuses too."""
        return self.ctx.settings.role in conflict_service.RESOLVERS

    def refusal(self) -> str:
        return (self.tr("Chỉ %1 được giải quyết xung đột; vai trò của bạn (%2) chỉ xem được.")
                .replace("%1", role_label("committee")).replace("%2", role_label(self.ctx.settings.role)))

    def _show_permission(self, open_: bool) -> None:
        if open_ and not self.may_resolve():
            self.notice.setStyleSheet("color: #6d4c41")
            self.notice.setText(self.refusal())
        elif self.notice.property("confirmation") is None:
            self.notice.clear()

    def _clear_choice(self) -> None:
        """No value chosen, no points, no reason (a reason typed for one conflict is not another's)."""
        self.choice.setExclusive(False)  # an exclusive group keeps one button checked
        for b in self.choice.buttons():
            b.setChecked(False)
        self.choice.setExclusive(True)
        self.reason.clear()
        self.points.clear()

    def _choice_made(self) -> None:
        """The reason is asked for once a value is chosen or points are given."""
        chosen = self.choice.checkedButton() is not None
        self.reason.setEnabled(chosen)

    # --- resolving ----------------------------------------------------------------------------------------
    def resolve(self) -> bool:
        d = self.detail
        if d is None or d["status"] != "open":
            return False
        reason = self.reason.toPlainText().strip()
        take = next((vid for vid, b in self.value_buttons.items() if b.isChecked()), None)
        points: Decimal | None = None
        if take is None:
            if not self.own_points.isChecked():
                self.error.setText(self.tr("Chọn giá trị cần giữ, hoặc nhập điểm do hội đồng quyết định."))
                return False
            try:
                points = Decimal(self.points.text().strip().replace(",", "."))
            except InvalidOperation:
                self.error.setText(self.tr("Điểm không hợp lệ."))
                return False
        if not reason:
            self.error.setText(self.tr("Nhập lý do của quyết định: lý do được ghi vào nhật ký."))
            self.reason.setFocus()
            return False
        ident, who = d["id"], self.ctx.who  # the project's device for this computer (services.users.Actor)

        def run(session: Any) -> Change:
            return conflict_service.resolve_conflict(
                session, ident, take=take, points=points, reason=reason, author=who["author"],
                device_id=who["device_id"], role=who["role"],
            )

        taken = "" if take is None else next(
            (chr(65 + c) for c, v in enumerate(d["values"]) if v["value_id"] == take), "")
        where = f"{d['unit_code']} · {d['criterion_code']} ({d['year']})"
        self.notice.setProperty("confirmation", None)
        try:
            self.ctx.run(run)
        except UserError as exc:
            self.error.setText(str(exc))
            return False
        # the list drops the resolved conflict and shows the next one: the confirmation stays until the next
        self.notice.setProperty("confirmation", ident)
        self.notice.setStyleSheet("color: #2e7d32")
        self.notice.setText(
            (self.tr("Đã giải quyết xung đột %1: giữ giá trị %2.").replace("%2", taken) if taken
             else self.tr("Đã giải quyết xung đột %1: hội đồng quyết định %2 điểm.")
             .replace("%2", formats.points(points)))
            .replace("%1", where) + " " + self.tr("Lý do đã ghi vào nhật ký.")
        )
        self.resolved.emit(ident)
        return True
