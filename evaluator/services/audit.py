"""Reading the audit log: who changed what, when, from what to what, and why — filtered."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from evaluator.models import Assessment, AuditEvent, Period, Unit


@dataclass(frozen=True)
class AuditRow:
    id: uuid.UUID
    time: datetime
    author: str
    role: str
    action: str
    unit_code: str
    unit_name: str
    year: int | None
    criterion_code: str
    stage: str
    old: Any
    new: Any
    reason: str

    @property
    def old_text(self) -> str:
        return describe_state(self.old)

    @property
    def new_text(self) -> str:
        return describe_state(self.new)


def describe_state(state: Any) -> str:
    """A short text for an audit old/new value: points, "KĐG" (not applicable), a file name, locks."""
    if state is None:
        return ""
    if not isinstance(state, dict):
        return str(state)
    if state.get("not_applicable"):
        return "KĐG"
    if "points" in state:
        return "" if state["points"] is None else f"{state['points']}"
    if "scores_new" in state:  # a consolidated workbook's summary for one unit
        return (f"{state.get('file', '')}: {state['scores_new']} điểm mới, "
                f"{state.get('scores_updated', 0)} điểm sửa")
    if "file_name" in state:
        return str(state["file_name"])
    if "locked" in state:
        return ", ".join(state["locked"]) or "—"
    if "reference" in state:
        return str(state["reference"])
    return ", ".join(f"{k}: {v}" for k, v in sorted(state.items()))


def _filtered(
    q: Any,
    *,
    assessment_id: uuid.UUID | None,
    criterion_code: str | None,
    year: int | None,
    action: str | None,
    author: str | None,
    text: str | None,
) -> Any:
    """The audit query ``q`` (events joined to their unit and period) with the filters applied."""
    q = (
        q.outerjoin(Assessment, Assessment.id == AuditEvent.assessment_id)
        .outerjoin(Unit, Unit.id == Assessment.unit_id)
        .outerjoin(Period, Period.id == Assessment.period_id)
    )
    if assessment_id is not None:
        q = q.where(AuditEvent.assessment_id == assessment_id)
    if criterion_code:
        q = q.where(AuditEvent.criterion_code == criterion_code)
    if year is not None:
        q = q.where(Period.year == year)
    if action:
        q = q.where(AuditEvent.action.startswith(action))
    if author:
        q = q.where(AuditEvent.author == author)
    if text:
        like = f"%{text}%"
        q = q.where(
            or_(
                Unit.code.ilike(like),
                Unit.name.ilike(like),
                AuditEvent.criterion_code.ilike(like),
                AuditEvent.author.ilike(like),
                AuditEvent.reason.ilike(like),
            )
        )
    return q


def query_audit(
    session: Session,
    *,
    assessment_id: uuid.UUID | None = None,
    criterion_code: str | None = None,
    year: int | None = None,
    action: str | None = None,
    author: str | None = None,
    text: str | None = None,
    limit: int = 1000,
    offset: int = 0,
) -> list[AuditRow]:
    """Events newest first (``offset``, ``limit``: a page of them). ``text`` matches unit code or name,
    criterion code, author or reason."""
    q = _filtered(
        select(AuditEvent, Unit.code, Unit.name, Period.year).select_from(AuditEvent),
        assessment_id=assessment_id, criterion_code=criterion_code, year=year, action=action,
        author=author, text=text,
    )
    q = q.order_by(AuditEvent.time.desc(), AuditEvent.id).offset(offset).limit(limit)
    return [
        AuditRow(
            e.id,
            e.time,
            e.author,
            e.role,
            e.action,
            code or "",
            name or "",
            y,
            e.criterion_code or "",
            e.stage or "",
            e.old,
            e.new,
            e.reason,
        )
        for e, code, name, y in session.execute(q)
    ]


def count_audit(
    session: Session,
    *,
    assessment_id: uuid.UUID | None = None,
    criterion_code: str | None = None,
    year: int | None = None,
    action: str | None = None,
    author: str | None = None,
    text: str | None = None,
) -> int:
    """How many events ``query_audit`` would give with these filters and no limit."""
    q = _filtered(
        select(func.count(AuditEvent.id)).select_from(AuditEvent),
        assessment_id=assessment_id, criterion_code=criterion_code, year=year, action=action,
        author=author, text=text,
    )
    return int(session.scalar(q) or 0)


def actions(session: Session) -> list[str]:
    return sorted(session.scalars(select(AuditEvent.action).distinct()).all())
