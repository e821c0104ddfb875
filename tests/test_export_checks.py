"""A team package is only written when a project can import it: values stored by an older version (an
over-long unit name, a control character in a note) are named at export, and no file is written."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import copy_project

from evaluator.errors import UserError
from evaluator.models import open_project
from evaluator.services.exchange import export_package, import_packages


def _sql(db: Path, statement: str) -> None:
    con = sqlite3.connect(db)
    con.execute(statement)
    con.commit()
    con.close()


@pytest.mark.parametrize(
    ("statement", "named"),
    [
        ("UPDATE unit SET name = printf('%.453c', 'x') WHERE code = 'H01'", "(unit H01)"),
        ("UPDATE score_revision SET note = 'trừ' || char(27) || ' điểm' WHERE id = (SELECT r.id FROM "
         "score_revision r JOIN score s ON s.id = r.score_id JOIN assessment a ON a.id = s.assessment_id "
         "JOIN unit u ON u.id = a.unit_id JOIN period p ON p.id = a.period_id "
         "WHERE u.code = 'H01' AND p.year = 2024 LIMIT 1)", "U+001B"),
    ],
)
def test_export_refuses_what_no_project_could_import(demo_copy: Path, tmp_path: Path, statement: str,
                                                     named: str) -> None:
    _sql(demo_copy, statement)
    out = tmp_path / "h01.cchc"
    with open_project(demo_copy) as project, pytest.raises(UserError) as refused:
        export_package(project, out, years=[2024], units=["H01"])
    assert "cannot export: data.json: " in str(refused.value) and named in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "demo.evidence"]  # no package, no temp


def test_what_export_writes_imports(demo_db: Path, tmp_path: Path) -> None:
    team = copy_project(demo_db, tmp_path / "team.db")
    committee = copy_project(demo_db, tmp_path / "committee.db")
    out = tmp_path / "all.cchc"
    with open_project(team) as project:
        export_package(project, out, years=[2024], units=["H01", "SO01"])
    with open_project(committee) as project:
        import_packages(project, [out], dry_run=True)
