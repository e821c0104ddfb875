"""The audit view: who changed what, when, from what to what, and why — per assessment and per leaf,
filtered by year, action and free text."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evaluator.services import audit
from evaluator.services import workspace as ws
from evaluator.services.audit import AuditRow
from evaluator.services.changes import Change
from evaluator.ui import formats
from evaluator.ui.context import AppContext
from evaluator.ui.labels import action_label, role_label, stage_label
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
        for combo in (self.year_combo, self.action_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refilter())
        ctx.changed.connect(self.on_change)
        ctx.project_opened.connect(lambda _p: self.load_project())

    def load_project(self) -> None:
        for combo in (self.year_combo, self.action_combo):
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(self.tr("Tất cả"), None)
        if self.ctx.project is not None:
            for y in self.ctx.read(ws.years):
                self.year_combo.addItem(str(y), y)
            for a in self.ctx.read(audit.actions):
                self.action_combo.addItem(action_label(a), a)
        for combo in (self.year_combo, self.action_combo):
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

    def reload(self) -> None:
        self.stale = False
        if self.ctx.project is None:
            return
        filters: dict[str, Any] = {
            "year": self.year_combo.currentData(),
            "action": self.action_combo.currentData(),
            "text": self.unit_filter.text().strip() or None,
            "criterion_code": self.criterion_filter.text().strip() or None,
        }
        limit = self.limit
        self.rows, self.total = self.ctx.read(
            lambda s: (audit.query_audit(s, limit=limit, **filters), audit.count_audit(s, **filters))
        )
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
