"""Helpers for the scoring tests: framework documents built in Python, and running both scoring paths
(the per-unit reference ``score_units`` and the batch ``score_batch``) on the same data, checking that
they agree before a test looks at the numbers.
"""

from __future__ import annotations

import copy
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from evaluator.frameworks import Framework, parse_framework
from evaluator.scoring import BatchResult, Entry, UnitScore, score_batch, score_units

MINI = Path(__file__).parent / "data" / "mini.yaml"

Doc = dict[str, Any]

CLASSES = [
    {"code": "xuat_sac", "label": "Xuất sắc", "min": 90},
    {"code": "tot", "label": "Tốt", "min": 80},
    {"code": "kha", "label": "Khá", "min": 70},
    {"code": "trung_binh", "label": "Trung bình", "min": 50},
    {"code": "yeu", "label": "Yếu", "min": 0},
]


# --- documents ---------------------------------------------------------------------------------------
def mini_doc() -> Doc:
    """A fresh, mutable copy of ``tests/data/mini.yaml``."""
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def find(doc: Doc, code: str) -> Doc:
    """The node with this code anywhere in the document's tree."""

    def walk(nodes: list[Doc]) -> Doc | None:
        for n in nodes:
            if str(n["code"]) == code:
                return n
            hit = walk(n.get("children", []))
            if hit is not None:
                return hit
        return None

    hit = walk(doc["nodes"])
    assert hit is not None, code
    return hit


def framework_doc(nodes: list[Doc], *, kinds: Iterable[str] = ("district",), total_max: Any = None,
                  **fields: Any) -> Doc:
    """A minimal valid set around ``nodes``; ``total_max`` defaults to the sum of the scored areas."""
    if total_max is None:
        scored = [Decimal(str(n["max"])) for n in nodes if n.get("role", "scored") == "scored"]
        total = sum(scored, Decimal(0))
        total_max = float(total)
    doc: Doc = {
        "format": "evaluator-framework", "format_version": 1, "code": "test", "version": 1, "year": 2024,
        "title": "Bộ tiêu chí kiểm thử", "unit_kinds": list(kinds), "total_max": total_max,
        "classes": copy.deepcopy(CLASSES), "nodes": nodes,
    }
    doc.update(fields)
    return doc


def build(doc: Doc) -> Framework:
    return parse_framework(copy.deepcopy(doc), "test")


def manual_leaf(code: str, mx: Any, **extra: Any) -> Doc:
    return {"code": code, "title": f"Tiêu chí {code}", "max": mx, "rule": {"kind": "manual", "step": 0.01},
            **extra}


# --- running both paths ------------------------------------------------------------------------------
def entries_frame(entries: Mapping[Any, Iterable[Entry]]) -> pd.DataFrame:
    rows = [
        {"unit": u, "leaf": e.leaf, "stage": e.stage,
         "points": np.nan if e.points is None else float(e.points),
         "value": np.nan if e.value is None else float(e.value),
         "na": bool(e.not_applicable)}
        for u, es in entries.items() for e in es
    ]
    if not rows:
        return pd.DataFrame({"unit": pd.Series(dtype=object), "leaf": pd.Series(dtype=object),
                             "stage": pd.Series(dtype=object), "points": pd.Series(dtype="float64"),
                             "value": pd.Series(dtype="float64"), "na": pd.Series(dtype=bool)})
    return pd.DataFrame(rows)


def units_frame(units: Mapping[Any, str]) -> pd.DataFrame:
    return pd.DataFrame({"unit": list(units), "kind": list(units.values())})


def evidence_frame(evidence: Mapping[Any, Iterable[str]]) -> pd.DataFrame:
    rows = [(u, leaf) for u, leaves in evidence.items() for leaf in leaves]
    return pd.DataFrame(rows, columns=["unit", "leaf"])


def cents(value: Decimal) -> int:
    scaled = value * 100
    assert scaled == scaled.to_integral_value(), value
    return int(scaled)


@dataclass
class Both:
    """Results of both paths for the same units; built only when they agree (see ``score_both``)."""

    fw: Framework
    per_unit: dict[Hashable, UnitScore]
    batch: BatchResult

    def unit(self, u: Hashable) -> UnitScore:
        return self.per_unit[u]

    def row(self, u: Hashable) -> pd.Series:
        return self.batch.units.set_index("unit").loc[u]

    def points(self, u: Hashable, node: str | None = None) -> Decimal:
        s = self.per_unit[u]
        return s.points if node is None else s.nodes[node].points

    def max(self, u: Hashable, node: str | None = None) -> Decimal:
        s = self.per_unit[u]
        return s.max if node is None else s.nodes[node].max

    def index(self, u: Hashable) -> Decimal | None:
        return self.per_unit[u].index

    def class_code(self, u: Hashable) -> str | None:
        return self.per_unit[u].class_code


