"""``evaluator import``: consolidated workbooks into a project — creation, idempotent re-import, updates
with a revision chain and audit events, dry runs, warnings, every rejection (file, sheet, row and column
named; exit 1) and all-or-nothing writes, on real SQLite and real .xlsx files."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import backup_files
from sqlalchemy import select
from workbook_helpers import Sheets, consolidated, copy_db, dump_db, sha256_file, write_sheets

from evaluator.errors import UserError
from evaluator.frameworks.model import STAGES
from evaluator.models import (
    Assessment,
    AuditEvent,
    CriteriaSet,
    ImportLog,
    Period,
    Score,
    ScoreRevision,
    Unit,
    open_project,
)
from evaluator.services.audit import query_audit
from evaluator.services.projects import create_project
from evaluator.services.workbook_import import import_workbooks

UNITS = [
    ["H01", "UBND huyện Đông Sơn", "district", "par-district-2024"],
    ["X0101", "UBND xã Tân Lập (Huyện Đông Sơn)", "commune", "par-commune-2024"],
    ["SO01", "Sở Nội vụ", "department", "par-department-2024"],
]
SCORES = [  # sheet rows 2..12
    ["H01", "8.7.5", "self", 1],
    ["H01", "8.7.5", "appraisal1", 0.75, None, "Tổ thẩm định: trừ 0,25 điểm"],
    ["H01", "1.1.2", "self", 0.5],
    ["H01", "1.3.2", "self", None, 1, "Không phát sinh"],
    ["H01", "3.5", "survey", 2.4],
    ["H01", "3.2.2", "appraisal2", 0.5],  # max 0.5 for a district ...
    ["X0101", "3.2.2", "self", 3],  # ... and 3 for a commune
    ["X0101", "7.7.7", "self", "0,75"],  # a decimal comma, as typed in Vietnam
    ["X0101", "1.7", "survey", 0.5],
    ["SO01", "8.7.4", "explanation", 0.25, 0],
    ["SO01", "1.3.2", "self", None, 1],
]
EXPECTED = {  # (unit, leaf, stage) -> (points, not applicable, note)
    ("H01", "8.7.5", "self"): (Decimal("1.00"), False, ""),
    ("H01", "8.7.5", "appraisal1"): (Decimal("0.75"), False, "Tổ thẩm định: trừ 0,25 điểm"),
    ("H01", "1.1.2", "self"): (Decimal("0.50"), False, ""),
    ("H01", "1.3.2", "self"): (None, True, "Không phát sinh"),
    ("H01", "3.5", "survey"): (Decimal("2.40"), False, ""),
    ("H01", "3.2.2", "appraisal2"): (Decimal("0.50"), False, ""),
    ("X0101", "3.2.2", "self"): (Decimal("3.00"), False, ""),
    ("X0101", "7.7.7", "self"): (Decimal("0.75"), False, ""),
    ("X0101", "1.7", "survey"): (Decimal("0.50"), False, ""),
    ("SO01", "8.7.4", "explanation"): (Decimal("0.25"), False, ""),
    ("SO01", "1.3.2", "self"): (None, True, ""),
}


def base_sheets() -> Sheets:
    return consolidated(2024, UNITS, SCORES)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty project holding the 2024 criteria sets."""
    path = tmp_path_factory.mktemp("template") / "p.db"
    create_project(path, [2024], name="Thẩm định 2024", province="Tỉnh Thử").close()
    return path


