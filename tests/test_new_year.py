"""``evaluator new-year`` and ``evaluator mapping``: year Y from year Y-1 (units, sets, blank assessments),
the criteria mapping (proposed by code and title, corrected by an xlsx, stored, read by ``leaf_mapping``)
and carried evidence (not this year's evidence until confirmed)."""

from __future__ import annotations

import copy
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import project_fingerprint
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from evaluator.errors import UserError
from evaluator.frameworks.files import load_framework
from evaluator.models import Assessment, AuditEvent, CriteriaMapping, Evidence, Period, Score, Unit
from evaluator.resources import resource
from evaluator.services.criteria_mapping import leaf_mapping, propose
from evaluator.services.evidence import attach, confirm_evidence, list_evidence
from evaluator.services.projects import create_project, open_existing
from evaluator.services.scores import set_score
from evaluator.services.units import UnitDetails, add_unit
from evaluator.services.users import actor_in
from evaluator.services.workspace import load_unit

FRAMEWORKS = resource("frameworks")


# --- a renumbered set ------------------------------------------------------------------------------------
def _renumber_code(code: str) -> str:
    """Areas 1 and 2 swap their numbers; the criteria of area 3 are numbered backwards (3.1 ↔ 3.last)."""
    parts = code.split(".")
    if parts[0] in ("1", "2"):
        parts[0] = "2" if parts[0] == "1" else "1"
    elif parts[0] == "3" and len(parts) > 1:
        parts[1] = str(RENUMBER_AREA3 + 1 - int(parts[1]))
    return ".".join(parts)


RENUMBER_AREA3 = 0


def renumbered_set(source: Path, target: Path) -> dict[str, str]:
    """A copy of a bundled set with its codes renumbered (same titles, new code ``…-renumbered``);
    returns old code → new code of every node."""
    global RENUMBER_AREA3
    doc = yaml.safe_load(source.read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    doc["code"] = f"{doc['code']}-renumbered"
    area3 = next(n for n in doc["nodes"] if n["code"] == "3")
    RENUMBER_AREA3 = len(area3["children"])
    moved: dict[str, str] = {}

    def walk(node: dict[str, Any]) -> None:
        old = str(node["code"])
        node["code"] = _renumber_code(old)
        moved[old] = node["code"]
        for child in node.get("children", []):
            walk(child)

    for n in doc["nodes"]:
        walk(n)
    doc["nodes"].sort(key=lambda n: int(n["code"]) if str(n["code"]).isdigit() else 99)
    for n in doc["nodes"]:
        if n["code"] == "3":
            n["children"].sort(key=lambda c: int(str(c["code"]).split(".")[1]))
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    # rules may name other nodes by code (tie breakers name areas): follow the renumbering
    target.write_text(text, encoding="utf-8")
    return moved


# --- a small 2023 project ----------------------------------------------------------------------------------
@pytest.fixture
def year2023(tmp_path: Path) -> Path:
    """A project of 2023 with two departments, one district and one commune, a self score and a file on
    the department leaf 1.1.1 (evidence required)."""
    db = tmp_path / "p.db"
    project = create_project(db, [2023])
    with project.session(write=True) as s:
        actor = actor_in(s, "Tester", "committee")
        for code, name, kind, parent in (("S01", "Sở Nội vụ", "department", ""),
                                         ("S02", "Sở Tư pháp", "department", ""),
                                         ("H01", "UBND huyện Đông Sơn", "district", ""),
                                         ("X01", "UBND xã Hòa Bình", "commune", "H01")):
            add_unit(s, UnitDetails(code=code, name=name, kind=kind, parent_code=parent), actor=actor,
                     year=2023)
    evidence_file = tmp_path / "kehoach.pdf"
    evidence_file.write_bytes(b"%PDF-1.4 ke hoach CCHC 2023")
    with project.session(write=True) as s:
        a = _assessment(s, "S01", 2023)
        set_score(s, a.id, "1.1.1", "self", value={"option": "dung_han"}, author="Tester", role="assessor")
        attach(s, project.evidence, a.id, "1.1.1", evidence_file, reference="Trang 2", author="Tester")
        attach(s, project.evidence, a.id, "3.1.1", evidence_file, author="Tester")
    project.close()
    return db


def _assessment(session: Any, code: str, year: int) -> Assessment:
    return session.scalars(select(Assessment).join(Unit).join(Period)
                           .where(Unit.code == code, Period.year == year)).one()


def test_renumbered_set_is_mapped_by_titles(year2023: Path, tmp_path: Path, run_cli) -> None:
    renum = tmp_path / "par-department-2024-renumbered.yaml"
    moved = renumbered_set(FRAMEWORKS / "par-department-2024.yaml", renum)
    assert moved["1.1.1"] == "2.1.1" and moved["3.1"] != "3.1"
    sets = [renum, FRAMEWORKS / "par-district-2024.yaml", FRAMEWORKS / "par-commune-2024.yaml"]
    code, out, err = run_cli("new-year", "--db", year2023, "--year", "2024", "--sets", *sets,
                             "--carry-evidence", "--format", "json", "--author", "Tester")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["dry_run"] is False and plan["from_year"] == 2023 and plan["sets_source"] == "files"
    assert {u["code"] for u in plan["units"]} == {"S01", "S02", "H01", "X01"}
    dept = next(m for m in plan["mapping"] if m["unit_kind"] == "department")
    old_set = load_framework(FRAMEWORKS / "par-department-2023.yaml")
    new_set = load_framework(renum)
    titles_new = {n.title: n.code for n in new_set.leaves("department")}
    pairs = {p["old_code"]: p for p in dept["pairs"]}
    # every 2023 leaf whose title is unchanged in 2024 follows its title to its new number
    same_title = [n for n in old_set.leaves("department") if n.title in titles_new]
    assert len(same_title) > 70
    for n in same_title:
        assert pairs[n.code]["new_code"] == titles_new[n.title], n.code
        assert pairs[n.code]["score"] == 100
    assert pairs["1.1.1"]["new_code"] == "2.1.1" and pairs["1.1.1"]["method"] == "title"
    # a leaf is used at most once
    used = [p["new_code"] for p in dept["pairs"] if p["new_code"]]
    assert len(used) == len(set(used))
    with open_existing(year2023) as project, project.session() as s:
        assert leaf_mapping(s, 2024, "department")["1.1.1"] == "2.1.1"
        new = _assessment(s, "S01", 2024)
        assert new.status == "self_assessment" and new.criteria_set.code == "par-department-2024-renumbered"
        assert s.scalar(select(func.count()).select_from(Score).where(Score.assessment_id == new.id)) == 0
        carried = list_evidence(s, new.id)
        assert {(e.criterion_code, e.carried_from, e.carry_pending) for e in carried} == {
            ("2.1.1", 2023, True), (moved["3.1.1"], 2023, True)}
        old = _assessment(s, "S01", 2023)
        assert {e.sha256 for e in carried} == {e.sha256 for e in list_evidence(s, old.id)}
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "year.create")).one()
        assert event.new["year"] == 2024 and event.new["evidence_carried"] == 2


