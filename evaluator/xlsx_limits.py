"""How large an ``.xlsx`` from outside may be before python-calamine reads it.

calamine turns a sheet into one rectangle from A1 to its farthest value, in memory: a single value at
XFD1048576 asks for 17 billion cells (the process aborts), one at ZZ100000 for 70 million (2.9 GB). It
has no streaming reader to stop early, so ``check_xlsx`` reads the file's XML first, cheaply, and refuses
it when a sheet's rectangle or its number of cells is beyond ``MAX_COLUMNS``/``MAX_CELLS``, or when the
parts unzip to more than ``MAX_UNZIPPED`` bytes (a zip bomb). calamine also opens ``.xls``, ``.xlsb`` and
``.ods`` files, which this scan does not understand: those are refused too.

Every part of the zip is scanned, not only the sheets that are read, so that nothing depends on finding
a sheet's part exactly as calamine does. The usual sheet (every cell with an ``r="A1"`` reference, no
comments, no namespace prefixes) is scanned with a few regular expressions; any other part goes through a
slower tokenizer that follows calamine's rules (a cell without a reference follows the previous one, a
row without one follows the previous row). The scan errs on the side of seeing a value (any cell with
content counts, even an empty formula).

This module sits at the bottom of the layers, beside ``fields``: callers name the file in their message.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator

from evaluator.errors import Coded
from evaluator.messages import Message

MAX_COLUMNS = 200
"""Columns a sheet may reach (A to GR); the sheets this program reads have fewer than 50."""
MAX_CELLS = 5_000_000
"""Cells of the rectangle from A1 to a sheet's farthest value, and cells a sheet may hold (about 830,000
rows of six columns: a whole province's scores in one workbook)."""
MAX_UNZIPPED = 512 * 1024 * 1024
"""Bytes all parts of a workbook may take once unzipped."""
SLOW_PART = 64 * 1024 * 1024
"""Bytes of an unusual part (one the regular expressions cannot vouch for) that the tokenizer reads."""

_CHUNK = 1 << 20
_ALL_C = re.compile(rb"<c[\s/>]")
_REF_FIRST = re.compile(rb'<c\s+r="([A-Za-z]{1,3})([0-9]{1,7})"((?:[^<>"\']|"[^<"]*"|\'[^<\']*\')*)>')
_SECOND_R = re.compile(rb'<c\s+r="[^"]*"(?:[^<>"\']|"[^<"]*"|\'[^<\']*\')*?\sr\s*=')
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.\-]*:(?:c|row)[\s/>]")
_TOKEN = re.compile(
    rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<[!?][^>]*>"
    rb"|<(/?)(?:[A-Za-z_][\w.\-]*:)?([A-Za-z_][\w.\-]*)((?:[^<>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.S,
)
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")


class WorkbookRefused(Coded, ValueError):
    """A workbook this program will not hand to calamine; the message names the sheet or part."""


def column_letters(index: int) -> str:
    """``0`` → ``A``, ``701`` → ``ZZ``."""
    out = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _position(ref: bytes) -> tuple[int, int | None] | None:
    """(row, column) of a reference, 0-based, the way calamine reads it (letters then digits, each
    wrapping at 2**32); None where calamine would fail (and so read nothing)."""
    col = row = 0
    i, n = 0, len(ref)
    while i < n and (65 <= ref[i] <= 90 or 97 <= ref[i] <= 122):
        col = (col * 26 + (ref[i] & 0x1F)) & 0xFFFFFFFF
        i += 1
    if i == n or not ref[i:].isdigit():
        return None
    for d in ref[i:]:
        row = (row * 10 + d - 48) & 0xFFFFFFFF
    if row == 0:
        return None
    return row - 1, (col - 1 if col else None)


class _Bounds:
    """The farthest row and column of a part's values (0-based, -1 for none), the values at them
    ((row, column) of each), and how many values it holds."""

    def __init__(self) -> None:
        self.row = self.col = -1
        self.at_row = self.at_col = (0, 0)
        self.cells = 0

    def add(self, row: int, col: int) -> None:
        if row > self.row:
            self.row, self.at_row = row, (row, col)
        if col > self.col:
            self.col, self.at_col = col, (row, col)