@pytest.fixture(scope="module")
def imported_template(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template after importing the base workbook."""
    folder = tmp_path_factory.mktemp("imported")
    path = copy_db(template, folder / "p.db")
    with open_project(path) as project:
        import_workbooks(project, [write_sheets(folder / "base.xlsx", base_sheets())])
    return path


@pytest.fixture
def db(template: Path, tmp_path: Path) -> Path:
    return copy_db(template, tmp_path / "p.db")


@pytest.fixture
def imported(imported_template: Path, tmp_path: Path) -> Path:
    return copy_db(imported_template, tmp_path / "p.db")


def stored_scores(db: Path) -> dict[tuple[str, str, str], tuple[Decimal | None, bool, str]]:
    with open_project(db) as project, project.session() as s:
        rows = s.execute(select(Unit.code, Score.criterion_code, Score.stage, Score.points,
                                Score.not_applicable, Score.note)
                         .join(Assessment, Assessment.id == Score.assessment_id)
                         .join(Unit, Unit.id == Assessment.unit_id)).all()
    return {(u, leaf, stage): (points, na, note) for u, leaf, stage, points, na, note in rows}


def without_import_log(dump: list[str]) -> list[str]:
    return [line for line in dump if '"import_log"' not in line]


def backups(folder: Path) -> list[str]:
    """The automatic backups of this test's project, with their folder (in the backups folder)."""

    return [str(p) for p in backup_files()]


# --- a valid workbook --------------------------------------------------------------------------------
def test_a_valid_workbook_creates_units_assessments_and_scores(db: Path, tmp_path: Path, run_cli) -> None:
    book = write_sheets(tmp_path / "base.xlsx", base_sheets())
    before = dump_db(db)
    code, out, err = run_cli("import", "--db", db, book, "--author", "Nguyễn Thị Thư ký")
    assert code == 0, err
    assert out.splitlines() == ["Imported.", "  files: base.xlsx", "  units: 3 new", "  assessments: 3 new",
                                "  scores: 11 new, 0 updated, 0 identical"]
    assert stored_scores(db) == EXPECTED

    with open_project(db) as project, project.session() as s:
        units = {u.code: (u.name, u.kind) for u in s.scalars(select(Unit))}
        assert units == {code: (name, kind) for code, name, kind, _fw in UNITS}
        rows = s.execute(select(Unit.code, Period.year, CriteriaSet.code, Assessment.status)
                         .join(Assessment, Assessment.unit_id == Unit.id)
                         .join(Period, Period.id == Assessment.period_id)
                         .join(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)).all()
        assert sorted(rows) == [("H01", 2024, "par-district-2024", "appraisal2"),
                                ("SO01", 2024, "par-department-2024", "appraisal2"),
                                ("X0101", 2024, "par-commune-2024", "appraisal2")]
        scores = s.scalars(select(Score)).all()
        assert {(sc.author, sc.device_id, sc.revision, sc.base_revision_id) for sc in scores} == {
            ("Nguyễn Thị Thư ký", "import", 1, None)}
        revisions = s.scalars(select(ScoreRevision)).all()
        got = sorted((r.score_id, r.revision, r.points, r.not_applicable, r.base_revision_id)
                     for r in revisions)
        assert got == sorted((sc.id, 1, sc.points, sc.not_applicable, None) for sc in scores)
        # new values: one audit event per file and unit (each value's own history is its revision)
        audits = s.execute(select(AuditEvent, Unit.code)
                           .join(Assessment, Assessment.id == AuditEvent.assessment_id)
                           .join(Unit, Unit.id == Assessment.unit_id)).all()
        assert {(a.action, a.role, a.device_id, a.author, a.reason) for a, _code in audits} == {
            ("import.workbook", "committee", "import", "Nguyễn Thị Thư ký", "base.xlsx")}
        per_unit = {code: sum(1 for key in EXPECTED if key[0] == code) for code, *_ in UNITS}
        assert {code: (a.criterion_code, a.stage, a.old, a.new) for a, code in audits} == {
            code: (None, None, None, {"file": "base.xlsx", "sha256": sha256_file(book), "scores_new": n,
                                      "scores_updated": 0}) for code, n in per_unit.items()}
        assert len(audits) == len(s.scalars(select(AuditEvent)).all()) == 3
        shown = {r.unit_code: r.new_text for r in query_audit(s, action="import.workbook")}
        assert shown == {code: f"base.xlsx: {n} điểm mới, 0 điểm sửa" for code, n in per_unit.items()}
        log = s.scalars(select(ImportLog)).one()
        assert (log.author, log.source, log.source_sha256, log.dry_run) == (
            "Nguyễn Thị Thư ký", "base.xlsx", sha256_file(book), False)
        assert log.summary["scores_new"] == 11 and log.summary["units_new"] == 3
        assert log.summary["years"] == [2024] and log.summary["warnings"] == []

    # a consistent backup of the project as it was is kept in the platform's backups folder
    [backup] = backups(tmp_path)
    assert dump_db(Path(backup)) == before


def test_reimport_is_idempotent(imported: Path, tmp_path: Path, run_cli) -> None:
    book = write_sheets(tmp_path / "base.xlsx", base_sheets())
    before = dump_db(imported)
    code, out, err = run_cli("import", "--db", imported, book)
    assert code == 0, err
    assert out.splitlines()[2:] == ["  units: 0 new", "  assessments: 0 new",
                                    "  scores: 0 new, 0 updated, 11 identical"]
    after = dump_db(imported)
    assert without_import_log(after) == without_import_log(before)
    assert len(after) == len(before) + 1  # one more import-log row, nothing else
    assert stored_scores(imported) == EXPECTED


def test_an_update_changes_points_and_keeps_the_revision_chain(imported: Path, tmp_path: Path,
                                                               run_cli) -> None:
    # units already assessed in 2024 need not be declared again
    update = write_sheets(tmp_path / "vòng 2.xlsx", consolidated(2024, [], [
        ["H01", "8.7.5", "appraisal1", 1, None, "Chấp nhận giải trình"],
        ["SO01", "1.3.2", "self", 0.5, 0, "Có phát sinh"],
        ["H01", "8.7.5", "self", 1],  # unchanged
    ]))
    code, out, err = run_cli("import", "--db", imported, update)
    assert code == 0, err
    assert "  scores: 0 new, 2 updated, 1 identical" in out.splitlines()
    third = write_sheets(tmp_path / "vòng 3.xlsx",
                         consolidated(2024, [], [["H01", "8.7.5", "appraisal1", 0.5]]))
    code, out, err = run_cli("import", "--db", imported, third)
    assert code == 0, err

    expected = dict(EXPECTED)
    expected["H01", "8.7.5", "appraisal1"] = (Decimal("0.50"), False, "")
    expected["SO01", "1.3.2", "self"] = (Decimal("0.50"), False, "Có phát sinh")
    assert stored_scores(imported) == expected

    with open_project(imported) as project, project.session() as s:
        score = s.execute(select(Score).join(Assessment).join(Unit).where(
            Unit.code == "H01", Score.criterion_code == "8.7.5", Score.stage == "appraisal1")).scalar_one()
        revisions = s.scalars(select(ScoreRevision).where(ScoreRevision.score_id == score.id)
                              .order_by(ScoreRevision.revision)).all()
        assert [(r.revision, r.points, r.note) for r in revisions] == [
            (1, Decimal("0.75"), "Tổ thẩm định: trừ 0,25 điểm"), (2, Decimal("1.00"), "Chấp nhận giải trình"),
            (3, Decimal("0.50"), "")]
        assert [r.base_revision_id for r in revisions] == [None, revisions[0].id, revisions[1].id]
        assert (score.revision, score.base_revision_id, score.points) == (3, revisions[1].id, Decimal("0.50"))
        audits = s.scalars(select(AuditEvent).where(AuditEvent.assessment_id == score.assessment_id,
                                                    AuditEvent.criterion_code == "8.7.5",
                                                    AuditEvent.stage == "appraisal1")
                           .order_by(AuditEvent.reason)).all()
        # each overwrite has its own audit event with the old and the new value (the first value is in
        # the file's summary event)
        assert [(a.old["points"], a.new["points"], a.reason) for a in audits] == [
            (Decimal("0.75"), 1, "vòng 2.xlsx row 2"), (1, Decimal("0.5"), "vòng 3.xlsx row 2")]
        na = s.execute(select(AuditEvent).join(Assessment).join(Unit)
                       .where(Unit.code == "SO01", AuditEvent.criterion_code == "1.3.2")
                       .order_by(AuditEvent.time)).scalars().all()
        assert [(a.old["not_applicable"], a.new["not_applicable"]) for a in na] == [(True, False)]
        summaries = s.execute(select(AuditEvent.reason, AuditEvent.new).join(Assessment).join(Unit)
                              .where(Unit.code == "H01", AuditEvent.action == "import.workbook")
                              .order_by(AuditEvent.time)).all()
        assert [(reason, new["scores_new"], new["scores_updated"]) for reason, new in summaries] == [
            ("base.xlsx", 6, 0), ("vòng 2.xlsx", 0, 1), ("vòng 3.xlsx", 0, 1)]
        assert len(s.scalars(select(ImportLog)).all()) == 3


def test_dry_run_prints_counts_and_changes_nothing(imported: Path, tmp_path: Path, run_cli) -> None:
    sheets = consolidated(2024, [*UNITS, ["X0102", "UBND xã Hòa Bình (Huyện Đông Sơn)", "commune",
                                          "par-commune-2024"]],
                          [*SCORES[:1], ["H01", "8.7.5", "appraisal1", 0.5], ["X0102", "7.7.7", "self", 0.25],
                           ["H01", "1.1.2", "self", 0.25]])
    book = write_sheets(tmp_path / "thử.xlsx", sheets)
    before, files = dump_db(imported), sorted(p.name for p in tmp_path.iterdir())
    code, out, err = run_cli("import", "--db", imported, book, "--dry-run")
    assert code == 0, err
    lines = out.splitlines()
    assert lines[:5] == ["Dry run — nothing was written.", "  files: thử.xlsx", "  units: 1 new",
                         "  assessments: 1 new", "  scores: 1 new, 2 updated, 1 identical"]
    assert lines[5:] == ["  warnings (1):",
                         "    - thử.xlsx: sheet scores, row 5: 0.25 points for 1.1.2 cannot come from its "
                         "rule (binary); imported as the council's decision"]
    assert dump_db(imported) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == files  # no backup either
    # a refused dry run changes nothing either
    sheets["scores"].append(["H01", "8.7.5", "appraisal2", 7])
    write_sheets(book, sheets)
    code, _out, err = run_cli("import", "--db", imported, book, "--dry-run")
    assert code == 1 and "row 6, column points: 7.00 is outside [0, 1]" in err
    assert dump_db(imported) == before


def test_a_value_the_rule_cannot_produce_is_imported_with_a_warning(db: Path, tmp_path: Path,
                                                                    run_cli) -> None:
    sheets = consolidated(2024, UNITS[:1], [["H01", "1.1.2", "appraisal1", 0.25],  # binary: 0 or 0.5
                                            ["H01", "8.7.5", "self", 0.3]])  # manual, step 0.25
    book = write_sheets(tmp_path / "hội đồng.xlsx", sheets)
    code, out, err = run_cli("import", "--db", db, book)
    assert code == 0, err
    assert "  warnings (2):" in out
    warnings = [line.strip()[2:] for line in out.splitlines() if line.startswith("    - ")]
    assert warnings == [
        "hội đồng.xlsx: sheet scores, row 2: 0.25 points for 1.1.2 cannot come from its rule (binary); "
        "imported as the council's decision",
        "hội đồng.xlsx: sheet scores, row 3: 0.30 points for 8.7.5 cannot come from its rule (manual); "
        "imported as the council's decision"]
    assert stored_scores(db) == {("H01", "1.1.2", "appraisal1"): (Decimal("0.25"), False, ""),
                                 ("H01", "8.7.5", "self"): (Decimal("0.30"), False, "")}
    with open_project(db) as project, project.session() as s:
        assert s.scalars(select(ImportLog)).one().summary["warnings"] == warnings


# --- rejections --------------------------------------------------------------------------------------
def _append(row: list[Any]) -> Callable[[Sheets], None]:
    return lambda sheets: sheets["scores"].append(row)


def _set(sheet: str, row: int, column: int, value: Any) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        sheets[sheet][row - 1][column] = value
    return change


def _meta(key: str, value: Any) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        rows = sheets["meta"]
        if value is None:
            rows[:] = [r for r in rows if r[0] != key]
        else:
            next(r for r in rows if r[0] == key)[1] = value
    return change


def _rename_sheet(old: str, new: str) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        items = [(new if k == old else k, v) for k, v in sheets.items()]
        sheets.clear()
        sheets.update(items)
    return change


LAST = "upd.xlsx: sheet scores, row {last}"
REJECTIONS: list[tuple[str, Callable[[Sheets], None], str, int | None]] = [
    ("unknown unit", _append(["H99", "8.7.5", "self", 1]),
     LAST + ", column unit_code: unknown unit 'H99' (not in sheet units, nor assessed in 2024 in the "
     "project)", 1),
    ("unknown criterion", _append(["H01", "9.9.9", "self", 1]),
     LAST + ", column criterion_code: unknown criterion '9.9.9' for a district in par-district-2024@1", 1),
    ("criterion that is not a leaf", _append(["H01", "1.1", "self", 1]),
     LAST + ", column criterion_code: unknown criterion '1.1'", 1),
    ("points above the max for that kind", _append(["H01", "3.2.2", "self", 2]),
     LAST + ", column points: 2.00 is outside [0, 0.5] for criterion 3.2.2 (district)", 1),
    ("negative points", _append(["H01", "8.7.5", "appraisal2", -0.25]),
     LAST + ", column points: -0.25 is outside [0, 1] for criterion 8.7.5 (district)", 1),
    ("points with a digit separator", _append(["H01", "8.7.5", "appraisal2", "1_000"]),
     LAST + ", column points: '1_000' is not a number", 1),
    ("points in Arabic-Indic digits", _append(["H01", "8.7.5", "appraisal2", "١"]),
     LAST + ", column points: '١' is not a number", 1),
    ("points as words", _append(["H01", "8.7.5", "appraisal2", "một điểm"]),
     LAST + ", column points: 'một điểm' is not a number", 1),
    ("points as a boolean", _append(["H01", "8.7.5", "appraisal2", True]),
     LAST + ", column points: 'True' is not a number", 1),
    ("points with three decimals", _append(["H01", "8.7.5", "appraisal2", 0.125]),
     LAST + ", column points: 0.125 has more than two decimals", 1),
    ("points as text with three decimals", _append(["H01", "8.7.5", "appraisal2", "0,125"]),
     LAST + ", column points: 0,125 has more than two decimals", 1),
    ("absurdly large points", _append(["H01", "8.7.5", "appraisal2", 1e30]),
     LAST + ", column points: ", 1),
    ("missing points", _append(["H01", "8.7.5", "appraisal2", None, 0, "ghi chú"]),
     LAST + ", column points: is empty (give points, or 1 in not_applicable)", 1),
    ("survey points on an appraisal leaf", _append(["H01", "8.7.5", "survey", 1]),
     LAST + ", column stage: criterion 8.7.5 is scored by appraisal; survey points are not accepted", 1),
    ("appraisal points on a survey leaf", _append(["H01", "3.5", "appraisal1", 1]),
     LAST + ", column stage: criterion 3.5 is scored by survey; 'appraisal1' points are not accepted", 1),
    ("unknown stage", _append(["H01", "8.7.5", "appraisal3", 1]),
     LAST + ", column stage: unknown stage 'appraisal3'", 1),
    ("duplicated row", _append(["X0102", "7.7.7", "self", 0.5]),
     LAST + ": duplicated row (same unit, criterion and stage as upd.xlsx row 13)", 1),
    ("not applicable where not allowed", _append(["H01", "1.1.2", "appraisal1", None, 1]),
     LAST + ", column not_applicable: criterion 1.1.2 cannot be marked not applicable", 1),
    ("not applicable neither 0 nor 1", _append(["H01", "1.3.2", "appraisal1", 0.5, "có"]),
     LAST + ", column not_applicable: 'có' must be blank, 0 or 1", 1),
    ("empty unit code", _append([None, "8.7.5", "appraisal2", 1]),
     LAST + ", column unit_code: is empty", 1),
    ("known unit with another name", _set("units", 2, 1, "UBND huyện Tây Sơn"),
     "upd.xlsx: sheet units, row 2, column unit_name: unit H01 is in the project as 'UBND huyện Đông Sơn' "
     "(district), not 'UBND huyện Tây Sơn' (district)", 1),
    ("known unit with another kind", _set("units", 3, 2, "district"),
     "upd.xlsx: sheet units, row 3, column unit_kind: unit X0101 is in the project as", 1),
    ("unit kind the set does not cover", _set("units", 5, 2, "district"),
     "upd.xlsx: sheet units, row 5, column unit_kind: criteria set par-commune-2024 has no unit kind "
     "'district'", 1),
    ("unknown criteria set", _set("units", 5, 3, "par-village-2024"),
     "upd.xlsx: sheet units, row 5, column framework_code: the project has no criteria set "
     "'par-village-2024' for 2024; import the set into the project first", 1),
    # a bundled set the project does not hold is not taken silently: the project's own sets only
    ("criteria set not in the project", _set("units", 5, 3, "par-commune-2023"),
     "upd.xlsx: sheet units, row 5, column framework_code: the project has no criteria set "
     "'par-commune-2023' for 2024; import the set into the project first", 1),
    ("unit without a name", _set("units", 5, 1, None),
     "upd.xlsx: sheet units, row 5, column unit_name: is empty", 1),
    ("unit declared twice differently", lambda s: s["units"].append(["X0102", "UBND xã Khác", "commune",
                                                                     "par-commune-2024"]),
     "upd.xlsx: sheet units, row 6, column unit_name: unit X0102 is declared differently in upd.xlsx: sheet "
     "units, row 5", 1),
    ("a year without criteria sets", _meta("year", 2030),
     "upd.xlsx: sheet units, row 2, column framework_code: criteria set par-district-2024: the 2030 "
     "appraisal cannot use a criteria set for 2024", 4),
    ("a year of another set", _meta("year", 2023),
     "upd.xlsx: sheet units, row 2, column framework_code: criteria set par-district-2024: the 2023 "
     "appraisal cannot use a criteria set for 2024", 4),
    ("a year that is not one", _meta("year", "năm 2024"),
     "upd.xlsx: sheet meta, key year: 'năm 2024' is not a year from 2000 to 2100", 1),
    ("an absurd year", _meta("year", 10**20), "upd.xlsx: sheet meta, key year: ", 1),
    # one rule for years with the team packages (fields.check_year): 2000 to 2100
    ("a five-digit year", _meta("year", 99999),
     "upd.xlsx: sheet meta, key year: 99999 is not a year from 2000 to 2100", 1),
    ("a negative year", _meta("year", -1),
     "upd.xlsx: sheet meta, key year: '-1' is not a year from 2000 to 2100", 1),
    ("a year before 2000", _meta("year", 1999),
     "upd.xlsx: sheet meta, key year: 1999 is not a year from 2000 to 2100", 1),
    ("a year after 2100", _meta("year", "2101"),
     "upd.xlsx: sheet meta, key year: 2101 is not a year from 2000 to 2100", 1),
    ("a year with a digit separator", _meta("year", "2_024"),
     "upd.xlsx: sheet meta, key year: '2_024' is not a year from 2000 to 2100", 1),
    # one table of limits with every importer (fields.LIMITS); no control characters (fields.check_text)
    ("a unit name longer than the limit", _set("units", 5, 1, "Ủ" * 453),
     "upd.xlsx: sheet units, row 5, column unit_name: 453 characters, at most 300 allowed", 1),
    ("a unit kind longer than the limit", _set("units", 5, 2, "c" * 33),
     "upd.xlsx: sheet units, row 5, column unit_kind: 33 characters, at most 32 allowed", 1),
    ("a note longer than the limit", _append(["H01", "8.7.5", "appraisal2", 1, None, "n" * 10_001]),
     LAST + ", column note: 10001 characters, at most 10000 allowed", 1),
    ("an escape character in a note", _append(["H01", "8.7.5", "appraisal2", 1, None, "trừ_x001B_[31m"]),
     LAST + ", column note: contains a control character (U+001B) at character 4", 1),
    ("a bell in a unit name", _set("units", 5, 1, "UBND_x0007_ xã"),
     "upd.xlsx: sheet units, row 5, column unit_name: contains a control character (U+0007) at character 5",
     1),
    ("a line break in a unit name", _set("units", 5, 1, "UBND xã\nHòa Bình"),
     "upd.xlsx: sheet units, row 5, column unit_name: contains a control character (U+000A) at character 8",
     1),
    ("a control character in a unit code", _append(["H01_x0008_", "8.7.5", "appraisal2", 1]),
     LAST + ", column unit_code: contains a control character (U+0008) at character 4", None),
    ("unknown format version", _meta("format_version", 2),
     "upd.xlsx: sheet meta, key format_version: unknown format version '2'; this program reads version 1", 1),
    ("no format version", _meta("format_version", None),
     "upd.xlsx: sheet meta, key format_version: unknown format version ''", 1),
    ("another format", _meta("format", "evaluator-framework"),
     "upd.xlsx: sheet meta, key format: expected 'evaluator-consolidated', got 'evaluator-framework'", 1),
    ("missing sheet", _rename_sheet("scores", "Điểm"),
     "upd.xlsx: missing sheet(s) scores; a consolidated workbook has sheets meta, units, scores", 1),
    ("sheet name in another case", _rename_sheet("units", "Units"), "upd.xlsx: missing sheet(s) units", 1),
    ("missing column", _set("scores", 1, 3, None),
     "upd.xlsx: sheet scores, row 1: missing column(s) points", 1),
    ("misspelt column", _set("units", 1, 2, "unit kind"),
     "upd.xlsx: sheet units, row 1: missing column(s) unit_kind", 1),
]


def update_sheets() -> Sheets:
    """A valid second round: one update and a new unit with two scores (rows 13, 14) — what a naive
    importer would write before meeting the bad row."""
    sheets = consolidated(2024, [*UNITS, ["X0102", "UBND xã Hòa Bình (Huyện Đông Sơn)", "commune",
                                          "par-commune-2024"]],
                          [*SCORES, ["X0102", "7.7.7", "self", 0.5], ["X0102", "1.7", "survey", 1]])
    sheets["scores"][2][3] = 1  # H01 8.7.5 appraisal1: 0.75 -> 1
    return sheets


def test_the_update_sheets_alone_are_valid(imported: Path, tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli("import", "--db", imported, write_sheets(tmp_path / "upd.xlsx", update_sheets()))
    assert code == 0, err
    assert "  scores: 2 new, 1 updated, 10 identical" in out.splitlines()


@pytest.mark.parametrize(("mutate", "message", "count"), [r[1:] for r in REJECTIONS],
                         ids=[r[0] for r in REJECTIONS])
def test_each_rejection_names_the_place_and_writes_nothing(imported: Path, tmp_path: Path, run_cli,
                                                           mutate: Callable[[Sheets], None], message: str,
                                                           count: int | None) -> None:
    sheets = update_sheets()
    mutate(sheets)
    book = write_sheets(tmp_path / "upd.xlsx", sheets)
    before = dump_db(imported)
    code, out, err = run_cli("import", "--db", imported, book)
    assert code == 1 and out == ""
    assert err.startswith("error: import refused, nothing was written (")
    assert f"  - {message.format(last=len(sheets.get('scores', ())))}" in err, err
    if count is not None:
        assert err.startswith(f"error: import refused, nothing was written ({count} problem(s)):\n"), err
        assert err.count("\n  - ") == count
    assert "Traceback" not in err
    assert dump_db(imported) == before


@pytest.mark.parametrize("content", [
    b"", b"unit_code;criterion_code\nH01;1.1\n", b"PK\x03\x04" + bytes(200), "Bảng điểm".encode(),
], ids=["empty", "csv text", "broken zip", "utf-8 text"])
def test_a_file_that_is_not_a_workbook(imported: Path, tmp_path: Path, run_cli, content: bytes) -> None:
    book = tmp_path / "bảng điểm.xlsx"
    book.write_bytes(content)
    before = dump_db(imported)
    code, _out, err = run_cli("import", "--db", imported, book)
    assert code == 1
    assert "  - bảng điểm.xlsx: not an Excel workbook (.xlsx) that can be read: " in err
    assert dump_db(imported) == before


def test_a_truncated_workbook_and_a_folder(imported: Path, tmp_path: Path, run_cli) -> None:
    data = write_sheets(tmp_path / "good.xlsx", update_sheets()).read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    (tmp_path / "folder.xlsx").mkdir()
    before = dump_db(imported)
    code, _out, err = run_cli("import", "--db", imported, tmp_path / "good.xlsx", tmp_path / "cut.xlsx",
                              tmp_path / "folder.xlsx")
    assert code == 1
    assert "(2 problem(s))" in err
    assert "  - cut.xlsx: not an Excel workbook (.xlsx) that can be read" in err
    assert "  - folder.xlsx: cannot be read" in err
    assert dump_db(imported) == before


# --- all or nothing ----------------------------------------------------------------------------------
def test_a_bad_last_row_of_the_second_file_writes_nothing_at_all(imported: Path, tmp_path: Path,
                                                                  run_cli) -> None:
    first = write_sheets(tmp_path / "a.xlsx", update_sheets())  # valid: 2 new scores, 1 update, a new unit
    second_sheets = consolidated(2024, [["X0201", "UBND xã Đông Phong", "commune", "par-commune-2024"]],
                                 [["X0201", "7.7.7", "self", 0.5], ["H01", "8.7.5", "appraisal2", 0.25],
                                  ["SO01", "8.7.4", "appraisal2", 0.5], ["SO01", "1.1.2", "self", 5]])
    second = write_sheets(tmp_path / "b.xlsx", second_sheets)
    before = dump_db(imported)
    code, out, err = run_cli("import", "--db", imported, first, second)
    assert code == 1 and out == ""
    assert err == ("error: import refused, nothing was written (1 problem(s)):\n"
                   "  - b.xlsx: sheet scores, row 5, column points: 5.00 is outside [0, 0.5] for "
                   "criterion 1.1.2 (department)\n")
    assert dump_db(imported) == before
    # the service says the same, and the same files without the bad row go in
    with open_project(imported) as project:
        with pytest.raises(UserError, match="nothing was written"):
            import_workbooks(project, [first, second])
        second_sheets["scores"].pop()
        write_sheets(second, second_sheets)
        report = import_workbooks(project, [first, second])
    counts = (report.units_new, report.assessments_new, report.scores_new, report.scores_updated)
    assert counts == (2, 2, 5, 1)
    assert dump_db(imported) != before


def test_problems_in_several_files_are_all_listed(imported: Path, tmp_path: Path, run_cli) -> None:
    a = consolidated(2024, [], [["H01", "8.7.5", "appraisal2", "x"]])
    b = consolidated(2024, [], [["SO01", "8.7.4", "nowhere", 1], ["SO01", "8.7.4", "appraisal2", 0.001]])
    c = consolidated(2024, [], [["H01", "8.7.5", "self", f"{n} điểm"] for n in range(60)])
    files = [write_sheets(tmp_path / f"{name}.xlsx", sheets)
             for name, sheets in (("a", a), ("b", b), ("c", c))]
    before = dump_db(imported)
    code, _out, err = run_cli("import", "--db", imported, *files)
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == "error: import refused, nothing was written (63 problem(s)):"
    assert lines[1].startswith("  - a.xlsx: sheet scores, row 2, column points: 'x' is not a number")
    assert lines[2].startswith("  - b.xlsx: sheet scores, row 2, column stage: unknown stage 'nowhere'")
    assert lines[3] == "  - b.xlsx: sheet scores, row 3, column points: 0.001 has more than two decimals"
    assert lines[4] == "  - c.xlsx: sheet scores, row 2, column points: '0 điểm' is not a number"
    assert len(lines) == 1 + 50 + 1 and lines[-1] == "  - … and 13 more"
    assert dump_db(imported) == before


def test_a_new_unit_declared_differently_in_two_years_is_refused(template: Path, tmp_path: Path,
                                                                 run_cli) -> None:
    db = copy_db(template, tmp_path / "p.db")
    a = write_sheets(tmp_path / "2023.xlsx", consolidated(2023, [["H09", "UBND huyện Chín", "district",
                                                                    "par-district-2023"]],
                                                          [["H09", "8.7.5", "self", 1]]))
    b = write_sheets(tmp_path / "2024.xlsx", consolidated(2024, [["H09", "UBND xã Chín", "commune",
                                                                    "par-commune-2024"]],
                                                          [["H09", "7.7.7", "self", 1]]))
    before = dump_db(db)
    code, _out, err = run_cli("import", "--db", db, a, b)
    assert code == 1
    assert ("  - 2024.xlsx: sheet units, row 2, columns unit_name, unit_kind: unit H09 is declared as "
            "'UBND huyện Chín' (district) in 2023.xlsx: sheet units, row 2") in err
    assert dump_db(db) == before
    # declared the same way: the 2023 set is not in the project (a bundled one is not taken silently)
    b = write_sheets(tmp_path / "2024.xlsx", consolidated(2024, [["H09", "UBND huyện Chín", "district",
                                                                    "par-district-2024"]],
                                                          [["H09", "8.7.5", "self", 0.5]]))
    code, out, err = run_cli("import", "--db", db, a, b)
    assert code == 1
    assert ("  - 2023.xlsx: sheet units, row 2, column framework_code: the project has no criteria set "
            "'par-district-2023' for 2023; import the set into the project first") in err.splitlines()
    assert dump_db(db) == before
    # once the set is imported, the unit is assessed in both years
    from evaluator.frameworks.export import export_framework
    from evaluator.frameworks.registry import find_bundled

    export_framework(find_bundled("par-district-2023"), tmp_path / "d2023.yaml")  # type: ignore[arg-type]
    assert run_cli("framework", "import", "--db", db, tmp_path / "d2023.yaml")[0] == 0
    code, out, err = run_cli("import", "--db", db, a, b)
    assert code == 0, err
    assert "  assessments: 2 new" in out.splitlines()
    with open_project(db) as project, project.session() as s:
        assert sorted(s.scalars(select(Period.year))) == [2023, 2024]
        assert sorted(s.scalars(select(CriteriaSet.code))) == [
            "par-commune-2024", "par-department-2024", "par-district-2023", "par-district-2024"]


# --- into the demo province --------------------------------------------------------------------------
@pytest.mark.slow
def test_an_import_into_the_demo_moves_the_results_by_the_changed_points(demo_copy: Path, tmp_path: Path,
                                                                         run_cli) -> None:
    import json

    def h01() -> dict[str, Any]:
        code, out, _err = run_cli("results", "--db", demo_copy, "--year", 2024, "--kind", "district",
                                  "--format", "json")
        assert code == 0
        return next(u for u in json.loads(out, parse_float=Decimal)["units"] if u["code"] == "H01")

    with open_project(demo_copy) as project, project.session() as s:
        a_id = s.execute(select(Assessment.id).join(Unit).join(Period).where(
            Unit.code == "H01", Period.year == 2024)).scalar_one()
        stages = dict(s.execute(select(Score.stage, Score.points).where(
            Score.assessment_id == a_id, Score.criterion_code == "8.7.5")).all())
        name = s.execute(select(Unit.name).where(Unit.code == "H01")).scalar_one()
    final = next(stages[stage] for stage in reversed(STAGES) if stages.get(stage) is not None)
    new_points = Decimal("0.25") if final != Decimal("0.25") else Decimal("0.75")
    before = h01()
    book = write_sheets(tmp_path / "hđ.xlsx",
                        consolidated(2024, [["H01", name, "district", "par-district-2024"]],
                                     [["H01", "8.7.5", "appraisal2", new_points]]))
    code, _out, err = run_cli("import", "--db", demo_copy, book)
    assert code == 0, err
    after = h01()
    assert after["points"] == before["points"] + new_points - final
    area = {a["code"]: a for a in after["areas"]}["8"]
    area_before = {a["code"]: a for a in before["areas"]}["8"]
    assert area["points"] == area_before["points"] + new_points - final



def test_backups_go_to_one_folder_per_project(tmp_path: Path, backups_dir: Path) -> None:
    from evaluator.models import open_project
    from evaluator.services.backups import backup_before_import

    first, second = tmp_path / "a" / "demo.db", tmp_path / "b" / "demo.db"
    for path in (first, second):
        path.parent.mkdir()
        open_project(path, create=True).close()
    with open_project(first) as p1, open_project(second) as p2:
        made = [backup_before_import(p1), backup_before_import(p1), backup_before_import(p2)]
    assert all(m is not None and m.is_file() and backups_dir in m.parents for m in made)
    assert made[0] != made[1] and made[0].parent == made[1].parent  # same project, same folder
    assert made[2] is not None and made[2].parent != made[0].parent  # same file name, other project
    assert not [p for p in (tmp_path / "a").iterdir() if ".bak-" in p.name]  # nothing beside the project


VIETNAMESE_REJECTIONS: list[tuple[str, Callable[[Sheets], None], list[str]]] = [
    ("scores", lambda s: s["scores"].extend([
        ["H99", "8.7.5", "self", 1], ["H01", "9.9.9", "self", 1], ["H01", "3.2.2", "self", 2],
        ["H01", "8.7.5", "survey", 1], ["H01", "3.5", "appraisal1", 1], ["X0102", "7.7.7", "self", 0.5],
        ["H01", "1.1.2", "appraisal1", None, 1]]),
     ["upd.xlsx: trang tính scores, dòng 15, cột unit_code: không có đơn vị 'H99' (không có trong trang tính "
      "units, cũng không được đánh giá năm 2024 trong dự án)",
      "upd.xlsx: trang tính scores, dòng 16, cột criterion_code: không có tiêu chí '9.9.9' cho UBND cấp "
      "huyện trong bộ tiêu chí par-district-2024@1",
      "upd.xlsx: trang tính scores, dòng 17, cột points: 2.00 nằm ngoài khoảng [0, 0.5] của tiêu chí 3.2.2 "
      "(UBND cấp huyện)",
      "upd.xlsx: trang tính scores, dòng 18, cột stage: tiêu chí 8.7.5 được chấm qua thẩm định; không nhận "
      "điểm điều tra xã hội học",
      "upd.xlsx: trang tính scores, dòng 19, cột stage: tiêu chí 3.5 được chấm qua điều tra xã hội học; "
      "không nhận điểm của vòng Thẩm định vòng 1",
      "upd.xlsx: trang tính scores, dòng 20: dòng trùng (cùng đơn vị, tiêu chí và vòng chấm với upd.xlsx "
      "dòng 13)",
      "upd.xlsx: trang tính scores, dòng 21, cột not_applicable: tiêu chí 1.1.2 không được đánh dấu là không "
      "áp dụng"]),
    ("units", lambda s: (s["units"][1].__setitem__(1, "UBND huyện Tây Sơn"),
                         s["units"].append(["X0102", "UBND xã Khác", "district", "par-commune-2024"])),
     ["upd.xlsx: trang tính units, dòng 2, cột unit_name: đơn vị H01 đã có trong dự án với tên 'UBND huyện "
      "Đông Sơn' (UBND cấp huyện), không phải 'UBND huyện Tây Sơn' (UBND cấp huyện)",
      "upd.xlsx: trang tính units, dòng 6, các cột unit_name, unit_kind: đơn vị X0102 được khai báo khác "
      "ở upd.xlsx: trang tính units, dòng 5"]),
    ("criteria sets", lambda s: (s["units"][4].__setitem__(2, "district"),
                                 s["units"].append(["X0103", "UBND xã Mới", "commune", "par-village-2024"])),
     ["upd.xlsx: trang tính units, dòng 5, cột unit_kind: bộ tiêu chí par-commune-2024 không có loại đơn vị "
      "'district'",
      "upd.xlsx: trang tính units, dòng 6, cột framework_code: dự án chưa có bộ tiêu chí 'par-village-2024' "
      "cho năm 2024; hãy nhập bộ tiêu chí vào dự án trước"]),
]


@pytest.mark.parametrize(("mutate", "lines"), [r[1:] for r in VIETNAMESE_REJECTIONS],
                         ids=[r[0] for r in VIETNAMESE_REJECTIONS])
def test_rejections_and_warnings_speak_vietnamese(imported: Path, tmp_path: Path, run_cli,
                                                  mutate: Callable[[Sheets], None], lines: list[str]) -> None:
    sheets = update_sheets()
    mutate(sheets)
    code, _out, err = run_cli("--lang", "vi", "import", "--db", imported,
                              write_sheets(tmp_path / "upd.xlsx", sheets))
    assert code == 1
    assert [line[4:] for line in err.splitlines() if line.startswith("  - ")] == lines, err


def test_a_warning_speaks_vietnamese(db: Path, tmp_path: Path, run_cli) -> None:
    sheets = consolidated(2024, UNITS[:1], [["H01", "1.1.2", "appraisal1", 0.25]])
    code, out, err = run_cli("--lang", "vi", "import", "--db", db, write_sheets(tmp_path / "hđ.xlsx", sheets))
    assert code == 0, err
    assert ("    - hđ.xlsx: trang tính scores, dòng 2: 0.25 điểm cho 1.1.2 không thể có theo cách tính của "
            "tiêu chí (binary); đã nhập như quyết định của hội đồng") in out.splitlines(), out
