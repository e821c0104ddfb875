"""Leaf rules (raw input → points), relative rules among peers, and survey answers → points.

Every expected number is worked out by hand from ``tests/data/mini.yaml`` (or a small variant of it).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from scoring_helpers import build, find, framework_doc, mini_doc

from evaluator.frameworks import Framework, load_framework
from evaluator.scoring import InputError, can_produce, check_points, describe, evaluate
from evaluator.scoring.relative import relative_points
from evaluator.scoring.survey import Answer, survey_points

D = Decimal


@pytest.fixture(scope="module")
def fw() -> Framework:
    from scoring_helpers import MINI

    return load_framework(MINI)


def pts(fw: Framework, code: str, value: dict[str, Any], kind: str = "district") -> Decimal | None:
    result = evaluate(fw.nodes[code], kind, value)
    assert not result.not_applicable
    return result.points


def variant(code: str, **changes: Any) -> Framework:
    """mini.yaml with the rule (or node fields under ``node``) of one leaf changed."""
    doc = mini_doc()
    node = find(doc, code)
    node.update(changes.pop("node", {}))
    node["rule"].update(changes)
    return build(doc)


# --- binary, options ---------------------------------------------------------------------------------
def test_binary_done_is_max_and_not_done_is_zero(fw: Framework) -> None:
    assert pts(fw, "1.1", {"done": True}) == D(2)
    assert pts(fw, "1.1", {"done": False}) == D(0)


def test_binary_without_done_is_an_input_error(fw: Framework) -> None:
    with pytest.raises(InputError, match=r"criterion 1\.1"):
        evaluate(fw.nodes["1.1"], "district", {"option": "x"})


@pytest.mark.parametrize(("option", "kind", "expected"), [
    ("on_time", "district", "2"), ("on_time", "commune", "2"),   # share 1 of max 2
    ("late", "district", "1"), ("late", "commune", "0.5"),       # per-kind points
    ("none", "district", "0"), ("none", "commune", "0"),
])
def test_options_by_code_with_per_kind_points(fw: Framework, option: str, kind: str, expected: str) -> None:
    assert pts(fw, "1.2", {"option": option}, kind) == D(expected)


def test_options_share_is_a_fraction_of_the_kind_max() -> None:
    doc = mini_doc()
    node = find(doc, "1.2")
    node["max"] = {"district": 2, "commune": 1}
    node["rule"]["options"][1] = {"code": "late", "label": "Chậm", "share": 0.75}
    find(doc, "1")["max"] = {"district": 8, "commune": 7}
    find(doc, "2.6")["max"] = {"district": 2, "commune": 3}
    find(doc, "2")["max"] = {"district": 12, "commune": 13}
    f = build(doc)
    assert pts(f, "1.2", {"option": "late"}, "district") == D("1.5")   # 0.75 × 2
    assert pts(f, "1.2", {"option": "late"}, "commune") == D("0.75")   # 0.75 × 1
    assert pts(f, "1.2", {"option": "on_time"}, "commune") == D(1)


def test_share_points_are_rounded_half_up_like_every_other_point() -> None:
    # 0.5 × 0.25 = 0.125 → 0.13 (half-up), the same as a proportional rule gives for 50 % of 0.25.
    doc = framework_doc([{"code": "1", "title": "A", "max": 1, "children": [
        {"code": "1.1", "title": "b", "max": 0.25, "rule": {"kind": "bands", "bands": [
            {"min": 50, "share": 0.5}, {"min": 0, "max": 50, "share": 0}]}},
        {"code": "1.2", "title": "o", "max": 0.25, "rule": {"kind": "options", "options": [
            {"code": "half", "share": 0.5}, {"code": "none", "points": 0}]}},
        {"code": "1.3", "title": "p", "max": 0.25, "rule": {"kind": "proportional"}},
        {"code": "1.4", "title": "m", "max": 0.25, "rule": {"kind": "manual"}},
    ]}])
    f = build(doc)
    assert pts(f, "1.1", {"value": 60}) == D("0.13")
    assert pts(f, "1.2", {"option": "half"}) == D("0.13")
    assert pts(f, "1.3", {"value": 50}) == D("0.13")
    assert can_produce(f.nodes["1.1"], "district", D("0.13"))
    assert not can_produce(f.nodes["1.1"], "district", D("0.12"))


def test_unknown_option_names_the_criterion_and_the_known_codes(fw: Framework) -> None:
    with pytest.raises(InputError, match=r"criterion 1\.2: unknown option 'early'.*on_time, late, none"):
        evaluate(fw.nodes["1.2"], "district", {"option": "early"})


# --- bands -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("num", "den", "expected"), [
    (100, 100, "2"),        # 100 % → full
    (80, 100, "1"),         # exactly 80 % → half (bands are [lo, hi))
    (4, 5, "1"),            # 80 % as 4/5
    (7999, 10000, "0"),     # 79.99 % → 0
    (9999, 10000, "1"),     # 99.99 % is still below 100
    (0, 7, "0"),
])
def test_bands_ratio_input_at_band_edges(fw: Framework, num: int, den: int, expected: str) -> None:
    assert pts(fw, "1.3", {"numerator": num, "denominator": den}) == D(expected)


def test_bands_value_input() -> None:
    f = variant("1.3", input="value")
    assert pts(f, "1.3", {"value": 85}) == D(1)
    assert pts(f, "1.3", {"value": "79.99"}) == D(0)
    assert pts(f, "1.3", {"value": 80}) == D(1)
    assert pts(f, "1.3", {"value": 100}) == D(2)
    assert pts(f, "1.3", {"value": 120}) == D(2)   # the top band is open
    with pytest.raises(InputError, match=r"criterion 1\.3: give numerator and denominator, or a value"):
        evaluate(f.nodes["1.3"], "district", {"numerator": 1, "denominator": 2})


def test_bands_zero_denominator_policies(fw: Framework) -> None:
    zero_den = {"numerator": 0, "denominator": 0}
    assert pts(fw, "1.3", zero_den) == D(2)  # default: full
    assert pts(variant("1.3", zero_denominator="zero"), "1.3", zero_den) == D(0)
    na = evaluate(variant("1.3", zero_denominator="not_applicable").nodes["1.3"], "district", zero_den)
    assert na.not_applicable and na.points is None


def test_numerator_larger_than_denominator_is_an_input_error(fw: Framework) -> None:
    with pytest.raises(InputError, match=r"criterion 1\.3: numerator 11 is larger than denominator 10"):
        evaluate(fw.nodes["1.3"], "district", {"numerator": 11, "denominator": 10})


@pytest.mark.parametrize("value", [
    {"numerator": -1, "denominator": 10},
    {"numerator": 1, "denominator": -10},
])
def test_negative_ratio_parts_are_input_errors(fw: Framework, value: dict[str, Any]) -> None:
    with pytest.raises(InputError, match=r"criterion 1\.3: numerator and denominator must not be negative"):
        evaluate(fw.nodes["1.3"], "district", value)


@pytest.mark.parametrize("bad", ["abc", None, True, "nan", "inf", [1]])
def test_non_numbers_are_input_errors(fw: Framework, bad: Any) -> None:
    with pytest.raises(InputError, match=r"criterion 1\.3: numerator"):
        evaluate(fw.nodes["1.3"], "district", {"numerator": bad, "denominator": 10})


def test_decimal_comma_is_accepted(fw: Framework) -> None:
    assert pts(fw, "1.4.1", {"value": "72,0"}) == D("1.2")


# --- proportional ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    ({"value": 45}, "0"),                             # below the floor of 50 → 0
    ({"value": "49.99"}, "0"),
    ({"value": 50}, "0.83"),                          # at the floor: 1.5 × 50/90 = 0.8333 → 0.83
    ({"value": 72}, "1.2"),                           # 72/90 = 0.8 × 1.5
    ({"numerator": 18, "denominator": 25}, "1.2"),    # 72 % as a ratio
    ({"value": 90}, "1.5"),                           # at the target → full
    ({"value": 100}, "1.5"),
    ({"numerator": 0, "denominator": 0}, "1.5"),      # zero denominator, default policy full
])
def test_proportional_with_floor_and_target(fw: Framework, value: dict[str, Any], expected: str) -> None:
    assert pts(fw, "1.4.1", value) == D(expected)


def test_proportional_without_floor_or_target_and_half_up_rounding() -> None:
    f = variant("1.4.1", floor=None, target=None)
    assert pts(f, "1.4.1", {"value": 45}) == D("0.68")              # 1.5 × 0.45 = 0.675 → 0.68
    assert pts(f, "1.4.1", {"numerator": 1, "denominator": 3}) == D("0.5")
    assert pts(f, "1.4.1", {"numerator": 2, "denominator": 3}) == D("1")


def test_proportional_zero_denominator_not_applicable() -> None:
    f = variant("1.4.1", zero_denominator="not_applicable")
    result = evaluate(f.nodes["1.4.1"], "district", {"numerator": 0, "denominator": 0})
    assert result.not_applicable and result.points is None


def test_proportional_negative_value_is_an_input_error(fw: Framework) -> None:
    with pytest.raises(InputError, match=r"criterion 1\.4\.1: value must not be negative"):
        evaluate(fw.nodes["1.4.1"], "district", {"value": -5})


# --- count -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("count", "expected"), [(0, "0"), (3, "0.75"), (4, "1"), (10, "1"), ("2", "0.5")])
def test_count_add_is_capped_at_max(fw: Framework, count: Any, expected: str) -> None:
    assert pts(fw, "1.4.2", {"count": count}) == D(expected)


@pytest.mark.parametrize(("count", "expected"), [(0, "1"), (1, "0.75"), (2, "0.5"), (4, "0"), (7, "0")])
def test_count_deduct_is_floored_at_zero(fw: Framework, count: int, expected: str) -> None:
    assert pts(fw, "2.1", {"count": count}) == D(expected)


@pytest.mark.parametrize("count", [-1, 1.5, "abc", None])
def test_count_must_be_a_whole_number(fw: Framework, count: Any) -> None:
    with pytest.raises(InputError, match=r"criterion 1\.4\.2: (count|a count)"):
        evaluate(fw.nodes["1.4.2"], "district", {"count": count})


# --- external ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("value", "expected"), [
    (87.5, "1.75"), (100, "2"), (120, "2"), (0, "0"), (33.3, "0.67"),
])
def test_external_proportional(fw: Framework, value: float, expected: str) -> None:
    # SIPAS 87.5 % of max 2 → 1.75; 33.3 % → 0.666 → 0.67
    assert pts(fw, "2.2", {"value": value}) == D(expected)


def test_external_proportional_with_scale() -> None:
    f = variant("2.2", index="ddci", scale=10)
    assert pts(f, "2.2", {"value": "7.5"}) == D("1.5")   # 7.5 of 10 × 2


def test_external_bands() -> None:
    f = variant("2.2", mapping="bands", bands=[{"min": 90, "share": 1}, {"min": 70, "max": 90, "share": 0.5},
                                               {"min": 0, "max": 70, "points": 0}])
    assert pts(f, "2.2", {"value": 90}) == D(2)
    assert pts(f, "2.2", {"value": "89.99"}) == D(1)
    assert pts(f, "2.2", {"value": 70}) == D(1)
    assert pts(f, "2.2", {"value": 69}) == D(0)
    assert can_produce(f.nodes["2.2"], "district", D(1))
    assert not can_produce(f.nodes["2.2"], "district", D("1.75"))


def test_external_minmax_is_relative() -> None:
    f = variant("2.2", mapping="minmax")
    assert f.nodes["2.2"].rule is not None and f.nodes["2.2"].rule.is_relative
    same = evaluate(f.nodes["2.5"], "district", {"value": 7})
    assert evaluate(f.nodes["2.2"], "district", {"value": 7}) == same
    assert pts(f, "2.2", {"value": 7}) is None


def test_external_errors_name_the_criterion_and_index(fw: Framework) -> None:
    with pytest.raises(InputError, match=r"criterion 2\.2: an index value must not be negative"):
        evaluate(fw.nodes["2.2"], "district", {"value": -1})
    with pytest.raises(InputError, match=r"criterion 2\.2: sipas value"):
        evaluate(fw.nodes["2.2"], "district", {"value": "cao"})


# --- rank, minmax (relative), manual, survey ---------------------------------------------------------
@pytest.mark.parametrize("code", ["2.4", "2.5"])
def test_relative_rules_give_no_points_alone(fw: Framework, code: str) -> None:
    result = evaluate(fw.nodes[code], "district", {"value": 55.5})
    assert result.points is None and not result.not_applicable
    with pytest.raises(InputError, match=rf"criterion {code}: value"):
        evaluate(fw.nodes[code], "district", {"value": "x"})


def test_manual_and_survey_points(fw: Framework) -> None:
    assert pts(fw, "2.6", {"points": "1.25"}) == D("1.25")
    assert pts(fw, "2.6", {"points": 2}) == D(2)
    assert pts(fw, "2.3", {"points": 2.5}) == D("2.5")
    assert pts(fw, "2.3", {"points": 0}) == D(0)


@pytest.mark.parametrize(("points", "message"), [
    ("2.01", r"criterion 2\.6: points 2\.01 are outside \[0, 2\] for district"),
    (-0.25, r"criterion 2\.6: points -0\.25 are outside"),
    ("1.255", r"criterion 2\.6: points 1\.255 have more than two decimals"),
    ("abc", r"criterion 2\.6: points: 'abc' is not a number"),
])
def test_manual_bad_points(fw: Framework, points: Any, message: str) -> None:
    with pytest.raises(InputError, match=message):
        evaluate(fw.nodes["2.6"], "district", {"points": points})


def test_check_points_directly(fw: Framework) -> None:
    check_points(fw.nodes["2.3"], "commune", D("3.00"))
    with pytest.raises(InputError, match=r"criterion 2\.3: points 3\.01"):
        check_points(fw.nodes["2.3"], "commune", D("3.01"))


def test_manual_and_survey_need_points(fw: Framework) -> None:
    for code in ("2.6", "2.3"):
        with pytest.raises(InputError, match=rf"criterion {code}: give the points"):
            evaluate(fw.nodes[code], "district", {"value": 1})


# --- not applicable and other input errors ------------------------------------------------------------
def test_not_applicable_only_where_allowed(fw: Framework) -> None:
    result = evaluate(fw.nodes["1.3"], "district", {"not_applicable": True})
    assert result.not_applicable and result.points is None
    with pytest.raises(InputError, match=r"criterion 2\.6 cannot be marked not applicable"):
        evaluate(fw.nodes["2.6"], "district", {"not_applicable": True})


def test_empty_input_non_leaf_and_kind_that_does_not_apply(fw: Framework) -> None:
    with pytest.raises(InputError, match=r"criterion 2\.6: no input given"):
        evaluate(fw.nodes["2.6"], "district", {})
    with pytest.raises(InputError, match=r"criterion 1\.4 is not a leaf"):
        evaluate(fw.nodes["1.4"], "district", {"points": 1})
    doc = mini_doc()
    find(doc, "2.6")["max"] = {"district": 2}
    find(doc, "2.1")["max"] = {"district": 1, "commune": 3}
    f = build(doc)
    with pytest.raises(InputError, match=r"criterion 2\.6 does not apply to unit kind 'commune'"):
        evaluate(f.nodes["2.6"], "commune", {"points": 1})
    assert pts(f, "2.1", {"count": 2}, "commune") == D("2.5")   # 3 − 2 × 0.25


# --- can_produce -------------------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "kind", "points", "expected"), [
    ("2.6", "district", "1.25", True), ("2.6", "district", "1.3", False), ("2.6", "district", "2", True),
    ("2.6", "district", "2.25", False), ("2.6", "district", "-0.25", False),
    ("1.1", "district", "2", True), ("1.1", "district", "0", True), ("1.1", "district", "1", False),
    ("1.2", "district", "1", True), ("1.2", "district", "0.5", False), ("1.2", "commune", "0.5", True),
    ("1.2", "commune", "1", False),
    ("1.3", "district", "1", True), ("1.3", "district", "1.5", False), ("1.3", "district", "0", True),
    ("1.4.1", "district", "0.83", True), ("1.4.1", "district", "1.6", False),
    ("1.4.2", "district", "0.75", True), ("1.4.2", "district", "0.8", False),
    ("1.4.2", "district", "1", True),
    ("2.1", "district", "0.5", True), ("2.1", "district", "0.6", False), ("2.1", "district", "0", True),
    ("2.2", "district", "1.33", True), ("2.2", "district", "2.5", False),
    ("2.3", "district", "2.99", True),
    ("2.4", "district", "2", True), ("2.4", "district", "1", True), ("2.4", "district", "0", True),
    ("2.4", "district", "1.5", False),
    ("2.5", "district", "1.37", True),
])
def test_can_produce(fw: Framework, code: str, kind: str, points: str, expected: bool) -> None:
    assert can_produce(fw.nodes[code], kind, D(points)) is expected


# --- describe ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "kind", "fragments"), [
    ("1.1", "district", ["Thực hiện: 2 điểm", "không thực hiện: 0 điểm"]),
    ("1.2", "district", ["Đầy đủ, đúng hạn: 2.00 điểm", "Chậm hoặc thiếu: 1 điểm", "Không ban hành: 0 điểm"]),
    ("1.2", "commune", ["Chậm hoặc thiếu: 0.5 điểm"]),
    ("1.3", "district", ["Tỷ lệ (%)", "từ 100% trở lên: 2.00 điểm", "từ 80% đến dưới 100%: 1.00 điểm"]),
    ("1.4.1", "district", ["Tỷ lệ (%) × 1.5 điểm", "đạt 90% trở lên được điểm tối đa",
                           "dưới 50% không có điểm"]),
    ("1.4.2", "district", ["0.25 điểm cho mỗi kết quả, tối đa 1 điểm"]),
    ("2.1", "district", ["1 điểm, trừ 0.25 điểm cho mỗi trường hợp, tối thiểu 0"]),
    ("2.2", "district", ["Theo chỉ số sipas", "tối đa 2 điểm"]),
    ("2.3", "district", ["Điểm điều tra xã hội học: 3", "(2 câu hỏi)"]),
    ("2.4", "district", ["Theo thứ hạng trong cùng loại đơn vị, tối đa 2 điểm"]),
    ("2.5", "district", ["Chuẩn hoá min–max trong cùng loại đơn vị, tối đa 2 điểm"]),
    ("2.6", "district", ["Chấm điểm trực tiếp từ 0 đến 2, bước 0.25"]),
])
def test_describe_in_vietnamese(fw: Framework, code: str, kind: str, fragments: list[str]) -> None:
    text = describe(fw.nodes[code], kind)
    assert text.endswith(".")
    for fragment in fragments:
        assert fragment in text


def test_describe_value_input() -> None:
    assert describe(variant("1.3", input="value").nodes["1.3"], "district").startswith("Giá trị (%): ")


# --- relative_points ---------------------------------------------------------------------------------
def test_rank_steps_with_shared_ranks(fw: Framework) -> None:
    # 2.4: ranks 1–3 full (2), 4–10 half (1), beyond 0. Values 9, 8, 8, 7, 7, 7 → ranks 1, 2, 2, 4, 4, 4.
    values = {"a": D(9), "b": D(8), "c": D(8), "d": D(7), "e": D(7), "f": D(7)}
    got = relative_points(fw.nodes["2.4"], "district", values)
    assert got == {"a": D(2), "b": D(2), "c": D(2), "d": D(1), "e": D(1), "f": D(1)}


def test_rank_beyond_the_last_step_and_ascending_order() -> None:
    f = variant("2.4", ranks=[{"upto": 1, "share": 1}, {"upto": 2, "share": 0.25}], order="asc")
    values = {"a": D(1), "b": D(2), "c": D(3), "d": D(1)}   # asc: a, d rank 1; b rank 3; c rank 4
    got = relative_points(f.nodes["2.4"], "district", values)
    assert got == {"a": D(2), "d": D(2), "b": D(0), "c": D(0)}
    f2 = variant("2.4", ranks=[{"upto": 1, "share": 1}, {"upto": 3, "share": 0.25}])
    got2 = relative_points(f2.nodes["2.4"], "district", {"a": D(1), "b": D(2), "c": D(3), "d": D(3)})
    assert got2 == {"c": D(2), "d": D(2), "b": D("0.5"), "a": D(0)}   # a is 4th


def test_minmax_descending_and_ascending(fw: Framework) -> None:
    values = {"a": D(10), "b": D(4), "c": D(6), "d": D(7)}
    # desc: (v − 4) / 6 × 2 → a 2, b 0, c 0.666… → 0.67, d 1
    got = relative_points(fw.nodes["2.5"], "district", values)
    assert got == {"a": D(2), "b": D(0), "c": D("0.67"), "d": D(1)}
    asc = variant("2.5", order="asc")
    # asc: (10 − v) / 6 × 2 → a 0, b 2, c 1.333… → 1.33, d 1
    got = relative_points(asc.nodes["2.5"], "district", values)
    assert got == {"a": D(0), "b": D(2), "c": D("1.33"), "d": D(1)}


def test_minmax_all_equal_gives_full_marks_and_no_peers_nothing(fw: Framework) -> None:
    assert relative_points(fw.nodes["2.5"], "district", {"a": D(5), "b": D(5)}) == {"a": D(2), "b": D(2)}
    assert relative_points(fw.nodes["2.5"], "district", {"a": D(5)}) == {"a": D(2)}
    assert relative_points(fw.nodes["2.5"], "district", {}) == {}


# --- survey_points -----------------------------------------------------------------------------------
def _answers(rows: list[tuple[str, str, str, str]]) -> list[Answer]:
    return [Answer(respondent=r, group=g, question=q, answer=a) for r, g, q, a in rows]


def test_survey_weighted_groups(fw: Framework) -> None:
    answers = _answers([
        ("c1", "citizens", "Q1", "A"), ("c2", "citizens", "Q1", "B"),   # citizens mean (1 + 0.6)/2 = 0.8
        ("o1", "officials", "Q2", "C"), ("o2", "officials", "Q2", "D"),  # officials mean (0.2 + 0)/2 = 0.1
    ])
    score = survey_points(fw.nodes["2.3"], "district", answers, fw.answer_weights)
    assert score.points == D("1.77")   # 3 × (0.7 × 0.8 + 0.3 × 0.1) = 3 × 0.59
    assert score.respondents == {"citizens": 2, "officials": 2}


def test_survey_invalid_answers_and_wrong_groups_are_ignored(fw: Framework) -> None:
    answers = _answers([
        ("c1", "citizens", "Q1", "a "), ("c2", "citizens", "Q1", "X"), ("c3", "citizens", "Q1", ""),
        ("c4", "officials", "Q1", "D"),   # Q1 belongs to citizens: ignored
        ("c5", "citizens", "Q9", "D"),    # unknown question
        ("o1", "officials", "Q2", "B"),
    ])
    score = survey_points(fw.nodes["2.3"], "district", answers, fw.answer_weights)
    assert score.points == D("2.64")   # 3 × (0.7 × 1 + 0.3 × 0.6) = 3 × 0.88
    assert score.respondents == {"citizens": 1, "officials": 1}


def test_survey_missing_group_drops_out_and_weights_renormalise(fw: Framework) -> None:
    answers = _answers([("c1", "citizens", "Q1", "B"), ("c2", "citizens", "Q1", "C")])   # mean 0.4
    score = survey_points(fw.nodes["2.3"], "district", answers, fw.answer_weights)
    assert score.points == D("1.2")   # 3 × 0.4: citizens' 0.7 scaled up to 1
    assert score.respondents == {"citizens": 2}


def test_survey_no_valid_answer_gives_no_points(fw: Framework) -> None:
    score = survey_points(fw.nodes["2.3"], "district", _answers([("c1", "citizens", "Q1", "Z")]),
                          fw.answer_weights)
    assert score.points is None and score.respondents == {}


def test_survey_equal_group_weights_by_default_and_respondents_counted_once() -> None:
    doc = mini_doc()
    del find(doc, "2.3")["rule"]["group_weights"]
    find(doc, "2.3")["rule"]["questions"].append({"code": "Q3", "group": "citizens"})
    f = build(doc)
    answers = _answers([
        ("c1", "citizens", "Q1", "A"), ("c1", "citizens", "Q3", "D"),   # one person, two answers: mean 0.5
        ("o1", "officials", "Q2", "B"),                                 # 0.6
    ])
    score = survey_points(f.nodes["2.3"], "district", answers, f.answer_weights)
    assert score.points == D("1.65")   # 3 × (0.5 + 0.6) / 2
    assert score.respondents == {"citizens": 1, "officials": 1}


def test_survey_points_on_a_non_survey_leaf_is_an_error(fw: Framework) -> None:
    with pytest.raises(InputError, match=r"criterion 2\.6 is not scored by survey"):
        survey_points(fw.nodes["2.6"], "district", [], fw.answer_weights)
