"""``evaluator migrate``: a whole project — every table's rows and the evidence files — from one database
into a new or empty one: a committee's file onto the PostgreSQL server, the server's project back into a
file for the archive, or a file into another file.

All or nothing. The target's schema is brought to head (Alembic), the rows are copied, the evidence files
are copied and the audit chains are checked, all in one transaction on the target, taken with the
project's writer lock; a refusal or a failure rolls it back, removes the evidence files it wrote and a
target file it created, so the target is left as it was. The source is only read, in one snapshot
(a read transaction; REPEATABLE READ on PostgreSQL), and must be at the head revision: this program
copies only the schema it writes (an older project is upgraded by opening it with this version first).

Why no audit event is written: the target is a copy of the source record by record (the test compares
them table by table); an event would make it differ, and the source is not written to at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import BigInteger, Engine, Integer, delete, func, insert, select, text
from sqlalchemy.engine import URL, Connection
from sqlalchemy.exc import SQLAlchemyError

from evaluator.errors import UserError
from evaluator.models import Base, Evidence, EvidenceStore, ProjectError, Setting, head_revision
from evaluator.models.evidence_store import CHUNK, TEMP_PREFIX, hash_file
from evaluator.models.project import (
    BEGIN_OPTION,
    EVIDENCE_DIR_SETTING,
    alembic_config,
    check_file,
    known_revisions,
    parse_target,
    pg_engine,
    refuse_foreign,
    schema_state,
    sqlite_engine,
    unlink_sqlite,
)
from evaluator.services.audit import verify_chains
from evaluator.services.progress import Progress, bytes_message, no_progress

BATCH = 2000
"""Rows read and inserted at a time: memory stays flat whatever the size of a table."""
BACKENDS = ("sqlite", "postgresql")



@dataclass
class Migrated:
    """What ``migrate`` copied."""

    source: str
    target: str
    rows: dict[str, int] = field(default_factory=dict)
    """Rows per table, in the order they were copied."""
    evidence_files: int = 0
    evidence_bytes: int = 0
    """Every evidence file of the source (each checked against its SHA-256) and their bytes."""
    evidence_present: int = 0
    """Of those, files the target's evidence folder already held intact (content-addressed: not copied)."""
    sequences: list[str] = field(default_factory=list)
    """PostgreSQL sequences set past the copied ids."""
    audit_events: int = 0
    audit_chains: int = 0

    def as_json(self) -> dict[str, Any]:
        return {"source": self.source, "target": self.target, "tables": dict(self.rows),
                "rows": sum(self.rows.values()),
                "evidence": {"files": self.evidence_files, "bytes": self.evidence_bytes,
                             "already_present": self.evidence_present},
                "sequences": list(self.sequences),
                "audit": {"events": self.audit_events, "chains": self.audit_chains, "intact": True}}


@dataclass
class _Place:
    """A source or target: its URL, its SQLite file or None, the evidence folder its address names."""

    url: URL
    path: Path | None
    evidence: str | None
    label: str
    """For messages (a server address without its password)."""


def _place(db: str | Path, role: str) -> _Place:
    """``role``: ``source`` or ``target``, which names the message of a refused address."""
    code = f"migrate.bad_{role}"
    try:
        url, path, evidence = parse_target(db)
    except ProjectError as exc:
        raise UserError(code, address=db, error=exc.params.get("error", exc)) from exc
    if path is None and url.get_backend_name() not in BACKENDS[1:]:
        raise UserError(code, address=url.render_as_string(hide_password=True), error=url.get_backend_name())
    label = str(path) if path is not None else url.render_as_string(hide_password=True)
    return _Place(url, path, evidence, label)


def _same(a: _Place, b: _Place) -> bool:
    if a.path is not None or b.path is not None:
        return a.path == b.path
    return a.url.difference_update_query(list(a.url.query)) == b.url.difference_update_query(
        list(b.url.query)) and a.url.query.get("host") == b.url.query.get("host")


