"""The "Bộ tiêu chí" window on the demo project (pytest-qt, offscreen): every set of the project, each as a
tree with its codes, titles, the maximum per unit kind and each rule in the workspace's words; exporting the
set shown writes the Excel template, which reads back as the same set."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex

from evaluator.frameworks import load_framework
from evaluator.scoring.rules import describe
from evaluator.services.frameworks import frameworks_for_year
from evaluator.services.workspace import years
from evaluator.ui import formats
from evaluator.ui.criteria_window import CODE, TITLE, CriteriaWindow
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def rows(win: CriteriaWindow, parent: QModelIndex | None = None) -> list[list[str]]:
    """Every row of the tree, in tree order, as the texts of its cells."""
    model, out = win.model, []
    parent = parent or QModelIndex()
    for r in range(model.rowCount(parent)):
        index = model.index(r, 0, parent)
        out.append([model.index(r, c, parent).data() or "" for c in range(model.columnCount())])
        out.extend(rows(win, index))
    return out


def test_the_window_shows_each_set_of_the_project_as_a_tree(window: MainWindow, qtbot: Any) -> None:
    win = window.criteria_window()
    assert win is not None and win.isVisible()
    expected = window.ctx.read(lambda s: [fw for y in years(s) for fw in frameworks_for_year(s, y).values()])
    assert sorted(fw.identity for fw in win.sets) == sorted(fw.identity for fw in expected)
    assert win.choice.count() == len(expected) > 1
    for i in range(win.choice.count()):
        win.choice.setCurrentIndex(i)
        fw = win.current()
        assert fw is not None
        shown = rows(win)
        assert [r[CODE] for r in shown] == [n.code for n in fw]  # every node, in tree order
        top = win.model.rowCount()
        assert top == sum(1 for n in fw if n.parent is None)
        kinds = list(fw.unit_kinds)
        headers = [win.model.headerData(c, win.tree.header().orientation()) for c in range(len(kinds) + 4)]
        assert len(headers) == win.model.columnCount()
        for row, node in zip(shown, fw, strict=True):
            assert row[TITLE].startswith(node.title)
            for k, kind in enumerate(kinds):
                mx = node.max_for(kind)
                # the workspace's notation (one formatter, issue #16): "0,50", not the set's "0.5"
                assert row[2 + k] == ("—" if mx is None else formats.points(mx))
            applies = [k for k in kinds if node.applies_to(k)]
            rule = (describe(node, applies[0], points=formats.points, percent=formats.plain)
                    if node.is_leaf and applies else "")
            assert row[-1] == rule
        halves = [r for r, n in zip(shown, fw, strict=True) if n.max_for(kinds[0]) == Decimal("0.5")]
        assert all(r[2] == "0,50" and "0.5" not in r[-1] for r in halves)


def test_export_writes_the_excel_template_of_the_set_shown(window: MainWindow, qtbot: Any,
                                                           tmp_path: Path) -> None:
    win = window.criteria_window()
    assert win is not None
    fw = win.current()
    assert fw is not None
    target = tmp_path / "mau.xlsx"
    job = win.export(target)
    assert job is not None
    qtbot.waitUntil(lambda: win.job is None, timeout=20_000)
    assert win.status.styleSheet() == OK_STYLE and str(target) in win.status.text()
    back = load_framework(target)
    assert (back.identity, back.sha256) == (fw.identity, fw.sha256)
    # a folder that cannot be written: the reason is shown in the window, nothing raised
    win.export(tmp_path / "no-such-folder" / "mau.xlsx")
    qtbot.waitUntil(lambda: win.job is None, timeout=20_000)
    assert win.status.styleSheet() == ERROR_STYLE and "no-such-folder" in win.status.text()


def test_the_toolbar_has_the_export_action(window: MainWindow) -> None:
    win = window.criteria_window()
    assert win is not None
    assert "Xuất ra mẫu Excel…" in [a.text() for a in win.toolbar.actions()]
    assert win.export_action.isEnabled()


def test_in_english_the_titles_are_the_sets_english_ones(window: MainWindow) -> None:
    """As the workspace shows them: a node's English title where the set has one (the Vietnamese in the
    tooltip), the English rule words, and the English decimal point."""
    from evaluator.ui.app import application

    application("en")
    try:
        win = window.criteria_window()
        assert win is not None
        fw = win.current()
        assert fw is not None
        shown = rows(win)
        translated = 0
        for row, node in zip(shown, fw, strict=True):
            if node.title_en:
                translated += 1
                assert row[TITLE].startswith(node.title_en), node.code
            else:
                assert row[TITLE].startswith(node.title)
        assert translated > 0
        assert any(r[-1].startswith("Done: ") and "." in r[2] for r in shown)
        win.close()
    finally:
        application("vi")
