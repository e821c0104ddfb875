"""Deadlines (issue 14): each year's stages open and close on set dates. A write outside a stage's dates is
refused where every score is written (``scores.set_score`` calls ``check_open``): the dates are checked at
write time, so no job has to lock rows at midnight and a schedule moved later re-opens the stage for everyone.
After the closing date the committee may re-open a stage for one assessment (``reopen``, through the audited
``locks.unlock_stage``).

"Today" is a parameter everywhere (``None``: the computer's date), so that tests and scripts give a fixed day.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import ALL_STAGES
from evaluator.messages import labels
from evaluator.models import Assessment, Period, StageReopening, StageSchedule
from evaluator.services import audit
from evaluator.services.changes import Change


def today() -> date:
    """The day deadlines are compared with: the computer's local date (a deadline is a day in the
    province)."""
    return date.today()


@dataclass(frozen=True)
class StageDates:
    year: int
    stage: str
    opens: date
    closes: date

    def state(self, day: date) -> str:
        """``pending`` before the opening day, ``open`` from it through the closing day, then ``closed``."""
        if day < self.opens:
            return "pending"
        return "open" if day <= self.closes else "closed"

    def to_json(self, day: date) -> dict[str, str | int]:
        return {"year": self.year, "stage": self.stage, "opens": self.opens.isoformat(),
                "closes": self.closes.isoformat(), "state": self.state(day)}


def check_stage(stage: str) -> None:
    if stage not in ALL_STAGES:
        raise UserError("common.unknown_stage", stage=stage, stages=", ".join(ALL_STAGES))


def set_schedule(session: Session, year: int, stage: str, opens: date, closes: date, *, author: str = "",
                 role: str = "", device_id: str = "") -> Change:
    """Set (or move) the dates of ``stage`` in ``year``; audited. Only the committee (or a script) sets
    them."""
    check_stage(stage)
    if role not in ("", "committee"):
        raise UserError("schedule.committee_only", role=labels.role(role))
    if session.scalars(select(Period.id).where(Period.year == year)).first() is None:
        known = sorted(session.scalars(select(Period.year)).all())
        raise UserError("projects.no_year", year=year, years=", ".join(map(str, known)) or "—")
    if closes < opens:
        raise UserError("schedule.closes_before_opens", stage=labels.stage(stage), opens=opens.isoformat(),
                        closes=closes.isoformat())
    row = session.scalars(select(StageSchedule).where(StageSchedule.year == year,
                                                      StageSchedule.stage == stage)).first()
    old = None if row is None else {"opens": row.opens.isoformat(), "closes": row.closes.isoformat()}
    new = {"opens": opens.isoformat(), "closes": closes.isoformat()}
    if old == new:
        return Change()
    session.info.pop(_CACHE, None)
    if row is None:
        row = StageSchedule(year=year, stage=stage, opens=opens, closes=closes)
        session.add(row)
    row.opens, row.closes, row.updated_by = opens, closes, author
    audit.record(session, "schedule.set", author=author, role=role, device_id=device_id, stage=stage,
                 old=old, new={"year": year, **new})
    return Change(audit=True, years={year})


def schedule_of(session: Session, year: int) -> list[StageDates]:
    """The year's stage dates, in the order of the stages."""
    order = {s: i for i, s in enumerate(ALL_STAGES)}
    rows = session.scalars(select(StageSchedule).where(StageSchedule.year == year)).all()
    return sorted((StageDates(r.year, r.stage, r.opens, r.closes) for r in rows),
                  key=lambda d: order.get(d.stage, len(order)))


_CACHE = "evaluator.stage_schedule"
"""``session.info`` key of the dates read in this session: every score write asks (a workbook import makes
thousands), and only ``set_schedule`` changes them."""


