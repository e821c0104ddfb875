"""Progress of the appraisal by team and area (issue 14): for each team and each area it appraises, how
many of its units are appraised in that area, the open conflicts there and the units overdue.

(``services.progress`` is the progress callback of long jobs; this is the committee's view of the work.)

A unit is appraised in an area when every leaf of that area the unit's criteria set gives its kind —
survey leaves aside, the survey is not a team's — has a value at an appraisal stage (round 1 or 2).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from evaluator.frameworks.model import Framework
from evaluator.models import Assessment, Conflict, CriteriaSet, Period, Score, Unit
from evaluator.models.organisation_schema import Submission
from evaluator.services import schedule
from evaluator.services.frameworks import framework_of
from evaluator.services.team_scope import SCOPED_STAGES, area_of
from evaluator.services.teams import area_order, list_teams
from evaluator.services.workspace import list_units

APPRAISAL_STAGE = "appraisal1"
"""The stage whose closing date makes a unit overdue."""


def overdue_units(session: Session, year: int, stage: str, day: date | None = None) -> set[str]:
    """Codes of the units not done with ``stage`` although its closing date has passed (empty while the
    stage is open or has no dates). Done: the self-assessment submitted; another stage, every leaf the unit
    scores has a value at that stage (as the workspace counts it). Here, not in ``services.schedule``: the
    workspace's counting sits above the score writes that the schedule guards."""
    schedule.check_stage(stage)
    dates = schedule.stage_dates(session, year, stage)
    if dates is None or dates.state(day or schedule.today()) != "closed":
        return set()
    if stage == "self":
        submitted = set(session.scalars(
            select(Unit.code).join(Assessment, Assessment.unit_id == Unit.id)
            .join(Submission, Submission.assessment_id == Assessment.id)
            .join(Period, Period.id == Assessment.period_id).where(Period.year == year)).all())
        everyone = set(session.scalars(
            select(Unit.code).join(Assessment, Assessment.unit_id == Unit.id)
            .join(Period, Period.id == Assessment.period_id).where(Period.year == year)).all())
        return everyone - submitted
    return {p.code for p in list_units(session, year, stage=stage) if p.scored < p.total}


@dataclass
class ProgressRow:
    team: str
    department: str
    area: str
    title: str
    """The area's title (in the set of the first unit counted)."""
    appraised: int
    total: int
    conflicts: int
    overdue: int

    def to_json(self) -> dict[str, object]:
        return {"team": self.team, "department": self.department, "area": self.area,
                "title": self.title, "appraised": self.appraised, "total": self.total,
                "conflicts": self.conflicts, "overdue": self.overdue}


def team_progress(session: Session, year: int) -> list[ProgressRow]:
    """One row per team and area (teams by name, areas in code order)."""
    rows = session.execute(
        select(Assessment.id, Unit.code, Unit.kind, CriteriaSet)
        .join(Unit, Unit.id == Assessment.unit_id)
        .join(Period, Period.id == Assessment.period_id)
        .join(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)
        .where(Period.year == year, Unit.retired_at.is_(None))
    ).all()
    frameworks: dict[object, Framework] = {}
    # (assessment) → area → the leaves to appraise
    needed: dict[object, dict[str, set[str]]] = {}
    for a_id, _code, kind, row in rows:
        fw = frameworks.setdefault(row.id, framework_of(row))
        areas: dict[str, set[str]] = defaultdict(set)
        for node in fw:
            if node.is_leaf and node.source != "survey" and node.applies_to(kind):
                areas[area_of(fw, node.code)].add(node.code)
        needed[a_id] = areas
    ids = [r[0] for r in rows]
    done: dict[object, set[str]] = defaultdict(set)
    open_conflicts: dict[object, list[str]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for a_id, leaf in session.execute(
            select(Score.assessment_id, Score.criterion_code).where(
                Score.assessment_id.in_(chunk), Score.stage.in_(sorted(SCOPED_STAGES)),
                or_(Score.points.is_not(None), Score.not_applicable.is_(True)))
        ):
            done[a_id].add(leaf)
        for a_id, leaf in session.execute(
            select(Conflict.assessment_id, Conflict.criterion_code).where(
                Conflict.assessment_id.in_(chunk), Conflict.status == "open")
        ):
            open_conflicts[a_id].append(leaf)
    late = overdue_units(session, year, APPRAISAL_STAGE)
    out: list[ProgressRow] = []
    for team in list_teams(session):
        scope = team.scope()
        by_area: dict[str, ProgressRow] = {}
        for a_id, code, kind, row in rows:
            if not scope.has_unit(code):
                continue
            fw = frameworks[row.id]
            for area in scope.areas_for(kind):
                leaves = needed[a_id].get(area)
                if not leaves:
                    continue  # the unit's set has no such area for its kind
                line = by_area.setdefault(area, ProgressRow(team.name, team.department, area,
                                                            fw.nodes[area].title, 0, 0, 0, 0))
                line.total += 1
                finished = leaves <= done[a_id]
                line.appraised += finished
                line.conflicts += sum(1 for leaf in open_conflicts[a_id] if area_of(fw, leaf) == area)
                line.overdue += (not finished) and code in late
        out += [by_area[a] for a in sorted(by_area, key=area_order)]
    return out
