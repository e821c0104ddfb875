"""The batch path: a whole year of units scored at once with numpy/pandas.

Same rules as ``unit.py`` (read its docstring), computed on dense arrays: points are held as whole
cents in float64 (exact for integers far beyond any total), so sums never drift, and tree aggregation is
one matrix product per level. Ranks and summaries are in ``ranking.py``.

Input frames:
- ``units``: columns ``unit`` (any hashable id, unique) and ``kind``.
- ``entries``: ``unit``, ``leaf``, ``stage``, ``points`` (float or Decimal, NaN/None = empty), ``value``
  (for relative rules), ``na`` (bool). Categorical ``unit``/``leaf``/``stage`` columns are the fast path.
- ``evidence``: ``unit``, ``leaf`` — pairs that have at least one evidence file.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from evaluator.frameworks.model import ALL_STAGES, Framework, Node
from evaluator.scoring.relative import relative_points

NA = -np.inf  # marks "not applicable" in the points grid (no real input is -inf; -1 could be)
STAGE_POS = {s: i for i, s in enumerate(ALL_STAGES)}  # self, appraisal1, explanation, appraisal2, survey
N_STAGES = len(ALL_STAGES)
UNIT_COLUMNS = ["unit", "kind", "points_c", "max_c", "scored_c", "bonus_c", "penalty_c", "appraisal_c",
                "survey_c", "index_scaled", "index_raw", "class_code"]


@dataclass
class BatchResult:
    units: pd.DataFrame
    """One row per unit: see ``UNIT_COLUMNS``. Points in cents; ``index_scaled`` = index × 10^decimals
    (−1 when the unit has no applicable max); ``index_raw`` the unrounded index as a float."""
    areas: pd.DataFrame
    """One row per unit and area: ``unit``, ``area``, ``points_c``, ``max_c``, ``index_scaled``."""
    nodes: pd.DataFrame | None = None
    """With ``with_nodes``: ``unit``, ``node``, ``points_c``, ``max_c`` for every scored node."""


def _floats(values: pd.Series) -> np.ndarray:
    if values.dtype == np.float64:
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)


def _cents(arr: np.ndarray) -> np.ndarray:
    # Inputs have two decimals, so ×100 lands within 1e-9 of a whole number (np.round is slow on such).
    return np.floor(arr * 100 + 0.5)


def _positions(column: pd.Series, index: pd.Index) -> np.ndarray:
    """Row → position in ``index`` (−1 when absent). Categorical columns map categories only once."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        found = index.get_indexer(column.cat.categories)
        codes = column.cat.codes.to_numpy()
        if np.array_equal(found, np.arange(len(found))):
            return codes.astype(np.int32)  # categories already in our order: the codes are the positions
        lookup = np.append(found, -1)
        return lookup[codes]  # code −1 (missing) picks the appended −1
    return index.get_indexer(pd.Index(column))


def _index_scaled(points: np.ndarray, maxima: np.ndarray, decimals: int) -> np.ndarray:
    """Half-up rounded index × 10^decimals, exact in integers; −1 where the max is 0."""
    p = points.astype(np.int64)
    m = maxima.astype(np.int64)
    safe = np.where(m > 0, m, 1)
    out = (2 * p * 100 * 10**decimals + safe) // (2 * safe)
    return np.where(m > 0, out, -1)


def _classify(fw: Framework, kind: str, points: np.ndarray, maxima: np.ndarray,
              scaled: np.ndarray) -> np.ndarray:
    bands = fw.classes_for(kind)  # highest first
    scale = 10**fw.index_decimals
    conditions = []
    for band in bands:
        lo_c = int(band.lo * 100)
        if fw.classify_on == "rounded":
            conditions.append(scaled * 100 >= lo_c * scale)
        else:  # raw: points/max*100 >= lo  <=>  points*100*100 >= lo_c*max
            conditions.append(points.astype(np.int64) * 10000 >= lo_c * maxima.astype(np.int64))
    codes = np.select(conditions, [b.code for b in bands], default=bands[-1].code).astype(object)
    codes[maxima <= 0] = None
    return codes


