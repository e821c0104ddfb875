"""Checking a signed document: every signature (signer, time, intact, revision covered, changed after),
trust against the certificates given, and the embedded data against the current data.

``verify_file`` dispatches on the file type through ``VERIFIERS`` (PDF reports); team packages
(``.cchc``) are checked by ``evaluator.exchange.verify_package``, to which ``evaluator verify`` sends them.
The current data comes from the caller through ``current`` (``services.report_compare.verify_file`` passes
the project's): signing sits below services and opens no database.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dc_field
from datetime import datetime
from pathlib import Path
from typing import Any

from evaluator.errors import UserError
from evaluator.messages import say


@dataclass
class SignatureFinding:
    field: str
    signer: str
    issuer: str
    time: datetime | None
    time_source: str
    """``signer`` (the signer's own clock, offline signing) or ``timestamp`` (a timestamp authority)."""
    intact: bool
    valid: bool
    revision: int
    """The revision this signature covers (1 = the original document)."""
    revisions: int
    coverage: str
    changed_after: bool
    change: str
    """What changed after the signature, in words."""
    changes_allowed: bool
    trust: str
    """``trusted``, ``not trusted: …`` or ``not checked`` (in the language of the verification)."""
    problems: list[str] = dc_field(default_factory=list)
    untrusted: bool = False
    """Trust was checked and the signature does not chain to a trusted certificate."""

    @property
    def ok(self) -> bool:
        return (
            self.intact
            and self.valid
            and self.changes_allowed
            and not self.untrusted
            and not self.problems
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "field": self.field,
            "signer": self.signer,
            "issuer": self.issuer,
            "time": self.time.isoformat() if self.time else None,
            "time_source": self.time_source,
            "intact": self.intact,
            "valid": self.valid,
            "revision": self.revision,
            "revisions": self.revisions,
            "coverage": self.coverage,
            "changed_after": self.changed_after,
            "change": self.change,
            "changes_allowed": self.changes_allowed,
            "trust": self.trust,
            "problems": self.problems,
            "ok": self.ok,
        }


@dataclass(frozen=True)
class FilledIn:
    """A number or date the clerk filled in (``doc_number``/``doc_date``), and the revision that did."""

    field: str
    value: str
    revision: int


@dataclass(frozen=True)
class Embedded:
    """The evaluator data a document carries, read from its attachment (outside data: checked here)."""

    data: dict[str, Any]
    format_version: int | None
    audit_heads: dict[str, tuple[int, str]] | None
    """The audit log's chain heads the document recorded (None: an older document records none)."""


@dataclass
class CurrentData:
    """What the caller's ``current`` found comparing a document's ``Embedded`` data with the data now."""

    differences: list[str]
    not_compared: list[str] = dc_field(default_factory=list)
    """Printed values an older document does not embed (so they could not be compared)."""
    audit_log: str = "absent"
    """``extends``, ``broken`` or ``absent`` (as ``VerifyReport.audit_log``)."""
    audit_details: list[str] = dc_field(default_factory=list)


Current = Callable[[Embedded], CurrentData]
"""Compares a document's embedded data with the current data (raises ``UserError`` when it cannot)."""


@dataclass
class VerifyReport:
    path: str
    kind: str
    signatures: list[SignatureFinding] = dc_field(default_factory=list)
    empty_fields: list[str] = dc_field(default_factory=list)
    trust_checked: bool = False
    data: str = "not checked"
    """``not checked`` (no --db), ``matches``, ``differs``, ``absent`` (no embedded data)."""
    data_differences: list[str] = dc_field(default_factory=list)
    data_not_compared: list[str] = dc_field(default_factory=list)
    """Printed values an older document does not embed (so they could not be compared)."""
    data_format: int | None = None
    audit_log: str = "not checked"
    """``not checked`` (no --db), ``extends`` (the project's audit log still extends the chain heads the
    document recorded, every chain intact), ``broken``, ``absent`` (an older document records no heads)."""
    audit_details: list[str] = dc_field(default_factory=list)
    problems: list[str] = dc_field(default_factory=list)
    filled: list[FilledIn] = dc_field(default_factory=list)
    """What was filled in between the signatures (number, date)."""
    validation_data: dict[str, int] = dc_field(default_factory=dict)
    """What the document's DSS holds for long-term validation: ``certs``, ``crls``, ``ocsps`` (empty when
    it has no DSS)."""

    @property
    def ok(self) -> bool:
        return (
            bool(self.signatures)
            and all(s.ok for s in self.signatures)
            and not self.problems
            and self.data in ("not checked", "matches")
            and self.audit_log != "broken"
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "kind": self.kind,
            "ok": self.ok,
            "signatures": [s.as_json() for s in self.signatures],
            "empty_fields": self.empty_fields,
            "filled_in": [{"field": f.field, "value": f.value, "revision": f.revision} for f in self.filled],
            "validation_data": self.validation_data,
            "trust_checked": self.trust_checked,
            "data": self.data,
            "data_differences": self.data_differences,
            "data_not_compared": self.data_not_compared,
            "audit_log": self.audit_log,
            "audit_log_details": self.audit_details,
            "problems": self.problems,
        }

    def render(self) -> str:
        """The report in the current language (its findings are worded in the verification's)."""
        lines = [say("verify.header", path=self.path, kind=self.kind.upper(), count=len(self.signatures))]
        for i, s in enumerate(self.signatures, 1):
            source = say("verify.source_timestamp") if s.time_source == "timestamp" else say(
                "verify.source_signer")
            when = s.time.strftime("%Y-%m-%d %H:%M:%S %Z") if s.time else say("verify.unknown")
            signer = say("verify.issued_by", signer=s.signer, issuer=s.issuer) if s.issuer else s.signer
            intact = say("verify.yes") if s.intact and s.valid else say("verify.not_intact")
            changed = (say("verify.changed_yes", change=s.change) if s.changed_after
                       else say("verify.no_change"))
            lines += [
                say("verify.signature", number=i, field=s.field),
                say("verify.signer", signer=signer),
                say("verify.time", when=when, source=source),
                say("verify.intact", answer=intact),
                say("verify.covers", revision=s.revision, revisions=s.revisions, coverage=s.coverage),
                say("verify.changed_after", answer=changed),
                say("verify.trust", trust=s.trust),
            ]
            lines += [say("verify.signature_problem", problem=p) for p in s.problems]
        for f in self.filled:
            key = "verify.filled_number" if f.field == "doc_number" else "verify.filled_date"
            lines.append(say(key, value=f.value, revision=f.revision))
        if self.validation_data:
            lines.append(say("verify.dss", **self.validation_data))
        if self.empty_fields:
            lines.append(say("verify.empty_fields", fields=", ".join(self.empty_fields)))
        if not self.trust_checked:
            lines.append(say("verify.trust_not_checked"))
        data = {"matches": "verify.data_matches", "differs": "verify.data_differs",
                "absent": "verify.data_absent"}
        if self.data in data:
            lines.append(say(data[self.data]))
        if self.data == "differs":
            lines += [f"  - {d}" for d in self.data_differences]
        if self.data_not_compared:
            lines.append(say("verify.not_compared", format=self.data_format or "?",
                             places=", ".join(self.data_not_compared)))
        audit = {"extends": "verify.audit_extends", "broken": "verify.audit_broken",
                 "absent": "verify.audit_absent"}
        if self.audit_log in audit:
            lines.append(say(audit[self.audit_log]))
        lines += [f"  - {d}" for d in self.audit_details]
        lines += [say("verify.problem", problem=p) for p in self.problems]
        lines.append(say("verify.result_ok" if self.ok else "verify.result_failed"))
        return "\n".join(lines)


def load_trust(files: list[Path]) -> list[Any]:
    from pyhanko.keys import load_certs_from_pemder

    certs: list[Any] = []
    for f in files:
        try:
            found = list(load_certs_from_pemder([str(f)]))
        except (OSError, ValueError) as exc:
            raise UserError("signing.trust_unreadable", path=f, error=exc) from exc
        if not found:
            raise UserError("signing.trust_no_cert", path=f)
        certs += found
    return certs


def _context(trust: list[Any] | None) -> Any:
    from pyhanko_certvalidator import ValidationContext

    return ValidationContext(trust_roots=trust or [], allow_fetching=False, revocation_mode="soft-fail")


def _name(name: Any) -> str:
    """The common name of an asn1crypto ``Name`` (else the whole name)."""
    try:
        return str(name.native.get("common_name") or name.human_friendly)
    except (AttributeError, ValueError):
        return "?"


def verify_pdf(data: bytes, path: str, trust: list[Any] | None, current: Current | None) -> VerifyReport:
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature, validate_pdf_timestamp

    from evaluator.signing.changes import strict_policy
    from evaluator.signing.sign import signature_fields

    report = VerifyReport(path=path, kind="pdf", trust_checked=trust is not None)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        fields = signature_fields(reader)
        sigs = list(reader.embedded_signatures)
        revisions = reader.total_revisions
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        report.problems.append(say("verify.not_a_pdf", error=exc))
        return report
    report.empty_fields = [n for n, signed in fields if not signed]
    fields_at = _empty_fields_at(reader)
    if not sigs:
        report.problems.append(say("verify.not_signed"))
    context = _context(trust)
    policy = strict_policy()
    quiet = _Quiet()  # pyHanko logs a traceback for every chain it cannot build; the report says it
    for sig in sigs:
        status: Any
        try:
            with quiet:
                if sig.sig_object_type == "/DocTimeStamp":  # a document timestamp (PAdES-LTA)
                    status = validate_pdf_timestamp(sig, context, diff_policy=policy)
                else:
                    status = validate_pdf_signature(sig, context, diff_policy=policy)
        except Exception as exc:  # a damaged signature container: report it, check the others
            report.signatures.append(
                SignatureFinding(
                    field=str(sig.field_name),
                    signer="?",
                    issuer="",
                    time=None,
                    time_source="signer",
                    intact=False,
                    valid=False,
                    revision=sig.signed_revision + 1,
                    revisions=revisions,
                    coverage="unknown",
                    changed_after=True,
                    change="unknown",
                    changes_allowed=False,
                    trust=say("verify.trust_unchecked"),
                    problems=[say("verify.cannot_check", error=exc)],
                )
            )
            continue
        changed_after, change, allowed = _judge_changes(reader, sig, status, fields_at)
        if trust is None:
            trust_text = say("verify.trust_unchecked")
        elif status.trusted:
            trust_text = (
                say("verify.trusted_by", name=_name(status.validation_path.trust_anchor.authority.name))
                if status.validation_path is not None
                else say("verify.trusted")
            )
        else:
            indic = status.trust_problem_indic
            reason = str(getattr(indic, "name", indic)) if indic is not None else "no chain"
            # pyHanko's reason is a constant's name: shown as it is in both languages
            trust_text = say("verify.not_trusted", reason=reason.lower().replace("_", " "))
        ts = getattr(status, "timestamp_validity", None)
        if sig.sig_object_type == "/DocTimeStamp":
            ts, when = status, status.timestamp
        else:
            when = ts.timestamp if ts is not None else status.signer_reported_dt
        report.signatures.append(
            SignatureFinding(
                field=str(sig.field_name),
                signer=_name(status.signing_cert.subject),
                issuer=_name(status.signing_cert.issuer),
                time=when,
                time_source="timestamp" if ts is not None else "signer",
                intact=bool(status.intact),
                valid=bool(status.valid),
                revision=sig.signed_revision + 1,
                revisions=revisions,
                coverage=status.coverage.name.lower().replace("_", " ") if status.coverage else "unknown",
                changed_after=changed_after,
                change=change,
                changes_allowed=allowed,
                trust=trust_text,
                untrusted=trust is not None and not status.trusted,
            )
        )
    from evaluator.signing.changes import filled_fields

    report.filled = [FilledIn(*f) for f in filled_fields(reader)]
    report.validation_data = _dss_counts(reader)
    if current is not None:
        _check_data(report, reader, current)
    return report


def _dss_counts(reader: Any) -> dict[str, int]:
    """How many certificates, CRLs and OCSP responses the document's DSS holds (PAdES B-LT)."""
    try:
        dss = reader.root["/DSS"]
    except (KeyError, TypeError):
        return {}
    counts = {}
    for key, name in (("/Certs", "certs"), ("/CRLs", "crls"), ("/OCSPs", "ocsps")):
        try:
            counts[name] = len(dss[key]) if key in dss else 0
        except (TypeError, KeyError):
            counts[name] = 0
    return counts


def _judge_changes(
    reader: Any, sig: Any, status: Any, fields_at: Callable[[int], set[str]]
) -> tuple[bool, str, bool]:
    """(changed after, what changed in words, allowed) for one signature, from the strict difference
    analysis: validation data and document timestamps, or signatures in the fields that were empty when
    it was signed; anything else is a modification, named as far as ``describe`` can."""
    from pyhanko.sign.diff_analysis import DiffResult, ModificationLevel

    from evaluator.signing.changes import describe

    later = sig.signed_revision + 1 < reader.total_revisions
    diff = status.diff_result
    if not later:
        return False, say("verify.change_nothing"), status.docmdp_ok is not False
    if diff is None:  # pyHanko did not analyse (it does whenever there are later revisions)
        return True, say("verify.change_not_analysed"), False
    if not isinstance(diff, DiffResult):
        what = describe(reader, sig.signed_revision)
        detail = "; ".join(what) if what else _first_line(diff)
        return True, say("verify.change_not_allowed", detail=detail), False
    level = diff.modification_level
    if level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES):
        return True, say("verify.change_timestamps"), status.docmdp_ok is not False
    empty = fields_at(sig.signed_revision)
    foreign = sorted(str(f) for f in diff.changed_form_fields if str(f) not in empty)
    if level == ModificationLevel.FORM_FILLING and not foreign:
        from evaluator.signing.changes import FILL_IN_FIELDS

        key = ("verify.change_filled_in" if FILL_IN_FIELDS & {str(f) for f in diff.changed_form_fields}
               else "verify.change_later_signatures")
        return True, say(key), status.docmdp_ok is not False
    what = describe(reader, sig.signed_revision)
    if foreign:
        what.append(say("verify.fields_added", fields=", ".join(foreign)))
    detail = "; ".join(what) or level.name.lower()
    return True, say("verify.change_not_allowed", detail=detail), False


