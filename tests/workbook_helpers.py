"""Consolidated workbooks (``evaluator-consolidated`` v1) written with openpyxl from plain Python lists,
and a full dump of a project database for "nothing changed" checks."""

from __future__ import annotations

import copy
import io
import re
import sqlite3
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

META_HEADER = ["key", "value"]
UNITS_HEADER = ["unit_code", "unit_name", "unit_kind", "framework_code"]
SCORES_HEADER = ["unit_code", "criterion_code", "stage", "points", "not_applicable", "note"]

Sheets = dict[str, list[list[Any]]]
"""Sheet name → rows (the first row is the header), in sheet order."""


def consolidated(year: Any = 2024, units: Iterable[Sequence[Any]] = (),
                 scores: Iterable[Sequence[Any]] = (), *, meta: Mapping[str, Any] | None = None) -> Sheets:
    """The sheets of a consolidated workbook. ``scores`` rows may leave out trailing columns
    (``not_applicable``, ``note``); ``meta`` overrides or adds keys (a value of None drops the key)."""
    keys: dict[str, Any] = {"format": "evaluator-consolidated", "format_version": 1, "year": year}
    keys.update(meta or {})
    return {
        "meta": [list(META_HEADER), *[[k, v] for k, v in keys.items() if v is not None]],
        "units": [list(UNITS_HEADER), *[list(u) for u in units]],
        "scores": [list(SCORES_HEADER),
                   *[list(s) + [None] * (len(SCORES_HEADER) - len(s)) for s in scores]],
    }


def write_sheets(path: Path, sheets: Sheets) -> Path:
    """Write the sheets (in order) to an ``.xlsx`` file; returns ``path``. The same sheets always give
    the same bytes (fixed document and zip-entry times), so byte-level damage is reproducible."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name)
        for row in rows:
            ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2024-11-01T08:00:00Z", data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2024, 11, 1, 8, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    path.write_bytes(out.getvalue())
    return path


def write_workbook(path: Path, year: Any = 2024, units: Iterable[Sequence[Any]] = (),
                   scores: Iterable[Sequence[Any]] = (), *, meta: Mapping[str, Any] | None = None) -> Path:
    return write_sheets(path, consolidated(year, units, scores, meta=meta))


def clone(sheets: Sheets) -> Sheets:
    return copy.deepcopy(sheets)


def dump_db(path: Path) -> list[str]:
    """Every table's schema and rows as SQL text (``iterdump``), for byte-for-byte content comparisons."""
    conn = sqlite3.connect(str(path))
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def copy_db(source: Path, target: Path) -> Path:
    """Copy a closed project file (and a leftover ``-wal``, if any) to ``target``."""
    import shutil

    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    return target


def sha256_file(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def replace_part(data: bytes, member: str, new: bytes | None = None, *,
                 extra: Mapping[str, bytes] | None = None) -> bytes:
    """An ``.xlsx`` (``data``) with one part's bytes replaced (``new``) and ``extra`` parts added: hand-made
    XML that openpyxl would not write."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            dst.writestr(info.filename, new if info.filename == member and new is not None else body)
        for name, body in (extra or {}).items():
            dst.writestr(name, body)
    return out.getvalue()


def sheet_part(data: bytes, sheet: str) -> str:
    """The zip member of a sheet in a workbook written by ``write_sheets`` (numbered in sheet order)."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = z.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet[^>]* name="([^"]+)"', book)
    return f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"


def with_sheet_data(data: bytes, sheet: str, rows_xml: str, *, dimension: str | None = None) -> bytes:
    """The workbook with the ``<sheetData>`` of ``sheet`` replaced by ``rows_xml`` (and its declared
    ``<dimension>`` by ``dimension``)."""
    member = sheet_part(data, sheet)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(member).decode()
    xml = re.sub(r"<sheetData>.*</sheetData>|<sheetData/>", lambda _m: f"<sheetData>{rows_xml}</sheetData>",
                 xml, flags=re.S)
    if dimension is not None:
        xml = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', xml)
    return replace_part(data, member, xml.encode())
