"""Moving every assessment on a criteria set ``CODE@V`` to a newer version ``CODE@W`` stored in the same
project (``evaluator framework upgrade``), with one of three strategies for the values already entered:

- ``keep``: a stage value of a leaf whose code, source, rule, "not applicable allowed" flag and maximum
  for the unit's kind are unchanged is carried; every other value is cleared and its leaf listed as
  needing a new score. A changed maximum is a change of meaning (0.5 of 0.5 is full marks, 0.5 of 1.0 is
  half), so ``keep`` does not carry it;
- ``reset``: nothing is carried;
- ``rescale``: what ``keep`` carries, and also the values of leaves whose *only* change is their maximum:
  points entered as points are scaled by the rule of three (``new = old × new max ÷ old max``, rounded
  half-up to the cent, then clamped to [0, new max]), as CISO Assistant's ``rule_of_three`` strategy does
  for a requirement whose score range changed; an input the rule turns into points (done / option / ratio /
  count …) is carried as it was and the new rule makes its points (a rule written as shares of the
  maximum then scales by itself, one written in absolute points keeps them).

Every carried value gets its points recomputed by the new set's rule; an input the new rule refuses is
cleared instead (listed, never half-carried).

Decisions, and why:

- A moved value keeps its author, device, note and time: it is still that person's entry. It gets a new
  revision (built on its last one) so that the history shows it was re-evaluated, and so that a team
  laptop that edits the old revision later meets a conflict instead of silently overwriting the move. The
  revision row cannot carry a reason of its own without replacing the person's note (which goes into the
  signed minutes as the appraiser's reason), so the *why* is the assessment's audit event
  (``framework.upgrade``), which names every revision the move wrote and the reason given.
- A value that is not carried is cleared the way ``scores.set_score(clear=True)`` clears one: a revision
  with no value, by whoever runs the upgrade, so the old value stays in the revision history and the score
  row no longer counts under the new rule.
- Evidence is attached per leaf code: evidence of a carried leaf stays on that code, so it moves with it;
  evidence of a leaf the new set removed is kept and listed (never deleted: it is part of the file the unit
  handed in), and evidence of a changed leaf stays for the new score.
- Locked stages refuse the upgrade: a lock means those values were signed off, and moving them to another
  set changes their points and the index; unlocking is a deliberate, audited step.
- Open conflicts on the old version refuse it too: a conflict is settled between the values of the set
  they were entered under; moving one side would decide it silently.
- One transaction, after a backup (``backups.backup_before_import``); ``dry_run`` computes the very same plan
  and writes nothing (not even this computer's device row).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from evaluator.errors import UserError
from evaluator.frameworks.diff import SCORE_FIELDS, FrameworkDiff, diff_frameworks, node_fields
from evaluator.frameworks.model import CENT, Framework, Node
from evaluator.messages import Message, labels, say
from evaluator.models import Assessment, Conflict, CriteriaSet, Evidence, Project, Score, ScoreRevision
from evaluator.models.schema import utcnow
from evaluator.scoring import InputError, check_points, evaluate
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.frameworks import framework_of
from evaluator.services.scores import add_revision, checked_text
from evaluator.services.users import Actor, actor_in

STRATEGIES: tuple[str, ...] = ("keep", "reset", "rescale")
ACTION = "framework.upgrade"
MAX_LISTED = 10
"""How many conflicts or locked assessments a refusal names before "…"."""


# --- identities ------------------------------------------------------------------------------------
def parse_identity(text: str) -> tuple[str, int]:
    """``CODE@VERSION`` as (code, version); a ``UserError`` naming the text otherwise."""
    code, sep, version = str(text).strip().rpartition("@")
    if not sep or not code or not version.isdigit() or not version.isascii():
        raise UserError("upgrade.bad_identity", given=text)
    return code, int(version)


def looks_like_identity(text: str) -> bool:
    code, sep, version = str(text).rpartition("@")
    return bool(sep and code and version.isdigit())


def stored_set(session: Session, text: str) -> CriteriaSet:
    """The project's stored set named ``CODE@VERSION``."""
    code, version = parse_identity(text)
    row = session.scalars(select(CriteriaSet).where(CriteriaSet.code == code,
                                                    CriteriaSet.version == version)).first()
    if row is None:
        known = sorted(session.scalars(select(CriteriaSet)).all(), key=lambda r: (r.code, r.version))
        raise UserError("upgrade.unknown_set", identity=f"{code}@{version}",
                        known=", ".join(r.identity for r in known) or Message("common.none"))
    return row


