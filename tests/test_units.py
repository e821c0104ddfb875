"""The units a province owns (services/units.py, ``evaluator units``): adding, editing, retiring, the rules
on codes, kinds and parents, audit events, the upgrade of a 0005 project, and ranking groups in results."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import func, select

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Period, Score, Unit, alembic_config, open_project
from evaluator.services.projects import create_project, open_existing
from evaluator.services.results import compute_year
from evaluator.services.units import (
    UnitDetails,
    add_unit,
    edit_unit,
    list_units,
    project_kinds,
    retire_unit,
)
from evaluator.services.users import Actor

ACTOR = Actor("Nguyễn Văn A", "committee", "dev-1")


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    """A new project holding the bundled sets of 2024 and no unit."""
    create_project(tmp_path / "p.db", [2024], name="Thử", province="Tỉnh Thử").close()
    return tmp_path / "p.db"


def _units(db: Path, **kw: Any) -> dict[str, Any]:
    with open_existing(db) as project, project.session() as s:
        return {u.code: u for u in list_units(s, **kw)}


def test_add_list_edit_retire_through_the_cli(empty: Path, run_cli) -> None:
    code, out, err = run_cli("units", "add", "--db", empty, "--code", "H01", "--name", "UBND huyện An Phú",
                             "--kind", "district", "--abbreviation", "UBNDAP", "--head-title", "Chủ tịch",
                             "--short-name", "An Phú", "--year", 2024, "--author", "Trần B")
    assert code == 0, err
    assert run_cli("units", "add", "--db", empty, "--code", "X0101", "--name", "UBND xã Một", "--kind",
                   "commune", "--parent", "H01", "--group", "thí điểm")[0] == 0
    code, out, _ = run_cli("units", "list", "--db", empty, "--format", "json")
    listed = {u["code"]: u for u in json.loads(out)}
    assert listed["H01"] == {"code": "H01", "name": "UBND huyện An Phú", "kind": "district",
                             "short_name": "An Phú", "parent_code": "", "ranking_group": "",
                             "abbreviation": "UBNDAP", "head_title": "Chủ tịch", "retired_at": None,
                             "years": [2024]}
    assert listed["X0101"]["parent_code"] == "H01" and listed["X0101"]["ranking_group"] == "thí điểm"
    assert listed["X0101"]["years"] == []
    code, out, _ = run_cli("units", "list", "--db", empty)
    assert "UBND huyện An Phú" in out and "thí điểm" in out

    # a new code while nothing of the unit left the project: allowed, and its children follow it
    assert run_cli("units", "edit", "--db", empty, "H01", "--code", "H1", "--reason", "mã mới")[0] == 0
    units = _units(empty)
    assert set(units) == {"H1", "X0101"} and units["X0101"].parent_code == "H1"

    assert run_cli("units", "retire", "--db", empty, "X0101")[0] == 0
    assert set(_units(empty)) == {"H1"}
    assert set(_units(empty, include_retired=True)) == {"H1", "X0101"}
    code, out, _ = run_cli("units", "list", "--db", empty, "--all", "--format", "json")
    assert [u["retired_at"] is not None for u in json.loads(out)] == [False, True]
    assert run_cli("units", "retire", "--db", empty, "X0101", "--undo")[0] == 0
    assert set(_units(empty)) == {"H1", "X0101"}

    with open_existing(empty) as project, project.session() as s:
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))]
        a = s.scalars(select(Assessment)).one()
        assert a.status == "self_assessment" and a.unit.code == "H1"
        added = s.scalars(select(AuditEvent).where(AuditEvent.action == "unit.add")).first()
        assert added is not None and added.author == "Trần B" and added.new["abbreviation"] == "UBNDAP"
    assert actions == ["unit.add", "unit.assess", "unit.add", "unit.edit", "unit.retire", "unit.restore"]


def test_every_problem_is_named_and_nothing_written(empty: Path, run_cli) -> None:
    code, _out, err = run_cli("units", "add", "--db", empty, "--code", "X 1", "--name", " ", "--kind", "tỉnh",
                              "--parent", "NOPE", "--abbreviation", "A" * 33, "--head-title", "Giám\x1bđốc")
    assert code == 1
    assert "Unit 'X 1' not saved: 6 problems" in err
    assert "code: the code 'X 1' may hold only unaccented letters" in err
    assert "name: " in err and "kind: the unit kind 'tỉnh' is in none of the project's criteria sets" in err
    assert "parent_code: the project has no parent unit with code NOPE" in err
    assert "abbreviation: " in err and "33" in err and "head_title: " in err
    assert _units(empty, include_retired=True) == {}
    with open_existing(empty) as project, project.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == 0


def test_rules_on_codes_kinds_parents(empty: Path) -> None:
    with open_existing(empty) as project, project.session() as s:
        assert project_kinds(s) == ["department", "district", "commune"]
        add_unit(s, UnitDetails("SO01", "Sở Nội vụ", "department"), actor=ACTOR, year=2024)
        with pytest.raises(UserError, match="already has a unit with code SO01"):
            add_unit(s, UnitDetails("SO01", "Sở khác", "department"), actor=ACTOR)
        with pytest.raises(UserError, match="cannot be its own parent"):
            add_unit(s, UnitDetails("X1", "Xã", "commune", parent_code="X1"), actor=ACTOR)
        with pytest.raises(UserError, match="at most 64 allowed"):
            add_unit(s, UnitDetails("X" * 65, "Xã", "commune"), actor=ACTOR)
        with pytest.raises(UserError, match="kind of unit SO01 cannot change"):
            edit_unit(s, "SO01", {"kind": "district"}, actor=ACTOR)
        with pytest.raises(UserError, match="No field colour"):
            edit_unit(s, "SO01", {"colour": "red"}, actor=ACTOR)
        with pytest.raises(UserError, match="no unit with code NOPE"):
            retire_unit(s, "NOPE", actor=ACTOR)
        with pytest.raises(UserError, match="criteria set"):  # no bundled set of 2031 in the project
            add_unit(s, UnitDetails("SO02", "Sở Tư pháp", "department"), actor=ACTOR, year=2031)
        add_unit(s, UnitDetails("H01", "Huyện", "district"), actor=ACTOR)
        add_unit(s, UnitDetails("X01", "Xã", "commune", parent_code="H01"), actor=ACTOR)
        with pytest.raises(UserError, match="parent_code: the parent unit X01 is itself below H01"):
            edit_unit(s, "H01", {"parent_code": "X01"}, actor=ACTOR)
        with pytest.raises(UserError, match="author: "):
            retire_unit(s, "SO01", actor=Actor("a\x1bb", "committee"))
        retire_unit(s, "SO01", actor=ACTOR)
        with pytest.raises(UserError, match="was retired on"):
            retire_unit(s, "SO01", actor=ACTOR)
        assert edit_unit(s, "SO01", {"name": "Sở Nội vụ"}, actor=ACTOR).empty  # nothing changes


def test_a_project_without_sets_has_no_kinds(tmp_path: Path) -> None:
    project = open_project(tmp_path / "bare.db", create=True)
    try:
        with project.session() as s, pytest.raises(UserError, match="no criteria set yet"):
            add_unit(s, UnitDetails("SO01", "Sở Nội vụ", "department"), actor=ACTOR)
    finally:
        project.close()


def test_code_of_a_scored_unit_is_kept(demo_copy: Path, run_cli) -> None:
    """Codes identify units across laptops: once a unit was scored its data may be in packages."""
    code, _out, err = run_cli("units", "edit", "--db", demo_copy, "SO01", "--code", "SO99")
    assert code == 1 and "the code SO01 cannot change" in err
    assert "SO01" in _units(demo_copy)
    # its other details can change
    assert run_cli("units", "edit", "--db", demo_copy, "SO01", "--abbreviation", "SNV")[0] == 0
    assert _units(demo_copy)["SO01"].abbreviation == "SNV"


@pytest.mark.slow
def test_retired_unit_keeps_its_history_and_leaves_later_rankings(demo_copy: Path) -> None:
    with open_existing(demo_copy) as project, project.session() as s:
        before_2023 = compute_year(s, 2023).to_json()
        scores = s.scalar(select(func.count()).select_from(Score))
        retire_unit(s, "SO01", actor=ACTOR, now=datetime(2024, 7, 1, tzinfo=UTC), reason="sáp nhập")
    with open_existing(demo_copy) as project, project.session() as s:
        assert s.scalar(select(func.count()).select_from(Score)) == scores
        unit = s.scalars(select(Unit).where(Unit.code == "SO01")).one()
        assert {a.period.year for a in unit.assessments} == {2023, 2024}
        r2024 = compute_year(s, 2024).to_json("department")
        assert "SO01" not in {u["code"] for u in r2024["units"]}
        assert sorted(u["rank"] for u in r2024["units"])[0] == 1
        assert r2024["summary"]["department"]["units"] == len(r2024["units"])
        # the year before its retirement is as it was
        assert compute_year(s, 2023).to_json() == before_2023
        assert "SO01" not in {u.code for u in list_units(s)}


@pytest.mark.slow
def test_ranking_groups_are_ranked_and_summarised_apart(demo_db: Path, demo_copy: Path, run_cli) -> None:
    with open_existing(demo_db) as project, project.session() as s:
        plain = compute_year(s, 2024).to_json()
    assert "groups" not in plain and all(u["group"] == "" for u in plain["units"])
    departments = [u for u in plain["units"] if u["kind"] == "department"]
    apart = {departments[0]["code"], departments[5]["code"]}  # the first and the sixth ranked apart
    with open_existing(demo_copy) as project, project.session() as s:
        for code in apart:
            edit_unit(s, code, {"ranking_group": "đặc thù"}, actor=ACTOR)
    with open_existing(demo_copy) as project, project.session() as s:
        data = compute_year(s, 2024).to_json()
    units = {u["code"]: u for u in data["units"] if u["kind"] == "department"}
    special = sorted((u["rank"], c) for c, u in units.items() if c in apart)
    assert [r for r, _c in special] == [1, 2]
    main = [u for c, u in units.items() if c not in apart]
    assert sorted(u["rank"] for u in main)[0] == 1 and len(main) == len(departments) - 2
    assert data["summary"]["department"]["units"] == len(departments) - 2
    assert data["groups"] == {"department": {"đặc thù": data["groups"]["department"]["đặc thù"]}}
    assert data["groups"]["department"]["đặc thù"]["units"] == 2
    assert sum(c["count"] for c in data["groups"]["department"]["đặc thù"]["classes"].values()) == 2
    # other kinds are as they were
    assert data["summary"]["district"] == plain["summary"]["district"]
    assert [u for u in data["units"] if u["kind"] == "commune"] == \
        [u for u in plain["units"] if u["kind"] == "commune"]

    code, out, _ = run_cli("--lang", "vi", "results", "--db", demo_copy, "--year", 2024)
    assert code == 0
    assert "— nhóm đặc thù (2 đơn vị)" in out
    assert f"({len(departments) - 2} đơn vị)" in out
    code, out, _ = run_cli("results", "--db", demo_copy, "--year", 2024, "--format", "csv")
    assert out.splitlines()[0].endswith(",group") and out.count(",đặc thù") == 2


def test_publication_ranks_each_group_in_its_own_section(demo_copy: Path) -> None:
    from evaluator.services.publication_data import publication

    with open_existing(demo_copy) as project, project.session() as s:
        edit_unit(s, "SO02", {"ranking_group": "đặc thù"}, actor=ACTOR)
    with open_existing(demo_copy) as project, project.session() as s:
        pub = publication(s, 2024)
    labels = [sec.label for sec in pub.sections]
    assert labels[:2] == ["Sở, ban, ngành", "Sở, ban, ngành — nhóm đặc thù"]
    special = pub.sections[1]
    assert [r.code for r in special.rows] == ["SO02"] and special.rows[0].rank == 1
    assert "SO02" not in {r.code for r in pub.sections[0].rows}
    data = pub.data()
    assert [c["kind"] for c in data["criteria_sets"]] == ["department", "district", "commune"]
    assert data["groups"]["department"]["đặc thù"]["classes"]
    assert {u["group"] for u in data["units"] if u["code"] == "SO02"} == {"đặc thù"}


def test_a_project_made_at_0005_upgrades_with_its_units(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    project = create_project(path, [2024])
    with project.session() as s:
        add_unit(s, UnitDetails("H01", "UBND huyện A", "district"), actor=ACTOR, year=2024)
        add_unit(s, UnitDetails("X0101", "UBND xã B", "commune", parent_code="H01"), actor=ACTOR)
    project.close()
    command.downgrade(alembic_config(f"sqlite:///{path}"), "0005")
    con = sqlite3.connect(path)
    try:
        columns = {r[1] for r in con.execute("PRAGMA table_info(unit)")}
        assert "ranking_group" not in columns and "retired_at" not in columns
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0005"
    finally:
        con.close()
    with open_existing(path) as project, project.session() as s:
        units = {u.code: u for u in list_units(s)}
        assert set(units) == {"H01", "X0101"}
        assert units["X0101"].parent_code == "H01" and units["H01"].years == (2024,)
        h01 = units["H01"]
        assert (h01.ranking_group, h01.short_name, h01.retired_at) == ("", "", None)
        assert s.scalar(select(func.count()).select_from(Period)) == 1
