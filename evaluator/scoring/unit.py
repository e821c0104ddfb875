"""The simple per-unit path: one unit's entries in, every node's points and the index out.

Plain ``Decimal`` arithmetic over the tree. It is the reference the batch engine is tested against and
what the desktop workspace uses after each edit. The rules it follows (the batch engine does the same):

1. The final value of an appraisal leaf is its last non-empty stage (self → appraisal 1 → explanation →
   appraisal 2); a survey leaf's is its ``survey`` stage. No value: 0 points, max still counts.
2. A self-assessment on an ``evidence_required`` leaf without evidence scores 0.
3. A not-applicable leaf leaves both points and max (index rescaled). With ``without_survey: rescale``
   a unit that has no survey value at all has its survey leaves treated as not applicable.
4. A parent is the sum of its scored children, capped at its own max (applicable max too).
5. Bonus and penalty leaves sit outside the 100: each is capped by its own max, their totals by the set's
   ``bonus_cap``/``penalty_cap``; total = scored + bonus − penalty, never below 0.
6. Index = total ÷ applicable max × 100; published rounded half-up to the set's decimals; the class is
   looked up on the rounded or raw index as the set says.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from evaluator.frameworks.model import STAGES, SURVEY_STAGE, Framework, Node
from evaluator.scoring.relative import relative_points
from evaluator.scoring.rules import ZERO


@dataclass(frozen=True)
class Entry:
    """One stored stage value of one leaf (points already evaluated by the rule, or a value for a
    relative rule)."""

    leaf: str
    stage: str
    points: Decimal | None = None
    value: Decimal | None = None
    not_applicable: bool = False

    @property
    def filled(self) -> bool:
        return self.points is not None or self.value is not None or self.not_applicable


@dataclass(frozen=True)
class NodeScore:
    points: Decimal
    max: Decimal
    """Applicable max: 0 when the node is not applicable for this unit."""


@dataclass
class UnitScore:
    kind: str
    nodes: dict[str, NodeScore] = field(default_factory=dict)
    final_stage: dict[str, str | None] = field(default_factory=dict)
    scored: Decimal = ZERO
    bonus: Decimal = ZERO
    penalty: Decimal = ZERO
    points: Decimal = ZERO
    max: Decimal = ZERO
    appraisal: Decimal = ZERO
    survey: Decimal = ZERO
    index_raw: Fraction | None = None
    index: Decimal | None = None
    class_code: str | None = None

    def area_index(self, code: str, decimals: int = 2) -> Decimal | None:
        node = self.nodes[code]
        if node.max == 0:
            return None
        return round_index(Fraction(node.points) * 100 / Fraction(node.max), decimals)


def round_index(raw: Fraction, decimals: int) -> Decimal:
    """Half-up rounding done on the exact fraction (a Decimal division could round first)."""
    scaled = (raw * 10**decimals * 2 + 1) // 2
    return Decimal(int(scaled)).scaleb(-decimals)


def final_entry(node: Node, entries: Mapping[str, Entry]) -> Entry | None:
    """The entry that counts: the survey stage for survey leaves, else the last non-empty stage.

    A bare ``value`` fills a stage only on relative leaves (the only ones whose points come from it)."""
    relative = node.rule is not None and node.rule.is_relative

    def filled(entry: Entry | None) -> bool:
        return entry is not None and (entry.points is not None or entry.not_applicable
                                      or (relative and entry.value is not None))

    if node.source == "survey":
        entry = entries.get(SURVEY_STAGE)
        return entry if filled(entry) else None
    for stage in reversed(STAGES):
        entry = entries.get(stage)
        if filled(entry):
            return entry
    return None


def group_entries(entries: Iterable[Entry]) -> dict[str, dict[str, Entry]]:
    out: dict[str, dict[str, Entry]] = {}
    for e in entries:
        out.setdefault(e.leaf, {})[e.stage] = e
    return out


def score_unit(fw: Framework, kind: str, entries: Iterable[Entry], evidence: Iterable[str] = (),
               relative: Mapping[str, Decimal] | None = None) -> UnitScore:
    """Score one unit. ``relative`` gives the points of relative leaves (see ``score_units``)."""
    by_leaf = group_entries(entries)
    with_evidence = set(evidence)
    relative = relative or {}
    result = UnitScore(kind=kind)
    leaves = fw.leaves(kind)
    has_survey = any(
        final_entry(n, by_leaf.get(n.code, {})) is not None
        for n in leaves if n.source == "survey" and n.role == "scored")
    rescale_survey = fw.without_survey == "rescale" and not has_survey
    for node in leaves:
        mx = node.max[kind]
        entry = final_entry(node, by_leaf.get(node.code, {}))
        result.final_stage[node.code] = entry.stage if entry is not None else None
        not_applicable = (entry is not None and entry.not_applicable) or (
            rescale_survey and node.source == "survey" and node.role == "scored")
        if not_applicable:
            result.nodes[node.code] = NodeScore(ZERO, ZERO)
            continue
        points = ZERO
        if entry is not None:
            if entry.points is not None:
                points = entry.points
            elif node.rule is not None and node.rule.is_relative:
                points = relative.get(node.code, ZERO)
            if entry.stage == "self" and node.evidence_required and node.code not in with_evidence:
                points = ZERO
        result.nodes[node.code] = NodeScore(min(max(points, ZERO), mx), mx)

    def aggregate(node: Node) -> NodeScore:
        if node.is_leaf:
            return result.nodes[node.code]
        parts = [aggregate(c) for c in fw.children(node.code) if c.role == "scored" and c.applies_to(kind)]
        applicable = min(sum((p.max for p in parts), ZERO), node.max[kind])
        score = NodeScore(min(sum((p.points for p in parts), ZERO), applicable), applicable)
        result.nodes[node.code] = score
        return score

    for area in fw.areas(kind):
        score = aggregate(area)
        result.scored += score.points
        result.max += score.max
    def part(node: Node, survey: bool) -> Decimal:
        """The points of one source's leaves under ``node``, capped at the node's applicable max as the
        whole is (the appraised and the survey part, used as tie-breakers)."""
        if node.is_leaf:
            return result.nodes[node.code].points if (node.source == "survey") == survey else ZERO
        parts = [part(c, survey) for c in fw.children(node.code) if c.role == "scored" and c.applies_to(kind)]
        return min(sum(parts, ZERO), result.nodes[node.code].max)

    for area in fw.areas(kind):
        result.appraisal += part(area, False)
        result.survey += part(area, True)
    for node in leaves:
        leaf_points = result.nodes[node.code].points
        if node.role == "bonus":
            result.bonus += leaf_points
        elif node.role == "penalty":
            result.penalty += leaf_points
    if fw.bonus_cap is not None:
        result.bonus = min(result.bonus, fw.bonus_cap)
    if fw.penalty_cap is not None:
        result.penalty = min(result.penalty, fw.penalty_cap)
    result.points = max(result.scored + result.bonus - result.penalty, ZERO)
    if fw.cap_total:  # the index is capped at 100 after bonus points
        result.points = min(result.points, result.max)
    if result.max > 0:
        result.index_raw = Fraction(result.points) * 100 / Fraction(result.max)
        result.index = round_index(result.index_raw, fw.index_decimals)
        basis = result.index if fw.classify_on == "rounded" else result.index_raw
        result.class_code = classify(fw, kind, Fraction(basis))
    return result


def classify(fw: Framework, kind: str, index: Fraction) -> str:
    for band in fw.classes_for(kind):  # highest first
        if index >= Fraction(band.lo):
            return band.code
    return fw.classes_for(kind)[-1].code


def score_units(fw: Framework, units: Mapping[Hashable, str], entries: Mapping[Hashable, Iterable[Entry]],
                evidence: Mapping[Hashable, Iterable[str]] | None = None) -> dict[Hashable, UnitScore]:
    """Score several units one at a time (units: id → kind), working out relative leaves among peers."""
    evidence = evidence or {}
    grouped = {u: group_entries(entries.get(u, ())) for u in units}
    relative: dict[Hashable, dict[str, Decimal]] = {u: {} for u in units}
    for kind in sorted(set(units.values())):
        peers = [u for u, k in units.items() if k == kind]
        for node in fw.leaves(kind):
            if node.rule is None or not node.rule.is_relative:
                continue
            values: dict[Hashable, Decimal] = {}
            for u in peers:
                entry = final_entry(node, grouped[u].get(node.code, {}))
                if entry is not None and entry.points is None and entry.value is not None \
                        and not entry.not_applicable:
                    values[u] = entry.value
            for u, pts in relative_points(node, kind, values).items():
                relative[u][node.code] = pts
    return {u: score_unit(fw, units[u], [e for per in grouped[u].values() for e in per.values()],
                          evidence.get(u, ()), relative[u]) for u in units}
