"""Unit predecessors: the units a merged or renamed unit continues from a year on (issue 13).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

A new table only; no unit had predecessors before, so there is no data step.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "unit_predecessor",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("unit_id", sa.Uuid(), nullable=False),
        sa.Column("predecessor_id", sa.Uuid(), nullable=False),
        sa.Column("basis", sa.String(16), nullable=False),
        sa.Column("from_year", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_predecessor")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_unit_predecessor_unit_id_unit")),
        sa.ForeignKeyConstraint(["predecessor_id"], ["unit.id"],
                                name=op.f("fk_unit_predecessor_predecessor_id_unit")),
        sa.UniqueConstraint("unit_id", "predecessor_id", "from_year",
                            name=op.f("uq_unit_predecessor_unit_id_predecessor_id_from_year")),
    )
    op.create_index(op.f("ix_unit_predecessor_predecessor_id"), "unit_predecessor", ["predecessor_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_unit_predecessor_predecessor_id"), table_name="unit_predecessor")
    op.drop_table("unit_predecessor")
