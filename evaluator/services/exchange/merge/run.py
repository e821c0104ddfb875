"""The import of team packages, in order: read and check the packages, plan every kind of record (one
planner each, in dependency order, all in the one transaction), refuse everything when anything is wrong,
else back up, write in the same order and record the packages."""

from __future__ import annotations

import gc
import uuid
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evaluator.errors import Problems as _Problems
from evaluator.errors import UserError
from evaluator.messages import Message
from evaluator.models import (
    AuditEvent,
    Conflict,
    Device,
    Evidence,
    ImportLog,
    PackageImport,
    Project,
    ProjectInfo,
    Score,
    ScoreRevision,
    utcnow,
)
from evaluator.models.audit_chain import chained_rows
from evaluator.services.exchange.batches import chunks
from evaluator.services.exchange.identity import trust_setting
from evaluator.services.exchange.increments import check_chains
from evaluator.services.exchange.merge.assessments import AssessmentPlanner
from evaluator.services.exchange.merge.audit import AuditPlanner
from evaluator.services.exchange.merge.bulk import bulk_insert
from evaluator.services.exchange.merge.context import MergeContext
from evaluator.services.exchange.merge.decisions import DecisionPlanner
from evaluator.services.exchange.merge.evidence import EvidencePlanner
from evaluator.services.exchange.merge.scores import ScorePlanner
from evaluator.services.exchange.merge.sets import CriteriaSetPlanner, PeriodPlanner
from evaluator.services.exchange.merge.settings import SettingsPlanner
from evaluator.services.exchange.merge.units import UnitPlanner
from evaluator.services.exchange.reading import PURPOSE_HANDOUT, _Incoming, read_packages
from evaluator.services.exchange.report import PackageImportReport
from evaluator.services.progress import Progress, no_progress
from evaluator.services.teams import scope_of_package
from evaluator.services.workbook_read import combined_sha256


def import_packages(
    project: Project,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    author: str = "",
    trust_files: Sequence[Path | str] = (),
    merge_duplicates: bool = False,
    accept_sets: bool = False,
    backup: bool = True,
    progress: Progress = no_progress,
) -> PackageImportReport:
    """Import team packages into the committee's project (see the module docstring).

    ``accept_sets``: the packages may add criteria sets the project does not have (without it only a
    package signed by the project's trust list may; the report lists each new set either way).
    ``backup``: back up the project first (off only for a project made for this import, which a
    failure removes whole).

    ``merge_duplicates``: a unit with the code of a project unit (or, in one run, of the kept incoming
    unit with the lowest UUID) but another UUID — the same unit created on two laptops — is merged into
    that unit instead of being reported and skipped; its records then merge by natural key like any
    other. A real import remembers the merge (``unit_alias``), so later packages from that laptop map
    onto the unit without the flag.

    Raises ``UserError`` listing every problem when anything is wrong; the project is then unchanged.
    ``progress`` (``services.progress``) may raise to cancel, with the same result.
    """
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small records: the cyclic collector would rescan them all often
    try:
        return _import_packages(
            project,
            paths,
            dry_run=dry_run,
            author=author,
            trust_files=trust_files,
            merge_duplicates=merge_duplicates,
            accept_sets=accept_sets,
            backup=backup,
            progress=progress,
        )
    finally:
        if collecting:
            gc.enable()


