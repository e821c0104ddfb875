"""Tables of how a province organises the year (issue 14): each stage's opening and closing dates, a unit's
submission of its self-assessment, the chair's approvals and the assessments re-opened after a closing date.

They live in their own module so that the core schema stays small; ``evaluator.models`` imports this
module, so the tables are part of ``Base.metadata`` (and of the Alembic head, migration 0010).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from evaluator.models.schema import Assessment, Base, _id, _text, _time


class StageSchedule(Base):
    """When a stage of a year opens and closes for writing (both days included)."""

    __tablename__ = "stage_schedule"
    __table_args__ = (UniqueConstraint("year", "stage"),)

    id: Mapped[uuid.UUID] = _id()
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    stage: Mapped[str] = mapped_column(String(32), nullable=False)
    opens: Mapped[date] = mapped_column(Date, nullable=False)
    closes: Mapped[date] = mapped_column(Date, nullable=False)
    """The last day writes are accepted; from the next day the stage is closed."""
    updated_by: Mapped[str] = _text(200)
    updated_at: Mapped[datetime] = _time(onupdate=True)


class Submission(Base):
    """A unit's self-assessment submitted as a whole (nộp); a withdrawal (rút lại) deletes the row, the
    audit log keeps both acts."""

    __tablename__ = "submission"

    id: Mapped[uuid.UUID] = _id()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), nullable=False, unique=True)
    submitted_by: Mapped[str] = _text(200)
    role: Mapped[str] = _text(32)
    submitted_at: Mapped[datetime] = _time()

    assessment: Mapped[Assessment] = relationship()


class Approval(Base):
    """The chair's approval (chốt điểm) of a unit's final result: who, when, in which role, and the
    fingerprint of every final value it approved. Each approval is kept; the newest one counts."""

    __tablename__ = "approval"

    id: Mapped[uuid.UUID] = _id()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), nullable=False, index=True)
    approved_by: Mapped[str] = _text(200)
    role: Mapped[str] = _text(32)
    approved_at: Mapped[datetime] = _time()
    fingerprint: Mapped[str] = mapped_column(String(64), nullable=False)
    """sha256 of the canonical form of the unit's final values (``services.approval.fingerprint``)."""

    assessment: Mapped[Assessment] = relationship()


class StageReopening(Base):
    """A stage the committee re-opened for one assessment after its closing date (an audited unlock)."""

    __tablename__ = "stage_reopening"
    __table_args__ = (UniqueConstraint("assessment_id", "stage"),)

    id: Mapped[uuid.UUID] = _id()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), nullable=False)
    stage: Mapped[str] = mapped_column(String(32), nullable=False)
    reopened_by: Mapped[str] = _text(200)
    reopened_at: Mapped[datetime] = _time()
