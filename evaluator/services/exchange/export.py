"""Export (``export_package``): everything a team typed for the chosen units and years — units,
assessments, every score with its whole revision history, evidence metadata and files, audit events with
their hash chain, and the conflicts it resolved — checked with the importer's own rules before writing."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import func, select

from evaluator import __version__
from evaluator.errors import UserError
from evaluator.exchange.chain import BUILDS_ON, Predecessor
from evaluator.exchange.package import (
    DATA,
    EVIDENCE_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    Package,
    dump,
)
from evaluator.exchange.package_writer import PackageWriter
from evaluator.exchange.signing import SigningError
from evaluator.exchange.volumes import check_volume_size
from evaluator.fields import (
    FieldError,
    check_text,
)
from evaluator.messages import Message
from evaluator.models import (
    Assessment,
    AuditEvent,
    Conflict,
    CriteriaSet,
    Evidence,
    Period,
    Project,
    ProjectError,
    Score,
    ScoreRevision,
    Unit,
    utcnow,
)
from evaluator.models.audit_chain import (
    UPGRADE,
)
from evaluator.services.exchange import increments
from evaluator.services.exchange.batches import chunks
from evaluator.services.exchange.identity import this_device
from evaluator.services.exchange.meter import ByteMeter
from evaluator.services.exchange.reading import PURPOSE_HANDOUT, UNIT_DETAILS, _Bad, _Incoming, _parse_data
from evaluator.services.progress import Progress, no_progress
from evaluator.services.scores import REVISION_FIELDS
from evaluator.services.team_scope import COPY_SETTING


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
    team: str | None = None
    """For a handout: the team it is for ('' when not named); None for a team package."""
    scope: Any = None
    """For a handout of a team the committee defined: its ``team_scope.Scope``."""
    builds_on: list[str] = field(default_factory=list)
    """An incremental package (``since_last``): the package ids it builds on, oldest first ([]: full)."""
    builds_on_last: str = ""
    """The latest of them, described (file, id, date, who)."""
    first_full: bool = False
    """``since_last`` was asked, but this file had exported nothing: the package is full."""
    confirmations: int = 0
    """Confirmations of carried evidence the package carries."""
    volumes: list[Path] = field(default_factory=list)
    """The volume files written (``volume_size``); [] for one file."""

    def render(self, language: str | None = None) -> str:
        """What was written, in ``language`` (default: the current one); English as the CLI always printed."""

        def say(code: str, **params: Any) -> str:
            return Message(code, params).render(language)

        units = ", ".join(self.units[:20]) + (" …" if len(self.units) > 20 else "")
        lines = [
            say("report.export_written", path=self.path, size=f"{self.size:,}") if self.team is None
            else say("handout.written", path=self.path, size=f"{self.size:,}", team=self.team or "—"),
            "  " + say("report.export_package", package=self.package_id,
                       years=", ".join(map(str, self.years)) or "—", count=len(self.units), units=units),
            "  " + say("report.export_counts", assessments=self.assessments, scores=self.scores,
                       revisions=self.revisions, evidence=self.evidence, files=self.evidence_files,
                       audit=self.audit_events),
        ]
        if self.scope is not None:
            lines.append("  " + say("teams.handout_scope", team=self.scope.team, scope=self.scope.describe()))
        if self.conflicts_resolved:
            lines.append("  " + say("report.export_resolved", count=self.conflicts_resolved))
        if self.builds_on:
            lines.append("  " + say("increments.builds_on", count=len(self.builds_on),
                                    last=self.builds_on_last))
        elif self.first_full:
            lines.append("  " + say("increments.first_full"))
        if self.volumes:
            lines.append("  " + say("volumes.written", count=len(self.volumes),
                                    names=", ".join(v.name for v in self.volumes)))
        lines.append("  " + (say("report.export_signed", who=self.signed_by) if self.signed_by
                             else say("report.export_not_signed")))
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
    handout: Handout | None = None,
    progress: Progress = no_progress,
    since_last: bool = False,
    volume_size: int | None = None,
) -> ExportReport:
    """Write a team package with the chosen years (default: all) and units (default: all assessed).

    ``handout``: write the committee's project for a team instead (``services.handout``): the same
    format, marked ``"purpose": "handout"`` in the manifest, with every criteria set and period of the
    years, the chosen units (default: all) even when not yet assessed, and the document settings.

    ``since_last``: only what no earlier package of this file carried (``services.exchange.increments``),
    the manifest naming the packages it builds on; a full package when this file exported none yet.
    ``volume_size``: split the package into volumes of at most this many bytes (``exchange.volumes``).
    A team package is recorded in the project (what it carried), so that the next ``since_last`` knows."""
    out = Path(out)
    if out.suffix.lower() != ".cchc":
        raise UserError("exchange.package_suffix", name=out.name)
    try:
        check_text(author, "author")  # the manifest's author: a package no project could import is no use
    except FieldError as exc:
        shown = f"{author[:40]!r}{'…' if len(author) > 40 else ''}"
        raise UserError("exchange.author_refused", author=shown, error=exc.message) from None
    if not out.parent.is_dir():
        raise UserError("exchange.no_folder", path=out, folder=out.parent)
    if since_last and handout is not None:
        raise UserError("increments.not_for_handout")
    if volume_size is not None:
        check_volume_size(volume_size)
    device = this_device(project)
    info = project.info()
    copy = project.get_setting(COPY_SETTING)
    copy = copy if isinstance(copy, dict) else None
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
        unit_rows = {u.id: u for _a, u, _p in rows}
        period_rows = {p.id: p for _a, _u, p in rows}
        if handout is not None:
            _handout_rows(s, handout, years, units, unit_rows, period_rows)
        elif units:
            missing = sorted(set(units) - {u.code for _a, u, _p in rows})
            if missing:
                if years:
                    raise UserError("exchange.no_assessment_units_years", units=", ".join(missing),
                                    years=", ".join(map(str, years)))
                raise UserError("exchange.no_assessment_units", units=", ".join(missing))
        if not rows and handout is None:
            raise UserError("exchange.nothing_to_export")
        chain = increments.chain_of(s) if since_last else []
        # a full package of every assessment starts the chain again (the GUI always names its years)
        whole = not chain and len(rows) == s.scalar(select(func.count()).select_from(Assessment))
        # the few kinds filtered here (revisions and audit events, the bulk, are left out by the query)
        done = increments.exported_ids(s, ("evidence", "conflict", "confirm")) if chain else {}
        skip = lambda kind, rid: rid in done.get(kind, ())  # noqa: E731  (nothing is skipped in a full one)

        def new_only(column: Any, kind: str) -> list[Any]:
            """The bulk of a project (revisions, audit events) left out by the database, not loaded."""
            return [column.not_in(increments.carried_query(kind))] if chain else []
        a_ids = [a.id for a, _u, _p in rows]
        set_ids = {a.criteria_set_id for a, _u, _p in rows}
        sets_query = select(CriteriaSet).where(CriteriaSet.id.in_(set_ids))
        if handout is not None:  # every set of the years: a team may need one for a unit added later
            handed = {p.year for p in period_rows.values()}
            sets_query = select(CriteriaSet).where(CriteriaSet.year.in_(handed) | CriteriaSet.id.in_(set_ids))
        sets = s.scalars(sets_query.order_by(CriteriaSet.code, CriteriaSet.version)).all()
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
                    for p in period_rows.values()
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
                        **{name: getattr(u, name) for name in UNIT_DETAILS},
                        "retired_at": None if u.retired_at is None else _iso(u.retired_at),
                    }
                    for u in unit_rows.values()
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
        for chunk in chunks(a_ids, 500):
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
                .where(Score.assessment_id.in_(chunk), *new_only(ScoreRevision.id, "revision"))
            ).scalars():
                if skip("revision", r.id):
                    continue
                scores[r.score_id]["revisions"].append(
                    {
                        "id": str(r.id),
                        "revision": r.revision,
                        **{name: getattr(r, name) for name in REVISION_FIELDS},
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
        evidence_all: list[Evidence] = []
        audits: list[AuditEvent] = []
        resolved: list[Conflict] = []
        for chunk in chunks(a_ids, 500):
            evidence_all += s.scalars(select(Evidence).where(Evidence.assessment_id.in_(chunk))).all()
            audits += s.scalars(select(AuditEvent).where(AuditEvent.assessment_id.in_(chunk),
                                                         *new_only(AuditEvent.id, "audit"))).all()
            # only resolved ones: open conflicts follow from the revisions on the other side anyway, but a
            # decision does not (without it the superseded heads would be heads again there)
            resolved += s.scalars(
                select(Conflict).where(Conflict.assessment_id.in_(chunk), Conflict.status == "resolved")
            ).all()
        evidence = [e for e in evidence_all if not skip("evidence", e.id)]
        audits = [e for e in audits if not skip("audit", e.id)]
        resolved = [c for c in resolved if not skip("conflict", c.id)]
        confirmed = [e for e in evidence_all if e.carried_from is not None and not e.carry_pending
                     and not skip("confirm", e.id)] if handout is None else []
        data["confirmations"] = sorted(
            ({"evidence_id": str(e.id), "assessment_id": str(e.assessment_id),
              "criterion_code": e.criterion_code, "sha256": e.sha256, "file_name": e.file_name}
             for e in confirmed),
            key=lambda c: c["evidence_id"],
        )
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
                    "carried_from": e.carried_from,
                    "carry_pending": bool(e.carry_pending),
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
        if handout is not None:
            data["project"]["province"] = info.province
            data["settings"] = handout.settings
        set_ids_list = [{"code": c.code, "version": c.version, "sha256": c.sha256} for c in sets]
        if chain and not (data["scores"] or data["evidence"] or data["audit"] or data["conflicts"]
                          or data["confirmations"]):
            raise UserError("increments.nothing_new", last=_described(chain[-1], device, copy))
        builds_on = increments.predecessors(chain, device, "" if copy is None else str(copy.get("team", "")))
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
        team=None if handout is None else handout.team,
        builds_on=[p["package_id"] for p in builds_on],
        builds_on_last=_described(chain[-1], device, copy).render() if chain else "",
        first_full=since_last and not chain,
        confirmations=len(data["confirmations"]),
    )
    raw = dump(data)
    files = {EVIDENCE_PREFIX + e["sha256"]: {"size": e["size"]} for e in data["evidence"]}
    _check_exportable(raw, data, files, out)
    writer = PackageWriter(out, volume_size=volume_size)
    try:
        writer.add_bytes(DATA, raw)
        store = project.evidence
        sizes = {e["sha256"]: e["size"] for e in data["evidence"]}
        meter = ByteMeter(progress, "write", sum(sizes.values()), always=True)
        meter(0)
        for sha in sorted(sizes):
            try:
                with store.open(sha) as fh:
                    # the store names each file by its SHA-256: not hashed again (the import checks it)
                    writer.add_file(EVIDENCE_PREFIX + sha, fh, sha256=sha, on_bytes=meter)
            except ProjectError as exc:
                raise UserError("exchange.evidence_missing", error=exc.message) from exc
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
        if handout is not None:  # fields an older reader ignores: it still sees a package of the project
            manifest.update({"purpose": PURPOSE_HANDOUT, "team": handout.team, "province": info.province})
            if handout.scope is not None:
                manifest["team_scope"] = handout.scope
        elif copy is not None:  # a team copy's package names its team and handout (the committee's scope)
            manifest.update({"team": copy.get("team", ""), "handout_id": copy.get("package_id", "")})
        if builds_on:  # an incremental package: the committee takes it only after these
            manifest[BUILDS_ON] = builds_on
        meter.finish()
        written = writer.finish(manifest, signer)
    except SigningError as exc:
        writer.abort()
        raise UserError.from_error(exc) from exc
    except BaseException:
        writer.abort()
        raise
    report.volumes = list(writer.volumes)
    report.size = sum(v.stat().st_size for v in report.volumes) if report.volumes else out.stat().st_size
    report.signed_by = signer.subject if signer is not None else ""
    if handout is None:  # what it carried: the next ``since_last`` starts after it
        with project.session(write=True) as s:
            increments.record_export(
                s, package_id=package_id, manifest=written, file_name=out.name, author=author,
                known=done or None,
                created=datetime.fromisoformat(str(manifest["created"])), full=not chain,
                whole=whole, builds_on=report.builds_on,
                carried={"revision": [uuid.UUID(r["id"]) for sc in data["scores"] for r in sc["revisions"]],
                         "evidence": [uuid.UUID(e["id"]) for e in data["evidence"]],
                         "audit": [uuid.UUID(e["id"]) for e in data["audit"]],
                         "conflict": [uuid.UUID(c["id"]) for c in data["conflicts"]],
                         "confirm": [uuid.UUID(c["evidence_id"]) for c in data["confirmations"]]})
    return report


def _described(row: Any, device: str, copy: dict[str, Any] | None) -> Message:
    """A package this file wrote, for a message (file, id, date, who)."""
    team = "" if copy is None else str(copy.get("team", ""))
    return Predecessor(str(row.package_id), row.manifest_sha256, row.created_at.isoformat(), row.author,
                       device, team, row.file_name).describe()


@dataclass(frozen=True)
class Handout:
    """What makes a package a handout (``services.handout.export_handout`` fills it)."""

    team: str
    """The team it is for ('' when not named)."""
    settings: dict[str, Any]
    """Project settings the team's copy takes over (``{"reports": …}``, per-unit parts for its units)."""
    scope: dict[str, Any] | None = None
    """The team's scope (``team_scope.Scope.to_json``) when the committee defined the team."""


