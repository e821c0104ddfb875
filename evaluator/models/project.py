"""Opening and creating project databases, with automatic schema upgrades.

A project is an SQLite file ``X.db`` (the default; evidence files live in ``X.evidence/`` beside it) or
a database on a PostgreSQL server, ``postgresql+psycopg://user@host/db?evidence_dir=/srv/evidence`` (both
are tested; other SQLAlchemy URLs are kept in reach by portable SQL). Opening a project brings its schema
to the head revision of the Alembic migrations shipped in this package, after taking a backup copy
``X.db.bak-<old revision>`` of a file.

The evidence of a server project stays a folder for now (provisional, until the evidence store is chosen
by measurement): the ``evidence_dir`` parameter of the address, remembered in the project's
``evidence_dir`` setting when the project is created, so later openings may leave it out.
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, inspect, pool, select
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from evaluator import __version__
from evaluator.errors import UserError
from evaluator.messages import Message
from evaluator.models.evidence_store import STALE_AFTER, TEMP_PREFIX, EvidenceStore, remove_stale
from evaluator.models.schema import ProjectBusy, ProjectError, ProjectInfo, Setting, utcnow

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 10_000
BEGIN_OPTION = "evaluator_sqlite_begin"
"""Execution option naming the statement that begins an SQLite transaction (``BEGIN IMMEDIATE``); on
PostgreSQL any value takes the project's writer lock (see ``pg_engine``)."""
WRITE_LOCK_KEY = 0x65_76_61_6C  # "eval": the advisory lock that stands for SQLite's write lock
LOCK_TIMEOUT_SQLSTATE = "55P03"  # PostgreSQL's lock_not_available: the lock stayed taken
NOT_ALLOWED_SQLSTATE = "42501"  # insufficient_privilege: a grant or the server's unlock guard refused
_SHA_IN_TEXT = re.compile(r"[0-9a-f]{64}")
EVIDENCE_DIR_SETTING = "evidence_dir"
"""Setting naming the evidence folder of a project that is not an SQLite file."""

__all__ = ["Project", "ProjectBusy", "ProjectError", "alembic_config", "backup_sqlite", "head_revision",
           "open_project", "temp_path"]


def alembic_config(url: str | URL | None = None, *, connection: Connection | None = None) -> Config:
    """An Alembic ``Config`` for the migrations shipped in this package (no alembic.ini needed).

    Give either an open ``connection`` (used as is, inside its transaction) or a database ``url``.
    """
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if url is not None:
        text = url.render_as_string(hide_password=False) if isinstance(url, URL) else url
        cfg.set_main_option("sqlalchemy.url", text.replace("%", "%%"))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def _literal(text: str | None) -> str | None:
    """The string inside a rendered SQL string literal such as ``('')`` or ``'x'``, else None."""
    if text is None:
        return None
    text = text.strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    return None


def compare_server_default(context: Any, inspected_column: Any, metadata_column: Any,
                           inspected_default: str | None, metadata_default: Any,
                           rendered_metadata_default: str | None) -> bool | None:
    """Alembic hook: compare plain string defaults by value (Alembic's SQLite comparison reports the
    empty-string default ``''`` as changed). Anything else is left to Alembic (None)."""
    inspected = _literal(inspected_default)
    if inspected is None or rendered_metadata_default is None:
        return None
    metadata = _literal(rendered_metadata_default)
    if metadata is None:
        metadata = rendered_metadata_default
    return inspected != metadata


COMPARE_OPTIONS: dict[str, Any] = {"compare_type": True, "compare_server_default": compare_server_default}
"""Options for Alembic's autogenerate comparison, shared by env.py and ``schema_differences``."""


def schema_differences(conn: Connection) -> list[Any]:
    """Differences between the ORM models and the database schema (empty when they agree)."""
    from alembic.autogenerate import compare_metadata

    from evaluator.models.schema import Base

    context = MigrationContext.configure(conn, opts=dict(COMPARE_OPTIONS))
    return list(compare_metadata(context, Base.metadata))


