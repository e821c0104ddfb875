"""Units reorganised (issue 13): merge several units into one, rename a unit, retire a whole kind from a
year on (districts from 2025) — the use cases behind ``evaluator units merge|rename|retire-kind``.

History stays with the old units: a merged or renamed unit is a unit row of its own (a new code), and the
old rows keep their assessments, scores, documents and audit trail; they are retired from the year of the
change (``retired_at`` = 1 January of that year, so ``units.retired_in`` leaves them out of that year's
ranking and keeps them in the years before). A ``UnitPredecessor`` row says whom the new unit continues:
the year-over-year figures (``results``) compare a renamed unit with its predecessor as before and a merged
unit with its predecessors' mean index.

A retired unit gets no assessment in the year: an unscored one is removed (kept, unranked, when the audit
log names it — the log's hash chain cannot lose a row it points to); one that holds scores or evidence is
refused, naming the unit. Each call is one transaction, audited, with a backup first; a dry run writes
nothing (not even this computer's device row) and reports the same lines.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaluator.errors import Problems, UserError
from evaluator.fields import FieldError, check_text, check_year
from evaluator.messages import Message, labels
from evaluator.models import Assessment, AuditEvent, Evidence, Period, Project, Score, Unit, UnitPredecessor
from evaluator.models.exchange_schema import Conflict
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.units import (
    CODE_PATTERN,
    NO_PARENT,
    UnitDetails,
    add_assessment,
    add_unit,
    check_details,
    project_kinds,
    retired_in,
)
from evaluator.services.users import Actor, actor_in


@dataclass
class ReorgReport:
    """What a reorganisation did (or, in a dry run, would do), line by line."""

    action: str
    """``merge``, ``rename`` or ``retire-kind``."""
    year: int
    dry_run: bool
    unit: str = ""
    """The merged, renamed or added unit's code ('' for retire-kind)."""
    created: bool = False
    name: str = ""
    """The created unit's name and kind (``created``)."""
    kind: str = ""
    predecessors: list[tuple[str, str]] = field(default_factory=list)
    """(code, basis) of the unit's predecessors."""
    retired: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    """Units whose unscored assessment of ``year`` was removed."""
    kept: list[str] = field(default_factory=list)
    """Units whose unscored assessment of ``year`` stays (the audit log names it), unranked."""
    assessed: str = ""
    """The criteria set of the new assessment ('' when none was made)."""
    backup: str = ""
    lines: list[Message] = field(default_factory=list)
    change: Change = field(default_factory=Change)

    def render(self, language: str | None = None) -> str:
        out = list(self.lines)
        if self.backup:
            out.append(Message("reorg.backup", {"path": self.backup}))
        if self.dry_run:
            out.append(Message("reorg.dry_run"))
        return "\n".join(m.render(language) for m in out)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "year": self.year, "dry_run": self.dry_run, "unit": self.unit,
                "created": self.created, **({"name": self.name, "kind": self.kind} if self.created else {}),
                "predecessors": [{"code": c, "basis": b} for c, b in self.predecessors],
                "retired": self.retired, "assessments_removed": self.removed,
                "assessments_kept": self.kept, "assessment_set": self.assessed or None, "backup": self.backup}


def year_start(year: int) -> datetime:
    """The retirement time of a unit retired "from ``year``": the first moment of that year."""
    return datetime(year, 1, 1, tzinfo=UTC)


def _year(year: object) -> int:
    try:
        return check_year(year)
    except FieldError as exc:
        raise UserError("units.year_refused", error=exc.message) from None