# --- the plan ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Moved:
    """One stage value carried to the new set."""

    criterion: str
    stage: str
    old_points: Decimal | None
    new_points: Decimal | None
    not_applicable: bool
    how: str
    """``kept`` or ``rescaled``."""
    value: Any = None
    score_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Cleared:
    """One stage value the new set does not take."""

    criterion: str
    stage: str
    old_points: Decimal | None
    why: str
    """``removed`` (not a leaf of the new set for this kind), ``changed`` (its rule, source or maximum
    changed), ``reset`` (the strategy) or ``refused`` (the new rule refuses the input)."""
    score_id: uuid.UUID | None = None


@dataclass
class AssessmentMove:
    assessment_id: uuid.UUID
    unit: str
    name: str
    kind: str
    moved: list[Moved] = field(default_factory=list)
    cleared: list[Cleared] = field(default_factory=list)
    needs_score: list[str] = field(default_factory=list)
    """Leaves of the new set (for this kind) to score again: added, or whose values were cleared."""
    evidence_moved: int = 0
    evidence_kept: list[tuple[str, str]] = field(default_factory=list)
    """(criterion, file name) of evidence on leaves the new set no longer has (kept, not deleted)."""
    revisions: list[str] = field(default_factory=list)
    """The revision ids written (empty for a dry run)."""

    def count(self, how: str) -> int:
        return sum(1 for m in self.moved if m.how == how)

    def to_json(self) -> dict[str, Any]:
        return {
            "assessment": str(self.assessment_id), "unit": self.unit, "name": self.name, "kind": self.kind,
            "moved": [{"criterion": m.criterion, "stage": m.stage, "old_points": _num(m.old_points),
                       "new_points": _num(m.new_points), "not_applicable": m.not_applicable, "how": m.how}
                      for m in self.moved],
            "cleared": [{"criterion": c.criterion, "stage": c.stage, "old_points": _num(c.old_points),
                         "why": c.why} for c in self.cleared],
            "needs_score": self.needs_score,
            "evidence_moved": self.evidence_moved,
            "evidence_kept": [{"criterion": c, "file_name": f} for c, f in self.evidence_kept],
        }


@dataclass
class UpgradeReport:
    old: str
    new: str
    strategy: str
    dry_run: bool
    diff: FrameworkDiff
    assessments: list[AssessmentMove] = field(default_factory=list)
    backup: Path | None = None
    change: Change = field(default_factory=Change)

    def totals(self) -> dict[str, int]:
        return {"assessments": len(self.assessments),
                "kept": sum(a.count("kept") for a in self.assessments),
                "rescaled": sum(a.count("rescaled") for a in self.assessments),
                "cleared": sum(len(a.cleared) for a in self.assessments),
                "evidence_kept": sum(len(a.evidence_kept) for a in self.assessments)}

    def to_json(self) -> dict[str, Any]:
        return {"old": self.old, "new": self.new, "strategy": self.strategy, "dry_run": self.dry_run,
                "backup": None if self.backup is None else str(self.backup), "totals": self.totals(),
                "assessments": [a.to_json() for a in self.assessments], "diff": self.diff.to_json()}

    def render(self) -> str:
        totals = self.totals()
        head = "upgrade.head_dry_run" if self.dry_run else "upgrade.head_done"
        lines = [say(head, count=totals["assessments"], old=self.old, new=self.new,
                     strategy=Message(f"upgrade.strategy_{self.strategy}"))]
        if self.backup is not None:
            lines.append(say("upgrade.backup", path=self.backup))
        lines.append(say("upgrade.totals", kept=totals["kept"], rescaled=totals["rescaled"],
                         cleared=totals["cleared"]))
        for a in self.assessments:
            lines.append(say("upgrade.unit_line", unit=a.unit, name=a.name, kept=a.count("kept"),
                             rescaled=a.count("rescaled"), cleared=len(a.cleared)))
            if a.needs_score:
                lines.append(say("upgrade.needs_score", codes=", ".join(a.needs_score)))
            if a.evidence_kept:
                lines.append(say("upgrade.evidence_kept",
                                 files=", ".join(f"{c}: {f}" for c, f in a.evidence_kept)))
        return "\n".join(lines)


