"""Fuzzing ``evaluator import``: a valid consolidated workbook, randomly damaged (cells deleted or
replaced by garbage, long strings, booleans, formulas; rows duplicated or deleted; sheets renamed,
added or removed; the file truncated or its bytes flipped). Whatever happens, the command either refuses
cleanly (exit 1, a message, no traceback, the database unchanged) or imports exactly what the workbook
says."""

from __future__ import annotations

import contextlib
import io
import tempfile
import zipfile
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from sqlalchemy import select
from workbook_helpers import (
    SCORES_HEADER,
    UNITS_HEADER,
    Sheets,
    clone,
    consolidated,
    copy_db,
    dump_db,
    replace_part,
    sheet_part,
    with_sheet_data,
    write_sheets,
)

from evaluator.cli.main import main
from evaluator.errors import Problems
from evaluator.fields import check_text
from evaluator.models import Assessment, Period, Score, Unit, open_project
from evaluator.services.projects import create_project
from evaluator.services.workbook_import import import_workbooks
from evaluator.services.workbook_read import read_workbooks
from evaluator.xlsx_limits import MAX_CELLS, MAX_COLUMNS, column_letters, extents

CENT = Decimal("0.01")
BASE = consolidated(2024, [
    ["H01", "UBND huyện Đông Sơn", "district", "par-district-2024"],
    ["X0101", "UBND xã Tân Lập", "commune", "par-commune-2024"],
], [
    ["H01", "8.7.5", "self", 1],
    ["H01", "8.7.5", "appraisal1", 0.75, 0, "Tổ thẩm định: trừ 0,25 điểm"],
    ["H01", "1.3.2", "self", None, 1, "Không phát sinh"],
    ["H01", "3.5", "survey", 2.4],
    ["X0101", "3.2.2", "self", "2,5"],
    ["X0101", "7.7.7", "appraisal2", 0.5, None, "Hội đồng"],
])

SPECIAL: list[Any] = [
    None, "", " ", "=1+1", "=SUM(A1:A9)", "=A1", "x" * 40_000, "Đ" * 5_000, "NaN", "inf", "-0", "1e30",
    "1e-30", "0,5", " 0.5 ", "0.125", "1.5.5", "١", "H01", "X0101", "H99", "8.7.5", "3.5", "1.3.2", "1.1",
    "self", "survey", "appraisal2", "district", "commune", "par-district-2024", "par-commune-2023",
    "evaluator-consolidated", "2024", "2023", "1", "0", True, False, 0, 1, 2024, 2023, 0.5, 1.0, 2.4, -1,
    1e30, 1e-9, 0.30000000000000004,
]
SAFE_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc", "Cn")), max_size=30).filter(
    lambda t: not t.startswith("="))
CELL = st.one_of(st.sampled_from(SPECIAL), SAFE_TEXT, st.integers(-10**9, 10**9),
                 st.floats(allow_nan=False, allow_infinity=False, width=64), st.booleans())
PLAUSIBLE_POINTS: list[Any] = [0, 0.25, 0.5, "0,5", "0.75", 1, "1.00", 0.3, 2, 2.5, 3, "3,0", None]
MUTATIONS = ["set", "set", "clear", "note", "note", "points", "points", "points", "extra_cell",
             "blank_row", "delete_row", "duplicate_row", "garbage_row", "rename_sheet", "drop_sheet",
             "extra_sheet", "reorder"]
SHEET_NAMES = ["meta", "units", "scores", "Scores", "Units", "META", "Sheet1", "điểm", "scores2", "meta_"]


# --- what the workbook says (an oracle independent of the importer) ----------------------------------
EXCEL_CELL_LIMIT = 32_767
"""Characters an .xlsx cell holds; readers cut longer (hand-made) strings there."""


def text(value: Any) -> str:
    """A cell as the format reads it: blank for empty cells and formulas without a value, whole numbers
    without '.0', everything else as its text (at most a cell's worth), trimmed."""
    if value is None or (isinstance(value, str) and value.startswith("=") and len(value) > 1):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return value[:EXCEL_CELL_LIMIT].strip()
    return str(value).strip()


def points_of(value: Any) -> Decimal:
    if isinstance(value, float):
        return Decimal(repr(value)).quantize(CENT)
    return Decimal(text(value).replace(",", ".")).quantize(CENT)


def columns(rows: list[list[Any]]) -> dict[str, int]:
    header = [text(v).lower() for v in (rows[0] if rows else [])]
    return {h: i for i, h in enumerate(header) if h}


def cell(row: list[Any], index: int) -> Any:
    return row[index] if index < len(row) else None


