"""Where the user's things live: projects, settings, logs, backups, cache — the platform's standard places.

==============  =====================================  ==========================================
what            Windows                                Linux (XDG)
==============  =====================================  ==========================================
projects        ``Documents\\evaluator``                ``~/Documents/evaluator`` (XDG_DOCUMENTS_DIR)
settings        ``%LOCALAPPDATA%\\evaluator``           ``~/.config/evaluator``
logs            ``%LOCALAPPDATA%\\evaluator\\Logs``      ``~/.local/state/evaluator/log``
backups         ``%LOCALAPPDATA%\\evaluator\\backups``   ``~/.local/share/evaluator/backups``
cache (demo)    ``%LOCALAPPDATA%\\evaluator\\Cache``     ``~/.cache/evaluator``
==============  =====================================  ==========================================

(as computed by ``platformdirs``; macOS gets its own standard places.) None of these is inside the
installation folder, so an upgrade or an uninstall leaves them alone.

Overrides, for tests and portable installs (e.g. the app on a USB stick):

- ``EVALUATOR_HOME``: everything under one folder (``projects``, ``config``, ``logs``, ``backups``,
  ``cache``);
- ``EVALUATOR_PROJECTS_DIR``, ``EVALUATOR_CONFIG_DIR`` (also honoured by ``services.users``),
  ``EVALUATOR_LOG_DIR``: one place each; they win over ``EVALUATOR_HOME``.

Only ``pathlib`` and ``platformdirs``: no ``~``, no hard-coded separators.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

APP = "evaluator"
LOG_FILE = "evaluator.log"


def _override(variable: str, home_part: str) -> Path | None:
    value = os.environ.get(variable)
    if value:
        return Path(value)
    home = os.environ.get("EVALUATOR_HOME")
    if home:
        return Path(home) / home_part
    return None


def projects_dir() -> Path:
    """The default folder for project files: ``<Documents>/evaluator``."""
    found = _override("EVALUATOR_PROJECTS_DIR", "projects")
    if found is not None:
        return found
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / APP


def dialog_dir() -> Path:
    """Where file dialogs start: the projects folder, made when missing (a dialog given a folder that does
    not exist falls back to the working directory, which is the installation folder on Windows); the home
    folder when it cannot be made."""
    folder = projects_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path.home()
    return folder


def config_dir() -> Path:
    """Settings (``settings.json``): the same folder as ``services.users.config_dir``."""
    found = _override("EVALUATOR_CONFIG_DIR", "config")
    if found is not None:
        return found
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP, appauthor=False))


def log_dir() -> Path:
    found = _override("EVALUATOR_LOG_DIR", "logs")
    if found is not None:
        return found
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP, appauthor=False))


def log_file() -> Path:
    """The log a user attaches to a support request (rotated: ``evaluator.log.1`` … are older)."""
    return log_dir() / LOG_FILE


def backups_dir() -> Path:
    found = _override("EVALUATOR_BACKUPS_DIR", "backups")
    if found is not None:
        return found
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP, appauthor=False)) / "backups"


def cache_dir() -> Path:
    found = _override("EVALUATOR_CACHE_DIR", "cache")
    if found is not None:
        return found
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP, appauthor=False))


def default_project_path(name: str) -> Path:
    """Where a new project called ``name`` goes by default: ``<projects>/<name>.db``, the name made safe
    for every file system (Vietnamese letters kept; ``\\ / : * ? " < > |`` and control characters not)."""
    safe = "".join("-" if c in '\\/:*?"<>|' or ord(c) < 32 else c for c in name).strip(" .-")
    return projects_dir() / f"{safe or 'project'}.db"


@dataclass(frozen=True)
class Places:
    projects: Path
    config: Path
    logs: Path
    backups: Path
    cache: Path

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items()}


def places() -> Places:
    """All of them (the About dialog and a support request show these)."""
    return Places(projects_dir(), config_dir(), log_dir(), backups_dir(), cache_dir())


def ensure_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path
