"""What a leaf's rule makes of what a person entered: raw input in, points (or "not applicable") out.

A raw input is a small mapping, the same one stored in a score's ``value`` column:

| rule kind                 | input                                             |
|---------------------------|---------------------------------------------------|
| manual, survey            | ``{"points": p}``                                 |
| binary                    | ``{"done": true}``                                |
| options                   | ``{"option": "late"}``                            |
| bands, proportional       | ``{"numerator": a, "denominator": b}`` (input ratio) or ``{"value": x}`` |
| count                     | ``{"count": n}``                                  |
| external                  | ``{"value": x}``                                  |
| rank, minmax              | ``{"value": x}`` — points need the peers: see ``relative.py`` |

Everything is ``Decimal``; points are rounded half-up to two places and kept within [0, max].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from evaluator import i18n
from evaluator.errors import Coded
from evaluator.frameworks.model import CENT, Level, Node, Rule
from evaluator.i18n import N_
from evaluator.messages import Message

HUNDRED = Decimal(100)
ZERO = Decimal(0)


class InputError(Coded, ValueError):
    """The raw input does not fit the leaf's rule (names the leaf and what is wrong)."""


@dataclass(frozen=True)
class Evaluated:
    points: Decimal | None
    """``None`` when the rule is relative (points depend on peers) or the leaf is not applicable."""
    not_applicable: bool = False


