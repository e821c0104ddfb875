"""Moving through the workspace at keyboard speed: which leaves of a unit are still unscored, the tree's
filters (unscored, appraisal differs from the self score, evidence missing, open conflicts) and "next
unscored" in order across the unit, then on to the next unit of the list.

"Unscored" is the unit list's own measure (``workspace.PROGRESS_STAGES`` at the stage the unit's status
is at), so the next unscored leaf is always one the progress column still counts as missing.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session

from evaluator.services import conflicts
from evaluator.services import workspace as ws
from evaluator.services.team_scope import area_of, copy_scope

FILTERS = ("all", "unscored", "differs", "no_evidence", "conflict", "mine")
"""The tree's filters, in the order the combo shows them ("mine", "Lĩnh vực của tôi": the areas of a team
copy's scope, offered only there — ``filters``)."""


def filters(session: Session) -> tuple[str, ...]:
    """The filters this project offers: "mine" only on a team copy whose team has a scope."""
    return FILTERS if copy_scope(session) is not None else tuple(f for f in FILTERS if f != "mine")


def unscored(sheet: ws.UnitSheet) -> list[str]:
    """The unit's leaves (tree order) with no value at the stage its progress is counted at. Survey
    leaves are not counted: units do not score them."""
    at = ws.STATUS_STAGE.get(sheet.status, "self")
    stages = ws.PROGRESS_STAGES.get(at, (at,))
    return [
        r.code
        for r in sheet.leaves()
        if r.source != "survey" and not any(st in r.stages and r.stages[st].filled for st in stages)
    ]


def filtered(session: Session, sheet: ws.UnitSheet, name: str) -> list[str]:
    """The leaves (tree order) a filter keeps; ``all`` keeps every leaf."""
    if name == "unscored":
        return unscored(sheet)
    if name == "mine":
        scope = copy_scope(session)
        if scope is None:
            return [r.code for r in sheet.leaves()]
        return [r.code for r in sheet.leaves()
                if scope.covers_area(sheet.kind, sheet.code, area_of(sheet.framework, r.code))]
    if name == "differs":
        return [r.code for r in sheet.leaves() if r.mark == ws.MARK_CHANGED]
    if name == "no_evidence":
        return [
            r.code
            for r in sheet.leaves()
            if r.evidence == 0 and sheet.node(r.code).evidence_required and r.source != "survey"
        ]
    if name == "conflict":
        found = {x.split("/", 1)[0] for x in conflicts.open_conflicts_of(session, [sheet.assessment_id]).get(
            sheet.assessment_id, []
        )}
        return [r.code for r in sheet.leaves() if r.code in found]
    return [r.code for r in sheet.leaves()]


def next_unscored(
    session: Session,
    sheet: ws.UnitSheet,
    after: str | None,
    units: Sequence[uuid.UUID],
) -> tuple[uuid.UUID, str] | None:
    """The next unscored leaf after ``after`` in ``sheet``'s unit, else the first unscored leaf of the
    units that follow it in ``units`` (the list's order, wrapping round), else one before ``after`` in
    this unit; None when everything is scored."""
    here = unscored(sheet)
    codes = [r.code for r in sheet.leaves()]
    position = codes.index(after) if after in codes else -1
    later = [c for c in here if codes.index(c) > position]
    if later:
        return sheet.assessment_id, later[0]
    order = list(units)
    start = order.index(sheet.assessment_id) if sheet.assessment_id in order else -1
    following = order[start + 1:] + order[: max(start, 0)]
    if following:
        progress = {p.assessment_id: p for p in ws.list_units(session, sheet.year, only=set(following))}
        for a_id in following:
            p = progress.get(a_id)
            if p is None or p.scored >= p.total:
                continue
            other = unscored(ws.load_unit(session, a_id))
            if other:
                return a_id, other[0]
    if here:
        return sheet.assessment_id, here[0]
    return None
