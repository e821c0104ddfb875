"""Property tests (hypothesis).

1. On random criteria sets and random entries, the batch path and the per-unit path agree exactly on every
   unit (points, applicable max, index, class, bonus/penalty/appraisal/survey parts), every area and every
   node.
2. Class shares always add up to exactly 100.00; under largest remainder each is within 0.01 of its quota.
3. Without bonus leaves the index is always within [0, 100].
4. Ranks under ``min`` are consistent with the index (strictly higher index → strictly smaller rank).
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_helpers import CLASSES, build, disagreements, entries_frame, evidence_frame, units_frame

from evaluator.frameworks import ALL_STAGES, Framework
from evaluator.scoring import Entry, rank, rank_kind, score_batch, score_units, shares

SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

LEAF_KINDS = ("manual", "binary", "options", "bands", "proportional", "count", "rank", "minmax",
              "survey_manual", "survey", "external_minmax")
Maxima = dict[str, int]   # unit kind → max in cents


def money(cents: int) -> str:
    return str(Decimal(cents).scaleb(-2))


def max_field(maxima: Maxima) -> dict[str, str]:
    return {k: money(c) for k, c in maxima.items()}


def rule_for(kind: str, draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid rule of this kind and the leaf's source."""
    if kind == "manual":
        return {"kind": "manual", "step": 0.01}, "appraisal"
    if kind == "survey_manual":
        return {"kind": "manual"}, "survey"
    if kind == "binary":
        return {"kind": "binary"}, "appraisal"
    if kind == "options":
        return {"kind": "options", "options": [{"code": "full", "share": 1}, {"code": "half", "share": 0.5},
                                               {"code": "none", "points": 0}]}, "appraisal"
    if kind == "bands":
        bands = [{"min": 80, "share": 1}, {"min": 0, "max": 80, "share": 0}]
        return {"kind": "bands", "bands": bands}, "appraisal"
    if kind == "proportional":
        return {"kind": "proportional", "floor": 50, "target": 90}, "appraisal"
    if kind == "count":
        mode = draw(st.sampled_from(["add", "deduct"]))
        return {"kind": "count", "per_item": 0.25, "mode": mode}, "appraisal"
    if kind == "rank":
        return {"kind": "rank", "order": draw(st.sampled_from(["desc", "asc"])),
                "ranks": [{"upto": 1, "share": 1}, {"upto": 3, "share": 0.5}]}, "appraisal"
    if kind == "minmax":
        return {"kind": "minmax", "order": draw(st.sampled_from(["desc", "asc"]))}, "appraisal"
    if kind == "survey":
        return {"kind": "survey", "questions": [{"code": "Q1", "group": "citizens"}]}, "survey"
    assert kind == "external_minmax"
    return ({"kind": "external", "index": "ddci", "mapping": "minmax"},
            draw(st.sampled_from(["appraisal", "survey"])))


