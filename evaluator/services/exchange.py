"""Team packages: export from a laptop, committee import and merge (issue 5).

Export (``export_package``) writes everything a team typed for the chosen units and years: units,
assessments, every score with its whole revision history, evidence metadata and files, audit events, and
the conflicts it resolved (the decision supersedes the competing values only through that record).

Import (``import_packages``) follows the lessons in ``docs/exchange.md``: read and check every package
first (structure, hashes, signature, project, criteria-set identities, every record); then a preview
(new, updated, identical, conflicting, probable duplicates); then, unless it is a dry run, an automatic
backup and one atomic transaction; then an import log stored in the project. Records are matched by
UUID and natural key; scores merge by their revision chains (see ``services.conflicts``): importing the
same package twice changes nothing, and packages give the same project in any order; decisions on
conflicts that a package brings supersede the same heads here as there. A unit created on two
laptops (same code, another UUID) is skipped as a probable duplicate unless ``merge_duplicates`` maps it
onto the project's unit; the merge is remembered in ``unit_alias`` for that laptop's later packages.
"""

from __future__ import annotations

import gc
import json
import re
import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from itertools import repeat
from pathlib import Path
from typing import Any, cast

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evaluator import __version__
from evaluator.exchange.package import (
    DATA,
    EVIDENCE_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    Package,
    PackageError,
    PackageWriter,
    dump,
    open_package,
)
from evaluator.exchange.signing import SigningError, check_signature, load_trusted, trusted_from_pem
from evaluator.fields import (
    LIMITS,
    FieldError,
    bad_character,
    check_text,
    check_year,
    file_name_problem,
    year_pair_problem,
)
from evaluator.frameworks.model import ALL_STAGES, CENT, Framework
from evaluator.models import (
    Assessment,
    AuditEvent,
    Conflict,
    CriteriaSet,
    Device,
    Evidence,
    ImportLog,
    PackageImport,
    Period,
    Project,
    ProjectError,
    ProjectInfo,
    Score,
    ScoreRevision,
    Unit,
    dumps_json,
    rebuild_framework,
    utcnow,
)
from evaluator.models.audit_chain import (
    LINKED,
    RECEIVED,
    UPGRADE,
    chained_rows,
    event_hash,
    is_hash,
    local_device,
    plan_imported,
)
from evaluator.models.schema import UnitAlias, new_id
from evaluator.scoring import InputError, check_points, evaluate
from evaluator.services.conflicts import (
    CONFLICT_NAMESPACE,
    Rev,
    conflict_id,
    conflict_id_of,
    derive_state,
    merge_base,
    value_json,
)
from evaluator.services.errors import MAX_LISTED, UserError
from evaluator.services.errors import Problems as _Problems
from evaluator.services.frameworks import framework_of
from evaluator.services.progress import Progress, no_progress

STATES = ("self_assessment", "submitted", "appraisal1", "explanation", "appraisal2", "approved")
TRUST_SETTING = "exchange.trust"
"""Project setting: a list of PEM certificate texts. When set, every imported package must be signed by
one of them (or by a certificate they issued), as with ``--trust``."""


def trust_setting(project: Project) -> list[str]:
    """The project's trusted certificates for team packages (PEM texts; empty when not set)."""
    value = project.get_setting(TRUST_SETTING, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise UserError(f"the project setting {TRUST_SETTING} must be a list of PEM certificate texts")
    return value


def set_trust(project: Project, files: Sequence[Path | str] = (), *, clear: bool = False) -> list[str]:
    """Add the certificates of ``files`` (PEM or DER) to the project's trust list (``clear``: empty it
    first); returns the subjects now trusted. Raises ``UserError`` for a file that is not a certificate."""
    from cryptography.hazmat.primitives.serialization import Encoding

    try:
        texts = [] if clear else list(trust_setting(project))
        for cert in load_trusted(files):
            pem = cert.public_bytes(Encoding.PEM).decode("ascii")
            if pem not in texts:
                texts.append(pem)
        certs = trusted_from_pem(texts, f"setting {TRUST_SETTING}")
    except SigningError as exc:
        raise UserError(str(exc)) from exc
    if files or clear:
        project.set_setting(TRUST_SETTING, texts)
    return [c.subject.rfc4514_string() for c in certs]


# --- devices ----------------------------------------------------------------------------------------
def this_device(project: Project) -> str:
    """The device id of this computer for this project file (created on first use).

    A copied project file on another laptop (or another path) gets its own device id, so the revisions
    each copy writes can be told apart. Pass it as ``device_id`` to ``set_score``.
    """
    with project.session() as session:
        return device_in(session, project)


def device_in(session: Session, project: Project) -> str:
    """``this_device`` inside an open session (the row is written in that session when new). The same
    device names this file's audit chain (``models.audit_chain.local_device``)."""
    return local_device(session.connection())


# --- export -----------------------------------------------------------------------------------------
@dataclass
class ExportReport:
    path: Path
    package_id: str
    units: list[str]
    years: list[int]
    assessments: int = 0
    scores: int = 0
    revisions: int = 0
    evidence: int = 0
    evidence_files: int = 0
    audit_events: int = 0
    conflicts_resolved: int = 0
    """Resolved conflicts written with the package (so that the importer does not see them again)."""
    size: int = 0
    signed_by: str = ""

    def render(self) -> str:
        lines = [
            f"Team package written: {self.path} ({self.size:,} bytes)",
            f"  package {self.package_id}; years {', '.join(map(str, self.years)) or '—'}; "
            f"{len(self.units)} unit(s): {', '.join(self.units[:20])}"
            f"{' …' if len(self.units) > 20 else ''}",
            f"  {self.assessments} assessment(s), {self.scores} score(s) with {self.revisions} "
            f"revision(s), {self.evidence} evidence record(s) ({self.evidence_files} file(s)), "
            f"{self.audit_events} audit event(s)",
        ]
        if self.conflicts_resolved:
            lines.append(f"  {self.conflicts_resolved} resolved conflict(s) with their decisions")
        lines.append(f"  {'signed by ' + self.signed_by if self.signed_by else 'not signed'}")
        return "\n".join(lines)


def _iso(t: datetime) -> str:
    return t.isoformat()


def _s(u: uuid.UUID | None) -> str | None:
    return None if u is None else str(u)


def export_package(
    project: Project,
    out: Path | str,
    *,
    years: Sequence[int] | None = None,
    units: Sequence[str] | None = None,
    author: str = "",
    signer: Any = None,
) -> ExportReport:
    """Write a team package with the chosen years (default: all) and units (default: all assessed)."""
    out = Path(out)
    if out.suffix.lower() != ".cchc":
        raise UserError(f"{out.name}: a team package file name ends with .cchc")
    try:
        check_text(author, "author")  # the manifest's author: a package no project could import is no use
    except FieldError as exc:
        raise UserError(f"the author {author[:40]!r}{'…' if len(author) > 40 else ''}: {exc}") from None
    if not out.parent.is_dir():
        raise UserError(f"cannot write {out}: the folder {out.parent} does not exist")
    device = this_device(project)
    info = project.info()
    with project.session() as s:
        q = (
            select(Assessment, Unit, Period)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
        )
        if years:
            q = q.where(Period.year.in_(list(years)))
        if units:
            q = q.where(Unit.code.in_(list(units)))
        rows = s.execute(q.order_by(Period.year, Unit.code)).all()
        if units:
            missing = sorted(set(units) - {u.code for _a, u, _p in rows})
            if missing:
                raise UserError(
                    f"no assessment for unit(s) {', '.join(missing)}"
                    + (f" in {', '.join(map(str, years))}" if years else "")
                )
        if not rows:
            raise UserError("nothing to export: no assessment matches")
        a_ids = [a.id for a, _u, _p in rows]
        set_ids = {a.criteria_set_id for a, _u, _p in rows}
        sets = s.scalars(select(CriteriaSet).where(CriteriaSet.id.in_(set_ids))).all()
        data: dict[str, Any] = {
            "project": {"id": str(info.id), "name": info.name, "province": info.province},
            "criteria_sets": [
                {
                    "id": str(c.id),
                    "code": c.code,
                    "version": c.version,
                    "year": c.year,
                    "title": c.title,
                    "sha256": c.sha256,
                    "document": c.document,
                }
                for c in sets
            ],
            "periods": sorted(
                (
                    {"id": str(p.id), "year": p.year, "title": p.title}
                    for p in {p.id: p for _a, _u, p in rows}.values()
                ),
                key=lambda p: p["year"],
            ),
            "units": sorted(
                (
                    {
                        "id": str(u.id),
                        "code": u.code,
                        "name": u.name,
                        "kind": u.kind,
                        "parent_code": u.parent_code,
                    }
                    for u in {u.id: u for _a, u, _p in rows}.values()
                ),
                key=lambda u: u["code"],
            ),
            "assessments": [
                {
                    "id": str(a.id),
                    "unit_id": str(a.unit_id),
                    "period_id": str(a.period_id),
                    "criteria_set_id": str(a.criteria_set_id),
                    "status": a.status,
                    "locked_stages": a.locked_stages,
                }
                for a, _u, _p in rows
            ],
        }
        scores: dict[uuid.UUID, dict[str, Any]] = {}
        revisions = 0
        for chunk in _chunks(a_ids, 500):
            for sc in s.execute(
                select(Score.id, Score.assessment_id, Score.criterion_code, Score.stage).where(
                    Score.assessment_id.in_(chunk)
                )
            ):
                scores[sc.id] = {
                    "id": str(sc.id),
                    "assessment_id": str(sc.assessment_id),
                    "criterion_code": sc.criterion_code,
                    "stage": sc.stage,
                    "revisions": [],
                }
            for r in s.execute(
                select(ScoreRevision)
                .join(Score, Score.id == ScoreRevision.score_id)
                .where(Score.assessment_id.in_(chunk))
            ).scalars():
                scores[r.score_id]["revisions"].append(
                    {
                        "id": str(r.id),
                        "revision": r.revision,
                        "value": r.value,
                        "points": r.points,
                        "not_applicable": r.not_applicable,
                        "note": r.note,
                        "author": r.author,
                        "device_id": r.device_id,
                        "time": _iso(r.time),
                        "base_revision_id": _s(r.base_revision_id),
                    }
                )
                revisions += 1
        for sc_data in scores.values():
            sc_data["revisions"].sort(key=lambda r: (r["revision"], r["id"]))
        data["scores"] = sorted(
            (v for v in scores.values() if v["revisions"]),
            key=lambda v: (v["assessment_id"], v["criterion_code"], v["stage"]),
        )
        evidence: list[Evidence] = []
        audits: list[AuditEvent] = []
        resolved: list[Conflict] = []
        for chunk in _chunks(a_ids, 500):
            evidence += s.scalars(select(Evidence).where(Evidence.assessment_id.in_(chunk))).all()
            audits += s.scalars(select(AuditEvent).where(AuditEvent.assessment_id.in_(chunk))).all()
            # only resolved ones: open conflicts follow from the revisions on the other side anyway, but a
            # decision does not (without it the superseded heads would be heads again there)
            resolved += s.scalars(
                select(Conflict).where(Conflict.assessment_id.in_(chunk), Conflict.status == "resolved")
            ).all()
        data["conflicts"] = sorted(
            (
                {
                    "id": str(c.id),
                    "assessment_id": str(c.assessment_id),
                    "criterion_code": c.criterion_code,
                    "stage": c.stage,
                    "head_ids": sorted(c.head_ids),
                    "base_revision_id": _s(c.base_revision_id),
                    "status": c.status,
                    "detected_at": _iso(c.detected_at),
                    "resolved_at": _iso(c.resolved_at),
                    "resolved_by": c.resolved_by,
                    "reason": c.reason,
                    "resolution_revision_id": str(c.resolution_revision_id),
                }
                for c in resolved
                # a record without its decision cannot be applied elsewhere (the import would refuse it)
                if c.resolution_revision_id is not None and c.resolved_at is not None
            ),
            key=lambda c: c["id"],
        )
        data["evidence"] = sorted(
            (
                {
                    "id": str(e.id),
                    "assessment_id": str(e.assessment_id),
                    "criterion_code": e.criterion_code,
                    "stage": e.stage,
                    "sha256": e.sha256,
                    "file_name": e.file_name,
                    "size": e.size,
                    "media_type": e.media_type,
                    "reference": e.reference,
                    "added_by": e.added_by,
                    "added_at": _iso(e.added_at),
                }
                for e in evidence
            ),
            key=lambda e: e["id"],
        )
        data["audit"] = sorted(
            (
                {
                    "id": str(e.id),
                    "time": _iso(e.time),
                    "author": e.author,
                    "role": e.role,
                    "device_id": e.device_id,
                    "action": e.action,
                    "assessment_id": _s(e.assessment_id),
                    "criterion_code": e.criterion_code,
                    "stage": e.stage,
                    "old": e.old,
                    "new": e.new,
                    "reason": e.reason,
                    **({} if e.link == UPGRADE or e.seq <= 0 else
                       {"chain": e.chain, "seq": e.seq, "prev_hash": e.prev_hash, "hash": e.hash}),
                }
                for e in audits
            ),
            key=lambda e: (e["time"], e["id"]),
        )
        set_ids_list = [{"code": c.code, "version": c.version, "sha256": c.sha256} for c in sets]
    package_id = str(uuid.uuid4())
    report = ExportReport(
        out,
        package_id,
        [u["code"] for u in data["units"]],
        [p["year"] for p in data["periods"]],
        assessments=len(rows),
        scores=len(data["scores"]),
        revisions=revisions,
        evidence=len(data["evidence"]),
        audit_events=len(data["audit"]),
        conflicts_resolved=len(data["conflicts"]),
    )
    raw = dump(data)
    files = {EVIDENCE_PREFIX + e["sha256"]: {"size": e["size"]} for e in data["evidence"]}
    _check_exportable(raw, data, files, out)
    writer = PackageWriter(out)
    try:
        writer.add_bytes(DATA, raw)
        store = project.evidence
        for sha in sorted({e["sha256"] for e in data["evidence"]}):
            try:
                with store.open(sha) as fh:
                    writer.add_file(EVIDENCE_PREFIX + sha, fh)
            except ProjectError as exc:
                raise UserError(f"cannot export: {exc}; restore the evidence folder from a backup") from exc
            report.evidence_files += 1
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "package_id": package_id,
            "project_id": str(info.id),
            "project_name": info.name,
            "device_id": device,
            "author": author,
            "created": _iso(utcnow()),
            "program": f"evaluator {__version__}",
            "years": report.years,
            "units": report.units,
            "criteria_sets": sorted(set_ids_list, key=lambda c: (c["code"], c["version"])),
        }
        writer.finish(manifest, signer)
    except SigningError as exc:
        writer.abort()
        raise UserError(str(exc)) from exc
    except BaseException:
        writer.abort()
        raise
    report.size = out.stat().st_size
    report.signed_by = signer.subject if signer is not None else ""
    return report


