"""The project database: SQLAlchemy 2 ORM models (they describe the schema at the Alembic head).

Portable SQL only (SQLite is the one tested; PostgreSQL is kept in reach). Every table has a UUID
primary key (stable across laptops, for merging offline work) and, where the domain has one, a natural
key with a unique constraint (unit code, period year, criteria-set code + version, ...) that finds
probable duplicates the UUIDs miss.

Column conventions:
- times are timezone-aware UTC ``datetime`` (:class:`UTCDateTime`); naive datetimes are refused;
- ``*_json``-like columns (score values, audit old/new, settings, import summaries) use
  :class:`JSONText`: assign plain Python data, read it back; numbers with a fraction come back as
  ``Decimal``. Assign a new object to change one (in-place mutation is not tracked);
- points are ``Numeric(8, 2)`` and read back as ``Decimal`` with two places; values with more than two
  decimals are refused instead of being rounded silently.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy import text as sql_text
from sqlalchemy.orm import DeclarativeBase, Mapped, MappedColumn, mapped_column, relationship, validates
from sqlalchemy.types import TypeDecorator

from evaluator.errors import Coded
from evaluator.frameworks.loader import FrameworkInvalid, canonical_json, parse_framework
from evaluator.frameworks.model import STAGES, Framework
from evaluator.messages import labels

CENT = Decimal("0.01")

ASSESSMENT_STATUSES: tuple[str, ...] = (
    "self_assessment",
    "submitted",
    "appraisal1",
    "explanation",
    "appraisal2",
    "approved",
)
UNIT_KINDS: tuple[str, ...] = ("department", "district", "commune")


class _KindOrder(Mapping[str, int]):
    """Where each kind is listed: departments, then districts, then communes, then the kinds criteria sets
    declare, in the order they were read (``messages.labels.declared_kinds``); live, as sets are read."""

    def _order(self) -> tuple[str, ...]:
        return (*UNIT_KINDS, *(k for k in labels.declared_kinds() if k not in UNIT_KINDS))

    def __getitem__(self, kind: str) -> int:
        order = self._order()
        if kind not in order:
            raise KeyError(kind)
        return order.index(kind)

    def __iter__(self) -> Iterator[str]:
        return iter(self._order())

    def __len__(self) -> int:
        return len(self._order())


KIND_ORDER: Mapping[str, int] = _KindOrder()
"""Where each kind is listed (documents, lists): see ``_KindOrder``."""


class ProjectError(Coded):
    """A project file or its stored data cannot be used; the message (``project.*``) is meant for people.
    Not a ``UserError``: the services decide which of these a person can act on."""


class ProjectBusy(ProjectError):
    """Another program or task held the project's write lock for longer than the busy timeout."""


class CriteriaSetCorrupt(ProjectError):
    """A stored criteria set no longer matches its SHA-256 fingerprint."""


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


_COUNTER_BITS = 42  # RFC 9562 §6.2 method 1: the 12 bits of rand_a and the top 30 of rand_b
_RANDOM_BITS = 32  # the rest of rand_b


