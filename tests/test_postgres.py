"""A project on a PostgreSQL server (``postgresql+psycopg://…``), on the throwaway cluster of
tests/pg_cluster.py: the schema the migrations make there, the writer lock, the evidence folder named by
the address, what is refused for now (backups), and the command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command

from evaluator import i18n
from evaluator.messages import Message
from evaluator.models import (
    ProjectBusy,
    ProjectError,
    Setting,
    Unit,
    alembic_config,
    head_revision,
    open_project,
)
from evaluator.models import project as project_module
from evaluator.models.project import EVIDENCE_DIR_SETTING, schema_differences

pytestmark = pytest.mark.postgres

TESTS = Path(__file__).resolve().parent


def test_migrations_on_an_empty_database_match_the_models(pg_empty_url: str, tmp_path: Path):
    """Alembic builds the schema from nothing on PostgreSQL, and it is the models' schema exactly (the same
    autogenerate comparison as for SQLite files); down to the first revision and up again works too."""
    with open_project(pg_empty_url, create=True, name="Hội đồng", evidence_dir=tmp_path / "ev") as project:
        assert project.created and project.revision == head_revision()
        assert project.info().name == "Hội đồng"
        with project.engine.connect() as conn:
            assert schema_differences(conn) == []
    cfg = alembic_config(pg_empty_url)
    command.downgrade(cfg, "0001")
    command.upgrade(cfg, "head")
    command.check(cfg)
    with open_project(pg_empty_url) as again:
        assert not again.created and again.info().name == "Hội đồng"


def test_evidence_folder_comes_with_the_address_and_is_remembered(pg_url: str, tmp_path: Path):
    with open_project(pg_url, create=True) as project:
        assert project.evidence_dir == tmp_path / "p.evidence"
        sha, _size = project.evidence.put(b"%PDF-1.4 bien ban", "bien-ban.pdf")
        assert project.get_setting(EVIDENCE_DIR_SETTING) == str(tmp_path / "p.evidence")
        # the driver never saw the parameter: it is ours
        assert EVIDENCE_DIR_SETTING not in project.url.query
    bare = sa.engine.make_url(pg_url).difference_update_query([EVIDENCE_DIR_SETTING])
    with open_project(bare.render_as_string(hide_password=False)) as again:
        assert again.evidence_dir == tmp_path / "p.evidence" and again.evidence.verify(sha)
    other = tmp_path / "elsewhere"
    elsewhere = bare.update_query_dict({EVIDENCE_DIR_SETTING: str(other)})
    with open_project(elsewhere.render_as_string(hide_password=False)) as moved:
        assert moved.evidence_dir == other  # the address wins over the remembered folder


def test_evidence_folder_named_twice_is_refused(pg_url: str):
    with pytest.raises(ProjectError, match="evidence_dir given twice"):
        open_project(f"{pg_url}&evidence_dir=/tmp/other")


def test_a_server_project_without_an_evidence_folder_says_so(pg_cluster, tmp_path: Path):
    name = pg_cluster.new_database()
    try:
        with open_project(pg_cluster.url(name), create=True) as project, \
                pytest.raises(ProjectError, match="no evidence folder"):
            _ = project.evidence
    finally:
        pg_cluster.drop_database(name)


def test_backup_is_refused_as_not_yet_in_both_languages(pg_url: str):
    with open_project(pg_url, create=True) as project, pytest.raises(ProjectError) as caught:
        project.backup()
    assert caught.value.code == "server.backup_not_yet"
    message = Message(caught.value.code, caught.value.params)
    before = i18n.language()
    try:
        i18n.set_language("en")
        english = message.render()
        i18n.set_language("vi")
        vietnamese = message.render()
    finally:
        i18n.set_language(before)
    assert "not yet" in english and "postgresql+psycopg" in english
    assert "chưa có" in vietnamese and english != vietnamese


# --- the writer lock: what SQLite's BEGIN IMMEDIATE did ---------------------------------------------
def test_a_writer_waits_for_the_other_and_then_sees_its_work(pg_url: str):
    """Two writing sessions that read then write one after the other, never interleaved: the second waits
    for the first's commit and reads what it wrote (a counter incremented twice ends at 2, not 1)."""
    with open_project(pg_url, create=True) as first, open_project(pg_url) as second:
        first.set_setting("counter", 0)
        holding = threading.Event()
        seen: list[int] = []

        def other() -> None:
            holding.wait(5)
            with second.session(write=True) as s:
                row = s.get(Setting, "counter")
                assert row is not None
                seen.append(row.value)
                row.value = row.value + 1

        worker = threading.Thread(target=other)
        worker.start()
        started = time.monotonic()
        with first.session(write=True) as s:
            row = s.get(Setting, "counter")
            assert row is not None
            holding.set()
            time.sleep(0.5)  # the other writer is waiting for the lock meanwhile
            row.value = row.value + 1
        worker.join(10)
        assert time.monotonic() - started >= 0.5
        assert seen == [1] and first.get_setting("counter") == 2


