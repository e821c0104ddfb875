"""Importing consolidated workbooks (what the committee receives from secretaries).

Format ``evaluator-consolidated`` version 1, an ``.xlsx`` with sheets:
- ``meta``: ``key``/``value`` rows ``format``, ``format_version``, ``year``;
- ``units``: ``unit_code``, ``unit_name``, ``unit_kind``, ``framework_code``;
- ``scores``: ``unit_code``, ``criterion_code``, ``stage``, ``points``, ``not_applicable``, ``note``.

All-or-nothing per run: every file is read and checked first; one problem anywhere and nothing is written.
Points are the council's decisions: any value in [0, max] with at most two decimals is taken, and one the
leaf's rule could not produce is taken with a warning.

Audit: one ``import.workbook`` event per file and unit (file, SHA-256, counts); an overwritten score also gets
an ``import`` event with its old and new value. A new value's own record is its first revision: an audit
event each would triple the writes and bury every manual edit in the audit view.

Speed (a province sends ~1,000 workbooks, ~500,000 scores, each with a revision): each
file is read from disk once; the usual score row is taken by a short path and only a row that fails it goes
through the checks that name every problem; leaf and unit lookups and ``can_produce`` are computed once per
distinct value; the writes are Core ``executemany`` inserts (``exchange.bulk_insert``) with ids made in one
go (``new_ids``: time-ordered, so they append to the primary-key indexes) and constant columns and distinct
values converted once; the cyclic garbage collector is off meanwhile. ``benchmarks/bench_exchange.py``
compares this with reading alone and with plain ``sqlite3`` inserting the same rows. A dry
run checks and counts everything but does not insert the scores it would write.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from evaluator.errors import MAX_LISTED
from evaluator.errors import Problems as _Problems
from evaluator.fields import year_pair_problem
from evaluator.frameworks.model import Framework, Node
from evaluator.messages import Message, labels, render
from evaluator.models import (
    Assessment,
    AuditEvent,
    CriteriaSet,
    ImportLog,
    Project,
    Score,
    ScoreRevision,
    Unit,
    utcnow,
)
from evaluator.models.audit_chain import chained_rows
from evaluator.models.schema import new_hex_ids, new_id, new_ids
from evaluator.scoring import can_produce
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.exchange import bulk_insert
from evaluator.services.frameworks import framework_of
from evaluator.services.progress import Progress, no_progress
from evaluator.services.projects import ensure_period
from evaluator.services.workbook_read import (
    SHEETS,
    SUMMARY_ACTION,
    ScoreRow,
    Workbook,
    combined_sha256,
    read_workbooks,
)


@dataclass
class ImportReport:
    files: list[str]
    dry_run: bool
    units_new: int = 0
    assessments_new: int = 0
    scores_new: int = 0
    scores_updated: int = 0
    scores_identical: int = 0
    warnings: list[Message | str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    change: Change = field(default_factory=Change)
    """What the import changed (empty for a dry run or when nothing was new)."""

    def summary(self) -> dict[str, Any]:
        return {"files": self.files, "dry_run": self.dry_run, "years": sorted(self.years),
                "units_new": self.units_new, "assessments_new": self.assessments_new,
                "scores_new": self.scores_new, "scores_updated": self.scores_updated,
                "scores_identical": self.scores_identical,
                "warnings": [render(w) for w in self.warnings]}  # in the current language (the CLI: English)

    def render(self, language: str | None = None) -> str:
        def say(code: str, **params: Any) -> str:  # in ``language``: the GUI's, or English as the CLI printed
            return Message(code, params).render(language)

        lines = [say("report.dry_run" if self.dry_run else "report.imported"),
                 "  " + say("report.files", files=", ".join(self.files)),
                 "  " + say("report.units_new", new=self.units_new),
                 "  " + say("report.assessments", new=self.assessments_new),
                 "  " + say("report.scores_plain", new=self.scores_new, updated=self.scores_updated,
                            identical=self.scores_identical)]
        if self.warnings:
            lines.append("  " + say("report.warnings", count=len(self.warnings)))
            lines += [f"    - {render(w, language)}" for w in self.warnings[:MAX_LISTED]]
            if len(self.warnings) > MAX_LISTED:
                lines.append("    " + say("report.more", count=len(self.warnings) - MAX_LISTED))
        return "\n".join(lines)


# --- checking against the project and writing -------------------------------------------------------
def import_workbooks(project: Project, paths: Sequence[Path], *, dry_run: bool = False,
                     author: str = "", progress: Progress = no_progress) -> ImportReport:
    """``progress`` (``services.progress``) may raise to cancel: nothing is then written."""
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small records: the cyclic collector would rescan them all often
    try:
        return _import_workbooks(project, paths, dry_run=dry_run, author=author, progress=progress)
    finally:
        if collecting:
            gc.enable()


def _import_workbooks(project: Project, paths: Sequence[Path], *, dry_run: bool, author: str,
                      progress: Progress) -> ImportReport:
    problems = _Problems()
    books = read_workbooks(paths, problems, progress, share=0.5)
    problems.raise_if_any()
    report = ImportReport(files=[Path(p).name for p in paths], dry_run=dry_run)
    if not dry_run:
        from evaluator.services.backups import backup_before_import

        backup_before_import(project)
    with project.session(write=not dry_run) as session:
        progress(0.5, "check")
        _apply(session, books, report, problems, author, write=not dry_run)
        problems.raise_if_any()  # raising inside the session rolls everything back
        session.add(ImportLog(author=author, source=", ".join(report.files),
                              source_sha256=combined_sha256([b.sha256 for b in books]),
                              summary={**report.summary(), "file_sha256": [b.sha256 for b in books]},
                              dry_run=dry_run))
        progress(1.0, "check" if dry_run else "write")  # the last moment a cancel leaves the project as is
        if dry_run:
            session.rollback()
    return report


def _differing(old: Sequence[str], new: Sequence[str]) -> Message:
    """``column unit_name`` (or ``columns unit_name, unit_kind``): the units columns whose values differ."""
    names = [c for c, a, b in zip(SHEETS["units"][1:], old, new, strict=False) if a != b]
    return Message("consolidated.columns" if len(names) > 1 else "consolidated.column",
                   {"names": ", ".join(names)})


def _at(where: Message, column: str) -> Message:
    return Message("import.column", {"where": where, "column": column})


@dataclass
class _Leaf:
    """What the row checks need of one leaf of one criteria set for one unit kind."""

    node: Node
    max: Decimal
    survey: bool
    na_allowed: bool
    produces: dict[Decimal, bool] = field(default_factory=dict)  # can_produce, by points


def _apply(session: Session, books: list[Workbook], report: ImportReport, problems: _Problems,
           author: str, *, write: bool = True) -> None:
    units = {u.code: u for u in session.scalars(select(Unit)).all()}
    # (year, code) -> (name, kind, fw, where)
    declared: dict[tuple[int, str], tuple[str, str, str, Message]] = {}
    first_seen: dict[str, tuple[str, str, Message]] = {}  # code -> (name, kind, where), across years
    for book in books:
        report.years.add(book.year)
        for row, code, name, kind, fw_code in book.units:
            where = Message("import.row", {"file": book.path.name, "sheet": "units", "row": row})
            known = units.get(code)
            if known is not None and (known.name != name or known.kind != kind):
                problems.add("consolidated.unit_in_project", where=where,
                             columns=_differing((known.name, known.kind), (name, kind)), code=code,
                             known_name=known.name, known_kind=labels.kind(known.kind), name=name,
                             kind=labels.kind(kind))
            earlier = declared.get((book.year, code))
            if earlier is not None and earlier[:3] != (name, kind, fw_code):
                problems.add("consolidated.unit_declared_differently", where=where,
                             columns=_differing(earlier[:3], (name, kind, fw_code)), code=code,
                             earlier=earlier[3])
            first = first_seen.setdefault(code, (name, kind, where))
            if known is None and earlier is None and first[:2] != (name, kind):  # new unit, other year
                problems.add("consolidated.unit_declared_as", where=where,
                             columns=_differing(first[:2], (name, kind)), code=code, first_name=first[0],
                             first_kind=labels.kind(first[1]), first_where=first[2])
            declared[(book.year, code)] = (name, kind, fw_code, where)
    if problems.items:
        return

    # Criteria sets: the project's own only (a set comes into a project by its own import, checked there).
    fw_rows: dict[tuple[int, str], CriteriaSet] = {}
    for (year, _code), (_name, kind, fw_code, where) in declared.items():
        key = (year, fw_code)
        if key not in fw_rows:
            set_row = session.scalars(select(CriteriaSet)
                                      .where(CriteriaSet.code == fw_code, CriteriaSet.year == year)
                                      .order_by(CriteriaSet.version.desc())).first()
            if set_row is None:
                other = session.scalars(select(CriteriaSet).where(CriteriaSet.code == fw_code)
                                        .order_by(CriteriaSet.version.desc())).first()
                pair = None if other is None else year_pair_problem(year, other.year)
                if pair is not None:  # the team packages' rule too
                    problems.add("consolidated.criteria_set_year", where=_at(where, "framework_code"),
                                 code=fw_code, problem=pair)
                else:
                    problems.add("frameworks.not_in_project", where=where, code=fw_code, year=year)
                continue
            fw_rows[key] = set_row
        if kind not in framework_of(fw_rows[key]).unit_kinds:
            problems.add("consolidated.no_unit_kind", where=_at(where, "unit_kind"), code=fw_code, kind=kind)
    if problems.items:
        return

    periods = {year: ensure_period(session, year) for year in report.years}
    assessments: dict[tuple[int, str], Assessment] = {}
    period_ids = [p.id for p in periods.values()]
    for a in session.scalars(select(Assessment).where(Assessment.period_id.in_(period_ids))):
        assessments[(a.period.year, a.unit.code)] = a
    for (year, code), (_name, _kind, fw_code, where) in declared.items():
        set_row = fw_rows[(year, fw_code)]
        existing = assessments.get((year, code))
        if existing is not None and existing.criteria_set_id != set_row.id:
            problems.add("consolidated.other_criteria_set", where=_at(where, "framework_code"), code=code,
                         year=year, existing=existing.criteria_set.identity, given=set_row.identity)
    if problems.items:
        return

    # Scores: check every row first. What a row needs of its unit and leaf is looked up once.
    seen: dict[tuple[int, str, str, str], tuple[str, int]] = {}
    checked: list[tuple[int, str, ScoreRow]] = []  # (year, file, row)
    targets: dict[tuple[int, str], tuple[str, Framework] | None] = {}  # (year, unit) -> (kind, fw)
    leaves: dict[tuple[int, str, str], _Leaf | None] = {}  # (id(fw), kind, code) -> leaf
    warnings = report.warnings
    for book in books:
        year, file = book.year, book.path.name
        for s in book.scores:
            row, unit, leaf_code, stage, points, not_applicable, _note = s
            if (year, unit) in targets:
                target = targets[(year, unit)]
            else:
                target = targets[(year, unit)] = _target(year, unit, declared, assessments, fw_rows)
            if target is None:
                problems.add("consolidated.unknown_unit", where=_at(_in_scores(file, row), "unit_code"),
                             unit=unit, year=year)
                continue
            kind, fw = target
            row_key = (year, unit, leaf_code, stage)
            dup = seen.get(row_key)
            if dup is not None:
                problems.add("consolidated.duplicate_row", where=_in_scores(file, row), file=dup[0],
                             row=dup[1])
                continue
            seen[row_key] = (file, row)
            leaf_key = (id(fw), kind, leaf_code)
            if leaf_key in leaves:
                leaf = leaves[leaf_key]
            else:
                leaf = leaves[leaf_key] = _leaf(fw, kind, leaf_code)
            if leaf is None or leaf.survey != (stage == "survey") \
                    or (not_applicable and not leaf.na_allowed) \
                    or (points is not None and not (0 <= points <= leaf.max)):
                _refuse(_in_scores(file, row), s, kind, fw, leaf, problems)
                continue
            if points is not None and not not_applicable:
                ok = leaf.produces.get(points)
                if ok is None:
                    ok = leaf.produces[points] = can_produce(leaf.node, kind, points)
                if not ok:
                    rule_kind = leaf.node.rule.kind if leaf.node.rule else "?"
                    warnings.append(Message("consolidated.not_from_rule", {
                        "where": _in_scores(file, row), "points": points, "code": leaf_code,
                        "rule": rule_kind}))
            checked.append((year, file, s))
    if problems.items:
        return

    # Write: units, assessments, then scores with their revision chain and audit events.
    now = utcnow()
    created: set[uuid.UUID] = set()
    for (year, code), (name, kind, fw_code, _where) in declared.items():
        unit_row = units.get(code)
        if unit_row is None:
            unit_row = Unit(id=new_id(), code=code, name=name, kind=kind)
            session.add(unit_row)
            units[code] = unit_row
            report.units_new += 1
        if (year, code) not in assessments:
            a = Assessment(id=new_id(), unit_id=unit_row.id, period_id=periods[year].id,
                           criteria_set_id=fw_rows[(year, fw_code)].id, status="appraisal2")
            session.add(a)
            assessments[(year, code)] = a
            created.add(a.id)
            report.assessments_new += 1
    session.flush()
    ids = {key: a.id for key, a in assessments.items()}
    current = _current_scores(session, {ids[(year, s[1])] for year, _file, s in checked})

    new_rows: list[tuple[Any, ...]] = []  # (assessment id, leaf, stage, points, n/a, note)
    changed: list[tuple[Any, ...]] = []  # (current score, then as new_rows, then the reason)
    per_file: dict[tuple[str, uuid.UUID], list[int]] = {}  # (file, assessment) -> [new, updated]
    sha = {b.path.name: b.sha256 for b in books}
    for year, file, (row, unit, leaf_code, stage, points, not_applicable, note) in checked:
        a_id = ids[(year, unit)]
        if not_applicable:
            points = None
        old = current.get((a_id, leaf_code, stage)) if current else None
        if old is None:
            new_rows.append((a_id, leaf_code, stage, points, not_applicable, note))
            counts = per_file.get((file, a_id))
            if counts is None:
                counts = per_file[(file, a_id)] = [0, 0]
            counts[0] += 1
        elif old.points == points and old.not_applicable == not_applicable and old.note == note:
            report.scores_identical += 1
        else:
            changed.append((old, a_id, leaf_code, stage, points, not_applicable, note, f"{file} row {row}"))
            per_file.setdefault((file, a_id), [0, 0])[1] += 1
    report.scores_new = len(new_rows)
    report.scores_updated = len(changed)
    if write:
        touched = {(r[0], r[1]) for r in new_rows} | {(c[1], c[2]) for c in changed}
        report.change = Change(assessments=created | {a for a, _leaf in touched}, leaves=touched,
                               units=bool(report.units_new), audit=bool(touched), years=set(report.years)
                               if (created or touched) else set())
    if not write or not (new_rows or changed):
        return
    _write_scores(session, new_rows, changed, author, now)
    for event_id, ((file, a_id), (n_new, n_updated)) in zip(new_ids(len(per_file)), per_file.items(),
                                                             strict=True):
        audit.record(session, SUMMARY_ACTION, author=author, role="committee", device_id="import",
                     assessment_id=a_id, reason=file, time=now, id=event_id,
                     new={"file": file, "sha256": sha[file], "scores_new": n_new,
                          "scores_updated": n_updated})


def _in_scores(file: str, row: int) -> Message:
    return Message("import.row", {"file": file, "sheet": "scores", "row": row})


def _target(year: int, unit: str, declared: dict[tuple[int, str], tuple[str, str, str, Message]],
            assessments: dict[tuple[int, str], Assessment],
            fw_rows: dict[tuple[int, str], CriteriaSet]) -> tuple[str, Framework] | None:
    """(unit kind, criteria set) of the unit a score row names, or None for an unknown unit."""
    decl = declared.get((year, unit))
    if decl is not None:
        return decl[1], framework_of(fw_rows[(year, decl[2])])
    a = assessments.get((year, unit))
    if a is not None:
        return a.unit.kind, framework_of(a.criteria_set)
    return None


def _leaf(fw: Framework, kind: str, code: str) -> _Leaf | None:
    node = fw.nodes.get(code)
    if node is None or not node.is_leaf or not node.applies_to(kind):
        return None
    return _Leaf(node, node.max[kind], node.source == "survey", node.not_applicable_allowed)


def _refuse(where: Message, s: ScoreRow, kind: str, fw: Framework, leaf: _Leaf | None,
            problems: _Problems) -> None:
    """The problem of a score row that does not fit its leaf (the first one, in this order)."""
    _row, _unit, code, stage, points, not_applicable, _note = s
    if leaf is None:
        problems.add("consolidated.unknown_criterion", where=_at(where, "criterion_code"), code=code,
                     kind=labels.kind(kind), identity=fw.identity)
    elif leaf.survey and stage != "survey":  # the stage is a known one (workbook_read checked it)
        problems.add("consolidated.survey_only", where=_at(where, "stage"), code=code,
                     stage=labels.stage(stage))
    elif not leaf.survey and stage == "survey":
        problems.add("consolidated.appraisal_only", where=_at(where, "stage"), code=code)
    elif not_applicable and not leaf.na_allowed:
        problems.add("consolidated.na_not_allowed", where=_at(where, "not_applicable"), code=code)
    else:
        problems.add("consolidated.outside_range", where=_at(where, "points"), points=points, max=leaf.max,
                     code=code, kind=labels.kind(kind))


@dataclass(frozen=True)
class _Current:
    id: uuid.UUID
    points: Decimal | None
    not_applicable: bool
    note: str
    value: Any
    revision: int


def _current_scores(session: Session, assessment_ids: set[uuid.UUID]
                    ) -> dict[tuple[uuid.UUID, str, str], _Current]:
    """The scores the project has for these assessments, by (assessment, leaf, stage)."""
    table = cast(Table, Score.__table__)
    c = table.c
    out: dict[tuple[uuid.UUID, str, str], _Current] = {}
    wanted = sorted(assessment_ids)
    for i in range(0, len(wanted), 500):
        for r in session.connection().execute(
                select(c.id, c.assessment_id, c.criterion_code, c.stage, c.points, c.not_applicable, c.note,
                       c.value, c.revision).where(c.assessment_id.in_(wanted[i:i + 500]))):
            out[(r.assessment_id, r.criterion_code, r.stage)] = _Current(
                r.id, r.points, r.not_applicable, r.note, r.value, r.revision)
    return out


def _write_scores(session: Session, new_rows: list[tuple[Any, ...]], changed: list[tuple[Any, ...]],
                  author: str, now: datetime) -> None:
    """New scores and changed scores, one revision each, and an audit event for each changed score (its old
    and new value; new scores are summed up per file and unit by the caller): Core ``executemany`` inserts
    with values converted column by column, ids made in one go."""
    conn = session.connection()
    latest: dict[uuid.UUID, uuid.UUID] = {}  # score -> its latest revision: what an update builds on
    changed_ids = [old.id for old, *_ in changed]
    for i in range(0, len(changed_ids), 500):  # only the chains of scores this import extends
        for score_id, rev_id in conn.execute(
                select(ScoreRevision.score_id, ScoreRevision.id)
                .where(ScoreRevision.score_id.in_(changed_ids[i:i + 500])).order_by(ScoreRevision.revision)):
            latest[score_id] = rev_id

    # Ids: on SQLite a ``Uuid`` is stored as its 32 hex digits; those are made directly, without UUID objects.
    as_hex = _uuid_is_hex(conn.dialect)
    fresh: Callable[[int], Sequence[Any]] = new_hex_ids if as_hex else new_ids
    ref: Callable[[uuid.UUID | None], Any] = _hex if as_hex else _same
    n_new, n_all = len(new_rows), len(new_rows) + len(changed)
    score_ids, rev_ids = fresh(n_new), fresh(n_all)
    converted = ("id", "score_id", "base_revision_id") if as_hex else ()
    scores = [(score_id, *r) for score_id, r in zip(score_ids, new_rows, strict=True)]
    # the few distinct assessments, points and flags are converted for the driver once each, not per row
    repeating = ("assessment_id", "points", "not_applicable")
    revisions: list[tuple[Any, ...]] = [
        (rev_id, score_id, 1, None, points, na, note)
        for rev_id, (score_id, _a, _leaf, _stage, points, na, note) in zip(rev_ids, scores, strict=False)]
    audits: list[tuple[Any, ...]] = []
    updates = []
    for rev_id, (old, a_id, leaf, stage, points, na, note, reason) in zip(rev_ids[n_new:], changed,
                                                                             strict=True):
        base = latest.get(old.id)
        revision = old.revision + 1
        updates.append({"b_id": old.id, "points": points, "not_applicable": na, "note": note, "value": None,
                        "author": author, "device_id": "import", "updated_at": now, "revision": revision,
                        "base_revision_id": base})
        revisions.append((rev_id, ref(old.id), revision, ref(base), points, na, note))
        audits.append((a_id, leaf, stage,
                       {"points": old.points, "not_applicable": old.not_applicable, "note": old.note,
                        "value": old.value},
                       {"points": points, "not_applicable": na, "note": note, "value": None}, reason))
    if scores:
        bulk_insert(conn, Score.__table__, scores,
                    columns=("id", "assessment_id", "criterion_code", "stage", "points", "not_applicable",
                             "note"),
                    constants={"value": None, "author": author, "device_id": "import", "updated_at": now,
                               "revision": 1, "base_revision_id": None},
                    converted=converted, repeating=repeating)
    if updates:
        table = cast(Table, Score.__table__)
        conn.execute(update(table).where(table.c.id == bindparam("b_id")), updates)
    bulk_insert(conn, ScoreRevision.__table__, revisions,
                columns=("id", "score_id", "revision", "base_revision_id", "points", "not_applicable",
                         "note"),
                constants={"value": None, "author": author, "device_id": "import", "time": now},
                converted=converted, repeating=repeating[1:])
    if audits:
        bulk_insert(conn, AuditEvent.__table__, chained_rows(conn, (  # with their hash chain (issue #10)
            {"id": i, "time": now, "author": author, "role": "committee", "device_id": "import",
             "action": "import", **dict(zip(("assessment_id", "criterion_code", "stage", "old", "new",
                                             "reason"), a, strict=True))}
            for i, a in zip(new_ids(len(audits)), audits, strict=True))))


def _uuid_is_hex(dialect: Any) -> bool:
    """Whether this database takes a ``Uuid`` column's value as the UUID's 32 hex digits (SQLite)."""
    to_db = cast(Table, Score.__table__).c.id.type._cached_bind_processor(dialect)
    probe = uuid.UUID("0123456789abcdef0123456789abcdef")
    return to_db is not None and to_db(probe) == probe.hex


def _hex(u: uuid.UUID | None) -> str | None:
    return None if u is None else u.hex


def _same(u: uuid.UUID | None) -> uuid.UUID | None:
    return u