def _v7_parts(n: int) -> tuple[int, int, int]:
    """(first counter value, the bits of the ids outside the counter, random tail) for ``n`` version 7
    UUIDs: 48 bits time | 4 version | 12 counter | 2 variant | 30 counter | 32 random."""
    seed = int.from_bytes(os.urandom(12), "big")
    counter = seed >> (96 - _COUNTER_BITS + 1)  # random start with its top bit clear (room to count)
    if counter + n >= 1 << _COUNTER_BITS:
        raise ValueError(f"too many ids at once: {n}")
    tail = seed & ((1 << _RANDOM_BITS) - 1)
    stamp = (time.time_ns() // 1_000_000) & ((1 << 48) - 1)
    return counter, (stamp << 80) | (0x7 << 76) | (0b10 << 62) | tail, tail


def new_ids(n: int) -> list[uuid.UUID]:
    """``n`` fresh ids for a bulk insert: version 7 UUIDs (RFC 9562: Unix time in milliseconds, then a
    counter that starts at a random value, then random bits), as unique across laptops as ``uuid4`` and in
    ascending order, so that inserting many rows appends to the primary-key index instead of scattering
    writes over it. Much cheaper than ``n`` calls of ``uuid.uuid4`` (one ``os.urandom`` call in all)."""
    if n <= 0:
        return []
    first, head, _tail = _v7_parts(n)
    make = uuid.UUID
    return [make(int=head | ((c >> 30) << 64) | ((c & 0x3FFFFFFF) << 32)) for c in range(first, first + n)]


def new_hex_ids(n: int) -> list[str]:
    """``new_ids(n)`` as 32 lower-case hex digits each (``UUID.hex``), without making ``UUID`` objects:
    what a ``Uuid`` column takes on SQLite, where the many ids of a bulk insert are passed as they are."""
    if n <= 0:
        return []
    first, head, tail = _v7_parts(n)
    top = f"{head >> 80:012x}7"  # time and version: the same for all
    end = f"{tail:08x}"
    out: list[str] = []
    c = first
    while c < first + n:  # runs of ids with the same upper 12 counter bits
        hi, lo = c >> 30, c & 0x3FFFFFFF
        run = min(first + n - c, (1 << 30) - lo)
        prefix = f"{top}{hi:03x}"
        out += [f"{prefix}{m:08x}{end}" for m in range((0b10 << 30) | lo, (0b10 << 30) | (lo + run))]
        c += run
    return out


# --- column types ---------------------------------------------------------------------------------
class UTCDateTime(TypeDecorator[datetime]):
    """``DateTime(timezone=True)`` that always stores UTC and always returns aware UTC datetimes.

    SQLite keeps no offset, so values are converted to UTC before they are written.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(f"naive datetime {value!r}: give a timezone-aware time (e.g. datetime.now(UTC))")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            return int(value)
        as_float = float(value)
        if Decimal(repr(as_float)) == value:
            return as_float
        raise TypeError(f"the number {value} cannot be stored exactly in JSON")
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    raise TypeError(f"cannot store {type(value).__name__} as JSON")


def dumps_json(value: Any) -> str:
    """Compact, key-sorted JSON text (Decimals as numbers, UUIDs and datetimes as strings)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=_json_default)


def loads_json(text: str) -> Any:
    """JSON text back to Python data; numbers with a fraction become ``Decimal``."""
    return json.loads(text, parse_float=Decimal)


