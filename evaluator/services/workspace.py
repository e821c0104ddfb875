"""What the appraisal workspace shows, as plain data: the units of a year with their progress, and one
unit's criteria tree with every stage's value, note, author and time, evidence counts, status marks and
live totals (the per-unit scoring path, ``scoring.score_unit``).

No Qt here: the GUI renders these objects; tests and scripts can use them directly.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaluator import i18n
from evaluator.errors import UserError
from evaluator.frameworks.model import STAGES, SURVEY_STAGE, Framework, Node
from evaluator.messages import Message
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, Score, Unit
from evaluator.models.schema import KIND_ORDER
from evaluator.scoring import Entry, UnitScore, describe, score_unit
from evaluator.scoring.relative import relative_points
from evaluator.scoring.unit import final_entry, group_entries
from evaluator.services import team_scope
from evaluator.services.frameworks import framework_of

STATUS_STAGE = {
    "self_assessment": "self",
    "submitted": "appraisal1",
    "appraisal1": "appraisal1",
    "explanation": "explanation",
    "appraisal2": "appraisal2",
    "approved": "appraisal2",
}
"""The stage a unit's progress is counted at, by assessment status."""
PROGRESS_STAGES = {
    "self": ("self",),
    "appraisal1": ("appraisal1",),
    "explanation": ("appraisal1", "explanation"),
    "appraisal2": ("appraisal1", "explanation", "appraisal2"),
    "survey": ("survey",),
}
"""A leaf counts as done at a stage when it has a value at one of these stages (a leaf appraised in round
1 and not explained needs no round-2 value)."""

# Status marks of a leaf (the GUI maps them to symbols and colours).
MARK_EMPTY = "empty"
MARK_SCORED = "scored"
MARK_CHANGED = "changed"
MARK_NO_EVIDENCE = "no_evidence"
MARK_NA = "na"


@dataclass(frozen=True)
class UnitProgress:
    assessment_id: uuid.UUID
    code: str
    name: str
    kind: str
    status: str
    stage: str
    """The stage progress is counted at."""
    scored: int
    total: int
    locked: frozenset[str]


@dataclass(frozen=True)
class StageValue:
    stage: str
    points: Decimal | None
    value: Any
    not_applicable: bool
    note: str
    author: str
    time: datetime | None

    @property
    def filled(self) -> bool:
        return self.points is not None or self.not_applicable or bool(self.value)


@dataclass
class TreeRow:
    code: str
    title: str
    depth: int
    max: Decimal
    is_leaf: bool
    parent: str | None
    source: str = "appraisal"
    role: str = "scored"
    title_en: str = ""
    stages: dict[str, StageValue] = field(default_factory=dict)
    evidence: int = 0
    points: Decimal = Decimal(0)
    """Points that count (from the live totals)."""
    applicable_max: Decimal = Decimal(0)
    mark: str = MARK_EMPTY
    final_stage: str | None = None

    def stage_points(self, stage: str) -> Decimal | None:
        v = self.stages.get(stage)
        return None if v is None else v.points

    @property
    def appraised(self) -> StageValue | None:
        """The last filled appraisal-side stage after self (appraisal 2, explanation, appraisal 1)."""
        for stage in ("appraisal2", "explanation", "appraisal1"):
            v = self.stages.get(stage)
            if v is not None and v.filled:
                return v
        return None


@dataclass
class UnitSheet:
    """One unit's assessment as the workspace shows it; ``rescore`` recomputes totals in memory."""

    assessment_id: uuid.UUID
    code: str
    name: str
    kind: str
    year: int
    status: str
    locked: frozenset[str]
    framework: Framework
    rows: dict[str, TreeRow]
    """Every node that applies to the unit's kind, in tree order."""
    relative: dict[str, Decimal] = field(default_factory=dict)
    score: UnitScore | None = None
    last_year: dict[str, list[Any]] = field(default_factory=dict)
    """Last year's outcome (``shortcomings.LeafOutcome``) of the leaves mapped onto each leaf of this year."""

    def leaves(self) -> list[TreeRow]:
        return [r for r in self.rows.values() if r.is_leaf]

    def node(self, code: str) -> Node:
        return self.framework.nodes[code]

    def rule_text(self, code: str, language: str = i18n.SOURCE_LANGUAGE,
                  **formats: Callable[[Decimal], str]) -> str:
        """The leaf's rule in words in ``language``; ``formats``: ``points=``/``percent=`` as
        ``scoring.describe`` takes."""
        return describe(self.framework.nodes[code], self.kind, language=language, **formats)

    def class_label(self, english: bool = False) -> str:
        if self.score is None or self.score.class_code is None:
            return ""
        for band in self.framework.classes_for(self.kind):
            if band.code == self.score.class_code:
                return (band.label_en or band.label) if english else band.label
        return self.score.class_code

    def area_rows(self) -> list[TreeRow]:
        return [r for r in self.rows.values() if r.depth == 0 and r.role == "scored"]

    def rescore(self) -> UnitScore:
        entries = [
            Entry(
                r.code,
                s.stage,
                s.points,
                _relative_value(s.value) if s.points is None else None,
                s.not_applicable,
            )
            for r in self.leaves()
            for s in r.stages.values()
        ]
        with_evidence = [r.code for r in self.leaves() if r.evidence]
        self.score = score_unit(self.framework, self.kind, entries, with_evidence, self.relative)
        for row in self.rows.values():
            ns = self.score.nodes.get(row.code)
            if ns is not None:
                row.points, row.applicable_max = ns.points, ns.max
            if row.is_leaf:
                row.final_stage = self.score.final_stage.get(row.code)
                row.mark = leaf_mark(self.framework.nodes[row.code], row)
        return self.score


