"""Schema migrations: upgrading old project files, refusing foreign or newer ones, models == migrations."""

from __future__ import annotations

import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from evaluator.frameworks import canonical_json
from evaluator.models import (
    CriteriaSet,
    ImportLog,
    ProjectError,
    Score,
    ScoreRevision,
    alembic_config,
    head_revision,
    open_project,
)
from evaluator.models.project import MIGRATIONS_DIR, schema_differences

IDS = {name: uuid.uuid4() for name in ("project", "cs", "period", "unit", "assessment", "s1", "s2", "ev",
                                       "au")}
T0 = "2024-01-05 08:00:00.000000"
T1 = "2024-11-20 03:00:00.000000"


def make_0001(path: Path, fw) -> None:
    """A project file at revision 0001 with rows written by plain SQL, as an old program wrote them."""
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0001")
    h = {k: v.hex for k, v in IDS.items()}
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("INSERT INTO project (id, name, province, created_at) "
                        "VALUES (?, 'Cũ', 'Đắk Nông', ?)", (h["project"], T0))
            con.execute("INSERT INTO criteria_set (id, code, version, year, title, sha256, document, "
                        "loaded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (h["cs"], fw.code, fw.version, fw.year, fw.title, fw.sha256,
                         canonical_json(fw.document), T0))
            con.execute("INSERT INTO period (id, year, title) VALUES (?, 2024, 'Năm 2024')", (h["period"],))
            con.execute("INSERT INTO unit (id, code, name, kind, created_at) "
                        "VALUES (?, 'H01', 'UBND huyện A', 'district', ?)", (h["unit"], T0))
            con.execute("INSERT INTO assessment (id, unit_id, period_id, criteria_set_id, created_at, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                        (h["assessment"], h["unit"], h["period"], h["cs"], T0, T0))
            for sid, code, value, points in ((h["s1"], "1.1", '{"done":true}', 2),
                                             (h["s2"], "1.2", '{"option":"late"}', 0.5)):
                con.execute("INSERT INTO score (id, assessment_id, criterion_code, stage, value, points, "
                            "note, author, updated_at) "
                            "VALUES (?, ?, ?, 'self', ?, ?, 'ghi chú', 'Nguyễn Văn A', ?)",
                            (sid, h["assessment"], code, value, points, T1))
            con.execute("INSERT INTO evidence (id, assessment_id, criterion_code, sha256, file_name, size, "
                        "added_at) VALUES (?, ?, '1.1', ?, 'ke-hoach.pdf', 10, ?)",
                        (h["ev"], h["assessment"], "e" * 64, T1))
            con.execute("INSERT INTO audit_event (id, time, action, assessment_id, criterion_code, new) "
                        "VALUES (?, ?, 'score.set', ?, '1.1', '{\"done\":true}')",
                        (h["au"], T1, h["assessment"]))
    finally:
        con.close()


def revision_of(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        con.close()


def test_revision_history():
    script = ScriptDirectory.from_config(alembic_config())
    chain = [(s.revision, s.down_revision) for s in script.walk_revisions()]
    # a straight line, newest first
    assert chain == [("0011", "0010"), ("0010", "0009"), ("0009", "0008"), ("0008", "0007"), ("0007", "0006"),
                     ("0006", "0005"), ("0005", "0004"), ("0004", "0003"), ("0003", "0002"), ("0002", "0001"),
                     ("0001", None)]
    assert head_revision() == chain[0][0]
    assert MIGRATIONS_DIR.is_dir() and (MIGRATIONS_DIR / "env.py").is_file()


def test_upgrade_from_0001(tmp_path: Path, mini_framework):
    path = tmp_path / "old.db"
    make_0001(path, mini_framework)
    assert revision_of(path) == "0001"

    with open_project(path) as project:
        assert project.upgraded_from == "0001" and project.revision == head_revision()
        assert project.backup_path == tmp_path / "old.db.bak-0001"
        assert project.info().name == "Cũ"
        with project.session() as s:
            scores = {sc.criterion_code: sc for sc in s.scalars(sa.select(Score))}
            assert scores["1.1"].id == IDS["s1"] and scores["1.1"].value == {"done": True}
            assert scores["1.2"].points == Decimal("0.50") and scores["1.2"].note == "ghi chú"
            for sc in scores.values():  # new columns got their defaults
                assert (sc.revision, sc.device_id, sc.base_revision_id) == (1, "", None)
                assert sc.updated_at.tzinfo is not None
            revisions = s.scalars(sa.select(ScoreRevision)).all()  # history seeded from current values
            assert sorted((r.score_id, r.revision, r.points, r.author) for r in revisions) == sorted(
                (sc.id, 1, sc.points, "Nguyễn Văn A") for sc in scores.values())
            assert all(r.time == scores["1.1"].updated_at for r in revisions)
            row = s.get(CriteriaSet, IDS["cs"])
            assert row is not None and row.framework().sha256 == mini_framework.sha256
            s.add(ImportLog(source="x.cchc", summary={"new": 0}))
    assert revision_of(path) == head_revision()
    assert revision_of(tmp_path / "old.db.bak-0001") == "0001"  # the backup is the untouched old file

    with open_project(path) as again:  # already at head: nothing to do
        assert again.upgraded_from is None and again.backup_path is None
    assert sorted(p.name for p in tmp_path.iterdir() if ".bak-" in p.name) == ["old.db.bak-0001"]


def test_backup_name_never_overwritten(tmp_path: Path, mini_framework):
    path = tmp_path / "old.db"
    make_0001(path, mini_framework)
    (tmp_path / "old.db.bak-0001").write_bytes(b"an earlier backup")
    with open_project(path) as project:
        assert project.backup_path == tmp_path / "old.db.bak-0001-2"
    assert (tmp_path / "old.db.bak-0001").read_bytes() == b"an earlier backup"


def test_failed_upgrade_changes_nothing(tmp_path: Path, mini_framework):
    path = tmp_path / "broken.db"
    make_0001(path, mini_framework)
    con = sqlite3.connect(path)  # foreign keys are off by default in plain sqlite3
    with con:
        con.execute("INSERT INTO score (id, assessment_id, criterion_code, stage, updated_at) "
                    "VALUES (?, ?, '9.9', 'self', ?)", (uuid.uuid4().hex, "0" * 32, T1))
    con.close()
    with pytest.raises(ProjectError, match="refer to missing rows"):
        open_project(path)
    assert revision_of(path) == "0001"
    con = sqlite3.connect(path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        con.close()
    assert "score_revision" not in tables  # the whole upgrade was rolled back


def test_models_match_migrations(tmp_path: Path, mini_framework):
    fresh = tmp_path / "fresh.db"
    open_project(fresh, create=True).close()
    upgraded = tmp_path / "upgraded.db"
    make_0001(upgraded, mini_framework)
    open_project(upgraded).close()
    for path in (fresh, upgraded):
        engine = sa.create_engine(f"sqlite:///{path}")
        try:
            with engine.connect() as conn:
                assert schema_differences(conn) == []
        finally:
            engine.dispose()


def test_schema_check_sees_differences(tmp_path: Path):
    path = tmp_path / "at0001.db"
    command.upgrade(alembic_config(f"sqlite:///{path}"), "0001")
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            diffs = schema_differences(conn)
    finally:
        engine.dispose()
    flat = [d for group in diffs for d in (group if isinstance(group, list) else [group])]
    assert ("add_table", "score_revision") in {(d[0], getattr(d[1], "name", None)) for d in flat}
    assert any(d[0] == "add_column" and d[2] == "score" and d[3].name == "revision" for d in flat)


def test_downgrade_and_upgrade_again(tmp_path: Path, mini_framework):
    path = tmp_path / "p.db"
    make_0001(path, mini_framework)
    open_project(path).close()
    cfg = alembic_config(f"sqlite:///{path}")
    command.downgrade(cfg, "0001")
    assert revision_of(path) == "0001"
    command.upgrade(cfg, "head")
    command.check(cfg)


def test_newer_project_refused(tmp_path: Path):
    path = tmp_path / "future.db"
    open_project(path, create=True).close()
    con = sqlite3.connect(path)
    with con:
        con.execute("UPDATE alembic_version SET version_num = '0099'")
    con.close()
    with pytest.raises(ProjectError, match=r"newer version of evaluator.*update the program"):
        open_project(path)
    assert revision_of(path) == "0099"


def test_missing_file(tmp_path: Path):
    with pytest.raises(ProjectError, match="no project at"):
        open_project(tmp_path / "nothing.db")
    assert not (tmp_path / "nothing.db").exists()
    with pytest.raises(ProjectError, match=r"folder .* does not exist"):
        open_project(tmp_path / "no" / "such" / "p.db", create=True)


def test_not_a_database(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("Biên bản thẩm định\n" * 20, encoding="utf-8")
    with pytest.raises(ProjectError, match="not an SQLite database"):
        open_project(path)
    with pytest.raises(ProjectError, match="not an SQLite database"):
        open_project(path, create=True)
    assert path.read_text(encoding="utf-8").startswith("Biên bản")


def test_damaged_database(tmp_path: Path):
    path = tmp_path / "damaged.db"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    with pytest.raises(ProjectError, match="cannot open"):
        open_project(path)


def test_other_sqlite_database(tmp_path: Path):
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY)")
    con.close()
    with pytest.raises(ProjectError, match="not an evaluator project"):
        open_project(path)
    with pytest.raises(ProjectError, match="not an evaluator project"):
        open_project(path, create=True)


def test_empty_file(tmp_path: Path):
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(ProjectError, match="empty"):
        open_project(path)
    with open_project(path, create=True) as project:
        assert project.created
    assert revision_of(path) == head_revision()


def test_folder_is_not_a_project(tmp_path: Path):
    with pytest.raises(ProjectError, match="folder"):
        open_project(tmp_path)


def test_sqlite_url(tmp_path: Path):
    path = tmp_path / "by-url.db"
    with open_project(f"sqlite:///{path}", create=True) as project:
        assert project.path == path.resolve()
        assert project.evidence_dir == path.resolve().with_suffix(".evidence")
    with pytest.raises(ProjectError, match="not a database address"):
        open_project("nonsense://::")
    with pytest.raises(ProjectError, match="cannot open"):
        open_project("nonsense://host/db")


def test_two_programs_opening_an_old_file(tmp_path: Path, mini_framework):
    from concurrent.futures import ThreadPoolExecutor

    path = tmp_path / "shared.db"
    make_0001(path, mini_framework)

    def open_and_count(_: int) -> tuple[str | None, int]:
        with open_project(path) as project, project.session() as s:
            return project.upgraded_from, len(s.scalars(sa.select(ScoreRevision)).all())

    # Several at once: switching the old file to WAL and upgrading it must not fail with "database is
    # locked" in any of them, and only the one that upgrades takes a backup.
    with ThreadPoolExecutor(max_workers=4) as pool:
        opened = list(pool.map(open_and_count, range(4)))
    assert [count for _, count in opened] == [2, 2, 2, 2]  # upgraded (and history seeded) exactly once
    assert sorted(old or "" for old, _ in opened) == ["", "", "", "0001"]
    assert [p.name for p in tmp_path.glob("shared.db.bak-*")] == ["shared.db.bak-0001"]
    assert revision_of(path) == head_revision()


def test_opening_while_another_program_writes_an_old_file(tmp_path: Path, mini_framework):
    """SQLite refuses the switch to WAL at once (no busy wait) while another program holds the write
    lock of a rollback-journal file; opening waits for that program instead of failing."""
    import threading

    path = tmp_path / "old.db"
    make_0001(path, mini_framework)
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    assert other.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE project SET name = 'Đang ghi'")
    timer = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    timer.start()
    try:
        with open_project(path) as project:
            assert project.upgraded_from == "0001"
            assert project.info().name == "Đang ghi"  # opened after the other program's commit
    finally:
        timer.join()
        other.close()


def test_an_upgrade_killed_while_backing_up_leaves_no_backup_name_and_the_next_opening_finishes(
        tmp_path: Path, mini_framework):
    from process_helpers import SLOW_BACKUP, age, kill9, spawn, wait_line

    path = tmp_path / "old.db"
    make_0001(path, mini_framework)
    child = spawn(SLOW_BACKUP + """
    from evaluator.models import open_project

    open_project(sys.argv[1])
    """, path)
    wait_line(child, "copying")
    kill9(child)
    # the old code left "old.db.bak-0001" (partial) and its "-journal": a later upgrade then took
    # "old.db.bak-0001-2" and the broken one looked like the pre-upgrade copy
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("old.db.bak-")] == []
    assert revision_of(path) == "0001"  # nothing was upgraded
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".incoming-old.db.bak-0001-")]
    assert leftovers  # the temporary copy (and its journal)

    age(*leftovers)
    with open_project(path) as project:
        assert project.upgraded_from == "0001" and project.backup_path == tmp_path / "old.db.bak-0001"
    assert not any(p.exists() for p in leftovers)
    con = sqlite3.connect(tmp_path / "old.db.bak-0001")
    try:  # a complete, checked, single-file copy of the old file
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0001"
    finally:
        con.close()
    from evaluator.services.backups import list_backups

    [listed] = list_backups(path)
    assert (listed.id, listed.reason) == ("0001", "upgrade")