class JSONText(TypeDecorator[Any]):
    """A JSON value stored as ``Text`` (portable, human-readable). ``None`` is SQL NULL."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        return None if value is None else dumps_json(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> Any:
        return None if value is None else loads_json(value)


def _points(key: str, value: Any) -> Decimal | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{key}: {value!r} is not a number")
    try:
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"{key}: {value!r} is not a number") from exc
    if not number.is_finite() or number != number.quantize(CENT):
        raise ValueError(f"{key}: {value!r} is not a number with at most two decimals")
    return number.quantize(CENT)


# --- base -------------------------------------------------------------------------------------------
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _id() -> MappedColumn[Any]:
    return mapped_column(Uuid, primary_key=True, default=new_id)


def _time(*, onupdate: bool = False) -> MappedColumn[Any]:
    return mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow if onupdate else None)


def _text(length: int | None = None) -> MappedColumn[Any]:
    """A non-null string that defaults to ''."""
    return mapped_column(String(length) if length else Text, nullable=False, default="", server_default="")


# --- tables -----------------------------------------------------------------------------------------
class ProjectInfo(Base):
    """The one row describing this project; its id names the project in exchanged packages."""

    __tablename__ = "project"

    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = _text(300)
    province: Mapped[str] = _text(200)
    created_at: Mapped[datetime] = _time()
    schema_note: Mapped[str] = _text()
    """Free text: which program and schema created the project."""


class Setting(Base):
    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(JSONText, nullable=False)


class CriteriaSet(Base):
    """A loaded criteria set, stored as its canonical JSON so it can be rebuilt exactly forever."""

    __tablename__ = "criteria_set"
    __table_args__ = (UniqueConstraint("code", "version"), UniqueConstraint("sha256"))

    id: Mapped[uuid.UUID] = _id()
    code: Mapped[str] = mapped_column(String(100), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    title: Mapped[str] = _text()
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    document: Mapped[str] = mapped_column(Text, nullable=False)
    """``canonical_json(fw.document)``: the exact text whose SHA-256 is ``sha256``."""
    loaded_at: Mapped[datetime] = _time()

    @classmethod
    def from_framework(cls, fw: Framework) -> CriteriaSet:
        return cls(code=fw.code, version=fw.version, year=fw.year, title=fw.title, sha256=fw.sha256,
                   document=canonical_json(fw.document))

    @property
    def identity(self) -> str:
        return f"{self.code}@{self.version}"

    def framework(self) -> Framework:
        """Rebuild the ``Framework`` from the stored document (raises ``CriteriaSetCorrupt``)."""
        source = f"criteria set {self.identity} in the project"
        return rebuild_framework(self.document, self.sha256, source=source)


def decode_canonical_json(text: str) -> Any:
    """Inverse of ``canonical_json``: ``{"$n": "1.5"}`` objects become ``Decimal("1.5")``."""

    def hook(obj: dict[str, Any]) -> Any:
        if len(obj) == 1 and "$n" in obj and isinstance(obj["$n"], str):
            return Decimal(obj["$n"])
        return obj

    return json.loads(text, object_hook=hook)


def rebuild_framework(document: str, sha256: str, *, source: str = "<stored criteria set>") -> Framework:
    """Parse a stored canonical document and check that it still has the fingerprint ``sha256``."""
    if hashlib.sha256(document.encode("utf-8")).hexdigest() != sha256:
        raise CriteriaSetCorrupt("project.criteria_altered", source=source, sha256=sha256)
    try:
        fw = parse_framework(decode_canonical_json(document), source)
    except (ValueError, FrameworkInvalid) as exc:  # json.JSONDecodeError is a ValueError
        raise CriteriaSetCorrupt("project.criteria_unreadable", source=source, error=exc) from exc
    if fw.sha256 != sha256:
        raise CriteriaSetCorrupt("project.criteria_altered", source=source, sha256=sha256)
    return fw


class Period(Base):
    """An appraisal year."""

    __tablename__ = "period"

    id: Mapped[uuid.UUID] = _id()
    year: Mapped[int] = mapped_column(Integer, nullable=False, unique=True)
    title: Mapped[str] = _text(300)


class Unit(Base):
    """An appraised unit (department, district, commune), identified across laptops by its code."""

    __tablename__ = "unit"

    id: Mapped[uuid.UUID] = _id()
    code: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    name: Mapped[str] = mapped_column(String(300), nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    """One of ``UNIT_KINDS`` (validated by services, per year)."""
    parent_code: Mapped[str | None] = mapped_column(String(64))
    """The code of the unit that appraises this one (a commune's district); not a foreign key."""
    short_name: Mapped[str] = _text(100)
    """A short name for charts ('' = the name)."""
    ranking_group: Mapped[str] = _text(64)
    """Units of one kind in different groups are ranked apart ('' = the kind's main group)."""
    abbreviation: Mapped[str] = _text(32)
    """For document number symbols, e.g. ``SKHCN``."""
    head_title: Mapped[str] = _text(100)
    """The title of the unit's head, e.g. ``Giám đốc``, ``Chủ tịch``."""
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    """When the unit was retired (None: in use). A retired unit keeps its assessments and history but is
    no longer listed, ranked or exported by default."""
    created_at: Mapped[datetime] = _time()

    assessments: Mapped[list[Assessment]] = relationship(back_populates="unit")


class UnitAlias(Base):
    """A unit created on another laptop (same code, another UUID) that the committee merged into one of
    this project's units (``evaluator import --merge-duplicates``).

    Remembered so that later packages from that laptop, which still name the unit by its own UUID, map
    onto the project's unit without asking again.
    """

    __tablename__ = "unit_alias"
    __table_args__ = (Index(None, "unit_id"),)

    foreign_unit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    """The unit's id on the other laptop (as its packages name it)."""
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), nullable=False)
    """The project's unit it was merged into."""
    code: Mapped[str] = _text(64)
    """The code and name the unit had on the other laptop when it was merged."""
    name: Mapped[str] = _text(300)
    device_id: Mapped[str] = _text(100)
    """The device of the package that brought it."""
    source: Mapped[str] = _text()
    """The package file that brought it."""
    created_by: Mapped[str] = _text(200)
    created_at: Mapped[datetime] = _time()

    unit: Mapped[Unit] = relationship()


