"""Reading the simple ``.xlsx`` files of the survey and external-index imports (python-calamine), and the
all-or-nothing problem list they share with the other imports."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from evaluator.errors import MAX_LISTED, Problems, UserError
from evaluator.messages import Message
from evaluator.xlsx_limits import WorkbookRefused, check_xlsx

__all__ = ["MAX_LISTED", "Problems", "assessments_by_code", "cell_text", "log_import", "open_xlsx",
           "read_table"]

T = TypeVar("T")


def open_xlsx(path: Path, problems: Problems, read: Callable[[Any], T]) -> tuple[bytes, T] | None:
    """The file's bytes and what ``read`` takes from its workbook (python-calamine); ``None`` after adding a
    problem when the file cannot be read, is refused unread (``xlsx_limits``) or is no workbook calamine can
    read. One place for the checks every imported workbook passes first (a file from outside is hostile)."""
    from python_calamine import CalamineWorkbook

    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.add("workbook.file_unreadable", name=name, error=exc.strerror or exc)
        return None
    try:
        check_xlsx(data)  # before calamine: it would build a sheet up to its farthest cell in memory
    except WorkbookRefused as exc:
        problems.add("workbook.file_refused", name=name, error=exc.message)
        return None
    try:
        return data, read(CalamineWorkbook.from_filelike(io.BytesIO(data)))
    except Exception as exc:  # calamine raises several types for broken files
        problems.add("workbook.not_xlsx", name=name, error=exc)
        return None



def cell_text(value: Any) -> str:
    """A cell as text: '' for empty, a whole float without its '.0' (Excel stores 12 as 12.0), stripped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_sheet(path: Path, sheet: str, problems: Problems) -> tuple[bytes, list[list[Any]]] | None:
    """The file's bytes and one sheet's rows as Python values, read within the workbook limits; ``None``
    after adding a problem when the file or the sheet cannot be used (every sheet-based import reads so)."""

    def sheet_rows(wb: Any) -> tuple[list[str], list[list[Any]] | None]:
        names = list(wb.sheet_names)
        if sheet not in names:
            return names, None
        return names, wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)

    opened = open_xlsx(path, problems, sheet_rows)
    if opened is None:
        return None
    data, (names, rows) = opened
    if rows is None:
        problems.add("workbook.no_sheet", name=path.name, sheet=sheet,
                     found=", ".join(names) or Message("common.none"))
        return None
    return data, rows


def read_table(
    path: Path, sheet: str, columns: Sequence[str], problems: Problems, optional: Sequence[str] = ()
) -> tuple[bytes, list[tuple[int, dict[str, Any]]]] | None:
    """The rows of one sheet as ``(row number, {column: raw value})`` (blank rows skipped), with the file
    bytes; ``None`` after adding a problem when the file, the sheet or a column is missing."""
    name = path.name
    read = read_sheet(path, sheet, problems)
    if read is None:
        return None
    data, rows = read
    header = [cell_text(v).lower() for v in (rows[0] if rows else [])]
    where = {h: i for i, h in enumerate(header) if h}
    absent = [c for c in columns if c not in where]
    if absent:
        problems.add("workbook.missing_columns_of", name=name, sheet=sheet, absent=", ".join(absent),
                     columns=", ".join(columns))
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
