"""Appraisers by area (issue 14): the committee's teams and their scope (``evaluator teams``), a handout
carrying the scope to the team's laptop (read-only leaves outside it, the "my areas" filter), the
committee's import holding a team's package to its scope, and progress by team and area."""

from __future__ import annotations

import json
import sqlite3
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from exchange_helpers import YEAR, copy, export, run_import, score_of
from package_helpers import entries_of
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Evidence, Period, Unit, open_project
from evaluator.services import workspace as ws
from evaluator.services import workspace_nav
from evaluator.services.exchange import import_packages, this_device
from evaluator.services.frameworks import framework_of, frameworks_for_year
from evaluator.services.handout import create_from_handout, export_handout, team_copy
from evaluator.services.report_setup import set_report_setup
from evaluator.services.schedule import set_schedule
from evaluator.services.schedule import today as schedule_today
from evaluator.services.scores import set_score
from evaluator.services.team_progress import overdue_units, team_progress
from evaluator.services.team_scope import COPY_SETTING, area_of, copy_scope
from evaluator.services.teams import add_team, edit_team, list_teams

COUNCIL = [{"name": "Nguyễn Văn An", "position": "Giám đốc Sở Nội vụ", "role": "Chủ tịch Hội đồng"},
           {"name": "Trần Văn Bình", "position": "Phó Giám đốc Sở Tư pháp", "role": "Thành viên"}]


def binary_leaf(db: Path, kind: str, area: str) -> str:
    """The first yes/no leaf of ``area`` in the ``kind`` set of the year (no hard-coded leaf codes)."""
    with open_project(db) as project, project.session() as s:
        for fw in frameworks_for_year(s, YEAR).values():
            if kind in fw.unit_kinds:
                return next(n.code for n in fw if n.is_leaf and n.rule is not None and n.rule.kind == "binary"
                            and n.source != "survey" and n.applies_to(kind) and area_of(fw, n.code) == area)
    raise AssertionError(f"no binary leaf in area {area} for {kind}")


def appraise(db: Path, unit: str, leaf: str, *, stage: str = "appraisal1", done: bool = False,
             author: str = "Tổ") -> None:
    with open_project(db) as project:
        device = this_device(project)
        with project.session() as s:
            a_id = s.scalars(select(Assessment.id).join(Unit).join(Period)
                             .where(Unit.code == unit, Period.year == YEAR)).one()
            set_score(s, a_id, leaf, stage, value={"done": done}, author=author, device_id=device,
                      reason=f"lý do của {author}")


def audit_actions(db: Path) -> list[str]:
    with open_project(db) as project, project.session() as s:
        return [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.time))]


@pytest.fixture
def committee(demo_db: Path, tmp_path: Path) -> Path:
    return copy(demo_db, tmp_path, "committee")


