"""The yearly cycle: the criteria mapping between two years' sets, and carried evidence.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06

``evidence.carried_from`` is NULL for evidence added in its own year and ``carry_pending`` is false, so
the evidence already stored counts as before without a data step.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "criteria_mapping",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("unit_kind", sa.String(32), nullable=False),
        sa.Column("old_code", sa.String(64), nullable=False),
        sa.Column("new_code", sa.String(64), nullable=True),
        sa.Column("score", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("method", sa.String(16), nullable=False, server_default=""),
        sa.Column("updated_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("year", "unit_kind", "old_code"),
    )
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("carried_from", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("carry_pending", sa.Boolean(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("carry_pending")
        batch.drop_column("carried_from")
    op.drop_table("criteria_mapping")
