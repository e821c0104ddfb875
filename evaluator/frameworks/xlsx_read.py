"""Reading a criteria set's Excel workbook (the format ``xlsx`` writes and describes): a plain document
in the shape of a parsed YAML file, numbers canonicalised, every error naming sheet, row and column."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml
from openpyxl.utils import get_column_letter

from evaluator.frameworks.canonical import decimal_to_plain
from evaluator.frameworks.loader import FrameworkInvalid, Problem
from evaluator.frameworks.problems import shown
from evaluator.frameworks.xlsx import (
    CLASS_COLUMNS,
    CLASS_SHEET,
    FALSE_WORDS,
    NODE_FLAGS,
    NODE_SHEET,
    REQUIRED_SHEETS,
    SET_COLUMNS_SPEC,
    SET_FIELD_TYPES,
    SET_SHEET,
    SIMPLE_RULE_TYPES,
    SURVEY_COLUMNS,
    SURVEY_SHEET,
    TRUE_WORDS,
    node_columns,
)
from evaluator.messages import Message
from evaluator.xlsx_limits import WorkbookRefused, check_xlsx


# --- reading -----------------------------------------------------------------------------------
class _Reader:
    def __init__(self, path: Path):
        self.path = path
        self.file = str(path)
        self.problems: list[Problem] = []
        self.set_rows: dict[str, int] = {}
        """Row of each field on the set sheet (problems the loader finds later are placed by them)."""
        self.node_rows: dict[str, int] = {}
        """Row of each node code on the node sheet (the first, when a code is repeated)."""

    def err(self, node: str | None, where: str, message: str, /, **params: Any) -> None:
        """A problem of a cell (``where``: ``sheet!row N column KEY``): a message code ``xlsxread.*``."""
        self.problems.append(Problem(self.file, node, where, _message(message, params)))

    def fail(self, where: str, message: str, /, **params: Any) -> FrameworkInvalid:
        return FrameworkInvalid([Problem(self.file, None, where, _message(message, params))])

    # --- cells ---------------------------------------------------------------------------------
    def convert(self, value: Any, kind: str, where: str, node: str | None = None) -> Any:
        """A cell as a plain value of ``kind``; ``None`` for a blank cell or after reporting a problem."""
        if _blank(value):
            return None
        if isinstance(value, dt.date | dt.time | dt.timedelta):
            self.err(node, where, "xlsxread.date", value=str(value),
                     expected=Message(f"xlsxread.kind_{kind}"))
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and kind in ("text", "note"):
            return _number_text(value)
        if kind == "note":  # free text is kept exactly as typed
            return str(value)
        if isinstance(value, str):
            value = value.strip()
        if kind == "text":
            return str(value)
        if kind == "bool":
            if isinstance(value, bool):
                return value
            word = _number_text(value) if isinstance(value, int | float) else str(value).lower()
            if word in TRUE_WORDS:
                return True
            if word in FALSE_WORDS:
                return False
            self.err(node, where, "xlsxread.not_bool", value=value)
            return None
        if kind == "list":
            text = _number_text(value) if isinstance(value, int | float) else str(value)
            parts = text.replace(";", ",").replace("\n", ",").split(",")
            return [part.strip() for part in parts if part.strip()]
        if kind == "yaml":
            return value
        number = self.decimal(value, where, node)
        if number is None:
            return None
        if kind == "int":
            if number != number.to_integral_value():
                self.err(node, where, "xlsxread.not_whole", value=value)
                return None
            return int(number)
        return decimal_to_plain(number)

    def decimal(self, value: Any, where: str, node: str | None) -> Decimal | None:
        try:
            if isinstance(value, bool):
                raise InvalidOperation
            if isinstance(value, float):
                return _float_decimal(value)
            number = Decimal(str(value).strip().replace(",", "."))
        except (InvalidOperation, ValueError):
            self.err(node, where, "criteria.not_a_number", value=value)
            return None
        if not number.is_finite():
            self.err(node, where, "criteria.not_finite", value=value)
            return None
        return number

    # --- sheets --------------------------------------------------------------------------------
    def table(self, sheet: str, rows: list[list[Any]], spec: Iterable[tuple[str, str, str]], *,
              required: Iterable[str], extra_prefix: str | None = None) -> list[tuple[int, dict[str, Any]]]:
        """Rows of a sheet as (Excel row number, {key: raw cell}); checks the header row.

        Row 2 is skipped when it is the Vietnamese caption row written by ``write_workbook``.
        """
        columns = {key: kind for key, kind, _ in spec}
        captions = {key: caption for key, _, caption in spec}
        if not rows:
            self.err(None, f"{sheet}!row 1", "xlsxread.sheet_empty")
            return []
        header = [_number_text(h) if isinstance(h, int | float) and not isinstance(h, bool)
                  else str(h or "").strip() for h in rows[0]]
        index: dict[str, int] = {}
        for col, key in enumerate(header):
            if not key or key.startswith("#"):
                continue
            where = f"{sheet}!row 1 column {get_column_letter(col + 1)}"
            if key in index:
                self.err(None, where, "xlsxread.column_twice", key=key)
            elif key not in columns and not (extra_prefix and key.startswith(extra_prefix)):
                self.err(None, where, "xlsxread.unknown_column", key=key, expected=", ".join(columns))
            else:
                index[key] = col
        missing = [k for k in required if k not in index]
        if missing:
            self.err(None, f"{sheet}!row 1", "xlsxread.missing_columns", columns=", ".join(missing))
        out = []
        for number, raw in enumerate(rows[1:], start=2):
            cells = {key: raw[col] if col < len(raw) else None for key, col in index.items()}
            filled = {k: v for k, v in cells.items() if not _blank(v)}
            if not filled:
                continue
            if number == 2 and any(captions.get(k) == v for k, v in filled.items()) and all(
                    captions.get(k, v) == v for k, v in filled.items()):
                continue  # the Vietnamese caption row
            out.append((number, cells))
        return out

    def read(self) -> dict[str, Any]:
        names, sheets = self.open()
        missing = [s for s in REQUIRED_SHEETS if s not in sheets]
        if missing:
            raise self.fail("(workbook)", "xlsxread.no_sheet", missing=", ".join(missing),
                            sheets=", ".join((*REQUIRED_SHEETS, SURVEY_SHEET)),
                            found=", ".join(names) or Message("common.none"))
        doc = self.read_set(sheets[SET_SHEET])
        raw_kinds = doc.get("unit_kinds")
        kinds = [str(k) for k in raw_kinds] if isinstance(raw_kinds, list) else []
        doc["classes"] = self.read_classes(sheets[CLASS_SHEET], kinds)
        survey = self.read_survey(sheets.get(SURVEY_SHEET, []))
        if survey:
            doc.setdefault("survey", {}).update(survey)
        doc["nodes"] = self.read_nodes(sheets[NODE_SHEET], kinds)
        if self.problems:
            raise FrameworkInvalid(self.problems)
        return doc

    def open(self) -> tuple[list[str], dict[str, list[list[Any]]]]:
        """The workbook's sheet names and the rows of the sheets this module reads."""
        try:
            data = self.path.read_bytes()
            check_xlsx(data)  # before calamine: it would build a sheet up to its farthest cell in memory
        except WorkbookRefused as exc:
            raise self.fail("(file)", "xlsxread.refused", error=exc) from exc
        except FileNotFoundError as exc:
            raise self.fail("(file)", "criteria.no_file") from exc
        except OSError as exc:
            raise self.fail("(file)", "xlsxread.not_xlsx", error=str(exc)) from exc
        try:
            from python_calamine import CalamineWorkbook

            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            names = [str(n) for n in book.sheet_names]
            wanted = [n for n in names if n in (*REQUIRED_SHEETS, SURVEY_SHEET)]
            # skip_empty_area=False keeps list indices equal to Excel row numbers - 1.
            return names, {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in wanted}
        except FileNotFoundError as exc:
            raise self.fail("(file)", "criteria.no_file") from exc
        except Exception as exc:  # calamine raises its own errors for zip/xml/format problems
            raise self.fail("(file)", "xlsxread.not_xlsx", error=str(exc)) from exc

    def read_set(self, rows: list[list[Any]]) -> dict[str, Any]:
        doc: dict[str, Any] = {}
        seen: dict[str, int] = {}
        for number, cells in self.table(SET_SHEET, rows, SET_COLUMNS_SPEC, required=("key", "value")):
            key = str(self.convert(cells.get("key"), "text", f"{SET_SHEET}!row {number} column key") or "")
            if not key:
                self.err(None, f"{SET_SHEET}!row {number} column key", "xlsxread.value_without_key")
                continue
            if key not in SET_FIELD_TYPES:
                self.err(None, f"{SET_SHEET}!row {number} column key",
                         "xlsxread.unknown_field", key=key, expected=", ".join(SET_FIELD_TYPES))
                continue
            if key in seen:
                self.err(None, f"{SET_SHEET}!row {number} column key",
                         "xlsxread.field_twice", key=key, row=seen[key])
                continue
            seen[key] = number
            self.set_rows[key] = number
            value = self.convert(cells.get("value"), SET_FIELD_TYPES[key],
                                 f"{SET_SHEET}!row {number} column value")
            if value is None:
                continue
            if SET_FIELD_TYPES[key] == "yaml" and isinstance(value, str):
                try:
                    value = yaml.safe_load(value)
                except yaml.YAMLError as exc:
                    self.err(None, f"{SET_SHEET}!row {number} column value", "xlsxread.bad_yaml",
                             error=str(exc))
                    continue
            target = doc
            *parents, last = key.split(".")
            for part in parents:
                target = target.setdefault(part, {})
            target[last] = value
        return doc

    def read_classes(self, rows: list[list[Any]], kinds: list[str]) -> Any:
        types = {k: t for k, t, _ in CLASS_COLUMNS}
        by_kind: dict[str, list[dict[str, Any]]] = {}
        for number, cells in self.table(CLASS_SHEET, rows, CLASS_COLUMNS, required=("code", "label", "min")):
            band: dict[str, Any] = {}
            for key, kind in types.items():
                value = self.convert(cells.get(key), kind, f"{CLASS_SHEET}!row {number} column {key}")
                if value is not None:
                    band[key] = value
            unit_kind = band.pop("unit_kind", "*")
            by_kind.setdefault(unit_kind, []).append(band)
        if set(by_kind) <= {"*"}:
            return by_kind.get("*", [])
        shared = by_kind.pop("*", None)
        out: dict[str, Any] = {k: by_kind.get(k, shared) for k in kinds if k in by_kind or shared is not None}
        # Rows for kinds the set does not have are passed on: the loader reports them.
        out.update({k: v for k, v in by_kind.items() if k not in out})
        return out

    def read_survey(self, rows: list[list[Any]]) -> dict[str, Any]:
        if not rows:
            return {}
        weights: dict[str, Any] = {}
        groups: dict[str, Any] = {}
        for number, cells in self.table(SURVEY_SHEET, rows, SURVEY_COLUMNS, required=("type", "code")):
            where = f"{SURVEY_SHEET}!row {number} column "
            kind = self.convert(cells.get("type"), "text", where + "type")
            code = self.convert(cells.get("code"), "text", where + "code")
            if not code:
                self.err(None, where + "code", "xlsxread.empty")
                continue
            if kind == "answer":
                if code in weights:
                    self.err(None, where + "code", "xlsxread.answer_twice", code=code)
                weight = self.convert(cells.get("weight"), "number", where + "weight")
                if weight is None and _blank(cells.get("weight")):
                    self.err(None, where + "weight", "xlsxread.no_weight", code=code)
                if weight is not None:
                    weights[code] = weight
            elif kind == "group":
                if code in groups:
                    self.err(None, where + "code", "xlsxread.group_twice", code=code)
                groups[code] = self.convert(cells.get("label"), "note", where + "label") or ""
            else:
                self.err(None, where + "type", "xlsxread.bad_type", kind=kind)
        out: dict[str, Any] = {}
        if weights:
            out["answer_weights"] = weights
        if groups:
            out["groups"] = groups
        return out

    def read_nodes(self, rows: list[list[Any]], kinds: list[str]) -> list[dict[str, Any]]:
        spec = node_columns(kinds)
        columns = {k: t for k, t, _ in spec}
        table = self.table(NODE_SHEET, rows, spec, required=("code", "parent", "title"), extra_prefix="max_")
        if table and rows:
            present = {str(h).strip() for h in rows[0] if h is not None}
            for kind in kinds:
                if f"max_{kind}" not in present:
                    self.err(None, f"{NODE_SHEET}!row 1", "xlsxread.no_max_column", kind=kind)
        roots: list[dict[str, Any]] = []
        by_code: dict[str, tuple[dict[str, Any], int]] = {}
        for number, cells in table:
            where = f"{NODE_SHEET}!row {number} column "
            code = self.convert(cells.get("code"), "text", where + "code")
            if not code:
                self.err(None, where + "code", "xlsxread.no_code")
                continue
            values = {key: self.convert(raw, columns.get(key, "number"), where + key, code)
                      for key, raw in cells.items() if key != "code"}
            node: dict[str, Any] = {"code": code}
            for key in ("title", "title_en", "source", "role"):
                if values.get(key) is not None:
                    node[key] = values[key]
            maxima = {key[4:]: v for key, v in values.items() if key.startswith("max_") and v is not None}
            if maxima:
                node["max"] = maxima
            for flag in NODE_FLAGS:
                if values.get(flag):
                    node[flag] = True
            rule = self.read_rule(values, cells, where, code)
            if rule is not None:
                node["rule"] = rule
            if values.get("guidance") is not None:
                node["guidance"] = values["guidance"]

            parent = values.get("parent")
            depth = 0
            if parent is None:
                roots.append(node)
            elif parent not in by_code:
                self.err(code, where + "parent", "xlsxread.bad_parent", parent=parent)
            else:
                parent_node, parent_depth = by_code[parent]
                parent_node.setdefault("children", []).append(node)
                depth = parent_depth + 1
            level = values.get("level")
            if level is not None and level != depth + 1:
                self.err(code, where + "level", "xlsxread.bad_level", level=level, depth=depth + 1)
            by_code.setdefault(code, (node, depth))
            self.node_rows.setdefault(code, number)
        return roots

    def read_rule(self, values: Mapping[str, Any], cells: Mapping[str, Any], where: str,
                  code: str) -> dict[str, Any] | None:
        rule: dict[str, Any] = {}
        text = values.get("rule_params")
        if text is not None:
            try:
                params = yaml.safe_load(str(text))
            except yaml.YAMLError as exc:
                self.err(code, where + "rule_params", "xlsxread.bad_yaml", error=str(exc))
                params = None
            if params is not None and not isinstance(params, Mapping):
                self.err(code, where + "rule_params", "xlsxread.params_not_fields")
                params = None
            rule.update(params or {})
        kind = values.get("rule_kind")
        if kind is not None:
            if "kind" in rule and rule["kind"] != kind:
                self.err(code, where + "rule_params", "xlsxread.params_kind")
            rule["kind"] = kind
        for key in SIMPLE_RULE_TYPES:
            if values.get(key) is None:
                continue
            if key in rule:
                self.err(code, where + key, "xlsxread.given_twice", key=key)
            rule[key] = values[key]
        if not rule and cells.get("rule_kind") in (None, ""):
            return None
        return rule