def test_carried_evidence_counts_once_confirmed(year2023: Path, tmp_path: Path) -> None:
    from evaluator.services.new_year import create_new_year, plan_new_year
    from evaluator.services.results import compute_year

    with open_existing(year2023) as project:
        with project.session() as s:
            plan = plan_new_year(s, 2024, carry_evidence=True)
        assert plan.evidence == 2
        create_new_year(project, plan, author="Tester")
        with project.session(write=True) as s:
            a = _assessment(s, "S01", 2024)
            set_score(s, a.id, "1.1.1", "self", value={"option": "dung_han"}, author="Tester",
                      role="assessor")
        with project.session() as s:
            a = _assessment(s, "S01", 2024)
            sheet = load_unit(s, a.id)
            assert sheet.score is not None and sheet.score.nodes["1.1.1"].points == 0  # not this year's yet
            assert sheet.rows["1.1.1"].evidence == 0
            res = compute_year(s, 2024, previous=False)
            before = res.units.set_index("code").loc["S01", "points_c"]
            pending = [e for e in list_evidence(s, a.id, "1.1.1") if e.carry_pending]
            assert len(pending) == 1
        with project.session(write=True) as s:
            confirm_evidence(s, pending[0].id, author="Thư ký", role="secretary")
        with project.session() as s:
            sheet = load_unit(s, a.id)
            assert sheet.score is not None and sheet.score.nodes["1.1.1"].points == Decimal("0.5")
            res = compute_year(s, 2024, previous=False)
            after = res.units.set_index("code").loc["S01", "points_c"]
            assert (float(after) - float(before)) / 100 == pytest.approx(0.5)  # points_c: hundredths
            event = s.scalars(select(AuditEvent).where(AuditEvent.action == "evidence.confirm")).one()
            assert event.author == "Thư ký" and event.criterion_code == "1.1.1"
        with project.session(write=True) as s, pytest.raises(UserError) as exc:
            confirm_evidence(s, pending[0].id)
        assert "not_pending" in exc.value.code