def leaf_mark(node: Node, row: TreeRow) -> str:
    if row.final_stage is None:
        return MARK_EMPTY
    final = row.stages[row.final_stage]
    if final.not_applicable:
        return MARK_NA
    if node.evidence_required and row.evidence == 0 and node.source != "survey":
        return MARK_NO_EVIDENCE
    own = row.stages.get("self")
    if row.final_stage != "self" and own is not None and own.filled and _differs(node, own, final):
        return MARK_CHANGED
    return MARK_SCORED


def _differs(node: Node, own: StageValue, final: StageValue) -> bool:
    """Whether the value that counts differs from the self score. A relative leaf's stages hold a value
    and no points (its points come from the peers): their values are compared, not two missing points."""
    if own.not_applicable or final.not_applicable:
        return own.not_applicable != final.not_applicable
    if own.points is None and final.points is None and node.rule is not None and node.rule.is_relative:
        return _relative_value(own.value) != _relative_value(final.value)
    return own.points != final.points


def _relative_value(value: Any) -> Decimal | None:
    if isinstance(value, dict) and value.get("value") is not None:
        try:
            return Decimal(str(value["value"]))
        except ArithmeticError:
            return None
    return None


# --- lists -----------------------------------------------------------------------------------------
def years(session: Session) -> list[int]:
    return sorted(session.scalars(select(Period.year)).all(), reverse=True)


def kinds(session: Session, year: int) -> list[str]:
    found = session.scalars(
        select(Unit.kind)
        .distinct()
        .join(Assessment, Assessment.unit_id == Unit.id)
        .join(Period, Period.id == Assessment.period_id)
        .where(Period.year == year)
    ).all()
    return sorted(found, key=lambda k: (KIND_ORDER.get(k, 9), k))


def list_units(
    session: Session,
    year: int,
    kind: str | None = None,
    stage: str | None = None,
    only: set[uuid.UUID] | None = None,
) -> list[UnitProgress]:
    """The units assessed in ``year`` (of ``kind``) with leaves scored / total at ``stage`` (by default
    the stage the assessment's status is at). Survey leaves are not counted: units do not score them."""
    q = (
        select(Assessment, Unit)
        .join(Unit, Unit.id == Assessment.unit_id)
        .join(Period, Period.id == Assessment.period_id)
        .where(Period.year == year)
    )
    if kind:
        q = q.where(Unit.kind == kind)
    if only is not None:
        q = q.where(Assessment.id.in_(only))
    pairs = session.execute(q).all()
    if not pairs:
        return []
    sets = {
        r.id: framework_of(r)
        for r in session.scalars(
            select(CriteriaSet).where(CriteriaSet.id.in_({a.criteria_set_id for a, _ in pairs}))
        ).all()
    }
    counted: dict[tuple[uuid.UUID, str], set[str]] = {}
    filled = (Score.points.is_not(None)) | Score.not_applicable | Score.value.is_not(None)
    score_q = (
        select(Score.assessment_id, Score.stage, Score.criterion_code)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .join(Period, Period.id == Assessment.period_id)
        .where(Period.year == year, filled)
    )
    if only is not None:
        score_q = score_q.where(Score.assessment_id.in_(only))
    rows = session.execute(score_q)
    for a_id, st, code in rows:
        counted.setdefault((a_id, st), set()).add(code)
    out = []
    for a, u in pairs:
        fw = sets[a.criteria_set_id]
        leaves = {n.code for n in fw.leaves(u.kind) if n.source != "survey"}
        at = stage or STATUS_STAGE.get(a.status, "self")
        done_codes: set[str] = set()
        for st in PROGRESS_STAGES.get(at, (at,)):
            done_codes |= counted.get((a.id, st), set())
        done = len(done_codes & leaves)
        out.append(UnitProgress(a.id, u.code, u.name, u.kind, a.status, at, done, len(leaves), a.locked))
    out.sort(key=lambda p: (KIND_ORDER.get(p.kind, 9), p.code))
    return out


