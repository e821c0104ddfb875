"""Write a criteria set as YAML (canonical), JSON (flat node list for other tools) or XLSX."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from evaluator.frameworks.canonical import decimal_to_plain, plain_document
from evaluator.frameworks.model import Framework


def flat_document(fw: Framework) -> dict[str, Any]:
    """The committee's JSON: set fields plus a flat node list in tree order, ``max`` always per kind."""
    doc = plain_document(fw)
    nodes = []
    for node, plain in zip(fw, _walk(doc["nodes"]), strict=True):
        entry: dict[str, Any] = {
            "code": node.code,
            "parent": node.parent,
            "title": node.title,
            "source": node.source,
            "role": node.role,
            "max": {k: decimal_to_plain(v) for k, v in node.max.items()},
            "rule": plain.get("rule"),
            "not_applicable_allowed": node.not_applicable_allowed,
            "evidence_required": node.evidence_required,
        }
        for key in ("title_en", "guidance", "cap_children"):
            if key in plain:
                entry[key] = plain[key]
        nodes.append(entry)
    head = {k: v for k, v in doc.items() if k != "nodes"}
    return {"code": fw.code, "version": fw.version, "sha256": fw.sha256, "year": fw.year,
            "unit_kinds": list(fw.unit_kinds), **head, "nodes": nodes}


def _walk(nodes: list[dict[str, Any]]):
    for n in nodes:
        yield n
        yield from _walk(n.get("children", []))


def to_yaml(fw: Framework) -> str:
    return yaml.safe_dump(plain_document(fw), allow_unicode=True, sort_keys=False, width=110)


def export_framework(fw: Framework, out: Path) -> None:
    suffix = out.suffix.lower()
    if suffix in (".yaml", ".yml"):
        out.write_text(to_yaml(fw), encoding="utf-8")
    elif suffix == ".json":
        out.write_text(json.dumps(flat_document(fw), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    elif suffix == ".xlsx":
        from evaluator.frameworks.xlsx import write_workbook

        write_workbook(fw, out)
    else:
        raise ValueError(f"cannot export to {out.name}: use a .yaml, .json or .xlsx file name")
