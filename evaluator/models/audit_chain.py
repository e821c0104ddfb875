"""The tamper-evident audit log: every audit event is a link of a hash chain (issue #10).

Chains. Every project file has its own device (``Device`` row with ``local_key``, see ``local_device``);
every event written in the file is appended to that device's chain: ``chain`` = the device id, ``seq``
= 1, 2, 3 ... in insertion order. Events imported from team packages keep the chain (and seq and hashes)
they were written in on the other laptop. Events stored before schema 0005 were chained by the upgrade,
one chain ``upgrade:<device_id>`` per device label, in (time, id) order; those chain names are this
file's own, so such events travel in packages without chain data. The chain is not keyed by the event's
``device_id``: that is a free label ("cli", "import", a user's setting, '') that many files share.

Hash. ``hash = sha256(prev_hash + content)`` (hex), where ``prev_hash`` is the hash of the previous event
of the chain ('' for seq 1) and ``content`` the canonical JSON (``content_json``) of the event's content
fields: id, time (UTC), author, role, device_id, action, target (assessment, criterion, stage), old, new,
reason. Changing any of them, or deleting, inserting or reordering an event, breaks the chain at that
event. This is a frozen format: packages and stored projects carry these hashes.

What the chain cannot show by itself: the removal of the *last* events of a chain (the rest still links
up) — that needs an anchor, the chain head (``chain_heads``) recorded elsewhere, e.g. in signed minutes.

``link`` says how an event joined its chain: '' written here, or imported linked to its predecessor;
``gap`` imported, the previous event(s) of its chain never reached this project (a package carries only
the chosen units' events); ``received`` imported from a package without chain data (an older program) or
whose target had to be remapped, chained on arrival into this file's chain; ``upgrade`` chained by the
upgrade to schema 0005 (the chain vouches for it only since then).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import socket
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, event, func, insert, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm import attributes as orm_attributes

from evaluator.models.exchange_schema import Device
from evaluator.models.project import hold_writer_lock
from evaluator.models.schema import AuditEvent, _json_default, new_id, new_ids, utcnow

LINKED, GAP, RECEIVED, UPGRADE = "", "gap", "received", "upgrade"
LINKS = (LINKED, GAP, RECEIVED, UPGRADE)
UPGRADE_PREFIX = "upgrade:"
CONTENT_FIELDS = ("id", "time", "author", "role", "device_id", "action", "assessment_id", "criterion_code",
                  "stage", "old", "new", "reason")
CHAIN_FIELDS = ("chain", "seq", "prev_hash", "hash", "link")
COLUMNS = CONTENT_FIELDS + CHAIN_FIELDS
_TEXT_DEFAULTS = ("author", "role", "device_id", "reason")
_table: Any = AuditEvent.__table__
_HASH = re.compile(r"[0-9a-f]{64}")
# ``schema.dumps_json``'s encoding, made once (``json.dumps`` with options builds an encoder per call)
_ENCODE = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                           default=_json_default).encode


# --- hashing ----------------------------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    """A JSON value that ``dumps_json`` writes as it writes the value read back from the column (stored with
    ``dumps_json``, read with ``loads_json``, whose numbers with a fraction are ``Decimal``): so that it
    hashes the same before it is stored, after, and after a trip through a package. Only floats differ
    (``2.0`` is written ``2.0``, its ``Decimal`` read back ``2``); a walk costs far less than a round trip."""
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, float) and math.isfinite(value):
        return Decimal(repr(value))
    return value


def content_json(e: Mapping[str, Any]) -> str:
    """The canonical JSON of an event's content fields (a mapping with the ``CONTENT_FIELDS``): an array
    in the order of ``CONTENT_FIELDS`` (an array, not an object: encoding it costs a third less, and the
    import hashes every incoming event) — id and assessment id as UUID text, time as UTC ISO 8601, missing
    texts as '', old and new as ``dumps_json`` writes them (compact, keys sorted)."""
    t = e["time"]
    if not isinstance(t, datetime) or t.tzinfo is None:
        raise ValueError(f"audit event {e.get('id')}: naive datetime {t!r}: give a timezone-aware time "
                         "(e.g. datetime.now(UTC))")
    a_id = e.get("assessment_id")
    return _ENCODE([
        str(e["id"]),
        (t if t.tzinfo is UTC else t.astimezone(UTC)).isoformat(),
        e.get("author") or "",
        e.get("role") or "",
        e.get("device_id") or "",
        e["action"],
        None if a_id is None else str(a_id),
        e.get("criterion_code"),
        e.get("stage"),
        _json_value(e.get("old")),
        _json_value(e.get("new")),
        e.get("reason") or "",
    ])


def event_hash(prev_hash: str, e: Mapping[str, Any]) -> str:
    return hashlib.sha256((prev_hash + content_json(e)).encode("utf-8")).hexdigest()


def is_hash(value: Any) -> bool:
    return isinstance(value, str) and _HASH.fullmatch(value) is not None


# --- this file's device and the heads ---------------------------------------------------------------
def device_key(url: URL) -> str:
    """``host:project`` naming this computer's device for the project at ``url`` (``Device.local_key``):
    a copy of the file on another laptop, or at another path, is another device."""
    host = socket.gethostname() or "localhost"
    target = url.database if url.get_backend_name() == "sqlite" and url.database \
        and url.database != ":memory:" and not url.database.startswith("file:") else url
    return f"{host}:{target}"[:500]


def local_device(conn: Connection) -> str:
    """The device id of this computer for the project ``conn`` is connected to (created on first use)."""
    key = device_key(conn.engine.url)
    query = select(Device.device_id).where(Device.local_key == key).limit(1)
    found = conn.scalar(query)
    if found is not None:
        return found
    # none yet: look again under the writer lock (PostgreSQL), or two programs starting at once on one
    # server database would each add this computer's row
    hold_writer_lock(conn)
    found = conn.scalar(query)
    if found is not None:
        return found
    host = socket.gethostname() or "localhost"
    device_id = f"{host[:40]}-{uuid.uuid4().hex[:12]}"
    now = utcnow()
    conn.execute(insert(Device).values(id=new_id(), device_id=device_id, local_key=key, label=host[:200],
                                       first_seen=now, last_seen=now))
    return device_id


def head(conn: Connection, chain: str) -> tuple[int, str]:
    """(seq, hash) of the last event of ``chain``, (0, '') when it has none."""
    row = conn.execute(select(_table.c.seq, _table.c.hash).where(_table.c.chain == chain)
                       .order_by(_table.c.seq.desc()).limit(1)).first()
    return (0, "") if row is None else (int(row[0]), str(row[1]))


def chain_heads(conn: Connection | Session) -> dict[str, tuple[int, str]]:
    """The current head of every chain of the project: chain (device id) -> (seq, hash) of its last event.

    Record it where the log cannot reach (signed minutes); ``services.audit.verify_chains(anchor=...)``
    later says whether the log still extends it (the last events of a chain cannot be removed unseen)."""
    last = (select(_table.c.chain, func.max(_table.c.seq).label("seq"))
            .where(_table.c.seq > 0).group_by(_table.c.chain).subquery())
    q = select(_table.c.chain, _table.c.seq, _table.c.hash).join(
        last, (last.c.chain == _table.c.chain) & (last.c.seq == _table.c.seq))
    return {str(c): (int(s), str(h)) for c, s, h in conn.execute(q)}


# --- appending ----------------------------------------------------------------------------------------
def chained_rows(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a bulk (Core) insert of audit events, with the chain filled in: the one way such rows are
    made (the ORM's are chained by the ``before_flush`` hook below).

    A row with a ``chain`` key keeps its chain fields (an imported event, checked by the caller); every
    other row gets ``id`` and ``time`` when it has none and is appended to this file's chain, in the order
    given (its ``link`` is kept if it has one, e.g. ``received``). Returns dicts with exactly ``COLUMNS``.
    """
    out: list[dict[str, Any]] = []
    local: list[dict[str, Any]] = []
    for r in rows:
        row = {c: r.get(c) for c in COLUMNS}
        for c in _TEXT_DEFAULTS:
            if row[c] is None:
                row[c] = ""
        if row["link"] is None:
            row["link"] = LINKED
        if r.get("chain") is None:
            local.append(row)
        out.append(row)
    if local:
        ids = iter(new_ids(sum(1 for row in local if row["id"] is None)))
        now = utcnow()
        for row in local:
            if row["id"] is None:
                row["id"] = next(ids)
            if row["time"] is None:
                row["time"] = now
        _append(conn, local)
    return out


