"""The in-memory criteria set: immutable dataclasses built by the loader, read by everything else.

Points are ``Decimal`` with two places everywhere in this model, so totals never drift.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

STAGES: tuple[str, ...] = ("self", "appraisal1", "explanation", "appraisal2")
"""Appraisal stages in precedence order: the last non-empty one is final."""
SURVEY_STAGE = "survey"
ALL_STAGES: tuple[str, ...] = (*STAGES, SURVEY_STAGE)

SOURCES = ("appraisal", "survey")
ROLES = ("scored", "bonus", "penalty")
RULE_KINDS = (
    "manual",
    "binary",
    "options",
    "bands",
    "proportional",
    "count",
    "survey",
    "external",
    "rank",
    "minmax",
)
RELATIVE_KINDS = ("rank", "minmax")
"""Rules whose points depend on the other units of the same kind (computed at scoring time)."""

TIE_POLICIES = ("min", "dense", "ordinal")
RANK_SCOPES = ("kind", "parent", "kind_and_parent")
"""Where a unit is ranked: across its kind (the province), within its parent unit (a commune in its
district, years with districts), or both (the rank across the kind, and the rank in the parent beside)."""
SHARE_METHODS = ("largest_remainder", "remainder_to_last")
ROUNDING_BASES = ("rounded", "raw")
ZERO_DENOMINATOR = ("full", "zero", "not_applicable")

CENT = Decimal("0.01")

BUILTIN_KINDS: tuple[str, ...] = ("department", "district", "commune")
"""The unit kinds every set may name without labels (their labels are the program's own)."""


@dataclass(frozen=True)
class Level:
    """One option of an ``options`` rule, or one half-open band [lo, hi) of a ``bands`` rule.

    Points are either absolute (per unit kind) or a share of the leaf's max for that kind.
    """

    code: str = ""
    label: str = ""
    lo: Decimal | None = None
    hi: Decimal | None = None
    points: Mapping[str, Decimal] | None = None
    share: Decimal | None = None

    def points_for(self, kind: str, max_points: Decimal) -> Decimal:
        if self.points is not None:
            value = self.points.get(kind, self.points.get("*"))
            if value is None:
                raise KeyError(f"no points for unit kind {kind!r}")
            return value
        assert self.share is not None
        return (max_points * self.share).quantize(CENT)


@dataclass(frozen=True)
class RankPoints:
    """``rank`` rule step: ranks up to ``upto`` (inclusive) get ``share`` of max."""

    upto: int
    share: Decimal


@dataclass(frozen=True)
class SurveyQuestion:
    code: str
    group: str
    label: str = ""


@dataclass(frozen=True)
class Rule:
    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    """The rule as written in the file (kept for export and for describing the rule to people)."""
    levels: tuple[Level, ...] = ()
    step: Decimal | None = None
    per_item: Decimal | None = None
    mode: str = "add"
    floor: Decimal | None = None
    target: Decimal | None = None
    input: str = "ratio"
    zero_denominator: str = "full"
    order: str = "desc"
    rank_points: tuple[RankPoints, ...] = ()
    questions: tuple[SurveyQuestion, ...] = ()
    group_weights: Mapping[str, Decimal] = field(default_factory=dict)
    index: str = ""
    mapping: str = "proportional"
    scale: Decimal = Decimal(100)
    min_share: Decimal = Decimal(0)
    """Min–max rules: the share of the max the lowest unit gets (0 by default: min–max normalisation
    always gives the lowest unit nothing; a set may give it a floor, e.g. 0.25)."""

    @property
    def is_relative(self) -> bool:
        return self.kind in RELATIVE_KINDS or (self.kind == "external" and self.mapping == "minmax")


@dataclass(frozen=True)
class Node:
    code: str
    title: str
    parent: str | None
    depth: int
    """0 = area (or set-level bonus/penalty), 1 = criterion, 2 = sub-criterion."""
    max: Mapping[str, Decimal]
    """Max points per unit kind; a kind missing here means the node does not apply to that kind."""
    source: str = "appraisal"
    role: str = "scored"
    rule: Rule | None = None
    not_applicable_allowed: bool = False
    evidence_required: bool = False
    cap_children: bool = False
    title_en: str = ""
    guidance: str = ""
    children: tuple[str, ...] = ()

    @property
    def is_leaf(self) -> bool:
        return not self.children

    def max_for(self, kind: str) -> Decimal | None:
        return self.max.get(kind)

    def applies_to(self, kind: str) -> bool:
        return kind in self.max


@dataclass(frozen=True)
class ClassBand:
    code: str
    label: str
    lo: Decimal
    hi: Decimal | None
    label_en: str = ""

    def contains(self, value: Decimal) -> bool:
        return value >= self.lo and (self.hi is None or value < self.hi)


@dataclass(frozen=True)
class Framework:
    code: str
    version: int
    year: int
    title: str
    unit_kinds: tuple[str, ...]
    total_max: Decimal
    nodes: Mapping[str, Node]
    """Every node by code, in tree order (depth-first, as written)."""
    classes: Mapping[str, tuple[ClassBand, ...]]
    """Class bands per unit kind, highest first."""
    index_decimals: int = 2
    classify_on: str = "rounded"
    rank_on: str = "rounded"
    tie_policy: str = "min"
    tie_breakers: tuple[str, ...] = ()
    rank_scope: str = "kind"
    """``RANK_SCOPES``: ``parent`` ranks each unit within its parent unit only (its rank is that one);
    ``kind_and_parent`` ranks across the kind and also within the parent (``rank_in_district``)."""
    share_method: str = "largest_remainder"
    bonus_cap: Decimal | None = None
    penalty_cap: Decimal | None = None
    answer_weights: Mapping[str, Decimal] = field(default_factory=dict)
    survey_groups: Mapping[str, str] = field(default_factory=dict)
    without_survey: str = "zero"
    """``zero``: a missing survey scores 0; ``rescale``: the index is computed on the appraised part only."""
    title_en: str = ""
    issued_by: str = ""
    cap_total: bool = True
    """The index is capped at 100 after bonus points (points never above the applicable max)."""
    kind_labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    """Declared unit kinds beyond ``BUILTIN_KINDS``: code -> (Vietnamese label, English label)."""
    sha256: str = ""
    document: Mapping[str, Any] = field(default_factory=dict)
    """The canonical document (what is hashed, stored and exported)."""

    # --- tree helpers -------------------------------------------------------------------------
    def __iter__(self) -> Iterator[Node]:
        return iter(self.nodes.values())

    @property
    def identity(self) -> str:
        return f"{self.code}@{self.version}"

    def roots(self) -> list[Node]:
        return [n for n in self.nodes.values() if n.parent is None]

    def areas(self, kind: str | None = None) -> list[Node]:
        return [
            n
            for n in self.nodes.values()
            if n.parent is None and n.role == "scored" and (kind is None or n.applies_to(kind))
        ]

    def leaves(self, kind: str | None = None) -> list[Node]:
        return [n for n in self.nodes.values() if n.is_leaf and (kind is None or n.applies_to(kind))]

    def children(self, code: str) -> list[Node]:
        return [self.nodes[c] for c in self.nodes[code].children]

    def area_of(self, code: str) -> Node:
        node = self.nodes[code]
        while node.parent is not None:
            node = self.nodes[node.parent]
        return node

    def ancestors(self, code: str) -> list[Node]:
        out = []
        node = self.nodes[code]
        while node.parent is not None:
            node = self.nodes[node.parent]
            out.append(node)
        return out

    def classes_for(self, kind: str) -> tuple[ClassBand, ...]:
        return self.classes[kind]

    def classify(self, kind: str, index: Decimal) -> ClassBand:
        for band in self.classes[kind]:
            if band.contains(index):
                return band
        # Indices above every band's top (bonus points) belong to the highest class.
        return self.classes[kind][0]
