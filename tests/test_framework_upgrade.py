"""``services.framework_upgrade`` and ``evaluator framework upgrade``: the demo project's department
assessments moved from the bundled set (version 2) to a version 3 with a title change, two maxima changed,
a rule changed, a leaf removed and one added (``test_framework_diff.department_v2``)."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from sqlalchemy import select
from test_framework_diff import BUNDLED_VERSION, DEPARTMENT, department_v2

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Conflict, CriteriaSet, Evidence, Score, ScoreRevision
from evaluator.scoring import evaluate
from evaluator.services.framework_upgrade import rule_of_three, upgrade_assessments
from evaluator.services.frameworks import store_framework
from evaluator.services.projects import open_existing
from evaluator.services.results import compute_year

OLD, NEW = f"{DEPARTMENT}@{BUNDLED_VERSION}", f"{DEPARTMENT}@{BUNDLED_VERSION + 1}"
UNCHANGED_TITLE_ONLY = "1.1.2"
CHANGED = {"1.5.2"}  # rule changed
REMOVED = {"1.3.2"}
MAX_CHANGED = {"1.6", "1.8"}  # proportional 1.5 → 0.5; survey 1 → 2


def with_v2(db: Path) -> Path:
    with open_existing(db) as project, project.session() as session:
        store_framework(session, department_v2())
    return db


def snapshot(db: Path, identity: str = OLD) -> dict[tuple[uuid.UUID, str, str], dict[str, Any]]:
    """Every score of the assessments on ``identity`` (or, after the move, of the same assessments)."""
    code, version = identity.split("@")
    with open_existing(db) as project, project.session() as session:
        row = session.scalars(select(CriteriaSet).where(CriteriaSet.code == code,
                                                        CriteriaSet.version == int(version))).one()
        ids = session.scalars(select(Assessment.id).where(Assessment.criteria_set_id == row.id)).all()
        return {(s.assessment_id, s.criterion_code, s.stage): {
            "value": s.value, "points": s.points, "na": s.not_applicable, "note": s.note, "author": s.author,
            "time": s.updated_at, "revision": s.revision, "id": s.id}
            for s in session.scalars(select(Score).where(Score.assessment_id.in_(ids)))}


def filled(state: dict[str, Any]) -> bool:
    return state["points"] is not None or state["na"] or bool(state["value"])


def after_move(db: Path, before: dict[tuple[uuid.UUID, str, str], dict[str, Any]]):
    after = {}
    with open_existing(db) as project, project.session() as session:
        for key, old in before.items():
            s = session.get(Score, old["id"])
            revs = session.scalars(select(ScoreRevision).where(ScoreRevision.score_id == s.id)
                                   .order_by(ScoreRevision.revision)).all()
            after[key] = {"value": s.value, "points": s.points, "na": s.not_applicable, "note": s.note,
                          "author": s.author, "time": s.updated_at, "revision": s.revision,
                          "history": [(r.revision, r.points) for r in revs]}
    return after


@pytest.mark.slow  # moves 22 assessments of a demo copy: 20-40 s each here
def test_keep_carries_unchanged_leaves_value_by_value_and_clears_the_rest(demo_copy: Path) -> None:
    db = with_v2(demo_copy)
    before = snapshot(db)
    with open_existing(db) as project:
        report = upgrade_assessments(project, OLD, NEW, "keep", reason="QĐ sửa đổi bộ tiêu chí", author="Lan")
    assert report.backup is not None and report.backup.is_file()
    assert len(report.assessments) == 22 and not report.dry_run
    after = after_move(db, before)
    carried = cleared = 0
    for key, old in before.items():
        if not filled(old):
            continue
        new = after[key]
        code = key[1]
        assert new["revision"] == old["revision"] + 1, key  # one new revision either way
        assert new["history"][-2][1] == old["points"]  # the old value stays in the history
        if code in CHANGED | REMOVED | MAX_CHANGED:
            cleared += 1
            assert (new["value"], new["points"], new["na"]) == (None, None, False), key
        else:
            carried += 1
            # carried as entered: value, points (recomputed by the same rule), note, author, time
            for name in ("value", "points", "na", "note", "author", "time"):
                assert new[name] == old[name], (key, name)
    assert carried == report.totals()["kept"] and cleared == report.totals()["cleared"] > 0
    assert any(k[1] == UNCHANGED_TITLE_ONLY and filled(v) for k, v in before.items())
    needs = {c for a in report.assessments for c in a.needs_score}
    assert needs == {"1.3.3", "1.5.2", "1.6", "1.8"}
    with open_existing(db) as project, project.session() as session:
        moved = session.scalars(select(Assessment).join(CriteriaSet)
                                .where(CriteriaSet.version == BUNDLED_VERSION + 1,
                                       CriteriaSet.code == DEPARTMENT)).all()
        assert len(moved) == 22
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "framework.upgrade")).all()
        assert len(events) == 22 and {e.reason for e in events} == {"QĐ sửa đổi bộ tiêu chí"}
        assert {e.author for e in events} == {"Lan"}
        one = events[0]
        assert one.old == {"criteria_set": OLD} and one.new["criteria_set"] == NEW
        assert len(one.new["revisions"]) == one.new["kept"] + one.new["cleared"]
        # evidence is never deleted: that of the removed leaf stays, listed in the report
        ids = [a.id for a in moved]
        kept = session.scalars(select(Evidence).where(Evidence.criterion_code == "1.3.2",
                                                      Evidence.assessment_id.in_(ids))).all()
        assert kept and {(e.criterion_code, e.file_name) for e in kept} == \
            {x for a in report.assessments for x in a.evidence_kept}
        results = compute_year(session, 2024)
        departments = results.units[results.units["kind"] == "department"]
        assert set(departments["framework"]) == {NEW} and len(departments) == 22
        assert results.frameworks["department"].identity == NEW


@pytest.mark.slow  # moves 22 assessments of a demo copy: 20-40 s each here
def test_rescale_scales_points_of_leaves_whose_only_change_is_the_maximum(demo_copy: Path) -> None:
    db = with_v2(demo_copy)
    before = snapshot(db)
    new_fw = department_v2()
    with open_existing(db) as project:
        report = upgrade_assessments(project, OLD, NEW, "rescale")
    after = after_move(db, before)
    seen = set()
    for key, old in before.items():
        if not filled(old):
            continue
        new, code = after[key], key[1]
        if code == "1.8" and not old["na"]:  # survey points: rule of three, 1 → 2
            assert new["points"] == old["points"] * 2 and new["value"] == {"points": old["points"] * 2}
            seen.add(code)
        elif code == "1.6" and not old["na"]:  # an input the new rule turns into points of the new max
            assert new["value"] == old["value"]
            assert new["points"] == evaluate(new_fw.nodes["1.6"], "department", old["value"]).points
            assert new["points"] <= Decimal("0.5")
            seen.add(code)
        elif code in CHANGED | REMOVED:
            assert new["points"] is None and new["value"] is None
        else:
            assert (new["value"], new["points"], new["author"], new["time"]) == \
                (old["value"], old["points"], old["author"], old["time"])
    assert seen == MAX_CHANGED
    rescaled = sum(1 for k, v in before.items() if filled(v) and k[1] in MAX_CHANGED)
    assert report.totals()["rescaled"] == rescaled
    assert {c for a in report.assessments for c in a.needs_score} == {"1.3.3", "1.5.2"}


@pytest.mark.slow  # moves 22 assessments of a demo copy: 20-40 s each here
def test_reset_carries_nothing(demo_copy: Path) -> None:
    db = with_v2(demo_copy)
    before = snapshot(db)
    with open_existing(db) as project:
        report = upgrade_assessments(project, OLD, NEW, "reset")
    after = after_move(db, before)
    assert all(after[k]["points"] is None and after[k]["value"] is None
               for k, v in before.items() if filled(v))
    assert report.totals()["kept"] == report.totals()["rescaled"] == 0
    assert report.totals()["cleared"] == sum(1 for v in before.values() if filled(v))
    with open_existing(db) as project, project.session() as session:
        assert compute_year(session, 2024).frameworks["department"].identity == NEW


@pytest.mark.slow  # moves 22 assessments of a demo copy: 20-40 s each here
def test_a_dry_run_writes_nothing_and_shows_exactly_what_the_move_does(demo_copy: Path, run_cli) -> None:
    db = with_v2(demo_copy)
    print_before = project_fingerprint(db)
    code, out, err = run_cli("framework", "upgrade", "--db", db, "--from", OLD, "--to", NEW, "--strategy",
                             "rescale", "--dry-run", "--format", "json")
    assert code == 0, err
    assert project_fingerprint(db) == print_before
    preview = json.loads(out)
    assert preview["dry_run"] is True and preview["backup"] is None
    code, out, err = run_cli("framework", "upgrade", "--db", db, "--from", OLD, "--to", NEW, "--strategy",
                             "rescale", "--reason", "QĐ 12", "--format", "json")
    assert code == 0, err
    done = json.loads(out)
    assert done["dry_run"] is False and Path(done["backup"]).is_file()
    for name in ("totals", "assessments", "diff", "old", "new", "strategy"):
        assert preview[name] == done[name], name
    assert done["totals"]["assessments"] == 22
    # the table, in Vietnamese
    code, out, err = run_cli("framework", "upgrade", "--db", db, "--from", OLD, "--to", NEW, "--strategy",
                             "keep", "--dry-run", "--lang", "vi")
    assert code == 0, err
    assert "Xem trước, chưa ghi gì: chuyển 0 bản đánh giá" in out


@pytest.mark.parametrize(("old", "new", "expected"), [
    (NEW, OLD, f"The target version {OLD} must be newer"),
    ("par-district-2024@1", NEW, f"par-district-2024@1 and {NEW} are different sets"),
    (OLD, f"{DEPARTMENT}@9", "The project has no criteria set par-department-2024@9; its sets: "),
    (OLD, "par-department-2024", "“par-department-2024” is not a criteria-set code with a version number"),
])
def test_refused_moves_name_the_problem_and_change_nothing(demo_db: Path, tmp_path: Path, run_cli, old: str,
                                                            new: str, expected: str) -> None:
    from project_helpers import copy_project

    db = with_v2(copy_project(demo_db, tmp_path / "p.db"))
    print_before = project_fingerprint(db)
    code, _, err = run_cli("framework", "upgrade", "--db", db, "--from", old, "--to", new,
                           "--strategy", "keep", "--lang", "en")
    assert code == 1 and expected in err, err
    assert project_fingerprint(db) == print_before


@pytest.mark.slow  # moves 22 assessments of a demo copy: 20-40 s each here
def test_open_conflicts_and_locked_stages_refuse_the_move(demo_copy: Path) -> None:
    db = with_v2(demo_copy)
    with open_existing(db) as project, project.session() as session:
        first = session.scalars(select(Assessment).join(CriteriaSet).where(CriteriaSet.code == DEPARTMENT)
                                .order_by(Assessment.id)).first()
        unit = first.unit.code
        conflict = Conflict(assessment_id=first.id, criterion_code="1.1.1", stage="appraisal1", head_ids=[])
        session.add(conflict)
    print_before = project_fingerprint(db)
    with open_existing(db) as project, pytest.raises(UserError) as refused:
        upgrade_assessments(project, OLD, NEW, "keep")
    assert refused.value.code == "upgrade.open_conflicts"
    assert f"{unit} 1.1.1 (appraisal1)" in refused.value.render("en")
    assert "resolve them" in refused.value.render("en")
    assert f"{unit} 1.1.1 (Thẩm định vòng 1)" in refused.value.render("vi")
    assert project_fingerprint(db) == print_before
    with open_existing(db) as project, project.session() as session:
        session.get(Conflict, conflict.id).status = "resolved"
        session.get(Assessment, first.id).locked = {"self"}
    print_before = project_fingerprint(db)
    with open_existing(db) as project, pytest.raises(UserError) as refused:
        upgrade_assessments(project, OLD, NEW, "rescale")
    assert refused.value.code == "upgrade.locked"
    assert f"{unit} (Tự chấm)" in refused.value.render("vi")
    assert f"{unit} (self)" in refused.value.render("en") and "unlock them" in refused.value.render("en")
    assert project_fingerprint(db) == print_before


def test_the_rule_of_three_rounds_half_up_and_stays_within_the_new_maximum() -> None:
    assert rule_of_three(Decimal("0.75"), Decimal(1), Decimal(2)) == Decimal("1.50")
    assert rule_of_three(Decimal("0.33"), Decimal(1), Decimal("0.5")) == Decimal("0.17")  # 0.165 → 0.17
    assert rule_of_three(Decimal("1"), Decimal("0.75"), Decimal("0.5")) == Decimal("0.5")  # clamped
    assert rule_of_three(Decimal(0), Decimal(1), Decimal(3)) == Decimal("0.00")