# --- 1. teams ---------------------------------------------------------------------------------------
@pytest.mark.slow
def test_teams_add_edit_list_validate_and_audit(committee: Path, run_cli):
    db = committee
    code, out, err = run_cli("teams", "add", "--db", db, "--name", "Tổ Tư pháp", "--areas", "2",
                             "--department", "Sở Tư pháp")
    assert code == 0, err
    assert "warning" in err and "Sở Tư pháp" in err  # no council yet: accepted, with a warning
    code, out, err = run_cli("teams", "add", "--db", db, "--name", "Tổ Tài chính", "--areas", "6,7",
                             "--kind", "district", "--units", "H01", "H02")
    assert code == 0, err
    # refused: a taken name, an area no set has, an area the kind's set lacks, a kind, a unit
    for args, needle in (
        (("--name", "Tổ Tư pháp", "--areas", "3"), "Tổ Tư pháp"),
        (("--name", "X", "--areas", "2,99"), "99"),
        (("--name", "X", "--areas", "2", "--kind", "province"), "province"),
        (("--name", "X", "--areas", "2", "--units", "H01", "ZZ9"), "ZZ9"),
    ):
        code, out, err = run_cli("teams", "add", "--db", db, *args)
        assert code == 1 and needle in err, (args, err)
    # the council filled in: a department must be one of its members
    with open_project(db) as project, project.session(write=True) as s:
        set_report_setup(s, {"council": COUNCIL})
    code, out, err = run_cli("teams", "add", "--db", db, "--name", "X", "--areas", "3", "--department",
                             "Sở Tài chính")
    assert code == 1 and "Sở Tài chính" in err and "Sở Tư pháp" in err
    code, out, err = run_cli("teams", "edit", "--db", db, "--name", "Tổ Tài chính", "--areas", "6",
                             "--department", "Sở Tư pháp", "--rename", "Tổ 6")
    assert code == 0 and err == "", err
    code, out, err = run_cli("teams", "edit", "--db", db, "--name", "Tổ 6", "--areas", "6")
    assert code == 0 and "Tổ 6" in out  # the same again: unchanged, not audited
    code, out, err = run_cli("teams", "list", "--db", db, "--format", "json")
    assert code == 0, err
    assert json.loads(out) == [
        {"name": "Tổ 6", "department": "Sở Tư pháp", "areas": {"*": ["6"], "district": ["6", "7"]},
         "units": ["H01", "H02"]},
        {"name": "Tổ Tư pháp", "department": "Sở Tư pháp", "areas": {"*": ["2"]}, "units": []},
    ]
    code, out, err = run_cli("teams", "list", "--db", db)
    assert code == 0 and "Tổ Tư pháp" in out and "H01, H02" in out
    assert audit_actions(db).count("team.add") == 2 and audit_actions(db).count("team.edit") == 1


def test_team_services_refuse_bad_names_and_kind_without_areas(committee: Path):
    with open_project(committee) as project, project.session(write=True) as s:
        with pytest.raises(UserError, match=r"tên trống|empty"):
            add_team(s, "   ", ["1"])
        with pytest.raises(UserError):
            add_team(s, "A\x00B", ["1"])
        add_team(s, "A", ["1"], kind="commune")
        with pytest.raises(UserError):
            edit_team(s, "A", kind="district")
        with pytest.raises(UserError, match="B"):
            edit_team(s, "B", areas=["1"])
        edit_team(s, "A", units=["H01"])
        edit_team(s, "A", all_units=True)
        assert list_teams(s)[0].units == []


# --- 2. the handout carries the scope; the team's laptop ---------------------------------------------
@pytest.mark.slow
def test_handout_carries_scope_and_the_copy_is_read_only_outside_it(committee: Path, tmp_path: Path,
                                                                     run_cli):
    db = committee
    run_cli("teams", "add", "--db", db, "--name", "Tổ Tư pháp", "--areas", "2", "--units", "SO01", "H01")
    handout = tmp_path / "tu-phap.cchc"
    code, out, err = run_cli("handout", "--db", db, "--out", handout, "--year", YEAR, "--team", "Tổ Tư pháp",
                             "--format", "json")
    assert code == 0, err
    written = json.loads(out)
    assert written["units"] == ["H01", "SO01"]  # the team's units by default
    assert written["team_scope"] == {"team": "Tổ Tư pháp", "department": "", "areas": {"*": ["2"]},
                                     "units": ["H01", "SO01"]}
    manifest = json.loads(entries_of(handout)["manifest.json"])  # the manifest is what the signature covers
    assert manifest["team_scope"] == written["team_scope"]

    lap = tmp_path / "lap.db"
    create_from_handout(lap, handout)
    with open_project(lap) as project, project.session() as s:
        assert team_copy(project)["scope"] == written["team_scope"]
        assert copy_scope(s).team == "Tổ Tư pháp"
    inside, outside = binary_leaf(lap, "department", "2"), binary_leaf(lap, "department", "1")
    appraise(lap, "SO01", inside)  # the team's area: written
    assert score_of(lap, "SO01", inside, "appraisal1")[2] == {"done": False}
    with pytest.raises(UserError) as refused:
        appraise(lap, "SO01", outside)
    text = refused.value.message.render("vi")
    assert "ngoài lĩnh vực được phân công cho tổ Tổ Tư pháp" in text and outside in text
    assert "outside the areas assigned to team Tổ Tư pháp" in refused.value.message.render("en")
    # the unit's own stage is not the team's to limit
    appraise(lap, "SO01", outside, stage="self", done=True)

    # the workspace: "my areas" keeps the team's leaves, the detail says why another is read-only
    with open_project(lap) as project, project.session() as s:
        a_id = s.scalars(select(Assessment.id).join(Unit).where(Unit.code == "SO01")).one()
        sheet = ws.load_unit(s, a_id)
        mine = workspace_nav.filtered(s, sheet, "mine")
        fw = framework_of(s.get(Assessment, a_id).criteria_set)
        assert inside in mine and outside not in mine
        assert mine and all(area_of(fw, code) == "2" for code in mine)
        reason = ws.read_only_reason(s, sheet, outside, "appraisal1")
        assert reason is not None and "Tổ Tư pháp" in reason.render("vi")
        assert ws.read_only_reason(s, sheet, inside, "appraisal1") is None
        assert "mine" in workspace_nav.filters(s)
    with open_project(db) as project, project.session() as s:  # the committee has no scope: no filter
        assert "mine" not in workspace_nav.filters(s)