def _check_exportable(raw: bytes, data: dict[str, Any], entries: dict[str, Any], out: Path) -> None:
    """What export writes is what import reads: ``data.json`` goes through the importer's own checks
    first, so a value stored by an older version (a 453-character unit name, a control character in a
    note) is named here, before anything is written, instead of making a package no project can import."""
    from types import SimpleNamespace

    probe = _Incoming(cast(Package, SimpleNamespace(entries=entries, label=out.name)))
    try:
        _parse_data(probe, raw)
    except _Bad as exc:
        where = str(exc)
        m = re.match(r"(units|scores|evidence|audit)\[(\d+)\]", where)
        record = data[m.group(1)][int(m.group(2))] if m else {}
        named = (f"unit {record['code']}" if m and m.group(1) == "units"
                 else f"criterion {record.get('criterion_code')}" if record.get("criterion_code") else "")
        raise UserError(f"cannot export: {DATA}: {where}" + (f" ({named})" if named else "")
                        + "; correct it in the project, then export again") from None


def _chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]


# --- reading packages -------------------------------------------------------------------------------
class _Bad(Exception):
    pass


def _uuid(v: Any, where: str) -> uuid.UUID:
    if not isinstance(v, str):
        raise _Bad(f"{where}: not a UUID")
    try:
        return uuid.UUID(v)
    except ValueError:
        raise _Bad(f"{where}: {v!r} is not a UUID") from None


def _opt_uuid(v: Any, where: str) -> uuid.UUID | None:
    return None if v is None else _uuid(v, where)


def _str(v: Any, where: str, *, limit: int = 100_000, empty: bool = True, field: str | None = None) -> str:
    """Text under the rule of ``field`` (a key of ``fields.LIMITS``; by default the last key of ``where``
    when it is one, e.g. ``scores[0].revisions[1].note``): the same limits as every other importer. Text
    without such a field still never holds control characters or lone surrogates."""
    name = field or where.rsplit(".", 1)[-1]
    if name in LIMITS:
        try:
            return check_text(v, name, empty=empty)
        except FieldError as exc:
            raise _Bad(f"{where}: {exc}") from None
    if not isinstance(v, str) or len(v) > limit or (not empty and not v):
        raise _Bad(
            f"{where}: expected text" + (f" of at most {limit} characters" if isinstance(v, str) else "")
        )
    problem = bad_character(v, multiline=True)
    if problem is not None:
        raise _Bad(f"{where}: contains {problem}")
    return v


def _opt_str(v: Any, where: str, limit: int = 200, field: str | None = None) -> str | None:
    return None if v is None else _str(v, where, limit=limit, field=field)


def _int(v: Any, where: str) -> int:
    if not isinstance(v, int) or isinstance(v, bool) or not (-(2**62) < v < 2**62):
        raise _Bad(f"{where}: expected a whole number")
    return v


def _bool(v: Any, where: str) -> bool:
    if not isinstance(v, bool):
        raise _Bad(f"{where}: expected true or false")
    return v


def _time(v: Any, where: str) -> datetime:
    if not isinstance(v, str):
        raise _Bad(f"{where}: expected a time")
    try:
        t = datetime.fromisoformat(v)
    except ValueError:
        raise _Bad(f"{where}: {v!r} is not a time") from None
    if t.tzinfo is None or t.utcoffset() is None:
        raise _Bad(f"{where}: {v!r} has no time zone")
    try:
        t.astimezone(UTC)  # what the database stores: 0001-01-01 at +14:00 has no UTC time
    except OverflowError:
        raise _Bad(f"{where}: {v!r} is out of range") from None
    return t


def _points(v: Any, where: str) -> Decimal | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | Decimal):
        raise _Bad(f"{where}: expected a number")
    d = Decimal(v)
    # the size first (copy_abs: abs() rounds to the context and overflows on 1E+999999999), then the cents:
    # quantizing 1E+308 or 10**30 to cents raises (more digits than the context holds)
    if not d.is_finite() or d.copy_abs() >= 10**6 or d != d.quantize(CENT):
        raise _Bad(f"{where}: {_num(v)} is not a number of points with at most two decimals")
    return d.quantize(CENT)


def _num(v: Any) -> str:
    """A number for a message: never thousands of digits."""
    text = str(v)
    return text if len(text) <= 40 else f"{text[:20]}…({len(text)} digits)"


def _json_value(v: Any, where: str) -> Any:
    if v is not None and not isinstance(v, dict):
        raise _Bad(f"{where}: expected an object or null")
    return v


def _storable(v: Any, where: str) -> Any:
    """``v`` if the project can store it as JSON (the database would refuse 1E-400 or a lone surrogate
    in the middle of the write)."""
    huge = _huge_number(v)
    if huge is not None:  # storing 1E+999999999 would spell out a billion digits
        raise _Bad(f"{where}: cannot be stored: the number {_num(huge)} is out of range")
    try:
        dumps_json(v).encode("utf-8")
    except (TypeError, ValueError, OverflowError, RecursionError) as exc:
        raise _Bad(f"{where}: cannot be stored: {str(exc)[:200]}") from None
    return v


def _huge_number(v: Any, depth: int = 0) -> Decimal | None:
    """A number in ``v`` (nested objects and lists) whose exponent is beyond ±300, or None."""
    if isinstance(v, Decimal):
        return v if not v.is_finite() or abs(v.adjusted()) > 300 else None
    if depth > 100:  # deeper nesting is left to dumps_json's own recursion check
        return None
    items = v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()
    for item in items:
        found = _huge_number(item, depth + 1)
        if found is not None:
            return found
    return None


_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def _plain(d: Decimal) -> bool:
    """Whether the project stores ``d`` as it is (``dumps_json``: a whole number or an exact float)."""
    if not d.is_finite() or abs(d.adjusted()) > 300:
        return False
    return d == d.to_integral_value() or Decimal(repr(float(d))) == d


def _reject_constant(name: str) -> Any:
    raise _Bad(f"{name} is not a number a package may hold")


def _list(d: dict[str, Any], key: str, where: str) -> list[Any]:
    v = d.get(key)
    if not isinstance(v, list):
        raise _Bad(f"{where}: {key} must be a list")
    return v


def _obj(v: Any, where: str) -> dict[str, Any]:
    if not isinstance(v, dict):
        raise _Bad(f"{where}: expected an object")
    return v


@dataclass
class _Incoming:
    package: Package
    already: bool = False
    """Imported before (same manifest): nothing to read, nothing to merge."""
    signed_by: str = ""
    signature_note: str = ""
    project_id: uuid.UUID | None = None
    project_name: str = ""
    sets: list[dict[str, Any]] = field(default_factory=list)
    periods: dict[uuid.UUID, int] = field(default_factory=dict)
    period_titles: dict[int, str] = field(default_factory=dict)
    units: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    evidence: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    """Resolved conflicts (the decisions made on the exporting side)."""

    @property
    def label(self) -> str:
        return self.package.label


