"""Unit aliases: units created on another laptop that the committee merged into one of its units.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(name: str, length: int | None = None) -> sa.Column:
    return sa.Column(name, sa.String(length) if length else sa.Text(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "unit_alias",
        sa.Column("foreign_unit_id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        _text("code", 64),
        _text("name", 300),
        _text("device_id", 100),
        _text("source"),
        _text("created_by", 200),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("foreign_unit_id", name=op.f("pk_unit_alias")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_alias_unit_id_unit")),
    )
    op.create_index(op.f("ix_unit_alias_unit_id"), "unit_alias", ["unit_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_alias_unit_id"), table_name="unit_alias")
    op.drop_table("unit_alias")