def _import_packages(
    project: Project,
    paths: Sequence[Path | str],
    *,
    dry_run: bool,
    author: str,
    trust_files: Sequence[Path | str],
    merge_duplicates: bool,
    accept_sets: bool,
    backup: bool,
    progress: Progress,
) -> PackageImportReport:
    problems = _Problems()
    with project.session() as session:
        known = set(session.scalars(select(PackageImport.manifest_sha256)))
    # evidence the store lacks lands while the packages are checked (each byte read once); a dry run
    # lands nothing. Whatever landed is removed unless the import goes through and uses it.
    landed: list[Path] = []
    try:
        incoming = read_packages(
            paths, problems, trust_files, known, progress, share=0.6, trusted_pem=trust_setting(project),
            store=None if dry_run else project.evidence, landed=landed,
        )
    except BaseException:
        _remove(landed)
        raise
    kept = False
    try:
        problems.raise_if_any()
        report = PackageImportReport(
            files=[Path(p).name for p in paths],
            dry_run=dry_run,
            signatures={i.label: i.signed_by for i in incoming},
        )
        new_files: list[Path] = []
        try:
            with project.session(write=not dry_run) as session:
                progress(0.6, "check")
                merge = Merge(session, incoming, report, problems, merge_duplicates=merge_duplicates,
                              accept_sets=accept_sets)
                merge.plan()
                problems.raise_if_any()
                if dry_run or not report.changed:
                    if not dry_run and merge.unrecorded():
                        # nothing new, but the project has all that package carried: an incremental package
                        # that builds on it is taken later (only the package's row is written)
                        merge.record_packages(None)
                    else:
                        session.rollback()  # a dry run, or nothing new: the project is left as it was
                    return report
                if backup and report.changed:  # a file, or a server project's rows (services.backups)
                    from evaluator.services.backups import backup_before_import

                    report.backup = str(backup_before_import(project))
                progress(0.7, "write")
                new_files = merge.store_evidence(project, landed)
                try:
                    merge.write(author)
                except IntegrityError as exc:
                    raise UserError("exchange.ids_reused", error=exc.orig) from exc
                log = ImportLog(
                    author=author,
                    source=", ".join(report.files),
                    # one fingerprint for the run, as for workbooks (each package's is in package_import)
                    source_sha256=combined_sha256([i.package.manifest_sha256 for i in incoming]),
                    summary=report.summary(),
                    dry_run=False,
                )
                session.add(log)
                session.flush()
                merge.record_packages(log.id)
                progress(1.0, "write")  # the last moment a cancel still leaves the project as it was
        except BaseException:
            _remove(new_files)
            raise
        kept = True
        # landed but not used (evidence of records not taken): not the project's, not kept
        _remove(sorted(set(landed) - set(new_files)))
        return report
    finally:
        if not kept:
            _remove(landed)
        for inc in incoming:
            inc.package.close()


def _remove(files: Sequence[Path]) -> None:
    for f in files:
        f.unlink(missing_ok=True)



