"""Backups of a project on the committee's PostgreSQL server, kept and restored like a file's (issue #17).

A backup is the app's own export of the database: every row, copied in one snapshot (REPEATABLE READ) by
``services.migrate`` into an SQLite file in the platform's backups folder, under the same naming and
retention as a file project's backups (``services.backups``). Why not ``pg_dump``: its version must match
the server's, it is not on a committee laptop (Windows), and its output can only be restored by
``pg_restore`` into a server; an SQLite file is read by this program anywhere — opened as a project to
look at, restored into a new file for the archive, or restored over the server's project.

As for a file, a backup holds the rows, not the evidence files: those are content-addressed and
append-only in the server's evidence folder (``evidence_dir``), so a restored row finds its file there.

Restoring over the server's project is one transaction on the server under the writer lock: a backup of
the current state first ("restore"), then every row deleted and the backup's rows copied in (brought to
the current schema first when the backup is older), the sequences set past the copied ids, the audit
chains checked; any failure rolls back and the project is as it was. Other programs connected to the
project see the restored rows at their next read.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select

from evaluator.errors import UserError
from evaluator.models import Base, Project, ProjectError, Setting, open_project
from evaluator.models.project import EVIDENCE_DIR_SETTING, backup_sqlite, hold_writer_lock
from evaluator.services import backups
from evaluator.services.audit import verify_chains


def backups_key(db: str | Path) -> Path:
    """What ``services.backups`` lists the backups of: the file itself, or a server database's key."""
    if isinstance(db, str) and "://" in db:
        from sqlalchemy.engine import make_url

        url = make_url(db)
        if url.get_backend_name() != "sqlite":
            return backups.server_key(url)
        return Path(url.database or "")
    return Path(db)


def restore_server_backup(db: str, backup_id: str, *, to: Path | None = None) -> backups.Restored:
    """Restore a backup of the server project at ``db`` over it (after backing up its current state), or
    into a new project file ``to`` (with copies of the evidence files its rows name)."""
    with open_project(db) as project:
        return restore_in(project, backup_id, to=to)


def restore_in(project: Project, backup_id: str, *, to: Path | None = None) -> backups.Restored:
    """``restore_server_backup`` for a server project that is open already (the GUI's)."""
    key = backups.server_key(project.url)
    chosen = backups.find_backup(key, backup_id)
    store = project.evidence if project.evidence_dir is not None else None
    if to is not None:
        return backups.restore_into_new_file(chosen, Path(to), store)
    report = backups.Restored(Path(project.url.render_as_string(hide_password=True)), chosen)
    report.before = backups.create_server_backup(project, "restore")
    with tempfile.TemporaryDirectory(prefix="evaluator-restore-") as work:
        copy = Path(work) / "backup.db"
        backup_sqlite(chosen.path, copy)  # through SQLite: what a write-ahead log beside it holds too
        try:  # an older backup is brought to this program's schema (a copy: the backup stays as it was)
            open_project(copy).close()
        except ProjectError as exc:
            raise UserError("backup.restored_unopenable", target=chosen.path,
                            problem=exc.message) from exc
        _copy_over(project, copy, chosen.id)
    if store is not None:
        report.missing_evidence = backups.missing_evidence(project, store)
    return report


def _copy_over(project: Project, source: Path, backup_id: str) -> None:
    from evaluator.services.migrate import copy_rows, reset_sequences

    tables = Base.metadata.sorted_tables
    with open_project(source) as backup, backup.session() as src_session, \
            project.session(write=True) as session:
        dst = session.connection()
        hold_writer_lock(dst)
        keep = dst.execute(select(Setting.value).where(Setting.key == EVIDENCE_DIR_SETTING)).scalar()
        for table in reversed(tables):  # children first
            dst.execute(delete(table))
        copy_rows(src_session.connection(), dst)
        setting: Any = Setting.__table__
        dst.execute(delete(setting).where(setting.c.key == EVIDENCE_DIR_SETTING))
        if keep is not None:  # the server's evidence folder stays the server's
            dst.execute(insert(setting).values(key=EVIDENCE_DIR_SETTING, value=keep))
        reset_sequences(dst, tables)
        report = verify_chains(dst)
        if not report.intact:
            raise UserError("backup.chains_broken", backup=backup_id,
                            first=report.broken[0].render() if report.broken else "")

