"""Importing external indices per unit (SIPAS %, the 766 service index, DDCI, …).

File: an ``.xlsx`` with a sheet ``indices`` and the columns ``unit_code``, ``indicator``, ``value``
(optional ``note``). ``indicator`` is the ``index`` name of an ``external`` rule (e.g. ``sipas``,
``par766``) or the code of a leaf whose rule is ``external``, ``rank`` or ``minmax`` (DDCI-style leaves
have no index name). The value is stored as ``{"value": x}`` through ``set_score``; points come from the
leaf's rule (``scoring.rules.evaluate``), and relative rules (min–max, rank) are computed at results time
from the values of all units. Survey-sourced leaves take the ``survey`` stage; appraisal leaves the stage
given (``appraisal1`` by default). All or nothing, every problem named by row and column.

Values are finite numbers ≥ 0 with at most six decimals (a number cell's binary noise beyond that is
rounded away); the value of an ``external`` index is at most 100 (SIPAS is a percentage; the 766 index,
DDCI and PCI are 0–100) or the rule's ``scale`` when that is larger; rank and min–max values at most
``MAX_VALUE``. Text cells follow ``evaluator.fields`` (no control characters, the column's length).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.fields import FieldError, check_text, file_name_problem
from evaluator.frameworks.model import STAGES, Framework, Node
from evaluator.messages import Message, labels, render
from evaluator.messages.labels import stage
from evaluator.messages.reports import status
from evaluator.models import Assessment, Project, Score
from evaluator.scoring import InputError, evaluate
from evaluator.services.changes import Change
from evaluator.services.exchange_sheets import (
    MAX_LISTED,
    Problems,
    assessments_by_code,
    cell_text,
    log_import,
    read_table,
)
from evaluator.services.frameworks import framework_of
from evaluator.services.progress import Progress, no_progress
from evaluator.services.scores import set_score

SHEET = "indices"
COLUMNS = ("unit_code", "indicator", "value")
EXTERNAL_KINDS = ("external", "rank", "minmax")
INDEX_SCALE = Decimal(100)
"""The top of every external index the domain knows (SIPAS %, the 766 index, DDCI, PCI)."""
MAX_VALUE = Decimal(10) ** 9
"""The largest rank or min–max value taken: anything larger is a typing error (and, with six decimals,
more digits than the JSON a value is stored as keeps exactly)."""
DECIMALS = Decimal("0.000001")


@dataclass
class ExternalRow:
    unit: str
    leaf: str
    stage: str
    value: Decimal
    points: Decimal | None
    status: str


@dataclass
class ExternalReport:
    file: str
    year: int
    dry_run: bool
    rows: list[ExternalRow] = field(default_factory=list)
    warnings: list[Message | str] = field(default_factory=list)
    backup: str = ""
    change: Change = field(default_factory=Change)
    """What the import changed (empty for a dry run or when nothing was new)."""

    def count(self, status: str) -> int:
        return sum(1 for r in self.rows if r.status == status)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": "external",
            "file": self.file,
            "year": self.year,
            "dry_run": self.dry_run,
            "new": self.count("new"),
            "updated": self.count("updated"),
            "identical": self.count("identical"),
            "warnings": [render(w) for w in self.warnings],  # in the current language (the CLI: English)
            "backup": self.backup,
            "values": [
                {
                    "unit": r.unit,
                    "leaf": r.leaf,
                    "stage": r.stage,
                    "value": r.value,
                    "points": r.points,
                    "status": r.status,
                }
                for r in self.rows
            ],
        }

    def render(self, language: str | None = None) -> str:
        def say(code: str, **params: Any) -> str:  # in ``language``: the GUI's, or English as the CLI printed
            return Message(code, params).render(language)

        lines = [
            say("report.dry_run" if self.dry_run else "report.external_imported"),
            "  " + say("report.external_file", file=self.file, year=self.year, new=self.count("new"),
                       updated=self.count("updated"), identical=self.count("identical")),
        ]
        if self.backup:
            lines.append("  " + say("report.backup", path=self.backup))
        changed = [r for r in self.rows if r.status != "identical"]
        for r in changed[:MAX_LISTED]:
            pts = (Message("report.external_together") if r.points is None
                   else Message("report.external_points", {"points": r.points}))
            lines.append("    " + say("report.external_value", unit=r.unit, leaf=r.leaf, stage=stage(r.stage),
                                      value=r.value, points=pts, status=status(r.status)))
        if len(changed) > MAX_LISTED:
            lines.append("    " + say("report.more", count=len(changed) - MAX_LISTED))
        if self.warnings:
            lines.append("  " + say("report.warnings", count=len(self.warnings)))
            lines += [f"    - {render(w, language)}" for w in self.warnings[:MAX_LISTED]]
        return "\n".join(lines)


def indicators(fw: Framework, kind: str) -> dict[str, list[Node]]:
    """What the ``indicator`` column may name for a unit kind: index names and leaf codes."""
    out: dict[str, list[Node]] = {}
    for node in fw.leaves(kind):
        rule = node.rule
        if rule is None or rule.kind not in EXTERNAL_KINDS:
            continue
        out.setdefault(node.code, []).append(node)
        if rule.kind == "external" and rule.index:
            out.setdefault(rule.index.lower(), []).append(node)
    return out


def import_external(
    project: Project,
    path: Path | str,
    *,
    year: int,
    stage: str = "appraisal1",
    dry_run: bool = False,
    author: str = "",
    device_id: str = "",
    progress: Progress = no_progress,
) -> ExternalReport:
    """``progress`` (``services.progress``) may raise to cancel: nothing is then written."""
    path = Path(path)
    if stage not in STAGES:
        raise UserError("import.unknown_stage", stage=shown(str(stage)), stages=", ".join(STAGES))
    checked_file(path, author)
    progress(0.0, "read")
    problems = Problems()
    read = read_table(path, SHEET, COLUMNS, problems, optional=("note",))
    problems.raise_if_any()
    progress(0.4, "check")
    assert read is not None
    data, rows = read
    report = ExternalReport(path.name, year, dry_run)
    with project.session(write=not dry_run) as session:
        assessments = assessments_by_code(session, year)
        plan: list[tuple[Assessment, Node, str, dict[str, Any], str, ExternalRow]] = []
        seen: dict[tuple[str, str, str], int] = {}
        for i, raw in rows:
            where = Message("import.row", {"file": path.name, "sheet": SHEET, "row": i})
            unit = text_cell(raw["unit_code"], "unit.code", column(where, "unit_code"), problems)
            indicator = text_cell(raw["indicator"], "criterion_code", column(where, "indicator"), problems)
            note = text_cell(raw.get("note"), "note", column(where, "note"), problems)
            if unit is None or indicator is None or note is None:
                continue
            if not unit:
                problems.add("import.empty", where=column(where, "unit_code"))
                continue
            found = assessments.get(unit)
            if found is None:
                problems.add("import.unknown_unit", where=column(where, "unit_code"), unit=shown(unit),
                             year=year)
                continue
            a, u = found
            fw = framework_of(a.criteria_set)
            known = indicators(fw, u.kind)
            nodes = known.get(indicator.lower()) or known.get(indicator)
            if not nodes:
                problems.add("import.unknown_indicator", where=column(where, "indicator"),
                             indicator=shown(indicator), kind=labels.kind(u.kind), identity=fw.identity,
                             known=", ".join(sorted(known)) or Message("common.none"))
                continue
            value = _number(raw["value"], column(where, "value"), problems)
            if value is None:
                continue
            for node in nodes:
                st = "survey" if node.source == "survey" else stage
                key = (unit, node.code, st)
                if key in seen:
                    problems.add("import.duplicate_value", where=where, unit=unit, criterion=node.code,
                                 row=seen[key])
                    continue
                seen[key] = i
                assert node.rule is not None
                top = max(INDEX_SCALE, node.rule.scale)
                if node.rule.kind == "external" and value > top:
                    name = node.rule.index or "index"
                    problems.add("import.outside_scale", where=column(where, "value"), value=value, name=name,
                                 top=top, criterion=node.code)
                    continue
                raw_value = {"value": value}
                try:
                    points = evaluate(node, u.kind, raw_value).points
                except InputError as exc:
                    problems.add("import.cell_refused", where=column(where, "value"), error=exc)
                    continue
                old = session.scalars(
                    select(Score).where(
                        Score.assessment_id == a.id, Score.criterion_code == node.code, Score.stage == st
                    )
                ).first()
                status = (
                    "new"
                    if old is None
                    else "identical"
                    if (old.value == raw_value and old.points == points and old.note == note)
                    else "updated"
                )
                row = ExternalRow(unit, node.code, st, value, points, status)
                report.rows.append(row)
                if status != "identical":
                    plan.append((a, node, st, raw_value, note, row))
                if st != "survey":
                    later = STAGES[STAGES.index(st) + 1 :]
                    hidden = session.scalars(
                        select(Score.stage).where(
                            Score.assessment_id == a.id,
                            Score.criterion_code == node.code,
                            Score.stage.in_(later),
                        )
                    ).all()
                    if hidden:
                        report.warnings.append(Message("import.value_stays", {
                            "unit": unit, "criterion": node.code,
                            "later": labels.Terms("stage", tuple(hidden)), "stage": labels.stage(st)}))
        problems.raise_if_any()
        writes = [Planned(a.id, a.unit.code, node.code, st, raw_value, note)
                  for a, node, st, raw_value, note, _row in plan]
        write_plan(session, project, report, writes, path=path, data=data, author=author,
                   device_id=device_id, reason=f"external index import {path.name}", progress=progress)
    return report


@dataclass
class Planned:
    """One stage value an import of a sheet writes."""

    assessment_id: uuid.UUID
    unit: str
    leaf: str
    stage: str
    value: dict[str, Any]
    note: str


class SheetReport(Protocol):
    dry_run: bool
    year: int
    backup: str
    change: Change

    def summary(self) -> dict[str, Any]: ...


def write_plan(session: Session, project: Project, report: SheetReport, plan: list[Planned], *, path: Path,
               data: bytes, author: str, device_id: str, reason: str, progress: Progress) -> None:
    """The tail every import of a sheet shares (external indices, survey answers): after a dry run, or
    when nothing is new, nothing (the project is left exactly as it was); else a backup, every value
    through ``set_score`` (revision chain and audit event each), the import log, and the report's
    ``Change``. Inside the caller's session: a problem raised here rolls everything back."""
    if report.dry_run or not plan:
        progress(1.0, "check")
        return
    progress(0.6, "write")
    if not device_id:
        from evaluator.services.exchange import device_in

        device_id = device_in(session, project)
    if project.path is not None:
        from evaluator.services.backups import backup_before_import

        report.backup = str(backup_before_import(project))
    problems = Problems()
    for p in plan:
        try:
            set_score(session, p.assessment_id, p.leaf, p.stage, value=p.value, note=p.note, author=author,
                      role="committee", device_id=device_id, reason=reason)
        except UserError as exc:
            problems.add("import.leaf_refused", unit=p.unit, leaf=p.leaf, error=exc)
    problems.raise_if_any()
    log_import(session, path, data, report.summary(), author)
    report.change = Change(assessments={p.assessment_id for p in plan},
                           leaves={(p.assessment_id, p.leaf) for p in plan}, audit=True, years={report.year})
    progress(1.0, "write")  # the last moment a cancel leaves the project as is


