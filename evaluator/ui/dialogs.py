"""Small dialogs: who is working (name, role, language); the file dialogs every window uses (they start in
the projects folder, ``paths.dialog_dir``, never in the working directory)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from evaluator import i18n
from evaluator.paths import dialog_dir
from evaluator.services.scores import ROLES
from evaluator.services.users import UserSettings
from evaluator.ui.labels import role_label


class UserDialog(QDialog):
    """Name, role and language; shown on first start and from the Settings menu."""

    def __init__(self, settings: UserSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Người sử dụng"))
        form = QFormLayout(self)
        form.addRow(QLabel(self.tr("Vai trò quyết định giai đoạn chấm điểm nào bạn được sửa.")))
        self.name = QLineEdit(settings.name)
        self.name.textChanged.connect(self._name_typed)
        form.addRow(self.tr("Họ và tên"), self.name)
        self.role = QComboBox()
        for r in ROLES:
            self.role.addItem(role_label(r), r)
        if settings.role in ROLES:
            self.role.setCurrentIndex(ROLES.index(settings.role))
        form.addRow(self.tr("Vai trò"), self.role)
        self.language = QComboBox()
        self.language.addItem("Tiếng Việt", "vi")
        self.language.addItem("English", "en")
        # the first start has no language saved yet: the one the app runs in (``--lang en``) is the choice
        language = settings.language if settings.configured else i18n.language()
        self.language.setCurrentIndex(max(0, self.language.findData(language)))
        form.addRow(self.tr("Ngôn ngữ"), self.language)  # applied at once (MainWindow.set_language)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.error = QLabel()
        self.error.setStyleSheet("color: #b71c1c")
        form.addRow(self.error)

    def _name_typed(self, text: str) -> None:
        if text.strip():
            self.error.clear()  # the request for a name is answered

    def _accept(self) -> None:
        if not self.name.text().strip():
            self.error.setText(self.tr("Nhập họ và tên."))
            return
        self.accept()

    def values(self) -> tuple[str, str, str]:
        return self.name.text().strip(), str(self.role.currentData()), str(self.language.currentData())


# --- file dialogs ------------------------------------------------------------------------------------
def start_path(given: str | Path = "") -> str:
    """Where a file dialog starts: ``given`` when it names an absolute path; a bare suggested name
    (``du-an.db``) inside the projects folder; nothing given: the projects folder itself."""
    text = str(given)
    if text and Path(text).is_absolute():
        return text
    folder = dialog_dir()
    return str(folder / text) if text else str(folder)


def open_file(parent: QWidget | None, title: str, filters: str = "", start: str | Path = "") -> str:
    """One existing file chosen by the user, or "" when cancelled."""
    return QFileDialog.getOpenFileName(parent, title, start_path(start), filters)[0]


def open_files(parent: QWidget | None, title: str, filters: str = "", start: str | Path = "") -> list[str]:
    """Existing files chosen by the user (none when cancelled)."""
    return list(QFileDialog.getOpenFileNames(parent, title, start_path(start), filters)[0])


def save_file(parent: QWidget | None, title: str, suggested: str | Path = "", filters: str = "") -> str:
    """A file name to write (the dialog asks before overwriting), or "" when cancelled."""
    return QFileDialog.getSaveFileName(parent, title, start_path(suggested), filters)[0]


def choose_folder(parent: QWidget | None, title: str, start: str | Path = "") -> str:
    """An existing folder, or "" when cancelled."""
    return QFileDialog.getExistingDirectory(parent, title, start_path(start))