def _handout_rows(s: Any, handout: Handout, years: Sequence[int] | None, units: Sequence[str] | None,
                  unit_rows: dict[uuid.UUID, Unit], period_rows: dict[uuid.UUID, Period]) -> None:
    """A handout's units (the chosen ones, default all active ones: a retired unit goes only when named) and
    periods (the chosen years, default all), with or without assessments: a team starts from them."""
    unit_query = (select(Unit).where(Unit.retired_at.is_(None)) if not units
                  else select(Unit).where(Unit.code.in_(list(units))))
    unit_rows.update({u.id: u for u in s.scalars(unit_query)})
    period_query = select(Period) if not years else select(Period).where(Period.year.in_(list(years)))
    period_rows.update({p.id: p for p in s.scalars(period_query)})
    missing = sorted(set(units or ()) - {u.code for u in unit_rows.values()})
    if missing:
        raise UserError("handout.no_units", units=", ".join(missing))
    absent = sorted(set(years or ()) - {p.year for p in period_rows.values()})
    if absent:
        raise UserError("handout.no_years", years=", ".join(map(str, absent)))
    if not unit_rows:
        raise UserError("handout.nothing")


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
        named = (Message("exchange.named_unit", {"code": record["code"]}) if m and m.group(1) == "units"
                 else Message("exchange.named_criterion", {"code": record.get("criterion_code")})
                 if record.get("criterion_code") else None)
        if named is None:
            raise UserError("exchange.export_invalid", data=DATA, where=where) from None
        raise UserError("exchange.export_invalid_named", data=DATA, where=where, named=named) from None


