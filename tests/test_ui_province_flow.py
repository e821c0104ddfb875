"""Issue #12's main steps again, this time through the GUI (pytest-qt, offscreen, real files): the new-project
wizard with the province's own criteria sets (Excel workbooks made from the exported template) and its unit
list → "Giao việc" to a team → "Mở bản giao việc" on the team's laptop (a second main window, its own
project file) → a few leaves scored there, one in the workspace and the others through the services → the
team's package written by the export dialog → imported at the committee in the import centre (the same
sets: nothing to accept) → the committee's results view shows the team's scores, as the laptop's does."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from province_helpers import COMMUNES, DEPARTMENTS, PROVINCE, YEAR, commune_set, department_set, unit_list
from PySide6.QtWidgets import QWizard
from sqlalchemy import select
from test_ui_new_project import walk_to

from evaluator.models import Assessment, Period, Score, Unit, open_project
from evaluator.services.demo import raw_input
from evaluator.services.exchange import this_device
from evaluator.services.frameworks import framework_of
from evaluator.services.scores import set_score
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window
from evaluator.ui.main_window import MainWindow

pytestmark = [pytest.mark.slow, pytest.mark.filterwarnings("ignore::DeprecationWarning")]
TEAM = "Tổ 1"
HANDED = [d[0] for d in DEPARTMENTS[:3]]  # the team's three departments


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path / "projects"))
    return tmp_path / "projects"


def _window(qtbot: Any, name: str, role: str, device: str) -> MainWindow:
    application("vi")
    _ctx, win = build_window(UserSettings(name=name, role=role, device_id=device), persist=False)
    qtbot.addWidget(win)
    win.show()
    return win


@pytest.fixture
def windows(places: Path, qtbot: Any) -> Iterator[tuple[MainWindow, MainWindow]]:
    """The committee's computer and the team's laptop, each a main window with no project open."""
    committee = _window(qtbot, "Thư ký hội đồng", "committee", "hoi-dong")
    laptop = _window(qtbot, "Tổ trưởng", "leader", "may-to-1")
    yield committee, laptop
    laptop.close()
    committee.close()


def _results(window: MainWindow, qtbot: Any, kind: str) -> dict[str, dict[str, Any]]:
    """The results view's ranking rows of ``kind``, by unit code."""
    rv = window.results
    with qtbot.waitSignal(rv.computed, timeout=60_000):
        window.show_view("results")
    rv.kind_combo.setCurrentIndex(rv.kind_combo.findData(kind))
    return {row["code"]: row for row in rv.model.rows}


def _score_a_few(db_project: Any, rng: random.Random, skip: tuple[str, str]) -> int:
    """The team appraises the first few appraisal leaves of each of its units (what a laptop's services
    write); returns how many."""
    n = 0
    with db_project.session(write=True) as s:
        device = this_device(db_project)
        for a in s.scalars(select(Assessment).join(Period).where(Period.year == YEAR)):
            fw = framework_of(a.criteria_set)
            leaves = [leaf for leaf in fw.leaves() if leaf.source == "appraisal" and leaf.rule is not None
                      and a.unit.kind in leaf.max and (a.unit.code, leaf.code) != skip]
            for leaf in leaves[:4]:
                set_score(s, a.id, leaf.code, "appraisal1", value=raw_input(leaf, a.unit.kind, 0.9, rng),
                          author=TEAM, role="member", device_id=device, reason="Theo tài liệu kiểm chứng")
                n += 1
    return n