@functools.cache
def head_revision() -> str:
    """The schema revision this program writes."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


@functools.cache
def known_revisions() -> frozenset[str]:
    return frozenset(s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions())


def sqlite_engine(url: URL, *, foreign_keys: bool, migration: bool = False, memory: bool = False) -> Engine:
    """An SQLite engine with WAL, a busy timeout, foreign keys, and real (BEGIN-based) transactions.

    pysqlite's legacy transaction handling neither begins a transaction for DDL nor before SAVEPOINT,
    so SQLAlchemy emits BEGIN itself: migrations run atomically and nested transactions work.
    """
    poolclass = pool.NullPool if migration else pool.StaticPool if memory else None
    engine = create_engine(url, poolclass=poolclass,
                           connect_args={"check_same_thread": False} if memory else {})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        try:
            cur.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            cur.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
            _set_wal(cur)
        finally:
            cur.close()

    # An upgrade and a writing session (``Project.session(write=True)``) take the write lock at once,
    # through this execution option: two programs opening the same old file upgrade it one after the
    # other (the second finds it at head).
    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql(conn.get_execution_options().get(BEGIN_OPTION, "BEGIN"))

    return engine


def pg_engine(url: URL) -> Engine:
    """A PostgreSQL engine whose writing transactions take the project's writer lock first.

    SQLite's ``BEGIN IMMEDIATE`` lets one writer at a time read-then-write; here a transaction-scoped
    advisory lock does the same (released at commit or rollback), waited for at most the busy timeout.
    Readers never wait for it (MVCC), as readers of an SQLite file in WAL mode do not.

    Every other transaction takes the lock before its first INSERT, UPDATE or DELETE (whatever path
    wrote: the ORM, Core, a service that was given a plain session), so writers are serialized even when
    they did not ask; work that reads and then writes on what it read still asks at the start.
    """
    engine = create_engine(url, pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.info[_LOCK_HELD] = False
        if conn.get_execution_options().get(BEGIN_OPTION):
            hold_writer_lock(conn)

    @event.listens_for(engine, "before_cursor_execute")
    def _before_execute(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        if not conn.info.get(_LOCK_HELD) and _WRITES.match(statement):
            hold_writer_lock(conn)

    return engine


_LOCK_HELD = "evaluator_writer_lock_held"
_WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE|MERGE|TRUNCATE)\b", re.IGNORECASE)


def hold_writer_lock(conn: Connection) -> None:
    """Take the project's writer lock for the rest of ``conn``'s transaction, on PostgreSQL (once per
    transaction; SQLite's writers take theirs by writing). The audit chain's append calls it before it
    reads the chain's head, so two programs never give two events the same place."""
    if conn.dialect.name != "postgresql" or conn.info.get(_LOCK_HELD):
        return
    conn.info[_LOCK_HELD] = True  # first: the statements below pass through the hook above
    conn.exec_driver_sql(f"SET LOCAL lock_timeout = {BUSY_TIMEOUT_MS}")
    conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")


def _is_busy(exc: OperationalError) -> bool:
    """The database stayed locked by another writer for longer than the busy timeout."""
    orig = exc.orig
    return getattr(orig, "sqlstate", None) == LOCK_TIMEOUT_SQLSTATE or "locked" in str(orig) \
        or "busy" in str(orig)


def _set_wal(cur: sqlite3.Cursor) -> None:
    """Switch to WAL, retrying while another program holds the write lock.

    Switching takes the write lock from inside a read; SQLite answers "database is locked" at once,
    without waiting the busy timeout, when that lock is held (waiting could deadlock), e.g. while a
    second program opening the same old file is upgrading it.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            cur.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def parse_target(db: str | Path) -> tuple[URL, Path | None, str | None]:
    """(the database's URL, the SQLite file or None, the ``evidence_dir`` the address names or None)."""
    if isinstance(db, str) and "://" in db:
        try:
            url = make_url(db)
        except (ArgumentError, ValueError) as exc:
            raise ProjectError("project.bad_address", db=db, error=exc) from exc
        if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:" \
                and not url.database.startswith("file:"):
            path = Path(url.database).expanduser().resolve()
            return url.set(database=str(path)), path, None
        # ours, not the driver's: taken out before the URL reaches it
        evidence = url.query.get(EVIDENCE_DIR_SETTING)
        if isinstance(evidence, tuple):
            raise ProjectError("project.bad_address", db=db, error=f"{EVIDENCE_DIR_SETTING} given twice")
        return url.difference_update_query([EVIDENCE_DIR_SETTING]), None, evidence
    path = Path(db).expanduser().resolve()
    return URL.create("sqlite", database=str(path)), path, None


def check_file(path: Path, create: bool) -> bool:
    """Check an SQLite project path; return True when the file is to be created."""
    if path.is_dir():
        raise ProjectError("project.is_folder", path=path)
    if not path.exists():
        if not create:
            raise ProjectError("project.missing", path=path)
        if not path.parent.is_dir():
            raise ProjectError("project.no_folder", path=path, folder=path.parent)
        return True
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise ProjectError("project.unreadable", path=path, error=exc) from exc
    if header and header != SQLITE_HEADER:
        raise ProjectError("project.not_sqlite", path=path)
    return False


def _peek_tables(path: Path) -> set[str]:
    """The tables of an existing file, read without writing a byte (``immutable``: no locks, no WAL or
    journal switch), so a file we refuse is left exactly as it was."""
    if path.stat().st_size == 0:
        return set()
    try:
        con = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
        try:
            return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            con.close()
    except sqlite3.Error as exc:
        raise ProjectError("project.not_database", path=path, error=exc) from exc


def refuse_foreign(path: Path, create: bool) -> None:
    tables = _peek_tables(path)
    if not tables:
        # Tables may still sit in the write-ahead log of a project that was never checkpointed.
        if not create and not Path(f"{path}-wal").exists():
            raise ProjectError("project.empty", path=path)
        return
    if not {"project", "alembic_version"} <= tables:
        raise ProjectError("project.foreign", path=path)


def temp_path(final: Path, suffix: str = "") -> Path:
    """A fresh temporary name beside ``final`` (``.incoming-<name>-<random><suffix>``): a file is written
    there and renamed to ``final`` only when complete, so a crash never leaves a half-made file under a
    real name, and the next opening recognises (and, once stale, removes) what a crash left."""
    return final.with_name(f"{TEMP_PREFIX}{final.name}-{secrets.token_hex(4)}{suffix}")


def unlink_sqlite(path: Path) -> None:
    for extra in ("", "-journal", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    if os.name == "posix":  # a rename is durable once its folder is synced (not possible on Windows)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def integrity_problems(con: sqlite3.Connection) -> list[str]:
    """What ``PRAGMA integrity_check`` finds wrong (empty when the database is sound)."""
    rows = [str(r[0]) for r in con.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def backup_sqlite(source: Path, target: Path) -> Path:
    """A consistent copy of a live SQLite database (WAL content included), via SQLite's backup API.

    The copy is written under a temporary name, made a single self-contained file (rollback journal, not
    WAL), checked with ``PRAGMA integrity_check`` and only then renamed to ``target``: a program killed
    meanwhile leaves a ``.incoming-*`` file (removed by a later opening), never a broken file under a
    backup's name.
    """
    if target.exists():
        raise ProjectError("project.no_overwrite", path=target)
    tmp = temp_path(target)
    try:
        src = sqlite3.connect(str(source), timeout=BUSY_TIMEOUT_MS / 1000)
        try:
            dst = sqlite3.connect(str(tmp))
            try:
                src.backup(dst)
                dst.execute("PRAGMA journal_mode = DELETE")
                problems = integrity_problems(dst)
            finally:
                dst.close()
        finally:
            src.close()
        if problems:
            raise ProjectError("project.backup_damaged", source=source, problems="; ".join(problems[:3]))
        with tmp.open("rb+") as fh:
            os.fsync(fh.fileno())
        if target.exists():
            raise ProjectError("project.no_overwrite", path=target)
        os.replace(tmp, target)
        _fsync_folder(target.parent)
    except sqlite3.Error as exc:
        unlink_sqlite(tmp)
        raise ProjectError("project.backup_failed", source=source, target=target, error=exc) from exc
    except BaseException:
        unlink_sqlite(tmp)
        raise
    return target


def _free_name(path: Path) -> Path:
    if not path.exists():
        return path
    n = 2
    while path.with_name(f"{path.name}-{n}").exists():
        n += 1
    return path.with_name(f"{path.name}-{n}")


class Project:
    """An open project: the engine, sessions, and the evidence folder. Close it (or use ``with``)."""

    def __init__(self, url: URL, path: Path | None, engine: Engine, evidence_dir: Path | None, *,
                 revision: str, upgraded_from: str | None = None, backup_path: Path | None = None,
                 created: bool = False):
        self.url = url
        self.path = path
        """The SQLite file, or None for other databases."""
        self.engine = engine
        self.evidence_dir = evidence_dir
        self.revision = revision
        """The schema revision (always the head once opened)."""
        self.upgraded_from = upgraded_from
        """The revision the file had when it was upgraded by this opening, else None."""
        self.backup_path = backup_path
        """The copy taken before that upgrade, else None."""
        self.created = created
        self._sessions = sessionmaker(bind=engine, expire_on_commit=False)
        writer = engine.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"}) \
            if engine.dialect.name in ("sqlite", "postgresql") else engine
        self._writing_sessions = sessionmaker(bind=writer, expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Project({self.url.render_as_string(hide_password=True)!r})"

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def session(self, *, write: bool = False) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back on an exception.

        Objects stay usable after the block (``expire_on_commit=False``). ``write=True`` is for work that
        reads and then writes on what it read (an edit, an import): it takes the write lock at the start
        (SQLite's, or the advisory lock on PostgreSQL), waiting for another writer to finish, instead of
        failing at its first write because another program wrote since it began reading. ``ProjectBusy``
        when the lock stays taken.
        """
        session = (self._writing_sessions if write else self._sessions)()
        try:
            yield session
            session.commit()
        except OperationalError as exc:
            session.rollback()
            if _is_busy(exc):
                raise ProjectBusy("project.busy", project=self.path or self.url.database) from exc
            raise
        except DBAPIError as exc:
            session.rollback()
            if getattr(exc.orig, "sqlstate", None) == NOT_ALLOWED_SQLSTATE:
                # the server's roles (services.server_roles) refused this login: a person's matter
                raise UserError("server.not_allowed", user=self.url.username or "",
                                error=str(exc.orig).strip().splitlines()[0]) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @property
    def evidence(self) -> EvidenceStore:
        if self.evidence_dir is None:
            raise ProjectError("project.no_evidence_folder", project=repr(self), setting=EVIDENCE_DIR_SETTING)
        return EvidenceStore(self.evidence_dir)

    def info(self) -> ProjectInfo:
        with self.session() as s:
            row = s.scalars(select(ProjectInfo)).first()
        if row is None:
            raise ProjectError("project.no_row", project=repr(self))
        return row

    def get_setting(self, key: str, default: Any = None) -> Any:
        with self.session() as s:
            row = s.get(Setting, key)
            return default if row is None else row.value

    def set_setting(self, key: str, value: Any) -> None:
        with self.session(write=True) as s:
            s.merge(Setting(key=key, value=value))

    def backup(self, target: Path | str | None = None) -> Path:
        """Copy the SQLite project (consistently, while open) to ``target`` or ``X.db.bak-<time>``."""
        if self.path is None:
            if self.engine.dialect.name == "postgresql":
                raise ProjectError("server.backup_not_yet", project=repr(self))
            raise ProjectError("project.backup_sqlite_only")
        if target is None:
            target = _free_name(self.path.with_name(f"{self.path.name}.bak-{utcnow():%Y%m%dT%H%M%SZ}"))
        return backup_sqlite(self.path, Path(target))

    def remove_temp_files(self, *, now: float | None = None, margin: float = STALE_AFTER) -> list[Path]:
        """Remove what a killed program left half-written: ``.incoming-*`` files in the evidence folder and
        temporary copies beside the project file (pre-upgrade backups, a demo being built), once nothing
        has changed them for ``margin`` seconds (a younger one may be another program's, being written)."""
        removed: list[Path] = []
        if self.evidence_dir is not None:
            removed += EvidenceStore(self.evidence_dir).remove_stale_incoming(now=now, margin=margin)
        if self.path is not None:
            for prefix in (f"{TEMP_PREFIX}{self.path.name}-", f"{TEMP_PREFIX}{self.path.name}.bak-"):
                removed += remove_stale(self.path.parent, prefix, now=now, margin=margin)
        return removed

    def remove_orphan_evidence(self, *, keep: Callable[[], Iterable[str]] = tuple, now: float | None = None,
                               margin: float = STALE_AFTER) -> list[Path]:
        """Remove evidence files that nothing names: no evidence row, no audit event (an undo or the
        history may bring a removed file back), nothing ``keep()`` returns (the files the backups name, so
        that a restore finds them; asked only when some file is named by nothing else), and unchanged
        for ``margin`` seconds. Such files are what an import killed between storing its files and
        committing leaves behind.

        Only for an SQLite project with its own folder (``X.evidence``: a folder given by hand may be
        shared). Another program may be importing into the project right now: its files are stored before
        its rows are committed, so they look like orphans meanwhile. Every writer (imports, the GUI's
        edits) takes the write lock before it looks at or stores evidence and keeps it until it commits,
        so the sweep decides under that same lock and gives up at once when another program holds it; the
        age margin also covers any writer that stores files before taking the lock.
        """
        if self.path is None or self.evidence_dir != self.path.with_suffix(".evidence"):
            return []
        now = time.time() if now is None else now
        store = EvidenceStore(self.evidence_dir)
        old = [p for p in store.stored() if now - p.stat().st_mtime >= margin]
        if not old:
            return []
        named: set[str] = set()
        removed: list[Path] = []
        con = sqlite3.connect(str(self.path), timeout=0, isolation_level=None)
        try:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:  # another program is writing: it may be about to name one
                return []
            named.update(r[0] for r in con.execute("SELECT sha256 FROM evidence"))
            for before, after in con.execute(
                    "SELECT old, new FROM audit_event WHERE action LIKE 'evidence.%'"):
                named.update(_SHA_IN_TEXT.findall(f"{before} {after}"))
            unnamed = [p for p in old if p.name not in named]
            if unnamed:
                named.update(keep())
            for path in unnamed:
                if path.name not in named:
                    try:
                        path.unlink()
                        removed.append(path)
                    except OSError:
                        pass
            con.execute("ROLLBACK")
        finally:
            con.close()
        return removed

    def close(self) -> None:
        self.engine.dispose()


def schema_state(conn: Connection) -> tuple[set[str], tuple[str, ...]]:
    """The database's tables and its Alembic heads (none before the first migration)."""
    tables = set(inspect(conn).get_table_names())
    heads = MigrationContext.configure(conn).get_current_heads() if "alembic_version" in tables else ()
    return tables, tuple(heads)


def _old_revision(tables: set[str], heads: tuple[str, ...], create: bool, label: str) -> str | None:
    """The revision to upgrade from: None for a new file, the head itself when nothing is to be done."""
    head = head_revision()
    if not tables:
        if not create:
            raise ProjectError("project.empty", path=label)
        return None
    if "alembic_version" not in tables or "project" not in tables:
        raise ProjectError("project.foreign", path=label)
    if len(heads) != 1:
        raise ProjectError("project.several_heads", label=label,
                           heads=", ".join(heads) or Message("project.no_revision"))
    if heads[0] not in known_revisions():
        raise ProjectError("project.newer", label=label, revision=heads[0], version=__version__, head=head)
    return heads[0]


def _migrate(engine: Engine, path: Path | None, create: bool,
             label: str) -> tuple[str | None, Path | None, bool]:
    """Bring the schema to head. Returns (old revision if upgraded, backup path, created)."""
    head = head_revision()
    with engine.connect() as conn:
        tables, heads = schema_state(conn)
        conn.rollback()
        if _old_revision(tables, heads, create, label) == head:
            return None, None, False
        conn.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})
        with conn.begin():
            # Looked at again under the write lock: another program may have upgraded (or created) the
            # file meanwhile, and then there is nothing to back up or upgrade.
            old = _old_revision(*schema_state(conn), create, label)
            if old == head:
                return None, None, False
            backup = None
            if old is not None and path is not None:
                backup = backup_sqlite(path, _free_name(path.with_name(f"{path.name}.bak-{old}")))
            command.upgrade(alembic_config(connection=conn), "head")
            if conn.dialect.name == "sqlite":
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise ProjectError("project.broken_rows", label=label, count=len(broken),
                                       table=broken[0][0])
        return old, backup, old is None


def _engines(url: URL, path: Path | None) -> tuple[Engine, Engine | None]:
    """(engine for the project, separate engine for migrations or None to use the first)."""
    if path is not None:
        # Migrations run with foreign keys off (SQLite batch operations rebuild tables); the result
        # is checked with PRAGMA foreign_key_check before commit.
        return sqlite_engine(url, foreign_keys=True), sqlite_engine(url, foreign_keys=False, migration=True)
    if url.get_backend_name() == "sqlite":  # in memory: one connection shared by everything
        return sqlite_engine(url, foreign_keys=True, memory=True), None
    if url.get_backend_name() == "postgresql":
        return pg_engine(url), None
    return create_engine(url), None


def open_project(db: str | Path, *, create: bool = False, name: str = "", province: str = "",
                 evidence_dir: Path | str | None = None) -> Project:
    """Open (and upgrade, if older) the project at ``db``: a file path, or a SQLAlchemy URL with ``://``.

    ``create=True`` creates the project when the file does not exist (or the database is empty); its
    project row gets ``name`` (default: the file name) and ``province``. Opening an existing project
    with ``create=True`` simply opens it (see ``Project.created``). ``evidence_dir`` overrides the
    evidence folder (default for ``X.db``: ``X.evidence/`` beside it; for other databases the
    ``evidence_dir`` setting, or None).

    Raises ``ProjectError`` with a message for people when the project is missing, is not an evaluator
    project, was written by a newer program, or cannot be read.
    """
    url, path, address_evidence = parse_target(db)
    label = str(path) if path is not None else url.render_as_string(hide_password=True)
    new_file = path is not None and check_file(path, create)
    if path is not None and not new_file:
        refuse_foreign(path, create)
    engine: Engine | None = None
    try:
        engine, migration_engine = _engines(url, path)
        try:
            old, backup, created = _migrate(migration_engine or engine, path, create, label)
        finally:
            if migration_engine is not None:
                migration_engine.dispose()
        project = Project(url, path, engine, None, revision=head_revision(), upgraded_from=old,
                          backup_path=backup, created=created)
        with project.session() as s:
            if s.scalars(select(ProjectInfo.id)).first() is None:
                note = f"created by evaluator {__version__} at schema {project.revision}"
                default_name = path.stem if path else ""
                s.add(ProjectInfo(name=name or default_name, province=province, schema_note=note))
                # a server database may come with its schema already made (e.g. copied from a template
                # database): the project is created by this opening all the same
                project.created = True
        if evidence_dir is None and address_evidence:
            evidence_dir = Path(address_evidence).expanduser().resolve()
            if project.created:  # remembered: later openings may leave it out of the address
                project.set_setting(EVIDENCE_DIR_SETTING, str(evidence_dir))
        if evidence_dir is not None:
            project.evidence_dir = Path(evidence_dir)
        elif path is not None:
            project.evidence_dir = path.with_suffix(".evidence")
        else:
            configured = project.get_setting(EVIDENCE_DIR_SETTING)
            project.evidence_dir = Path(configured) if configured else None
        project.remove_temp_files()
        return project
    except BaseException as exc:
        if engine is not None:
            engine.dispose()
        if new_file and path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        if isinstance(exc, SQLAlchemyError | sqlite3.Error):
            orig = getattr(exc, "orig", None) or exc
            raise ProjectError("project.cannot_open", label=label, error=orig) from exc
        raise