def _engine(place: _Place, *, target: bool) -> Engine:
    if place.path is None:
        return pg_engine(place.url)
    # the target's migrations need foreign keys off (SQLite rebuilds tables); checked before commit
    return sqlite_engine(place.url, foreign_keys=not target, migration=target)


# --- the source ----------------------------------------------------------------------------------------
def _check_source(place: _Place) -> None:
    if place.path is not None:
        if not place.path.is_file():
            raise UserError("migrate.source_missing", source=place.label)
        refuse_foreign(place.path, create=False)


def _check_source_state(conn: Connection, place: _Place) -> None:
    tables, heads = schema_state(conn)
    if not tables:
        raise UserError("migrate.source_empty", source=place.label)
    if not {"alembic_version", "project"} <= tables:
        raise ProjectError("project.foreign", path=place.label)
    head = head_revision()
    if heads != (head,):
        if len(heads) == 1 and heads[0] not in known_revisions():
            raise UserError("migrate.source_newer", source=place.label, revision=heads[0], head=head)
        raise UserError("migrate.source_old", source=place.label, revision=", ".join(heads) or "—", head=head)
    if conn.execute(select(func.count()).select_from(Base.metadata.tables["project"])).scalar_one() == 0:
        raise UserError("migrate.source_empty", source=place.label)


def _source_evidence(conn: Connection, place: _Place) -> EvidenceStore | None:
    """The source's evidence store (as ``open_project`` finds it), checked to hold every file a row names."""
    if place.path is not None:
        folder: str | Path | None = place.path.with_suffix(".evidence")
    else:
        folder = place.evidence or conn.execute(
            select(Setting.value).where(Setting.key == EVIDENCE_DIR_SETTING)).scalar()
    store = EvidenceStore(Path(folder).expanduser()) if folder else None
    named = conn.execute(select(Evidence.sha256, Evidence.file_name).order_by(Evidence.file_name)).all()
    for sha, name in named:
        if store is None:
            raise UserError("migrate.source_no_evidence_folder", source=place.label, name=name)
        if not store.exists(sha):
            raise UserError("migrate.evidence_missing", name=name, sha=sha[:12], folder=store.root)
    return store


# --- the target ----------------------------------------------------------------------------------------
def _check_target_file(place: _Place) -> bool:
    """Check a target file's place; True when the file is to be created (it does not exist)."""
    assert place.path is not None
    if not place.path.parent.is_dir() and not place.path.exists():
        raise UserError("migrate.target_no_folder", target=place.label, folder=place.path.parent)
    new = check_file(place.path, create=True)
    if not new:
        refuse_foreign(place.path, create=True)
    return new


def _check_target_empty(conn: Connection, place: _Place) -> None:
    """Under the writer lock: the target holds no project (no row in any of the project's tables) and
    nothing else (no other table); an existing schema must be one this program knows."""
    tables, heads = schema_state(conn)
    known = set(Base.metadata.tables) | {"alembic_version"}
    foreign = sorted(tables - known)
    if foreign:
        raise UserError("migrate.target_foreign", target=place.label, table=foreign[0])
    if any(h not in known_revisions() for h in heads):
        raise UserError("migrate.target_newer", target=place.label, revision=", ".join(heads))
    # the project row first: the message then names what the target holds
    for table in sorted(Base.metadata.sorted_tables, key=lambda t: t.name != "project"):
        if table.name in tables and conn.execute(select(1).select_from(table).limit(1)).first():
            raise UserError("migrate.target_not_empty", target=place.label, table=table.name)


def reset_sequences(conn: Connection, tables: list[Any]) -> list[str]:
    """On PostgreSQL, set every sequence behind an integer primary key past the largest copied id (the
    rows came with their ids, which a sequence does not see)."""
    done = []
    for table in tables:
        for column in table.primary_key.columns:
            if not isinstance(column.type, Integer | BigInteger):
                continue
            sequence = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                                    {"t": table.name, "c": column.name}).scalar()
            if sequence:
                top = conn.execute(select(func.max(column))).scalar()
                conn.execute(text("SELECT setval(:s, :v, :called)"),
                             {"s": sequence, "v": top or 1, "called": top is not None})
                done.append(str(sequence))
    return done


