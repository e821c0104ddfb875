"""Criteria sets and periods the packages were made with: found by identity, added when new."""

from __future__ import annotations

import uuid
from collections import defaultdict

from sqlalchemy import select

from evaluator.models import CriteriaSet, Period, ProjectError, rebuild_framework
from evaluator.models.schema import new_id
from evaluator.services.exchange.merge.context import Planner
from evaluator.services.exchange.merge.set_moves import may_bring_newer


class CriteriaSetPlanner(Planner):
    """A set is the same when code, version and fingerprint agree; another version of a set the project
    has is refused; an unknown set is rebuilt from the package's document and added — only when the import
    accepts new sets (``accept_sets``) or the package is signed by the project's trust list: otherwise a
    team package could slip in a set of its own (a copy with one maximum raised) and score by it. Every
    new set is listed in the report (identity and fingerprint), accepted or not, so a preview can ask.
    A handout into a team copy may bring a *newer* version of a set the copy has, under the same guard:
    the committee moved to it, and the copy follows (``set_moves``)."""

    new_sets: list[CriteriaSet]

    def plan(self) -> None:
        self.new_sets = []
        self.ctx.sets = self._criteria_sets()

    def _criteria_sets(self) -> dict[uuid.UUID, CriteriaSet]:
        local = self.s.scalars(select(CriteriaSet)).all()
        by_identity = {(row.code, row.version): row for row in local}
        versions: dict[str, list[int]] = defaultdict(list)
        for existing in local:
            versions[existing.code].append(existing.version)
        out: dict[uuid.UUID, CriteriaSet] = {}
        for inc in self.incoming:
            for c in inc.sets:
                row = by_identity.get((c["code"], c["version"]))
                if row is not None:
                    if row.sha256 != c["sha256"]:
                        self.problems.add("merge.set_fingerprint", label=inc.label, code=c["code"],
                                          version=c["version"], given=c["sha256"][:12],
                                          stored=row.sha256[:12])
                        continue
                elif versions.get(c["code"]) and not (c["version"] > max(versions[c["code"]])
                                                      and may_bring_newer(self, inc)):
                    have = ", ".join(str(v) for v in sorted(versions[c["code"]]))
                    self.problems.add("merge.set_version", label=inc.label, code=c["code"],
                                      version=c["version"], have=have)
                    continue
                else:
                    accepted = self.ctx.accept_sets or inc.project_trusted
                    self.report.new_sets.append({
                        "file": inc.label, "code": c["code"], "version": c["version"], "year": c["year"],
                        "title": c["title"], "sha256": c["sha256"], "accepted": accepted,
                        "signed_by": inc.signed_by if inc.project_trusted else "",
                    })
                    if not accepted and not self.report.dry_run:
                        self.problems.add("handout.set_not_accepted", label=inc.label, code=c["code"],
                                          version=c["version"], sha=c["sha256"][:12])
                        continue
                    try:
                        fw = rebuild_framework(
                            c["document"],
                            c["sha256"],
                            source=f"{inc.label}: criteria set {c['code']}@{c['version']}",
                        )
                    except ProjectError as exc:
                        self.problems.items.append(exc.message)  # its code, rendered where it is shown
                        continue
                    row = CriteriaSet.from_framework(fw)
                    row.id = c["id"] if self.s.get(CriteriaSet, c["id"]) is None else new_id()
                    self.s.add(row)
                    self.new_sets.append(row)
                    by_identity[(c["code"], c["version"])] = row
                    versions[c["code"]].append(c["version"])
                out[c["id"]] = row
        if self.new_sets:
            self.s.flush()
        return out


class PeriodPlanner(Planner):
    """A year the project lacks gets a period (with the package's title for it)."""

    new_periods: dict[int, Period]

    def plan(self) -> None:
        self.new_periods = {}
        self.ctx.periods = self._periods()

    def _periods(self) -> dict[int, uuid.UUID]:
        local = {p.year: p.id for p in self.s.scalars(select(Period))}
        for inc in self.incoming:
            for year in inc.periods.values():
                if year not in local:
                    p = Period(year=year, title=inc.period_titles.get(year) or f"Năm {year}")
                    self.s.add(p)
                    self.s.flush()
                    local[year] = p.id
                    self.new_periods[year] = p
        return local