def test_new_year_refusals(year2023: Path, run_cli) -> None:
    code, _out, err = run_cli("new-year", "--db", year2023, "--year", "2023")
    assert code != 0 and "2023" in err
    code, _out, err = run_cli("new-year", "--db", year2023, "--year", "2030")
    assert code != 0  # no set bundled for 2030
    # a set of another year, two sets for one kind: refused, nothing written
    before = project_fingerprint(year2023)
    code, _out, err = run_cli("new-year", "--db", year2023, "--year", "2024", "--sets",
                              FRAMEWORKS / "par-department-2023.yaml")
    assert code != 0 and "par-department-2023" in err
    code, _out, err = run_cli("new-year", "--db", year2023, "--year", "2025", "--from", "2024")
    assert code != 0 and "2024" in err  # nothing assessed in 2024
    assert project_fingerprint(year2023) == before
    code, _out, _err = run_cli("new-year", "--db", year2023, "--year", "2024")
    assert code == 0
    code, _out, err = run_cli("new-year", "--db", year2023, "--year", "2024")
    assert code != 0 and "2024" in err and "4" in err


def test_dry_run_writes_nothing(year2023: Path, run_cli) -> None:
    before = project_fingerprint(year2023)
    code, out, err = run_cli("new-year", "--db", year2023, "--year", "2024", "--dry-run", "--carry-evidence")
    assert code == 0, err
    assert "1.1.1" in out and "dry run" in out and "evidence carried from 2023: 2 files" in out
    assert project_fingerprint(year2023) == before


# --- the demo province, 2024 -> 2025: districts are not carried ---------------------------------------
@pytest.mark.slow
def test_demo_2024_to_2025_districts_not_carried(demo_copy: Path, run_cli) -> None:
    before = project_fingerprint(demo_copy)
    code, out, err = run_cli("new-year", "--db", demo_copy, "--year", "2025", "--dry-run", "--format", "json")
    assert code == 0, err
    assert project_fingerprint(demo_copy) == before
    plan = json.loads(out)
    assert plan["not_carried"] and all(u["kind"] == "district" for u in plan["not_carried"])
    with open_existing(demo_copy) as project, project.session() as s:
        districts = s.scalar(select(func.count()).select_from(Unit).where(Unit.kind == "district"))
        evidence_2024 = s.scalar(select(func.count()).select_from(Evidence).join(Assessment).join(Period)
                                 .where(Period.year == 2024))
    assert len(plan["not_carried"]) == districts
    code, out, err = run_cli("new-year", "--db", demo_copy, "--year", "2025", "--carry-evidence")
    assert code == 0, err
    with open_existing(demo_copy) as project, project.session() as s:
        kinds = set(s.scalars(select(Unit.kind).join(Assessment).join(Period).where(Period.year == 2025)))
        assert kinds == {"department", "commune"}
        carried = s.scalar(select(func.count()).select_from(Evidence).where(Evidence.carried_from == 2024))
        assert 0 < carried <= evidence_2024
        assert s.scalar(select(func.count()).select_from(Score).join(Assessment).join(Period)
                        .where(Period.year == 2025)) == 0
        stored = s.scalar(select(func.count()).select_from(CriteriaMapping)
                          .where(CriteriaMapping.year == 2025))
        assert stored > 100
    code, out, err = run_cli("results", "--db", demo_copy, "--year", "2025", "--format", "json")
    assert code == 0, err
    # nothing confirmed, nothing scored: every unit of 2025 has 0 points
    assert all(u["points"] in (0, "0", "0.00") for u in json.loads(out)["units"])


