"""Shortcomings followed from one year to the next (issue 13).

- Last year's **lost points** of a unit: every scored leaf of Y-1 below its maximum in the final stage, with
  the note of that stage (the council's reason when the council had the last word), shown beside the leaf
  of year Y it maps to (``criteria_mapping.leaf_mapping``);
- once Y is scored, each lost leaf is **fixed** (the mapped leaf reaches its maximum in Y), **not fixed**,
  or its **criterion dropped** (no mapped leaf in Y); ``pending`` while Y has no value for it and
  ``not_applicable`` when Y marks it "không đánh giá";
- per unit, the **changes** against last year: index and rank change, each area's index change and the
  leaves that gained or lost the most points (a Y leaf against the Y-1 leaves mapped onto it).

Units are matched across years by code, and across a reorganisation by their predecessors
(``reorganisation.predecessors_in``): a renamed unit is compared with the unit it was, a merged unit with
its predecessors' mean (index, each area's index, each leaf's points; no rank change: they were ranked
apart), and it inherits each predecessor's lost points, labelled with the predecessor's code. Leaf points
come from the batch engine over all the units of the kind (rank and min–max leaves need their peers).
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import case, select
from sqlalchemy.orm import Session

from evaluator.frameworks.model import STAGES, SURVEY_STAGE, Framework, Node
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, Score, Unit
from evaluator.scoring import score_batch
from evaluator.scoring.relative import stored_value
from evaluator.services.frameworks import framework_of

FIXED, NOT_FIXED, DROPPED, PENDING, NOT_APPLICABLE = (
    "fixed",
    "not_fixed",
    "dropped",
    "pending",
    "not_applicable",
)
STATUS_LABELS = {
    FIXED: "đã khắc phục",
    NOT_FIXED: "chưa khắc phục",
    DROPPED: "tiêu chí không còn",
    PENDING: "chưa chấm",
    NOT_APPLICABLE: "không đánh giá",
}
"""Vietnamese labels of the statuses (documents and the CLI); the GUI translates its own."""
TOP_LEAVES = 3
"""How many leaves that gained (and lost) the most points a unit's changes list."""


@dataclass(frozen=True)
class LeafOutcome:
    """One leaf of one unit in one year, as the final stage left it."""

    code: str
    title: str
    points: Decimal
    max: Decimal
    """The leaf's maximum for the unit's kind (also when not applicable)."""
    not_applicable: bool
    scored: bool
    """A final value exists (a leaf without any value scores 0 and is not ``scored``)."""
    note: str = ""
    stage: str | None = None
    unit: str = ""
    """The predecessor it comes from ('' for the unit itself: ``last_year_by_leaf`` across a
    reorganisation)."""

    @property
    def lost(self) -> Decimal:
        return Decimal(0) if self.not_applicable else self.max - self.points


@dataclass
class UnitLeaves:
    assessment_id: uuid.UUID
    code: str
    kind: str
    framework: Framework
    leaves: dict[str, LeafOutcome] = field(default_factory=dict)

    def lost_points(self) -> list[LeafOutcome]:
        """Scored leaves (no bonus or penalty) below their maximum, in tree order."""
        return [
            o for o in self.leaves.values() if self.framework.nodes[o.code].role == "scored" and o.lost > 0
        ]


