"""Reading the simple ``.xlsx`` files of the survey and external-index imports (python-calamine), and the
all-or-nothing problem list they share with the other imports."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaluator.errors import MAX_LISTED, Problems, UserError
from evaluator.xlsx_limits import WorkbookRefused, check_xlsx

__all__ = ["MAX_LISTED", "Problems", "assessments_by_code", "cell_text", "log_import", "read_table"]



def cell_text(value: Any) -> str:
    """A cell as text: '' for empty, a whole float without its '.0' (Excel stores 12 as 12.0), stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(
    path: Path, sheet: str, columns: Sequence[str], problems: Problems, optional: Sequence[str] = ()
) -> tuple[bytes, list[tuple[int, dict[str, Any]]]] | None:
    """The rows of one sheet as ``(row number, {column: raw value})`` (blank rows skipped), with the file
    bytes; ``None`` after adding a problem when the file, the sheet or a column is missing."""
    from python_calamine import CalamineWorkbook

    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add(f"{name}: cannot be read: {exc.strerror or exc}")
        return None
    try:
        check_xlsx(data)  # before calamine: it would build a sheet up to its farthest cell in memory
    except WorkbookRefused as exc:
        problems.add(f"{name}: {exc}")
        return None
    try:
        wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = list(wb.sheet_names)
        if sheet not in names:
            problems.add(
                f"{name}: wrong sheets: there is no sheet {sheet!r} (found: {', '.join(names) or 'none'})"
            )
            return None
        rows = wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises several types for broken files
        problems.add(f"{name}: not an Excel workbook (.xlsx) that can be read: {exc}")
        return None
    header = [cell_text(v).lower() for v in (rows[0] if rows else [])]
    where = {h: i for i, h in enumerate(header) if h}
    absent = [c for c in columns if c not in where]
    if absent:
        problems.add(
            f"{name}: sheet {sheet}, row 1: missing column(s) {', '.join(absent)} "
            f"(a {sheet} sheet has columns {', '.join(columns)})"
        )
        return None
    out = []
    wanted = [*columns, *(c for c in optional if c in where)]
    for i, row in enumerate(rows[1:], start=2):
        values = {c: (row[where[c]] if where[c] < len(row) else None) for c in wanted}
        if not any(cell_text(v) for v in values.values()):
            continue
        out.append((i, values))
    return data, out


def log_import(session: Any, path: Path, data: bytes, summary: dict[str, Any], author: str) -> None:
    """The import log row of a survey or external-index import (the file's name, SHA-256 and counts)."""
    import hashlib

    from evaluator.models import ImportLog

    session.add(ImportLog(author=author, source=path.name, source_sha256=hashlib.sha256(data).hexdigest(),
                          summary=summary, dry_run=False))


def assessments_by_code(session: Any, year: int) -> dict[str, tuple[Any, Any]]:
    """unit code → (assessment, unit) of a year; a year without assessments is refused."""
    from sqlalchemy import select

    from evaluator.models import Assessment, Period, Unit

    found = {
        u.code: (a, u)
        for a, u in session.execute(
            select(Assessment, Unit)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
            .where(Period.year == year)
        )
    }
    if not found:
        raise UserError("projects.no_assessments_year", year=year)
    return found
