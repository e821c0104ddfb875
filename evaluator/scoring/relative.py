"""Leaves whose points depend on the other units of the same kind: ``rank``, ``minmax`` and external
indices mapped min–max (DDCI style). One implementation serves both the batch and the per-unit path, so
they cannot disagree.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from decimal import Decimal

from evaluator.frameworks.model import Node
from evaluator.scoring.rules import ZERO, cents, leaf_max


def stored_value(value: object) -> float:
    """The number a rank or min–max leaf was given, as stored (``{"value": …}``); NaN when there is none or
    it is not a number (the batch scoring's frames read it so)."""
    if isinstance(value, dict) and value.get("value") is not None:
        try:
            return float(value["value"])
        except (TypeError, ValueError):
            return float("nan")
    return float("nan")


def relative_points(node: Node, kind: str, values: Mapping[Hashable, Decimal]) -> dict[Hashable, Decimal]:
    """Points per unit from each unit's value, among the units given (the peers of one kind and year)."""
    rule = node.rule
    assert rule is not None and rule.is_relative, node.code
    mx = leaf_max(node, kind)
    if not values:
        return {}
    descending = rule.order == "desc"
    if rule.kind == "rank":
        ordered = sorted(values.values(), reverse=descending)
        out: dict[Hashable, Decimal] = {}
        for unit, v in values.items():
            position = ordered.index(v) + 1  # shared rank for equal values (1-2-2-4)
            share = next((s.share for s in rule.rank_points if position <= s.upto), ZERO)
            out[unit] = cents(mx * share)
        return out
    lo, hi = min(values.values()), max(values.values())
    if hi == lo:
        return dict.fromkeys(values, mx)  # nobody can be told apart: everybody gets full marks
    span = hi - lo
    # Plain min–max gives the lowest unit 0 however close it is to the others; ``min_share`` (rule data,
    # 0 by default) lifts the bottom of the scale: points = max × (min_share + (1 − min_share) × position).
    floor = rule.min_share if rule.kind == "minmax" else ZERO
    return {unit: cents(mx * (floor + (1 - floor) * ((v - lo) if descending else (hi - v)) / span))
            for unit, v in values.items()}
