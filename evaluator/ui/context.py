"""The application's state and its one path for changes (Anki's operations + hooks).

``AppContext`` owns the open project, the user settings, the undo history and the ``changed`` signal.
Views call ``ctx.edit_score(...)`` / ``ctx.run(...)``; the service's ``Change`` is emitted once and every
view decides what to refresh from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.models import Project, ProjectBusy
from evaluator.services import history as history_service
from evaluator.services.changes import Change
from evaluator.services.users import UserSettings, save_settings

T = TypeVar("T")


class AppContext(QObject):
    changed = Signal(object)
    """A ``Change`` from a service call (emitted in the GUI thread, once per call)."""
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

    def set_busy(self, task: str) -> None:
        """A worker is writing to the project (``task`` names it) or has finished (``""``).

        Meanwhile ``run`` refuses at once: waiting for the worker's write lock would freeze the window.
        """
        self.busy = task
        self.busy_changed.emit(task)

    # --- project -----------------------------------------------------------------------------
    def set_project(self, project: Project | None) -> None:
        if self.project is not None and self.project is not project:
            self.project.close()
        self.project = project
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

    # --- changes -------------------------------------------------------------------------------
    @property
    def who(self) -> dict[str, str]:
        return {
            "author": self.settings.name,
            "role": self.settings.role,
            "device_id": self.settings.device_id,
        }

    def run(self, fn: Callable[[Session], Change]) -> Change:
        """Run a changing service call in one transaction and announce its ``Change``.

        ``UserError`` (nothing written) while a worker or another program is writing to the project.
        """
        assert self.project is not None, "no project open"
        if self.busy:
            raise UserError(self.tr("Đang %1: thay đổi này chưa được lưu. Hãy thử lại khi xong.")
                            .replace("%1", self.busy))
        try:
            with self.project.session(write=True) as session:
                change = fn(session)
        except ProjectBusy as exc:
            raise UserError(self.tr("Dự án đang được một chương trình khác ghi: thay đổi này chưa được lưu. "
                                    "Hãy thử lại sau.")) from exc
        if not change.empty:
            self.changed.emit(change)
        return change

    def edit_score(self, assessment_id: Any, leaf: str, stage: str, **kwargs: Any) -> Change:
        """The one path of a score edit from the GUI: ``set_score`` with undo information."""
        change = self.run(lambda s: self.history.edit(s, assessment_id, leaf, stage, **self.who, **kwargs))
        self.history_changed.emit()
        return change

    def undo(self) -> Change:
        change = self.run(lambda s: self.history.undo(s, **self.who))
        self.history_changed.emit()
        return change

    def redo(self) -> Change:
        change = self.run(lambda s: self.history.redo(s, **self.who))
        self.history_changed.emit()
        return change
