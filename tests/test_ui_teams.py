"""Appraisers by area in the GUI (issue 14, pytest-qt offscreen, real project files and packages): on a
team's laptop a leaf outside the team's areas is read-only at the appraisal stages with the reason shown,
and the tree filters to "Lĩnh vực của tôi"; the Giao việc dialog offers the committee's teams; the
"Tiến độ" window shows the progress table ``evaluator progress`` prints. Screenshots at 1366×768 go to
docs/screenshots/ when TEAM_SHOTS is set."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import YEAR, copy, export
from package_helpers import entries_of
from test_teams import appraise, binary_leaf
from ui_helpers import open_window

from evaluator.models import open_project
from evaluator.services.handout import create_from_handout, export_handout, team_copy
from evaluator.services.report_setup import set_report_setup
from evaluator.services.team_progress import team_progress
from evaluator.services.team_scope import COPY_SETTING
from evaluator.services.teams import add_team

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.slow]
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def shots(tmp_path: Path) -> Path:
    return SHOTS if os.environ.get("TEAM_SHOTS") else tmp_path


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path / "projects"))
    return tmp_path / "projects"


@pytest.fixture
def committee(demo_db: Path, tmp_path: Path) -> Path:
    db = copy(demo_db, tmp_path, "committee")
    with open_project(db) as project, project.session(write=True) as s:
        set_report_setup(s, {"council": [
            {"name": "Nguyễn Văn An", "position": "Giám đốc Sở Nội vụ", "role": "Chủ tịch Hội đồng"},
            {"name": "Trần Văn Bình", "position": "Giám đốc Sở Tư pháp", "role": "Thành viên"},
            {"name": "Lê Thị Cúc", "position": "Giám đốc Sở Tài chính", "role": "Thành viên"}]})
        add_team(s, "Tổ Tư pháp", ["2"], department="Sở Tư pháp")
        add_team(s, "Tổ Tài chính", ["6"], department="Sở Tài chính")
        add_team(s, "Tổ Nội vụ", ["1", "4", "5"], department="Sở Nội vụ", units=["SO01", "SO02", "H01"])
    return db


def test_a_leaf_outside_the_team_areas_is_read_only_with_the_reason(
        committee: Path, tmp_path: Path, places: Path, qtbot: Any) -> None:
    handout = tmp_path / "tu-phap.cchc"
    with open_project(committee) as project:
        export_handout(project, handout, years=[YEAR], units=["SO01", "SO02", "H01"], team="Tổ Tư pháp")
    lap = tmp_path / "lap.db"
    create_from_handout(lap, handout)
    inside, outside = binary_leaf(lap, "department", "2"), binary_leaf(lap, "department", "1")
    appraise(lap, "SO01", inside, author="Tổ Tư pháp")
    window = open_window(lap, qtbot, "Trần Văn Bình", "member")
    window.resize(1366, 768)
    view, detail = window.workspace, window.workspace.detail
    assert view.select_unit("SO01") and view.select_leaf(outside)
    detail.stage_combo.setCurrentIndex(detail.stage_combo.findData("appraisal1"))
    assert "ngoài lĩnh vực được phân công cho tổ Tổ Tư pháp" in detail.lock_label.text()
    assert not detail.save_button.isEnabled() and not detail.input.isEnabled()
    assert "⊘" in detail.stage_combo.currentText()
    # the filter "Lĩnh vực của tôi": the team's leaves only
    names = [view.filter_combo.itemData(i) for i in range(view.filter_combo.count())]
    assert "mine" in names
    view.set_filter("mine")
    assert view.filter_codes is not None and inside in view.filter_codes and outside not in view.filter_codes
    view.set_filter("all")
    assert view.select_leaf(outside)
    detail.stage_combo.setCurrentIndex(detail.stage_combo.findData("appraisal1"))
    qtbot.wait(50)
    image = window.grab()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(shots(tmp_path) / "team-scope.png"))
    # a leaf of the team's area is editable
    assert view.select_leaf(inside)
    detail.stage_combo.setCurrentIndex(detail.stage_combo.findData("appraisal1"))
    assert detail.save_button.isEnabled() and "ngoài lĩnh vực" not in detail.lock_label.text()
    window.close()


def test_the_committee_has_no_my_areas_filter_and_the_handout_dialog_offers_its_teams(
        committee: Path, tmp_path: Path, places: Path, qtbot: Any) -> None:
    window = open_window(committee, qtbot, "Thư ký hội đồng", "committee")
    names = [window.workspace.filter_combo.itemData(i) for i in range(window.workspace.filter_combo.count())]
    assert "mine" not in names and "conflict" in names
    dialog = window.handout_dialog()
    assert dialog is not None
    offered = [dialog.teams.itemText(i) for i in range(dialog.teams.count())]
    assert any(t.startswith("Tổ Nội vụ") for t in offered) and len(offered) == 4
    dialog.teams.setCurrentIndex(next(i for i, t in enumerate(offered) if t.startswith("Tổ Nội vụ")))
    assert dialog.team.text() == "Tổ Nội vụ"
    assert sorted(dialog.units.checked_codes()) == ["H01", "SO01", "SO02"]
    out = tmp_path / "noi-vu.cchc"
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.written, timeout=60_000):
        dialog.write()
    scope = json.loads(entries_of(out)["manifest.json"])["team_scope"]
    assert scope["team"] == "Tổ Nội vụ" and scope["areas"] == {"*": ["1", "4", "5"]}
    window.close()


def test_the_progress_window_shows_the_service_table(committee: Path, tmp_path: Path, places: Path,
                                                     qtbot: Any) -> None:
    window = open_window(committee, qtbot, "Thư ký hội đồng", "committee")
    window.resize(1366, 768)
    win = window.progress_window()
    assert win is not None
    win.resize(1366, 768)
    with open_project(committee) as project, project.session() as s:
        rows = team_progress(s, YEAR)
    model = win.model
    assert win.year.currentData() == YEAR  # the latest year first
    assert model.rowCount() == len(rows) and rows
    shown = [[model.text(i, c) for c in range(model.columnCount())] for i in range(model.rowCount())]
    assert shown == [[r.team, r.department, f"{r.area}. {r.title}", f"{r.appraised} / {r.total}",
                      str(r.conflicts), str(r.overdue)] for r in rows]
    assert not win.empty.isVisible()
    qtbot.wait(50)
    image = win.grab()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(shots(tmp_path) / "team-progress.png"))
    window.close()


def test_the_import_centre_lists_edits_outside_the_team_scope(committee: Path, tmp_path: Path, places: Path,
                                                              qtbot: Any) -> None:
    handout = tmp_path / "h.cchc"
    with open_project(committee) as project:
        export_handout(project, handout, years=[YEAR], units=["SO01"], team="Tổ Tư pháp")
    lap = tmp_path / "lap.db"
    create_from_handout(lap, handout)
    with open_project(lap) as project:  # a copy that lost its scope (an older program) edits outside it
        value = dict(team_copy(project))
        value.pop("scope")
        project.set_setting(COPY_SETTING, value)
    inside, outside = binary_leaf(lap, "department", "2"), binary_leaf(lap, "department", "1")
    appraise(lap, "SO01", inside, author="Tổ Tư pháp")
    appraise(lap, "SO01", outside, author="Tổ Tư pháp")
    package = export(lap, tmp_path / "p.cchc", ["SO01"], "Tổ Tư pháp")
    window = open_window(committee, qtbot, "Thư ký hội đồng", "committee")
    centre = window.import_centre()
    qtbot.addWidget(centre)
    centre.add_file(package)
    with qtbot.waitSignal(centre.previewed, timeout=60_000) as blocker:
        centre.preview()
    report = blocker.args[0]
    assert len(report.out_of_scope) == 1
    counts = {centre.counts.item(r, 0).text(): centre.counts.item(r, 1).text()
              for r in range(centre.counts.rowCount())}
    assert counts["Ngoài phạm vi của tổ (không nhập)"] == "1"
    lines = [centre.change_model.text(i, 0) for i in range(centre.change_model.rowCount())]
    line = next(x for x in lines if x.startswith("Ngoài phạm vi:"))
    assert "Tổ Tư pháp" in line and "SO01" in line and outside in line and "ngoài phạm vi" in line
    assert "Ngoài phạm vi" in centre.log.toPlainText()
    window.close()
