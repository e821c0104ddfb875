"""Roles enforced by the PostgreSQL server (issue #17): ``evaluator server roles`` and ``server user`` on the
throwaway cluster (trust authentication on its socket: a login connects by its name alone). A secretary's
login cannot resolve a conflict nor unlock a stage even with a client that claims to be the committee; a
read-only login can only read; the refusal reaches the person as a clear message in both languages, while
allowed work goes through."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from exchange_helpers import YEAR
from pg_cluster import Cluster, copy_rows
from sqlalchemy import func, select, text
from sqlalchemy.engine import make_url

from evaluator.errors import UserError
from evaluator.models import Assessment, Period, Unit, open_project
from evaluator.services.locks import lock_stage, unlock_stage
from evaluator.services.results import compute_year
from evaluator.services.scores import set_score
from evaluator.services.server_roles import create_login, create_roles

pytestmark = pytest.mark.postgres

LOGINS = {"chu_tich": "committee", "thu_ky": "secretary", "tdv": "appraiser", "xem": "readonly"}


def _cli(*args: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "evaluator", "--lang", "en", *args], capture_output=True,
                          text=True, input=password, timeout=300)


@pytest.fixture(scope="module")
def server(pg_cluster: Cluster, demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo on the cluster, its roles and one login per role made through the command line; the
    database's URL (as the superuser)."""
    name = pg_cluster.new_database()
    url = pg_cluster.url(name)
    copy_rows(str(demo_db), url)
    try:
        done = _cli("server", "roles", "--db", url, "--prefix", "tinh", "--format", "json")
        assert done.returncode == 0, done.stderr
        report = json.loads(done.stdout)
        assert report["tables"] > 10 and len(report["created"]) + len(report["existing"]) == 4
        for login, role in LOGINS.items():
            done = _cli("server", "user", "--db", url, "--name", login, "--role", role, "--prefix", "tinh",
                        password="mat-khau\n")
            assert done.returncode == 0, done.stderr
            assert f"tinh_{role}" in done.stdout
        yield url
    finally:
        pg_cluster.drop_database(name)


def _as(url: str, login: str) -> str:
    return make_url(url).set(username=login).render_as_string(hide_password=False)


def _assessment(s, unit: str = "SO01"):
    return s.scalars(select(Assessment).join(Unit).join(Period)
                     .where(Unit.code == unit, Period.year == YEAR)).one()


def _refused(exc: pytest.ExceptionInfo[UserError], login: str) -> None:
    assert exc.value.code == "server.not_allowed"
    assert login in exc.value.render("vi") and "không cho tài khoản" in exc.value.render("vi")
    assert login in exc.value.render("en") and "does not allow" in exc.value.render("en")


def test_a_secretary_cannot_resolve_conflicts_nor_unlock_stages(server: str) -> None:
    with open_project(_as(server, "thu_ky")) as project:
        # allowed: edit a score, lock a stage (as the services do, audited)
        with project.session() as s:
            a = _assessment(s)
            set_score(s, a.id, "1.1.2", "self", value={"done": True}, note="thư ký", author="Thư ký",
                      reason="sửa")
            lock_stage(s, a.id, "self", author="Thư ký", role="secretary")
        # a modified client that calls itself the committee: the server refuses all the same
        with pytest.raises(UserError) as exc, project.session() as s:
            unlock_stage(s, _assessment(s).id, "self", author="Thư ký", role="committee", reason="thử")
        _refused(exc, "thu_ky")
        with pytest.raises(UserError) as exc, project.session() as s:
            s.execute(text("UPDATE score_conflict SET status = 'resolved', resolved_by = 'Thư ký'"))
        _refused(exc, "thu_ky")
        with project.session() as s:
            assert "self" in _assessment(s).locked  # nothing was written
    with open_project(_as(server, "chu_tich")) as project, project.session() as s:
        unlock_stage(s, _assessment(s).id, "self", author="Chủ tịch", role="committee", reason="mở lại")
        s.execute(text("UPDATE score_conflict SET reason = reason"))
    with open_project(server) as project, project.session() as s:
        assert "self" not in _assessment(s).locked
        assert s.scalar(select(func.count()).select_from(Assessment)) > 0


