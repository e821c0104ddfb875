"""The detail pane shows last year's points and reason of the leaf mapped onto the selected one
("Năm trước: 0,50 / 1,00 — lý do …"), on a copy of the demo project (2023 → 2024, same codes), offscreen.
``LAST_YEAR_SHOTS=1`` also writes docs/screenshots/workspace-last-year.png."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from sqlalchemy import select
from ui_helpers import Gui, gui, window  # noqa: F401 - the main window on a copy of the demo project

from evaluator.models import Assessment, Period, Unit
from evaluator.services.shortcomings import unit_shortcomings
from evaluator.services.workspace import load_unit

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def _lost_leaf(g: Gui, code: str) -> tuple[str, str, str, str]:
    """A 2023 leaf of ``code`` below its max, kept in 2024 under the same code: (leaf, points, max,
    reason), points written as the Vietnamese interface writes them, read from the 2023 sheet itself."""

    def read(s):  # type: ignore[no-untyped-def]
        lost = [x for x in unit_shortcomings(s, 2024, code) if x.new_code == x.code and x.reason]
        a_id = s.scalars(
            select(Assessment.id).join(Unit).join(Period).where(Unit.code == code, Period.year == 2023)
        ).one()
        old = load_unit(s, a_id)
        assert old.score is not None
        leaf = lost[0].code
        node = old.score.nodes[leaf]
        stage = old.score.final_stage[leaf]
        assert stage is not None
        return leaf, node.points, node.max, old.rows[leaf].stages[stage].note

    leaf, points, mx, note = g.ctx.read(read)
    return leaf, f"{points:.2f}".replace(".", ","), f"{mx:.2f}".replace(".", ","), note


def test_detail_pane_shows_last_years_points_and_reason(gui: Gui, qtbot) -> None:  # noqa: F811
    g = gui
    assert g.ws.year == 2024
    leaf, points, mx, note = _lost_leaf(g, "SO01")
    assert g.ws.jump(leaf)
    label = g.detail.last_year
    assert label.isVisible()
    assert label.text() == f"Năm trước: {points} / {mx} — {note}"
    # a leaf new in 2024 (no 2023 leaf of its code) shows no such line
    sheet = g.ws.sheet
    assert sheet is not None
    new_leaves = [r.code for r in sheet.leaves() if r.code not in sheet.last_year]
    assert new_leaves
    assert g.ws.jump(new_leaves[0])
    assert not g.detail.last_year.isVisible() and g.detail.last_year.text() == ""
    # back on the lost leaf, for the screenshot
    assert g.ws.jump(leaf)
    g.window.resize(1366, 768)
    qtbot.wait(50)
    image = g.window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    if os.environ.get("LAST_YEAR_SHOTS"):
        assert image.save(str(SHOTS / "workspace-last-year.png"))


def test_first_year_has_no_last_year_line(gui: Gui) -> None:  # noqa: F811
    g = gui
    combo = g.ws.year_combo
    combo.setCurrentIndex(combo.findData(2023))
    assert g.ws.select_unit("SO01")
    sheet = g.ws.sheet
    assert sheet is not None and sheet.year == 2023 and sheet.last_year == {}
    assert g.ws.jump(sheet.leaves()[0].code)
    assert not g.detail.last_year.isVisible()


def test_results_view_tab_shows_the_change_against_last_year(window, qtbot) -> None:  # noqa: F811
    rv = window.results
    with qtbot.waitSignal(rv.computed, timeout=60_000):
        window.show_view("results")
    assert rv.year_combo.currentData() == 2024 and rv.kind_combo.currentData() == "department"
    code = rv.selected_code()
    assert code is not None
    results, _kind = rv.current()
    assert results is not None
    changes = results.changes[code]
    panel = rv.changes_panel
    assert panel.changes is changes
    text = panel.toPlainText()
    assert "So với năm 2023" in text
    before, now = (f"{v:.2f}".replace(".", ",") for v in (changes.previous_index, changes.index))
    assert f"{before} → {now}" in text
    # every shortcoming of last year is listed with its status
    assert changes.shortcomings
    for s in changes.shortcomings:
        assert f"{s.code}. {s.title}" in text
    assert "đã khắc phục" in text and "chưa khắc phục" in text
    rv.charts.setCurrentWidget(panel)
    window.resize(1366, 768)
    qtbot.wait(50)
    if os.environ.get("LAST_YEAR_SHOTS"):
        assert window.grab().save(str(SHOTS / "results-last-year.png"))


def test_change_against_last_year_in_english_titles(window, qtbot) -> None:  # noqa: F811
    """In English the areas and criteria are named as the area table beside them names them (the set's
    English titles): they were Vietnamese in this tab only."""
    from evaluator.ui.app import application

    rv = window.results
    with qtbot.waitSignal(rv.computed, timeout=60_000):
        window.show_view("results")
    results, kind = rv.current()
    assert results is not None and kind is not None
    fw = results.frameworks[kind]
    application("en")
    try:
        rv._unit_chosen()
        text = rv.changes_panel.toPlainText()
        changes = rv.changes_panel.changes
        assert changes is not None and changes.areas
        for a in changes.areas:
            english = fw.nodes[a["code"]].title_en
            assert f"{a['code']}. {english or a['title']}" in text
        assert any(fw.nodes[a["code"]].title_en for a in changes.areas)
    finally:
        application("vi")
        rv._unit_chosen()
    assert f"{changes.areas[0]['code']}. {changes.areas[0]['title']}" in rv.changes_panel.toPlainText()
