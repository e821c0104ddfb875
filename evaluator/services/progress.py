"""Progress and cancel of long service calls (imports, opening a project), one contract for every face
(calibre's ``threaded_jobs``: notifications plus an abort flag).

``progress(fraction, message)``: ``fraction`` of the work done (0..1); ``message`` says what is being
done (the imports pass one of ``PHASES``; other jobs a short text). The callback may raise — that is how a
cancel reaches the service — at any call: the calls that take it are all-or-nothing, so nothing is then
written.

``Reporter`` is the callback the GUI's operations (``ui.operations``) hand to a service: calling it
forwards the notification and raises ``Cancelled`` once its ``abort`` flag is set, so a service that
reports progress stops at its next step; a service with a loop that reports rarely may also call
``check()`` between steps. The CLI passes a plain function (or nothing).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

Progress = Callable[[float, str], None]
PHASES = ("read", "check", "write")
"""Reading and checking the files, checking them against the project (and planning), writing."""


class Cancelled(Exception):
    """The user cancelled the job: raised from the progress callback (or ``Reporter.check``)."""


def bytes_message(phase: str, done: int, total: int) -> str:
    """A byte report on the callback: the phase, then ``done/total`` (``"write 1048576/52428800"``;
    ``services.exchange.meter`` reads it back). Here, below every service that reports bytes."""
    return f"{phase} {done}/{total}"


def no_progress(_fraction: float, _message: str) -> None:
    """The default: nobody is watching."""


class Reporter:
    """A progress callback with an abort flag (``abort.set()`` cancels at the next report)."""

    def __init__(self, notify: Progress = no_progress, abort: threading.Event | None = None):
        self.notify = notify
        self.abort = abort if abort is not None else threading.Event()

    @property
    def aborted(self) -> bool:
        return self.abort.is_set()

    def check(self) -> None:
        """Raise ``Cancelled`` when the job was cancelled."""
        if self.abort.is_set():
            raise Cancelled()

    def __call__(self, fraction: float, message: str = "") -> None:
        self.check()
        self.notify(fraction, message)
