"""Fuzzing ``evaluator survey import`` and ``evaluator external import`` through the command line: a valid
workbook with cells replaced by hostile numbers (1e308, 10^30, 1e-400, inf, NaN, SIPAS 150 %) and text
(control characters written as XML escapes, lone surrogates, 40 000 characters), rows duplicated or
deleted, the sheet renamed, the bytes damaged; a hostile ``--author``. Whatever happens: exit 0 with only
valid values stored, or exit 1 with a message and the project byte for byte as it was; never a traceback.

Each test is bounded (``EXAMPLES``, a few seconds); ``STATS`` counts the outcomes (printed with ``-s``)."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import tempfile
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from evaluator.cli.main import main
from evaluator.models import Assessment, Period, Score, Unit, open_project
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.projects import create_project

YEAR = 2024
EXAMPLES = int(os.environ.get("IMPORT_FUZZ_EXAMPLES", "40"))
"""Examples per test: 40 take a few seconds; set the variable for a longer campaign."""
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
STATS: dict[str, Counter[str]] = {"survey": Counter(), "external": Counter()}

SURVEY_HEADER = ["respondent_id", "group", "unit_code", "question_code", "answer"]
SURVEY_ROWS = [
    ["R1", "officials", "H01", "Q1", "A"],
    ["R2", "officials", "H01", "Q1", "B"],
    ["R3", "leaders", "H01", "Q2", "C"],
    ["C1", "citizens", "H02", "Q22", "A"],
    ["C1", "citizens", "H02", "Q23", "D"],
]
INDEX_HEADER = ["unit_code", "indicator", "value", "note"]
INDEX_ROWS = [
    ["H01", "sipas", 85, "SIPAS 2024"],
    ["H01", "par766", 92, ""],
    ["H01", "8.7.3", 71.5, "DDCI"],
    ["H02", "sipas", "90,5", ""],
    ["H02", "8.7.2", 12.25, ""],
]

# XML a hand-made file may hold where openpyxl wrote a marker (openpyxl refuses to write these itself)
RAW_TEXT = ["&#x1B;[2J", "a_x0007_b", "x&#x9F;", "&#x0;", "_xD800_", "tab&#x9;", "&#x7F;"]
RAW_NUMBER = ["inf", "-inf", "NaN", "1e-400", "1e309", "-0", "1e308", "4.9e-324"]
HOSTILE: list[Any] = [
    1e308, -1e308, 10**30, 1e20, 1e-300, 150, 100, 100.0000001, 0, -1, -0.0, 99.1234567, 0.30000000000000004,
    "1e-400", "1e308", "inf", "-inf", "NaN", "sNaN", "1e999999999", "9" * 400, "150", "100,5", "1,2,3", "",
    " ", "x" * 40_000, "Đ" * 300, "=1+1", True, False, "A", "b", "E", "H01", "H02", "SO01", "sipas", "SIPAS",
    "par766", "8.7.3", "8.1", "Q1", "Q22", "officials", "citizens", "leaders", "R1", "C1",
]
CELL = st.one_of(st.sampled_from(HOSTILE), st.integers(-10**12, 10**12),
                 st.floats(allow_nan=False, allow_infinity=False),
                 st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=12))
MUTATIONS = ["cell"] * 6 + ["raw_text"] * 3 + ["raw_number"] * 3 + ["duplicate", "delete", "blank", "header"]
"""Mostly cells (the hostile values are the point), now and then the rows or the header."""
AUTHORS = ["", "Thư ký", "Thư ký\udcff", "a\x1bb", "T" * 201, "Hội đồng\n"]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with two districts assessed in 2024 (no evidence, a few hundred kB)."""
    path = tmp_path_factory.mktemp("import-fuzz") / "small.db"
    with create_project(path, [YEAR], name="Fuzz") as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        for code in ("H01", "H02"):
            unit = Unit(code=code, name=f"UBND {code}", kind="district")
            s.add(unit)
            s.flush()
            s.add(Assessment(unit_id=unit.id, period_id=period.id,
                             criteria_set_id=framework_for_kind(s, YEAR, "district").id))
    return path


def write(sheet: str, rows: list[list[Any]], raw: dict[str, str]) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    if not raw:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name.startswith("xl/worksheets/"):
                for mark, xml in raw.items():
                    data = data.replace(mark.encode(), xml.encode())
            dst.writestr(name, data)
    return out.getvalue()


