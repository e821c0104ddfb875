"""The application's state and its one path for changes (Anki's operations + hooks).

``AppContext`` owns the open project, the user settings, the undo history and the ``changed`` signal.
Views call ``ctx.edit_score(...)`` / ``ctx.run(...)`` for quick edits, and ``ui.operations.WriteOp`` for
long writes (imports); either way the service's ``Change`` is emitted once, with the object that caused it
(``initiator``), and every view decides what to refresh from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Signal
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.models import Project, ProjectBusy
from evaluator.services import history as history_service
from evaluator.services.changes import Change
from evaluator.services.users import Actor, UserSettings, Who, actor_in, save_settings

T = TypeVar("T")


class AppContext(QObject):
    changed = Signal(object, object)
    """``(change, initiator)``: a ``Change`` from a service call (emitted in the GUI thread, once per
    call) and the object that asked for it (``None`` when not said), so a view can tell its own change."""
    project_opened = Signal(object)
    user_changed = Signal()
    history_changed = Signal()
    busy_changed = Signal(str)
    """What long task is writing to the project (e.g. an import), or "" when none is."""

    def __init__(self, settings: UserSettings, *, persist: bool = True):
        super().__init__()
        self.settings = settings
        self.persist = persist
        self.project: Project | None = None
        self.history = history_service.History()
        self.busy = ""
        self._writes: list[str] = []
        """The writes queued or running on the writer thread (``ui.operations.WriteOp``), oldest first."""
        self.actor = Actor()
        """Who is acting in the open project (see ``services.users.Actor``)."""

    def set_busy(self, task: str) -> None:
        """A worker is writing to the project (``task`` names it) or has finished (``""``).

        Meanwhile ``run`` holds a quick edit until the writes are done (see ``_after_writes``).
        """
        self.busy = task
        self.busy_changed.emit(task)

    def write_started(self, task: str) -> None:
        """A ``WriteOp`` was queued (GUI thread): ``busy`` names the oldest write until all are done."""
        self._writes.append(task)
        self.set_busy(self._writes[0])

    def write_ended(self, task: str) -> None:
        if task in self._writes:
            self._writes.remove(task)
        self.set_busy(self._writes[0] if self._writes else "")

    # --- project -----------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        if self.project is not None and self.project is not project:
            self.project.close()
        self.project = project
        self.actor = self._actor_of(project)
        self.history.forget()
        self.history_changed.emit()
        if project is not None and project.path is not None:
            self.settings.remember(project.path)
            self.save_settings()
        self.project_opened.emit(project)

    def save_settings(self) -> None:
        if self.persist:
            save_settings(self.settings)

    def read(self, fn: Callable[[Session], T]) -> T:
        """Run a read-only service function in a session."""
        assert self.project is not None, "no project open"
        with self.project.session() as session:
            return fn(session)

    def _actor_of(self, project: Project | None) -> Actor:
        if project is None:
            return Actor(self.settings.name, self.settings.role)
        try:
            with project.session() as session:  # the device row is written (committed) on first use
                return actor_in(session, self.settings.name, self.settings.role)
        except (ProjectBusy, OperationalError):  # another program writes: ask again at the next edit
            return Actor(self.settings.name, self.settings.role)
        except UserError as exc:  # a read-only server login may not add its device: it reads all the same
            if exc.code != "server.not_allowed":
                raise
            return Actor(self.settings.name, self.settings.role)

    # --- changes -------------------------------------------------------------------------------
    @property
    def who(self) -> Who:
        """The actor as service keywords: the user's name and role now (they may be edited while the
        project is open), the project's device for this computer (see ``services.users.Actor``)."""
        if not self.actor.device_id and self.project is not None:
            self.actor = self._actor_of(self.project)
        return Actor(self.settings.name, self.settings.role, self.actor.device_id).who

    def run(self, fn: Callable[[Session], Change], *, initiator: object | None = None) -> Change:
        """Run a changing service call in one transaction and announce its ``Change``.

        While a worker writes (an import) the call waits for it, the window alive; ``UserError`` (nothing
        written) when another program is writing to the project.
        """
        assert self.project is not None, "no project open"
        self._after_writes()
        if self.project is None:  # closed while the edit waited
            raise UserError(self.tr("Dự án đã đóng: thay đổi này chưa được lưu."))
        try:
            with self.project.session(write=True) as session:
                change = fn(session)
        except ProjectBusy as exc:
            raise UserError(self.tr("Dự án đang được một chương trình khác ghi: thay đổi này chưa được lưu. "
                                    "Hãy thử lại sau.")) from exc
        if not change.empty:
            self.changed.emit(change, initiator)
        return change

    def _after_writes(self) -> None:
        """Hold a quick edit until the writes queued on the writer thread (``ui.operations.WriteOp``) are
        done. Writes run one at a time, queued, not refused (issue #11); taking the write lock here would
        freeze the window for the whole import, so the GUI thread keeps handling events in a local loop
        meanwhile (the status bar names what is being written) and the edit, with its arguments and the
        exceptions its caller handles (a reason asked for), then runs as if nothing had been writing."""
        if not self.busy:
            return
        loop = QEventLoop()

        def ended(task: str) -> None:
            if not task:
                loop.quit()

        self.busy_changed.connect(ended)
        try:
            if self.busy:  # a write may have ended in between
                loop.exec()
        finally:
            self.busy_changed.disconnect(ended)

    def edit_score(self, assessment_id: Any, leaf: str, stage: str, *, initiator: object | None = None,
                   **kwargs: Any) -> Change:
        """The one path of a score edit from the GUI: ``set_score`` with undo information."""
        change = self.run(lambda s: self.history.edit(s, assessment_id, leaf, stage, **self.who, **kwargs),
                          initiator=initiator)
        self.history_changed.emit()
        return change

    def recorded(self, fn: Callable[[Session], Change], *, initiator: object | None = None) -> Change:
        """``run`` a call that records its own undo step in ``history`` (e.g. ``history.attach``)."""
        try:
            return self.run(fn, initiator=initiator)
        finally:
            self.history_changed.emit()

    def _store(self) -> Any:
        return self.project.evidence if self.project is not None else None

    def undo(self) -> Change:
        store = self._store()
        change = self.run(lambda s: self.history.undo(s, store=store, **self.who))
        self.history_changed.emit()
        return change

    def redo(self) -> Change:
        store = self._store()
        change = self.run(lambda s: self.history.redo(s, store=store, **self.who))
        self.history_changed.emit()
        return change
