"""The application icon and the "About" dialog (Giới thiệu): version, where the user's files are, the
licences of the bundled fonts and of the main libraries.

Hook-up (two lines, in the menus and at start-up):

- ``MainWindow._menus``: ``help_menu = bar.addMenu(self.tr("&Trợ giúp"))`` then
  ``self._action(help_menu, self.tr("Giới thiệu…"), lambda: show_about(self))``;
- ``ui.app.application``: ``app.setWindowIcon(app_icon())`` (every window then has the icon).
"""

from __future__ import annotations

import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator import __version__, i18n
from evaluator.resources import resource

ICON_SIZES = (16, 24, 32, 48, 64, 128)


@dataclass(frozen=True)
class Component:
    name: str
    distribution: str  # for the installed version (importlib.metadata)
    licence: str
    use: str
    """What it is used for, "Vietnamese / English" (a name such as "Excel (.xlsx)" alone)."""

    def use_in(self, language: str) -> str:
        vi, _sep, en = self.use.partition(" / ")
        return (en or vi) if language == "en" else vi


# The main libraries the app (and its frozen bundle) ships, with their licences.
COMPONENTS = (
    Component("Qt 6 / PySide6", "PySide6-Essentials", "LGPL-3.0", "giao diện / user interface"),
    Component("SQLAlchemy", "SQLAlchemy", "MIT", "cơ sở dữ liệu / database"),
    Component("Alembic", "alembic", "MIT", "nâng cấp tệp dự án / project migrations"),
    Component("pandas", "pandas", "BSD-3-Clause", "bảng dữ liệu / tables"),
    Component("NumPy", "numpy", "BSD-3-Clause", "tính toán / computation"),
    Component("openpyxl", "openpyxl", "MIT", "Excel (.xlsx)"),
    Component("python-calamine", "python-calamine", "MIT", "đọc Excel nhanh / fast Excel reading"),
    Component("ReportLab", "reportlab", "BSD-3-Clause", "văn bản PDF / PDF documents"),
    Component("rl-accel", "rl_accel", "BSD-3-Clause", "phần C của ReportLab / ReportLab C helpers"),
    Component("pyHanko", "pyHanko", "MIT", "chữ ký số PAdES / PAdES signatures"),
    Component("pyhanko-certvalidator", "pyhanko-certvalidator", "MIT", "kiểm tra chứng thư / certificates"),
    Component("python-pkcs11", "python-pkcs11", "MIT", "USB token (PKCS#11)"),
    Component("cryptography", "cryptography", "Apache-2.0 OR BSD-3-Clause", "mật mã / cryptography"),
    Component("asn1crypto", "asn1crypto", "MIT", "ASN.1"),
    Component("PyYAML", "PyYAML", "MIT", "bộ tiêu chí / criteria sets"),
    Component("platformdirs", "platformdirs", "MIT", "thư mục chuẩn / standard folders"),
    Component("Python", "", "PSF-2.0", "ngôn ngữ / language runtime"),
)


def icon_files() -> list[Path]:
    """The PNG icons in ``resources/icons`` (those that exist), smallest first, then the 256 px one."""
    icons = [resource("icons", f"evaluator-{size}.png") for size in ICON_SIZES]
    icons.append(resource("icons", "evaluator.png"))
    return [p for p in icons if p.is_file()]


def app_icon() -> QIcon:
    """The application icon, from PNGs (no SVG plugin needed); an empty icon if they are missing."""
    icon = QIcon()
    for path in icon_files():
        icon.addFile(str(path))
    return icon


def component_version(component: Component) -> str:
    if not component.distribution:
        return platform.python_version()
    try:
        return metadata.version(component.distribution)
    except metadata.PackageNotFoundError:
        return "—"


def font_licences() -> list[tuple[str, str]]:
    """(file name, text) of every font licence in ``resources/fonts``."""
    folder = resource("fonts")
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if "LICENSE" in path.name.upper() and path.is_file():
            found.append((path.name, path.read_text(encoding="utf-8", errors="replace")))
    return found