def _parse_data(inc: _Incoming, raw: bytes) -> None:
    """Check and convert ``data.json`` (raises ``_Bad`` naming the place)."""
    odd: list[str] = []

    def number(text: str) -> Decimal:
        d = Decimal(text)
        if not odd and not _plain(d):
            odd.append(text)
        return d

    try:
        text = raw.decode("utf-8")
        # fractions as Decimal (as ``loads_json``); NaN and Infinity are not numbers a project stores
        data = json.loads(text, parse_float=number, parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _Bad(f"{DATA} is not valid JSON: {exc}") from exc
    # free-form values (a score's value, an audit event's old/new) are checked one by one only when the
    # text holds something the database could not store: a number no float holds, an escaped surrogate
    careful = bool(odd) or _SURROGATE_ESCAPE.search(text) is not None
    data = _obj(data, DATA)
    project = _obj(data.get("project"), "project")
    inc.project_id = _uuid(project.get("id"), "project.id")
    inc.project_name = _str(project.get("name", ""), "project.name", field="project.name")
    for i, c in enumerate(_list(data, "criteria_sets", DATA)):
        w = f"criteria_sets[{i}]"
        c = _obj(c, w)
        inc.sets.append(
            {
                "id": _uuid(c.get("id"), f"{w}.id"),
                "code": _str(c.get("code"), f"{w}.code", limit=100),
                "version": _int(c.get("version"), f"{w}.version"),
                "year": _year(c.get("year"), f"{w}.year"),
                "title": _str(c.get("title", ""), f"{w}.title"),
                "sha256": _str(c.get("sha256"), f"{w}.sha256", limit=64),
                "document": _str(c.get("document"), f"{w}.document", limit=50_000_000),
            }
        )
    for i, p in enumerate(_list(data, "periods", DATA)):
        w = f"periods[{i}]"
        p = _obj(p, w)
        year = _year(p.get("year"), f"{w}.year")
        inc.periods[_uuid(p.get("id"), f"{w}.id")] = year
        inc.period_titles[year] = _str(p.get("title", ""), f"{w}.title", field="period.title")
    for i, u in enumerate(_list(data, "units", DATA)):
        w = f"units[{i}]"
        u = _obj(u, w)
        inc.units.append(
            {
                "id": _uuid(u.get("id"), f"{w}.id"),
                "code": _str(u.get("code"), f"{w}.code", empty=False, field="unit.code"),
                "name": _str(u.get("name"), f"{w}.name", field="unit.name"),
                "kind": _str(u.get("kind"), f"{w}.kind", field="unit.kind"),
                "parent_code": _opt_str(u.get("parent_code"), f"{w}.parent_code", field="unit.code"),
            }
        )
    for i, a in enumerate(_list(data, "assessments", DATA)):
        w = f"assessments[{i}]"
        a = _obj(a, w)
        status = _str(a.get("status", "self_assessment"), f"{w}.status", limit=32)
        if status not in STATES:
            raise _Bad(f"{w}.status: unknown status {status!r}")
        inc.assessments.append(
            {
                "id": _uuid(a.get("id"), f"{w}.id"),
                "unit_id": _uuid(a.get("unit_id"), f"{w}.unit_id"),
                "period_id": _uuid(a.get("period_id"), f"{w}.period_id"),
                "criteria_set_id": _uuid(a.get("criteria_set_id"), f"{w}.criteria_set_id"),
                "status": status,
                "locked_stages": _str(a.get("locked_stages", ""), f"{w}.locked_stages", limit=200),
            }
        )
    for i, sc in enumerate(_list(data, "scores", DATA)):
        w = f"scores[{i}]"
        sc = _obj(sc, w)
        stage = _str(sc.get("stage"), f"{w}.stage", limit=32)
        if stage not in ALL_STAGES:
            raise _Bad(f"{w}.stage: unknown stage {stage!r}")
        revs = []
        for j, r in enumerate(_list(sc, "revisions", w)):
            wr = f"{w}.revisions[{j}]"
            r = _obj(r, wr)
            rid = _uuid(r.get("id"), f"{wr}.id")
            base = _opt_uuid(r.get("base_revision_id"), f"{wr}.base_revision_id")
            if base == rid:
                raise _Bad(f"{wr}: a revision cannot build on itself")
            revision = _int(r.get("revision"), f"{wr}.revision")
            if revision < 0:
                raise _Bad(f"{wr}.revision: must not be negative")
            revs.append(
                Rev(
                    rid,
                    revision,
                    base,
                    _json_value(r.get("value"), f"{wr}.value"),
                    _points(r.get("points"), f"{wr}.points"),
                    _bool(r.get("not_applicable", False), f"{wr}.not_applicable"),
                    _str(r.get("note", ""), f"{wr}.note"),
                    _str(r.get("author", ""), f"{wr}.author", limit=200),
                    _str(r.get("device_id", ""), f"{wr}.device_id", limit=100),
                    _time(r.get("time"), f"{wr}.time"),
                )
            )
        if not revs:
            raise _Bad(f"{w}: a score without revisions")
        inc.scores.append(
            {
                "id": _uuid(sc.get("id"), f"{w}.id"),
                "assessment_id": _uuid(sc.get("assessment_id"), f"{w}.assessment_id"),
                "criterion_code": _str(sc.get("criterion_code"), f"{w}.criterion_code", limit=64),
                "stage": stage,
                "revisions": revs,
                "where": w,
            }
        )
    for i, e in enumerate(_list(data, "evidence", DATA)):
        w = f"evidence[{i}]"
        e = _obj(e, w)
        sha = _str(e.get("sha256"), f"{w}.sha256", limit=64)
        name = e.get("file_name")
        problem = file_name_problem(name)
        if problem is not None:  # a display name only: never a path the import could be led along
            raise _Bad(f"{w}.file_name: {name!r} {problem}; refused")
        size = _int(e.get("size"), f"{w}.size")
        entry = inc.package.entries.get(EVIDENCE_PREFIX + sha)
        if size < 0 or (entry is not None and size != entry["size"]):
            raise _Bad(f"{w}.size: {size} is not the size of its file")
        ev_stage = _opt_str(e.get("stage"), f"{w}.stage", 32)
        if ev_stage is not None and ev_stage not in ALL_STAGES:
            raise _Bad(f"{w}.stage: unknown stage {ev_stage!r}")
        if EVIDENCE_PREFIX + sha not in inc.package.entries:
            raise _Bad(f"{w}: its file evidence/{sha} is not in the package")
        inc.evidence.append(
            {
                "id": _uuid(e.get("id"), f"{w}.id"),
                "assessment_id": _uuid(e.get("assessment_id"), f"{w}.assessment_id"),
                "criterion_code": _str(e.get("criterion_code"), f"{w}.criterion_code", limit=64),
                "stage": ev_stage,
                "sha256": sha,
                "file_name": name,
                "size": size,
                "media_type": _str(e.get("media_type", ""), f"{w}.media_type", limit=200),
                "reference": _str(e.get("reference", ""), f"{w}.reference"),
                "added_by": _str(e.get("added_by", ""), f"{w}.added_by", field="author"),
                "added_at": _time(e.get("added_at"), f"{w}.added_at"),
            }
        )
    for i, e in enumerate(_list(data, "audit", DATA)):
        w = f"audit[{i}]"
        e = _obj(e, w)
        inc.audit.append(
            {
                "id": _uuid(e.get("id"), f"{w}.id"),
                "time": _time(e.get("time"), f"{w}.time"),
                "author": _str(e.get("author", ""), f"{w}.author", limit=200),
                "role": _str(e.get("role", ""), f"{w}.role", limit=64),
                "device_id": _str(e.get("device_id", ""), f"{w}.device_id", limit=100),
                "action": _str(e.get("action"), f"{w}.action", limit=64, empty=False),
                "assessment_id": _opt_uuid(e.get("assessment_id"), f"{w}.assessment_id"),
                "criterion_code": _opt_str(e.get("criterion_code"), f"{w}.criterion_code", 64),
                "stage": _opt_str(e.get("stage"), f"{w}.stage", 32),
                "old": e.get("old"),
                "new": e.get("new"),
                "reason": _str(e.get("reason", ""), f"{w}.reason"),
                **_audit_link(e, w),
            }
        )
    _check_references(inc, careful)
    if "conflicts" in data:  # optional: packages written before decisions travelled have none
        assessments = {a["id"] for a in inc.assessments}
        for i, c in enumerate(_list(data, "conflicts", DATA)):
            rec = _parse_conflict(_obj(c, f"conflicts[{i}]"), f"conflicts[{i}]")
            if rec["assessment_id"] not in assessments:
                raise _Bad(f"conflicts[{i}].assessment_id: not an assessment of this package")
            inc.conflicts.append(rec)


def _year(v: Any, where: str) -> int:
    try:
        return check_year(v)
    except FieldError as exc:
        raise _Bad(f"{where}: {str(exc)[:200]}") from None


def _check_references(inc: _Incoming, careful: bool) -> None:
    """Every record names records of this package: one that points at something missing would otherwise
    be dropped without a word (345 of 346 scores imported)."""
    units = {u["id"] for u in inc.units}
    sets = {c["id"]: c["year"] for c in inc.sets}
    for i, a in enumerate(inc.assessments):
        w = f"assessments[{i}]"
        for key, known in (("unit_id", units), ("period_id", inc.periods), ("criteria_set_id", sets)):
            if a[key] not in known:
                raise _Bad(f"{w}.{key}: {a[key]} is not a {key[:-3].replace('_', ' ')} of this package")
        problem = year_pair_problem(inc.periods[a["period_id"]], sets[a["criteria_set_id"]])
        if problem is not None:
            raise _Bad(f"{w}: {problem}")
    assessments = {a["id"] for a in inc.assessments}
    for records, name in ((inc.scores, "scores"), (inc.evidence, "evidence"), (inc.audit, "audit")):
        for i, r in enumerate(records):
            if r["assessment_id"] is not None and r["assessment_id"] not in assessments:
                raise _Bad(f"{name}[{i}].assessment_id: {r['assessment_id']} is not an assessment of "
                           "this package")
    if careful:
        for i, sc in enumerate(inc.scores):
            for j, r in enumerate(sc["revisions"]):
                _storable(r.value, f"scores[{i}].revisions[{j}].value")
        for i, e in enumerate(inc.audit):
            _storable(e["old"], f"audit[{i}].old")
            _storable(e["new"], f"audit[{i}].new")


def _audit_link(e: dict[str, Any], w: str) -> dict[str, Any]:
    """An audit entry's place in its device's hash chain (``models.audit_chain``): chain, seq, prev_hash and
    hash, all four or none (packages of older programs have none: ``chain`` is then None)."""
    given = [k for k in ("chain", "seq", "prev_hash", "hash") if k in e]
    if not given:
        return {"chain": None, "where": w}
    if len(given) < 4:
        raise _Bad(f"{w}: chain, seq, prev_hash and hash go together (only {', '.join(given)} given)")
    seq = _int(e["seq"], f"{w}.seq")
    if seq < 1:
        raise _Bad(f"{w}.seq: must be 1 or more")
    for k in ("prev_hash", "hash"):
        if not (is_hash(e[k]) or (k == "prev_hash" and e[k] == "")):
            raise _Bad(f"{w}.{k}: expected 64 hexadecimal digits")
    return {"chain": _str(e["chain"], f"{w}.chain", limit=120, empty=False), "seq": seq,
            "prev_hash": e["prev_hash"], "hash": e["hash"], "where": w}


def _parse_conflict(c: dict[str, Any], w: str) -> dict[str, Any]:
    """One resolved conflict of ``data.json`` (whether its revisions exist is checked by the merge)."""
    status = c.get("status")
    if status != "resolved":
        # open conflicts are not exported: they follow from the revisions on every side
        raise _Bad(f"{w}.status: expected 'resolved', not {status!r}")
    a_id = _uuid(c.get("assessment_id"), f"{w}.assessment_id")
    leaf = _str(c.get("criterion_code"), f"{w}.criterion_code", limit=64, empty=False)
    stage = _str(c.get("stage"), f"{w}.stage", limit=32)
    if stage not in ALL_STAGES:
        raise _Bad(f"{w}.stage: unknown stage {stage!r}")
    raw = c.get("head_ids")
    if not isinstance(raw, list) or len(raw) < 2:
        raise _Bad(f"{w}.head_ids: expected a list of at least two revision ids")
    heads = [_uuid(h, f"{w}.head_ids[{j}]") for j, h in enumerate(raw)]
    if len(set(heads)) != len(heads):
        raise _Bad(f"{w}.head_ids: a revision is named twice")
    resolution = _uuid(c.get("resolution_revision_id"), f"{w}.resolution_revision_id")
    if resolution in heads:
        raise _Bad(f"{w}.resolution_revision_id: the decision cannot be one of the competing values")
    cid = _uuid(c.get("id"), f"{w}.id")
    if cid != conflict_id_of(a_id, leaf, stage, heads):
        # the id is derived from what conflicts: a record that does not fit it is damaged or crafted
        raise _Bad(f"{w}.id: does not fit its assessment_id, criterion_code, stage and head_ids")
    return {
        "id": cid,
        "assessment_id": a_id,
        "criterion_code": leaf,
        "stage": stage,
        "head_ids": tuple(sorted(heads)),
        "base_revision_id": _opt_uuid(c.get("base_revision_id"), f"{w}.base_revision_id"),
        "detected_at": _time(c.get("detected_at"), f"{w}.detected_at"),
        "resolved_at": _time(c.get("resolved_at"), f"{w}.resolved_at"),
        "resolved_by": _str(c.get("resolved_by", ""), f"{w}.resolved_by", limit=200),
        "reason": _str(c.get("reason", ""), f"{w}.reason"),
        "resolution_revision_id": resolution,
        "where": w,
    }


def read_packages(
    paths: Sequence[Path | str],
    problems: _Problems,
    trust_files: Sequence[Path | str] = (),
    known: frozenset[str] | set[str] = frozenset(),
    progress: Progress = no_progress,
    share: float = 1.0,
    trusted_pem: Sequence[str] = (),
) -> list[_Incoming]:
    """Open and check every package; parse the data of those whose manifest is not in ``known``
    (packages imported before: their records are all in the project already). The zips are closed.
    ``progress`` goes from 0 to ``share`` over the packages. With trusted certificates (``trust_files``
    or ``trusted_pem``, the project's ``exchange.trust`` setting) every package must be signed by one."""
    trusted = None
    if trust_files or trusted_pem:
        try:
            trusted = load_trusted(trust_files) + trusted_from_pem(trusted_pem, f"setting {TRUST_SETTING}")
        except SigningError as exc:
            raise UserError(str(exc)) from exc
    found: list[_Incoming] = []
    for done, p in enumerate(paths):
        progress(share * done / len(paths), "read")
        try:
            package = open_package(p)
        except PackageError as exc:
            problems.add(str(exc))
            continue
        inc = _Incoming(package, project_id=uuid.UUID(package.manifest["project_id"]))
        found.append(inc)
        try:
            inc.already = package.manifest_sha256 in known
            # every entry, even of a package imported before: a damaged copy is not "nothing new"
            package.verify_all(skip=() if inc.already else (DATA,))
            if package.signature is None and trusted is not None:
                # removing the signature must not get a package past the trust list
                raise PackageError(
                    f"{inc.label}: not signed, but only packages signed by a trusted certificate are "
                    "accepted here" + ("" if trust_files else f" (setting {TRUST_SETTING})")
                )
            if package.signature is not None:
                check = check_signature(
                    package.manifest_bytes,
                    package.signature,
                    trusted,
                    at=datetime.fromisoformat(package.manifest["created"]),
                )
                if not check.valid:
                    raise PackageError(f"{inc.label}: broken signature: {check.problem}")
                if check.trusted is False:
                    raise PackageError(f"{inc.label}: signed by {check.subject}, who is not trusted")
                inc.signed_by = check.subject
                inc.signature_note = "; ".join(check.notes)
            if not inc.already:
                _parse_data(inc, package.read(DATA))
        except PackageError as exc:
            problems.add(str(exc))
        except _Bad as exc:
            problems.add(f"{inc.label}: {DATA}: {exc}")
        finally:
            package.close()  # reopened for the evidence files (a thousand open zips would exhaust handles)
        if inc.project_id is not None and str(inc.project_id) != package.manifest["project_id"]:
            problems.add(
                f"{inc.label}: the data names project {inc.project_id}, the manifest "
                f"{package.manifest['project_id']}"
            )
        declared = {(c["code"], c["version"], c["sha256"]) for c in package.manifest["criteria_sets"]}
        if inc.sets and declared != {(c["code"], c["version"], c["sha256"]) for c in inc.sets}:
            problems.add(f"{inc.label}: the criteria sets in the data differ from the manifest's")
    return found


# --- the import report ------------------------------------------------------------------------------
@dataclass
class PackageImportReport:
    files: list[str]
    dry_run: bool
    signatures: dict[str, str] = field(default_factory=dict)
    """file → signer subject ('' when not signed)."""
    units_new: int = 0
    assessments_new: int = 0
    scores_new: int = 0
    scores_updated: int = 0
    scores_identical: int = 0
    scores_conflicting: int = 0
    revisions_new: int = 0
    evidence_new: int = 0
    evidence_identical: int = 0
    evidence_files_new: int = 0
    audit_new: int = 0
    duplicates: list[str] = field(default_factory=list)
    """Probable duplicates: the same unit code with another UUID (not imported)."""
    merged_units: list[str] = field(default_factory=list)
    """Probable duplicates merged into the project's unit of the same code (``merge_duplicates``)."""
    skipped: int = 0
    """Records of probable-duplicate units that were not imported."""
    conflicts: list[str] = field(default_factory=list)
    """New conflicts: unit, year, leaf and stage."""
    conflicts_resolved: int = 0
    """Conflicts the packages bring resolved that the project had open or did not have."""
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    backup: str = ""
    years: set[int] = field(default_factory=set)
    already_imported: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.units_new
            or self.merged_units  # even without new records: the alias is worth remembering
            or self.assessments_new
            or self.revisions_new
            or self.evidence_new
            or self.audit_new
            or self.conflicts_resolved  # a decision alone (on revisions the project has) is worth writing
        )

    def summary(self) -> dict[str, Any]:
        return {
            "kind": "team-package",
            "files": self.files,
            "dry_run": self.dry_run,
            "signatures": self.signatures,
            "years": sorted(self.years),
            "units_new": self.units_new,
            "assessments_new": self.assessments_new,
            "scores_new": self.scores_new,
            "scores_updated": self.scores_updated,
            "scores_identical": self.scores_identical,
            "scores_conflicting": self.scores_conflicting,
            "revisions_new": self.revisions_new,
            "evidence_new": self.evidence_new,
            "evidence_identical": self.evidence_identical,
            "audit_new": self.audit_new,
            "duplicates": self.duplicates,
            "merged_units": self.merged_units,
            "skipped": self.skipped,
            "conflicts": self.conflicts,
            "conflicts_resolved": self.conflicts_resolved,
            "changes": self.changes[:1000],
            "warnings": self.warnings,
            "backup": self.backup,
            "already_imported": self.already_imported,
        }

    def render(self) -> str:
        head = (
            "Dry run — nothing was written."
            if self.dry_run
            else ("Imported." if self.changed else "Nothing new: the project already had everything.")
        )
        lines = [head, f"  packages: {', '.join(self.files)}"]
        for name, who in self.signatures.items():
            lines.append(f"    {name}: {'signed by ' + who if who else 'not signed'}")
        merged = f", {len(self.merged_units)} merged" if self.merged_units else ""
        lines += [
            f"  units: {self.units_new} new, {len(self.duplicates)} probable duplicate(s){merged}",
            f"  assessments: {self.assessments_new} new",
            f"  scores: {self.scores_new} new, {self.scores_updated} updated, {self.scores_identical} "
            f"identical, {self.scores_conflicting} conflicting ({self.revisions_new} new revision(s))",
            f"  evidence: {self.evidence_new} new, {self.evidence_identical} identical; "
            f"audit events: {self.audit_new} new",
        ]
        if self.conflicts_resolved:
            lines.append(f"  conflicts resolved by the packages' decisions: {self.conflicts_resolved}")
        if self.backup:
            lines.append(f"  backup of the project before the import: {self.backup}")
        for title, items in (
            (
                "probable duplicates (not imported; import again with --merge-duplicates to merge them)",
                self.duplicates,
            ),
            ("units merged into the project's unit of the same code", self.merged_units),
            ("conflicts (see `evaluator conflicts list`)", self.conflicts),
            ("changes", self.changes),
            ("warnings", self.warnings),
        ):
            if items:
                lines.append(f"  {title} ({len(items)}):")
                lines += [f"    - {x}" for x in items[:MAX_LISTED]]
                if len(items) > MAX_LISTED:
                    lines.append(f"    … and {len(items) - MAX_LISTED} more (see the import log)")
        return "\n".join(lines)


