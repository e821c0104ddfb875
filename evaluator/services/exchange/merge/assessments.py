"""Assessments: one per unit and year, matched by (unit, period); a new one keeps the package's id. The
criteria set must be the one the project (or another package of the run) assesses that unit and year with."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select

from evaluator.fields import year_pair_problem
from evaluator.messages import Message
from evaluator.models import Assessment, CriteriaSet, Unit, utcnow
from evaluator.services.exchange.merge.context import Planner, Target, unit_field
from evaluator.services.exchange.merge.set_moves import SetMoves
from evaluator.services.exchange.reading import _Incoming
from evaluator.services.frameworks import framework_of


class AssessmentPlanner(Planner):
    new_assessments: list[dict[str, Any]]

    def plan(self) -> None:
        self.new_assessments = []
        self.set_moves = SetMoves(self)
        ctx = self.ctx
        ctx.assessments = self._assessments(ctx.sets, ctx.periods, ctx.units, ctx.skipped_units)
        self.set_moves.check()

    def _assessments(
        self,
        set_map: dict[uuid.UUID, CriteriaSet],
        period_ids: dict[int, uuid.UUID],
        unit_map: dict[uuid.UUID, Unit | dict[str, Any]],
        skipped_units: set[uuid.UUID],
    ) -> dict[uuid.UUID, Target]:
        """Incoming assessment id → (local id, framework, unit kind, year, unit code)."""
        local = self.s.execute(
            select(Assessment.id, Assessment.unit_id, Assessment.period_id, Assessment.criteria_set_id)
        ).all()
        by_id = {r.id: r for r in local}
        by_key = {(r.unit_id, r.period_id): r for r in local}
        sets = {c.id: c for c in self.s.scalars(select(CriteriaSet))}
        out: dict[uuid.UUID, Target] = {}
        planned: dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, CriteriaSet]] = {}

        def own_first(pair: tuple[_Incoming, dict[str, Any]]) -> tuple[bool, uuid.UUID]:
            # several packages may bring an assessment the project lacks for one unit and year (merged
            # units always do): the unit's own one, else the lowest id, becomes it, in any package order
            a = pair[1]
            unit = unit_map.get(a["unit_id"])
            return (unit is not None and unit_field(unit, "id") != a["unit_id"], a["id"])

        for inc, a in sorted(((i, a) for i in self.incoming for a in i.assessments), key=own_first):
            where = Message("merge.assessment", {"label": inc.label, "id": a["id"]})
            if a["unit_id"] in skipped_units:
                self.report.skipped += 1
                continue
            unit = unit_map.get(a["unit_id"])
            year = inc.periods.get(a["period_id"])
            cset = set_map.get(a["criteria_set_id"])
            if unit is None or year is None or cset is None:
                self.problems.add("merge.assessment_unheld", where=where)
                continue
            uid, code, kind = (unit_field(unit, f) for f in ("id", "code", "kind"))
            problem = year_pair_problem(year, cset.year)  # the set's own year, not what the data says
            if problem is not None:
                self.problems.add("merge.year_pair", where=where, problem=problem, identity=cset.identity)
                continue
            fw = framework_of(cset)
            if kind not in fw.unit_kinds:
                self.problems.add("merge.no_unit_kind", where=where, identity=cset.identity, kind=kind)
                continue
            pid = period_ids[year]
            row = by_key.get((uid, pid))
            if row is None and a["id"] in by_id:
                self.problems.add("merge.id_elsewhere", where=where)
                continue
            if row is not None:
                have = sets[row.criteria_set_id]
                older = have.code == cset.code and have.version > cset.version
                if row.criteria_set_id != cset.id and self.set_moves.is_move(inc, have, cset):
                    # a handout moving this team copy to the committee's newer version of the set
                    self.set_moves.plan(inc, a["id"], row.id, code, year, have, cset)
                elif row.criteria_set_id != cset.id and older:
                    # a team package made before the committee moved this assessment to a newer version
                    # (``framework upgrade``): its entries on the criteria the move kept come in
                    newer = framework_of(have)
                    self.ctx.older_sets[row.id] = (fw, newer)
                    self.report.warnings.append(Message("merge.older_set", {
                        "label": inc.label, "unit": code, "year": year, "given": cset.identity,
                        "have": have.identity}))
                    out[a["id"]] = Target(row.id, newer, kind, year, code)
                    continue
                elif row.criteria_set_id != cset.id:
                    self.problems.add("merge.set_differs_project", label=inc.label, unit=code, year=year,
                                      have=have.identity, given=cset.identity)
                    continue
                out[a["id"]] = Target(row.id, fw, kind, year, code)
                continue
            seen = planned.get((uid, pid))
            if seen is not None and seen[1].id != cset.id:
                self.problems.add("merge.set_differs_run", label=inc.label, unit=code, year=year,
                                  given=cset.identity, other=seen[1].identity)
                continue
            local_id = seen[0] if seen is not None else None
            if local_id is None:
                local_id = a["id"]
                planned[(uid, pid)] = (local_id, cset)
                self.new_assessments.append(
                    {
                        "id": local_id,
                        "unit_id": uid,
                        "period_id": pid,
                        "criteria_set_id": cset.id,
                        "status": a["status"],
                        "locked_stages": a["locked_stages"],
                        "created_at": utcnow(),
                        "updated_at": utcnow(),
                    }
                )
                self.report.assessments_new += 1
            out[a["id"]] = Target(local_id, fw, kind, year, code)
            self.report.years.add(year)
        return out

    def write(self) -> None:
        if self.new_assessments:
            self.s.execute(insert(Assessment), self.new_assessments)

    def write_moves(self, author: str) -> None:
        self.set_moves.write(author)
