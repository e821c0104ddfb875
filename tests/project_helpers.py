"""Project files shared by many test modules: the demo project built once per test session, and cheap
private copies of it.

The demo project is about 25 MB of SQLite and 1,200 evidence files; building it takes a while and every
copy is written to disk, so the suite builds it once (``shared_demo``) and copies it where a test writes.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

DEMO_SEED = 2024
DEMO_YEAR = 2024

_built: dict[Path, Path] = {}


def shared_demo(factory: pytest.TempPathFactory) -> Path:
    """The demo project (seed 2024, years 2023–2024), built once per session under its base folder. Read
    it only: a test that writes works on a ``copy_project`` of it."""
    base = factory.getbasetemp()
    if base not in _built:
        from evaluator.services.demo import build_demo

        path = factory.mktemp("demo") / "demo.db"
        build_demo(path, seed=DEMO_SEED, year=DEMO_YEAR).close()
        _built[base] = path
    return _built[base]


def copy_project(source: Path, target: Path, *, link_evidence: bool = True) -> Path:
    """Copy a closed project file and its evidence folder (``X.db`` → ``target``, ``X.evidence/``).

    Evidence files are hard links by default: the store never changes a stored file in place (it writes a
    new file and renames it over), so the copy and the source cannot affect each other, and a copy costs
    no disk for evidence. A test that damages a stored file in place (``write_bytes`` on it) must pass
    ``link_evidence=False``, or it would damage the source too."""
    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    evidence = source.with_suffix(".evidence")
    if evidence.is_dir():
        shutil.copytree(evidence, target.with_suffix(".evidence"),
                        copy_function=_link_or_copy if link_evidence else shutil.copy2)
    return target


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, or one without hard links
        shutil.copy2(source, target)
