"""What every planner of the merge shares: the session, the incoming packages, the report, the problems,
and the id maps the earlier planners made for the later ones (sets → units → assessments → the rest)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from evaluator.errors import Problems
from evaluator.frameworks.model import Framework
from evaluator.models import CriteriaSet, Unit
from evaluator.services.exchange.reading import _Incoming
from evaluator.services.exchange.report import PackageImportReport

Key = tuple[uuid.UUID, str, str]
"""A score's natural key in this project: (assessment id, criterion code, stage)."""


class Target(NamedTuple):
    """Where an incoming assessment's records go in this project."""

    id: uuid.UUID
    """The project's assessment (or the one planned in this run)."""
    framework: Framework
    kind: str
    """The unit's kind."""
    year: int
    code: str
    """The unit's code."""


def unit_field(unit: Unit | dict[str, Any], name: str) -> Any:
    """A field of a project unit or of a unit planned in this run."""
    return getattr(unit, name) if isinstance(unit, Unit) else unit[name]


@dataclass
class MergeContext:
    session: Session
    incoming: list[_Incoming]
    report: PackageImportReport
    problems: Problems
    merge_duplicates: bool = False
    accept_sets: bool = False
    """Criteria sets the project lacks may be added (else only from packages its trust list signed)."""
    sets: dict[uuid.UUID, CriteriaSet] = field(default_factory=dict)
    """Incoming criteria set id → the project's set (found or added)."""
    periods: dict[int, uuid.UUID] = field(default_factory=dict)
    """Year → the project's period id."""
    units: dict[uuid.UUID, Unit | dict[str, Any]] = field(default_factory=dict)
    """Incoming unit id → the project's unit (a ``Unit`` or a planned new row)."""
    skipped_units: set[uuid.UUID] = field(default_factory=set)
    """Probable duplicates whose records are skipped."""
    assessments: dict[uuid.UUID, Target] = field(default_factory=dict)
    """Incoming assessment id → where its records go."""
    partial: set[str] = field(default_factory=set)
    """Manifest hashes of packages whose duplicate units were skipped: not recorded as imported, so
    that importing them again with ``merge_duplicates`` still brings those records."""
    older_sets: dict[uuid.UUID, tuple[Framework, Framework]] = field(default_factory=dict)
    """The project's assessment id → (the package's older version of its set, the project's version), for
    a team package made before the committee moved that assessment (``merge/scores.py`` merges only the
    criteria the newer version kept unchanged)."""
    conflict_inserts: list[dict[str, Any]] = field(default_factory=list)
    """New rows of the conflicts table, in planning order: open conflicts (scores) and decided ones
    (decisions) share it."""


class Planner:
    """One kind of record: ``plan`` checks and decides everything (problems go to ``ctx.problems``),
    ``write`` (where there is one) stores the plan in the import's transaction."""

    def __init__(self, ctx: MergeContext):
        self.ctx = ctx
        self.s = ctx.session
        self.incoming = ctx.incoming
        self.report = ctx.report
        self.problems = ctx.problems
