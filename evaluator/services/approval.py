"""The chair's approval of a unit's final result (chốt điểm, issue 14) and the unit's status from start to
publication.

An approval stores who, when, in which role, and a fingerprint: the sha256 of a canonical form of every
leaf's final value, points, not-applicable flag and reason. Whatever changes one of them later — an edit, a
package or workbook import, a conflict resolved — gives another fingerprint, so the approval is *stale*
(cần phê duyệt lại) without every writer having to remember to revoke it. Documents that present the result
as final call ``require_approved``.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import Framework
from evaluator.messages import Message, labels
from evaluator.models import Approval, Assessment, AuditEvent, Period, Score, Submission, Unit, dumps_json
from evaluator.scoring import Entry
from evaluator.scoring.unit import final_entry, group_entries
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.frameworks import framework_of

APPROVE_ROLES = frozenset({"committee"})
"""The chair acts in the committee role."""
APPROVAL_STATUSES = ("approved", "stale", "missing")
UNIT_STATUSES: tuple[str, ...] = ("not_started", "self_assessing", "submitted", "appraising", "explanation",
                                  "reappraisal", "approved", "published")
"""A unit's way from start to publication (``unit_statuses``)."""
PUBLISHED_ACTION = "publication.issue"
"""The audit action ``documents.produce`` records when it writes the year's publication as final."""


@dataclass(frozen=True)
class ApprovalState:
    status: str
    """``approved`` (the values are those approved), ``stale`` (changed since: cần phê duyệt lại) or
    ``missing``."""
    by: str = ""
    role: str = ""
    at: datetime | None = None

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "by": self.by or None, "role": self.role or None,
                "at": None if self.at is None else self.at.isoformat()}


