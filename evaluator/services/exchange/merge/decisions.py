"""Decisions on conflicts that the packages bring: a decision the project lacks supersedes the same
heads here as there (a conflict the project has open is resolved, one it does not have is added
decided), with the decider's ``conflict.resolve`` audit event (see ``AuditPlanner``)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy import bindparam, update

from evaluator.exchange.package import DATA
from evaluator.messages import Message
from evaluator.models import Conflict
from evaluator.services.conflicts import CONFLICT_NAMESPACE, Rev, conflict_id_of, merge_base, value_json
from evaluator.services.exchange.merge.context import Key, MergeContext, Planner
from evaluator.services.exchange.reading import _Incoming

Offered = list[tuple[_Incoming, dict[str, Any], uuid.UUID]]
"""A score's decisions in the packages: (package, conflict record, its id in this project)."""


class DecisionPlanner(Planner):
    """Called by ``ScorePlanner`` score by score: decisions are checked and applied with the revisions
    they name."""

    def __init__(self, ctx: MergeContext):
        super().__init__(ctx)
        self.conflict_resolves: list[dict[str, Any]] = []
        """Open conflicts of the project that a package brings decided (``b_id`` and the decision)."""
        self.resolve_events: list[dict[str, Any]] = []
        """``conflict.resolve`` audit events of the decisions applied (written unless already there)."""

    def collect(self, labels: dict[Key, tuple[str, int]]) -> dict[Key, Offered]:
        """The packages' resolved conflicts by score key, with their id in this project (``labels`` gets
        the unit code and year of keys that only a decision names)."""
        out: dict[Key, Offered] = defaultdict(list)
        amap = self.ctx.assessments
        for inc in self.incoming:
            for c in inc.conflicts:
                target = amap.get(c["assessment_id"])
                if target is None:
                    self.report.skipped += 1  # a skipped duplicate unit's
                    continue
                a_id, _fw, _kind, year, code = target
                key = (a_id, c["criterion_code"], c["stage"])
                labels.setdefault(key, (code, year))
                # a merged unit's assessment has another id here, and so has the same conflict
                cid = conflict_id_of(a_id, key[1], key[2], c["head_ids"])
                out[key].append((inc, c, cid))
        return out

    def fit(self, offered: Offered, revs: dict[uuid.UUID, Rev], label: str) -> bool:
        """Every decision names revisions of this very score (in the packages or the project)."""
        ok = True
        for inc, c, _cid in offered:
            where = f"{inc.label}: {DATA}: {c['where']}"
            named = (("head_ids", c["head_ids"]), ("resolution_revision_id", [c["resolution_revision_id"]]))
            missing = [(name, i) for name, ids in named for i in ids if i not in revs]
            if missing:
                name, rid = missing[0]
                self.problems.add("merge.decision_unknown", where=where, name=name, revision=rid, label=label)
                ok = False
                continue
            decision = revs[c["resolution_revision_id"]]
            # a decision older than what it decides would hide the conflict without settling it
            if any(merge_base(revs, [revs[h], decision]) == decision for h in c["head_ids"]):
                self.problems.add("merge.decision_older", where=where)
                ok = False
        return ok

    def apply(
        self,
        key: Key,
        score: Message,
        cid: uuid.UUID,
        inc: _Incoming,
        c: dict[str, Any],
        revs: dict[uuid.UUID, Rev],
        old_conflict: Conflict | None,
    ) -> None:
        """Record a package's decision on a conflict the project has open or does not have."""
        decision = {
            "status": "resolved",
            "resolved_at": c["resolved_at"],
            "resolved_by": c["resolved_by"],
            "reason": c["reason"],
            "resolution_revision_id": c["resolution_revision_id"],
        }
        heads = [revs[h] for h in c["head_ids"]]
        if old_conflict is not None and old_conflict.id == cid:
            self.conflict_resolves.append({"b_id": cid, **decision})
        else:
            # base and detection time from the revisions, as the project records an open conflict: the same
            # row whether the conflict or the decision arrived first
            base = merge_base(revs, heads)
            self.ctx.conflict_inserts.append(
                {
                    "id": cid,
                    "assessment_id": key[0],
                    "criterion_code": key[1],
                    "stage": key[2],
                    "head_ids": sorted(str(h.id) for h in heads),
                    "base_revision_id": base.id if base else None,
                    "detected_at": max(h.time for h in heads),
                    **decision,
                }
            )
        taken = revs[c["resolution_revision_id"]]
        kept = revs.get(taken.base) if taken.base is not None else None
        self.resolve_events.append(
            {
                # derived id: a project that gets this event in a package and applies the decision itself
                # too (or imports twice) keeps one event
                "id": uuid.uuid5(CONFLICT_NAMESPACE, f"{cid}|{taken.id}|import"),
                "time": c["resolved_at"],
                "author": c["resolved_by"],
                "role": "",
                "device_id": taken.device_id,
                "action": "conflict.resolve",
                "assessment_id": key[0],
                "criterion_code": key[1],
                "stage": key[2],
                "old": {"conflict": str(cid), "values": [value_json(h) for h in heads]},
                "new": {
                    "value_id": str(taken.id),
                    "taken": str(kept.id)
                    if kept is not None and kept.id in c["head_ids"] and kept.content() == taken.content()
                    else None,
                    "points": taken.points,
                    "not_applicable": taken.not_applicable,
                    "value": taken.value,
                    "package": inc.label,
                },
                "reason": c["reason"],
            }
        )
        self.report.conflicts_resolved += 1
        self.report.changes.append(Message("report.change_resolved", {"score": score,
                                                                      "who": c["resolved_by"] or "—",
                                                                      "reason": c["reason"]}))

    def write(self) -> None:
        if self.conflict_resolves:
            ctable: Any = Conflict.__table__
            ccols: dict[str, Any] = {k: bindparam(k) for k in self.conflict_resolves[0] if k != "b_id"}
            self.s.connection().execute(
                update(ctable).where(ctable.c.id == bindparam("b_id")).values(**ccols), self.conflict_resolves
            )
