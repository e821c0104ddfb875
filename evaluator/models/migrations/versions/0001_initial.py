"""Initial schema: project, settings, criteria sets, periods, units, assessments, scores, evidence, audit.

Revision ID: 0001
Revises:
Create Date: 2025-01-06

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _id() -> sa.Column:
    return sa.Column("id", sa.Uuid(), nullable=False)


def _time(name: str) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=False)


def _text(name: str, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "project",
        _id(),
        _text("name", 300),
        _text("province", 200),
        _time("created_at"),
        _text("schema_note"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project")),
    )
    op.create_table(
        "setting",
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_setting")),
    )
    op.create_table(
        "criteria_set",
        _id(),
        sa.Column("code", sa.String(100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        _text("title"),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        _time("loaded_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_criteria_set")),
        sa.UniqueConstraint("code", "version", name=op.f("uq_criteria_set_code_version")),
        sa.UniqueConstraint("sha256", name=op.f("uq_criteria_set_sha256")),
    )
    op.create_table(
        "period",
        _id(),
        sa.Column("year", sa.Integer(), nullable=False),
        _text("title", 300),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_period")),
        sa.UniqueConstraint("year", name=op.f("uq_period_year")),
    )
    op.create_table(
        "unit",
        _id(),
        sa.Column("code", sa.String(64), nullable=False),
        sa.Column("name", sa.String(300), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("parent_code", sa.String(64), nullable=True),
        _time("created_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit")),
        sa.UniqueConstraint("code", name=op.f("uq_unit_code")),
    )
    op.create_table(
        "assessment",
        _id(),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("period_id", sa.Uuid(), nullable=False),
        sa.Column("criteria_set_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(32), nullable=False, server_default="self_assessment"),
        _text("locked_stages", 200),
        _time("created_at"),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_assessment_unit_id_unit")),
        sa.ForeignKeyConstraint(["period_id"], ["period.id"], name=op.f("fk_assessment_period_id_period")),
        sa.ForeignKeyConstraint(["criteria_set_id"], ["criteria_set.id"],
                                name=op.f("fk_assessment_criteria_set_id_criteria_set")),
        sa.UniqueConstraint("unit_id", "period_id", name=op.f("uq_assessment_unit_id_period_id")),
    )
    op.create_table(
        "score",
        _id(),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("criterion_code", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("points", sa.Numeric(8, 2), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False, server_default="0"),
        _text("note"),
        _text("author", 200),
        _time("updated_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_score_assessment_id_assessment")),
        sa.UniqueConstraint("assessment_id", "criterion_code", "stage",
                            name=op.f("uq_score_assessment_id_criterion_code_stage")),
    )
    op.create_table(
        "evidence",
        _id(),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("criterion_code", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=True),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        _text("media_type", 200),
        _text("reference"),
        _text("added_by", 200),
        _time("added_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_evidence_assessment_id_assessment")),
        sa.UniqueConstraint("assessment_id", "criterion_code", "sha256",
                            name=op.f("uq_evidence_assessment_id_criterion_code_sha256")),
    )
    op.create_table(
        "audit_event",
        _id(),
        _time("time"),
        _text("author", 200),
        _text("role", 64),
        _text("device_id", 100),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=True),
        sa.Column("criterion_code", sa.String(64), nullable=True),
        sa.Column("stage", sa.String(32), nullable=True),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        _text("reason"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
        sa.ForeignKeyConstraint(["assessment_id"], ["assessment.id"],
                                name=op.f("fk_audit_event_assessment_id_assessment")),
    )
    op.create_index(op.f("ix_audit_event_assessment_id_criterion_code"), "audit_event",
                    ["assessment_id", "criterion_code"])


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_event_assessment_id_criterion_code"), table_name="audit_event")
    for table in ("audit_event", "evidence", "score", "assessment", "unit", "period", "criteria_set",
                  "setting", "project"):
        op.drop_table(table)
