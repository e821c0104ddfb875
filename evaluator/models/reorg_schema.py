"""Units reorganised (issue 13): which units a unit continues from a year on, and why.

In its own module so that the core schema stays small; ``evaluator.models`` imports it, so the table is part
of ``Base.metadata`` (and of the Alembic head, migration 0007). The history (assessments, scores) stays
with the predecessor units: a row here only says whom a unit compares with in the year it starts.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evaluator.models.schema import Base, _id, _text, _time

PREDECESSOR_BASES: tuple[str, ...] = ("renamed", "merged", "same")
"""``renamed``: the unit is its predecessor under a new code or name; ``merged``: the predecessor is one of
several units joined into this one; ``same``: a unit that absorbed others names itself (its own past)."""


class UnitPredecessor(Base):
    """One predecessor of a unit from ``from_year`` on (a unit merged from three has three rows)."""

    __tablename__ = "unit_predecessor"
    __table_args__ = (UniqueConstraint("unit_id", "predecessor_id", "from_year"),
                      Index(None, "predecessor_id"))

    id: Mapped[uuid.UUID] = _id()
    unit_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), nullable=False)
    predecessor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("unit.id"), nullable=False)
    basis: Mapped[str] = mapped_column(String(16), nullable=False)
    """One of ``PREDECESSOR_BASES``."""
    from_year: Mapped[int] = mapped_column(Integer, nullable=False)
    """The first year the unit exists in this shape: its year-over-year figures of that year compare with
    the predecessors' figures of the year before."""
    created_by: Mapped[str] = _text(200)
    created_at: Mapped[datetime] = _time()
