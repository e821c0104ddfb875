"""The committee's appraisal teams (issue 14): who appraises which areas of which units.

A member department of the council appraises its own areas for every unit (Justice the institutional
area, Finance public finance, …). A team is named once (unique), comes from a member department (checked
against the council in the document settings when the council is filled in; any name with a warning when
it is not), appraises area codes of the project's criteria sets — for every unit kind, or per kind — and
optionally only some units. Every add and edit is audited. ``evaluator handout --team`` carries the scope
to the team's laptop (``services.handout``) and the committee's import holds a team's package to it.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.fields import FieldError, check_text
from evaluator.messages import Message, labels, say
from evaluator.models import CriteriaSet, Team, TeamHandout, Unit
from evaluator.models.schema import KIND_ORDER
from evaluator.models.team_schema import EVERY_KIND
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.frameworks import framework_of
from evaluator.services.report_setup import report_setup
from evaluator.services.team_scope import Scope
from evaluator.services.users import Actor

ACTION_ADD = "team.add"
ACTION_EDIT = "team.edit"


@dataclass
class TeamInfo:
    name: str
    department: str
    areas: dict[str, list[str]]
    units: list[str]

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "department": self.department, "areas": self.areas, "units": self.units}

    def scope(self) -> Scope:
        return Scope(self.name, self.department, {k: tuple(v) for k, v in self.areas.items()},
                     tuple(self.units))


@dataclass
class TeamOutcome:
    change: Change
    warnings: list[Message] = field(default_factory=list)


def _info(team: Team) -> TeamInfo:
    return TeamInfo(team.name, team.department, {k: list(v) for k, v in sorted(team.areas.items())},
                    list(team.units))


def list_teams(session: Session) -> list[TeamInfo]:
    return [_info(t) for t in session.scalars(select(Team).order_by(Team.name))]


def find_team(session: Session, name: str) -> Team | None:
    return session.scalars(select(Team).where(Team.name == name)).first()


def team_scope(session: Session, name: str) -> Scope | None:
    """The scope of the team ``name`` (None: no such team)."""
    team = find_team(session, name)
    return None if team is None else _info(team).scope()


def add_team(session: Session, name: str, areas: Sequence[str], *, kind: str | None = None,
             department: str = "", units: Sequence[str] = (), actor: Actor | None = None) -> TeamOutcome:
    """Add a team; ``UserError`` for a taken name, an area no set of the project has (of ``kind``), a
    unit the project lacks, or a department that is not a member of the filled-in council."""
    actor = actor or Actor()
    name = _name(name)
    if find_team(session, name) is not None:
        raise UserError("teams.exists", team=name)
    warnings: list[Message] = []
    team = Team(name=name, department=_department(session, department, warnings),
                areas={kind or EVERY_KIND: _areas(session, areas, kind)}, units=_units(session, units))
    session.add(team)
    audit.record(session, ACTION_ADD, author=actor.author, role=actor.role, device_id=actor.device_id,
                 new=_info(team).to_json())
    return TeamOutcome(Change(audit=True), warnings)


def edit_team(session: Session, name: str, *, areas: Sequence[str] | None = None, kind: str | None = None,
              department: str | None = None, units: Sequence[str] | None = None, all_units: bool = False,
              rename: str | None = None, actor: Actor | None = None) -> TeamOutcome:
    """Change what is given: ``areas`` replace the team's areas of ``kind`` (of every kind without it),
    ``units`` its units (``all_units``: every unit), ``rename`` its name. Nothing given or nothing
    different: an empty change (not audited)."""
    actor = actor or Actor()
    team = find_team(session, name)
    if team is None:
        raise UserError("teams.unknown", team=name, known=", ".join(t.name for t in list_teams(session))
                        or say("common.none"))
    old = _info(team).to_json()
    warnings: list[Message] = []
    if kind is not None and areas is None:
        raise UserError("teams.kind_without_areas")
    if areas is not None:
        new_areas = dict(team.areas)
        new_areas[kind or EVERY_KIND] = _areas(session, areas, kind)
        team.areas = new_areas
    if department is not None:
        team.department = _department(session, department, warnings)
    if all_units:
        team.units = []
    elif units is not None:
        team.units = _units(session, units)
    if rename is not None and rename != team.name:
        rename = _name(rename)
        if find_team(session, rename) is not None:
            raise UserError("teams.exists", team=rename)
        team.name = rename
    new = _info(team).to_json()
    if new == old:
        return TeamOutcome(Change(), warnings)
    audit.record(session, ACTION_EDIT, author=actor.author, role=actor.role, device_id=actor.device_id,
                 old=old, new=new)
    return TeamOutcome(Change(audit=True), warnings)


def record_handout(session: Session, team: str, package_id: str) -> None:
    """Remember that the handout ``package_id`` was written for ``team``: the packages of the copy made
    from it name it (``handout_id``), and the committee finds the team's scope by it."""
    row = find_team(session, team)
    if row is not None:
        session.add(TeamHandout(package_id=uuid.UUID(package_id), team_id=row.id))