def test_a_province_year_through_the_gui(windows: tuple[MainWindow, MainWindow], places: Path,
                                         tmp_path: Path, qtbot: Any) -> None:
    committee, laptop = windows
    files = tmp_path / "tinh"
    files.mkdir()
    sets, units = [department_set(files), commune_set(files)], unit_list(files)

    # 1. the wizard: year, province, the province's own sets, its unit list
    wizard = committee.create_dialog()
    wizard.place_page.year.setValue(YEAR)
    db = places / "cchc-2026.db"
    wizard.place_page.path.setText(str(db))
    wizard.place_page._path_edited()
    wizard.next()
    wizard.province_page.province.setText(PROVINCE)
    walk_to(wizard, "sets", qtbot)
    wizard.sets_page.add_files([str(p) for p in sets])
    qtbot.waitUntil(lambda: wizard.sets_page.loading is None, timeout=60_000)
    assert {fw.identity for fw in wizard.sets_page.chosen()} == {"kh-so-nganh@1", "kh-xa-phuong@1"}
    walk_to(wizard, "units", qtbot)
    wizard.units_page.check(units)
    qtbot.waitUntil(lambda: wizard.units_page.loading is None, timeout=60_000)
    assert wizard.units_page.isComplete(), wizard.units_page.summary.text()
    walk_to(wizard, "summary", qtbot)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: committee.ctx.project is not None, timeout=60_000)
    with committee.ctx.project.session() as s:  # type: ignore[union-attr]
        assessed = s.scalars(select(Unit.code).join(Assessment).join(Period).where(Period.year == YEAR)).all()
    assert sorted(assessed) == sorted(u[0] for u in DEPARTMENTS + COMMUNES)

    # 2. Giao việc: three departments to the team
    dialog = committee.handout_dialog()
    assert dialog is not None and dialog.year.currentData() == YEAR
    dialog.units.set_codes(HANDED)
    dialog.team.setText(TEAM)
    handout = tmp_path / "giao-viec-to-1.cchc"
    dialog.out.setText(str(handout))
    with qtbot.waitSignal(dialog.written, timeout=120_000):
        dialog.write()
    assert handout.is_file()
    dialog.close()

    # 3. the laptop opens the handout into its own project file
    laptop_db = tmp_path / "may-to-1" / "to-1.db"
    laptop_db.parent.mkdir()
    opener = laptop.open_handout_dialog(str(handout))
    opener.db.setText(str(laptop_db))
    with qtbot.waitSignal(opener.created, timeout=120_000):
        opener.make_copy()
    qtbot.waitUntil(lambda: laptop.ctx.project is not None, timeout=60_000)
    opener.close()
    project = laptop.ctx.project
    assert project is not None and Path(str(project.path)) == laptop_db
    assert project.info().id == committee.ctx.project.info().id  # type: ignore[union-attr]

    # 4. scoring on the laptop: one leaf in the workspace, a few more through the services
    laptop.show_view("workspace")
    work = laptop.workspace
    assert work.select_unit(HANDED[0])
    sheet = work.sheet
    assert sheet is not None
    leaf = next(r.code for r in sheet.leaves() if sheet.node(r.code).rule is not None
                and sheet.node(r.code).rule.kind == "binary" and sheet.node(r.code).source == "appraisal")  # type: ignore[union-attr]
    work.detail.ask_reason = lambda: "Đủ tài liệu kiểm chứng"
    assert work.jump(leaf)
    work.detail.stage_combo.setCurrentIndex(work.detail.stage_combo.findData("appraisal1"))
    assert work.detail.input is not None and work.detail.input.check is not None
    work.detail.input.check.setChecked(True)
    assert work.detail.save()

    def in_workspace() -> bool:
        query = select(Score.id).join(Assessment).join(Unit).where(
            Unit.code == HANDED[0], Score.criterion_code == leaf, Score.stage == "appraisal1")
        return laptop.ctx.read(lambda s: s.scalars(query).first()) is not None

    qtbot.waitUntil(in_workspace, timeout=30_000)
    scored = 1 + _score_a_few(project, random.Random(12), (HANDED[0], leaf))
    at_laptop = _results(laptop, qtbot, "department")
    assert all(at_laptop[c]["points"] > 0 for c in HANDED)

    # 5. the team's package, from the export dialog
    export = laptop.export_dialog()
    assert export is not None
    package = tmp_path / "tra-ve-to-1.cchc"
    export.out.setText(str(package))
    with qtbot.waitSignal(export.exported, timeout=120_000):
        export.export()
    assert package.is_file()
    export.close()

    # 6. the committee imports it: the same sets, nothing to accept
    centre = committee.import_centre([str(package)])
    assert centre is not None
    qtbot.waitUntil(lambda: centre.job is None and centre.report is not None, timeout=120_000)
    assert not centre.accept_sets.isVisible() and not centre.set_diffs.isVisible()
    assert centre.report.new_sets == [] and centre.report.scores_new >= scored
    with qtbot.waitSignal(centre.imported, timeout=120_000):
        centre.apply()
    centre.close()

    # 7. the committee's results show the team's scores, as the laptop computed them
    at_committee = _results(committee, qtbot, "department")
    for code in HANDED:
        assert (at_committee[code]["points"], at_committee[code]["index"]) == (
            at_laptop[code]["points"], at_laptop[code]["index"]), code
    others = [d[0] for d in DEPARTMENTS[3:]]
    assert all(not at_committee[c]["points"] for c in others)  # nobody scored them
    with open_project(db) as again, again.session() as s:  # and it is in the committee's file
        stored = s.scalars(select(Score.id).join(Assessment).join(Unit).where(Unit.code.in_(HANDED),
                                                                              Score.stage == "appraisal1"))
        assert len(stored.all()) == scored
