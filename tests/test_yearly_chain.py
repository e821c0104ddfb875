"""2023 → 2024 → 2025 on the demo province (issue 13's proof).

The demo gives 2023 and 2024; 2025 is made the way a user makes it: ``plan_new_year`` (the dry run, which
changes nothing) then ``create_new_year`` with the province's own department set whose codes were
renumbered (the mapping follows the titles) and the units' new shape (two departments merged into a new
one, one renamed, the districts retired, communes merged). 2025 is then scored (the demo's own scoring of
a unit, stored in bulk). The year-over-year figures of the results — previous_index, index change, rank
change, previous_basis, the leaves' changes, last year's lost points — are checked against values worked
out here from each year's own figures and from the stored scores.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from sqlalchemy import insert, select
from test_new_year import renumbered_set

from evaluator.frameworks.files import load_framework
from evaluator.frameworks.model import STAGES, Framework
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, Score, Unit
from evaluator.reports import text
from evaluator.resources import resource
from evaluator.services import demo
from evaluator.services.criteria_mapping import leaf_mapping
from evaluator.services.frameworks import framework_of, read_sets
from evaluator.services.new_year import create_new_year, plan_new_year
from evaluator.services.projects import open_existing
from evaluator.services.publication_data import publication
from evaluator.services.reorganisation import UnitChange
from evaluator.services.results import compute_year
from evaluator.services.shortcomings import last_year_by_leaf, year_shortcomings

FRAMEWORKS = resource("frameworks")
CHANGES = [
    UnitChange("merge", "SO30", "Sở Xây dựng", ("SO07", "SO08")),  # transport into construction
    UnitChange("rename", "SO24", "Sở Dân tộc và Tôn giáo", ("SO19",)),
    UnitChange("retire-kind", kind="district"),
    UnitChange("merge", "X2501", "UBND phường An Khánh", ("X0101", "X0102", "X0103")),
    UnitChange("merge", "X2502", "UBND phường Bắc An Khánh", ("X0104", "X0105")),
]
CENT = Decimal("0.01")


def _score_2025(project: Any) -> None:
    """Every assessment of 2025 scored at every stage as the demo scores a unit, with evidence files."""
    rng = random.Random(2025)

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    t = datetime(2025, 11, 1, 8, 0, tzinfo=UTC)
    with project.session(write=True) as s:
        rows = s.execute(select(Assessment.id, Unit.code, Unit.name, Unit.kind, Assessment.criteria_set_id)
                         .join(Unit).join(Period).where(Period.year == 2025).order_by(Unit.code)).all()
        scores: list[dict[str, Any]] = []
        files: list[dict[str, Any]] = []
        for a_id, code, name, kind, set_id in rows:
            fw = framework_of(s.get_one(CriteriaSet, set_id))
            unit = demo.DemoUnit(code, name, kind, None, rng.uniform(0.55, 0.95))
            demo._score_unit(fw, unit, unit.quality, 2025, a_id, t, rng, new_id, scores, [], [])
            files += demo._evidence_for(fw, unit, 2025, a_id, t, rng, new_id, project.evidence)
        s.execute(insert(Score), scores)
        s.execute(insert(Evidence), files)


def _final_points(session: Any, year: int, code: str, fw: Framework, kind: str) -> dict[str, Decimal]:
    """By hand from the stored rows: each leaf's points in its last non-empty stage (the survey's for a
    survey leaf) — for leaves whose points are stored (not relative, not "không đánh giá")."""
    rows = session.execute(select(Score.criterion_code, Score.stage, Score.points, Score.not_applicable)
                           .join(Assessment).join(Unit).join(Period)
                           .where(Unit.code == code, Period.year == year)).all()
    by_leaf: dict[str, dict[str, tuple[Any, bool]]] = {}
    for leaf, stage, points, na in rows:
        by_leaf.setdefault(leaf, {})[stage] = (points, na)
    out = {}
    for node in fw.leaves(kind):
        if node.rule is not None and node.rule.is_relative:
            continue
        stages = by_leaf.get(node.code, {})
        order = ("survey",) if node.source == "survey" else tuple(reversed(STAGES))
        final = next((stages[st] for st in order if st in stages and (stages[st][0] is not None
                                                                       or stages[st][1])), None)
        if final is not None and not final[1]:
            out[node.code] = Decimal(str(final[0])).quantize(CENT)
    return out


def _mean(values: list[Decimal], places: Decimal) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(places, rounding=ROUND_HALF_UP)


def _own(results: Any) -> dict[str, Any]:
    """Each unit's own figures of a year (index as a Decimal, rank), by code."""
    out = {}
    for r in results.units.itertuples(index=False):
        index = None if int(r.index_scaled) < 0 else Decimal(int(r.index_scaled)).scaleb(-int(r.decimals))
        out[str(r.code)] = {"index": index, "rank": int(r.rank), "kind": str(r.kind),
                            "points_c": int(r.points_c), "assessment": r.assessment}
    return out


