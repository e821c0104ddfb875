"""Hash-chained audit log: chain, seq, prev_hash, hash and link on every audit event.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01

The events already stored are chained here, one chain ``upgrade:<device_id>`` per device label, in (time,
id) order, marked ``link = 'upgrade'``: nothing tells which of them were written in this file and which
came from packages, and names of their own keep these chains apart from the devices' real chains (which
begin with the first event written after the upgrade). The hashing is ``models.audit_chain``'s (a frozen
format, so importing it here is safe).
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from evaluator.models.audit_chain import UPGRADE, UPGRADE_PREFIX, event_hash
from evaluator.models.schema import JSONText, UTCDateTime

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000


def _text(name: str, length: int) -> sa.Column:
    return sa.Column(name, sa.String(length), nullable=False, server_default="")


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(_text("chain", 120))
        batch.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(_text("prev_hash", 64))
        batch.add_column(_text("hash", 64))
        batch.add_column(_text("link", 16))

    event = sa.table(
        "audit_event",
        sa.column("id", sa.Uuid()),
        sa.column("time", UTCDateTime()),
        sa.column("author", sa.String()),
        sa.column("role", sa.String()),
        sa.column("device_id", sa.String()),
        sa.column("action", sa.String()),
        sa.column("assessment_id", sa.Uuid()),
        sa.column("criterion_code", sa.String()),
        sa.column("stage", sa.String()),
        sa.column("old", JSONText()),
        sa.column("new", JSONText()),
        sa.column("reason", sa.String()),
        sa.column("chain", sa.String()),
        sa.column("seq", sa.Integer()),
        sa.column("prev_hash", sa.String()),
        sa.column("hash", sa.String()),
        sa.column("link", sa.String()),
    )
    bind = op.get_bind()
    stmt = (sa.update(event).where(event.c.id == sa.bindparam("b_id"))
            .values(chain=sa.bindparam("b_chain"), seq=sa.bindparam("b_seq"),
                    prev_hash=sa.bindparam("b_prev"), hash=sa.bindparam("b_hash"), link=UPGRADE))
    heads: dict[str, tuple[int, str]] = {}
    updates: list[dict[str, Any]] = []
    # (device, time, id): a stable order, the same on every run and database
    order = (event.c.device_id, event.c.time, event.c.id)
    rows = bind.execute(sa.select(event).order_by(*order)).mappings().all()
    for row in rows:
        chain = f"{UPGRADE_PREFIX}{row['device_id'] or ''}"[:120]
        seq, prev = heads.get(chain, (0, ""))
        h = event_hash(prev, row)
        heads[chain] = (seq + 1, h)
        updates.append({"b_id": row["id"], "b_chain": chain, "b_seq": seq + 1, "b_prev": prev, "b_hash": h})
        if len(updates) >= BATCH:
            bind.execute(stmt, updates)
            updates = []
    if updates:
        bind.execute(stmt, updates)
    op.create_index(op.f("ix_audit_event_chain_seq"), "audit_event", ["chain", "seq"], unique=True,
                    sqlite_where=sa.text("seq > 0"), postgresql_where=sa.text("seq > 0"))


def downgrade() -> None:
    op.drop_index(op.f("ix_audit_event_chain_seq"), table_name="audit_event")
    with op.batch_alter_table("audit_event") as batch:
        for name in ("link", "hash", "prev_hash", "seq", "chain"):
            batch.drop_column(name)