# --- import -----------------------------------------------------------------------------------------
def import_packages(
    project: Project,
    paths: Sequence[Path | str],
    *,
    dry_run: bool = False,
    author: str = "",
    trust_files: Sequence[Path | str] = (),
    merge_duplicates: bool = False,
    progress: Progress = no_progress,
) -> PackageImportReport:
    """Import team packages into the committee's project (see the module docstring).

    ``merge_duplicates``: a unit with the code of a project unit (or, in one run, of the kept incoming
    unit with the lowest UUID) but another UUID — the same unit created on two laptops — is merged into
    that unit instead of being reported and skipped; its records then merge by natural key like any
    other. A real import remembers the merge (``unit_alias``), so later packages from that laptop map
    onto the unit without the flag.

    Raises ``UserError`` listing every problem when anything is wrong; the project is then unchanged.
    ``progress`` (``services.progress``) may raise to cancel, with the same result.
    """
    collecting = gc.isenabled()
    gc.disable()  # hundreds of thousands of small records: the cyclic collector would rescan them all often
    try:
        return _import_packages(
            project,
            paths,
            dry_run=dry_run,
            author=author,
            trust_files=trust_files,
            merge_duplicates=merge_duplicates,
            progress=progress,
        )
    finally:
        if collecting:
            gc.enable()


