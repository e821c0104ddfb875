"""Giao việc in the GUI (issue 12, pytest-qt offscreen, real project files and packages): the committee
hands two units out to a team; a "laptop" (a second main window with no project) opens the handout, which
creates and opens the team's project with the committee's project id; a team package is refused there;
a handout double-clicked with no project open offers the dialog; and the import centre shows a criteria
set a package brings, refuses it until "Chấp nhận bộ tiêu chí mới" is ticked, then imports it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from exchange_helpers import YEAR, copy, export
from sqlalchemy import select
from test_package_sets_guard import FORGED, _forge
from ui_helpers import open_window

from evaluator.models import CriteriaSet, Unit, open_project
from evaluator.services.handout import team_copy
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path / "projects"))
    return tmp_path / "projects"


@pytest.fixture
def laptop(places: Path, qtbot: Any) -> Iterator[MainWindow]:
    """A team's laptop: the main window with no project open."""
    application("vi")
    user = UserSettings(name="Tổ trưởng", role="appraiser", device_id="laptop")
    _ctx, win = build_window(user, persist=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def _project_id(db: Path) -> Any:
    with open_project(db) as project:
        return project.info().id


def test_hand_out_two_units_and_open_the_handout_on_a_laptop(
        demo_db: Path, tmp_path: Path, places: Path, laptop: MainWindow, qtbot: Any) -> None:
    committee = copy(demo_db, tmp_path, "committee")
    window = open_window(committee, qtbot, "Thư ký hội đồng", "committee")
    dialog = window.handout_dialog()
    assert dialog is not None and window.dialog is dialog
    assert dialog.year.currentData() == YEAR  # the latest year first
    assert dialog.units.units.count() > 2
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as blocker:  # no unit chosen: said, nothing written
        dialog.write()
    assert "đơn vị" in blocker.args[0]
    dialog.units.set_codes(["SO01", "SO02"])
    dialog.team.setText("Tổ 1")
    assert Path(dialog.out.text()).name == "giao-viec-Tổ-1.cchc"  # follows the team's name
    out = tmp_path / "to-1.cchc"
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.written, timeout=60_000) as blocker:
        dialog.write()
    report = blocker.args[0]
    assert out.is_file() and sorted(report.units) == ["SO01", "SO02"] and report.team == "Tổ 1"
    assert "Tổ 1" in dialog.panel.text()
    window.close()

    # the laptop: the start page's button opens the dialog; a team package is refused with the service's words
    laptop.start_page.handout_button.click()
    opener = laptop.dialog
    team_package = export(committee, tmp_path / "team.cchc", ["SO01"], "Tổ 1")
    opener.package.setText(str(team_package))
    with qtbot.waitSignal(opener.failed, timeout=30_000) as blocker:
        opener.make_copy()
    assert "không phải gói giao việc" in blocker.args[0]
    assert laptop.ctx.project is None and not list(places.glob("*.db"))
    # the handout: the team's project in the projects folder by default, created, then opened
    opener.package.setText(str(out))
    assert Path(opener.db.text()) == places / "to-1.db"
    with qtbot.waitSignal(opener.created, timeout=60_000):
        opener.make_copy()
    qtbot.waitUntil(lambda: laptop.ctx.project is not None, timeout=30_000)
    project = laptop.ctx.project
    assert project is not None and Path(str(project.path)) == places / "to-1.db"
    assert project.info().id == _project_id(committee)
    assert team_copy(project)["team"] == "Tổ 1"  # type: ignore[index]
    with project.session() as s:
        assert sorted(s.scalars(select(Unit.code))) == ["SO01", "SO02"]
    assert laptop.stack.currentIndex() == 1  # the workspace shows the team's project
    assert "Tổ 1" in opener.panel.text()


def test_a_handout_double_clicked_with_no_project_open_offers_the_dialog(
        demo_db: Path, tmp_path: Path, laptop: MainWindow, qtbot: Any) -> None:
    committee = copy(demo_db, tmp_path, "committee")
    from evaluator.services.handout import export_handout

    with open_project(committee) as project:
        export_handout(project, tmp_path / "to-2.cchc", units=["H01"], team="Tổ 2")
    team_package = export(committee, tmp_path / "team.cchc", ["SO01"], "Tổ 1")
    assert not laptop.offer_handout([str(team_package)])  # a team package: the import centre's business
    assert laptop.dialog is None
    assert laptop.offer_handout([str(tmp_path / "to-2.cchc")])
    assert laptop.dialog.package.text() == str(tmp_path / "to-2.cchc")
    assert laptop.dialog.isVisible()


@pytest.mark.slow
def test_import_centre_refuses_a_new_set_until_it_is_accepted(
        demo_db: Path, tmp_path: Path, places: Path, qtbot: Any) -> None:
    laptop_db = copy(demo_db, tmp_path, "laptop")
    _forge(laptop_db)
    package = export(laptop_db, tmp_path / "forged.cchc", ["SO99"], "Kẻ gian")
    committee = copy(demo_db, tmp_path, "committee")
    window = open_window(committee, qtbot, "Thư ký hội đồng", "committee")
    centre = window.import_centre([str(package)])
    assert centre is not None
    qtbot.waitUntil(lambda: centre.job is None and centre.report is not None, timeout=60_000)
    # the preview names the set (identity, fingerprint, title) and offers the choice
    assert centre.accept_sets.isVisible() and not centre.accept_sets.isChecked()
    text = centre.new_sets.text()
    assert f"{FORGED}@1" in text and "SHA-256" in text and "cần chấp nhận" in text
    assert centre.report.new_sets[0]["sha256"][:12] in text and centre.report.new_sets[0]["title"] in text
    before = project_fingerprint(committee)
    with qtbot.waitSignal(centre.failed, timeout=60_000):
        centre.apply()
    assert "chấp nhận bộ tiêu chí mới" in centre.log.toPlainText()
    assert project_fingerprint(committee) == before  # refused: nothing written
    with qtbot.waitSignal(centre.previewed, timeout=60_000):  # ticking it previews again
        centre.accept_sets.setChecked(True)
    assert "được nhận" in centre.new_sets.text()
    with qtbot.waitSignal(centre.imported, timeout=60_000):
        centre.apply()
    with window.ctx.project.session() as s:  # type: ignore[union-attr]
        assert FORGED in s.scalars(select(CriteriaSet.code)).all()
        assert "SO99" in s.scalars(select(Unit.code)).all()
    window.close()
