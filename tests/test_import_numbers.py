"""``evaluator external import`` and ``evaluator survey import`` with hostile numbers and text: extreme
numbers (1e308, 10^30, 1e-400, inf, NaN), values outside an index's scale (SIPAS 150 %), control characters
and lone surrogates in cells, file names and ``--author``. Each is refused through the real command line:
exit 1, a message naming the value and its place, no traceback, the project exactly as it was."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from survey_helpers import GOOD, HEADER, survey_score, workbook

INDEX_HEADER = ["unit_code", "indicator", "value", "note"]
YEAR = "2024"


@pytest.fixture
def committee(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo project without its evidence (these imports never touch evidence)."""
    target = tmp_path / "committee.db"
    shutil.copyfile(demo_db, target)
    (tmp_path / "committee.evidence").mkdir()
    return target


def fingerprint(db: Path) -> tuple[str, ...]:
    """The bytes of the closed project file and of any journal beside it: equal means nothing written."""
    files = [db, Path(f"{db}-wal"), Path(f"{db}-journal")]
    return tuple(hashlib.sha256(f.read_bytes()).hexdigest() if f.exists() else "-" for f in files)


def patched(path: Path, raw: dict[str, str]) -> Path:
    """The workbook with XML put in the sheet where openpyxl wrote each key (a text or number it wrote):
    what a hand-made or damaged file holds (``&#x1B;`` or ``_x001B_``, ``<v>inf</v>``), which openpyxl
    itself refuses to write."""
    data = {n: zipfile.ZipFile(path).read(n) for n in zipfile.ZipFile(path).namelist()}
    sheet = data["xl/worksheets/sheet1.xml"].decode()
    for mark, xml in raw.items():
        assert mark in sheet, mark
        sheet = sheet.replace(mark, xml)
    data["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as out:
        for name, content in data.items():
            out.writestr(name, content)
    return path


def indices(path: Path, rows: list[list[Any]], raw: dict[str, str] | None = None) -> Path:
    workbook(path, rows, sheet="indices", header=INDEX_HEADER)
    return patched(path, raw) if raw else path


def refused(run_cli, db: Path, *args: object) -> str:
    """Run a command that must be refused; its message (stderr)."""
    before = fingerprint(db)
    code, out, err = run_cli(*args)
    assert code == 1 and "Traceback" not in err and err.startswith("error: "), (code, out, err)
    assert fingerprint(db) == before
    return err


# value cell → what the message must say (after "sheet indices, row 2, column value: ")
EXTREME_VALUES: list[tuple[Any, dict[str, str] | None, str]] = [
    (1e308, None, r"'1000000000000000010979063629440455417404…' is far too large"),
    (10**30, None, r"'1000000000000000019884624838656' is far too large"),
    ("1e-400", None, r"'1e-400' has more than 6 decimals"),
    ("inf", None, r"'inf' is not a number ≥ 0"),
    ("-Infinity", None, r"'-Infinity' is not a number ≥ 0"),
    ("NaN", None, r"'NaN' is not a number ≥ 0"),
    ("1e999999999", None, r"'1e999999999' is far too large"),
    ("9" * 5000, None, r"'9999999999999999999999999999999999999999…' is far too large"),
    (31337.5, {"<v>31337.5</v>": "<v>inf</v>"}, r"'inf' is not a number ≥ 0"),  # a number cell
    (31337.5, {"<v>31337.5</v>": "<v>NaN</v>"}, r"'nan' is not a number ≥ 0"),
    (150, None, r"150 is outside the sipas scale 0–100 \(criterion 8.1\)"),  # SIPAS 150 %
    ("100,5", None, r"100.5 is outside the sipas scale 0–100"),
    ("1e20", None, r"'1e20' is far too large"),
    (99.1234567, None, r"NOT REFUSED"),  # a number cell: rounded to six decimals, accepted
]


@pytest.mark.parametrize(("value", "raw", "message"), EXTREME_VALUES,
                         ids=[f"{i}-{str(v)[:12]}" for i, (v, _r, _m) in enumerate(EXTREME_VALUES)])
def test_external_import_refuses_extreme_numbers(run_cli, committee: Path, tmp_path: Path, value: Any,
                                                 raw: dict[str, str] | None, message: str):
    book = indices(tmp_path / "indices.xlsx", [["H01", "sipas", value, ""]], raw)
    args = ("external", "import", "--db", committee, book, "--year", YEAR)
    if message == "NOT REFUSED":
        code, _, err = run_cli(*args)
        assert code == 0 and err == ""
        score = survey_score(committee, "H01", "8.1")
        assert score is not None and str(score.value["value"]) == "99.123457"
        return
    err = refused(run_cli, committee, *args)
    assert re.search(r"indices\.xlsx: sheet indices, row 2, column value: " + message, err), err


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["H01", "par766", 150, ""],
         r"row 2, column value: 150 is outside the par766 scale 0–100 \(criterion 8\.7\.4\)"),
        (["H01", "8.7.3", 1e20, ""], r"row 2, column value: '100000000000000000000' is far too large"),
        (["H01", "8.7.3", 1e-300, "x" * 10_001], r"row 2, column note: 'x{40}…': 10001 characters, at most "
                                                  r"10000 allowed"),
        (["H01", "sipas", 80, "MARK"],
         r"row 2, column note: 'SIPAS\\x1b\[2J': contains a control character \(U\+001B\) at character 6"),
        (["MARK", "sipas", 80, ""],
         r"row 2, column unit_code: 'SIPAS\\x1b\[2J': contains a control character"),
        (["H01", "sipas\u009b", 80, ""],  # a C1 control (CSI), which strip() keeps (it drops U+0085)
         r"row 2, column indicator: 'sipas\\x9b': contains a control character \(U\+009B\)"),
        (["H01" * 30, "sipas", 80, ""], r"row 2, column unit_code: 'H01H01.*…': 90 characters, at most 64"),
    ],
)
def test_external_import_refuses_bad_values_and_text(run_cli, committee: Path, tmp_path: Path,
                                                     row: list[Any], message: str):
    book = indices(tmp_path / "indices.xlsx", [row, ["SO01", "sipas", 90, ""]],
                   {"MARK": "SIPAS&#x1B;[2J"} if "MARK" in row else None)
    err = refused(run_cli, committee, "external", "import", "--db", committee, book, "--year", YEAR)
    assert re.search(message, err), err