def scope_of_package(session: Session, handout_id: str, team: str) -> Scope | None:
    """The scope a team package is held to: the team of the handout its copy was made from (by the
    handout's id), else the team it names when the committee has a team of that name; None: no team."""
    row = None
    try:
        if handout_id:
            link = session.get(TeamHandout, uuid.UUID(handout_id))
            row = None if link is None else session.get(Team, link.team_id)
    except ValueError:
        row = None
    if row is None and team:
        row = find_team(session, team)
    return None if row is None else _info(row).scope()


# --- checks ---------------------------------------------------------------------------------------
def _name(name: str) -> str:
    try:
        name = check_text(name, "author", empty=False).strip()
    except FieldError as exc:
        raise UserError("handout.team_refused", team=f"{name[:40]!r}", error=exc.message) from None
    if not name:
        raise UserError("handout.team_refused", team=repr(name), error=Message("teams.empty_name"))
    return name


def project_areas(session: Session, kind: str | None) -> dict[str, list[str]]:
    """Kind → the area codes (top-level nodes) the project's criteria sets of that kind have, every year."""
    found: dict[str, set[str]] = {}
    for row in session.scalars(select(CriteriaSet)):
        fw = framework_of(row)
        for k in fw.unit_kinds:
            if kind is None or k == kind:
                found.setdefault(k, set()).update(n.code for n in fw if n.parent is None)
    return {k: sorted(v) for k, v in found.items()}


def area_choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """Kind → (area code, its title) for the team editor: the titles of the latest year's sets first (an
    area kept across years is shown by its current name)."""
    found: dict[str, dict[str, str]] = {}
    for row in session.scalars(select(CriteriaSet).order_by(CriteriaSet.year.desc())):
        fw = framework_of(row)
        for k in fw.unit_kinds:
            titles = found.setdefault(k, {})
            for n in fw:
                if n.parent is None:
                    titles.setdefault(n.code, n.title)
    order = sorted(found, key=lambda k: (KIND_ORDER.get(k, len(KIND_ORDER)), k))
    return {k: sorted(found[k].items(), key=lambda item: area_order(item[0])) for k in order}


def council_departments(session: Session) -> list[str]:
    """The member departments a team may come from: the council's members by position (else name)."""
    council = report_setup(session)["council"]
    return list(dict.fromkeys(p.get("position") or p.get("name", "") for p in council
                              if p.get("position") or p.get("name")))


def _areas(session: Session, codes: Sequence[str], kind: str | None) -> list[str]:
    wanted = [c.strip() for c in codes if c.strip()]
    if not wanted:
        raise UserError("teams.no_areas")
    known = project_areas(session, None)
    if kind is not None and kind not in known:
        kinds = sorted(known, key=lambda k: (KIND_ORDER.get(k, len(KIND_ORDER)), k))
        raise UserError("kinds.unknown", kind=kind, known=", ".join(kinds) or say("common.none"),
                        names=labels.Terms("kind", tuple(kinds)))
    allowed = set(known[kind]) if kind is not None else {c for v in known.values() for c in v}
    missing = [c for c in wanted if c not in allowed]
    if missing:
        raise UserError("teams.unknown_areas", areas=", ".join(missing),
                        kind=labels.Term("kind", kind) if kind else Message("teams.every_kind"),
                        known=", ".join(sorted(allowed, key=area_order)) or say("common.none"))
    return sorted(dict.fromkeys(wanted), key=area_order)


def area_order(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (10**6, code)


def _units(session: Session, codes: Sequence[str]) -> list[str]:
    wanted = list(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if not wanted:
        return []
    have = set(session.scalars(select(Unit.code).where(Unit.code.in_(wanted))))
    missing = [c for c in wanted if c not in have]
    if missing:
        raise UserError("teams.unknown_units", units=", ".join(missing))
    return sorted(wanted)


def _department(session: Session, department: str, warnings: list[Message]) -> str:
    """The department if the council has it (by a member's position or name); any name when the council is
    not filled in yet, with a warning."""
    try:
        department = check_text(department, "author").strip()
    except FieldError as exc:
        raise UserError("teams.bad_department", department=f"{department[:40]!r}",
                        error=exc.message) from None
    if not department:
        return ""
    council = report_setup(session)["council"]
    if not council:
        warnings.append(Message("teams.council_empty", {"department": department}))
        return department
    wanted = department.casefold()
    if any(wanted in (p.get("position", "") + " " + p.get("name", "")).casefold() for p in council):
        return department
    members = "; ".join(p.get("position") or p.get("name", "") for p in council)
    raise UserError("teams.not_in_council", department=department, members=members)
