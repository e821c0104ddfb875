"""The unit list as a workbook: ``import_units`` reads a sheet ``units`` (all or nothing, every problem with
its file, sheet, row and column), ``export_units`` writes the same sheet, so that an exported list imports
into another project as the same units.

The file comes from outside and is treated as hostile: ``exchange_sheets.read_sheet`` refuses it unread when
its size or extents break ``xlsx_limits``; every cell is text under ``fields``' rules (a number is taken as
its digits — Excel turns the code 101 into a number —, a date or a truth value is refused); columns nobody
knows are reported rather than ignored (a typo in ``parent_code`` would otherwise drop every parent).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from evaluator.errors import Problems, UserError
from evaluator.fields import FieldError, check_year
from evaluator.messages import Message, labels
from evaluator.models import Assessment, Project, Unit
from evaluator.services.changes import Change
from evaluator.services.exchange_sheets import cell_text, log_import, read_sheet
from evaluator.services.external_import import checked_file, shown
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.units import (
    UnitDetails,
    add_assessment,
    add_unit,
    check_details,
    edit_unit,
    list_units,
    parent_cycle,
    project_kinds,
)
from evaluator.services.users import actor_in

SHEET = "units"
COLUMNS: dict[str, str] = {
    "unit_code": "code", "unit_name": "name", "unit_kind": "kind", "short_name": "short_name",
    "parent_code": "parent_code", "ranking_group": "ranking_group", "abbreviation": "abbreviation",
    "head_title": "head_title",
}
"""Sheet column → ``UnitDetails`` field, in the order the export writes them."""
REQUIRED = ("unit_code", "unit_name", "unit_kind")
FIELD_COLUMNS: dict[str, str] = {field: column for column, field in COLUMNS.items()}
"""A unit's field → its column on the sheet (what a problem on a row names)."""
MAX_ROWS = 20_000
"""More units than any province has (about 10,000 communes in the whole country before 2025)."""


@dataclass
class UnitImportReport:
    file: str
    dry_run: bool
    year: int | None
    new: list[UnitDetails] = field(default_factory=list)
    updated: list[tuple[str, list[str]]] = field(default_factory=list)
    """(code, the fields that change)."""
    same: int = 0
    assessed: int = 0
    """Assessments of ``year`` added (or, in a dry run, that would be)."""
    backup: str = ""
    change: Change = field(default_factory=Change)

    def lines(self) -> list[Message]:
        out = [Message("units.import_done", {"file": self.file, "new": len(self.new),
                                             "updated": len(self.updated), "same": self.same,
                                             "assessed": self.assessed})]
        out += [Message("units.import_new", {"code": d.code, "name": d.name}) for d in self.new]
        out += [Message("units.import_updated", {"code": c, "fields": ", ".join(f)}) for c, f in self.updated]
        if self.dry_run:
            out.append(Message("units.import_dry_run"))
        return out

    def render(self, language: str | None = None) -> str:
        return "\n".join(m.render(language) for m in self.lines())

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "dry_run": self.dry_run, "year": self.year,
                "new": [d.code for d in self.new], "updated": {c: f for c, f in self.updated},
                "unchanged": self.same, "assessments_new": self.assessed, "backup": self.backup}

    def summary(self) -> dict[str, Any]:
        return {"kind": "units", **self.to_json()}


