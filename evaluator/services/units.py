"""The units a province owns: list, add, edit, retire (and bring back) — the use cases behind
``evaluator units`` and the GUI's unit window. The workbook import and export are in ``unit_sheets``.

A unit's code identifies it across laptops (team packages carry it), so it is checked hard
(``CODE_PATTERN``) and, once the unit's data may have left the project, never changed. A unit's kind must
be one the project's criteria sets know (``project_kinds``): a unit of another kind could never be scored.
Retiring keeps the unit, its assessments and its history; it only leaves the default lists, rankings and
exports. Every change is audited (``unit.add``, ``unit.edit``, ``unit.retire``, ``unit.restore``) and
returns a ``Change``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, cast

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from evaluator.errors import Problems, UserError
from evaluator.fields import LIMITS, FieldError, check_text, check_year
from evaluator.messages import Message, labels
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, Score, Unit, utcnow
from evaluator.models.schema import KIND_ORDER, UnitAlias
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.external_import import shown
from evaluator.services.frameworks import framework_for_kind, framework_of
from evaluator.services.projects import ensure_period
from evaluator.services.users import Actor

CODE_PATTERN = re.compile(r"[A-Za-z0-9_.\-]+")
"""What a unit code may hold: it names the unit in packages, file names and document numbers."""

TEXT_FIELDS = ("name", "short_name", "ranking_group", "abbreviation", "head_title")
"""The free-text details (their limits: ``fields.LIMITS['unit.<field>']``)."""
EDITABLE = ("code", "kind", "parent_code", *TEXT_FIELDS)


@dataclass(frozen=True)
class UnitDetails:
    """What a person gives about a unit (the add and edit forms, one row of the import sheet)."""

    code: str
    name: str
    kind: str
    short_name: str = ""
    parent_code: str = ""
    """'' for none."""
    ranking_group: str = ""
    abbreviation: str = ""
    head_title: str = ""


@dataclass(frozen=True)
class UnitInfo:
    """A unit as lists show it."""

    id: uuid.UUID
    code: str
    name: str
    kind: str
    short_name: str
    parent_code: str
    ranking_group: str
    abbreviation: str
    head_title: str
    retired_at: datetime | None
    years: tuple[int, ...]
    """The years the unit has an assessment in."""

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def details(self) -> UnitDetails:
        return UnitDetails(**{f.name: getattr(self, f.name) for f in fields(UnitDetails)})

    def to_json(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "kind": self.kind, "short_name": self.short_name,
                "parent_code": self.parent_code, "ranking_group": self.ranking_group,
                "abbreviation": self.abbreviation, "head_title": self.head_title,
                "retired_at": None if self.retired_at is None else self.retired_at.isoformat(),
                "years": list(self.years)}


def _info(unit: Unit, years: Iterable[int]) -> UnitInfo:
    return UnitInfo(unit.id, unit.code, unit.name, unit.kind, unit.short_name, unit.parent_code or "",
                    unit.ranking_group, unit.abbreviation, unit.head_title, unit.retired_at,
                    tuple(sorted(set(years))))


def _order(unit: Unit | UnitInfo) -> tuple[int, str, str]:
    return KIND_ORDER.get(unit.kind, len(KIND_ORDER)), unit.kind, unit.code


def list_units(session: Session, *, include_retired: bool = False, kind: str | None = None) -> list[UnitInfo]:
    """The project's units, departments, districts, communes (then other kinds), each by code; retired units
    only with ``include_retired``."""
    q = select(Unit)
    if not include_retired:
        q = q.where(Unit.retired_at.is_(None))
    if kind is not None:
        q = q.where(Unit.kind == kind)
    units = list(session.scalars(q))
    years: dict[uuid.UUID, list[int]] = {}
    for unit_id, year in session.execute(select(Assessment.unit_id, Period.year)
                                         .join(Period, Period.id == Assessment.period_id)):
        years.setdefault(unit_id, []).append(year)
    return sorted((_info(u, years.get(u.id, ())) for u in units), key=_order)


def get_unit(session: Session, code: str) -> Unit:
    unit = session.scalars(select(Unit).where(Unit.code == code)).first()
    if unit is None:
        raise UserError("units.unknown", code=_shown(code))
    return unit


def project_kinds(session: Session) -> list[str]:
    """The unit kinds the project's criteria sets know (of any year), in the usual order."""
    kinds: set[str] = set()
    for row in session.scalars(select(CriteriaSet)):
        kinds.update(framework_of(row).unit_kinds)
    return sorted(kinds, key=lambda k: (KIND_ORDER.get(k, len(KIND_ORDER)), k))


