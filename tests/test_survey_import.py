"""Survey answers → survey points per leaf; external indices per unit; bad workbooks refused."""

from __future__ import annotations

import hashlib
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import backup_files
from sqlalchemy import select
from survey_helpers import GOOD, indices, survey_score, workbook

from evaluator.errors import UserError
from evaluator.models import AuditEvent, ImportLog, open_project
from evaluator.services.external_import import import_external
from evaluator.services.survey_import import import_survey

YEAR = 2024
@pytest.fixture
def committee(demo_db: Path, tmp_path: Path) -> Path:
    target = tmp_path / "committee.db"
    shutil.copyfile(demo_db, target)
    (tmp_path / "committee.evidence").mkdir()
    return target


def file_state(db: Path) -> str:
    return hashlib.sha256(db.read_bytes()).hexdigest()


def test_survey_points_and_respondents(committee: Path, tmp_path: Path):
    book = workbook(tmp_path / "survey.xlsx", GOOD)
    before = file_state(committee)
    with open_project(committee) as project:
        preview = import_survey(project, book, year=YEAR, dry_run=True)
    assert file_state(committee) == before and "Dry run" in preview.render()
    with open_project(committee) as project:
        report = import_survey(project, book, year=YEAR, author="Thư ký")
    assert (report.answers, report.blank) == (5, 1)
    by_leaf = {(r.unit, r.leaf): r for r in report.leaves}
    assert by_leaf[("H01", "1.8")].points == Decimal("0.50")
    assert by_leaf[("H01", "1.8")].respondents == {"officials": 2, "leaders": 1}
    assert by_leaf[("H02", "8.2")].points == Decimal("1.50") and by_leaf[("H02", "8.2")].respondents == {
        "citizens": 1
    }
    assert "H01 1.8: 0.50 points (leaders 1, officials 2)" in report.render()
    score = survey_score(committee, "H01", "1.8")
    assert score is not None and score.points == Decimal("0.50") and score.author == "Thư ký"
    assert score.value == {"points": Decimal("0.5"), "respondents": {"officials": 2, "leaders": 1}}
    with open_project(committee) as project, project.session() as s:
        assert s.scalars(select(ImportLog)).one().summary["kind"] == "survey"
        assert s.scalars(select(AuditEvent).where(AuditEvent.reason == "survey import survey.xlsx")).first()
    assert backup_files("committee.db.bak-*")
    again_before = file_state(committee)
    with open_project(committee) as project:
        again = import_survey(project, book, year=YEAR)
    assert again.count("identical") == 2 and file_state(committee) == again_before


BAD_SURVEY: dict[str, tuple[list[list[Any]], str]] = {
    "unit": ([["R1", "officials", "ZZ9", "Q1", "A"]], r"row 2, column unit_code: unknown unit 'ZZ9'"),
    "question": ([["R1", "officials", "H01", "Q999", "A"]], r"row 2, column question_code: unknown question"),
    "group": ([["R1", "citizens", "H01", "Q1", "A"]], r"row 2, column group: question Q1 is asked of group"),
    "letter": ([["R1", "officials", "H01", "Q1", "F"]], r"row 2, column answer: 'F' is not an answer"),
    "twice": (
        [["R1", "officials", "H01", "Q1", "A"], ["R1", "officials", "H01", "Q1", "B"]],
        r"row 3: respondent R1 answered question Q1 of H01 already in row 2",
    ),
    "empty": ([["", "officials", "H01", "Q1", "A"]], r"row 2, column respondent_id: is empty"),
}


@pytest.mark.parametrize("case", sorted(BAD_SURVEY))
def test_bad_survey_rows(case: str, committee: Path, tmp_path: Path):
    rows, message = BAD_SURVEY[case]
    book = workbook(tmp_path / "bad.xlsx", [*rows, *GOOD])
    before = file_state(committee)
    with open_project(committee) as project, pytest.raises(UserError, match=message):
        import_survey(project, book, year=YEAR)
    assert file_state(committee) == before


