"""Evidence: records matched by (assessment, leaf, file hash); new files are copied from the packages into
the project's store before the transaction writes the records."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.exchange.package import EVIDENCE_PREFIX, PackageError, open_package
from evaluator.messages import Message
from evaluator.messages.labels import stage as stage_term
from evaluator.models import Evidence, Project
from evaluator.models.schema import new_id
from evaluator.services.exchange.export import _chunks
from evaluator.services.exchange.merge.context import MergeContext, Planner
from evaluator.services.exchange.reading import _Incoming


class EvidencePlanner(Planner):
    def __init__(self, ctx: MergeContext):
        super().__init__(ctx)
        self.evidence_inserts: list[dict[str, Any]] = []
        self.evidence_files: dict[str, _Incoming] = {}
        """New files by hash: the first package that brings each."""

    def plan(self) -> None:
        amap = self.ctx.assessments
        a_ids = sorted({v[0] for v in amap.values()})
        have: set[tuple[uuid.UUID, str, str]] = set()
        ids: set[uuid.UUID] = set()
        for chunk in _chunks(a_ids, 500):
            for ev in self.s.execute(
                select(Evidence.id, Evidence.assessment_id, Evidence.criterion_code, Evidence.sha256).where(
                    Evidence.assessment_id.in_(chunk)
                )
            ):
                have.add((ev.assessment_id, ev.criterion_code, ev.sha256))
                ids.add(ev.id)
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
            node = target[1].nodes.get(e["criterion_code"])
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
            eid = e["id"] if e["id"] not in ids and self.s.get(Evidence, e["id"]) is None else new_id()
            ids.add(eid)
            self.evidence_inserts.append({**e, "id": eid, "assessment_id": target[0]})
            self.evidence_files.setdefault(e["sha256"], inc)
            self.report.evidence_new += 1
            self.report.changes.append(Message("report.change_evidence", {
                "unit": target.code, "year": target.year, "leaf": e["criterion_code"],
                "file": e["file_name"]}))

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