# --- checking -------------------------------------------------------------------------------------------
NO_PARENT = frozenset({"department", "district"})
"""Kinds directly under the province: a unit of these kinds has no parent unit."""
PARENT_KIND = {"commune": "district"}
"""A kind whose parent, when it has one, is of this kind (a commune's district, in the years with districts;
from 2025 a commune has none). Kinds a set declares are free: the program knows nothing of their places."""


def check_details(details: UnitDetails, problems: Problems, *, kinds: Iterable[str], codes: Iterable[str],
                  where: Message | None = None, columns: Mapping[str, str] | None = None) -> None:
    """Add to ``problems`` what is wrong with ``details``: every text field against its rule, the code's
    form, the kind against ``kinds`` (the project's), the parent against ``codes`` (the units it may name;
    a mapping code → kind also checks the parent's kind: ``NO_PARENT``, ``PARENT_KIND``).
    ``where`` (a row of a sheet) prefixes each problem, naming the sheet's column (``columns``: field →
    the sheet's column name, e.g. ``kind`` → ``unit_kind``); else the field names the place."""

    def add(field: str, message: str | Message, **params: Any) -> None:
        problem = message if isinstance(message, Message) else Message(message, params)
        if where is None:
            problems.add("units.field_problem", field=field, problem=problem)
        else:
            column = (columns or {}).get(field, field)
            place = Message("import.column", {"where": where, "column": column})
            problems.add("import.cell_refused", where=place, error=problem)

    for name in ("code", "kind", *TEXT_FIELDS, "parent_code"):
        value = getattr(details, name)
        rule = "unit.code" if name == "parent_code" else f"unit.{name}"
        try:
            check_text(value, rule, empty=name not in ("code", "name", "kind"))
        except FieldError as exc:
            add(name, cast(Message, exc.message))  # a FieldError's message is always a code
            continue
        if name in ("code", "parent_code") and value and CODE_PATTERN.fullmatch(value) is None:
            add(name, "units.code_pattern", code=value, limit=LIMITS["unit.code"])
    known = list(kinds)
    if isinstance(details.kind, str) and details.kind.strip() and details.kind not in known:
        if known:
            add("kind", "units.kind_unknown", kind=details.kind, kinds=labels.Terms("kind", tuple(known)))
        else:
            add("kind", "units.no_sets")
    parent = details.parent_code
    if isinstance(parent, str) and parent and CODE_PATTERN.fullmatch(parent):
        if details.kind in NO_PARENT:
            add("parent_code", "units.parent_none", kind=labels.kind(details.kind), parent=parent)
        elif parent == details.code:
            add("parent_code", "units.parent_self", code=parent)
        elif parent not in set(codes):
            add("parent_code", "units.parent_unknown", parent=parent)
        elif isinstance(codes, Mapping) and details.kind in PARENT_KIND \
                and codes[parent] != PARENT_KIND[details.kind]:
            add("parent_code", "units.parent_kind", kind=labels.kind(details.kind), parent=parent,
                want=labels.kind(PARENT_KIND[details.kind]), have=labels.kind(codes[parent]))


def _kinds_by_code(session: Session, but: uuid.UUID | None = None) -> dict[str, str]:
    """Each unit's kind by its code (``but``: leaving that unit out)."""
    query = select(Unit.code, Unit.kind)
    if but is not None:
        query = query.where(Unit.id != but)
    return {code: kind for code, kind in session.execute(query)}