def check_xlsx(data: bytes) -> None:
    """Raise ``WorkbookRefused`` if ``data`` (an ``.xlsx`` file) is one calamine must not read; a file
    that is not a zip at all is left to calamine, which refuses it."""
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise WorkbookRefused("workbook.old_format")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, NotImplementedError, OSError, ValueError, EOFError):
        return  # not a zip this module can read (e.g. "zip file version 8.4"): calamine refuses it
    with zf:
        infos = zf.infolist()
        for info in infos:
            base = info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower()
            if base in ("workbook.bin", "content.xml"):
                raise WorkbookRefused("workbook.other_format")
        names = _sheet_names(zf, infos)
        budget = [MAX_UNZIPPED]
        for info in infos:
            bounds = _scan_part(zf, info, budget)
            _judge(bounds, names.get(info.filename.replace("\\", "/").lstrip("/").lower()), info.filename)


def extents(data: bytes) -> dict[str, tuple[int, int, int]]:
    """Part name → (last row, last column, cells) of the values the scan sees (0-based; -1 for none):
    what ``check_xlsx`` judges, for tests that compare it with what calamine reads."""
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        budget = [MAX_UNZIPPED]
        for info in zf.infolist():
            b = _scan_part(zf, info, budget)
            out[info.filename] = (b.row, b.col, b.cells)
    return out


def _judge(b: _Bounds, sheet: str | None, part: str) -> None:
    where = Message("workbook.sheet", {"sheet": sheet}) if sheet is not None \
        else Message("workbook.part", {"part": part})
    if b.cells > MAX_CELLS:
        raise WorkbookRefused("workbook.too_many_cells", where=where, cells=f"{b.cells:,}",
                              limit=f"{MAX_CELLS:,}")
    if b.row < 0:
        return
    rows, cols = b.row + 1, b.col + 1
    if cols > MAX_COLUMNS or rows * cols > MAX_CELLS:
        row, col = b.at_col if cols > MAX_COLUMNS else b.at_row
        raise WorkbookRefused("workbook.too_wide", where=where, cell=f"{column_letters(col)}{row + 1}",
                              rows=f"{rows:,}", columns=f"{cols:,}", max_columns=MAX_COLUMNS,
                              max_cells=f"{MAX_CELLS:,}")