def test_handout_for_an_undefined_team_has_no_scope(committee: Path, tmp_path: Path):
    with open_project(committee) as project:
        report = export_handout(project, tmp_path / "h.cchc", years=[YEAR], units=["SO01"], team="Tổ lạ")
    assert report.scope is None
    assert "team_scope" not in json.loads(entries_of(tmp_path / "h.cchc")["manifest.json"])
    create_from_handout(tmp_path / "lap.db", tmp_path / "h.cchc")
    appraise(tmp_path / "lap.db", "SO01", binary_leaf(committee, "department", "1"))  # nothing read-only


# --- 3. the committee holds a package to its team's scope ----------------------------------------------
@pytest.mark.slow
def test_committee_import_skips_edits_outside_the_team_scope(committee: Path, tmp_path: Path, run_cli):
    db = committee
    run_cli("teams", "add", "--db", db, "--name", "Tổ Tư pháp", "--areas", "2")
    handout = tmp_path / "h.cchc"
    with open_project(db) as project:
        export_handout(project, handout, years=[YEAR], units=["SO01", "H01"], team="Tổ Tư pháp")
    lap = tmp_path / "lap.db"
    create_from_handout(lap, handout)
    # an older program on the laptop (or a copy whose scope was lost) writes outside the scope
    with open_project(lap) as project:
        value = dict(team_copy(project))
        value.pop("scope")
        project.set_setting(COPY_SETTING, value)
    inside, outside = binary_leaf(lap, "department", "2"), binary_leaf(lap, "department", "1")
    d_outside = binary_leaf(lap, "district", "3")
    appraise(lap, "SO01", inside, author="Tổ Tư pháp")
    appraise(lap, "SO01", outside, author="Tổ Tư pháp")
    appraise(lap, "H01", d_outside, author="Tổ Tư pháp")
    with open_project(lap) as project:  # and evidence for its appraisal of a leaf outside the scope
        sha, size = project.evidence.put("biên bản kiểm tra".encode(), "kiem-tra.txt")
        with project.session() as s:
            a_id = s.scalars(select(Assessment.id).join(Unit).join(Period)
                             .where(Unit.code == "SO01", Period.year == YEAR)).one()
            s.add(Evidence(assessment_id=a_id, criterion_code=outside, stage="appraisal1", sha256=sha,
                           file_name="kiem-tra.txt", size=size, media_type="text/plain", added_by="Tổ"))
    package = export(lap, tmp_path / "p.cchc", ["SO01", "H01"], "Tổ Tư pháp")
    manifest = json.loads(entries_of(package)["manifest.json"])
    assert manifest["team"] == "Tổ Tư pháp" and manifest["handout_id"]
    before_out = score_of(db, "SO01", outside, "appraisal1") if _has(db, "SO01", outside) else None

    code, out, err = run_cli("--lang", "en", "import", "--db", db, package, "--dry-run")
    assert code == 0, err
    assert "Out of the team's scope (not imported): 3" in out
    line = next(x for x in out.splitlines() if "SO01" in x and "out of scope" in x)
    assert "Tổ Tư pháp" in line and outside in line
    report = run_import(db, [package])
    assert len(report.out_of_scope) == 3 and "out_of_scope" in report.summary()
    assert report.evidence_new == 0
    assert any("H01" in str(x.params) and d_outside in str(x.params) for x in report.out_of_scope)
    assert score_of(db, "SO01", inside, "appraisal1")[2] == {"done": False}  # the rest imports
    after_out = score_of(db, "SO01", outside, "appraisal1") if _has(db, "SO01", outside) else None
    assert after_out == before_out
    con = sqlite3.connect(db)  # the import log keeps the list
    try:
        summary = json.loads(con.execute("SELECT summary FROM import_log ORDER BY rowid DESC").fetchone()[0])
    finally:
        con.close()
    assert len(summary["out_of_scope"]) == 3
    assert "3" in report.render("vi") and "ngoài phạm vi" in report.render("vi")


