"""The audit log: writing an event (``record``, the one way every service adds one), reading it — who
changed what, when, from what to what, and why — filtered, and checking its hash chains
(``verify_chains``, ``chain_heads``: see ``models.audit_chain``)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, or_, select
from sqlalchemy.orm import Session

from evaluator.messages import say
from evaluator.models import Assessment, AuditEvent, Period, Unit
from evaluator.models.audit_chain import GAP, RECEIVED, UPGRADE, chain_heads, event_hash

__all__ = ["AnchorCheck", "AuditRow", "ChainBreak", "ChainReport", "ChainState", "actions", "chain_heads",
           "count_audit", "describe_state", "query_audit", "record", "verify_chains"]


def record(
    session: Session,
    action: str,
    *,
    author: str = "",
    role: str = "",
    device_id: str = "",
    assessment_id: uuid.UUID | None = None,
    criterion_code: str | None = None,
    stage: str | None = None,
    old: Any = None,
    new: Any = None,
    reason: str = "",
    time: datetime | None = None,
    id: uuid.UUID | None = None,
) -> AuditEvent:
    """Add one audit event to ``session`` and return it. It joins this file's hash chain when the session
    flushes (``models.audit_chain``'s before_flush hook), in the order the events were recorded; ``time``
    and ``id`` default to now and a new id there, so that the hash covers them."""
    event = AuditEvent(author=author, role=role, device_id=device_id, action=action,
                       assessment_id=assessment_id, criterion_code=criterion_code, stage=stage,
                       old=old, new=new, reason=reason)
    if time is not None:
        event.time = time
    if id is not None:
        event.id = id
    session.add(event)
    return event


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
    unit_code: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
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
    if unit_code:
        q = q.where(Unit.code == unit_code)
    if since is not None:  # [since, until): the caller turns a day range into these instants
        q = q.where(AuditEvent.time >= since)
    if until is not None:
        q = q.where(AuditEvent.time < until)
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
    unit_code: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = 1000,
    offset: int = 0,
) -> list[AuditRow]:
    """Events newest first (``offset``, ``limit``: a page of them). ``text`` matches unit code or name,
    criterion code, author or reason; ``unit_code`` one unit exactly; ``since``/``until`` a half-open
    time range; ``limit`` None: every event the filters select."""
    # columns, not ORM objects: a page of 2,000 events loads in a fifth of the time (no identity map, no
    # attribute instrumentation), which is most of the audit view's reload
    q = _filtered(
        select(AuditEvent.id, AuditEvent.time, AuditEvent.author, AuditEvent.role, AuditEvent.action,
               Unit.code, Unit.name, Period.year, AuditEvent.criterion_code, AuditEvent.stage, AuditEvent.old,
               AuditEvent.new, AuditEvent.reason).select_from(AuditEvent),
        assessment_id=assessment_id, criterion_code=criterion_code, year=year, action=action,
        author=author, text=text, unit_code=unit_code, since=since, until=until,
    )
    q = q.order_by(AuditEvent.time.desc(), AuditEvent.id).offset(offset).limit(limit)
    return [
        AuditRow(id_, time, author_, role, action_, code or "", name or "", y, criterion or "", stage or "",
                 old, new, reason)
        for id_, time, author_, role, action_, code, name, y, criterion, stage, old, new, reason
        in session.execute(q)
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
    unit_code: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> int:
    """How many events ``query_audit`` would give with these filters and no limit."""
    q = _filtered(
        select(func.count(AuditEvent.id)).select_from(AuditEvent),
        assessment_id=assessment_id, criterion_code=criterion_code, year=year, action=action,
        author=author, text=text, unit_code=unit_code, since=since, until=until,
    )
    return int(session.scalar(q) or 0)


def actions(session: Session) -> list[str]:
    return sorted(session.scalars(select(AuditEvent.action).distinct()).all())


# --- the hash chains (issue #10) ----------------------------------------------------------------------
CONTENT_CHANGED = "content changed"
EVENT_MISSING = "event missing"
ORDER_BROKEN = "order broken"
NOT_CHAINED = "not chained"
_LINK_NOTES = {GAP: "chain.link_gap", RECEIVED: "chain.link_received", UPGRADE: "chain.link_upgrade"}
_PROBLEMS = {CONTENT_CHANGED: "chain.content_changed", EVENT_MISSING: "chain.event_missing",
             ORDER_BROKEN: "chain.order_broken", NOT_CHAINED: "chain.not_chained"}
"""A break's problem (a fixed English word in the JSON) in words of the current language."""


@dataclass(frozen=True)
class ChainBreak:
    """The first event of a chain where the chain does not verify."""

    chain: str
    seq: int
    id: uuid.UUID
    time: datetime
    problem: str
    """``content changed``, ``event missing``, ``order broken`` or ``not chained``."""
    detail: str
    """In the language of the check."""

    def render(self) -> str:
        """In the current language."""
        problem = say(_PROBLEMS[self.problem]) if self.problem in _PROBLEMS else self.problem
        return say("chain.break", chain=self.chain or say("chain.none"), seq=self.seq, id=self.id,
                   time=f"{self.time:%Y-%m-%d %H:%M:%S}", problem=problem, detail=self.detail)


@dataclass
class ChainState:
    chain: str
    events: int = 0
    head_seq: int = 0
    head_hash: str = ""
    links: dict[str, int] = field(default_factory=dict)
    """How many events joined the chain otherwise than being written here (``models.audit_chain``)."""
    missing: int = 0
    """Events of an imported chain that never reached this project (its ``gap`` links)."""
    broken: ChainBreak | None = None


@dataclass(frozen=True)
class AnchorCheck:
    """Whether the log still extends a chain head recorded earlier (e.g. in signed minutes)."""

    chain: str
    seq: int
    hash: str
    extends: bool
    detail: str


@dataclass
class ChainReport:
    events: int = 0
    chains: list[ChainState] = field(default_factory=list)
    anchors: list[AnchorCheck] = field(default_factory=list)

    @property
    def broken(self) -> list[ChainBreak]:
        return [c.broken for c in self.chains if c.broken is not None]

    @property
    def intact(self) -> bool:
        return not self.broken and all(a.extends for a in self.anchors)

    def render(self) -> str:
        """In the current language."""
        lines = []
        for c in self.chains:
            notes = [say(_LINK_NOTES[k], count=n) for k, n in sorted(c.links.items())
                     if k in _LINK_NOTES and n]
            if c.missing:
                notes.append(say("chain.missing", count=c.missing))
            state = say("chain.state", chain=c.chain or say("chain.none"), events=c.events, seq=c.head_seq,
                        hash=c.head_hash[:16])
            if notes:
                state = say("chain.state_notes", state=state, notes="; ".join(notes))
            lines.append(state if c.broken is None else say("chain.state_broken", state=state))
        for b in self.broken:
            lines.append(say("chain.broken_line", what=b.render()))
        for a in self.anchors:
            lines.append(say("chain.head_kept" if a.extends else "chain.head_lost", chain=a.chain, seq=a.seq,
                             hash=a.hash[:16], detail=a.detail))
        n = sum(1 for c in self.chains if c.chain)
        if self.intact:
            lines.insert(0, say("chain.all_intact", events=self.events, chains=n))
        else:
            head = say("chain.some_broken", events=self.events, chains=n, broken=len(self.broken))
            lost = sum(not a.extends for a in self.anchors)
            lines.insert(0, say("chain.heads_lost", line=head, count=lost) if lost else head)
        return "\n".join(lines)

    def as_json(self) -> dict[str, Any]:
        def brk(b: ChainBreak | None) -> dict[str, Any] | None:
            return None if b is None else {"chain": b.chain, "seq": b.seq, "id": str(b.id),
                                           "time": b.time.isoformat(), "problem": b.problem,
                                           "detail": b.detail}

        return {
            "events": self.events,
            "intact": self.intact,
            "chains": [{"chain": c.chain, "events": c.events, "head_seq": c.head_seq,
                        "head_hash": c.head_hash, "links": c.links, "missing": c.missing,
                        "broken": brk(c.broken)} for c in self.chains],
            "anchors": [{"chain": a.chain, "seq": a.seq, "hash": a.hash, "extends": a.extends,
                         "detail": a.detail} for a in self.anchors],
        }


def verify_chains(session: Session | Connection,
                  anchor: Mapping[str, tuple[int, str]] | None = None) -> ChainReport:
    """Check every chain of the audit log, event by event; name the first broken event of each chain.

    ``anchor``: chain heads recorded earlier (``chain_heads`` at the time, e.g. in signed minutes): the
    report then also says, for each, whether the log still extends it — the one way to see that the
    last events of a chain were removed.
    """
    table: Any = AuditEvent.__table__
    report = ChainReport()
    state: ChainState | None = None
    prev_seq, prev_hash = 0, ""
    rows = session.execute(select(table).order_by(table.c.chain, table.c.seq, table.c.id)).mappings()
    by_seq: dict[tuple[str, int], str] = {}
    wanted = {(c, s) for c, (s, _h) in (anchor or {}).items()}
    for row in rows:
        report.events += 1
        chain, seq = row["chain"], row["seq"]
        if (chain, seq) in wanted:
            by_seq[(chain, seq)] = row["hash"]
        if state is None or state.chain != chain:
            state = ChainState(chain)
            report.chains.append(state)
            prev_seq, prev_hash = 0, ""
        state.events += 1
        state.head_seq, state.head_hash = seq, row["hash"]
        if row["link"]:
            state.links[row["link"]] = state.links.get(row["link"], 0) + 1
        if state.broken is not None:
            continue
        problem = _check_link(row, prev_seq, prev_hash, state)
        if problem is not None:
            state.broken = ChainBreak(chain, seq, row["id"], row["time"], *problem)
        prev_seq, prev_hash = seq, row["hash"]
    heads = {c.chain: c for c in report.chains}
    for chain, (seq, h) in sorted((anchor or {}).items()):
        report.anchors.append(_check_anchor(chain, seq, h, heads.get(chain), by_seq.get((chain, seq))))
    return report


def _check_link(row: Any, prev_seq: int, prev_hash: str,
                state: ChainState) -> tuple[str, str] | None:
    seq = row["seq"]
    if not row["chain"] or seq <= 0:
        return NOT_CHAINED, say("chain.detail_not_chained")
    if event_hash(row["prev_hash"], row) != row["hash"]:
        return CONTENT_CHANGED, say("chain.detail_edited")
    if seq == prev_seq:
        return ORDER_BROKEN, say("chain.detail_second", seq=seq)
    if seq > prev_seq + 1:
        if row["link"] == GAP:
            state.missing += seq - prev_seq - 1
            return None
        gone = f"#{prev_seq + 1}" + (f"–#{seq - 1}" if seq - 1 > prev_seq + 1 else "")
        return EVENT_MISSING, say("chain.detail_deleted", gone=gone)
    if row["prev_hash"] != prev_hash:
        what = say("chain.first_event") if seq == 1 else say("chain.event", seq=prev_seq)
        return ORDER_BROKEN, say("chain.detail_not_following", what=what)
    return None


def _check_anchor(chain: str, seq: int, h: str, state: ChainState | None, stored: str | None) -> AnchorCheck:
    if state is None or stored is None:
        have = say("chain.no_events") if state is None else say("chain.head_is", seq=state.head_seq)
        return AnchorCheck(chain, seq, h, False, say("chain.anchor_gone", seq=seq, have=have))
    if stored != h:
        return AnchorCheck(chain, seq, h, False, say("chain.anchor_replaced", seq=seq))
    if state.broken is not None and state.broken.seq <= seq:
        return AnchorCheck(chain, seq, h, False, say("chain.anchor_broken", at=state.broken.seq))
    return AnchorCheck(chain, seq, h, True, say("chain.anchor_extends", count=state.head_seq - seq))
