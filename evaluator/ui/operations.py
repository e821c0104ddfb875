"""The one path of a GUI operation off the GUI thread (after Anki's ``aqt.operations``: ``CollectionOp`` /
``QueryOp``, and calibre's ``threaded_jobs``: an abort flag and ``(fraction, message)`` notifications).

API (other dialogs adopt it; keep it stable)::

    op = WriteOp(parent, fn, ctx=ctx, busy="nhập dữ liệu", initiator=self)   # or ReadOp(parent, fn)
    op.success(lambda result: ...)        # optional; GUI thread
    op.failure(lambda exc: ...)           # optional; GUI thread; default: ``show_error(parent, exc)``
    op.cancelled(lambda: ...)             # optional; GUI thread, after ``job.cancel()`` took effect
    op.progress(lambda fraction, message: ...)   # optional; GUI thread
    job = op.run()                        # a ``Job``: job.cancel(), job.finished (threading.Event)

- ``fn(job) -> result`` runs in a worker thread. ``job.progress`` is a ``services.progress.Reporter``:
  pass it to a service as its ``progress`` callable; it forwards ``(fraction, message)`` to the GUI
  and raises ``Cancelled`` at the next call once the user cancelled (``job.check()`` does the same).
- ``WriteOp``: writes run one at a time on ONE writer thread, in the order submitted (a second write
  waits in the queue; it is not refused). While writes are queued or running ``ctx.busy`` names them, and
  quick edits on the GUI thread (``ctx.run``) wait for them in a local event loop (the window stays alive)
  rather than on the write lock.
- ``ReadOp``: reads (rendering, computing results, exporting) in the shared thread pool.
- A result that is a ``Change`` or carries one (``result.change``, as every import result does) is
  broadcast once through ``ctx.changed`` with the op's ``initiator``, so a view can tell its own change.
- Errors: a ``UserError`` is the user's message; any other exception is logged with its traceback
  (``logging``, to the log file of ``evaluator.logsetup``) and shown as a short message naming the
  log file (``error_text``). ``show_error`` is the one dialog that shows them.
- ``discard(result)``: called in the worker with a result nobody will receive (cancelled after ``fn``
  returned), e.g. to close a project that finished opening after the user gave up. ``deliver_late``: a
  cancel after ``fn`` returned is too late (a committed import): the result is delivered as success.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from evaluator.errors import UserError
from evaluator.services.changes import Change
from evaluator.services.progress import Cancelled, Reporter

if TYPE_CHECKING:
    from evaluator.ui.context import AppContext

log = logging.getLogger("evaluator.ui")
T = TypeVar("T")

_writer = QThreadPool()
_writer.setMaxThreadCount(1)  # the one writer thread: SQLite has one writer anyway; queue, don't refuse
_running: set[Job] = set()
"""Jobs submitted and not yet delivered (kept alive here; ``idle()`` waits for them)."""


def _tr(text: str) -> str:
    return QCoreApplication.translate("operations", text)


def log_file() -> Path | None:
    """The log file that ``logsetup.configure_logging`` set up, if any."""
    for handler in logging.getLogger().handlers:
        name = getattr(handler, "baseFilename", None)
        if name:
            return Path(name)
    return None


def error_text(exc: BaseException) -> str:
    """What the user reads about a failure: a ``UserError``'s own message; for anything else a short
    message and where the details are (the traceback was logged when the job failed)."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, Cancelled):
        return _tr("Đã huỷ.")
    where = log_file()
    text = _tr("Lỗi ngoài dự kiến: %1.").replace("%1", type(exc).__name__)
    if where is not None:
        text += " " + _tr("Chi tiết có trong tệp nhật ký %1").replace("%1", str(where))
    return text


