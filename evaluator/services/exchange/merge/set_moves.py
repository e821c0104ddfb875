"""A later handout that brings a newer version of a criteria set into a team copy (issue 12).

The committee imported ``CODE@W`` and moved its assessments from ``CODE@V`` (``framework upgrade``); its
next handout carries the new set and, for each moved assessment, the committee's whole revision history,
the move's own revisions included. A team copy (a project made from a handout) follows: each of its
assessments on ``CODE@V`` that the handout brings on ``CODE@W`` moves to ``CODE@W``, and the committee's
revisions then merge as fast-forwards of the laptop's (the committee's move was built on the same
revisions). Only a handout into a team copy may do this: a team's package never moves the committee's
sets, and an older version never replaces a newer one.

Decision on the laptop's own entries: a revision of a moved assessment that the handout does not carry
was typed on the laptop and never reached the committee before its move. Merged, it would stay a value
entered under the old set's rule on a leaf the new set may have changed or removed, or meet the
committee's move as a conflict between two sets' values — either way the laptop's work would be silently
re-read or lost. So the import is refused, naming the units, and says what to do: export a package of
those units (the entries then reach the committee) and start a new copy from the handout.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy import select

from evaluator.models import Assessment, CriteriaSet, Score, ScoreRevision, Setting
from evaluator.models.audit_chain import local_device
from evaluator.services import audit
from evaluator.services.exchange.merge.context import Planner
from evaluator.services.exchange.merge.settings import TEAM_COPY_SETTING
from evaluator.services.exchange.reading import PURPOSE_HANDOUT, _Incoming

ACTION = "handout.set_moved"
"""Audit action: a handout moved one of this copy's assessments to a newer version of its set."""


def may_bring_newer(planner: Planner, inc: _Incoming) -> bool:
    """Whether ``inc`` may bring a newer version of a set this project has: a handout into a team copy."""
    return inc.purpose == PURPOSE_HANDOUT and planner.s.get(Setting, TEAM_COPY_SETTING) is not None


@dataclass(frozen=True)
class SetMove:
    assessment_id: uuid.UUID
    unit: str
    year: int
    old: CriteriaSet
    new: CriteriaSet


class SetMoves:
    """The assessments a handout moves to a newer version of their set (planned by the assessments'
    planner, written with the rest of the import)."""

    def __init__(self, planner: Planner):
        self.planner = planner
        self.moves: list[SetMove] = []
        self.unsent: dict[str, int] = {}
        """Unit code → how many of the laptop's revisions of a moved assessment the handout lacks."""

    def is_move(self, inc: _Incoming, have: CriteriaSet, given: CriteriaSet) -> bool:
        return (have.code == given.code and given.version > have.version
                and may_bring_newer(self.planner, inc))

    def plan(self, inc: _Incoming, incoming_id: uuid.UUID, local_id: uuid.UUID, unit: str, year: int,
             have: CriteriaSet, given: CriteriaSet) -> None:
        if any(m.assessment_id == local_id for m in self.moves):
            return  # the same assessment in two handouts of one run
        s = self.planner.s
        local = set(s.scalars(select(ScoreRevision.id).join(Score, Score.id == ScoreRevision.score_id)
                              .where(Score.assessment_id == local_id)))
        carried = {r.id for sc in inc.scores if sc["assessment_id"] == incoming_id for r in sc["revisions"]}
        if local - carried:
            self.unsent[unit] = self.unsent.get(unit, 0) + len(local - carried)
        self.moves.append(SetMove(local_id, unit, year, have, given))
        self.planner.report.sets_moved.append({"unit": unit, "year": year, "old": have.identity,
                                               "new": given.identity})

    def check(self) -> None:
        """Refuse the whole import when a move would lose the laptop's own entries (see the module)."""
        self.planner.report.sets_moved.sort(key=lambda m: (m["unit"], m["year"]))
        if not self.unsent:
            return
        moves = {m.unit: m for m in self.moves}
        listed = "; ".join(f"{unit} ({count})" for unit, count in sorted(self.unsent.items()))
        first = moves[min(self.unsent)]
        self.planner.problems.add("copyset.unsent", units=listed, old=first.old.identity,
                                  new=first.new.identity, codes=" ".join(sorted(self.unsent)))

    def write(self, author: str) -> None:
        s = self.planner.s
        if not self.moves:
            return
        device = local_device(s.connection())
        for m in self.moves:
            row = s.get(Assessment, m.assessment_id)
            assert row is not None
            row.criteria_set_id = m.new.id
            audit.record(s, ACTION, author=author, device_id=device, assessment_id=m.assessment_id,
                         old={"criteria_set": m.old.identity}, new={"criteria_set": m.new.identity})
        s.flush()
