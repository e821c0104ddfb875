"""Every import result carries the ``Change`` it made (Anki's ``ImportLogWithChanges``): the views refresh
from it, so it names exactly the assessments and leaves written; a preview, or an import that brings
nothing new, changes nothing and says so."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from exchange_helpers import team_packages
from sqlalchemy import select
from survey_helpers import GOOD, indices, workbook

from evaluator.models import Assessment, Period, Unit, open_project
from evaluator.services.changes import Change
from evaluator.services.external_import import import_external
from evaluator.services.imports import import_files, import_sheet
from evaluator.services.survey_import import import_survey

YEAR = 2024


def ids(db: Path, *codes: str, year: int = YEAR) -> dict[str, uuid.UUID]:
    with open_project(db) as project, project.session() as s:
        rows = s.execute(
            select(Unit.code, Assessment.id)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
            .where(Period.year == year)
        ).all()
    found = {code: a_id for code, a_id in rows}
    return {c: found[c] for c in codes} if codes else found


def test_a_survey_import_carries_the_leaves_it_wrote(demo_copy: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "survey.xlsx", GOOD)
    a = ids(demo_copy, "H01", "H02")
    with open_project(demo_copy) as project:
        preview = import_survey(project, book, year=YEAR, dry_run=True)
        assert preview.change == Change() and preview.change.empty
        report = import_sheet(project, "survey", [book], year=YEAR, stage="appraisal1", author="Thư ký")
        assert report.change.leaves == {(a["H01"], "1.8"), (a["H02"], "8.2")}
        assert report.change.assessments == {a["H01"], a["H02"]}
        assert report.change.audit and report.change.years == {YEAR} and not report.change.units
        again = import_survey(project, book, year=YEAR, author="Thư ký")  # nothing new
        assert again.change.empty


def test_an_external_import_carries_the_leaves_it_wrote(demo_copy: Path, tmp_path: Path) -> None:
    book = indices(tmp_path / "indices.xlsx", [["H01", "sipas", 85, ""], ["SO01", "sipas", "90,5", ""]])
    a = ids(demo_copy, "H01", "SO01")
    with open_project(demo_copy) as project:
        assert import_external(project, book, year=YEAR, dry_run=True).change.empty
        report = import_external(project, book, year=YEAR, author="Thư ký")
    written = {r.unit for r in report.rows if r.status != "identical"}
    assert written and {a_id for a_id, _leaf in report.change.leaves} == {a[u] for u in written}
    assert report.change.assessments == {a[u] for u in written}
    assert {leaf for _a, leaf in report.change.leaves} == {r.leaf for r in report.rows}
    assert report.change.audit and report.change.years == {YEAR}


def test_a_workbook_import_carries_what_it_wrote(demo_copy: Path, tmp_path: Path) -> None:
    from workbook_helpers import write_workbook

    units = [["SO01", "Sở Nội vụ", "department", "par-department-2024"],
             ["SO99", "Sở Mới", "department", "par-department-2024"]]
    book = write_workbook(tmp_path / "SO01.xlsx", units=units,
                          scores=[["SO01", "1.3.2", "self", 0.5, 0, "Có phát sinh"]])
    with open_project(demo_copy) as project:
        assert import_files(project, [book], dry_run=True).change.empty
        report = import_files(project, [book], author="Thư ký")
    a = ids(demo_copy, "SO01", "SO99")
    assert report.units_new == 1 and report.assessments_new == 1
    change = report.change
    assert change.leaves == {(a["SO01"], "1.3.2")} and change.assessments == {a["SO01"], a["SO99"]}
    assert change.units and change.audit and change.years == {YEAR}


def test_a_package_import_carries_its_change(demo_db: Path, tmp_path: Path) -> None:
    committee, files = team_packages(demo_db, tmp_path)
    with open_project(committee) as project:
        preview: Any = import_files(project, files, dry_run=True)
        assert preview.changed and preview.change.empty
        report = import_files(project, files, author="Thư ký")
        with project.session() as s:  # every assessment of the packages' years (all when it names none)
            query = select(Assessment.id).join(Period, Period.id == Assessment.period_id)
            every = set(s.scalars(query.where(Period.year.in_(report.years)) if report.years else query))
        assert every and report.change.assessments == every
        assert report.change.units and report.change.audit and report.change.years == report.years
        assert import_files(project, files, author="Thư ký").change.empty  # nothing new the second time
