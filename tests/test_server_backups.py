"""Backups of a project on the committee's PostgreSQL server (issue #17): ``evaluator backup create|list|
restore --db postgresql+psycopg://…`` as for a file — the rows of one snapshot in an SQLite file in the
backups folder (openable as a project), listed with the file backups' naming and retention, restored over
the server's project (after a "restore" backup of its current state) or into a new file with its evidence;
an import on the server takes its backup first. A backup whose audit log was tampered with is refused and
the server's project is left as it was. Before, every one of these was refused ("the server has its own")."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import backup_files
from exchange_helpers import YEAR
from pg_cluster import Cluster, copy_rows
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Period, Score, Unit, open_project
from evaluator.services.backups import backup_before_import
from evaluator.services.results import compute_year
from evaluator.services.scores import set_score
from evaluator.services.server_backups import restore_server_backup

pytestmark = pytest.mark.postgres


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evaluator", "--lang", "en", *args], capture_output=True,
                          text=True, timeout=300)


@pytest.fixture
def server(pg_cluster: Cluster, demo_db: Path, tmp_path: Path):
    name = pg_cluster.new_database()
    evidence = tmp_path / "server-evidence"
    shutil.copytree(demo_db.with_suffix(".evidence"), evidence)
    copy_rows(str(demo_db), pg_cluster.url(name))
    url = make_url(pg_cluster.url(name)).update_query_dict({"evidence_dir": str(evidence)})
    address = url.render_as_string(hide_password=False)
    try:
        yield address
    finally:
        pg_cluster.drop_database(name)


def _results(db: str | Path) -> tuple[dict, list[tuple]]:
    """The year's results and every score as stored."""
    with open_project(db) as project, project.session() as s:
        scores = sorted((str(r.assessment_id), r.criterion_code, r.stage, repr(r.value), str(r.points),
                         r.note) for r in s.scalars(select(Score)))
        return compute_year(s, YEAR).to_json(None), scores


def _edit(db: str) -> None:
    """Turn the appraisal of SO01's 1.1.2 the other way."""
    with open_project(db) as project, project.session(write=True) as s:
        a = s.scalars(select(Assessment).join(Unit).join(Period)
                      .where(Unit.code == "SO01", Period.year == YEAR)).one()
        now = s.scalars(select(Score.value).where(
            Score.assessment_id == a.id, Score.criterion_code == "1.1.2",
            Score.stage == "appraisal2")).first()
        done = bool(now and now.get("done"))
        set_score(s, a.id, "1.1.2", "appraisal2", value={"done": not done}, note="sửa",
                  author="Chủ tịch", reason="thử sao lưu")


def test_create_list_and_restore_over_the_server(server: str, tmp_path: Path) -> None:
    before = _results(server)
    done = _cli("backup", "create", "--db", server)
    assert done.returncode == 0, done.stderr
    listed = _cli("backup", "list", "--db", server, "--format", "json")
    assert listed.returncode == 0, listed.stderr
    backups = json.loads(listed.stdout)
    assert [b["reason"] for b in backups] == ["manual"] and backups[0]["id"] in done.stdout
    made = backup_files()
    assert len(made) == 1 and made[0].read_bytes()[:16] == b"SQLite format 3\x00"
    assert _results(made[0]) == before  # the backup is a project this program opens
    _edit(server)
    changed = _results(server)
    with open_project(server) as project, project.session() as s:
        events = s.scalar(select(func.count()).select_from(AuditEvent))
    done = _cli("backup", "restore", "--db", server, backups[0]["id"][:12])
    assert done.returncode == 0, done.stderr
    restored = _results(server)
    assert changed != before, "the edit changes the results"
    assert restored == before
    reasons = sorted(b["reason"] for b in json.loads(_cli("backup", "list", "--db", server, "--format",
                                                          "json").stdout))
    assert reasons == ["manual", "restore"]  # the state before the restore is kept
    with open_project(server) as project, project.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) < events
    _edit(server)  # the sequences and chains take new rows after the restore
    assert _results(server) != before


def test_restore_into_a_new_file_with_its_evidence(server: str, tmp_path: Path) -> None:
    made = _cli("backup", "create", "--db", server)
    assert made.returncode == 0, made.stderr
    backup_id = json.loads(_cli("backup", "list", "--db", server, "--format", "json").stdout)[0]["id"]
    target = tmp_path / "archive.db"
    done = _cli("backup", "restore", "--db", server, backup_id, "--to", str(target))
    assert done.returncode == 0, done.stderr
    assert _results(target) == _results(server)
    with sqlite3.connect(target) as con:
        named = {r[0] for r in con.execute("SELECT sha256 FROM evidence")}
    stored = {p.name for p in target.with_suffix(".evidence").rglob("*") if p.is_file()}
    assert named and named <= stored


def test_an_import_on_the_server_is_backed_up_first(server: str) -> None:
    with open_project(server) as project:
        path = backup_before_import(project)
    assert path is not None and path.is_file() and "-import" in path.name


def test_a_tampered_backup_is_refused_and_the_server_is_unchanged(server: str) -> None:
    assert _cli("backup", "create", "--db", server).returncode == 0
    backup = backup_files()[0]
    con = sqlite3.connect(backup)  # left open in WAL mode: the edit is in the log beside the file
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("UPDATE audit_event SET reason = 'đã sửa' WHERE rowid = (SELECT min(rowid) FROM "
                "audit_event WHERE seq > 0)")
    con.commit()
    _edit(server)
    after_edit = _results(server)
    with open_project(server) as project, project.session() as s:
        scores = s.scalar(select(func.count()).select_from(Score))
    backup_id = backup.name.split(".bak-", 1)[1]
    with pytest.raises(UserError) as exc:
        restore_server_backup(server, backup_id)
    assert exc.value.code == "backup.chains_broken"
    assert "audit" in exc.value.render("en") and "kiểm toán" in exc.value.render("vi")
    assert _results(server) == after_edit
    with open_project(server) as project, project.session() as s:
        assert s.scalar(select(func.count()).select_from(Score)) == scores
    con.close()
