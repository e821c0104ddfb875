"""The log file a user can attach to a support request.

``configure_logging()`` sends the ``evaluator`` loggers (and warnings from the libraries) to a rotating
file ``<log dir>/evaluator.log`` (see ``evaluator.paths``; 1 MB × 5 files, UTF-8) and records uncaught
exceptions there (the main thread, Qt slots — PySide6 hands those to ``sys.excepthook`` — and other
threads). It is safe to call more than once.

Personal data: the log holds what the code logs — actions, unit codes, file *names* and names of people
that are already in the project — and nothing from the machine or the account. Every line goes through
``redact``, which replaces the user's home folder (``<home>``), any other ``Users/NAME`` or ``home/NAME``
folder, the account name inside paths, the computer's name and e-mail addresses, and masks values given
for ``password``/``pin``/``passphrase``. Passwords and PINs are never logged in the first place.
"""

from __future__ import annotations

import functools
import getpass
import logging
import logging.handlers
import os
import platform
import re
import socket
import sys
import threading
import types
from pathlib import Path

from evaluator import __version__

MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
_HANDLER_NAME = "evaluator-file"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SECRET = re.compile(r"(?i)\b(password|passwd|passphrase|pin)\b(\s*[=:]\s*)(\S+)")
_USER_FOLDER = re.compile(r"(?i)([\\/])(users|home)([\\/])[^\\/\s'\"]+")


@functools.lru_cache(maxsize=1)
def _machine_words() -> tuple[list[str], list[str], list[str]]:
    """(home folders as text, account names, computer names)."""
    homes: list[str] = []
    try:
        home = str(Path.home())
    except (RuntimeError, KeyError):
        home = ""
    if len(home) > 3:  # not "/" or "C:\"
        homes += [home, home.replace("\\", "/")]
    found: list[list[str]] = []
    for getter in (getpass.getuser, socket.gethostname):
        try:
            word = getter()
        except Exception:  # no account name (some containers) or no network name
            word = ""
        found.append([word] if len(word) >= 3 else [])
    return sorted(set(homes), key=len, reverse=True), found[0], found[1]


def redact(text: str) -> str:
    """``text`` without the machine's and the account's identifying details (see the module text)."""
    homes, accounts, machines = _machine_words()
    for home in homes:
        text = re.sub(re.escape(home), "<home>", text, flags=re.IGNORECASE)
    text = _USER_FOLDER.sub(r"\1\2\3<user>", text)
    for account in accounts:  # only inside paths: an account called "admin" must not eat the word
        text = re.sub(rf"(?i)(?<=[\\/]){re.escape(account)}(?=[\\/]|$)", "<user>", text)
    for machine in machines:
        text = re.sub(rf"(?i)(?<![\w.-]){re.escape(machine)}(?![\w-])", "<machine>", text)
    text = _EMAIL.sub("<email>", text)
    return _SECRET.sub(r"\1\2***", text)


class RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(
    level: int = logging.INFO, *, directory: Path | None = None, console: bool = False
) -> Path:
    """Log to the rotating file (and, with ``console``, to standard error). Returns the file's path.

    If the log folder cannot be written (read-only profile, full disk) the app still runs: logging
    then goes to standard error only.
    """
    from evaluator.paths import LOG_FILE, log_dir

    folder = directory or log_dir()
    path = folder / LOG_FILE
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() in (_HANDLER_NAME, _HANDLER_NAME + "-console")]:
        root.removeHandler(old)
        old.close()
    formatter = RedactingFormatter(FORMAT)
    handlers: list[logging.Handler] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        file_handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True
        )
        file_handler.set_name(_HANDLER_NAME)
        handlers.append(file_handler)
    except OSError:
        console = True
    if console and sys.stderr is not None:
        stream = logging.StreamHandler(sys.stderr)
        stream.set_name(_HANDLER_NAME + "-console")
        handlers.append(stream)
    for handler in handlers:
        handler.setFormatter(formatter)
        handler.setLevel(level)
        root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    logging.captureWarnings(True)
    _install_excepthook()
    logging.getLogger("evaluator").info(
        "evaluator %s started (%s, Python %s, %s%s)",
        __version__,
        platform.platform(terse=True),
        platform.python_version(),
        "frozen" if getattr(sys, "frozen", False) else "source",
        f", pid {os.getpid()}",
    )
    return path


_previous_hook = sys.excepthook


def _log_uncaught(
    kind: type[BaseException], value: BaseException, tb: types.TracebackType | None
) -> None:
    if not issubclass(kind, KeyboardInterrupt):
        logging.getLogger("evaluator").critical("uncaught exception", exc_info=(kind, value, tb))
    _previous_hook(kind, value, tb)


_previous_thread_hook = threading.excepthook


def _log_uncaught_in_thread(hook_args: threading.ExceptHookArgs) -> None:
    if hook_args.exc_type is not SystemExit:
        name = hook_args.thread.name if hook_args.thread is not None else "?"
        value = hook_args.exc_value or hook_args.exc_type()
        info = (hook_args.exc_type, value, hook_args.exc_traceback)
        logging.getLogger("evaluator").critical("uncaught exception in thread %s", name, exc_info=info)
    _previous_thread_hook(hook_args)


def _install_excepthook() -> None:
    global _previous_hook, _previous_thread_hook
    if sys.excepthook is not _log_uncaught:
        _previous_hook = sys.excepthook
        sys.excepthook = _log_uncaught
    if threading.excepthook is not _log_uncaught_in_thread:
        _previous_thread_hook = threading.excepthook
        threading.excepthook = _log_uncaught_in_thread
