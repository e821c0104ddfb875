"""Scores: merged by their revision chains (``services.conflicts``). Every incoming revision is checked
against the criteria set's rule; the project's revisions and the packages' new ones give the score's state
(one head, or a conflict between heads); a locked stage refuses new values."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, delete, select, update

from evaluator.exchange.package import DATA
from evaluator.messages import Message
from evaluator.messages.labels import kind as kind_term
from evaluator.messages.labels import stage as stage_term
from evaluator.models import Assessment, Conflict, Score, ScoreRevision
from evaluator.models.schema import new_id
from evaluator.scoring import InputError, check_points, evaluate
from evaluator.services.conflicts import Rev, conflict_id, derive_state
from evaluator.services.exchange.batches import chunks
from evaluator.services.exchange.merge.context import Key, MergeContext, Planner
from evaluator.services.exchange.merge.decisions import DecisionPlanner, Offered
from evaluator.services.exchange.reading import _Incoming
from evaluator.services.framework_upgrade import ACTION as UPGRADE_ACTION
from evaluator.services.framework_upgrade import leaf_fate
from evaluator.services.schedule import closed_by_date
from evaluator.services.scores import REVISION_FIELDS

Unfit = tuple[Key, uuid.UUID, Message]
"""A revision the current rule refuses: its score, its id and the problem."""


def revision_problem(node: Any, kind: str, r: Rev) -> Message | None:
    """Why a revision's points are not what the app stores for it (or None). ``set_score`` keeps a value
    with the points its rule computes (None for relative rules and not-applicable), a not-applicable mark
    without points, or points typed in without a value (a decision, a workbook, a cleared stage)."""
    if r.value is not None:
        try:
            result = evaluate(node, kind, r.value)
        except InputError as exc:
            return Message("merge.value_misfits", {"error": exc.message})
        except ArithmeticError:  # e.g. a count of 1E+999999999 overflows the decimal context
            return Message("merge.value_overflow")
        if (result.points, result.not_applicable) != (r.points, r.not_applicable):
            want = (Message("merge.not_applicable") if result.not_applicable
                    else Message("merge.points", {"points": result.points}))
            have = (Message("merge.not_applicable") if r.not_applicable
                    else Message("merge.points", {"points": r.points}))
            return Message("merge.value_gives", {"want": want, "have": have})
        return None
    if r.not_applicable:
        if r.points is not None:
            return Message("merge.na_with_points")
        if not node.not_applicable_allowed:
            return Message("merge.na_not_allowed", {"criterion": node.code})
        return None
    if r.points is not None:
        try:
            check_points(node, kind, r.points)
        except InputError as exc:
            return exc.message if isinstance(exc.message, Message) else Message("merge.value_misfits", {
                "error": exc.message})
    return None


def _rev_row(r: Rev, score_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": r.id,
        "score_id": score_id,
        "revision": r.revision,
        **{name: getattr(r, name) for name in REVISION_FIELDS},
        "time": r.time,
        "base_revision_id": r.base,
    }

@dataclass
class _Local:
    """The project's side of the scores a package touches, by score key."""

    scores: dict[Key, Any]
    revs: dict[Key, dict[uuid.UUID, Rev]]
    rev_owner: dict[uuid.UUID, Key]
    """Revision id → the score it belongs to."""
    superseded: dict[Key, set[uuid.UUID]]
    """Heads that the project's decisions superseded."""
    resolved_here: dict[Key, set[uuid.UUID]]
    """Ids of the conflicts the project decided."""
    open_conflicts: dict[Key, Conflict]
    locked: dict[uuid.UUID, set[str]]
    """Assessment id → its locked stages."""


