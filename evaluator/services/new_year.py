"""``evaluator new-year``: year Y made from year Y-1 in one transaction, after a backup.

What is carried: the units assessed in Y-1 that are still in use and whose kind has a set in Y (the others
are listed, not carried: districts in 2025), each with a new assessment at the start (self-assessment, no
score); the year's criteria sets (the province's files, else the sets of Y already in the project, else
the bundled ones); the criteria mapping (``criteria_mapping``: proposed, corrected by an xlsx); and, with
``carry_evidence``, last year's files of every mapped leaf, attached to the new leaf as "from Y-1" and not
counted as this year's evidence until confirmed (``evidence.confirm_evidence``). The document settings
(council, representatives: ``report_setup``) are the project's, not a year's: the new year uses them as
they are.

With ``reorganise`` (the wizard's unit step: ``reorganisation.UnitChange``), the units change shape from
the new year in the same transaction: the units merged, renamed or of a retired kind are not carried, the
units made by the changes are assessed, and a renamed or merged unit gets its predecessors' carried files.

``plan_new_year`` checks everything and computes what would be made without writing (the dry run and the
wizard's preview); ``create_new_year`` writes that plan.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import Framework
from evaluator.frameworks.registry import bundled_for_year
from evaluator.messages import labels
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, Project, Unit, utcnow
from evaluator.models.schema import KIND_ORDER
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.criteria_mapping import (
    KindMapping,
    apply_file,
    propose,
    read_mapping_xlsx,
    store_mapping,
)
from evaluator.services.frameworks import SetFile, framework_of, import_sets, store_framework
from evaluator.services.projects import ensure_period
from evaluator.services.reorganisation import ReorgReport, UnitChange, apply_changes
from evaluator.services.units import retired_in

ACTION = "year.create"


@dataclass(frozen=True)
class PlannedUnit:
    code: str
    name: str
    kind: str


@dataclass
class NewYearPlan:
    year: int
    from_year: int
    sets: list[Framework]
    sets_source: str
    """``files``, ``project`` (already imported) or ``bundled``."""
    units: list[PlannedUnit]
    dropped: list[PlannedUnit]
    """Units of Y-1 whose kind has no set in Y: not carried."""
    retired: list[PlannedUnit]
    """Units of Y-1 retired by Y: not carried."""
    mappings: dict[str, KindMapping]
    carry_evidence: bool = False
    evidence: int = 0
    """Files that would be carried (``carry_evidence``)."""
    set_files: list[SetFile] = field(default_factory=list)
    reorganise: list[UnitChange] = field(default_factory=list)
    """The unit changes from the new year on, applied with it."""
    unit_changes: list[ReorgReport] = field(default_factory=list)
    """What each of ``reorganise`` would do (dry run), in the order applied."""

    def set_for(self, kind: str) -> Framework:
        return next(fw for fw in self.sets if kind in fw.unit_kinds)

    def to_json(self) -> dict[str, Any]:
        def units(rows: Sequence[PlannedUnit]) -> list[dict[str, str]]:
            return [{"code": u.code, "name": u.name, "kind": u.kind} for u in rows]

        return {"year": self.year, "from_year": self.from_year,
                "sets": [fw.identity for fw in self.sets], "sets_source": self.sets_source,
                "units": units(self.units), "not_carried": units(self.dropped),
                "retired": units(self.retired),
                "mapping": [m.to_json() for m in self.mappings.values()],
                "carry_evidence": self.carry_evidence, "evidence": self.evidence,
                "unit_changes": [r.to_json() for r in self.unit_changes],
                "reorganise": [c.to_json() for c in self.reorganise]}

    def render(self) -> str:
        lines = [f"year {self.year} from {self.from_year}: {len(self.units)} units, sets "
                 f"{', '.join(fw.identity for fw in self.sets)} ({self.sets_source})"]
        for title, rows in (("not carried (no criteria set for their kind in the new year)", self.dropped),
                            ("not carried (retired)", self.retired)):
            if rows:
                lines.append(f"{title}: {len(rows)}")
                lines += [f"  {u.code}  {u.name} ({labels.label('kind', u.kind)})" for u in rows]
        for m in self.mappings.values():
            lines.append(f"mapping {labels.label('kind', m.kind)}: {m.old.identity} -> {m.new.identity}")
            for p in m.pairs:
                mark = "  REVIEW" if p.review else ""
                target = p.new_code if p.new_code is not None else "—"
                lines.append(f"  {p.old_code:<10} -> {target:<10} {p.score:>3} {p.method:<6}{mark}  "
                             f"{p.old_title}")
            for n in m.unmatched_new:
                lines.append(f"  {'(new)':<10} -> {n.code:<10}   0 new     {n.title}")
        for report in self.unit_changes:
            lines.append(f"units {report.action} {report.unit}".rstrip())
            lines += [f"  {m.render()}" for m in report.lines]
        if self.carry_evidence:
            lines.append(f"evidence carried from {self.from_year}: {self.evidence} files (to be confirmed)")
        return "\n".join(lines)


def assessed_years(session: Session) -> list[int]:
    """The years that have assessments (a new year starts from one of them)."""
    query = select(Period.year).join(Assessment, Assessment.period_id == Period.id)
    return sorted(set(session.scalars(query)))


def _year_sets(session: Session, year: int, set_files: Sequence[SetFile] | None,
               frameworks: Sequence[Framework] | None) -> tuple[list[Framework], str]:
    if frameworks:
        return list(frameworks), "chosen"
    if set_files:
        return [s.framework for s in set_files], "files"
    stored = session.scalars(select(CriteriaSet).where(CriteriaSet.year == year)).all()
    if stored:
        return [framework_of(r) for r in stored], "project"
    bundled = bundled_for_year(year)
    if not bundled:
        raise UserError("yearly.no_sets", year=year)
    return bundled, "bundled"


def _check_sets(year: int, sets: Sequence[Framework]) -> None:
    seen: dict[str, str] = {}
    for fw in sets:
        if fw.year != year:
            raise UserError("newproject.set_year", identity=fw.identity, set_year=fw.year, years=str(year))
        for kind in fw.unit_kinds:
            first = seen.setdefault(kind, fw.identity)
            if first != fw.identity:
                raise UserError("newproject.kind_twice", kind=labels.kind(kind), year=year, first=first,
                                second=fw.identity)


def plan_new_year(session: Session, year: int, *, from_year: int | None = None,
                  set_files: Sequence[SetFile] | None = None, frameworks: Sequence[Framework] | None = None,
                  mapping_file: Path | None = None,
                  overrides: Mapping[str, Mapping[str, str | None]] | None = None,
                  carry_evidence: bool = False, reorganise: Sequence[UnitChange] = ()) -> NewYearPlan:
    """What ``create_new_year`` would make; nothing is written. ``set_files`` (read by
    ``frameworks.read_sets``) or ``frameworks`` (ticked in the wizard): the year's sets. ``mapping_file``
    and then ``overrides`` (kind → old leaf → new leaf or None) correct the proposed mapping. ``reorganise``:
    the unit changes from ``year`` on (each checked as its dry run checks it)."""
    from_year = year - 1 if from_year is None else from_year
    if from_year >= year:
        raise UserError("yearly.from_after", year=year, from_year=from_year)
    period = session.scalars(select(Period).where(Period.year == year)).first()
    if period is not None:
        count = session.scalar(select(func.count()).select_from(Assessment)
                               .where(Assessment.period_id == period.id))
        if count:
            raise UserError("yearly.year_has_assessments", year=year, count=count)
    rows = session.execute(
        select(Unit, Assessment).join(Assessment, Assessment.unit_id == Unit.id)
        .join(Period, Period.id == Assessment.period_id).where(Period.year == from_year)).all()
    if not rows:
        raise UserError("yearly.no_previous", year=from_year)
    sets, source = _year_sets(session, year, set_files, frameworks)
    _check_sets(year, sets)
    kinds = {k for fw in sets for k in fw.unit_kinds}
    gone = retired_in(session, year)
    reports = apply_changes(session, year, list(reorganise), dry_run=True, assess=False) if reorganise else []
    leaving = {code for r in reports for code in r.retired}
    units: list[PlannedUnit] = []
    dropped: list[PlannedUnit] = []
    retired: list[PlannedUnit] = []
    old_sets: dict[str, Framework] = {}
    for unit, a in sorted(rows, key=lambda r: (KIND_ORDER.get(r[0].kind, 9), r[0].code)):
        planned = PlannedUnit(unit.code, unit.name, unit.kind)
        if unit.id in gone:
            retired.append(planned)
        elif unit.kind not in kinds:
            dropped.append(planned)
        else:
            if unit.code in leaving:  # merged or renamed from the new year: its successor is assessed
                retired.append(planned)
            else:
                units.append(planned)
            old = framework_of(a.criteria_set)
            if unit.kind in old_sets and old_sets[unit.kind].identity != old.identity:
                raise UserError("frameworks.two_sets", year=from_year, kind=labels.kind(unit.kind),
                                first=old_sets[unit.kind].identity, second=old.identity)
            old_sets[unit.kind] = old
    for r in reports:
        if r.created:
            (units if r.kind in kinds else dropped).append(PlannedUnit(r.unit, r.name, r.kind))
    units.sort(key=lambda u: (KIND_ORDER.get(u.kind, 9), u.code))
    if not units:
        raise UserError("yearly.nothing_to_carry", year=year, from_year=from_year)
    new_sets = {k: fw for fw in sets for k in fw.unit_kinds}
    mappings = {k: propose(old_sets[k], new_sets[k], k)
                for k in sorted(old_sets, key=lambda k: (KIND_ORDER.get(k, 9), k))}
    if mapping_file is not None:
        apply_file(mappings, read_mapping_xlsx(Path(mapping_file), mappings), complete=False)
    for kind, pairs in (overrides or {}).items():
        for old_code, new_code in pairs.items():
            mappings[kind].set_pair(old_code, new_code, "file")
    plan = NewYearPlan(year, from_year, list(sets), source, units, dropped, retired, mappings,
                       carry_evidence=carry_evidence, set_files=list(set_files or ()),
                       reorganise=list(reorganise), unit_changes=reports)
    if carry_evidence:
        plan.evidence = len(_carried(session, plan))
    return plan


def _carried(session: Session, plan: NewYearPlan) -> list[tuple[str, Evidence, str]]:
    """(unit code, last year's evidence row, the new leaf) of every file to carry: a unit's own files, and
    a renamed or merged unit's predecessors' files."""
    carried = {u.code for u in plan.units}
    successor = {old: c.code for c in plan.reorganise if c.action in ("merge", "rename")
                 for old in c.old_codes}
    rows = session.execute(
        select(Unit.code, Unit.kind, Evidence).join(Assessment, Assessment.id == Evidence.assessment_id)
        .join(Unit, Unit.id == Assessment.unit_id).join(Period, Period.id == Assessment.period_id)
        .where(Period.year == plan.from_year)
        .order_by(Unit.code, Evidence.criterion_code, Evidence.added_at)).all()
    maps = {k: m.as_dict() for k, m in plan.mappings.items()}
    out = []
    seen: set[tuple[str, str, str]] = set()  # one file once per leaf (two predecessors may hold it)
    for code, kind, e in rows:
        target = maps.get(kind, {}).get(e.criterion_code)
        owner = successor.get(code, code)
        if owner in carried and target is not None and (owner, target, e.sha256) not in seen:
            seen.add((owner, target, e.sha256))
            out.append((owner, e, target))
    return out


def create_new_year(project: Project, plan: NewYearPlan, *, author: str = "", role: str = "committee",
                    device_id: str = "") -> Change:
    """Write ``plan`` (from ``plan_new_year``, re-checked inside the transaction) after a backup."""
    from evaluator.services.backups import backup_before_import
    from evaluator.services.users import actor_in

    backup_before_import(project, "new-year")
    with project.session(write=True) as session:
        fresh = plan_new_year(session, plan.year, from_year=plan.from_year, set_files=plan.set_files or None,
                              frameworks=plan.sets if plan.sets_source == "chosen" else None,
                              carry_evidence=plan.carry_evidence, reorganise=plan.reorganise)
        if set(fresh.mappings) != set(plan.mappings):  # the project changed since the plan was made
            raise UserError("yearly.plan_stale", year=plan.year)
        fresh.mappings = plan.mappings  # the proposal as the user corrected it (file, wizard)
        actor = actor_in(session, author, role)
        change = Change(units=True, audit=True, frameworks=True, years={plan.year})
        for report in apply_changes(session, plan.year, fresh.reorganise, author=author, role=role,
                                    assess=False):  # the units' new shape first: the loop below assesses it
            change.merge(report.change)
        if fresh.set_files:
            import_sets(session, fresh.set_files, actor, period_years=[plan.year])
        set_rows = {fw.identity: store_framework(session, fw) for fw in fresh.sets}
        period = ensure_period(session, plan.year)
        codes = [u.code for u in fresh.units]
        units = {u.code: u for u in session.scalars(select(Unit).where(Unit.code.in_(codes)))}
        assessments: dict[str, uuid.UUID] = {}
        for planned in fresh.units:
            row = set_rows[fresh.set_for(planned.kind).identity]
            a = Assessment(unit_id=units[planned.code].id, period_id=period.id, criteria_set_id=row.id)
            session.add(a)
            session.flush()
            assessments[planned.code] = a.id
            change.assessments.add(a.id)
        store_mapping(session, plan.year, plan.from_year, fresh.mappings.values(), author)
        carried = 0
        if fresh.carry_evidence:
            now = utcnow()
            for code, e, target in _carried(session, fresh):
                session.add(Evidence(assessment_id=assessments[code], criterion_code=target, stage=e.stage,
                                     sha256=e.sha256, file_name=e.file_name, size=e.size,
                                     media_type=e.media_type, reference=e.reference, added_by=author,
                                     added_at=now, carried_from=plan.from_year, carry_pending=True))
                carried += 1
        audit.record(session, ACTION, author=actor.author, role=actor.role, device_id=actor.device_id,
                     new={"year": plan.year, "from_year": plan.from_year,
                          "sets": [fw.identity for fw in fresh.sets], "units": len(fresh.units),
                          "not_carried": [u.code for u in fresh.dropped + fresh.retired],
                          "unit_changes": [c.to_json() for c in fresh.reorganise],
                          "mapping": {k: sum(1 for p in m.pairs if p.new_code)
                                      for k, m in fresh.mappings.items()},
                          "evidence_carried": carried})
    return change