def _unit(session: Session, code: str, problems: Problems) -> Unit | None:
    unit = session.scalars(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        problems.add("units.unknown", code=code if CODE_PATTERN.fullmatch(code) else repr(code))
    return unit


def _active_in(unit: Unit, year: int, problems: Problems) -> bool:
    """Whether ``unit`` is still in use in the year before ``year`` (a unit retired earlier has no place
    left to hand over)."""
    if unit.retired_at is not None and unit.retired_at.year < year:
        problems.add("reorg.retired_before", code=unit.code, time=f"{unit.retired_at:%Y-%m-%d}", year=year)
        return False
    return True


def _not_yet_followed(session: Session, unit: Unit, year: int, problems: Problems) -> bool:
    """Whether ``unit`` is not yet a predecessor of another unit from ``year`` (merged or renamed once)."""
    row = session.execute(select(Unit.code).join(UnitPredecessor, UnitPredecessor.unit_id == Unit.id)
                          .where(UnitPredecessor.predecessor_id == unit.id, UnitPredecessor.from_year == year,
                                 UnitPredecessor.basis != "same")).first()
    if row is not None:
        problems.add("reorg.already_followed", code=unit.code, unit=row[0], year=year)
        return False
    return True


def _assessment_of(session: Session, unit: Unit, year: int) -> Assessment | None:
    return session.scalars(select(Assessment).join(Period, Period.id == Assessment.period_id)
                           .where(Assessment.unit_id == unit.id, Period.year == year)).first()


def _check_unscored(session: Session, unit: Unit, year: int, problems: Problems) -> Assessment | None:
    """The unit's assessment of ``year`` when it holds nothing (it is removed); a problem when it holds
    scores or evidence (the work of that year would be lost)."""
    found = _assessment_of(session, unit, year)
    if found is None:
        return None
    scores = session.scalar(select(func.count()).select_from(Score).where(Score.assessment_id == found.id))
    files = session.scalar(select(func.count()).select_from(Evidence)
                           .where(Evidence.assessment_id == found.id))
    if scores or files:
        problems.add("reorg.scored", code=unit.code, name=unit.name, year=year, scores=scores or 0,
                     files=files or 0)
    return found


def _remove_assessment(session: Session, unit: Unit, found: Assessment, year: int, actor: Actor,
                       report: ReorgReport) -> None:
    named = session.scalars(select(AuditEvent.id).where(AuditEvent.assessment_id == found.id)
                            .limit(1)).first()
    conflict = session.scalars(select(Conflict.id).where(Conflict.assessment_id == found.id).limit(1)).first()
    if named is not None or conflict is not None:
        report.kept.append(unit.code)
        report.lines.append(Message("reorg.assessment_kept", {"code": unit.code, "year": year}))
        return
    report.removed.append(unit.code)
    report.lines.append(Message("reorg.assessment_removed", {"code": unit.code, "year": year}))
    if not report.dry_run:
        session.delete(found)
        session.flush()
        _record(session, "unit.unassess", actor, old={"unit": unit.code, "year": year},
                reason=f"units {report.action}")
        report.change.merge(Change(units=True, audit=True, years={year}))


def _retire(session: Session, unit: Unit, year: int, actor: Actor, report: ReorgReport) -> None:
    report.retired.append(unit.code)
    report.lines.append(Message("reorg.retired", {"code": unit.code, "name": unit.name, "year": year}))
    if report.dry_run:
        return
    old = unit.retired_at
    unit.retired_at = year_start(year)
    _record(session, "unit.retire", actor, old={"code": unit.code, "retired_at": old},
            new={"code": unit.code, "retired_at": unit.retired_at}, reason=f"units {report.action} {year}")
    report.change.merge(Change(units=True, audit=True))


def _new_assessment(session: Session, unit_code: str, kind: str, year: int, actor: Actor | None,
                    report: ReorgReport) -> None:
    """The new unit's assessment of ``year`` when the year has a set for its kind (else a line saying so)."""
    try:
        set_row = framework_for_kind(session, year, kind)
    except UserError:
        report.lines.append(Message("reorg.no_set", {"code": unit_code, "year": year,
                                                     "kind": labels.kind(kind)}))
        return
    report.assessed = set_row.identity
    report.lines.append(Message("reorg.assessed", {"code": unit_code, "year": year, "set": set_row.identity}))
    if actor is not None:
        unit = session.scalars(select(Unit).where(Unit.code == unit_code)).one()
        report.change.merge(add_assessment(session, unit, year, actor=actor))


def _predecessor(session: Session, unit: Unit | None, old: Unit, basis: str, year: int, actor: Actor | None,
                 report: ReorgReport) -> None:
    """Record ``old`` as a predecessor of ``unit`` (``None`` in a dry run that would create it)."""
    report.predecessors.append((old.code, basis))
    report.lines.append(Message("reorg.predecessor", {"code": report.unit, "year": year,
                                                      "predecessor": old.code,
                                                      "basis": Message(f"reorg.basis_{basis}")}))
    if actor is not None and unit is not None:
        session.add(UnitPredecessor(unit_id=unit.id, predecessor_id=old.id, basis=basis, from_year=year,
                                    created_by=actor.author))


def _check_who(author: str, problems: Problems) -> None:
    try:
        check_text(author, "author")
    except FieldError as exc:
        problems.add("units.field_problem", field="author", problem=exc.message)


def _refuse(problems: Problems, year: int) -> None:
    if problems.items:
        raise UserError("reorg.refused", problems.items, year=year, count=len(problems.items))


def _backup(project: Project, report: ReorgReport) -> None:
    from evaluator.services.backups import backup_before_import

    report.backup = str(backup_before_import(project, "reorganise") or "")


def _backup_of(project: Project, report: ReorgReport, backup: bool) -> Callable[[], None] | None:
    return (lambda: _backup(project, report)) if backup else None


def _record(session: Session, action: str, actor: Actor, **details: Any) -> None:
    audit.record(session, action, author=actor.author, role=actor.role, device_id=actor.device_id, **details)


# --- merge ----------------------------------------------------------------------------------------------
def merge_units(project: Project, year: object, into: str, old_codes: list[str], *, name: str = "",
                author: str = "", role: str = "committee", dry_run: bool = False,
                backup: bool = True) -> ReorgReport:
    """Merge ``old_codes`` into unit ``into`` from ``year`` on.

    ``into`` new: it is created with ``name``, the old units' kind and their common parent (when they share
    one still in use in ``year``), and its assessment of ``year`` when the year has a set for the kind.
    ``into`` existing (a department absorbing another): it stays, its name becomes ``name`` when given, and
    it names itself a predecessor (basis ``same``) beside the absorbed units (``merged``). The old units are
    retired from ``year``."""
    y = _year(year)
    report = ReorgReport("merge", y, dry_run, unit=into)
    with project.session(write=not dry_run) as session:
        merge_in(session, report, into, old_codes, name=name, author=author, role=role,
                 before_write=_backup_of(project, report, backup))
    return report


def merge_in(session: Session, report: ReorgReport, into: str, old_codes: list[str] | tuple[str, ...], *,
             name: str = "", author: str = "", role: str = "committee",
             before_write: Callable[[], None] | None = None, assess: bool = True) -> None:
    """``merge_units`` inside ``session`` (``report`` says the year and whether it is a dry run); no
    backup but ``before_write``; ``assess`` False: no assessment of the year for the new unit (the new
    year's creation makes it)."""
    y, dry_run = report.year, report.dry_run
    problems = Problems()
    _check_who(author, problems)
    if not old_codes:
        problems.add("reorg.no_old")
    seen: set[str] = set()
    olds: list[Unit] = []
    for code in old_codes:
        if code in seen:
            problems.add("reorg.duplicate", code=code)
            continue
        seen.add(code)
        if code == into:
            problems.add("reorg.into_listed", code=code)
            continue
        unit = _unit(session, code, problems)
        if unit is not None and _active_in(unit, y, problems) and _not_yet_followed(session, unit, y,
                                                                                     problems):
            olds.append(unit)
    target = session.scalars(select(Unit).where(Unit.code == into)).first()
    kinds = sorted({u.kind for u in olds})
    if len(kinds) > 1:
        problems.add("reorg.mixed_kinds", units=", ".join(f"{u.code} ({labels.kind(u.kind).render()})"
                                                          for u in olds))
    kind = kinds[0] if len(kinds) == 1 else ""
    if target is not None:
        if target.retired_at is not None and target.retired_at.year <= y:  # it has no year y to go on in
            problems.add("reorg.into_retired", code=into, time=f"{target.retired_at:%Y-%m-%d}", year=y)
        if kind and target.kind != kind:
            problems.add("reorg.into_kind", code=into, have=labels.kind(target.kind),
                         want=labels.kind(kind))
    found = {u.code: _check_unscored(session, u, y, problems) for u in olds}
    parent = _common_parent(session, olds, y)
    details = UnitDetails(code=into, name=name, kind=kind, parent_code=parent)
    if target is None and kind:
        check_details(details, problems, kinds=project_kinds(session), codes=_codes(session))
    elif target is not None and name and name != target.name:
        try:
            check_text(name, "unit.name")
        except FieldError as exc:
            problems.add("units.field_problem", field="name", problem=exc.message)
    _refuse(problems, y)

    if not dry_run and before_write is not None:
        before_write()
    actor = None if dry_run else actor_in(session, author, role)
    reason = f"units merge {y}"
    if target is None:
        report.created, report.name, report.kind = True, name, kind
        report.lines.append(Message("reorg.created", {"code": into, "name": name,
                                                      "kind": labels.kind(kind)}))
        if actor is not None:
            report.change.merge(add_unit(session, details, actor=actor, reason=reason))
            target = session.scalars(select(Unit).where(Unit.code == into)).one()
    else:
        report.lines.append(Message("reorg.kept", {"code": into, "name": target.name}))
        if name and name != target.name:
            report.lines.append(Message("reorg.new_name", {"code": into, "name": name}))
            if actor is not None:
                _record(session, "unit.edit", actor, old={"name": target.name},
                        new={"code": into, "name": name}, reason=reason)
                target.name = name
    for old in olds:
        _predecessor(session, target, old, "merged", y, actor, report)
    if not report.created:  # the unit's own past, once (a second merge into it in the same year)
        assert target is not None
        if session.scalars(select(UnitPredecessor.id).where(
                UnitPredecessor.unit_id == target.id, UnitPredecessor.predecessor_id == target.id,
                UnitPredecessor.from_year == y)).first() is None:
            _predecessor(session, target, target, "same", y, actor, report)
    for old in olds:
        a = found[old.code]
        if a is not None:
            _remove_assessment(session, old, a, y, actor or _NOBODY, report)
        _retire(session, old, y, actor or _NOBODY, report)
    if kind and assess:
        _new_assessment(session, into, kind, y, actor, report)
    if actor is not None:
        session.flush()
        _record(session, "unit.merge", actor, new={"unit": into, "year": y, "predecessors": [
            {"code": c, "basis": b} for c, b in report.predecessors]}, reason=reason)
        report.change.merge(Change(units=True, audit=True, years={y}))


_NOBODY = Actor("", "", "")
"""The actor a dry run passes along: it records nothing (every write is skipped in a dry run)."""


def _codes(session: Session) -> dict[str, str]:
    return {code: kind for code, kind in session.execute(select(Unit.code, Unit.kind))}


def _common_parent(session: Session, units: list[Unit], year: int) -> str:
    """The parent the old units share, when it is still in use in ``year``; '' otherwise (communes whose
    districts are retired in 2025 have none)."""
    parents = {u.parent_code or "" for u in units}
    if len(parents) != 1 or not units or units[0].kind in NO_PARENT:
        return ""
    parent = parents.pop()
    if not parent:
        return ""
    row = session.scalars(select(Unit).where(Unit.code == parent)).first()
    if row is None or row.id in retired_in(session, year):
        return ""
    return parent


# --- rename ---------------------------------------------------------------------------------------------
def rename_unit(project: Project, year: object, code: str, to: str, *, name: str = "", author: str = "",
                role: str = "committee", dry_run: bool = False, backup: bool = True) -> ReorgReport:
    """From ``year`` on, unit ``code`` is unit ``to`` (named ``name``, else as before): a new unit row with
    the old one's details, the old one as its predecessor (``renamed``), the old one retired from ``year``
    with its history. Units that named the old unit as their parent follow the new one."""
    y = _year(year)
    report = ReorgReport("rename", y, dry_run, unit=to)
    with project.session(write=not dry_run) as session:
        rename_in(session, report, code, to, name=name, author=author, role=role,
                  before_write=_backup_of(project, report, backup))
    return report


def rename_in(session: Session, report: ReorgReport, code: str, to: str, *, name: str = "", author: str = "",
              role: str = "committee", before_write: Callable[[], None] | None = None,
              assess: bool = True) -> None:
    """``rename_unit`` inside ``session`` (as ``merge_in``)."""
    y, dry_run = report.year, report.dry_run
    problems = Problems()
    _check_who(author, problems)
    old = _unit(session, code, problems)
    if old is not None and _active_in(old, y, problems):
        _not_yet_followed(session, old, y, problems)
    if to == code:
        problems.add("reorg.same_code", code=code)
    found = None
    details = None
    if old is not None and to != code:
        details = UnitDetails(code=to, name=name or old.name, kind=old.kind, short_name=old.short_name,
                              parent_code=old.parent_code or "", ranking_group=old.ranking_group,
                              abbreviation=old.abbreviation, head_title=old.head_title)
        codes = _codes(session)
        check_details(details, problems, kinds=project_kinds(session), codes=codes)
        if to in codes:
            problems.add("units.exists", code=to)
        found = _check_unscored(session, old, y, problems)
    _refuse(problems, y)
    assert old is not None and details is not None

    if not dry_run and before_write is not None:
        before_write()
    actor = None if dry_run else actor_in(session, author, role)
    reason = f"units rename {y}"
    report.created, report.name, report.kind = True, details.name, old.kind
    report.lines.append(Message("reorg.created", {"code": to, "name": details.name,
                                                  "kind": labels.kind(old.kind)}))
    target = old
    if actor is not None:
        report.change.merge(add_unit(session, details, actor=actor, reason=reason))
        target = session.scalars(select(Unit).where(Unit.code == to)).one()
    _predecessor(session, target, old, "renamed", y, actor, report)
    if found is not None:
        _remove_assessment(session, old, found, y, actor or _NOBODY, report)
    _retire(session, old, y, actor or _NOBODY, report)
    retired = retired_in(session, y)
    for child in session.scalars(select(Unit).where(Unit.parent_code == code).order_by(Unit.code)):
        if child.id in retired:
            continue
        report.lines.append(Message("reorg.child", {"code": child.code, "parent": to}))
        if actor is not None:
            _record(session, "unit.edit", actor, old={"parent_code": code},
                    new={"code": child.code, "parent_code": to}, reason=reason)
            child.parent_code = to
    if assess:
        _new_assessment(session, to, old.kind, y, actor, report)
    if actor is not None:
        session.flush()
        _record(session, "unit.rename", actor, new={"unit": to, "year": y, "predecessor": code},
                reason=reason)
        report.change.merge(Change(units=True, audit=True, years={y}))


# --- retire a kind --------------------------------------------------------------------------------------
def retire_kind(project: Project, year: object, kind: str, *, author: str = "", role: str = "committee",
                dry_run: bool = False, backup: bool = True) -> ReorgReport:
    """Retire every unit of ``kind`` still in use from ``year`` on (districts from 2025); refused when any
    of their assessments of ``year`` holds scores or evidence."""
    y = _year(year)
    report = ReorgReport("retire-kind", y, dry_run)
    with project.session(write=not dry_run) as session:
        retire_kind_in(session, report, kind, author=author, role=role,
                       before_write=_backup_of(project, report, backup))
    return report


def retire_kind_in(session: Session, report: ReorgReport, kind: str, *, author: str = "",
                   role: str = "committee", before_write: Callable[[], None] | None = None) -> None:
    """``retire_kind`` inside ``session`` (as ``merge_in``)."""
    y, dry_run = report.year, report.dry_run
    problems = Problems()
    _check_who(author, problems)
    known = project_kinds(session)
    if kind not in known:
        problems.add("units.kind_unknown", kind=kind, kinds=labels.Terms("kind", tuple(known)))
    retired = retired_in(session, y)  # retired already, from this year or before: nothing to do
    units = [u for u in session.scalars(select(Unit).where(Unit.kind == kind).order_by(Unit.code))
             if u.id not in retired]
    if kind in known and not units:
        problems.add("reorg.kind_none", kind=labels.kind(kind), year=y)
    found = {u.code: _check_unscored(session, u, y, problems) for u in units}
    _refuse(problems, y)

    if not dry_run and before_write is not None:
        before_write()
    actor = None if dry_run else actor_in(session, author, role)
    for unit in units:
        a = found[unit.code]
        if a is not None:
            _remove_assessment(session, unit, a, y, actor or _NOBODY, report)
        _retire(session, unit, y, actor or _NOBODY, report)
    report.lines.insert(0, Message("reorg.kind_retired", {"kind": labels.kind(kind), "year": y,
                                                          "count": len(units)}))
    if actor is not None:
        session.flush()
        _record(session, "unit.retire_kind", actor, new={"kind": kind, "year": y,
                                                         "units": [u.code for u in units]},
                reason=f"units retire-kind {y}")
        report.change.merge(Change(units=True, audit=True, years={y}))


# --- several changes at once (the new-year wizard) ------------------------------------------------------
CHANGE_ACTIONS = ("retire-kind", "rename", "merge", "add")
"""In the order they are applied: a kind retired first (communes merged then have no district left to
belong to), a unit added last."""


@dataclass(frozen=True)
class UnitChange:
    """One change of the units from a year on, pending until the new year is made."""

    action: str
    """One of ``CHANGE_ACTIONS``."""
    code: str = ""
    """merge: the unit after (new or existing); rename: the new code; add: the new unit's code."""
    name: str = ""
    old_codes: tuple[str, ...] = ()
    """merge: the merged units; rename: the one renamed."""
    kind: str = ""
    """retire-kind: the kind retired; add: the new unit's kind."""
    parent: str = ""
    """add: the parent unit's code ('' for none)."""

    def codes(self) -> tuple[str, ...]:
        """The unit codes this change touches."""
        return tuple(c for c in (*self.old_codes, self.code) if c)

    def to_json(self) -> dict[str, Any]:
        return {"action": self.action, "code": self.code, "name": self.name,
                "old_codes": list(self.old_codes), "kind": self.kind, "parent": self.parent}


def add_in(session: Session, report: ReorgReport, details: UnitDetails, *, author: str = "",
           role: str = "committee", before_write: Callable[[], None] | None = None) -> None:
    """A new unit from ``report.year`` on (no predecessor): the details checked as ``units add`` does."""
    problems = Problems()
    _check_who(author, problems)
    codes = _codes(session)
    check_details(details, problems, kinds=project_kinds(session), codes=codes)
    if details.code in codes:
        problems.add("units.exists", code=details.code)
    _refuse(problems, report.year)
    report.created, report.name, report.kind = True, details.name, details.kind
    report.lines.append(Message("reorg.created", {"code": details.code, "name": details.name,
                                                  "kind": labels.kind(details.kind)}))
    if report.dry_run:
        return
    if before_write is not None:
        before_write()
    actor = actor_in(session, author, role)
    report.change.merge(add_unit(session, details, actor=actor, reason=f"units add {report.year}"))


def apply_changes(session: Session, year: int, changes: list[UnitChange] | tuple[UnitChange, ...], *,
                  author: str = "", role: str = "committee", dry_run: bool = False,
                  assess: bool = True) -> list[ReorgReport]:
    """Several changes from ``year`` on, in ``session`` (the caller's transaction: all or nothing), in the
    order of ``CHANGE_ACTIONS``. A unit may take part in one change only (a dry run checks each change
    against the project as it is, so a change cannot build on another)."""
    y = _year(year)
    problems = Problems()
    seen: dict[str, int] = {}
    for n, change in enumerate(changes, 1):
        if change.action not in CHANGE_ACTIONS:
            problems.add("reorg.action_unknown", action=change.action, actions=", ".join(CHANGE_ACTIONS))
        for code in dict.fromkeys(change.codes()):
            if code in seen:
                problems.add("reorg.two_changes", code=code, first=seen[code], second=n)
            else:
                seen[code] = n
    _refuse(problems, y)
    reports = []
    for change in sorted(changes, key=lambda c: CHANGE_ACTIONS.index(c.action)):
        report = ReorgReport(change.action, y, dry_run, unit=change.code)
        if change.action == "merge":
            merge_in(session, report, change.code, list(change.old_codes), name=change.name, author=author,
                     role=role, assess=assess)
        elif change.action == "rename":
            old = change.old_codes[0] if change.old_codes else ""
            rename_in(session, report, old, change.code, name=change.name, author=author, role=role,
                      assess=assess)
        elif change.action == "retire-kind":
            retire_kind_in(session, report, change.kind, author=author, role=role)
        else:
            add_in(session, report, UnitDetails(code=change.code, name=change.name, kind=change.kind,
                                                parent_code=change.parent), author=author, role=role)
        reports.append(report)
    return reports


# --- reading --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Predecessors:
    """Whom a unit continues in a year: its predecessors' codes and the basis of the comparison."""

    codes: tuple[str, ...]
    basis: str
    """``renamed`` or ``merged`` (a unit that absorbed others: ``merged``, its own code among ``codes``)."""


def predecessors_in(session: Session, year: int) -> dict[uuid.UUID, Predecessors]:
    """The units that start in ``year`` with predecessors, by unit id (codes in the order recorded)."""
    rows = session.execute(select(UnitPredecessor.unit_id, Unit.code, UnitPredecessor.basis)
                           .join(Unit, Unit.id == UnitPredecessor.predecessor_id)
                           .where(UnitPredecessor.from_year == year)
                           .order_by(UnitPredecessor.unit_id, Unit.code)).all()
    grouped: dict[uuid.UUID, list[tuple[str, str]]] = {}
    for unit_id, code, basis in rows:
        grouped.setdefault(unit_id, []).append((code, basis))
    out = {}
    for unit_id, items in grouped.items():
        bases = {b for _c, b in items}
        basis = "merged" if "merged" in bases else "renamed"
        out[unit_id] = Predecessors(tuple(c for c, _b in items), basis)
    return out