class ScorePlanner(Planner):
    def __init__(self, ctx: MergeContext, decisions: DecisionPlanner):
        super().__init__(ctx)
        self.decisions = decisions
        self.score_inserts: list[dict[str, Any]] = []
        self.score_updates: list[dict[str, Any]] = []
        self.revision_inserts: list[dict[str, Any]] = []
        self.conflict_deletes: list[uuid.UUID] = []

    def plan(self) -> None:
        """Check the incoming revisions, then merge them score by score with the project's."""
        incoming, score_ids, labels = self._incoming()
        decisions = self.decisions.collect(labels)
        if self.problems.items or not (incoming or decisions):
            return
        a_ids = sorted({k[0] for k in incoming} | {k[0] for k in decisions})
        self._merge(incoming, score_ids, labels, decisions, self._local(a_ids))

    def _incoming(
        self,
    ) -> tuple[dict[Key, dict[uuid.UUID, Rev]], dict[Key, uuid.UUID], dict[Key, tuple[str, int]]]:
        """The packages' revisions by score key (each checked against its leaf and rule), the score id
        to use for a new score, and each key's unit code and year (for messages)."""
        report, problems, amap = self.report, self.problems, self.ctx.assessments
        incoming: dict[Key, dict[uuid.UUID, Rev]] = defaultdict(dict)
        score_ids: dict[Key, uuid.UUID] = {}
        labels: dict[Key, tuple[str, int]] = {}
        unfit: list[Unfit] = []
        gone_keys: dict[Key, Message] = {}
        outside: list[tuple[_Incoming, str, Key, list[uuid.UUID]]] = []
        older: list[tuple[_Incoming, str, Key, list[uuid.UUID], str]] = []
        for inc in self.incoming:
            for sc in inc.scores:
                target = amap.get(sc["assessment_id"])
                if target is None:
                    report.skipped += 1  # a duplicate unit's score (problems were reported otherwise)
                    continue
                a_id, fw, kind, year, code = target
                leaf, stage = sc["criterion_code"], sc["stage"]
                pair = self.ctx.older_sets.get(a_id)
                if pair is not None and (fate := leaf_fate(pair[0], fw, kind, leaf)) != "same":
                    # entered under the older version on a criterion the newer one changed or removed:
                    # its value means something else now (listed below when the project lacks it)
                    older.append((inc, code, (a_id, leaf, stage), [r.id for r in sc["revisions"]], fate))
                    continue
                node = fw.nodes.get(leaf)
                where = f"{inc.label}: {DATA}: {sc['where']}"
                gone: Message | None = None
                if node is None or not node.is_leaf or not node.applies_to(kind):
                    # a leaf a later version removed keeps its score for the history, cleared by the move:
                    # only revisions with a value are refused
                    gone = Message("merge.not_a_leaf", {"where": where, "leaf": leaf, "identity": fw.identity,
                                                        "kind": kind_term(kind)})
                elif (node.source == "survey") != (stage == "survey"):
                    problems.add("merge.stage_misfit", where=where, stage=stage, leaf=leaf,
                                 source=node.source)
                    continue
                key = (a_id, leaf, stage)
                if inc.scope is not None and node is not None and not inc.scope.covers(fw, kind, code, leaf,
                                                                                       stage):
                    outside.append((inc, code, key, [r.id for r in sc["revisions"]]))
                    continue  # not the team's to appraise: listed below when it brings anything new
                labels[key] = (code, year)
                if key not in score_ids or sc["id"] < score_ids[key]:  # the same id in any package order
                    score_ids[key] = sc["id"]
                bucket = incoming[key]
                if gone is not None:
                    gone_keys.setdefault(key, gone)
                for j, r in enumerate(sc["revisions"]):
                    # refused unless the project has it (see _drop_known)
                    if node is None or gone is not None:
                        if gone is not None and (r.points is not None or r.not_applicable or r.value):
                            unfit.append((key, r.id, gone))
                    elif r.points is not None and not (0 <= r.points <= (mx := node.max[kind])):
                        unfit.append((key, r.id, Message("merge.points_range", {
                            "where": where, "revision": r.id, "points": r.points, "max": mx})))
                    elif (wrong := revision_problem(node, kind, r)) is not None:
                        unfit.append((key, r.id, Message("merge.revision_wrong", {
                            "where": where, "index": j, "revision": r.id, "problem": wrong})))
                    seen = bucket.get(r.id)
                    if seen is not None and seen != r:
                        problems.add("merge.revision_twice", where=where, revision=r.id)
                    bucket[r.id] = r
        self._out_of_scope(outside)
        self._older_set(older)
        # a score on a leaf the set no longer has, though every revision is cleared or history: only one
        # a move cleared (or that the project has) is taken, not a new row on any code
        moves = self._move_revisions()
        for key, problem in gone_keys.items():
            if not any(rid in moves for rid in incoming[key]) and key not in self._local_keys([key[0]]):
                unfit += [(key, rid, problem) for rid in incoming[key]]
        refused = self._drop_history(self._drop_known(unfit, incoming), incoming, moves)
        for problem in {id(p): p for _k, _r, p in refused}.values():  # a removed leaf's once per score
            problems.items.append(problem)
        for key, rid, _problem in refused:
            incoming[key].pop(rid, None)
        return incoming, score_ids, labels

    def _out_of_scope(self, outside: list[tuple[_Incoming, str, Key, list[uuid.UUID]]]) -> None:
        """List the edits outside a team's scope that the project does not have (what a handout brought
        and comes back unchanged is no edit): team, unit, leaf and stage, in the preview and the log."""
        if not outside:
            return
        have = self._held({rid for _i, _c, _k, ids in outside for rid in ids})
        for inc, code, (_a, leaf, stage), ids in outside:
            if set(ids) - have:
                self.report.out_of_scope.append(Message("teams.out_of_scope_line", {
                    "label": inc.label, "team": inc.scope.team, "unit": code,
                    "criterion": leaf, "stage": stage_term(stage)}))

    def _older_set(self, older: list[tuple[_Incoming, str, Key, list[uuid.UUID], str]]) -> None:
        """List the entries of a team package on an older set version that are not merged because the
        project's version changed their criterion (``ctx.older_sets``), when the project lacks them: the
        committee enters them again under its version (the laptop keeps them)."""
        if not older:
            return
        have = self._held({rid for *_rest, ids, _f in older for rid in ids})
        for inc, code, (_a, leaf, stage), ids, fate in older:
            if set(ids) - have:
                self.report.warnings.append(Message("merge.older_set_line", {
                    "label": inc.label, "unit": code, "criterion": leaf, "stage": stage_term(stage),
                    "fate": Message(f"merge.older_set_{fate}", {})}))

    def _held(self, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these revisions the project has."""
        have: set[uuid.UUID] = set()
        for chunk in chunks(sorted(ids), 500):
            have.update(self.s.scalars(select(ScoreRevision.id).where(ScoreRevision.id.in_(chunk))))
        return have

    def _drop_known(self, unfit: list[Unfit], incoming: dict[Key, dict[uuid.UUID, Rev]]) -> list[Unfit]:
        """Less the revisions this project already has, the same, for the same score: they were entered
        under the set the assessment had then, and a later version moved it (the committee's ``framework
        upgrade``, or a handout moving a team copy), so the current rule has nothing to say about them.
        One that differs from ours stays refused."""
        if not unfit:
            return unfit
        known: set[tuple[uuid.UUID, Key]] = set()
        for chunk in chunks(sorted({rid for _k, rid, _p in unfit}), 500):
            for row, a_id, code, stage in self.s.execute(
                select(ScoreRevision, Score.assessment_id, Score.criterion_code, Score.stage)
                .join(Score, Score.id == ScoreRevision.score_id).where(ScoreRevision.id.in_(chunk))
            ):
                key = (a_id, code, stage)
                theirs = incoming.get(key, {}).get(row.id)
                if theirs is not None and theirs.content() == Rev.of(row).content():
                    known.add((row.id, key))
        return [u for u in unfit if (u[1], u[0]) not in known]

    def _move_revisions(self) -> set[uuid.UUID]:
        """The revisions a ``framework upgrade`` wrote, as its audit events in the packages name them."""
        moves: set[uuid.UUID] = set()
        for inc in self.incoming:
            for event in inc.audit:
                if event["action"] == UPGRADE_ACTION and isinstance(event["new"], dict):
                    for rid in event["new"].get("revisions") or ():
                        try:
                            moves.add(uuid.UUID(str(rid)))
                        except ValueError:
                            continue  # not a revision the move wrote: it exempts nothing
        return moves

    def _local_keys(self, a_ids: list[uuid.UUID]) -> set[Key]:
        rows = self.s.execute(select(Score.assessment_id, Score.criterion_code, Score.stage)
                              .where(Score.assessment_id.in_(a_ids)))
        return {(a, c, st) for a, c, st in rows}

    def _drop_history(self, unfit: list[Unfit], incoming: dict[Key, dict[uuid.UUID, Rev]],
                      moves: set[uuid.UUID]) -> list[Unfit]:
        """Less the revisions entered before a ``framework upgrade`` moved their assessment to the current
        set: those on which a revision the move wrote builds (``moves``). They fitted the set of their
        time; the move's own revisions, checked here, are the score's value under the current one."""
        if not unfit:
            return unfit
        older: set[uuid.UUID] = set()
        for key in {k for k, _r, _p in unfit}:
            bucket = incoming.get(key, {})
            for rid in moves & bucket.keys():
                base = bucket[rid].base
                while base is not None and base in bucket and base not in older:
                    older.add(base)
                    base = bucket[base].base
        return [u for u in unfit if u[1] not in older]

    def _local(self, a_ids: list[uuid.UUID]) -> _Local:
        """What the project has for the assessments the packages touch."""
        local_scores: dict[Key, Any] = {}
        local_revs: dict[Key, dict[uuid.UUID, Rev]] = defaultdict(dict)
        rev_owner: dict[uuid.UUID, Key] = {}
        for chunk in chunks(a_ids, 500):
            for srow in self.s.execute(select(Score).where(Score.assessment_id.in_(chunk))).scalars():
                local_scores[(srow.assessment_id, srow.criterion_code, srow.stage)] = srow
            r = ScoreRevision
            for rr in self.s.execute(
                select(
                    r.id,
                    r.revision,
                    r.base_revision_id,
                    r.value,
                    r.points,
                    r.not_applicable,
                    r.note,
                    r.author,
                    r.device_id,
                    r.time,
                    Score.assessment_id,
                    Score.criterion_code,
                    Score.stage,
                )
                .join(Score, Score.id == r.score_id)
                .where(Score.assessment_id.in_(chunk))
            ):
                key = (rr[10], rr[11], rr[12])
                local_revs[key][rr[0]] = Rev(*rr[:10])
                rev_owner[rr[0]] = key
        superseded: dict[Key, set[uuid.UUID]] = defaultdict(set)
        resolved_here: dict[Key, set[uuid.UUID]] = defaultdict(set)
        open_conflicts: dict[Key, Conflict] = {}
        for chunk in chunks(a_ids, 500):
            for c in self.s.scalars(select(Conflict).where(Conflict.assessment_id.in_(chunk))):
                key = (c.assessment_id, c.criterion_code, c.stage)
                if c.status == "resolved":
                    superseded[key] |= {uuid.UUID(h) for h in c.head_ids}
                    resolved_here[key].add(c.id)
                else:
                    open_conflicts[key] = c
        locked: dict[uuid.UUID, set[str]] = {}
        closed = closed_by_date(self.s, a_ids)  # a stage past its closing date is locked by itself
        for chunk in chunks(a_ids, 500):
            for a_id, stages in self.s.execute(
                select(Assessment.id, Assessment.locked_stages).where(Assessment.id.in_(chunk))
            ):
                locked[a_id] = {x for x in (stages or "").split(",") if x} | closed.get(a_id, set())
        return _Local(local_scores, local_revs, rev_owner, superseded, resolved_here, open_conflicts, locked)

    def _merge(
        self,
        incoming: dict[Key, dict[uuid.UUID, Rev]],
        score_ids: dict[Key, uuid.UUID],
        labels: dict[Key, tuple[str, int]],
        decisions: dict[Key, Offered],
        here: _Local,
    ) -> None:
        """Plan every score: new revisions, its state (one head or a conflict), decisions applied."""
        report, problems = self.report, self.problems
        local_scores, local_revs, rev_owner = here.scores, here.revs, here.rev_owner
        superseded, resolved_here, open_conflicts = here.superseded, here.resolved_here, here.open_conflicts
        locked = here.locked
        used_score_ids = {srow.id for srow in local_scores.values()}
        none: Offered = []
        # (the common case, packages without decisions, pays no more per score than before)
        for key in sorted(incoming.keys() | decisions.keys()) if decisions else sorted(incoming):
            bucket = incoming.get(key, {})
            offered = decisions.get(key, none) if decisions else none
            code, year = labels[key]
            label = f"{code} {year} {key[1]} {key[2]}"  # in problems (English sentences for now)
            score = Message("report.score", {"unit": code, "year": year, "leaf": key[1],
                                             "stage": stage_term(key[2])})
            mine = local_revs.get(key, {})
            new = {rid: r for rid, r in bucket.items() if rid not in mine}
            # decisions the project lacks. When the project has decided a conflict itself, its record is
            # kept (a different decision is a new head: a new conflict below). When two packages decided
            # it differently, the lowest resolution revision gives the record, in any package order.
            apply: dict[uuid.UUID, tuple[_Incoming, dict[str, Any]]] = {}
            if offered:
                for inc, rec, rec_id in sorted(offered, key=lambda o: o[1]["resolution_revision_id"]):
                    if rec_id not in resolved_here.get(key, ()):
                        apply.setdefault(rec_id, (inc, rec))
            if (new or apply) and key[2] in locked.get(key[0], ()):
                brings = (Message("merge.new_values", {"count": len(new)}) if new
                          else Message("merge.a_decision"))
                problems.add("merge.stage_locked", label=label, stage=stage_term(key[2]), brings=brings)
                continue
            for rid in new:
                owner = rev_owner.get(rid)
                if owner is not None and owner != key:
                    problems.add("merge.revision_elsewhere", revision=rid, label=label)
            row = local_scores.get(key)
            if row is not None and not mine:  # a score without history: keep its value as a revision
                synthetic = Rev(id=uuid.uuid5(row.id, "current"), revision=row.revision or 1,
                                base=row.base_revision_id, time=row.updated_at,
                                **{name: getattr(row, name) for name in REVISION_FIELDS})
                mine = {synthetic.id: synthetic}
                self.revision_inserts.append(_rev_row(synthetic, row.id))
            merged = {**mine, **new}
            if offered and not self.decisions.fit(offered, merged, label):
                continue
            if not new and not apply:
                report.scores_identical += 1
                continue
            # every decision known on either side supersedes its heads (a package may bring a decision
            # the project took too: the same heads, the same id)
            decided_heads: Collection[uuid.UUID] = superseded.get(key, ())
            if offered:
                decided_heads = {*decided_heads, *(h for _inc, rec, _id in offered for h in rec["head_ids"])}
            state = derive_state(merged, decided_heads)
            fields = state.score_fields()
            if row is None:
                sid = score_ids[key] if score_ids[key] not in used_score_ids else new_id()
                used_score_ids.add(sid)
                self.score_inserts.append(
                    {"id": sid, "assessment_id": key[0], "criterion_code": key[1], "stage": key[2], **fields}
                )
            else:
                sid = row.id
                current = {k: getattr(row, k) for k in fields}
                if current != fields:
                    self.score_updates.append({"b_id": sid, **fields})
            report.revisions_new += len(new)
            ordered = sorted(new.values(), key=lambda r: (r.revision, r.id))
            self.revision_inserts += [_rev_row(r, sid) for r in ordered]
            old_conflict = open_conflicts.get(key)
            cid = conflict_id(key[0], key[1], key[2], state.heads) if state.conflict else None
            for decided, (inc, rec) in sorted(apply.items()):
                self.decisions.apply(key, score, decided, inc, rec, merged, old_conflict)
            if old_conflict is not None and old_conflict.id != cid and old_conflict.id not in apply:
                self.conflict_deletes.append(old_conflict.id)
            if cid is not None and cid not in apply and (old_conflict is None or old_conflict.id != cid):
                self.ctx.conflict_inserts.append(
                    {
                        "id": cid,
                        "assessment_id": key[0],
                        "criterion_code": key[1],
                        "stage": key[2],
                        "head_ids": sorted(str(h.id) for h in state.heads),
                        "base_revision_id": state.base.id if state.base else None,
                        "status": "open",
                        "detected_at": max(h.time for h in state.heads),
                        "resolved_at": None,
                        "resolved_by": "",
                        "reason": "",
                        "resolution_revision_id": None,
                    }
                )
                values = " / ".join(
                    f"{'—' if h.not_applicable else h.points} ({h.author or h.device_id})"
                    for h in state.heads
                )
                report.conflicts.append(Message("report.conflict_values", {"score": score, "values": values}))
                report.scores_conflicting += 1
                report.changes.append(Message("report.change_conflict", {"score": score}))
            elif row is None:
                report.scores_new += 1
                report.changes.append(Message("report.change_new", {"score": score}))
            else:
                report.scores_updated += 1
                report.changes.append(Message("report.change_updated", {"score": score}))

    def write_deletes(self) -> None:
        """Open conflicts that the new revisions settle or replace (before the new conflicts are added)."""
        if self.conflict_deletes:
            self.s.execute(delete(Conflict).where(Conflict.id.in_(self.conflict_deletes)))

    def write_updates(self) -> None:
        if self.score_updates:
            table: Any = Score.__table__
            cols: dict[str, Any] = {k: bindparam(k) for k in self.score_updates[0] if k != "b_id"}
            self.s.connection().execute(
                update(table).where(table.c.id == bindparam("b_id")).values(**cols), self.score_updates
            )
