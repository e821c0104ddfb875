"""A project that stored version 1 of the bundled department set keeps it, and ``framework upgrade`` moves
its assessments to the bundled version 2 (tests/data/par-department-2024-v1.yaml is version 1 as it was
shipped): the removed rank leaf's value is cleared and listed, the renumbered leaf is scored again, the
re-weighted 8.7.1 is rescaled by the rule of three, everything else is carried."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from evaluator.frameworks import load_framework
from evaluator.frameworks.registry import find_bundled
from evaluator.models import Assessment, CriteriaSet, Period, Score, Unit, open_project
from evaluator.services.framework_upgrade import upgrade_assessments
from evaluator.services.frameworks import framework_for_kind, store_framework
from evaluator.services.projects import create_project
from evaluator.services.scores import set_score

V1 = Path(__file__).parent / "data" / "par-department-2024-v1.yaml"
CODE = "par-department-2024"


def test_version_1_projects_keep_it_and_move_to_version_2(tmp_path: Path) -> None:
    old = load_framework(V1)
    new = find_bundled(CODE)
    assert (old.version, new is not None and new.version) == (1, 2)
    assert new is not None and old.sha256 != new.sha256
    db = tmp_path / "v1.db"
    with create_project(db, [2024], name="Cũ", bundled=False) as project, project.session() as s:
        store_framework(s, old)
        period = s.scalars(select(Period)).one()
        unit = Unit(code="SO01", name="Sở Nội vụ", kind="department")
        s.add(unit)
        s.flush()
        a = Assessment(unit_id=unit.id, period_id=period.id,
                       criteria_set_id=framework_for_kind(s, 2024, "department").id)
        s.add(a)
        s.flush()
        set_score(s, a.id, "1.6", "appraisal1", value={"numerator": 9, "denominator": 10}, author="t")
        set_score(s, a.id, "8.7.1", "appraisal1", value={"numerator": 9, "denominator": 10}, author="t")
        set_score(s, a.id, "8.7.4", "appraisal1", value={"value": 80}, author="t")    # the rank: removed
        set_score(s, a.id, "8.7.5", "appraisal1", value={"points": "0.75"}, author="t")
        store_framework(s, new)
    with open_project(db) as project:
        report = upgrade_assessments(project, f"{CODE}@1", f"{CODE}@2", "rescale", reason="Bộ tiêu chí v2",
                                     author="Lan")
    (move,) = report.assessments
    assert {(c.criterion, c.why) for c in move.cleared} == {("8.7.4", "changed"), ("8.7.5", "removed")}
    how = {m.criterion: (m.how, m.old_points, m.new_points) for m in move.moved}
    assert how["1.6"] == ("kept", Decimal("1.35"), Decimal("1.35"))      # 1.5 × 90 %
    # 8.7.1 bands 80–<100 % give half the max: 0.75 of 1.5, then 1.25 of 2.5
    assert how["8.7.1"] == ("rescaled", Decimal("0.75"), Decimal("1.25"))
    assert "8.7.4" in move.needs_score
    changed = {c.code: set(c.fields) for c in report.diff.changed}
    assert changed["2"] == {"title"} and changed["8.7.1"] == {"max"}
    with open_project(db) as project, project.session() as s:
        stored = {(r.code, r.version) for r in s.scalars(select(CriteriaSet))}
        assert stored == {(CODE, 1), (CODE, 2)}  # version 1 stays in the project
        points = {r.criterion_code: r.points for r in s.scalars(select(Score)) if r.points is not None}
        assert points == {"1.6": Decimal("1.35"), "8.7.1": Decimal("1.25")}