def _number(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


_SCORE_COLUMNS = (Score.assessment_id, Score.criterion_code, Score.stage, Score.value, Score.points,
                  Score.not_applicable, Score.note)
"""What a fingerprint reads, as plain rows (loading ORM objects made a year's states take seconds)."""


def _fingerprint(fw: Framework, kind: str, scores: Iterable[Any]) -> str:
    rows = {(s.criterion_code, s.stage): s for s in scores}
    entries = []
    for s in rows.values():
        relative = s.value.get("value") if isinstance(s.value, dict) else None
        entries.append(Entry(s.criterion_code, s.stage, s.points,
                             Decimal(str(relative)) if isinstance(relative, int | float | Decimal) else None,
                             bool(s.not_applicable)))
    by_leaf = group_entries(entries)
    canonical: list[list[Any]] = []
    for node in fw.leaves(kind):
        entry = final_entry(node, by_leaf.get(node.code, {}))
        if entry is None:
            canonical.append([node.code, None])
            continue
        score = rows[(node.code, entry.stage)]
        canonical.append([node.code, entry.stage, score.value, _number(score.points),
                          bool(score.not_applicable), (score.note or "").strip()])
    return hashlib.sha256(dumps_json(canonical).encode("utf-8")).hexdigest()


def fingerprint(session: Session, assessment: Assessment) -> str:
    """sha256 over the canonical form of every leaf's final value, points, not-applicable flag and reason."""
    scores = session.execute(select(*_SCORE_COLUMNS).where(Score.assessment_id == assessment.id)).all()
    return _fingerprint(framework_of(assessment.criteria_set), assessment.unit.kind, scores)


def assessment_of(session: Session, year: int, unit_code: str) -> Assessment:
    a = session.scalars(select(Assessment).join(Unit, Unit.id == Assessment.unit_id)
                        .join(Period, Period.id == Assessment.period_id)
                        .where(Period.year == year, Unit.code == unit_code)).first()
    if a is None:
        raise UserError("approval.no_assessment", unit=unit_code, year=year)
    return a


def approve(session: Session, year: int, unit_code: str, *, author: str = "", role: str = "",
            device_id: str = "") -> Change:
    """Approve the unit's current final values; audited. Refused to any role but the committee's and while
    a conflict of the unit is open (its final value is not decided)."""
    from evaluator.services.conflicts import open_conflicts_of

    if role not in APPROVE_ROLES:
        raise UserError("approval.committee_only", role=labels.role(role) if role else "—")
    a = assessment_of(session, year, unit_code)
    conflicts = open_conflicts_of(session, [a.id]).get(a.id, [])
    if conflicts:
        raise UserError("approval.open_conflicts", unit=unit_code, conflicts=", ".join(conflicts))
    digest = fingerprint(session, a)
    current = latest_approval(session, a.id)
    if current is not None and current.fingerprint == digest:
        return Change()
    # The stored ``Assessment.status`` is left alone: it would keep saying "approved" after a later change;
    # the approval's state (approved / stale) is derived from the fingerprint whenever it is shown.
    session.add(Approval(assessment_id=a.id, approved_by=author, role=role, fingerprint=digest))
    audit.record(session, "assessment.approve", author=author, role=role, device_id=device_id,
                 assessment_id=a.id, old={"fingerprint": None if current is None else current.fingerprint},
                 new={"fingerprint": digest})
    return Change(assessments={a.id}, audit=True, years={year})


def latest_approval(session: Session, assessment_id: uuid.UUID) -> Approval | None:
    return session.scalars(select(Approval).where(Approval.assessment_id == assessment_id)
                           .order_by(Approval.approved_at.desc(), Approval.id)).first()


def approval_state(session: Session, assessment: Assessment) -> ApprovalState:
    row = latest_approval(session, assessment.id)
    if row is None:
        return ApprovalState("missing")
    status = "approved" if row.fingerprint == fingerprint(session, assessment) else "stale"
    return ApprovalState(status, row.approved_by, row.role, row.approved_at)


def approval_states(session: Session, year: int) -> dict[str, ApprovalState]:
    """Every unit's approval state in ``year``, by unit code (one query for the scores of the year)."""
    pairs = session.execute(select(Assessment, Unit).join(Unit, Unit.id == Assessment.unit_id)
                            .join(Period, Period.id == Assessment.period_id).where(Period.year == year)).all()
    latest: dict[uuid.UUID, Approval] = {}
    for found in session.scalars(select(Approval).where(Approval.assessment_id.in_([a.id for a, _u in pairs]))
                               .order_by(Approval.approved_at, Approval.id)).all():
        latest[found.assessment_id] = found  # the newest wins
    scores: dict[uuid.UUID, list[Any]] = {}
    approved_ids = list(latest)
    for i in range(0, len(approved_ids), 500):
        for s in session.execute(select(*_SCORE_COLUMNS)
                                 .where(Score.assessment_id.in_(approved_ids[i:i + 500]))).all():
            scores.setdefault(s.assessment_id, []).append(s)
    out = {}
    for a, u in pairs:
        row = latest.get(a.id)
        if row is None:
            out[u.code] = ApprovalState("missing")
            continue
        digest = _fingerprint(framework_of(a.criteria_set), u.kind, scores.get(a.id, []))
        out[u.code] = ApprovalState("approved" if digest == row.fingerprint else "stale", row.approved_by,
                                    row.role, row.approved_at)
    return out


def require_approved(session: Session, year: int, unit_codes: Iterable[str]) -> None:
    """Refuse (``UserError`` naming the units) when one of ``unit_codes`` has no approval or a stale one: what
    every document presenting the result as final calls before it is written."""
    states = approval_states(session, year)
    unit_codes = list(unit_codes)
    stale = sorted(c for c in unit_codes if c in states and states[c].status == "stale")
    missing = sorted(c for c in unit_codes if c not in states or states[c].status == "missing")
    if not stale and not missing:
        return
    if stale and missing:
        detail = Message("approval.both", {"stale": ", ".join(stale), "missing": ", ".join(missing)})
    elif stale:
        detail = Message("approval.stale_units", {"units": ", ".join(stale)})
    else:
        detail = Message("approval.missing_units", {"units": ", ".join(missing)})
    raise UserError("approval.required", year=year, units=detail)


def record_publication(session: Session, year: int, unit_codes: Iterable[str], *, author: str = "",
                       role: str = "", device_id: str = "", file_name: str = "") -> None:
    """Note in the audit log that the year's publication was issued as final for these units (their status
    becomes ``published``)."""
    audit.record(session, PUBLISHED_ACTION, author=author, role=role, device_id=device_id,
                 new={"year": year, "units": sorted(unit_codes), "file": file_name})


def unit_statuses(session: Session, year: int,
                  approvals: dict[str, ApprovalState] | None = None) -> dict[str, str]:
    """Each unit's status in ``year`` (``UNIT_STATUSES``), derived from the data: a current approval, then
    published when the publication was issued after it; else the furthest stage with values (round 2 →
    re-appraisal, explanation, round 1 → appraising), a submission, self scores, or nothing yet."""
    approvals = approval_states(session, year) if approvals is None else approvals
    pairs = session.execute(select(Assessment.id, Unit.code).join(Unit, Unit.id == Assessment.unit_id)
                            .join(Period, Period.id == Assessment.period_id).where(Period.year == year)).all()
    filled = (Score.points.is_not(None)) | Score.not_applicable | Score.value.is_not(None)
    stages: dict[uuid.UUID, set[str]] = {}
    for a_id, stage in session.execute(
            select(Score.assessment_id, Score.stage).distinct()
            .join(Assessment, Assessment.id == Score.assessment_id)
            .join(Period, Period.id == Assessment.period_id).where(Period.year == year, filled)).all():
        stages.setdefault(a_id, set()).add(stage)
    submitted = set(session.scalars(select(Submission.assessment_id)
                                    .join(Assessment, Assessment.id == Submission.assessment_id)
                                    .join(Period, Period.id == Assessment.period_id)
                                    .where(Period.year == year)).all())
    published: dict[str, datetime] = {}
    for event in session.scalars(select(AuditEvent).where(AuditEvent.action == PUBLISHED_ACTION)
                                 .order_by(AuditEvent.time)).all():
        data = event.new if isinstance(event.new, dict) else {}
        if data.get("year") == year:
            for code in data.get("units") or ():
                published[str(code)] = event.time
    out = {}
    for a_id, code in pairs:
        state = approvals.get(code, ApprovalState("missing"))
        have = stages.get(a_id, set())
        if state.status == "approved":
            issued = published.get(code)
            out[code] = "published" if issued is not None and state.at is not None and issued >= state.at \
                else "approved"
        elif "appraisal2" in have:
            out[code] = "reappraisal"
        elif "explanation" in have:
            out[code] = "explanation"
        elif "appraisal1" in have:
            out[code] = "appraising"
        elif a_id in submitted:
            out[code] = "submitted"
        elif "self" in have:
            out[code] = "self_assessing"
        else:
            out[code] = "not_started"
    return out
