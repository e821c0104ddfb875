"""Results of a year: every assessment scored by the batch engine, ranked per unit kind, compared with
the previous year, summarised per kind — the data behind ``evaluator results`` and the dashboard.

Units of one kind in different ranking groups (``Unit.ranking_group``: special bodies ranked apart; '' is
the kind's main group) are ranked and summarised separately: ``summary[kind]`` is the main group's, as it
always was, ``group_summary[(kind, group)]`` every group's. Retired units are not ranked in the years from
their retirement on (``services.units.retired_in``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal
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
from evaluator.scoring.ranking import rank_groups
from evaluator.services.frameworks import framework_of


@dataclass
class YearResults:
    year: int
    units: pd.DataFrame
    """One row per assessment: assessment, unit_id, code, name, kind, group, framework, points_c, max_c,
    index_scaled, index_raw, class_code, class_label, rank, rank_change, points_change_c, decimals."""
    areas: pd.DataFrame
    """assessment, area, title, points_c, max_c, index_scaled."""
    summary: dict[str, dict[str, Any]] = field(default_factory=dict)
    frameworks: dict[str, Framework] = field(default_factory=dict)
    """The set used per unit kind."""
    group_summary: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    """Per (kind, ranking group), the main group ('') included."""
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
                "changes": self.changes[row.code].to_json() if row.code in self.changes else None,
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
               Unit.ranking_group, Assessment.criteria_set_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(Assessment.period_id == period_id)).all() if r[1] not in retired],
        columns=["assessment", "unit_id", "code", "name", "kind", "group", "criteria_set_id"])
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
        "value": [_relative_value(r[4]) if r[3] is None else np.nan for r in rows],
        "na": [bool(r[5]) for r in rows],
    })
    evidence = pd.DataFrame(session.execute(
        select(Evidence.assessment_id, Evidence.criterion_code).distinct()
        .join(Assessment, Assessment.id == Evidence.assessment_id)
        .where(Assessment.period_id == period_id)).all(), columns=["unit", "leaf"])
    return assessments, entries, evidence


def _relative_value(value: Any) -> float:
    if isinstance(value, dict) and value.get("value") is not None:
        try:
            return float(value["value"])
        except (TypeError, ValueError):
            return np.nan
    return np.nan


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
            group["class_label"] = group["class_code"].map({b.code: b.label for b in fw.classes_for(kind)})
            for name in {"", *group["group"]}:  # the main group's summary even when it has no units
                members_of = group[group["group"] == name]
                groups[(kind, str(name))] = summarise_kind(fw, kind, members_of)
            summary[kind] = groups[(kind, "")]
            unit_frames.append(group)
        area_frames.append(areas)
    columns = ["assessment", "unit_id", "code", "name", "kind", "group", "framework", "points_c", "max_c",
               "scored_c", "bonus_c", "penalty_c", "appraisal_c", "survey_c", "index_scaled", "index_raw",
               "class_code", "class_label", "rank", "decimals"]
    if unit_frames:
        units = pd.concat(unit_frames, ignore_index=True).rename(columns={"unit": "assessment"})[columns]
        areas_all = pd.concat(area_frames, ignore_index=True).rename(columns={"unit": "assessment"})
    else:
        units = pd.DataFrame(columns=columns)
        areas_all = pd.DataFrame(columns=["assessment", "area", "title", "points_c", "max_c", "index_scaled"])
    prev = None
    if previous and session.scalars(select(Period.id).where(Period.year == year - 1)).first() is not None:
        prev = compute_year(session, year - 1, previous=False)
    units = changes(units, None if prev is None else prev.units)
    from evaluator.services.shortcomings import year_changes

    by_unit = {} if prev is None else year_changes(session, year, units, areas_all, prev.units, prev.areas)
    from evaluator.services.conflicts import open_conflicts_of

    open_by_assessment = open_conflicts_of(session, list(units["assessment"]))
    units["conflicts"] = [len(open_by_assessment.get(a, ())) for a in units["assessment"]]
    return YearResults(year=year, units=units, areas=areas_all, summary=summary, frameworks=used,
                       group_summary=groups, changes=by_unit)
