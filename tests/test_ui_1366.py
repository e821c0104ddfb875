"""The appraisal workspace on the common district-office laptop screen, 1366×768, in both languages
(pytest-qt, offscreen, a copy of the demo project): nothing squeezed below its minimum, no button cut off
or with clipped text, the stage notes readable, criterion titles with room, the detail pane back at the
top for each criterion, and the splitters' sizes remembered (in the settings folder, a temporary one)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QWidget

from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

SIZE = (1366, 768)


def open_at(db: Path, qtbot: Any, language: str, *, persist: bool = False) -> MainWindow:
    application(language)
    settings = UserSettings(name="Nguyễn Thị Lan", role="committee", device_id="t", language=language)
    ctx, win = build_window(settings, persist=persist)
    qtbot.addWidget(win)
    win.resize(*SIZE)
    win.show()
    win.open_project(str(db))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    assert win.workspace.select_unit("SO01")
    QApplication.processEvents()
    return win


@pytest.fixture(params=["vi", "en"])
def window(
    request: pytest.FixtureRequest,
    demo_copy: Path,
    qtbot: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[MainWindow]:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    win = open_at(demo_copy, qtbot, request.param)
    yield win
    win.close()
    application("vi")


def shown_widgets(root: QWidget) -> list[QWidget]:
    """Visible widgets, without the insides of item views and scroll bars (Qt's own parts)."""
    out = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or w.window() is not root.window():
            continue
        parent = w.parentWidget()
        inside = False
        while parent is not None and parent is not root:
            if isinstance(parent, QAbstractItemView):
                inside = True
                break
            parent = parent.parentWidget()
        if not inside:
            out.append(w)
    return out


def clipped_sideways(w: QWidget) -> bool:
    """Whether an ancestor's (or a scroll area's viewport) edge cuts ``w`` off on the left or right."""
    rect = QRect(w.mapTo(w.window(), QPoint(0, 0)), w.size())
    parent = w.parentWidget()
    while parent is not None:
        area = QRect(parent.mapTo(w.window(), QPoint(0, 0)), parent.size())
        if rect.left() < area.left() or rect.right() > area.right():
            return True
        parent = parent.parentWidget()
    return False


def test_workspace_fits_1366x768(window: MainWindow) -> None:
    assert (window.width(), window.height()) == SIZE  # no minimum size pushed the window past the screen
    ws = window.workspace
    problems = []
    for w in shown_widgets(ws):
        hint = w.minimumSizeHint()
        minimum = w.minimumWidth() or (hint.width() if hint.isValid() else 0)
        if w.sizePolicy().horizontalPolicy().name != "Ignored" and w.width() < minimum:
            problems.append(f"{type(w).__name__} {w.objectName()} {w.width()} < {minimum}")
    assert not problems
    detail = ws.detail
    buttons = [b for b in shown_widgets(ws) if isinstance(b, QAbstractButton) and b.text()]
    assert detail.evidence.attach_button in buttons and detail.save_button in buttons
    for b in buttons:
        text = b.text().replace("&", "")
        assert b.fontMetrics().horizontalAdvance(text) <= b.width(), f"clipped text: {text!r}"
        in_view = not b.visibleRegion().isEmpty()
        assert not (in_view and clipped_sideways(b)), f"button cut off: {text!r}"
    # the stage table: the note column has room, its rows are as tall as their wrapped notes
    table = detail.stages
    assert table.columnWidth(2) >= table.fontMetrics().averageCharWidth() * 14
    for r in range(table.rowCount()):
        item = table.item(r, 2)
        needed = table.fontMetrics().boundingRect(
            QRect(0, 0, table.columnWidth(2) - 8, 1000), Qt.TextFlag.TextWordWrap, item.text()
        )
        assert table.rowHeight(r) >= needed.height(), item.text()
    header = table.horizontalHeader()
    rows = sum(table.rowHeight(r) for r in range(table.rowCount()))
    assert table.height() >= rows + header.height()  # no scrolling inside the little table
    # criterion titles: room for a good part of a title (the whole one is the tooltip and the pane's title)
    tree = ws.tree
    assert tree.columnWidth(1) >= tree.fontMetrics().averageCharWidth() * 32
    leaf = next(r for r in ws.sheet.leaves() if len(r.title) > 60)  # type: ignore[union-attr]
    assert ws.tree.items[leaf.code].toolTip(1).startswith(ws.tree.items[leaf.code].text(1))


def test_detail_pane_starts_at_the_top_for_each_criterion(window: MainWindow) -> None:
    ws = window.workspace
    bar = ws.detail_scroll.verticalScrollBar()
    assert bar.maximum() > 0  # at 768 px the pane scrolls (the evidence preview is below)
    leaves = [r.code for r in ws.sheet.leaves()]  # type: ignore[union-attr]
    for code in leaves[1:4]:
        bar.setValue(bar.maximum())
        ws.select_leaf(code)
        assert bar.value() == 0
        assert not ws.detail.title.visibleRegion().isEmpty()
    bar.setValue(bar.maximum())
    ws.step_leaf(1)  # Ctrl+Down
    assert bar.value() == 0


def test_splitters_remember_their_sizes(
    demo_copy: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "cfg"
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(config))
    win = open_at(demo_copy, qtbot, "vi", persist=True)
    split = win.workspace.split
    before = split.sizes()
    split.moveSplitter(before[0] + 60, 1)  # as a drag does: splitterMoved is emitted
    split.moveSplitter(split.sizes()[0] + split.sizes()[1] - 40, 2)
    middle = win.workspace.middle
    middle.moveSplitter(middle.sizes()[0] - 80, 1)
    moved, moved_middle = split.sizes(), middle.sizes()
    assert moved != before
    win.close()
    assert (config / "layout.ini").is_file()
    again = open_at(demo_copy, qtbot, "vi", persist=True)
    assert again.workspace.split.sizes() == moved
    assert again.workspace.middle.sizes() == moved_middle
    again.close()
    # a window that does not keep settings (screenshots) neither reads nor writes them
    other = open_at(demo_copy, qtbot, "vi", persist=False)
    assert other.workspace.split.sizes() != moved
    other.close()


def test_no_criterion_widens_the_detail_pane_past_its_place(window: MainWindow) -> None:
    """Long option labels, ratio inputs, lock notes: the pane fits its scroll area for every leaf (a wider
    pane is cut off on the right, the scroll area has no sideways bar)."""
    ws = window.workspace
    viewport = ws.detail_scroll.viewport()
    for row in ws.sheet.leaves():  # type: ignore[union-attr]
        ws.select_leaf(row.code)
        QApplication.processEvents()
        assert ws.detail.width() <= viewport.width(), row.code
        save = ws.detail.save_button
        assert not clipped_sideways(save), row.code
