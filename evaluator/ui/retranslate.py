"""The live language switch (Cài đặt → Ngôn ngữ applies at once): every text a widget shows that is one of
the app's catalogue texts is put in the other language where it stands — labels, buttons, menus and their
actions, tabs, combo items, table and tree headers, placeholders, tooltips, window titles — in every
window. The views' built texts (a unit's header, numbers, the Edit menu's "Hoàn tác: …") are made again by
the views themselves after the switch (``MainWindow.set_language``).

Why one walker rather than a retranslate method per view: the views set their texts in their constructors
with ``self.tr`` (the catalogue's extractor finds them there), and rebuilding a view would leave the
lambdas it connected to the context's signals behind. Vietnamese is the source language, so Vietnamese →
English is the catalogue and English → Vietnamese its reverse."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, partial

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

from evaluator import i18n


@cache
def _english() -> dict[str, str]:
    messages = getattr(i18n.catalogue(i18n.APP_DOMAIN, "en"), "_catalog", {})
    return {k: v for k, v in messages.items() if isinstance(k, str) and isinstance(v, str) and k and v}


@cache
def _vietnamese() -> dict[str, str]:
    reverse: dict[str, str] = {}
    for source, english in _english().items():
        reverse.setdefault(english, source)
    return reverse


def swap(text: str, language: str) -> str:
    """``text`` in ``language`` when it is a catalogue text (in either language), else unchanged. A key hint
    after a tab ("…\\tEnter") and a trailing ": " stay as they are."""
    if not text:
        return text
    head, tab, tail = text.partition("\t")
    table = _english() if language == "en" else _vietnamese()
    found = table.get(head)
    if found is None and head.endswith(": "):
        stem = table.get(head[:-2])
        found = None if stem is None else stem + ": "
    for sep in (" · ", " — "):  # a catalogue text with data after it ("… · evaluator 0.1.0")
        if found is None and sep in head:
            left, _, right = head.rpartition(sep)
            stem = table.get(left)
            found = None if stem is None else stem + sep + right
    return text if found is None else found + tab + tail


def _fix(owner: QObject, key: str, get: Callable[[], str], put: Callable[[str], object],
         language: str) -> None:
    """Put one text in ``language``. Switching to English remembers the Vietnamese source on ``owner`` (two
    sources may share one English text: "Từ", "Từ ngày" → "From"), so switching back restores it."""
    old = get()
    name = f"_source_{key}"
    if language == "en":
        new = swap(old, "en")
        if new != old:
            owner.setProperty(name, old)
    else:
        source = owner.property(name)
        new = source if isinstance(source, str) and swap(source, "en") == old else swap(old, "vi")
    if new != old:
        put(new)


def retranslate(root: QWidget, language: str) -> None:
    """Put every catalogue text of ``root`` and its descendants (child windows included) in ``language``."""
    actions: set[int] = set()
    for w in [root, *root.findChildren(QWidget)]:
        _widget(w, language)
        for action in w.actions():
            if id(action) not in actions:
                actions.add(id(action))
                _retranslate_action(action, language)
    for action in root.findChildren(QAction):
        if id(action) not in actions:
            actions.add(id(action))
            _retranslate_action(action, language)


def _widget(w: QWidget, language: str) -> None:
    _fix(w, "title", w.windowTitle, w.setWindowTitle, language)
    _fix(w, "tip", w.toolTip, w.setToolTip, language)
    if isinstance(w, QLabel | QAbstractButton):
        _fix(w, "text", w.text, w.setText, language)
    elif isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit):
        _fix(w, "placeholder", w.placeholderText, w.setPlaceholderText, language)
    elif isinstance(w, QGroupBox | QMenu):
        _fix(w, "box", w.title, w.setTitle, language)
    elif isinstance(w, QTabWidget):
        for i in range(w.count()):
            _fix(w, f"tab{i}", partial(w.tabText, i), partial(w.setTabText, i), language)
    elif isinstance(w, QComboBox):
        for i in range(w.count()):
            _fix(w, f"item{i}", partial(w.itemText, i), partial(w.setItemText, i), language)
    if isinstance(w, QAbstractItemView):
        _model_headers(w, language)
    if isinstance(w, QTableWidget):
        for c in range(w.columnCount()):
            item = w.horizontalHeaderItem(c)
            if item is not None:
                _fix(w, f"head{c}", item.text, item.setText, language)
                _fix(w, f"headtip{c}", item.toolTip, item.setToolTip, language)
    elif isinstance(w, QTreeWidget):
        header = w.headerItem()
        for c in range(w.columnCount()):
            _fix(w, f"head{c}", partial(header.text, c), partial(header.setText, c), language)
            _fix(w, f"headtip{c}", partial(header.toolTip, c), partial(header.setToolTip, c), language)


def _model_headers(view: QAbstractItemView, language: str) -> None:
    """A table model keeping its column titles in a ``headers`` list (``ui.table_models``)."""
    model = view.model()
    headers = getattr(model, "headers", None)
    if not isinstance(headers, list) or not all(isinstance(h, str) for h in headers):
        return
    new = [swap(h, language) for h in headers]
    if new != headers:
        headers[:] = new
        model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(new) - 1)


def _retranslate_action(action: QAction, language: str) -> None:
    _fix(action, "text", action.text, action.setText, language)
    _fix(action, "tip", action.toolTip, action.setToolTip, language)
    menu = action.menu()
    if isinstance(menu, QMenu):
        _fix(menu, "box", menu.title, menu.setTitle, language)