def bundled_fonts() -> list[str]:
    folder = resource("fonts")
    return sorted(p.name for p in folder.glob("*.ttf")) if folder.is_dir() else []


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Giới thiệu evaluator"))
        self.setWindowIcon(app_icon())
        self.resize(720, 520)
        layout = QVBoxLayout(self)

        head = QHBoxLayout()
        logo = QLabel()
        logo.setPixmap(app_icon().pixmap(64, 64))
        head.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        frozen = getattr(sys, "frozen", False)
        self.title = QLabel(
            f"<h2>evaluator {__version__}</h2>"
            + self.tr("Thẩm định Chỉ số cải cách hành chính (Chỉ số CCHC / PAR Index) của tỉnh.")
            + "<br>"
            + self.tr("Python {0}, Qt {1}, {2}").format(
                platform.python_version(), _qt_version(), platform.platform(terse=True)
            )
            + ("<br>" + self.tr("Bản đóng gói (không cần cài Python)") if frozen else "")
        )
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title.setWordWrap(True)
        head.addWidget(self.title, 1)
        layout.addLayout(head)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._components_tab(), self.tr("Thư viện"))
        self.tabs.addTab(self._fonts_tab(), self.tr("Phông chữ"))
        self.tabs.addTab(self._places_tab(), self.tr("Thư mục"))
        layout.addWidget(self.tabs, 1)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)

    def _components_tab(self) -> QWidget:
        self.components = QTableWidget(len(COMPONENTS), 4)
        self.components.setHorizontalHeaderLabels(
            [self.tr("Thành phần"), self.tr("Phiên bản"), self.tr("Giấy phép"), self.tr("Dùng cho")]
        )
        for row, component in enumerate(COMPONENTS):
            values = (component.name, component_version(component), component.licence,
                      component.use_in(i18n.language()))  # one language, not both
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.components.setItem(row, column, item)
        self.components.verticalHeader().setVisible(False)
        self.components.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.components.horizontalHeader().setStretchLastSection(True)
        return self.components

    def _fonts_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        fonts = bundled_fonts()
        bundled = QLabel(self.tr("Phông chữ kèm theo: ") + (", ".join(fonts) or "—"))
        bundled.setWordWrap(True)  # a dozen file names: one line was wider than a laptop screen
        layout.addWidget(bundled)
        self.licence_list = QListWidget()
        self.licence_text = QPlainTextEdit()
        self.licence_text.setReadOnly(True)
        self._licences = font_licences()
        for name, _text in self._licences:
            self.licence_list.addItem(name)
        self.licence_list.currentRowChanged.connect(self._show_licence)
        row = QHBoxLayout()
        self.licence_list.setMaximumWidth(220)
        row.addWidget(self.licence_list)
        row.addWidget(self.licence_text, 1)
        layout.addLayout(row, 1)
        if self._licences:
            self.licence_list.setCurrentRow(0)
        return page

    def _show_licence(self, row: int) -> None:
        self.licence_text.setPlainText(self._licences[row][1] if 0 <= row < len(self._licences) else "")

    def _places_tab(self) -> QWidget:
        from evaluator.paths import places

        page = QWidget()
        layout = QVBoxLayout(page)
        labels = {
            "projects": self.tr("Dự án"),
            "config": self.tr("Cài đặt"),
            "logs": self.tr("Nhật ký chương trình (gửi kèm khi cần hỗ trợ)"),
            "backups": self.tr("Bản sao lưu"),
            "cache": self.tr("Bộ nhớ đệm (dự án mẫu)"),
        }
        self.places = places().as_dict()
        for key, path in self.places.items():
            layout.addWidget(QLabel(f"<b>{labels[key]}</b>"))
            line = QHBoxLayout()
            # a path has no spaces to wrap at: a read-only field shows it whole when wide enough, scrolls it
            # when not (the dialog keeps its width), and copies it exactly
            shown = QLineEdit(path)
            shown.setReadOnly(True)
            shown.setCursorPosition(0)
            line.addWidget(shown, 1)
            button = QPushButton(self.tr("Mở"))
            button.clicked.connect(lambda _checked=False, p=path: _open_folder(p))
            line.addWidget(button)
            layout.addLayout(line)
        layout.addStretch(1)
        return page


def _open_folder(path: str) -> None:
    from PySide6.QtCore import QUrl

    folder = Path(path)
    folder.mkdir(parents=True, exist_ok=True)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def _qt_version() -> str:
    from PySide6.QtCore import qVersion

    return qVersion()


def show_about(parent: QWidget | None = None) -> int:
    dialog = AboutDialog(parent)
    return dialog.exec()


__all__ = ["COMPONENTS", "AboutDialog", "app_icon", "font_licences", "show_about"]