class Merge:
    """Runs the planners: all checks and decisions first (``plan``), then the writes (``write``)."""

    def __init__(
        self,
        session: Session,
        incoming: list[_Incoming],
        report: PackageImportReport,
        problems: _Problems,
        *,
        merge_duplicates: bool = False,
        accept_sets: bool = False,
    ):
        self.s = session
        self.incoming = incoming
        self.ctx = ctx = MergeContext(session, incoming, report, problems, merge_duplicates=merge_duplicates,
                                      accept_sets=accept_sets)
        self.sets = CriteriaSetPlanner(ctx)
        self.periods = PeriodPlanner(ctx)
        self.units = UnitPlanner(ctx)
        self.assessments = AssessmentPlanner(ctx)
        self.decisions = DecisionPlanner(ctx)
        self.scores = ScorePlanner(ctx, self.decisions)
        self.evidence = EvidencePlanner(ctx)
        self.audit = AuditPlanner(ctx, self.decisions)
        self.settings = SettingsPlanner(ctx)

    def plan(self) -> None:
        """Each planner needs the id maps of those before it; a later one is not run when an earlier one
        found problems its own checks would only repeat."""
        s, problems, ctx = self.s, self.ctx.problems, self.ctx
        info = s.scalars(select(ProjectInfo)).first()
        assert info is not None
        for inc in self.incoming:
            if inc.project_id != info.id:
                problems.add("merge.other_project", label=inc.label, id=inc.project_id,
                             name=inc.project_name or Message("merge.no_name"), this_id=info.id,
                             this_name=info.name, hint=Message("handout.copy_hint"))
        if problems.items:
            return
        # an incremental package only after the packages it builds on (in the project, or in this run)
        check_chains(s, self.incoming, problems)
        if problems.items:
            return
        ctx.report.already_imported = [i.label for i in self.incoming if i.already]
        self.sets.plan()
        if problems.items:
            return
        self.periods.plan()
        self.units.plan()
        self.assessments.plan()
        if problems.items:
            return
        for inc in self.incoming:  # a team copy's package is held to its team's scope here
            if inc.purpose != PURPOSE_HANDOUT and (inc.handout_id or inc.team):
                inc.scope = scope_of_package(s, inc.handout_id, inc.team)
        self.scores.plan()  # with the decisions on conflicts
        if problems.items:
            return
        self.evidence.plan()
        self.audit.plan()
        self.settings.plan()

    def store_evidence(self, project: Project, landed: Sequence[Path] = ()) -> list[Path]:
        """Put the new evidence files into the store (those in ``landed`` are there already, checked);
        returns the files that were not there before."""
        return self.evidence.store_evidence(project, landed)

    def write(self, author: str) -> None:
        """The writes in an order the foreign keys and the audit chains accept: units and the merge
        events, assessments, conflicts replaced, then the bulk rows (scores, revisions, conflicts,
        evidence, audit events chained), gaps closed, decisions, score updates, the packages' events."""
        now = utcnow()
        self.units.write(author, now)
        self.assessments.write()
        self.scores.write_deletes()
        batches: list[tuple[Any, list[dict[str, Any]]]] = [
            (Score, self.scores.score_inserts),
            (ScoreRevision, self.scores.revision_inserts),
            (Conflict, self.ctx.conflict_inserts),
            (Evidence, self.evidence.evidence_inserts),
        ]
        conn = self.s.connection()
        batches.append((AuditEvent, chained_rows(conn, self.audit.audit_inserts)))  # with their hash chains
        for model, rows in batches:
            for chunk in chunks(rows, 20_000):
                if chunk:
                    bulk_insert(conn, model.__table__, chunk)
        self.audit.close_gaps(conn)
        self.evidence.write()  # confirmations of carried evidence
        self.decisions.write()
        self.scores.write_updates()
        self.audit.write_package_events(author, now)
        self.settings.write(author)  # after the units: the document settings name them
        self.assessments.write_moves(author)  # audited after the packages' own events

    def unrecorded(self) -> bool:
        """Whether a package of this run is not recorded as imported yet (nor skipped in part)."""
        return any(not i.already and i.package.manifest_sha256 not in self.ctx.partial for i in self.incoming)

    def record_packages(self, log_id: uuid.UUID | None) -> None:
        """Remember the devices seen and the packages imported (once per manifest)."""
        s = self.s
        now = utcnow()
        devices = {d.device_id: d for d in s.scalars(select(Device))}
        recorded: set[str] = set()
        for inc in self.incoming:
            m = inc.package.manifest
            device_id, who = m["device_id"][:100], m["author"][:200]
            device = devices.get(device_id)
            if device is None:
                device = Device(device_id=device_id, label=who, first_seen=now, last_seen=now)
                s.add(device)
                devices[device_id] = device
            else:
                device.last_seen = now
                if not device.local_key:
                    device.label = who
            sha = inc.package.manifest_sha256
            if inc.already or sha in recorded or sha in self.ctx.partial:
                continue
            recorded.add(sha)
            s.add(
                PackageImport(
                    package_id=uuid.UUID(m["package_id"]),
                    manifest_sha256=sha,
                    device_id=device_id,
                    author=who,
                    created_at=datetime.fromisoformat(m["created"]),
                    imported_at=now,
                    file_name=inc.label,
                    signed_by=inc.signed_by,
                    import_log_id=log_id,
                )
            )
        s.flush()

