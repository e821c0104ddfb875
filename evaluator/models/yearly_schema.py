"""Tables of the yearly cycle (issue 13): the criteria mapping from one year's set to the next.

In their own module so that the core schema stays small; ``evaluator.models`` imports it, so the table is
part of ``Base.metadata`` (migration 0008). Carried evidence is two columns of ``evidence`` (schema.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from evaluator.models.schema import Base, _id, _text, _time

MAPPING_METHODS: tuple[str, ...] = ("exact", "title", "file", "none")
"""How a pair was made: same code and title, most similar title (rapidfuzz), an xlsx or the wizard, or no
successor found."""


class CriteriaMapping(Base):
    """One leaf of year ``year - 1``'s set for a unit kind and its successor in year ``year``'s set."""

    __tablename__ = "criteria_mapping"
    __table_args__ = (UniqueConstraint("year", "unit_kind", "old_code"),)

    id: Mapped[uuid.UUID] = _id()
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    """The new year (the mapping leads from the year before it into it)."""
    from_year: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_kind: Mapped[str] = mapped_column(String(32), nullable=False)
    old_code: Mapped[str] = mapped_column(String(64), nullable=False)
    new_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    """None: the leaf has no successor (dropped)."""
    score: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")
    """Title similarity 0–100 (100: same code and title)."""
    method: Mapped[str] = _text(16)
    """One of ``MAPPING_METHODS``."""
    updated_by: Mapped[str] = _text(200)
    updated_at: Mapped[datetime] = _time(onupdate=True)