@st.composite
def framework_docs(draw: st.DrawFn, *, with_bonus: bool = True) -> dict[str, Any]:
    kinds = draw(st.sampled_from([("district",), ("district", "commune")]))

    def leaf(code: str) -> tuple[dict[str, Any], Maxima]:
        rule, source = rule_for(draw(st.sampled_from(LEAF_KINDS)), draw)
        maxima = {kinds[0]: draw(st.integers(1, 300))}
        if len(kinds) == 2:
            other = draw(st.sampled_from(["same", "other", "absent"]))
            if other != "absent":
                maxima[kinds[1]] = maxima[kinds[0]] if other == "same" else draw(st.integers(1, 300))
        node = {"code": code, "title": f"Tiêu chí {code}", "max": max_field(maxima), "rule": rule,
                "not_applicable_allowed": draw(st.booleans()), "evidence_required": draw(st.booleans())}
        if source == "survey":
            node["source"] = "survey"
        return node, maxima

    def parent(code: str, children: list[tuple[dict[str, Any], Maxima]]) -> tuple[dict[str, Any], Maxima]:
        cap = draw(st.integers(0, 3)) == 0
        maxima: Maxima = {}
        for k in kinds:
            total = sum(m[k] for _, m in children if k in m)
            if total > 0:
                maxima[k] = draw(st.integers(1, total)) if cap else total
        node = {"code": code, "title": f"Mục {code}", "max": max_field(maxima),
                "children": [c for c, _ in children]}
        if cap:
            node["cap_children"] = True
        return node, maxima

    areas: list[tuple[dict[str, Any], Maxima]] = []
    for a in range(1, draw(st.integers(1, 4)) + 1):
        if draw(st.integers(0, 6)) == 0:
            areas.append(leaf(str(a)))   # an area that is itself a leaf
            continue
        criteria = []
        for c in range(1, draw(st.integers(1, 3)) + 1):
            code = f"{a}.{c}"
            if draw(st.booleans()):
                criteria.append(leaf(code))
            else:
                subs = [leaf(f"{code}.{s}") for s in range(1, draw(st.integers(1, 3)) + 1)]
                criteria.append(parent(code, subs))
        areas.append(parent(str(a), criteria))
    totals = {k: sum(m.get(k, 0) for _, m in areas) for k in kinds}
    if len(kinds) > 1:   # a last area evens out the kinds' totals (total_max is one number)
        top = max(totals.values()) + draw(st.integers(1, 200))
        balance = {k: top - t for k, t in totals.items()}
        only = {"code": "Z.1", "title": "Cân bằng", "max": max_field(balance), "rule": {"kind": "manual"}}
        area = {"code": "Z", "title": "Cân bằng", "max": max_field(balance), "children": [only]}
        areas.append((area, balance))
        totals = dict.fromkeys(kinds, top)

    nodes = [n for n, _ in areas]
    if with_bonus:
        for i, role in enumerate(draw(st.lists(st.sampled_from(["bonus", "penalty"]), max_size=4))):
            parents = [n for n in nodes if n.get("children") and n["code"] != "Z"]
            where = draw(st.sampled_from([None, *parents]))
            own_kinds = kinds if where is None else list(where["max"])
            bonus = {"code": f"{role[0].upper()}{i}", "title": role, "role": role, "rule": {"kind": "manual"},
                     "max": {k: money(draw(st.integers(1, 300))) for k in own_kinds}}
            (nodes if where is None else where["children"]).append(bonus)
    doc: dict[str, Any] = {
        "format": "evaluator-framework", "format_version": 1, "code": "prop", "version": 1, "year": 2024,
        "title": "Bộ tiêu chí ngẫu nhiên", "unit_kinds": list(kinds), "total_max": money(totals[kinds[0]]),
        "classes": CLASSES, "nodes": nodes,
        "rounding": {"index_decimals": draw(st.integers(0, 3)),
                     "classify_on": draw(st.sampled_from(["rounded", "raw"])),
                     "rank_on": draw(st.sampled_from(["rounded", "raw"]))},
        "survey": {"answer_weights": {"A": 1, "B": 0.6, "C": 0.2, "D": 0},
                   "groups": {"citizens": "Người dân"},
                   "without_survey": draw(st.sampled_from(["zero", "rescale"]))},
    }
    for cap in ("bonus_cap", "penalty_cap"):
        value = draw(st.none() | st.integers(1, 400))
        if value is not None:
            doc[cap] = money(value)
    return doc


VALUES = st.sampled_from(["0", "1.5", "2", "7.25", "10"]) | st.integers(0, 10_000).map(money)


@st.composite
def scenarios(draw: st.DrawFn, *, with_bonus: bool = True):
    fw = build(draw(framework_docs(with_bonus=with_bonus)))
    units = {f"u{i}": draw(st.sampled_from(fw.unit_kinds)) for i in range(draw(st.integers(1, 6)))}
    entries: dict[Hashable, list[Entry]] = {}
    evidence: dict[Hashable, list[str]] = {}
    for u, kind in units.items():
        mine: list[Entry] = []
        for leaf in fw.leaves(kind):
            relative = leaf.rule is not None and leaf.rule.is_relative
            max_c = int(leaf.max[kind] * 100)
            for stage in draw(st.lists(st.sampled_from(ALL_STAGES), unique=True, max_size=3)):
                kinds = ["points", "points", "empty"] + ["na"] * leaf.not_applicable_allowed
                what = draw(st.sampled_from(kinds + ["value", "value"] * relative))
                if what == "points":
                    points = Decimal(draw(st.integers(0, max_c))).scaleb(-2)
                    mine.append(Entry(leaf.code, stage, points=points))
                elif what == "value":
                    mine.append(Entry(leaf.code, stage, value=Decimal(draw(VALUES))))
                elif what == "na":
                    mine.append(Entry(leaf.code, stage, not_applicable=True))
                else:
                    mine.append(Entry(leaf.code, stage))
            if leaf.evidence_required and draw(st.booleans()):
                evidence.setdefault(u, []).append(leaf.code)
        entries[u] = mine
    return fw, units, entries, evidence


def run_both(fw: Framework, units, entries, evidence):
    per_unit = score_units(fw, units, entries, evidence)
    batch = score_batch(fw, units_frame(units), entries_frame(entries), evidence_frame(evidence),
                        with_nodes=True)
    return per_unit, batch


# --- 1. the two paths agree --------------------------------------------------------------------------
@SETTINGS
@given(scenarios())
@pytest.mark.slow
def test_batch_and_per_unit_paths_agree(scenario) -> None:
    fw, units, entries, evidence = scenario
    per_unit, batch = run_both(fw, units, entries, evidence)
    problems = disagreements(fw, per_unit, batch)
    assert not problems, "\n".join(problems)
    assert len(batch.units) == len(units)
    assert len(batch.areas) == sum(len(fw.areas(k)) for k in units.values())
    # The aggregate rules hold on the reference path itself.
    for s in per_unit.values():
        uncapped = max(s.scored + s.bonus - s.penalty, Decimal(0))
        assert s.points == (min(uncapped, s.max) if fw.cap_total else uncapped)  # capped at 100 %: cap_total
        assert s.max == sum((s.nodes[a.code].max for a in fw.areas(s.kind)), Decimal(0))
        for node in fw:
            if node.applies_to(s.kind) and node.role == "scored":
                assert Decimal(0) <= s.nodes[node.code].points <= s.nodes[node.code].max <= node.max[s.kind]
        if s.max > 0:
            assert s.index_raw == Fraction(s.points) * 100 / Fraction(s.max)
            assert abs(Fraction(s.index) - s.index_raw) <= Fraction(1, 2 * 10**fw.index_decimals)
        else:
            assert s.index is None and s.class_code is None


