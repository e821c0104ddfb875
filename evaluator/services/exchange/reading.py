"""Reading team packages: structure, hashes, signature and every record of ``data.json`` checked and
converted before anything touches a project (``_Bad`` names the place)."""

from __future__ import annotations

import json
import re
import uuid
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from evaluator.errors import Coded, UserError
from evaluator.errors import Problems as _Problems
from evaluator.exchange.chain import Predecessor, parse_builds_on
from evaluator.exchange.package import (
    DATA,
    EVIDENCE_PREFIX,
    MANIFEST,
    SIGNATURE,
    Package,
    PackageError,
    open_package,
)
from evaluator.exchange.signing import SigningError, check_signature, load_trusted, trusted_from_pem
from evaluator.exchange.volumes import open_zip
from evaluator.fields import (
    LIMITS,
    FieldError,
    bad_character,
    check_text,
    check_year,
    file_name_problem,
    year_pair_problem,
)
from evaluator.frameworks.model import ALL_STAGES, CENT
from evaluator.models import ASSESSMENT_STATUSES, dumps_json
from evaluator.models.audit_chain import (
    is_hash,
)
from evaluator.models.evidence_store import EvidenceStore
from evaluator.services.conflicts import (
    Rev,
    conflict_id_of,
)
from evaluator.services.exchange.identity import TRUST_SETTING
from evaluator.services.exchange.meter import ByteMeter
from evaluator.services.progress import Progress, no_progress

PURPOSE_TEAM = "team"
PURPOSE_HANDOUT = "handout"
PURPOSES = (PURPOSE_TEAM, PURPOSE_HANDOUT)
"""The manifest's ``purpose`` (absent in packages of older programs: a team package)."""


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


UNIT_DETAILS = ("short_name", "ranking_group", "abbreviation", "head_title")
"""A unit's text details a package may carry (each under ``fields.LIMITS['unit.<name>']``)."""


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
    purpose: str = PURPOSE_TEAM
    """``team`` (a team's work for the committee) or ``handout`` (the committee's project for a team)."""
    team: str = ""
    """The team a handout is for, or the team of the copy a team package comes from (the manifest's
    ``team``)."""
    handout_id: str = ""
    """A team copy's package: the id of the handout the copy was made from (the manifest's
    ``handout_id``): the committee finds the team's scope by it."""
    team_scope: dict[str, Any] | None = None
    """A handout's team scope (the manifest's ``team_scope``, checked)."""
    scope: Any = None
    """The ``team_scope.Scope`` the committee holds this package to (set by the merge; None: none)."""
    province: str = ""
    settings: dict[str, Any] | None = None
    """A handout's document settings (``{"reports": …}``); None when the package brings none."""
    builds_on: list[Predecessor] = field(default_factory=list)
    """An incremental package's predecessors (the manifest's ``builds_on``); [] for a full package."""
    confirmations: list[dict[str, Any]] = field(default_factory=list)
    """Carried evidence the team confirmed for this year (``data.json``'s ``confirmations``)."""
    project_trusted: bool = False
    """Signed by a certificate of the project's own trust list (``exchange.trust``): such a package may
    bring criteria sets the project does not have without being accepted one by one."""

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
    inc.province = _str(project.get("province", ""), "project.province", field="project.province")
    if "settings" in data:  # optional: only handouts carry the committee's document settings
        settings = _obj(data["settings"], "settings")
        inc.settings = {k: _storable(_obj(v, f"settings.{k}"), f"settings.{k}")
                        for k, v in settings.items() if k in HANDOUT_SETTINGS}
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
                # the details a province keeps (migration 0006): absent from older packages
                **{name: _str(u.get(name, ""), f"{w}.{name}", field=f"unit.{name}") for name in UNIT_DETAILS},
                "retired_at": None if u.get("retired_at") is None
                else _time(u["retired_at"], f"{w}.retired_at"),
            }
        )
    for i, a in enumerate(_list(data, "assessments", DATA)):
        w = f"assessments[{i}]"
        a = _obj(a, w)
        status = _str(a.get("status", "self_assessment"), f"{w}.status", limit=32)
        if status not in ASSESSMENT_STATUSES:
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
                # carried from last year and not confirmed yet (new-year): absent from older packages
                "carried_from": None if e.get("carried_from") is None
                else _year(e.get("carried_from"), f"{w}.carried_from"),
                "carry_pending": _bool(e.get("carry_pending", False), f"{w}.carry_pending"),
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
    if "confirmations" in data:  # optional: packages written before confirmations travelled have none
        assessments = {a["id"] for a in inc.assessments}
        for i, c in enumerate(_list(data, "confirmations", DATA)):
            w = f"confirmations[{i}]"
            c = _obj(c, w)
            rec = {
                "evidence_id": _uuid(c.get("evidence_id"), f"{w}.evidence_id"),
                "assessment_id": _uuid(c.get("assessment_id"), f"{w}.assessment_id"),
                "criterion_code": _str(c.get("criterion_code"), f"{w}.criterion_code", limit=64, empty=False),
                "sha256": _str(c.get("sha256"), f"{w}.sha256", limit=64, empty=False),
                "file_name": _str(c.get("file_name", ""), f"{w}.file_name", limit=255),
                "where": w,
            }
            if rec["assessment_id"] not in assessments:
                raise _Bad(f"{w}.assessment_id: not an assessment of this package")
            inc.confirmations.append(rec)
    if "conflicts" in data:  # optional: packages written before decisions travelled have none
        assessments = {a["id"] for a in inc.assessments}
        for i, c in enumerate(_list(data, "conflicts", DATA)):
            rec = _parse_conflict(_obj(c, f"conflicts[{i}]"), f"conflicts[{i}]")
            if rec["assessment_id"] not in assessments:
                raise _Bad(f"conflicts[{i}].assessment_id: not an assessment of this package")
            inc.conflicts.append(rec)