def show_error(parent: QWidget | None, exc: BaseException) -> QMessageBox:
    """The one dialog that shows an operation's failure (window-modal, does not block the caller)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning if isinstance(exc, UserError) else QMessageBox.Icon.Critical)
    box.setWindowTitle(_tr("Không thực hiện được"))
    box.setText(error_text(exc))
    box.setObjectName("operation-error")
    box.open()
    return box


def _alive(cb: Callable[..., Any] | None) -> bool:
    """Whether a callback may still be called: a widget's bound method is not once Qt deleted the widget
    (the job outlived it, e.g. a page rendered after its preview was closed)."""
    if cb is None:
        return False
    owner = getattr(cb, "__self__", None)
    return not isinstance(owner, QObject) or shiboken6.isValid(owner)


def change_of(result: Any) -> Change | None:
    """The ``Change`` a result is or carries (``result.change``), else ``None``."""
    if isinstance(result, Change):
        return result
    change = getattr(result, "change", None)
    return change if isinstance(change, Change) else None


class _Signals(QObject):
    progress = Signal(float, str)
    done = Signal(object)
    failed = Signal(object)


class Job(QRunnable):
    """One submitted operation: runs ``fn(job)`` in a worker; results reach the GUI thread by signals."""

    def __init__(self, fn: Callable[[Job], Any], *, discard: Callable[[Any], None] | None,
                 deliver_late: bool):
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.discard = discard
        self.deliver_late = deliver_late
        self.signals = _Signals()
        self.progress = Reporter(self.signals.progress.emit)
        self.op: Any = None
        self.finished = threading.Event()
        """Set in the worker once ``fn`` returned or raised."""

    @property
    def abort(self) -> threading.Event:
        return self.progress.abort

    @property
    def cancelled(self) -> bool:
        return self.progress.aborted

    def cancel(self) -> None:
        """Ask the job to stop at its next progress report (the flag the service checks)."""
        self.progress.abort.set()

    def check(self) -> None:
        self.progress.check()

    def run(self) -> None:
        try:
            done, outcome = self._outcome()
        finally:
            # set before the outcome is delivered: a slot that receives it may rely on the job being over
            # (it was set after the emit, and a quick GUI thread ran the slot first)
            self.finished.set()
        (self.signals.done if done else self.signals.failed).emit(outcome)

    def _outcome(self) -> tuple[bool, Any]:
        """(True, the result) or (False, the exception to report)."""
        try:
            result = self.fn(self)
        except Cancelled as exc:
            return False, exc
        except UserError as exc:
            log.info("operation refused: %s", exc)
            return False, exc
        except Exception as exc:
            log.exception("operation failed")  # the traceback goes to the log file, once
            return False, exc
        if self.cancelled and not self.deliver_late:
            if self.discard is not None:
                self.discard(result)
            return False, Cancelled()
        return True, result


class _Op(QObject, Generic[T]):
    """An operation; a QObject of the GUI thread, so the job's signals reach its slots there (queued)."""

    _pool: QThreadPool | None = None

    def __init__(self, parent: QWidget | None, fn: Callable[[Job], T], *, ctx: AppContext | None = None,
                 initiator: object | None = None, discard: Callable[[Any], None] | None = None,
                 deliver_late: bool = False):
        super().__init__()
        self.widget = parent
        self.job: Job | None = None
        self.fn = fn
        self.ctx = ctx
        self.initiator = initiator
        self.discard = discard
        self.deliver_late = deliver_late
        self._success: Callable[[T], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None
        self._cancelled: Callable[[], None] | None = None
        self._progress: Callable[[float, str], None] | None = None

    def success(self, cb: Callable[[T], None]) -> _Op[T]:
        self._success = cb
        return self

    def failure(self, cb: Callable[[BaseException], None]) -> _Op[T]:
        self._failure = cb
        return self

    def cancelled(self, cb: Callable[[], None]) -> _Op[T]:
        self._cancelled = cb
        return self

    def progress(self, cb: Callable[[float, str], None]) -> _Op[T]:
        self._progress = cb
        return self

    def _begin(self) -> None:
        """Before submitting (GUI thread)."""

    def _end(self) -> None:
        """After delivering (GUI thread)."""

    def run(self) -> Job:
        job = Job(self.fn, discard=self.discard, deliver_late=self.deliver_late)
        job.op = self  # the op lives as long as its job is running
        self.job = job
        _running.add(job)
        job.signals.progress.connect(self._on_progress)
        job.signals.done.connect(self._deliver)
        job.signals.failed.connect(self._fail)
        self._begin()
        (self._pool or QThreadPool.globalInstance()).start(job)
        return job

    def _on_progress(self, fraction: float, message: str) -> None:
        if self._progress is not None and _alive(self._progress):
            self._progress(fraction, message)

    def _deliver(self, result: Any) -> None:
        _running.discard(self.job)
        self._end()
        change = change_of(result)
        if self.ctx is not None and change is not None and not change.empty:
            self.ctx.changed.emit(change, self.initiator)  # once, before the caller's own follow-up
        if self._success is not None and _alive(self._success):
            self._success(result)

    def _fail(self, exc: BaseException) -> None:
        _running.discard(self.job)
        self._end()
        if isinstance(exc, Cancelled):
            if self._cancelled is not None:
                if _alive(self._cancelled):
                    self._cancelled()
            elif self._failure is not None and _alive(self._failure):
                self._failure(exc)
            return
        if self._failure is not None:
            if _alive(self._failure):
                self._failure(exc)
        else:
            widget = self.widget if self.widget is not None and shiboken6.isValid(self.widget) else None
            show_error(widget, exc)


class ReadOp(_Op[T]):
    """A read (or any work that does not write to the project) in the shared thread pool."""


class WriteOp(_Op[T]):
    """A write to the project, run after every write submitted before it, on the one writer thread.

    ``busy`` names the write for ``ctx.busy`` (the status bar; ``ctx.run`` waits for it) while it is
    queued or running."""

    _pool = _writer

    def __init__(self, parent: QWidget | None, fn: Callable[[Job], T], *, ctx: AppContext | None = None,
                 busy: str = "", **kwargs: Any):
        super().__init__(parent, fn, ctx=ctx, **kwargs)
        self.busy = busy or _tr("ghi vào dự án")

    def _begin(self) -> None:
        if self.ctx is not None:
            self.ctx.write_started(self.busy)

    def _end(self) -> None:
        if self.ctx is not None:
            self.ctx.write_ended(self.busy)


def idle() -> bool:
    """Whether every submitted operation has been delivered."""
    return not _running
