"""Stage locks: a locked stage of an assessment is read-only. Locking and unlocking are explicit, audited
acts; only the committee may unlock."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import ALL_STAGES
from evaluator.models import Assessment
from evaluator.services import audit
from evaluator.services.changes import Change

UNLOCK_ROLES = frozenset({"committee"})


def _assessment(session: Session, assessment_id: uuid.UUID, stage: str) -> Assessment:
    if stage not in ALL_STAGES:
        raise UserError("common.unknown_stage", stage=stage, stages=", ".join(ALL_STAGES))
    a = session.get(Assessment, assessment_id)
    if a is None:
        raise UserError("scores.no_assessment", id=assessment_id)
    return a


def lock_stage(
    session: Session,
    assessment_id: uuid.UUID,
    stage: str,
    *,
    author: str = "",
    role: str = "",
    device_id: str = "",
    reason: str = "",
) -> Change:
    return _set_lock(session, assessment_id, stage, True, author=author, role=role, device_id=device_id,
                     reason=reason)


def unlock_stage(
    session: Session,
    assessment_id: uuid.UUID,
    stage: str,
    *,
    author: str = "",
    role: str = "",
    device_id: str = "",
    reason: str = "",
    day: date | None = None,
) -> Change:
    """Unlock a locked stage; after the stage's closing date (``services.schedule``) this also re-opens it
    for this assessment. Committee only, with a reason; audited."""
    from evaluator.services.schedule import reopen

    if role not in UNLOCK_ROLES:
        raise UserError("scores.unlock_committee_only")
    if not reason.strip():
        raise UserError("scores.unlock_needs_reason")
    change = _set_lock(session, assessment_id, stage, False, author=author, role=role, device_id=device_id,
                       reason=reason)
    return change.merge(reopen(session, _assessment(session, assessment_id, stage), stage, author=author,
                                 role=role, device_id=device_id, reason=reason, day=day))


def _set_lock(session: Session, assessment_id: uuid.UUID, stage: str, locked: bool, *, author: str,
              role: str, device_id: str, reason: str) -> Change:
    """Lock or unlock one stage, audited; nothing (an empty ``Change``) when it already is so."""
    a = _assessment(session, assessment_id, stage)
    if (stage in a.locked) == locked:
        return Change()
    old = sorted(a.locked)
    a.locked = a.locked | {stage} if locked else a.locked - {stage}
    audit.record(session, "stage.lock" if locked else "stage.unlock", author=author, role=role,
                 device_id=device_id, assessment_id=a.id, stage=stage, old={"locked": old},
                 new={"locked": sorted(a.locked)}, reason=reason)
    return Change(assessments={a.id}, audit=True, years={a.period.year})