def shown(text: str, limit: int = 40) -> str:
    """A cell's text for a message: quoted with escapes (no control character reaches the terminal raw)
    and cut when long."""
    return repr(text if len(text) <= limit else text[:limit] + "…")


def checked_file(path: Path, author: str) -> None:
    """Refuse an import whose file name or author could not be stored as text (control characters, lone
    surrogates from a name in another encoding, lengths): before anything is read."""
    problem = file_name_problem(path.name)
    if problem is not None:
        raise UserError("import.file_name", name=shown(path.name), problem=problem)
    try:
        check_text(author, "author")
    except FieldError as exc:
        raise UserError("import.author_refused", author=shown(str(author)), error=exc.message) from None


def column(where: Message, name: str) -> Message:
    """A cell's place in a message: its row (``import.row``) and column."""
    return Message("import.column", {"where": where, "column": name})


def text_cell(raw: Any, field: str, where: Message | str, problems: Problems) -> str | None:
    """A text cell that obeys ``field``'s rule (``evaluator.fields``), else ``None`` with a problem."""
    text = cell_text(raw)
    try:
        return check_text(text, field)
    except FieldError as exc:
        problems.add("import.text_refused", where=where, text=shown(text), error=exc.message)
        return None


def _number(raw: Any, where: Message, problems: Problems) -> Decimal | None:
    text = cell_text(raw)
    if text == "":
        problems.add("import.empty", where=where)
        return None
    try:
        value = Decimal(repr(raw)) if isinstance(raw, float) else Decimal(text.replace(",", "."))
    except InvalidOperation:
        problems.add("import.not_a_number", where=where, text=shown(text))
        return None
    if isinstance(raw, bool) or not value.is_finite() or value < 0:
        problems.add("import.not_non_negative", where=where, text=shown(text))
        return None
    if value.adjusted() >= 9:  # before quantize, which fails past 28 digits
        problems.add("import.too_large", where=where, text=shown(text), limit=f"{MAX_VALUE:,}")
        return None
    if value != value.quantize(DECIMALS):
        if not isinstance(raw, float):
            problems.add("import.six_decimals", where=where, text=shown(text))
            return None
        value = value.quantize(DECIMALS)  # a number cell: binary noise past the sixth decimal
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
