"""The workspace's submission and approval actions and the stale-approval banner, and the unit status
column of the units window, on a real project through their widgets (pytest-qt, offscreen).
``DEADLINE_SHOTS=1`` also writes docs/screenshots/workspace-approval-stale.png and units-status.png."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from ui_helpers import Gui

from evaluator.services.approval import approval_states
from evaluator.services.scores import set_score
from evaluator.ui.units_window import UnitsWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def test_approve_then_an_edit_shows_the_stale_banner(gui: Gui, qtbot: Any) -> None:
    bar = gui.ws.approval
    assert bar.button.isEnabled() and bar.banner.isHidden()
    bar.approve_action.trigger()
    assert gui.ctx.read(lambda s: approval_states(s, 2024))["SO01"].status == "approved"
    assert "đã được phê duyệt" in bar.banner.text() and "Người Kiểm Thử" in bar.banner.text()
    assert not bar.banner.isHidden()
    a_id = gui.assessment("SO01")
    leaf = gui.leaf_of_kind("binary")
    # a later change (here another window's edit, announced as every change is) makes it stale
    gui.ctx.run(lambda s: set_score(s, a_id, leaf, "appraisal2", points=Decimal("0"), reason="thiếu hồ sơ"))
    assert "cần phê duyệt lại" in bar.banner.text()
    if os.environ.get("DEADLINE_SHOTS"):
        bar.menu.popup(bar.button.mapToGlobal(bar.button.rect().bottomLeft()))
        gui.window.resize(1366, 768)
        qtbot.wait(200)
        assert gui.window.grab().save(str(SHOTS / "workspace-approval-stale.png"))
        bar.menu.hide()
    bar.approve_action.trigger()
    assert "đã được phê duyệt" in bar.banner.text()


def test_submit_and_withdraw_from_the_workspace(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    bar = gui.ws.approval
    assert bar.submit_action.isEnabled() and not bar.withdraw_action.isEnabled()
    bar.submit_action.trigger()
    assert "đã nộp" in bar.banner.text() and bar.withdraw_action.isEnabled()
    assert "self" in gui.ws.sheet.locked if gui.ws.sheet is not None else False
    # withdrawn before any deadline; SO01 of the demo is already appraised, so the service refuses and
    # the workspace says why
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: warned.append(text))
    assert not bar.withdraw()
    assert warned and "đã bắt đầu thẩm định" in warned[0]


def test_units_window_shows_each_units_status(gui: Gui) -> None:
    gui.ws.approval.approve_action.trigger()
    win = gui.window.units_window()
    assert isinstance(win, UnitsWindow) and win.isVisible()
    column = win.model.columnCount() - 1
    rows = {win.model.text(r, 0): win.model.text(r, column) for r in range(win.model.rowCount())}
    assert rows["SO01"] == "Đã phê duyệt (2024)"
    assert rows["SO02"] == "Thẩm định lại (2024)"
    if os.environ.get("DEADLINE_SHOTS"):
        win.resize(1366, 500)
        gui.qtbot.wait(200)
        assert win.grab().save(str(SHOTS / "units-status.png"))
    win.close()


def test_lock_menu_reopens_a_stage_closed_by_its_date(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    from datetime import date

    from evaluator.services import schedule

    monkeypatch.setattr(schedule, "today", lambda: date(2024, 12, 11))
    gui.ctx.run(lambda s: schedule.set_schedule(s, 2024, "self", date(2024, 11, 1), date(2024, 12, 10)))
    ws = gui.ws
    ws._fill_lock_menu()
    reopen = [a for a in ws.lock_menu.actions() if a.text().startswith("Mở lại sau hạn")]
    assert [a.text() for a in reopen] == ["Mở lại sau hạn: Tự chấm"]
    a_id = gui.assessment("SO01")
    assert gui.ctx.read(lambda s: schedule.reopened(s, a_id, "self")) is False
    assert ws.unlock("self", reason="bổ sung hồ sơ muộn")
    assert gui.ctx.read(lambda s: schedule.reopened(s, a_id, "self")) is True
    ws._fill_lock_menu()
    assert not [a for a in ws.lock_menu.actions() if a.text().startswith("Mở lại sau hạn")]