def damaged(data: st.DataObject, sheet: str, header: list[str], base: list[list[Any]]) -> bytes:
    rows = [list(header), *(list(r) for r in base)]
    raw: dict[str, str] = {}
    for k in range(data.draw(st.integers(1, 4), label="mutations")):
        what = data.draw(st.sampled_from(MUTATIONS), label="what")
        r = data.draw(st.integers(1, len(rows) - 1), label="row") if len(rows) > 1 else 0
        c = data.draw(st.integers(0, len(header) - 1), label="column")
        if what == "cell":
            rows[r][c] = data.draw(CELL, label="value")
        elif what == "raw_text":
            mark = f"MARK{k}X"
            rows[r][c] = mark
            raw[mark] = data.draw(st.sampled_from(RAW_TEXT), label="xml")
        elif what == "raw_number":
            number = 31337.125 + k
            rows[r][c] = number
            raw[f"<v>{number}</v>"] = f"<v>{data.draw(st.sampled_from(RAW_NUMBER), label='xml')}</v>"
        elif what == "duplicate":
            rows.append(list(rows[r]))
        elif what == "delete" and len(rows) > 1:
            del rows[r]
        elif what == "blank":
            rows.insert(r, [None] * len(header))
        elif what == "header":
            rows[0][c] = data.draw(st.sampled_from(["", "Unit_Code", "value ", "x", None]), label="head")
    blob = write(data.draw(st.sampled_from([sheet, sheet, sheet, "Sheet1"]), label="sheet"), rows, raw)
    if data.draw(st.integers(0, 9), label="bytes") == 0:  # now and then, damage the file itself
        out = bytearray(blob)
        out[data.draw(st.integers(0, 2**20), label="at") % len(out)] ^= data.draw(st.integers(1, 255))
        blob = bytes(out)
    return blob


def run(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def stored(db: Path) -> list[tuple[str, str, str, Any, Decimal | None]]:
    with open_project(db) as project, project.session() as s:
        return [tuple(r) for r in s.execute(  # type: ignore[misc]
            select(Unit.code, Score.criterion_code, Score.stage, Score.value, Score.points)
            .join(Assessment, Assessment.id == Score.assessment_id).join(Unit, Unit.id == Assessment.unit_id)
        )]


def attempt(kind: str, small: Path, blob: bytes, data: st.DataObject) -> None:
    """Run one import and check its outcome; count it in ``STATS``."""
    hostile = data.draw(st.integers(0, 7), label="hostile author") == 0  # now and then: the rest is refused
    author = data.draw(st.sampled_from(AUTHORS), label="author") if hostile else "Thư ký"
    dry = data.draw(st.booleans(), label="dry run")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "p.db"
        shutil.copyfile(small, db)
        book = Path(tmp) / f"{kind}.xlsx"
        book.write_bytes(blob)
        before = digest(db)
        STATS[kind]["tried"] += 1
        try:
            code, out, err = run(kind, "import", "--db", db, book, "--year", YEAR, f"--author={author}",
                                 *(["--dry-run"] if dry else []))
        except BaseException:
            STATS[kind]["traceback"] += 1
            raise
        assert "Traceback" not in out + err
        if code != 0:
            assert code == 1 and out == "" and err.startswith("error: "), (code, out, err)
            assert digest(db) == before
            STATS[kind]["refused cleanly"] += 1
            return
        assert err == "" and author in ("", "Thư ký"), (author, out)
        STATS[kind]["imported (dry run)" if dry else "imported"] += 1
        if dry:
            assert digest(db) == before
            return
        for unit, leaf, stage, value, points in stored(db):
            assert unit in ("H01", "H02") and stage in ("survey", "appraisal1")
            assert points is None or Decimal(0) <= points <= Decimal(4), (leaf, points)
            if kind == "external":
                x = value["value"]
                assert isinstance(x, (int, Decimal)) and 0 <= x < 10**9, (leaf, x)
                if leaf in ("8.1", "8.7.4"):  # SIPAS %, the 766 index
                    assert x <= 100, (leaf, x)
            else:
                assert set(value) == {"points", "respondents"} and value["points"] == points


@FUZZ
@given(data=st.data())
def test_fuzzed_survey_workbooks(small: Path, data: st.DataObject) -> None:
    attempt("survey", small, damaged(data, "answers", SURVEY_HEADER, SURVEY_ROWS), data)


@FUZZ
@given(data=st.data())
def test_fuzzed_index_workbooks(small: Path, data: st.DataObject) -> None:
    attempt("external", small, damaged(data, "indices", INDEX_HEADER, INDEX_ROWS), data)


def test_the_fuzz_bases_import(small: Path, tmp_path: Path) -> None:
    """The starting points are valid: what the fuzzing damages is a real, importable workbook."""
    db = tmp_path / "p.db"
    shutil.copyfile(small, db)
    for kind, sheet, header, rows in (("survey", "answers", SURVEY_HEADER, SURVEY_ROWS),
                                      ("external", "indices", INDEX_HEADER, INDEX_ROWS)):
        book = tmp_path / f"{kind}.xlsx"
        book.write_bytes(write(sheet, [header, *rows], {}))
        code, _, err = run(kind, "import", "--db", db, book, "--year", YEAR, "--author", "Thư ký")
        assert (code, err) == (0, ""), err
    assert {(u, leaf) for u, leaf, *_ in stored(db)} >= {("H01", "1.8"), ("H02", "8.2"), ("H01", "8.1"),
                                                       ("H02", "8.7.2")}
    print({k: dict(v) for k, v in STATS.items()})
