"""Ranks under each tie policy and tie-breaker, class shares that add up to 100.00, the per-kind summary,
and the change from last year.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
import pytest
from scoring_helpers import E, build, mini_doc, score_both

from evaluator.frameworks import Framework
from evaluator.scoring import changes, rank, rank_kind, shares, summarise_kind
from evaluator.scoring.ranking import class_labels

D = Decimal


def ranking_fw(**ranking: Any) -> Framework:
    doc = mini_doc()
    doc["ranking"] = ranking
    return build(doc)


# --- rank --------------------------------------------------------------------------------------------
INDEX = np.array([7000, 9000, 8000, 8000])   # codes a, b, c, d
CODES = np.array(["a", "b", "c", "d"])


@pytest.mark.parametrize(("policy", "expected"), [
    ("min", [4, 1, 2, 2]),       # 1-2-2-4
    ("dense", [3, 1, 2, 2]),     # 1-2-2-3
    ("ordinal", [4, 1, 2, 3]),   # ties broken by code: c before d
])
def test_rank_policies(policy: str, expected: list[int]) -> None:
    assert rank([INDEX], CODES, policy).tolist() == expected


def test_rank_ordinal_uses_tie_breakers_before_the_code() -> None:
    breaker = np.array([0, 0, 10, 20])   # d beats c on the tie-breaker
    assert rank([INDEX, breaker], CODES, "ordinal").tolist() == [4, 1, 3, 2]
    assert rank([INDEX, breaker], CODES, "min").tolist() == [4, 1, 3, 2]
    # an equal tie-breaker keeps the tie under min, and falls back to the code under ordinal
    same = np.array([0, 0, 5, 5])
    assert rank([INDEX, same], CODES, "min").tolist() == [4, 1, 2, 2]
    assert rank([INDEX, same], np.array(["a", "b", "z", "d"]), "ordinal").tolist() == [4, 1, 3, 2]


def test_rank_many_ties_and_edge_cases() -> None:
    keys = np.array([5, 5, 5, 3, 3, 1])
    codes = np.array(list("uvwxyz"))
    assert rank([keys], codes, "min").tolist() == [1, 1, 1, 4, 4, 6]
    assert rank([keys], codes, "dense").tolist() == [1, 1, 1, 2, 2, 3]
    assert rank([keys], codes, "ordinal").tolist() == [1, 2, 3, 4, 5, 6]
    assert rank([np.array([])], np.array([]), "min").tolist() == []
    assert rank([np.array([42])], np.array(["only"]), "dense").tolist() == [1]


def units_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    base = {"kind": "district", "appraisal_c": 0, "survey_c": 0, "points_c": 0, "max_c": 2000}
    frame = pd.DataFrame([base | r for r in rows])
    frame["index_raw"] = frame.get("index_raw", frame["index_scaled"] / 100)
    return frame


UNITS = units_table([
    {"unit": "A", "index_scaled": 8000, "appraisal_c": 1500, "survey_c": 100},
    {"unit": "B", "index_scaled": 8000, "appraisal_c": 1400, "survey_c": 200},
    {"unit": "C", "index_scaled": 9000, "appraisal_c": 1000, "survey_c": 800},
    {"unit": "D", "index_scaled": -1, "max_c": 0},   # nothing applicable: ranks last
])
AREAS = pd.DataFrame({"unit": ["A", "B", "C", "D"], "area": "2", "index_scaled": [5000, 6000, 1000, -1]})


@pytest.mark.parametrize(("ranking", "expected"), [
    ({"tie_policy": "min"}, [2, 2, 1, 4]),
    ({"tie_policy": "dense"}, [2, 2, 1, 3]),
    ({"tie_policy": "ordinal"}, [2, 3, 1, 4]),                                  # A before B by code
    ({"tie_policy": "min", "tie_breakers": ["appraisal"]}, [2, 3, 1, 4]),      # A 15.00 > B 14.00
    ({"tie_policy": "min", "tie_breakers": ["survey"]}, [3, 2, 1, 4]),         # B 2.00 > A 1.00
    ({"tie_policy": "min", "tie_breakers": ["area:2"]}, [3, 2, 1, 4]),         # B 60.00 > A 50.00
    ({"tie_policy": "ordinal", "tie_breakers": ["survey", "appraisal"]}, [3, 2, 1, 4]),
])
def test_rank_kind_policies_and_tie_breakers(ranking: dict[str, Any], expected: list[int]) -> None:
    assert rank_kind(ranking_fw(**ranking), UNITS, AREAS).tolist() == expected


def test_rank_kind_tie_breakers_apply_in_order() -> None:
    units = UNITS.assign(appraisal_c=[1500, 1500, 1000, 0])   # A and B equal on appraisal too
    fw = ranking_fw(tie_policy="min", tie_breakers=["appraisal", "area:2"])
    assert rank_kind(fw, units, AREAS).tolist() == [3, 2, 1, 4]
    fw = ranking_fw(tie_policy="min", tie_breakers=["appraisal"])
    assert rank_kind(fw, units, AREAS).tolist() == [2, 2, 1, 4]


def test_rank_kind_uses_the_code_column_for_ordinal_ties() -> None:
    units = UNITS.assign(code=["ZZ", "AA", "CC", "DD"])
    assert rank_kind(ranking_fw(tie_policy="ordinal"), units, AREAS).tolist() == [3, 2, 1, 4]


def test_rank_kind_on_raw_or_rounded_index() -> None:
    units = units_table([
        {"unit": "A", "index_scaled": 8000, "index_raw": 80.004},
        {"unit": "B", "index_scaled": 8000, "index_raw": 79.996},
        {"unit": "C", "index_scaled": 7000, "index_raw": 70.0},
    ])
    doc = mini_doc()
    doc["rounding"] = {"rank_on": "raw"}
    assert rank_kind(build(doc), units, AREAS).tolist() == [1, 2, 3]
    doc["rounding"] = {"rank_on": "rounded"}
    assert rank_kind(build(doc), units, AREAS).tolist() == [1, 1, 3]


def test_rank_kind_on_scored_units() -> None:
    fw = ranking_fw(tie_policy="min", tie_breakers=["appraisal"])
    entries = {
        "u1": [E("2.6", "self", 2), E("2.2", "survey", 2)],   # 4 of 20: appraisal 2
        "u2": [E("2.6", "self", 1), E("2.3", "survey", 3)],   # 4 of 20: appraisal 1
        "u3": [E("2.6", "self", 2), E("1.2", "self", 2)],     # 4 of 20: appraisal 4
        "u4": [E("2.6", "self", "0.5")],
    }
    both = score_both(fw, dict.fromkeys(entries, "district"), entries)
    units = both.batch.units
    ranks = dict(zip(units["unit"], rank_kind(fw, units, both.batch.areas), strict=True))
    assert ranks == {"u3": 1, "u1": 2, "u2": 3, "u4": 4}


# --- shares ------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("counts", "method", "expected"), [
    ([1, 1, 1], "largest_remainder", ["33.34", "33.33", "33.33"]),
    ([3, 15, 4], "remainder_to_last", ["13.63", "68.18", "18.19"]),
    ([3, 15, 4], "largest_remainder", ["13.64", "68.18", "18.18"]),   # remainders .63…, .18…, .18…
    ([2, 1, 0], "largest_remainder", ["66.67", "33.33", "0.00"]),
    ([2, 1, 0, 0], "remainder_to_last", ["66.66", "33.34", "0.00", "0.00"]),   # lowest class *with units*
    # remainders 4, 1, 5, 4 (sevenths): the third class, then the first and last tie → the higher class
    ([1, 2, 3, 1], "largest_remainder", ["14.29", "28.57", "42.86", "14.28"]),
    ([0, 5, 0], "largest_remainder", ["0.00", "100.00", "0.00"]),
    ([1] * 7, "largest_remainder", ["14.29"] * 4 + ["14.28"] * 3),   # 7 × 14.28 = 99.96: 4 hundredths left
])
def test_shares(counts: list[int], method: str, expected: list[str]) -> None:
    got = shares(counts, method)
    assert got == [D(e) for e in expected]
    assert sum(got) == D("100.00")


def test_shares_of_zero_units_are_all_zero() -> None:
    assert shares([0, 0, 0]) == [D("0.00")] * 3
    assert shares([0, 0], "remainder_to_last") == [D("0.00")] * 2
    assert shares([]) == []


# --- summary -----------------------------------------------------------------------------------------
def test_summarise_kind() -> None:
    fw = build(mini_doc())
    units = pd.DataFrame({
        "unit": ["a", "b", "c", "d"],
        "max_c": [2000, 2000, 1800, 0],
        "index_scaled": [9250, 8533, 7001, -1],
        "class_code": ["xuat_sac", "tot", "kha", None],
    })
    summary = summarise_kind(fw, "district", units)
    assert summary["units"] == 4
    assert summary["mean_index"] == D("82.61")   # (92.50 + 85.33 + 70.01) / 3 = 82.6133…
    classes = summary["classes"]
    assert list(classes) == ["xuat_sac", "tot", "kha", "trung_binh", "yeu"]
    assert {c: v["count"] for c, v in classes.items()} == {"xuat_sac": 1, "tot": 1, "kha": 1, "trung_binh": 0,
                                                           "yeu": 0}
    assert [v["share"] for v in classes.values()] == [D("33.34"), D("33.33"), D("33.33"), D(0), D(0)]
    assert classes["xuat_sac"]["label"] == "Xuất sắc" and classes["trung_binh"]["label"] == "Trung bình"
    assert class_labels(fw, "commune")["yeu"] == "Yếu"


def test_summarise_kind_mean_is_rounded_half_up_and_shares_follow_the_set() -> None:
    doc = mini_doc()
    doc["shares"] = {"method": "remainder_to_last"}
    fw = build(doc)
    two = pd.DataFrame({"max_c": [2000, 2000], "index_scaled": [8000, 8001], "class_code": ["tot", "tot"]})
    assert summarise_kind(fw, "commune", two)["mean_index"] == D("80.01")   # 80.005 → half-up
    units = pd.DataFrame({"max_c": [2000, 2000, 2000], "index_scaled": [8000, 8001, 4000],
                          "class_code": ["tot", "tot", "yeu"]})
    summary = summarise_kind(fw, "commune", units)
    assert summary["mean_index"] == D("66.67")   # 200.01 / 3 = 66.67
    # remainder_to_last: 66.66 truncated, the lowest class with units (yếu) takes 33.34
    assert [v["share"] for v in summary["classes"].values()] == [D(0), D("66.66"), D(0), D(0), D("33.34")]


def test_summarise_kind_without_scored_units() -> None:
    fw = build(mini_doc())
    summary = summarise_kind(fw, "district", pd.DataFrame({"max_c": [0], "index_scaled": [-1],
                                                          "class_code": [None]}))
    assert summary["units"] == 1 and summary["mean_index"] is None
    assert all(v["count"] == 0 and v["share"] == 0 for v in summary["classes"].values())


def test_summarise_kind_with_other_decimals() -> None:
    doc = mini_doc()
    doc["rounding"] = {"index_decimals": 1}
    fw = build(doc)
    units = pd.DataFrame({"max_c": [1, 1], "index_scaled": [801, 800], "class_code": ["tot", "tot"]})
    assert summarise_kind(fw, "district", units)["mean_index"] == D("80.1")   # 80.05 → 80.1


# --- changes -----------------------------------------------------------------------------------------
def test_changes_against_last_year() -> None:
    kinds = ["district", "district", "district", "commune"]
    current = pd.DataFrame({"code": ["A", "B", "C", "A"], "kind": kinds,
                            "rank": [1, 5, 2, 1], "points_c": [1800, 1500, 1700, 1600]})
    previous = pd.DataFrame({"code": ["A", "B", "X", "A"], "kind": kinds,
                             "rank": [5, 1, 2, 3], "points_c": [1650, 1600, 1000, 1600]})
    out = changes(current, previous)
    assert out["code"].tolist() == ["A", "B", "C", "A"]   # the current rows, in order
    assert out["rank_change"].tolist()[:2] == [4, -4]     # A up 4 places, B down 4
    assert out["points_change_c"].tolist()[:2] == [150, -100]
    assert pd.isna(out["rank_change"].iloc[2]) and pd.isna(out["points_change_c"].iloc[2])   # C is new
    assert out["rank_change"].iloc[3] == 2 and out["points_change_c"].iloc[3] == 0   # matched on kind too
    assert str(out["rank_change"].dtype) == "Int64"


def test_changes_without_last_year() -> None:
    current = pd.DataFrame({"code": ["A"], "kind": ["district"], "rank": [1], "points_c": [1800]})
    for previous in (None, current.iloc[0:0]):
        out = changes(current, previous)
        assert pd.isna(out["rank_change"].iloc[0]) and pd.isna(out["points_change_c"].iloc[0])


def test_the_appraised_part_is_capped_like_the_index() -> None:
    """Points a criterion's cap takes away do not count in the appraisal tie-breaker either: u1 scores 2 + 2
    in a criterion capped at 2, u2 scores 2 + 0; both have 2 of 4 (50.00) and the same appraised part."""
    from scoring_helpers import framework_doc, manual_leaf

    doc = framework_doc([
        {"code": "1", "title": "A", "max": 2, "children": [
            {"code": "1.1", "title": "A1", "max": 2, "cap_children": True,
             "children": [manual_leaf("1.1.1", 2), manual_leaf("1.1.2", 2)]}]},
        {"code": "2", "title": "B", "max": 2, "source": "survey", "children": [manual_leaf("2.1", 2)]},
    ], ranking={"tie_policy": "min", "tie_breakers": ["appraisal"]})
    fw = build(doc)
    entries = {"u1": [E("1.1.1", "self", 2), E("1.1.2", "self", 2), E("2.1", "survey", 0)],
               "u2": [E("1.1.1", "self", 2), E("2.1", "survey", 0)],
               "u3": [E("1.1.1", "self", 1), E("2.1", "survey", 1)]}
    both = score_both(fw, dict.fromkeys(entries, "district"), entries)   # both paths agree (score_both)
    units = both.batch.units.set_index("unit")
    assert units["points_c"].to_dict() == {"u1": 200, "u2": 200, "u3": 200}
    assert units["appraisal_c"].to_dict() == {"u1": 200, "u2": 200, "u3": 100}
    assert units["survey_c"].to_dict() == {"u1": 0, "u2": 0, "u3": 100}
    assert both.unit("u1").appraisal == D(2) and both.unit("u3").survey == D(1)
    ranked = rank_kind(fw, both.batch.units, both.batch.areas)
    ranks = dict(zip(both.batch.units["unit"], ranked, strict=True))
    assert ranks == {"u1": 1, "u2": 1, "u3": 3}   # not u1 ahead on 4 uncapped points
