"""PostgreSQL beside SQLite in the benchmarks (issue #17): a throwaway cluster for the run (the tests' own,
``tests/pg_server.py``: a temporary folder, a Unix socket, no TCP, stopped and removed at the end), and a
benchmark's SQLite project moved onto it with ``evaluator migrate`` — the product's own way — so that the
same work is timed on both in one run.

Without PostgreSQL's server programs the figures say so (``"postgresql": "unavailable: …"``) and the SQLite
figures are still printed: a benchmark is not refused for want of a server.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))


@contextlib.contextmanager
def postgres(figures: dict[str, Any], enabled: bool = True) -> Iterator[Any]:
    """The running cluster (``pg_server.Cluster``), or None (``figures["postgresql"]`` says why)."""
    if not enabled:
        figures["postgresql"] = "not asked (--no-postgres)"
        yield None
        return
    from pg_server import Cluster, _runner_user, find_bin_dir  # type: ignore[import-not-found]

    bin_dir = find_bin_dir()
    if bin_dir is None:
        figures["postgresql"] = "unavailable: no initdb/pg_ctl (apt-get install postgresql)"
        yield None
        return
    cluster = Cluster(bin_dir, user=_runner_user())
    try:
        cluster.start()
        figures["postgresql"] = f"PostgreSQL {bin_dir.parent.name}, throwaway cluster (Unix socket)"
        yield cluster
    finally:
        cluster.stop()


def move_onto(cluster: Any, project_file: Path, evidence_dir: Path) -> str:
    """The address of a new database on ``cluster`` holding ``project_file`` (rows and evidence, with
    ``evaluator migrate``); its evidence goes to ``evidence_dir``."""
    from evaluator.services.migrate import migrate

    name = cluster.new_database(migrated=False)
    url = cluster.url(name, evidence_dir=str(evidence_dir))
    migrate(project_file, url)
    return url