def _read(path: Path, problems: Problems) -> tuple[bytes, list[tuple[int, dict[str, str]]]] | None:
    """The file's bytes and its rows as (row number, {column: text}), blank rows skipped; ``None`` with
    the problems when the file, the sheet, its columns or a cell cannot be used."""
    name = path.name
    read = read_sheet(path, SHEET, problems)
    if read is None:
        return None
    data, rows = read
    if len(rows) - 1 > MAX_ROWS:
        problems.add("units.too_many_rows", file=name, sheet=SHEET, rows=len(rows) - 1, limit=MAX_ROWS)
        return None
    header = [cell_text(v).lower() if isinstance(v, str) else cell_text(v) for v in (rows[0] if rows else [])]
    where: dict[str, int] = {}
    unknown = []
    for i, h in enumerate(header):
        if h in COLUMNS and h not in where:
            where[h] = i
        elif h:
            unknown.append(shown(h))
    absent = [c for c in REQUIRED if c not in where]
    if absent:
        problems.add("workbook.missing_columns_of", name=name, sheet=SHEET, absent=", ".join(absent),
                     columns=", ".join(COLUMNS))
    if unknown:
        problems.add("units.unknown_columns", file=name, sheet=SHEET, columns=", ".join(unknown),
                     known=", ".join(COLUMNS))
    if absent or unknown:
        return None
    out = []
    for r, row in enumerate(rows[1:], start=2):
        values: dict[str, str] = {}
        usable = True
        for column, i in where.items():
            raw = row[i] if i < len(row) else None
            if isinstance(raw, bool | datetime | date | time | timedelta):
                place = Message("import.column", {"where": _row(name, r), "column": column})
                problems.add("units.not_text", where=place, value=shown(str(raw)))
                usable = False  # the row's other checks would only repeat this problem
                continue
            values[column] = cell_text(raw)
        if usable and any(values.values()):
            out.append((r, values))
    return data, out


def _row(file: str, row: int) -> Message:
    return Message("import.row", {"file": file, "sheet": SHEET, "row": row})


def import_units(project: Project, path: Path | str, *, author: str = "", role: str = "committee",
                 year: int | None = None, dry_run: bool = False, backup: bool = True) -> UnitImportReport:
    """Add the units of the sheet that are new, update those whose code the project has; with ``year``,
    give every unit of the sheet its assessment of that year. All or nothing: ``UserError`` listing every
    problem (file, sheet, row, column), and the project as it was. A backup is made before writing; a dry
    run writes nothing at all (not even this computer's device row). ``backup=False``: none (a project made
    in the same call, ``services.project_setup``: nothing yet to bring back)."""
    path = Path(path)
    checked_file(path, author)
    if year is not None:
        try:
            check_year(year)
        except FieldError as exc:
            raise UserError("units.year_refused", error=exc.message) from None
    problems = Problems()
    read = _read(path, problems)
    if read is None:
        problems.raise_if_any()
    assert read is not None  # the cells' problems are listed with those of the rows, below
    data, rows = read
    report = UnitImportReport(path.name, dry_run, year)
    with project.session(write=not dry_run) as session:
        known = {u.code: u for u in session.scalars(select(Unit))}
        kinds = project_kinds(session)
        sheet_codes: dict[str, int] = {}
        planned: list[tuple[int, UnitDetails]] = []
        for r, values in rows:
            details = UnitDetails(**{COLUMNS[c]: v for c, v in values.items()})
            where = _row(path.name, r)
            first = sheet_codes.get(details.code)
            if first is not None:
                problems.add("units.duplicate_code", where=Message("import.column", {
                    "where": where, "column": "unit_code"}), code=details.code, first=first)
                continue
            sheet_codes[details.code] = r
            planned.append((r, details))
        codes = {c: u.kind for c, u in known.items()} | {d.code: d.kind for _r, d in planned}
        parents = {c: u.parent_code for c, u in known.items() if u.parent_code}
        parents.update({d.code: d.parent_code for _r, d in planned})
        assessed_kinds: dict[str, bool] = {}
        for r, details in planned:
            where = _row(path.name, r)
            check_details(details, problems, kinds=kinds, codes=codes, where=where, columns=FIELD_COLUMNS)
            parent = details.parent_code
            if parent not in ("", details.code) and parent_cycle(details.code, parent, parents):
                problems.add("import.cell_refused", where=Message("import.column", {
                    "where": where, "column": "parent_code"}), error=Message("units.parent_cycle", {
                        "code": details.code, "parent": details.parent_code}))
            unit = known.get(details.code)
            if unit is not None and unit.kind != details.kind and session.scalars(
                    select(Assessment.id).where(Assessment.unit_id == unit.id).limit(1)).first() is not None:
                problems.add("import.cell_refused", where=Message("import.column", {
                    "where": where, "column": "unit_kind"}), error=Message("units.kind_assessed", {
                        "code": unit.code, "kind": labels.kind(unit.kind)}))
            if year is not None and details.kind in kinds and details.kind not in assessed_kinds:
                try:
                    framework_for_kind(session, year, details.kind)
                    assessed_kinds[details.kind] = True
                except UserError as exc:
                    assessed_kinds[details.kind] = False
                    problems.add("import.cell_refused", where=Message("import.column", {
                        "where": where, "column": "unit_kind"}), error=exc.message)
        problems.raise_if_any()
        new, updates = _plan(planned, known, report)
        if year is not None:
            report.assessed = _count_new_assessments(session, [d.code for _r, d in planned], known, year)
        if dry_run or not (new or updates or report.assessed):
            return report
        from evaluator.services.backups import backup_before_import

        if backup:
            report.backup = str(backup_before_import(project) or "")
        reason = f"units import {path.name}"
        actor = actor_in(session, author, role)
        change = Change()
        for details in new:
            change.merge(add_unit(session, details, actor=actor, reason=reason))
        for code, fields_changed in updates:
            change.merge(edit_unit(session, code, fields_changed, actor=actor, reason=reason))
        if year is not None:
            for _r, details in planned:
                unit = session.scalars(select(Unit).where(Unit.code == details.code)).one()
                change.merge(add_assessment(session, unit, year, actor=actor))
        log_import(session, path, data, report.summary(), author)
        report.change = change
    return report