def _import_packages(
    project: Project,
    paths: Sequence[Path | str],
    *,
    dry_run: bool,
    author: str,
    trust_files: Sequence[Path | str],
    merge_duplicates: bool,
    progress: Progress,
) -> PackageImportReport:
    problems = _Problems()
    with project.session() as session:
        known = set(session.scalars(select(PackageImport.manifest_sha256)))
    incoming = read_packages(
        paths, problems, trust_files, known, progress, share=0.6, trusted_pem=trust_setting(project)
    )
    try:
        problems.raise_if_any()
        report = PackageImportReport(
            files=[Path(p).name for p in paths],
            dry_run=dry_run,
            signatures={i.label: i.signed_by for i in incoming},
        )
        new_files: list[Path] = []
        try:
            with project.session(write=not dry_run) as session:
                progress(0.6, "check")
                merge = _Merge(session, incoming, report, problems, merge_duplicates=merge_duplicates)
                merge.plan()
                problems.raise_if_any()
                if dry_run or not report.changed:
                    session.rollback()  # a dry run, or nothing new: the project is left exactly as it was
                    return report
                if report.changed and project.path is not None:
                    from evaluator.services.backups import backup_before_import

                    report.backup = str(backup_before_import(project))
                progress(0.7, "write")
                new_files = merge.store_evidence(project)
                try:
                    merge.write(author)
                except IntegrityError as exc:
                    raise UserError(
                        "import refused, nothing was written: a package reuses ids of other "
                        f"records in this project ({exc.orig})"
                    ) from exc
                log = ImportLog(
                    author=author,
                    source=", ".join(report.files),
                    source_sha256=",".join(i.package.manifest_sha256 for i in incoming),
                    summary=report.summary(),
                    dry_run=False,
                )
                session.add(log)
                session.flush()
                merge.record_packages(log.id)
                progress(1.0, "write")  # the last moment a cancel still leaves the project as it was
        except BaseException:
            for f in new_files:
                f.unlink(missing_ok=True)
            raise
        return report
    finally:
        for inc in incoming:
            inc.package.close()


Key = tuple[uuid.UUID, str, str]


def _revision_problem(node: Any, kind: str, r: Rev) -> str | None:
    """Why a revision's points are not what the app stores for it (or None). ``set_score`` keeps a value
    with the points its rule computes (None for relative rules and not-applicable), a not-applicable mark
    without points, or points typed in without a value (a decision, a workbook, a cleared stage)."""
    if r.value is not None:
        try:
            result = evaluate(node, kind, r.value)
        except InputError as exc:
            return f"its value does not fit the rule: {exc}"
        except ArithmeticError:  # e.g. a count of 1E+999999999 overflows the decimal context
            return "its value holds a number too large or too small to score"
        if (result.points, result.not_applicable) != (r.points, r.not_applicable):
            want = "not applicable" if result.not_applicable else f"{result.points} points"
            have = "not applicable" if r.not_applicable else f"{r.points} points"
            return f"its value gives {want} under the criteria set's rule, the package says {have}"
        return None
    if r.not_applicable:
        if r.points is not None:
            return "not applicable, yet it has points"
        if not node.not_applicable_allowed:
            return f"criterion {node.code} cannot be marked not applicable"
        return None
    if r.points is not None:
        try:
            check_points(node, kind, r.points)
        except InputError as exc:
            return str(exc)
    return None


def _unit_field(unit: Unit | dict[str, Any], name: str) -> Any:
    """A field of a project unit or of a unit planned in this run."""
    return getattr(unit, name) if isinstance(unit, Unit) else unit[name]


