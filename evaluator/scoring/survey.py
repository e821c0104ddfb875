"""Survey (điều tra xã hội học) answers into points for a survey leaf.

Each answer letter is worth a share of the question's max (the set's ``answer_weights``, e.g. A 100 %,
B 60 %, C 20 %, D 0 %). Per respondent group the mean weight over valid answers is taken, then the groups
are weighted (the rule's ``group_weights``; equal by default). Groups without any valid answer drop out
and the remaining weights are scaled up, so a missing group never counts as zero.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from evaluator.frameworks.model import Node
from evaluator.scoring.rules import InputError, cents, leaf_max


@dataclass(frozen=True)
class Answer:
    respondent: str
    group: str
    question: str
    answer: str


@dataclass(frozen=True)
class SurveyScore:
    points: Decimal | None
    """``None`` when no valid answer exists for the leaf."""
    respondents: Mapping[str, int]
    """Respondents with at least one valid answer, per group."""


def survey_points(node: Node, kind: str, answers: Iterable[Answer],
                  answer_weights: Mapping[str, Decimal]) -> SurveyScore:
    rule = node.rule
    if rule is None or rule.kind != "survey":
        raise InputError("scoring.not_survey", criterion=node.code)
    mx = leaf_max(node, kind)
    question_group = {q.code: q.group for q in rule.questions}
    sums: dict[str, Decimal] = {}
    counts: dict[str, int] = {}
    people: dict[str, set[str]] = {}
    for a in answers:
        group = question_group.get(a.question)
        if group is None or a.group != group:
            continue
        weight = answer_weights.get(a.answer.strip().upper())
        if weight is None:
            continue  # blank or invalid answers are not counted
        sums[group] = sums.get(group, Decimal(0)) + weight
        counts[group] = counts.get(group, 0) + 1
        people.setdefault(group, set()).add(a.respondent)
    if not counts:
        return SurveyScore(None, {})
    groups = sorted(counts)
    weights = {g: rule.group_weights.get(g, Decimal(0)) for g in groups} if rule.group_weights else \
        dict.fromkeys(groups, Decimal(1))
    total_weight = sum(weights.values())
    if total_weight == 0:
        return SurveyScore(None, {g: len(people[g]) for g in groups})
    mean = sum(weights[g] * sums[g] / counts[g] for g in groups) / total_weight
    return SurveyScore(cents(mx * mean), {g: len(people[g]) for g in groups})
