"""Score revision chain (revision, base revision, device) and the import log.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-20

Every existing score gets its first history row (revision 1), so that the chain is complete.
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("score") as batch:
        batch.add_column(sa.Column("device_id", sa.String(100), nullable=False, server_default=""))
        batch.add_column(sa.Column("revision", sa.Integer(), nullable=False, server_default="1"))
        batch.add_column(sa.Column("base_revision_id", sa.Uuid(), nullable=True))

    op.create_table(
        "score_revision",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("score_id", sa.Uuid(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.Column("points", sa.Numeric(8, 2), nullable=True),
        sa.Column("not_applicable", sa.Boolean(), nullable=False, server_default="0"),
        sa.Column("note", sa.Text(), nullable=False, server_default=""),
        sa.Column("author", sa.String(200), nullable=False, server_default=""),
        sa.Column("device_id", sa.String(100), nullable=False, server_default=""),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("base_revision_id", sa.Uuid(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_score_revision")),
        sa.ForeignKeyConstraint(["score_id"], ["score.id"], name=op.f("fk_score_revision_score_id_score")),
    )
    op.create_index(op.f("ix_score_revision_score_id_revision"), "score_revision", ["score_id", "revision"])

    op.create_table(
        "import_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("author", sa.String(200), nullable=False, server_default=""),
        sa.Column("source", sa.Text(), nullable=False, server_default=""),
        sa.Column("source_sha256", sa.String(64), nullable=False, server_default=""),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("dry_run", sa.Boolean(), nullable=False, server_default="0"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_log")),
    )

    # Seed the history: one revision per existing score, copied from its current value.
    score = sa.table(
        "score",
        sa.column("id", sa.Uuid()),
        sa.column("value", sa.Text()),
        sa.column("points", sa.Numeric(8, 2)),
        sa.column("not_applicable", sa.Boolean()),
        sa.column("note", sa.Text()),
        sa.column("author", sa.String()),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    score_revision = sa.table(
        "score_revision",
        sa.column("id", sa.Uuid()),
        sa.column("score_id", sa.Uuid()),
        sa.column("revision", sa.Integer()),
        sa.column("value", sa.Text()),
        sa.column("points", sa.Numeric(8, 2)),
        sa.column("not_applicable", sa.Boolean()),
        sa.column("note", sa.Text()),
        sa.column("author", sa.String()),
        sa.column("device_id", sa.String()),
        sa.column("time", sa.DateTime(timezone=True)),
    )
    bind = op.get_bind()
    rows = [
        {"id": uuid.uuid4(), "score_id": r.id, "revision": 1, "value": r.value, "points": r.points,
         "not_applicable": r.not_applicable, "note": r.note, "author": r.author, "device_id": "",
         "time": r.updated_at}
        for r in bind.execute(sa.select(score))
    ]
    if rows:
        op.bulk_insert(score_revision, rows)


def downgrade() -> None:
    op.drop_table("import_log")
    op.drop_index(op.f("ix_score_revision_score_id_revision"), table_name="score_revision")
    op.drop_table("score_revision")
    with op.batch_alter_table("score") as batch:
        batch.drop_column("base_revision_id")
        batch.drop_column("revision")
        batch.drop_column("device_id")
