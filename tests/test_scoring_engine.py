"""Scoring whole units: the per-unit reference path (``score_unit``/``score_units``) and the batch path
(``score_batch``). Every scenario runs through both (``score_both`` asserts they agree on every unit,
area and node) and is then checked against numbers worked out by hand.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scoring_helpers import (
    E,
    build,
    entries_frame,
    evidence_frame,
    find,
    framework_doc,
    manual_leaf,
    mini_doc,
    score_both,
    units_frame,
)

from evaluator.frameworks import Framework, load_framework
from evaluator.scoring import evaluate, score_batch, score_unit
from evaluator.scoring.survey import Answer, survey_points

D = Decimal


@pytest.fixture(scope="module")
def fw() -> Framework:
    from scoring_helpers import MINI

    return load_framework(MINI)


def single_leaf_fw(mx: Any, **fields: Any) -> Framework:
    """One area "1" holding one manual leaf "1.1" worth ``mx``: the index is points ÷ mx × 100."""
    return build(framework_doc([{"code": "1", "title": "A", "max": mx, "children": [manual_leaf("1.1", mx)]}],
                               **fields))


# --- stages ------------------------------------------------------------------------------------------
def test_stage_precedence(fw: Framework) -> None:
    entries = {
        "self_only": [E("2.6", "self", 1)],
        "appraised": [E("2.6", "self", 1), E("2.6", "appraisal1", "1.5")],
        "round2": [E("2.6", "self", 1), E("2.6", "appraisal1", "1.5"), E("2.6", "explanation", "1.75"),
                   E("2.6", "appraisal2", "0.5")],
        "empty_later": [E("2.6", "self", 1), E("2.6", "appraisal1", "1.5"), E("2.6", "appraisal2")],
        "explanation": [E("2.6", "explanation", "1.25"), E("2.6", "self", 2)],
        "zero_later": [E("2.6", "self", 2), E("2.6", "appraisal1", 0)],   # 0 is a value, not "empty"
    }
    both = score_both(fw, dict.fromkeys(entries, "district"), entries)
    expected = {"self_only": ("1", "self"), "appraised": ("1.5", "appraisal1"),
                "round2": ("0.5", "appraisal2"), "empty_later": ("1.5", "appraisal1"),
                "explanation": ("1.25", "explanation"), "zero_later": ("0", "appraisal1")}
    for unit, (points, stage) in expected.items():
        assert both.points(unit, "2.6") == D(points), unit
        assert both.unit(unit).final_stage["2.6"] == stage, unit
        assert both.points(unit) == D(points)
    assert both.index("appraised") == D("7.50")   # 1.5 of 20
    assert both.index("round2") == D("2.50")


def test_survey_leaves_take_only_the_survey_stage(fw: Framework) -> None:
    entries = {
        "a": [E("2.2", "self", 2), E("2.2", "appraisal2", 2)],             # appraisal stages: ignored
        "b": [E("2.2", "survey", "1.75"), E("2.6", "survey", 2)],           # survey stage on 2.6: ignored
    }
    both = score_both(fw, {"a": "district", "b": "district"}, entries)
    assert both.points("a", "2.2") == 0 and both.unit("a").final_stage["2.2"] is None
    assert both.points("b", "2.2") == D("1.75") and both.points("b", "2.6") == 0
    assert both.unit("b").survey == D("1.75") and both.unit("b").appraisal == 0
    assert int(both.row("b")["survey_c"]) == 175


# --- not applicable ----------------------------------------------------------------------------------
def test_not_applicable_leaves_both_points_and_max(fw: Framework) -> None:
    entries = {"a": [E("1.1", "self", 2), E("1.3", "self", na=True), E("2.6", "appraisal1", "1.5")]}
    both = score_both(fw, {"a": "district"}, entries, {"a": ["1.1"]})
    assert (both.points("a"), both.max("a")) == (D("3.5"), D(18))
    assert both.index("a") == D("19.44")   # 3.5 / 18 × 100 = 19.444…
    assert both.class_code("a") == "yeu"
    areas = both.batch.areas.set_index("area")[["points_c", "max_c", "index_scaled"]]
    assert areas.loc["1"].tolist() == [200, 600, 3333]    # 2 of 6
    assert areas.loc["2"].tolist() == [150, 1200, 1250]   # 1.5 of 12
    assert both.unit("a").area_index("1") == D("33.33")


def test_not_applicable_follows_stage_precedence(fw: Framework) -> None:
    entries = {
        "later_na": [E("1.3", "self", 2), E("1.3", "appraisal1", na=True)],
        "later_points": [E("1.3", "self", na=True), E("1.3", "appraisal1", 1)],
    }
    both = score_both(fw, dict.fromkeys(entries, "district"), entries)
    assert (both.points("later_na"), both.max("later_na")) == (0, 18)
    assert (both.points("later_points"), both.max("later_points")) == (1, 20)


def test_not_applicable_under_a_capped_parent_caps_the_applicable_max(fw: Framework) -> None:
    # 1.4 (max 2, cap_children) holds 1.4.1 (1.5) and 1.4.2 (1): with 1.4.1 not applicable its
    # applicable max is min(1, 2) = 1.
    both = score_both(fw, {"a": "district"}, {"a": [E("1.4.1", "self", na=True), E("1.4.2", "self", 1)]})
    assert (both.points("a", "1.4"), both.max("a", "1.4")) == (1, 1)
    assert (both.points("a"), both.max("a")) == (1, 19)
    assert both.index("a") == D("5.26")   # 1/19 = 5.263…


def test_unit_with_nothing_applicable_has_no_index_or_class() -> None:
    doc = framework_doc([{"code": "1", "title": "A", "max": 2, "children": [
        manual_leaf("1.1", 1, not_applicable_allowed=True),
        manual_leaf("1.2", 1, not_applicable_allowed=True)]}])
    f = build(doc)
    entries = {"none": [E("1.1", "self", na=True), E("1.2", "appraisal1", na=True)], "empty": []}
    both = score_both(f, {"none": "district", "empty": "district"}, entries)
    s = both.unit("none")
    assert (s.points, s.max, s.index, s.index_raw, s.class_code) == (0, 0, None, None, None)
    row = both.row("none")
    assert (int(row["max_c"]), int(row["index_scaled"])) == (0, -1)
    assert pd.isna(row["class_code"])
    assert np.isnan(row["index_raw"])
    assert int(both.batch.areas.set_index("unit").loc["none", "index_scaled"]) == -1
    assert s.area_index("1") is None
    # A unit that entered nothing still has its full max: 0 of 2 → 0.00, weak.
    assert (both.max("empty"), both.index("empty"), both.class_code("empty")) == (2, D("0.00"), "yeu")


# --- evidence ----------------------------------------------------------------------------------------
def test_evidence_required_self_assessment_without_evidence_scores_zero(fw: Framework) -> None:
    entries = {
        "no_evidence": [E("1.1", "self", 2), E("2.6", "self", 2)],
        "evidence": [E("1.1", "self", 2)],
        "other_evidence": [E("1.1", "self", 2)],
        "appraised": [E("1.1", "self", 2), E("1.1", "appraisal1", 2)],
        "empty_appraisal": [E("1.1", "self", 2), E("1.1", "appraisal1")],
        "round2": [E("1.1", "self", 1), E("1.1", "appraisal2", "1.5")],
    }
    evidence = {"evidence": ["1.1"], "other_evidence": ["1.2"]}
    both = score_both(fw, dict.fromkeys(entries, "district"), entries, evidence)
    got = {u: both.points(u, "1.1") for u in entries}
    assert got == {"no_evidence": 0, "evidence": 2, "other_evidence": 0, "appraised": 2,
                   "empty_appraisal": 0, "round2": D("1.5")}
    assert both.points("no_evidence", "2.6") == 2   # 2.6 does not require evidence
    assert both.max("no_evidence") == 20            # the max still counts


def test_batch_without_an_evidence_frame_treats_every_leaf_as_unevidenced(fw: Framework) -> None:
    entries = entries_frame({"a": [E("1.1", "self", 2), E("2.6", "self", 2)]})
    result = score_batch(fw, units_frame({"a": "district"}), entries)
    assert int(result.units.loc[0, "points_c"]) == 200
    assert score_unit(fw, "district", [E("1.1", "self", 2), E("2.6", "self", 2)]).points == 2


# --- aggregation, cap_children -----------------------------------------------------------------------
def test_cap_children_parent_is_capped(fw: Framework) -> None:
    entries = {
        "capped": [E("1.4.1", "self", "1.5"), E("1.4.2", "self", 1)],   # 2.5 → capped at 2
        "under": [E("1.4.1", "self", "0.5"), E("1.4.2", "self", 1)],    # 1.5
    }
    both = score_both(fw, dict.fromkeys(entries, "district"), entries)
    assert (both.points("capped", "1.4"), both.max("capped", "1.4")) == (2, 2)
    assert both.points("capped", "1") == 2 and both.max("capped", "1") == 8
    assert both.points("capped") == 2
    assert both.points("under", "1.4") == D("1.5")
    nodes = both.batch.nodes
    assert nodes is not None
    row = nodes[(nodes["unit"] == "capped") & (nodes["node"] == "1.4")]
    assert (int(row["points_c"].iloc[0]), int(row["max_c"].iloc[0])) == (200, 200)


def test_points_outside_the_leaf_range_are_clamped(fw: Framework) -> None:
    both = score_both(fw, {"a": "district"}, {"a": [E("2.6", "self", 3), E("2.1", "self", "-0.5")]})
    assert both.points("a", "2.6") == 2 and both.points("a", "2.1") == 0


def test_an_area_that_is_itself_a_leaf() -> None:
    # Regression: the batch path used to leave out an area without children (0 of 0).
    doc = framework_doc([manual_leaf("1", 4), {"code": "2", "title": "B", "max": 6,
                                               "children": [manual_leaf("2.1", 6)]}])
    f = build(doc)
    both = score_both(f, {"a": "district"}, {"a": [E("1", "self", 3), E("2.1", "self", 5)]})
    assert (both.points("a"), both.max("a"), both.index("a")) == (8, 10, D("80.00"))
    areas = both.batch.areas.set_index("area")
    assert (int(areas.loc["1", "points_c"]), int(areas.loc["1", "max_c"])) == (300, 400)


# --- a whole unit from raw inputs --------------------------------------------------------------------
def test_full_mini_from_raw_inputs(fw: Framework) -> None:
    def ev(code: str, kind: str, value: dict[str, Any]) -> Decimal | None:
        return evaluate(fw.nodes[code], kind, value).points

    sipas = ev("2.2", "district", {"value": 87.5})
    survey = survey_points(fw.nodes["2.3"], "district", [
        Answer("c1", "citizens", "Q1", "A"), Answer("c2", "citizens", "Q1", "B"),
        Answer("o1", "officials", "Q2", "C"), Answer("o2", "officials", "Q2", "D")], fw.answer_weights).points
    d1 = [
        E("1.1", "self", ev("1.1", "district", {"done": True})),
        E("1.2", "self", ev("1.2", "district", {"option": "on_time"})),
        E("1.2", "appraisal1", ev("1.2", "district", {"option": "late"})),
        E("1.3", "self", ev("1.3", "district", {"numerator": 85, "denominator": 100})),
        E("1.4.1", "self", ev("1.4.1", "district", {"value": 95})),
        E("1.4.2", "self", ev("1.4.2", "district", {"count": 2})),
        E("2.1", "self", ev("2.1", "district", {"count": 2})),
        E("2.2", "survey", sipas), E("2.3", "survey", survey),
        E("2.4", "self", value=90), E("2.5", "self", value=7),
        E("2.6", "appraisal1", ev("2.6", "district", {"points": "1.25"})),
        E("T", "self", ev("T", "district", {"count": 1})),
        E("P", "appraisal1", ev("P", "district", {"count": 1})),
    ]
    d2 = [E("1.1", "self", 2), E("2.4", "self", value=80), E("2.5", "self", value=5)]
    c1 = [E("1.2", "self", ev("1.2", "commune", {"option": "late"})),
          E("2.4", "self", value=1), E("2.5", "self", value=3)]
    both = score_both(fw, {"d1": "district", "d2": "district", "c1": "commune"},
                      {"d1": d1, "d2": d2, "c1": c1}, {"d1": ["1.1"]})
    # d1: area 1 = 2 + 1 + 1 + (1.5 + 0.5) = 6; area 2 = 0.5 + 1.75 + 1.77 + 2 + 2 + 1.25 = 9.27
    assert both.points("d1", "1") == 6 and both.points("d1", "2") == D("9.27")
    s = both.unit("d1")
    assert (s.scored, s.bonus, s.penalty, s.points, s.max) == (D("15.27"), D("0.5"), D("0.5"), D("15.27"), 20)
    assert (s.appraisal, s.survey) == (D("11.75"), D("3.52"))
    assert (both.index("d1"), both.class_code("d1")) == (D("76.35"), "kha")
    # d2: 1.1 self without evidence → 0; 2.4 rank 2 of 2 → full; 2.5 lowest of the two → 0.
    assert (both.points("d2"), both.index("d2"), both.class_code("d2")) == (2, D("10.00"), "yeu")
    # c1: 'late' is 0.5 for communes; alone among communes: rank 1 (full) and min = max (full).
    assert both.points("c1", "1.2") == D("0.5")
    assert (both.points("c1", "2.4"), both.points("c1", "2.5")) == (2, 2)
    assert (both.points("c1"), both.index("c1")) == (D("4.5"), D("22.50"))


# --- relative leaves among peers ---------------------------------------------------------------------
def test_relative_leaves_among_peers_of_the_same_kind(fw: Framework) -> None:
    entries = {
        "a": [E("2.4", "self", value=90), E("2.5", "self", value=10)],
        "b": [E("2.4", "self", value=80), E("2.5", "self", value=0)],
        "c": [E("2.4", "self", value=80)],
        "d": [E("2.4", "self", value=70)],
        "e": [E("2.4", "self", value=100), E("2.4", "appraisal1", "0.5")],   # points override: not a peer
        "g": [E("2.4", "self", value=10), E("2.4", "appraisal1", value=99)],  # the later value counts
        "k": [E("2.4", "self", value=1000), E("2.5", "self", value=-50)],     # another kind: not a peer
    }
    units = {u: "district" for u in entries if u != "k"} | {"k": "commune"}
    both = score_both(fw, units, entries)
    # 2.4 peers: g 99, a 90, b 80, c 80, d 70 → ranks 1, 2, 3, 3, 5 → points 2, 2, 2, 2, 1
    # (ranks up to 3 full, up to 10 half)
    got = {u: both.points(u, "2.4") for u in entries}
    assert got == {"a": 2, "b": 2, "c": 2, "d": 1, "e": D("0.5"), "g": 2, "k": 2}
    # 2.5 peers: a 10, b 0 → a full, b nothing; c has no value → 0
    assert [both.points(u, "2.5") for u in "abc"] == [2, 0, 0]
    assert both.points("k", "2.5") == 2


def test_relative_points_with_many_peers_and_shared_ranks(fw: Framework) -> None:
    values = [50, 40, 40, 30, 30, 30, 20, 10, 10, 10, 10, 5]
    entries = {f"u{i:02d}": [E("2.4", "self", value=v)] for i, v in enumerate(values)}
    both = score_both(fw, dict.fromkeys(entries, "district"), entries)
    # ranks: 1, 2, 2, 4, 4, 4, 7, 8, 8, 8, 8, 12 → full up to 3, half up to 10, then 0
    expected = [2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 0]
    assert [both.points(u, "2.4") for u in entries] == expected


# --- bonus and penalty -------------------------------------------------------------------------------
def bonus_fw() -> Framework:
    doc = mini_doc()
    doc["penalty_cap"] = 2.5
    find(doc, "1")["children"].append({"code": "T2", "title": "Thưởng lĩnh vực", "role": "bonus", "max": 1.5,
                                       "rule": {"kind": "manual"}})
    find(doc, "2")["children"].append({"code": "P2", "title": "Trừ lĩnh vực", "role": "penalty", "max": 1.5,
                                       "rule": {"kind": "manual"}})
    return build(doc)


def full_marks() -> list:
    """Every scored leaf of mini at its max (20 points)."""
    appraisal = {"1.1": 2, "1.2": 2, "1.3": 2, "1.4.1": "1.5", "1.4.2": 1, "2.1": 1, "2.4": 2, "2.5": 2,
                 "2.6": 2}
    survey = [E("2.2", "survey", 2), E("2.3", "survey", 3)]
    return [E(c, "appraisal1", p) for c, p in appraisal.items()] + survey


def test_bonus_and_penalty_with_caps_and_a_floor_at_zero() -> None:
    f = bonus_fw()
    entries = {
        "capped_bonus": [E("2.6", "self", 2), E("T", "self", 2), E("T2", "self", "1.5"), E("P", "self", 1)],
        "capped_penalty": [E("2.6", "self", 1), E("P", "self", 2), E("P2", "appraisal1", "1.5")],
        "over_100": [*full_marks(), E("T", "self", 3)],   # T is capped at its own max 2
    }
    both = score_both(f, dict.fromkeys(entries, "district"), entries)
    s = both.unit("capped_bonus")   # scored 2, bonus 2 + 1.5 → cap 2, penalty 1 → 3
    assert (s.scored, s.bonus, s.penalty, s.points) == (2, 2, 1, 3)
    assert (s.index, s.class_code) == (D("15.00"), "yeu")
    # T2 sits under area 1 but outside its points
    assert (both.points("capped_bonus", "1"), both.max("capped_bonus", "1")) == (0, 8)
    row = both.row("capped_bonus")
    assert (int(row["bonus_c"]), int(row["penalty_c"]), int(row["scored_c"])) == (200, 100, 200)
    s = both.unit("capped_penalty")   # scored 1, penalty 2 + 1.5 → cap 2.5: 1 − 2.5 → 0, never below
    assert (s.scored, s.penalty, s.points, s.index) == (1, D("2.5"), 0, D("0.00"))
    s = both.unit("over_100")   # 20 + 2 of 20, capped at 100 % (cap_total's default)
    assert (s.scored, s.bonus, s.points, s.max) == (20, 2, 20, 20)
    assert (s.index, s.class_code) == (D("100.00"), "xuat_sac")


def test_an_uncapped_total_goes_above_100() -> None:
    doc = mini_doc()
    doc["cap_total"] = False
    entries = {"over_100": [*full_marks(), E("T", "self", 3)]}
    s = score_both(build(doc), {"over_100": "district"}, entries).unit("over_100")   # 20 + 2 of 20
    assert (s.scored, s.bonus, s.points, s.max) == (20, 2, 22, 20)
    assert (s.index, s.class_code) == (D("110.00"), "xuat_sac")


# --- survey missing: zero vs rescale -----------------------------------------------------------------
@pytest.mark.parametrize(("policy", "a_index", "a_max", "area2"), [
    ("zero", "17.50", 20, 1250),       # 3.5 of 20; area 2: 1.5 of 12
    ("rescale", "23.33", 15, 2143),    # 3.5 of 15 (2.2 and 2.3 leave); area 2: 1.5 of 7 = 21.43
])
def test_without_survey_policy(policy: str, a_index: str, a_max: int, area2: int) -> None:
    doc = mini_doc()
    doc["survey"]["without_survey"] = policy
    f = build(doc)
    entries = {
        "a": [E("1.1", "appraisal1", 2), E("2.6", "appraisal1", "1.5")],
        "b": [E("1.1", "appraisal1", 2), E("2.6", "appraisal1", "1.5"), E("2.2", "survey", "1.75")],
        "c": [E("1.1", "appraisal1", 2), E("2.6", "appraisal1", "1.5"), E("2.3", "survey", na=True)],
    }
    both = score_both(f, dict.fromkeys(entries, "district"), entries)
    assert (both.points("a"), both.max("a"), both.index("a")) == (D("3.5"), a_max, D(a_index))
    areas = both.batch.areas.set_index(["unit", "area"])
    assert int(areas.loc[("a", "2"), "index_scaled"]) == area2
    # b has a survey value: 2.3 counts as 0 of 3 under both policies → 5.25 of 20
    assert (both.points("b"), both.max("b"), both.index("b")) == (D("5.25"), 20, D("26.25"))
    # c's survey leaf is marked not applicable: that is a survey entry, so 2.2 counts → 3.5 of 17
    assert (both.max("c"), both.index("c")) == (17, D("20.59"))


# --- per-kind maxima and classes ---------------------------------------------------------------------
def test_per_kind_maxima() -> None:
    doc = mini_doc()
    find(doc, "2.6")["max"] = {"district": 2}               # not for communes
    find(doc, "2.1")["max"] = {"district": 1, "commune": 3}  # worth more for communes
    f = build(doc)
    same = [E("2.1", "self", 1), E("2.6", "self", 2)]
    entries = {"d": same, "c": [E("2.1", "self", "2.5"), E("2.6", "self", 2)]}
    both = score_both(f, {"d": "district", "c": "commune"}, entries)
    assert (both.points("d"), both.max("d"), both.index("d")) == (3, 20, D("15.00"))
    assert (both.points("c"), both.max("c"), both.index("c")) == (D("2.5"), 20, D("12.50"))
    assert "2.6" not in both.unit("c").nodes
    assert both.max("c", "2.1") == 3 and both.max("c", "2") == 12
    nodes = both.batch.nodes
    assert nodes is not None
    assert set(nodes.loc[nodes["unit"] == "c", "node"]) == {n.code for n in f if n.applies_to("commune")}


def test_classes_per_kind() -> None:
    doc = mini_doc()
    groups = [{"code": "A", "label": "Nhóm A", "min": 80}, {"code": "B", "label": "Nhóm B", "min": 0}]
    doc["classes"] = {"district": groups, "commune": doc["classes"]}
    f = build(doc)
    entries = {u: [*full_marks()[:9], E("2.2", "survey", 2)] for u in ("d", "c")}
    # every appraisal leaf at max (15, 1.4 capped at 2) + 2.2 (2) = 17 of 20 = 85 %
    both = score_both(f, {"d": "district", "c": "commune"}, entries)
    assert both.index("d") == both.index("c") == D("85.00")
    assert (both.class_code("d"), both.class_code("c")) == ("A", "tot")


@pytest.mark.parametrize(("points", "index", "rounded", "raw"), [
    ("225", "90.00", "xuat_sac", "xuat_sac"),
    ("224.99", "90.00", "xuat_sac", "tot"),          # 89.996 rounds to 90.00
    ("224.98", "89.99", "tot", "tot"),               # 89.992
    ("200", "80.00", "tot", "tot"),
    ("199.99", "80.00", "tot", "kha"),               # 79.996
    ("174.99", "70.00", "kha", "trung_binh"),        # 69.996
    ("124.99", "50.00", "trung_binh", "yeu"),        # 49.996
    ("124.98", "49.99", "yeu", "yeu"),
    ("0", "0.00", "yeu", "yeu"),
])
def test_classes_at_band_edges_rounded_vs_raw(points: str, index: str, rounded: str, raw: str) -> None:
    for basis, expected in (("rounded", rounded), ("raw", raw)):
        f = single_leaf_fw(250, rounding={"classify_on": basis})
        both = score_both(f, {"u": "district"}, {"u": [E("1.1", "self", points)]})
        assert both.index("u") == D(index)
        assert both.class_code("u") == expected, basis


@pytest.mark.parametrize(("decimals", "mx", "points", "index"), [
    (2, 200, "123.45", "61.73"),   # 61.725 → half-up
    (2, 200, "123.43", "61.72"),   # 61.715 → 61.72
    (2, 200, "0.01", "0.01"),      # 0.005
    (2, 300, "100", "33.33"),
    (2, 300, "200", "66.67"),
    (1, 200, "123.3", "61.7"),     # 61.65 → 61.7
    (0, 200, "101", "51"),         # 50.5 → 51 (half-even would give 50)
    (0, 200, "179", "90"),         # 89.5 → 90
    (3, 300, "0.01", "0.003"),
])
def test_index_rounding_half_up(decimals: int, mx: int, points: str, index: str) -> None:
    f = single_leaf_fw(mx, rounding={"index_decimals": decimals})
    both = score_both(f, {"u": "district"}, {"u": [E("1.1", "self", points)]})
    assert both.index("u") == D(index)
    assert str(both.index("u")) == index
    assert int(both.row("u")["index_scaled"]) == int(D(index).scaleb(decimals))


def test_class_on_an_index_rounded_to_whole_numbers() -> None:
    f = single_leaf_fw(200, rounding={"index_decimals": 0})
    both = score_both(f, {"u": "district"}, {"u": [E("1.1", "self", 179)]})   # 89.5 → 90
    assert both.class_code("u") == "xuat_sac"


# --- exact arithmetic ---------------------------------------------------------------------------------
def test_no_float_drift_thirty_tenths() -> None:
    leaves = [manual_leaf(f"1.{i}", 0.1) for i in range(1, 31)]
    f = build(framework_doc([{"code": "1", "title": "A", "max": 3, "children": leaves}]))
    assert sum([0.1] * 30) != 3.0   # what naive float sums would do
    entries = {"u": [E(f"1.{i}", "self", "0.1") for i in range(1, 31)]}
    both = score_both(f, {"u": "district"}, entries)
    row = both.row("u")
    assert (int(row["points_c"]), int(row["max_c"]), int(row["index_scaled"])) == (300, 300, 10000)
    assert (both.points("u"), both.index("u"), both.class_code("u")) == (D("3.00"), D("100.00"), "xuat_sac")


def test_no_float_drift_exactly_on_a_class_edge() -> None:
    # Ten leaves of 0.2 with 0.1 each: exactly 1.00 of 2.00 = 50 %, "trung bình" even when classifying on
    # the raw index (a float sum of ten 0.1 is 0.9999999999999999, which would be "yếu").
    leaves = [manual_leaf(f"1.{i}", 0.2) for i in range(1, 11)]
    f = build(framework_doc([{"code": "1", "title": "A", "max": 2, "children": leaves}],
                            rounding={"classify_on": "raw", "rank_on": "raw"}))
    assert sum([0.1] * 10) < 1.0
    entries = {"u": [E(f"1.{i}", "appraisal2", "0.1") for i in range(1, 11)]}
    both = score_both(f, {"u": "district"}, entries)
    assert int(both.row("u")["points_c"]) == 100
    assert both.unit("u").index_raw == 50
    assert (both.index("u"), both.class_code("u")) == (D("50.00"), "trung_binh")


def test_no_float_drift_with_decimal_points_in_the_frame() -> None:
    leaves = [manual_leaf(f"1.{i}", "0.07") for i in range(1, 31)]   # 30 × 0.07 = 2.10
    f = build(framework_doc([{"code": "1", "title": "A", "max": 2.1, "children": leaves}]))
    entries = {"u": [E(f"1.{i}", "self", "0.07") for i in range(1, 31)]}
    frame = entries_frame(entries).astype({"points": object})
    frame["points"] = [D("0.07")] * 30
    both = score_both(f, {"u": "district"}, entries, batch_entries=frame)
    assert (int(both.row("u")["points_c"]), int(both.row("u")["max_c"])) == (210, 210)
    assert both.index("u") == D("100.00")


# --- batch input forms ---------------------------------------------------------------------------------
def test_batch_categorical_columns_and_unknown_rows(fw: Framework) -> None:
    entries = {
        "a": [E("1.1", "appraisal1", 2), E("1.3", "self", na=True), E("2.6", "self", "1.5"),
              E("2.4", "self", value=5), E("2.2", "survey", "1.75")],
        "b": [E("1.2", "self", 1), E("2.4", "self", value=7), E("2.6", "explanation", 2)],
        "c": [E("1.2", "self", "0.5"), E("2.4", "self", value=1)],
    }
    units = {"a": "district", "b": "district", "c": "commune"}
    plain = entries_frame(entries)
    extra = pd.DataFrame([{"unit": "zz", "leaf": "2.6", "stage": "self", "points": 2.0, "value": np.nan,
                           "na": False},   # a unit not being scored
                          {"unit": "a", "leaf": "9.9", "stage": "self", "points": 2.0, "value": np.nan,
                           "na": False},   # a leaf the set does not have
                          {"unit": "a", "leaf": "2.6", "stage": "draft", "points": 0.0, "value": np.nan,
                           "na": False}])  # an unknown stage
    frame = pd.concat([plain, extra], ignore_index=True)
    categorical = frame.assign(
        unit=pd.Categorical(frame["unit"], categories=["zz", "c", "b", "a"]),
        leaf=pd.Categorical(frame["leaf"]),
        stage=pd.Categorical(frame["stage"],
                             categories=["survey", "draft", "appraisal1", "explanation", "self"]),
    )
    reference = score_both(fw, units, entries)
    for variant in (frame, categorical):
        result = score_batch(fw, units_frame(units), variant, evidence_frame({}))
        got = result.units.set_index("unit")[["points_c", "max_c", "index_scaled", "class_code"]]
        want = reference.batch.units.set_index("unit")[["points_c", "max_c", "index_scaled", "class_code"]]
        pd.testing.assert_frame_equal(got.sort_index(), want.sort_index())
    # a: 2 + 1.5 + 2 (rank 2 of 2 among districts, within the top 3) + 1.75 = 7.25 of 18
    assert (reference.points("a"), reference.max("a"), reference.index("a")) == (D("7.25"), 18, D("40.28"))


def test_batch_with_no_units_of_any_kind(fw: Framework) -> None:
    result = score_batch(fw, units_frame({}), entries_frame({}))
    assert result.units.empty and result.areas.empty
    assert "points_c" in result.units.columns


def test_batch_kinds_are_scored_separately_and_all_rows_come_back(fw: Framework) -> None:
    units = {f"d{i}": "district" for i in range(3)} | {f"c{i}": "commune" for i in range(2)}
    entries = {u: [E("2.6", "self", "0.25")] for u in units}
    both = score_both(fw, units, entries)
    assert sorted(both.batch.units["unit"]) == sorted(units)
    assert len(both.batch.areas) == 2 * len(units)
    assert set(both.batch.units["index_scaled"]) == {125}   # 0.25 of 20 = 1.25 %


def test_batch_leaves_the_callers_frames_unchanged(fw: Framework) -> None:
    entries = {"a": [E("1.3", "self", 2), E("1.3", "appraisal1", na=True), E("2.6", "self", "1.5"),
                     E("2.4", "self", value=3)]}
    frame = entries_frame(entries)
    units = units_frame({"a": "district"})
    evidence = evidence_frame({"a": ["1.1"]})
    copies = (frame.copy(deep=True), units.copy(deep=True), evidence.copy(deep=True))
    result = score_batch(fw, units, frame, evidence)
    assert (int(result.units.loc[0, "points_c"]), int(result.units.loc[0, "max_c"])) == (350, 1800)
    for original, kept in zip((frame, units, evidence), copies, strict=True):
        pd.testing.assert_frame_equal(original, kept)


def test_a_bare_value_fills_a_stage_only_on_relative_leaves() -> None:
    # A value on a manual leaf is not an input both paths understand: it must not hide the self score.
    f = build(framework_doc([{"code": "1", "title": "A", "max": 10, "children": [
        manual_leaf("1.1", 4), {"code": "1.2", "title": "Xếp hạng", "max": 6, "rule": {"kind": "minmax"}}]}]))
    both = score_both(f, {"a": "district", "b": "district"}, {
        "a": [E("1.1", "self", 2), E("1.1", "appraisal1", value=5), E("1.2", "self", value=80)],
        "b": [E("1.1", "self", 3), E("1.2", "self", value=40)],
    })
    assert both.points("a", "1.1") == 2  # the bare value on appraisal1 is ignored
    assert both.points("a", "1.2") == 6 and both.points("b", "1.2") == 0  # min–max among the peers


def test_negative_points_clamp_to_zero_and_are_not_taken_for_not_applicable() -> None:
    f = build(framework_doc([{"code": "1", "title": "A", "max": 10, "children": [
        manual_leaf("1.1", 4, not_applicable_allowed=True), manual_leaf("1.2", 6)]}]))
    both = score_both(f, {"a": "district"}, {"a": [E("1.1", "self", -1), E("1.2", "self", 6)]})
    assert (both.points("a"), both.max("a")) == (6, 10)