Said = tuple[dict[str, tuple[str, str]], dict[tuple[str, str, str], tuple[Any, bool, str]]]


def said(sheets: Sheets) -> Said:
    """Units (code → name, kind) and scores ((unit, leaf, stage) → points, not applicable, note)."""
    uc = columns(sheets["units"])
    units = {}
    for row in sheets["units"][1:]:
        values = [text(cell(row, uc[c])) for c in UNITS_HEADER]
        if any(values):
            units[values[0]] = (values[1], values[2])
    sc = columns(sheets["scores"])
    scores = {}
    for row in sheets["scores"][1:]:
        raw = {c: cell(row, sc[c]) for c in SCORES_HEADER}
        if not any(text(v) for v in raw.values()):
            continue
        na = text(raw["not_applicable"]) == "1"
        key = (text(raw["unit_code"]), text(raw["criterion_code"]), text(raw["stage"]))
        scores[key] = (None if na else points_of(raw["points"]), na, text(raw["note"]))
    return units, scores


def read_back(path: Path) -> Sheets:
    """The sheets as another reader (openpyxl, cached values only) finds them in the file written."""
    wb = load_workbook(path, data_only=True)
    try:
        return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def assert_fields_obeyed(units: dict[str, tuple[str, str]],
                         scores: dict[tuple[str, str, str], tuple[Any, bool, str]]) -> None:
    """What an import stored obeys the one table of field rules (``fields``): every importer's limits."""
    for code, (name, kind) in units.items():
        check_text(code, "unit.code"), check_text(name, "unit.name"), check_text(kind, "unit.kind")
    for (unit, leaf, _stage), (_points, _na, note) in scores.items():
        check_text(unit, "unit.code"), check_text(leaf, "criterion_code"), check_text(note, "note")


def stored(db: Path) -> Said:
    with open_project(db) as project, project.session() as s:
        units = {code: (name, kind)
                 for code, name, kind in s.execute(select(Unit.code, Unit.name, Unit.kind))}
        rows = s.execute(select(Unit.code, Score.criterion_code, Score.stage, Score.points,
                                Score.not_applicable, Score.note)
                         .join(Assessment, Assessment.id == Score.assessment_id)
                         .join(Unit, Unit.id == Assessment.unit_id)).all()
    return units, {(u, leaf, stage): (points, na, note) for u, leaf, stage, points, na, note in rows}


# --- damage -------------------------------------------------------------------------------------------
def damage(data: st.DataObject, sheets: Sheets) -> Sheets:
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        what = data.draw(st.sampled_from(MUTATIONS), label="mutation")
        names = list(sheets)
        sheet = data.draw(st.sampled_from(names), label="sheet")
        rows = sheets[sheet]
        if what in ("note", "points") and "scores" in sheets and len(sheets["scores"]) > 1:
            r = data.draw(st.integers(1, len(sheets["scores"]) - 1), label="row")
            row = sheets["scores"][r]
            row.extend([None] * (6 - len(row)))
            if what == "note":
                row[5] = data.draw(st.one_of(SAFE_TEXT, st.sampled_from(["x" * 40_000, None, 7, True])),
                                   label="note")
            else:
                row[3] = data.draw(st.sampled_from(PLAUSIBLE_POINTS), label="points")
        elif what == "extra_cell" and rows:
            r = data.draw(st.integers(0, len(rows) - 1), label="row")
            c = data.draw(st.integers(6, 9), label="column")  # past every column the format reads
            rows[r].extend([None] * (c + 1 - len(rows[r])))
            rows[r][c] = data.draw(CELL, label="value")
        elif what == "blank_row":
            rows.insert(data.draw(st.integers(1, len(rows) + 1), label="at"), [])
        elif what in ("set", "clear") and rows:
            r = data.draw(st.integers(0, len(rows) - 1), label="row")
            c = data.draw(st.integers(0, 6), label="column")
            value = None if what == "clear" else data.draw(CELL, label="value")
            row = rows[r]
            row.extend([None] * (c + 1 - len(row)))
            row[c] = value
        elif what == "delete_row" and rows:
            del rows[data.draw(st.integers(0, len(rows) - 1), label="row")]
        elif what == "duplicate_row" and rows:
            rows.append(list(rows[data.draw(st.integers(0, len(rows) - 1), label="row")]))
        elif what == "garbage_row":
            rows.insert(data.draw(st.integers(1, len(rows) + 1), label="at"),
                        data.draw(st.lists(CELL, max_size=7), label="cells"))
        elif what == "rename_sheet":
            new = data.draw(st.sampled_from([n for n in SHEET_NAMES if n not in names]), label="name")
            items = [(new if k == sheet else k, v) for k, v in sheets.items()]
            sheets = dict(items)
        elif what == "drop_sheet" and len(names) > 1:  # a workbook keeps at least one sheet
            del sheets[sheet]
        elif what == "extra_sheet":
            new = data.draw(st.sampled_from([n for n in SHEET_NAMES if n not in names]), label="name")
            sheets[new] = data.draw(st.lists(st.lists(CELL, max_size=4), max_size=3), label="rows")
        elif what == "reorder":
            order = data.draw(st.permutations(names), label="order")
            sheets = {k: sheets[k] for k in order}
    return sheets


