"""Merging a unit created on two laptops (same code, another UUID) into the project's unit: with
``merge_duplicates`` its records merge by natural key (identical values stay one value, differing ones
become conflicts); a real import remembers the merge (``unit_alias``) so later packages from that laptop
merge without asking; dry runs write nothing; any order gives the same project; a unit of another kind
is refused. Through the service, the command line and the import centre, on real project files."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from conftest import project_fingerprint
from exchange_helpers import YEAR, add_evidence, copy, edit, export, run_import, score_of
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Period, Unit, alembic_config, head_revision, open_project
from evaluator.models.project import schema_differences
from evaluator.models.schema import UnitAlias
from evaluator.services.conflicts import list_conflicts
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.results import compute_year

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
CODE = "SO99"
NAME = "Sở Khoa học và Công nghệ"


def new_unit(db: Path, code: str = CODE, name: str = NAME, kind: str = "department") -> None:
    """A unit and its assessment created on this copy of the project (its own UUIDs)."""
    with open_project(db) as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code=code, name=name, kind=kind)
        s.add(unit)
        s.flush()
        s.add(
            Assessment(
                unit_id=unit.id, period_id=period.id, criteria_set_id=framework_for_kind(s, YEAR, kind).id
            )
        )


def units(db: Path, code: str = CODE) -> list[tuple[Any, ...]]:
    with open_project(db) as project, project.session() as s:
        return [(u.id, u.name, u.kind) for u in s.scalars(select(Unit).where(Unit.code == code))]


def aliases(db: Path) -> list[tuple[Any, ...]]:
    with open_project(db) as project, project.session() as s:
        return sorted(
            (a.foreign_unit_id, a.unit_id, a.code, a.source, a.created_by)
            for a in s.scalars(select(UnitAlias))
        )


def merge_events(db: Path) -> list[AuditEvent]:
    with open_project(db) as project, project.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "unit.merge")))


def unit_result(db: Path, code: str = CODE) -> dict[str, Any]:
    with open_project(db) as project, project.session() as s:
        results = compute_year(s, YEAR).to_json()
    [row] = [u for u in results["units"] if u["code"] == code]
    return row


def natural_state(db: Path) -> dict[str, Any]:
    """The project by natural keys (unit code, year, leaf, stage; file hash): what must be equal whatever
    the order of the imports (the ids the import makes itself, times of import events and logs aside)."""
    con = sqlite3.connect(db)
    try:
        scores = sorted(
            con.execute(
                "SELECT u.code, p.year, s.criterion_code, s.stage, s.id, s.points, s.not_applicable, "
                "s.value, s.note, s.author, s.device_id, s.revision, s.base_revision_id, s.updated_at "
                "FROM score s "
                "JOIN assessment a ON a.id = s.assessment_id JOIN unit u ON u.id = a.unit_id "
                "JOIN period p ON p.id = a.period_id"
            )
        )
        revisions = sorted(
            con.execute(
                "SELECT r.id, u.code, s.criterion_code, s.stage, r.base_revision_id, r.points, r.revision, "
                "r.value, r.note, r.author, r.device_id, r.time FROM score_revision r "
                "JOIN score s ON s.id = r.score_id JOIN assessment a ON a.id = s.assessment_id "
                "JOIN unit u ON u.id = a.unit_id"
            )
        )
        evidence = sorted(
            con.execute(
                "SELECT u.code, e.criterion_code, e.sha256, e.file_name, e.added_by, e.id FROM evidence e "
                "JOIN assessment a ON a.id = e.assessment_id JOIN unit u ON u.id = a.unit_id"
            )
        )
        audit = sorted(
            con.execute(
                "SELECT id, assessment_id FROM audit_event "
                "WHERE action NOT IN ('import.package', 'unit.merge')"
            )
        )
        unit_rows = sorted(con.execute("SELECT id, code, name, kind FROM unit"))
        assessment_rows = sorted(con.execute("SELECT id, unit_id, period_id, status FROM assessment"))
        alias_rows = sorted(con.execute("SELECT foreign_unit_id, unit_id, code, name FROM unit_alias"))
    finally:
        con.close()
    with open_project(db) as project, project.session() as s:
        conflicts = list_conflicts(s, status=None)
    return {
        "scores": scores,
        "revisions": revisions,
        "evidence": evidence,
        "audit": audit,
        "units": unit_rows,
        "assessments": assessment_rows,
        "aliases": alias_rows,
        "conflicts": conflicts,
    }


@pytest.fixture
def laptops(demo_db: Path, tmp_path: Path) -> dict[str, Path]:
    """The committee and two laptops each create unit SO99 (three UUIDs). The committee scores 1.1.2;
    laptop A gives it the same value, scores 1.5.2 and attaches a file; laptop B (which calls the unit by
    another name) gives 1.1.2 another value and scores 1.7. ``pa``, ``pb``: their packages."""
    committee, a, b = (copy(demo_db, tmp_path, n) for n in ("committee", "a", "b"))
    new_unit(committee)
    edit(committee, CODE, "1.1.2", {"done": True}, "Hội đồng")
    new_unit(a)
    edit(a, CODE, "1.1.2", {"done": True}, "Tổ 1")
    edit(a, CODE, "1.5.2", {"done": True}, "Tổ 1")
    add_evidence(a, CODE, "1.5.2", b"Bien ban kiem tra SO99", "bien-ban-so99.txt", "Tổ 1")
    new_unit(b, name=f"{NAME} (tên khác)")
    edit(b, CODE, "1.1.2", {"done": False}, "Tổ 2")
    edit(b, CODE, "1.7", {"done": False}, "Tổ 2")
    return {
        "committee": committee,
        "a": a,
        "b": b,
        "pa": export(a, tmp_path / "a.cchc", [CODE], "Tổ 1"),
        "pb": export(b, tmp_path / "b.cchc", [CODE], "Tổ 2"),
    }


def test_without_the_flag_the_duplicate_is_skipped_and_the_flag_is_named(laptops: dict[str, Path]):
    committee = laptops["committee"]
    before = project_fingerprint(committee)
    report = run_import(committee, [laptops["pa"]])
    assert len(report.duplicates) == 1 and not report.merged_units and report.skipped > 0
    assert "--merge-duplicates" in report.duplicates[0].render("en")
    assert "--merge-duplicates" in report.render()
    assert not report.changed and project_fingerprint(committee) == before


@pytest.mark.slow
def test_merge_brings_the_records_into_the_existing_unit(laptops: dict[str, Path]):
    committee = laptops["committee"]
    [(unit_id, _name, _kind)] = units(committee)
    before = unit_result(committee)
    report = run_import(committee, [laptops["pa"]], merge_duplicates=True)
    assert (report.units_new, report.assessments_new, report.duplicates) == (0, 0, [])
    [merged] = report.merged_units
    merged_en = merged.render("en")
    assert CODE in merged_en and str(unit_id) in merged_en and "a.cchc" in merged_en
    # 1.1.2 has the same value on both sides: no conflict; 1.5.2 and the file are new
    assert report.scores_conflicting == 0 and report.scores_new == 1 and report.evidence_new == 1
    assert report.summary()["merged_units"] == [m.render("en") for m in report.merged_units]
    assert "1 merged" in report.render() and "units merged into" in report.render()
    assert units(committee) == [(unit_id, NAME, "department")]  # one unit, the project's
    assert score_of(committee, CODE, "1.5.2")[0] == Decimal("0.50")
    assert score_of(committee, CODE, "1.1.2")[:3] == (Decimal("0.50"), False, {"done": True})
    after = unit_result(committee)
    assert after["points"] == before["points"] + 0.5 and after["unresolved_conflicts"] == 0
    # remembered and audited
    with open_project(laptops["a"]) as project, project.session() as s:
        foreign = s.scalars(select(Unit.id).where(Unit.code == CODE)).one()
    assert aliases(committee) == [(foreign, unit_id, CODE, "a.cchc", "Thư ký hội đồng")]
    [event] = merge_events(committee)
    assert event.old["unit_id"] == str(foreign) and event.new == {"unit_id": str(unit_id)}
    assert event.author == "Thư ký hội đồng" and "a.cchc" in event.reason

    # laptop B: another value for 1.1.2 (a conflict, both values kept) and another name (a warning)
    second = run_import(committee, [laptops["pb"]], merge_duplicates=True)
    assert len(second.merged_units) == 1 and second.scores_conflicting == 1 and second.scores_new == 1
    [warning] = second.warnings
    assert f"{NAME} (tên khác)" in str(warning) and repr(NAME) in warning.render("en")
    assert warning.render("vi").endswith(f"đã gộp, giữ tên {NAME!r}")
    with open_project(committee) as project, project.session() as s:
        [conflict] = list_conflicts(s)
    assert (conflict["unit_code"], conflict["criterion_code"]) == (CODE, "1.1.2")
    assert sorted(v["author"] for v in conflict["values"]) == ["Hội đồng", "Tổ 1", "Tổ 2"]
    assert unit_result(committee)["unresolved_conflicts"] == 1
    assert score_of(committee, CODE, "1.7")[4] == "Tổ 2"
    assert units(committee) == [(unit_id, NAME, "department")] and len(aliases(committee)) == 2


def test_dry_run_previews_the_merge_and_writes_nothing(laptops: dict[str, Path]):
    committee = laptops["committee"]
    before = project_fingerprint(committee)
    preview = run_import(committee, [laptops["pa"], laptops["pb"]], dry_run=True, merge_duplicates=True)
    assert preview.dry_run and len(preview.merged_units) == 2 and preview.scores_conflicting == 1
    assert "Dry run" in preview.render() and "2 merged" in preview.render()
    assert project_fingerprint(committee) == before
    assert aliases(committee) == [] and merge_events(committee) == []


def test_alias_merges_the_next_package_from_that_laptop_without_the_flag(
    laptops: dict[str, Path], tmp_path: Path
):
    committee, a = laptops["committee"], laptops["a"]
    run_import(committee, [laptops["pa"]], merge_duplicates=True)
    edit(a, CODE, "1.7", {"done": True}, "Tổ 1")  # laptop A goes on working on its own SO99
    later = export(a, tmp_path / "a2.cchc", [CODE], "Tổ 1")
    report = run_import(committee, [later])  # no flag
    assert report.duplicates == [] and report.merged_units == [] and report.scores_new == 1
    assert score_of(committee, CODE, "1.7")[:3] == (Decimal("0.50"), False, {"done": True})
    assert len(aliases(committee)) == 1 and len(merge_events(committee)) == 1


def test_importing_twice_changes_nothing(laptops: dict[str, Path]):
    committee = laptops["committee"]
    run_import(committee, [laptops["pa"], laptops["pb"]], merge_duplicates=True)
    before = project_fingerprint(committee)
    for flag in (True, False):
        again = run_import(committee, [laptops["pb"], laptops["pa"]], merge_duplicates=flag)
        assert not again.changed and again.merged_units == [] and "Nothing new" in again.render()
        assert project_fingerprint(committee) == before


def test_a_package_imported_without_the_flag_can_be_merged_later(laptops: dict[str, Path], tmp_path: Path):
    """Its other records were imported, but it is not marked imported: its duplicate's records are not
    lost, importing it again with the flag brings them."""
    committee, a = laptops["committee"], laptops["a"]
    edit(a, "SO01", "1.7", {"done": True}, "Tổ 1")
    both = export(a, tmp_path / "a-both.cchc", ["SO01", CODE], "Tổ 1")
    first = run_import(committee, [both])
    assert first.changed and len(first.duplicates) == 1 and first.scores_updated == 1
    second = run_import(committee, [both], merge_duplicates=True)
    # SO99 1.5.2 new, 1.1.2 the committee's value once more; SO01 1.7 is already there
    assert len(second.merged_units) == 1 and (second.scores_new, second.revisions_new) == (1, 2)
    assert score_of(committee, CODE, "1.5.2")[0] == Decimal("0.50")
    assert not run_import(committee, [both], merge_duplicates=True).changed


@pytest.mark.slow
def test_both_orders_give_the_same_project(demo_db: Path, laptops: dict[str, Path], tmp_path: Path):
    pa, pb = laptops["pa"], laptops["pb"]
    ab, ba, together_ab, together_ba = (
        copy(laptops["committee"], tmp_path, n) for n in ("ab", "ba", "together_ab", "together_ba")
    )
    for db, runs in (
        (ab, [[pa], [pb]]),
        (ba, [[pb], [pa]]),
        (together_ab, [[pa, pb]]),
        (together_ba, [[pb, pa]]),
    ):
        for packages in runs:
            run_import(db, packages, merge_duplicates=True)
    first = natural_state(ab)
    assert len(first["aliases"]) == 2 and len(first["conflicts"]) == 1
    assert [e[:2] + e[3:5] for e in first["evidence"] if e[0] == CODE] == [
        (CODE, "1.5.2", "bien-ban-so99.txt", "Tổ 1")
    ]
    for other in (ba, together_ab, together_ba):
        assert natural_state(other) == first

    # a project without the unit: in one run the lowest UUID is created, the other merged into it
    fresh_ab, fresh_ba = copy(demo_db, tmp_path, "fresh_ab"), copy(demo_db, tmp_path, "fresh_ba")
    report = run_import(fresh_ab, [pa, pb], merge_duplicates=True)
    assert report.units_new == 1 and report.assessments_new == 1 and len(report.merged_units) == 1
    run_import(fresh_ba, [pb, pa], merge_duplicates=True)
    assert natural_state(fresh_ab) == natural_state(fresh_ba)
    [(kept, _name, _kind)] = units(fresh_ab)
    ids = {units(laptops["a"])[0][0], units(laptops["b"])[0][0]}
    assert kept == min(ids) and [a[0] for a in aliases(fresh_ab)] == [max(ids)]


@pytest.mark.slow
def test_a_unit_of_another_kind_is_refused(laptops: dict[str, Path], demo_db: Path, tmp_path: Path):
    c = copy(demo_db, tmp_path, "c")
    new_unit(c, name="Huyện mới", kind="district")
    edit(c, CODE, "1.7", {"done": True}, "Tổ 3")
    pc = export(c, tmp_path / "c.cchc", [CODE], "Tổ 3")
    committee = laptops["committee"]
    before = project_fingerprint(committee)
    for dry_run in (True, False):
        with pytest.raises(
            UserError,
            match=r"SO99 \(Huyện mới.* is a district, but the project's unit SO99 "
            rf"\({NAME}.* is a department: they cannot be merged",
        ):
            run_import(committee, [laptops["pa"], pc], merge_duplicates=True, dry_run=dry_run)
        assert project_fingerprint(committee) == before
    # in one run with the kept lower-UUID package unit too
    fresh = copy(demo_db, tmp_path, "fresh")
    before = project_fingerprint(fresh)
    with pytest.raises(UserError, match="cannot be merged"):
        run_import(fresh, [laptops["pa"], pc], merge_duplicates=True)
    assert project_fingerprint(fresh) == before


def test_command_line_flag(laptops: dict[str, Path], run_cli, tmp_path: Path):
    from workbook_helpers import write_workbook

    committee = laptops["committee"]
    code, out, err = run_cli("import", "--db", committee, laptops["pa"], "--dry-run")
    assert code == 0 and "probable duplicate" in out and "--merge-duplicates" in out
    code, out, err = run_cli("import", "--db", committee, laptops["pa"], "--merge-duplicates")
    assert code == 0 and "Imported." in out and "1 merged" in out and CODE in out, err
    assert score_of(committee, CODE, "1.5.2")[0] == Decimal("0.50") and len(aliases(committee)) == 1

    book = write_workbook(
        tmp_path / "tong-hop.xlsx",
        units=[["SO01", "Sở Nội vụ", "department", "par-department-2024"]],
        scores=[["SO01", "1.3.2", "self", 0.5, 0, "Có phát sinh"]],
    )
    before = project_fingerprint(committee)
    code, out, err = run_cli("import", "--db", committee, book, "--merge-duplicates")
    assert code == 1 and out == ""
    assert err.startswith("error: only team packages (.cchc) can have duplicate units to merge")
    assert project_fingerprint(committee) == before


@pytest.mark.slow
def test_upgrade_from_0003_on_a_real_file(demo_db: Path, tmp_path: Path, laptops: dict[str, Path]):
    """A committee file written before unit aliases (revision 0003) opens, gets the table and merges."""
    committee = laptops["committee"]
    command.downgrade(alembic_config(f"sqlite:///{committee}"), "0003")
    con = sqlite3.connect(committee)
    try:
        assert "unit_alias" not in {r[0] for r in con.execute("SELECT name FROM sqlite_master")}
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0003"
    finally:
        con.close()
    with open_project(committee) as project:
        assert project.upgraded_from == "0003" and project.revision == head_revision()
    engine = sa.create_engine(f"sqlite:///{committee}")
    try:
        with engine.connect() as conn:
            assert schema_differences(conn) == []
    finally:
        engine.dispose()
    assert len(units(committee)) == 1 and score_of(committee, CODE, "1.1.2")[4] == "Hội đồng"
    assert len(run_import(committee, [laptops["pa"]], merge_duplicates=True).merged_units) == 1
    assert len(aliases(committee)) == 1
    command.downgrade(alembic_config(f"sqlite:///{committee}"), "0003")  # and back down again
    command.upgrade(alembic_config(f"sqlite:///{committee}"), "head")


def test_import_centre_offers_the_merge(
    laptops: dict[str, Path], qtbot: Any, monkeypatch: pytest.MonkeyPatch
):
    from ui_helpers import open_window

    from evaluator.ui.exchange_dialogs import ImportCentre
    from evaluator.ui.translator import CatalogueTranslator

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(laptops["committee"].parent / "cfg"))
    committee = laptops["committee"]
    window = open_window(committee, qtbot, "Thư ký hội đồng", "committee")
    centre = window.import_centre()
    assert isinstance(centre, ImportCentre)
    qtbot.addWidget(centre)
    assert centre.merge.text() == "Gộp các đơn vị trùng mã vào đơn vị đã có" and not centre.merge.isVisibleTo(
        centre
    )
    centre.add_file(laptops["pa"])
    with qtbot.waitSignal(centre.previewed, timeout=60_000) as blocker:
        centre.preview()
    assert len(blocker.args[0].duplicates) == 1 and not centre.apply_button.isEnabled()
    assert centre.merge.isVisibleTo(centre) and not centre.merge.isChecked()
    lines = [centre.change_model.text(i, 0) for i in range(centre.change_model.rowCount())]
    assert any(line.startswith("Có thể trùng:") and CODE in line for line in lines)

    before = project_fingerprint(committee)
    with qtbot.waitSignal(centre.previewed, timeout=60_000) as blocker:  # ticking it previews again
        centre.merge.setChecked(True)
    report = blocker.args[0]
    assert report.dry_run and len(report.merged_units) == 1 and report.duplicates == []
    assert project_fingerprint(committee) == before
    counts = {
        centre.counts.item(r, 0).text(): centre.counts.item(r, 1).text()
        for r in range(centre.counts.rowCount())
    }
    assert counts["Đơn vị trùng mã được gộp"] == "1" and counts["Đơn vị có thể trùng (không nhập)"] == "0"
    lines = [centre.change_model.text(i, 0) for i in range(centre.change_model.rowCount())]
    assert any(line.startswith("Gộp đơn vị:") and CODE in line for line in lines)
    assert centre.apply_button.isEnabled() and centre.merge.isVisibleTo(centre)

    with qtbot.waitSignal(centre.imported, timeout=60_000) as blocker:
        centre.apply()
    # the import log speaks the window's language (and names no command-line flag)
    log = centre.log.toPlainText()
    assert len(blocker.args[0].merged_units) == 1 and log.startswith("Đã nhập.\n  Gói dữ liệu: a.cchc")
    assert "Đơn vị: 0 mới, 0 có thể trùng, 1 được gộp" in log and f"Gộp đơn vị {CODE} " in log
    assert "--" not in log and "evaluator " not in log
    window.close()
    assert score_of(committee, CODE, "1.5.2")[0] == Decimal("0.50") and len(aliases(committee)) == 1
    assert len(units(committee)) == 1

    # another list of files: merging has to be asked for again
    centre.add_file(laptops["pb"])
    assert not centre.merge.isChecked() and not centre.merge.isVisibleTo(centre)
    # the English translation is compiled in
    english = CatalogueTranslator("en").translate("ImportCentre", "Gộp các đơn vị trùng mã vào đơn vị đã có")
    assert english == "Merge units with the same code into the existing unit"