def parent_cycle(code: str, parent: str, parents: Mapping[str, str]) -> bool:
    """Whether making ``parent`` the parent of ``code`` closes a loop, given the other units' parents
    (code → parent code): a loop would leave no unit at the top to appraise the others."""
    seen = {code}
    while parent:
        if parent in seen:
            return True
        seen.add(parent)
        parent = parents.get(parent, "")
    return False


def _parents(session: Session) -> dict[str, str]:
    return {c: p for c, p in session.execute(select(Unit.code, Unit.parent_code)) if p}


def _refuse(problems: Problems, code: str) -> None:
    if problems.items:
        raise UserError("units.refused", problems.items, code=_shown(code), count=len(problems.items))


def _shown(code: str) -> str:
    """A code from outside as a message shows it: escaped (no control character reaches a terminal raw)
    and cut when long; a well-formed code as it is."""
    return code if CODE_PATTERN.fullmatch(code) and len(code) <= 40 else shown(code)


def _travelled(session: Session, unit: Unit) -> bool:
    """Whether the unit's data may be on other laptops, where packages name it by its code: it was merged
    from a package (an alias), or something was scored or attached for it (packages carry assessed units).
    Exports are not recorded, so this is the safe side of "has packages out"."""
    scored = (select(Assessment.id).where(Assessment.unit_id == unit.id)
              .where(exists().where(Score.assessment_id == Assessment.id)
                     | exists().where(Evidence.assessment_id == Assessment.id)))
    alias = select(UnitAlias.foreign_unit_id).where(UnitAlias.unit_id == unit.id)
    return session.scalars(scored.limit(1)).first() is not None or \
        session.scalars(alias.limit(1)).first() is not None


# --- changes --------------------------------------------------------------------------------------------
def _row_values(details: UnitDetails) -> dict[str, Any]:
    values = {f.name: getattr(details, f.name) for f in fields(UnitDetails)}
    values["parent_code"] = details.parent_code or None
    return values


def _state(unit: Unit) -> dict[str, Any]:
    """A unit as its audit events keep it."""
    return {"code": unit.code, "name": unit.name, "kind": unit.kind, "short_name": unit.short_name,
            "parent_code": unit.parent_code or "", "ranking_group": unit.ranking_group,
            "abbreviation": unit.abbreviation, "head_title": unit.head_title}


def add_unit(session: Session, details: UnitDetails, *, actor: Actor, year: int | None = None,
             reason: str = "") -> Change:
    """Add a unit; with ``year``, also its assessment of that year on the project's set for its kind.
    ``UserError`` naming every problem, and nothing written, when the details are not valid."""
    problems = Problems()
    codes = _kinds_by_code(session)
    check_details(details, problems, kinds=project_kinds(session), codes=codes)
    if details.code in codes:
        problems.add("units.exists", code=details.code)
    _check_who(actor, reason, problems)
    _refuse(problems, details.code)
    unit = Unit(**_row_values(details))
    session.add(unit)
    session.flush()
    _record(session, "unit.add", actor, new=_state(unit), reason=reason)
    change = Change(units=True, audit=True)
    if year is not None:
        change.merge(add_assessment(session, unit, year, actor=actor))
    return change


def add_assessment(session: Session, unit: Unit, year: object, *, actor: Actor) -> Change:
    """The unit's assessment of ``year`` on the project's set for its kind (the newest version), status as
    every new assessment starts (self-assessment); nothing when it has one already."""
    try:
        year = check_year(year)
    except FieldError as exc:
        raise UserError("units.year_refused", error=exc.message) from None
    set_row = framework_for_kind(session, year, unit.kind)
    period = ensure_period(session, year)
    found = session.scalars(select(Assessment).where(Assessment.unit_id == unit.id,
                                                     Assessment.period_id == period.id)).first()
    if found is not None:
        return Change()
    a = Assessment(unit_id=unit.id, period_id=period.id, criteria_set_id=set_row.id)
    session.add(a)
    session.flush()
    _record(session, "unit.assess", actor, assessment_id=a.id,
                 new={"unit": unit.code, "year": year, "criteria_set": set_row.identity})
    return Change(assessments={a.id}, units=True, audit=True, years={year})