class _Merge:
    """Plans the import (all checks, every decision) and then writes it with bulk statements."""

    def __init__(
        self,
        session: Session,
        incoming: list[_Incoming],
        report: PackageImportReport,
        problems: _Problems,
        *,
        merge_duplicates: bool = False,
    ):
        self.s = session
        self.incoming = incoming
        self.report = report
        self.problems = problems
        self.merge_duplicates = merge_duplicates
        self.new_aliases: list[dict[str, Any]] = []
        """Units merged in this run: remembered (``unit_alias``) and audited when written."""
        self.partial: set[str] = set()
        """Manifest hashes of packages whose duplicate units were skipped: not recorded as imported, so
        that importing them again with ``merge_duplicates`` still brings those records."""
        self.new_sets: list[CriteriaSet] = []
        self.new_periods: dict[int, Period] = {}
        self.new_units: list[dict[str, Any]] = []
        self.new_assessments: list[dict[str, Any]] = []
        self.score_inserts: list[dict[str, Any]] = []
        self.score_updates: list[dict[str, Any]] = []
        self.revision_inserts: list[dict[str, Any]] = []
        self.conflict_deletes: list[uuid.UUID] = []
        self.conflict_inserts: list[dict[str, Any]] = []
        self.conflict_resolves: list[dict[str, Any]] = []
        """Open conflicts of the project that a package brings decided (``b_id`` and the decision)."""
        self.resolve_events: list[dict[str, Any]] = []
        """``conflict.resolve`` audit events of the decisions applied (written unless already there)."""
        self.evidence_inserts: list[dict[str, Any]] = []
        self.evidence_files: dict[str, _Incoming] = {}
        self.audit_inserts: list[dict[str, Any]] = []
        self.audit_gaps_filled: list[uuid.UUID] = []
        """Imported events whose missing predecessor this import brings (their ``gap`` link is closed)."""

    # -- planning ------------------------------------------------------------------------------------
    def plan(self) -> None:
        s, problems = self.s, self.problems
        info = s.scalars(select(ProjectInfo)).first()
        assert info is not None
        for inc in self.incoming:
            if inc.project_id != info.id:
                problems.add(
                    f"{inc.label}: the package belongs to project {inc.project_id} "
                    f"({inc.project_name or 'no name'}), this project is {info.id} ({info.name}); "
                    "team packages are imported into the project their copy came from"
                )
        if problems.items:
            return
        self.report.already_imported = [i.label for i in self.incoming if i.already]
        set_map = self._criteria_sets()
        if problems.items:
            return
        period_ids = self._periods()
        unit_map, skipped_units = self._units()
        assessment_map = self._assessments(set_map, period_ids, unit_map, skipped_units)
        if problems.items:
            return
        self._scores(assessment_map)
        if problems.items:
            return
        self._evidence(assessment_map)
        self._audit(assessment_map)

    def _criteria_sets(self) -> dict[uuid.UUID, CriteriaSet]:
        local = self.s.scalars(select(CriteriaSet)).all()
        by_identity = {(row.code, row.version): row for row in local}
        versions: dict[str, list[int]] = defaultdict(list)
        for existing in local:
            versions[existing.code].append(existing.version)
        out: dict[uuid.UUID, CriteriaSet] = {}
        for inc in self.incoming:
            for c in inc.sets:
                row = by_identity.get((c["code"], c["version"]))
                if row is not None:
                    if row.sha256 != c["sha256"]:
                        self.problems.add(
                            f"{inc.label}: criteria set {c['code']}@{c['version']} has fingerprint "
                            f"{c['sha256'][:12]}… in the package but {row.sha256[:12]}… in this project: "
                            "the set was changed without a new version number"
                        )
                        continue
                elif versions.get(c["code"]):
                    have = ", ".join(str(v) for v in sorted(versions[c["code"]]))
                    self.problems.add(
                        f"{inc.label}: the package was made for criteria set {c['code']} "
                        f"version {c['version']}; "
                        f"this project uses {c['code']} version {have}. Import refused: load the same set "
                        "version on both sides first"
                    )
                    continue
                else:
                    try:
                        fw = rebuild_framework(
                            c["document"],
                            c["sha256"],
                            source=f"{inc.label}: criteria set {c['code']}@{c['version']}",
                        )
                    except ProjectError as exc:
                        self.problems.add(str(exc))
                        continue
                    row = CriteriaSet.from_framework(fw)
                    row.id = c["id"] if self.s.get(CriteriaSet, c["id"]) is None else new_id()
                    self.s.add(row)
                    self.new_sets.append(row)
                    by_identity[(c["code"], c["version"])] = row
                    versions[c["code"]].append(c["version"])
                out[c["id"]] = row
        if self.new_sets:
            self.s.flush()
        return out

    def _periods(self) -> dict[int, uuid.UUID]:
        local = {p.year: p.id for p in self.s.scalars(select(Period))}
        for inc in self.incoming:
            for year in inc.periods.values():
                if year not in local:
                    p = Period(year=year, title=inc.period_titles.get(year) or f"Năm {year}")
                    self.s.add(p)
                    self.s.flush()
                    local[year] = p.id
                    self.new_periods[year] = p
        return local

    def _units(self) -> tuple[dict[uuid.UUID, Unit | dict[str, Any]], set[uuid.UUID]]:
        """Incoming unit id → the project's unit (a ``Unit`` or a planned new row), and the ids of
        probable duplicates whose records are skipped."""
        by_id = {u.id: u for u in self.s.scalars(select(Unit))}
        by_code = {u.code: u for u in by_id.values()}
        aliases = {a.foreign_unit_id: a.unit_id for a in self.s.scalars(select(UnitAlias))}
        out: dict[uuid.UUID, Unit | dict[str, Any]] = {}
        skipped: set[uuid.UUID] = set()
        offered: dict[str, dict[uuid.UUID, tuple[dict[str, Any], _Incoming]]] = defaultdict(dict)
        for inc in self.incoming:
            for u in inc.units:
                known = by_id.get(u["id"])
                how = "same id"
                if known is None and u["id"] in aliases:  # merged before: the same unit, without asking
                    known, how = by_id[aliases[u["id"]]], "merged before"
                if known is not None:
                    if known.code != u["code"]:
                        self.report.warnings.append(
                            f"{inc.label}: unit {u['code']} is {known.code} in this "
                            f"project ({how}); kept as the project has it"
                        )
                    out[u["id"]] = known
                    continue
                offered[u["code"]].setdefault(u["id"], (u, inc))
        for code, choices in sorted(offered.items()):
            local = by_code.get(code)
            ids = sorted(choices)  # the lowest UUID is kept: the same choice whatever the package order
            keep = None if local is not None else ids[0]
            kept: Unit | dict[str, Any] | None = local
            for uid in ids:
                u, inc = choices[uid]
                if uid == keep:
                    row = {
                        "id": uid,
                        "code": code,
                        "name": u["name"],
                        "kind": u["kind"],
                        "parent_code": u["parent_code"],
                        "created_at": utcnow(),
                    }
                    self.new_units.append(row)
                    out[uid] = kept = row
                    self.report.units_new += 1
                    self.report.changes.append(f"new unit {code} {u['name']}")
                    continue
                assert kept is not None
                if self.merge_duplicates:
                    if self._merge_unit(u, inc, kept):
                        out[uid] = kept
                    else:  # refused (a problem): keep its records out of the other checks' messages
                        skipped.add(uid)
                    continue
                other = _unit_field(kept, "id")
                self.report.duplicates.append(
                    f"{inc.label}: unit {code} ({u['name']}) has id {uid}, but the project has unit {code} "
                    f"with id {other}: probably the same unit created on two laptops; its records were not "
                    "imported (import again with --merge-duplicates to merge them into that unit)"
                )
                skipped.add(uid)
        for inc in self.incoming:
            if any(u["id"] in skipped for u in inc.units):
                self.partial.add(inc.package.manifest_sha256)
        return out, skipped

    def _merge_unit(self, u: dict[str, Any], inc: _Incoming, target: Unit | dict[str, Any]) -> bool:
        """Plan merging the incoming unit ``u`` into ``target`` (same code); False when refused."""
        code, name, kind = (_unit_field(target, f) for f in ("code", "name", "kind"))
        where = f"{inc.label}: unit {u['code']} ({u['name']}, id {u['id']})"
        into = f"the project's unit {code} ({name}, id {_unit_field(target, 'id')})"
        there = "in this project"
        if not isinstance(target, Unit):
            into = f"unit {code} ({name}, id {target['id']}) imported in this run"
            there = "in the unit imported in this run"
        if u["kind"] != kind:
            # different kinds are scored against different criteria sets: not the same unit
            self.problems.add(
                f"{where} is a {u['kind']}, but {into} is a {kind}: they cannot be merged; correct the "
                "unit on one side first"
            )
            return False
        if u["name"] != name:
            self.report.warnings.append(
                f"{where} is named {u['name']!r} in the package and {name!r} {there}; merged, "
                f"the name {name!r} is kept"
            )
        self.report.merged_units.append(f"{where} merged into {into}")
        self.report.changes.append(f"merged unit {u['code']} {u['name']} into {code} {name}")
        self.new_aliases.append(
            {
                "foreign_unit_id": u["id"],
                "unit_id": _unit_field(target, "id"),
                "code": u["code"],
                "name": u["name"],
                "device_id": inc.package.manifest["device_id"][:100],
                "source": inc.label,
                "package_id": inc.package.manifest["package_id"],
            }
        )
        return True

    def _assessments(
        self,
        set_map: dict[uuid.UUID, CriteriaSet],
        period_ids: dict[int, uuid.UUID],
        unit_map: dict[uuid.UUID, Unit | dict[str, Any]],
        skipped_units: set[uuid.UUID],
    ) -> dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]:
        """Incoming assessment id → (local id, framework, unit kind, year, unit code)."""
        local = self.s.execute(
            select(Assessment.id, Assessment.unit_id, Assessment.period_id, Assessment.criteria_set_id)
        ).all()
        by_id = {r.id: r for r in local}
        by_key = {(r.unit_id, r.period_id): r for r in local}
        sets = {c.id: c for c in self.s.scalars(select(CriteriaSet))}
        out: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]] = {}
        planned: dict[tuple[uuid.UUID, uuid.UUID], tuple[uuid.UUID, CriteriaSet]] = {}

        def own_first(pair: tuple[_Incoming, dict[str, Any]]) -> tuple[bool, uuid.UUID]:
            # several packages may bring an assessment the project lacks for one unit and year (merged
            # units always do): the unit's own one, else the lowest id, becomes it, in any package order
            a = pair[1]
            unit = unit_map.get(a["unit_id"])
            return (unit is not None and _unit_field(unit, "id") != a["unit_id"], a["id"])

        for inc, a in sorted(((i, a) for i in self.incoming for a in i.assessments), key=own_first):
            where = f"{inc.label}: assessment {a['id']}"
            if a["unit_id"] in skipped_units:
                self.report.skipped += 1
                continue
            unit = unit_map.get(a["unit_id"])
            year = inc.periods.get(a["period_id"])
            cset = set_map.get(a["criteria_set_id"])
            if unit is None or year is None or cset is None:
                self.problems.add(f"{where}: names a unit, period or criteria set the package does not hold")
                continue
            uid, code, kind = (_unit_field(unit, f) for f in ("id", "code", "kind"))
            problem = year_pair_problem(year, cset.year)  # the set's own year, not what the data says
            if problem is not None:
                self.problems.add(f"{where}: {problem} ({cset.identity})")
                continue
            fw = framework_of(cset)
            if kind not in fw.unit_kinds:
                self.problems.add(f"{where}: criteria set {cset.identity} has no unit kind {kind!r}")
                continue
            pid = period_ids[year]
            row = by_key.get((uid, pid))
            if row is None and a["id"] in by_id:
                self.problems.add(f"{where}: this id belongs to another unit or year in the project")
                continue
            if row is not None:
                if row.criteria_set_id != cset.id:
                    have = sets[row.criteria_set_id]
                    self.problems.add(
                        f"{inc.label}: unit {code} is assessed in {year} with criteria set "
                        f"{have.identity} in this project, but the package was made with "
                        f"{cset.identity}; import refused"
                    )
                    continue
                out[a["id"]] = (row.id, fw, kind, year, code)
                continue
            seen = planned.get((uid, pid))
            if seen is not None and seen[1].id != cset.id:
                self.problems.add(
                    f"{inc.label}: unit {code} is assessed in {year} with criteria set {cset.identity}, "
                    f"another package of this run with {seen[1].identity}; import refused"
                )
                continue
            local_id = seen[0] if seen is not None else None
            if local_id is None:
                local_id = a["id"]
                planned[(uid, pid)] = (local_id, cset)
                self.new_assessments.append(
                    {
                        "id": local_id,
                        "unit_id": uid,
                        "period_id": pid,
                        "criteria_set_id": cset.id,
                        "status": a["status"],
                        "locked_stages": a["locked_stages"],
                        "created_at": utcnow(),
                        "updated_at": utcnow(),
                    }
                )
                self.report.assessments_new += 1
            out[a["id"]] = (local_id, fw, kind, year, code)
            self.report.years.add(year)
        return out

    def _scores(self, amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]) -> None:
        report, problems = self.report, self.problems
        incoming: dict[Key, dict[uuid.UUID, Rev]] = defaultdict(dict)
        score_ids: dict[Key, uuid.UUID] = {}
        labels: dict[Key, tuple[str, int]] = {}
        for inc in self.incoming:
            for sc in inc.scores:
                target = amap.get(sc["assessment_id"])
                if target is None:
                    report.skipped += 1  # a duplicate unit's score (problems were reported otherwise)
                    continue
                a_id, fw, kind, year, code = target
                leaf, stage = sc["criterion_code"], sc["stage"]
                node = fw.nodes.get(leaf)
                where = f"{inc.label}: {DATA}: {sc['where']}"
                if node is None or not node.is_leaf or not node.applies_to(kind):
                    problems.add(f"{where}: criterion {leaf!r} is not a leaf of {fw.identity} for a {kind}")
                    continue
                if (node.source == "survey") != (stage == "survey"):
                    problems.add(f"{where}: stage {stage!r} does not fit criterion {leaf} ({node.source})")
                    continue
                mx = node.max[kind]
                key = (a_id, leaf, stage)
                labels[key] = (code, year)
                if key not in score_ids or sc["id"] < score_ids[key]:  # the same id in any package order
                    score_ids[key] = sc["id"]
                bucket = incoming[key]
                for j, r in enumerate(sc["revisions"]):
                    if r.points is not None and not (0 <= r.points <= mx):
                        problems.add(f"{where}: revision {r.id}: {r.points} points are outside [0, {mx}]")
                        continue
                    wrong = _revision_problem(node, kind, r)
                    if wrong is not None:
                        problems.add(f"{where}.revisions[{j}] (revision {r.id}): {wrong}")
                        continue
                    seen = bucket.get(r.id)
                    if seen is not None and seen != r:
                        problems.add(f"{where}: revision {r.id} arrives twice with different content")
                    bucket[r.id] = r
        decisions = self._incoming_decisions(amap, labels)
        if problems.items or not (incoming or decisions):
            return
        a_ids = sorted({k[0] for k in incoming} | {k[0] for k in decisions})
        local_scores: dict[Key, Any] = {}
        local_revs: dict[Key, dict[uuid.UUID, Rev]] = defaultdict(dict)
        rev_owner: dict[uuid.UUID, Key] = {}
        for chunk in _chunks(a_ids, 500):
            for srow in self.s.execute(select(Score).where(Score.assessment_id.in_(chunk))).scalars():
                local_scores[(srow.assessment_id, srow.criterion_code, srow.stage)] = srow
            r = ScoreRevision
            for rr in self.s.execute(
                select(
                    r.id,
                    r.revision,
                    r.base_revision_id,
                    r.value,
                    r.points,
                    r.not_applicable,
                    r.note,
                    r.author,
                    r.device_id,
                    r.time,
                    Score.assessment_id,
                    Score.criterion_code,
                    Score.stage,
                )
                .join(Score, Score.id == r.score_id)
                .where(Score.assessment_id.in_(chunk))
            ):
                key = (rr[10], rr[11], rr[12])
                local_revs[key][rr[0]] = Rev(*rr[:10])
                rev_owner[rr[0]] = key
        superseded: dict[Key, set[uuid.UUID]] = defaultdict(set)
        resolved_here: dict[Key, set[uuid.UUID]] = defaultdict(set)
        open_conflicts: dict[Key, Conflict] = {}
        for chunk in _chunks(a_ids, 500):
            for c in self.s.scalars(select(Conflict).where(Conflict.assessment_id.in_(chunk))):
                key = (c.assessment_id, c.criterion_code, c.stage)
                if c.status == "resolved":
                    superseded[key] |= {uuid.UUID(h) for h in c.head_ids}
                    resolved_here[key].add(c.id)
                else:
                    open_conflicts[key] = c
        used_score_ids = {srow.id for srow in local_scores.values()}
        locked: dict[uuid.UUID, set[str]] = {}
        for chunk in _chunks(a_ids, 500):
            for a_id, stages in self.s.execute(
                select(Assessment.id, Assessment.locked_stages).where(Assessment.id.in_(chunk))
            ):
                locked[a_id] = {x for x in (stages or "").split(",") if x}
        none: list[tuple[_Incoming, dict[str, Any], uuid.UUID]] = []
        # (the common case, packages without decisions, pays no more per score than before)
        for key in sorted(incoming.keys() | decisions.keys()) if decisions else sorted(incoming):
            bucket = incoming.get(key, {})
            offered = decisions.get(key, none) if decisions else none
            code, year = labels[key]
            label = f"{code} {year} {key[1]} {key[2]}"
            mine = local_revs.get(key, {})
            new = {rid: r for rid, r in bucket.items() if rid not in mine}
            # decisions the project lacks. When the project has decided a conflict itself, its record is
            # kept (a different decision is a new head: a new conflict below). When two packages decided
            # it differently, the lowest resolution revision gives the record, in any package order.
            apply: dict[uuid.UUID, tuple[_Incoming, dict[str, Any]]] = {}
            if offered:
                for inc, rec, rec_id in sorted(offered, key=lambda o: o[1]["resolution_revision_id"]):
                    if rec_id not in resolved_here.get(key, ()):
                        apply.setdefault(rec_id, (inc, rec))
            if (new or apply) and key[2] in locked.get(key[0], ()):
                brings = f"{len(new)} new value(s)" if new else "a decision on a conflict"
                problems.add(
                    f"{label}: the {key[2]} stage is locked in this project, but a package brings "
                    f"{brings} for it; unlock the stage (audited) or leave this unit out"
                )
                continue
            for rid in new:
                owner = rev_owner.get(rid)
                if owner is not None and owner != key:
                    problems.add(f"revision {rid} of {label} is already in the project for another score")
            row = local_scores.get(key)
            if row is not None and not mine:  # a score without history: keep its value as a revision
                synthetic = Rev(
                    uuid.uuid5(row.id, "current"),
                    row.revision or 1,
                    row.base_revision_id,
                    row.value,
                    row.points,
                    row.not_applicable,
                    row.note,
                    row.author,
                    row.device_id,
                    row.updated_at,
                )
                mine = {synthetic.id: synthetic}
                self.revision_inserts.append(_rev_row(synthetic, row.id))
            merged = {**mine, **new}
            if offered and not self._decisions_fit(offered, merged, label):
                continue
            if not new and not apply:
                report.scores_identical += 1
                continue
            # every decision known on either side supersedes its heads (a package may bring a decision
            # the project took too: the same heads, the same id)
            decided_heads: Collection[uuid.UUID] = superseded.get(key, ())
            if offered:
                decided_heads = {*decided_heads, *(h for _inc, rec, _id in offered for h in rec["head_ids"])}
            state = derive_state(merged, decided_heads)
            fields = state.score_fields()
            if row is None:
                sid = score_ids[key] if score_ids[key] not in used_score_ids else new_id()
                used_score_ids.add(sid)
                self.score_inserts.append(
                    {"id": sid, "assessment_id": key[0], "criterion_code": key[1], "stage": key[2], **fields}
                )
            else:
                sid = row.id
                current = {k: getattr(row, k) for k in fields}
                if current != fields:
                    self.score_updates.append({"b_id": sid, **fields})
            report.revisions_new += len(new)
            ordered = sorted(new.values(), key=lambda r: (r.revision, r.id))
            self.revision_inserts += [_rev_row(r, sid) for r in ordered]
            old_conflict = open_conflicts.get(key)
            cid = conflict_id(key[0], key[1], key[2], state.heads) if state.conflict else None
            for decided, (inc, rec) in sorted(apply.items()):
                self._plan_decision(key, label, decided, inc, rec, merged, old_conflict)
            if old_conflict is not None and old_conflict.id != cid and old_conflict.id not in apply:
                self.conflict_deletes.append(old_conflict.id)
            if cid is not None and cid not in apply and (old_conflict is None or old_conflict.id != cid):
                self.conflict_inserts.append(
                    {
                        "id": cid,
                        "assessment_id": key[0],
                        "criterion_code": key[1],
                        "stage": key[2],
                        "head_ids": sorted(str(h.id) for h in state.heads),
                        "base_revision_id": state.base.id if state.base else None,
                        "status": "open",
                        "detected_at": max(h.time for h in state.heads),
                        "resolved_at": None,
                        "resolved_by": "",
                        "reason": "",
                        "resolution_revision_id": None,
                    }
                )
                values = " / ".join(
                    f"{'—' if h.not_applicable else h.points} ({h.author or h.device_id})"
                    for h in state.heads
                )
                report.conflicts.append(f"{label}: {values}")
                report.scores_conflicting += 1
                report.changes.append(f"conflict: {label}")
            elif row is None:
                report.scores_new += 1
                report.changes.append(f"new: {label}")
            else:
                report.scores_updated += 1
                report.changes.append(f"updated: {label}")

    def _incoming_decisions(
        self,
        amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]],
        labels: dict[Key, tuple[str, int]],
    ) -> dict[Key, list[tuple[_Incoming, dict[str, Any], uuid.UUID]]]:
        """The packages' resolved conflicts by score key, with their id in this project."""
        out: dict[Key, list[tuple[_Incoming, dict[str, Any], uuid.UUID]]] = defaultdict(list)
        for inc in self.incoming:
            for c in inc.conflicts:
                target = amap.get(c["assessment_id"])
                if target is None:
                    self.report.skipped += 1  # a skipped duplicate unit's
                    continue
                a_id, _fw, _kind, year, code = target
                key = (a_id, c["criterion_code"], c["stage"])
                labels.setdefault(key, (code, year))
                # a merged unit's assessment has another id here, and so has the same conflict
                cid = conflict_id_of(a_id, key[1], key[2], c["head_ids"])
                out[key].append((inc, c, cid))
        return out

    def _decisions_fit(
        self,
        offered: list[tuple[_Incoming, dict[str, Any], uuid.UUID]],
        revs: dict[uuid.UUID, Rev],
        label: str,
    ) -> bool:
        """Every decision names revisions of this very score (in the packages or the project)."""
        ok = True
        for inc, c, _cid in offered:
            where = f"{inc.label}: {DATA}: {c['where']}"
            named = (("head_ids", c["head_ids"]), ("resolution_revision_id", [c["resolution_revision_id"]]))
            missing = [(name, i) for name, ids in named for i in ids if i not in revs]
            if missing:
                name, rid = missing[0]
                self.problems.add(
                    f"{where}.{name}: {rid} is not a revision of {label} in the packages or in this project"
                )
                ok = False
                continue
            decision = revs[c["resolution_revision_id"]]
            # a decision older than what it decides would hide the conflict without settling it
            if any(merge_base(revs, [revs[h], decision]) == decision for h in c["head_ids"]):
                self.problems.add(
                    f"{where}.resolution_revision_id: the decision is a value its competing values build on"
                )
                ok = False
        return ok

    def _plan_decision(
        self,
        key: Key,
        label: str,
        cid: uuid.UUID,
        inc: _Incoming,
        c: dict[str, Any],
        revs: dict[uuid.UUID, Rev],
        old_conflict: Conflict | None,
    ) -> None:
        """Record a package's decision on a conflict the project has open or does not have."""
        decision = {
            "status": "resolved",
            "resolved_at": c["resolved_at"],
            "resolved_by": c["resolved_by"],
            "reason": c["reason"],
            "resolution_revision_id": c["resolution_revision_id"],
        }
        heads = [revs[h] for h in c["head_ids"]]
        if old_conflict is not None and old_conflict.id == cid:
            self.conflict_resolves.append({"b_id": cid, **decision})
        else:
            # base and detection time from the revisions, as the project records an open conflict: the same
            # row whether the conflict or the decision arrived first
            base = merge_base(revs, heads)
            self.conflict_inserts.append(
                {
                    "id": cid,
                    "assessment_id": key[0],
                    "criterion_code": key[1],
                    "stage": key[2],
                    "head_ids": sorted(str(h.id) for h in heads),
                    "base_revision_id": base.id if base else None,
                    "detected_at": max(h.time for h in heads),
                    **decision,
                }
            )
        taken = revs[c["resolution_revision_id"]]
        kept = revs.get(taken.base) if taken.base is not None else None
        self.resolve_events.append(
            {
                # derived id: a project that gets this event in a package and applies the decision itself
                # too (or imports twice) keeps one event
                "id": uuid.uuid5(CONFLICT_NAMESPACE, f"{cid}|{taken.id}|import"),
                "time": c["resolved_at"],
                "author": c["resolved_by"],
                "role": "",
                "device_id": taken.device_id,
                "action": "conflict.resolve",
                "assessment_id": key[0],
                "criterion_code": key[1],
                "stage": key[2],
                "old": {"conflict": str(cid), "values": [value_json(h) for h in heads]},
                "new": {
                    "value_id": str(taken.id),
                    "taken": str(kept.id)
                    if kept is not None and kept.id in c["head_ids"] and kept.content() == taken.content()
                    else None,
                    "points": taken.points,
                    "not_applicable": taken.not_applicable,
                    "value": taken.value,
                    "package": inc.label,
                },
                "reason": c["reason"],
            }
        )
        self.report.conflicts_resolved += 1
        self.report.changes.append(f"resolved conflict: {label} ({c['resolved_by'] or '—'}: {c['reason']})")

    def _evidence(self, amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]) -> None:
        a_ids = sorted({v[0] for v in amap.values()})
        have: set[tuple[uuid.UUID, str, str]] = set()
        ids: set[uuid.UUID] = set()
        for chunk in _chunks(a_ids, 500):
            for ev in self.s.execute(
                select(Evidence.id, Evidence.assessment_id, Evidence.criterion_code, Evidence.sha256).where(
                    Evidence.assessment_id.in_(chunk)
                )
            ):
                have.add((ev.assessment_id, ev.criterion_code, ev.sha256))
                ids.add(ev.id)
        # in id order: when two packages attach the same file to one leaf (e.g. a merged unit), the same
        # record (file name, who added it) is kept in any package order
        for inc, e in sorted(((i, e) for i in self.incoming for e in i.evidence), key=lambda p: p[1]["id"]):
            target = amap.get(e["assessment_id"])
            if target is None:
                self.report.skipped += 1
                continue
            key = (target[0], e["criterion_code"], e["sha256"])
            if key in have:
                self.report.evidence_identical += 1
                continue
            node = target[1].nodes.get(e["criterion_code"])
            if node is None or not node.is_leaf:
                self.problems.add(
                    f"{inc.label}: evidence {e['file_name']!r}: criterion "
                    f"{e['criterion_code']!r} is not a leaf of {target[1].identity}"
                )
                continue
            have.add(key)
            eid = e["id"] if e["id"] not in ids and self.s.get(Evidence, e["id"]) is None else new_id()
            ids.add(eid)
            self.evidence_inserts.append({**e, "id": eid, "assessment_id": target[0]})
            self.evidence_files.setdefault(e["sha256"], inc)
            self.report.evidence_new += 1
            self.report.changes.append(
                f"new evidence: {target[4]} {target[3]} {e['criterion_code']} {e['file_name']}"
            )

    def _audit(self, amap: dict[uuid.UUID, tuple[uuid.UUID, Framework, str, int, str]]) -> None:
        a_ids = sorted({v[0] for v in amap.values()})
        have: set[uuid.UUID] = set()
        for chunk in _chunks(a_ids, 500):
            have.update(self.s.scalars(select(AuditEvent.id).where(AuditEvent.assessment_id.in_(chunk))))
        chained: list[dict[str, Any]] = []
        for inc in self.incoming:
            for e in inc.audit:
                if e["id"] in have:
                    continue
                target = amap.get(e["assessment_id"]) if e["assessment_id"] is not None else None
                if target is None:
                    continue
                # only the events stored are checked (hashing costs): the rest are not kept anyway
                if e["chain"] is not None and event_hash(e["prev_hash"], e) != e["hash"]:
                    self.problems.add(f"{inc.label}: {e['where']} (audit event {e['id']}, chain {e['chain']} "
                                      f"#{e['seq']}): content changed: its fields do not give its hash")
                have.add(e["id"])
                row = {**e, "assessment_id": target[0], "where": f"{inc.label}: {e['where']}"}
                if e["chain"] is None or target[0] != e["assessment_id"]:
                    # No chain data (an older program), or its target is now another assessment (a merged
                    # unit), so its hash no longer fits: chained on arrival into this file's chain, marked so.
                    row.update(chain=None, link=RECEIVED)
                else:
                    chained.append(row)
                self.audit_inserts.append(row)
                self.report.audit_new += 1
        problems, self.audit_gaps_filled = plan_imported(self.s.connection(), chained)
        for row, problem in problems:
            self.problems.add(f"{row['where']} (audit event {row['id']}, chain {row['chain']} "
                              f"#{row['seq']}): {problem}")
        # An applied decision is audited by the decider's own ``conflict.resolve`` event, which travels with
        # it; an event of the import's is written only when that one is neither here nor in the packages.
        decided = {str(e["new"].get("value_id")) for e in self.audit_inserts
                   if e["action"] == "conflict.resolve" and isinstance(e["new"], dict)}
        if self.resolve_events:
            for chunk in _chunks(a_ids, 500):
                decided.update(str(new.get("value_id")) for new in self.s.scalars(
                    select(AuditEvent.new).where(AuditEvent.assessment_id.in_(chunk),
                                                 AuditEvent.action == "conflict.resolve"))
                    if isinstance(new, dict))
        for e in self.resolve_events:
            if e["id"] not in have and e["new"]["value_id"] not in decided:
                have.add(e["id"])
                self.audit_inserts.append(e)
                self.report.audit_new += 1

    # -- writing -------------------------------------------------------------------------------------
    def store_evidence(self, project: Project) -> list[Path]:
        """Put the new evidence files into the store; returns the files that were not there before."""
        if not self.evidence_files:
            return []
        store = project.evidence
        created: list[Path] = []
        wanted: dict[Path, list[str]] = defaultdict(list)
        first: dict[Path, _Incoming] = {}
        for sha, inc in sorted(self.evidence_files.items()):
            if not (store.exists(sha) and store.verify(sha)):
                wanted[inc.package.path].append(sha)
                first[inc.package.path] = inc
        try:
            for path, shas in wanted.items():
                try:
                    with open_package(path) as again:
                        if again.manifest_sha256 != first[path].package.manifest_sha256:
                            raise UserError(
                                f"{again.label} was changed during the import; nothing was written"
                            )
                        for sha in shas:
                            store.put(again.read(EVIDENCE_PREFIX + sha), sha)
                            created.append(store.path(sha))
                            self.report.evidence_files_new += 1
                except PackageError as exc:
                    raise UserError(f"{exc}; nothing was written") from exc
        except BaseException:
            for f in created:
                f.unlink(missing_ok=True)
            raise
        return created

    def write(self, author: str) -> None:
        s = self.s
        if self.new_units:
            s.execute(insert(Unit), self.new_units)
        now = utcnow()
        for alias in self.new_aliases:
            package_id = alias["package_id"]
            row = {k: v for k, v in alias.items() if k != "package_id"}
            s.add(UnitAlias(**row, created_by=author[:200], created_at=now))
            s.add(
                AuditEvent(
                    author=author,
                    role="committee",
                    device_id="import",
                    action="unit.merge",
                    old={
                        "unit_id": alias["foreign_unit_id"],
                        "code": alias["code"],
                        "name": alias["name"],
                        "device_id": alias["device_id"],
                    },
                    new={"unit_id": alias["unit_id"]},
                    reason=f"team package {alias['source']} ({package_id}): unit {alias['code']} created on "
                    "another laptop merged into the project's unit of the same code",
                    time=now,
                )
            )
        if self.new_assessments:
            s.execute(insert(Assessment), self.new_assessments)
        if self.conflict_deletes:
            s.execute(delete(Conflict).where(Conflict.id.in_(self.conflict_deletes)))
        batches: list[tuple[Any, list[dict[str, Any]]]] = [
            (Score, self.score_inserts),
            (ScoreRevision, self.revision_inserts),
            (Conflict, self.conflict_inserts),
            (Evidence, self.evidence_inserts),
        ]
        conn = s.connection()
        batches.append((AuditEvent, chained_rows(conn, self.audit_inserts)))  # with their hash chains
        for model, rows in batches:
            for chunk in _chunks(rows, 20_000):
                if chunk:
                    bulk_insert(conn, model.__table__, chunk)
        if self.audit_gaps_filled:
            atable: Any = AuditEvent.__table__
            for ids in _chunks(self.audit_gaps_filled, 500):
                conn.execute(update(atable).where(atable.c.id.in_(ids)).values(link=LINKED))
        if self.conflict_resolves:
            ctable: Any = Conflict.__table__
            ccols: dict[str, Any] = {k: bindparam(k) for k in self.conflict_resolves[0] if k != "b_id"}
            s.connection().execute(
                update(ctable).where(ctable.c.id == bindparam("b_id")).values(**ccols), self.conflict_resolves
            )
        if self.score_updates:
            table: Any = Score.__table__
            cols: dict[str, Any] = {k: bindparam(k) for k in self.score_updates[0] if k != "b_id"}
            s.connection().execute(
                update(table).where(table.c.id == bindparam("b_id")).values(**cols), self.score_updates
            )
        for inc in self.incoming:
            s.add(
                AuditEvent(
                    author=author,
                    role="committee",
                    device_id="import",
                    action="import.package",
                    new={
                        "file": inc.label,
                        "package_id": inc.package.manifest["package_id"],
                        "device_id": inc.package.manifest["device_id"],
                        "author": inc.package.manifest["author"],
                        "signed_by": inc.signed_by,
                    },
                    reason=f"team package {inc.label}",
                    time=now,
                )
            )

    def record_packages(self, log_id: uuid.UUID) -> None:
        """Remember the devices seen and the packages imported (once per manifest)."""
        s = self.s
        now = utcnow()
        devices = {d.device_id: d for d in s.scalars(select(Device))}
        recorded: set[str] = set()
        for inc in self.incoming:
            m = inc.package.manifest
            device_id, who = m["device_id"][:100], m["author"][:200]
            device = devices.get(device_id)
            if device is None:
                device = Device(device_id=device_id, label=who, first_seen=now, last_seen=now)
                s.add(device)
                devices[device_id] = device
            else:
                device.last_seen = now
                if not device.local_key:
                    device.label = who
            sha = inc.package.manifest_sha256
            if inc.already or sha in recorded or sha in self.partial:
                continue
            recorded.add(sha)
            s.add(
                PackageImport(
                    package_id=uuid.UUID(m["package_id"]),
                    manifest_sha256=sha,
                    device_id=device_id,
                    author=who,
                    created_at=datetime.fromisoformat(m["created"]),
                    imported_at=now,
                    file_name=inc.label,
                    signed_by=inc.signed_by,
                    import_log_id=log_id,
                )
            )
        s.flush()


