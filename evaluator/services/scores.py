"""Recording a stage value of a leaf: the one path every edit takes (GUI, CLI, imports).

Each call evaluates the input with the leaf's rule, keeps the revision chain, writes the audit log and
returns a ``Change``. Two rules of the appraisal live here, so every face obeys them:

- a person's role decides which stages they may edit (``ROLE_STAGES``; an empty role — scripts, the CLI,
  imports — is not restricted);
- an appraised value (appraisal 1 or 2) that differs from the unit's self score needs a reason, and a
  changed value needs its own: the note stored with the value it replaces does not count (an old "agreed
  with the self score" once went into the signed minutes as the reason for a lowered score).

Notes and reasons obey ``fields.check_text`` (no control characters, bounded length) whoever passes them.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.fields import FieldError, check_text
from evaluator.frameworks.model import ALL_STAGES, STAGES, SURVEY_STAGE, Framework, Node
from evaluator.messages import Message, labels
from evaluator.models import Assessment, Conflict, Score, ScoreRevision
from evaluator.models.schema import new_id
from evaluator.scoring import InputError, check_points, evaluate
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.frameworks import framework_of
from evaluator.services.schedule import check_open
from evaluator.services.team_scope import copy_scope

ROLES: tuple[str, ...] = ("assessor", "member", "leader", "secretary", "committee")
"""Unit self-assessor, appraisal team member, team leader, council secretary, council/committee."""
ROLE_STAGES: dict[str, frozenset[str]] = {
    "assessor": frozenset({"self", "explanation"}),
    "member": frozenset({"appraisal1", "appraisal2"}),
    "leader": frozenset({"appraisal1", "appraisal2"}),
    "secretary": frozenset({"appraisal1", "explanation", "appraisal2", SURVEY_STAGE}),
    "committee": frozenset(ALL_STAGES),
}
APPRAISAL_STAGES: frozenset[str] = frozenset({"appraisal1", "appraisal2"})
REVISION_FIELDS = ("value", "points", "not_applicable", "note", "author", "device_id")
"""What a score revision records and its score row then shows: columns of both ``score`` and
``score_revision`` (``add_revision``, ``conflicts.Rev``, team packages)."""


class ReasonRequired(UserError):
    """An appraised value differs from the self score and no reason was given."""


def editable_stages(role: str) -> frozenset[str]:
    """The stages a role may edit; the empty role (scripts, imports) may edit every stage."""
    if not role:
        return frozenset(ALL_STAGES)
    if role not in ROLE_STAGES:
        raise UserError("common.unknown_role", role=role, roles=", ".join(ROLES))
    return ROLE_STAGES[role]


def check_stage(node: Node, stage: str) -> None:
    if stage not in ALL_STAGES:
        raise UserError("common.unknown_stage", stage=stage, stages=", ".join(ALL_STAGES))
    if node.source == "survey" and stage != SURVEY_STAGE:
        raise UserError("scores.survey_only", criterion=node.code, survey=labels.stage(SURVEY_STAGE))
    if node.source != "survey" and stage == SURVEY_STAGE:
        raise UserError("scores.appraisal_only", criterion=node.code, stages=", ".join(STAGES))


def leaf_of(fw: Framework, kind: str, code: str) -> Node:
    node = fw.nodes.get(code)
    if node is None or not node.is_leaf:
        raise UserError("scores.not_a_leaf", criterion=code, criteria_set=fw.identity)
    if not node.applies_to(kind):
        raise UserError("rules.not_for_kind", criterion=code, kind=kind)
    return node


def score_state(score: Score | None) -> dict[str, Any] | None:
    if score is None:
        return None
    return {
        "value": score.value,
        "points": score.points,
        "not_applicable": score.not_applicable,
        "note": score.note,
    }


def checked_text(value: object, field: str, place: Message | str) -> str:
    """``value`` if it obeys the rule of ``field`` (note, reason, reference), else a ``UserError`` naming
    ``place`` and the field."""
    try:
        return check_text(value, field)
    except FieldError as exc:
        raise UserError("scores.field_refused", place=place, field=labels.field(field), problem=exc) from None


def _filled(points: Decimal | None, value: Any, not_applicable: bool) -> bool:
    return points is not None or not_applicable or bool(value)


def needs_reason(
    session: Session,
    assessment_id: uuid.UUID,
    leaf: str,
    stage: str,
    points: Decimal | None,
    not_applicable: bool,
) -> bool:
    """Whether an appraisal-stage value (points / not applicable) differs from the stored self score."""
    if stage not in APPRAISAL_STAGES:
        return False
    own = session.scalars(
        select(Score).where(
            Score.assessment_id == assessment_id, Score.criterion_code == leaf, Score.stage == "self"
        )
    ).first()
    if own is None or not _filled(own.points, own.value, own.not_applicable):
        return False
    return (own.points, own.not_applicable) != (points, not_applicable)


def set_score(
    session: Session,
    assessment_id: uuid.UUID,
    leaf: str,
    stage: str,
    *,
    value: dict[str, Any] | None = None,
    points: Decimal | None = None,
    not_applicable: bool = False,
    clear: bool = False,
    note: str = "",
    author: str = "",
    role: str = "",
    device_id: str = "",
    reason: str = "",
    day: date | None = None,
) -> Change:
    """Record one stage value. ``clear=True`` empties the stage (kept as a revision, audited): the leaf's
    final value falls back to the previous stage. Raises ``ReasonRequired`` for an appraised value that
    differs from the self score without ``reason`` (or a note of its own: not the note of the value it
    replaces); ``UserError`` for a note or reason with control characters or too long, and for a stage
    outside its dates on ``day`` (default today; ``schedule.check_open``)."""
    place = Message("scores.place_criterion", {"criterion": leaf, "stage": labels.stage(stage)})
    note = checked_text(note, "note", place)
    reason = checked_text(reason, "reason", place)
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise UserError("scores.no_assessment", id=assessment_id)
    fw = framework_of(assessment.criteria_set)
    kind = assessment.unit.kind
    node = leaf_of(fw, kind, leaf)
    check_stage(node, stage)
    if stage not in editable_stages(role):
        raise UserError("scores.role_cannot_edit", role=labels.role(role), stage=labels.stage(stage))
    scope = copy_scope(session)  # a team copy: only the team's areas are its to appraise
    if scope is not None and not scope.covers(fw, kind, assessment.unit.code, leaf, stage):
        raise UserError("teams.out_of_scope", criterion=leaf, unit=assessment.unit.code, team=scope.team,
                        stage=labels.stage(stage))
    if stage in assessment.locked:
        raise UserError("scores.stage_locked", stage=labels.stage(stage), unit=assessment.unit.code)
    check_open(session, assessment, stage, day)
    if open_conflict(session, assessment_id, leaf, stage) is not None:
        raise UserError("scores.open_conflict", criterion=leaf, stage=labels.stage(stage),
                        unit=assessment.unit.code)
    try:
        if clear:
            result = None
            value, points, not_applicable = None, None, False
        elif not_applicable:
            result = evaluate(node, kind, {"not_applicable": True})
        elif value is not None:
            result = evaluate(node, kind, value)
        elif points is not None:
            check_points(node, kind, points)
            result = None
        else:
            raise UserError("scores.give_something", criterion=leaf)
    except InputError as exc:
        raise UserError.from_error(exc) from exc
    if result is not None:
        points = result.points
        not_applicable = result.not_applicable
    score = session.scalars(
        select(Score).where(
            Score.assessment_id == assessment_id, Score.criterion_code == leaf, Score.stage == stage
        )
    ).first()
    old = score_state(score)
    # The note kept from the value this one replaces is that value's reason, not this change's.
    inherited = (
        score is not None
        and (score.points, score.not_applicable) != (points, not_applicable)
        and bool(note.strip())
        and note.strip() == (score.note or "").strip()
    )
    own_reason = reason.strip() or ("" if inherited else note.strip())
    needed = not clear and needs_reason(session, assessment_id, leaf, stage, points, not_applicable)
    if needed and not own_reason:
        if inherited:
            raise ReasonRequired("scoring.reason_for_change", criterion=leaf, note=note.strip())
        raise ReasonRequired("scoring.reason_required", criterion=leaf)
    last = None
    if score is None:
        score = Score(assessment_id=assessment_id, criterion_code=leaf, stage=stage, revision=0)
        session.add(score)
    else:
        last = session.scalars(
            select(ScoreRevision.id)
            .where(ScoreRevision.score_id == score.id)
            .order_by(ScoreRevision.revision.desc())
        ).first()
    fields = {"value": value, "points": points, "not_applicable": not_applicable, "note": note,
              "author": author, "device_id": device_id}
    add_revision(session, score, fields, revision=(score.revision or 0) + 1, base=last)
    audit.record(
        session,
        "score.clear" if clear else "score.set",
        author=author,
        role=role,
        device_id=device_id,
        assessment_id=assessment_id,
        criterion_code=leaf,
        stage=stage,
        old=old,
        new=score_state(score),
        reason=reason or (note if stage in APPRAISAL_STAGES and not inherited else ""),
    )
    return Change(
        assessments={assessment_id},
        leaves={(assessment_id, leaf)},
        audit=True,
        years={assessment.period.year},
    )


def add_revision(session: Session, score: Score, fields: Mapping[str, Any], *, revision: int,
                 base: uuid.UUID | None, time: datetime | None = None) -> ScoreRevision:
    """Set ``score`` to ``fields`` (``REVISION_FIELDS``) as its revision number ``revision``, built on the
    revision ``base``, and keep them as a new ``ScoreRevision`` (its id set now, for the audit event)."""
    for name in REVISION_FIELDS:
        setattr(score, name, fields[name])
    score.revision, score.base_revision_id = revision, base
    if time is not None:
        score.updated_at = time
    if score.id is None:  # a new score gets its id when inserted
        session.flush()
    rev = ScoreRevision(id=new_id(), score_id=score.id, revision=revision, base_revision_id=base,
                        **{name: fields[name] for name in REVISION_FIELDS})
    if time is not None:
        rev.time = time
    session.add(rev)
    return rev


def open_conflict(session: Session, assessment_id: uuid.UUID, leaf: str, stage: str) -> Conflict | None:
    """The open conflict of one score, if any: ``set_score`` refuses to edit such a score (an edit would
    build on one side only; resolve the conflict instead). Here, not in ``conflicts``, which builds on this
    module."""
    return session.scalars(
        select(Conflict).where(
            Conflict.assessment_id == assessment_id,
            Conflict.criterion_code == leaf,
            Conflict.stage == stage,
            Conflict.status == "open",
        )
    ).first()