class _Plan:
    """A framework compiled for one unit kind: leaf order, maxima in cents, aggregation matrices."""

    def __init__(self, fw: Framework, kind: str):
        self.leaves: list[Node] = fw.leaves(kind)
        self.leaf_index = pd.Index([n.code for n in self.leaves])
        self.max_c = np.array([int(n.max[kind] * 100) for n in self.leaves], dtype="float64")
        self.survey = np.array([n.source == "survey" for n in self.leaves])
        self.scored = np.array([n.role == "scored" for n in self.leaves])
        self.bonus = np.array([n.role == "bonus" for n in self.leaves])
        self.penalty = np.array([n.role == "penalty" for n in self.leaves])
        self.evidence_required = np.array([n.evidence_required for n in self.leaves])
        self.relative = [j for j, n in enumerate(self.leaves) if n.rule is not None and n.rule.is_relative]
        leaf_pos = {n.code: j for j, n in enumerate(self.leaves) if n.role == "scored"}
        scored_nodes = [n for n in fw if n.role == "scored" and n.applies_to(kind)]
        self.crits = [n for n in scored_nodes if n.depth == 1 and not n.is_leaf]
        self.areas = [n for n in scored_nodes if n.parent is None]
        crit_pos = {n.code: j for j, n in enumerate(self.crits)}
        self.crit_max = np.array([int(n.max[kind] * 100) for n in self.crits], dtype="float64")
        self.area_max = np.array([int(n.max[kind] * 100) for n in self.areas], dtype="float64")
        self.crit_from_leaf = _incidence(self.crits, leaf_pos, len(self.leaves))
        self.area_from_leaf = _incidence(self.areas, leaf_pos, len(self.leaves))
        self.area_from_crit = _incidence(self.areas, crit_pos, len(self.crits))


def _incidence(parents: list[Node], child_pos: dict[str, int], n_children: int) -> np.ndarray:
    """0/1 matrix (children × parents): which child rows add up into which parent column."""
    matrix = np.zeros((n_children, len(parents)))
    for j, parent in enumerate(parents):
        # An area that is itself a leaf adds up just itself (as in ``unit.score_unit``).
        for child in parent.children or (parent.code,):
            if child in child_pos:
                matrix[child_pos[child], j] = 1.0
    return matrix


