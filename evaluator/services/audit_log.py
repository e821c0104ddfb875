"""The audit log as people read it: the filters of the audit view and of ``evaluator audit export`` (unit,
person, a range of days, action), the choices for them, and the filtered log written to an xlsx workbook.

The filtering itself is ``services.audit.query_audit``'s (one query for the view, the export and the
printout, so that what is printed or exported is exactly what is shown)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.messages import labels, say
from evaluator.models import Assessment, AuditEvent, Unit
from evaluator.services.audit import AuditRow, count_audit, describe_state, query_audit

__all__ = ["ACTION_MESSAGES", "AuditFilter", "action_text", "count", "details_text", "export_xlsx", "people",
           "rows", "units"]

ACTION_MESSAGES = {
    "score.set": "auditlog.action_score_set",
    "score.clear": "auditlog.action_score_clear",
    "evidence.add": "auditlog.action_evidence_add",
    "evidence.remove": "auditlog.action_evidence_remove",
    "evidence.reference": "auditlog.action_evidence_reference",
    "stage.lock": "auditlog.action_stage_lock",
    "stage.unlock": "auditlog.action_stage_unlock",
    "import": "auditlog.action_import",
    "import.workbook": "auditlog.action_import_workbook",
    "import.package": "auditlog.action_import_package",
    "unit.merge": "auditlog.action_unit_merge",
    "conflict.resolve": "auditlog.action_conflict_resolve",
    "settings.reports": "auditlog.action_settings_reports",
}
"""An action's label (messages/auditlog.py); an action not listed is shown as its code."""

COLUMNS = ("auditlog.col_time", "auditlog.col_person", "auditlog.col_role", "auditlog.col_action",
           "output.col_unit", "auditlog.col_criterion", "auditlog.col_details")
TIME_FORMAT = "dd/mm/yyyy hh:mm:ss"


@dataclass(frozen=True)
class AuditFilter:
    """What the audit view and the export select; None/"" selects all. ``since`` and ``until`` are days of
    this computer's calendar, both included."""

    unit_code: str | None = None
    person: str | None = None
    since: date | None = None
    until: date | None = None
    action: str | None = None
    year: int | None = None
    text: str | None = None
    criterion_code: str | None = None

    def query(self) -> dict[str, Any]:
        """The keyword arguments of ``query_audit``/``count_audit``."""
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UserError("auditlog.range_reversed", since=f"{self.since:%d/%m/%Y}",
                            until=f"{self.until:%d/%m/%Y}")
        return {
            "unit_code": self.unit_code or None,
            "author": self.person or None,
            "since": None if self.since is None else _local_midnight(self.since),
            "until": None if self.until is None else _local_midnight(self.until + timedelta(days=1)),
            "action": self.action or None,
            "year": self.year,
            "text": self.text or None,
            "criterion_code": self.criterion_code or None,
        }


def _local_midnight(day: date) -> datetime:
    # the day as the user's calendar has it: stored times are UTC, a day starts at local midnight
    return datetime.combine(day, time.min).astimezone()


def rows(session: Session, f: AuditFilter, *, limit: int | None = None, offset: int = 0) -> list[AuditRow]:
    """The events ``f`` selects, newest first (``limit`` None: all of them)."""
    return query_audit(session, limit=limit, offset=offset, **f.query())


def count(session: Session, f: AuditFilter) -> int:
    return count_audit(session, **f.query())


def people(session: Session) -> list[str]:
    """Everyone who has an event in the log, by name."""
    names = session.scalars(select(AuditEvent.author).where(AuditEvent.author != "").distinct()).all()
    return sorted(names, key=str.casefold)


def units(session: Session) -> list[tuple[str, str]]:
    """(code, name) of every unit that has an event in the log, by code."""
    q = (select(Unit.code, Unit.name).join(Assessment, Assessment.unit_id == Unit.id)
         .join(AuditEvent, AuditEvent.assessment_id == Assessment.id).distinct().order_by(Unit.code))
    return [(code, name) for code, name in session.execute(q)]


def action_text(action: str, language: str | None = None) -> str:
    code = ACTION_MESSAGES.get(action)
    return action if code is None else _say(code, language)


def _say(code: str, language: str | None, **params: Any) -> str:
    from evaluator.messages import Message

    return Message(code, params).render(language) if language else say(code, **params)


def details_text(row: AuditRow, language: str | None = None, *, state: Any = describe_state) -> str:
    """The stage, from → to and the reason of one event, as one text (the export's last column)."""
    parts = []
    if row.stage:
        parts.append(labels.label("stage", row.stage, language))
    old, new = state(row.old), state(row.new)
    if old or new:
        parts.append(f"{old} → {new}")
    if row.reason:
        parts.append(_say("auditlog.reason", language, reason=row.reason))
    return "; ".join(parts)


def cells(row: AuditRow, language: str | None = None) -> list[Any]:
    """One event's cells in the export: time (a local date-time), person, role, action, unit, criterion,
    details."""
    return [
        row.time.astimezone().replace(tzinfo=None),  # Excel has no time zones: the user's local time
        row.author,
        labels.label("role", row.role, language) if row.role else "",
        action_text(row.action, language),
        f"{row.unit_code} {row.unit_name}".strip(),
        row.criterion_code,
        details_text(row, language),
    ]


def export_xlsx(session: Session, f: AuditFilter, path: Path, *, language: str | None = None) -> int:
    """Write the events ``f`` selects to the workbook ``path``, newest first; return how many. The file is
    written whole or not at all (a temporary file renamed over ``path``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from evaluator.reports.excel import put, save_workbook

    if path.suffix.lower() != ".xlsx":
        raise UserError("auditlog.not_xlsx", name=path.name)
    events = rows(session, f)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _say("auditlog.sheet", language)[:31]
    for col, code in enumerate(COLUMNS, 1):
        put(sheet, 1, col, _say(code, language)).font = Font(bold=True)
    for line, event in enumerate(events, 2):
        for col, value in enumerate(cells(event, language), 1):
            put(sheet, line, col, value)  # put(): a reason "=…" stays text, never a formula
        sheet.cell(line, 1).number_format = TIME_FORMAT
    for letter, width in zip("ABCDEFG", (20, 24, 24, 26, 36, 12, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    save_workbook(book, path)
    return len(events)