def test_a_reader_does_not_wait_for_a_writer(pg_url: str):
    with open_project(pg_url, create=True) as first, open_project(pg_url) as second:
        with first.session(write=True) as s:
            s.add(Unit(code="S01", name="Sở Nội vụ", kind="department"))
            s.flush()
            started = time.monotonic()
            with second.session() as r:
                assert r.scalars(sa.select(Unit.code)).all() == []  # not committed yet
            assert time.monotonic() - started < 2
        with second.session() as r:
            assert r.scalars(sa.select(Unit.code)).all() == ["S01"]


def test_a_lock_held_too_long_is_project_busy(pg_url: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(project_module, "BUSY_TIMEOUT_MS", 300)
    with open_project(pg_url, create=True) as first, open_project(pg_url) as second:
        with first.session(write=True) as s:
            s.add(Unit(code="S01", name="Sở Nội vụ", kind="department"))
            s.flush()
            failed: list[BaseException] = []

            def other() -> None:
                try:
                    with second.session(write=True) as s2:
                        s2.add(Unit(code="S02", name="Sở Tư pháp", kind="department"))
                except BaseException as exc:
                    failed.append(exc)

            worker = threading.Thread(target=other)
            worker.start()
            worker.join(10)
        assert len(failed) == 1 and isinstance(failed[0], ProjectBusy)
        assert failed[0].code == "project.busy"
        with first.session() as s:
            assert s.scalars(sa.select(Unit.code)).all() == ["S01"]  # the busy one wrote nothing


def test_two_programs_creating_one_database_at_once(pg_empty_url: str, tmp_path: Path):
    """The migrations run under the writer lock: the second program waits, then finds the schema made."""
    results: list[object] = []

    def create(n: int) -> None:
        try:
            with open_project(pg_empty_url, create=True, name=f"p{n}", evidence_dir=tmp_path) as p:
                results.append(p.revision)
        except BaseException as exc:
            results.append(exc)

    workers = [threading.Thread(target=create, args=(n,)) for n in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert results == [head_revision(), head_revision()]


# --- the command line ---------------------------------------------------------------------------
def test_init_and_results_on_the_server(pg_cluster, tmp_path: Path, run_cli):
    name = pg_cluster.new_database(migrated=False)
    try:
        # trust authentication: the password is not checked, but it must not be printed
        url = pg_cluster.url(name, evidence_dir=str(tmp_path / "ev"))
        url = url.replace("evaluator@", "evaluator:s3cret@")
        code, out, _err = run_cli("init", url, "--year", "2025", "--name", "Hội đồng",
                                  "--province", "Tỉnh Thử")
        assert code == 0 and "created for 2025" in out and "s3cret" not in out and "***" in out
        code, out, _err = run_cli("results", "--db", pg_cluster.url(name), "--year", "2025",
                                  "--format", "json")
        assert code == 0
        data = json.loads(out)
        assert data["year"] == 2025 and data["units"] == []
        # no such database, or an empty one: refused with the reason, like a missing or empty file
        code, _out, err = run_cli("results", "--db", pg_cluster.url("nonexistent"), "--year", "2025")
        assert code == 1 and 'database "nonexistent" does not exist' in err
        empty = pg_cluster.new_database(migrated=False)
        code, _out, err = run_cli("results", "--db", pg_cluster.url(empty), "--year", "2025")
        assert code == 1 and "is empty: it is not an evaluator project" in err
        pg_cluster.drop_database(empty)
    finally:
        pg_cluster.drop_database(name)


# --- the throwaway cluster itself ---------------------------------------------------------------
def test_without_postgresql_the_tests_error_and_say_how_to_install(tmp_path: Path):
    """No PostgreSQL programs: a test that needs the cluster is an ERROR naming the package, not a skip."""
    (tmp_path / "conftest.py").write_text(
        "import pg_cluster\npg_cluster.find_bin_dir = lambda: None\npytest_plugins = ['pg_cluster']\n")
    (tmp_path / "test_needs_pg.py").write_text("def test_it(pg_url):\n    pass\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                           "-o", "addopts=", str(tmp_path)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode != 0
    assert "1 error" in done.stdout and "skipped" not in done.stdout
    assert "apt-get install -y postgresql" in done.stdout


def test_the_cluster_runs_as_root_and_as_an_ordinary_user(pg_cluster):
    """initdb refuses root: as root, the session's cluster belongs to an unprivileged user (the path CI
    containers take); a cluster started by an ordinary user runs as that user. The second path runs in a
    child process (as ``postgres`` when we are root), which also removes its folder when done.

    That user may not read the checkout (a private home or temporary folder): the child imports a copy of
    ``pg_server`` (standard library only) from a folder it can read, with an interpreter it can run."""
    owner = pg_cluster.data.stat().st_uid
    assert owner != 0 and (os.geteuid() != 0 or pg_cluster.user is not None)
    # /tmp: world-passable, unlike pytest's own folders (0700)
    shared = Path(tempfile.mkdtemp(prefix="evpg-child-", dir="/tmp" if os.path.isdir("/tmp") else None))
    shutil.copy(TESTS / "pg_server.py", shared / "pg_server.py")
    (shared / "pg_server.py").chmod(0o644)
    shared.chmod(0o755)
    script = (
        "import os, pg_server\n"
        "c = pg_server.Cluster(pg_server.find_bin_dir(), user=pg_server._runner_user())\n"
        "assert c.user is None\n"
        "try:\n"
        "    c.start()\n"
        "    done = c._run('psql', '-h', str(c.folder), '-p', str(c.port), '-U', pg_server.SUPERUSER,\n"
        "                  '-d', 'postgres', '-Atc', 'SELECT current_user')\n"
        "    print(os.geteuid(), c.data.stat().st_uid, done.stdout.strip())\n"
        "finally:\n"
        "    c.stop()\n"
        "assert not c.folder.exists()\n")
    as_user: list[str] = []
    python = sys.executable
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        candidates = (sys.executable, os.path.realpath(sys.executable), "/usr/bin/python3")
        runnable = [p for p in candidates if subprocess.run([*as_user, p, "-c", "pass"], capture_output=True,
                                                            cwd="/").returncode == 0]
        assert runnable, "no Python interpreter the postgres user can run"
        python = runnable[0]
    env = {**os.environ, "PYTHONPATH": str(shared)}
    env.pop("PYTHONHOME", None)
    try:
        done = subprocess.run([*as_user, python, "-c", script], env=env, capture_output=True, text=True,
                              timeout=180, cwd="/")
    finally:
        shutil.rmtree(shared, ignore_errors=True)
    assert done.returncode == 0, done.stderr
    uid, data_owner, user = done.stdout.split()
    assert uid == data_owner != "0" and user == "evaluator"


def test_a_killed_sessions_cluster_is_stopped_and_removed_by_the_next(pg_cluster):
    import pg_cluster as plugin

    script = (
        "import os, signal, pg_cluster\n"
        "c = pg_cluster.Cluster(pg_cluster.find_bin_dir(), user=pg_cluster._runner_user())\n"
        "c.start()\n"
        "print(c.folder, flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS.parent), str(TESTS)])}
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == -9
    folder = Path(done.stdout.strip())
    server = int((folder / "data" / "postmaster.pid").read_text().split()[0])
    assert plugin._alive(server)  # left running by the killed session
    assert folder in plugin.stop_orphans(pg_cluster.bin_dir, pg_cluster.user)
    assert not folder.exists()
    deadline = time.monotonic() + 10  # the server exits at once; its process may linger a moment
    while plugin._alive(server) and _state(server) != "Z" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not plugin._alive(server) or _state(server) == "Z"
    assert pg_cluster.folder.exists()  # a live session's cluster is left alone


def _state(pid: int) -> str:
    """A process's state letter (``Z``: a zombie, gone but not yet reaped), '' when there is none."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return ""


def test_two_programs_meeting_this_computer_for_the_first_time_add_one_device(pg_url: str) -> None:
    """Two programs start on one server database at once, and neither finds this computer's device row:
    the second waits for the first's lock, then finds its row (before, it added a second row, which the
    four-program test met as one device too many)."""
    from evaluator.models import Device
    from evaluator.models.audit_chain import device_key, local_device

    with open_project(pg_url) as project:
        url = project.engine.url.update_query_dict({"application_name": "second"})  # another key: no row
    engine = project_module.pg_engine(url)
    try:
        first = engine.connect()
        begun = first.begin()
        mine = local_device(first)  # the row is written, not yet committed; the lock is held
        theirs: dict[str, str] = {}

        def other() -> None:
            with engine.connect() as conn, conn.begin():
                theirs["id"] = local_device(conn)

        thread = threading.Thread(target=other)
        thread.start()
        thread.join(0.5)
        assert thread.is_alive()  # waiting for the first program's lock
        begun.commit()
        first.close()
        thread.join(20)
        assert theirs["id"] == mine
        with engine.connect() as conn:
            rows = conn.scalars(sa.select(Device.device_id).where(Device.local_key == device_key(url))).all()
        assert rows == [mine]
    finally:
        engine.dispose()
