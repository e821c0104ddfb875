"""Migration 0003 (devices, imported packages, conflicts): upgrade from 0002, downgrade, models agree."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from evaluator.models import alembic_config, open_project
from evaluator.models.project import schema_differences


def tables(path: Path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()


def test_upgrade_from_0002_and_back(tmp_path: Path):
    path = tmp_path / "p.db"
    open_project(path, create=True).close()
    cfg = alembic_config(f"sqlite:///{path}")
    command.downgrade(cfg, "0002")
    assert not {"device", "package_import", "score_conflict"} & tables(path)
    with open_project(path) as project:
        assert project.upgraded_from == "0002"
    assert {"device", "package_import", "score_conflict"} <= tables(path)
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert schema_differences(conn) == []
    finally:
        engine.dispose()
