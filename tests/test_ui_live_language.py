"""Cài đặt → Ngôn ngữ applies at once (pytest-qt, offscreen, a copy of the demo project): after switching,
the main window's menus, its tabs and the open views (workspace, detail pane, evidence viewer, results,
audit log, conflicts) show English, the Edit menu's undo text and the user's line too; switching back
gives every text shown before, the unit and criterion still selected."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from typing import Any

import pytest
from PySide6.QtCore import QEvent
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QLabel, QMenu, QTableWidget, QWidget
from ui_helpers import Gui

from evaluator import i18n
from evaluator.ui.app import application
from evaluator.ui.dialogs import UserDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.I)


def shown_texts(root: QWidget) -> list[str]:
    # the widgets deleteLater leaves for the event loop (the detail pane's old inputs) are gone first
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        if isinstance(w, QLabel | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QTableWidget):
            out += [w.horizontalHeaderItem(c).text() for c in range(w.columnCount())
                    if w.horizontalHeaderItem(c) is not None]
        if hasattr(w, "placeholderText"):
            out.append(w.placeholderText())
    out += [a.text() for a in root.findChildren(QAction)]
    return out


def menu_texts(gui: Gui) -> list[str]:
    texts = []
    for top in gui.window.menuBar().actions():
        texts.append(top.text())
        menu = top.menu()
        assert isinstance(menu, QMenu)
        texts += [a.text() for a in menu.actions() if not a.isSeparator()]
    return texts


@pytest.fixture
def back_to_vietnamese() -> Any:
    yield
    application("vi")


def test_switch_to_english_and_back(gui: Gui, back_to_vietnamese: Any) -> None:
    window, ws = gui.window, gui.ws
    leaf = gui.leaf_of_kind("binary", source="appraisal")
    gui.choose(leaf, "appraisal2")
    check = gui.detail.input.check  # type: ignore[union-attr]
    assert check is not None
    check.setChecked(not check.isChecked())
    assert gui.detail.save()  # an undo step: the Edit menu names it
    assert ws.jump(leaf)
    gui.detail.evidence.viewer.show()
    before = shown_texts(window)
    menus_vi = menu_texts(gui)
    assert window.undo_action.text() == f"Hoàn tác: điểm {leaf} của SO01"

    window.set_language("en")
    assert i18n.language() == "en"
    menus = menu_texts(gui)
    assert menus[0] == i18n.text("&Tệp", "en") != "&Tệp"
    assert [t for t in menus if VIETNAMESE.search(t)] == []  # every menu and action
    assert window.undo_action.text() == f"Undo: score {leaf} of SO01"
    assert window.tabs.tabText(0) == i18n.text("Thẩm định", "en")
    assert gui.detail.save_button.text() == i18n.text("Ghi điểm (Enter)", "en")
    assert ws.filter_combo.itemText(1) == i18n.text("Chưa chấm", "en")
    assert gui.detail.evidence.viewer.fit_button.text() == "Fit width"
    assert gui.detail.evidence.attach_button.text() == i18n.text("Đính kèm…", "en")
    for view in (window.results, window.audit, window.conflicts):
        fixed = [t for w in view.findChildren(QAbstractButton) if (t := w.text())]
        assert fixed and [t for t in fixed if VIETNAMESE.search(t)] == [], type(view).__name__
    assert "User: " in window.user_label.text()
    assert ws.sheet is not None and ws.sheet.code == "SO01" and ws.current_leaf() == leaf
    english = shown_texts(window)
    # what stays Vietnamese is data (unit names, criteria, people), no text of the catalogue
    sources = set(i18n.catalogue(i18n.APP_DOMAIN, "en")._catalog)  # type: ignore[attr-defined]
    assert [t for t in english if t and t.split("\t")[0] in sources and i18n.text(t, "en") != t] == []
    assert sum(1 for t in english if VIETNAMESE.search(t)) < sum(1 for t in before if VIETNAMESE.search(t))

    window.set_language("vi")
    assert menu_texts(gui) == menus_vi
    assert window.undo_action.text() == f"Hoàn tác: điểm {leaf} của SO01"
    assert ws.current_leaf() == leaf
    after = shown_texts(window)
    assert [t for t in after if t not in before] == [] and len(after) == len(before)


def test_the_settings_dialog_switches_at_once(gui: Gui, back_to_vietnamese: Any,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(UserDialog, "exec", lambda self: 1)
    monkeypatch.setattr(UserDialog, "values", lambda self: ("Người Kiểm Thử", "committee", "en"))
    assert gui.window.edit_user()
    assert gui.ctx.settings.language == "en" and i18n.language() == "en"
    assert gui.window.menuBar().actions()[0].text() == i18n.text("&Tệp", "en")