def _plan(planned: list[tuple[int, UnitDetails]], known: dict[str, Unit],
          report: UnitImportReport) -> tuple[list[UnitDetails], list[tuple[str, dict[str, str]]]]:
    """The new units, parents first (a parent may be new in the same sheet), and the changed fields of
    the known ones."""
    new: list[UnitDetails] = []
    updates: list[tuple[str, dict[str, str]]] = []
    for _r, details in planned:
        unit = known.get(details.code)
        if unit is None:
            new.append(details)
            continue
        changed = {name: value for name, value in _fields(details).items()
                   if value != (getattr(unit, name) or "")}
        if changed:
            updates.append((details.code, changed))
            report.updated.append((details.code, sorted(changed)))
        else:
            report.same += 1
    ordered: list[UnitDetails] = []
    placed = set(known)
    waiting = new
    while waiting:  # parents before children; a cycle among new units leaves them all waiting
        ready = [d for d in waiting if not d.parent_code or d.parent_code in placed]
        if not ready:
            ready = waiting  # a cycle: add_unit names the parent it cannot find
        ordered += ready
        placed |= {d.code for d in ready}
        waiting = [d for d in waiting if d.code not in placed]
    report.new = ordered
    return ordered, updates


def _fields(details: UnitDetails) -> dict[str, str]:
    return {name: getattr(details, name) for name in COLUMNS.values() if name != "code"}


def _count_new_assessments(session: Any, codes: list[str], known: dict[str, Unit], year: int) -> int:
    from evaluator.models import Period

    have = set(session.scalars(select(Assessment.unit_id).join(Period, Period.id == Assessment.period_id)
                               .where(Period.year == year)))
    return sum(1 for c in codes if c not in known or known[c].id not in have)


def export_units(project: Project, out: Path | str, *, include_retired: bool = False) -> int:
    """Write the project's units (retired ones with ``include_retired``) as the sheet ``units``; returns
    how many. User text that Excel would take for a formula stays text (``reports.excel.put``)."""
    from openpyxl import Workbook

    from evaluator.reports.excel import put

    out = Path(out)
    with project.session() as session:
        units = list_units(session, include_retired=include_retired)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    for col, name in enumerate(COLUMNS, 1):
        put(sheet, 1, col, name, bold=True)
    for r, u in enumerate(units, 2):
        for col, name in enumerate(COLUMNS.values(), 1):
            put(sheet, r, col, getattr(u, name) or "")
    sheet.freeze_panes = "A2"
    try:
        book.save(out)
    except OSError as exc:
        raise UserError("common.cannot_write", path=out, error=exc.strerror or exc) from exc
    return len(units)