def _has(db: Path, unit: str, leaf: str) -> bool:
    try:
        score_of(db, unit, leaf, "appraisal1")
    except Exception:
        return False
    return True


# --- 4. five teams, five area groups, 30 units, any import order -------------------------------------
GROUPS = {"Tổ Nội vụ": "1,4,5", "Tổ Tư pháp": "2", "Tổ Văn phòng": "3", "Tổ Tài chính": "6",
          "Tổ Khoa học": "7,8"}


@pytest.mark.slow
def test_five_teams_disjoint_scopes_merge_without_conflicts_in_any_order(demo_db: Path, tmp_path: Path,
                                                                         run_cli):
    committee = copy(demo_db, tmp_path, "committee")
    with open_project(committee) as project, project.session() as s:
        units = sorted(s.scalars(select(Unit.code).where(Unit.kind.in_(["department", "district"]))))
    assert len(units) == 30
    for name, areas in GROUPS.items():
        code, _out, err = run_cli("teams", "add", "--db", committee, "--name", name, "--areas", areas,
                                  "--units", *units)
        assert code == 0, err
    kinds = {}
    with open_project(committee) as project, project.session() as s:
        kinds = dict(s.execute(select(Unit.code, Unit.kind).where(Unit.code.in_(units))).all())
    packages = []
    for i, (name, areas) in enumerate(GROUPS.items()):
        handout = tmp_path / f"h{i}.cchc"
        run_cli("handout", "--db", committee, "--out", handout, "--year", YEAR, "--team", name)
        lap = tmp_path / f"lap{i}.db"
        create_from_handout(lap, handout)
        first = areas.split(",")[0]
        leaves = {k: binary_leaf(lap, k, first) for k in ("department", "district")}
        for unit in units:
            appraise(lap, unit, leaves[kinds[unit]], author=name, done=bool(i % 2))
        other = "2" if first != "2" else "1"
        with pytest.raises(UserError):
            appraise(lap, units[0], binary_leaf(lap, kinds[units[0]], other), author=name)
        packages.append(export(lap, tmp_path / f"p{i}.cchc", units, name))

    states = []
    for order in ([0, 1, 2, 3, 4], [4, 3, 2, 1, 0], [2, 0, 4, 1, 3]):
        db = copy(demo_db, tmp_path, f"c{''.join(map(str, order))}")
        for name, areas in GROUPS.items():
            run_cli("teams", "add", "--db", db, "--name", name, "--areas", areas, "--units", *units)
        if order[0] == 0:  # one package at a time
            reports = [run_import(db, [packages[j]]) for j in order]
        else:  # all in one import
            reports = [run_import(db, [packages[j] for j in order])]
        assert all(r.scores_conflicting == 0 and not r.conflicts and not r.out_of_scope for r in reports)
        from exchange_helpers import state

        st = state(db)
        assert st["conflicts"] == []
        states.append({k: st[k] for k in ("scores", "revisions", "evidence")})
        rows = {(r.team, r.area): r for r in team_progress_of(db)}
        assert rows[("Tổ Tư pháp", "2")].total == 30 and rows[("Tổ Tư pháp", "2")].conflicts == 0
    assert states[0] == states[1] == states[2]
    for i, areas in enumerate(GROUPS.values()):
        first = areas.split(",")[0]
        for unit in (units[0], units[-1]):
            leaf = binary_leaf(committee, kinds[unit], first)
            assert score_of(db, unit, leaf, "appraisal1")[2] == {"done": bool(i % 2)}


