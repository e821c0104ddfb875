"""The workspace's submission and approval actions (nộp, rút lại, phê duyệt) and the banner that says
whether the unit's result is approved or has changed since (cần phê duyệt lại). The services decide who may
do what; this only shows their answer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from PySide6.QtWidgets import QLabel, QMenu, QMessageBox, QToolButton, QWidget

from evaluator.errors import UserError
from evaluator.models import Assessment
from evaluator.services import approval, submission
from evaluator.ui.context import AppContext

STALE_STYLE = "background: #fdecea; color: #b71c1c; padding: 6px; font-weight: bold"
APPROVED_STYLE = "background: #e8f5e9; color: #1b5e20; padding: 6px"
SUBMITTED_STYLE = "background: #e3f2fd; color: #0d47a1; padding: 6px"


@dataclass(frozen=True)
class UnitState:
    approval: approval.ApprovalState
    submitted: bool


def unit_state(session: Any, assessment_id: uuid.UUID) -> UnitState:
    a = session.get(Assessment, assessment_id)
    return UnitState(approval.approval_state(session, a), submission.submitted(session, a.id) is not None)


class ApprovalBar:
    """The "Nộp / phê duyệt" button with its menu, and the banner under the unit's header."""

    def __init__(self, ctx: AppContext, parent: QWidget):
        self.ctx, self.parent = ctx, parent
        self.assessment_id: uuid.UUID | None = None
        self.unit_code = ""
        self.year: int | None = None
        self.state: UnitState | None = None
        self.button = QToolButton(parent)
        self.button.setText(parent.tr("Nộp / phê duyệt"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(parent)
        self.submit_action = self.menu.addAction(parent.tr("Nộp bản tự đánh giá"))
        self.submit_action.triggered.connect(lambda _c=False: self.submit())
        self.withdraw_action = self.menu.addAction(parent.tr("Rút lại bản đã nộp"))
        self.withdraw_action.triggered.connect(lambda _c=False: self.withdraw())
        self.menu.addSeparator()
        self.approve_action = self.menu.addAction(parent.tr("Phê duyệt kết quả (chốt điểm)"))
        self.approve_action.triggered.connect(lambda _c=False: self.approve())
        self.button.setMenu(self.menu)
        self.banner = QLabel(parent)
        self.banner.setWordWrap(True)
        self.banner.hide()

    def show_unit(self, assessment_id: uuid.UUID | None, unit_code: str = "",
                  year: int | None = None) -> None:
        self.assessment_id, self.unit_code, self.year = assessment_id, unit_code, year
        self.refresh()

    def refresh(self) -> None:
        a_id = self.assessment_id
        self.state = None if a_id is None or self.ctx.project is None else self.ctx.read(
            lambda s: unit_state(s, a_id))
        state = self.state
        self.button.setEnabled(state is not None)
        if state is None:
            self.banner.hide()
            return
        self.submit_action.setEnabled(not state.submitted)
        self.withdraw_action.setEnabled(state.submitted)
        a = state.approval
        when = "" if a.at is None else a.at.astimezone().strftime("%d/%m/%Y %H:%M")
        tr = self.parent.tr
        if a.status == "stale":
            text = tr("Kết quả đã thay đổi sau khi được phê duyệt (%1, %2): cần phê duyệt lại")
            style = STALE_STYLE
        elif a.status == "approved":
            text, style = tr("Kết quả đã được phê duyệt (%1, %2)"), APPROVED_STYLE
        elif state.submitted:
            text, style = tr("Đơn vị đã nộp bản tự đánh giá"), SUBMITTED_STYLE
        else:
            self.banner.hide()
            return
        self.banner.setText(text.replace("%1", a.by or "—").replace("%2", when))
        self.banner.setStyleSheet(style)
        self.banner.show()

    def _act(self, work: Any, failed: str) -> bool:
        if self.assessment_id is None or self.year is None:
            return False
        try:
            self.ctx.run(work)
        except UserError as exc:
            QMessageBox.warning(self.parent, failed, str(exc))
            return False
        self.refresh()
        return True

    def submit(self) -> bool:
        year, code = self.year or 0, self.unit_code
        return self._act(lambda s: submission.submit(s, year, code, **self.ctx.who),
                         self.parent.tr("Không nộp được"))

    def withdraw(self) -> bool:
        year, code = self.year or 0, self.unit_code
        return self._act(lambda s: submission.withdraw(s, year, code, **self.ctx.who),
                         self.parent.tr("Không rút lại được"))

    def approve(self) -> bool:
        year, code = self.year or 0, self.unit_code
        return self._act(lambda s: approval.approve(s, year, code, **self.ctx.who),
                         self.parent.tr("Không phê duyệt được"))
