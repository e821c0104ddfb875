"""Trợ giúp → Phím tắt: every key of the main window, read from the window's own actions (its menus first,
then any action or ``QShortcut`` outside a menu), so the page cannot drift from what the keys do."""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


def key_text(action: QAction) -> str:
    """The keys shown for an action: its shortcut, or the hint after a tab in its text (keys a widget
    handles itself, such as a digit typed in the criteria tree)."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    if keys:
        return keys
    text = action.text()
    return text.split("\t", 1)[1] if "\t" in text else ""


def plain(text: str) -> str:
    """A menu text without its mnemonic, its "…" or its key hint."""
    return text.split("\t", 1)[0].replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def shortcut_rows(window: QWidget) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every action with keys in ``window``'s menus, then every other action or
    ``QShortcut`` of the window that has keys (menu: "")."""
    rows: list[tuple[str, str, str]] = []
    seen: set[int] = set()

    def walk(menu: QMenu, path: str) -> None:
        for action in menu.actions():
            sub = action.menu()
            if isinstance(sub, QMenu):
                walk(sub, f"{path} → {plain(action.text())}")
                continue
            keys = key_text(action)
            if keys and not action.isSeparator():
                seen.add(id(action))
                rows.append((path, plain(action.text()), keys))

    bar = getattr(window, "menuBar", None)
    if bar is not None:
        for top in bar().actions():
            menu = top.menu()
            if isinstance(menu, QMenu):
                walk(menu, plain(top.text()))
    for action in window.findChildren(QAction):
        keys = key_text(action)
        if keys and id(action) not in seen:
            rows.append((_place(action, window), plain(action.text()), keys))
    for shortcut in window.findChildren(QShortcut):
        keys = shortcut.key().toString(QKeySequence.SequenceFormat.NativeText)
        if keys:
            rows.append((_place(shortcut, window), shortcut.whatsThis(), keys))
    return rows


def _place(obj: QObject, window: QWidget) -> str:
    """Where a key outside the menus works: the title of its own window (the evidence viewer), or ""."""
    parent = obj.parent()
    own = parent.window() if isinstance(parent, QWidget) else window
    return "" if own is window else own.windowTitle().split(" — ")[0]


class ShortcutsDialog(QDialog):
    def __init__(self, window: QWidget):
        super().__init__(window)
        self.setWindowTitle(self.tr("Phím tắt"))
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("Mọi phím tắt của chương trình, theo trình đơn chứa chúng."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        rows = shortcut_rows(window)
        self.table = QTableWidget(len(rows), 3)
        self.table.setHorizontalHeaderLabels([self.tr("Phím"), self.tr("Việc"), self.tr("Trình đơn")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        for r, (menu, text, keys) in enumerate(rows):
            key_item = QTableWidgetItem(keys)
            font = key_item.font()
            font.setBold(True)
            key_item.setFont(font)
            self.table.setItem(r, 0, key_item)
            self.table.setItem(r, 1, QTableWidgetItem(text))
            self.table.setItem(r, 2, QTableWidgetItem(menu or self.tr("(ngoài trình đơn)")))
        self.table.resizeRowsToContents()
        layout.addWidget(self.table, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)

    def shown_keys(self) -> list[str]:
        items = (self.table.item(r, 0) for r in range(self.table.rowCount()))
        return [item.text() for item in items if item is not None]
