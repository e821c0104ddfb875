"""Automatic backups before an import: a consistent copy of the project in the platform's backups folder
(``paths.backups_dir()``: e.g. ``%LOCALAPPDATA%\\evaluator\\backups`` on Windows), one sub-folder per
project file, so that backups never clutter the folder the user keeps projects in.

(The copy taken before a schema upgrade stays beside the file: it is made by the persistence layer,
before any service runs, and a person restoring an old program version looks for it there.)
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from evaluator.models import Project, utcnow
from evaluator.services.errors import UserError
from evaluator.services.paths import backups_dir


def project_backups_dir(project: Project) -> Path:
    """``<backups>/<file stem>-<8 hex of its full path>``: two ``demo.db`` in different folders differ."""
    if project.path is None:
        raise UserError("automatic backups are made for project files (SQLite) only")
    tag = hashlib.sha256(str(project.path.resolve()).encode("utf-8")).hexdigest()[:8]
    return backups_dir() / f"{project.path.stem}-{tag}"


def backup_before_import(project: Project) -> Path | None:
    """A backup of the project as it is now (``None`` for a database server, which has its own)."""
    if project.path is None:
        return None
    folder = project_backups_dir(project)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the backups folder {folder}: {exc.strerror or exc}; nothing was "
                        "imported") from exc
    target = folder / f"{project.path.name}.bak-{utcnow():%Y%m%dT%H%M%S%fZ}"
    return project.backup(target)
