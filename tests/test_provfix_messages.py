"""Messages in both languages (issue 12's review): a criteria-set workbook's cell problems, the command
line's "criteria set is not valid" header, and a units sheet's problems naming the sheet's own columns
(``unit_kind``, ``unit_name``) with kinds by their labels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_framework_export import edit, problems_of, row_of, set_cell
from test_framework_export import workbook_path as workbook_path  # the fixture
from test_units_import import book, db, empty_db, run  # noqa: F401  (fixtures)

from evaluator.frameworks.xlsx import NODE_SHEET, SET_SHEET, SURVEY_SHEET


def _rendered(path: Path, language: str) -> str:
    return "\n".join(p.render(language) for p in problems_of(path))


def test_a_workbooks_cell_problems_in_both_languages(workbook_path: Path) -> None:
    def change(ws: Any) -> None:
        ws.cell(row_of(ws, "version"), 2).value = 1.5
        ws.cell(row_of(ws, "year"), 2).value = "năm nay"
        ws.cell(ws.max_row + 1, 1).value = "colour"

    edit(workbook_path, SET_SHEET, change)
    edit(workbook_path, SURVEY_SHEET, lambda ws: ws.cell(3, 1, "answr"))
    edit(workbook_path, NODE_SHEET, set_cell("1.1", "parent", "9.9"))
    english, vietnamese = _rendered(workbook_path, "en"), _rendered(workbook_path, "vi")
    for text in ("1.5 is not a whole number", "'năm nay' is not a number", "unknown field 'colour'",
                 "'answr' is not 'answer' or 'group'", "'9.9' is not the code of an earlier row"):
        assert text in english, text
    for text in ("1.5 không phải số nguyên", "'năm nay' không phải là số", "trường 'colour' không có",
                 "'answr' không phải 'answer' hoặc 'group'", "'9.9' không phải mã của một dòng phía trên"):
        assert text in vietnamese, text
    assert "is not" not in vietnamese and "unknown" not in vietnamese


def test_the_invalid_set_header_in_both_languages(workbook_path: Path, tmp_path: Path) -> None:
    edit(workbook_path, SET_SHEET, lambda ws: setattr(ws.cell(row_of(ws, "version"), 2), "value", 1.5))
    code, _out, err = run("init", tmp_path / "p.db", "--year", 2024, "--sets", workbook_path, "--lang", "vi")
    assert code == 1 and err.startswith("error: bộ tiêu chí không hợp lệ (1 lỗi):"), err
    assert "1.5 không phải số nguyên" in err
    code, _out, err = run("init", tmp_path / "p.db", "--year", 2024, "--sets", workbook_path, "--lang", "en")
    assert code == 1 and err.startswith("error: the criteria set is not valid (1 problem(s)):"), err
    code, _out, err = run("framework", "validate", workbook_path, "--lang", "vi")
    assert code == 1 and f"{workbook_path}: 1 lỗi" in err and "problem" not in err, err


def test_a_units_sheets_problems_name_its_columns_and_kinds_by_label(db: Path, tmp_path: Path) -> None:  # noqa: F811
    sheet = book(tmp_path / "units.xlsx", [["unit_code", "unit_name", "unit_kind"],
                                           ["SO01", "Sở Nội vụ", "tinh"],
                                           ["SO02", "", "department"]])
    code, _out, err = run("units", "import", "--db", db, sheet, "--lang", "vi")
    assert code == 1
    assert "dòng 2, cột unit_kind" in err and "dòng 3, cột unit_name" in err, err
    assert "cột kind" not in err and "cột name" not in err
    assert "Sở, ban, ngành" in err and "department" not in err  # the kinds by their labels
    code, _out, err = run("units", "import", "--db", db, sheet, "--lang", "en")
    assert "column unit_kind" in err and "department, district, commune" in err, err