def damage_bytes(data: st.DataObject, raw: bytes) -> bytes:
    what = data.draw(st.sampled_from(["none", "none", "none", "truncate", "flip", "noise"]), label="bytes")
    # positions are drawn independently of the length, so that every draw is the same on a replay
    if what == "truncate":
        return raw[:data.draw(st.integers(0, 2**20), label="length") % len(raw)]
    if what == "flip":
        out = bytearray(raw)
        for _ in range(data.draw(st.integers(1, 5), label="flips")):
            i = data.draw(st.integers(0, 2**20), label="at") % len(out)
            out[i] ^= 1 << data.draw(st.integers(0, 7), label="bit")
        return bytes(out)
    if what == "noise":
        return data.draw(st.binary(max_size=300), label="noise")
    return raw


# --- the test -----------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def starts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Two starting projects: empty (2024 sets only), and after importing the valid workbook."""
    folder = tmp_path_factory.mktemp("fuzz")
    empty = folder / "empty.db"
    create_project(empty, [2024]).close()
    imported = copy_db(empty, folder / "imported.db")
    with open_project(imported) as project:
        import_workbooks(project, [write_sheets(folder / "base.xlsx", BASE)])
    return {"empty": empty, "imported": imported}


def run(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
@pytest.mark.slow
def test_a_damaged_workbook_is_refused_cleanly_or_imported_exactly(starts: dict[str, Path],
                                                                  data: st.DataObject) -> None:
    start = data.draw(st.sampled_from(sorted(starts)), label="start")
    sheets = damage(data, clone(BASE))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = copy_db(starts[start], folder / "p.db")
        clean = write_sheets(folder / "clean.xlsx", sheets)
        book = folder / "bảng điểm.xlsx"
        book.write_bytes(damage_bytes(data, clean.read_bytes()))
        before_dump = dump_db(db)
        before_units, before_scores = stored(db)
        dry = data.draw(st.booleans(), label="dry run")
        code, out, err = run("import", "--db", db, book, *(["--dry-run"] if dry else []))
        assert "Traceback" not in out + err
        if code != 0:
            assert code == 1, err
            assert out == ""
            assert err.startswith("error: import refused, nothing was written (") and "\n  - " in err, err
            assert dump_db(db) == before_dump
            return
        assert out.startswith("Dry run — nothing was written." if dry else "Imported."), out
        if dry:
            assert dump_db(db) == before_dump
            return
        # what the workbook says, read independently from the undamaged file: damaged bytes can only
        # have been where nothing is read (a checked zip entry is either intact or refused)
        try:
            units, scores = said(read_back(clean))
        except (KeyError, InvalidOperation) as exc:  # the importer took what the oracle cannot read
            pytest.fail(f"imported a workbook the oracle cannot read ({exc!r}): {out}")
        after_units, after_scores = stored(db)
        assert_fields_obeyed(after_units, after_scores)
        assert after_units == {**before_units, **units}
        assert after_scores == {**before_scores, **scores}
        assert before_units.items() <= after_units.items()  # a known unit is never renamed


def test_the_fuzz_base_imports_as_the_oracle_reads_it(starts: dict[str, Path], tmp_path: Path) -> None:
    """The starting point of the fuzzing is a valid workbook, and the oracle agrees with the importer."""
    db = copy_db(starts["empty"], tmp_path / "p.db")
    code, out, err = run("import", "--db", db, write_sheets(tmp_path / "base.xlsx", BASE))
    assert code == 0, err
    assert "scores: 6 new, 0 updated, 0 identical" in out
    assert stored(db) == said(BASE) == said(read_back(tmp_path / "base.xlsx"))
    assert said(BASE)[1]["X0101", "3.2.2", "self"] == (Decimal("2.50"), False, "")
    assert stored(starts["imported"]) == said(BASE)


# --- hostile cells: far away, odd years, long or controlled text, extreme numbers ---------------------
FIGURES: dict[str, Counter[str]] = {}
"""Per fuzz test: cases tried, refused cleanly, read, tracebacks (printed at the end of the module)."""


def tally(test: str, outcome: str) -> None:
    FIGURES.setdefault(test, Counter())[outcome] += 1


@pytest.fixture(scope="module", autouse=True)
def _print_figures() -> Any:
    yield
    for test, counts in FIGURES.items():
        print(f"\n{test}: {dict(counts)}")


def add_rows(data: bytes, sheet: str, rows_xml: str) -> bytes:
    """The workbook with raw ``<row>`` XML added at the end of a sheet's ``<sheetData>``."""
    member = sheet_part(data, sheet)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(member).decode()
    xml = xml.replace("</sheetData>", rows_xml + "</sheetData>") if "</sheetData>" in xml else \
        xml.replace("<sheetData/>", f"<sheetData>{rows_xml}</sheetData>")
    return replace_part(data, member, xml.encode())


@pytest.fixture(scope="module")
def base_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return write_sheets(tmp_path_factory.mktemp("hostile") / "base.xlsx", BASE).read_bytes()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(row=st.one_of(st.integers(2, 1_048_576), st.sampled_from([1_048_576, 100_000, 5_000_001, 833_334])),
       col=st.one_of(st.integers(0, 16_383), st.sampled_from([16_383, 701, 199, 200, 5])),
       sheet=st.sampled_from(["scores", "units", "meta"]))
@example(row=833_334, col=0, sheet="units")  # 4 columns: read (the test once took every sheet as 6 wide)
@example(row=833_334, col=0, sheet="scores")  # 6 columns: refused
@pytest.mark.slow
def test_a_far_away_value_is_refused_or_read_in_bounded_memory(base_bytes: bytes, row: int, col: int,
                                                               sheet: str) -> None:
    """One more value anywhere in a sheet: the reading is refused (naming file, sheet and cell) exactly when
    the sheet's rectangle is beyond the limits, and never builds it."""
    ref = f"{column_letters(col)}{row}"
    cell_xml = f'<c r="{ref}" t="inlineStr"><is><t>x</t></is></c>'
    data = add_rows(base_bytes, sheet, f'<row r="{row}">{cell_xml}</row>')
    # the sheet's own width (scores 6 columns, units 4, meta 2): the rectangle is rows × its widest row
    width = max(len(r) for r in BASE[sheet])
    too_large = col + 1 > MAX_COLUMNS or row * max(col + 1, width) > MAX_CELLS
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "xa.xlsx"
        path.write_bytes(data)
        problems = Problems()
        try:
            books = read_workbooks([path], problems)
        except Exception:
            tally("far-away value", "traceback")
            raise
    tally("far-away value", "tried")
    refusal = f"xa.xlsx: sheet {sheet}: a value at cell {ref} makes it "
    if too_large:
        tally("far-away value", "refused cleanly")
        assert books == [] and len(problems.items) == 1, problems.items
        assert str(problems.items[0]).startswith(refusal), problems.items
    else:
        tally("far-away value", "read")
        assert not any("makes it" in str(p) for p in problems.items), problems.items


SHEET_TOKENS = st.lists(st.one_of(
    st.tuples(st.just("row"), st.one_of(st.none(), st.integers(1, 40)), st.booleans()),
    st.tuples(st.just("cell"), st.one_of(st.none(), st.tuples(st.integers(0, 60), st.integers(1, 40))),
              st.sampled_from(["value", "empty", "formula", "self-closing"])),
    st.tuples(st.just("end"), st.none(), st.booleans()),
    st.tuples(st.just("noise"), st.sampled_from(['<!-- <c r="A1"> -->', "<![CDATA[<row>]]>", "<?pi x?>",
                                                 "<x:row>", "</x:row>", '<c r="B2"/>', "<extLst/>"]),
              st.none()),
), max_size=30)


def sheet_xml(tokens: list[Any], prefix: str, lower: bool) -> str:
    out, open_row = [], False
    for kind, a, b in tokens:
        if kind == "row":
            out.append(f"</{prefix}row>" if open_row else "")
            attr = f' r="{a}"' if a is not None else ""
            out.append(f"<{prefix}row{attr}/>" if b else f"<{prefix}row{attr}>")
            open_row = not b
        elif kind == "end" and open_row:
            out.append(f"</{prefix}row>")
            open_row = False
        elif kind == "cell":
            ref = "" if a is None else f"{column_letters(a[0])}{a[1]}"
            attr = f' r="{ref.lower() if lower else ref}"' if ref else ""
            body = {"value": f"<{prefix}v>1</{prefix}v>", "empty": "",
                    "formula": f"<{prefix}f>1+1</{prefix}f>", "self-closing": None}[b]
            out.append(f"<{prefix}c{attr}/>" if body is None else f"<{prefix}c{attr}>{body}</{prefix}c>")
        elif kind == "noise":
            out.append(a)
    if open_row:
        out.append(f"</{prefix}row>")
    return "".join(out)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(tokens=SHEET_TOKENS, prefix=st.sampled_from(["", "", "x:"]), lower=st.booleans())
def test_the_scan_never_sees_a_sheet_smaller_than_calamine_reads_it(base_bytes: bytes, tokens: list[Any],
                                                                    prefix: str, lower: bool) -> None:
    """Whatever the XML (references or none, rows without numbers, prefixes, comments, CDATA), the extent
    ``xlsx_limits`` finds is at least what python-calamine builds: the check cannot be walked around."""
    from python_calamine import CalamineWorkbook

    data = with_sheet_data(base_bytes, "scores", sheet_xml(tokens, prefix, lower))
    last_row, last_col, _cells = extents(data)[sheet_part(data, "scores")]
    tally("scan vs calamine", "tried")
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("scores")
    except Exception:  # calamine refuses the XML: nothing is read, nothing to bound
        tally("scan vs calamine", "calamine refused")
        return
    end = sheet.end
    if end is None:
        tally("scan vs calamine", "empty")
        return
    tally("scan vs calamine", "compared")
    assert last_row >= end[0] and last_col >= end[1], (end, last_row, last_col)


YEARS = st.one_of(st.sampled_from([-1, 0, 1999, 2000, 2024, 2023, 2100, 2101, 99999, 10**20, "2024",
                                   " 2024 ", "2_024", "+2024", "２０２４", "2024.0", 2024.0, 2024.5, 1e308,
                                   None, True]),
                  st.integers(-10**6, 10**6))
HOSTILE_TEXT = st.one_of(
    st.sampled_from(["", "a" * 300, "a" * 301, "Ủ" * 453, "n" * 10_000, "n" * 10_001, "_x001B_[31m",
                     "a_x0000_b", "_xD800_", "_xDFFF_x", "tab\there", "line\nbreak", "cr\rhere", "\u0085next",
                     "\u200b", "=1+1"]),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=40)
    .map(lambda t: "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 or 0x7f <= ord(ch) <= 0x9f else ch
                           for ch in t)),
)
EXTREME_POINTS = st.sampled_from([1e308, -1e308, float("inf"), float("-inf"), 5e-324, 1e-308, 0.1 + 0.2,
                                  "1e308", "inf", "nan", "-0", 2**63, -(2**63), 10**30, 0.5, "0,5"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_years_texts_and_numbers_obey_the_one_rule(starts: dict[str, Path], data: st.DataObject) -> None:
    """A workbook's year, unit texts, notes and points drawn from the hostile: the import refuses cleanly or
    stores what obeys ``fields`` (years 2000-2100, the limits, no control characters or surrogates)."""
    sheets = clone(BASE)
    sheets["meta"][3][1] = data.draw(YEARS, label="year")
    units = sheets["units"]
    u = data.draw(st.integers(1, len(units) - 1), label="unit row")
    column = data.draw(st.sampled_from([0, 1, 2]), label="unit column")
    units[u][column] = data.draw(HOSTILE_TEXT, label="text")
    scores = sheets["scores"]
    s = data.draw(st.integers(1, len(scores) - 1), label="score row")
    scores[s][5] = data.draw(HOSTILE_TEXT, label="note")
    scores[data.draw(st.integers(1, len(scores) - 1), label="points row")][3] = data.draw(EXTREME_POINTS,
                                                                                          label="points")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        db = copy_db(starts["empty"], folder / "p.db")
        try:
            book = write_sheets(folder / "bảng điểm.xlsx", sheets)
        except ValueError:  # openpyxl cannot write it either (e.g. an illegal character)
            tally("years, texts, numbers", "unwritable")
            return
        before = dump_db(db)
        code, out, err = run("import", "--db", db, book)
        tally("years, texts, numbers", "tried")
        if "Traceback" in out + err:
            tally("years, texts, numbers", "traceback")
        assert "Traceback" not in out + err
        if code != 0:
            tally("years, texts, numbers", "refused cleanly")
            assert code == 1 and "\n  - " in err
            assert err.startswith("error: import refused, nothing was written (")
            assert dump_db(db) == before
            return
        tally("years, texts, numbers", "imported")
        units_stored, scores_stored = stored(db)
        assert_fields_obeyed(units_stored, scores_stored)
        with open_project(db) as project, project.session() as session:
            assert all(2000 <= y <= 2100 for y in session.scalars(select(Period.year)))
