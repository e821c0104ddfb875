"""Incremental team packages (issue 17): ``export --since-last`` writes only what is new and names the
packages it builds on; the committee refuses it until it has them; carried-evidence confirmations travel."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path

import pytest
from exchange_helpers import YEAR, add_evidence, copy, edit, run_import, state
from project_helpers import copy_project
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.exchange import open_package
from evaluator.models import Assessment, AuditEvent, Evidence, PackageExport, Period, open_project
from evaluator.services import evidence as evidence_service
from evaluator.services.exchange import export_package, this_device

pytestmark = pytest.mark.slow  # each exports and imports the whole demo project (20–40 s)


def export_since(db: Path, out: Path, **kw: object):
    with open_project(db) as project:
        return export_package(project, out, years=[YEAR], author="Tổ 1", since_last=True, **kw)


def data_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("data.json"))


def manifest_of(path: Path) -> dict:
    with open_package(path) as p:
        return p.manifest


@pytest.fixture
def day(demo_db: Path, tmp_path: Path) -> dict[str, Path]:
    """A team that sent its first package, then worked a day: a score and a file more."""
    team = copy(demo_db, tmp_path, "team")
    committee = copy(demo_db, tmp_path, "committee")
    first = export_since(team, tmp_path / "first.cchc")
    assert first.first_full and not first.builds_on
    assert "has exported no package yet: a full package was written" in first.render("en")
    edit(team, "SO01", "1.1.1", {"option": "cham"}, "Tổ 1")
    add_evidence(team, "SO01", "1.1.2", "biên bản họp ngày 2".encode(), "bien-ban-2.txt", "Tổ 1")
    second = export_since(team, tmp_path / "second.cchc")
    return {"team": team, "committee": committee, "first": first.path, "second": second.path,
            "tmp": tmp_path}


def test_incremental_carries_only_what_is_new_and_names_its_predecessor(day: dict[str, Path]) -> None:
    full, inc = data_of(day["first"]), data_of(day["second"])
    assert len(inc["scores"]) == 1 and len(inc["scores"][0]["revisions"]) == 1
    assert [e["file_name"] for e in inc["evidence"]] == ["bien-ban-2.txt"]
    assert len(full["scores"]) > 50 and len(full["evidence"]) > len(inc["evidence"])
    first_id = manifest_of(day["first"])["package_id"]
    builds_on = manifest_of(day["second"])["builds_on"]
    assert [p["package_id"] for p in builds_on] == [first_id]
    assert builds_on[0]["file_name"] == "first.cchc" and builds_on[0]["author"] == "Tổ 1"
    assert day["second"].stat().st_size < day["first"].stat().st_size / 5
    with zipfile.ZipFile(day["second"]) as zf:
        assert len([n for n in zf.namelist() if n.startswith("evidence/")]) == 1
    with open_project(day["team"]) as project, project.session() as s:
        rows = s.scalars(select(PackageExport).order_by(PackageExport.created_at)).all()
        assert [r.full for r in rows] == [True, False]


def test_nothing_new_writes_nothing(day: dict[str, Path]) -> None:
    with pytest.raises(UserError) as err:
        export_since(day["team"], day["tmp"] / "third.cchc")
    assert "Nothing new since package second.cchc" in err.value.render("en")
    assert not (day["tmp"] / "third.cchc").exists()


def test_committee_refuses_an_increment_before_its_predecessor(day: dict[str, Path]) -> None:
    committee = day["committee"]
    before = state(committee)
    for dry in (True, False):
        with pytest.raises(UserError) as err:
            run_import(committee, [day["second"]], dry_run=dry)
        text = err.value.render("en")
        assert "second.cchc" in text and "first.cchc" in text
        assert manifest_of(day["first"])["package_id"] in text and "Tổ 1" in text
        vi = err.value.render("vi")
        assert "chưa nhập" in vi
    assert state(committee) == before
    run_import(committee, [day["first"]])
    preview = run_import(committee, [day["second"]], dry_run=True)
    assert preview.revisions_new == 1 and preview.evidence_new == 1
    report = run_import(committee, [day["second"]])
    assert report.revisions_new == 1 and report.evidence_new == 1
    again = run_import(committee, [day["second"]])
    assert not again.changed and again.already_imported == ["second.cchc"]
    assert state(committee)["evidence"] == state(day["team"])["evidence"]


def test_predecessor_in_the_same_run_and_full_after_increments(day: dict[str, Path]) -> None:
    committee = day["committee"]
    report = run_import(committee, [day["second"], day["first"]])
    assert report.revisions_new >= 1
    # a full package later (not --since-last): no predecessors, taken as ever; a chain starts again after it
    with open_project(day["team"]) as project:
        full = export_package(project, day["tmp"] / "full.cchc", author="Tổ 1")
    assert "builds_on" not in manifest_of(full.path)
    edit(day["team"], "SO01", "1.1.1", {"option": "khong"}, "Tổ 1")
    third = export_since(day["team"], day["tmp"] / "third.cchc")
    assert [p["file_name"] for p in manifest_of(third.path)["builds_on"]] == ["full.cchc"]
    other = copy(Path(day["committee"]), day["tmp"], "other")  # a committee that only gets these two
    with pytest.raises(UserError):
        run_import(other, [third.path])
    run_import(other, [full.path])
    assert run_import(other, [third.path]).revisions_new == 1


def test_handout_is_never_incremental(day: dict[str, Path]) -> None:
    from evaluator.services.exchange.export import Handout

    with open_project(day["committee"]) as project, pytest.raises(UserError) as err:
        export_package(project, day["tmp"] / "h.cchc", handout=Handout("", {}), since_last=True)
    assert "handout" in err.value.render("en").lower()


# --- carried evidence confirmed on a team laptop ------------------------------------------------------
@pytest.fixture
def carried(demo_db: Path, tmp_path: Path) -> dict[str, object]:
    """Team and committee copies in which one file of SO01 was carried from last year, not yet confirmed."""
    base = copy(demo_db, tmp_path, "base")
    with open_project(base) as project, project.session() as s:
        row = s.scalars(select(Evidence).join(Assessment, Assessment.id == Evidence.assessment_id)
                        .join(Period, Period.id == Assessment.period_id).where(Period.year == YEAR)
                        .order_by(Evidence.id)).first()
        assert row is not None
        row.carried_from, row.carry_pending = YEAR - 1, True
        ev_id = row.id
    team = copy_project(base, tmp_path / "team.db")
    committee = copy_project(base, tmp_path / "committee.db")
    return {"team": team, "committee": committee, "id": ev_id, "tmp": tmp_path}


def confirm(db: Path, ev_id: uuid.UUID) -> None:
    with open_project(db) as project:
        device = this_device(project)
        with project.session() as s:
            evidence_service.confirm_evidence(s, ev_id, author="Tổ 1", device_id=device)


def pending(db: Path, ev_id: uuid.UUID) -> bool | None:
    with open_project(db) as project, project.session() as s:
        row = s.get(Evidence, ev_id)
        return None if row is None else row.carry_pending


def test_confirmation_travels_in_an_incremental_package(carried: dict) -> None:
    team, committee, ev_id, tmp = carried["team"], carried["committee"], carried["id"], carried["tmp"]
    with open_project(team) as project:
        first = export_package(project, tmp / "first.cchc", author="Tổ 1", since_last=True)
    assert first.confirmations == 0
    run_import(committee, [first.path])
    confirm(team, ev_id)
    second = export_since(team, tmp / "second.cchc")
    data = data_of(second.path)
    assert [c["evidence_id"] for c in data["confirmations"]] == [str(ev_id)] and not data["evidence"]
    preview = run_import(committee, [second.path], dry_run=True)
    assert preview.confirmations == 1 and pending(committee, ev_id) is True
    report = run_import(committee, [second.path])
    assert report.confirmations == 1 and pending(committee, ev_id) is False
    assert any("confirmed for this year" in line for line in report.summary()["changes"]) or report.changes
    with open_project(committee) as project, project.session() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.confirm")).all()
        assert [e.author for e in events] == ["Tổ 1"]
    assert not run_import(committee, [second.path]).changed


def test_confirmation_of_evidence_the_committee_removed_is_said(carried: dict) -> None:
    team, committee, ev_id, tmp = carried["team"], carried["committee"], carried["id"], carried["tmp"]
    confirm(team, ev_id)
    with open_project(committee) as project, project.session() as s:
        evidence_service.remove(s, ev_id, author="Thư ký", reason="không phù hợp")
    with open_project(team) as project:
        full = export_package(project, tmp / "full.cchc", author="Tổ 1")
    assert full.confirmations == 1
    report = run_import(committee, [full.path])
    assert pending(committee, ev_id) is None  # not attached again
    text = report.render("en")
    assert "the committee removed it" in text and "Thư ký" in text
    assert report.summary()["confirm_removed"]