def team_progress_of(db: Path):
    with open_project(db) as project, project.session() as s:
        return team_progress(s, YEAR)


# --- 5. progress ------------------------------------------------------------------------------------
def test_progress_by_team_and_area(committee: Path, run_cli):
    db = committee
    run_cli("teams", "add", "--db", db, "--name", "Tổ Tài chính", "--areas", "6", "--kind", "district",
            "--units", "H01", "H02", "H03")
    run_cli("teams", "add", "--db", db, "--name", "Tổ Tư pháp", "--areas", "2")
    # what "appraised" means, counted independently: every non-survey leaf of area 6 has a round value
    with open_project(db) as project, project.session() as s:
        expected = 0
        for code in ("H01", "H02", "H03"):
            a = s.scalars(select(Assessment).join(Unit).join(Period)
                          .where(Unit.code == code, Period.year == YEAR)).one()
            fw = framework_of(a.criteria_set)
            leaves = {n.code for n in fw if n.is_leaf and n.source != "survey" and n.applies_to("district")
                      and area_of(fw, n.code) == "6"}
            sheet = ws.load_unit(s, a.id)
            filled = {r.code for r in sheet.leaves()
                      if any((st in r.stages and r.stages[st].points is not None) or
                             (st in r.stages and r.stages[st].not_applicable)
                             for st in ("appraisal1", "appraisal2"))}
            expected += leaves <= filled
        assert overdue_units(s, YEAR, "appraisal1") == set()  # no dates: nobody is late
        # the first round closed yesterday: the units not fully appraised are late
        now = schedule_today()
        set_schedule(s, YEAR, "appraisal1", now - timedelta(days=30), now - timedelta(days=1))
        late = overdue_units(s, YEAR, "appraisal1")
        assert late and late <= {u.code for u in s.scalars(select(Unit))}
        s.rollback()
    code, out, err = run_cli("progress", "--db", db, "--year", YEAR, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    row = next(r for r in data["rows"] if r["team"] == "Tổ Tài chính")
    assert row.pop("title")  # the area's title, from the set
    assert row == {"team": "Tổ Tài chính", "department": "", "area": "6", "appraised": expected, "total": 3,
                   "conflicts": 0, "overdue": 0}
    with open_project(db) as project, project.session() as s:
        total = s.scalars(select(Unit).join(Assessment).join(Period).where(Period.year == YEAR,
                                                                            Unit.retired_at.is_(None))).all()
    assert next(r for r in data["rows"] if r["team"] == "Tổ Tư pháp")["total"] == len(total)
    # a new appraisal round value finishing nothing changes nothing; clearing one makes a unit unfinished
    code, out, err = run_cli("progress", "--db", db, "--year", YEAR)
    assert code == 0 and "Tổ Tài chính" in out and f"{expected}/3" in out


def test_teams_and_their_handouts_survive_migrate(tmp_path: Path, run_cli):
    from evaluator.services.projects import create_project

    source = tmp_path / "a.db"
    with create_project(source, [YEAR], name="Hội đồng", province="Tỉnh Thử") as project, \
            project.session(write=True) as s:
        s.add(Unit(code="H01", name="UBND H01", kind="district"))
        s.flush()
        add_team(s, "Tổ Tài chính", ["6"], kind="district", units=["H01"], department="Sở Tài chính")
    with open_project(source) as project:
        export_handout(project, tmp_path / "h.cchc", team="Tổ Tài chính")
    code, _out, err = run_cli("migrate", "--from", source, "--to", tmp_path / "b.db")
    assert code == 0, err
    for db in (source, tmp_path / "b.db"):
        code, out, err = run_cli("teams", "list", "--db", db, "--format", "json")
        assert json.loads(out) == [{"name": "Tổ Tài chính", "department": "Sở Tài chính",
                                    "areas": {"district": ["6"]}, "units": ["H01"]}]
        con = sqlite3.connect(db)
        try:
            assert con.execute("SELECT count(*) FROM team_handout").fetchone()[0] == 1
        finally:
            con.close()


@pytest.mark.slow
def test_a_later_handout_brings_the_team_changed_scope_to_the_copy(committee: Path, tmp_path: Path):
    with open_project(committee) as project:
        with project.session(write=True) as s:
            add_team(s, "Tổ Tư pháp", ["2"], units=["SO01"])
        export_handout(project, tmp_path / "h1.cchc", years=[YEAR], team="Tổ Tư pháp")
    lap = tmp_path / "lap.db"
    create_from_handout(lap, tmp_path / "h1.cchc")
    leaf3 = binary_leaf(lap, "department", "3")
    with pytest.raises(UserError):
        appraise(lap, "SO01", leaf3)
    with open_project(committee) as project:
        with project.session(write=True) as s:
            edit_team(s, "Tổ Tư pháp", areas=["2", "3"])
        export_handout(project, tmp_path / "h2.cchc", years=[YEAR], team="Tổ Tư pháp")
        with project.session(write=True) as s:  # a handout of another team changes nothing here
            add_team(s, "Tổ khác", ["1"], units=["SO01"])
        export_handout(project, tmp_path / "h3.cchc", years=[YEAR], team="Tổ khác")
    with open_project(lap) as project:
        report = import_packages(project, [tmp_path / "h2.cchc"])
        assert "team_scope" in report.settings_replaced
        with project.session() as s:
            assert copy_scope(s).areas == {"*": ("2", "3")}
        import_packages(project, [tmp_path / "h3.cchc"])
        with project.session() as s:
            assert copy_scope(s).team == "Tổ Tư pháp" and copy_scope(s).areas == {"*": ("2", "3")}
    appraise(lap, "SO01", leaf3)  # now the team's
    assert "handout.scope" in audit_actions(lap)


@pytest.mark.slow
def test_progress_counts_open_conflicts_and_overdue_units(committee: Path, tmp_path: Path, run_cli,
                                                          monkeypatch: pytest.MonkeyPatch):
    import evaluator.services.team_progress as progress_module

    run_cli("teams", "add", "--db", committee, "--name", "Tổ Tài chính", "--areas", "6", "--kind", "district",
            "--units", "H01", "H02")
    leaf = binary_leaf(committee, "district", "6")
    # two laptops appraise the same leaf differently: one open conflict in area 6 of H01
    packages = []
    for i, done in enumerate((True, False)):
        lap = copy(committee, tmp_path, f"lap{i}")
        appraise(lap, "H01", leaf, done=done, author=f"Người {i}")
        packages.append(export(lap, tmp_path / f"p{i}.cchc", ["H01"], f"Người {i}"))
    assert run_import(committee, packages).scores_conflicting == 1
    # H02 unfinished in area 6 (one leaf cleared), and the schedule (not on this branch) says H01, H02 late
    with open_project(committee) as project:
        device = this_device(project)
        with project.session() as s:
            a_id = s.scalars(select(Assessment.id).join(Unit).join(Period)
                             .where(Unit.code == "H02", Period.year == YEAR)).one()
            for stage in ("appraisal1", "appraisal2"):
                set_score(s, a_id, leaf, stage, clear=True, author="x", device_id=device)
            # H01 finished: every leaf of area 6 gets a round-2 value
            h01 = s.scalars(select(Assessment).join(Unit).join(Period)
                            .where(Unit.code == "H01", Period.year == YEAR)).one()
            fw = framework_of(h01.criteria_set)
            for node in fw:
                if (node.is_leaf and node.source != "survey" and node.applies_to("district")
                        and area_of(fw, node.code) == "6"):
                    set_score(s, h01.id, node.code, "appraisal2", points=Decimal(0), author="x",
                              device_id=device, reason="kiểm tra lại")
    monkeypatch.setattr(progress_module, "overdue_units", lambda _s, _y, _stage: {"H01", "H02", "SO01"})
    row = next(r for r in team_progress_of(committee) if r.team == "Tổ Tài chính")
    assert (row.total, row.conflicts) == (2, 1)
    assert (row.appraised, row.overdue) == (1, 1)  # only the unfinished unit (H02) is overdue
