"""Reading consolidated workbooks (``evaluator-consolidated``): every file checked and parsed, cell by
cell, before anything touches a project (``workbook_import`` checks them against it and writes)."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path
from typing import Any

from evaluator.errors import Problems as _Problems
from evaluator.fields import FieldError, check_text, check_year
from evaluator.frameworks.model import ALL_STAGES, CENT
from evaluator.messages import Message
from evaluator.services.exchange_sheets import cell_text as _cell_text
from evaluator.services.exchange_sheets import open_xlsx
from evaluator.services.progress import Progress, no_progress

FORMAT = "evaluator-consolidated"
SUMMARY_ACTION = "import.workbook"
"""The audit event of one file's new scores for one unit (an overwritten score has an ``import`` event of
its own, with its old and new value)."""
FORMAT_VERSION = 1
SHEETS = {
    "meta": ("key", "value"),
    "units": ("unit_code", "unit_name", "unit_kind", "framework_code"),
    "scores": ("unit_code", "criterion_code", "stage", "points", "not_applicable", "note"),
}


ScoreRow = tuple[int, str, str, str, Decimal | None, bool, str]
"""One row of sheet scores: (row, unit code, criterion code, stage, points, not applicable, note); plain
tuples because a province sends hundreds of thousands of them."""


@dataclass
class Workbook:
    path: Path
    sha256: str
    year: int
    units: list[tuple[int, str, str, str, str]]  # row, code, name, kind, framework_code
    scores: list[ScoreRow]


# --- reading ----------------------------------------------------------------------------------------
def read_workbook(path: Path, problems: _Problems) -> Workbook | None:
    name = path.name
    known = len(problems.items)  # problems of earlier files
    opened = open_xlsx(path, problems, lambda wb: {
        s: wb.get_sheet_by_name(s).to_python(skip_empty_area=False) for s in wb.sheet_names if s in SHEETS})
    if opened is None:
        return None
    data, sheets = opened
    missing = [s for s in SHEETS if s not in sheets]
    if missing:
        problems.add("workbook.missing_sheets", name=name, missing=", ".join(missing),
                     sheets=", ".join(SHEETS))
        return None
    columns: dict[str, dict[str, int]] = {}
    for sheet, wanted in SHEETS.items():
        rows = sheets[sheet]
        header = [_cell_text(v).lower() for v in (rows[0] if rows else [])]
        positions = {h: i for i, h in enumerate(header) if h}
        absent = [c for c in wanted if c not in positions]
        if absent:
            problems.add("workbook.missing_columns", name=name, sheet=sheet, absent=", ".join(absent))
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
        problems.add("workbook.format_expected", expected=FORMAT, got=got,
                     where=Message("workbook.meta_key", {"name": name, "key": "format"}))
        ok = False
    version = _cell_text(meta.get("format_version"))
    if version != str(FORMAT_VERSION):
        problems.add("workbook.format_version", version=version, known=FORMAT_VERSION,
                     where=Message("workbook.meta_key", {"name": name, "key": "format_version"}))
        ok = False
    year_text = _cell_text(meta.get("year"))
    try:  # the rule of every importer (fields.check_year); int() would also take "+2_024"
        year = check_year(int(year_text) if year_text.isascii() and year_text.isdigit() else year_text)
    except FieldError as exc:
        problems.add("import.cell_refused", where=Message("workbook.meta_key", {"name": name, "key": "year"}),
                     error=exc.message)
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
                problems.add("import.empty", where=_place(name, "units", i, column))
            elif column in _UNIT_FIELDS:
                _check(value, _UNIT_FIELDS[column], _place(name, "units", i, column), problems)
        units.append((i, values[0], values[1], values[2], values[3]))

    scores: list[ScoreRow] = []
    sc = columns["scores"]
    order = [sc[c] for c in SHEETS["scores"]]
    width = max(order) + 1
    pick = itemgetter(*order)
    stages = _STAGE_SET
    cents = _FLOAT_POINTS
    clean_notes, clean_units, clean_leaves = _CLEAN["note"], _CLEAN["unit.code"], _CLEAN["criterion_code"]
    for i, row in enumerate(sheets["scores"][1:], start=2):
        cells: list[Any] = row if len(row) >= width else [*row, *((None,) * (width - len(row)))]
        unit, leaf, stage, raw_points, raw_na, raw_note = pick(cells)
        # The usual row (text codes, a known stage, a number of points, blank or 0/1 not_applicable) is
        # taken here; anything else goes through the checks below, which name every problem.
        if type(unit) is str and type(leaf) is str and type(stage) is str:
            unit, leaf, stage = unit.strip(), leaf.strip(), stage.strip()
            if unit and leaf and stage in stages:
                na_text = "" if raw_na is None else _cell_text(raw_na)
                if na_text == "" or na_text == "0" or na_text == "1":
                    points = cents.get(raw_points) if type(raw_points) is float else None
                    if points is None and type(raw_points) is float:
                        points = _float_points(raw_points)
                    note = "" if raw_note is None else _cell_text(raw_note)
                    if points is not None and (note in clean_notes or _clean(note, "note")) \
                            and (unit in clean_units or _clean(unit, "unit.code")) \
                            and (leaf in clean_leaves or _clean(leaf, "criterion_code")):
                        scores.append((i, unit, leaf, stage, points, na_text == "1", note))
                        continue
        score = _score_row(name, i, (unit, leaf, stage, raw_points, raw_na, raw_note), problems)
        if score is not None:
            scores.append(score)
    return Workbook(path, hashlib.sha256(data).hexdigest(), year, units, scores)


_STAGE_SET = frozenset(ALL_STAGES)
_FLOAT_POINTS: dict[float, Decimal] = {}
"""Points already read, by cell value (workbooks repeat the same few values a great deal)."""


def _float_points(raw: float) -> Decimal | None:
    """A number cell's points when it is a valid value (what ``_points`` gives without a problem)."""
    try:
        value = Decimal(repr(raw))
    except InvalidOperation:  # pragma: no cover - repr of a float is always a decimal literal
        return None
    if not value.is_finite() or value.adjusted() > 12 or value != value.quantize(CENT):
        return None
    value = value.quantize(CENT)
    if raw and len(_FLOAT_POINTS) < 100_000:  # not 0.0: -0.0 is the same key
        _FLOAT_POINTS[raw] = value
    return value