def _level(leaf_p: np.ndarray, leaf_m: np.ndarray, mid_p: np.ndarray | None, mid_m: np.ndarray | None,
           from_leaf: np.ndarray, from_mid: np.ndarray | None,
           cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sum children into parents (one matrix product; cents in float64 stay exact), then cap: the
    applicable max at the parent's max, the points at the applicable max."""
    sum_p, sum_m = leaf_p @ from_leaf, leaf_m @ from_leaf
    if mid_p is not None and mid_m is not None and from_mid is not None:
        sum_p, sum_m = sum_p + mid_p @ from_mid, sum_m + mid_m @ from_mid
    applicable = np.minimum(sum_m, cap[None, :])
    return np.minimum(sum_p, applicable), applicable


def _part(leaf_p: np.ndarray, leaf_m: np.ndarray, leaves: np.ndarray, plan: _Plan) -> np.ndarray:
    """Scored points of the ``leaves`` (a mask) alone, aggregated and capped as the whole is."""
    only = np.where(leaves[None, :], leaf_p, 0.0)
    crit_p, crit_m = _level(only, leaf_m, None, None, plan.crit_from_leaf, None, plan.crit_max)
    area_p, _ = _level(only, leaf_m, crit_p, crit_m, plan.area_from_leaf, plan.area_from_crit, plan.area_max)
    return area_p.sum(axis=1)


def score_batch(fw: Framework, units: pd.DataFrame, entries: pd.DataFrame,
                evidence: pd.DataFrame | None = None, *, with_nodes: bool = False) -> BatchResult:
    unit_frames, area_frames, node_frames = [], [], []
    for kind in fw.unit_kinds:
        members = units[units["kind"] == kind]
        if members.empty:
            continue
        u, a, n = _score_kind(fw, kind, members.reset_index(drop=True), entries, evidence, with_nodes)
        unit_frames.append(u)
        area_frames.append(a)
        if n is not None:
            node_frames.append(n)
    if not unit_frames:
        empty_units = pd.DataFrame({c: pd.Series(dtype="object") for c in UNIT_COLUMNS})
        empty_areas = pd.DataFrame({c: pd.Series(dtype="object")
                                    for c in ["unit", "area", "points_c", "max_c", "index_scaled"]})
        return BatchResult(empty_units, empty_areas, None)
    return BatchResult(pd.concat(unit_frames, ignore_index=True), pd.concat(area_frames, ignore_index=True),
                       pd.concat(node_frames, ignore_index=True) if with_nodes else None)


def _score_kind(fw: Framework, kind: str, members: pd.DataFrame, entries: pd.DataFrame,
                evidence: pd.DataFrame | None, with_nodes: bool):
    plan = _Plan(fw, kind)
    n_units, n_leaves = len(members), len(plan.leaves)
    unit_index = pd.Index(members["unit"])

    # 1. Dense (unit, leaf, stage) arrays from the long entry table. One float array holds everything:
    #    NaN = empty, -inf = not applicable, else points in cents (halves the memory traffic).
    ui = _positions(entries["unit"], unit_index)
    lj = _positions(entries["leaf"], plan.leaf_index)
    if isinstance(entries["stage"].dtype, pd.CategoricalDtype):
        st = _positions(entries["stage"], pd.Index(ALL_STAGES))
    else:
        st = entries["stage"].map(STAGE_POS).fillna(-1).to_numpy(dtype="int64")
    index_type = np.int32 if n_units * n_leaves * N_STAGES < 2**31 else np.int64
    # Stage-major layout (stage, unit, leaf): each stage is one contiguous block, so picking the final
    # stage below works on contiguous arrays.
    flat = (st.astype(index_type) * n_units + ui) * n_leaves + lj
    cell = _floats(entries["points"])  # points as given; turned into cents after the final stage is picked
    keep = (ui >= 0) & (lj >= 0) & (st >= 0)
    if "na" in entries:
        na_rows = entries["na"].fillna(False).to_numpy(dtype=bool) & keep
    if not keep.all():
        flat, cell = flat[keep], cell[keep]
    shape = (N_STAGES, n_units, n_leaves)
    grid = np.full(n_units * n_leaves * N_STAGES, np.nan)
    grid[flat] = cell
    if "na" in entries:  # few rows: mark them after the bulk copy (the caller's arrays stay untouched)
        positions = (st[na_rows].astype(index_type) * n_units + ui[na_rows]) * n_leaves + lj[na_rows]
        grid[positions] = NA
    grid = grid.reshape(shape)
    values = np.full((n_units, n_leaves), np.nan)  # per stage only for relative leaves (few)
    value_grid = None
    if plan.relative and "value" in entries:
        rel = np.isin(lj, plan.relative) & keep
        raw_values = _floats(entries["value"])
        value_grid = np.full(shape, np.nan)
        value_grid[st[rel], ui[rel], lj[rel]] = raw_values[rel]
    filled = ~np.isnan(grid)
    if value_grid is not None:
        filled |= ~np.isnan(value_grid)

    # 2. Final stage: last non-empty appraisal stage, or the survey stage for survey leaves
    #    (where-chains over the stage slices: cheaper than argmax/take_along_axis on strided data).
    f = list(filled)
    g = list(grid)
    survey = plan.survey[None, :]
    has = np.where(survey, f[4], f[0] | f[1] | f[2] | f[3])
    self_final = ~survey & f[0] & ~(f[1] | f[2] | f[3])
    fp = np.where(survey, g[4], np.where(f[3], g[3], np.where(f[2], g[2], np.where(f[1], g[1], g[0]))))
    if value_grid is not None:
        stage = np.where(survey, 4, np.where(f[3], 3, np.where(f[2], 2, np.where(f[1], 1, 0))))
        values = np.take_along_axis(value_grid, stage[None, :, :], 0)[0]
    fna = fp == NA
    fp = _cents(np.where(fna, np.nan, fp))
    fval = values

    # 3. Relative leaves: points from the values of the peers (the units of this kind).
    for j in plan.relative:
        need = has[:, j] & np.isnan(fp[:, j]) & ~np.isnan(fval[:, j]) & ~fna[:, j]
        rows = np.flatnonzero(need)
        if rows.size:
            peers: dict[Hashable, Decimal] = {int(r): Decimal(repr(float(fval[r, j]))) for r in rows}
            got = relative_points(plan.leaves[j], kind, peers)
            fp[rows, j] = [float(got[int(r)] * 100) for r in rows]

    # 4. Evidence-required self-assessments without evidence score 0.
    if evidence is not None and plan.evidence_required.any():
        ev = np.zeros((n_units, n_leaves), dtype=bool)
        eu, el = _positions(evidence["unit"], unit_index), _positions(evidence["leaf"], plan.leaf_index)
        ok = (eu >= 0) & (el >= 0)
        ev[eu[ok], el[ok]] = True
    else:
        ev = np.zeros((n_units, n_leaves), dtype=bool)
    zero = self_final & plan.evidence_required[None, :] & ~ev
    fp = np.where(zero, 0.0, fp)

    # 5. Not applicable (and missing surveys under 'rescale'); missing values score 0 within [0, max].
    if fw.without_survey == "rescale":
        survey_scored = plan.survey & plan.scored
        no_survey = ~(has[:, survey_scored]).any(axis=1)
        fna = fna | (no_survey[:, None] & survey_scored[None, :])
    fp = np.minimum(np.fmax(fp, 0.0), plan.max_c[None, :])  # fmax also turns NaN (no value) into 0
    leaf_p = np.where(fna, 0.0, fp)
    leaf_m = np.where(fna, 0.0, np.broadcast_to(plan.max_c, leaf_p.shape))

    # 6. Aggregate the scored tree bottom-up (criteria, then areas), capping each parent at its max.
    crit_p, crit_m = _level(leaf_p, leaf_m, None, None, plan.crit_from_leaf, None, plan.crit_max)
    area_p, area_m = _level(leaf_p, leaf_m, crit_p, crit_m, plan.area_from_leaf, plan.area_from_crit,
                            plan.area_max)
    scored = area_p.sum(axis=1)
    total_max = area_m.sum(axis=1)
    # Column subsets summed as matrix-vector products: no copies of the (units × leaves) array.
    bonus = leaf_p @ plan.bonus.astype("float64")
    penalty = leaf_p @ plan.penalty.astype("float64")
    if fw.bonus_cap is not None:
        bonus = np.minimum(bonus, float(fw.bonus_cap * 100))
    if fw.penalty_cap is not None:
        penalty = np.minimum(penalty, float(fw.penalty_cap * 100))
    total = np.maximum(scored + bonus - penalty, 0.0)
    if fw.cap_total:  # the index is capped at 100 after bonus points
        total = np.minimum(total, total_max)
    # The appraised and the survey part (tie-breakers): each source's leaves alone, capped like the index,
    # so that points a parent's cap takes away do not break a tie.
    appraisal_c = _part(leaf_p, leaf_m, ~plan.survey, plan)
    survey_c = _part(leaf_p, leaf_m, plan.survey, plan)

    # 7. Index and class.
    scaled = _index_scaled(total, total_max, fw.index_decimals)
    with np.errstate(divide="ignore", invalid="ignore"):
        raw = np.where(total_max > 0, total * 100 / np.where(total_max > 0, total_max, 1), np.nan)
    unit_frame = pd.DataFrame({
        "unit": members["unit"].to_numpy(), "kind": kind,
        "points_c": total.astype(np.int64), "max_c": total_max.astype(np.int64),
        "scored_c": scored.astype(np.int64), "bonus_c": bonus.astype(np.int64),
        "penalty_c": penalty.astype(np.int64), "appraisal_c": appraisal_c.astype(np.int64),
        "survey_c": survey_c.astype(np.int64), "index_scaled": scaled, "index_raw": raw,
        "class_code": _classify(fw, kind, total, total_max, scaled),
    })
    n_areas = len(plan.areas)
    area_frame = pd.DataFrame({
        "unit": np.repeat(members["unit"].to_numpy(), n_areas),
        "area": np.tile([a.code for a in plan.areas], n_units),
        "points_c": area_p.reshape(-1).astype(np.int64),
        "max_c": area_m.reshape(-1).astype(np.int64),
        "index_scaled": _index_scaled(area_p.reshape(-1), area_m.reshape(-1), fw.index_decimals),
    })
    node_frame = None
    if with_nodes:
        blocks = [(plan.leaves, leaf_p, leaf_m), (plan.crits, crit_p, crit_m), (plan.areas, area_p, area_m)]
        node_frame = pd.concat([pd.DataFrame({
            "unit": np.repeat(members["unit"].to_numpy(), len(nodes)),
            "node": np.tile([x.code for x in nodes], n_units),
            "points_c": p.reshape(-1).astype(np.int64),
            "max_c": m.reshape(-1).astype(np.int64),
        }) for nodes, p, m in blocks if nodes], ignore_index=True)
    return unit_frame, area_frame, node_frame
