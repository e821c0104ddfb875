"""``evaluator migrate``: the demo project onto the PostgreSQL server (tests/pg_cluster.py) and back into a
file holds the same records, results and evidence; a target holding a project, a missing source, a bad
address, an old source, a damaged evidence file or a broken audit chain are refused and leave the target
as it was."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from conftest import project_fingerprint
from pg_cluster import Cluster

from evaluator.errors import UserError
from evaluator.models import Base, alembic_config, hash_file, open_project
from evaluator.services.audit import record, verify_chains
from evaluator.services.migrate import migrate, reset_sequences
from evaluator.services.progress import Cancelled
from evaluator.services.results import compute_year

YEARS = (2023, 2024)


def _dump(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows as sorted tuples, read through the models' types (UUIDs, times, JSON, points)."""
    with open_project(db) as project, project.engine.connect() as conn:
        return {t.name: sorted((tuple(r) for r in conn.execute(sa.select(t))), key=repr)
                for t in Base.metadata.sorted_tables}


def _results(db: Any) -> dict[int, Any]:
    with open_project(db) as project, project.session() as s:
        return {year: compute_year(s, year).to_json(None) for year in YEARS}


def _evidence(folder: Path) -> dict[str, str]:
    """Every stored file's name and the SHA-256 of its bytes."""
    return {p.name: hash_file(p)[0] for p in folder.rglob("*") if p.is_file()}


