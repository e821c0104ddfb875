"""Units reorganised (issue 13): ``evaluator units merge|rename|retire-kind`` (services/reorganisation.py),
year-over-year figures across a reorganisation (services/results.py) and the 2025 demo province."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from evaluator.errors import UserError
from evaluator.models import (
    Assessment,
    AuditEvent,
    Evidence,
    Period,
    Score,
    Unit,
    UnitPredecessor,
    open_project,
)
from evaluator.services.demo import build_demo
from evaluator.services.projects import create_project, open_existing
from evaluator.services.reorganisation import merge_units, rename_unit, retire_kind
from evaluator.services.results import compute_year
from evaluator.services.units import UnitDetails, add_assessment, add_unit
from evaluator.services.users import Actor
from tests.conftest import backup_files, project_fingerprint

START_2025 = datetime(2025, 1, 1, tzinfo=UTC)
ACTOR = Actor("Nguyễn Văn A", "committee", "dev-1")


def _units(db: Path) -> dict[str, Unit]:
    with open_project(db) as project, project.session() as s:
        return {u.code: u for u in s.scalars(select(Unit))}


def _predecessors(db: Path) -> set[tuple[str, str, str, int]]:
    with open_project(db) as project, project.session() as s:
        codes = {u.id: u.code for u in s.scalars(select(Unit))}
        return {(codes[r.unit_id], codes[r.predecessor_id], r.basis, r.from_year)
                for r in s.scalars(select(UnitPredecessor))}


def _history(db: Path) -> dict[str, tuple[int, int]]:
    """Per unit code: its assessments and scores (what must stay with the old units)."""
    with open_project(db) as project, project.session() as s:
        rows = s.execute(select(Unit.code, func.count(func.distinct(Assessment.id)), func.count(Score.id))
                         .join(Assessment, Assessment.unit_id == Unit.id)
                         .outerjoin(Score, Score.assessment_id == Assessment.id).group_by(Unit.code)).all()
    return {code: (a, n) for code, a, n in rows}


def _actions(db: Path) -> list[str]:
    with open_project(db) as project, project.session() as s:
        return list(s.scalars(select(AuditEvent.action).where(AuditEvent.action != "score.set")
                              .order_by(AuditEvent.seq)))


# --- merge ----------------------------------------------------------------------------------------------
def test_two_departments_merge_into_a_new_one_and_keep_their_history(demo_copy: Path) -> None:
    before = _history(demo_copy)
    with open_existing(demo_copy) as project:
        report = merge_units(project, 2025, "SO23", ["SO06", "SO09"], name="Sở Nông nghiệp và Môi trường",
                             author="Nguyễn Văn A")
    units = _units(demo_copy)
    new = units["SO23"]
    assert (new.name, new.kind, new.parent_code, new.retired_at) == (
        "Sở Nông nghiệp và Môi trường", "department", None, None)
    assert units["SO06"].retired_at == START_2025 and units["SO09"].retired_at == START_2025
    assert _predecessors(demo_copy) == {("SO23", "SO06", "merged", 2025), ("SO23", "SO09", "merged", 2025)}
    assert _history(demo_copy) == before  # assessments and scores stay with the old units
    assert report.created and report.retired == ["SO06", "SO09"] and report.assessed == ""
    assert _actions(demo_copy) == ["unit.add", "unit.retire", "unit.retire", "unit.merge"]
    assert report.backup and Path(report.backup).is_file() and backup_files("*-reorganise*")
    text = report.render()
    for part in ("SO23", "Sở Nông nghiệp và Môi trường", "SO06", "SO09", "2025"):
        assert part in text
    # the years before keep ranking the old units; the old units were ranked in 2024
    with open_project(demo_copy) as project, project.session() as s:
        assert {"SO06", "SO09"} <= set(compute_year(s, 2024).units["code"])


def test_a_department_absorbs_another_and_names_its_own_past(demo_copy: Path) -> None:
    with open_existing(demo_copy) as project:
        report = merge_units(project, 2025, "SO03", ["SO04"], author="A")
    units = _units(demo_copy)
    assert units["SO03"].retired_at is None and units["SO03"].name == "Sở Tài chính"
    assert units["SO04"].retired_at == START_2025
    assert _predecessors(demo_copy) == {("SO03", "SO04", "merged", 2025), ("SO03", "SO03", "same", 2025)}
    assert not report.created and report.retired == ["SO04"]


def framework_for_year_kind_identity(year: int, kind: str) -> str:
    from evaluator.frameworks.registry import bundled_for_year

    [fw] = [f for f in bundled_for_year(year) if kind in f.unit_kinds]
    return fw.identity


def test_the_merged_unit_gets_its_assessment_when_the_year_has_a_set(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    create_project(db, [2024, 2025], name="Thử", province="Tỉnh Thử").close()
    with open_existing(db) as project, project.session() as s:
        for code in ("XA", "XB"):
            add_unit(s, UnitDetails(code, f"UBND xã {code}", "commune"), actor=ACTOR, year=2024)
    with open_existing(db) as project:
        report = merge_units(project, 2025, "XN", ["XA", "XB"], name="UBND xã Hợp Nhất")
    assert report.assessed == framework_for_year_kind_identity(2025, "commune")  # the bundled set stored
    with open_project(db) as project, project.session() as s:
        rows = s.execute(select(Unit.code, Period.year).join(Assessment, Assessment.unit_id == Unit.id)
                         .join(Period, Period.id == Assessment.period_id)).all()
    assert sorted(rows) == [("XA", 2024), ("XB", 2024), ("XN", 2025)]


def test_an_unscored_assessment_of_the_year_goes_a_scored_one_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    create_project(db, [2024, 2025], name="Thử", province="Tỉnh Thử").close()
    with open_existing(db) as project, project.session() as s:
        for code in ("XA", "XB", "XC"):
            add_unit(s, UnitDetails(code, f"UBND xã {code}", "commune"), actor=ACTOR, year=2024)
        period = s.scalars(select(Period).where(Period.year == 2025)).one()
        units = {u.code: u for u in s.scalars(select(Unit))}
        # XA: an assessment made by another program (no audit event names it); XB: one made here (audited)
        a_row = add_assessment(s, units["XC"], 2024, actor=ACTOR)  # nothing new: XC has 2024 already
        assert a_row.empty
        set_id = s.scalars(select(Assessment.criteria_set_id).join(Unit).where(Unit.code == "XA")).first()
        s.add(Assessment(unit_id=units["XA"].id, period_id=period.id, criteria_set_id=set_id))
        add_assessment(s, units["XB"], 2025, actor=ACTOR)
    with open_existing(db) as project:
        report = merge_units(project, 2025, "XN", ["XA", "XB"], name="UBND xã Mới")
    assert report.removed == ["XA"] and report.kept == ["XB"]
    with open_project(db) as project, project.session() as s:
        years = s.execute(select(Unit.code, Period.year).join(Assessment, Assessment.unit_id == Unit.id)
                          .join(Period, Period.id == Assessment.period_id)).all()
        ranked = set(compute_year(s, 2025).units["code"])
    assert ("XA", 2025) not in years and ("XB", 2025) in years  # XB's stays: the audit log names it
    assert ranked == {"XN"}  # XB, retired from 2025, is not ranked in 2025 (XC has no 2025 assessment)
    # a scored assessment of the year is refused, naming the unit and the year
    with open_existing(db) as project, project.session() as s:
        xc = s.scalars(select(Assessment).join(Unit).where(Unit.code == "XC")).one()
        s.add(Score(assessment_id=xc.id, criterion_code="1.1", stage="self", points=Decimal("0.5")))
    before = project_fingerprint(db)
    with open_existing(db) as project, pytest.raises(UserError) as caught:
        merge_units(project, 2024, "XM", ["XC", "XN"], name="UBND xã M")
    text = str(caught.value)
    assert "XC" in text and "2024" in text and "1 " in text
    assert project_fingerprint(db) == before


# --- refusals and dry runs ------------------------------------------------------------------------------
@pytest.mark.parametrize(("olds", "expected"), [
    (["SO06", "NOPE"], ["NOPE"]),
    (["SO06", "H01"], ["SO06", "H01", "department", "district"]),
    (["SO06", "SO06"], ["SO06"]),
    ([], []),
])
def test_a_refused_merge_names_the_problem_and_changes_nothing(demo_copy: Path, olds: list[str],
                                                              expected: list[str]) -> None:
    before = project_fingerprint(demo_copy)
    with open_existing(demo_copy) as project, pytest.raises(UserError) as caught:
        merge_units(project, 2025, "SO23", olds, name="Sở mới")
    text = str(caught.value)
    assert "2025" in text and all(part in text for part in expected), text
    assert project_fingerprint(demo_copy) == before


def test_a_merge_in_a_scored_year_is_refused_with_what_and_where(demo_copy: Path) -> None:
    before = project_fingerprint(demo_copy)
    with open_existing(demo_copy) as project, pytest.raises(UserError) as caught:
        merge_units(project, 2024, "SO23", ["SO06", "SO09"], name="Sở mới")
    text = str(caught.value)
    with open_project(demo_copy) as project, project.session() as s:
        scores = s.scalar(select(func.count(Score.id)).join(Assessment).join(Unit).join(Period)
                          .where(Unit.code == "SO06", Period.year == 2024))
    assert "SO06" in text and "SO09" in text and "2024" in text and f"{scores}" in text
    assert project_fingerprint(demo_copy) == before


@pytest.mark.parametrize("action", ["merge", "merge-into", "rename", "retire-kind"])
def test_a_dry_run_changes_nothing_and_says_what_it_would_do(demo_copy: Path, action: str) -> None:
    before = project_fingerprint(demo_copy)
    with open_existing(demo_copy) as project:
        dry = _do(project, action, dry_run=True)
    assert project_fingerprint(demo_copy) == before
    assert dry.dry_run and not backup_files("*-reorganise*")
    with open_existing(demo_copy) as project:
        done = _do(project, action, dry_run=False)
    assert dry.to_json() | {"dry_run": False, "backup": ""} == done.to_json() | {"backup": ""}
    assert [m.render() for m in dry.lines] == [m.render() for m in done.lines]


def _do(project: Any, action: str, *, dry_run: bool) -> Any:
    if action == "merge":
        return merge_units(project, 2025, "SO23", ["SO06", "SO09"], name="Sở NN và MT", dry_run=dry_run)
    if action == "merge-into":
        return merge_units(project, 2025, "SO03", ["SO04"], dry_run=dry_run)
    if action == "rename":
        return rename_unit(project, 2025, "H01", "H09", name="UBND thành phố Mới", dry_run=dry_run)
    return retire_kind(project, 2025, "district", dry_run=dry_run)


# --- rename and retiring a kind -------------------------------------------------------------------------
def test_a_renamed_unit_is_a_new_row_its_history_stays_with_the_old_one(demo_copy: Path) -> None:
    before = _history(demo_copy)
    with open_existing(demo_copy) as project:
        report = rename_unit(project, 2025, "H01", "H09", name="UBND thành phố An Khánh Mới")
    units = _units(demo_copy)
    old, new = units["H01"], units["H09"]
    assert (new.name, new.kind, new.parent_code) == ("UBND thành phố An Khánh Mới", "district", None)
    assert old.name == "UBND thành phố An Khánh" and old.retired_at == START_2025
    assert _predecessors(demo_copy) == {("H09", "H01", "renamed", 2025)}
    assert _history(demo_copy) == before and "H09" not in before
    # the communes under it follow the new code (five of them)
    under = sorted(c for c, u in units.items() if u.parent_code == "H09")
    assert under == [f"X01{i:02d}" for i in range(1, 6)]
    assert "X0101" in report.render() and _actions(demo_copy).count("unit.edit") == 5
    # a new code equal to the old one is refused: a name alone is edited in place
    with open_existing(demo_copy) as project, pytest.raises(UserError) as caught:
        rename_unit(project, 2025, "H02", "H02", name="x")
    assert "H02" in str(caught.value)


def test_districts_are_retired_from_2025_communes_stay(demo_copy: Path) -> None:
    with open_existing(demo_copy) as project:
        report = retire_kind(project, 2025, "district", author="A")
    units = _units(demo_copy)
    assert report.retired == [f"H{d:02d}" for d in range(1, 9)]
    assert all(u.retired_at == START_2025 for u in units.values() if u.kind == "district")
    assert all(u.retired_at is None for u in units.values() if u.kind != "district")
    assert _actions(demo_copy) == ["unit.retire"] * 8 + ["unit.retire_kind"]
    with open_project(demo_copy) as project, project.session() as s:
        assert set(compute_year(s, 2024).units["kind"]) == {"department", "district", "commune"}
    # again: no district left to retire; a kind no set knows; districts of 2024 hold scores
    for year, kind, words in ((2025, "district", ["2025"]), (2025, "ward", ["ward"]),
                              (2024, "district", ["H01", "2024"])):
        with open_existing(demo_copy) as project, pytest.raises(UserError) as caught:
            retire_kind(project, year, kind)
        assert all(w in str(caught.value) for w in words), str(caught.value)


# --- the CLI --------------------------------------------------------------------------------------------
def test_the_cli_lists_what_was_done(demo_copy: Path, run_cli: Any) -> None:
    code, out, _err = run_cli("units", "merge", "--db", demo_copy, "--year", 2025, "--into", "SO23",
                              "--name", "Sở Nông nghiệp và Môi trường", "SO06", "SO09", "--dry-run")
    assert code == 0 and "SO23" in out and "SO06" in out and "SO09" in out and "2025" in out
    code, out, _err = run_cli("units", "merge", "--db", demo_copy, "--year", 2025, "--into", "SO23",
                              "--name", "Sở Nông nghiệp và Môi trường", "SO06", "SO09", "--format", "json")
    data = json.loads(out)
    assert data["predecessors"] == [{"code": "SO06", "basis": "merged"}, {"code": "SO09", "basis": "merged"}]
    assert data["retired"] == ["SO06", "SO09"] and data["created"] and not data["dry_run"]
    code, out, _err = run_cli("units", "rename", "--db", demo_copy, "--year", 2025, "SO19", "--to", "SO24",
                              "--name", "Sở Dân tộc và Tôn giáo")
    assert code == 0 and "SO24" in out and "SO19" in out
    code, out, _err = run_cli("units", "retire-kind", "--db", demo_copy, "--year", 2025, "--kind", "district")
    assert code == 0 and all(f"H{d:02d}" in out for d in range(1, 9))
    code, _out, err = run_cli("units", "merge", "--db", demo_copy, "--year", 2025, "--into", "SO30",
                              "--name", "x", "SO01", "X0101")
    assert code != 0 and "SO01" in err and "X0101" in err


# --- the 2025 demo and year-over-year across the reorganisation -----------------------------------------
ABOLISHED = {"SO04", "SO06", "SO07", "SO09", "SO10", "SO11", "SO19", "SO22"}


@pytest.fixture(scope="module")
def demo_2025(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("base") / "demo2025.db"
    build_demo(path, seed=2024, year=2025).close()
    return path


@pytest.mark.slow
def test_demo_2025_has_the_shape_after_the_reorganisation(demo_2025: Path, demo_db: Path) -> None:
    with open_project(demo_2025) as project, project.session() as s:
        assert sorted(s.scalars(select(Period.year))) == [2023, 2024, 2025]
        rows = s.execute(select(Period.year, Unit.code, Unit.kind, Unit.name, Unit.parent_code)
                         .join(Assessment, Assessment.period_id == Period.id)
                         .join(Unit, Unit.id == Assessment.unit_id)).all()
        units = {u.code: u for u in s.scalars(select(Unit))}
    y2025 = [r for r in rows if r.year == 2025]
    kinds = {r.kind for r in y2025}
    assert kinds == {"department", "commune"}  # no districts
    departments = {r.code: r.name for r in y2025 if r.kind == "department"}
    assert len(departments) == 16 and not ABOLISHED & set(departments)
    assert "Sở Nông nghiệp và Môi trường" in departments.values()
    for gone in ("Sở Kế hoạch và Đầu tư", "Sở Giao thông vận tải", "Sở Tài nguyên và Môi trường",
                 "Sở Lao động - Thương binh và Xã hội", "Sở Nông nghiệp và Phát triển nông thôn"):
        assert gone not in departments.values()
    communes = [r for r in y2025 if r.kind == "commune"]
    assert len(communes) == 16 and all(r.parent_code is None for r in communes)  # no ward under a district
    assert all(r.name.startswith(("UBND xã ", "UBND phường ")) for r in communes)
    assert {u.code for u in units.values() if u.retired_at == START_2025} == \
        ABOLISHED | {f"H{d:02d}" for d in range(1, 9)} | {c for c in units if c.startswith("X0")}
    links = _predecessors(demo_2025)
    olds = [p for u, p, _b, _y in links if u.startswith("X25")]
    assert sorted(olds) == sorted(c for c in units if c.startswith("X0"))  # each old commune in one new one
    assert ("SO23", "SO06", "merged", 2025) in links and ("SO23", "SO09", "merged", 2025) in links
    assert ("SO03", "SO03", "same", 2025) in links and ("SO03", "SO04", "merged", 2025) in links
    assert ("SO01", "SO11", "merged", 2025) in links and ("SO08", "SO07", "merged", 2025) in links
    assert ("SO24", "SO19", "renamed", 2025) in links
    # 2023 and 2024 are the 2024 demo's, score for score (same seed)
    assert _scores_before(demo_2025) == _scores_before(demo_db)
    kept = {c: u.name for c, u in _units(demo_db).items() if c in departments}
    assert all(departments[c] == name for c, name in kept.items())  # a department that stays keeps its name


def _scores_before(db: Path) -> list[tuple[Any, ...]]:
    with open_project(db) as project, project.session() as s:
        rows = s.execute(select(Score.id, Score.criterion_code, Score.stage, Score.points, Score.value)
                         .join(Assessment).join(Period).where(Period.year < 2025).order_by(Score.id)).all()
        files = s.execute(select(Evidence.id, Evidence.sha256).join(Assessment).join(Period)
                          .where(Period.year < 2025).order_by(Evidence.id)).all()
    return [tuple(r) for r in rows] + [tuple(r) for r in files]


def _mean(values: list[float]) -> float:
    total = sum((Decimal(str(v)) for v in values), Decimal(0))
    return float((total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@pytest.mark.slow
def test_year_over_year_follows_units_to_their_predecessors(demo_2025: Path, run_cli: Any) -> None:
    with open_project(demo_2025) as project, project.session() as s:
        last = {u["code"]: u for u in compute_year(s, 2024).to_json()["units"]}
        now = {u["code"]: u for u in compute_year(s, 2025).to_json()["units"]}
    # merged into a new unit: the mean of its predecessors' published indices of 2024, no rank change
    sa = now["SO23"]
    assert sa["predecessors"] == ["SO06", "SO09"] and sa["previous_basis"] == "merged"
    assert sa["previous_index"] == _mean([last["SO06"]["index"], last["SO09"]["index"]])
    assert sa["rank_change"] is None and sa["points_change"] is None
    # absorbed into an existing unit: its own past counts beside the absorbed unit's
    fin = now["SO03"]
    assert fin["predecessors"] == ["SO03", "SO04"] and fin["previous_basis"] == "merged"
    assert fin["previous_index"] == _mean([last["SO03"]["index"], last["SO04"]["index"]])
    assert fin["rank_change"] is None
    # renamed: compares with its predecessor as before
    eth = now["SO24"]
    assert eth["predecessors"] == ["SO19"] and eth["previous_basis"] == "renamed"
    assert eth["previous_index"] == last["SO19"]["index"]
    assert eth["rank_change"] == last["SO19"]["rank"] - eth["rank"]
    assert eth["points_change"] == pytest.approx(eth["points"] - last["SO19"]["points"])
    # unchanged: itself
    jus = now["SO02"]
    assert (jus["predecessors"], jus["previous_basis"], jus["previous_index"]) == (
        [], "same", last["SO02"]["index"])
    assert jus["rank_change"] == last["SO02"]["rank"] - jus["rank"]
    # communes: each the mean of the two or three it was merged from
    for code in (c for c in now if c.startswith("X25")):
        unit = now[code]
        assert unit["previous_basis"] == "merged" and len(unit["predecessors"]) in (2, 3)
        ranked = [last[p]["index"] for p in unit["predecessors"] if p in last]
        assert unit["previous_index"] == _mean(ranked)
    # the communes ..05 were new in 2024: in 2024 their basis is "new"
    assert last["X0105"]["previous_basis"] == "new" and last["X0105"]["previous_index"] is None
    # the CLI says what a merged unit compares with
    code, out, _err = run_cli("results", "--db", demo_2025, "--year", 2025)
    assert code == 0 and "SO23" in out and "SO06, SO09" in out and f"{sa['previous_index']:.2f}" in out


@pytest.mark.slow
def test_the_results_view_labels_the_basis(demo_2025: Path, qtbot: Any) -> None:
    from PySide6.QtCore import Qt

    from evaluator.services import dashboard
    from evaluator.ui.results_view import RankingModel

    with open_project(demo_2025) as project, project.session() as s:
        results = compute_year(s, 2025)
    model = RankingModel()
    model.set_rows(dashboard.ranking(results, "department"))
    column = RankingModel.KEYS.index("previous_index")
    rows = {model.index(r, 2).data(): r for r in range(model.rowCount())}
    merged = model.index(rows["SO23"], column)
    assert "bình quân của SO06, SO09" in merged.data() and merged.data(Qt.ItemDataRole.ToolTipRole) == \
        "Năm trước: bình quân của SO06, SO09"
    assert model.index(rows["SO23"], 1).data() == "*"
    assert "SO19" in model.index(rows["SO24"], column).data()
    assert "—" not in model.index(rows["SO02"], column).data()


def test_a_unit_followed_once_is_not_followed_again(demo_copy: Path) -> None:
    with open_existing(demo_copy) as project:
        merge_units(project, 2025, "SO03", ["SO04"])
        merge_units(project, 2025, "SO03", ["SO10"])  # a second unit absorbed the same year: one "same" row
    assert _predecessors(demo_copy) == {("SO03", "SO04", "merged", 2025), ("SO03", "SO10", "merged", 2025),
                                        ("SO03", "SO03", "same", 2025)}
    before = project_fingerprint(demo_copy)
    for attempt in (lambda p: merge_units(p, 2025, "SO01", ["SO04"]),  # SO04 already went into SO03
                    lambda p: rename_unit(p, 2025, "SO10", "SO30"),
                    lambda p: merge_units(p, 2025, "SO04", ["SO11"])):  # SO04 is retired from 2025
        with open_existing(demo_copy) as project, pytest.raises(UserError) as caught:
            attempt(project)
        assert "SO04" in str(caught.value) or "SO10" in str(caught.value), str(caught.value)
    assert project_fingerprint(demo_copy) == before
