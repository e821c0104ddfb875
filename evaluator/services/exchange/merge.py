"""Committee import of team packages: preview, backup, one transaction; records matched by UUID and
natural key, scores merged by their revision chains (``services.conflicts``)."""

from __future__ import annotations

import gc
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime
from itertools import repeat
from pathlib import Path
from typing import Any, cast

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evaluator.errors import Problems as _Problems
from evaluator.errors import UserError
from evaluator.exchange.package import (
    DATA,
    EVIDENCE_PREFIX,
    PackageError,
    open_package,
)
from evaluator.fields import (
    year_pair_problem,
)
from evaluator.frameworks.model import Framework
from evaluator.models import (
    Assessment,
    AuditEvent,
    Conflict,
    CriteriaSet,
    Device,
    Evidence,
    ImportLog,
    PackageImport,
    Period,
    Project,
    ProjectError,
    ProjectInfo,
    Score,
    ScoreRevision,
    Unit,
    rebuild_framework,
    utcnow,
)
from evaluator.models.audit_chain import (
    LINKED,
    RECEIVED,
    chained_rows,
    event_hash,
    plan_imported,
)
from evaluator.models.schema import UnitAlias, new_id
from evaluator.scoring import InputError, check_points, evaluate
from evaluator.services.conflicts import (
    CONFLICT_NAMESPACE,
    Rev,
    conflict_id,
    conflict_id_of,
    derive_state,
    merge_base,
    value_json,
)
from evaluator.services.exchange.export import _chunks
from evaluator.services.exchange.identity import trust_setting
from evaluator.services.exchange.reading import _Incoming, read_packages
from evaluator.services.exchange.report import PackageImportReport
from evaluator.services.frameworks import framework_of
from evaluator.services.progress import Progress, no_progress


