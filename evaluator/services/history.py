"""Undo and redo of score edits within a working session.

Each undo or redo is one more ``set_score`` call (putting back the earlier state), so the revision chain
and the audit log show it like any other edit — nothing is ever erased.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.models import Score
from evaluator.services.changes import Change
from evaluator.services.scores import score_state, set_score


@dataclass(frozen=True)
class Edit:
    assessment_id: uuid.UUID
    leaf: str
    stage: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    label: str = ""


def current_state(session: Session, assessment_id: uuid.UUID, leaf: str, stage: str) -> dict[str, Any] | None:
    score = session.scalars(
        select(Score).where(
            Score.assessment_id == assessment_id, Score.criterion_code == leaf, Score.stage == stage
        )
    ).first()
    return score_state(score)


def _apply(
    session: Session,
    edit: Edit,
    state: dict[str, Any] | None,
    *,
    author: str,
    role: str,
    device_id: str,
    reason: str,
) -> Change:
    common: dict[str, Any] = {"author": author, "role": role, "device_id": device_id, "reason": reason}
    if state is None or not (
        state.get("points") is not None or state.get("not_applicable") or state.get("value")
    ):
        return set_score(
            session,
            edit.assessment_id,
            edit.leaf,
            edit.stage,
            clear=True,
            note=(state or {}).get("note", ""),
            **common,
        )
    if state.get("not_applicable"):
        return set_score(
            session,
            edit.assessment_id,
            edit.leaf,
            edit.stage,
            not_applicable=True,
            note=state.get("note", ""),
            **common,
        )
    if state.get("value"):
        return set_score(
            session,
            edit.assessment_id,
            edit.leaf,
            edit.stage,
            value=state["value"],
            note=state.get("note", ""),
            **common,
        )
    return set_score(
        session,
        edit.assessment_id,
        edit.leaf,
        edit.stage,
        points=Decimal(str(state["points"])),
        note=state.get("note", ""),
        **common,
    )


@dataclass
class History:
    undo_stack: list[Edit] = field(default_factory=list)
    redo_stack: list[Edit] = field(default_factory=list)
    limit: int = 500

    def record(self, edit: Edit) -> None:
        self.undo_stack.append(edit)
        del self.undo_stack[: -self.limit]
        self.redo_stack.clear()

    def edit(
        self,
        session: Session,
        assessment_id: uuid.UUID,
        leaf: str,
        stage: str,
        *,
        label: str = "",
        **kwargs: Any,
    ) -> Change:
        """``set_score`` and remember the edit for undo."""
        before = current_state(session, assessment_id, leaf, stage)
        change = set_score(session, assessment_id, leaf, stage, **kwargs)
        self.record(
            Edit(
                assessment_id, leaf, stage, before, current_state(session, assessment_id, leaf, stage), label
            )
        )
        return change

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    def undo(self, session: Session, *, author: str = "", role: str = "", device_id: str = "") -> Change:
        if not self.undo_stack:
            return Change()
        edit = self.undo_stack[-1]
        change = _apply(
            session,
            edit,
            edit.before,
            author=author,
            role=role,
            device_id=device_id,
            reason="Hoàn tác (undo)",
        )
        self.undo_stack.pop()
        self.redo_stack.append(edit)
        return change

    def redo(self, session: Session, *, author: str = "", role: str = "", device_id: str = "") -> Change:
        if not self.redo_stack:
            return Change()
        edit = self.redo_stack[-1]
        change = _apply(
            session, edit, edit.after, author=author, role=role, device_id=device_id, reason="Làm lại (redo)"
        )
        self.redo_stack.pop()
        self.undo_stack.append(edit)
        return change

    def forget(self, assessment_id: uuid.UUID | None = None) -> None:
        if assessment_id is None:
            self.undo_stack.clear()
            self.redo_stack.clear()
        else:
            self.undo_stack = [e for e in self.undo_stack if e.assessment_id != assessment_id]
            self.redo_stack = [e for e in self.redo_stack if e.assessment_id != assessment_id]