def _set_evidence_setting(conn: Connection, folder: Path | None, on_server: bool) -> None:
    """A server project remembers its evidence folder (``evidence_dir``); a file's is beside it, so the
    source's setting (a server's folder) is not carried into a file."""
    table: Any = Setting.__table__
    conn.execute(delete(table).where(table.c.key == EVIDENCE_DIR_SETTING))
    if on_server and folder is not None:
        conn.execute(insert(table).values(key=EVIDENCE_DIR_SETTING, value=str(folder)))


# --- evidence files ------------------------------------------------------------------------------------
class _Written:
    """Evidence files and folders this migration made, removed again when it fails."""

    def __init__(self) -> None:
        self.files: list[Path] = []
        self.folders: list[Path] = []

    def mkdir(self, folder: Path) -> None:
        missing = []
        for parent in [folder, *folder.parents]:
            if parent.exists():
                break
            missing.append(parent)
        folder.mkdir(parents=True, exist_ok=True)
        self.folders.extend(missing)

    def undo(self) -> None:
        for path in self.files:
            with contextlib.suppress(OSError):
                path.unlink()
        for folder in sorted(self.folders, key=lambda p: len(p.parts), reverse=True):  # innermost first
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: never another program's files


def _copy_file(source: Path, sha: str, target: EvidenceStore, written: _Written) -> bool:
    """Copy one evidence file, streamed, checking its SHA-256 while it is read; True when copied, False
    when the target already held it intact. Nothing is stored under the name unless the bytes match it."""
    place = target.path(sha)
    existed = place.is_file()
    if existed and hash_file(place)[0] == sha:
        return False
    written.mkdir(place.parent)
    fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=target.root)
    tmp = Path(tmp_name)
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as out, source.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        if digest.hexdigest() != sha:
            raise UserError("migrate.evidence_damaged", path=source, sha=sha[:12])
        os.replace(tmp, place)  # also replaces a damaged copy the target held
    except OSError as exc:
        raise UserError("migrate.evidence_copy_failed", path=source, folder=target.root, error=exc) from exc
    finally:
        tmp.unlink(missing_ok=True)
    if not existed:
        written.files.append(place)
    return True


def _free_space(folder: Path) -> int:
    for parent in [folder, *folder.parents]:
        if parent.exists():
            return shutil.disk_usage(parent).free
    return 0


def _copy_evidence(files: list[Path], target: EvidenceStore, result: Migrated, written: _Written,
                   progress: Progress) -> None:
    sizes = [p.stat().st_size for p in files]
    total = sum(sizes)
    missing = sum(s for p, s in zip(files, sizes, strict=True) if not target.exists(p.name))
    if missing > _free_space(target.root):
        raise UserError("migrate.no_room", folder=target.root, needed=missing,
                        free=_free_space(target.root))
    written.mkdir(target.root)
    done = 0
    for path, size in zip(files, sizes, strict=True):
        if not _copy_file(path, path.name, target, written):
            result.evidence_present += 1
        done += size
        result.evidence_files += 1
        result.evidence_bytes += size
        progress(done / total if total else 1.0, bytes_message("write", done, total))


