"""Exchange between laptops: devices, imported team packages, score conflicts.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "device",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("device_id", sa.String(100), nullable=False),
        _text("local_key", 500),
        _text("label", 200),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device")),
        sa.UniqueConstraint("device_id", name=op.f("uq_device_device_id")),
    )
    op.create_table(
        "package_import",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("package_id", sa.Uuid(), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        _text("device_id", 100),
        _text("author", 200),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        _text("file_name"),
        _text("signed_by"),
        sa.Column("import_log_id", sa.Uuid(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_import")),
        sa.UniqueConstraint("manifest_sha256", name=op.f("uq_package_import_manifest_sha256")),
        sa.ForeignKeyConstraint(
            ["import_log_id"], ["import_log.id"], name=op.f("fk_package_import_import_log_id_import_log")
        ),
    )
    op.create_table(
        "score_conflict",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("assessment_id", sa.Uuid(), nullable=False),
        sa.Column("criterion_code", sa.String(64), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("head_ids", sa.Text(), nullable=False),
        sa.Column("base_revision_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False, server_default="open"),
        sa.Column("detected_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        _text("resolved_by", 200),
        _text("reason"),
        sa.Column("resolution_revision_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_conflict")),
        sa.ForeignKeyConstraint(
            ["assessment_id"], ["assessment.id"], name=op.f("fk_score_conflict_assessment_id_assessment")
        ),
    )
    op.create_index(
        op.f("ix_score_conflict_assessment_id_criterion_code_stage"),
        "score_conflict",
        ["assessment_id", "criterion_code", "stage"],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_score_conflict_assessment_id_criterion_code_stage"), table_name="score_conflict")
    op.drop_table("score_conflict")
    op.drop_table("package_import")
    op.drop_table("device")
