"""Audit events: the packages' events of the assessments imported, checked against their hash chains
(``models.audit_chain``) and appended to them; events without chain data, or moved to another assessment by
a unit merge, are chained on arrival. Also the import's own events."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from evaluator.messages import Message
from evaluator.models import AuditEvent
from evaluator.models.audit_chain import LINKED, RECEIVED, event_hash, plan_imported
from evaluator.services import audit
from evaluator.services.exchange.batches import chunks
from evaluator.services.exchange.merge.context import MergeContext, Planner
from evaluator.services.exchange.merge.decisions import DecisionPlanner


class AuditPlanner(Planner):
    def __init__(self, ctx: MergeContext, decisions: DecisionPlanner):
        super().__init__(ctx)
        self.decisions = decisions
        self.audit_inserts: list[dict[str, Any]] = []
        self.audit_gaps_filled: list[uuid.UUID] = []
        """Imported events whose missing predecessor this import brings (their ``gap`` link is closed)."""

    def plan(self) -> None:
        amap = self.ctx.assessments
        a_ids = sorted({v[0] for v in amap.values()})
        have: set[uuid.UUID] = set()
        for chunk in chunks(a_ids, 500):
            have.update(self.s.scalars(select(AuditEvent.id).where(AuditEvent.assessment_id.in_(chunk))))
        chained: list[dict[str, Any]] = []
        for inc in self.incoming:
            for e in inc.audit:
                if e["id"] in have:
                    continue
                target = amap.get(e["assessment_id"]) if e["assessment_id"] is not None else None
                if target is None:
                    continue
                # only the events stored are checked (hashing costs): the rest are not kept anyway
                if e["chain"] is not None and event_hash(e["prev_hash"], e) != e["hash"]:
                    event = Message("merge.audit_event", {
                        "where": f"{inc.label}: {e['where']}", "id": e["id"], "chain": e["chain"],
                        "seq": e["seq"]})
                    self.problems.add("merge.audit_changed", event=event)
                have.add(e["id"])
                row = {**e, "assessment_id": target[0], "where": f"{inc.label}: {e['where']}"}
                if e["chain"] is None or target[0] != e["assessment_id"]:
                    # No chain data (an older program), or its target is now another assessment (a merged
                    # unit), so its hash no longer fits: chained on arrival into this file's chain, marked so.
                    row.update(chain=None, link=RECEIVED)
                else:
                    chained.append(row)
                self.audit_inserts.append(row)
                self.report.audit_new += 1
        problems, self.audit_gaps_filled = plan_imported(self.s.connection(), chained)
        for row, problem in problems:
            event = Message("merge.audit_event", {"where": row["where"], "id": row["id"],
                                                  "chain": row["chain"], "seq": row["seq"]})
            self.problems.add("merge.audit_problem", event=event, problem=problem)
        # An applied decision is audited by the decider's own ``conflict.resolve`` event, which travels with
        # it; an event of the import's is written only when that one is neither here nor in the packages.
        decided = {str(e["new"].get("value_id")) for e in self.audit_inserts
                   if e["action"] == "conflict.resolve" and isinstance(e["new"], dict)}
        if self.decisions.resolve_events:
            for chunk in chunks(a_ids, 500):
                decided.update(str(new.get("value_id")) for new in self.s.scalars(
                    select(AuditEvent.new).where(AuditEvent.assessment_id.in_(chunk),
                                                 AuditEvent.action == "conflict.resolve"))
                    if isinstance(new, dict))
        for e in self.decisions.resolve_events:
            if e["id"] not in have and e["new"]["value_id"] not in decided:
                have.add(e["id"])
                self.audit_inserts.append(e)
                self.report.audit_new += 1


    def close_gaps(self, conn: Connection) -> None:
        if self.audit_gaps_filled:
            atable: Any = AuditEvent.__table__
            for ids in chunks(self.audit_gaps_filled, 500):
                conn.execute(update(atable).where(atable.c.id.in_(ids)).values(link=LINKED))

    def write_package_events(self, author: str, now: datetime) -> None:
        """One ``import.package`` event per package."""
        s = self.s
        for inc in self.incoming:
            audit.record(
                s, "import.package", author=author, role="committee", device_id="import",
                new={
                    "file": inc.label,
                    "package_id": inc.package.manifest["package_id"],
                    "device_id": inc.package.manifest["device_id"],
                    "author": inc.package.manifest["author"],
                    "signed_by": inc.signed_by,
                },
                reason=f"team package {inc.label}",
                time=now,
            )
