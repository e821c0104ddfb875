"""A throwaway PostgreSQL cluster for the tests (a pytest plugin, loaded by conftest).

Once per test session (per xdist worker), on first use: ``initdb`` in a fresh temporary folder (trust
authentication, no fsync, the server's Unix socket in that folder and no TCP at all, so nothing else on the
machine can reach it and no port can clash), ``pg_ctl start``; a template database migrated to the Alembic
head once; then every test gets its own database, ``CREATE DATABASE … TEMPLATE`` (a file copy: much
faster than running the migrations again), dropped when the test ends. The server is stopped and its folder
removed when the session ends, also when it fails or is interrupted (a finalizer, and ``atexit`` as a
second line); a session killed outright leaves its cluster to the next session, which stops and removes it.

initdb and the server refuse to run as root: when the tests run as root (CI containers), the folder is
given to the ``postgres`` user (else ``nobody``) and the commands run as that user through ``runuser``.

Without PostgreSQL's programs the PostgreSQL tests fail at set-up with an ERROR that says how to install
them; ``python3 dev.py test`` installs them first.
"""
from __future__ import annotations

import atexit
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_server import (  # noqa: F401  (the plugin's names, as other tests import them from here)
    INSTALL_HINT,
    OWNER_FILE,
    SUPERUSER,
    TEMPLATE,
    Cluster,
    _alive,
    _runner_user,
    find_bin_dir,
    stop_orphans,
)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """The session's throwaway PostgreSQL cluster (started on first use)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    stop_orphans(bin_dir, _runner_user())
    cluster = Cluster(bin_dir, user=_runner_user())
    atexit.register(cluster.stop)  # an interrupted session too
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        atexit.unregister(cluster.stop)


@pytest.fixture
def pg_url(pg_cluster: Cluster, tmp_path: Path) -> Iterator[str]:
    """A fresh database on the throwaway cluster, migrated to head (the template's copy), with its
    evidence folder in this test's ``tmp_path``; dropped when the test ends."""
    name = pg_cluster.new_database()
    try:
        yield pg_cluster.url(name, evidence_dir=str(tmp_path / "p.evidence"))
    finally:
        pg_cluster.drop_database(name)


@pytest.fixture
def pg_empty_url(pg_cluster: Cluster) -> Iterator[str]:
    """A fresh, empty database (no tables) on the throwaway cluster; dropped when the test ends."""
    name = pg_cluster.new_database(migrated=False)
    try:
        yield pg_cluster.url(name)
    finally:
        pg_cluster.drop_database(name)


def copy_rows(source: str, target: str, *, batch: int = 5000) -> dict[str, int]:
    """Every row of every table of the project at ``source`` (a file or URL) into the empty project
    database ``target`` (schema at head, no rows), through the models' types (UUIDs, times, JSON,
    points): a test's way to put a file project (the demo) on the server. Returns the rows per table.
    Not the ``migrate`` command: no checks, no evidence."""
    from sqlalchemy import create_engine, insert, select

    from evaluator.models import Base, open_project

    counts: dict[str, int] = {}
    with open_project(source) as project:
        engine = create_engine(target)
        try:
            with project.engine.connect() as src, engine.begin() as dst:
                for table in Base.metadata.sorted_tables:
                    rows = [dict(r) for r in src.execute(select(table)).mappings()]
                    for i in range(0, len(rows), batch):
                        dst.execute(insert(table), rows[i:i + batch])
                    counts[table.name] = len(rows)
        finally:
            engine.dispose()
    return counts
