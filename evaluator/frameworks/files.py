"""Reading a criteria-set file (YAML, JSON or XLSX) into a validated ``Framework``.

Apart from ``loader`` (the document format and its checks) because the XLSX reader builds on it: loader
knows no file formats, ``xlsx_read`` uses loader's checks, and this module picks the reader by suffix.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from evaluator.fields import FieldError, check_text
from evaluator.frameworks.canonical import FORMAT
from evaluator.frameworks.loader import FrameworkInvalid, Problem, parse_framework
from evaluator.frameworks.model import Framework
from evaluator.messages import Message

MAX_TEXT_BYTES = 20 * 1024 * 1024
"""The largest YAML/JSON criteria-set file read (a workbook has ``xlsx_limits``' limits)."""


def read_document(path: Path) -> Any:
    """Read a YAML/JSON/XLSX criteria-set file into a plain document (no validation yet)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        from evaluator.frameworks.xlsx_read import read_workbook

        return read_workbook(path)
    if path.stat().st_size > MAX_TEXT_BYTES:  # a set is a few hundred kB; a larger file is not one
        raise FrameworkInvalid([Problem(str(path), None, "(file)", Message(
            "criteria.too_large", {"size": path.stat().st_size, "limit": MAX_TEXT_BYTES}))])
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FrameworkInvalid([Problem(str(path), None, "(file)",
                                        Message("criteria.not_utf8", {"error": exc}))]) from exc
    try:
        if suffix == ".json":
            return json.loads(text)
        return yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError, RecursionError) as exc:
        raise FrameworkInvalid([Problem(str(path), None, "(file)",
                                        Message("criteria.unreadable", {"error": exc}))]) from exc


def load_framework(path: Path | str) -> Framework:
    path = Path(path)
    if not path.is_file():
        raise FrameworkInvalid([Problem(str(path), None, "(file)", Message("criteria.no_file"))])
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from evaluator.frameworks.xlsx_read import read_workbook_placed

        document, place = read_workbook_placed(path)
        try:
            return parse_framework(document, str(path))
        except FrameworkInvalid as exc:  # the loader's problems also name the sheet and row
            raise FrameworkInvalid([place(p) for p in exc.problems]) from None
    document = read_document(path)
    # A flat JSON export lists nodes with 'parent'; turn it back into a tree.
    if (isinstance(document, Mapping) and document.get("format") == FORMAT
            and isinstance(document.get("nodes"), list) and document["nodes"]
            and isinstance(document["nodes"][0], Mapping) and "parent" in document["nodes"][0]):
        document = _untree_flat(document, str(path))
    return parse_framework(document, str(path))


def _untree_flat(doc: Mapping[str, Any], source: str = "<document>") -> dict[str, Any]:
    out = dict(doc)
    if "sha256" in out:
        out.pop("sha256")
    by_code: dict[str, dict[str, Any]] = {}
    roots: list[Any] = []
    for raw in doc["nodes"]:
        if not isinstance(raw, Mapping) or not isinstance(raw.get("code"), str | int):
            # not a node of a flat list: the loader says what is wrong with it where it sits
            roots.append(raw)
            continue
        node = {k: v for k, v in raw.items() if k != "parent"}
        node["children"] = []
        by_code[str(raw["code"])] = node
        parent = raw.get("parent")
        if parent is not None and not isinstance(parent, str | int):
            parent = repr(parent)
        if parent and str(parent) not in by_code:
            raise FrameworkInvalid([Problem(source, str(raw["code"]), "parent", Message(
                "criteria.parent_not_before", {"parent": parent}))])
        (by_code[str(parent)]["children"] if parent else roots).append(node)
    out["nodes"] = roots
    return out


def text_problems(fw: Framework, source: str) -> list[Problem]:
    """The texts of a set from outside (an import, a validation) checked as every text from outside is
    (``fields.check_text``: length, no control characters). Not part of parsing: a set already stored
    in a project is read back as it was stored, whatever its texts."""
    problems: list[Problem] = []

    def check(value: str, node: str | None, field: str, rule: str = "note") -> None:
        try:
            check_text(value, rule)
        except FieldError as exc:
            problems.append(Problem(source, node, field, exc.message))

    check(fw.code, None, "code", "criterion_code")
    for field in ("title", "title_en", "issued_by"):
        check(getattr(fw, field), None, field)
    for node in fw:
        check(node.code, node.code, "code", "criterion_code")
        for field in ("title", "title_en", "guidance"):
            check(getattr(node, field), node.code, field)
    return problems
