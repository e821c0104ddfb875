"""Checking a document against the project (``evaluator verify --db``): what the document's embedded data
would be now, and the differences in words. Older documents (format 1) are compared on what they carry."""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.reports.document_data import DOCUMENT_KINDS
from evaluator.services.publication_data import publication
from evaluator.services.report_data import unit_documents

ADDED_IN_VERSION_2 = frozenset(
    {
        # the minutes and the self-assessment report
        "/header", "/criteria_set/title", "/criteria_set/issued_by", "/scores[]/title", "/scores[]/reason",
        "/scores[]/unit_note", "/groups", "/areas[]/title", "/totals/self_bonus", "/totals/self_penalty",
        "/totals/self_index", "/council", "/representatives", "/conclusions", "/unit_opinion",
        # the publication
        "/chair", "/criteria_sets[]/tie_policy", "/units[]/name", "/units[]/points_change",
        "/summary/*/classes/*/label", "/summary/*/area_means",
    }
)
"""Places (``fnmatch`` patterns, list entries as ``[]``) of the embedded data that version 1 documents
lack (they embedded the scores, not the names, notes and people they print): such a document is compared
on what it carries, and the report says so."""


def current_data(session: Session, embedded: dict[str, Any]) -> dict[str, Any]:
    """The data the document described by ``embedded`` (its ``data`` object) would show now."""
    kind = embedded.get("document")
    year = embedded.get("year")
    if kind not in DOCUMENT_KINDS or not isinstance(year, int):
        raise UserError("the embedded report data names no known document and year")
    if kind == "publication":
        return publication(session, year).data()
    code = (embedded.get("unit") or {}).get("code")
    if not isinstance(code, str):
        raise UserError("the embedded report data names no unit")
    return unit_documents(session, year, [code], kind)[0].data()


def generic_place(where: str) -> str:
    """A place in the embedded data with list entries as ``[]``: ``data/scores[1.1.1]/reason`` →
    ``data/scores[]/reason``."""
    return re.sub(r"\[[^\]]*\]", "[]", where)


def differences(
    embedded: Any,
    current: Any,
    path: str = "",
    optional: frozenset[str] = frozenset(),
    skipped: list[str] | None = None,
) -> list[str]:
    """Human-readable differences between two JSON values (first 20). A place matching ``optional``
    (patterns as ``ADDED_IN_VERSION_2``, below ``path``) that the document lacks (an older format) is
    not a difference: it goes to ``skipped`` (once each)."""
    out: list[str] = []

    def walk(a: Any, b: Any, where: str) -> None:
        if len(out) >= 20:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in sorted(set(a) | set(b), key=str):
                place = generic_place(f"{where}/{key}")
                if key not in a and any(fnmatch.fnmatchcase(place[len(path):], p) for p in optional):
                    if skipped is not None and place not in skipped:
                        skipped.append(place)
                elif key not in a:
                    out.append(f"{where}/{key}: not in the document, now {b[key]!r}")
                elif key not in b:
                    out.append(f"{where}/{key}: in the document, no longer in the project")
                else:
                    walk(a[key], b[key], f"{where}/{key}")
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                out.append(f"{where}: {len(a)} entries in the document, {len(b)} now")
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                label = x.get("code") or x.get("sha256") if isinstance(x, dict) else None
                walk(x, y, f"{where}[{label or i}]")
        elif a != b:
            out.append(f"{where}: document {a!r}, project now {b!r}")

    walk(embedded, current, path)
    return out