# --- import -----------------------------------------------------------------------------------------
def import_packages(
    project: Project,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    author: str = "",
    trust_files: Sequence[Path | str] = (),
    merge_duplicates: bool = False,
    progress: Progress = no_progress,
) -> PackageImportReport:
    """Import team packages into the committee's project (see the module docstring).

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
    progress: Progress,
) -> PackageImportReport:
    problems = _Problems()
    with project.session() as session:
        known = set(session.scalars(select(PackageImport.manifest_sha256)))
    incoming = read_packages(
        paths, problems, trust_files, known, progress, share=0.6, trusted_pem=trust_setting(project)
    )
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
                merge = _Merge(session, incoming, report, problems, merge_duplicates=merge_duplicates)
                merge.plan()
                problems.raise_if_any()
                if dry_run or not report.changed:
                    session.rollback()  # a dry run, or nothing new: the project is left exactly as it was
                    return report
                if report.changed and project.path is not None:
                    from evaluator.services.backups import backup_before_import

                    report.backup = str(backup_before_import(project))
                progress(0.7, "write")
                new_files = merge.store_evidence(project)
                try:
                    merge.write(author)
                except IntegrityError as exc:
                    raise UserError(
                        "import refused, nothing was written: a package reuses ids of other "
                        f"records in this project ({exc.orig})"
                    ) from exc
                log = ImportLog(
                    author=author,
                    source=", ".join(report.files),
                    source_sha256=",".join(i.package.manifest_sha256 for i in incoming),
                    summary=report.summary(),
                    dry_run=False,
                )
                session.add(log)
                session.flush()
                merge.record_packages(log.id)
                progress(1.0, "write")  # the last moment a cancel still leaves the project as it was
        except BaseException:
            for f in new_files:
                f.unlink(missing_ok=True)
            raise
        return report
    finally:
        for inc in incoming:
            inc.package.close()


Key = tuple[uuid.UUID, str, str]


def _revision_problem(node: Any, kind: str, r: Rev) -> str | None:
    """Why a revision's points are not what the app stores for it (or None). ``set_score`` keeps a value
    with the points its rule computes (None for relative rules and not-applicable), a not-applicable mark
    without points, or points typed in without a value (a decision, a workbook, a cleared stage)."""
    if r.value is not None:
        try:
            result = evaluate(node, kind, r.value)
        except InputError as exc:
            return f"its value does not fit the rule: {exc}"
        except ArithmeticError:  # e.g. a count of 1E+999999999 overflows the decimal context
            return "its value holds a number too large or too small to score"
        if (result.points, result.not_applicable) != (r.points, r.not_applicable):
            want = "not applicable" if result.not_applicable else f"{result.points} points"
            have = "not applicable" if r.not_applicable else f"{r.points} points"
            return f"its value gives {want} under the criteria set's rule, the package says {have}"
        return None
    if r.not_applicable:
        if r.points is not None:
            return "not applicable, yet it has points"
        if not node.not_applicable_allowed:
            return f"criterion {node.code} cannot be marked not applicable"
        return None
    if r.points is not None:
        try:
            check_points(node, kind, r.points)
        except InputError as exc:
            return str(exc)
    return None


def _unit_field(unit: Unit | dict[str, Any], name: str) -> Any:
    """A field of a project unit or of a unit planned in this run."""
    return getattr(unit, name) if isinstance(unit, Unit) else unit[name]


class _Merge:
    """Plans the import (all checks, every decision) and then writes it with bulk statements."""

    def __init__(
        self,
        session: Session,
        incoming: list[_Incoming],
        report: PackageImportReport,
        problems: _Problems,
        *,
        merge_duplicates: bool = False,
    ):
        self.s = session
        self.incoming = incoming
        self.report = report
        self.problems = problems
        self.merge_duplicates = merge_duplicates
        self.new_aliases: list[dict[str, Any]] = []
        """Units merged in this run: remembered (``unit_alias``) and audited when written."""
        self.partial: set[str] = set()
        """Manifest hashes of packages whose duplicate units were skipped: not recorded as imported, so
        that importing them again with ``merge_duplicates`` still brings those records."""
        self.new_sets: list[CriteriaSet] = []
        self.new_periods: dict[int, Period] = {}
        self.new_units: list[dict[str, Any]] = []
        self.new_assessments: list[dict[str, Any]] = []
        self.score_inserts: list[dict[str, Any]] = []
        self.score_updates: list[dict[str, Any]] = []
        self.revision_inserts: list[dict[str, Any]] = []
        self.conflict_deletes: list[uuid.UUID] = []
        self.conflict_inserts: list[dict[str, Any]] = []
        self.conflict_resolves: list[dict[str, Any]] = []
        """Open conflicts of the project that a package brings decided (``b_id`` and the decision)."""
        self.resolve_events: list[dict[str, Any]] = []
        """``conflict.resolve`` audit events of the decisions applied (written unless already there)."""
        self.evidence_inserts: list[dict[str, Any]] = []
        self.evidence_files: dict[str, _Incoming] = {}
        self.audit_inserts: list[dict[str, Any]] = []
        self.audit_gaps_filled: list[uuid.UUID] = []
        """Imported events whose missing predecessor this import brings (their ``gap`` link is closed)."""

    # -- planning ------------------------------------------------------------------------------------
    def plan(self) -> None:
        s, problems = self.s, self.problems
        info = s.scalars(select(ProjectInfo)).first()
        assert info is not None
        for inc in self.incoming:
            if inc.project_id != info.id:
                problems.add(
                    f"{inc.label}: the package belongs to project {inc.project_id} "
                    f"({inc.project_name or 'no name'}), this project is {info.id} ({info.name}); "
                    "team packages are imported into the project their copy came from"
                )
        if problems.items:
            return
        self.report.already_imported = [i.label for i in self.incoming if i.already]
        set_map = self._criteria_sets()
        if problems.items:
            return
        period_ids = self._periods()
        unit_map, skipped_units = self._units()
        assessment_map = self._assessments(set_map, period_ids, unit_map, skipped_units)
        if problems.items:
            return
        self._scores(assessment_map)
        if problems.items:
            return
        self._evidence(assessment_map)
        self._audit(assessment_map)

    def _criteria_sets(self) -> dict[uuid.UUID, CriteriaSet]:
        local = self.s.scalars(select(CriteriaSet)).all()
        by_identity = {(row.code, row.version): row for row in local}
        versions: dict[str, list[int]] = defaultdict(list)
        for existing in local:
            versions[existing.code].append(existing.version)
        out: dict[uuid.UUID, CriteriaSet] = {}
        for inc in self.incoming:
            for c in inc.sets:
                row = by_identity.get((c["code"], c["version"]))
                if row is not None:
                    if row.sha256 != c["sha256"]:
                        self.problems.add(
                            f"{inc.label}: criteria set {c['code']}@{c['version']} has fingerprint "
                            f"{c['sha256'][:12]}… in the package but {row.sha256[:12]}… in this project: "
                            "the set was changed without a new version number"
                        )
                        continue
                elif versions.get(c["code"]):
                    have = ", ".join(str(v) for v in sorted(versions[c["code"]]))
                    self.problems.add(
                        f"{inc.label}: the package was made for criteria set {c['code']} "
                        f"version {c['version']}; "
                        f"this project uses {c['code']} version {have}. Import refused: load the same set "
                        "version on both sides first"
                    )
                    continue
                else:
                    try:
                        fw = rebuild_framework(
                            c["document"],
                            c["sha256"],
                            source=f"{inc.label}: criteria set {c['code']}@{c['version']}",
                        )
                    except ProjectError as exc:
                        self.problems.add(str(exc))
                        continue
                    row = CriteriaSet.from_framework(fw)
                    row.id = c["id"] if self.s.get(CriteriaSet, c["id"]) is None else new_id()
                    self.s.add(row)
                    self.new_sets.append(row)
                    by_identity[(c["code"], c["version"])] = row
                    versions[c["code"]].append(c["version"])
                out[c["id"]] = row
        if self.new_sets:
            self.s.flush()
        return out

    def _periods(self) -> dict[int, uuid.UUID]:
        local = {p.year: p.id for p in self.s.scalars(select(Period))}
        for inc in self.incoming:
            for year in inc.periods.values():
                if year not in local:
                    p = Period(year=year, title=inc.period_titles.get(year) or f"Năm {year}")
                    self.s.add(p)
                    self.s.flush()
                    local[year] = p.id
                    self.new_periods[year] = p
        return local

    def _units(self) -> tuple[dict[uuid.UUID, Unit | dict[str, Any]], set[uuid.UUID]]:
        """Incoming unit id → the project's unit (a ``Unit`` or a planned new row), and the ids of
        probable duplicates whose records are skipped."""
        by_id = {u.id: u for u in self.s.scalars(select(Unit))}
        by_code = {u.code: u for u in by_id.values()}
        aliases = {a.foreign_unit_id: a.unit_id for a in self.s.scalars(select(UnitAlias))}
        out: dict[uuid.UUID, Unit | dict[str, Any]] = {}
        skipped: set[uuid.UUID] = set()
        offered: dict[str, dict[uuid.UUID, tuple[dict[str, Any], _Incoming]]] = defaultdict(dict)
        for inc in self.incoming:
            for u in inc.units:
                known = by_id.get(u["id"])
                how = "same id"
                if known is None and u["id"] in aliases:  # merged before: the same unit, without asking
                    known, how = by_id[aliases[u["id"]]], "merged before"
                if known is not None:
                    if known.code != u["code"]:
                        self.report.warnings.append(
                            f"{inc.label}: unit {u['code']} is {known.code} in this "
                            f"project ({how}); kept as the project has it"
                        )
                    out[u["id"]] = known
                    continue
                offered[u["code"]].setdefault(u["id"], (u, inc))
        for code, choices in sorted(offered.items()):
            local = by_code.get(code)
            ids = sorted(choices)  # the lowest UUID is kept: the same choice whatever the package order
            keep = None if local is not None else ids[0]
            kept: Unit | dict[str, Any] | None = local
            for uid in ids:
                u, inc = choices[uid]
                if uid == keep:
                    row = {
                        "id": uid,
                        "code": code,
                        "name": u["name"],
                        "kind": u["kind"],
                        "parent_code": u["parent_code"],
                        "created_at": utcnow(),
                    }
                    self.new_units.append(row)
                    out[uid] = kept = row
                    self.report.units_new += 1
                    self.report.changes.append(f"new unit {code} {u['name']}")
                    continue
                assert kept is not None
                if self.merge_duplicates:
                    if self._merge_unit(u, inc, kept):
                        out[uid] = kept
                    else:  # refused (a problem): keep its records out of the other checks' messages
                        skipped.add(uid)
                    continue
                other = _unit_field(kept, "id")
                self.report.duplicates.append(
                    f"{inc.label}: unit {code} ({u['name']}) has id {uid}, but the project has unit {code} "
                    f"with id {other}: probably the same unit created on two laptops; its records were not "
                    "imported (import again with --merge-duplicates to merge them into that unit)"
                )
                skipped.add(uid)
        for inc in self.incoming:
            if any(u["id"] in skipped for u in inc.units):
                self.partial.add(inc.package.manifest_sha256)
        return out, skipped

    def _merge_unit(self, u: dict[str, Any], inc: _Incoming, target: Unit | dict[str, Any]) -> bool:
        """Plan merging the incoming unit ``u`` into ``target`` (same code); False when refused."""
        code, name, kind = (_unit_field(target, f) for f in ("code", "name", "kind"))
        where = f"{inc.label}: unit {u['code']} ({u['name']}, id {u['id']})"
        into = f"the project's unit {code} ({name}, id {_unit_field(target, 'id')})"
        there = "in this project"
        if not isinstance(target, Unit):
            into = f"unit {code} ({name}, id {target['id']}) imported in this run"
            there = "in the unit imported in this run"
        if u["kind"] != kind:
            # different kinds are scored against different criteria sets: not the same unit
            self.problems.add(
                f"{where} is a {u['kind']}, but {into} is a {kind}: they cannot be merged; correct the "
                "unit on one side first"
            )
            return False
        if u["name"] != name:
            self.report.warnings.append(
                f"{where} is named {u['name']!r} in the package and {name!r} {there}; merged, "
                f"the name {name!r} is kept"
            )
        self.report.merged_units.append(f"{where} merged into {into}")
        self.report.changes.append(f"merged unit {u['code']} {u['name']} into {code} {name}")
        self.new_aliases.append(
            {
                "foreign_unit_id": u["id"],
                "unit_id": _unit_field(target, "id"),
                "code": u["code"],
                "name": u["name"],
                "device_id": inc.package.manifest["device_id"][:100],
                "source": inc.label,
                "package_id": inc.package.manifest["package_id"],
            }
        )
        return True

    def _assessments(
        self,
        set_map: dict[uuid.UUID, CriteriaSet],
        period_ids: dict[int, uuid.UUID],
        unit_map: dict[uuid.UUID, Unit | dict[str, Any]],
        skipped_units: set[uuid.UUID],
    ) -> dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]:
        """Incoming assessment id → (local id, framework, unit kind, year, unit code)."""
        local = self.s.execute(
            select(Assessment.id, Assessment.unit_id, Assessment.period_id, Assessment.criteria_set_id)
        ).all()
        by_id = {r.id: r for r in local}
        by_key = {(r.unit_id, r.period_id): r for r in local}
        sets = {c.id: c for c in self.s.scalars(select(CriteriaSet))}
        out: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]] = {}
        planned: dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, CriteriaSet]] = {}

        def own_first(pair: tuple[_Incoming, dict[str, Any]]) -> tuple[bool, uuid.UUID]:
            # several packages may bring an assessment the project lacks for one unit and year (merged
            # units always do): the unit's own one, else the lowest id, becomes it, in any package order
            a = pair[1]
            unit = unit_map.get(a["unit_id"])
            return (unit is not None and _unit_field(unit, "id") != a["unit_id"], a["id"])

        for inc, a in sorted(((i, a) for i in self.incoming for a in i.assessments), key=own_first):
            where = f"{inc.label}: assessment {a['id']}"
            if a["unit_id"] in skipped_units:
                self.report.skipped += 1
                continue
            unit = unit_map.get(a["unit_id"])
            year = inc.periods.get(a["period_id"])
            cset = set_map.get(a["criteria_set_id"])
            if unit is None or year is None or cset is None:
                self.problems.add(f"{where}: names a unit, period or criteria set the package does not hold")
                continue
            uid, code, kind = (_unit_field(unit, f) for f in ("id", "code", "kind"))
            problem = year_pair_problem(year, cset.year)  # the set's own year, not what the data says
            if problem is not None:
                self.problems.add(f"{where}: {problem} ({cset.identity})")
                continue
            fw = framework_of(cset)
            if kind not in fw.unit_kinds:
                self.problems.add(f"{where}: criteria set {cset.identity} has no unit kind {kind!r}")
                continue
            pid = period_ids[year]
            row = by_key.get((uid, pid))
            if row is None and a["id"] in by_id:
                self.problems.add(f"{where}: this id belongs to another unit or year in the project")
                continue
            if row is not None:
                if row.criteria_set_id != cset.id:
                    have = sets[row.criteria_set_id]
                    self.problems.add(
                        f"{inc.label}: unit {code} is assessed in {year} with criteria set "
                        f"{have.identity} in this project, but the package was made with "
                        f"{cset.identity}; import refused"
                    )
                    continue
                out[a["id"]] = (row.id, fw, kind, year, code)
                continue
            seen = planned.get((uid, pid))
            if seen is not None and seen[1].id != cset.id:
                self.problems.add(
                    f"{inc.label}: unit {code} is assessed in {year} with criteria set {cset.identity}, "
                    f"another package of this run with {seen[1].identity}; import refused"
                )
                continue
            local_id = seen[0] if seen is not None else None
            if local_id is None:
                local_id = a["id"]
                planned[(uid, pid)] = (local_id, cset)
                self.new_assessments.append(
                    {
                        "id": local_id,
                        "unit_id": uid,
                        "period_id": pid,
                        "criteria_set_id": cset.id,
                        "status": a["status"],
                        "locked_stages": a["locked_stages"],
                        "created_at": utcnow(),
                        "updated_at": utcnow(),
                    }
                )
                self.report.assessments_new += 1
            out[a["id"]] = (local_id, fw, kind, year, code)
            self.report.years.add(year)
        return out

    def _scores(self, amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]) -> None:
        report, problems = self.report, self.problems
        incoming: dict[Key, dict[uuid.UUID, Rev]] = defaultdict(dict)
        score_ids: dict[Key, uuid.UUID] = {}
        labels: dict[Key, tuple[str, int]] = {}
        for inc in self.incoming:
            for sc in inc.scores:
                target = amap.get(sc["assessment_id"])
                if target is None:
                    report.skipped += 1  # a duplicate unit's score (problems were reported otherwise)
                    continue
                a_id, fw, kind, year, code = target
                leaf, stage = sc["criterion_code"], sc["stage"]
                node = fw.nodes.get(leaf)
                where = f"{inc.label}: {DATA}: {sc['where']}"
                if node is None or not node.is_leaf or not node.applies_to(kind):
                    problems.add(f"{where}: criterion {leaf!r} is not a leaf of {fw.identity} for a {kind}")
                    continue
                if (node.source == "survey") != (stage == "survey"):
                    problems.add(f"{where}: stage {stage!r} does not fit criterion {leaf} ({node.source})")
                    continue
                mx = node.max[kind]
                key = (a_id, leaf, stage)
                labels[key] = (code, year)
                if key not in score_ids or sc["id"] < score_ids[key]:  # the same id in any package order
                    score_ids[key] = sc["id"]
                bucket = incoming[key]
                for j, r in enumerate(sc["revisions"]):
                    if r.points is not None and not (0 <= r.points <= mx):
                        problems.add(f"{where}: revision {r.id}: {r.points} points are outside [0, {mx}]")
                        continue
                    wrong = _revision_problem(node, kind, r)
                    if wrong is not None:
                        problems.add(f"{where}.revisions[{j}] (revision {r.id}): {wrong}")
                        continue
                    seen = bucket.get(r.id)
                    if seen is not None and seen != r:
                        problems.add(f"{where}: revision {r.id} arrives twice with different content")
                    bucket[r.id] = r
        decisions = self._incoming_decisions(amap, labels)
        if problems.items or not (incoming or decisions):
            return
        a_ids = sorted({k[0] for k in incoming} | {k[0] for k in decisions})
        local_scores: dict[Key, Any] = {}
        local_revs: dict[Key, dict[uuid.UUID, Rev]] = defaultdict(dict)
        rev_owner: dict[uuid.UUID, Key] = {}
        for chunk in _chunks(a_ids, 500):
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
        for chunk in _chunks(a_ids, 500):
            for c in self.s.scalars(select(Conflict).where(Conflict.assessment_id.in_(chunk))):
                key = (c.assessment_id, c.criterion_code, c.stage)
                if c.status == "resolved":
                    superseded[key] |= {uuid.UUID(h) for h in c.head_ids}
                    resolved_here[key].add(c.id)
                else:
                    open_conflicts[key] = c
        used_score_ids = {srow.id for srow in local_scores.values()}
        locked: dict[uuid.UUID, set[str]] = {}
        for chunk in _chunks(a_ids, 500):
            for a_id, stages in self.s.execute(
                select(Assessment.id, Assessment.locked_stages).where(Assessment.id.in_(chunk))
            ):
                locked[a_id] = {x for x in (stages or "").split(",") if x}
        none: list[tuple[_Incoming, dict[str, Any], uuid.UUID]] = []
        # (the common case, packages without decisions, pays no more per score than before)
        for key in sorted(incoming.keys() | decisions.keys()) if decisions else sorted(incoming):
            bucket = incoming.get(key, {})
            offered = decisions.get(key, none) if decisions else none
            code, year = labels[key]
            label = f"{code} {year} {key[1]} {key[2]}"
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
                brings = f"{len(new)} new value(s)" if new else "a decision on a conflict"
                problems.add(
                    f"{label}: the {key[2]} stage is locked in this project, but a package brings "
                    f"{brings} for it; unlock the stage (audited) or leave this unit out"
                )
                continue
            for rid in new:
                owner = rev_owner.get(rid)
                if owner is not None and owner != key:
                    problems.add(f"revision {rid} of {label} is already in the project for another score")
            row = local_scores.get(key)
            if row is not None and not mine:  # a score without history: keep its value as a revision
                synthetic = Rev(
                    uuid.uuid5(row.id, "current"),
                    row.revision or 1,
                    row.base_revision_id,
                    row.value,
                    row.points,
                    row.not_applicable,
                    row.note,
                    row.author,
                    row.device_id,
                    row.updated_at,
                )
                mine = {synthetic.id: synthetic}
                self.revision_inserts.append(_rev_row(synthetic, row.id))
            merged = {**mine, **new}
            if offered and not self._decisions_fit(offered, merged, label):
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
                self._plan_decision(key, label, decided, inc, rec, merged, old_conflict)
            if old_conflict is not None and old_conflict.id != cid and old_conflict.id not in apply:
                self.conflict_deletes.append(old_conflict.id)
            if cid is not None and cid not in apply and (old_conflict is None or old_conflict.id != cid):
                self.conflict_inserts.append(
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
                report.conflicts.append(f"{label}: {values}")
                report.scores_conflicting += 1
                report.changes.append(f"conflict: {label}")
            elif row is None:
                report.scores_new += 1
                report.changes.append(f"new: {label}")
            else:
                report.scores_updated += 1
                report.changes.append(f"updated: {label}")

    def _incoming_decisions(
        self,
        amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]],
        labels: dict[Key, tuple[str, int]],
    ) -> dict[Key, list[tuple[_Incoming, dict[str, Any], uuid.UUID]]]:
        """The packages' resolved conflicts by score key, with their id in this project."""
        out: dict[Key, list[tuple[_Incoming, dict[str, Any], uuid.UUID]]] = defaultdict(list)
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

    def _decisions_fit(
        self,
        offered: list[tuple[_Incoming, dict[str, Any], uuid.UUID]],
        revs: dict[uuid.UUID, Rev],
        label: str,
    ) -> bool:
        """Every decision names revisions of this very score (in the packages or the project)."""
        ok = True
        for inc, c, _cid in offered:
            where = f"{inc.label}: {DATA}: {c['where']}"
            named = (("head_ids", c["head_ids"]), ("resolution_revision_id", [c["resolution_revision_id"]]))
            missing = [(name, i) for name, ids in named for i in ids if i not in revs]
            if missing:
                name, rid = missing[0]
                self.problems.add(
                    f"{where}.{name}: {rid} is not a revision of {label} in the packages or in this project"
                )
                ok = False
                continue
            decision = revs[c["resolution_revision_id"]]
            # a decision older than what it decides would hide the conflict without settling it
            if any(merge_base(revs, [revs[h], decision]) == decision for h in c["head_ids"]):
                self.problems.add(
                    f"{where}.resolution_revision_id: the decision is a value its competing values build on"
                )
                ok = False
        return ok

    def _plan_decision(
        self,
        key: Key,
        label: str,
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
            self.conflict_inserts.append(
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
        self.report.changes.append(f"resolved conflict: {label} ({c['resolved_by'] or '—'}: {c['reason']})")

    def _evidence(self, amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]) -> None:
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
                self.problems.add(
                    f"{inc.label}: evidence {e['file_name']!r}: criterion "
                    f"{e['criterion_code']!r} is not a leaf of {target[1].identity}"
                )
                continue
            have.add(key)
            eid = e["id"] if e["id"] not in ids and self.s.get(Evidence, e["id"]) is None else new_id()
            ids.add(eid)
            self.evidence_inserts.append({**e, "id": eid, "assessment_id": target[0]})
            self.evidence_files.setdefault(e["sha256"], inc)
            self.report.evidence_new += 1
            self.report.changes.append(
                f"new evidence: {target[4]} {target[3]} {e['criterion_code']} {e['file_name']}"
            )

    def _audit(self, amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]) -> None:
        a_ids = sorted({v[0] for v in amap.values()})
        have: set[uuid.UUID] = set()
        for chunk in _chunks(a_ids, 500):
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
                    self.problems.add(f"{inc.label}: {e['where']} (audit event {e['id']}, chain {e['chain']} "
                                      f"#{e['seq']}): content changed: its fields do not give its hash")
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
            self.problems.add(f"{row['where']} (audit event {row['id']}, chain {row['chain']} "
                              f"#{row['seq']}): {problem}")
        # An applied decision is audited by the decider's own ``conflict.resolve`` event, which travels with
        # it; an event of the import's is written only when that one is neither here nor in the packages.
        decided = {str(e["new"].get("value_id")) for e in self.audit_inserts
                   if e["action"] == "conflict.resolve" and isinstance(e["new"], dict)}
        if self.resolve_events:
            for chunk in _chunks(a_ids, 500):
                decided.update(str(new.get("value_id")) for new in self.s.scalars(
                    select(AuditEvent.new).where(AuditEvent.assessment_id.in_(chunk),
                                                 AuditEvent.action == "conflict.resolve"))
                    if isinstance(new, dict))
        for e in self.resolve_events:
            if e["id"] not in have and e["new"]["value_id"] not in decided:
                have.add(e["id"])
                self.audit_inserts.append(e)
                self.report.audit_new += 1

    # -- writing -------------------------------------------------------------------------------------
    def store_evidence(self, project: Project) -> list[Path]:
        """Put the new evidence files into the store; returns the files that were not there before."""
        if not self.evidence_files:
            return []
        store = project.evidence
        created: list[Path] = []
        wanted: dict[Path, list[str]] = defaultdict(list)
        first: dict[Path, _Incoming] = {}
        for sha, inc in sorted(self.evidence_files.items()):
            if not (store.exists(sha) and store.verify(sha)):
                wanted[inc.package.path].append(sha)
                first[inc.package.path] = inc
        try:
            for path, shas in wanted.items():
                try:
                    with open_package(path) as again:
                        if again.manifest_sha256 != first[path].package.manifest_sha256:
                            raise UserError(
                                f"{again.label} was changed during the import; nothing was written"
                            )
                        for sha in shas:
                            store.put(again.read(EVIDENCE_PREFIX + sha), sha)
                            created.append(store.path(sha))
                            self.report.evidence_files_new += 1
                except PackageError as exc:
                    raise UserError(f"{exc}; nothing was written") from exc
        except BaseException:
            for f in created:
                f.unlink(missing_ok=True)
            raise
        return created

    def write(self, author: str) -> None:
        s = self.s
        if self.new_units:
            s.execute(insert(Unit), self.new_units)
        now = utcnow()
        for alias in self.new_aliases:
            package_id = alias["package_id"]
            row = {k: v for k, v in alias.items() if k != "package_id"}
            s.add(UnitAlias(**row, created_by=author[:200], created_at=now))
            s.add(
                AuditEvent(
                    author=author,
                    role="committee",
                    device_id="import",
                    action="unit.merge",
                    old={
                        "unit_id": alias["foreign_unit_id"],
                        "code": alias["code"],
                        "name": alias["name"],
                        "device_id": alias["device_id"],
                    },
                    new={"unit_id": alias["unit_id"]},
                    reason=f"team package {alias['source']} ({package_id}): unit {alias['code']} created on "
                    "another laptop merged into the project's unit of the same code",
                    time=now,
                )
            )
        if self.new_assessments:
            s.execute(insert(Assessment), self.new_assessments)
        if self.conflict_deletes:
            s.execute(delete(Conflict).where(Conflict.id.in_(self.conflict_deletes)))
        batches: list[tuple[Any, list[dict[str, Any]]]] = [
            (Score, self.score_inserts),
            (ScoreRevision, self.revision_inserts),
            (Conflict, self.conflict_inserts),
            (Evidence, self.evidence_inserts),
        ]
        conn = s.connection()
        batches.append((AuditEvent, chained_rows(conn, self.audit_inserts)))  # with their hash chains
        for model, rows in batches:
            for chunk in _chunks(rows, 20_000):
                if chunk:
                    bulk_insert(conn, model.__table__, chunk)
        if self.audit_gaps_filled:
            atable: Any = AuditEvent.__table__
            for ids in _chunks(self.audit_gaps_filled, 500):
                conn.execute(update(atable).where(atable.c.id.in_(ids)).values(link=LINKED))
        if self.conflict_resolves:
            ctable: Any = Conflict.__table__
            ccols: dict[str, Any] = {k: bindparam(k) for k in self.conflict_resolves[0] if k != "b_id"}
            s.connection().execute(
                update(ctable).where(ctable.c.id == bindparam("b_id")).values(**ccols), self.conflict_resolves
            )
        if self.score_updates:
            table: Any = Score.__table__
            cols: dict[str, Any] = {k: bindparam(k) for k in self.score_updates[0] if k != "b_id"}
            s.connection().execute(
                update(table).where(table.c.id == bindparam("b_id")).values(**cols), self.score_updates
            )
        for inc in self.incoming:
            s.add(
                AuditEvent(
                    author=author,
                    role="committee",
                    device_id="import",
                    action="import.package",
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
            )

    def record_packages(self, log_id: uuid.UUID) -> None:
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
            if inc.already or sha in recorded or sha in self.partial:
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


def bulk_insert(
    conn: Any,
    table: Any,
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    *,
    columns: Sequence[str] | None = None,
    constants: dict[str, Any] | None = None,
    converted: Collection[str] = (),
    repeating: Collection[str] = (),
) -> None:
    """Insert many rows of the same columns: the column types' own bind processors turn the values into
    what the driver takes (column by column), then one ``executemany`` (SQLAlchemy's per-row statement
    work costs more than SQLite's).

    ``rows`` are dicts with the same keys, or sequences of values in the order of ``columns``.
    ``constants`` gives columns whose value is the same in every row (converted once, not per row).
    ``converted`` names columns whose values are already what the driver takes (e.g. JSON text made with
    ``dumps_json`` for a ``JSONText`` column), so they are passed as they are.
    ``repeating`` names columns with few distinct (hashable) values, e.g. an assessment id or points:
    each distinct value is converted once.
    """
    if not rows:
        return
    constants = constants or {}
    if columns is None:
        cols = list(cast(dict[str, Any], rows[0]))
        values: list[Sequence[Any]] = [[r[c] for r in cast(Sequence[dict[str, Any]], rows)] for c in cols]
    else:
        cols = list(columns)
        values = list(zip(*cast(Sequence[Sequence[Any]], rows), strict=True))
    dialect = conn.dialect
    processed: list[Any] = []
    for c, vs in zip(cols, values, strict=True):
        f = None if c in converted else table.c[c].type._cached_bind_processor(dialect)
        if f is not None and c in repeating:
            done = {v: f(v) for v in set(vs)}
            processed.append([done[v] for v in vs])
        else:
            processed.append(vs if f is None else list(map(f, vs)))
    for c, v in constants.items():
        f = None if c in converted else table.c[c].type._cached_bind_processor(dialect)
        processed.append(repeat(v if f is None else f(v), len(rows)))
    names = cols + list(constants)
    quote = dialect.identifier_preparer.quote
    style = dialect.paramstyle
    if style in ("qmark", "format", "numeric"):
        marks = ["?"] * len(names) if style == "qmark" else ["%s"] * len(names) if style == "format" \
            else [f":{i + 1}" for i in range(len(names))]
        params: list[Any] = list(zip(*processed, strict=True))
    else:  # named, pyformat: parameters by name
        keys = [f"p{i}" for i in range(len(names))]
        marks = [f":{k}" if style == "named" else f"%({k})s" for k in keys]
        params = [dict(zip(keys, row, strict=True)) for row in zip(*processed, strict=True)]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in names)}) "
        f"VALUES ({', '.join(marks)})"
    )
    conn.exec_driver_sql(sql, params)


def _rev_row(r: Rev, score_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": r.id,
        "score_id": score_id,
        "revision": r.revision,
        "value": r.value,
        "points": r.points,
        "not_applicable": r.not_applicable,
        "note": r.note,
        "author": r.author,
        "device_id": r.device_id,
        "time": r.time,
        "base_revision_id": r.base,
    }