def test_ddci_values_over_100_are_taken(run_cli, committee: Path, tmp_path: Path):
    """A min–max or rank value has no scale (a growth rate may pass 100 %): only absurd sizes are refused."""
    book = indices(tmp_path / "indices.xlsx", [["H01", "8.7.3", 150, "tăng trưởng"],
                                               ["H01", "8.7.2", "123456789,5", ""]])
    code, out, err = run_cli("external", "import", "--db", committee, book, "--year", YEAR)
    assert (code, err) == (0, "") and "H01 8.7.3 (appraisal1): 150" in out


# survey: cells that must be refused → the message after "sheet answers, row 2, column "
SURVEY_CELLS: list[tuple[int, Any, dict[str, str] | None, str]] = [
    (0, 1e308, None,
     r"respondent_id: '1000000000000000010979063629440455417404…': 309 characters, at most 200"),
    (0, "MARK", {"MARK": "R&#x1B;1"}, r"respondent_id: 'R\\x1b1': contains a control character \(U\+001B\)"),
    (1, "MARK", {"MARK": "officials_x0007_"}, r"group: 'officials\\x07': contains a control character"),
    (2, 10**30, None, r"unit_code: unknown unit '1000000000000000019884624838656'"),
    (2, "MARK", {"MARK": "H&#x9;01"}, r"unit_code: 'H\\t01': contains a control character \(U\+0009\)"),
    (3, "1e-400", None, r"question_code: unknown question '1e-400'"),
    (3, "Q" * 65, None, r"question_code: 'Q{40}…': 65 characters, at most 64"),
    (4, 31337.5, {"<v>31337.5</v>": "<v>inf</v>"}, r"answer: 'INF' is not an answer"),
    (4, 1e308, None, r"answer: '1000000000000000010979063629440455417404…': 309 characters, at most 64"),
    (4, 10**30, None, r"answer: '1000000000000000019884624838656' is not an answer"),
    (4, "MARK", {"MARK": "A&#x7F;"}, r"answer: 'A\\x7f': contains a control character \(U\+007F\)"),
]


@pytest.mark.parametrize(("column", "value", "raw", "message"), SURVEY_CELLS,
                         ids=[f"{HEADER[c]}-{str(v)[:12]}" for c, v, _r, _m in SURVEY_CELLS])
def test_survey_import_refuses_hostile_cells(run_cli, committee: Path, tmp_path: Path, column: int,
                                             value: Any, raw: dict[str, str] | None, message: str):
    row: list[Any] = ["R1", "officials", "H01", "Q1", "A"]
    row[column] = value
    book = workbook(tmp_path / "survey.xlsx", [row, *GOOD])
    if raw:
        patched(book, raw)
    err = refused(run_cli, committee, "survey", "import", "--db", committee, book, "--year", YEAR)
    assert re.search(r"survey\.xlsx: sheet answers, row 2, column " + message, err), err


@pytest.mark.parametrize("command", ["survey", "external"])
def test_file_names_and_authors_that_cannot_be_stored_are_refused(run_cli, committee: Path, tmp_path: Path,
                                                                   command: str):
    if command == "survey":
        good = workbook(tmp_path / "good.xlsx", GOOD)
    else:
        good = indices(tmp_path / "good.xlsx", [["H01", "sipas", 85, ""]])
    # a name in another encoding (bytes that are not UTF-8 arrive as lone surrogates) and one with an ESC
    odd = Path(os.fsdecode(os.fsencode(tmp_path) + b"/b\xe1o-c\xe1o.xlsx"))
    escape = tmp_path / "a\x1b[2Jb.xlsx"
    for path in (odd, escape):
        shutil.copyfile(good, path)
        err = refused(run_cli, committee, command, "import", "--db", committee, path, "--year", YEAR)
        assert "the file name contains" in err and "rename the file" in err
    assert r"'b\udce1o-c\udce1o.xlsx': the file name contains a lone surrogate (U+DCE1)" in refused(
        run_cli, committee, command, "import", "--db", committee, odd, "--year", YEAR)
    for author, message in [("Thư ký\udcff", "a lone surrogate (U+DCFF)"),
                            ("Thư\x1bký", "a control character (U+001B)"),
                            ("T" * 201, "201 characters, at most 200")]:
        err = refused(run_cli, committee, command, "import", "--db", committee, good, "--year", YEAR,
                      f"--author={author}")
        assert err.startswith("error: author ") and message in err, err
    code, _, err = run_cli(command, "import", "--db", committee, good, "--year", YEAR, "--author", "Thư ký")
    assert (code, err) == (0, "")


def test_the_helper_writes_what_openpyxl_refuses(tmp_path: Path):
    book = indices(tmp_path / "i.xlsx", [["H01", "sipas", 31337.5, "MARK"]],
                   {"MARK": "a&#x1B;b", "<v>31337.5</v>": "<v>inf</v>"})
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(book)).get_sheet_by_name("indices").to_python()
    assert rows[1][3] == "a\x1bb" and rows[1][2] == float("inf")
