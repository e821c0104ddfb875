"""Undo and redo of what a user changes within a working session: score edits, and the evidence of a leaf
(attaching, removing a file, editing its citation).

Each undo or redo is one more service call (``set_score``, ``evidence.remove``/``reattach``/
``set_reference``) putting back the earlier state, so the revision chain and the audit log show it like any
other edit — nothing is ever erased. A removed file's bytes stay in the store (the orphan sweep keeps every
file an audit event names), so undoing a removal attaches the very same stored file again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.models import Assessment, Evidence, EvidenceStore, Score
from evaluator.services import evidence as evidence_service
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
    unit: str = ""
    """The unit's code, for the Edit menu's "Hoàn tác: điểm 1.1.3 của SO01"."""

    def apply(self, session: Session, forward: bool, store: EvidenceStore | None, who: dict[str, str],
              reason: str) -> Change:
        return _apply(session, self, self.after if forward else self.before, reason=reason, **who)


@dataclass(frozen=True)
class EvidenceEdit:
    """A file attached to (``attach``) or removed from (``remove``) a leaf, or its citation changed
    (``reference``: ``before`` → ``after``). The file is known by its hash: a file a leaf lists once."""

    action: str
    assessment_id: uuid.UUID
    leaf: str
    sha256: str
    file_name: str
    stage: str | None
    before: str
    after: str
    unit: str = ""

    def apply(self, session: Session, forward: bool, store: EvidenceStore | None, who: dict[str, str],
              reason: str) -> Change:
        row = evidence_service.find(session, self.assessment_id, self.leaf, self.sha256)
        if self.action == "reference":
            if row is None:
                raise UserError("scores.no_evidence", id=self.file_name)
            return evidence_service.set_reference(session, row.id, self.after if forward else self.before,
                                                  **who)
        present = (self.action == "attach") == forward
        if not present:
            if row is None:  # already gone (another program removed it): nothing to undo
                return Change()
            return evidence_service.remove(session, row.id, reason=reason, **who)
        assert store is not None, "the evidence store is needed to attach a file again"
        reference = self.after if forward else self.before
        return evidence_service.reattach(session, store, self.assessment_id, self.leaf, self.sha256,
                                         self.file_name, stage=self.stage, reference=reference, **who)


Step = Edit | EvidenceEdit


def unit_code(session: Session, assessment_id: uuid.UUID) -> str:
    assessment = session.get(Assessment, assessment_id)
    return assessment.unit.code if assessment is not None else ""


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
    undo_stack: list[Step] = field(default_factory=list)
    redo_stack: list[Step] = field(default_factory=list)
    limit: int = 500

    def record(self, edit: Step) -> None:
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
        after = current_state(session, assessment_id, leaf, stage)
        self.record(Edit(assessment_id, leaf, stage, before, after, label, unit_code(session, assessment_id)))
        return change

    # --- evidence ----------------------------------------------------------------------------------
    def attach(self, session: Session, store: EvidenceStore, assessment_id: uuid.UUID, leaf: str,
               source: Any, *, stage: str | None = None, reference: str = "",
               **who: str) -> evidence_service.Attached:
        """``evidence.attach`` and remember it for undo (a file the leaf already had: nothing to undo)."""
        result = evidence_service.attach(session, store, assessment_id, leaf, source, stage=stage,
                                         reference=reference, **who)
        if not result.duplicate:
            e = result.evidence
            self.record(EvidenceEdit("attach", assessment_id, leaf, e.sha256, e.file_name, e.stage,
                                     e.reference, e.reference, unit_code(session, assessment_id)))
        return result

    def remove_evidence(self, session: Session, evidence_id: uuid.UUID, *, reason: str = "",
                        **who: str) -> Change:
        """``evidence.remove`` and remember it for undo (the stored bytes stay for it)."""
        step = self._evidence_step(session, evidence_id, "remove")
        change = evidence_service.remove(session, evidence_id, reason=reason, **who)
        self.record(step)
        return change

    def set_reference(self, session: Session, evidence_id: uuid.UUID, reference: str, **who: str) -> Change:
        """``evidence.set_reference`` and remember the citation it replaced."""
        step = self._evidence_step(session, evidence_id, "reference")
        change = evidence_service.set_reference(session, evidence_id, reference, **who)
        row = evidence_service.find(session, step.assessment_id, step.leaf, step.sha256)
        after = row.reference if row is not None else reference
        if after != step.before:
            self.record(EvidenceEdit(step.action, step.assessment_id, step.leaf, step.sha256, step.file_name,
                                     step.stage, step.before, after, step.unit))
        return change

    @staticmethod
    def _evidence_step(session: Session, evidence_id: uuid.UUID, action: str) -> EvidenceEdit:
        row = session.get(Evidence, evidence_id)
        if row is None:
            raise UserError("scores.no_evidence", id=evidence_id)
        return EvidenceEdit(action, row.assessment_id, row.criterion_code, row.sha256, row.file_name,
                            row.stage, row.reference, row.reference, unit_code(session, row.assessment_id))

    @property
    def can_undo(self) -> bool:
        return bool(self.undo_stack)

    @property
    def can_redo(self) -> bool:
        return bool(self.redo_stack)

    @property
    def next_undo(self) -> Step | None:
        return self.undo_stack[-1] if self.undo_stack else None

    @property
    def next_redo(self) -> Step | None:
        return self.redo_stack[-1] if self.redo_stack else None

    def undo(self, session: Session, *, store: EvidenceStore | None = None, author: str = "", role: str = "",
             device_id: str = "") -> Change:
        if not self.undo_stack:
            return Change()
        edit = self.undo_stack[-1]
        who = {"author": author, "role": role, "device_id": device_id}
        change = edit.apply(session, False, store, who, "Hoàn tác (undo)")
        self.undo_stack.pop()
        self.redo_stack.append(edit)
        return change

    def redo(self, session: Session, *, store: EvidenceStore | None = None, author: str = "", role: str = "",
             device_id: str = "") -> Change:
        if not self.redo_stack:
            return Change()
        edit = self.redo_stack[-1]
        who = {"author": author, "role": role, "device_id": device_id}
        change = edit.apply(session, True, store, who, "Làm lại (redo)")
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
