"""Side-by-side mode: one leaf for every unit of a kind in a year, the way a member department appraises
its own area across all the units (issue #16).

``leaf_rows`` reads the whole table in ONE query (units, the self score, the stage's score, evidence count,
an open conflict): 168 communes must open at once, so no unit's sheet is loaded. Edits go through
``scores.set_score`` like every other edit (the GUI: ``AppContext.edit_score``); ``parse_input`` turns the
text typed in the table into the raw input that call takes, by the leaf's rule.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from evaluator.errors import UserError
from evaluator.frameworks.model import Node
from evaluator.models import Assessment, Conflict, CriteriaSet, Evidence, Period, Score, Unit
from evaluator.services.frameworks import framework_of
from evaluator.services.scores import leaf_of

NOT_APPLICABLE = ("kđg", "na", "n/a")
"""What typed in a value cell means "not applicable" (shown as "KĐG")."""


@dataclass(frozen=True)
class SideRow:
    """One unit's line of the table: plain values, the GUI formats them."""

    assessment_id: uuid.UUID
    code: str
    short_name: str
    locked: frozenset[str]
    self_value: Any
    self_points: Decimal | None
    self_na: bool
    value: Any
    """The raw input stored at the stage (None: nothing)."""
    points: Decimal | None
    not_applicable: bool
    note: str
    evidence: int
    conflict: bool
    """An open conflict at the stage: ``set_score`` refuses the edit until it is resolved."""

    @property
    def filled(self) -> bool:
        return self.points is not None or self.not_applicable or bool(self.value)


def leaf_node(session: Session, year: int, kind: str, leaf: str) -> Node:
    """The leaf as the year's set for ``kind`` defines it (``UserError`` when it is not a leaf there)."""
    sets = session.scalars(
        select(CriteriaSet)
        .where(CriteriaSet.id.in_(
            select(Assessment.criteria_set_id)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
            .where(Period.year == year, Unit.kind == kind)
        ))
        .order_by(CriteriaSet.version.desc())
    ).all()
    if not sets:
        raise UserError("sidebyside.no_units", kind=kind, year=year)
    return leaf_of(framework_of(sets[0]), kind, leaf)


def leaf_rows(session: Session, year: int, kind: str, leaf: str, stage: str) -> list[SideRow]:
    """Every unit of ``kind`` assessed in ``year``, by code, with ``leaf`` at the self stage and ``stage``
    — in one query."""
    own, at = aliased(Score), aliased(Score)
    evidence = (
        select(func.count(Evidence.id))
        .where(Evidence.assessment_id == Assessment.id, Evidence.criterion_code == leaf,
               Evidence.carry_pending.is_(False))
        .correlate(Assessment)
        .scalar_subquery()
    )
    conflict = exists().where(
        Conflict.assessment_id == Assessment.id, Conflict.criterion_code == leaf,
        Conflict.stage == stage, Conflict.status == "open",
    ).correlate(Assessment)
    q = (
        select(
            Assessment.id, Unit.code, Unit.short_name, Unit.name, Assessment.locked_stages,
            own.value, own.points, own.not_applicable,
            at.value, at.points, at.not_applicable, at.note,
            evidence, conflict,
        )
        .join(Unit, Unit.id == Assessment.unit_id)
        .join(Period, Period.id == Assessment.period_id)
        .outerjoin(own, and_(own.assessment_id == Assessment.id, own.criterion_code == leaf,
                             own.stage == "self"))
        .outerjoin(at, and_(at.assessment_id == Assessment.id, at.criterion_code == leaf, at.stage == stage))
        .where(Period.year == year, Unit.kind == kind)
        .order_by(Unit.code)
    )
    return [
        SideRow(a_id, code, short or name, frozenset(s for s in (locked or "").split(",") if s),
                s_value, s_points, bool(s_na), value, points, bool(na), note or "", int(count or 0),
                bool(open_))
        for (a_id, code, short, name, locked, s_value, s_points, s_na, value, points, na, note, count,
             open_) in session.execute(q)
    ]