def _first_line(exc: Any) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _check_data(report: VerifyReport, reader: Any, current: Current) -> None:
    from evaluator.reports.pdf import read_attachment

    payload = read_attachment(reader)
    if payload is None or not isinstance(payload.get("data"), dict):
        report.data = "absent"
        report.problems.append(say("verify.no_data"))
        return
    version = payload.get("format_version")
    version = version if isinstance(version, int) else None
    found = current(Embedded(payload["data"], version, _audit_heads(payload.get("audit_heads"))))
    report.audit_log = found.audit_log
    report.audit_details = list(found.audit_details)
    report.data_not_compared = list(found.not_compared)
    report.data = "matches" if not found.differences else "differs"
    report.data_differences = list(found.differences)
    report.data_format = version


def _audit_heads(raw: Any) -> dict[str, tuple[int, str]] | None:
    """The chain heads a document recorded (None if it records none); the attachment is outside data, so
    an entry that is not a chain name with a sequence number and a SHA-256 is dropped, not trusted."""
    if not isinstance(raw, dict):
        return None
    heads = {}
    for chain, head in raw.items():
        if (isinstance(chain, str) and len(chain) <= 200 and isinstance(head, list) and len(head) == 2
                and isinstance(head[0], int) and not isinstance(head[0], bool) and 0 < head[0] < 2**62
                and isinstance(head[1], str) and re.fullmatch(r"[0-9a-f]{64}", head[1])):
            heads[chain] = (head[0], head[1])
    return heads


