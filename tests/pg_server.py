"""The throwaway PostgreSQL cluster itself (``Cluster``), standard library only: ``tests/pg_cluster.py``
is the pytest plugin around it. Apart so that a child process running as another user (the cluster test
running as ``postgres``) can import it from a copy, without the project's virtual environment.
"""

from __future__ import annotations

import contextlib
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

INSTALL_HINT = ("PostgreSQL's server programs (initdb, pg_ctl) were not found on PATH nor in "
                "/usr/lib/postgresql/*/bin: install them (Debian/Ubuntu: "
                "`sudo apt-get install -y postgresql`), or run `python3 dev.py test`, which does it")
TEMPLATE = "evaluator_template"
SUPERUSER = "evaluator"


def find_bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl: PATH first, else the newest /usr/lib/postgresql/N/bin."""
    on_path = shutil.which("initdb")
    if on_path and shutil.which("pg_ctl"):
        return Path(on_path).resolve().parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: [int(x) if x.isdigit() else 0 for x in Path(p).parent.name.split(".")])
    for folder in reversed(candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


def _runner_user() -> str | None:
    """None when we may run the server ourselves; else the unprivileged user to run it as."""
    if os.name != "posix" or os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists for initdb")


OWNER_FILE = "owner.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_orphans(bin_dir: Path, user: str | None) -> list[Path]:
    """Stop and remove the clusters of earlier sessions whose process was killed (SIGKILL, a CI
    timeout): their servers would run on, and their folders stay, forever."""
    removed = []
    for folder in Path(tempfile.gettempdir()).glob("evpg-*"):
        try:
            owner = int((folder / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue
        if _alive(owner):
            continue
        orphan = Cluster(bin_dir, user=user, folder=folder)
        orphan._running = True
        orphan.stop()
        removed.append(folder)
    return removed


class Cluster:
    """A running throwaway cluster. ``url(db)`` names a database on it; ``new_database()`` makes one."""

    def __init__(self, bin_dir: Path, *, user: str | None = None, folder: Path | None = None):
        self.bin_dir = bin_dir
        self.user = user
        # short: a Unix socket path is limited to ~107 bytes
        self.folder = folder or Path(tempfile.mkdtemp(prefix="evpg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self.port = 5432  # names the socket file only: there is no TCP listener
        self._counter = itertools.count(1)
        self._running = False
        self._template_ready = False

    # --- server ---------------------------------------------------------------------------------
    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        if self.user is not None:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        done = subprocess.run(cmd, capture_output=True, text=True, cwd=self.folder)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
            raise RuntimeError(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}\n"
                               f"{log}")
        return done

    def start(self) -> None:
        # whose cluster this is: a later session stops it if this process is killed (no atexit then)
        (self.folder / OWNER_FILE).write_text(str(os.getpid()))
        if self.user is not None:
            entry = pwd.getpwnam(self.user)
            os.chown(self.folder, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
                  "--locale=C", "--no-sync", "--no-instructions")
        # C collation: text sorts by code point, as SQLite's BINARY collation does
        options = (f"-F -k {self.folder} -p {self.port} -c listen_addresses='' -c full_page_writes=off "
                   "-c synchronous_commit=off -c max_connections=60 -c shared_buffers=32MB")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60",
                  "start")
        self._running = True

    def stop(self) -> None:
        if self._running:
            self._running = False
            with contextlib.suppress(Exception):
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)

    # --- databases ------------------------------------------------------------------------------
    def url(self, database: str, **query: str) -> str:
        from sqlalchemy.engine import URL

        url = URL.create("postgresql+psycopg", username=SUPERUSER, database=database,
                         query={"host": str(self.folder), "port": str(self.port), **query})
        return url.render_as_string(hide_password=False)

    def _admin(self, *statements: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as con:
            for statement in statements:
                con.execute(statement)  # type: ignore[arg-type]

    def _template(self) -> None:
        """The template database: the schema at the Alembic head, no rows (the project row is written
        by ``open_project`` on the test's own copy, with the test's name and province)."""
        if self._template_ready:
            return
        from alembic import command

        from evaluator.models.project import alembic_config

        self._admin(f"CREATE DATABASE {TEMPLATE}")
        command.upgrade(alembic_config(self.url(TEMPLATE)), "head")
        self._admin(f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")
        self._template_ready = True

    def new_database(self, *, migrated: bool = True, template: str | None = None) -> str:
        """A fresh database's name: a copy of the migrated template (or of ``template``, made by
        ``make_template``), or empty (``migrated=False``)."""
        name = f"t{os.getpid()}_{next(self._counter)}"
        if template is not None:
            self._admin(f"CREATE DATABASE {name} TEMPLATE {template} STRATEGY FILE_COPY")
        elif migrated:
            self._template()
            self._admin(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE} STRATEGY FILE_COPY")
        else:
            self._admin(f"CREATE DATABASE {name} TEMPLATE template0")
        return name

    def make_template(self, database: str, template: str) -> None:
        """Turn ``database`` (no one connected) into the template ``template`` for ``new_database``."""
        self._admin(f"ALTER DATABASE {database} RENAME TO {template}",
                    f"ALTER DATABASE {template} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")

    def drop_database(self, name: str) -> None:
        self._admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
