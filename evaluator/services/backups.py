"""Backups of a project: made automatically (on close, before an import, every N minutes of editing) or
by hand, kept by a retention rule, listed, restored.

Where: the platform's backups folder (``paths.backups_dir()``: e.g. ``%LOCALAPPDATA%\\evaluator\\backups``
on Windows), one sub-folder per project file, so that backups never clutter the folder the user keeps
projects in. A backup is ``<project file name>.bak-<UTC time>-<reason>``: one SQLite file, written under a
temporary name, checked with ``PRAGMA integrity_check`` and renamed (``models.backup_sqlite``).
(The copy taken before a schema upgrade, ``X.db.bak-<old revision>``, stays beside the file: it is made
by the persistence layer before any service runs, and a person restoring an old program version looks
for it there. It is listed here too, and retention never touches it.)

Backups hold the database only, not the evidence files. Evidence is content-addressed and append-only:
a stored file never changes, and the only thing that ever deletes one is the orphan sweep on opening
(``Project.remove_orphan_evidence``), which keeps every file a backup names (``clean_leftovers``). So the
files a backup's rows name are still in the project's evidence folder when it is restored; a restore into
a new file copies them into the new file's own folder, and a restore reports any file that is missing
all the same (deleted by hand), naming it, rather than leaving it to be found later.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import URL

from evaluator.errors import UserError
from evaluator.messages import say
from evaluator.models import EvidenceStore, Project, ProjectError, backup_sqlite, open_project, utcnow
from evaluator.models.evidence_store import TEMP_PREFIX, remove_stale
from evaluator.models.project import SQLITE_HEADER, STALE_AFTER
from evaluator.paths import backups_dir

REASONS = {
    "manual": "made by hand",
    "import": "before an import",
    "close": "on closing the project",
    "periodic": "while editing",
    "restore": "before a restore",
    "upgrade": "before a schema upgrade",
    "damaged": "raw copy of a damaged project, before a restore",
    "framework-upgrade": "before moving assessments to a new criteria-set version",
    "reorganise": "before merging, renaming or retiring units",
    "new-year": "before creating a new year from the last one",
}
PERIODIC_MINUTES = 30
"""At most one periodic backup every this many minutes while edits happen."""
_NAME = re.compile(r"^(?P<project>.+)\.bak-(?P<id>(?P<stamp>\d{8}T\d{6}\d{0,6}Z)"
                   r"(?:-(?P<reason>[a-z]+(?:-[a-z]+)*))?(?:-\d+)?)$")
_UPGRADE = re.compile(r"^(?P<project>.+)\.bak-(?P<id>[0-9a-z_]+(?:-\d+)?)$")


@dataclass(frozen=True)
class Backup:
    id: str
    """What ``evaluator backup restore`` takes: the part of the file name after ``.bak-``."""
    path: Path
    created: datetime
    reason: str
    size: int

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "created": self.created.isoformat(timespec="seconds"), "reason": self.reason,
                "size": self.size}


@dataclass(frozen=True)
class Retention:
    """Like Anki's (rslib/src/collection/backup.rs): the newest few, then one a day, a week, a month."""
    last: int = 10
    daily: int = 7
    weekly: int = 8
    monthly: int = 12


def retained(times: Iterable[datetime], limits: Retention = Retention()) -> set[datetime]:
    """The backup times that retention keeps: the ``last`` newest; and the newest backup of each of the
    ``daily`` latest days that have one, of the ``weekly`` latest ISO weeks, of the ``monthly`` latest
    months (days, weeks and months of the times as given: pass local times)."""
    ordered = sorted(set(times), reverse=True)
    keep = set(ordered[:limits.last])
    buckets: list[tuple[int, Any]] = [
        (limits.daily, lambda t: t.date()),
        (limits.weekly, lambda t: t.isocalendar()[:2]),
        (limits.monthly, lambda t: (t.year, t.month)),
    ]
    for count, bucket in buckets:
        seen: set[Any] = set()
        for t in ordered:
            if len(seen) >= count:
                break
            if bucket(t) not in seen:
                seen.add(bucket(t))
                keep.add(t)
    return keep