class Assessment(Base):
    """One unit's assessment for one period, scored against one stored criteria set."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)

    id: Mapped[uuid.UUID] = _id()
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), nullable=False)
    period_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("period.id"), nullable=False)
    criteria_set_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("criteria_set.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(32), nullable=False, default="self_assessment",
                                        server_default="self_assessment")
    locked_stages: Mapped[str] = _text(200)
    """Comma-separated stage codes; use the ``locked`` property."""
    created_at: Mapped[datetime] = _time()
    updated_at: Mapped[datetime] = _time(onupdate=True)

    unit: Mapped[Unit] = relationship(back_populates="assessments")
    period: Mapped[Period] = relationship()
    criteria_set: Mapped[CriteriaSet] = relationship()
    scores: Mapped[list[Score]] = relationship(back_populates="assessment", cascade="all, delete-orphan")
    evidence: Mapped[list[Evidence]] = relationship(back_populates="assessment", cascade="all, delete-orphan")

    @property
    def locked(self) -> frozenset[str]:
        return frozenset(s for s in (self.locked_stages or "").split(",") if s)

    @locked.setter
    def locked(self, stages: set[str] | frozenset[str]) -> None:
        order = {s: i for i, s in enumerate((*STAGES, "survey"))}
        self.locked_stages = ",".join(sorted(stages, key=lambda s: (order.get(s, len(order)), s)))


class Score(Base):
    """The current value of one leaf at one stage; every change is also kept in ``ScoreRevision``."""

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_code", "stage"),)

    id: Mapped[uuid.UUID] = _id()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), nullable=False)
    criterion_code: Mapped[str] = mapped_column(String(64), nullable=False)
    stage: Mapped[str] = mapped_column(String(32), nullable=False)
    value: Mapped[Any] = mapped_column(JSONText, nullable=True)
    """Raw input, e.g. ``{"done": true}``, ``{"option": "late"}``, ``{"numerator": 9, "denominator": 10}``."""
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    not_applicable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    note: Mapped[str] = _text()
    author: Mapped[str] = _text(200)
    device_id: Mapped[str] = _text(100)
    updated_at: Mapped[datetime] = _time(onupdate=True)
    revision: Mapped[int] = mapped_column(Integer, nullable=False, default=1, server_default="1")
    base_revision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    """The ``ScoreRevision.id`` this edit built on (None for a first value). Not a foreign key: a merged
    revision may name one that has not been imported yet."""

    assessment: Mapped[Assessment] = relationship(back_populates="scores")
    revisions: Mapped[list[ScoreRevision]] = relationship(
        back_populates="score", cascade="all, delete-orphan", order_by="ScoreRevision.revision"
    )

    @validates("points")
    def _check_points(self, key: str, value: Any) -> Decimal | None:
        return _points(key, value)


class ScoreRevision(Base):
    """Append-only history of a score. ``revision`` is not unique per score: concurrent edits made on two
    laptops are both kept (same revision number, different ids) so that a merge can show the conflict."""

    __tablename__ = "score_revision"
    __table_args__ = (Index(None, "score_id", "revision"),)

    id: Mapped[uuid.UUID] = _id()
    score_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("score.id"), nullable=False)
    revision: Mapped[int] = mapped_column(Integer, nullable=False)
    value: Mapped[Any] = mapped_column(JSONText, nullable=True)
    points: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    not_applicable: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    note: Mapped[str] = _text()
    author: Mapped[str] = _text(200)
    device_id: Mapped[str] = _text(100)
    time: Mapped[datetime] = _time()
    base_revision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    score: Mapped[Score] = relationship(back_populates="revisions")

    @validates("points")
    def _check_points(self, key: str, value: Any) -> Decimal | None:
        return _points(key, value)


class Evidence(Base):
    """A file attached to a leaf; the bytes live in the evidence store under their SHA-256."""

    __tablename__ = "evidence"
    __table_args__ = (UniqueConstraint("assessment_id", "criterion_code", "sha256"),)

    id: Mapped[uuid.UUID] = _id()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), nullable=False)
    criterion_code: Mapped[str] = mapped_column(String(64), nullable=False)
    stage: Mapped[str | None] = mapped_column(String(32))
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    file_name: Mapped[str] = mapped_column(String(500), nullable=False)
    size: Mapped[int] = mapped_column(BigInteger, nullable=False)
    media_type: Mapped[str] = _text(200)
    reference: Mapped[str] = _text()
    """Where in the file: page, section, article."""
    added_by: Mapped[str] = _text(200)
    added_at: Mapped[datetime] = _time()
    carried_from: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """The year whose evidence this is (``evaluator new-year --carry-evidence``); None: added this year."""
    carry_pending: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
    """A carried file nobody has confirmed yet: listed, not this year's evidence (``evidence_required``)."""

    assessment: Mapped[Assessment] = relationship(back_populates="evidence")


