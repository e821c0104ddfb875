"""The old job helper, kept only until ``reports_dialogs`` adopts ``ui.operations`` (the one path for
operations: use that in new code). A ``Job`` runs a function in the global ``QThreadPool`` and reports
progress, result or error back to the GUI thread through signals; unexpected errors are logged with their
traceback, as in ``ui.operations``."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from evaluator.errors import UserError
from evaluator.services.progress import Cancelled

__all__ = ["Cancelled", "Job", "start"]
log = logging.getLogger("evaluator.ui")


class JobSignals(QObject):
    progress = Signal(int, str)
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """``fn(job)`` runs in a worker thread; it may call ``job.report(percent, text)`` and check
    ``job.cancelled`` (``report`` raises ``Cancelled`` once the job was cancelled)."""

    def __init__(self, fn: Callable[[Job], Any], discard: Callable[[Any], None] | None = None,
                 *, deliver_late: bool = False):
        super().__init__()
        self.fn = fn
        self.discard = discard
        """Called (in the worker) with a result nobody will receive because the job was cancelled —
        e.g. to close a project that finished opening after the user gave up."""
        self.deliver_late = deliver_late
        """A cancel that comes after ``fn`` returned is too late: the result is delivered as done (for
        work that cannot be taken back once finished, e.g. a committed import)."""
        self.signals = JobSignals()
        self._cancel = threading.Event()
        self.finished = threading.Event()
        self.setAutoDelete(False)

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()

    def report(self, percent: int, text: str = "") -> None:
        if self.cancelled:
            raise Cancelled()
        self.signals.progress.emit(percent, text)

    def run(self) -> None:
        try:
            result = self.fn(self)
        except Cancelled as exc:
            self.signals.failed.emit(exc)
        except UserError as exc:
            self.signals.failed.emit(exc)
        except Exception as exc:
            log.exception("job failed")
            self.signals.failed.emit(exc)
        else:
            if self.cancelled and not self.deliver_late:
                if self.discard is not None:
                    self.discard(result)
                self.signals.failed.emit(Cancelled())
            else:
                self.signals.done.emit(result)
        finally:
            self.finished.set()


_running: set[Job] = set()


def start(
    fn: Callable[[Job], Any],
    *,
    done: Callable[[Any], None] | None = None,
    failed: Callable[[BaseException], None] | None = None,
    progress: Callable[[int, str], None] | None = None,
    discard: Callable[[Any], None] | None = None,
    deliver_late: bool = False,
) -> Job:
    """Run ``fn`` in the thread pool; callbacks are called in the GUI thread."""
    job = Job(fn, discard, deliver_late=deliver_late)
    _running.add(job)
    if progress is not None:
        job.signals.progress.connect(progress)
    if done is not None:
        job.signals.done.connect(done)
    if failed is not None:
        job.signals.failed.connect(failed)
    job.signals.done.connect(lambda _r: _running.discard(job))
    job.signals.failed.connect(lambda _e: _running.discard(job))
    QThreadPool.globalInstance().start(job)
    return job
