"""Copies for the teams (issue 12): the committee hands its project out (``evaluator handout``), each
team's laptop starts from its handout (``evaluator init --from-package``), scores and sends its package
back, and the committee imports it without the "belongs to another project" refusal; later handouts
update the laptop's copy."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from conftest import PKI_PASSWORD, project_fingerprint
from exchange_helpers import YEAR, copy, edit, export, run_import, score_of
from package_helpers import entries_of, rehashed, with_manifest, write_zip
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, CriteriaSet, Period, ProjectInfo, Unit, open_project
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.handout import ACTION_COPY, create_from_handout, export_handout, team_copy
from evaluator.services.report_setup import report_setup, set_report_setup

SETUP = {
    "place": "Nha Trang",
    "council": [{"name": "Nguyễn Văn An", "position": "Giám đốc Sở Nội vụ", "role": "Chủ tịch Hội đồng"}],
    "representatives": {"SO01": [{"name": "Trần Thị Bình", "position": "Phó Giám đốc"}],
                        "H01": [{"name": "Lê Văn Cường", "position": "Chủ tịch UBND"}]},
    "conclusions": {"SO01": "Đạt yêu cầu", "H01": "Cần bổ sung tài liệu"},
    "meetings": {"SO01": {"start": "2025-01-10 08:00"}, "H01": {"start": "2025-01-11 14:00"}},
}


def _set_setup(db: Path, setup: dict[str, Any]) -> None:
    with open_project(db) as project, project.session(write=True) as s:
        set_report_setup(s, setup, author="Thư ký hội đồng")


def _units(db: Path) -> list[str]:
    with open_project(db) as project, project.session() as s:
        return sorted(s.scalars(select(Unit.code)))


def _project_id(db: Path) -> uuid.UUID:
    with open_project(db) as project:
        return project.info().id


def _new_unit(db: Path, code: str) -> None:
    with open_project(db) as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code=code, name="Sở mới thành lập", kind="department")
        s.add(unit)
        s.flush()
        s.add(Assessment(unit_id=unit.id, period_id=period.id,
                         criteria_set_id=framework_for_kind(s, YEAR, "department").id))


@pytest.fixture
def committee(demo_db: Path, tmp_path: Path) -> Path:
    db = copy(demo_db, tmp_path, "committee")
    _set_setup(db, SETUP)
    return db


@pytest.mark.slow
def test_two_teams_from_handouts_to_the_committee_and_back(
    committee: Path, tmp_path: Path, run_cli, exchange_pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
):
    h1, h2 = tmp_path / "to-1.cchc", tmp_path / "to-2.cchc"
    code, out, err = run_cli("handout", "--db", committee, "--out", h1, "--year", YEAR, "--unit", "SO01",
                             "SO02", "--team", "Tổ 1")
    assert code == 0, err
    assert "Handout for team Tổ 1 written" in out
    monkeypatch.setenv("P12_PASSWORD", PKI_PASSWORD)
    code, out, err = run_cli("handout", "--db", committee, "--out", h2, "--unit", "H01", "H02", "--team",
                             "Tổ 2", "--p12", exchange_pki["p12"], "--password-env", "P12_PASSWORD",
                             "--format", "json")
    assert code == 0, err
    assert json.loads(out)["signed_by"] == "CN=Tổ thẩm định số 1,C=VN"
    manifest = json.loads(entries_of(h1)["manifest.json"])
    assert (manifest["purpose"], manifest["team"]) == ("handout", "Tổ 1")

    lap1, lap2 = tmp_path / "lap1.db", tmp_path / "lap2.db"
    for lap, handout in ((lap1, h1), (lap2, h2)):
        code, out, err = run_cli("init", lap, "--from-package", handout)
        assert code == 0, err
        assert "created from" in out
    # the committee's project id, its units for that team only, its sets and what it had scored
    assert _project_id(lap1) == _project_id(lap2) == _project_id(committee)
    assert _units(lap1) == ["SO01", "SO02"] and _units(lap2) == ["H01", "H02"]
    assert score_of(lap1, "SO01", "1.1.2") == score_of(committee, "SO01", "1.1.2")
    with open_project(lap1) as project, project.session() as s:
        assert team_copy(project)["team"] == "Tổ 1"
        info = s.scalars(select(ProjectInfo)).one()
        assert (info.province, info.name) == ("Tỉnh An Khánh", project_name(committee))
        assert {c.code for c in s.scalars(select(CriteriaSet))} >= {"par-department-2024"}
        setup = report_setup(s)
        assert setup["council"] == SETUP["council"] and setup["place"] == "Nha Trang"
        # the per-unit parts of the other team's units stay at the committee
        assert set(setup["representatives"]) == {"SO01"} and set(setup["conclusions"]) == {"SO01"}
        assert set(setup["meetings"]) == {"SO01"}
        assert s.scalars(select(AuditEvent).where(AuditEvent.action == ACTION_COPY)).one()

    # each team scores and sends its package back: no "belongs to another project" refusal
    edit(lap1, "SO01", "1.1.2", {"done": False}, "Tổ 1")
    edit(lap2, "H01", "1.1.1", {"option": "cham"}, "Tổ 2")
    p1 = export(lap1, tmp_path / "t1.cchc", ["SO01"], "Tổ 1")
    p2 = export(lap2, tmp_path / "t2.cchc", ["H01"], "Tổ 2")
    report = run_import(committee, [p1, p2])
    assert report.new_sets == [] and report.scores_updated == 2 and report.units_new == 0
    assert score_of(committee, "SO01", "1.1.2")[:3] == score_of(lap1, "SO01", "1.1.2")[:3]
    assert score_of(committee, "H01", "1.1.1", "self")[2] == {"option": "cham"}
    # the committee's document settings are its own: nothing in a package rewrites them
    with open_project(committee) as project, project.session() as s:
        assert report_setup(s)["representatives"].keys() == {"SO01", "H01"}

    # a later handout: a new unit and new document settings reach the laptop's copy
    _new_unit(committee, "SO30")
    _set_setup(committee, {**SETUP, "place": "Cam Ranh"})
    h1b = tmp_path / "to-1b.cchc"
    assert run_cli("handout", "--db", committee, "--out", h1b, "--year", YEAR, "--unit", "SO01", "SO02",
                   "SO30", "--team", "Tổ 1")[0] == 0
    code, out, err = run_cli("import", "--db", lap1, h1b)
    assert code == 0, err
    assert "The committee's settings replace the copy's: reports" in out
    assert _units(lap1) == ["SO01", "SO02", "SO30"]
    assert score_of(lap1, "SO01", "1.1.2")[:3] == score_of(committee, "SO01", "1.1.2")[:3]  # the team's own
    with open_project(lap1) as project, project.session() as s:
        assert report_setup(s)["place"] == "Cam Ranh"


def project_name(db: Path) -> str:
    with open_project(db) as project:
        return project.info().name


def test_a_refused_handout_leaves_no_project_behind(committee: Path, tmp_path: Path, run_cli):
    handout = tmp_path / "h.cchc"
    with open_project(committee) as project:
        export_handout(project, handout, years=[YEAR], units=["SO03"], team="Tổ 3")

    def bad_score(entries: dict[str, bytes]) -> dict[str, bytes]:
        data = json.loads(entries["data.json"])
        data["scores"][0]["stage"] = "không có"
        return rehashed({**entries, "data.json": json.dumps(data).encode()})

    broken = write_zip(tmp_path / "broken.cchc", bad_score(entries_of(handout)))
    lap = tmp_path / "lap.db"
    code, _out, err = run_cli("init", lap, "--from-package", broken)
    assert code == 1 and "unknown stage" in err
    assert not lap.exists() and not lap.with_suffix(".evidence").exists()
    assert not list(tmp_path.glob("lap.db*"))

    # a team's package is not a handout
    team = copy(committee, tmp_path, "team")
    package = export(team, tmp_path / "team.cchc", ["SO03"], "Tổ 3")
    code, _out, err = run_cli("init", lap, "--from-package", package)
    assert code == 1 and "not a committee's handout" in err and not lap.exists()
    # an existing project is never overwritten
    code, _out, err = run_cli("init", team, "--from-package", handout)
    assert code == 1 and "already exists" in err
    # --from-package takes its years and sets from the package
    with pytest.raises(SystemExit) as exit_:
        run_cli("init", lap, "--from-package", handout, "--year", YEAR)
    assert exit_.value.code == 2


def test_another_projects_package_says_how_to_start_a_copy(committee: Path, tmp_path: Path):
    laptop = copy(committee, tmp_path, "laptop")
    con = sqlite3.connect(laptop)
    with con:
        con.execute("UPDATE project SET id = ?", (uuid.uuid4().hex,))
    con.close()
    edit(laptop, "SO01", "1.7", {"done": True}, "Tổ 1")
    package = export(laptop, tmp_path / "p.cchc", ["SO01"], "Tổ 1")
    before = project_fingerprint(committee)
    with pytest.raises(UserError) as err:
        run_import(committee, [package])
    assert "belongs to project" in err.value.render("en") and "handout" in err.value.render("en")
    vietnamese = err.value.render("vi")
    assert "Mở bản giao việc" in vietnamese and "--" not in vietnamese
    assert project_fingerprint(committee) == before


def test_the_committee_ignores_a_handouts_settings(committee: Path, tmp_path: Path):
    """A package marked as a handout cannot rewrite the committee's council: only a team copy takes
    document settings from a handout."""
    other = copy(committee, tmp_path, "other")
    _set_setup(other, {**SETUP, "place": "Nơi khác", "council": []})
    _new_unit(other, "SO31")
    handout = tmp_path / "h.cchc"
    with open_project(other) as project:
        export_handout(project, handout, units=["SO31"])
    report = run_import(committee, [handout])
    assert report.units_new == 1 and report.settings_replaced == []
    assert any("not a team's copy" in w.render("en") for w in report.warnings)
    with open_project(committee) as project, project.session() as s:
        assert report_setup(s)["place"] == "Nha Trang" and report_setup(s)["council"] == SETUP["council"]


def test_handout_requests_are_checked(committee: Path, tmp_path: Path):
    with open_project(committee) as project:
        with pytest.raises(UserError, match="no unit SO77"):
            export_handout(project, tmp_path / "h.cchc", units=["SO01", "SO77"])
        with pytest.raises(UserError, match="no period for 2030"):
            export_handout(project, tmp_path / "h.cchc", years=[2030])
        with pytest.raises(UserError, match="Team name"):
            export_handout(project, tmp_path / "h.cchc", team="Tổ\x1b1")
    assert not (tmp_path / "h.cchc").exists()


def test_a_handout_without_scores_starts_a_copy(tmp_path: Path):
    """A committee that has just set up its year: units, no assessments yet."""
    from evaluator.services.projects import create_project

    db = tmp_path / "new.db"
    with create_project(db, [YEAR], name="Sở Nội vụ", province="Tỉnh Thử") as project, \
            project.session() as s:
        s.add(Unit(code="SO01", name="Sở Tư pháp", kind="department"))
    with open_project(db) as project:
        export_handout(project, tmp_path / "h.cchc", team="Tổ 1")
    made = create_from_handout(tmp_path / "lap.db", tmp_path / "h.cchc", author="Tổ 1")
    assert made.team == "Tổ 1" and made.report.units_new == 1
    with open_project(tmp_path / "lap.db") as project, project.session() as s:
        assert project.info().province == "Tỉnh Thử"
        assert s.scalars(select(Period.year)).all() == [YEAR]
        assert {c.code for c in s.scalars(select(CriteriaSet))} == {
            "par-department-2024", "par-district-2024", "par-commune-2024"}


@pytest.mark.parametrize("key", ["project_id", "package_id"])
def test_a_manifest_id_that_is_a_number_is_refused(committee: Path, tmp_path: Path, key: str):
    """A 32-digit number passed the manifest's UUID check (``str()`` of it is a UUID) and then broke the
    import with a traceback."""
    handout = tmp_path / "h.cchc"
    with open_project(committee) as project:
        export_handout(project, handout, units=["SO03"])
    number = 12345678901234567890123456789012  # str() of it is a UUID's 32 digits
    bad = write_zip(tmp_path / "n.cchc", rehashed(with_manifest(entries_of(handout),
                                                               lambda m: m.update({key: number}))))
    before = project_fingerprint(committee)
    with pytest.raises(UserError, match=f"{key}"):
        run_import(committee, [bad])
    assert project_fingerprint(committee) == before
    with pytest.raises(UserError, match=f"{key}"):
        create_from_handout(tmp_path / "lap.db", bad)
    assert not list(tmp_path.glob("lap.db*"))


def test_a_later_handout_with_settings_the_copy_cannot_hold_is_refused(committee: Path, tmp_path: Path):
    handout = tmp_path / "h.cchc"
    with open_project(committee) as project:
        export_handout(project, handout, years=[YEAR], units=["SO01"], team="Tổ 1")
    lap = tmp_path / "lap.db"
    create_from_handout(lap, handout)

    def unknown_unit(entries: dict[str, bytes]) -> dict[str, bytes]:
        data = json.loads(entries["data.json"])
        data["settings"]["reports"]["representatives"]["SO77"] = [{"name": "Người lạ"}]
        return rehashed({**entries, "data.json": json.dumps(data).encode()})

    bad = write_zip(tmp_path / "later.cchc", unknown_unit(entries_of(handout)))
    before = project_fingerprint(lap)
    for dry_run in (True, False):  # the preview names the problem too
        with pytest.raises(UserError) as err:
            run_import(lap, [bad], dry_run=dry_run)
        assert "later.cchc: the committee's document settings" in err.value.render("en")
        assert "SO77" in err.value.render("en")
    assert project_fingerprint(lap) == before