# --- 2. shares ---------------------------------------------------------------------------------------
@SETTINGS
@given(st.lists(st.integers(0, 60), min_size=1, max_size=8).filter(lambda c: sum(c) > 0),
       st.sampled_from(["largest_remainder", "remainder_to_last"]))
def test_shares_add_up_to_exactly_100(counts: list[int], method: str) -> None:
    got = shares(counts, method)
    assert len(got) == len(counts)
    assert sum(got) == Decimal("100.00")
    assert all(s == s.quantize(Decimal("0.01")) and s >= 0 for s in got)
    total = sum(counts)
    quotas = [Fraction(c * 100, total) for c in counts]
    for count, share, quota in zip(counts, got, quotas, strict=True):
        if count == 0 and method == "largest_remainder":
            assert share == 0
        if method == "largest_remainder":
            assert abs(Fraction(share) - quota) <= Fraction(1, 100)
    if method == "remainder_to_last":
        last = max(i for i, c in enumerate(counts) if c > 0)
        for i, (share, quota) in enumerate(zip(got, quotas, strict=True)):
            if i != last:   # truncated: never above the quota, less than a hundredth below
                assert Fraction(1, -100) < Fraction(share) - quota <= 0


# --- 3. the index stays within [0, 100] without bonus ------------------------------------------------
@SETTINGS
@given(scenarios(with_bonus=False))
@pytest.mark.slow
def test_index_within_0_and_100_without_bonus(scenario) -> None:
    fw, units, entries, evidence = scenario
    per_unit, batch = run_both(fw, units, entries, evidence)
    top = 100 * 10**fw.index_decimals
    for s in per_unit.values():
        if s.max > 0:
            assert s.index is not None and s.index_raw is not None
            assert 0 <= s.index_raw <= 100 and 0 <= s.index <= 100
        for area in fw.areas(s.kind):
            idx = s.area_index(area.code, fw.index_decimals)
            assert idx is None or 0 <= idx <= 100
    scored = batch.units[batch.units["max_c"] > 0]
    assert ((scored["index_scaled"] >= 0) & (scored["index_scaled"] <= top)).all()
    assert (batch.units.loc[batch.units["max_c"] == 0, "index_scaled"] == -1).all()


# --- 4. ranks ----------------------------------------------------------------------------------------
@SETTINGS
@given(st.lists(st.tuples(st.integers(0, 20), st.integers(0, 3)), min_size=1, max_size=30))
def test_min_ranks_follow_the_index(rows: list[tuple[int, int]]) -> None:
    index = np.array([r[0] for r in rows], dtype=float)
    breaker = np.array([r[1] for r in rows], dtype=float)
    codes = np.array([f"u{i:02d}" for i in range(len(rows))])
    plain = rank([index], codes, "min")
    broken = rank([index, breaker], codes, "min")
    dense = rank([index], codes, "dense")
    ordinal = rank([index, breaker], codes, "ordinal")
    assert sorted(ordinal.tolist()) == list(range(1, len(rows) + 1))
    for i in range(len(rows)):
        assert plain[i] == 1 + int((index > index[i]).sum())   # shared rank, next skipped
        assert dense[i] == 1 + len({v for v in index if v > index[i]})
        for j in range(len(rows)):
            if index[i] > index[j]:
                for ranks in (plain, broken, dense, ordinal):
                    assert ranks[i] < ranks[j]
            elif index[i] == index[j]:
                assert plain[i] == plain[j] and dense[i] == dense[j]
                if breaker[i] == breaker[j]:
                    assert broken[i] == broken[j]


@settings(SETTINGS, max_examples=60)
@given(scenarios())
@pytest.mark.slow
def test_rank_kind_on_scored_units_follows_the_index(scenario) -> None:
    fw, units, entries, evidence = scenario
    _, batch = run_both(fw, units, entries, evidence)
    for kind in fw.unit_kinds:
        mine = batch.units[batch.units["kind"] == kind].reset_index(drop=True)
        if mine.empty:
            continue
        ranks = rank_kind(fw, mine, batch.areas)
        key = mine["index_scaled"] if fw.rank_on == "rounded" else mine["index_raw"]
        key = pd.Series(np.where(mine["max_c"] > 0, key.astype(float), -np.inf))
        for i in range(len(mine)):
            higher = key > key[i]
            assert (ranks[higher.to_numpy()] < ranks[i]).all()
            if fw.tie_policy == "min" and not fw.tie_breakers:
                assert ranks[i] == 1 + int(higher.sum())