def _append(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    """Give ``rows`` (content complete) the next places of this file's chain.

    The head is read once, in the writing transaction. That is safe against a concurrent writer because
    every session that adds events holds the project's write lock from its start (SQLite: ``BEGIN
    IMMEDIATE``, ``Project.session(write=True)``); a session that did not would fail on its first write
    (SQLite refuses to upgrade a stale read snapshot), on PostgreSQL it takes the lock here, and on any
    database the unique index on (chain,
    seq) refuses a second event at the same place rather than letting the chain fork.
    """
    hold_writer_lock(conn)  # on PostgreSQL: before the head is read (readers there never wait)
    chain = local_device(conn)
    seq, prev = head(conn, chain)
    for row in rows:
        seq += 1
        row["chain"], row["seq"], row["prev_hash"] = chain, seq, prev
        prev = row["hash"] = event_hash(prev, row)


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    """Chain the new ``AuditEvent`` objects of a flush, in the order they were added to the session."""
    new = [o for o in session.new if isinstance(o, AuditEvent) and o.chain is None]
    if not new:
        return
    new.sort(key=lambda o: orm_attributes.instance_state(o).insert_order or 0)
    rows = []
    for o in new:
        # the column defaults are applied only by the INSERT: set them now, the hash covers them
        if o.id is None:
            o.id = new_id()
        if o.time is None:
            o.time = utcnow()
        for c in _TEXT_DEFAULTS:
            if getattr(o, c) is None:
                setattr(o, c, "")
        if o.assessment_id is None and o.assessment is not None:
            if o.assessment.id is None:
                o.assessment.id = new_id()
            o.assessment_id = o.assessment.id
        rows.append({c: getattr(o, c) for c in CONTENT_FIELDS})
    _append(session.connection(), rows)
    for o, row in zip(new, rows, strict=True):
        o.chain, o.seq, o.prev_hash, o.hash = row["chain"], row["seq"], row["prev_hash"], row["hash"]
        if o.link is None:
            o.link = LINKED


event.listen(Session, "before_flush", _before_flush)


# --- importing other devices' chains ------------------------------------------------------------------
Problem = tuple[dict[str, Any], str]


def plan_imported(conn: Connection, events: Sequence[dict[str, Any]]) -> tuple[list[Problem], list[Any]]:
    """Fit imported events (with their ``chain``, ``seq``, ``prev_hash``, ``hash``; their own hashes
    already checked) into the chains stored here. Sets each event's ``link``; returns the problems
    (event, what is wrong) and the ids of stored events whose missing predecessor is among ``events``
    (their ``gap`` link is to be closed).

    A package carries only the events of the units and years it was made for, so a chain may arrive with
    holes: an event whose predecessor is neither here nor in the import is accepted with ``link = 'gap'``
    (``verify`` then reports those events as not received, not as deleted). Refusing such packages would
    refuse every partial export; a hole made by editing data.json is the package's own hashes' (and
    signature's) to catch. What is refused is what cannot be one chain: an event that does not follow its
    predecessor, the first event with a predecessor, two events at one place.
    """
    problems: list[Problem] = []
    filled: list[Any] = []
    by_chain: dict[str, dict[int, dict[str, Any]]] = {}
    for e in events:
        places = by_chain.setdefault(e["chain"], {})
        other = places.get(e["seq"])
        if other is not None and other["id"] != e["id"]:
            problems.append((e, f"order broken: event {other['id']} is at #{e['seq']} of that chain too"))
            continue
        places[e["seq"]] = e
    for chain, incoming in by_chain.items():
        wanted = sorted({n + d for n in incoming for d in (-1, 0, 1) if n + d > 0})
        stored: dict[int, tuple[Any, str, str, str]] = {}
        for i in range(0, len(wanted), 500):
            stored.update((r[0], (r[1], r[2], r[3], r[4])) for r in conn.execute(
                select(_table.c.seq, _table.c.id, _table.c.hash, _table.c.prev_hash, _table.c.link)
                .where(_table.c.chain == chain, _table.c.seq.in_(wanted[i:i + 500]))))
        for n, e in sorted(incoming.items()):
            if n in stored:
                problems.append((e, f"order broken: #{n} of that chain is another event here "
                                    f"({stored[n][0]})"))
                continue
            before = incoming.get(n - 1)
            prev = before["hash"] if before is not None else stored[n - 1][1] if n - 1 in stored else None
            if n == 1 and e["prev_hash"] != "":
                problems.append((e, "order broken: the first event of a chain follows no other"))
            elif prev is not None and prev != e["prev_hash"]:
                problems.append((e, f"order broken: it does not follow #{n - 1} of that chain"))
            e["link"] = LINKED if n == 1 or prev is not None else GAP
            after = stored.get(n + 1)
            if after is not None and after[3] == GAP:
                if after[2] != e["hash"]:
                    problems.append((e, f"order broken: #{n + 1} of that chain, stored here, does not "
                                        "follow it"))
                else:
                    filled.append(after[0])
    return problems, filled