def _num(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


# --- what happens to one leaf ----------------------------------------------------------------------------
def leaf_fate(old: Framework, new: Framework, kind: str, code: str) -> str:
    """``same`` (carried by keep and rescale), ``max`` (only the maximum for ``kind`` changed: carried by
    rescale), ``changed``, ``removed`` (not a leaf of the new set for ``kind``) or ``added`` (not a leaf of
    the old set for ``kind``)."""
    after = new.nodes.get(code)
    if after is None or not after.is_leaf or not after.applies_to(kind):
        return "removed"
    before = old.nodes.get(code)
    if before is None or not before.is_leaf or not before.applies_to(kind):
        return "added"
    f_old, f_new = node_fields(old, before), node_fields(new, after)
    if any(f_old[name] != f_new[name] for name in SCORE_FIELDS):
        return "changed"
    return "same" if before.max[kind] == after.max[kind] else "max"


def rule_of_three(points: Decimal, old_max: Decimal, new_max: Decimal) -> Decimal:
    """``points`` of ``old_max`` as points of ``new_max``: scaled, rounded half-up to the cent, clamped."""
    scaled = (points * new_max / old_max).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(max(scaled, Decimal(0)), new_max)


def _carry(node: Node, kind: str, score: Score, scale: tuple[Decimal, Decimal] | None) -> Moved:
    """The value of ``score`` under the new leaf ``node`` (``scale``: old and new max to rescale points typed
    as points). Raises ``InputError`` when the new rule refuses it."""
    value, points, na = score.value, score.points, bool(score.not_applicable)
    if na:
        result = evaluate(node, kind, {"not_applicable": True})
        new_value, new_points, new_na = value, result.points, result.not_applicable
    elif isinstance(value, dict) and value and not ("points" in value and scale is not None):
        result = evaluate(node, kind, value)
        new_value, new_points, new_na = value, result.points, result.not_applicable
    else:  # points typed as points (directly, or as a manual/survey input)
        typed = value.get("points") if isinstance(value, dict) and value else points
        typed = Decimal(str(typed)) if typed is not None else None
        if typed is None:
            raise InputError("rules.no_input", criterion=node.code)
        if scale is not None:
            typed = rule_of_three(typed, *scale)
        if isinstance(value, dict) and value:
            new_value = {**value, "points": typed}
            result = evaluate(node, kind, new_value)
            new_points, new_na = result.points, result.not_applicable
        else:
            check_points(node, kind, typed)
            new_value, new_points, new_na = value, typed, False
    return Moved(node.code, score.stage, points, new_points, new_na, "rescaled" if scale else "kept",
                 new_value, score.id)


def _has_value(score: Score) -> bool:
    return score.points is not None or bool(score.not_applicable) or bool(score.value)


def plan_assessment(old: Framework, new: Framework, assessment: Assessment, scores: list[Score],
                    evidence: list[Evidence], strategy: str,
                    fates: dict[tuple[str, str], str] | None = None) -> AssessmentMove:
    """What ``strategy`` does to one assessment's values (``fates``: a cache of ``leaf_fate`` shared by the
    assessments of one move)."""
    kind = assessment.unit.kind
    known = {} if fates is None else fates

    def fate_of(code: str) -> str:
        if (kind, code) not in known:
            known[kind, code] = leaf_fate(old, new, kind, code)
        return known[kind, code]

    move = AssessmentMove(assessment.id, assessment.unit.code, assessment.unit.name, kind)
    needs: set[str] = set()
    order = {code: i for i, code in enumerate(new.nodes)}
    for score in sorted(scores, key=lambda s: (order.get(s.criterion_code, len(order)), s.criterion_code,
                                               s.stage)):
        if not _has_value(score):
            continue  # an already cleared stage: nothing to carry or clear
        code = score.criterion_code
        fate = fate_of(code)
        carried = strategy != "reset" and (fate == "same" or (fate == "max" and strategy == "rescale"))
        if carried:
            node = new.nodes[code]
            scale = (old.nodes[code].max[kind], node.max[kind]) if fate == "max" else None
            try:
                move.moved.append(_carry(node, kind, score, scale))
                continue
            except InputError:
                why = "refused"
        else:
            why = "reset" if strategy == "reset" and fate in ("same", "max") else \
                "removed" if fate == "removed" else "changed"
        move.cleared.append(Cleared(code, score.stage, score.points, why, score.id))
        if fate != "removed":
            needs.add(code)
    for leaf in new.leaves(kind):
        if fate_of(leaf.code) == "added":
            needs.add(leaf.code)
    move.needs_score = sorted(needs, key=lambda c: order[c])
    for ev in evidence:
        if fate_of(ev.criterion_code) == "removed":
            move.evidence_kept.append((ev.criterion_code, ev.file_name))
        else:
            move.evidence_moved += 1
    move.evidence_kept.sort()
    return move


# --- checks -------------------------------------------------------------------------------------------------
def _check_pair(session: Session, old_row: CriteriaSet, new_row: CriteriaSet,
                assessments: list[Assessment], strategy: str) -> None:
    if strategy not in STRATEGIES:
        raise UserError("upgrade.unknown_strategy", strategy=strategy, known=", ".join(STRATEGIES))
    if old_row.code != new_row.code:
        raise UserError("upgrade.other_code", old=old_row.identity, new=new_row.identity)
    if new_row.version <= old_row.version:
        raise UserError("upgrade.not_newer", old=old_row.identity, new=new_row.identity)
    if new_row.year != old_row.year:
        raise UserError("upgrade.other_year", old=old_row.identity, new=new_row.identity,
                        old_year=old_row.year, new_year=new_row.year)
    new = framework_of(new_row)
    missing = sorted({a.unit.kind for a in assessments} - set(new.unit_kinds))
    if missing:
        raise UserError("upgrade.kinds_not_covered", old=old_row.identity, new=new_row.identity,
                        kinds=labels.Terms("kind", tuple(missing)))
    ids = [a.id for a in assessments]
    by_id = {a.id: a for a in assessments}
    conflicts = session.scalars(select(Conflict).where(Conflict.assessment_id.in_(ids),
                                                       Conflict.status == "open")
                                .order_by(Conflict.criterion_code, Conflict.stage)).all() if ids else []
    if conflicts:
        listed = _Listed(tuple((f"{by_id[c.assessment_id].unit.code} {c.criterion_code}",
                                labels.Terms("stage", (c.stage,))) for c in conflicts))
        raise UserError("upgrade.open_conflicts", old=old_row.identity, count=len(conflicts), listed=listed)
    locked = [a for a in assessments if a.locked]
    if locked:
        listed = _Listed(tuple((a.unit.code, labels.Terms("stage", tuple(sorted(a.locked))))
                               for a in sorted(locked, key=lambda a: a.unit.code)))
        raise UserError("upgrade.locked", old=old_row.identity, count=len(locked), listed=listed)


@dataclass(frozen=True)
class _Listed:
    """What a refusal names, "unit criterion (stages)"; rendered in the language of whoever reads it."""

    items: tuple[tuple[str, labels.Terms], ...]

    def render(self, language: str | None = None) -> str:
        shown = [f"{text} ({stages.render(language)})" for text, stages in self.items[:MAX_LISTED]]
        return "; ".join(shown) + ("; …" if len(self.items) > MAX_LISTED else "")

    def __str__(self) -> str:
        return self.render()


# --- the service --------------------------------------------------------------------------------------------
def upgrade_assessments(project: Project, old_identity: str, new_identity: str, strategy: str, *,
                        dry_run: bool = False, reason: str = "", author: str = "",
                        role: str = "committee") -> UpgradeReport:
    """Move every assessment on ``old_identity`` (``CODE@V``) to ``new_identity`` (``CODE@W``), both stored
    in ``project``. Returns the report (what was, or for ``dry_run`` would be, carried, cleared and left to
    score) with its ``Change``. ``UserError`` for a refused move; nothing is written then."""
    reason = checked_text(reason, "reason", f"{old_identity} → {new_identity}")
    # the checks and the plan first: a refused move writes nothing and makes no backup
    with project.session() as session:
        _plan(session, old_identity, new_identity, strategy)
    backup = None
    if not dry_run:
        from evaluator.services.backups import backup_before_import

        backup = backup_before_import(project, "framework-upgrade")
    with project.session(write=not dry_run) as session:
        report = _plan(session, old_identity, new_identity, strategy)
        report.dry_run, report.backup = dry_run, backup
        if not dry_run:
            _apply(session, report, reason=reason, author=author, role=role)
    return report


def _plan(session: Session, old_identity: str, new_identity: str, strategy: str) -> UpgradeReport:
    old_row, new_row = stored_set(session, old_identity), stored_set(session, new_identity)
    assessments = sorted(session.scalars(select(Assessment).where(Assessment.criteria_set_id == old_row.id))
                         .all(), key=lambda a: a.unit.code)
    _check_pair(session, old_row, new_row, assessments, strategy)
    old, new = framework_of(old_row), framework_of(new_row)
    report = UpgradeReport(old.identity, new.identity, strategy, True, diff_frameworks(old, new))
    ids = [a.id for a in assessments]
    scores: dict[uuid.UUID, list[Score]] = {i: [] for i in ids}
    evidence: dict[uuid.UUID, list[Evidence]] = {i: [] for i in ids}
    if ids:
        for s in session.scalars(select(Score).where(Score.assessment_id.in_(ids))):
            scores[s.assessment_id].append(s)
        for e in session.scalars(select(Evidence).where(Evidence.assessment_id.in_(ids))):
            evidence[e.assessment_id].append(e)
    fates: dict[tuple[str, str], str] = {}
    for a in assessments:
        report.assessments.append(plan_assessment(old, new, a, scores[a.id], evidence[a.id], strategy, fates))
    return report


def _apply(session: Session, report: UpgradeReport, *, reason: str, author: str, role: str) -> None:
    actor = actor_in(session, author, role)
    new_row = stored_set(session, report.new)
    now = utcnow()
    change = Change(audit=True, frameworks=True, years={new_row.year})
    last = _last_revisions(session, [x.score_id for m in report.assessments for x in m.moved]
                           + [x.score_id for m in report.assessments for x in m.cleared])
    with session.no_autoflush:  # thousands of revisions: one flush at the end, not one per query
        for move in report.assessments:
            _apply_one(session, report, move, last, actor, new_row.id, reason, now, change)
    report.change = change


def _apply_one(session: Session, report: UpgradeReport, move: AssessmentMove,
               last: dict[uuid.UUID, uuid.UUID], actor: Actor, new_set: uuid.UUID, reason: str,
               now: datetime, change: Change) -> None:
    assessment = session.get(Assessment, move.assessment_id)
    assert assessment is not None
    for m in move.moved:
        score = session.get(Score, m.score_id)
        assert score is not None
        fields = {"value": m.value, "points": m.new_points, "not_applicable": m.not_applicable,
                  "note": score.note, "author": score.author, "device_id": score.device_id}
        rev = add_revision(session, score, fields, revision=(score.revision or 0) + 1,
                           base=last.get(score.id), time=score.updated_at)
        flag_modified(score, "updated_at")  # the same time, written: else the column's onupdate sets now
        move.revisions.append(str(rev.id))
    for c in move.cleared:
        score = session.get(Score, c.score_id)
        assert score is not None
        fields = {"value": None, "points": None, "not_applicable": False, "note": "",
                  "author": actor.author, "device_id": actor.device_id}
        rev = add_revision(session, score, fields, revision=(score.revision or 0) + 1,
                           base=last.get(score.id), time=now)
        move.revisions.append(str(rev.id))
    assessment.criteria_set_id = new_set
    audit.record(session, ACTION, author=actor.author, role=actor.role, device_id=actor.device_id,
                 assessment_id=move.assessment_id,
                 old={"criteria_set": report.old},
                 new={"criteria_set": report.new, "strategy": report.strategy,
                      "kept": move.count("kept"), "rescaled": move.count("rescaled"),
                      "cleared": len(move.cleared), "needs_score": move.needs_score,
                      "revisions": move.revisions},
                 reason=reason)
    change.assessments.add(move.assessment_id)
    change.leaves |= {(move.assessment_id, m.criterion) for m in move.moved}
    change.leaves |= {(move.assessment_id, c.criterion) for c in move.cleared}


def _last_revisions(session: Session, score_ids: list[uuid.UUID | None]) -> dict[uuid.UUID, uuid.UUID]:
    """Each score's newest revision (the one a new revision builds on), in one query per 500 scores."""
    ids = [i for i in score_ids if i is not None]
    best: dict[uuid.UUID, tuple[int, uuid.UUID]] = {}
    for start in range(0, len(ids), 500):
        rows = session.execute(select(ScoreRevision.score_id, ScoreRevision.revision, ScoreRevision.id)
                               .where(ScoreRevision.score_id.in_(ids[start:start + 500])))
        for score_id, number, rev_id in rows:
            if score_id not in best or number > best[score_id][0]:
                best[score_id] = (number, rev_id)
    return {k: v[1] for k, v in best.items()}