def backups_folder(path: Path) -> Path:
    """``<backups>/<file stem>-<8 hex of its full path>``: two ``demo.db`` in different folders differ."""
    resolved = Path(path).expanduser().resolve()
    tag = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:8]
    return backups_dir() / f"{resolved.stem}-{tag}"


def project_backups_dir(project: Project) -> Path:
    if project.path is None:
        raise UserError("backup.sqlite_only")
    return backups_folder(project.path)


def _looks_complete(path: Path) -> bool:
    """A finished backup: an SQLite file with no hot journal beside it (a program of an older version,
    killed while writing a backup under its final name, left an empty or partial file and a journal)."""
    if Path(f"{path}-journal").exists():
        return False
    try:
        with path.open("rb") as fh:
            return fh.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def _stamp_time(stamp: str) -> datetime:
    fraction = stamp[15:-1]
    parsed = datetime.strptime(stamp[:15], "%Y%m%dT%H%M%S").replace(tzinfo=UTC)
    return parsed + timedelta(microseconds=int(fraction.ljust(6, "0")) if fraction else 0)


def list_backups(project_path: Path, *, now: float | None = None) -> list[Backup]:
    """The backups of the project file at ``project_path`` (which may be gone), newest first.

    Stale leftovers of a crash are removed on the way: temporary files, and broken backups an older
    version left under a backup's name (see ``STALE_AFTER`` for why young ones stay).
    """
    project_path = Path(project_path).expanduser().resolve()
    folder = backups_folder(project_path)
    found: list[Backup] = []
    if folder.is_dir():
        remove_stale(folder, TEMP_PREFIX, now=now)
        for path in folder.iterdir():
            match = _NAME.match(path.name)
            if match is None or match["project"] != project_path.name or not path.is_file():
                continue
            if not _looks_complete(path):
                _remove_broken(path, now)
                continue
            found.append(Backup(match["id"], path, _stamp_time(match["stamp"]), match["reason"] or "import",
                                path.stat().st_size))
    for path in project_path.parent.glob(f"{glob_escape(project_path.name)}.bak-*"):
        match = _UPGRADE.match(path.name)
        if match is None or _NAME.match(path.name) or not path.is_file() or not _looks_complete(path):
            continue
        stat = path.stat()
        found.append(Backup(match["id"], path, datetime.fromtimestamp(stat.st_mtime, UTC), "upgrade",
                            stat.st_size))
    return sorted(found, key=lambda b: (b.created, b.id), reverse=True)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def _remove_broken(path: Path, now: float | None) -> None:
    import time

    now = time.time() if now is None else now
    if now - path.stat().st_mtime < STALE_AFTER:  # an older version may be writing it right now
        return
    for extra in ("", "-journal"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def find_backup(project_path: Path, backup_id: str) -> Backup:
    """The backup with this id (or the one whose id starts with it)."""
    backups = list_backups(project_path)
    exact = [b for b in backups if b.id == backup_id]
    matches = exact or [b for b in backups if backup_id and b.id.startswith(backup_id)]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise UserError("projects.no_backup", backup=backup_id, project=project_path)
    raise UserError("projects.backup_ambiguous", backup=backup_id, project=project_path,
                    listed=", ".join(b.id for b in matches[:5]))


def new_target(folder: Path, project_path: Path, reason: str, when: datetime) -> Path:
    base = folder / f"{project_path.name}.bak-{when:%Y%m%dT%H%M%S%fZ}-{reason}"
    target, n = base, 2
    while target.exists():
        target = base.with_name(f"{base.name}-{n}")
        n += 1
    return target


def make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError("backup.no_folder", folder=folder, error=exc.strerror or exc) from exc


def backup_file(project_path: Path, reason: str = "manual", *,
                retention: Retention | None = Retention()) -> Backup:
    """Back up the SQLite project file at ``project_path`` (open or not) and apply retention, which never
    removes the backup just made (nor a pre-upgrade copy: those are not in the backups folder)."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    project_path = Path(project_path).expanduser().resolve()
    folder = backups_folder(project_path)
    make_folder(folder)
    target = new_target(folder, project_path, reason, utcnow())
    try:
        backup_sqlite(project_path, target)
    except ProjectError as exc:
        raise UserError.from_error(exc) from exc
    made = next(b for b in list_backups(project_path) if b.path == target)
    if retention is not None:
        prune(project_path, retention, protect={target})
    return made


def create_backup(project: Project, reason: str = "manual") -> Backup:
    if project.path is None:  # on the committee's server: the app's own export of its rows
        return create_server_backup(project, reason)
    return backup_file(project.path, reason)


# --- a project on the committee's PostgreSQL server (restoring: services.server_backups) -----------
KEY_ROOT = Path("/postgresql")
"""Server projects are named in the backups folder by a path under this (never a file on disk)."""


def server_key(url: URL) -> Path:
    """The name the backups of the database at ``url`` are kept under: its host (or socket folder), port
    and database, not the login (a secretary's and the chair's logins share the project's backups)."""
    where = f"{url.host or ''}|{url.port or ''}|{url.query.get('host', '')}|{url.database or ''}"
    tag = hashlib.sha256(where.encode("utf-8")).hexdigest()[:8]
    return KEY_ROOT / tag / f"{url.database or 'project'}.db"


def create_server_backup(project: Project, reason: str = "manual") -> Backup:
    """Back up the server project's rows into a new SQLite file in its backups folder, then apply the
    retention rule (which never removes the backup just made)."""
    from evaluator.services.migrate import migrate

    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    key = server_key(project.url)
    folder = backups_folder(key)
    make_folder(folder)
    target = new_target(folder, key, reason, utcnow())
    with tempfile.TemporaryDirectory(prefix="evaluator-backup-") as work:
        rows = Path(work) / "rows.db"
        migrate(project.url.render_as_string(hide_password=False), rows, evidence=False)
        # one self-contained file (no write-ahead log beside it), checked, renamed into place when whole
        backup_sqlite(rows, target)
    made = next(b for b in list_backups(key) if b.path == target)
    prune(key, protect={target})
    return made


def backup_before_import(project: Project, reason: str = "import") -> Path | None:
    """A backup of the project as it is now (a file's, or a server project's rows: ``create_backup``),
    labelled ``reason`` (one of ``REASONS``: ``import``, or ``framework-upgrade`` before an upgrade's
    move)."""
    try:
        return create_backup(project, reason).path
    except UserError as exc:
        raise UserError("backup.nothing_imported", problem=exc.message) from exc


def prune(project_path: Path, limits: Retention = Retention(), *, protect: Iterable[Path] = ()) -> list[Path]:
    """Remove the backups (in the backups folder) that retention does not keep; returns them."""
    protected = {Path(p) for p in protect}
    backups = [b for b in list_backups(project_path) if b.reason != "upgrade"]
    local = {b: b.created.astimezone() for b in backups}
    keep = retained(local.values(), limits)
    removed = []
    for b in backups:
        if local[b] not in keep and b.path not in protected:
            b.path.unlink(missing_ok=True)
            removed.append(b.path)
    return removed


def periodic_backup_due(project_path: Path | None, *, edited: bool, now: datetime | None = None,
                        minutes: int = PERIODIC_MINUTES) -> bool:
    """Whether the GUI should take a periodic backup now: something was edited since the last backup,
    and the newest backup (of any reason) is at least ``minutes`` old."""
    if project_path is None or not edited:
        return False
    now = now or utcnow()
    newest = next((b for b in list_backups(project_path) if b.reason != "upgrade"), None)
    return newest is None or now - newest.created >= timedelta(minutes=minutes)


def named_evidence(db: Path) -> set[str]:
    """The evidence files (SHA-256) that the rows of an SQLite project file or backup name."""
    try:
        con = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
        try:
            return {r[0] for r in con.execute("SELECT sha256 FROM evidence")}
        finally:
            con.close()
    except sqlite3.Error:
        return set()


def clean_leftovers(project: Project) -> list[Path]:
    """On opening: remove temporary files and orphan evidence files that a crash left (see
    ``Project.remove_temp_files`` and ``Project.remove_orphan_evidence``), keeping every file that a
    backup of the project names so that restoring it finds its evidence."""
    removed = project.remove_temp_files()
    if project.path is None:
        return removed
    path = project.path

    def keep() -> set[str]:
        named: set[str] = set()
        for b in list_backups(path):
            named |= named_evidence(b.path)
        return named

    return removed + project.remove_orphan_evidence(keep=keep)


@dataclass
class Restored:
    target: Path
    backup: Backup
    before: Backup | None = None
    """The backup of the project as it was, taken before restoring over it."""
    missing_evidence: list[str] = field(default_factory=list)
    """Files (``name (sha…)``) that the restored rows name and that are not in the evidence folder."""
    evidence_copied: int = 0

    def render(self) -> str:
        """In the current language."""
        lines = [say("backup.restored", id=self.backup.id, created=f"{self.backup.created:%Y-%m-%d %H:%M}",
                     reason=self.backup.reason, target=self.target)]
        if self.before is not None:
            lines.append(say("backup.kept_before", id=self.before.id))
        if self.evidence_copied:
            lines.append(say("backup.evidence_copied", count=self.evidence_copied,
                             folder=self.target.with_suffix(".evidence")))
        if self.missing_evidence:
            lines.append(say("backup.evidence_missing", count=len(self.missing_evidence),
                             names=", ".join(self.missing_evidence[:10])))
        return "\n".join(lines)


def _missing(db: Path, store: EvidenceStore) -> list[str]:
    # read-write, though it only reads: a read-only connection to a WAL project leaves -wal/-shm behind
    con = sqlite3.connect(str(db))
    try:
        rows = con.execute("SELECT DISTINCT sha256, file_name FROM evidence ORDER BY file_name").fetchall()
    finally:
        con.close()
    return [f"{name} ({sha[:12]}…)" for sha, name in rows if not store.exists(sha)]


def restore_backup(project_path: Path, backup_id: str, *, to: Path | None = None) -> Restored:
    """Restore a backup into a new file ``to`` (copying the evidence it names), or over the project
    file (after backing up its current state). The project must not be open in this program; another
    program that has it open sees the restored content (SQLite's backup API writes through its locks)."""
    project_path = Path(project_path).expanduser().resolve()
    chosen = find_backup(project_path, backup_id)
    source_store = EvidenceStore(project_path.with_suffix(".evidence"))
    if to is not None:
        return restore_into_new_file(chosen, Path(to), source_store)
    target = project_path
    report = Restored(target, chosen)
    if target.exists():
        report.before = _backup_before_restore(target)
    _copy_into(chosen.path, target)
    _reopen(target)  # brings an older backup to the current schema (its own pre-upgrade copy is taken)
    report.missing_evidence = _missing(target, source_store)
    return report


def restore_into_new_file(chosen: Backup, to: Path, source_store: EvidenceStore | None) -> Restored:
    """The backup as a new project file ``to``, with copies of the evidence files its rows name that
    ``source_store`` (the project's evidence folder) holds."""
    target = Path(to).expanduser().resolve()
    if target.exists():
        raise UserError("backup.target_exists", target=target)
    if not target.parent.is_dir():
        raise UserError("backup.target_no_folder", target=target, folder=target.parent)
    try:
        backup_sqlite(chosen.path, target)
    except ProjectError as exc:
        raise UserError.from_error(exc) from exc
    report = Restored(target, chosen)
    store = EvidenceStore(target.with_suffix(".evidence"))
    for sha in sorted(named_evidence(target)):
        if source_store is not None and source_store.exists(sha) and not store.exists(sha):
            store.put(source_store.path(sha), sha)
            report.evidence_copied += 1
    _reopen(target)
    report.missing_evidence = _missing(target, store)
    return report


def missing_evidence(project: Project, store: EvidenceStore) -> list[str]:
    """Files (``name (sha…)``) that the project's rows name and ``store`` does not hold."""
    from sqlalchemy import select

    from evaluator.models import Evidence

    with project.session() as s:
        rows = s.execute(select(Evidence.sha256, Evidence.file_name).distinct()
                         .order_by(Evidence.file_name)).all()
    return [f"{name} ({sha[:12]}…)" for sha, name in rows if not store.exists(sha)]


def _backup_before_restore(target: Path) -> Backup:
    try:
        return backup_file(target, "restore", retention=None)
    except UserError:
        # The project may be damaged (the reason to restore): keep its bytes as they are instead.
        folder = backups_folder(target)
        raw = new_target(folder, target, "damaged", utcnow())
        shutil.copyfile(target, raw)
        if Path(f"{target}-wal").exists():
            shutil.copyfile(f"{target}-wal", f"{raw}-wal-copy")
        return Backup(raw.name.split(".bak-", 1)[1], raw, utcnow(), "damaged", raw.stat().st_size)


def _copy_into(source: Path, target: Path) -> None:
    """Write the backup's pages into the project file through SQLite (its locks, its write-ahead log),
    never by replacing the file: a ``-wal`` left beside it would otherwise be applied to the wrong file."""
    try:
        src = sqlite3.connect(str(source))
        try:
            dst = sqlite3.connect(str(target), timeout=10)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise UserError("backup.restore_failed", target=target, error=exc) from exc


def _reopen(target: Path) -> None:
    try:
        open_project(target).close()
    except ProjectError as exc:
        raise UserError("backup.restored_unopenable", target=target, problem=exc.message) from exc


# --- "copy the project to a USB stick" -------------------------------------------------------------
def archive_project(project_path: Path, folder: Path, *, now: datetime | None = None) -> Path:
    """Write the project (a consistent copy of its file) and its evidence folder as one zip archive in
    ``folder`` (e.g. a USB stick), verified after writing: read back, every entry's CRC, the database's
    integrity check and every evidence file's SHA-256. Written under a temporary name and renamed when
    verified, so a stick pulled out half-way never holds a broken archive under a real name."""
    import tempfile
    import zipfile

    project_path = Path(project_path).expanduser().resolve()
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise UserError("backup.not_a_folder", folder=folder)
    stamp = (now or utcnow()).astimezone()
    target = folder / f"{project_path.stem}-{stamp:%Y%m%d-%H%M%S}.zip"
    if target.exists():
        raise UserError("backup.exists", target=target)
    store = EvidenceStore(project_path.with_suffix(".evidence"))
    tmp = folder / f"{TEMP_PREFIX}{target.name}"
    try:
        with tempfile.TemporaryDirectory(prefix="evaluator-archive-") as scratch:
            copy = Path(scratch) / project_path.name
            try:
                backup_sqlite(project_path, copy)
            except ProjectError as exc:
                raise UserError.from_error(exc) from exc
            expected: dict[str, str | None] = {project_path.name: None}
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
                zf.write(copy, project_path.name)
                for path in sorted(store.stored()):
                    name = f"{store.root.name}/{path.parent.name}/{path.name}"
                    zf.write(path, name)
                    expected[name] = path.name
            with tmp.open("rb+") as fh:
                os.fsync(fh.fileno())
        problems = verify_archive(tmp, expected)
        if problems:
            raise UserError("backup.archive_bad", folder=folder, problems="; ".join(problems[:3]))
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError("backup.archive_failed", folder=folder, error=exc.strerror or exc) from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def verify_archive(archive: Path, expected: dict[str, str | None] | None = None) -> list[str]:
    """What is wrong with a project archive (empty when sound): unreadable entries, a damaged database,
    an evidence file whose bytes do not match its name, entries missing or unexpected."""
    import tempfile
    import zipfile
    import zlib

    problems: list[str] = []
    try:
        with zipfile.ZipFile(archive) as zf:
            names = zf.namelist()
            bad = zf.testzip()
            if bad is not None:
                return [say("backup.entry_damaged", name=bad)]
            if expected is not None and sorted(names) != sorted(expected):
                problems.append(say("backup.entries_mismatch", count=len(set(expected) ^ set(names))))
            dbs = [n for n in names if "/" not in n]
            if len(dbs) != 1:
                return [*problems, say("backup.no_project_file")]
            with tempfile.TemporaryDirectory(prefix="evaluator-verify-") as scratch:
                db = Path(scratch) / "project.db"
                db.write_bytes(zf.read(dbs[0]))
                con = sqlite3.connect(str(db))
                try:
                    from evaluator.models.project import integrity_problems

                    problems += [say("backup.project_file_problem", problem=p)
                                 for p in integrity_problems(con)[:3]]
                finally:
                    con.close()
            for name in names:
                if "/" in name:
                    sha = name.rsplit("/", 1)[1]
                    if hashlib.sha256(zf.read(name)).hexdigest() != sha:
                        problems.append(say("backup.evidence_mismatch", name=name))
    except (OSError, zipfile.BadZipFile, zlib.error, sqlite3.Error) as exc:
        problems.append(say("backup.unreadable", error=exc))
    return problems
