"""Results of a year: every assessment scored by the batch engine, ranked per unit kind, compared with
the previous year, summarised per kind — the data behind ``evaluator results`` and the dashboard.

Units of one kind in different ranking groups (``Unit.ranking_group``: special bodies ranked apart; '' is
the kind's main group) are ranked and summarised separately: ``summary[kind]`` is the main group's, as it
always was, ``group_summary[(kind, group)]`` every group's. Retired units are not ranked in the years from
their retirement on (``services.units.retired_in``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import Framework
from evaluator.messages import Message, labels
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, Score, Unit
from evaluator.scoring import changes, score_batch, summarise_kind
from evaluator.scoring.ranking import rank_groups, rank_in_parent
from evaluator.scoring.relative import stored_value
from evaluator.services.frameworks import framework_of


@dataclass
class YearResults:
    year: int
    units: pd.DataFrame
    """One row per assessment: assessment, unit_id, code, name, kind, group, framework, points_c, max_c,
    index_scaled, index_raw, class_code, class_label, rank, rank_change, points_change_c, decimals;
    predecessors (a tuple of codes), previous_basis, previous_index (a Decimal or None): last year's value
    across a reorganisation (``across_reorganisation``); parent (the parent unit's code or ''),
    rank_in_district (the rank within the parent: NA unless the set ranks by parent,
    ``Framework.rank_scope``)."""
    areas: pd.DataFrame
    """assessment, area, title, points_c, max_c, index_scaled."""
    summary: dict[str, dict[str, Any]] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(default_factory=dict)
    """The set used per unit kind."""
    group_summary: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """Per (kind, ranking group), the main group ('') included."""
    approvals: dict[str, Any] = field(default_factory=dict)
    """Per unit code, its ``approval.ApprovalState``."""
    statuses: dict[str, str] = field(default_factory=dict)
    """Per unit code, its status from start to publication (``approval.UNIT_STATUSES``)."""
    changes: dict[str, Any] = field(default_factory=dict)
    """``shortcomings.UnitChanges`` by unit code: the change against last year (units assessed both years)."""

    def kinds(self) -> list[str]:
        order = {"department": 0, "district": 1, "commune": 2}
        return sorted(self.summary, key=lambda k: (order.get(k, 9), k))

    def groups(self, kind: str) -> list[str]:
        """The ranking groups of ``kind``: the main group ('') first, then the others by name."""
        return sorted((g for k, g in self.group_summary if k == kind), key=lambda g: (g != "", g))

    def ranking(self, kind: str | None = None, group: str | None = None) -> pd.DataFrame:
        """Units in rank order: by kind, then group (the main group first), then rank and code."""
        frame = self.units if kind is None else self.units[self.units["kind"] == kind]
        if group is not None:
            frame = frame[frame["group"] == group]
        order = {"department": 0, "district": 1, "commune": 2}

        def key(s: pd.Series) -> pd.Series:
            if s.name == "kind":
                return s.map(order).fillna(9)
            if s.name == "group":
                return s.map(lambda g: f"1{g}" if g else "0")  # the main group first
            return s

        return frame.sort_values(["kind", "group", "rank", "code"], key=key)

    def to_json(self, kind: str | None = None) -> dict[str, Any]:
        """The public JSON shape of ``evaluator results --format json`` (numbers, two decimals)."""
        units = []
        areas_by = {a: g for a, g in self.areas.groupby("assessment", sort=False)}
        for record in self.ranking(kind).itertuples(index=False):
            row: Any = record  # pandas types namedtuple fields too loosely for mypy
            area_rows = areas_by.get(row.assessment)
            decimals = int(row.decimals)
            units.append({
                "code": row.code, "name": row.name, "kind": row.kind,
                "points": cents_number(row.points_c), "max": cents_number(row.max_c),
                "index": scaled_number(row.index_scaled, decimals),
                "rank": _optional_int(row.rank),
                "rank_change": _optional_int(row.rank_change),
                "points_change": None if _optional_int(row.points_change_c) is None
                else cents_number(row.points_change_c),
                "class": row.class_code, "class_label": row.class_label,
                "unresolved_conflicts": int(row.conflicts),
                "areas": [] if area_rows is None else [
                    {"code": a.area, "title": a.title, "points": cents_number(a.points_c),
                     "max": cents_number(a.max_c), "index": scaled_number(a.index_scaled, decimals)}
                    for a in area_rows.itertuples(index=False)],
                "group": row.group,  # added last: the fields before keep their order
                # year-over-year across a reorganisation (issue 13), after the fields above
                "predecessors": list(row.predecessors),
                "previous_basis": row.previous_basis,
                "previous_index": None if row.previous_index is None else float(row.previous_index),
                "status": self.statuses.get(row.code),
                "approval": self.approvals[row.code].to_json() if row.code in self.approvals else None,
                "changes": self.changes[row.code].to_json() if row.code in self.changes else None,
                # only for a set that ranks by parent (ranking.scope): the usual output stays as it was
                **({"rank_in_district": _optional_int(row.rank_in_district), "district": row.parent or None}
                   if self.frameworks[row.kind].rank_scope != "kind" else {}),
            })
        summary = {}
        groups: dict[str, dict[str, Any]] = {}
        for k in self.kinds():
            if kind is not None and k != kind:
                continue
            summary[k] = _summary_json(self.summary[k])
            for g in self.groups(k):
                if g:
                    groups.setdefault(k, {})[g] = _summary_json(self.group_summary[(k, g)])
        out = {"year": self.year, "units": units, "summary": summary}
        if groups:  # only when some unit is ranked apart: the usual output stays as it was
            out["groups"] = groups
        return out


BASES = ("same", "renamed", "merged", "new")
"""What a unit's previous-year figures compare with: itself (``same``), the unit it was before a rename
(``renamed``: rank and points change as before), the mean index of the units merged into it (``merged``:
no rank or points change, the units were ranked apart), nothing (``new``)."""


def across_reorganisation(session: Session, year: int, units: pd.DataFrame,
                          previous: pd.DataFrame | None) -> pd.DataFrame:
    """``units`` with ``predecessors``, ``previous_basis`` and ``previous_index`` per row; a renamed unit's
    ``rank_change``/``points_change_c`` against its predecessor, a merged unit's none.

    ``previous_index`` of a merged unit is the mean of its predecessors' published (rounded) indices of the
    year before, rounded half up to the unit's decimals; predecessors not ranked that year are left out."""
    from evaluator.services.reorganisation import predecessors_in

    out = units.copy()
    preds = predecessors_in(session, year) if len(out) else {}
    last: dict[str, Any] = {}
    if previous is not None:
        for r in previous.itertuples(index=False):
            p: Any = r
            last[str(p.code)] = p
    codes_col: list[tuple[str, ...]] = []
    basis_col: list[str] = []
    index_col: list[Decimal | None] = []
    rank_change = list(out["rank_change"]) if len(out) else []
    points_change = list(out["points_change_c"]) if len(out) else []
    for i, r in enumerate(out.itertuples(index=False)):
        row: Any = r
        decimals = int(row.decimals)
        found = preds.get(uuid.UUID(str(row.unit_id)))
        if found is None:
            mine = last.get(str(row.code))
            if mine is None or mine.kind != row.kind:
                codes_col.append(())
                basis_col.append("new")
                index_col.append(None)
            else:
                codes_col.append(())
                basis_col.append("same")
                index_col.append(_index_of(mine))
            continue
        codes_col.append(found.codes)
        basis_col.append(found.basis)
        before = [last[c] for c in found.codes if c in last]
        if found.basis == "renamed":
            prev_row = before[0] if before else None
            index_col.append(None if prev_row is None else _index_of(prev_row))
            rank_change[i] = pd.NA if prev_row is None or pd.isna(prev_row.rank) or pd.isna(row.rank) \
                else int(prev_row.rank) - int(row.rank)
            points_change[i] = pd.NA if prev_row is None else int(row.points_c) - int(prev_row.points_c)
        else:
            indices = [v for v in (_index_of(b) for b in before) if v is not None]
            index_col.append(None if not indices else (sum(indices, Decimal(0)) / len(indices)).quantize(
                Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))
            rank_change[i] = pd.NA
            points_change[i] = pd.NA
    out["predecessors"] = pd.Series(codes_col, index=out.index, dtype=object)
    out["previous_basis"] = pd.Series(basis_col, index=out.index, dtype=object)
    out["previous_index"] = pd.Series(index_col, index=out.index, dtype=object)
    out["rank_change"] = pd.array(rank_change, dtype="Int64")
    out["points_change_c"] = pd.array(points_change, dtype="Int64")
    return out


def previous_label(unit: dict[str, Any]) -> Message:
    """"Năm trước: bình quân của SO03, SO07" — what a unit of the results JSON compares with."""
    codes = ", ".join(unit.get("predecessors") or ())
    code = {"merged": "reorg.previous_merged", "renamed": "reorg.previous_renamed"}.get(
        unit.get("previous_basis", ""), "reorg.previous_new")
    return Message(code, {"codes": codes})


def _index_of(row: Any) -> Decimal | None:
    """A unit's published index of a year (None when it had no applicable maximum)."""
    value = int(row.index_scaled)
    return None if value < 0 else Decimal(value).scaleb(-int(row.decimals))


def _summary_json(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "units": s["units"],
        "mean_index": None if s["mean_index"] is None else float(s["mean_index"]),
        "classes": {code: {"label": c["label"], "count": c["count"], "share": float(c["share"])}
                    for code, c in s["classes"].items()},
    }


def _optional_int(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def cents_number(value: Any) -> float:
    return float(Decimal(int(value)).scaleb(-2))


def scaled_number(value: Any, decimals: int) -> float | None:
    value = int(value)
    return None if value < 0 else float(Decimal(value).scaleb(-decimals))


def _frames(session: Session, period_id: uuid.UUID,
            year: int) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    from evaluator.services.units import retired_in

    retired = retired_in(session, year)
    assessments = pd.DataFrame([r for r in session.execute(
        select(Assessment.id.label("assessment"), Unit.id.label("unit_id"), Unit.code, Unit.name, Unit.kind,
               Unit.ranking_group, Assessment.criteria_set_id, Unit.parent_code)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(Assessment.period_id == period_id)).all() if r[1] not in retired],
        columns=["assessment", "unit_id", "code", "name", "kind", "group", "criteria_set_id", "parent"])
    assessments["parent"] = assessments["parent"].fillna("")
    rows = session.execute(
        select(Score.assessment_id, Score.criterion_code, Score.stage, Score.points, Score.value,
               Score.not_applicable)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .where(Assessment.period_id == period_id)).all()
    entries = pd.DataFrame({
        "unit": [r[0] for r in rows],
        "leaf": [r[1] for r in rows],
        "stage": [r[2] for r in rows],
        "points": [np.nan if r[3] is None else float(r[3]) for r in rows],
        "value": [stored_value(r[4]) if r[3] is None else np.nan for r in rows],
        "na": [bool(r[5]) for r in rows],
    })
    evidence = pd.DataFrame(session.execute(
        select(Evidence.assessment_id, Evidence.criterion_code).distinct()
        .join(Assessment, Assessment.id == Evidence.assessment_id)
        .where(Assessment.period_id == period_id, Evidence.carry_pending.is_(False))).all(),
        columns=["unit", "leaf"])  # a carried file counts once confirmed
    return assessments, entries, evidence


def compute_year(session: Session, year: int, *, previous: bool = True) -> YearResults:
    period = session.scalars(select(Period).where(Period.year == year)).first()
    if period is None:
        known = sorted(session.scalars(select(Period.year)).all())
        raise UserError("projects.no_year", year=year,
                        years=", ".join(map(str, known)) or Message("common.none"))
    assessments, entries, evidence = _frames(session, period.id, year)
    sets = {row.id: row for row in session.scalars(select(CriteriaSet).where(
        CriteriaSet.id.in_(list(assessments["criteria_set_id"].unique())))).all()} if len(assessments) else {}
    unit_frames, area_frames = [], []
    summary: dict[str, dict[str, Any]] = {}
    used: dict[str, Framework] = {}
    groups: dict[tuple[str, str], dict[str, Any]] = {}
    for set_id, members in assessments.groupby("criteria_set_id", sort=False):
        fw = framework_of(sets[uuid.UUID(str(set_id))])
        batch_units = members.rename(columns={"assessment": "unit"})[["unit", "kind"]]
        batch = score_batch(fw, batch_units, entries, evidence)
        scored = batch.units.merge(members.rename(columns={"assessment": "unit"}), on=["unit", "kind"])
        titles = {n.code: n.title for n in fw.areas()}
        areas = batch.areas.assign(title=batch.areas["area"].map(titles))
        for kind, group in scored.groupby("kind", sort=False):
            kind = str(kind)
            if kind in used and used[kind].identity != fw.identity:
                raise UserError("frameworks.two_sets", year=year, kind=labels.kind(kind),
                                first=used[kind].identity, second=fw.identity)
            used[kind] = fw
            group = group.assign(rank=rank_groups(fw, group, areas), framework=fw.identity,
                                 decimals=fw.index_decimals)
            group["rank_in_district"] = rank_in_parent(fw, group, areas)
            if fw.rank_scope == "parent":  # the set ranks each unit in its district only
                group["rank"] = group["rank_in_district"].astype("int64")
            group["class_label"] = group["class_code"].map({b.code: b.label for b in fw.classes_for(kind)})
            for name in {"", *group["group"]}:  # the main group's summary even when it has no units
                members_of = group[group["group"] == name]
                groups[(kind, str(name))] = summarise_kind(fw, kind, members_of)
            summary[kind] = groups[(kind, "")]
            unit_frames.append(group)
        area_frames.append(areas)
    columns = ["assessment", "unit_id", "code", "name", "kind", "group", "framework", "points_c", "max_c",
               "scored_c", "bonus_c", "penalty_c", "appraisal_c", "survey_c", "index_scaled", "index_raw",
               "class_code", "class_label", "rank", "decimals", "parent", "rank_in_district"]
    if unit_frames:
        units = pd.concat(unit_frames, ignore_index=True).rename(columns={"unit": "assessment"})[columns]
        areas_all = pd.concat(area_frames, ignore_index=True).rename(columns={"unit": "assessment"})
    else:
        units = pd.DataFrame(columns=columns)
        areas_all = pd.DataFrame(columns=["assessment", "area", "title", "points_c", "max_c", "index_scaled"])
    prev = None
    if previous and session.scalars(select(Period.id).where(Period.year == year - 1)).first() is not None:
        prev = compute_year(session, year - 1, previous=False)
    prev_units = None if prev is None else prev.units
    units = changes(units, prev_units)
    units = across_reorganisation(session, year, units, prev_units)
    from evaluator.services.shortcomings import year_changes

    by_unit = {} if prev is None else year_changes(session, year, units, areas_all, prev.units, prev.areas)
    from evaluator.services.conflicts import open_conflicts_of

    open_by_assessment = open_conflicts_of(session, list(units["assessment"]))
    units["conflicts"] = [len(open_by_assessment.get(a, ())) for a in units["assessment"]]
    approvals: dict[str, Any] = {}
    statuses: dict[str, str] = {}
    if previous:  # the previous year's results only lend their ranks and points
        from evaluator.services.approval import approval_states, unit_statuses

        approvals = dict(approval_states(session, year))
        statuses = unit_statuses(session, year, approvals)
    return YearResults(year=year, units=units, areas=areas_all, summary=summary, frameworks=used,
                       group_summary=groups, approvals=approvals, statuses=statuses, changes=by_unit)
