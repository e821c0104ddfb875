"""What a program killed with SIGKILL (``kill -9``) leaves behind, and that the next run removes it or is not
blocked by it: half-written backups, ``.incoming-*`` evidence files, orphan evidence files of an import
that never committed, a half-built demo. Each crash is a real ``kill -9`` of a real subprocess at the
moment it matters (POSIX: SIGKILL and a FIFO as a slow source)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from process_helpers import SLOW_BACKUP, age, kill9, spawn, wait_line


def new_project(path: Path) -> Path:
    from evaluator.models import open_project

    open_project(path, create=True, name="Thử").close()
    return path


def test_a_backup_killed_midway_leaves_no_file_under_a_backup_name(tmp_path: Path, backups_dir: Path):
    db = new_project(tmp_path / "p.db")
    child = spawn(SLOW_BACKUP + """
    from evaluator.models import open_project
    from evaluator.services.backups import backup_before_import

    backup_before_import(open_project(sys.argv[1]))
    """, db)
    wait_line(child, "copying")
    kill9(child)
    left = [p for p in backups_dir.rglob("*") if p.is_file()]
    assert left, "the kill came too late: nothing was being written"
    # the old code left "p.db.bak-<time>" (empty or partial) and its "-journal": a backup in name only
    assert [p.name for p in left if not p.name.startswith(".incoming-")] == []

    from evaluator.services.backups import backup_file, list_backups

    assert list_backups(db) == []
    assert all(p.exists() for p in left)  # young: another program may be writing it now
    age(*left)
    made = backup_file(db)
    assert [b.id for b in list_backups(db)] == [made.id]
    assert [p.name for p in backups_dir.rglob("*") if p.is_file()] == [made.path.name]


def test_broken_backup_of_an_older_version_is_not_listed_and_removed_once_stale(tmp_path: Path) -> None:
    """The exact leftover of the old code: a 0-byte file under a backup's name and its hot journal."""
    from evaluator.services.backups import backup_file, backups_folder, list_backups

    db = new_project(tmp_path / "p.db")
    good = backup_file(db)
    broken = backups_folder(db) / "p.db.bak-20240102T030405123456Z"
    broken.write_bytes(b"")
    Path(f"{broken}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7" + bytes(504))
    assert [b.id for b in list_backups(db)] == [good.id]
    assert broken.exists()  # young: kept for now
    age(broken, Path(f"{broken}-journal"))
    assert [b.id for b in list_backups(db)] == [good.id]
    assert not broken.exists() and not Path(f"{broken}-journal").exists()


def test_an_evidence_file_killed_while_stored_leaves_incoming_removed_on_open_once_stale(tmp_path: Path):
    from evaluator.services.projects import open_existing

    db = new_project(tmp_path / "p.db")
    fifo = tmp_path / "slow-source"
    os.mkfifo(fifo)
    child = spawn("""
    import sys
    from pathlib import Path
    from evaluator.models import open_project

    project = open_project(sys.argv[1])
    project.evidence.put(Path(sys.argv[2]))
    """, db, fifo)
    writer = os.open(fifo, os.O_WRONLY)  # waits for the child to open it
    os.write(writer, b"x" * 65536)
    evidence = db.with_suffix(".evidence")
    end = time.monotonic() + 30
    while not list(evidence.glob(".incoming-*")) and time.monotonic() < end:
        time.sleep(0.02)
    kill9(child)
    os.close(writer)
    [incoming] = evidence.glob(".incoming-*")

    open_existing(db).close()
    assert incoming.exists()  # young: it may be another program's import, being written
    age(incoming)
    open_existing(db).close()
    assert not incoming.exists()


def test_orphans_of_an_import_killed_before_commit_are_removed_once_stale_and_nothing_named(demo_copy: Path):
    from sqlalchemy import delete, select

    from evaluator.models import Evidence, open_project
    from evaluator.services import evidence as evidence_service
    from evaluator.services.backups import backup_file
    from evaluator.services.projects import open_existing

    with open_project(demo_copy) as project, project.session(write=True) as s:
        rows = s.scalars(select(Evidence).order_by(Evidence.sha256)).all()
        all_shas = [r.sha256 for r in rows]
        once = [r for r in rows if all_shas.count(r.sha256) == 1]
        shas = [once[0].sha256, once[1].sha256]
        # A: named by its audit event only (removed by hand; an undo brings it back)
        evidence_service.remove(s, once[0].id, author="t", reason="sai tệp")
    backup_file(demo_copy)
    with open_project(demo_copy) as project, project.session(write=True) as s:
        # B: named by a backup only (as after restoring an older backup)
        s.execute(delete(Evidence).where(Evidence.sha256 == shas[1]))

    child = spawn("""
    import sys, time
    from sqlalchemy import select
    from evaluator.models import Evidence, open_project

    project = open_project(sys.argv[1])
    with project.session(write=True) as s:
        s.scalars(select(Evidence.id)).first()
        project.evidence.put(b"a file of an import that never commits")
        print("stored", flush=True)
        time.sleep(120)
    """, demo_copy)
    wait_line(child, "stored")
    kill9(child)
    evidence = demo_copy.with_suffix(".evidence")
    named = {p.name for p in evidence.rglob("*") if p.is_file()}
    [orphan] = [p for p in evidence.rglob("*") if p.is_file() and p.name not in all_shas]

    open_existing(demo_copy).close()
    assert orphan.exists()  # young: an import may be about to commit rows that name it
    age(evidence)
    # another program holds the write lock (an import): the sweep gives up rather than race it
    import sqlite3

    other = sqlite3.connect(demo_copy, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    open_existing(demo_copy).close()
    assert orphan.exists()
    other.execute("ROLLBACK")
    other.close()
    open_existing(demo_copy).close()
    assert not orphan.exists()
    assert {p.name for p in evidence.rglob("*") if p.is_file()} == named - {orphan.name}
    assert (evidence / shas[0][:2] / shas[0]).exists() and (evidence / shas[1][:2] / shas[1]).exists()


@pytest.mark.slow
def test_a_demo_killed_half_way_never_blocks_demo_again(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "demo.db"
    child = spawn("""
    import sys
    from evaluator.services.demo import build_demo

    build_demo(sys.argv[1], progress=lambda text: print(text, flush=True))
    """, db)
    wait_line(child, "2024: chấm điểm")
    kill9(child)
    assert not db.exists()  # the old code left a half-made demo.db here: `demo` then refused it
    leftovers = list(tmp_path.glob(".incoming-demo.db-*"))
    assert leftovers
    code, _out, err = run_cli("demo", db)
    assert code == 0, err
    assert all(p.exists() for p in leftovers)  # young: might be another build running now
    age(*leftovers)
    code, _out, err = run_cli("demo", db, "--force")
    assert code == 0, err
    assert not list(tmp_path.glob(".incoming-*"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "demo.evidence"]


def test_opening_closes_the_project_when_the_clean_up_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """``open_existing`` cleans what a crash left before handing the project over; when that clean-up fails
    (a file it cannot remove, a damaged backup) the error goes up and the project it opened is closed, not
    left with open SQLite connections that nothing will close."""
    from evaluator.services import backups, projects

    db = new_project(tmp_path / "p.db")
    opened = []

    def failing(project: object) -> list[Path]:
        opened.append(project)
        raise PermissionError("cannot remove a stale file")

    monkeypatch.setattr(backups, "clean_leftovers", failing)
    with pytest.raises(PermissionError):
        projects.open_existing(db)
    [project] = opened
    assert project.engine.pool.checkedin() == 0 and project.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