# --- the mapping xlsx --------------------------------------------------------------------------------------
def test_mapping_export_import_round_trip(year2023: Path, tmp_path: Path, run_cli) -> None:
    assert run_cli("new-year", "--db", year2023, "--year", "2024")[0] == 0
    out = tmp_path / "m.xlsx"
    code, _o, err = run_cli("mapping", "export", "--db", year2023, "--year", "2024", "--out", out)
    assert code == 0, err
    ws = load_workbook(out)["mapping"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["old_code", "new_code", "unit_kind"] and "old_title" in header and "score" in header
    code, shown_before, _e = run_cli("mapping", "show", "--db", year2023, "--year", "2024",
                                     "--format", "json")
    before_fp = project_fingerprint(year2023)
    # importing what was exported changes no pair
    code, _o, err = run_cli("mapping", "import", "--db", year2023, "--year", "2024", out)
    assert code == 0, err
    code, shown_after, _e = run_cli("mapping", "show", "--db", year2023, "--year", "2024", "--format", "json")
    assert json.loads(shown_after) == json.loads(shown_before)
    assert project_fingerprint(year2023) != before_fp  # the import is audited
    # a change: department 1.1.1 has no successor, 1.1.2 goes to 1.1.1
    wb = load_workbook(out)
    ws = wb["mapping"]
    for row in ws.iter_rows(min_row=2):
        if row[2].value == "department" and row[0].value == "1.1.1":
            row[1].value = None
        elif row[2].value == "department" and row[0].value == "1.1.2":
            row[1].value = "1.1.1"
        elif row[2].value == "department" and row[0].value == "1.1.3":
            ws.delete_rows(row[0].row)
            break
    wb.save(out)
    code, _o, err = run_cli("mapping", "import", "--db", year2023, "--year", "2024", out)
    assert code == 0, err
    with open_existing(year2023) as project, project.session() as s:
        m = leaf_mapping(s, 2024, "department")
        assert m["1.1.1"] is None and m["1.1.2"] == "1.1.1" and m["1.1.3"] is None  # left out: none
        assert leaf_mapping(s, 2024, "commune")["1.1.1"] == "1.1.1"
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "mapping.import")
                          .order_by(AuditEvent.seq.desc())).first()
        assert event is not None and event.new["pairs"]["department"]["1.1.2"] == "1.1.1"


def test_leaf_mapping_falls_back_to_same_codes(year2023: Path) -> None:
    from evaluator.services.new_year import create_new_year, plan_new_year

    with open_existing(year2023) as project:
        with project.session() as s:
            plan = plan_new_year(s, 2024)
        create_new_year(project, plan)
        with project.session(write=True) as s:
            s.query(CriteriaMapping).delete()
        with project.session() as s:
            m = leaf_mapping(s, 2024, "department")
            old = load_framework(FRAMEWORKS / "par-department-2023.yaml").leaves("department")
            new_codes = {n.code for n in load_framework(FRAMEWORKS / "par-department-2024.yaml").leaves()}
            assert m == {n.code: (n.code if n.code in new_codes else None) for n in old}
            assert leaf_mapping(s, 2024, "ward") == {}


def test_mapping_file_corrects_the_proposal(year2023: Path, tmp_path: Path, run_cli) -> None:
    path = tmp_path / "fix.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "mapping"
    ws.append(["old_code", "new_code", "unit_kind"])
    ws.append(["1.1.1", "1.1.2", "department"])
    ws.append(["1.1.2", None, "department"])
    wb.save(path)
    code, out, err = run_cli("new-year", "--db", year2023, "--year", "2024", "--mapping", path,
                             "--format", "json")
    assert code == 0, err
    dept = next(m for m in json.loads(out)["mapping"] if m["unit_kind"] == "department")
    pairs = {p["old_code"]: p for p in dept["pairs"]}
    assert pairs["1.1.1"]["new_code"] == "1.1.2" and pairs["1.1.1"]["method"] == "file"
    assert pairs["1.1.2"]["new_code"] is None
    assert pairs["1.1.3"]["new_code"] == "1.1.3"  # not in the file: as proposed
    assert "1.1.1" in {n["code"] for n in dept["unmatched_new"]}