READERS = min(4, os.cpu_count() or 1)
"""Workbooks read at once: unzipping and parsing in python-calamine let go of the GIL part of the time."""


def read_workbooks(paths: Sequence[Path | str], problems: _Problems, progress: Progress = no_progress,
                   share: float = 1.0) -> list[Workbook]:
    """Every readable workbook of ``paths``, in order; the problems of the others, in the same order.
    ``progress`` goes from 0 to ``share`` over the files."""

    def read(path: Path | str) -> tuple[Workbook | None, list[Message | str]]:
        own = _Problems()  # one per file: read_workbook tells its own problems by their count
        return read_workbook(Path(path), own), own.items

    results = []
    workers = max(1, min(READERS, len(paths)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="workbook") as pool:
        read_ahead = pool.map(read, paths)
        try:
            for done, result in enumerate(read_ahead, start=1):
                results.append(result)
                progress(share * done / len(paths), "read")
        except BaseException:
            pool.shutdown(cancel_futures=True)  # a cancel: the files not started are not read
            raise
    for _, items in results:
        problems.items.extend(items)
    return [book for book, _ in results if book is not None]


def _score_row(name: str, i: int, cells: tuple[Any, ...], problems: _Problems) -> ScoreRow | None:
    """One row of sheet scores with every check, or None for an empty row."""
    raw = dict(zip(SHEETS["scores"], cells, strict=True))
    if not any(_cell_text(v) for v in raw.values()):
        return None
    unit, leaf, stage = (_cell_text(raw[c]) for c in ("unit_code", "criterion_code", "stage"))
    for column, value in (("unit_code", unit), ("criterion_code", leaf), ("stage", stage)):
        if not value:
            problems.add("import.empty", where=_place(name, "scores", i, column))
    if stage and stage not in ALL_STAGES:
        problems.add("workbook.unknown_stage", where=_place(name, "scores", i, "stage"), stage=stage,
                     stages=", ".join(ALL_STAGES))
    na_text = _cell_text(raw["not_applicable"])
    if na_text not in ("", "0", "1"):
        problems.add("workbook.na_value", where=_place(name, "scores", i, "not_applicable"), text=na_text)
    not_applicable = na_text == "1"
    points = _points(raw["points"], (name, i), problems)
    if points is None and not not_applicable and _cell_text(raw["points"]) == "":
        problems.add("workbook.points_empty", where=_place(name, "scores", i, "points"))
    note = _cell_text(raw["note"])
    for column, value in (("unit_code", unit), ("criterion_code", leaf), ("note", note)):
        if not _clean(value, _SCORE_FIELDS[column]):  # the message's place is made only for a problem
            _check(value, _SCORE_FIELDS[column], _place(name, "scores", i, column), problems)
    return (i, unit, leaf, stage, points, not_applicable, note)


_UNIT_FIELDS = {"unit_code": "unit.code", "unit_name": "unit.name", "unit_kind": "unit.kind"}
_SCORE_FIELDS = {"unit_code": "unit.code", "criterion_code": "criterion_code", "note": "note"}
"""The ``fields.LIMITS`` rule of each text column that is stored (framework_code and stage are only looked
up among known values)."""
_CLEAN: dict[str, set[str]] = {"note": {""}, "unit.code": set(), "criterion_code": set()}
"""Texts that passed ``check_text``, by field (workbooks repeat the same few codes and notes a great deal)."""


def _place(name: str, sheet: str, row: int, column: str) -> Message:
    """A cell's place in a message: file, sheet, row and column."""
    row_place = Message("import.row", {"file": name, "sheet": sheet, "row": row})
    return Message("import.column", {"where": row_place, "column": column})


def _check(value: str, rule: str, where: Message, problems: _Problems) -> None:
    try:
        check_text(value, rule)
    except FieldError as exc:
        problems.add("import.cell_refused", where=where, error=exc.message)


def _clean(text: str, rule: str) -> bool:
    """Whether ``text`` passes ``check_text`` (remembered); a row with one that does not goes through the
    checks that name its problem."""
    try:
        check_text(text, rule)
    except FieldError:
        return False
    known = _CLEAN[rule]
    if len(known) < 100_000:
        known.add(text)
    return True


def combined_sha256(digests: list[str]) -> str:
    """One fingerprint for the files of a run (each file's own is kept in the summary)."""
    return digests[0] if len(digests) == 1 else hashlib.sha256(",".join(digests).encode()).hexdigest()


def _get(row: Sequence[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


_PLAIN_NUMBER = re.compile(r"[+-]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][+-]?[0-9]+)?")
"""What a typed number may look like: ASCII digits, a decimal point or comma (no ``1_000``, no ``١``)."""


def _points(raw: Any, cell: tuple[str, int], problems: _Problems) -> Decimal | None:
    """The points of a scores row's cell; ``cell``: its file name and row."""
    text = _cell_text(raw)
    if text == "":
        return None
    where = _place(cell[0], "scores", cell[1], "points")
    if isinstance(raw, bool) or (isinstance(raw, str) and not _PLAIN_NUMBER.fullmatch(text)):
        problems.add("import.not_a_number", where=where, text=repr(text))
        return None
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(text.replace(",", "."))
    except InvalidOperation:
        problems.add("import.not_a_number", where=where, text=repr(text))
        return None
    if not value.is_finite() or value.adjusted() > 12:  # too large to quantize: outside any [0, max]
        if not value.is_finite():
            problems.add("import.not_a_number", where=where, text=repr(text))
        else:
            problems.add("workbook.points_far", where=where, text=text)
        return None
    if value != value.quantize(CENT):
        problems.add("workbook.two_decimals", where=where, text=text)
        return None
    return value.quantize(CENT)


