"""The criteria sets shipped in ``resources/frameworks``: they load, are complete, keep a stable identity."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from evaluator.frameworks import Framework, canonical_json, load_framework, parse_framework
from evaluator.frameworks.export import to_yaml
from evaluator.frameworks.model import CENT, RULE_KINDS, Node
from evaluator.frameworks.registry import bundled_for_year, bundled_frameworks, bundled_paths, find_bundled
from evaluator.resources import resource

EXPECTED: dict[str, tuple[int, str]] = {
    "par-department-2023": (2023, "department"),
    "par-district-2023": (2023, "district"),
    "par-commune-2023": (2023, "commune"),
    "par-department-2024": (2024, "department"),
    "par-district-2024": (2024, "district"),
    "par-commune-2024": (2024, "commune"),
    "par-department-2025": (2025, "department"),
    "par-commune-2025": (2025, "commune"),
}
CLASS_BANDS = [
    ("xuat_sac", "Xuất sắc", "Excellent", Decimal(90), None),
    ("tot", "Tốt", "Good", Decimal(80), Decimal(90)),
    ("kha", "Khá", "Fair", Decimal(70), Decimal(80)),
    ("trung_binh", "Trung bình", "Average", Decimal(50), Decimal(70)),
    ("yeu", "Yếu", "Weak", Decimal(0), Decimal(50)),
]
CODES = sorted(EXPECTED)
VERSION_2 = {"par-department-2023", "par-department-2024", "par-department-2025", "par-commune-2025"}
"""Sets fixed in a version 2 (double counting, DDCI not applicable, area 2's name, class shares)."""
WITHOUT_RANK = VERSION_2
"""Their rank leaf was the double count: they no longer use the ``rank`` kind (the 2023–2024 district and
commune sets still do)."""


def path_of(code: str) -> Path:
    return resource("frameworks", f"{code}.yaml")


@pytest.fixture(scope="module", params=CODES)
def fw(request: pytest.FixtureRequest) -> Framework:
    return load_framework(path_of(request.param))


def kind_of(fw: Framework) -> str:
    (kind,) = fw.unit_kinds
    return kind


def scored_leaves(fw: Framework) -> list[Node]:
    return [n for n in fw.leaves() if n.role == "scored"]


def survey_points(fw: Framework, area: Node | None = None) -> Decimal:
    kind = kind_of(fw)
    return sum(
        (n.max[kind] for n in scored_leaves(fw)
         if n.source == "survey" and (area is None or fw.area_of(n.code).code == area.code)),
        Decimal(0),
    )


# --- the bundle as a whole ------------------------------------------------------------------------
def test_bundle_holds_exactly_the_expected_sets() -> None:
    assert sorted(p.stem for p in bundled_paths()) == CODES
    assert not resource("frameworks", ".keep").exists()


@pytest.mark.slow
def test_registry_loads_every_set_in_year_order() -> None:
    sets = bundled_frameworks()
    assert [(f.year, f.code) for f in sets] == sorted((y, c) for c, (y, _k) in EXPECTED.items())
    for f in sets:
        assert f.sha256 == load_framework(path_of(f.code)).sha256
        found = find_bundled(f.code)
        version = 2 if f.code in VERSION_2 else 1
        assert found is not None and found.identity == f"{f.code}@{version}"


def test_unit_kinds_per_year_follow_the_two_level_reform() -> None:
    kinds = {year: sorted(k for f in bundled_for_year(year) for k in f.unit_kinds)
             for year in (2023, 2024, 2025)}
    assert kinds[2023] == kinds[2024] == ["commune", "department", "district"]
    assert kinds[2025] == ["commune", "department"]


def test_every_set_has_its_own_identity() -> None:
    shas = [f.sha256 for f in bundled_frameworks()]
    assert len(set(shas)) == len(shas)


# --- per set: identity and set-level settings -----------------------------------------------------
def test_identity_fields(fw: Framework) -> None:
    year, kind = EXPECTED[fw.code]
    assert (fw.year, fw.version, fw.unit_kinds) == (year, 2 if fw.code in VERSION_2 else 1, (kind,))
    assert fw.code == f"par-{kind}-{year}"
    assert fw.title.startswith("Bộ tiêu chí xác định Chỉ số cải cách hành chính")
    assert fw.title.endswith(f"năm {year}")
    assert fw.title_en.endswith(str(year))
    assert "/QĐ-UBND" in fw.issued_by and "UBND tỉnh" in fw.issued_by
    raw = yaml.safe_load(path_of(fw.code).read_text(encoding="utf-8"))
    assert (raw["format"], raw["format_version"]) == ("evaluator-framework", 1)


def test_identity_is_stable_across_loads_and_export(fw: Framework) -> None:
    again = load_framework(path_of(fw.code))
    assert again.sha256 == fw.sha256
    assert canonical_json(again.document) == canonical_json(fw.document)
    assert fw.sha256 == hashlib.sha256(canonical_json(fw.document).encode("utf-8")).hexdigest()
    # Writing the canonical YAML and reading it back keeps the identity (comments/formatting don't count).
    assert parse_framework(yaml.safe_load(to_yaml(fw))).sha256 == fw.sha256


def test_classes_ranking_rounding_and_shares(fw: Framework) -> None:
    kind = kind_of(fw)
    bands = fw.classes_for(kind)
    assert [(b.code, b.label, b.label_en, b.lo, b.hi) for b in bands] == CLASS_BANDS
    samples = [("100", "xuat_sac"), ("90", "xuat_sac"), ("89.99", "tot"), ("80", "tot"), ("79.99", "kha"),
               ("70", "kha"), ("50", "trung_binh"), ("49.99", "yeu"), ("0", "yeu")]
    for value, code in samples:
        assert fw.classify(kind, Decimal(value)).code == code, value
    assert (fw.tie_policy, fw.tie_breakers) == ("min", ("appraisal",))
    assert (fw.index_decimals, fw.classify_on, fw.rank_on) == (2, "rounded", "rounded")
    # Department sets truncate and give the remainder to the last class, as the seed's 13.63 % / 68.18 % /
    # 18.19 % show; par-commune-2025 shows the option too.
    by_last = fw.code == "par-commune-2025" or kind == "department"
    expected_method = "remainder_to_last" if by_last else "largest_remainder"
    assert fw.share_method == expected_method


# --- per set: the tree ----------------------------------------------------------------------------
def test_areas_and_leaf_counts(fw: Framework) -> None:
    kind = kind_of(fw)
    areas = fw.areas(kind)
    assert 7 <= len(areas) <= 8
    assert sum(a.max[kind] for a in areas) == fw.total_max == Decimal(100)
    assert 40 <= len(fw.leaves(kind)) <= 100
    assert len(fw.leaves(kind)) == len(fw.leaves())  # one unit kind per set: everything applies
    assert max(n.depth for n in fw) == 2
    assert sum(1 for n in fw if n.depth == 2) >= 20  # three levels where natural


def test_children_add_up_and_codes_follow_the_tree(fw: Framework) -> None:
    kind = kind_of(fw)
    capped = []
    for n in fw:
        if n.role == "scored" and n.parent is not None:
            assert n.code.startswith(f"{n.parent}.") and n.code.count(".") == n.depth, n.code
        if n.is_leaf:
            mx = n.max[kind]
            assert mx > 0 and mx == mx.quantize(CENT), n.code
            continue
        total = sum(c.max[kind] for c in fw.children(n.code) if c.role == "scored")
        if n.cap_children:
            capped.append(n.code)
            assert total > n.max[kind], n.code
        else:
            assert total == n.max[kind], n.code
    assert capped, "no node uses cap_children"


def test_every_rule_kind_and_variant_is_used(fw: Framework) -> None:
    rules = [n.rule for n in fw.leaves() if n.rule is not None]
    expected_kinds = set(RULE_KINDS) - ({"rank"} if fw.code in WITHOUT_RANK else set())
    assert {r.kind for r in rules} == expected_kinds
    assert {r.mode for r in rules if r.kind == "count"} == {"add", "deduct"}
    external = {(r.index, r.mapping) for r in rules if r.kind == "external"}
    assert {("sipas", "proportional"), ("par766", "bands")} <= external
    proportional = [r for r in rules if r.kind == "proportional"]
    assert any(r.floor is not None for r in proportional)
    assert any(r.target is not None for r in proportional)
    for kind in ("bands", "proportional"):
        assert any(r.zero_denominator == "not_applicable" for r in rules if r.kind == kind), kind


def test_not_applicable_and_evidence_flags(fw: Framework) -> None:
    leaves = fw.leaves()
    assert sum(n.not_applicable_allowed for n in leaves) >= 3
    assert sum(n.evidence_required for n in leaves) >= 3
    for n in leaves:
        # A zero denominator may only make a leaf "không đánh giá" if the leaf allows it.
        if n.rule is not None and n.rule.zero_denominator == "not_applicable":
            assert n.not_applicable_allowed, n.code


def test_graded_rules_reach_full_marks_and_zero(fw: Framework) -> None:
    kind = kind_of(fw)
    for n in fw.leaves():
        rule = n.rule
        assert rule is not None
        if rule.kind in ("options", "bands") or (rule.kind == "external" and rule.mapping == "bands"):
            points = {lv.points_for(kind, n.max[kind]) for lv in rule.levels}
            assert n.max[kind] in points and Decimal(0) in points, n.code
        if rule.kind == "rank":
            assert rule.rank_points[0].share == 1, n.code


def test_bonus_and_penalty(fw: Framework) -> None:
    roles = {n.role for n in fw.leaves()}
    assert {"bonus", "penalty"} <= roles
    assert fw.bonus_cap is not None and fw.penalty_cap is not None
    for n in fw.leaves():
        if n.role != "scored":
            assert n.depth <= 1, n.code
    kind = kind_of(fw)
    bonus_total = sum(n.max[kind] for n in fw.leaves() if n.role == "bonus")
    penalty_total = sum(n.max[kind] for n in fw.leaves() if n.role == "penalty")
    # The set-level caps bite: the leaves together could exceed them.
    assert bonus_total > fw.bonus_cap and penalty_total > fw.penalty_cap


def test_survey_part(fw: Framework) -> None:
    assert fw.answer_weights == {"A": 1, "B": Decimal("0.6"), "C": Decimal("0.2"), "D": 0}
    assert set(fw.survey_groups) == {"citizens", "officials", "leaders"}
    assert fw.without_survey == "zero"
    assert Decimal(25) <= survey_points(fw) <= Decimal(35)
    impact = fw.areas()[-1]
    assert impact.title.startswith("Tác động của CCHC")
    per_area = {a.code: survey_points(fw, a) for a in fw.areas()}
    assert max(per_area, key=lambda c: per_area[c]) == impact.code
    codes = []
    for n in fw.leaves():
        rule = n.rule
        assert rule is not None
        if rule.kind == "survey":
            assert n.source == "survey" and rule.questions
            codes += [q.code for q in rule.questions]
            assert {q.group for q in rule.questions} <= set(fw.survey_groups)
            if rule.group_weights:
                assert sum(rule.group_weights.values()) == 1
        if rule.kind == "external" and rule.index == "sipas":
            assert n.source == "survey"
    assert len(codes) == len(set(codes)), "survey question codes repeat"
    assert codes == [f"Q{i}" for i in range(1, len(codes) + 1)]


# --- across sets ----------------------------------------------------------------------------------
@pytest.mark.parametrize("code", ["par-department-2025", "par-commune-2025"])
def test_2025_sets_know_no_districts(code: str) -> None:
    fw = load_framework(path_of(code))
    assert "district" not in fw.unit_kinds
    text = json.dumps(fw.document, ensure_ascii=False, default=str).lower()
    assert "huyện" not in text


@pytest.mark.parametrize("kind", ["department", "district", "commune"])
def test_2023_is_a_close_predecessor_of_2024(kind: str) -> None:
    old, new = (load_framework(path_of(f"par-{kind}-{year}")) for year in (2023, 2024))
    old_titles = {n.title for n in old.leaves()}
    new_titles = {n.title for n in new.leaves()}
    shared = old_titles & new_titles
    assert len(shared) >= 0.85 * len(new_titles)
    assert new_titles - old_titles, "2024 should add or rename at least one criterion"
    old_max = {n.title: n.max[kind] for n in old.leaves()}
    assert any(old_max[n.title] != n.max[kind] for n in new.leaves() if n.title in old_max)


def test_the_bundle_still_uses_every_rule_kind() -> None:
    used = {n.rule.kind for fw in bundled_frameworks() for n in fw.leaves() if n.rule is not None}
    assert used == set(RULE_KINDS)


# --- version 2: the sets read as an official would ---------------------------------------------------
def _leaf_titled(fw: Framework, *words: str) -> list[Node]:
    return [n for n in fw.leaves() if all(w.lower() in n.title.lower() for w in words)]


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_department_sets_count_the_on_time_ratio_once(year: int) -> None:
    fw = load_framework(path_of(f"par-department-{year}"))
    on_time = _leaf_titled(fw, "nhiệm vụ", "giao", "đúng hạn")
    assert [n.code for n in on_time] == ["1.6"]
    assert on_time[0].rule is not None and on_time[0].rule.kind == "proportional"
    assert not [n for n in fw.leaves() if n.rule is not None and n.rule.kind == "rank"]
    # The removed point went to the sector's socio-economic targets: area 8 and the total keep their max.
    assert [(c.code, c.max["department"]) for c in fw.children("8.7")] == [
        ("8.7.1", Decimal("2.5")), ("8.7.2", Decimal("1.5")), ("8.7.3", Decimal("1.5")),
        ("8.7.4", Decimal(1))]
    assert fw.nodes["8.7"].max["department"] == Decimal("6.5")
    assert fw.nodes["8"].max["department"] == Decimal(22)
    assert fw.nodes["2"].title == "Cải cách thể chế"


def test_commune_2025_counts_the_766_index_once() -> None:
    fw = load_framework(path_of("par-commune-2025"))
    on_766 = [n for n in fw.leaves() if "766" in n.title]
    assert [n.code for n in on_766] == ["8.7.3"]
    assert on_766[0].max["commune"] == Decimal("2.5")
    rule = on_766[0].rule
    assert rule is not None and (rule.index, rule.mapping) == ("par766", "bands")
    assert sum(c.max["commune"] for c in fw.children("8.7")) == fw.nodes["8.7"].max["commune"]


@pytest.mark.parametrize("year", [2023, 2024, 2025])
def test_ddci_leaf_may_be_not_applicable_and_says_the_lowest_gets_nothing(year: int) -> None:
    fw = load_framework(path_of(f"par-department-{year}"))
    (ddci,) = _leaf_titled(fw, "DDCI")
    assert ddci.rule is not None and ddci.rule.kind == "minmax"
    assert ddci.not_applicable_allowed
    assert "thấp nhất được 0 điểm" in ddci.guidance and "không đánh giá" in ddci.guidance
