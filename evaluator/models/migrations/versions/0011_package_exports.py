"""Exported packages (issue 17): each team package this file wrote and the records it carried first, so
that an incremental package (``export --since-last``) writes only what is new and names its predecessors.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06

New tables only: a project stored before has exported nothing yet (its next ``--since-last`` is full).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "package_export",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("package_id", sa.Uuid(), nullable=False),
        sa.Column("manifest_sha256", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _text("file_name"),
        _text("author", 200),
        sa.Column("full", sa.Boolean(), nullable=False),
        sa.Column("whole", sa.Boolean(), nullable=False),
        sa.Column("builds_on", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_package_export")),
        sa.UniqueConstraint("package_id", name=op.f("uq_package_export_package_id")),
    )
    op.create_table(
        "exported_record",
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("export_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "record_id", name=op.f("pk_exported_record")),
        sa.ForeignKeyConstraint(["export_id"], ["package_export.id"],
                                name=op.f("fk_exported_record_export_id_package_export")),
    )


def downgrade() -> None:
    op.drop_table("exported_record")
    op.drop_table("package_export")
