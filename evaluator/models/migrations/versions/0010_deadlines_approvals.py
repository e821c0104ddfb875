"""Deadlines, submissions and approvals (issue 14): stage schedules, submissions, approvals, re-openings.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06

New tables only: projects stored before read as "no schedule, nothing submitted, nothing approved".
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=False, server_default="")


def _assessment_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                   name=op.f(f"fk_{table}_assessment_id_assessment"))


def upgrade() -> None:
    op.create_table(
        "stage_schedule",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("opens", sa.Date(), nullable=False),
        sa.Column("closes", sa.Date(), nullable=False),
        _text("updated_by", 200),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_schedule")),
        sa.UniqueConstraint("year", "stage", name=op.f("uq_stage_schedule_year_stage")),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        _text("submitted_by", 200),
        _text("role", 32),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("assessment_id", name=op.f("uq_submission_assessment_id")),
        _assessment_fk("submission"),
    )
    op.create_table(
        "approval",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        _text("approved_by", 200),
        _text("role", 32),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fingerprint", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval")),
        _assessment_fk("approval"),
    )
    op.create_index(op.f("ix_approval_assessment_id"), "approval", ["assessment_id"])
    op.create_table(
        "stage_reopening",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        _text("reopened_by", 200),
        sa.Column("reopened_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stage_reopening")),
        sa.UniqueConstraint("assessment_id", "stage", name=op.f("uq_stage_reopening_assessment_id_stage")),
        _assessment_fk("stage_reopening"),
    )


def downgrade() -> None:
    op.drop_table("stage_reopening")
    op.drop_index(op.f("ix_approval_assessment_id"), table_name="approval")
    op.drop_table("approval")
    op.drop_table("submission")
    op.drop_table("stage_schedule")