def _float_decimal(value: float) -> Decimal:
    """The number a person meant: the shortest repr, or 15 significant digits (Excel's precision)."""
    number = Decimal(repr(value))
    if len(number.as_tuple().digits) > 15:
        number = Decimal(format(value, ".15g"))
    return number


def _number_text(value: Any) -> str:
    """A numeric cell used as text (e.g. a code typed as 2 or 1.1): canonical text, no ``.0``."""
    if isinstance(value, bool):
        return str(value)
    number = _float_decimal(value) if isinstance(value, float) else Decimal(value)
    return format(number.normalize(), "f")


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _message(code: str, params: Mapping[str, Any]) -> Message:
    """A problem's message, each value from the file shortened (``problems.shown``)."""
    return Message(code, {k: shown(v) for k, v in params.items()})


def read_workbook(path: Path) -> dict[str, Any]:
    """Read a criteria-set workbook into a plain document for ``parse_framework``.

    Raises ``FrameworkInvalid`` (never a bare exception) for a file that is not a workbook, a missing sheet,
    or cells that cannot be read; each problem names ``sheet!row N column KEY``.
    """
    return _Reader(Path(path)).read()


def read_workbook_placed(path: Path) -> tuple[dict[str, Any], Callable[[Problem], Problem]]:
    """``read_workbook`` and a function that adds the sheet and row to a problem the loader finds in the
    document (a node's row on the node sheet, a set field's row on the set sheet), so that a problem in a
    workbook names its sheet and row as well as its node and field."""
    reader = _Reader(Path(path))
    doc = reader.read()

    def place(problem: Problem) -> Problem:
        if problem.place:
            return problem
        if problem.node is not None and problem.node in reader.node_rows:
            sheet, row = NODE_SHEET, reader.node_rows[problem.node]
        elif problem.node is None and problem.field.split(".")[0] in _SET_TOP:
            found = [k for k in reader.set_rows if problem.field == k or problem.field.startswith(k + ".")]
            if not found:
                return problem
            sheet, row = SET_SHEET, reader.set_rows[max(found, key=len)]
        elif problem.node is None and problem.field.split(".")[0] == "classes":
            return replace(problem, place=Message("criteria.sheet", {"sheet": CLASS_SHEET}))
        else:
            return problem
        return replace(problem, place=Message("criteria.sheet_row", {"sheet": sheet, "row": row}))

    return doc, place


_SET_TOP = frozenset(key.split(".")[0] for key in SET_FIELD_TYPES)