def disagreements(fw: Framework, per_unit: Mapping[Any, UnitScore], batch: BatchResult,
                  *, nodes: bool = True) -> list[str]:
    """Every place where the two paths differ (empty when they agree exactly)."""
    out: list[str] = []
    scale = 10**fw.index_decimals
    rows = batch.units.set_index("unit")
    if set(rows.index) != set(per_unit):
        return [f"units differ: batch {sorted(map(str, rows.index))} "
                f"vs per-unit {sorted(map(str, per_unit))}"]
    for u, s in per_unit.items():
        r = rows.loc[u]
        want = {
            "points_c": cents(s.points), "max_c": cents(s.max), "scored_c": cents(s.scored),
            "bonus_c": cents(s.bonus), "penalty_c": cents(s.penalty), "appraisal_c": cents(s.appraisal),
            "survey_c": cents(s.survey),
            "index_scaled": -1 if s.index is None else int(s.index * scale),
            "class_code": s.class_code,
        }
        for column, expected in want.items():
            got = r[column]
            got = None if got is None or (isinstance(got, float) and np.isnan(got)) else got
            if got != expected:
                out.append(f"unit {u}: {column} batch {got!r} vs per-unit {expected!r}")
    for area in batch.areas.itertuples(index=False):
        s = per_unit[area.unit]
        node = s.nodes.get(area.area)
        if node is None:
            out.append(f"unit {area.unit}: area {area.area} missing on the per-unit path")
            continue
        if (int(area.points_c), int(area.max_c)) != (cents(node.points), cents(node.max)):
            out.append(f"unit {area.unit} area {area.area}: batch {area.points_c}/{area.max_c} vs "
                       f"per-unit {node.points}/{node.max}")
        idx = s.area_index(area.area, fw.index_decimals)
        if int(area.index_scaled) != (-1 if idx is None else int(idx * scale)):
            out.append(f"unit {area.unit} area {area.area}: index batch {area.index_scaled} "
                       f"vs per-unit {idx}")
    for u, s in per_unit.items():
        areas = {a.code for a in fw.areas(s.kind)}
        got = set(batch.areas.loc[batch.areas["unit"] == u, "area"])
        if got != areas:
            out.append(f"unit {u}: batch areas {sorted(got)} vs {sorted(areas)}")
    if nodes and batch.nodes is not None:
        for n in batch.nodes.itertuples(index=False):
            node = per_unit[n.unit].nodes.get(n.node)
            if node is None:
                out.append(f"unit {n.unit}: node {n.node} missing on the per-unit path")
            elif (int(n.points_c), int(n.max_c)) != (cents(node.points), cents(node.max)):
                out.append(f"unit {n.unit} node {n.node}: batch {n.points_c}/{n.max_c} vs "
                           f"per-unit {node.points}/{node.max}")
    return out


def score_both(fw: Framework, units: Mapping[Any, str], entries: Mapping[Any, Iterable[Entry]],
               evidence: Mapping[Any, Iterable[str]] | None = None, *,
               batch_entries: pd.DataFrame | None = None) -> Both:
    """Score with both paths, assert they agree on every unit, area and node, and return both."""
    entries = {u: list(es) for u, es in entries.items()}
    evidence = {u: list(ev) for u, ev in (evidence or {}).items()}
    per_unit = score_units(fw, units, entries, evidence)
    frame = entries_frame(entries) if batch_entries is None else batch_entries
    batch = score_batch(fw, units_frame(units), frame, evidence_frame(evidence), with_nodes=True)
    problems = disagreements(fw, per_unit, batch)
    assert not problems, "the two scoring paths disagree:\n" + "\n".join(problems)
    return Both(fw, per_unit, batch)


def E(leaf: str, stage: str = "self", points: Any = None, *, value: Any = None, na: bool = False) -> Entry:
    """An ``Entry`` with numbers given as text or numbers (turned into exact Decimals)."""
    return Entry(leaf, stage, None if points is None else Decimal(str(points)),
                 None if value is None else Decimal(str(value)), na)
