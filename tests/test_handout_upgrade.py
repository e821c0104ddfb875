"""A later handout bringing a new version of a criteria set (issue 12): the committee imports the new
version and moves its assessments (``framework upgrade``), hands out again, and the team's laptop copy
follows — its assessments move to the new version the way the committee's did, and the laptop's own
entries the committee has not seen are never silently lost."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import project_fingerprint
from exchange_helpers import YEAR, add_evidence, edit, export, run_import, score_of
from sqlalchemy import select
from test_framework_diff import BUNDLED_VERSION, DEPARTMENT, department_v2

from evaluator.errors import UserError
from evaluator.frameworks.export import export_framework
from evaluator.models import Assessment, AuditEvent, CriteriaSet, Period, Unit, open_project

OLD, NEW = f"{DEPARTMENT}@{BUNDLED_VERSION}", f"{DEPARTMENT}@{BUNDLED_VERSION + 1}"
UNITS = ("SO01", "SO02")


def _sets_of(db: Path) -> dict[str, str]:
    """Unit code → the identity of the set its assessment of ``YEAR`` is on."""
    with open_project(db) as project, project.session() as s:
        rows = s.execute(select(Unit.code, CriteriaSet.code, CriteriaSet.version)
                         .join(Assessment, Assessment.unit_id == Unit.id)
                         .join(Period, Period.id == Assessment.period_id)
                         .join(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)
                         .where(Period.year == YEAR)).all()
    return {unit: f"{code}@{version}" for unit, code, version in rows}


@pytest.fixture
def committee(tmp_path: Path, run_cli) -> Path:
    """A small committee project: two departments of 2024 with a few entries."""
    db = tmp_path / "committee.db"
    code, _out, err = run_cli("init", db, "--year", YEAR, "--name", "Thẩm định 2024",
                              "--province", "Tỉnh An Khánh")
    assert code == 0, err
    for code in UNITS:
        code_, _out, err = run_cli("units", "add", "--db", db, "--code", code, "--name", f"Sở {code}",
                                   "--kind", "department", "--year", YEAR)
        assert code_ == 0, err
    edit(db, "SO01", "1.1.1", {"option": "dung_han"}, "Thư ký")  # unchanged in v2: carried
    edit(db, "SO01", "1.5.2", {"done": True}, "Thư ký")  # its rule changed in v2: cleared
    edit(db, "SO02", "1.1.2", {"done": True}, "Thư ký")  # only its title changed: carried
    edit(db, "SO02", "1.3.2", {"numerator": 3, "denominator": 4}, "Thư ký")  # removed in v2: cleared
    return db


def _upgrade(committee: Path, tmp_path: Path, run_cli) -> None:
    v2 = tmp_path / "department-v2.yaml"
    export_framework(department_v2(), v2)
    code, _out, err = run_cli("framework", "import", "--db", committee, v2)
    assert code == 0, err
    code, _out, err = run_cli("framework", "upgrade", "--db", committee, "--from", OLD, "--to", NEW,
                              "--strategy", "keep")
    assert code == 0, err


def _laptop(committee: Path, tmp_path: Path, run_cli) -> Path:
    handout = tmp_path / "h1.cchc"
    assert run_cli("handout", "--db", committee, "--out", handout, "--team", "Tổ 1")[0] == 0
    lap = tmp_path / "lap.db"
    code, _out, err = run_cli("init", lap, "--from-package", handout)
    assert code == 0, err
    return lap


def test_a_later_handout_with_a_new_set_version_moves_the_laptops_assessments(
        committee: Path, tmp_path: Path, run_cli):
    lap = _laptop(committee, tmp_path, run_cli)
    # the team scores and sends it back; the committee imports it before the new version
    edit(lap, "SO02", "1.1.1", {"option": "cham"}, "Tổ 1")
    assert run_import(committee, [export(lap, tmp_path / "t1.cchc", ["SO02"], "Tổ 1")]).scores_new == 1
    _upgrade(committee, tmp_path, run_cli)
    h2 = tmp_path / "h2.cchc"
    assert run_cli("handout", "--db", committee, "--out", h2, "--team", "Tổ 1")[0] == 0

    # without --accept-sets (and no trusted signature) the new version is not taken, and nothing changes
    before = project_fingerprint(lap)
    code, _out, err = run_cli("import", "--db", lap, h2)
    assert code == 1 and NEW in err and "--accept-sets" in err
    assert project_fingerprint(lap) == before

    code, out, err = run_cli("import", "--db", lap, h2, "--accept-sets", "--dry-run")
    assert code == 0 and "SO01, year 2024: moved from" in out, err
    assert project_fingerprint(lap) == before
    report = run_import(lap, [h2], accept_sets=True)
    assert [(s["code"], s["version"], s["accepted"]) for s in report.new_sets] == [
        (DEPARTMENT, BUNDLED_VERSION + 1, True)]
    assert report.sets_moved == [{"unit": u, "year": YEAR, "old": OLD, "new": NEW} for u in UNITS]
    assert report.summary()["sets_moved"] == report.sets_moved
    assert _sets_of(lap) == dict.fromkeys(UNITS, NEW) == _sets_of(committee)
    for unit, leaf in (("SO01", "1.1.1"), ("SO01", "1.5.2"), ("SO02", "1.1.2"), ("SO02", "1.1.1")):
        assert score_of(lap, unit, leaf)[:3] == score_of(committee, unit, leaf)[:3], (unit, leaf)
    assert score_of(lap, "SO01", "1.5.2")[2] is None  # cleared by the committee's move
    with open_project(lap) as project, project.session() as s:
        moved = s.scalars(select(AuditEvent).where(AuditEvent.action == "handout.set_moved")).all()
        assert len(moved) == 2 and {e.new["criteria_set"] for e in moved} == {NEW}

    # the laptop keeps working on the new version and its package imports at the committee
    edit(lap, "SO01", "1.3.3", {"done": True}, "Tổ 1")  # a leaf only v2 has
    report = run_import(committee, [export(lap, tmp_path / "t2.cchc", ["SO01"], "Tổ 1")])
    assert report.scores_new == 1 and report.conflicts == []
    # the same handout again changes nothing
    assert not run_import(lap, [h2], accept_sets=True).changed


def test_a_laptops_unsent_entries_refuse_the_move_until_exported(committee: Path, tmp_path: Path, run_cli):
    lap = _laptop(committee, tmp_path, run_cli)
    edit(lap, "SO01", "1.1.1", {"option": "cham"}, "Tổ 1")  # typed on the laptop, never sent
    _upgrade(committee, tmp_path, run_cli)
    h2 = tmp_path / "h2.cchc"
    assert run_cli("handout", "--db", committee, "--out", h2, "--team", "Tổ 1")[0] == 0
    before = project_fingerprint(lap)
    with pytest.raises(UserError) as refused:
        run_import(lap, [h2], accept_sets=True)
    english = refused.value.render("en")
    assert "SO01" in english and OLD in english and NEW in english and "export" in english
    assert "SO02" not in english  # nothing typed there: it could move
    vietnamese = refused.value.render("vi")
    assert "SO01" in vietnamese and "--" not in vietnamese
    assert project_fingerprint(lap) == before
    assert score_of(lap, "SO01", "1.1.1")[2] == {"option": "cham"}

    # the way out the message gives: the entries go to the committee in a package, and a new copy starts
    # from the handout on the new version
    package = export(lap, tmp_path / "t.cchc", ["SO01"], "Tổ 1")
    assert package.stat().st_size > 0
    fresh = tmp_path / "fresh.db"
    code, _out, err = run_cli("init", fresh, "--from-package", h2)
    assert code == 0, err
    assert _sets_of(fresh) == dict.fromkeys(UNITS, NEW)


def test_a_laptops_package_on_the_older_version_reaches_the_committee_after_its_upgrade(
        committee: Path, tmp_path: Path, run_cli):
    """The way out above, finished: the laptop's package is on the old version, the committee's
    assessments on the new one. Entries on criteria the new version kept come in (against the committee's
    move they are a conflict, never a silent overwrite); entries on criteria it changed or removed are
    listed, not imported (their value meant something else), and the import says so in both languages."""
    lap = _laptop(committee, tmp_path, run_cli)
    edit(lap, "SO01", "1.1.1", {"option": "cham"}, "Tổ 1")  # kept in v2: comes in
    edit(lap, "SO02", "1.1.1", {"option": "cham"}, "Tổ 1")  # kept, the committee never scored it: new
    edit(lap, "SO01", "1.5.2", {"done": False}, "Tổ 1")  # its rule changed in v2: listed
    edit(lap, "SO02", "1.3.2", {"numerator": 1, "denominator": 4}, "Tổ 1")  # removed in v2: listed
    add_evidence(lap, "SO02", "1.3.2", b"%PDF-1.7 bien ban", "bien-ban.pdf", "Tổ 1")  # listed too
    add_evidence(lap, "SO02", "1.1.1", b"%PDF-1.7 ke hoach", "ke-hoach.pdf", "Tổ 1")  # comes in
    _upgrade(committee, tmp_path, run_cli)
    package = export(lap, tmp_path / "t.cchc", list(UNITS), "Tổ 1")
    dry = run_import(committee, [package], dry_run=True)
    report = run_import(committee, [package])
    assert report.render("en") and dry.warnings == report.warnings
    english = report.render("en")
    assert f"is scored on {OLD} in the package, on {NEW} in the project" in english
    assert "SO01 criterion 1.5.2" in english and "SO02 criterion 1.3.2" in english
    assert "the file bien-ban.pdf" in english and report.evidence_new == 1
    assert "1.1.1" not in " ".join(str(w) for w in report.render("en").splitlines() if "criterion" in w)
    assert "SO01" in report.render("vi") and "phiên bản cũ" in report.render("vi")
    assert _sets_of(committee) == dict.fromkeys(UNITS, NEW)  # the committee's stay on the new version
    assert score_of(committee, "SO02", "1.1.1")[2] == {"option": "cham"}
    assert report.scores_conflicting == 1 and "1.1.1" in " ".join(report.render("en").splitlines())
    assert score_of(committee, "SO01", "1.5.2")[2] is None  # the move cleared it; the laptop's not taken
    # the same package again: nothing new, and the lists are the same (still not imported)
    again = run_import(committee, [package])
    assert again.scores_new == 0


def test_a_team_package_cannot_bring_a_new_version_to_the_committee(committee: Path, tmp_path: Path, run_cli):
    """Only a handout moves a team copy: a package from a laptop never moves the committee's sets."""
    lap = _laptop(committee, tmp_path, run_cli)
    _upgrade(lap, tmp_path, run_cli)
    package = export(lap, tmp_path / "t.cchc", ["SO01"], "Tổ 1")
    before = project_fingerprint(committee)
    with pytest.raises(UserError) as refused:
        run_import(committee, [package], accept_sets=True)
    assert (f"version {BUNDLED_VERSION + 1}; this project uses par-department-2024 version {BUNDLED_VERSION}"
            in refused.value.render("en"))
    assert project_fingerprint(committee) == before


def test_the_upgrades_backup_has_its_own_reason_in_both_languages(committee: Path, tmp_path: Path, run_cli):
    from evaluator.services.backups import list_backups

    _upgrade(committee, tmp_path, run_cli)
    assert [b.reason for b in list_backups(committee)].count("framework-upgrade") == 1
    code, out, err = run_cli("backup", "list", "--db", committee, "--format", "json")
    assert code == 0 and "framework-upgrade" in [b["reason"] for b in json.loads(out)], err
    code, out, err = run_cli("backup", "list", "--db", committee, "--lang", "en")
    assert code == 0 and "Before moving to a new criteria-set version (framework-upgrade)" in out, err
    code, out, err = run_cli("backup", "list", "--db", committee, "--lang", "vi")
    assert code == 0 and "Trước khi chuyển sang phiên bản bộ tiêu chí mới (framework-upgrade)" in out, err
