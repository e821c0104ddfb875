"""Evidence: records matched by (assessment, leaf, file hash); new files are copied from the packages into
the project's store before the transaction writes the records."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from evaluator.errors import UserError
from evaluator.exchange.package import EVIDENCE_PREFIX, PackageError, open_package
from evaluator.messages import Message
from evaluator.messages.labels import stage as stage_term
from evaluator.models import AuditEvent, Evidence, Project
from evaluator.models.schema import new_id
from evaluator.services.exchange.batches import chunks
from evaluator.services.exchange.merge.context import MergeContext, Planner
from evaluator.services.exchange.reading import _Incoming


class EvidencePlanner(Planner):
    def __init__(self, ctx: MergeContext):
        super().__init__(ctx)
        self.evidence_inserts: list[dict[str, Any]] = []
        self.evidence_files: dict[str, _Incoming] = {}
        """New files by hash: the first package that brings each."""
        self.confirm_ids: set[uuid.UUID] = set()
        """The project's carried evidence that the packages confirm for this year."""

    def plan(self) -> None:
        amap = self.ctx.assessments
        a_ids = sorted({v[0] for v in amap.values()})
        have: set[tuple[uuid.UUID, str, str]] = set()
        ids: set[uuid.UUID] = set()
        pending: dict[tuple[uuid.UUID, str, str], uuid.UUID] = {}
        for chunk in chunks(a_ids, 500):
            for ev in self.s.execute(
                select(Evidence.id, Evidence.assessment_id, Evidence.criterion_code, Evidence.sha256,
                       Evidence.carry_pending).where(Evidence.assessment_id.in_(chunk))
            ):
                have.add((ev.assessment_id, ev.criterion_code, ev.sha256))
                ids.add(ev.id)
                if ev.carry_pending:
                    pending[(ev.assessment_id, ev.criterion_code, ev.sha256)] = ev.id
        removed = self._removed(have)
        taken = self._taken_ids({e["id"] for i in self.incoming for e in i.evidence} - ids)
        # in id order: when two packages attach the same file to one leaf (e.g. a merged unit), the same
        # record (file name, who added it) is kept in any package order
        for inc, e in sorted(((i, e) for i in self.incoming for e in i.evidence), key=lambda p: p[1]["id"]):
            target = amap.get(e["assessment_id"])
            if target is None:
                self.report.skipped += 1
                continue
            key = (target[0], e["criterion_code"], e["sha256"])
            if key in have:
                self.report.evidence_identical += 1
                continue
            if e["carried_from"] is not None and key in removed:
                # carried evidence the committee removed: not attached again behind its back (said below
                # when the team confirmed it; unconfirmed carried files are not evidence yet anyway)
                if not e["carry_pending"]:
                    self._say_removed(inc, target, e["criterion_code"], e["file_name"], removed[key])
                continue
            node = target[1].nodes.get(e["criterion_code"])
            if (node is None or not node.is_leaf) and target[0] in self.ctx.older_sets:
                # a package on an older set version: a file on a criterion the newer one removed stays
                # on the laptop, listed (the committee attaches it elsewhere if it still serves)
                self.report.warnings.append(Message("merge.older_set_evidence", {
                    "label": inc.label, "unit": target.code, "criterion": e["criterion_code"],
                    "file": e["file_name"]}))
                continue
            if node is None or not node.is_leaf:
                self.problems.add("merge.evidence_not_leaf", label=inc.label, name=e["file_name"],
                                  criterion=e["criterion_code"], identity=target[1].identity)
                continue
            if inc.scope is not None and not inc.scope.covers(target.framework, target.kind, target.code,
                                                              e["criterion_code"], e["stage"]):
                # evidence attached at an appraisal stage outside the team's areas: not the team's to add
                self.report.out_of_scope.append(Message("teams.out_of_scope_line", {
                    "label": inc.label, "team": inc.scope.team, "unit": target.code,
                    "criterion": e["criterion_code"], "stage": stage_term(e["stage"])}))
                continue
            have.add(key)
            eid = e["id"] if e["id"] not in ids and e["id"] not in taken else new_id()
            ids.add(eid)
            self.evidence_inserts.append({**e, "id": eid, "assessment_id": target[0]})
            self.evidence_files.setdefault(e["sha256"], inc)
            self.report.evidence_new += 1
            self.report.changes.append(Message("report.change_evidence", {
                "unit": target.code, "year": target.year, "leaf": e["criterion_code"],
                "file": e["file_name"]}))
        self._plan_confirmations(pending, removed, have)

    def _taken_ids(self, wanted: set[uuid.UUID]) -> set[uuid.UUID]:
        """Which of these evidence ids the project holds elsewhere (another unit's record): a package's
        record then gets a new id. One query per 500 ids, not one per record."""
        taken: set[uuid.UUID] = set()
        for chunk in chunks(sorted(wanted), 500):
            taken.update(self.s.scalars(select(Evidence.id).where(Evidence.id.in_(chunk))))
        return taken

    def _removed(self, have: set[tuple[uuid.UUID, str, str]]) -> dict[tuple[uuid.UUID, str, str], Any]:
        """(assessment, leaf, file hash) → the project's ``evidence.remove`` event, for the files the
        packages confirm or carry that the project does not hold (the committee removed them)."""
        amap = self.ctx.assessments
        wanted = {(t[0], r["criterion_code"], r["sha256"]) for i in self.incoming
                  for r in [*i.confirmations, *(e for e in i.evidence if e["carried_from"] is not None)]
                  if (t := amap.get(r["assessment_id"])) is not None} - have
        if not wanted:
            return {}
        found: dict[tuple[uuid.UUID, str, str], Any] = {}
        for chunk in chunks(sorted({k[0] for k in wanted}), 500):
            for ev in self.s.scalars(select(AuditEvent).where(AuditEvent.assessment_id.in_(chunk),
                                                              AuditEvent.action == "evidence.remove")
                                     .order_by(AuditEvent.time)):
                old = ev.old if isinstance(ev.old, dict) else {}
                key = (ev.assessment_id, ev.criterion_code or "", str(old.get("sha256", "")))
                if key in wanted:
                    found[key] = ev  # the latest removal
        return found

    def _say_removed(self, inc: _Incoming, target: Any, leaf: str, name: str, event: Any) -> None:
        line = Message("increments.confirm_removed", {
            "label": inc.label, "file": name, "unit": target.code, "year": target.year, "leaf": leaf,
            "when": event.time.strftime("%Y-%m-%d %H:%M"), "who": event.author or "—"})
        if line not in self.report.confirm_removed:
            self.report.confirm_removed.append(line)

    def _plan_confirmations(self, pending: dict[tuple[uuid.UUID, str, str], uuid.UUID],
                            removed: dict[tuple[uuid.UUID, str, str], Any],
                            have: set[tuple[uuid.UUID, str, str]]) -> None:
        """A team's "confirmed for this year" on carried evidence: applied to the project's record still
        waiting (its ``evidence.confirm`` audit event travels with the package); a record the committee
        removed is said, not attached again; one already confirmed here is nothing new."""
        amap = self.ctx.assessments
        for inc in self.incoming:
            for c in inc.confirmations:
                target = amap.get(c["assessment_id"])
                if target is None:
                    continue
                key = (target[0], c["criterion_code"], c["sha256"])
                if key in pending:
                    if pending[key] not in self.confirm_ids:
                        self.confirm_ids.add(pending[key])
                        self.report.confirmations += 1
                        self.report.changes.append(Message("increments.confirmed", {
                            "unit": target.code, "year": target.year, "leaf": c["criterion_code"],
                            "file": c["file_name"]}))
                elif key in removed and key not in have:
                    self._say_removed(inc, target, c["criterion_code"], c["file_name"], removed[key])

    def write(self) -> None:
        """The confirmations (the records were loaded by ``plan``'s session)."""
        for chunk in chunks(sorted(self.confirm_ids), 500):
            if chunk:
                self.s.execute(update(Evidence).where(Evidence.id.in_(chunk)).values(carry_pending=False))

    def store_evidence(self, project: Project, landed: Sequence[Path] = ()) -> list[Path]:
        """Put the new evidence files into the store; returns the files that were not there before.
        ``landed``: files this import put into the store while checking the packages (hash checked on the
        way in): they are used as they are, not read again."""
        if not self.evidence_files:
            return []
        store = project.evidence
        created: list[Path] = []
        wanted: dict[Path, list[str]] = defaultdict(list)
        first: dict[Path, _Incoming] = {}
        fresh = set(landed)
        for sha, inc in sorted(self.evidence_files.items()):
            if store.path(sha) in fresh:
                created.append(store.path(sha))
                self.report.evidence_files_new += 1
            elif not (store.exists(sha) and store.verify(sha)):
                wanted[inc.package.path].append(sha)
                first[inc.package.path] = inc
        try:
            for path, shas in wanted.items():
                try:
                    with open_package(path) as again:
                        if again.manifest_sha256 != first[path].package.manifest_sha256:
                            raise UserError("exchange.changed_during_import", label=again.label)
                        # streamed and hashed once, on every core (not read whole, then hashed by put)
                        again.copy_many([EVIDENCE_PREFIX + sha for sha in shas], store, created)
                        self.report.evidence_files_new += len(shas)
                except PackageError as exc:
                    raise UserError("exchange.nothing_written", error=exc.message) from exc
        except BaseException:
            for f in created:
                f.unlink(missing_ok=True)
            raise
        return created
