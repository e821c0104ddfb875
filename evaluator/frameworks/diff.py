"""What changed between two criteria sets, node by node (``evaluator framework diff``, and what
``services.framework_upgrade`` decides to carry). Pure: two ``Framework`` values in, a ``FrameworkDiff`` out.

Nodes are matched by code: a code only in the new set is *added*, only in the old one *removed*, in both
with a different compared field *changed*. The compared fields are what a score depends on or what people
read: title (both languages), max per unit kind, the rule (in its canonical form, so ``0.5`` and ``0.50``
or a default written out are no change), source, role, the two leaf flags, the parent and whether the
node is a leaf. Guidance texts are not compared (they explain, they do not score).

Every value is plain data (str, bool, ``Decimal``, dict, list), so ``to_json`` is exact and the diff of
``b`` against ``a`` is the diff of ``a`` against ``b`` with ``old`` and ``new`` swapped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from evaluator.frameworks.canonical import _rule_out, decimal_to_plain
from evaluator.frameworks.model import Framework, Node

FIELDS: tuple[str, ...] = ("kind_of_node", "title", "title_en", "max", "rule", "source", "role", "parent",
                           "not_applicable_allowed", "evidence_required")
"""The compared fields, in the order they are listed."""
SCORE_FIELDS: frozenset[str] = frozenset({"kind_of_node", "rule", "source", "not_applicable_allowed"})
"""The fields whose change makes an entered value mean something else (the maximum is per kind: see
``services.framework_upgrade``)."""


@dataclass(frozen=True)
class FieldChange:
    old: Any
    new: Any


@dataclass(frozen=True)
class NodeChange:
    code: str
    kind_of_node: str
    """``leaf`` or ``group``: in the new set for an added or changed node, in the old set for a removed
    one."""
    fields: Mapping[str, FieldChange] = field(default_factory=dict)
    """Each compared field that differs; an added node lists every field with ``old`` None, a removed one
    with ``new`` None."""


@dataclass(frozen=True)
class FrameworkDiff:
    old: str
    """The old set's identity (``CODE@VERSION``)."""
    new: str
    added: tuple[NodeChange, ...] = ()
    removed: tuple[NodeChange, ...] = ()
    changed: tuple[NodeChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def changed_node(self, code: str) -> NodeChange | None:
        return next((c for c in self.changed if c.code == code), None)

    def to_json(self) -> dict[str, Any]:
        """``{"old", "new", "added", "removed", "changed"}``; each node ``{"code", "kind_of_node", "fields":
        {name: {"old", "new"}}}``; numbers as JSON numbers, a maximum as ``{kind: number}``, a rule as its
        canonical mapping (``kind`` and parameters)."""
        def node(c: NodeChange) -> dict[str, Any]:
            fields = {name: {"old": plain(f.old), "new": plain(f.new)} for name, f in c.fields.items()}
            return {"code": c.code, "kind_of_node": c.kind_of_node, "fields": fields}

        return {"old": self.old, "new": self.new, "added": [node(c) for c in self.added],
                "removed": [node(c) for c in self.removed], "changed": [node(c) for c in self.changed]}


def plain(value: Any) -> Any:
    """``value`` with Decimals as JSON numbers (ints stay ints)."""
    if isinstance(value, Decimal):
        return decimal_to_plain(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def _canonical(value: Any) -> Any:
    """Numbers as normalised Decimals (``0.50`` == ``0.5``; a float from a file as written), tuples as
    lists: what two equal rules have in common however they were read."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        return value.normalize() if value else Decimal(0)
    if isinstance(value, Mapping):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def node_fields(fw: Framework, node: Node) -> dict[str, Any]:
    """The compared fields of one node, as plain data."""
    return {
        "kind_of_node": "leaf" if node.is_leaf else "group",
        "title": node.title,
        "title_en": node.title_en,
        "max": {kind: _canonical(node.max[kind]) for kind in sorted(node.max)},
        "rule": None if node.rule is None else _canonical(_rule_out(node.rule, fw.unit_kinds)),
        "source": node.source,
        "role": node.role,
        "parent": node.parent,
        "not_applicable_allowed": node.not_applicable_allowed,
        "evidence_required": node.evidence_required,
    }


def diff_frameworks(old: Framework, new: Framework) -> FrameworkDiff:
    """Added, removed and changed nodes from ``old`` to ``new`` (each list in the order of its set's tree:
    added and changed in the new set's, removed in the old set's)."""
    added, removed, changed = [], [], []
    for code, node in new.nodes.items():
        after = node_fields(new, node)
        if code not in old.nodes:
            added.append(NodeChange(code, after["kind_of_node"],
                                    {n: FieldChange(None, after[n]) for n in FIELDS}))
            continue
        before = node_fields(old, old.nodes[code])
        fields = {n: FieldChange(before[n], after[n]) for n in FIELDS if before[n] != after[n]}
        if fields:
            changed.append(NodeChange(code, after["kind_of_node"], fields))
    for code, node in old.nodes.items():
        if code not in new.nodes:
            before = node_fields(old, node)
            removed.append(NodeChange(code, before["kind_of_node"],
                                      {n: FieldChange(before[n], None) for n in FIELDS}))
    return FrameworkDiff(old.identity, new.identity, tuple(added), tuple(removed), tuple(changed))


# --- as table rows (the command line's table and the GUI's) -----------------------------------
WHOLE_NODE_FIELDS = ("title", "max", "rule")
"""What a table shows of an added or removed node (the JSON has every field)."""


@dataclass(frozen=True)
class DiffRow:
    change: str
    """``added``, ``removed`` or ``changed``."""
    code: str
    node: str
    field: str
    old: Any
    new: Any
    first: bool
    """The node's first row: the change, code and node kind are shown only there."""


def diff_rows(diff: FrameworkDiff) -> list[DiffRow]:
    """One row per field that differs (an added or removed node: its title, maxima and rule)."""
    out: list[DiffRow] = []

    def add(what: str, change: NodeChange, names: tuple[str, ...] | None) -> None:
        first = True
        for name, f in change.fields.items():
            if names is None or name in names:
                out.append(DiffRow(what, change.code, change.kind_of_node, name, f.old, f.new, first))
                first = False

    for c in diff.added:
        add("added", c, WHOLE_NODE_FIELDS)
    for c in diff.removed:
        add("removed", c, WHOLE_NODE_FIELDS)
    for c in diff.changed:
        add("changed", c, None)
    return out
