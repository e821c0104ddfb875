"""The "Tiến độ" window (issue 14): the appraisal's progress by team and area — units appraised / total,
open conflicts, overdue — the table ``evaluator progress`` prints (``services.team_progress``); it follows
every change while open."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QMainWindow, QVBoxLayout, QWidget

from evaluator.services import workspace as ws
from evaluator.services.changes import Change
from evaluator.services.team_progress import ProgressRow, team_progress
from evaluator.ui.context import AppContext
from evaluator.ui.table_models import RowsModel, RowsView

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ProgressWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Tiến độ thẩm định theo tổ và lĩnh vực"))
        self.resize(900, 520)
        self.year = QComboBox()
        for y in ctx.read(ws.years) if ctx.project is not None else []:
            self.year.addItem(str(y), y)
        self.year.setCurrentIndex(0)  # the years come latest first: the one at work
        self.year.currentIndexChanged.connect(lambda _i: self.reload())
        self.summary = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Năm")))
        bar.addWidget(self.year)
        bar.addStretch(1)
        bar.addWidget(self.summary)
        headers = [self.tr("Tổ thẩm định"), self.tr("Sở, ngành"), self.tr("Lĩnh vực"),
                   self.tr("Đã thẩm định"), self.tr("Xung đột chưa giải quyết"), self.tr("Quá hạn")]
        self.model = RowsModel(headers, self._cells, align={3: RIGHT, 4: RIGHT, 5: RIGHT}, tooltips=(2,),
                               foreground=self._colour, parent=self)
        self.table = RowsView(stretch=2, row_height=24)
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.empty = QLabel(self.tr("Chưa có tổ thẩm định nào: khai báo các tổ và lĩnh vực được phân công "
                                    "để theo dõi tiến độ."))
        self.empty.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        self.setCentralWidget(body)
        ctx.changed.connect(self._changed)
        self.reload()

    def _cells(self, r: ProgressRow) -> list[str]:
        return [r.team, r.department, f"{r.area}. {r.title}", f"{r.appraised} / {r.total}", str(r.conflicts),
                str(r.overdue)]

    @staticmethod
    def _colour(r: ProgressRow, column: int) -> Any:
        if column == 4 and r.conflicts:
            return "#b91c1c"
        if column == 5 and r.overdue:
            return "#b45309"
        if column == 3 and r.total and r.appraised == r.total:
            return "#15803d"
        return None

    def reload(self) -> None:
        year = self.year.currentData()
        rows = (self.ctx.read(lambda s: team_progress(s, int(year)))
                if self.ctx.project is not None and year is not None else [])
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        done, total = sum(r.appraised for r in rows), sum(r.total for r in rows)
        self.summary.setText(self.tr("Tổng: %1 / %2 lượt đơn vị – lĩnh vực đã thẩm định")
                             .replace("%1", str(done)).replace("%2", str(total)))

    def _changed(self, change: Change, _initiator: object) -> None:
        if self.isVisible() and not change.empty:
            self.reload()