def _chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> Iterator[bytes]:
    try:
        with zf.open(info) as f:
            while chunk := f.read(_CHUNK):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise WorkbookRefused("workbook.too_big", mb=MAX_UNZIPPED // 2**20)
                yield chunk
    except WorkbookRefused:
        raise
    except Exception as exc:  # zipfile raises zlib.error, BadZipFile (CRC), NotImplementedError, ...
        raise WorkbookRefused("workbook.unreadable_part", part=info.filename, error=exc) from exc


def _scan_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> _Bounds:
    """The farthest value and the number of values of one part (nothing for a part without cells)."""
    b = _Bounds()
    carry = b""
    first = True
    for chunk in _chunks(zf, info, budget):
        if first:
            first = False
            if chunk[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
                raise WorkbookRefused("workbook.utf16", part=info.filename)
            prolog = chunk.find(b"?>") + 2 if chunk.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<?") else 0
            chunk = chunk[prolog:]
        buf = carry + chunk
        cut = buf.rfind(b"<")
        if cut <= 0:
            carry = buf
            continue
        if not _fast(buf[:cut], b):
            return _slow(zf, info, budget)
        carry = buf[cut:]
    if carry and not _fast(carry, b):
        return _slow(zf, info, budget)
    return b


def _fast(text: bytes, b: _Bounds) -> bool:
    """Add the cells of ``text`` (whole tags only) to ``b``; False when the regular expressions cannot
    vouch for it (a cell without a leading ``r`` reference, a comment, CDATA, a prefix, a second ``r``)."""
    if b"<!" in text or b"<?" in text or _PREFIXED.search(text) or _SECOND_R.search(text):
        return False
    refs = _REF_FIRST.findall(text)
    if len(refs) != len(_ALL_C.findall(text)):
        return False
    valued = [(col, row) for col, row, rest in refs if not rest.endswith(b"/")]
    if not valued:
        return True
    b.cells += len(valued)
    # the far values are found among the few distinct columns and rows, then placed
    far_col = max({col for col, _row in valued}, key=lambda c: (_position(c + b"1") or (0, 0))[1] or 0)
    far_row = max({row for _col, row in valued}, key=int)
    for col, row in (next(v for v in valued if v[0] == far_col), next(v for v in valued if v[1] == far_row)):
        pos = _position(col + row)
        if pos is not None and pos[1] is not None:
            b.add(pos[0], pos[1])
    return True


def _slow(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> _Bounds:
    """The farthest value of a part, following calamine's cell reader token by token."""
    if info.file_size > SLOW_PART:
        raise WorkbookRefused("workbook.part_too_large", part=info.filename, size=f"{info.file_size:,}")
    parts, size = [], 0
    for chunk in _chunks(zf, info, budget):
        size += len(chunk)
        if size > SLOW_PART:
            raise WorkbookRefused("workbook.part_over", part=info.filename, limit=f"{SLOW_PART:,}")
        parts.append(chunk)
    text = b"".join(parts)
    b = _Bounds()
    row_index = col_index = 0
    in_cell, valued, pos = False, False, (0, 0)
    for m in _TOKEN.finditer(text):
        name = m.group(2)
        if name is None:
            continue  # comment, CDATA, declaration, processing instruction
        end, empty = m.group(1) == b"/", m.group(4) == b"/"
        if in_cell:
            if end and name == b"c":
                in_cell = False
                if valued:
                    b.cells += 1
                    b.add(*pos)
                col_index += 1
            elif not end:
                valued = True  # <v>, <is>, <f>, anything: counted as a value
            continue
        if name == b"row":
            if not end:
                refs = [_position(r1 or r2) for r1, r2 in _R_ATTR.findall(m.group(3))]
                rows = [p[0] for p in refs if p is not None]
                if rows:
                    row_index = rows[-1]
            if end or empty:
                row_index += 1
                col_index = 0
        elif name == b"c" and not end:
            refs = [_position(r1 or r2) for r1, r2 in _R_ATTR.findall(m.group(3))]
            cells = [(p[0], p[1]) for p in refs if p is not None and p[1] is not None]
            if refs and not cells:
                continue  # calamine fails on a reference without a column
            for r, c in cells[:-1]:
                b.add(r, c)  # a second reference: whichever calamine takes, it is counted
            if cells:
                pos = cells[-1]
                col_index = pos[1]
            else:
                pos = (row_index, col_index)
            if empty:
                col_index += 1
            else:
                in_cell, valued = True, False
    return b


def _sheet_names(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Part path (lower case) → sheet name, as far as ``xl/workbook.xml`` and its relationships tell (for
    messages only: every part is checked whatever this finds)."""
    from xml.etree import ElementTree

    small = {i.filename.lower(): i for i in infos if i.file_size < 1 << 20}
    book, rels = small.get("xl/workbook.xml"), small.get("xl/_rels/workbook.xml.rels")
    if book is None or rels is None:
        return {}
    try:
        targets = {}
        for el in ElementTree.fromstring(zf.read(rels)).iter():
            if el.tag.endswith("Relationship") and el.get("Id") and el.get("Target"):
                target = el.get("Target", "").replace("\\", "/")
                targets[el.get("Id")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        out = {}
        for el in ElementTree.fromstring(zf.read(book)).iter():
            if el.tag.endswith("}sheet") or el.tag == "sheet":
                rid = next((v for k, v in el.attrib.items() if k.rsplit("}", 1)[-1] == "id"), None)
                if rid in targets and el.get("name") is not None:
                    out[targets[rid].lower()] = el.get("name", "")
        return out
    except (ElementTree.ParseError, zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
            OSError, EOFError, ValueError):
        return {}  # a damaged part: calamine refuses the file with its own message
