"""Unit details a province keeps: short name, ranking group, abbreviation, head's title, retirement time.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05

Every new text column is NOT NULL with '' as its server default, so the units already stored read as
"no short name, the kind's main group, ..." without a data step; ``retired_at`` is NULL (not retired).
Batch mode: SQLite cannot add a constrained column in place; on PostgreSQL the batch is plain ALTERs.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXTS = (("short_name", 100), ("ranking_group", 64), ("abbreviation", 32), ("head_title", 100))


def upgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        for name, length in TEXTS:
            batch.add_column(sa.Column(name, sa.String(length), nullable=False, server_default=""))
        batch.add_column(sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("unit") as batch:
        for name in ("retired_at", *reversed([n for n, _ in TEXTS])):
            batch.drop_column(name)