@dataclass(frozen=True)
class Shortcoming:
    """A leaf of Y-1 below its maximum and what became of it in Y."""

    code: str
    title: str
    points: Decimal
    max: Decimal
    reason: str
    new_code: str | None
    new_points: Decimal | None
    new_max: Decimal | None
    status: str
    unit: str = ""
    """The predecessor whose lost points these were ('' for the unit itself)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "title": self.title,
            "points": float(self.points),
            "max": float(self.max),
            "reason": self.reason,
            "new_code": self.new_code,
            "new_points": None if self.new_points is None else float(self.new_points),
            "new_max": None if self.new_max is None else float(self.new_max),
            "status": self.status,
            "unit": self.unit or None,
        }


@dataclass(frozen=True)
class LeafChange:
    code: str
    previous_codes: tuple[str, ...]
    title: str
    points: Decimal
    previous_points: Decimal

    @property
    def change(self) -> Decimal:
        return self.points - self.previous_points

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "previous_codes": list(self.previous_codes),
            "title": self.title,
            "points": float(self.points),
            "previous_points": float(self.previous_points),
            "change": float(self.change),
        }


@dataclass
class UnitChanges:
    previous_year: int
    index: Decimal | None
    previous_index: Decimal | None
    rank_change: int | None
    areas: list[dict[str, Any]]
    gained: list[LeafChange]
    lost: list[LeafChange]
    shortcomings: list[Shortcoming]
    basis: str = "same"
    """``same``, ``renamed`` (compared with its predecessor) or ``merged`` (with its predecessors' mean)."""
    predecessors: tuple[str, ...] = ()

    @property
    def index_change(self) -> Decimal | None:
        if self.index is None or self.previous_index is None:
            return None
        return self.index - self.previous_index

    def counts(self) -> dict[str, int]:
        out = dict.fromkeys(STATUS_LABELS, 0)
        for s in self.shortcomings:
            out[s.status] += 1
        return out

    def to_json(self) -> dict[str, Any]:
        def number(value: Decimal | None) -> float | None:
            return None if value is None else float(value)

        return {
            "previous_year": self.previous_year,
            "index_change": number(self.index_change),
            "rank_change": self.rank_change,
            "areas": self.areas,
            "gained": [c.to_json() for c in self.gained],
            "lost": [c.to_json() for c in self.lost],
            "shortcomings": self.counts(),
            "previous_basis": self.basis,
            "predecessors": list(self.predecessors),
            "previous_index": number(self.previous_index),
        }


# --- leaf outcomes of a year ---------------------------------------------------------------------------


def _frames(
    session: Session, period_id: uuid.UUID, year: int, kinds: set[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[tuple[uuid.UUID, str], dict[str, Any]]]:
    """``results._frames`` for the units of some kinds only (the workspace asks for one unit's peers), and
    the stage values by (assessment, leaf) from the same read: plain rows, not ORM objects, and the JSON
    value decoded only where the points are empty (relative leaves) — a province's year holds tens of
    thousands of stage values."""
    from evaluator.services.units import retired_in

    retired = retired_in(session, year)
    query = (
        select(Assessment.id, Unit.id, Unit.code, Unit.kind, Assessment.criteria_set_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(Assessment.period_id == period_id)
    )
    if kinds is not None:
        query = query.where(Unit.kind.in_(sorted(kinds)))
    assessments = pd.DataFrame(
        [r for r in session.execute(query).all() if r[1] not in retired],
        columns=["assessment", "unit_id", "code", "kind", "criteria_set_id"],
    )
    ids = list(assessments["assessment"])
    value = case((Score.points.is_(None), Score.value), else_=None).label("value")
    columns = (
        Score.assessment_id,
        Score.criterion_code,
        Score.stage,
        Score.points,
        value,
        Score.not_applicable,
        Score.note,
    )
    rows = session.execute(select(*columns).where(Score.assessment_id.in_(ids))).all() if ids else []
    entries = pd.DataFrame(
        {
            "unit": [r[0] for r in rows],
            "leaf": [r[1] for r in rows],
            "stage": [r[2] for r in rows],
            "points": [np.nan if r[3] is None else float(r[3]) for r in rows],
            "value": [stored_value(r[4]) if r[3] is None else np.nan for r in rows],
            "na": [bool(r[5]) for r in rows],
        }
    )
    evidence = pd.DataFrame(
        session.execute(
            select(Evidence.assessment_id, Evidence.criterion_code)
            .distinct()
            .where(Evidence.assessment_id.in_(ids))
        ).all()
        if ids
        else [],
        columns=["unit", "leaf"],
    )
    stages: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    for r in rows:
        stages.setdefault((r.assessment_id, r.criterion_code), {})[r.stage] = r
    return assessments, entries, evidence, stages


def _final_stage(node: Node, stages: dict[str, Any]) -> Any:
    """The stage that counts (``scoring.unit.final_entry``'s rule, on stored rows)."""
    relative = node.rule is not None and node.rule.is_relative

    def filled(s: Any) -> bool:
        return s is not None and (
            s.points is not None
            or s.not_applicable
            or (relative and isinstance(s.value, dict) and s.value.get("value") is not None)
        )

    order = (SURVEY_STAGE,) if node.source == "survey" else tuple(reversed(STAGES))
    return next((stages[st] for st in order if filled(stages.get(st))), None)


def year_leaves(
    session: Session, year: int, kinds: Iterable[str] | None = None, codes: Iterable[str] | None = None
) -> dict[str, UnitLeaves]:
    """Every unit's leaf outcomes in ``year`` by unit code (only ``kinds``/``codes`` when given; the
    peers of a kind are always scored together)."""
    period = session.scalars(select(Period).where(Period.year == year)).first()
    if period is None:
        return {}
    assessments, entries, evidence, rows = _frames(
        session, period.id, year, None if kinds is None else set(kinds)
    )
    if assessments.empty:
        return {}
    wanted = None if codes is None else set(codes)
    out: dict[str, UnitLeaves] = {}
    for set_id, members in assessments.groupby("criteria_set_id", sort=False):
        fw = framework_of(session.get_one(CriteriaSet, uuid.UUID(str(set_id))))
        batch = score_batch(
            fw,
            members.rename(columns={"assessment": "unit"})[["unit", "kind"]],
            entries,
            evidence,
            with_nodes=True,
        )
        nodes = batch.nodes if batch.nodes is not None else pd.DataFrame(columns=["unit", "node"])
        node_rows: list[Any] = list(nodes.itertuples(index=False))  # pandas types the fields too loosely
        points = {(r.unit, r.node): (int(r.points_c), int(r.max_c)) for r in node_rows}
        member_rows: list[Any] = list(members.itertuples(index=False))
        for m in member_rows:
            if wanted is not None and m.code not in wanted:
                continue
            unit = UnitLeaves(m.assessment, str(m.code), str(m.kind), fw)
            for node in fw.leaves(str(m.kind)):
                final = _final_stage(node, rows.get((m.assessment, node.code), {}))
                p_c, _m = points.get((m.assessment, node.code), (0, 0))
                unit.leaves[node.code] = LeafOutcome(
                    node.code,
                    node.title,
                    Decimal(p_c).scaleb(-2),
                    node.max[str(m.kind)],
                    bool(final is not None and final.not_applicable),
                    final is not None,
                    (final.note or "") if final is not None else "",
                    final.stage if final is not None else None,
                )
            out[unit.code] = unit
    return out


# --- following shortcomings ------------------------------------------------------------------------------
def _mapping(session: Session, year: int, kind: str) -> dict[str, str | None]:
    from evaluator.services.criteria_mapping import leaf_mapping

    return leaf_mapping(session, year, kind)


def follow(
    previous: UnitLeaves, current: UnitLeaves | None, mapping: dict[str, str | None], unit: str = ""
) -> list[Shortcoming]:
    """Last year's lost points of one unit and what became of each this year (``unit``: the label of a
    predecessor's lost points)."""
    out = []
    for lost in previous.lost_points():
        new_code = mapping.get(lost.code)
        now = current.leaves.get(new_code) if current is not None and new_code is not None else None
        if new_code is None or (current is not None and now is None):
            status = DROPPED
        elif now is None or not now.scored:
            status = PENDING
        elif now.not_applicable:
            status = NOT_APPLICABLE
        else:
            status = FIXED if now.points >= now.max else NOT_FIXED
        out.append(
            Shortcoming(
                lost.code,
                lost.title,
                lost.points,
                lost.max,
                lost.note,
                None if status == DROPPED else new_code,
                None if now is None or not now.scored or now.not_applicable else now.points,
                None if now is None else now.max,
                status,
                unit,
            )
        )
    return out


def _followed(previous: dict[str, UnitLeaves], current: UnitLeaves | None, mapping: dict[str, str | None],
              codes: tuple[str, ...], basis: str) -> list[Shortcoming]:
    """The lost points of the unit's predecessors ``codes`` (its own code when not reorganised), each
    labelled with its source unit when the unit was merged."""
    out = []
    for c in codes:
        if c in previous:
            out += follow(previous[c], current, mapping, c if basis == "merged" else "")
    return out


def previous_codes(session: Session, year: int) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Unit code → (basis, predecessors' codes) of the units that start ``year`` reorganised."""
    from evaluator.services.reorganisation import predecessors_in

    found = predecessors_in(session, year)
    if not found:
        return {}
    codes = dict(session.execute(select(Unit.id, Unit.code).where(Unit.id.in_(list(found)))).all())
    return {codes[i]: (p.basis, p.codes) for i, p in found.items()}


def unit_shortcomings(session: Session, year: int, code: str) -> list[Shortcoming]:
    """One unit's lost points of ``year - 1`` followed into ``year`` (empty without a last year)."""
    current = year_leaves(session, year, codes=[code]).get(code)
    kinds = [current.kind] if current is not None else None
    basis, codes = previous_codes(session, year).get(code, ("same", (code,)))
    previous = year_leaves(session, year - 1, kinds=kinds, codes=codes)
    if not previous:
        return []
    kind = next(iter(previous.values())).kind
    return _followed(previous, current, _mapping(session, year, kind), codes, basis)


def year_shortcomings(session: Session, year: int, code: str | None = None) -> dict[str, list[Shortcoming]]:
    """Every unit's (or one unit's) lost points of ``year - 1`` followed into ``year``, by unit code; units
    without an assessment last year are left out. An unknown ``code`` is a ``UserError``."""
    from evaluator.errors import UserError

    codes = None if code is None else [code]
    current = year_leaves(session, year, codes=codes)
    if code is not None and code not in current:
        raise UserError("shortcomings.no_unit", code=code, year=year)
    reorganised = previous_codes(session, year)
    wanted = None if code is None else list(reorganised.get(code, ("same", (code,)))[1])
    previous = year_leaves(session, year - 1, kinds=sorted({u.kind for u in current.values()}), codes=wanted)
    mappings: dict[str, dict[str, str | None]] = {}
    out = {}
    for unit_code, now in current.items():
        basis, olds = reorganised.get(unit_code, ("same", (unit_code,)))
        before = {c: previous[c] for c in olds if c in previous and previous[c].kind == now.kind}
        if not before:
            continue
        if now.kind not in mappings:
            mappings[now.kind] = _mapping(session, year, now.kind)
        out[unit_code] = _followed(before, now, mappings[now.kind], olds, basis)
    return out


def last_year_by_leaf(session: Session, year: int, code: str, kind: str) -> dict[str, list[LeafOutcome]]:
    """For the workspace: the Y-1 outcomes of one unit keyed by the Y leaf they map to (several when
    criteria were merged; one per predecessor, labelled with its code, when units were merged). Empty when
    the unit has no assessment last year."""
    _basis, codes = previous_codes(session, year).get(code, ("same", (code,)))
    found = year_leaves(session, year - 1, kinds=[kind], codes=codes)
    out: dict[str, list[LeafOutcome]] = {}
    mapping = _mapping(session, year, kind) if found else {}
    for c in codes:
        previous = found.get(c)
        if previous is None:
            continue
        for old_code, new_code in mapping.items():
            outcome = previous.leaves.get(old_code)
            if new_code is not None and outcome is not None:
                if c != code:
                    outcome = dataclasses.replace(outcome, unit=c)
                out.setdefault(new_code, []).append(outcome)
    return out


# --- changes against last year ---------------------------------------------------------------------------
def _mean(values: list[Decimal], exponent: int) -> Decimal:
    """The mean rounded half up to ``10**exponent`` (the published figures' rounding)."""
    mean = sum(values, Decimal(0)) / len(values)
    return mean.quantize(Decimal(1).scaleb(exponent), rounding=ROUND_HALF_UP)


def _leaf_changes(
    current: UnitLeaves, previous: list[UnitLeaves], mapping: dict[str, str | None]
) -> tuple[list[LeafChange], list[LeafChange]]:
    """The leaves that gained and lost the most against ``previous`` (one unit, or the units merged into
    this one: their mean)."""
    onto: dict[str, list[str]] = {}
    for old, new in mapping.items():
        if new is not None:
            onto.setdefault(new, []).append(old)
    changes = []
    for code, now in current.leaves.items():
        if current.framework.nodes[code].role != "scored" or not now.scored or now.not_applicable:
            continue
        values: list[Decimal] = []
        olds_codes: dict[str, None] = {}
        for before in previous:
            olds = [before.leaves[c] for c in onto.get(code, ()) if c in before.leaves]
            if not olds or any(o.not_applicable or not o.scored for o in olds):
                continue
            values.append(sum((o.points for o in olds), Decimal(0)))
            olds_codes.update(dict.fromkeys(o.code for o in olds))
        if not values:
            continue
        changes.append(LeafChange(code, tuple(olds_codes), now.title, now.points, _mean(values, -2)))
    gained = sorted((c for c in changes if c.change > 0), key=lambda c: (-c.change, c.code))[:TOP_LEAVES]
    lost = sorted((c for c in changes if c.change < 0), key=lambda c: (c.change, c.code))[:TOP_LEAVES]
    return gained, lost


def _index(value: Any, decimals: int) -> Decimal | None:
    if value is None or pd.isna(value) or int(value) < 0:
        return None
    return Decimal(int(value)).scaleb(-decimals)


def _area(fw: Framework, code: str) -> str:
    node = fw.nodes[code]
    while node.parent is not None:
        node = fw.nodes[node.parent]
    return node.code


def area_mapping(old: Framework, new: Framework, mapping: dict[str, str | None]) -> dict[str, str]:
    """Each area of the new set → the area of last year's set most of its mapped leaves come from (the
    criteria mapping, not the codes: a set may renumber its areas); same-code areas without a mapping."""
    if not mapping:
        return {a.code: a.code for a in new.areas() if a.code in old.nodes}
    votes: dict[str, dict[str, int]] = {}
    for old_code, new_code in mapping.items():
        if new_code is None or old_code not in old.nodes or new_code not in new.nodes:
            continue
        tally = votes.setdefault(_area(new, new_code), {})
        source = _area(old, old_code)
        tally[source] = tally.get(source, 0) + 1
    order = {a.code: i for i, a in enumerate(old.areas())}
    return {area: min(tally, key=lambda a: (-tally[a], order.get(a, 99), a)) for area, tally in votes.items()}


def _area_rows(now: pd.DataFrame | None, before: list[dict[str, Any]], decimals: int,
               prev_decimals: int, areas: dict[str, str]) -> list[dict[str, Any]]:
    """Each area's index against last year's (its area by ``areas``; the predecessors' mean for a merged
    unit)."""
    rows: list[dict[str, Any]] = []
    if now is None:
        return rows
    for a in now.itertuples(index=False):
        now_i = _index(a.index_scaled, decimals)
        source = areas.get(str(a.area))
        olds = [v for b in before if source is not None and (old := b.get(source)) is not None
                and (v := _index(old.index_scaled, prev_decimals)) is not None]
        old_i = None if not olds else _mean(olds, -prev_decimals)
        rows.append(
            {
                "code": str(a.area),
                "title": str(a.title),
                "previous_code": source,
                "index": None if now_i is None else float(now_i),
                "previous_index": None if old_i is None else float(old_i),
                "index_change": None if now_i is None or old_i is None else float(now_i - old_i),
            }
        )
    return rows


def year_changes(
    session: Session,
    year: int,
    units: pd.DataFrame,
    areas: pd.DataFrame,
    previous_units: pd.DataFrame | None,
    previous_areas: pd.DataFrame | None,
) -> dict[str, UnitChanges]:
    """``UnitChanges`` by unit code for the units of ``year`` that had an assessment of the same kind in
    ``year - 1``, or predecessors that had one (frames as ``results.compute_year`` builds them:
    ``rank_change`` already worked out, ``previous_basis``/``predecessors``/``previous_index`` when the
    units went through ``results.across_reorganisation``)."""
    if previous_units is None or previous_units.empty or units.empty:
        return {}
    prev_rows: list[Any] = list(previous_units.itertuples(index=False))  # pandas types fields too loosely
    prev_by = {(str(r.code), str(r.kind)): r for r in prev_rows}
    rows: list[Any] = list(units.itertuples(index=False))
    matched: list[tuple[Any, str, tuple[str, ...]]] = []  # (row, basis, the codes it is compared with)
    for r in rows:
        basis = str(getattr(r, "previous_basis", "same"))
        codes = tuple(r.predecessors) if basis in ("renamed", "merged") else (str(r.code),)
        if any((c, str(r.kind)) in prev_by for c in codes):
            matched.append((r, "same" if basis == "new" else basis, codes))
    if not matched:
        return {}
    kinds = sorted({str(r.kind) for r, _b, _c in matched})
    now_leaves = year_leaves(session, year, kinds=kinds)
    before_leaves = year_leaves(session, year - 1, kinds=kinds)
    mappings = {k: _mapping(session, year, k) for k in kinds}
    area_by = {a: g for a, g in areas.groupby("assessment", sort=False)} if not areas.empty else {}
    prev_area_by = (
        {a: g for a, g in previous_areas.groupby("assessment", sort=False)}
        if previous_areas is not None and not previous_areas.empty
        else {}
    )
    out: dict[str, UnitChanges] = {}
    for r, basis, codes in matched:
        code, kind = str(r.code), str(r.kind)
        befores = [prev_by[(c, kind)] for c in codes if (c, kind) in prev_by]
        decimals = int(r.decimals)
        prev_decimals = int(befores[0].decimals)
        before_areas = [
            {str(a.area): a for a in prev_area_by[p.assessment].itertuples(index=False)}
            for p in befores if p.assessment in prev_area_by
        ]
        now_u = now_leaves.get(code)
        before_u = [before_leaves[c] for c in codes if c in before_leaves]
        areas_to = (area_mapping(before_u[0].framework, now_u.framework, mappings[kind])
                    if now_u is not None and before_u else {})
        area_rows = _area_rows(area_by.get(r.assessment), before_areas, decimals, prev_decimals, areas_to)
        gained: list[LeafChange] = []
        lost: list[LeafChange] = []
        followed: list[Shortcoming] = []
        if now_u is not None and before_u:
            gained, lost = _leaf_changes(now_u, before_u, mappings[kind])
            followed = _followed({u.code: u for u in before_u}, now_u, mappings[kind], codes, basis)
        if basis == "merged":  # the predecessors' mean index, no rank change (they were ranked apart)
            previous_index = r.previous_index
            rank_change = None
        else:
            previous_index = _index(befores[0].index_scaled, prev_decimals)
            rank_change = None if pd.isna(r.rank_change) else int(r.rank_change)
        out[code] = UnitChanges(
            year - 1,
            _index(r.index_scaled, decimals),
            previous_index,
            rank_change,
            area_rows,
            gained,
            lost,
            followed,
            basis,
            codes if basis != "same" else (),
        )
    return out