def cents(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def to_decimal(raw: Any, what: Message | str) -> Decimal:
    """``raw`` as a number; ``what`` names it in the message (a text or a ``Message``)."""
    if isinstance(raw, bool) or raw is None:
        raise InputError("rules.not_a_number", what=what, value=raw)
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(str(raw).strip().replace(",", "."))
    except (InvalidOperation, ValueError) as exc:
        raise InputError("rules.not_a_number", what=what, value=raw) from exc
    if not value.is_finite():
        raise InputError("rules.not_finite", what=what, value=raw)
    return value


def _what(code: str, node: Node) -> Message:
    """What an input is called in a message: "criterion 1.3: numerator"."""
    return Message(code, {"criterion": node.code})


def leaf_max(node: Node, kind: str) -> Decimal:
    value = node.max_for(kind)
    if value is None:
        raise InputError("rules.not_for_kind", criterion=node.code, kind=kind)
    return value


def _rule(node: Node) -> Rule:
    if node.rule is None:
        raise InputError("rules.not_a_leaf", criterion=node.code)
    return node.rule


def level_points(level: Level, kind: str, mx: Decimal) -> Decimal:
    """An option's or band's points for this kind, at most the max. A share of the max is rounded half-up
    like every other computed point (``Level.points_for`` would round half-even: 0.5 × 0.25 → 0.12)."""
    if level.points is None and level.share is not None:
        return min(cents(mx * level.share), mx)
    return min(level.points_for(kind, mx), mx)


def band_for(levels: tuple[Level, ...], value: Decimal) -> Level:
    """The half-open band [lo, hi) holding ``value`` (levels are stored highest first, cover 0 → ∞)."""
    for level in levels:
        lo = level.lo if level.lo is not None else ZERO
        if value >= lo and (level.hi is None or value < level.hi):
            return level
    return levels[-1]  # below 0: the lowest band


def _percent(node: Node, rule: Rule, value: Mapping[str, Any]) -> Decimal | None:
    """The rule's input as a percentage; ``None`` for a zero denominator (handled by the caller)."""
    if rule.input == "ratio" and ("numerator" in value or "denominator" in value):
        num = to_decimal(value.get("numerator"), _what("rules.numerator", node))
        den = to_decimal(value.get("denominator"), _what("rules.denominator", node))
        if num < 0 or den < 0:
            raise InputError("rules.negative_ratio", criterion=node.code)
        if den == 0:
            return None
        if num > den:
            raise InputError("rules.numerator_larger", criterion=node.code, numerator=num, denominator=den)
        return num * HUNDRED / den
    if "value" in value:
        pct = to_decimal(value["value"], _what("rules.value", node))
        if pct < 0:
            raise InputError("rules.negative_value", criterion=node.code)
        return pct
    raise InputError("rules.give_ratio", criterion=node.code)


def _proportional(mx: Decimal, pct: Decimal, floor: Decimal | None, target: Decimal | None) -> Decimal:
    if floor is not None and pct < floor:
        return ZERO
    full = target if target is not None else HUNDRED
    return cents(mx * min(pct / full, Decimal(1)))


def evaluate(node: Node, kind: str, value: Mapping[str, Any] | None) -> Evaluated:
    """Points for one leaf from a raw input. Raises ``InputError`` naming the leaf on a bad input."""
    rule = _rule(node)
    mx = leaf_max(node, kind)
    if not value:
        raise InputError("rules.no_input", criterion=node.code)
    if value.get("not_applicable"):
        if not node.not_applicable_allowed:
            raise InputError("rules.not_applicable_refused", criterion=node.code)
        return Evaluated(None, True)
    k = rule.kind
    if "points" in value and k in ("manual", "survey"):
        points = to_decimal(value["points"], _what("rules.points", node))
        check_points(node, kind, points)
        return Evaluated(points)
    if k == "binary":
        if "done" not in value:
            raise InputError("rules.say_done", criterion=node.code)
        return Evaluated(mx if bool(value["done"]) else ZERO)
    if k == "options":
        code = value.get("option")
        for level in rule.levels:
            if level.code == code:
                return Evaluated(level_points(level, kind, mx))
        known = ", ".join(lv.code for lv in rule.levels)
        raise InputError("rules.unknown_option", criterion=node.code, option=code, known=known)
    if k in ("bands", "proportional"):
        pct = _percent(node, rule, value)
        if pct is None:
            if rule.zero_denominator == "not_applicable":
                return Evaluated(None, True)
            return Evaluated(mx if rule.zero_denominator == "full" else ZERO)
        if k == "bands":
            return Evaluated(level_points(band_for(rule.levels, pct), kind, mx))
        return Evaluated(_proportional(mx, pct, rule.floor, rule.target))
    if k == "count":
        count = to_decimal(value.get("count"), _what("rules.count", node))
        if count < 0 or count != count.to_integral_value():
            raise InputError("rules.bad_count", criterion=node.code, count=count)
        per = rule.per_item or ZERO
        if rule.mode == "deduct":
            return Evaluated(max(mx - count * per, ZERO))
        return Evaluated(min(count * per, mx))
    if k == "external":
        named = Message("rules.index_value", {"criterion": node.code, "index": rule.index}) if rule.index \
            else _what("rules.any_index_value", node)
        x = to_decimal(value.get("value"), named)
        if x < 0:
            raise InputError("rules.negative_index", criterion=node.code)
        if rule.mapping == "minmax":
            return Evaluated(None)
        if rule.mapping == "bands":
            return Evaluated(level_points(band_for(rule.levels, x), kind, mx))
        return Evaluated(cents(mx * min(x / rule.scale, Decimal(1))))
    if k in ("rank", "minmax"):
        to_decimal(value.get("value"), _what("rules.value", node))
        return Evaluated(None)
    if k in ("manual", "survey"):
        raise InputError("rules.give_points", criterion=node.code)
    raise InputError("rules.unsupported_kind", criterion=node.code, kind=k)


def check_points(node: Node, kind: str, points: Decimal) -> None:
    """Points typed in directly: within [0, max] with at most two decimals."""
    mx = leaf_max(node, kind)
    if points != points.quantize(CENT):
        raise InputError("rules.points_decimals", criterion=node.code, points=points)
    if points < 0 or points > mx:
        raise InputError("rules.points_range", criterion=node.code, points=points, max=mx, kind=kind)


def can_produce(node: Node, kind: str, points: Decimal) -> bool:
    """Whether the leaf's rule could give these points (imports warn when it could not)."""
    rule = _rule(node)
    mx = leaf_max(node, kind)
    if points < 0 or points > mx:
        return False
    k = rule.kind
    if k == "manual":
        step = rule.step or CENT
        return points == mx or (points / step) == (points / step).to_integral_value()
    if k == "binary":
        return points in (ZERO, mx)
    if k == "options":
        return points in {level_points(lv, kind, mx) for lv in rule.levels}
    if k == "bands" or (k == "external" and rule.mapping == "bands"):
        produced = {level_points(lv, kind, mx) for lv in rule.levels}
        if k == "bands":
            produced |= {mx, ZERO}  # a zero denominator gives full marks or nothing
        return points in produced
    if k == "count":
        per = rule.per_item or CENT
        if points == (mx if rule.mode == "add" else ZERO):
            return True
        base = points if rule.mode == "add" else mx - points
        return (base / per) == (base / per).to_integral_value()
    if k == "rank":
        return points in {cents(mx * s.share) for s in rule.rank_points} | {ZERO}
    return True  # proportional, survey, external proportional/minmax, minmax: any value in range


def describe(node: Node, kind: str, points: Callable[[Decimal], str] = str,
             percent: Callable[[Decimal], str] = str, language: str = i18n.SOURCE_LANGUAGE) -> str:
    """The rule in plain words, for the detail pane and reports. ``points`` writes a number of points
    and ``percent`` a percentage threshold: the GUI passes its locale's formatter (ui/formats.py); the
    default writes them as the criteria set holds them. ``language``: Vietnamese unless asked (the GUI
    asks for its own); the words are the catalogue's, the level labels and index names the set's."""
    rule = _rule(node)
    mx = points(leaf_max(node, kind))
    k = rule.kind

    def t(template: str, **values: object) -> str:
        return i18n.text(template, language).format(**values)

    def pt(value: Decimal | None) -> str:
        return "" if value is None else points(value)

    def pc(value: Decimal | None) -> str:
        return "" if value is None else percent(value)

    if k == "manual":
        return t(N_("Chấm điểm trực tiếp từ {low} đến {max}, bước {step}."), low=pt(ZERO), max=mx,
                 step=pt(rule.step))
    if k == "binary":
        return t(N_("Thực hiện: {max} điểm; không thực hiện: {low} điểm."), max=mx, low=pt(ZERO))
    if k == "options":
        parts = [t(N_("{level}: {points} điểm"), level=lv.label or lv.code,
                   points=pt(level_points(lv, kind, leaf_max(node, kind)))) for lv in rule.levels]
        return "; ".join(parts) + "."
    if k in ("bands", "proportional"):
        what = t(N_("Tỷ lệ (%)")) if rule.input == "ratio" else t(N_("Giá trị (%)"))
        if k == "bands":
            parts = [(t(N_("từ {low}% đến dưới {high}%"), low=pc(lv.lo), high=pc(lv.hi)) if lv.hi is not None
                      else t(N_("từ {low}% trở lên"), low=pc(lv.lo)))
                     + t(N_(": {points} điểm"), points=pt(level_points(lv, kind, leaf_max(node, kind))))
                     for lv in rule.levels]
            return f"{what}: " + "; ".join(parts) + "."
        text = what + t(N_(" × {max} điểm"), max=mx)
        if rule.target is not None:
            text += t(N_(", đạt {target}% trở lên được điểm tối đa"), target=pc(rule.target))
        if rule.floor is not None:
            text += t(N_(", dưới {floor}% không có điểm"), floor=pc(rule.floor))
        return text + "."
    if k == "count":
        if rule.mode == "deduct":
            return t(N_("{max} điểm, trừ {each} điểm cho mỗi trường hợp, tối thiểu {low}."), max=mx,
                     each=pt(rule.per_item), low=pt(ZERO))
        return t(N_("{each} điểm cho mỗi kết quả, tối đa {max} điểm."), each=pt(rule.per_item), max=mx)
    if k == "survey":
        return t(N_("Điểm điều tra xã hội học: {max} × trung bình trọng số câu trả lời "
                    "({questions} câu hỏi)."), max=mx, questions=len(rule.questions))
    if k == "external":
        if rule.mapping == "minmax":
            return t(N_("Theo chỉ số {index}, chuẩn hoá min–max trong cùng loại đơn vị, tối đa {max} điểm; "
                        "đơn vị thấp nhất được {low} điểm."), index=rule.index, max=mx, low=pt(ZERO))
        return t(N_("Theo chỉ số {index} ({mapping}), tối đa {max} điểm."), index=rule.index,
                 mapping=rule.mapping, max=mx)
    if k == "rank":
        return t(N_("Theo thứ hạng trong cùng loại đơn vị, tối đa {max} điểm."), max=mx)
    if k == "minmax":
        lowest = pt(cents(leaf_max(node, kind) * rule.min_share) if rule.min_share else ZERO)
        return t(N_("Chuẩn hoá min–max trong cùng loại đơn vị, tối đa {max} điểm; đơn vị cao nhất được "
                    "{max} điểm, đơn vị thấp nhất được {low} điểm."), max=mx, low=lowest)
    return ""
