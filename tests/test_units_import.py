"""``evaluator units import|export``: the sheet ``units`` read all or nothing (every problem with its file,
sheet, row and column; the project byte for byte as it was), new units added and known ones updated, a
backup first, the export importing back as the same units — and a fuzz test with hostile workbooks."""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import backup_files
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from evaluator.cli.main import main
from evaluator.fields import LIMITS, check_text
from evaluator.models import Assessment, AuditEvent, ImportLog, Unit, open_project
from evaluator.services.projects import create_project, open_existing
from evaluator.services.units import CODE_PATTERN, list_units

HEADER = ["unit_code", "unit_name", "unit_kind", "short_name", "parent_code", "ranking_group", "abbreviation",
          "head_title"]
ROWS = [
    ["SO01", "Sở Nội vụ", "department", "Nội vụ", "", "", "SNV", "Giám đốc"],
    ["SO02", "Sở Khoa học và Công nghệ", "department", "KH&CN", "", "", "SKHCN", "Giám đốc"],
    ["BQL", "Ban Quản lý các khu công nghiệp", "department", "", "", "đặc thù", "BQLKCN", "Trưởng ban"],
    ["H01", "UBND huyện An Phú", "district", "An Phú", "", "", "UBND", "Chủ tịch"],
    ["X0101", "UBND xã Một", "commune", "", "H01", "", "", "Chủ tịch"],
]
EXAMPLES = int(os.environ.get("UNITS_FUZZ_EXAMPLES", "30"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
STATS: Counter[str] = Counter()


def book(path: Path, rows: list[list[Any]], *, sheet: str = "units",
         raw: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    if raw:  # XML openpyxl refuses to write itself (control characters as escapes)
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w") as dst:
            for name in src.namelist():
                part = src.read(name)
                for mark, xml in raw.items():
                    part = part.replace(mark.encode(), xml.encode())
                dst.writestr(name, part)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def run(*argv: object) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(a) for a in argv])
    return code, out.getvalue(), err.getvalue()


def digest(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def units_of(db: Path, *, include_retired: bool = True) -> list[tuple[Any, ...]]:
    with open_existing(db) as project, project.session() as s:
        return [(u.code, u.name, u.kind, u.short_name, u.parent_code, u.ranking_group, u.abbreviation,
                 u.head_title) for u in list_units(s, include_retired=include_retired)]


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("units-import") / "empty.db"
    create_project(path, [2024], name="Thử").close()
    return path


@pytest.fixture
def db(empty_db: Path, tmp_path: Path) -> Path:
    return Path(shutil.copyfile(empty_db, tmp_path / "p.db"))


def test_import_adds_then_updates_with_a_backup(db: Path, tmp_path: Path) -> None:
    sheet = book(tmp_path / "don-vi.xlsx", [HEADER, *ROWS])
    code, out, err = run("units", "import", "--db", db, sheet, "--year", 2024, "--author", "Thư ký",
                         "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["new"] == ["SO01", "SO02", "BQL", "H01", "X0101"] and report["assessments_new"] == 5
    assert units_of(db) == sorted((tuple(r) for r in ROWS), key=lambda r: (
        ["department", "district", "commune"].index(r[2]), r[0]))
    assert len(backup_files()) == 1
    with open_existing(db) as project, project.session() as s:
        assert s.scalar(select(func.count()).select_from(Assessment)) == 5
        log = s.scalars(select(ImportLog)).one()
        assert log.source == "don-vi.xlsx" and log.summary["kind"] == "units"
        added = select(func.count()).select_from(AuditEvent).where(AuditEvent.action == "unit.add")
        assert s.scalar(added) == 5

    changed = [list(r) for r in ROWS]
    changed[0][1] = "Sở Nội vụ tỉnh"
    changed[3][7] = "Bí thư"
    changed.append(["X0102", "UBND xã Hai", "commune", "", "H01", "", "", ""])
    code, out, err = run("units", "import", "--db", db, book(tmp_path / "b.xlsx", [HEADER, *changed]))
    assert code == 0, err
    assert "1 new units, 2 units updated, 3 units unchanged, 0 new assessments" in out
    assert "updated: SO01 (name)" in out and "updated: H01 (head_title)" in out and "new: X0102" in out
    assert ("SO01", "Sở Nội vụ tỉnh") in {(u[0], u[1]) for u in units_of(db)}
    assert len(backup_files()) == 2

    # the same sheet again changes nothing and makes no backup
    before = digest(db)
    code, out, _ = run("units", "import", "--db", db, tmp_path / "b.xlsx")
    assert code == 0 and "0 new units, 0 units updated, 6 units unchanged" in out
    assert digest(db) == before and len(backup_files()) == 2


def test_dry_run_writes_nothing(db: Path, tmp_path: Path) -> None:
    before = digest(db)
    code, out, err = run("units", "import", "--db", db, book(tmp_path / "u.xlsx", [HEADER, *ROWS]),
                         "--year", 2024, "--dry-run")
    assert code == 0, err
    assert "5 new units" in out and "5 new assessments" in out and "Dry run" in out
    assert digest(db) == before and backup_files() == []


def test_every_problem_with_its_place_and_nothing_written(db: Path, tmp_path: Path) -> None:
    rows = [
        ["SO01", "Sở Nội vụ", "department", "", "", "", "", ""],
        ["SO01", "Sở Nội vụ (lần hai)", "department", "", "", "", "", ""],  # duplicate code
        ["X 1", "Xã", "commune", "", "", "", "", ""],  # a space in the code
        ["X2", "", "commune", "", "H99", "", "", ""],  # empty name, unknown parent
        ["X3", "Xã Ba", "tỉnh", "", "", "", "A" * 40, ""],  # unknown kind, abbreviation too long
        ["X4", "Xã Bốn", "commune", "", "", "", "", True],  # a truth value where text belongs
        ["X5", "Xã Năm", "commune", "", "X6", "", "", ""],  # X5 and X6 each other's parent
        ["X6", "Xã Sáu", "commune", "", "X5", "", "", ""],
    ]
    before = digest(db)
    code, out, err = run("units", "import", "--db", db, book(tmp_path / "bad.xlsx", [HEADER, *rows]))
    assert code == 1 and out == ""
    assert "bad.xlsx: sheet units, row 3, column unit_code: the code SO01 is already on row 2" in err
    assert "bad.xlsx: sheet units, row 4, column unit_code: the code 'X 1' may hold only" in err
    assert "row 5, column unit_name: " in err
    assert "row 5, column parent_code: the project has no parent unit with code H99" in err
    assert "row 6, column unit_kind: the unit kind 'tỉnh' is in none of the project's criteria sets" in err
    assert "row 6, column abbreviation: 40 characters, at most 32 allowed" in err
    assert "row 7, column head_title: text expected, not 'True'" in err
    assert "row 8, column parent_code: the parent unit X6 is itself below X5" in err
    assert "row 9, column parent_code: the parent unit X5 is itself below X6" in err
    assert digest(db) == before and backup_files() == []


def test_columns_sheet_and_file_refused(db: Path, tmp_path: Path) -> None:
    before = digest(db)
    cols = book(tmp_path / "cols.xlsx", [["unit_code", "unit_name", "parnet_code"], ["A", "B", "C"]])
    code, _, err = run("units", "import", "--db", db, cols)
    assert code == 1
    assert "unit_kind" in err and "unknown columns 'parnet_code'" in err
    code, _, err = run("units", "import", "--db", db, book(tmp_path / "s.xlsx", [HEADER], sheet="Sheet1"))
    assert code == 1 and "units" in err and "Sheet1" in err
    (tmp_path / "x.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    code, _, err = run("units", "import", "--db", db, tmp_path / "x.xlsx")
    assert code == 1 and "x.xlsx" in err
    code, _, err = run("units", "import", "--db", db, book(tmp_path / "y.xlsx", [HEADER, *ROWS]),
                       "--year", 1800)
    assert code == 1 and "1800" in err
    assert digest(db) == before


def test_kind_of_an_assessed_unit_cannot_change_by_import(db: Path, tmp_path: Path) -> None:
    first = book(tmp_path / "a.xlsx", [HEADER, *ROWS])
    assert run("units", "import", "--db", db, first, "--year", 2024)[0] == 0
    before = digest(db)
    changed = [list(r) for r in ROWS]
    changed[3][2] = "department"
    code, _, err = run("units", "import", "--db", db, book(tmp_path / "b.xlsx", [HEADER, *changed]))
    assert code == 1 and "row 5, column unit_kind: the kind of unit H01 cannot change" in err
    assert digest(db) == before


def test_export_then_import_into_an_empty_project_gives_the_same_units(db: Path, empty_db: Path,
                                                                       tmp_path: Path) -> None:
    rows = [list(r) for r in ROWS]
    rows.append(["X0102", "UBND xã Hai", "commune", "Hai", "H01", "", "", ""])
    assert run("units", "import", "--db", db, book(tmp_path / "a.xlsx", [HEADER, *rows]))[0] == 0
    # a name Excel would take for a formula is exported as text, and comes back as it was
    assert run("units", "edit", "--db", db, "SO02", "--name", '=HYPERLINK("http://x")')[0] == 0
    assert run("units", "retire", "--db", db, "X0102")[0] == 0
    out = tmp_path / "export.xlsx"
    code, text, err = run("units", "export", "--db", db, "--out", out)
    assert code == 0 and "5 units written" in text, err
    sheet = openpyxl.load_workbook(out)["units"]
    assert [c.value for c in sheet[1]] == HEADER
    assert sheet["A4"].value == "SO02" and sheet["B4"].data_type == "s"  # BQL, SO01, SO02, ...

    other = Path(shutil.copyfile(empty_db, tmp_path / "other.db"))
    code, _, err = run("units", "import", "--db", other, out)
    assert code == 0, err
    assert units_of(other) == units_of(db, include_retired=False)
    everything = run("units", "export", "--db", db, "--out", tmp_path / "all.xlsx", "--all")
    assert everything[1].startswith("6 units")


# --- fuzz ------------------------------------------------------------------------------------------------
HOSTILE: list[Any] = [
    "", " ", "SO01", "H01", "X0101", "department", "district", "commune", "tỉnh", "x" * 400, "Đ" * 101,
    "=1+1", "a b", "../x", "H01", True, 1e308, 12, 12.5, -0.0, "SO01 ", "đặc thù",
]
CELL = st.one_of(st.sampled_from(HOSTILE), st.integers(-10**6, 10**6),
                 st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=10))
RAW_TEXT = ["&#x1B;[2J", "a_x0007_b", "x&#x9F;", "_xD800_", "tab&#x9;", "&#x7F;"]


def fuzzed(data: st.DataObject) -> tuple[bytes, str]:
    rows = [list(HEADER), *(list(r) for r in ROWS)]
    raw: dict[str, str] = {}
    for k in range(data.draw(st.integers(1, 4), label="mutations")):
        what = data.draw(st.sampled_from(["cell"] * 5 + ["raw", "duplicate", "delete", "header", "column"]))
        r = data.draw(st.integers(1, len(rows) - 1), label="row") if len(rows) > 1 else 0
        c = data.draw(st.integers(0, len(HEADER) - 1), label="column")
        if what == "cell":
            rows[r][c] = data.draw(CELL, label="value")
        elif what == "raw":
            rows[r][c] = f"MARK{k}X"
            raw[f"MARK{k}X"] = data.draw(st.sampled_from(RAW_TEXT), label="xml")
        elif what == "duplicate":
            rows.append(list(rows[r]))
        elif what == "delete" and len(rows) > 1:
            del rows[r]
        elif what == "header":
            heads = ["", "Unit_Code", "note", None, "UNIT_KIND"]
            rows[0][c] = data.draw(st.sampled_from(heads), label="head")
        elif what == "column":  # a column emptied, header and all
            for row in rows:
                row[c] = None
    out = io.BytesIO()
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = data.draw(st.sampled_from(["units", "units", "units", "Sheet1"]), label="sheet")
    for row in rows:
        ws.append(row)
    wb.save(out)
    blob = out.getvalue()
    if raw:
        patched = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(blob)) as src, zipfile.ZipFile(patched, "w") as dst:
            for name in src.namelist():
                part = src.read(name)
                for mark, xml in raw.items():
                    part = part.replace(mark.encode(), xml.encode())
                dst.writestr(name, part)
        blob = patched.getvalue()
    if data.draw(st.integers(0, 9), label="bytes") == 0:
        damaged = bytearray(blob)
        damaged[data.draw(st.integers(0, 2**20), label="at") % len(damaged)] ^= data.draw(st.integers(1, 255))
        blob = bytes(damaged)
    author = data.draw(st.sampled_from(["Thư ký", "Thư ký", "Thư ký", "a\x1bb", "T" * 201]), label="author")
    return blob, author


@FUZZ
@given(data=st.data())
def test_fuzzed_unit_workbooks(empty_db: Path, data: st.DataObject) -> None:
    """Whatever the workbook: exit 0 with only valid units stored, or exit 1 with a message and the project
    byte for byte as it was; never a traceback."""
    blob, author = fuzzed(data)
    dry = data.draw(st.booleans(), label="dry run")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(shutil.copyfile(empty_db, Path(tmp) / "p.db"))
        sheet = Path(tmp) / "units.xlsx"
        sheet.write_bytes(blob)
        before = digest(db)
        code, out, err = run("units", "import", "--db", db, sheet, "--year", 2024, f"--author={author}",
                             *(["--dry-run"] if dry else []))
        assert "Traceback" not in out + err
        if code != 0:
            assert code == 1 and out == "" and err.startswith("error: "), (code, out, err)
            assert digest(db) == before
            STATS["refused"] += 1
            return
        STATS["dry run" if dry else "imported"] += 1
        assert author == "Thư ký"
        if dry:
            assert digest(db) == before
            return
        with open_project(db) as project, project.session() as s:
            units = list(s.scalars(select(Unit)))
            codes = {u.code for u in units}
            for u in units:
                assert CODE_PATTERN.fullmatch(u.code) and len(u.code) <= LIMITS["unit.code"]
                assert u.kind in ("department", "district", "commune") and u.name.strip()
                for name in ("name", "short_name", "ranking_group", "abbreviation", "head_title"):
                    check_text(getattr(u, name), f"unit.{name}")
                assert u.parent_code is None or u.parent_code in codes
            assessed = s.scalar(select(func.count()).select_from(Assessment))
            assert assessed == len(units)


def test_the_fuzz_base_imports(db: Path, tmp_path: Path) -> None:
    code, _, err = run("units", "import", "--db", db, book(tmp_path / "u.xlsx", [HEADER, *ROWS]))
    assert (code, err) == (0, "")
    print(dict(STATS))
