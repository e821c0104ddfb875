"""A unit submits (nộp) its self-assessment as a whole, and may withdraw it (rút lại) before the deadline
(issue 14). A submitted self stage is read-only: submission locks it through the stage locks
(``Assessment.locked``) that every writer already obeys; a withdrawal lifts that lock again. The committee's
audited unlock (``locks.unlock_stage``) stays the way to correct a submitted stage."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.messages import labels
from evaluator.models import Score, Submission
from evaluator.services import audit
from evaluator.services.approval import assessment_of
from evaluator.services.changes import Change
from evaluator.services.schedule import check_open, stage_dates, today

SUBMIT_ROLES = frozenset({"", "assessor", "committee"})
"""The unit's own self-assessors, the committee, and scripts (no role)."""


def _role(role: str) -> None:
    if role not in SUBMIT_ROLES:
        raise UserError("submission.role", role=labels.role(role))


def submitted(session: Session, assessment_id: object) -> Submission | None:
    return session.scalars(select(Submission).where(Submission.assessment_id == assessment_id)).first()


def submit(session: Session, year: int, unit_code: str, *, author: str = "", role: str = "",
           device_id: str = "", day: date | None = None) -> Change:
    """Submit the unit's self-assessment: refused outside the self stage's dates (as a write would be)."""
    _role(role)
    a = assessment_of(session, year, unit_code)
    if submitted(session, a.id) is not None:
        raise UserError("submission.already", unit=unit_code, year=year)
    check_open(session, a, "self", day)
    session.add(Submission(assessment_id=a.id, submitted_by=author, role=role))
    old = {"status": a.status, "locked": sorted(a.locked)}
    if a.status == "self_assessment":
        a.status = "submitted"
    a.locked = a.locked | {"self"}
    audit.record(session, "assessment.submit", author=author, role=role, device_id=device_id,
                 assessment_id=a.id, stage="self", old=old,
                 new={"status": a.status, "locked": sorted(a.locked)})
    return Change(assessments={a.id}, audit=True, years={year})


def withdraw(session: Session, year: int, unit_code: str, *, author: str = "", role: str = "",
             device_id: str = "", day: date | None = None) -> Change:
    """Withdraw the submission so the unit can change its self-assessment: refused after the self stage's
    closing date and once appraisal has begun."""
    _role(role)
    a = assessment_of(session, year, unit_code)
    row = submitted(session, a.id)
    if row is None:
        raise UserError("submission.not_submitted", unit=unit_code, year=year)
    dates = stage_dates(session, year, "self")
    if dates is not None and (day or today()) > dates.closes:
        raise UserError("submission.withdraw_closed", unit=unit_code, closes=dates.closes.isoformat())
    appraised = session.scalars(select(Score.id).where(
        Score.assessment_id == a.id, Score.stage.in_(("appraisal1", "explanation", "appraisal2")),
        (Score.points.is_not(None)) | Score.not_applicable | Score.value.is_not(None))).first()
    if appraised is not None:
        raise UserError("submission.appraised", unit=unit_code)
    session.delete(row)
    old = {"status": a.status, "locked": sorted(a.locked)}
    if a.status == "submitted":
        a.status = "self_assessment"
    a.locked = a.locked - {"self"}
    audit.record(session, "assessment.withdraw", author=author, role=role, device_id=device_id,
                 assessment_id=a.id, stage="self", old=old,
                 new={"status": a.status, "locked": sorted(a.locked)})
    return Change(assessments={a.id}, audit=True, years={year})
