"""Loading and validating criteria sets: every validation error, reported with file, node and field.

Bad documents are built by mutating a copy of ``tests/data/mini.yaml`` rather than by fixture files.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from evaluator.frameworks import FrameworkInvalid, Problem, canonical_json, load_framework, parse_framework
from evaluator.frameworks.canonical import plain_document
from evaluator.frameworks.files import read_document

MINI = Path(__file__).parent / "data" / "mini.yaml"

Doc = dict[str, Any]


# --- helpers ---------------------------------------------------------------------------------------
def mini() -> Doc:
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def find(doc: Doc, code: str) -> Doc:
    def walk(nodes: list[Doc]) -> Doc | None:
        for n in nodes:
            if n["code"] == code:
                return n
            hit = walk(n.get("children", []))
            if hit is not None:
                return hit
        return None

    hit = walk(doc["nodes"])
    assert hit is not None, code
    return hit


def write(tmp_path: Path, doc: Any, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load_problems(path: Path) -> tuple[list[Problem], str]:
    with pytest.raises(FrameworkInvalid) as info:
        load_framework(path)
    return info.value.problems, str(info.value)


def assert_reported(problems: list[Problem], text: str, path: Path, node: str | None, field: str,
                    fragment: str) -> Problem:
    """One problem names this file, node and field and says ``fragment``; its text shows all three."""
    matches = [p for p in problems if p.node == node and p.field == field and fragment in p.message]
    assert matches, f"no problem ({node!r}, {field!r}, {fragment!r}) in:\n{text}"
    problem = matches[0]
    assert problem.file == str(path)
    line = str(problem)
    assert line.startswith(str(path) + ":")
    assert (f"node {node}:" if node else "set:") in line
    assert f"field '{field}'" in line
    assert line in text  # the exception's message lists it
    return problem


# --- the mini set itself ---------------------------------------------------------------------------
def test_mini_loads() -> None:
    fw = load_framework(MINI)
    assert fw.code == "test-mini" and fw.version == 1 and fw.year == 2024
    assert fw.unit_kinds == ("district", "commune")
    assert [n.code for n in fw] == ["1", "1.1", "1.2", "1.3", "1.4", "1.4.1", "1.4.2", "2", "2.1", "2.2",
                                    "2.3", "2.4", "2.5", "2.6", "T", "P"]
    assert fw.nodes["1.4.1"].max == {"district": Decimal("1.5"), "commune": Decimal("1.5")}
    assert fw.nodes["1.4.1"].depth == 2 and fw.nodes["1.4.1"].parent == "1.4"
    assert fw.nodes["2.3"].source == "survey" and fw.nodes["2.3"].rule is not None
    assert [b.code for b in fw.classes_for("district")] == ["xuat_sac", "tot", "kha", "trung_binh", "yeu"]
    assert len(fw.sha256) == 64 and fw.identity == "test-mini@1"


# --- every validation error ------------------------------------------------------------------------
Mutation = Callable[[Doc], None]


def _set(path: str, value: Any) -> Mutation:
    """Set a dotted set-level field (``rounding.rank_on``)."""

    def mutate(doc: Doc) -> None:
        *parents, last = path.split(".")
        target = doc
        for part in parents:
            target = target.setdefault(part, {})
        target[last] = value

    return mutate


def _node(target: str, /, **fields: Any) -> Mutation:
    def mutate(doc: Doc) -> None:
        find(doc, target).update(fields)

    return mutate


def _drop_node_field(code: str, field: str) -> Mutation:
    return lambda doc: find(doc, code).pop(field)


def _rule(target: str, /, **fields: Any) -> Mutation:
    return lambda doc: find(doc, target)["rule"].update(fields)


def _option(index: int, **fields: Any) -> Mutation:
    return lambda doc: find(doc, "1.2")["rule"]["options"][index].update(fields)


def _band(index: int, **fields: Any) -> Mutation:
    return lambda doc: doc["classes"][index].update(fields)


def _all(*mutations: Mutation) -> Mutation:
    def mutate(doc: Doc) -> None:
        for m in mutations:
            m(doc)

    return mutate


def _bonus_with_children(doc: Doc) -> None:
    t = find(doc, "T")
    t.pop("rule")
    t["children"] = [{"code": "T.1", "title": "Sáng kiến", "max": 2, "rule": {"kind": "binary"}}]


def _four_levels(doc: Doc) -> None:
    leaf = find(doc, "1.4.1")
    leaf.pop("rule")
    leaf["children"] = [{"code": "1.4.1.1", "title": "Quá sâu", "max": 1.5, "rule": {"kind": "binary"}}]


def _parent_district_only(doc: Doc) -> None:
    find(doc, "1.4")["max"] = {"district": 2}


SURVEY_RULE = {"kind": "survey", "questions": [{"code": "Q9", "group": "citizens"}]}

# (id, mutation, node, field, message fragment)
CASES: list[tuple[str, Mutation, str | None, str, str]] = [
    # sums
    ("children_sum", _node("1.1", max=3), "1", "max.district", "children add up to 9"),
    ("children_sum_per_kind", _node("1.2", max={"district": 2, "commune": 1.5}), "1", "max.commune",
     "children add up to 7.5"),
    ("areas_total", _all(_node("2", max=13), _node("2.6", max=3)), None, "total_max", "areas add up to 21"),
    # class bands
    ("class_overlap", _band(1, max=95), None, "classes", "bands overlap"),
    ("class_same_min", _band(1, min=90), None, "classes", "bands overlap"),
    ("class_gap", _band(1, max=85), None, "classes", "bands leave a gap: nothing covers [85, 90)"),
    ("class_gap_at_zero", _band(4, min=10), None, "classes", "nothing covers [0, 10)"),
    ("class_top_with_max", _band(0, max=100), None, "classes", "highest band must have no 'max'"),
    ("class_empty", _band(1, max=80), None, "classes[1]", "band [80, 80) is empty"),
    ("class_without_min", lambda d: d["classes"][1].pop("min"), None, "classes[1]", "needs at least 'min'"),
    ("class_without_code", lambda d: d["classes"][1].pop("code"), None, "classes", "has no code"),
    ("class_code_twice", _band(1, code="xuat_sac"), None, "classes", "class code is used twice"),
    ("classes_missing", lambda d: d.pop("classes"), None, "classes", "is required"),
    ("classes_not_list", _set("classes", "five"), None, "classes", "must be a list of classes"),
    ("classes_kind_missing", _set("classes", {"district": [{"code": "a", "label": "A", "min": 0}]}), None,
     "classes.commune", "no classes for unit kind 'commune'"),
    ("classes_unknown_kind", _set("classes", {k: [{"code": "a", "label": "A", "min": 0}]
                                              for k in ("district", "commune", "province")}),
     None, "classes.province", "unknown unit kind"),
    # maxima
    ("max_zero", _node("1.1", max=0), "1.1", "max", "must be greater than 0"),
    ("max_negative", _node("2.6", max=-2), "2.6", "max", "must be greater than 0, got -2"),
    ("max_three_decimals", _node("1.4.1", max=1.505), "1.4.1", "max", "more than two decimals"),
    ("max_not_number", _node("2.6", max="hai"), "2.6", "max", "is not a number"),
    ("max_missing", _drop_node_field("2.6", "max"), "2.6", "max", "is required"),
    ("max_unknown_kind", _node("1.2", max={"district": 2, "commune": 2, "province": 2}), "1.2",
     "max.province", "unknown unit kind 'province'"),
    ("max_kind_parent_lacks", _parent_district_only, "1.4.1", "max.commune", "does not apply to commune"),
    # tree
    ("duplicate_code", _node("1.2", code="1.1"), "1.1", "code", "duplicate code"),
    ("node_without_code", _node("2.6", code=""), "2", "code", "a node has no code"),
    ("node_without_title", _node("2.6", title=""), "2.6", "title", "is required"),
    ("node_not_mapping", lambda d: find(d, "2")["children"].append("2.7"), "2", "children",
     "expected a node"),
    ("children_not_list", _node("1.4", children="1.4.1"), "1.4", "children", "must be a list"),
    ("too_deep", _four_levels, "1.4.1.1", "children", "at most three levels"),
    ("nodes_missing", lambda d: d.pop("nodes"), None, "nodes", "non-empty list"),
    ("unknown_role", _node("T", role="extra"), "T", "role", "unknown value 'extra'"),
    ("unknown_source", _node("2.6", source="guess"), "2.6", "source", "unknown value 'guess'"),
    ("bonus_with_children", _bonus_with_children, "T", "role", "a bonus node must be a leaf"),
    ("penalty_too_deep", _node("1.4.2", role="penalty"), "1.4.2", "role",
     "set level or directly under an area"),
    # rules
    ("leaf_without_rule", _drop_node_field("2.6", "rule"), "2.6", "rule", "a leaf needs a rule"),
    ("rule_on_parent", _node("1.4", rule={"kind": "binary"}), "1.4", "rule", "only leaves carry a rule"),
    ("rule_not_mapping", _node("2.6", rule="manual"), "2.6", "rule", "at least 'kind'"),
    ("unknown_rule_kind", _rule("1.1", kind="magic"), "1.1", "rule.kind", "unknown rule kind 'magic'"),
    ("manual_step_zero", _rule("2.6", step=0), "2.6", "rule.step", "greater than 0"),
    ("options_too_few", lambda d: find(d, "1.2")["rule"]["options"].__delitem__(slice(1, None)),
     "1.2", "rule.options", "at least two options"),
    ("option_code_twice", _option(2, code="late"), "1.2", "rule.options", "option code is used twice"),
    ("option_without_code", lambda d: find(d, "1.2")["rule"]["options"][2].pop("code"), "1.2",
     "rule.options[2]", "needs a 'code'"),
    ("option_points_and_share", _option(0, points=2), "1.2", "rule.options[0]",
     "exactly one of 'points' or 'share'"),
    ("option_neither", lambda d: find(d, "1.2")["rule"]["options"][0].pop("share"), "1.2", "rule.options[0]",
     "exactly one of 'points' or 'share'"),
    ("option_points_above_max", _option(1, points={"district": 3, "commune": 0.5}), "1.2",
     "rule.options[1].points", "3 is more than the leaf's max 2 for district"),
    ("option_points_kind_missing", _option(1, points={"district": 1}), "1.2", "rule.options[1].points",
     "no points for unit kind(s) commune"),
    ("option_share_above_one", _option(0, share=1.5), "1.2", "rule.options[0].share", "between 0 and 1"),
    ("bands_rule_without_bands", _rule("1.3", bands=[]), "1.3", "rule.bands", "needs a list of bands"),
    ("bands_rule_overlap", lambda d: find(d, "1.3")["rule"]["bands"][1].update(max=110), "1.3", "rule.bands",
     "bands overlap"),
    ("bands_rule_input", _rule("1.3", input="fraction"), "1.3", "rule.input", "unknown value 'fraction'"),
    ("zero_denominator", _rule("1.3", zero_denominator="skip"), "1.3", "rule.zero_denominator",
     "unknown value 'skip'"),
    ("floor_not_below_target", _rule("1.4.1", floor=90, target=90), "1.4.1", "rule.floor",
     "floor must be below the target"),
    ("target_zero", _rule("1.4.1", floor=None, target=0), "1.4.1", "rule.target", "greater than 0"),
    ("count_without_per_item", lambda d: find(d, "1.4.2")["rule"].pop("per_item"), "1.4.2", "rule.per_item",
     "is not a number"),
    ("count_mode", _rule("1.4.2", mode="multiply"), "1.4.2", "rule.mode", "unknown value 'multiply'"),
    ("survey_rule_on_appraisal_leaf", _node("2.6", rule=SURVEY_RULE), "2.6", "rule.kind",
     "source is 'survey'"),
    ("survey_leaf_other_rule", _node("2.3", rule={"kind": "binary"}), "2.3", "rule.kind",
     "survey-sourced leaf cannot use a 'binary' rule"),
    ("survey_without_answer_weights", lambda d: d["survey"].pop("answer_weights"), None,
     "survey.answer_weights", "survey leaves but no answer weights"),
    ("answer_weight_above_one", _set("survey.answer_weights.A", 2), None, "survey.answer_weights.A",
     "between 0 and 1"),
    ("group_weights_sum", _rule("2.3", group_weights={"citizens": 0.7, "officials": 0.2}), "2.3",
     "rule.group_weights", "must add up to 1"),
    ("group_weight_missing", _rule("2.3", group_weights={"citizens": 1}), "2.3", "rule.group_weights",
     "no weight for group(s) officials"),
    ("group_weights_not_mapping", _rule("2.3", group_weights=[0.7, 0.3]), "2.3", "rule.group_weights",
     "must be a mapping"),
    ("unknown_respondent_group", lambda d: find(d, "2.3")["rule"]["questions"][1].update(group="tourists"),
     "2.3", "rule.questions[1].group", "unknown respondent group 'tourists'"),
    ("question_without_group", lambda d: find(d, "2.3")["rule"]["questions"][1].pop("group"), "2.3",
     "rule.questions[1]", "needs 'code' and 'group'"),
    ("survey_without_questions", _rule("2.3", questions=[]), "2.3", "rule.questions",
     "at least one question"),
    ("external_without_index", lambda d: find(d, "2.2")["rule"].pop("index"), "2.2", "rule.index",
     "name the external index"),
    ("external_mapping", _rule("2.2", mapping="curve"), "2.2", "rule.mapping", "unknown value 'curve'"),
    ("external_bands_missing", _rule("2.2", mapping="bands"), "2.2", "rule.bands", "needs a list of bands"),
    ("external_scale", _rule("2.2", scale=-1), "2.2", "rule.scale", "greater than 0"),
    ("rank_steps_not_increasing", lambda d: find(d, "2.4")["rule"]["ranks"][1].update(upto=2), "2.4",
     "rule.ranks[1].upto", "increasing order"),
    ("rank_without_steps", _rule("2.4", ranks=[]), "2.4", "rule.ranks", "list of {upto, share}"),
    ("rank_order", _rule("2.4", order="up"), "2.4", "rule.order", "unknown value 'up'"),
    ("minmax_order", _rule("2.5", order="sideways"), "2.5", "rule.order", "unknown value 'sideways'"),
    # set level
    ("wrong_format", _set("format", "excel-thing"), None, "format", "must be 'evaluator-framework'"),
    ("format_version", _set("format_version", 2), None, "format_version", "unsupported version 2"),
    ("missing_code", lambda d: d.pop("code"), None, "code", "is required"),
    ("missing_title", lambda d: d.pop("title"), None, "title", "is required"),
    ("missing_year", lambda d: d.pop("year"), None, "year", "must be a year"),
    ("year_out_of_range", _set("year", 24), None, "year", "must be a year"),
    ("version_missing", lambda d: d.pop("version"), None, "version", "whole number ≥ 1"),
    ("version_zero", _set("version", 0), None, "version", "whole number ≥ 1, got 0"),
    ("version_decimal", _set("version", 1.5), None, "version", "whole number ≥ 1, got 1.5"),
    ("version_text", _set("version", "v2"), None, "version", "whole number ≥ 1, got 'v2'"),
    ("unit_kinds_empty", _set("unit_kinds", []), None, "unit_kinds", "non-empty list"),
    ("unit_kinds_twice", _set("unit_kinds", ["district", "commune", "district"]), None, "unit_kinds",
     "lists a unit kind twice"),
    ("total_max_zero", _set("total_max", 0), None, "total_max", "greater than 0"),
    ("index_decimals", _set("rounding.index_decimals", 7), None, "rounding.index_decimals", "0 to 4"),
    ("classify_on", _set("rounding.classify_on", "exact"), None, "rounding.classify_on", "unknown value"),
    ("rank_on", _set("rounding.rank_on", "exact"), None, "rounding.rank_on", "unknown value"),
    ("tie_policy", _set("ranking.tie_policy", "coin"), None, "ranking.tie_policy", "unknown value 'coin'"),
    ("unknown_tie_breaker", _set("ranking.tie_breakers", ["luck"]), None, "ranking.tie_breakers",
     "unknown tie-breaker 'luck'"),
    ("tie_breaker_not_area", _set("ranking.tie_breakers", ["area:1.1"]), None, "ranking.tie_breakers",
     "unknown tie-breaker 'area:1.1'"),
    ("share_method", _set("shares.method", "round"), None, "shares.method", "unknown value 'round'"),
    ("without_survey", _set("survey.without_survey", "skip"), None, "survey.without_survey", "unknown value"),
    ("bonus_cap", _set("bonus_cap", -1), None, "bonus_cap", "must not be negative"),
    ("penalty_cap", _set("penalty_cap", "x"), None, "penalty_cap", "is not a number"),
    ("rounding_not_mapping", _set("rounding", 2), None, "rounding", "must be a mapping"),
    ("survey_not_mapping", _set("survey", ["A", "B"]), None, "survey", "must be a mapping"),
]


@pytest.mark.parametrize(("mutate", "node", "field", "fragment"), [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_validation_error(tmp_path: Path, mutate: Mutation, node: str | None, field: str,
                          fragment: str) -> None:
    doc = mini()
    mutate(doc)
    path = write(tmp_path, doc)
    problems, text = load_problems(path)
    assert_reported(problems, text, path, node, field, fragment)


def test_cases_do_not_touch_the_fixture() -> None:
    doc = mini()
    for _id, mutate, *_ in CASES:
        mutate(copy.deepcopy(doc))
    assert doc == mini()


def test_several_problems_listed_at_once(tmp_path: Path) -> None:
    doc = mini()
    doc["format_version"] = 3
    find(doc, "1.1")["max"] = 3  # area 1 no longer adds up
    find(doc, "2.1")["rule"]["kind"] = "magic"
    find(doc, "2.6")["max"] = 0.125
    doc["classes"][0]["max"] = 100
    path = write(tmp_path, doc)
    problems, text = load_problems(path)
    assert_reported(problems, text, path, None, "format_version", "unsupported")
    assert_reported(problems, text, path, "1", "max.district", "children add up to 9")
    assert_reported(problems, text, path, "2.1", "rule.kind", "unknown rule kind")
    assert_reported(problems, text, path, "2.6", "max", "more than two decimals")
    assert_reported(problems, text, path, None, "classes", "highest band")
    assert len(text.splitlines()) == len(problems) >= 5


def test_document_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- just\n- a list\n", encoding="utf-8")
    problems, text = load_problems(path)
    assert_reported(problems, text, path, None, "(document)", "does not hold a mapping")


def test_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "cp1258.yaml"
    path.write_bytes(MINI.read_text(encoding="utf-8").replace("ệ", "e").encode("utf-8")
                     + "title_en: Bộ\n".encode("utf-16"))
    problems, text = load_problems(path)
    assert_reported(problems, text, path, None, "(file)", "not UTF-8")


def test_non_utf8_latin1(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("code: caf\xe9\n".encode("latin-1"))
    problems, text = load_problems(path)
    assert_reported(problems, text, path, None, "(file)", "not UTF-8")


def test_unparseable_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("format: evaluator-framework\nnodes: [ {code: '1', title: x\n", encoding="utf-8")
    problems, text = load_problems(path)
    assert_reported(problems, text, path, None, "(file)", "cannot be read")


def test_unparseable_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": "evaluator-framework", ', encoding="utf-8")
    problems, text = load_problems(path)
    assert_reported(problems, text, path, None, "(file)", "cannot be read")


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nothing.yaml"
    problems, text = load_problems(path)
    assert_reported(problems, text, path, None, "(file)", "no such file")


def test_parse_framework_names_its_source() -> None:
    doc = mini()
    doc.pop("code")
    with pytest.raises(FrameworkInvalid) as info:
        parse_framework(doc, "upload.yaml")
    assert str(info.value).startswith("upload.yaml: set: field 'code': is required")


# --- canonical identity ----------------------------------------------------------------------------
def _reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reverse_keys(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [_reverse_keys(v) for v in value]
    return value


def sha(doc: Any) -> str:
    return parse_framework(doc).sha256


def test_key_order_does_not_change_identity() -> None:
    doc = mini()
    reordered = _reverse_keys(doc)
    assert next(iter(reordered)) != next(iter(doc))
    assert sha(reordered) == sha(doc)


def test_comments_and_formatting_do_not_change_identity(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    noisy = "# a comment at the top\n" + text.replace("\nnodes:", "\n# the tree follows\n\n\nnodes:  # areas")
    noisy = noisy.replace("title: Tác động của CCHC", "title:    'Tác động của CCHC'   # quoted now")
    path = tmp_path / "noisy.yaml"
    path.write_text(noisy, encoding="utf-8")
    assert load_framework(path).sha256 == load_framework(MINI).sha256


def test_number_spelling_does_not_change_identity(tmp_path: Path) -> None:
    text = MINI.read_text(encoding="utf-8")
    assert "max: 1.5\n" in text
    for spelling in ("1.50", '"1.50"', '"1,5"', "1.500"):
        path = tmp_path / "n.yaml"
        path.write_text(text.replace("max: 1.5\n", f"max: {spelling}\n").replace("max: 12\n", "max: 12.0\n"),
                        encoding="utf-8")
        assert load_framework(path).sha256 == load_framework(MINI).sha256, spelling
    doc = mini()
    find(doc, "1.4.1")["max"] = Decimal("1.50")
    find(doc, "1.4.2")["rule"]["per_item"] = Decimal("0.250")
    assert sha(doc) == sha(mini())


def test_defaults_written_out_do_not_change_identity() -> None:
    doc = mini()
    doc["rounding"] = {"index_decimals": 2, "classify_on": "rounded", "rank_on": "rounded"}
    doc["shares"] = {"method": "largest_remainder"}
    doc["ranking"]["tie_breakers"] = []
    find(doc, "1.2")["max"] = 2  # {district: 2, commune: 2} written as one number
    find(doc, "1.1")["role"] = "scored"
    find(doc, "2.6")["not_applicable_allowed"] = False
    find(doc, "1.3")["rule"]["input"] = "ratio"
    doc["classes"][1]["max"] = 90  # the default "up to the next band", written out
    assert sha(doc) == sha(mini())


@pytest.mark.parametrize("change", [
    pytest.param(lambda d: find(d, "1.4.1").update(max=1.25), id="max"),
    pytest.param(lambda d: find(d, "1.2").update(max={"district": 2, "commune": 2.5}) or
                 find(d, "1").update(max={"district": 8, "commune": 8.5}) or
                 find(d, "2").update(max={"district": 12, "commune": 11.5}) or
                 find(d, "2.6").update(max={"district": 2, "commune": 1.5}), id="max-per-kind"),
    pytest.param(lambda d: find(d, "1.1").update(title="Ban hành kế hoạch CCHC"), id="title"),
    pytest.param(lambda d: d.update(title="Bộ tiêu chí khác"), id="set-title"),
    pytest.param(lambda d: d.update(version=2), id="version"),
    pytest.param(lambda d: find(d, "1.4.2")["rule"].update(per_item=0.5), id="rule-parameter"),
    pytest.param(lambda d: d["classes"][0].update(min=95) or d["classes"][1].update(max=95), id="class-band"),
    pytest.param(lambda d: d["survey"].update(without_survey="rescale"), id="without-survey"),
    pytest.param(lambda d: find(d, "2.6").update(evidence_required=True), id="flag"),
])
def test_changes_of_meaning_change_identity(change: Mutation) -> None:
    doc = mini()
    change(doc)
    assert sha(doc) != sha(mini())


def test_without_survey_kept_when_the_set_has_no_survey_answers() -> None:
    """Regression: ``without_survey`` was dropped from the canonical document without answer weights."""
    doc = mini()
    doc["survey"] = {"without_survey": "rescale"}
    area = find(doc, "2")
    area["children"] = [c for c in area["children"] if c["code"] != "2.3"]
    find(doc, "2.6")["max"] = 5
    fw = parse_framework(doc)
    assert fw.without_survey == "rescale"
    again = parse_framework(json.loads(json.dumps(plain_document(fw))))
    assert again.without_survey == "rescale" and again.sha256 == fw.sha256
    doc["survey"]["without_survey"] = "zero"
    assert sha(doc) != fw.sha256


def test_canonical_json_is_the_hashed_text() -> None:
    import hashlib

    fw = load_framework(MINI)
    text = canonical_json(fw.document)
    assert hashlib.sha256(text.encode("utf-8")).hexdigest() == fw.sha256
    assert '"max":{"$n":"1.5"}' in text and " " not in text.replace("Bộ tiêu chí", "")[:40]


def test_read_document_json_and_yaml_agree(tmp_path: Path) -> None:
    path = tmp_path / "mini.json"
    path.write_text(json.dumps(mini(), ensure_ascii=False), encoding="utf-8")
    assert read_document(path) == read_document(MINI)
    assert load_framework(path).sha256 == load_framework(MINI).sha256


def test_misspelt_fields_are_reported_not_dropped(tmp_path: Path) -> None:
    doc = mini()
    doc["ranking_policy"] = "min"
    find(doc, "1.1")["evidance_required"] = True
    find(doc, "1.2")["rule"]["floor"] = 50  # an options rule has no floor
    path = write(tmp_path, doc)
    problems, message = load_problems(path)
    assert_reported(problems, message, path, None, "ranking_policy", "unknown field")
    assert_reported(problems, message, path, "1.1", "evidance_required", "unknown field")
    assert_reported(problems, message, path, "1.2", "rule.floor", "unknown field")
    assert "evidence_required" in message  # the list of valid fields helps the user spot the typo
