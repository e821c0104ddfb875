"""Appraisal teams (issue 14): the council's member departments appraise their own areas across every
unit. A team names its member department, the areas it appraises (per unit kind, or for every kind) and
optionally the units; the handouts the committee gave each team are remembered, so that a team copy's
packages find their team again at the committee.

Own module (as ``exchange_schema``): ``evaluator.models`` imports it, so the tables are in
``Base.metadata`` (migration 0009)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from evaluator.models.schema import Base, JSONText, _id, _text, _time

EVERY_KIND = "*"
"""The key of ``Team.areas`` for the areas a team appraises in units of every kind."""


class Team(Base):
    """An appraisal team (tổ thẩm định) and its scope."""

    __tablename__ = "team"

    id: Mapped[uuid.UUID] = _id()
    name: Mapped[str] = mapped_column(String(200), nullable=False, unique=True)
    department: Mapped[str] = _text(200)
    """The council's member department the team comes from ('' when not said)."""
    areas: Mapped[Any] = mapped_column(JSONText, nullable=False)
    """Unit kind (or ``EVERY_KIND``) → the area codes the team appraises in units of that kind."""
    units: Mapped[Any] = mapped_column(JSONText, nullable=False)
    """The unit codes the team appraises (empty: every unit)."""
    created_at: Mapped[datetime] = _time()
    updated_at: Mapped[datetime] = _time(onupdate=True)


class TeamHandout(Base):
    """A handout the committee wrote for a team: a team copy made from it names it in its packages."""

    __tablename__ = "team_handout"

    package_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    team_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("team.id"), nullable=False)
    created_at: Mapped[datetime] = _time()
