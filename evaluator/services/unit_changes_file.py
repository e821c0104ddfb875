"""The unit changes of a new year read from a JSON file (``evaluator new-year --changes FILE.json``): what
the wizard's "Đơn vị" step does, for a batch. The file is a list of changes in the form ``UnitChange.to_json``
writes (and ``new-year --format json`` prints under ``reorganise``)::

    [{"action": "merge", "code": "SO78", "name": "Sở Nông nghiệp và Môi trường",
      "old_codes": ["SO07", "SO08"]},
     {"action": "rename", "code": "SO19B", "name": "Sở Dân tộc và Tôn giáo", "old_codes": ["SO19"]},
     {"action": "retire-kind", "kind": "district"},
     {"action": "add", "code": "XA101", "name": "UBND xã Hòa Bình", "kind": "commune", "parent": ""}]

It comes from outside: its size, shape, keys and every text are checked before use, and each problem is
named with its place (``changes[2].old_codes[0]``). What the changes mean (a code that exists, a unit in two
changes) is checked afterwards by the reorganisation's own dry run, as in the wizard."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evaluator.errors import MAX_LISTED, Problems, UserError
from evaluator.fields import FieldError, check_text
from evaluator.services.reorganisation import CHANGE_ACTIONS, UnitChange

MAX_BYTES = 5 * 1024 * 1024
MAX_CHANGES = 10_000
MAX_OLD_CODES = 1_000
_FIELDS = {"code": "unit.code", "name": "unit.name", "kind": "unit.kind", "parent": "unit.code"}
_KEYS = ("action", *_FIELDS, "old_codes")


def read_unit_changes(path: Path) -> list[UnitChange]:
    """The changes listed in the file at ``path``; ``UserError`` naming every problem and its place."""
    label = path.name
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise UserError("yearly.changes_unreadable", file=label, error=exc.strerror or str(exc)) from None
    if len(raw) > MAX_BYTES:
        raise UserError("yearly.changes_too_big", file=label, max=MAX_BYTES // (1024 * 1024))
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise UserError("yearly.changes_not_json", file=label, error=str(exc)[:200]) from None
    if not isinstance(data, list) or len(data) > MAX_CHANGES:
        raise UserError("yearly.changes_not_list", file=label, max=MAX_CHANGES)
    problems = Problems()
    changes = [c for n, item in enumerate(data)
               if (c := _change(item, f"changes[{n}]", problems)) is not None]
    if problems.items:
        raise UserError("yearly.changes_refused", problems.items[:MAX_LISTED], file=label,
                        count=len(problems.items))
    return changes


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON value")


def _change(item: Any, where: str, problems: Problems) -> UnitChange | None:
    if not isinstance(item, dict):
        problems.add("yearly.changes_not_object", where=where, keys=", ".join(_KEYS))
        return None
    before = len(problems.items)
    for key in item:
        if key not in _KEYS:
            problems.add("yearly.changes_unknown_key", where=f"{where}.{str(key)[:40]}",
                         keys=", ".join(_KEYS))
    action = item.get("action")
    if action not in CHANGE_ACTIONS:
        problems.add("reorg.action_unknown", action=str(action)[:40], actions=", ".join(CHANGE_ACTIONS))
    texts = {key: _text(item.get(key, ""), field, f"{where}.{key}", problems)
             for key, field in _FIELDS.items()}
    old = item.get("old_codes", [])
    if not isinstance(old, list) or len(old) > MAX_OLD_CODES:
        problems.add("yearly.changes_old_codes", where=f"{where}.old_codes", max=MAX_OLD_CODES)
        old = []
    old_codes = tuple(_text(c, "unit.code", f"{where}.old_codes[{i}]", problems) for i, c in enumerate(old))
    if len(problems.items) > before:
        return None
    return UnitChange(action=str(action), old_codes=old_codes, **texts)


def _text(value: Any, field: str, where: str, problems: Problems) -> str:
    try:
        return check_text(value, field).strip()
    except FieldError as exc:
        problems.add("import.cell_refused", where=where, error=exc.message)
        return ""