HANDOUT_SETTINGS = ("reports",)
"""The project settings a handout carries (checked again by their own service when applied)."""


def _manifest_purpose(inc: _Incoming, manifest: dict[str, Any]) -> None:
    """The manifest's ``purpose`` and ``team`` (fields added for handouts; absent: a team package)."""
    purpose = manifest.get("purpose", PURPOSE_TEAM)
    if purpose not in PURPOSES:
        raise PackageError("handout.bad_purpose", label=inc.label, purpose=str(purpose)[:40])
    team = manifest.get("team", "")
    try:
        inc.team = check_text(team, "author")  # a team is named like the people in it
    except FieldError as exc:
        raise PackageError("handout.bad_team", label=inc.label, error=exc.message) from None
    inc.purpose = purpose
    handout_id = manifest.get("handout_id", "")
    if not isinstance(handout_id, str) or len(handout_id) > 64:
        raise PackageError("handout.bad_team", label=inc.label, error="handout_id")
    inc.handout_id = handout_id
    if "team_scope" in manifest:
        from evaluator.services.team_scope import Scope

        try:
            inc.team_scope = Scope.from_json(manifest["team_scope"]).to_json()
        except ValueError as exc:
            raise PackageError("teams.bad_scope", label=inc.label, error=str(exc)) from None


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


def _project_trusts(package: Package, trusted: bool | None, other_files: bool,
                    trusted_pem: Sequence[str]) -> bool:
    """Whether a valid signature chains to the project's own trust list (``trusted_pem``): certificates
    given only for this import (``trust_files``) do not count, so the check is made again without them."""
    if not trusted_pem:
        return False
    if not other_files:
        return trusted is True
    again = check_signature(package.manifest_bytes, package.signature or b"",
                            trusted_from_pem(trusted_pem, f"setting {TRUST_SETTING}"),
                            at=datetime.fromisoformat(package.manifest["created"]))
    return again.valid and again.trusted is True


