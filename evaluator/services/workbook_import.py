"""Importing consolidated workbooks (what the committee receives from secretaries).

Format ``evaluator-consolidated`` version 1, an ``.xlsx`` with sheets:
- ``meta``: ``key``/``value`` rows ``format``, ``format_version``, ``year``;
- ``units``: ``unit_code``, ``unit_name``, ``unit_kind``, ``framework_code``;
- ``scores``: ``unit_code``, ``criterion_code``, ``stage``, ``points``, ``not_applicable``, ``note``.

All-or-nothing per run: every file is read and checked first; one problem anywhere and nothing is written.
Points are the council's decisions: any value in [0, max] with at most two decimals is taken, and one the
leaf's rule could not produce is taken with a warning.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update
from sqlalchemy.orm import Session

from evaluator.frameworks.model import ALL_STAGES, CENT, Framework
from evaluator.frameworks.registry import find_bundled
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
from evaluator.models.schema import new_id
from evaluator.scoring import can_produce
from evaluator.services.errors import UserError
from evaluator.services.frameworks import framework_of, store_framework
from evaluator.services.projects import ensure_period

FORMAT = "evaluator-consolidated"
FORMAT_VERSION = 1
SHEETS = {
    "meta": ("key", "value"),
    "units": ("unit_code", "unit_name", "unit_kind", "framework_code"),
    "scores": ("unit_code", "criterion_code", "stage", "points", "not_applicable", "note"),
}
MAX_LISTED = 50


@dataclass
class ScoreRow:
    file: str
    row: int
    unit: str
    leaf: str
    stage: str
    points: Decimal | None
    not_applicable: bool
    note: str


@dataclass
class Workbook:
    path: Path
    sha256: str
    year: int
    units: list[tuple[int, str, str, str, str]]  # row, code, name, kind, framework_code
    scores: list[ScoreRow]


@dataclass
class ImportReport:
    files: list[str]
    dry_run: bool
    units_new: int = 0
    assessments_new: int = 0
    scores_new: int = 0
    scores_updated: int = 0
    scores_identical: int = 0
    warnings: list[str] = field(default_factory=list)
    years: set[int] = field(default_factory=set)

    def summary(self) -> dict[str, Any]:
        return {"files": self.files, "dry_run": self.dry_run, "years": sorted(self.years),
                "units_new": self.units_new, "assessments_new": self.assessments_new,
                "scores_new": self.scores_new, "scores_updated": self.scores_updated,
                "scores_identical": self.scores_identical, "warnings": self.warnings}

    def render(self) -> str:
        head = "Dry run — nothing was written." if self.dry_run else "Imported."
        lines = [head, f"  files: {', '.join(self.files)}",
                 f"  units: {self.units_new} new", f"  assessments: {self.assessments_new} new",
                 f"  scores: {self.scores_new} new, {self.scores_updated} updated, "
                 f"{self.scores_identical} identical"]
        if self.warnings:
            lines.append(f"  warnings ({len(self.warnings)}):")
            lines += [f"    - {w}" for w in self.warnings[:MAX_LISTED]]
            if len(self.warnings) > MAX_LISTED:
                lines.append(f"    … and {len(self.warnings) - MAX_LISTED} more (see the import log)")
        return "\n".join(lines)


class _Problems:
    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_LISTED]
            more = len(self.items) - len(shown)
            raise UserError(f"import refused, nothing was written ({len(self.items)} problem(s)):",
                            shown + ([f"… and {more} more"] if more else []))


# --- reading ----------------------------------------------------------------------------------------
def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_workbook(path: Path, problems: _Problems) -> Workbook | None:
    from python_calamine import CalamineWorkbook

    name = path.name
    known = len(problems.items)  # problems of earlier files
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(f"{name}: cannot be read: {exc.strerror or exc}")
        return None
    try:
        wb = CalamineWorkbook.from_filelike(_BytesReader(data))
        sheets = {s: wb.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in wb.sheet_names
                  if s in SHEETS}
    except Exception as exc:  # calamine raises several types for broken files
        problems.add(f"{name}: not an Excel workbook (.xlsx) that can be read: {exc}")
        return None
    missing = [s for s in SHEETS if s not in sheets]
    if missing:
        problems.add(f"{name}: missing sheet(s) {', '.join(missing)}; a consolidated workbook has sheets "
                     f"{', '.join(SHEETS)}")
        return None
    columns: dict[str, dict[str, int]] = {}
    for sheet, wanted in SHEETS.items():
        rows = sheets[sheet]
        header = [_cell_text(v).lower() for v in (rows[0] if rows else [])]
        positions = {h: i for i, h in enumerate(header) if h}
        absent = [c for c in wanted if c not in positions]
        if absent:
            problems.add(f"{name}: sheet {sheet}, row 1: missing column(s) {', '.join(absent)}")
        columns[sheet] = positions
    if len(problems.items) > known:
        return None

    meta = {}
    mc = columns["meta"]
    for row in sheets["meta"][1:]:
        key = _cell_text(_get(row, mc["key"]))
        if key:
            meta[key] = _get(row, mc["value"])
    ok = True
    if _cell_text(meta.get("format")) != FORMAT:
        got = _cell_text(meta.get("format"))
        problems.add(f"{name}: sheet meta, key format: expected {FORMAT!r}, got {got!r}")
        ok = False
    version = _cell_text(meta.get("format_version"))
    if version != str(FORMAT_VERSION):
        problems.add(f"{name}: sheet meta, key format_version: unknown format version {version!r}; "
                     f"this program reads version {FORMAT_VERSION}")
        ok = False
    try:
        year = int(_cell_text(meta.get("year")))
        if not 1000 <= year <= 9999:  # also keeps it within SQLite's integers
            raise ValueError
    except ValueError:
        problems.add(f"{name}: sheet meta, key year: {_cell_text(meta.get('year'))!r} is not a year")
        ok = False
        year = 0
    if not ok:
        return None

    units: list[tuple[int, str, str, str, str]] = []
    uc = columns["units"]
    for i, row in enumerate(sheets["units"][1:], start=2):
        values = [_cell_text(_get(row, uc[c])) for c in SHEETS["units"]]
        if not any(values):
            continue
        for column, value in zip(SHEETS["units"], values, strict=True):
            if not value:
                problems.add(f"{name}: sheet units, row {i}, column {column}: is empty")
        units.append((i, values[0], values[1], values[2], values[3]))

    scores = []
    sc = columns["scores"]
    for i, row in enumerate(sheets["scores"][1:], start=2):
        raw = {c: _get(row, sc[c]) for c in SHEETS["scores"]}
        if not any(_cell_text(v) for v in raw.values()):
            continue
        where = f"{name}: sheet scores, row {i}"
        unit, leaf, stage = (_cell_text(raw[c]) for c in ("unit_code", "criterion_code", "stage"))
        for column, value in (("unit_code", unit), ("criterion_code", leaf), ("stage", stage)):
            if not value:
                problems.add(f"{where}, column {column}: is empty")
        if stage and stage not in ALL_STAGES:
            problems.add(f"{where}, column stage: unknown stage {stage!r}; "
                         f"expected one of {', '.join(ALL_STAGES)}")
        na_text = _cell_text(raw["not_applicable"])
        if na_text not in ("", "0", "1"):
            problems.add(f"{where}, column not_applicable: {na_text!r} must be blank, 0 or 1")
        not_applicable = na_text == "1"
        points = _points(raw["points"], f"{where}, column points", problems)
        if points is None and not not_applicable and _cell_text(raw["points"]) == "":
            problems.add(f"{where}, column points: is empty (give points, or 1 in not_applicable)")
        scores.append(ScoreRow(name, i, unit, leaf, stage, points, not_applicable, _cell_text(raw["note"])))
    return Workbook(path, hashlib.sha256(data).hexdigest(), year, units, scores)


class _BytesReader:
    """A minimal file-like object (calamine reads from it) so that a file is read from disk once."""

    def __init__(self, data: bytes):
        import io

        self._buf = io.BytesIO(data)

    def read(self, size: int = -1) -> bytes:
        return self._buf.read(size)

    def seek(self, offset: int, whence: int = 0) -> int:
        return self._buf.seek(offset, whence)

    def tell(self) -> int:
        return self._buf.tell()


def _combined_sha256(digests: list[str]) -> str:
    """One fingerprint for the files of a run (each file's own is kept in the summary)."""
    return digests[0] if len(digests) == 1 else hashlib.sha256(",".join(digests).encode()).hexdigest()


def _get(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?")
"""What a typed number may look like: ASCII digits, a decimal point or comma (no ``1_000``, no ``١``)."""


def _points(raw: Any, where: str, problems: _Problems) -> Decimal | None:
    text = _cell_text(raw)
    if text == "":
        return None
    if isinstance(raw, bool) or (isinstance(raw, str) and not _PLAIN_NUMBER.fullmatch(text)):
        problems.add(f"{where}: {text!r} is not a number")
        return None
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(text.replace(",", "."))
    except InvalidOperation:
        problems.add(f"{where}: {text!r} is not a number")
        return None
    if not value.is_finite() or value.adjusted() > 12:  # too large to quantize: outside any [0, max]
        problems.add(f"{where}: {text!r} is not a number" if not value.is_finite()
                     else f"{where}: {text} is far outside the points range")
        return None
    if value != value.quantize(CENT):
        problems.add(f"{where}: {text} has more than two decimals")
        return None
    return value.quantize(CENT)


# --- checking against the project and writing -------------------------------------------------------
def import_workbooks(project: Project, paths: Sequence[Path], *, dry_run: bool = False,
                     author: str = "") -> ImportReport:
    problems = _Problems()
    books = [b for b in (read_workbook(Path(p), problems) for p in paths) if b is not None]
    problems.raise_if_any()
    report = ImportReport(files=[Path(p).name for p in paths], dry_run=dry_run)
    if not dry_run and project.path is not None:
        project.backup()
    with project.session() as session:
        _apply(session, books, report, problems, author)
        problems.raise_if_any()  # raising inside the session rolls everything back
        session.add(ImportLog(author=author, source=", ".join(report.files),
                              source_sha256=_combined_sha256([b.sha256 for b in books]),
                              summary={**report.summary(), "file_sha256": [b.sha256 for b in books]},
                              dry_run=dry_run))
        if dry_run:
            session.rollback()
    return report


def _differing(old: Sequence[str], new: Sequence[str]) -> str:
    """``column unit_name`` (or ``columns unit_name, unit_kind``): the units columns whose values differ."""
    names = [c for c, a, b in zip(SHEETS["units"][1:], old, new, strict=False) if a != b]
    return f"column{'s' if len(names) > 1 else ''} {', '.join(names)}"


def _apply(session: Session, books: list[Workbook], report: ImportReport, problems: _Problems,
           author: str) -> None:
    units = {u.code: u for u in session.scalars(select(Unit)).all()}
    declared: dict[tuple[int, str], tuple[str, str, str, str]] = {}  # (year, code) -> (name, kind, fw, where)
    first_seen: dict[str, tuple[str, str, str]] = {}  # code -> (name, kind, where), across years
    for book in books:
        report.years.add(book.year)
        for row, code, name, kind, fw_code in book.units:
            where = f"{book.path.name}: sheet units, row {row}"
            known = units.get(code)
            if known is not None and (known.name != name or known.kind != kind):
                problems.add(f"{where}, {_differing((known.name, known.kind), (name, kind))}: unit {code} is "
                             f"in the project as {known.name!r} ({known.kind}), not {name!r} ({kind})")
            earlier = declared.get((book.year, code))
            if earlier is not None and earlier[:3] != (name, kind, fw_code):
                problems.add(f"{where}, {_differing(earlier[:3], (name, kind, fw_code))}: unit {code} is "
                             f"declared differently in {earlier[3]}")
            first = first_seen.setdefault(code, (name, kind, where))
            if known is None and earlier is None and first[:2] != (name, kind):  # new unit, other year
                problems.add(f"{where}, {_differing(first[:2], (name, kind))}: unit {code} is declared as "
                             f"{first[0]!r} ({first[1]}) in {first[2]}")
            declared[(book.year, code)] = (name, kind, fw_code, where)
    if problems.items:
        return

    # Criteria sets: the project's, or a bundled one for that year.
    fw_rows: dict[tuple[int, str], CriteriaSet] = {}
    for (year, _code), (_name, kind, fw_code, where) in declared.items():
        key = (year, fw_code)
        if key not in fw_rows:
            set_row = session.scalars(select(CriteriaSet)
                                      .where(CriteriaSet.code == fw_code, CriteriaSet.year == year)
                                      .order_by(CriteriaSet.version.desc())).first()
            if set_row is None:
                bundled = find_bundled(fw_code)
                if bundled is None or bundled.year != year:
                    problems.add(f"{where}, column framework_code: no criteria set {fw_code!r} for {year}")
                    continue
                set_row = store_framework(session, bundled)
            fw_rows[key] = set_row
        if kind not in framework_of(fw_rows[key]).unit_kinds:
            problems.add(f"{where}, column unit_kind: criteria set {fw_code} has no unit kind {kind!r}")
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
            problems.add(f"{where}, column framework_code: {code} is assessed in {year} with "
                         f"{existing.criteria_set.identity}, the workbook says {set_row.identity}")
    if problems.items:
        return

    # Scores: check every row first.
    seen: dict[tuple[int, str, str, str], str] = {}
    checked: list[tuple[int, ScoreRow, str, Framework]] = []
    for book in books:
        for s in book.scores:
            where = f"{s.file}: sheet scores, row {s.row}"
            decl = declared.get((book.year, s.unit))
            if decl is None:
                if (book.year, s.unit) in assessments:
                    a = assessments[(book.year, s.unit)]
                    kind, fw = a.unit.kind, framework_of(a.criteria_set)
                else:
                    problems.add(f"{where}, column unit_code: unknown unit {s.unit!r} (not in sheet units, "
                                 f"nor assessed in {book.year} in the project)")
                    continue
            else:
                kind, fw = decl[1], framework_of(fw_rows[(book.year, decl[2])])
            row_key = (book.year, s.unit, s.leaf, s.stage)
            if row_key in seen:
                problems.add(f"{where}: duplicated row (same unit, criterion and stage as {seen[row_key]})")
                continue
            seen[row_key] = f"{s.file} row {s.row}"
            node = fw.nodes.get(s.leaf)
            if node is None or not node.is_leaf or not node.applies_to(kind):
                problems.add(f"{where}, column criterion_code: unknown criterion {s.leaf!r} for a {kind} in "
                             f"{fw.identity}")
                continue
            if node.source == "survey" and s.stage != "survey":
                problems.add(f"{where}, column stage: criterion {s.leaf} is scored by survey; "
                             f"{s.stage!r} points are not accepted")
                continue
            if node.source != "survey" and s.stage == "survey":
                problems.add(f"{where}, column stage: criterion {s.leaf} is scored by appraisal; "
                             "survey points are not accepted")
                continue
            if s.not_applicable and not node.not_applicable_allowed:
                problems.add(f"{where}, column not_applicable: criterion {s.leaf} "
                             "cannot be marked not applicable")
                continue
            mx = node.max[kind]
            if s.points is not None and not (0 <= s.points <= mx):
                problems.add(f"{where}, column points: {s.points} is outside [0, {mx}] "
                             f"for criterion {s.leaf} "
                             f"({kind})")
                continue
            if s.points is not None and not s.not_applicable and not can_produce(node, kind, s.points):
                rule_kind = node.rule.kind if node.rule else "?"
                report.warnings.append(f"{where}: {s.points} points for {s.leaf} cannot come from its rule "
                                       f"({rule_kind}); imported as the council's decision")
            checked.append((book.year, s, kind, fw))
    if problems.items:
        return

    # Write: units, assessments, then scores with their revision chain and audit events.
    now = utcnow()
    for (year, code), (name, kind, fw_code, _where) in declared.items():
        unit = units.get(code)
        if unit is None:
            unit = Unit(code=code, name=name, kind=kind)
            session.add(unit)
            units[code] = unit
            report.units_new += 1
        if (year, code) not in assessments:
            session.flush()
            a = Assessment(unit_id=unit.id, period_id=periods[year].id,
                           criteria_set_id=fw_rows[(year, fw_code)].id, status="appraisal2")
            session.add(a)
            assessments[(year, code)] = a
            report.assessments_new += 1
    session.flush()
    ids = {key: a.id for key, a in assessments.items()}
    current = {}
    if ids:
        for score in session.scalars(select(Score).where(Score.assessment_id.in_(list(ids.values())))):
            current[(score.assessment_id, score.criterion_code, score.stage)] = score
    latest_revision: dict[uuid.UUID, uuid.UUID] = {}
    touched = [current[k].id for k in current]
    for i in range(0, len(touched), 500):  # only the chains of scores this import may extend
        for score_id, rev_id in session.execute(
                select(ScoreRevision.score_id, ScoreRevision.id)
                .where(ScoreRevision.score_id.in_(touched[i:i + 500])).order_by(ScoreRevision.revision)):
            latest_revision[score_id] = rev_id
    new_scores, revisions, audits, updates = [], [], [], []
    for year, s, _kind, _fw in checked:
        a_id = ids[(year, s.unit)]
        old = current.get((a_id, s.leaf, s.stage))
        points = None if s.not_applicable else s.points
        state = {"points": points, "not_applicable": s.not_applicable, "note": s.note, "value": None}
        if old is not None and old.points == points and old.not_applicable == s.not_applicable \
                and old.note == s.note:
            report.scores_identical += 1
            continue
        rev_id = new_id()
        if old is None:
            score_id, revision, base = new_id(), 1, None
            new_scores.append({"id": score_id, "assessment_id": a_id, "criterion_code": s.leaf,
                               "stage": s.stage,
                               "value": None, "points": points, "not_applicable": s.not_applicable,
                               "note": s.note, "author": author, "device_id": "import", "updated_at": now,
                               "revision": 1, "base_revision_id": None})
            report.scores_new += 1
            old_state = None
        else:
            score_id, revision, base = old.id, old.revision + 1, latest_revision.get(old.id)
            updates.append({"b_id": old.id, "points": points, "not_applicable": s.not_applicable,
                            "note": s.note, "value": None, "author": author, "device_id": "import",
                            "updated_at": now, "revision": revision, "base_revision_id": base})
            report.scores_updated += 1
            old_state = {"points": old.points, "not_applicable": old.not_applicable, "note": old.note,
                         "value": old.value}
        revisions.append({"id": rev_id, "score_id": score_id, "revision": revision, "value": None,
                          "points": points, "not_applicable": s.not_applicable, "note": s.note,
                          "author": author,
                          "device_id": "import", "time": now, "base_revision_id": base})
        audits.append({"id": new_id(), "time": now, "author": author, "role": "committee",
                       "device_id": "import", "action": "import", "assessment_id": a_id,
                       "criterion_code": s.leaf, "stage": s.stage, "old": old_state, "new": state,
                       "reason": f"{s.file} row {s.row}"})
    if new_scores:
        session.execute(insert(Score), new_scores)
    if updates:
        from sqlalchemy import bindparam

        table = cast(Table, Score.__table__)
        session.connection().execute(
            update(table).where(table.c.id == bindparam("b_id")),
            updates)
    if revisions:
        session.execute(insert(ScoreRevision), revisions)
    if audits:
        session.execute(insert(AuditEvent), audits)
