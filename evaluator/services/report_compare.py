"""Checking a document against the project (``evaluator verify --db``): what the document's embedded data
would be now, and the differences in words. Older documents (format 1) are compared on what they carry.

``verify_file`` is the verification the CLI and the GUI run: ``signing.verify`` checks the signatures and
asks ``project_check`` (given the project's database) for the data, as signing opens no database."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.messages import say
from evaluator.reports.document_data import DOCUMENT_KINDS, REPORT_FORMAT_VERSION
from evaluator.services.audit import verify_chains
from evaluator.services.projects import open_existing
from evaluator.services.publication_data import publication
from evaluator.services.report_data import unit_documents
from evaluator.signing.verify import Current, CurrentData, Embedded, VerifyReport
from evaluator.signing.verify import verify_file as verify_signatures

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
    if kind in ("notice", "submission"):
        from evaluator.services.notice_data import current_data as notice_current

        return notice_current(session, embedded)
    if kind not in DOCUMENT_KINDS or not isinstance(year, int):
        raise UserError("report.embedded_no_document")
    if kind in ("publication", "decision", "analysis"):
        from evaluator.services.decision_data import analysis, decision

        doc: Any = (decision(session, year) if kind == "decision" else analysis(session, year)
                    if kind == "analysis" else publication(session, year))
        doc.draft = embedded.get("draft") is True
        return doc.data()
    code = (embedded.get("unit") or {}).get("code")
    if not isinstance(code, str):
        raise UserError("report.embedded_no_unit")
    return unit_documents(session, year, [code], kind)[0].data()


ADDED_WITH_DISTRICT_COUNCILS = frozenset({"/council/name", "/council/district"})
"""Which council issued the minutes (issue 14, district councils): a format 2 document made before says
nothing of it (it was the provincial council's), and is compared on the rest."""


def stale_approvals(session: Session, embedded: dict[str, Any]) -> list[str]:
    """The document's units (the publication: every unit of its year) whose result changed after it was
    approved: "cần phê duyệt lại", in words."""
    from evaluator.services.approval import approval_states

    year = embedded.get("year")
    if not isinstance(year, int):
        return []
    if embedded.get("document") in ("publication", "decision"):
        codes = {u.get("code") for u in embedded.get("units") or () if isinstance(u, dict)}
    elif embedded.get("document") == "analysis":
        codes = {u.get("code") for k in embedded.get("kinds") or () if isinstance(k, dict)
                 for u in k.get("unit_losses") or () if isinstance(u, dict)}
    else:
        codes = {(embedded.get("unit") or {}).get("code")}
    states = approval_states(session, year)
    return [say("approval.stale_line", unit=code, by=state.by or "—",
                at=state.at.strftime("%Y-%m-%d %H:%M") if state.at else "—")
            for code, state in sorted(states.items()) if code in codes and state.status == "stale"]


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
    """Human-readable differences between two JSON values (first 20), in the current language. A place
    matching ``optional`` (patterns as ``ADDED_IN_VERSION_2``, below ``path``) that the document lacks (an
    older format) is not a difference: it goes to ``skipped`` (once each)."""
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
                    out.append(say("verify.diff_added", where=f"{where}/{key}", value=repr(b[key])))
                elif key not in b:
                    out.append(say("verify.diff_removed", where=f"{where}/{key}"))
                else:
                    walk(a[key], b[key], f"{where}/{key}")
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                out.append(say("verify.diff_entries", where=where, then=len(a), now=len(b)))
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                label = x.get("code") or x.get("sha256") if isinstance(x, dict) else None
                walk(x, y, f"{where}[{label or i}]")
        elif a != b:
            out.append(say("verify.diff_value", where=where, then=repr(a), now=repr(b)))

    walk(embedded, current, path)
    return out


def project_check(db: str) -> Current:
    """The ``current`` of ``signing.verify``: compares a document's embedded data with the project at
    ``db`` as it is now, and checks that the project's audit log still extends the heads it recorded."""

    def check(embedded: Embedded) -> CurrentData:
        project = open_existing(db)
        try:
            with project.session() as session:
                now = current_data(session, embedded.data)
                approvals = stale_approvals(session, embedded.data)
                audit_log, details = "absent", []
                if embedded.audit_heads is not None:
                    chains = verify_chains(session, anchor=embedded.audit_heads)
                    audit_log = "extends" if chains.intact else "broken"
                    details = [say("verify.chain_detail", what=b.render()) for b in chains.broken] + [
                        say("verify.head_detail", chain=a.chain, seq=a.seq, detail=a.detail)
                        for a in chains.anchors
                        if not a.extends
                    ]
        finally:
            project.close()
        version = embedded.format_version
        older = version is None or version < REPORT_FORMAT_VERSION
        # An older document is compared on what it carries (it embedded the scores, not the names and notes
        # it prints); the report lists what could not be compared.
        skipped: list[str] = []
        optional = (ADDED_IN_VERSION_2 if older else frozenset()) | ADDED_WITH_DISTRICT_COUNCILS
        diffs = differences(embedded.data, now, "data", optional, skipped)
        return CurrentData(diffs, skipped, audit_log, details, approvals)

    return check


def verify_file(
    path: Path, trust_files: Sequence[Path] | None = None, db: str | None = None
) -> VerifyReport:
    """``evaluator verify``: the document's signatures, their trust against ``trust_files`` if given, and
    with ``db`` its embedded data and the audit log against that project."""
    return verify_signatures(
        path, list(trust_files) if trust_files else None, project_check(db) if db is not None else None
    )
