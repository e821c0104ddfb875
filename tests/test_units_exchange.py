"""Team packages carry a unit's details (short name, ranking group, abbreviation, head's title, retirement):
a unit added on a laptop arrives at the committee with them; a package made before they existed still
imports, its units with no details; a package whose details break the field rules is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchange_helpers import copy, export, run_import
from package_helpers import entries_of, rehashed, write_zip
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Unit, open_project
from evaluator.services.units import UnitDetails, add_unit
from evaluator.services.users import Actor

DETAILS = UnitDetails("SO99", "Sở Khoa học và Công nghệ", "department", short_name="KH&CN",
                      ranking_group="đặc thù", abbreviation="SKHCN", head_title="Giám đốc")


@pytest.fixture
def package(demo_db: Path, tmp_path: Path) -> Path:
    laptop = copy(demo_db, tmp_path, "laptop")
    with open_project(laptop) as project, project.session() as s:
        add_unit(s, DETAILS, actor=Actor("Tổ 1", "leader", "laptop-1"), year=2024)
    return export(laptop, tmp_path / "to1.cchc", ["SO99"], "Tổ 1")


def _unit(db: Path) -> Unit:
    with open_project(db) as project, project.session() as s:
        return s.scalars(select(Unit).where(Unit.code == "SO99")).one()


def test_a_new_unit_arrives_with_its_details(demo_db: Path, package: Path, tmp_path: Path) -> None:
    data = json.loads(entries_of(package)["data.json"])
    [u] = data["units"]
    assert (u["short_name"], u["ranking_group"], u["abbreviation"], u["head_title"], u["retired_at"]) == (
        "KH&CN", "đặc thù", "SKHCN", "Giám đốc", None)
    committee = copy(demo_db, tmp_path, "committee")
    report = run_import(committee, [package])
    assert report.units_new == 1
    unit = _unit(committee)
    assert (unit.short_name, unit.ranking_group, unit.abbreviation, unit.head_title, unit.retired_at) == (
        "KH&CN", "đặc thù", "SKHCN", "Giám đốc", None)


def test_a_package_without_the_details_still_imports(demo_db: Path, package: Path, tmp_path: Path) -> None:
    entries = entries_of(package)
    data = json.loads(entries["data.json"])
    for u in data["units"]:
        for name in ("short_name", "ranking_group", "abbreviation", "head_title", "retired_at"):
            del u[name]
    old = write_zip(tmp_path / "old.cchc", rehashed({**entries, "data.json": json.dumps(data).encode()}))
    committee = copy(demo_db, tmp_path, "committee")
    assert run_import(committee, [old]).units_new == 1
    unit = _unit(committee)
    assert (unit.name, unit.short_name, unit.ranking_group, unit.abbreviation, unit.head_title) == (
        DETAILS.name, "", "", "", "")


def test_details_breaking_the_field_rules_are_refused(demo_db: Path, package: Path, tmp_path: Path) -> None:
    entries = entries_of(package)
    data = json.loads(entries["data.json"])
    data["units"][0]["abbreviation"] = "S" * 33
    data["units"][0]["retired_at"] = "2024-13-01"
    bad = write_zip(tmp_path / "bad.cchc", rehashed({**entries, "data.json": json.dumps(data).encode()}))
    committee = copy(demo_db, tmp_path, "committee")
    with pytest.raises(UserError) as caught:
        run_import(committee, [bad])
    assert "units[0].abbreviation" in caught.value.render("en")
    with open_project(committee) as project, project.session() as s:
        assert s.scalars(select(Unit).where(Unit.code == "SO99")).first() is None