def stage_dates(session: Session, year: int, stage: str) -> StageDates | None:
    cache: dict[tuple[int, str], StageDates | None] = session.info.setdefault(_CACHE, {})
    if (year, stage) not in cache:
        row = session.scalars(select(StageSchedule).where(StageSchedule.year == year,
                                                          StageSchedule.stage == stage)).first()
        cache[(year, stage)] = None if row is None else StageDates(row.year, row.stage, row.opens, row.closes)
    return cache[(year, stage)]


def reopened(session: Session, assessment_id: uuid.UUID, stage: str) -> bool:
    return session.scalars(select(StageReopening.id).where(StageReopening.assessment_id == assessment_id,
                                                           StageReopening.stage == stage)).first() is not None


def closed_for(session: Session, assessment: Assessment, stage: str,
               day: date | None = None) -> StageDates | None:
    """The dates of ``stage`` when they close it for ``assessment`` on ``day`` (after the closing date and not
    re-opened for it), else None."""
    dates = stage_dates(session, assessment.period.year, stage)
    if dates is None or dates.state(day or today()) != "closed":
        return None
    return None if reopened(session, assessment.id, stage) else dates


def check_open(session: Session, assessment: Assessment, stage: str, day: date | None = None) -> None:
    """Refuse (``UserError`` naming the date) a write to ``stage`` of ``assessment`` outside its dates."""
    day = day or today()
    dates = stage_dates(session, assessment.period.year, stage)
    if dates is None:
        return
    state = dates.state(day)
    if state == "pending":
        raise UserError("schedule.not_open", stage=labels.stage(stage), unit=assessment.unit.code,
                        opens=dates.opens.isoformat())
    if state == "closed" and not reopened(session, assessment.id, stage):
        raise UserError("schedule.closed", stage=labels.stage(stage), unit=assessment.unit.code,
                        closes=dates.closes.isoformat())


def reopen(session: Session, assessment: Assessment, stage: str, *, author: str = "", role: str = "",
           device_id: str = "", reason: str = "", day: date | None = None) -> Change:
    """Re-open ``stage`` for one assessment after its closing date (called by ``locks.unlock_stage``, which
    checks the committee role and the reason); an empty ``Change`` when the stage is not closed by date."""
    dates = closed_for(session, assessment, stage, day)
    if dates is None:
        return Change()
    session.add(StageReopening(assessment_id=assessment.id, stage=stage, reopened_by=author))
    audit.record(session, "stage.reopen", author=author, role=role, device_id=device_id,
                 assessment_id=assessment.id, stage=stage, old={"closes": dates.closes.isoformat()},
                 new={"reopened": True}, reason=reason)
    return Change(assessments={assessment.id}, audit=True, years={assessment.period.year})


def closed_by_date(session: Session, assessment_ids: list[uuid.UUID],
                   day: date | None = None) -> dict[uuid.UUID, set[str]]:
    """Per assessment, the stages closed on ``day`` by their dates and not re-opened for it: what a batch
    writer (the package merge) treats as locked, as ``check_open`` does for one write."""
    day = day or today()
    closed_stages: dict[int, set[str]] = {}
    for row in session.scalars(select(StageSchedule)).all():
        if StageDates(row.year, row.stage, row.opens, row.closes).state(day) == "closed":
            closed_stages.setdefault(row.year, set()).add(row.stage)
    if not closed_stages:
        return {}
    out: dict[uuid.UUID, set[str]] = {}
    for i in range(0, len(assessment_ids), 500):
        chunk = assessment_ids[i:i + 500]
        for a_id, year in session.execute(select(Assessment.id, Period.year)
                                          .join(Period, Period.id == Assessment.period_id)
                                          .where(Assessment.id.in_(chunk))).all():
            if year in closed_stages:
                out[a_id] = set(closed_stages[year])
        for a_id, stage in session.execute(select(StageReopening.assessment_id, StageReopening.stage)
                                           .where(StageReopening.assessment_id.in_(chunk))).all():
            out.get(a_id, set()).discard(stage)
    return out