def _count(text: str) -> int | None:
    """A whole number 0… typed in ASCII digits (not "²", not 5,000 digits), else None."""
    if not text or len(text) > 12 or not all("0" <= ch <= "9" for ch in text):
        return None
    return int(text)


def _number(text: str, leaf: str) -> Decimal:
    try:
        if len(text) > 30:
            raise InvalidOperation
        x = Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise UserError("sidebyside.not_a_number", text=text, criterion=leaf) from None
    if not x.is_finite():
        raise UserError("sidebyside.not_a_number", text=text, criterion=leaf)
    return x


def parse_input(node: Node, text: str) -> dict[str, Any]:
    """The ``set_score`` keywords for ``text`` typed in a value cell, by the leaf's rule: "KĐG" (not
    applicable); binary 1/0 (c/k); an option's code or its number in the list (1, 2, …); a ratio "a/b";
    a count; points (manual rules) or the value (percentages, indices). ``UserError`` names the problem."""
    text = text.strip()
    if not text:
        raise UserError("sidebyside.empty", criterion=node.code)
    if text.lower() in NOT_APPLICABLE:
        return {"not_applicable": True}
    rule = node.rule
    if rule is None:
        raise UserError("sidebyside.not_a_number", text=text, criterion=node.code)
    k = rule.kind
    if k == "binary":
        yes, no = ("1", "c", "có", "x", "y", "yes"), ("0", "k", "không", "n", "no")
        if text.lower() in yes:
            return {"value": {"done": True}}
        if text.lower() in no:
            return {"value": {"done": False}}
        raise UserError("sidebyside.binary", text=text, criterion=node.code)
    if k == "options":
        codes = [level.code for level in rule.levels]
        if text in codes:
            return {"value": {"option": text}}
        if _count(text) is not None and 1 <= int(text) <= len(codes):
            return {"value": {"option": codes[int(text) - 1]}}
        raise UserError("sidebyside.option", text=text, criterion=node.code,
                        options=", ".join(f"{i}={c}" for i, c in enumerate(codes, 1)))
    if k in ("bands", "proportional") and rule.input == "ratio":
        parts = [_count(p.strip()) for p in text.split("/")]
        if len(parts) != 2 or parts[0] is None or parts[1] is None:
            raise UserError("sidebyside.ratio", text=text, criterion=node.code)
        return {"value": {"numerator": parts[0], "denominator": parts[1]}}
    if k == "count":
        n = _count(text)
        if n is None:
            raise UserError("sidebyside.count", text=text, criterion=node.code)
        return {"value": {"count": n}}
    if k in ("manual", "survey"):
        return {"points": _number(text, node.code)}
    return {"value": {"value": _number(text, node.code)}}


def choices(node: Node) -> list[tuple[str, str]]:
    """What may be typed for an option rule: (number, "code (label)") of each level, in the rule's order;
    empty for other rules."""
    rule = node.rule
    if rule is None or rule.kind != "options":
        return []
    return [(str(i), f"{level.code} ({level.label})" if level.label else level.code)
            for i, level in enumerate(rule.levels, 1)]


def input_text(node: Node, value: Any, points: Decimal | None, not_applicable: bool) -> str:
    """A stored input as ``parse_input`` reads it back (the text a value cell starts from)."""
    if not_applicable:
        return "KĐG"
    raw = value if isinstance(value, dict) else {}
    if "done" in raw:
        return "1" if raw["done"] else "0"
    if "option" in raw:
        return str(raw["option"])
    if "numerator" in raw:
        return f"{raw['numerator']}/{raw.get('denominator', 0)}"
    if "count" in raw:
        return str(raw["count"])
    if "value" in raw:
        return _plain(raw["value"])
    if "points" in raw:
        return _plain(raw["points"])
    return "" if points is None else _plain(points)


def _plain(x: Any) -> str:
    d = Decimal(str(x))
    return format(d.normalize(), "f") if d == d.to_integral() else format(d, "f").rstrip("0")