def _empty_fields_at(reader: Any) -> Callable[[int], set[str]]:
    """The names of the empty signature fields of a document's revision (0-based), cached."""
    cache: dict[int, set[str]] = {}

    def at(revision: int) -> set[str]:
        if revision not in cache:
            from evaluator.signing.sign import signature_fields

            try:
                old = reader.get_historical_resolver(revision)
                from evaluator.signing.changes import FILL_IN_FIELDS, _fields

                cache[revision] = {n for n, signed in signature_fields(old) if not signed}
                texts = _fields(old.root)  # the number and date, while still empty, are the clerk's too
                cache[revision] |= {n for n in FILL_IN_FIELDS & set(texts)
                                    if not str(texts[n].get("/V") or "")}
            except Exception:  # an unreadable old revision: no field counts as the document's own
                cache[revision] = set()
        return cache[revision]

    return at


class _Quiet:
    NAMES = ("pyhanko", "pyhanko_certvalidator")

    def __enter__(self) -> None:
        import logging

        self.levels = [(logging.getLogger(n), logging.getLogger(n).level) for n in self.NAMES]
        for logger, _ in self.levels:
            logger.setLevel(logging.CRITICAL)

    def __exit__(self, *exc: object) -> None:
        for logger, level in self.levels:
            logger.setLevel(level)


def _is_pdf(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]


VERIFIERS: list[tuple[str, Callable[[bytes], bool], Callable[..., VerifyReport]]] = [
    ("pdf", _is_pdf, verify_pdf),
]
"""(kind, detector on the first bytes, checker). Team packages are dispatched by the CLI before this."""


def verify_file(
    path: Path, trust_files: list[Path] | None = None, current: Current | None = None
) -> VerifyReport:
    """Check the document at ``path``: its signatures, their trust against ``trust_files`` (CA
    certificates) if given, and its embedded data through ``current`` if given."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise UserError("signing.unreadable", path=path, error=exc.strerror or exc) from exc
    trust = load_trust(trust_files) if trust_files else None
    for _kind, detect, check in VERIFIERS:
        if detect(data[:1024]):
            return check(data, str(path), trust, current)
    raise UserError("signing.not_verifiable", path=path)