def _tables(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return set(sa.inspect(conn).get_table_names())
    finally:
        engine.dispose()


def _both_languages(error: UserError) -> tuple[str, str]:
    return error.render("en"), error.render("vi")


def _small(path: Path, files: tuple[bytes, ...] = ()) -> Path:
    """A small project file with an audit event and some evidence files."""
    with open_project(path, create=True, name="Nhỏ") as project:
        with project.session(write=True) as s:
            record(s, "project.note", author="Thư ký", new={"note": "một"})
        for content in files:
            project.evidence.put(content)
    return path


# --- the round trip ----------------------------------------------------------------------------------
@pytest.mark.postgres
def test_demo_to_server_and_back_holds_the_same_records(demo_db: Path, pg_cluster: Cluster, tmp_path: Path,
                                                        run_cli) -> None:
    before = project_fingerprint(demo_db)
    name = pg_cluster.new_database(migrated=False)  # no tables at all: migrated to head by migrate
    try:
        server = pg_cluster.url(name, evidence_dir=str(tmp_path / "server.evidence"))
        code, out, err = run_cli("migrate", "--from", demo_db, "--to", server, "--format", "json")
        assert code == 0, err
        summary = json.loads(out)
        expected = _dump(demo_db)
        assert summary["tables"] == {t: len(rows) for t, rows in expected.items()}
        assert summary["rows"] == sum(len(rows) for rows in expected.values())
        source_files = _evidence(demo_db.with_suffix(".evidence"))
        assert summary["evidence"]["files"] == len(source_files) > 0
        assert summary["evidence"]["bytes"] == sum(
            p.stat().st_size for p in demo_db.with_suffix(".evidence").rglob("*") if p.is_file())
        assert summary["audit"] == {"events": len(expected["audit_event"]), "chains": 1, "intact": True}
        assert _evidence(tmp_path / "server.evidence") == source_files

        # the server project: opened without the folder in its address (remembered), chains intact
        bare = sa.engine.make_url(server).difference_update_query(["evidence_dir"])
        with open_project(bare.render_as_string(hide_password=False)) as on_server, on_server.session() as s:
            assert on_server.evidence_dir == tmp_path / "server.evidence"
            assert verify_chains(s).intact
        assert _results(server) == _results(demo_db)

        # back into a file, for the archive
        archive = tmp_path / "archive.db"
        done = migrate(bare.render_as_string(hide_password=False), archive)
        # the server's one more row is its evidence folder's setting, not carried into a file
        assert done.rows == {**summary["tables"], "setting": summary["tables"]["setting"] + 1}
        assert done.evidence_files == len(source_files)
    finally:
        pg_cluster.drop_database(name)
    back = _dump(archive)
    for table, rows in expected.items():  # record by record, table by table
        assert back[table] == rows, table
    assert back == expected
    assert _results(archive) == _results(demo_db)
    assert _evidence(archive.with_suffix(".evidence")) == source_files
    assert project_fingerprint(demo_db) == before  # the source was only read


def test_file_to_file_on_the_command_line(tmp_path: Path, run_cli) -> None:
    source = _small(tmp_path / "a.db", (b"%PDF-1.4 bien ban", b"anh chup"))
    code, out, err = run_cli("migrate", "--from", source, "--to", tmp_path / "b.db")
    assert code == 0, err
    assert "audit_event" in out and "2 evidence files" in out
    assert _dump(tmp_path / "b.db") == _dump(source)
    assert _evidence(tmp_path / "b.evidence") == _evidence(tmp_path / "a.evidence")
    code, out, _err = run_cli("--lang", "vi", "migrate", "--from", source, "--to", tmp_path / "c.db")
    assert code == 0 and "đã chuyển" in out


@pytest.mark.postgres
def test_into_a_migrated_empty_database_too(pg_url: str, tmp_path: Path) -> None:
    """A database whose schema is already at head but that holds no project is empty too."""
    source = _small(tmp_path / "a.db", (b"bien ban",))
    done = migrate(source, pg_url)
    assert done.rows["project"] == 1 and done.evidence_files == 1
    with open_project(pg_url) as project:
        assert project.info().name == "Nhỏ"


# --- refusals leave the target as it was ------------------------------------------------------------
@pytest.mark.postgres
def test_a_server_database_holding_a_project_is_refused(pg_url: str, tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db", (b"bien ban",))
    with open_project(pg_url, create=True, name="Hội đồng"):
        pass
    before = _dump(pg_url)
    with pytest.raises(UserError) as caught:
        migrate(source, pg_url)
    assert caught.value.code == "migrate.target_not_empty"
    english, vietnamese = _both_languages(caught.value)
    assert "already holds a project" in english and "đã chứa một dự án" in vietnamese
    assert _dump(pg_url) == before
    assert not (tmp_path / "p.evidence").exists()  # the fixture's evidence folder: nothing written


def test_a_file_holding_a_project_is_refused(tmp_path: Path, run_cli) -> None:
    source = _small(tmp_path / "a.db", (b"bien ban",))
    target = _small(tmp_path / "b.db")
    before = project_fingerprint(target)
    code, _out, err = run_cli("migrate", "--from", source, "--to", target)
    assert code == 1 and "already holds a project" in err and "table project" in err
    assert project_fingerprint(target) == before


def test_progress_reports_the_evidence_bytes_and_a_cancel_leaves_nothing(tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db", (b"mot", b"hai ba"))
    seen: list[tuple[float, str]] = []
    migrate(source, tmp_path / "b.db", progress=lambda f, m: seen.append((f, m)))
    assert seen[-1] == (1.0, "write 9/9") and ("write" in {m for _f, m in seen})

    def cancel(_fraction: float, message: str) -> None:
        if message.startswith("write ") and not message.endswith(" 9/9"):  # after the first evidence file
            raise Cancelled()

    with pytest.raises(Cancelled):
        migrate(source, tmp_path / "c.db", progress=cancel)
    assert not list(tmp_path.glob("c.*"))


def test_a_missing_source_leaves_nothing(tmp_path: Path) -> None:
    with pytest.raises(UserError) as caught:
        migrate(tmp_path / "none.db", tmp_path / "b.db")
    assert caught.value.code == "migrate.source_missing"
    assert "không có dự án nguồn" in caught.value.render("vi").lower()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


@pytest.mark.parametrize(("target", "code"), [
    ("mysql://user@host/db", "migrate.bad_target"),
    ("postgresql+psycopg://user@host:port/db", "migrate.bad_target"),
    ("sqlite://", "migrate.bad_target"),
])
def test_a_bad_address_leaves_nothing(tmp_path: Path, target: str, code: str) -> None:
    source = _small(tmp_path / "a.db")
    with pytest.raises(UserError) as caught:
        migrate(source, target)
    assert caught.value.code == code
    english, vietnamese = _both_languages(caught.value)
    assert "not a project file nor a PostgreSQL server address" in english and "không phải" in vietnamese
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.db"]


def test_the_same_project_is_refused(tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db")
    with pytest.raises(UserError) as caught:
        migrate(source, tmp_path / "." / "a.db")
    assert caught.value.code == "migrate.same"


@pytest.mark.postgres
def test_a_server_that_cannot_be_reached_is_said(pg_cluster: Cluster, tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db")
    with pytest.raises(UserError) as caught:
        migrate(source, pg_cluster.url("no_such_database"))
    assert caught.value.code == "migrate.failed" and "no_such_database" in str(caught.value)


def test_an_older_source_is_to_be_opened_first(tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db")
    command.downgrade(alembic_config(f"sqlite:///{source}"), "-1")
    with pytest.raises(UserError) as caught:
        migrate(source, tmp_path / "b.db")
    assert caught.value.code == "migrate.source_old"
    assert "open it once with this version" in caught.value.render("en")
    assert not (tmp_path / "b.db").exists() and not (tmp_path / "b.evidence").exists()


def _damage_one(folder: Path) -> Path:
    victim = sorted(p for p in folder.rglob("*") if p.is_file())[-1]
    victim.write_bytes(b"sua sau lung")
    return victim


def test_a_damaged_evidence_file_leaves_no_file_behind(tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db", (b"mot", b"hai", b"ba", b"bon"))
    victim = _damage_one(tmp_path / "a.evidence")
    with pytest.raises(UserError) as caught:
        migrate(source, tmp_path / "b.db")
    assert caught.value.code == "migrate.evidence_damaged" and str(victim) in str(caught.value)
    assert not list(tmp_path.glob("b.*"))  # neither the file (nor its -wal) nor the evidence folder


@pytest.mark.postgres
def test_a_failure_on_the_server_leaves_the_database_empty(pg_cluster: Cluster, tmp_path: Path) -> None:
    """The schema, the rows and the evidence files in one go: a refusal after all the rows were copied
    leaves no table and no file (PostgreSQL's DDL is transactional)."""
    source = _small(tmp_path / "a.db", (b"mot", b"hai", b"ba"))
    _damage_one(tmp_path / "a.evidence")
    name = pg_cluster.new_database(migrated=False)
    try:
        url = pg_cluster.url(name, evidence_dir=str(tmp_path / "srv" / "evidence"))
        with pytest.raises(UserError) as caught:
            migrate(source, url)
        assert caught.value.code == "migrate.evidence_damaged"
        assert _tables(pg_cluster.url(name)) == set()
        assert not (tmp_path / "srv").exists()
    finally:
        pg_cluster.drop_database(name)


@pytest.mark.postgres
def test_a_server_target_without_an_evidence_folder_is_refused(pg_url: str, tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db", (b"bien ban",))
    bare = sa.engine.make_url(pg_url).difference_update_query(["evidence_dir"])
    with pytest.raises(UserError) as caught:
        migrate(source, bare.render_as_string(hide_password=False))
    assert caught.value.code == "migrate.target_no_evidence_folder"
    assert "?evidence_dir=" in caught.value.render("en")


def test_a_broken_audit_chain_is_refused(tmp_path: Path) -> None:
    source = _small(tmp_path / "a.db")
    con = sqlite3.connect(source)
    try:
        con.execute("UPDATE audit_event SET reason = 'sửa sau lưng'")
        con.commit()
    finally:
        con.close()
    with pytest.raises(UserError) as caught:
        migrate(source, tmp_path / "b.db")
    assert caught.value.code == "migrate.chains_broken"
    assert not list(tmp_path.glob("b.*"))


@pytest.mark.postgres
def test_sequences_are_set_past_the_copied_ids(pg_url: str) -> None:
    """No table of the schema has an integer id today; a table that had one gets its sequence reset."""
    meta = sa.MetaData()
    numbered = sa.Table("numbered", meta, sa.Column("id", sa.Integer, primary_key=True),
                        sa.Column("note", sa.String(20)))
    engine = sa.create_engine(sa.engine.make_url(pg_url).difference_update_query(["evidence_dir"]))
    try:
        with engine.begin() as conn:
            meta.create_all(conn)
            conn.execute(sa.insert(numbered), [{"id": 1, "note": "a"}, {"id": 7, "note": "b"}])
            assert len(reset_sequences(conn, [numbered])) == 1
            new_id = conn.execute(sa.insert(numbered).values(note="c").returning(numbered.c.id)).scalar()
            assert new_id == 8
            assert reset_sequences(conn, list(Base.metadata.sorted_tables)) == []
    finally:
        engine.dispose()