def bulk_insert(
    conn: Any,
    table: Any,
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    *,
    columns: Sequence[str] | None = None,
    constants: dict[str, Any] | None = None,
    converted: Collection[str] = (),
    repeating: Collection[str] = (),
) -> None:
    """Insert many rows of the same columns: the column types' own bind processors turn the values into
    what the driver takes (column by column), then one ``executemany`` (SQLAlchemy's per-row statement
    work costs more than SQLite's).

    ``rows`` are dicts with the same keys, or sequences of values in the order of ``columns``.
    ``constants`` gives columns whose value is the same in every row (converted once, not per row).
    ``converted`` names columns whose values are already what the driver takes (e.g. JSON text made with
    ``dumps_json`` for a ``JSONText`` column), so they are passed as they are.
    ``repeating`` names columns with few distinct (hashable) values, e.g. an assessment id or points:
    each distinct value is converted once.
    """
    if not rows:
        return
    constants = constants or {}
    if columns is None:
        cols = list(cast(dict[str, Any], rows[0]))
        values: list[Sequence[Any]] = [[r[c] for r in cast(Sequence[dict[str, Any]], rows)] for c in cols]
    else:
        cols = list(columns)
        values = list(zip(*cast(Sequence[Sequence[Any]], rows), strict=True))
    dialect = conn.dialect
    processed: list[Any] = []
    for c, vs in zip(cols, values, strict=True):
        f = None if c in converted else table.c[c].type._cached_bind_processor(dialect)
        if f is not None and c in repeating:
            done = {v: f(v) for v in set(vs)}
            processed.append([done[v] for v in vs])
        else:
            processed.append(vs if f is None else list(map(f, vs)))
    for c, v in constants.items():
        f = None if c in converted else table.c[c].type._cached_bind_processor(dialect)
        processed.append(repeat(v if f is None else f(v), len(rows)))
    names = cols + list(constants)
    quote = dialect.identifier_preparer.quote
    style = dialect.paramstyle
    if style in ("qmark", "format", "numeric"):
        marks = ["?"] * len(names) if style == "qmark" else ["%s"] * len(names) if style == "format" \
            else [f":{i + 1}" for i in range(len(names))]
        params: list[Any] = list(zip(*processed, strict=True))
    else:  # named, pyformat: parameters by name
        keys = [f"p{i}" for i in range(len(names))]
        marks = [f":{k}" if style == "named" else f"%({k})s" for k in keys]
        params = [dict(zip(keys, row, strict=True)) for row in zip(*processed, strict=True)]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in names)}) "
        f"VALUES ({', '.join(marks)})"
    )
    conn.exec_driver_sql(sql, params)


def _rev_row(r: Rev, score_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": r.id,
        "score_id": score_id,
        "revision": r.revision,
        "value": r.value,
        "points": r.points,
        "not_applicable": r.not_applicable,
        "note": r.note,
        "author": r.author,
        "device_id": r.device_id,
        "time": r.time,
        "base_revision_id": r.base,
    }
