"""Score revision chains, concurrent edits (conflicts) and their resolution.

The state of one score (assessment × leaf × stage) is a pure function of its set of revisions (and of
the conflicts the committee resolved): the *heads* are the revisions no other revision builds on. One
head (or several with the same value) is the current value. Heads with different values are a conflict:
the score then shows the last value every side knew (the merge base; none if the sides never shared
one) and the conflict stays open until someone resolves it with a reason. Never resolved by time or by
who came last, so importing packages in any order gives the same scores and the same conflicts.
"""

from __future__ import annotations

import bisect
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.fields import FieldError, check_text
from evaluator.messages import labels
from evaluator.models import (
    Assessment,
    Conflict,
    Evidence,
    Period,
    Score,
    ScoreRevision,
    Unit,
    dumps_json,
    utcnow,
)
from evaluator.scoring import InputError, check_points
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.frameworks import framework_of
from evaluator.services.scores import REVISION_FIELDS, add_revision

RESOLVERS = ("committee",)
"""The roles that may settle a conflict (``resolve_conflict``); the GUI disables the action for others."""
CONFLICT_NAMESPACE = uuid.UUID("6f1d8a2e-3c1b-4f7e-9a55-0c2d3e4f5a6b")


@dataclass(frozen=True)
class Rev:
    """One revision as the merge sees it (between ``base`` and ``time``: ``scores.REVISION_FIELDS``)."""

    id: uuid.UUID
    revision: int
    base: uuid.UUID | None
    value: Any
    points: Decimal | None
    not_applicable: bool
    note: str
    author: str
    device_id: str
    time: datetime

    def content(self) -> tuple[Any, ...]:
        """What makes two values the same (notes and authors do not)."""
        points = None if self.points is None else Decimal(self.points).quantize(Decimal("0.01"))
        return (points, bool(self.not_applicable), dumps_json(self.value))

    @classmethod
    def of(cls, row: ScoreRevision) -> Rev:
        return cls(id=row.id, revision=row.revision, base=row.base_revision_id, time=row.time,
                   **{f: getattr(row, f) for f in REVISION_FIELDS})


@dataclass(frozen=True)
class ScoreState:
    heads: tuple[Rev, ...]
    """The concurrent latest revisions (sorted by id)."""
    conflict: bool
    base: Rev | None
    """The merge base when in conflict."""
    shown: Rev | None
    """What the score row shows: the head, or the merge base in a conflict (None: nothing agreed)."""

    def score_fields(self) -> dict[str, Any]:
        """Columns of the ``score`` row for this state."""
        last = max(self.heads, key=lambda r: (r.time, r.revision, r.id))
        top = max(r.revision for r in self.heads)
        if self.shown is None:
            return {
                "value": None,
                "points": None,
                "not_applicable": False,
                "note": "",
                "author": "",
                "device_id": "",
                "updated_at": last.time,
                "revision": top,
                "base_revision_id": None,
            }
        s = self.shown
        return {
            **{f: getattr(s, f) for f in REVISION_FIELDS},
            "updated_at": last.time if self.conflict else s.time,
            "revision": top if self.conflict else s.revision,
            "base_revision_id": s.base,
        }


def derive_state(revs: Mapping[uuid.UUID, Rev], superseded: Iterable[uuid.UUID] = ()) -> ScoreState:
    """The state of a score from all its revisions; ``superseded``: heads of resolved conflicts."""
    if not revs:
        raise ValueError("a score without revisions has no state")
    named = {r.base for r in revs.values() if r.base is not None} | set(superseded)
    heads = sorted((r for r in revs.values() if r.id not in named), key=lambda r: r.id)
    if not heads:  # a cycle (only a crafted package can make one): take the highest revisions
        top = max(r.revision for r in revs.values())
        heads = sorted((r for r in revs.values() if r.revision == top), key=lambda r: r.id)
    if len(heads) == 1 or len({h.content() for h in heads}) == 1:
        return ScoreState(tuple(heads), False, None, heads[0])
    base = merge_base(revs, heads)
    return ScoreState(tuple(heads), True, base, base)


def _chain(revs: Mapping[uuid.UUID, Rev], start: Rev) -> list[uuid.UUID]:
    out, seen = [], set()
    current: Rev | None = start
    while current is not None and current.id not in seen:
        seen.add(current.id)
        out.append(current.id)
        current = revs.get(current.base) if current.base is not None else None
    return out