def read_packages(
    paths: Sequence[Path | str],
    problems: _Problems,
    trust_files: Sequence[Path | str] = (),
    known: frozenset[str] | set[str] = frozenset(),
    progress: Progress = no_progress,
    share: float = 1.0,
    trusted_pem: Sequence[str] = (),
    store: EvidenceStore | None = None,
    landed: list[Path] | None = None,
) -> list[_Incoming]:
    """Open and check every package; parse the data of those whose manifest is not in ``known``
    (packages imported before: their records are all in the project already). The zips are closed.
    ``progress`` goes from 0 to ``share`` over the packages. With trusted certificates (``trust_files``
    or ``trusted_pem``, the project's ``exchange.trust`` setting) every package must be signed by one.
    With a ``store`` and ``landed`` list, evidence the store does not hold yet is copied into it while it is
    checked (one read of each byte, ``Package.verify_all``); the caller removes what ``landed`` lists
    when the import does not go through (also when this raises)."""
    trusted = None
    if trust_files or trusted_pem:
        try:
            trusted = load_trusted(trust_files) + trusted_from_pem(trusted_pem, f"setting {TRUST_SETTING}")
        except SigningError as exc:
            raise UserError.from_error(exc) from exc
    found: list[_Incoming] = []
    # the bytes every entry expands to: checking evidence hashes is most of the time a big import takes
    meter = ByteMeter(progress, "read", sum(_expanded_size(p) for p in paths), share=share, steps=len(paths))
    for p in paths:
        meter.step()
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
            package.verify_all(skip=() if inc.already else (DATA,), on_bytes=meter,
                               store=None if inc.already else store, landed=landed)
            if package.signature is None and trusted is not None:
                # removing the signature must not get a package past the trust list
                if trust_files:
                    raise PackageError("package.not_signed_trust", label=inc.label)
                raise PackageError("package.not_signed_trust_setting", label=inc.label, setting=TRUST_SETTING)
            if package.signature is not None:
                check = check_signature(
                    package.manifest_bytes,
                    package.signature,
                    trusted,
                    at=datetime.fromisoformat(package.manifest["created"]),
                )
                if not check.valid:
                    raise PackageError("package.label_broken_signature", label=inc.label,
                                       problem=check.problem)
                if check.trusted is False:
                    raise PackageError("package.label_untrusted", label=inc.label, subject=check.subject)
                inc.signed_by = check.subject
                inc.signature_note = "; ".join(check.notes)
                inc.project_trusted = _project_trusts(package, check.trusted, bool(trust_files), trusted_pem)
            _manifest_purpose(inc, package.manifest)
            inc.builds_on = parse_builds_on(package.manifest, inc.label)
            if not inc.already:
                raw = package.read(DATA)
                meter(len(raw))
                _parse_data(inc, raw)
        except PackageError as exc:
            problems.items.append(exc.message)  # its code: rendered in the language of whoever reads it
        except _Bad as exc:
            problems.add("merge.data_bad", label=inc.label, data=DATA, error=str(exc))
        finally:
            package.close()  # reopened for the evidence files (a thousand open zips would exhaust handles)
        if inc.project_id is not None and str(inc.project_id) != package.manifest["project_id"]:
            problems.add("merge.data_project", label=inc.label, data_id=inc.project_id,
                         manifest_id=package.manifest["project_id"])
        declared = {(c["code"], c["version"], c["sha256"]) for c in package.manifest["criteria_sets"]}
        if inc.sets and declared != {(c["code"], c["version"], c["sha256"]) for c in inc.sets}:
            problems.add("merge.data_sets", label=inc.label)
    meter.finish()
    return found


def _expanded_size(path: Path | str) -> int:
    """What a package's entries (but its manifest and signature) expand to, by its zip directory: the
    total of the byte progress only (0 for a file that is no zip: ``open_package`` names its problem)."""
    try:
        with open_zip(path) as zf:  # also a package split in volumes
            return sum(i.file_size for i in zf.infolist() if i.filename not in (MANIFEST, SIGNATURE))
    except (OSError, zipfile.BadZipFile, ValueError, NotImplementedError, RuntimeError, EOFError, Coded):
        return 0


