"""Across the units of one kind and year (and ranking group: units ranked apart): ranks under the set's
tie policy, change from last year, mean index, and the count and share of units per class.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pandas as pd

from evaluator.frameworks.model import Framework

HUNDREDTHS = 10_000  # 100.00 % in hundredths of a percent


def rank(keys: Sequence[np.ndarray], codes: np.ndarray, policy: str = "min") -> np.ndarray:
    """1-based ranks, higher keys first. ``keys[0]`` is the index, the rest are tie-breakers in order.

    ``min``: equal units share a rank and the next is skipped (1-2-2-4); ``dense``: 1-2-2-3;
    ``ordinal``: every unit its own rank, remaining ties broken by unit code.
    """
    n = len(codes)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    columns = [np.asarray(k, dtype="float64") for k in keys]
    # lexsort: the last key is the primary one; negate for descending order; codes ascending last.
    order = np.lexsort([np.asarray(codes, dtype=str)] + [-c for c in reversed(columns)])
    if policy == "ordinal":
        ranks = np.empty(n, dtype=np.int64)
        ranks[order] = np.arange(1, n + 1)
        return ranks
    sorted_keys = np.column_stack([c[order] for c in columns])
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = np.any(sorted_keys[1:] != sorted_keys[:-1], axis=1)
    if policy == "dense":
        ranked = np.cumsum(new_group)
    else:
        starts = np.where(new_group, np.arange(1, n + 1), 0)
        ranked = np.maximum.accumulate(starts)
    ranks = np.empty(n, dtype=np.int64)
    ranks[order] = ranked
    return ranks


def shares(counts: Sequence[int], method: str = "largest_remainder") -> list[Decimal]:
    """Percent shares with two decimals that add up to exactly 100.00 (all zero when there are no units).

    ``counts`` are in class order, highest class first. ``largest_remainder``: truncate, then hand the
    missing hundredths to the largest remainders (ties to the higher class). ``remainder_to_last``: every
    share truncated, the lowest class that has units takes what is left.
    """
    total = sum(counts)
    if total == 0:
        return [Decimal("0.00")] * len(counts)
    exact = [c * HUNDREDTHS for c in counts]
    floors = [e // total for e in exact]
    missing = HUNDREDTHS - sum(floors)
    if method == "remainder_to_last":
        last = max(i for i, c in enumerate(counts) if c > 0)
        floors[last] += missing
    else:
        by_remainder = sorted(range(len(counts)), key=lambda i: (-(exact[i] % total), i))
        for i in by_remainder[:missing]:
            floors[i] += 1
    return [Decimal(f).scaleb(-2) for f in floors]


def tie_break_columns(fw: Framework, units: pd.DataFrame, areas: pd.DataFrame) -> list[np.ndarray]:
    """Tie-breaker values per unit (row order of ``units``), higher is better."""
    out = []
    for breaker in fw.tie_breakers:
        if breaker == "appraisal":
            out.append(units["appraisal_c"].to_numpy(dtype="float64"))
        elif breaker == "survey":
            out.append(units["survey_c"].to_numpy(dtype="float64"))
        elif breaker.startswith("area:"):
            sub = areas[areas["area"] == breaker[5:]].set_index("unit")["index_scaled"]
            out.append(units["unit"].map(sub).fillna(-1).to_numpy(dtype="float64"))
    return out


def rank_kind(fw: Framework, units: pd.DataFrame, areas: pd.DataFrame) -> np.ndarray:
    """Ranks for the units of one kind (rows of a ``BatchResult.units`` frame); units without an index
    (nothing applicable) rank last."""
    column = units["index_scaled"] if fw.rank_on == "rounded" else units["index_raw"]
    key = np.where(units["max_c"].to_numpy() > 0, column.to_numpy(dtype="float64"), -np.inf)
    codes = units["code"].to_numpy() if "code" in units else units["unit"].astype(str).to_numpy()
    return rank([key, *tie_break_columns(fw, units, areas)], codes, fw.tie_policy)


def rank_groups(fw: Framework, units: pd.DataFrame, areas: pd.DataFrame, column: str = "group") -> np.ndarray:
    """Ranks for the units of one kind where each group of ``units[column]`` (a unit's ranking group:
    special bodies ranked apart) is ranked on its own, 1 to n; without the column, ``rank_kind``."""
    if column not in units or units[column].nunique() <= 1:
        return rank_kind(fw, units, areas)
    out = np.zeros(len(units), dtype=np.int64)
    for positions in units.groupby(column, sort=False).indices.values():
        out[positions] = rank_kind(fw, units.iloc[positions], areas)
    return out


def rank_in_parent(fw: Framework, units: pd.DataFrame, areas: pd.DataFrame,
                   column: str = "parent") -> pd.Series:
    """Each unit's rank among the units of its kind and ranking group that share its parent unit
    (``units[column]``: communes in their district), when the set ranks by parent (``ranking.scope``
    ``parent`` or ``kind_and_parent``); NA for every unit otherwise."""
    if fw.rank_scope == "kind":
        return pd.Series(pd.array([pd.NA] * len(units), dtype="Int64"), index=units.index)
    group = units["group"].astype(str) if "group" in units else ""
    scope = units.assign(scope=group + "\x1f" + units[column].astype(str))
    ranks = rank_groups(fw, scope, areas, column="scope")
    return pd.Series(pd.array(ranks, dtype="Int64"), index=units.index)


def summarise_kind(fw: Framework, kind: str, units: pd.DataFrame) -> dict:
    """``{"units", "mean_index", "classes": {code: {"label", "count", "share"}}}`` for one kind.

    The mean is taken over the published (rounded) indices, so a reader can check it by hand.
    """
    scored = units[units["max_c"] > 0]
    decimals = fw.index_decimals
    if len(scored):
        total = sum(int(v) for v in scored["index_scaled"])
        mean = (Decimal(total).scaleb(-decimals) / len(scored)).quantize(Decimal(1).scaleb(-decimals),
                                                                          rounding=ROUND_HALF_UP)
    else:
        mean = None
    bands = fw.classes_for(kind)
    counts = scored["class_code"].value_counts()
    per_class = [int(counts.get(b.code, 0)) for b in bands]
    class_shares = shares(per_class, fw.share_method)
    return {
        "units": len(units),
        "mean_index": mean,
        "classes": {b.code: {"label": b.label, "count": c, "share": s}
                    for b, c, s in zip(bands, per_class, class_shares, strict=True)},
    }


def changes(current: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """``rank_change`` (positive = up that many places) and ``points_change`` (cents) against last year,
    matched on unit code and kind; NaN/None where the unit was not ranked last year."""
    out = current.copy()
    if previous is None or previous.empty:
        out["rank_change"] = pd.array([pd.NA] * len(out), dtype="Int64")
        out["points_change_c"] = pd.array([pd.NA] * len(out), dtype="Int64")
        return out
    prev = previous[["code", "kind", "rank", "points_c"]].rename(
        columns={"rank": "prev_rank", "points_c": "prev_points_c"})
    merged = out.merge(prev, on=["code", "kind"], how="left")
    merged["rank_change"] = (merged["prev_rank"] - merged["rank"]).astype("Int64")
    merged["points_change_c"] = (merged["points_c"] - merged["prev_points_c"]).astype("Int64")
    return merged.drop(columns=["prev_rank", "prev_points_c"])


def class_labels(fw: Framework, kind: str) -> Mapping[str, str]:
    return {b.code: b.label for b in fw.classes_for(kind)}