def test_only_the_committee_approves_and_sets_deadlines(server: str) -> None:
    """A secretary's login cannot write an approval, a deadline nor a re-opening, even by hand."""
    from datetime import date

    from evaluator.services.approval import approve
    from evaluator.services.schedule import set_schedule

    with open_project(_as(server, "thu_ky")) as project:
        with pytest.raises(UserError) as exc, project.session() as s:
            approve(s, YEAR, "SO05", author="Thư ký", role="committee")
        _refused(exc, "thu_ky")
        with pytest.raises(UserError) as exc, project.session() as s:
            set_schedule(s, YEAR, "self", date(2024, 1, 1), date(2024, 12, 31), author="Thư ký",
                         role="committee")
        _refused(exc, "thu_ky")
        for table in ("approval", "stage_schedule", "stage_reopening"):
            with project.session() as s:
                s.execute(text(f"SELECT count(*) FROM {table}"))  # reading is allowed
    with open_project(_as(server, "chu_tich")) as project, project.session() as s:
        approve(s, YEAR, "SO05", author="Chủ tịch", role="committee")


def test_an_appraiser_cannot_unlock_either(server: str) -> None:
    with open_project(_as(server, "tdv")) as project:
        with project.session() as s:
            lock_stage(s, _assessment(s, "SO02").id, "self", author="TĐV", role="appraiser")
        with pytest.raises(UserError) as exc, project.session() as s:
            unlock_stage(s, _assessment(s, "SO02").id, "self", author="TĐV", role="committee", reason="thử")
        _refused(exc, "tdv")


def test_read_only_can_only_read(server: str) -> None:
    with open_project(_as(server, "xem")) as project:
        with project.session() as s:
            assert compute_year(s, YEAR).to_json(None)
        with pytest.raises(UserError) as exc, project.session() as s:
            set_score(s, _assessment(s, "SO03").id, "1.1.2", "self", value={"done": False}, note="",
                      author="Xem", reason="thử")
        _refused(exc, "xem")
        for statement in ("DELETE FROM audit_event", "UPDATE setting SET value = value",
                          "INSERT INTO device (id) VALUES (gen_random_uuid())"):
            with pytest.raises(UserError) as exc, project.session() as s:
                s.execute(text(statement))
            _refused(exc, "xem")


def test_a_table_added_by_a_later_upgrade_is_granted_without_running_roles_again(server: str) -> None:
    """A migration run by the tables' owner after ``server roles``: the new table is in every group's reach
    at once (default privileges), read-only still reads only. Before, nobody but the owner could touch it."""
    with open_project(server) as project, project.session() as s:  # as the owner, as a migration would
        s.execute(text("CREATE TABLE later_upgrade (id serial PRIMARY KEY, note text)"))
    with open_project(_as(server, "thu_ky")) as project, project.session() as s:
        s.execute(text("INSERT INTO later_upgrade (note) VALUES ('thư ký')"))
    with open_project(_as(server, "xem")) as project:
        with project.session() as s:
            assert s.scalar(text("SELECT note FROM later_upgrade")) == "thư ký"
        with pytest.raises(UserError) as exc, project.session() as s:
            s.execute(text("INSERT INTO later_upgrade (note) VALUES ('xem')"))
        _refused(exc, "xem")
    with open_project(server) as project, project.session() as s:
        s.execute(text("DROP TABLE later_upgrade"))


def test_bad_requests_are_named(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(UserError) as exc:
        create_roles(server, prefix="Bad-Prefix")
    assert exc.value.code == "server.bad_prefix"
    with pytest.raises(UserError) as exc:
        create_login(server, "thu_ky", "secretary", "x", prefix="tinh")
    assert exc.value.code == "server.login_exists"
    with pytest.raises(UserError) as exc:
        create_login(server, "moi", "secretary", "x", prefix="khac")
    assert exc.value.code == "server.no_group"
    with pytest.raises(UserError) as exc:
        create_roles("sqlite:///p.db")
    assert exc.value.code == "server.not_postgresql"
    done = _cli("server", "user", "--db", server, "--name", "moi", "--role", "secretary", "--prefix", "tinh",
                password="")
    assert done.returncode == 1 and "EVALUATOR_DB_PASSWORD" in done.stderr
