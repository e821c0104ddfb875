"""The window speaks one language: in English no visible text of the main window, its views and the main
dialogs is Vietnamese (data aside: units, people, the project's title); in Vietnamese Qt's own standard
buttons and the non-native file dialog are Vietnamese (pytest-qt, offscreen, the demo project)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMenuBar,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from evaluator.services.users import UserSettings
from evaluator.services.workspace import list_units
from evaluator.ui.app import build_window, install_language
from evaluator.ui.dialogs import UserDialog
from evaluator.ui.main_window import VIEWS, MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

VIETNAMESE = re.compile(
    "[ăâđêôơưĂÂĐÊÔƠƯ"
    "áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
    "ÁÀẢÃẠẤẦẨẪẬẮẰẲẴẶÉÈẺẼẸẾỀỂỄỆÍÌỈĨỊÓÒỎÕỌỐỒỔỖỘỚỜỞỠỢÚÙỦŨỤỨỪỬỮỰÝỲỶỸỴ]"
)
USER = "Nguyễn Thị Lan"


def _headers(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model's columnCount is private: one column
        columns = 1
    role = Qt.ItemDataRole.DisplayRole
    found = (model.headerData(c, Qt.Orientation.Horizontal, role) for c in range(columns))
    return [str(h) for h in found if h]


def _actions(actions: list[Any]) -> Iterator[str]:
    for action in actions:
        if action.text():
            yield action.text()
        if action.menu():
            yield from _actions(action.menu().actions())


def visible_texts(top: QWidget) -> list[tuple[str, str]]:
    """(what, text) of everything the user reads in ``top``: window titles, labels, buttons, group titles,
    tabs, placeholders, table headers, menus and actions, tooltips. Cells are data and left out."""
    found: list[tuple[str, str]] = []
    for w in [top, *top.findChildren(QWidget)]:
        if w is not top and not w.isVisibleTo(top):
            continue
        where = f"{type(w).__name__} {w.objectName()}".strip()
        if w.isWindow() and w.windowTitle():
            found.append((f"title of {where}", w.windowTitle()))
        if w.toolTip():
            found.append((f"tooltip of {where}", w.toolTip()))
        if isinstance(w, (QLabel, QAbstractButton)):
            found.append((where, w.text()))
        elif isinstance(w, QGroupBox):
            found.append((where, w.title()))
        elif isinstance(w, QLineEdit):
            found.append((f"placeholder of {where}", w.placeholderText()))
        elif isinstance(w, QTabWidget):
            found += [(f"tab of {where}", w.tabText(i)) for i in range(w.count())]
        elif isinstance(w, (QMenuBar, QMenu)):
            found += [(f"action of {where}", t) for t in _actions(w.actions())]
        if isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):
            found += [(f"header of {where}", h) for h in _headers(w)]
    return [(what, text) for what, text in found if text]


def vietnamese_in(top: QWidget, data: list[str]) -> list[str]:
    """The texts still Vietnamese once the data they show (longest first) is taken out."""
    data = sorted(data, key=len, reverse=True)
    left = []
    for what, text in visible_texts(top):
        rest = text
        for value in data:
            rest = rest.replace(value, "")
        if VIETNAMESE.search(rest):
            left.append(f"{what}: {text!r}")
    return left


@pytest.fixture
def english(qapp: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    assert install_language(qapp, "en")
    try:
        yield
    finally:
        install_language(qapp, "vi")


def _open(db: Path, qtbot: Any, language: str) -> MainWindow:
    ctx, window = build_window(UserSettings(name=USER, role="leader", device_id="t", language=language),
                               persist=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_project(str(db))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    return window


@pytest.mark.slow  # about 5 s: every view and dialog is opened
def test_english_window_and_dialogs_show_no_vietnamese(
    english: None, demo_copy: Path, qtbot: Any, tmp_path: Path
) -> None:
    window = _open(demo_copy, qtbot, "en")
    ctx = window.ctx
    units = ctx.read(lambda s: [u.name for u in list_units(s, 2024)])
    # data: the project's title (in the window title and status bar), the person working, unit names
    title = window.project_label.text().rsplit(" — ", 1)[0]
    data = [title, USER, str(demo_copy), *units]
    problems: list[str] = []
    window.show_view("workspace")
    qtbot.waitUntil(lambda: window.workspace.units.topLevelItemCount() > 0, timeout=20_000)
    problems += vietnamese_in(window, data)
    shown = [text for _what, text in visible_texts(window)]
    assert {"Appraisal", "&Reports", "Unit", "Criterion"} <= set(shown)  # English is really shown
    for view in VIEWS[1:]:
        window.show_view(view)
        qtbot.wait(50)
        problems += [f"{view}: {p}" for p in vietnamese_in(window, data)]

    user = UserDialog(ctx.settings, window)
    qtbot.addWidget(user)
    user.show()
    # the language offered is named in its own language
    problems += [f"user: {p}" for p in vietnamese_in(user, [*data, "Tiếng Việt"])]

    centre = window.import_centre([str(tmp_path / "missing.cchc")])
    assert centre is not None
    qtbot.addWidget(centre)
    # a refused import: the verdict is the window's; the log under it is the services' report
    qtbot.waitUntil(lambda: centre.job is None and bool(centre.verdict.text()), timeout=30_000)
    problems += [f"import: {p}" for p in vietnamese_in(centre, [*data, str(tmp_path)])]
    for kind in ("survey", "external"):
        centre.set_kind(kind)
        problems += [f"import {kind}: {p}" for p in vietnamese_in(centre, [*data, str(tmp_path)])]
    centre.close()

    dialogs: list[tuple[str, Any]] = [
        ("export", window.export_dialog),
        ("backup", window.backup_dialog),
        ("sign", window.sign_dialog),
        ("verify", window.verify_dialog),
        ("report setup", window.report_setup_dialog),
        *((f"report {doc}", lambda doc=doc: window.report_dialog(doc))
          for doc in ("appraisal", "self", "publication", "decision", "analysis", "appraisal_xlsx",
                      "results_xlsx")),
    ]
    for name, open_dialog in dialogs:
        dialog = open_dialog()
        assert dialog is not None, name
        qtbot.addWidget(dialog)
        qtbot.wait(20)
        # the report setup's placeholders are what the (Vietnamese) documents print when a field is empty
        skip = [e.placeholderText() for e in dialog.findChildren(QLineEdit)] if name == "report setup" else []
        problems += [f"{name}: {p}" for p in vietnamese_in(dialog, [*data, *skip])]
        dialog.close()
    box = QMessageBox(QMessageBox.Icon.Question, "?", "?", _ALL_BUTTONS, window)
    qtbot.addWidget(box)
    box.show()
    problems += [f"message box: {p}" for p in vietnamese_in(box, [])]
    box.close()
    window.close()
    assert not problems, "\n".join(problems)


_ALL_BUTTONS = QMessageBox.StandardButton.NoButton
for _b in (
    "Ok", "Save", "SaveAll", "Open", "Yes", "YesToAll", "No", "NoToAll", "Abort", "Retry", "Ignore", "Close",
    "Cancel", "Discard", "Help", "Apply", "Reset", "RestoreDefaults",
):
    _ALL_BUTTONS |= getattr(QMessageBox.StandardButton, _b)


def test_vietnamese_standard_buttons_and_file_dialog(qapp: Any, qtbot: Any, tmp_path: Path) -> None:
    install_language(qapp, "vi")
    box = QDialogButtonBox(QDialogButtonBox.StandardButton(_ALL_BUTTONS.value))
    qtbot.addWidget(box)
    texts = [b.text() for b in box.buttons()]
    assert len(texts) == 18
    english = [t for t in texts if not VIETNAMESE.search(t)]
    assert not english, english
    message = QMessageBox(QMessageBox.Icon.Warning, "t", "x", _ALL_BUTTONS)
    qtbot.addWidget(message)
    assert all(VIETNAMESE.search(b.text()) for b in message.buttons())

    (tmp_path / "folder").mkdir()
    (tmp_path / "a.cchc").write_bytes(b"x")
    for mode in ("open", "save", "folder"):
        dialog = QFileDialog(None, "t", str(tmp_path))
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        if mode == "save":
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        elif mode == "folder":
            dialog.setFileMode(QFileDialog.FileMode.Directory)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.wait(100)  # the file system model fills the list (the Type column) off the GUI thread
        left = [
            f"{what}: {text!r}"
            for what, text in visible_texts(dialog)
            # a label, button, header or tooltip of Qt's; the window title is ours and the rest shows paths
            if not what.startswith("title") and not what.startswith("placeholder")
            and not VIETNAMESE.search(text) and any(ch.isalpha() for ch in text)
        ]
        assert not left, f"{mode}: {left}"
        files = dialog.findChild(QAbstractItemView, "listView")
        model, root = files.model(), files.rootIndex()
        types = {model.index(r, 2, root).data() for r in range(model.rowCount(root))}
        assert "Folder" not in types and "Thư mục" in types  # the Type column of folders
        dialog.close()


def test_user_dialog_and_new_year_wizard_speak_vietnamese(window: MainWindow, qtbot: Any) -> None:
    """The language field no longer asks for a restart (the switch is live), and the new-year wizard's
    Back/Next/Cancel are Vietnamese (Qt's own words are not in the catalogue: they were English)."""
    from PySide6.QtWidgets import QFormLayout, QWizard

    user = UserDialog(window.ctx.settings, window)
    qtbot.addWidget(user)
    form = user.layout()
    assert isinstance(form, QFormLayout)
    label = form.labelForField(user.language)
    assert isinstance(label, QLabel) and label.text() == "Ngôn ngữ"
    wizard = window.new_year_wizard()
    assert wizard is not None
    qtbot.addWidget(wizard)
    W = QWizard.WizardButton
    texts = [wizard.button(b).text().replace("&", "") for b in (W.BackButton, W.NextButton, W.CancelButton)]
    assert texts == ["< Quay lại", "Tiếp >", "Huỷ"]
    wizard.close()
