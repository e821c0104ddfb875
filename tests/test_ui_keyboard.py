"""The workspace at the keyboard only (pytest-qt, offscreen, a copy of the demo project): a whole unit typed
value, Tab, reason, Enter (or Tab to the save button and Enter or Tab), every key sent to the widget that
has the focus, and what the project file then holds; F8 through the unscored leaves of the unit and on
to the next unit; the tree's filters; the marks' legend."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from sqlalchemy import select
from ui_helpers import Gui

from evaluator.models import Conflict, Score
from evaluator.services import workspace_nav as nav
from evaluator.ui.labels import num

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def press(qtbot: Any, key: Qt.Key) -> None:
    qtbot.keyClick(focused(), key)


def type_text(qtbot: Any, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def type_value(gui: Gui) -> dict[str, Any] | None:
    """Type a value into the input that has the focus, by keys only; the raw input expected stored."""
    inp, qtbot = gui.detail.input, gui.qtbot
    assert inp is not None
    if gui.detail.na.isChecked():  # stored as not applicable: the value field is off, the reason has the keys
        assert focused() is gui.detail.note
        return None
    if inp.check is not None:
        assert focused() is inp.check
        before = inp.check.isChecked()
        press(qtbot, Qt.Key.Key_Space)
        return {"done": not before}
    if inp.combo is not None:
        assert focused() is inp.combo
        last = inp.combo.currentIndex() == inp.combo.count() - 1
        press(qtbot, Qt.Key.Key_Up if last else Qt.Key.Key_Down)
        return {"option": inp.combo.currentData()}
    if inp.numerator is not None:
        assert focused() is inp.numerator
        type_text(qtbot, "30")
        press(qtbot, Qt.Key.Key_Tab)
        assert focused() is inp.denominator
        type_text(qtbot, "40")
        return {"numerator": 30, "denominator": 40}
    if inp.count is not None:
        assert focused() is inp.count
        type_text(qtbot, "2")
        return {"count": 2}
    assert inp.number is not None and focused() is inp.number
    if inp.mode == "points":
        type_text(qtbot, num(inp.mx))
        return {"points": inp.mx}
    type_text(qtbot, "12")
    return {"value": Decimal(12)}


def stored_scores(gui: Gui, code: str) -> dict[tuple[str, str], Score]:
    a_id = gui.assessment(code)
    rows = gui.ctx.read(lambda s: list(s.scalars(select(Score).where(Score.assessment_id == a_id))))
    return {(r.criterion_code, r.stage): r for r in rows}


@pytest.mark.slow
def test_a_whole_unit_typed_without_the_mouse(gui: Gui) -> None:
    ws, qtbot, detail = gui.ws, gui.qtbot, gui.detail
    sheet = ws.sheet
    assert sheet is not None and sheet.code == "SO01"
    leaves = [r.code for r in sheet.leaves()]
    assert ws.current_leaf() == leaves[0]
    ws.tree.setFocus()
    press(qtbot, Qt.Key.Key_Tab)  # from the tree straight into the value field (not the areas table)
    expected: dict[str, tuple[str, dict[str, Any] | None, str]] = {}
    for i, leaf in enumerate(leaves):
        assert ws.current_leaf() == leaf
        stage = detail.current_stage()
        assert stage is not None
        value = type_value(gui)
        if focused() is not detail.note:
            press(qtbot, Qt.Key.Key_Tab)  # value → reason
        assert focused() is detail.note
        reason = f"Ly do {leaf}"  # (QTest types Latin-1 only)
        qtbot.keyClick(detail.note, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        type_text(qtbot, reason)
        expected[leaf] = (stage, value, reason)
        if i % 3 == 0:
            press(qtbot, Qt.Key.Key_Return)  # Enter in the reason saves and moves on
        else:
            press(qtbot, Qt.Key.Key_Tab)  # reason → save button
            assert focused() is detail.save_button
            press(qtbot, Qt.Key.Key_Return if i % 3 == 1 else Qt.Key.Key_Tab)  # either saves, moves on
        assert not detail.message.text() or leaf == leaves[-1], detail.message.text()
    assert ws.current_leaf() == leaves[-1]
    scores = stored_scores(gui, "SO01")
    for leaf, (stage, value, reason) in expected.items():
        row = scores[(leaf, stage)]
        assert row.note == reason, leaf
        assert row.author == "Người Kiểm Thử"
        if value is None:
            assert row.not_applicable, leaf
        elif "points" in value:
            assert row.points == value["points"], leaf
        elif "value" in value:
            assert Decimal(str(row.value["value"])) == value["value"], leaf
        else:
            assert row.value == value, leaf
    # the tree shows what was stored: each row's points are the sheet's, refreshed after every save
    for leaf in leaves:
        assert ws.tree.items[leaf].text(5) == num(sheet.rows[leaf].points), leaf
        assert sheet.rows[leaf].stages[expected[leaf][0]].note == expected[leaf][2]


def test_tab_from_the_value_goes_to_the_reason_then_save(gui: Gui) -> None:
    ws, qtbot, detail = gui.ws, gui.qtbot, gui.detail
    leaf = gui.leaf_of_kind("count")
    ws.select_leaf(leaf)
    ws.tree.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    inp = detail.input
    assert inp is not None and focused() is inp.count
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is detail.note
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is detail.save_button
    # nothing typed: Tab on the save button moves on without writing anything
    before = stored_scores(gui, "SO01")
    press(qtbot, Qt.Key.Key_Tab)
    leaves = [r.code for r in ws.sheet.leaves()]  # type: ignore[union-attr]
    assert ws.current_leaf() == leaves[leaves.index(leaf) + 1]
    assert {k: (v.points, v.note) for k, v in stored_scores(gui, "SO01").items()} == {
        k: (v.points, v.note) for k, v in before.items()
    }
    # Shift+Tab goes back the same way: save → reason → value
    assert detail.focus_value()
    fields = detail.value_widgets()
    for field in fields:  # (a ratio has two fields)
        assert focused() is field
        press(qtbot, Qt.Key.Key_Tab)
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() is detail.save_button
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is detail.note
    press(qtbot, Qt.Key.Key_Backtab)
    assert focused() is fields[-1]


def test_typing_a_digit_on_the_tree_then_enter_saves_and_moves_on(gui: Gui) -> None:
    ws, qtbot, detail = gui.ws, gui.qtbot, gui.detail
    leaf = gui.leaf_of_kind("count")
    ws.select_leaf(leaf)
    ws.tree.setFocus()
    detail.ask_reason = lambda: "Đếm lại"
    qtbot.keyClick(ws.tree, Qt.Key.Key_4)
    press(qtbot, Qt.Key.Key_Return)
    stored = gui.stored("SO01", leaf, detail_stage(gui, leaf))
    assert stored is not None and stored.value == {"count": 4}
    leaves = [r.code for r in ws.sheet.leaves()]  # type: ignore[union-attr]
    assert ws.current_leaf() == leaves[leaves.index(leaf) + 1]
    inp = detail.input
    assert inp is not None and focused() in detail.value_widgets()


def detail_stage(gui: Gui, leaf: str) -> str:
    sheet = gui.ws.sheet
    assert sheet is not None
    stages = sheet.rows[leaf].stages
    return next(st for st in ("appraisal2", "explanation", "appraisal1", "self") if st in stages)


def test_f8_goes_to_the_next_unscored_leaf_then_on_to_the_next_unit(gui: Gui) -> None:
    ws, qtbot = gui.ws, gui.qtbot
    sheet = ws.sheet
    assert sheet is not None
    missing = nav.unscored(sheet)
    assert missing, "the demo's SO01 has a leaf not appraised yet"
    item = ws.units.items[sheet.assessment_id]
    scored, total = map(int, item.text(2).split("/"))
    assert total - scored == len(missing)  # the same measure as the unit list's progress column
    ws.select_leaf(sheet.leaves()[0].code)
    ws.tree.setFocus()
    for code in missing:
        press(qtbot, Qt.Key.Key_F8)
        assert ws.current_leaf() == code
        assert focused() in [*gui.detail.value_widgets(), gui.detail.note]  # ready to type
    # past the unit's last unscored leaf: the next unit of the list that still has one
    codes = [ws.units.topLevelItem(i).text(0) for i in range(ws.units.topLevelItemCount())]
    following = codes[codes.index("SO01") + 1:]
    expected_unit = next(
        c for c in following
        if (lambda p: int(p[0]) < int(p[1]))(ws.units.items[gui.assessment(c)].text(2).split("/"))
    )
    press(qtbot, Qt.Key.Key_F8)
    assert ws.sheet is not None and ws.sheet.code == expected_unit
    assert ws.current_leaf() == nav.unscored(ws.sheet)[0]
    assert ws.units.currentItem().text(0) == expected_unit


def test_f8_skips_what_was_just_scored(gui: Gui) -> None:
    ws, qtbot, detail = gui.ws, gui.qtbot, gui.detail
    sheet = ws.sheet
    assert sheet is not None
    first = nav.unscored(sheet)[0]
    press_f8_from(gui, sheet.leaves()[0].code)
    assert ws.current_leaf() == first
    # score it at the stage the progress counts (appraisal 1 for SO01, status appraisal 2)
    combo = detail.stage_combo
    combo.setCurrentIndex(combo.findData("appraisal1"))
    assert detail.focus_value()
    type_value(gui)
    press(qtbot, Qt.Key.Key_Tab)
    type_text(qtbot, "Ly do")
    press(qtbot, Qt.Key.Key_Return)
    assert gui.stored("SO01", first, "appraisal1") is not None
    assert first not in nav.unscored(sheet)
    press_f8_from(gui, sheet.leaves()[0].code)
    assert ws.sheet is not None and ws.sheet.code != "SO01"  # nothing left in SO01: on to the next unit


def press_f8_from(gui: Gui, leaf: str) -> None:
    gui.ws.select_leaf(leaf)
    gui.ws.tree.setFocus()
    press(gui.qtbot, Qt.Key.Key_F8)


def visible_leaves(gui: Gui) -> list[str]:
    sheet = gui.ws.sheet
    assert sheet is not None
    return [r.code for r in sheet.leaves() if not gui.ws.tree.items[r.code].isHidden()]


def test_tree_filters(gui: Gui) -> None:
    ws = gui.ws
    sheet = ws.sheet
    assert sheet is not None
    names = [ws.filter_combo.itemText(i) for i in range(ws.filter_combo.count())]
    assert names == [
        "Tất cả tiêu chí", "Chưa chấm", "Khác điểm tự chấm", "Thiếu tài liệu kiểm chứng", "Có xung đột"
    ]
    ws.set_filter("unscored")
    assert visible_leaves(gui) == nav.unscored(sheet) != []
    assert ws.current_leaf() == visible_leaves(gui)[0]  # the current leaf was filtered out: the first shown
    ws.set_filter("differs")
    differs = visible_leaves(gui)
    assert differs and all(sheet.rows[c].mark == "changed" for c in differs)
    assert all(ws.tree.items[c].text(6) == "◆" for c in differs)
    assert len(differs) == sum(1 for r in sheet.leaves() if r.mark == "changed")
    ws.set_filter("no_evidence")
    missing = visible_leaves(gui)
    assert all(sheet.rows[c].evidence == 0 and sheet.node(c).evidence_required for c in missing)
    # the search narrows a filter further, parents of what is shown stay visible
    ws.set_filter("all")
    assert len(visible_leaves(gui)) == len(sheet.leaves())
    ws.search.setText("2.")
    ws.set_filter("differs")
    assert set(visible_leaves(gui)) == {c for c in differs if c.startswith("2.")}
    for code in visible_leaves(gui):
        assert not ws.tree.items[code].parent().isHidden()
    ws.search.clear()
    # an open conflict (as an imported team package leaves it) shows under "Có xung đột"
    leaf = differs[0]
    a_id = sheet.assessment_id
    assert gui.ctx.project is not None
    with gui.ctx.project.session(write=True) as s:
        s.add(Conflict(assessment_id=a_id, criterion_code=leaf, stage="appraisal1", head_ids=[]))
    ws.set_filter("conflict")
    assert visible_leaves(gui) == [leaf]


def test_marks_have_a_legend_and_an_equal_appraisal_is_not_a_change(gui: Gui) -> None:
    ws = gui.ws
    legend = ws.legend.text()
    for symbol, text in (("●", "Đã chấm"), ("◆", "Thẩm định khác điểm tự chấm"), ("○", "Chưa chấm"),
                         ("⚠", "Thiếu TLKC"), ("—", "Không đánh giá")):
        assert symbol in legend and text in legend
    sheet = ws.sheet
    assert sheet is not None
    changed = next(r for r in sheet.leaves() if r.mark == "changed")
    item = ws.tree.items[changed.code]
    for column in range(ws.tree.COLUMNS):  # the whole row says what its mark means
        assert "Thẩm định khác điểm tự chấm" in item.toolTip(column)
    # a relative leaf (points from the peers, its stages hold values): appraised differently → ◆
    leaf = next(r.code for r in sheet.leaves()
                if sheet.node(r.code).rule.is_relative and "self" in r.stages)  # type: ignore[union-attr]
    own = sheet.rows[leaf].stages["self"].value["value"]
    gui.choose(leaf, "appraisal2")
    inp = gui.detail.input
    assert inp is not None and inp.number is not None
    inp.number.setValue(float(own) + 7)
    assert gui.detail.save()
    assert sheet.rows[leaf].mark == "changed" and ws.tree.items[leaf].text(6) == "◆"
    # the same value as the self score: ● and no "Thẩm định khác …"
    inp = gui.detail.input
    assert inp is not None and inp.number is not None
    inp.number.setValue(float(own))
    assert gui.detail.save()
    assert ws.tree.items[leaf].text(6) == "●"
    assert "Thẩm định khác" not in ws.tree.items[leaf].toolTip(6)


def test_enter_moves_to_the_next_leaf_the_filter_shows(gui: Gui) -> None:
    ws, qtbot, detail = gui.ws, gui.qtbot, gui.detail
    ws.set_filter("differs")
    shown = visible_leaves(gui)
    assert len(shown) >= 3
    ws.select_leaf(shown[0])
    ws.tree.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused() in detail.value_widgets()
    press(qtbot, Qt.Key.Key_Return)  # the stored value again, with its reason: saved, on to the next shown
    assert ws.current_leaf() == shown[1]
    assert focused() in detail.value_widgets()
    # a leaf that leaves the filter when saved (here: back to the self score) is hidden, Enter still
    # goes to the next one shown after it
    sheet = ws.sheet
    assert sheet is not None
    leaf = shown[1]
    own = sheet.rows[leaf].stages["self"]
    inp = detail.input
    assert inp is not None
    inp.set_value(own.value, own.points)
    inp.edited.emit()
    press(qtbot, Qt.Key.Key_Return)
    assert sheet.rows[leaf].mark == "scored" and ws.tree.items[leaf].isHidden()
    assert ws.current_leaf() == shown[2]


def test_enter_in_the_evidence_list_is_not_a_save(gui: Gui) -> None:
    ws = gui.ws
    sheet = ws.sheet
    assert sheet is not None
    leaf = next(r.code for r in sheet.leaves() if r.evidence)
    ws.select_leaf(leaf)
    table = gui.detail.evidence.table
    table.setFocus()
    table.selectRow(0)
    assert not gui.window.undo_action.isEnabled()
    gui.qtbot.keyClick(table, Qt.Key.Key_Return)
    assert ws.current_leaf() == leaf  # still looking at this leaf's evidence
    assert not gui.window.undo_action.isEnabled()  # and nothing was saved