# --- the whole move ------------------------------------------------------------------------------------
def migrate(source: str | Path, target: str | Path, *, progress: Progress = no_progress,
            evidence: bool = True) -> Migrated:
    """Copy the project at ``source`` (a file or a ``postgresql+psycopg://…`` address) with its evidence
    into ``target``, which must be new (a file) or empty (a database on the server, an empty file).

    ``UserError`` (or ``ProjectError``) names what is refused; then the target is as it was. ``progress``
    (``services.progress``): the rows as they are copied (``write``), then the evidence bytes (a byte
    report, ``write DONE/TOTAL``); a callback that raises cancels, leaving the target as it was.
    ``evidence=False``: the rows only (a server project's backup, ``services.server_backups``: evidence
    files are append-only where they are, as for a file's backups).
    """
    src_place, dst_place = _place(source, "source"), _place(target, "target")
    if _same(src_place, dst_place):
        raise UserError("migrate.same", source=src_place.label)
    _check_source(src_place)
    new_file = _check_target_file(dst_place) if dst_place.path is not None else False
    result = Migrated(src_place.label, dst_place.label)
    written = _Written()
    src_engine = dst_engine = None
    try:
        src_engine = _engine(src_place, target=False)
        dst_engine = _engine(dst_place, target=True)
        with src_engine.connect() as src, dst_engine.connect() as dst:
            if src_place.path is None:  # one snapshot of every table
                src.execution_options(isolation_level="REPEATABLE READ")
            _check_source_state(src, src_place)
            source_store = _source_evidence(src, src_place) if evidence else None
            files = sorted(source_store.stored(), key=lambda p: p.name) if source_store else []
            if dst_place.path is not None:
                dst_folder: Path | None = dst_place.path.with_suffix(".evidence")
            else:
                dst_folder = Path(dst_place.evidence).expanduser().resolve() if dst_place.evidence else None
            if files and dst_folder is None:
                raise UserError("migrate.target_no_evidence_folder", target=dst_place.label,
                                count=len(files), setting=EVIDENCE_DIR_SETTING)
            dst.execution_options(**{BEGIN_OPTION: "BEGIN IMMEDIATE"})  # the writer lock
            with dst.begin():
                _check_target_empty(dst, dst_place)
                command.upgrade(alembic_config(connection=dst), "head")
                copy_rows(src, dst, result, progress)
                _set_evidence_setting(dst, dst_folder, dst_place.path is None)
                if dst.dialect.name == "postgresql":
                    result.sequences = reset_sequences(dst, Base.metadata.sorted_tables)
                else:
                    broken = dst.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise UserError("migrate.broken_rows", target=dst_place.label, table=broken[0][0],
                                        count=len(broken))
                report = verify_chains(dst)
                if not report.intact:
                    raise UserError("migrate.chains_broken", target=dst_place.label,
                                    first=report.broken[0].render() if report.broken else "")
                result.audit_events = report.events
                result.audit_chains = sum(1 for c in report.chains if c.chain)
                if files:
                    assert dst_folder is not None
                    _copy_evidence(files, EvidenceStore(dst_folder), result, written, progress)
        return result
    except BaseException as exc:
        written.undo()
        if dst_engine is not None:
            dst_engine.dispose()
            dst_engine = None
        if new_file and dst_place.path is not None:
            unlink_sqlite(dst_place.path)
        if isinstance(exc, SQLAlchemyError):
            orig = getattr(exc, "orig", None) or exc
            raise UserError("migrate.failed", source=src_place.label, target=dst_place.label,
                            error=str(orig).strip().splitlines()[0] if str(orig).strip() else orig) from exc
        raise
    finally:
        for engine in (src_engine, dst_engine):
            if engine is not None:
                engine.dispose()


def copy_rows(src: Connection, dst: Connection, result: Migrated | None = None,
              progress: Progress = no_progress) -> None:
    """Every table in dependency order (``sorted_tables``: a row's parents first), through the models'
    types (UUIDs, times, JSON, points), in batches."""
    tables = Base.metadata.sorted_tables
    total = sum(src.execute(select(func.count()).select_from(t)).scalar_one() for t in tables)
    done = 0
    for table in tables:
        copied = 0
        rows = src.execute(select(table).execution_options(yield_per=BATCH)).mappings()
        for part in rows.partitions(BATCH):
            dst.execute(insert(table), [dict(r) for r in part])
            copied += len(part)
            done += len(part)
            progress(done / total if total else 1.0, "write")
        if result is not None:
            result.rows[table.name] = copied
