"""A criteria set's canonical document: written back from the model with every default filled in, the
JSON text whose SHA-256 is the set's identity, and plain numbers for YAML/JSON/XLSX files.

Apart from ``loader`` (which parses and checks a document) so that the writers (``export``, ``xlsx``)
and the reader can share the number rules without importing the whole parser.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from evaluator.frameworks.model import Framework, Level, Node, Rule

FORMAT = "evaluator-framework"
FORMAT_VERSION = 1


def dec(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        value = repr(value)
    return Decimal(str(value).strip().replace(",", "."))


def num_text(value: Decimal) -> str:
    """Canonical text of a number: no exponent, no trailing zeros (``1.50`` -> ``1.5``)."""
    text = format(value.normalize(), "f")
    return text


def decimal_to_plain(value: Decimal) -> int | float:
    """Numbers as written in YAML/JSON exports: ints stay ints, others are shortest floats."""
    return int(value) if value == value.to_integral_value() else float(num_text(value))


# --- canonical form ---------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_to_plain(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _per_kind_out(values: Mapping[str, Decimal], kinds: tuple[str, ...]) -> Any:
    """A single number when every kind has the same value, else the mapping."""
    if set(values) == set(kinds) and len(set(values.values())) == 1:
        return next(iter(values.values()))
    return {k: values[k] for k in kinds if k in values}


def _level_out(lv: Level, kinds: tuple[str, ...], *, band: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if lv.code:
        out["code"] = lv.code
    if lv.label:
        out["label"] = lv.label
    if band:
        out["min"] = lv.lo
        if lv.hi is not None:
            out["max"] = lv.hi
    if lv.points is not None:
        out["points"] = _per_kind_out(lv.points, kinds)
    else:
        out["share"] = lv.share
    return out


def _rule_out(rule: Rule, kinds: tuple[str, ...]) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": rule.kind}
    k = rule.kind
    if k == "manual":
        out["step"] = rule.step
    elif k == "options":
        out["options"] = [_level_out(lv, kinds, band=False) for lv in rule.levels]
    elif k in ("bands", "proportional"):
        out["input"] = rule.input
        out["zero_denominator"] = rule.zero_denominator
        if k == "bands":
            out["bands"] = [_level_out(lv, kinds, band=True) for lv in rule.levels]
        for key in ("floor", "target"):
            if getattr(rule, key) is not None:
                out[key] = getattr(rule, key)
    elif k == "count":
        out["per_item"] = rule.per_item
        out["mode"] = rule.mode
    elif k == "survey":
        out["questions"] = [{"code": q.code, "group": q.group, **({"label": q.label} if q.label else {})}
                            for q in rule.questions]
        if rule.group_weights:
            out["group_weights"] = dict(rule.group_weights)
    elif k == "external":
        out.update(index=rule.index, mapping=rule.mapping, scale=rule.scale, order=rule.order)
        if rule.mapping == "bands":
            out["bands"] = [_level_out(lv, kinds, band=True) for lv in rule.levels]
    elif k == "rank":
        out["order"] = rule.order
        out["ranks"] = [{"upto": s.upto, "share": s.share} for s in rule.rank_points]
    elif k == "minmax":
        out["order"] = rule.order
        if rule.min_share:  # written only when set, so sets without it keep their SHA-256
            out["min_share"] = rule.min_share
    return out


def node_document(fw: Framework, node: Node) -> dict[str, Any]:
    out: dict[str, Any] = {"code": node.code, "title": node.title}
    if node.title_en:
        out["title_en"] = node.title_en
    out["max"] = _per_kind_out(node.max, fw.unit_kinds)
    parent_source = fw.nodes[node.parent].source if node.parent else "appraisal"
    if node.source != parent_source:
        out["source"] = node.source
    if node.role != "scored":
        out["role"] = node.role
    for flag in ("not_applicable_allowed", "evidence_required", "cap_children"):
        if getattr(node, flag):
            out[flag] = True
    if node.guidance:
        out["guidance"] = node.guidance
    if node.rule is not None:
        out["rule"] = _rule_out(node.rule, fw.unit_kinds)
    if node.children:
        out["children"] = [node_document(fw, fw.nodes[c]) for c in node.children]
    return out


def to_document(fw: Framework) -> dict[str, Any]:
    """The canonical document: defaults written out, numbers as Decimals (see ``canonical_json``)."""
    classes_by_kind = {
        kind: [{"code": b.code, "label": b.label, **({"label_en": b.label_en} if b.label_en else {}),
                "min": b.lo, **({"max": b.hi} if b.hi is not None else {})} for b in fw.classes[kind]]
        for kind in fw.unit_kinds
    }
    first = next(iter(classes_by_kind.values()))
    same = all(v == first for v in classes_by_kind.values())
    doc: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "code": fw.code,
        "version": fw.version,
        "year": fw.year,
        "title": fw.title,
    }
    if fw.title_en:
        doc["title_en"] = fw.title_en
    if fw.issued_by:
        doc["issued_by"] = fw.issued_by
    doc.update({
        "unit_kinds": list(fw.unit_kinds),
        "total_max": fw.total_max,
        "rounding": {"index_decimals": fw.index_decimals, "classify_on": fw.classify_on,
                     "rank_on": fw.rank_on},
        "ranking": {"tie_policy": fw.tie_policy, "tie_breakers": list(fw.tie_breakers)},
        "shares": {"method": fw.share_method},
        "classes": first if same else classes_by_kind,
    })
    # Written only when they differ from their default, so that sets without them keep their SHA-256.
    if fw.kind_labels:
        doc["unit_kind_labels"] = {code: {"label": vi, "label_en": en}
                                   for code, (vi, en) in fw.kind_labels.items()}
    if fw.rank_scope != "kind":
        doc["ranking"]["scope"] = fw.rank_scope
    if not fw.cap_total:
        doc["cap_total"] = False
    if fw.bonus_cap is not None:
        doc["bonus_cap"] = fw.bonus_cap
    if fw.penalty_cap is not None:
        doc["penalty_cap"] = fw.penalty_cap
    if fw.answer_weights or fw.survey_groups or fw.without_survey != "zero":
        doc["survey"] = {"answer_weights": dict(fw.answer_weights), "groups": dict(fw.survey_groups),
                         "without_survey": fw.without_survey}
    doc["nodes"] = [node_document(fw, n) for n in fw.roots()]
    return doc


def canonical_json(document: Mapping[str, Any]) -> str:
    """The text whose SHA-256 is a set's identity: sorted keys, no spaces, numbers in canonical text."""

    def enc(value: Any) -> Any:
        if isinstance(value, Decimal):
            return {"$n": num_text(value)}
        if isinstance(value, float):
            return {"$n": num_text(dec(value))}
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, Mapping):
            return {str(k): enc(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [enc(v) for v in value]
        return value

    return json.dumps(enc(document), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def plain_document(fw: Framework) -> dict[str, Any]:
    """The canonical document with plain ints/floats, for YAML and JSON files."""
    return _plain(fw.document)