@pytest.mark.parametrize("rows, expected", [
    ([["X.9", "1.1.1", "department"]], r"row 2.*old_code.*X\.9"),
    ([["1.1.1", "9.9.9", "department"]], r"row 2.*new_code.*9\.9\.9"),
    ([["1.1.1", "1.1.1", "province"]], r"row 2.*unit_kind.*province"),
    ([["1.1.1", "1.1.1", "department"], ["1.1.1", "1.1.2", "department"]], r"row 3.*old_code.*row 2"),
    ([["1.1.1", "1.1.1", "department"], ["1.1.2", "1.1.1", "department"]], r"row 3.*new_code.*row 2"),
    ([["1" * 300, "1.1.1", "department"]], r"row 2.*old_code"),
    ([["", "", "department"]], r"row 2.*old_code"),
])
def test_hostile_mapping_rows_are_refused(year2023: Path, tmp_path: Path, run_cli, rows, expected) -> None:
    path = tmp_path / "bad.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.title = "mapping"
    ws.append(["old_code", "new_code", "unit_kind"])
    for r in rows:
        ws.append(r)
    wb.save(path)
    before = project_fingerprint(year2023)
    code, _out, err = run_cli("new-year", "--db", year2023, "--year", "2024", "--mapping", path)
    assert code != 0
    assert "bad.xlsx" in err and re.search(expected, err, re.S), err
    assert project_fingerprint(year2023) == before


def test_mapping_file_without_sheet_or_columns(year2023: Path, tmp_path: Path, run_cli) -> None:
    path = tmp_path / "nosheet.xlsx"
    wb = Workbook()
    wb.active.title = "Sheet"
    wb.save(path)
    code, _o, err = run_cli("new-year", "--db", year2023, "--year", "2024", "--mapping", path)
    assert code != 0 and "mapping" in err
    path.write_bytes(b"PK\x03\x04 not a workbook")
    code, _o, err = run_cli("new-year", "--db", year2023, "--year", "2024", "--mapping", path)
    assert code != 0 and "nosheet.xlsx" in err


def test_propose_is_exact_between_identical_sets() -> None:
    fw = load_framework(FRAMEWORKS / "par-commune-2024.yaml")
    m = propose(fw, fw, "commune")
    assert all(p.method == "exact" and p.new_code == p.old_code for p in m.pairs)
    assert m.unmatched_new == [] and m.review == []


def test_carried_marks_travel_in_a_handout(year2023: Path, tmp_path: Path) -> None:
    """A team's copy made from a handout keeps carried files as carried and unconfirmed: otherwise they
    would count as this year's evidence on the team's laptop."""
    from evaluator.services.handout import create_from_handout, export_handout
    from evaluator.services.new_year import create_new_year, plan_new_year

    with open_existing(year2023) as project:
        with project.session() as s:
            plan = plan_new_year(s, 2024, carry_evidence=True)
        create_new_year(project, plan, author="Tester")
        export_handout(project, tmp_path / "to-1.cchc", years=[2024], team="Tổ 1", author="Tester")
    copy_db = tmp_path / "to-1.db"
    create_from_handout(copy_db, tmp_path / "to-1.cchc", author="Tổ 1")
    with open_existing(copy_db) as project, project.session() as s:
        rows = s.scalars(select(Evidence).join(Assessment).join(Period).where(Period.year == 2024)).all()
        assert len(rows) == 2 and all(e.carried_from == 2023 and e.carry_pending for e in rows)


def test_documents_list_carried_evidence_as_from_last_year(year2023: Path) -> None:
    from evaluator.services.new_year import create_new_year, plan_new_year
    from evaluator.services.report_data import unit_documents

    with open_existing(year2023) as project:
        with project.session() as s:
            plan = plan_new_year(s, 2024, carry_evidence=True)
        create_new_year(project, plan, author="Tester")
        with project.session() as s:
            new_doc, = unit_documents(s, 2024, ["S01"], kind="self")
            old_doc, = unit_documents(s, 2023, ["S01"], kind="self")
    assert {e.label for e in new_doc.evidence} == {"kehoach.pdf (Trang 2) — từ năm 2023",
                                                   "kehoach.pdf — từ năm 2023"}
    assert {e.label for e in old_doc.evidence} == {"kehoach.pdf (Trang 2)", "kehoach.pdf"}


def test_attaching_a_carried_file_again_confirms_it(year2023: Path) -> None:
    from evaluator.services.new_year import create_new_year, plan_new_year

    with open_existing(year2023) as project:
        with project.session() as s:
            plan = plan_new_year(s, 2024, carry_evidence=True)
        create_new_year(project, plan, author="Tester")
        source = year2023.parent / "kehoach.pdf"
        with project.session(write=True) as s:
            a = _assessment(s, "S01", 2024)
            got = attach(s, project.evidence, a.id, "1.1.1", source, author="Tester")
            assert got.duplicate and not got.change.empty
        with project.session() as s:
            rows = list_evidence(s, a.id, "1.1.1")
            assert len(rows) == 1 and not rows[0].carry_pending and rows[0].carried_from == 2023