def edit_unit(session: Session, code: str, changes: Mapping[str, str], *, actor: Actor,
              reason: str = "") -> Change:
    """Change some of a unit's details (``changes``: field → new value, fields of ``EDITABLE``).

    Refused: another unit's code, a code of a unit whose data may be on other laptops (codes identify
    units across laptops), a kind other than the one its assessments are scored for, and every problem
    ``check_details`` finds."""
    unit = get_unit(session, code)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise UserError("units.unknown_fields", fields=", ".join(unknown), known=", ".join(EDITABLE))
    old = _state(unit)
    new = {**old, **changes}
    details = UnitDetails(**new)
    problems = Problems()
    others = _kinds_by_code(session, but=unit.id)
    check_details(details, problems, kinds=project_kinds(session), codes=others)
    if details.code != unit.code:
        if details.code in others:
            problems.add("units.exists", code=details.code)
        elif _travelled(session, unit):
            problems.add("units.code_travelled", code=unit.code)
    parent = details.parent_code
    # the units below it still name its old code (they follow a new one when it is stored)
    if parent and parent != details.code and parent_cycle(unit.code, parent, _parents(session)):
        problems.add("units.field_problem", field="parent_code",
                     problem=Message("units.parent_cycle", {"code": details.code, "parent": parent}))
    if details.kind != unit.kind and session.scalars(
            select(Assessment.id).where(Assessment.unit_id == unit.id).limit(1)).first() is not None:
        problems.add("units.kind_assessed", code=unit.code, kind=labels.kind(unit.kind))
    _check_who(actor, reason, problems)
    _refuse(problems, code)
    if new == old:
        return Change()
    for name, value in _row_values(details).items():
        setattr(unit, name, value)
    if details.code != old["code"]:  # the units that named it as their parent follow it
        for child in session.scalars(select(Unit).where(Unit.parent_code == old["code"])):
            child.parent_code = details.code
    _record(session, "unit.edit", actor, old={k: v for k, v in old.items() if new[k] != v},
                 new={k: v for k, v in new.items() if old[k] != v} | {"code": details.code}, reason=reason)
    return Change(units=True, audit=True)


def retire_unit(session: Session, code: str, *, actor: Actor, undo: bool = False, reason: str = "",
                now: datetime | None = None) -> Change:
    """Retire a unit (``undo``: bring a retired one back). Its assessments, scores and history stay."""
    unit = get_unit(session, code)
    problems = Problems()
    _check_who(actor, reason, problems)
    _refuse(problems, code)
    if undo:
        if unit.retired_at is None:
            raise UserError("units.not_retired", code=code)
        old, unit.retired_at = unit.retired_at, None
        _record(session, "unit.restore", actor, old={"code": code, "retired_at": old},
                     new={"code": code}, reason=reason)
    else:
        if unit.retired_at is not None:
            raise UserError("units.already_retired", code=code, time=f"{unit.retired_at:%Y-%m-%d}")
        unit.retired_at = now or utcnow()
        _record(session, "unit.retire", actor, old={"code": code},
                     new={"code": code, "retired_at": unit.retired_at}, reason=reason)
    return Change(units=True, audit=True)


def _record(session: Session, action: str, actor: Actor, **details: Any) -> None:
    audit.record(session, action, author=actor.author, role=actor.role, device_id=actor.device_id, **details)


def _check_who(actor: Actor, reason: str, problems: Problems) -> None:
    """The author and the reason go into the audit log: the same rules as every text."""
    for name, value, rule in (("author", actor.author, "author"), ("reason", reason, "reason")):
        try:
            check_text(value, rule)
        except FieldError as exc:
            problems.add("units.field_problem", field=name, problem=exc.message)


def retired_in(session: Session, year: int) -> set[uuid.UUID]:
    """Units not ranked in ``year``: retired in that year or before (a unit retired later keeps its place
    in the years it was still in use)."""
    rows = session.execute(select(Unit.id, Unit.retired_at).where(Unit.retired_at.is_not(None)))
    return {u for u, at in rows if at is not None and at.year <= year}
