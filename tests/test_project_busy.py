"""Two writers on one project file: the committee's GUI and a script, or an edit during an import.

A writing session takes SQLite's write lock at its start and waits for another writer; a session that
cannot get it, or that read before another program wrote, ends in ``ProjectBusy`` with nothing written.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from evaluator.models import ProjectBusy, ProjectInfo, open_project
from evaluator.models import project as project_module


def _other_program(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None, check_same_thread=False)


def test_a_writing_session_waits_for_another_writer_and_loses_nothing(tmp_path: Path):
    path = tmp_path / "p.db"
    with open_project(path, create=True, name="Sở Nội vụ") as project:
        other = _other_program(path)
        other.execute("BEGIN IMMEDIATE")
        other.execute("UPDATE project SET province = 'Đắk Nông'")
        timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
        timer.start()
        try:
            with project.session(write=True) as s:
                info = s.scalars(select(ProjectInfo)).one()
                assert info.province == "Đắk Nông"  # began only after the other program's commit
                info.name = "Sở Nội vụ tỉnh Đắk Nông"
        finally:
            timer.join()
            other.close()
        info = project.info()
        assert (info.name, info.province) == ("Sở Nội vụ tỉnh Đắk Nông", "Đắk Nông")


def test_writing_on_a_stale_read_is_refused_as_busy(tmp_path: Path):
    """Without write=True, a session that read before another program wrote cannot write (SQLite refuses
    it at once): the caller gets ProjectBusy, and neither side's data is damaged."""
    path = tmp_path / "p.db"
    with open_project(path, create=True, name="A") as project:
        other = _other_program(path)
        try:
            busy = r"is busy: another program or task is writing to it; nothing was saved"
            with pytest.raises(ProjectBusy, match=busy), project.session() as s:
                info = s.scalars(select(ProjectInfo)).one()
                other.execute("UPDATE project SET province = 'Lâm Đồng'")
                info.name = "B"
                s.flush()
        finally:
            other.close()
        info = project.info()
        assert (info.name, info.province) == ("A", "Lâm Đồng")


def test_a_lock_held_too_long_is_busy(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(project_module, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "p.db"
    with open_project(path, create=True, name="A") as project:
        other = _other_program(path)
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(ProjectBusy, match=str(path)), project.session(write=True) as s:
                s.scalars(select(ProjectInfo)).one().name = "B"
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert project.info().name == "A"
        with project.session(write=True) as s:  # free again
            s.scalars(select(ProjectInfo)).one().name = "B"
        assert project.info().name == "B"


def test_an_import_while_another_program_writes_says_busy_and_writes_nothing(
    demo_copy: Path, tmp_path: Path, monkeypatch, run_cli
):
    from workbook_helpers import write_workbook

    book = write_workbook(
        tmp_path / "tong-hop.xlsx",
        units=[["SO01", "Sở Nội vụ", "department", "par-department-2024"]],
        scores=[["SO01", "1.3.2", "self", 0.5, 0, "Có phát sinh"]],
    )
    monkeypatch.setattr(project_module, "BUSY_TIMEOUT_MS", 300)
    audit_before = _count(demo_copy, "audit_event")
    other = _other_program(demo_copy)
    other.execute("BEGIN IMMEDIATE")
    try:
        code, _out, err = run_cli("import", "--db", str(demo_copy), str(book))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1
    assert f"error: the project {demo_copy} is busy: another program or task is writing to it" in err
    assert _count(demo_copy, "import_log") == 0 and _count(demo_copy, "audit_event") == audit_before
    code, out, _err = run_cli("import", "--db", str(demo_copy), str(book))  # once the other has finished
    assert code == 0 and "1 updated" in out


def _count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
