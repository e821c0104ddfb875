"""Trợ giúp → Phím tắt: every key of the main window is in a menu and on the page, which is read from the
window's own actions; the workspace's keys work from its menu and from the keyboard."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from ui_helpers import Gui

from evaluator.ui.shortcuts_page import ShortcutsDialog, key_text

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def native(seq: QKeySequence) -> str:
    return seq.toString(QKeySequence.SequenceFormat.NativeText)


def menu_actions(menu: QMenu) -> list[QAction]:
    out: list[QAction] = []
    for action in menu.actions():
        sub = action.menu()
        out += menu_actions(sub) if isinstance(sub, QMenu) else [action]
    return out


def test_every_key_is_in_a_menu_and_on_the_page(gui: Gui) -> None:
    window = gui.window
    in_menus: list[QAction] = []
    for top in window.menuBar().actions():
        menu = top.menu()
        assert isinstance(menu, QMenu)
        in_menus += menu_actions(menu)
    keyed = [a for a in window.findChildren(QAction) if not a.shortcut().isEmpty()]
    shortcuts = [s for s in window.findChildren(QShortcut) if not s.key().isEmpty()]
    assert len(keyed) >= 20  # undo/redo, the views, F8, Ctrl+G, the filters…
    # every key of the main window is in a menu; a window of its own (the evidence viewer) has its keys
    # on its buttons' tips, and the page lists them under its title
    own = [a for a in keyed if isinstance(a.parent(), QWidget) and a.parent().window() is window]
    assert len(own) < len(keyed)
    missing = [a.text() for a in own if a not in in_menus]
    assert missing == [] and shortcuts == []  # every key in a menu, none hidden in a QShortcut
    page = window.shortcuts_page()
    assert isinstance(page, ShortcutsDialog)
    shown = page.shown_keys()
    for action in keyed:
        assert native(action.shortcut()) in shown, action.text()
    for needed in ("F8", "Ctrl+G", "Ctrl+Z", "Ctrl+Y", "Alt+1", "0–9", "Enter"):
        assert any(needed in k for k in shown), needed
    # the digit and Enter hints name the widgets' own keys without taking them
    hints = [a for a in in_menus if "\t" in a.text()]
    assert {key_text(a) for a in hints} >= {"0–9", "Enter"} and all(a.shortcut().isEmpty() for a in hints)
    page.close()


def test_page_lists_a_key_added_later(gui: Gui) -> None:
    """Built from the window's actions, not a second list: a new key shows up without editing the page."""
    extra = QAction("Thử phím", gui.window)
    extra.setShortcut(QKeySequence("Ctrl+Alt+K"))
    gui.window.menuBar().actions()[0].menu().addAction(extra)
    page = gui.window.shortcuts_page()
    assert native(QKeySequence("Ctrl+Alt+K")) in page.shown_keys()
    page.close()


def test_workspace_keys_from_the_menu_and_the_keyboard(gui: Gui, qtbot: Any) -> None:
    ws = gui.ws
    by_keys = {native(a.shortcut()): a for a in ws.key_actions if not a.shortcut().isEmpty()}
    by_keys["Alt+1"].trigger()  # Lọc: chưa chấm
    assert ws.filter_combo.currentData() == "unscored"
    by_keys["Alt+0"].trigger()
    assert ws.filter_combo.currentData() == "all"
    gui.window.show_view("results")
    first = ws.current_leaf()
    by_keys["Ctrl+Down"].trigger()  # from another tab: the workspace comes back and moves on
    assert gui.window.tabs.currentWidget() is ws
    assert ws.current_leaf() != first
    ws.tree.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert ws.filter_combo.currentData() == "differs"


@pytest.mark.parametrize("language", ["vi", "en"])
def test_shortcuts_page_screenshot_1366(gui: Gui, language: str, qtbot: Any) -> None:
    from pathlib import Path

    from evaluator.ui.app import application

    window = gui.window
    window.resize(1366, 768)
    try:
        if language == "en":
            window.set_language("en")  # (live: the page is read from the menus as they are now)
        page = window.shortcuts_page()
        qtbot.wait(100)
        assert page.width() <= 1366 and page.height() <= 768 - 40
        texts = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]  # type: ignore[union-attr]
        assert ("Next unscored criterion (on to the next unit)" in texts) is (language == "en")
        shots = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
        suffix = "" if language == "vi" else "-en"
        assert page.grab().save(str(shots / f"shortcuts{suffix}.png"))
        # (the workspace at 1366×768 in both languages: tests/test_ui_every_view.py, workspace-1366-*.png)
        page.close()
    finally:
        application("vi")