class AuditEvent(Base):
    """Who did what, when, on which device (append-only, hash-chained: see ``models.audit_chain``)."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index(None, "assessment_id", "criterion_code"),
        # one event per place of a chain; rows outside any chain (seq 0: not written by the program) are
        # left to ``audit verify`` to name rather than refused here
        Index(None, "chain", "seq", unique=True, sqlite_where=sql_text("seq > 0"),
              postgresql_where=sql_text("seq > 0")),
    )

    id: Mapped[uuid.UUID] = _id()
    time: Mapped[datetime] = _time()
    author: Mapped[str] = _text(200)
    role: Mapped[str] = _text(64)
    device_id: Mapped[str] = _text(100)
    action: Mapped[str] = mapped_column(String(64), nullable=False)
    """e.g. ``score.set``, ``evidence.add``, ``stage.lock``, ``stage.unlock``, ``import``."""
    assessment_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("assessment.id"))
    criterion_code: Mapped[str | None] = mapped_column(String(64))
    stage: Mapped[str | None] = mapped_column(String(32))
    old: Mapped[Any] = mapped_column(JSONText, nullable=True)
    new: Mapped[Any] = mapped_column(JSONText, nullable=True)
    reason: Mapped[str] = _text()
    chain: Mapped[str] = _text(120)
    """The device whose log the event belongs to (set when it is flushed; see ``models.audit_chain``)."""
    seq: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    """Its place in that chain: 1, 2, 3 ..."""
    prev_hash: Mapped[str] = _text(64)
    """The ``hash`` of the previous event of the chain ('' for the first)."""
    hash: Mapped[str] = _text(64)
    """SHA-256 of ``prev_hash`` and the canonical JSON of the content fields."""
    link: Mapped[str] = _text(16)
    """How it joined the chain: '', 'gap', 'received' or 'upgrade' (``models.audit_chain``)."""

    assessment: Mapped[Assessment | None] = relationship()


class ImportLog(Base):
    """One import (or its dry run) and its counts."""

    __tablename__ = "import_log"

    id: Mapped[uuid.UUID] = _id()
    time: Mapped[datetime] = _time()
    author: Mapped[str] = _text(200)
    source: Mapped[str] = _text()
    """The imported file name(s)."""
    source_sha256: Mapped[str] = _text(64)
    summary: Mapped[Any] = mapped_column(JSONText, nullable=True)
    dry_run: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False, server_default="0")
