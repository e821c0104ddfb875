"""Min–max leaves (DDCI style): the optional floor ``min_share`` and "not applicable" for units the index
does not cover (departments DDCI does not survey). Property tests (hypothesis) against values worked out
here from the formula, on both scoring paths."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_helpers import E, build, framework_doc, manual_leaf, score_both

from evaluator.frameworks.loader import FrameworkInvalid
from evaluator.scoring import describe, evaluate
from evaluator.scoring.relative import relative_points

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MAX = Decimal("1.5")


def ddci_set(min_share: Any = None, *, na_allowed: bool = True) -> Any:
    rule: dict[str, Any] = {"kind": "minmax"}
    if min_share is not None:
        rule["min_share"] = min_share
    leaf = {
        "code": "1.2",
        "title": "DDCI",
        "max": float(MAX),
        "rule": rule,
        "not_applicable_allowed": na_allowed,
    }
    area = {"code": "1", "title": "Tác động", "max": 3.5, "children": [manual_leaf("1.1", 2), leaf]}
    return build(framework_doc([area], kinds=("department",)))


def expected(value: Decimal, lo: Decimal, hi: Decimal, floor: Decimal) -> Decimal:
    """The formula of docs/framework-format.md, computed with fractions of the whole scale."""
    if hi == lo:
        return MAX
    share = floor + (1 - floor) * (value - lo) / (hi - lo)
    return (MAX * share).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


values_st = st.dictionaries(
    st.sampled_from([f"u{i}" for i in range(8)]),
    st.integers(0, 10_000).map(lambda c: Decimal(c).scaleb(-2)),
    min_size=1,
)
share_st = st.sampled_from([None, "0", "0.25", "0.5", "1"])


@SETTINGS
@given(values=values_st, min_share=share_st)
def test_min_share_lifts_the_bottom_of_the_scale(values: dict[str, Decimal], min_share: str | None) -> None:
    fw = ddci_set(min_share)
    floor = Decimal(min_share or 0)
    got = relative_points(fw.nodes["1.2"], "department", values)
    lo, hi = min(values.values()), max(values.values())
    for unit, value in values.items():
        assert got[unit] == expected(value, lo, hi, floor)
        assert (floor * MAX).quantize(Decimal("0.01")) <= got[unit] <= MAX
    best = [u for u, v in values.items() if v == hi]
    worst = [u for u, v in values.items() if v == lo]
    assert all(got[u] == MAX for u in best)
    if hi > lo:  # the lowest unit gets exactly the floor: 0 without ``min_share``
        assert all(got[u] == (MAX * floor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP) for u in worst)


def test_min_share_is_checked_and_described() -> None:
    with pytest.raises(FrameworkInvalid):
        ddci_set("1.5")
    plain, floored = ddci_set(), ddci_set("0.25")
    assert "đơn vị thấp nhất được 0 điểm" in describe(plain.nodes["1.2"], "department")
    assert "đơn vị thấp nhất được 0.38 điểm" in describe(floored.nodes["1.2"], "department")
    # A set without min_share keeps its canonical document (and so its SHA-256) unchanged.
    assert "min_share" not in str(plain.document)
    assert "min_share" in str(floored.document)


@SETTINGS
@given(values=values_st, skipped=st.sets(st.sampled_from([f"u{i}" for i in range(8)])), min_share=share_st)
def test_not_applicable_ddci_leaves_the_total_and_the_peers(
    values: dict[str, Decimal], skipped: set[str], min_share: str | None
) -> None:
    """A unit DDCI does not survey marks the leaf "không đánh giá": its applicable max loses the leaf's
    1.5 (index = points ÷ 2), and the others are normalised among themselves only."""
    fw = ddci_set(min_share)
    floor = Decimal(min_share or 0)
    units = {u: "department" for u in values}
    entries = {
        u: [
            E("1.1", "appraisal1", 1),
            E("1.2", "appraisal1", na=True) if u in skipped else E("1.2", "appraisal1", value=v),
        ]
        for u, v in values.items()
    }
    both = score_both(fw, units, entries)
    surveyed = {u: v for u, v in values.items() if u not in skipped}
    for u in values:
        if u in skipped:
            assert both.max(u) == Decimal(2) and both.points(u) == Decimal(1)
            assert both.index(u) == Decimal("50.00")
        else:
            lo, hi = min(surveyed.values()), max(surveyed.values())
            assert both.max(u) == Decimal("3.5")
            assert both.points(u, "1.2") == expected(values[u], lo, hi, floor)
            assert both.points(u) == 1 + expected(values[u], lo, hi, floor)


def test_not_applicable_needs_the_flag() -> None:
    assert evaluate(ddci_set().nodes["1.2"], "department", {"not_applicable": True}).not_applicable
    from evaluator.scoring import InputError

    with pytest.raises(InputError):
        evaluate(ddci_set(na_allowed=False).nodes["1.2"], "department", {"not_applicable": True})


# --- the bundled sets: nothing counted twice -----------------------------------------------------------
@pytest.mark.parametrize("code", ["par-department-2023", "par-department-2024", "par-department-2025",
                                  "par-commune-2025"])
def test_full_marks_everywhere_make_exactly_the_total(code: str) -> None:
    """Every scored leaf at its max gives exactly the set's total (100), and marking the DDCI leaf not
    applicable takes its 1.5 out of the maximum instead of costing the unit 1.5 points."""
    from evaluator.frameworks.registry import find_bundled
    from evaluator.scoring import Entry, score_units

    fw = find_bundled(code)
    assert fw is not None and fw.version == 2
    (kind,) = fw.unit_kinds
    scored = [n for n in fw.leaves(kind) if n.role == "scored"]
    relative = {n.code for n in scored if n.rule is not None and n.rule.is_relative}

    def entries(na: set[str]) -> list[Entry]:
        out = []
        for n in scored:
            stage = "survey" if n.source == "survey" else "appraisal1"
            if n.code in na:
                out.append(Entry(n.code, stage, not_applicable=True))
            elif n.code in relative:  # the unit is the best of its peers
                out.append(Entry(n.code, stage, value=Decimal(100)))
            else:
                out.append(Entry(n.code, stage, points=n.max[kind]))
        return out

    peer = [Entry(n.code, "appraisal1", value=Decimal(10)) for n in scored if n.code in relative]
    both = score_units(fw, {"best": kind, "peer": kind}, {"best": entries(set()), "peer": peer})
    assert both["best"].points == both["best"].max == fw.total_max == Decimal(100)
    assert both["best"].index == Decimal(100)
    if kind == "department":
        ddci = next(n for n in scored if "DDCI" in n.title)
        alone = score_units(fw, {"best": kind, "peer": kind},
                            {"best": entries({ddci.code}), "peer": peer})["best"]
        assert alone.max == Decimal("98.5") and alone.points == Decimal("98.5") and alone.index == 100
