"""The "Tổ thẩm định và lịch" window (pytest-qt offscreen, the demo project file): a committee adds and
edits a team and sets the year's stage dates without the command line, through the same services, checks
and audit as ``evaluator teams`` / ``evaluator schedule``; a refused input is shown beside the form and
nothing is written. Screenshots at 1366×768 in both languages."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from sqlalchemy import func, select
from ui_helpers import Gui, application

from evaluator.models import AuditEvent
from evaluator.services import schedule as sched
from evaluator.services.teams import list_teams
from evaluator.ui.teams_window import TeamDialog, TeamsWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def _tick(widget: Any, codes: set[str]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        on = item.data(Qt.ItemDataRole.UserRole) in codes
        item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


def _audits(gui: Gui) -> int:
    return gui.ctx.read(lambda s: s.scalar(select(func.count()).select_from(AuditEvent)))


def test_add_then_edit_a_team_through_the_window(gui: Gui, qtbot: Any) -> None:
    window = gui.window.teams_window()
    assert isinstance(window, TeamsWindow)
    qtbot.addWidget(window)
    assert window.model.rowCount() == 0 and window.empty.isVisible()
    dialog = window.add_team()
    assert isinstance(dialog, TeamDialog)
    dialog.name.setText("Tổ Tư pháp")
    dialog.department.setCurrentText("Sở Tư pháp")
    dialog.kind.setCurrentIndex(dialog.kind.findData("department"))
    labels = [dialog.areas.item(i).text() for i in range(dialog.areas.count())]
    assert labels and all(". " in t for t in labels)  # area codes with their titles
    _tick(dialog.areas, {"2"})
    dialog.all_units.setChecked(False)
    _tick(dialog.units, {"SO01", "SO02"})
    before = _audits(gui)
    dialog.save()
    assert dialog.result() == dialog.DialogCode.Accepted
    teams = gui.ctx.read(list_teams)
    assert [(t.name, t.department, t.areas, t.units) for t in teams] == [
        ("Tổ Tư pháp", "Sở Tư pháp", {"department": ["2"]}, ["SO01", "SO02"])]
    assert _audits(gui) == before + 1
    assert window.model.rowCount() == 1  # the window followed the change
    assert "SO01, SO02" in window.model.text(0, 3)

    window.table.selectRow(0)
    dialog = window.edit_team()
    assert dialog is not None and dialog.name.text() == "Tổ Tư pháp"
    assert dialog.kind.currentData() == "department"  # the team's own kind shown
    ticked = [dialog.areas.item(i).data(Qt.ItemDataRole.UserRole) for i in range(dialog.areas.count())
              if dialog.areas.item(i).checkState() == Qt.CheckState.Checked]
    assert ticked == ["2"]
    _tick(dialog.areas, {"2", "6"})
    dialog.all_units.setChecked(True)
    dialog.save()
    (team,) = gui.ctx.read(list_teams)
    assert team.areas == {"department": ["2", "6"]} and team.units == []
    assert window.model.text(0, 3) == "mọi đơn vị"


def test_a_refused_team_shows_the_message_and_writes_nothing(gui: Gui, qtbot: Any) -> None:
    window = gui.window.teams_window()
    qtbot.addWidget(window)
    dialog = window.add_team()
    dialog.name.setText("Tổ trống")
    before = _audits(gui)
    dialog.save()  # no area ticked
    assert dialog.result() != dialog.DialogCode.Accepted
    assert dialog.error.text()  # the service's message, in the user's language
    assert gui.ctx.read(list_teams) == [] and _audits(gui) == before


def test_set_and_move_the_stage_dates(gui: Gui, qtbot: Any) -> None:
    window = gui.window.teams_window()
    qtbot.addWidget(window)
    window.tabs.setCurrentIndex(1)
    window.year.setCurrentIndex(window.year.findData(2024))
    assert not any(box.isChecked() for box in window.set_boxes)
    window.set_boxes[1].setChecked(True)  # appraisal1
    window.opens[1].setDate(QDate(2024, 11, 1))
    window.closes[1].setDate(QDate(2024, 11, 30))
    change = window.save_schedule()
    assert change is not None and change.audit
    got = gui.ctx.read(lambda s: sched.schedule_of(s, 2024))
    assert [(d.stage, d.opens, d.closes) for d in got] == [
        ("appraisal1", date(2024, 11, 1), date(2024, 11, 30))]
    assert not window.set_boxes[1].isEnabled()  # set dates are moved, not removed
    window.closes[1].setDate(QDate(2024, 10, 1))  # before the opening day: refused, nothing written
    assert window.save_schedule() is None
    assert window.schedule_error.text()
    got = gui.ctx.read(lambda s: sched.schedule_of(s, 2024))
    assert got[0].closes == date(2024, 11, 30)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_fits_1366x768_and_screenshot(gui: Gui, qtbot: Any, language: str) -> None:
    application(language)
    try:
        window = TeamsWindow(gui.ctx, gui.window)
        qtbot.addWidget(window)
        dialog = window.add_team()
        dialog.name.setText("Tổ Tư pháp")
        dialog.department.setCurrentText("Sở Tư pháp")
        _tick(dialog.areas, {"2"})
        dialog.save()
        window.resize(1366, 700)
        window.show()
        qtbot.waitExposed(window)
        assert window.minimumSizeHint().width() <= 1366
        assert window.tabs.tabText(0) == ("Appraisal teams" if language == "en" else "Các tổ thẩm định")
        suffix = "" if language == "vi" else "-en"
        assert window.grab().save(str(SHOTS / f"teams-window{suffix}.png"))
        window.tabs.setCurrentIndex(1)
        assert window.grab().save(str(SHOTS / f"teams-schedule{suffix}.png"))
        window.close()
    finally:
        application("vi")
