"""The About dialog and the application icon (pytest-qt, offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest

from evaluator import __version__
from evaluator.ui import about
from evaluator.ui.app import application

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def _places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("EVALUATOR_CONFIG_DIR", raising=False)
    application("vi")


def test_app_icon_has_every_size() -> None:
    icon = about.app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert {16, 32, 48, 256} <= sizes
    assert len(about.icon_files()) == len(about.ICON_SIZES) + 1


def test_about_shows_version_libraries_fonts_and_places(qtbot: Any, tmp_path: Path) -> None:
    dialog = about.AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    assert f"evaluator {__version__}" in dialog.title.text()
    assert not dialog.windowIcon().isNull()

    table = dialog.components
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(4)]
            for r in range(table.rowCount())}
    assert rows["Qt 6 / PySide6"][2] == "LGPL-3.0"
    assert rows["pyHanko"][2] == "MIT" and rows["ReportLab"][2] == "BSD-3-Clause"
    import reportlab

    assert rows["ReportLab"][1] == reportlab.Version  # versions of the installed libraries
    assert all(row[1] for row in rows.values())

    names = [dialog.licence_list.item(i).text() for i in range(dialog.licence_list.count())]
    assert "DejaVu-LICENSE.txt" in names and "DejaVuSans-LICENSE.txt" in names
    dialog.licence_list.setCurrentRow(names.index("DejaVu-LICENSE.txt"))
    assert "Bitstream" in dialog.licence_text.toPlainText()

    assert dialog.places["projects"] == str(tmp_path / "home" / "projects")
    assert dialog.places["logs"] == str(tmp_path / "home" / "logs")
    tabs = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert tabs == ["Thư viện", "Phông chữ", "Thư mục"]


def test_font_licences_cover_every_bundled_font() -> None:
    fonts = about.bundled_fonts()
    licences = " ".join(text for _name, text in about.font_licences())
    assert "DejaVuSans.ttf" in fonts and "DejaVuSerif.ttf" in fonts
    assert "DejaVu" in licences and "Bitstream" in licences


def test_missing_distribution_shows_a_dash() -> None:
    missing = about.Component("Nothing", "no-such-distribution-xyz", "MIT", "")
    assert about.component_version(missing) == "—"
    assert about.component_version(about.Component("Python", "", "PSF-2.0", "")).count(".") == 2


def test_long_folder_paths_keep_the_dialog_on_a_laptop_screen(qtbot: Any, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A path has no space to wrap at: shown in a label it widened the dialog past 1366 px; in a read-only
    field it scrolls, whole when copied."""
    deep = tmp_path / "home" / "a-very-long-folder-name-of-a-district-office-laptop" / ("x" * 120)
    monkeypatch.setenv("EVALUATOR_HOME", str(deep))
    dialog = about.AboutDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.tabs.setCurrentIndex(2)
    assert dialog.minimumSizeHint().width() < 900 and dialog.width() <= 1366
    from PySide6.QtWidgets import QLineEdit

    fields = [e.text() for e in dialog.findChildren(QLineEdit)]
    assert str(deep / "projects") in fields and all(e.isReadOnly() for e in dialog.findChildren(QLineEdit))


def test_what_each_library_is_for_in_one_language(qtbot: Any) -> None:
    """"giao diện / user interface" was shown in both languages at once."""
    for language, expected in (("vi", "giao diện"), ("en", "user interface")):
        application(language)
        try:
            dialog = about.AboutDialog()
            qtbot.addWidget(dialog)
            uses = {dialog.components.item(r, 0).text(): dialog.components.item(r, 3).text()
                    for r in range(dialog.components.rowCount())}
            assert uses["Qt 6 / PySide6"] == expected
            assert all(" / " not in use for use in uses.values())
            assert uses["openpyxl"] == "Excel (.xlsx)"
        finally:
            application("vi")