@pytest.mark.slow
def test_2023_2024_2025(demo_copy: Path, tmp_path: Path) -> None:
    renumbered = tmp_path / "par-department-2025-renumbered.yaml"
    renumbered_set(FRAMEWORKS / "par-department-2025.yaml", renumbered)
    set_files = read_sets([renumbered, FRAMEWORKS / "par-commune-2025.yaml"])

    # the dry run: the plan lists everything and the project is unchanged, to the byte
    before = project_fingerprint(demo_copy)
    with open_existing(demo_copy) as project, project.session() as s:
        plan = plan_new_year(s, 2025, set_files=set_files, reorganise=CHANGES)
    assert project_fingerprint(demo_copy) == before
    planned = {u.code for u in plan.units}
    assert {"SO30", "SO24", "X2501", "X2502", "SO01", "X0201"} <= planned
    assert not {"SO07", "SO08", "SO19", "X0101", "X0105"} & planned
    assert {u.kind for u in plan.dropped + plan.retired if u.code.startswith("H")} == {"district"}
    assert not any(u.kind == "district" for u in plan.units)

    with open_existing(demo_copy) as project:
        create_new_year(project, plan, author="Tester")
        _score_2025(project)
        with project.session() as s:
            # the mapping follows the titles of the renumbered set
            old_set = next(framework_of(r) for r in s.scalars(select(CriteriaSet).where(
                CriteriaSet.year == 2024)) if "department" in framework_of(r).unit_kinds)
            new_set = load_framework(renumbered)
            titles = {n.title: n.code for n in new_set.leaves("department")}
            mapping = leaf_mapping(s, 2025, "department")
            same_title = [n for n in old_set.leaves("department") if n.title in titles]
            assert len(same_title) > 50
            assert all(mapping[n.code] == titles[n.title] for n in same_title)
            assert any(titles[n.title] != n.code for n in same_title)  # the codes did move

            y23 = _own(compute_year(s, 2023, previous=False))
            y24 = _own(compute_year(s, 2024, previous=False))
            y25 = _own(compute_year(s, 2025, previous=False))
            r24, r25 = compute_year(s, 2024), compute_year(s, 2025)
            pub = publication(s, 2025)
            leaves_25 = {c: _final_points(s, 2025, c, new_set, "department") for c in ("SO24", "SO30")}
            leaves_24 = {c: _final_points(s, 2024, c, old_set, "department")
                         for c in ("SO19", "SO07", "SO08")}
            commune_set = next(fw for fw in plan.sets if "commune" in fw.unit_kinds)
            commune_24 = next(framework_of(r) for r in s.scalars(select(CriteriaSet).where(
                CriteriaSet.year == 2024)) if "commune" in framework_of(r).unit_kinds)
            x_leaves_24 = {c: _final_points(s, 2024, c, commune_24, "commune") for c in ("X0101", "X0102",
                                                                                         "X0103")}
            # the workspace's last-year line and ``evaluator shortcomings`` follow the predecessors too
            shown = last_year_by_leaf(s, 2025, "SO30", "department")
            cli = year_shortcomings(s, 2025, "SO30")["SO30"]
            renamed_cli = year_shortcomings(s, 2025, "SO24")["SO24"]
    assert commune_set is not None
    j24 = {u["code"]: u for u in r24.to_json()["units"]}
    j25 = {u["code"]: u for u in r25.to_json()["units"]}

    # 2023 → 2024: the same units by code; a commune created in 2024 is new
    assert j24["SO01"]["previous_basis"] == "same"
    assert j24["SO01"]["previous_index"] == float(y23["SO01"]["index"])
    assert j24["SO01"]["rank_change"] == y23["SO01"]["rank"] - y24["SO01"]["rank"]
    assert j24["SO01"]["changes"]["index_change"] == pytest.approx(
        float(y24["SO01"]["index"] - y23["SO01"]["index"]))
    assert j24["X0105"]["previous_basis"] == "new" and j24["X0105"]["changes"] is None

    # 2024 → 2025: no district; a unit kept by code
    assert not any(u["kind"] == "district" for u in j25.values())
    assert not {"SO07", "SO08", "SO19", "X0101"} & set(j25)
    so01 = j25["SO01"]
    assert so01["previous_basis"] == "same"
    assert so01["rank_change"] == y24["SO01"]["rank"] - y25["SO01"]["rank"]
    assert so01["changes"]["index_change"] == pytest.approx(
        float(y25["SO01"]["index"] - y24["SO01"]["index"]))

    # renamed: compared with the unit it was, rank change included
    so24 = j25["SO24"]
    assert so24["previous_basis"] == "renamed" and so24["predecessors"] == ["SO19"]
    assert so24["previous_index"] == float(y24["SO19"]["index"])
    assert so24["rank_change"] == y24["SO19"]["rank"] - y25["SO24"]["rank"]
    assert so24["points_change"] == pytest.approx((y25["SO24"]["points_c"] - y24["SO19"]["points_c"]) / 100)
    c24 = r25.changes["SO24"]
    assert c24.basis == "renamed" and c24.rank_change == so24["rank_change"]
    assert so24["changes"]["index_change"] == pytest.approx(
        float(y25["SO24"]["index"] - y24["SO19"]["index"]))
    assert so24["changes"]["previous_basis"] == "renamed" and so24["changes"]["predecessors"] == ["SO19"]
    assert all(x.unit == "" for x in c24.shortcomings) and c24.shortcomings

    # merged: its predecessors' mean index (rounded half up), no rank change
    for code, preds in (("SO30", ("SO07", "SO08")), ("X2501", ("X0101", "X0102", "X0103")),
                        ("X2502", ("X0104", "X0105"))):
        u = j25[code]
        mean = _mean([y24[p]["index"] for p in preds], CENT)
        assert u["previous_basis"] == "merged" and u["predecessors"] == list(preds), code
        assert u["previous_index"] == float(mean), code
        assert u["rank_change"] is None and u["points_change"] is None, code
        assert u["changes"]["rank_change"] is None
        assert u["changes"]["index_change"] == pytest.approx(float(y25[code]["index"] - mean)), code
        assert u["changes"]["previous_index"] == float(mean)
        # lost points inherited from every predecessor, each labelled with its source unit
        assert {x.unit for x in r25.changes[code].shortcomings} == set(preds), code

    # the merged unit's area index against the mean of its predecessors' index of the same area — found
    # through the mapping: the renumbered set swapped areas 1 and 2
    area_by = {(a.assessment, str(a.area)): a for a in r24.areas.itertuples(index=False)}
    now_by = {(a.assessment, str(a.area)): a for a in r25.areas.itertuples(index=False)}
    areas = {a["code"]: a for a in r25.changes["SO30"].areas}
    for new_area, old_area in (("1", "2"), ("2", "1"), ("3", "3")):
        olds = [Decimal(int(area_by[(y24[p]["assessment"], old_area)].index_scaled)).scaleb(-2)
                for p in ("SO07", "SO08")]
        now = Decimal(int(now_by[(y25["SO30"]["assessment"], new_area)].index_scaled)).scaleb(-2)
        assert areas[new_area]["previous_code"] == old_area
        assert areas[new_area]["previous_index"] == float(_mean(olds, CENT))
        assert areas[new_area]["index_change"] == pytest.approx(float(now - _mean(olds, CENT)))
    so01_areas = {a["code"]: a for a in r25.changes["SO01"].areas}
    old_2 = Decimal(int(area_by[(y24["SO01"]["assessment"], "2")].index_scaled)).scaleb(-2)
    assert so01_areas["1"]["previous_index"] == float(old_2)

    # leaf changes by hand from the stored scores: the renamed unit against its predecessor's mapped leaf,
    # the merged unit against its predecessors' mean
    checked = 0
    for change in [*c24.gained, *c24.lost]:
        olds = change.previous_codes
        if change.code in leaves_25["SO24"] and all(o in leaves_24["SO19"] for o in olds):
            assert change.previous_points == sum(leaves_24["SO19"][o] for o in olds)
            assert change.points == leaves_25["SO24"][change.code]
            checked += 1
    c30 = r25.changes["SO30"]
    for change in [*c30.gained, *c30.lost]:
        olds = change.previous_codes
        if change.code in leaves_25["SO30"] and all(o in leaves_24[p] for p in ("SO07", "SO08")
                                                    for o in olds):
            per_unit = [sum(leaves_24[p][o] for o in olds) for p in ("SO07", "SO08")]
            assert change.previous_points == _mean(per_unit, CENT)
            checked += 1
    assert checked >= 2
    # last year's lost points of the merged communes: every leaf below its maximum by hand is followed
    x1 = r25.changes["X2501"]
    for p in ("X0101", "X0102", "X0103"):
        lost_by_hand = {code for code, pts in x_leaves_24[p].items()
                        if commune_24.nodes[code].role == "scored"
                        and pts < commune_24.nodes[code].max["commune"]}
        followed = {x.code for x in x1.shortcomings if x.unit == p}
        assert lost_by_hand <= followed, p

    assert {o.unit for outcomes in shown.values() for o in outcomes} == {"SO07", "SO08"}
    one = next(iter(shown.values()))[0]
    assert mapping[one.code] in shown and one.points == leaves_24[one.unit].get(one.code, one.points)
    assert [(x.unit, x.code, x.status) for x in cli] == [(x.unit, x.code, x.status) for x in c30.shortcomings]
    assert {x.unit for x in renamed_cli} == {""} and len(renamed_cli) == len(c24.shortcomings)

    # the publication: "gộp" / "đổi tên" in the rank-change column, the basis in "So với năm trước"
    dept = next(sec for sec in pub.sections if sec.kind == "department")
    rows = {r.code: r for r in dept.rows}
    assert text.rank_change(rows["SO30"].rank_change, dept.compared, rows["SO30"].basis) == "gộp"
    assert text.rank_change(rows["SO24"].rank_change, dept.compared, rows["SO24"].basis).endswith("(đổi tên)")
    changes = {c.code: c for c in dept.changes}
    assert changes["SO30"].basis == "merged" and changes["SO30"].predecessors == ("SO07", "SO08")
    assert changes["SO30"].rank_change is None
    assert pub.data()["units"][[u["code"] for u in pub.data()["units"]].index("SO30")]["changes"][
        "previous_basis"] == "merged"