def merge_base(revs: Mapping[uuid.UUID, Rev], heads: Iterable[Rev]) -> Rev | None:
    """The nearest revision that every head builds on (directly or not)."""
    chains = [_chain(revs, h) for h in heads]
    if not chains:
        return None
    common = set(chains[0]).intersection(*map(set, chains[1:]))
    for rid in chains[0]:
        if rid in common:
            return revs[rid]
    return None


def conflict_id(assessment_id: uuid.UUID, leaf: str, stage: str, heads: Iterable[Rev]) -> uuid.UUID:
    return conflict_id_of(assessment_id, leaf, stage, (h.id for h in heads))


def conflict_id_of(
    assessment_id: uuid.UUID, leaf: str, stage: str, head_ids: Iterable[uuid.UUID]
) -> uuid.UUID:
    """The id of the conflict between these heads: the same on every machine that sees them."""
    key = f"{assessment_id}|{leaf}|{stage}|" + ",".join(sorted(str(h) for h in head_ids))
    return uuid.uuid5(CONFLICT_NAMESPACE, key)


# --- queries ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class OpenConflict:
    id: uuid.UUID
    assessment_id: uuid.UUID
    year: int
    unit_code: str
    criterion_code: str
    stage: str


def unresolved_conflicts(session: Session, year: int) -> list[OpenConflict]:
    """The open conflicts of a year (results flag these leaves; minutes of these units cannot be signed)."""
    rows = session.execute(
        select(
            Conflict.id,
            Conflict.assessment_id,
            Period.year,
            Unit.code,
            Conflict.criterion_code,
            Conflict.stage,
        )
        .join(Assessment, Assessment.id == Conflict.assessment_id)
        .join(Period, Period.id == Assessment.period_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(Conflict.status == "open", Period.year == year)
        .order_by(Unit.code, Conflict.criterion_code, Conflict.stage)
    ).all()
    return [OpenConflict(*r) for r in rows]


def open_conflicts_of(session: Session, assessment_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """``criterion/stage`` of every open conflict, per assessment (for results and documents)."""
    ids = list(assessment_ids)
    out: dict[uuid.UUID, list[str]] = {}
    for i in range(0, len(ids), 500):
        rows = session.execute(
            select(Conflict.assessment_id, Conflict.criterion_code, Conflict.stage)
            .where(Conflict.assessment_id.in_(ids[i:i + 500]), Conflict.status == "open")
            .order_by(Conflict.criterion_code, Conflict.stage)
        ).all()
        for assessment_id, leaf, stage in rows:
            out.setdefault(assessment_id, []).append(f"{leaf}/{stage}")
    return out


def _revisions_of(session: Session, conflict: Conflict) -> tuple[Score, dict[uuid.UUID, Rev]]:
    score = session.scalars(
        select(Score).where(
            Score.assessment_id == conflict.assessment_id,
            Score.criterion_code == conflict.criterion_code,
            Score.stage == conflict.stage,
        )
    ).one()
    revs = {
        r.id: Rev.of(r)
        for r in session.scalars(select(ScoreRevision).where(ScoreRevision.score_id == score.id))
    }
    return score, revs


def value_json(rev: Rev) -> dict[str, Any]:
    return {
        "value_id": str(rev.id),
        "points": None if rev.points is None else float(rev.points),
        "not_applicable": bool(rev.not_applicable),
        "author": rev.author,
        "device": rev.device_id,
        "time": rev.time.isoformat(),
        "note": rev.note,
    }


def list_conflicts(
    session: Session, *, year: int | None = None, status: str | None = "open", unit: str | None = None
) -> list[dict[str, Any]]:
    """Conflicts as plain data (the JSON of ``evaluator conflicts list``): id, year, unit_code,
    criterion_code, stage and the competing values (value_id, points, not_applicable, author, device,
    time, note), sorted by unit, leaf and stage; values by time."""
    query = (
        select(Conflict, Period.year, Unit.code)
        .join(Assessment, Assessment.id == Conflict.assessment_id)
        .join(Period, Period.id == Assessment.period_id)
        .join(Unit, Unit.id == Assessment.unit_id)
    )
    if status is not None:
        query = query.where(Conflict.status == status)
    if year is not None:
        query = query.where(Period.year == year)
    if unit is not None:
        query = query.where(Unit.code == unit)
    out = []
    for conflict, y, code in session.execute(
        query.order_by(Unit.code, Conflict.criterion_code, Conflict.stage, Conflict.id)
    ).all():
        ids = {uuid.UUID(h) for h in conflict.head_ids}
        rows = session.scalars(select(ScoreRevision).where(ScoreRevision.id.in_(ids))).all()
        values = sorted((Rev.of(r) for r in rows), key=lambda r: (r.time, str(r.id)))
        item: dict[str, Any] = {
            "id": str(conflict.id),
            "year": y,
            "unit_code": code,
            "criterion_code": conflict.criterion_code,
            "stage": conflict.stage,
            "values": [value_json(v) for v in values],
        }
        if status != "open":
            item["status"] = conflict.status
        out.append(item)
    return out


# --- ids as people type them ---------------------------------------------------------------------
SHORT_ID = 8
"""Hex digits a printed id has at least (more when another id shares them)."""


def _hex(text: str) -> str:
    """An id or a prefix of one as typed: lower case, without dashes and surrounding blanks ('' when it
    holds anything but hex digits, so that it matches nothing)."""
    digits = text.strip().lower().replace("-", "")
    return digits if digits and all(c in "0123456789abcdef" for c in digits) else ""


def _shown(text: str, limit: int = 40) -> str:
    """What a user typed, for a message: quoted with escapes (control characters and lone surrogates
    cannot reach the terminal raw) and cut when long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def short_ids(ids: Iterable[str], minimum: int = SHORT_ID) -> dict[str, str]:
    """For each id (``str(uuid)``), its shortest prefix with at least ``minimum`` hex digits that no other
    id of ``ids`` starts with: a prefix of the id as printed in full, so it can be typed back as is
    (ids made within the same minute share their first 8 digits: version-7 UUIDs start with the time)."""
    full = list(dict.fromkeys(ids))
    ordered = sorted({_hex(i) for i in full})
    out = {}
    for ident in full:
        h = _hex(ident)
        k = bisect.bisect_left(ordered, h)
        shared = 0
        for other in ordered[max(k - 1, 0) : k + 2]:
            if other != h:
                n = 0
                while n < min(len(h), len(other)) and h[n] == other[n]:
                    n += 1
                shared = max(shared, n)
        want = min(max(minimum, shared + 1), len(h))
        digits = 0
        for end, ch in enumerate(ident, start=1):
            digits += ch != "-"
            if digits == want:
                out[ident] = ident[:end]
                break
        else:
            out[ident] = ident
    return out


def conflict_short_ids(session: Session, items: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Printed forms of the conflict and value ids of a ``list_conflicts`` listing: conflict ids unique
    among every conflict of the project (``find_conflict`` searches them all), value ids unique among the
    values listed (``--take`` searches the values of one conflict, a part of them)."""
    items = list(items)
    every = [str(c) for c in session.scalars(select(Conflict.id))]
    out = short_ids([*every, *(c["id"] for c in items)])
    out.update(short_ids(v["value_id"] for c in items for v in c["values"]))
    return out


def find_conflict(session: Session, ident: str) -> Conflict:
    """A conflict by its id (or a unique prefix of at least 6 hex digits, with or without dashes)."""
    wanted = _hex(ident)
    found = None
    if len(wanted) == 32:
        found = session.get(Conflict, uuid.UUID(wanted))
    elif len(wanted) >= 6:
        matches = [c for c in session.scalars(select(Conflict)) if c.id.hex.startswith(wanted)]
        if len(matches) > 1:
            listed = ", ".join(sorted(str(c.id) for c in matches)[:10])
            raise UserError("exchange.conflict_ambiguous", conflict=_shown(ident), count=len(matches),
                            listed=listed)
        found = matches[0] if matches else None
    if found is None:
        raise UserError("exchange.no_conflict", conflict=_shown(ident))
    return found


def parse_points(text: str, where: str = "--points") -> Decimal:
    """Points as typed (a decimal point or comma); a ``UserError`` naming ``where`` and the text when it
    is not a finite number with at most two decimals (the leaf's range is checked when resolving)."""
    shown = _shown(text)
    called = labels.Called("choice", "points", where)
    try:
        value = Decimal(text.strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise UserError("conflicts.not_a_number", where=called, shown=shown) from None
    return _checked_points(value, called, shown)


def _checked_points(value: Decimal, where: labels.Called, shown: str) -> Decimal:
    if not value.is_finite():
        raise UserError("conflicts.not_finite", where=where, shown=shown)
    if value.adjusted() > 6 or value < 0:  # no leaf is worth a million points: outside any [0, max]
        raise UserError("conflicts.points_range", where=where, shown=shown)
    if value != value.quantize(Decimal("0.01")):
        raise UserError("conflicts.two_decimals", where=where, shown=shown)
    return value


def resolve_conflict(
    session: Session,
    ident: str,
    *,
    take: str | None = None,
    points: Decimal | None = None,
    reason: str,
    author: str = "",
    device_id: str = "",
    role: str = "committee",
    names: Mapping[str, str] | None = None,
) -> Change:
    """Settle an open conflict by taking one of its values (``take``: a value id or a unique prefix) or
    by giving the points; a reason is required. Writes a revision that supersedes every competing value,
    updates the score and records an audit event. ``names``: what the caller calls ``take``, ``points``,
    ``reason`` and ``author`` in its refusals (the command line: its options; the GUI: the plain words).
    Only a role in ``RESOLVERS`` (the committee) may settle one."""
    if role not in RESOLVERS:  # the README: the committee decides; the secretary prepares, sees, not settles
        raise UserError("conflicts.committee_only", role=labels.role(role),
                        committee=labels.role("committee"))
    words = {"take": "value", "points": "points", "reason": "reason", "author": "author", **(names or {})}
    name = {key: labels.Called("choice", key, word) for key, word in words.items()}
    conflict = find_conflict(session, ident)
    if conflict.status != "open":
        raise UserError("conflicts.already_resolved", conflict=conflict.id,
                        at=f"{conflict.resolved_at:%Y-%m-%d %H:%M}", by=conflict.resolved_by or "—",
                        reason=conflict.reason)
    if not isinstance(reason, str) or not reason.strip():
        raise UserError("conflicts.reason_needed", reason=name["reason"])
    for field, text in (("reason", reason), ("author", author)):
        try:
            check_text(text, field)
        except FieldError as exc:
            raise UserError("conflicts.field_refused", name=name[field], error=exc.message) from None
    if (take is None) == (points is None):
        raise UserError("conflicts.take_or_points", take=name["take"], points=name["points"])
    if points is not None:
        points = _checked_points(Decimal(points), name["points"], _shown(str(points)))
    score, revs = _revisions_of(session, conflict)
    heads = [revs[uuid.UUID(h)] for h in conflict.head_ids if uuid.UUID(h) in revs]
    if take is not None:
        wanted = _hex(take)
        chosen = [h for h in heads if h.id.hex.startswith(wanted)] if wanted else []
        if len(chosen) > 1:
            listed = ", ".join(sorted(str(h.id) for h in chosen))
            raise UserError("conflicts.take_ambiguous", take=name["take"], shown=_shown(take),
                            count=len(chosen), conflict=conflict.id, listed=listed)
        if not chosen:
            listed = ", ".join(str(h.id) for h in heads)
            raise UserError("conflicts.take_unknown", shown=_shown(take), conflict=conflict.id, listed=listed)
        pick = chosen[0]
        new_value, new_points, new_na, note = pick.value, pick.points, pick.not_applicable, pick.note
        base: uuid.UUID | None = pick.id
    else:
        assessment = session.get(Assessment, conflict.assessment_id)
        assert assessment is not None and points is not None
        node = framework_of(assessment.criteria_set).nodes[conflict.criterion_code]
        try:
            check_points(node, assessment.unit.kind, points)
        except InputError as exc:
            raise UserError.from_error(exc) from exc
        new_value, new_points, new_na, note = None, points, False, reason.strip()
        base = min(heads, key=lambda h: h.id).id if heads else None
    now = utcnow()
    number = max([h.revision for h in heads] + [score.revision or 0]) + 1
    old = {"conflict": str(conflict.id), "values": [value_json(h) for h in heads]}
    fields = {"value": new_value, "points": new_points, "not_applicable": new_na, "note": note,
              "author": author, "device_id": device_id}
    rev = add_revision(session, score, fields, revision=number, base=base, time=now)
    conflict.status, conflict.resolved_at, conflict.resolved_by = "resolved", now, author
    conflict.reason, conflict.resolution_revision_id = reason.strip(), rev.id
    audit.record(
        session,
        "conflict.resolve",
        author=author,
        role=role,
        device_id=device_id,
        assessment_id=conflict.assessment_id,
        criterion_code=conflict.criterion_code,
        stage=conflict.stage,
        old=old,
        new={
            "value_id": str(rev.id),
            "taken": str(base) if take else None,
            "points": new_points,
            "not_applicable": new_na,
            "value": new_value,
        },
        reason=reason.strip(),
    )
    session.flush()
    assessment = session.get(Assessment, conflict.assessment_id)
    years = {assessment.period.year} if assessment is not None else set()
    return Change(
        assessments={conflict.assessment_id},
        leaves={(conflict.assessment_id, conflict.criterion_code)},
        audit=True,
        years=years,
    )


def conflict_detail(session: Session, ident: str) -> dict[str, Any]:
    """One conflict with what the committee needs to decide it side by side (the GUI's conflict view):
    the ``list_conflicts`` fields plus ``status``, ``unit_name``, ``criterion_title``, ``max`` (the leaf's
    max for the unit's kind), ``self`` (the unit's own score of the leaf: points, not_applicable, note,
    author; None when not scored), ``base`` (the value both sides last shared, or None), ``evidence`` (the
    leaf's files: file_name, sha256, size, stage, reference, added_by, added_at) and, once resolved,
    ``resolved_by``, ``resolved_at``, ``reason``."""
    conflict = find_conflict(session, ident)
    assessment = session.get(Assessment, conflict.assessment_id)
    assert assessment is not None
    node = framework_of(assessment.criteria_set).nodes.get(conflict.criterion_code)
    ids = {uuid.UUID(h) for h in conflict.head_ids}
    if conflict.base_revision_id is not None:
        ids.add(conflict.base_revision_id)
    revs = {r.id: Rev.of(r) for r in session.scalars(select(ScoreRevision).where(ScoreRevision.id.in_(ids)))}
    heads = sorted(
        (revs[uuid.UUID(h)] for h in conflict.head_ids if uuid.UUID(h) in revs),
        key=lambda r: (r.time, str(r.id)),
    )
    base = revs.get(conflict.base_revision_id) if conflict.base_revision_id is not None else None
    own = session.scalars(
        select(Score).where(
            Score.assessment_id == conflict.assessment_id,
            Score.criterion_code == conflict.criterion_code,
            Score.stage == "self",
        )
    ).first()
    evidence = session.scalars(
        select(Evidence)
        .where(
            Evidence.assessment_id == conflict.assessment_id,
            Evidence.criterion_code == conflict.criterion_code,
        )
        .order_by(Evidence.added_at, Evidence.file_name)
    ).all()
    mx = node.max_for(assessment.unit.kind) if node is not None else None
    return {
        "id": str(conflict.id),
        "status": conflict.status,
        "year": assessment.period.year,
        "unit_code": assessment.unit.code,
        "unit_name": assessment.unit.name,
        "criterion_code": conflict.criterion_code,
        "criterion_title": node.title if node is not None else "",
        "max": None if mx is None else float(mx),
        "stage": conflict.stage,
        "values": [value_json(v) for v in heads],
        "base": None if base is None else value_json(base),
        "self": None
        if own is None or (own.points is None and not own.not_applicable)
        else {
            "points": None if own.points is None else float(own.points),
            "not_applicable": bool(own.not_applicable),
            "note": own.note or "",
            "author": own.author or "",
        },
        "evidence": [
            {
                "file_name": e.file_name,
                "sha256": e.sha256,
                "size": e.size,
                "stage": e.stage,
                "reference": e.reference,
                "added_by": e.added_by,
                "added_at": e.added_at.isoformat(),
            }
            for e in evidence
        ],
        "resolved_by": conflict.resolved_by or "",
        "resolved_at": conflict.resolved_at.isoformat() if conflict.resolved_at else None,
        "reason": conflict.reason or "",
    }