# --- one unit -------------------------------------------------------------------------------------
def load_unit(session: Session, assessment_id: uuid.UUID) -> UnitSheet:
    a = session.get(Assessment, assessment_id)
    if a is None:
        raise UserError("scores.no_assessment", id=assessment_id)
    fw = framework_of(a.criteria_set)
    kind = a.unit.kind
    rows: dict[str, TreeRow] = {}
    for node in fw:
        mx = node.max_for(kind)
        if mx is None:
            continue
        rows[node.code] = TreeRow(
            node.code,
            node.title,
            node.depth,
            mx,
            node.is_leaf,
            node.parent,
            node.source,
            node.role,
            node.title_en,
        )
    sheet = UnitSheet(a.id, a.unit.code, a.unit.name, kind, a.period.year, a.status, a.locked, fw, rows)
    _fill(session, sheet, None)
    sheet.relative = _relative(session, a, fw, kind)
    sheet.rescore()
    from evaluator.services.shortcomings import last_year_by_leaf  # imports this module's neighbours

    sheet.last_year = last_year_by_leaf(session, sheet.year, sheet.code, kind)
    return sheet


def refresh_leaves(session: Session, sheet: UnitSheet, codes: Iterable[str] | None = None) -> UnitScore:
    """Re-read the stage values and evidence of some leaves (all when ``codes`` is None) and rescore."""
    a = session.get(Assessment, sheet.assessment_id)
    if a is not None:
        sheet.locked, sheet.status = a.locked, a.status
    _fill(session, sheet, None if codes is None else set(codes))
    return sheet.rescore()


def _fill(session: Session, sheet: UnitSheet, codes: set[str] | None) -> None:
    q = select(Score).where(Score.assessment_id == sheet.assessment_id)
    # a file carried from last year counts once someone confirms it (evidence.confirm_evidence)
    e = select(Evidence.criterion_code, func.count()).where(Evidence.assessment_id == sheet.assessment_id,
                                                            Evidence.carry_pending.is_(False))
    if codes is not None:
        q = q.where(Score.criterion_code.in_(codes))
        e = e.where(Evidence.criterion_code.in_(codes))
    targets = [r for r in sheet.rows.values() if r.is_leaf and (codes is None or r.code in codes)]
    for r in targets:
        r.stages = {}
        r.evidence = 0
    for s in session.scalars(q):
        row = sheet.rows.get(s.criterion_code)
        if row is not None:
            row.stages[s.stage] = StageValue(
                s.stage, s.points, s.value, s.not_applicable, s.note, s.author, s.updated_at
            )
    for code, count in session.execute(e.group_by(Evidence.criterion_code)):
        if code in sheet.rows:
            sheet.rows[code].evidence = int(count)


def _relative(session: Session, a: Assessment, fw: Framework, kind: str) -> dict[str, Decimal]:
    """Points of the unit's relative leaves (rank, min–max) among its peers of the same year and kind."""
    nodes = [n for n in fw.leaves(kind) if n.rule is not None and n.rule.is_relative]
    if not nodes:
        return {}
    peers = session.execute(
        select(
            Score.assessment_id,
            Score.criterion_code,
            Score.stage,
            Score.points,
            Score.value,
            Score.not_applicable,
        )
        .join(Assessment, Assessment.id == Score.assessment_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(
            Assessment.period_id == a.period_id,
            Assessment.criteria_set_id == a.criteria_set_id,
            Unit.kind == kind,
            Score.criterion_code.in_([n.code for n in nodes]),
        )
    ).all()
    by_unit: dict[uuid.UUID, list[Entry]] = {}
    for a_id, code, stage, points, value, na in peers:
        by_unit.setdefault(a_id, []).append(
            Entry(code, stage, points, _relative_value(value) if points is None else None, bool(na))
        )
    out: dict[str, Decimal] = {}
    for node in nodes:
        values: dict[Any, Decimal] = {}
        for a_id, entries in by_unit.items():
            entry = final_entry(node, group_entries(entries).get(node.code, {}))
            if (
                entry is not None
                and entry.points is None
                and entry.value is not None
                and not entry.not_applicable
            ):
                values[a_id] = entry.value
        got = relative_points(node, kind, values)
        if a.id in got:
            out[node.code] = got[a.id]
    return out


STAGE_ORDER: tuple[str, ...] = (*STAGES, SURVEY_STAGE)


def read_only_reason(session: Session, sheet: UnitSheet, leaf: str, stage: str) -> Message | None:
    """Why ``stage`` of ``leaf`` cannot be edited here for a reason of the project (a team copy's scope),
    or None; the detail pane shows it, ``scores.set_score`` refuses the edit with the same reason."""
    return team_scope.read_only_reason(team_scope.copy_scope(session), sheet.framework, sheet.kind,
                                       sheet.code, leaf, stage)