def test_bad_workbooks(committee: Path, tmp_path: Path):
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook")
    truncated = tmp_path / "truncated.xlsx"
    data = workbook(tmp_path / "full.xlsx", GOOD).read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    cases = {
        text: "not an Excel workbook",
        truncated: "not an Excel workbook",
        workbook(tmp_path / "sheet.xlsx", GOOD, sheet="Sheet1"): r"wrong sheets: there is no sheet 'answers' "
        r"\(found: Sheet1\)",
        workbook(
            tmp_path / "columns.xlsx", [], header=["respondent_id", "unit_code"]
        ): r"sheet answers, row 1: missing column\(s\) group, question_code, answer",
        tmp_path / "missing.xlsx": "cannot be read",
    }
    before = file_state(committee)
    for path, message in cases.items():
        with open_project(committee) as project, pytest.raises(UserError, match=message):
            import_survey(project, path, year=YEAR)
        with open_project(committee) as project, pytest.raises(UserError):
            import_external(project, path, year=YEAR)
    assert file_state(committee) == before


def test_external_indices(committee: Path, tmp_path: Path):
    book = indices(
        tmp_path / "indices.xlsx",
        [
            ["H01", "sipas", 85, "SIPAS 2024"],
            ["H01", "PAR766", 92, ""],
            ["H01", "8.7.3", 71.5, "DDCI"],
            ["SO01", "sipas", "90,5", ""],
        ],
    )
    with open_project(committee) as project:
        report = import_external(project, book, year=YEAR, author="Thư ký")
    assert report.count("updated") + report.count("new") == 4
    sipas = survey_score(committee, "H01", "8.1")
    assert sipas is not None and sipas.value == {"value": 85} and sipas.points == Decimal("3.40")
    assert sipas.note == "SIPAS 2024"
    par766 = survey_score(committee, "H01", "8.7.4", "appraisal1")
    assert par766 is not None and par766.points == Decimal("1.50")
    ddci = survey_score(committee, "H01", "8.7.3", "appraisal1")
    assert ddci is not None and ddci.points is None and ddci.value == {"value": Decimal("71.5")}
    assert "computed with the other units" in report.render()
    so01 = survey_score(committee, "SO01", "8.1")
    assert so01 is not None and so01.value == {"value": Decimal("90.5")}
    before = file_state(committee)
    with open_project(committee) as project:
        again = import_external(project, book, year=YEAR)
    assert again.count("identical") == 4 and file_state(committee) == before


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (["ZZ9", "sipas", 80], r"row 2, column unit_code: unknown unit 'ZZ9'"),
        (["H01", "pci", 80], r"row 2, column indicator: unknown indicator 'pci' .* expected one of .*sipas"),
        (["H01", "sipas", -1], r"row 2, column value: '-1' is not a number ≥ 0"),
        (["H01", "sipas", "nhiều"], r"row 2, column value: 'nhiều' is not a number"),
        (["H01", "sipas", None], r"row 2, column value: is empty"),
    ],
)
def test_bad_external_rows(row: list[Any], message: str, committee: Path, tmp_path: Path):
    book = indices(tmp_path / "bad.xlsx", [row])
    before = file_state(committee)
    with open_project(committee) as project, pytest.raises(UserError, match=message):
        import_external(project, book, year=YEAR)
    assert file_state(committee) == before


def test_survey_and_external_commands(run_cli, committee: Path, tmp_path: Path):
    book = workbook(tmp_path / "survey.xlsx", GOOD)
    code, out, _ = run_cli("survey", "import", "--db", committee, book, "--year", YEAR, "--dry-run")
    assert code == 0 and "Dry run" in out and "H01 1.8" in out
    code, out, _ = run_cli("survey", "import", "--db", committee, book, "--year", YEAR)
    assert code == 0 and "Survey imported." in out
    code, _, err = run_cli("survey", "import", "--db", committee, tmp_path / "none.xlsx", "--year", YEAR)
    assert code == 1 and "cannot be read" in err
    ext = indices(tmp_path / "indices.xlsx", [["H02", "par766", 75, ""]])
    code, out, _ = run_cli(
        "external", "import", "--db", committee, ext, "--year", YEAR, "--stage", "appraisal2"
    )
    assert code == 0 and "H02 8.7.4 (appraisal2): 75 → 0.75 points" in out
