"""The new-project wizard (pytest-qt, offscreen, real project files): the bundled sets of a year; a year with
no bundled set made from the province's own file, a bad file listed with every problem and not choosable;
cancelling, or a creation that fails, leaves the open project open and named; file dialogs start in the
projects folder; and ``create_project`` with chosen sets and settings, all or nothing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWizard
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.frameworks import FrameworkInvalid, load_framework
from evaluator.frameworks.registry import bundled_for_year
from evaluator.models import AuditEvent, CriteriaSet, Period, ProjectInfo
from evaluator.services.projects import create_project
from evaluator.services.report_setup import report_setup
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window
from evaluator.ui.dialogs import start_path
from evaluator.ui.main_window import MainWindow
from evaluator.ui.new_project_wizard import PAGES, NewProject, NewProjectWizard
from evaluator.ui.units_window import UnitsWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DATA = Path(__file__).parent / "data"


@pytest.fixture
def places(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The projects folder of this test (where the wizard puts a project and file dialogs start)."""
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path / "projects"))
    return tmp_path / "projects"


@pytest.fixture
def blank(places: Path, qtbot: Any) -> Iterator[MainWindow]:
    """The main window with no project open."""
    application("vi")
    _ctx, win = build_window(UserSettings(name="Thư Ký", role="committee", device_id="t"), persist=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def own_set(folder: Path, year: int = 2026) -> Path:
    """The province's own set: the test set made for ``year`` (a YAML file, as the province would edit it)."""
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"tinh-{year}.yaml"
    path.write_text(text.replace("year: 2024", f"year: {year}").replace("code: test-mini", "code: kh-huyen"),
                    encoding="utf-8")
    return path


def bad_set(folder: Path) -> Path:
    """A set with several problems (a bad year, a node without a title, a maximum that is not a number)."""
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2024", "year: 1890").replace("        title: Ban hành kế hoạch CCHC năm\n", "")
    text = text.replace("max: 8\n", "max: tám\n", 1)
    path = folder / "loi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def walk_to(wizard: NewProjectWizard, page: str, qtbot: Any) -> None:
    while wizard.currentId() != PAGES[page]:
        before = wizard.currentId()
        wizard.next()
        assert wizard.currentId() != before, f"the wizard stopped on page {before}"


def test_wizard_with_bundled_sets_creates_and_opens_the_project(blank: MainWindow, places: Path,
                                                               qtbot: Any) -> None:
    wizard = blank.create_dialog()
    place = wizard.place_page
    place.year.setValue(2025)
    assert Path(place.path.text()).parent == places  # the projects folder by default
    place.path.setText(str(places / "khanh-hoa-2025.db"))
    place._path_edited()
    wizard.next()
    province = wizard.province_page
    province.province.setText("Tỉnh Khánh Hòa")
    province.body1.setText("UBND TỈNH KHÁNH HÒA")
    province.body2.setText("HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC")
    wizard.next()
    sets = wizard.sets_page
    bundled = {fw.identity for fw in bundled_for_year(2025)}
    assert {fw.identity for fw in sets.chosen()} == bundled  # every bundled set ticked
    assert sets.sets.topLevelItemCount() == len(bundled)
    assert sets.isComplete()
    walk_to(wizard, "summary", qtbot)  # past the units page (no list now)
    assert wizard.currentId() == PAGES["summary"]
    assert "Tỉnh Khánh Hòa" in wizard.summary_page.text.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: blank.ctx.project is not None, timeout=20_000)
    assert blank.stack.currentIndex() == 1
    assert blank.windowTitle().startswith(place.name.text())
    # no unit list was given: the units window is open to add them by hand
    assert isinstance(blank.dialog, UnitsWindow) and blank.dialog.isVisible()
    blank.dialog.close()
    with blank.ctx.project.session() as s:  # type: ignore[union-attr]
        assert {r.identity for r in s.scalars(select(CriteriaSet))} == bundled
        assert s.scalars(select(Period.year)).all() == [2025]
        assert s.scalars(select(ProjectInfo.province)).one() == "Tỉnh Khánh Hòa"
        assert report_setup(s)["issuing_body"] == ["UBND TỈNH KHÁNH HÒA", "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC"]
        assert s.scalars(select(AuditEvent.author).where(AuditEvent.action == "settings.reports")).all() \
            == ["Thư Ký"]


def test_year_without_bundled_sets_takes_the_province_file_and_lists_every_problem(
        blank: MainWindow, places: Path, tmp_path: Path, qtbot: Any) -> None:
    good, bad = own_set(tmp_path), bad_set(tmp_path)
    with pytest.raises(FrameworkInvalid) as invalid:
        load_framework(bad)
    assert len(invalid.value.problems) >= 3
    wizard = blank.create_dialog()
    wizard.place_page.year.setValue(2026)
    walk_to(wizard, "sets", qtbot)
    sets = wizard.sets_page
    assert sets.sets.topLevelItemCount() == 0
    assert "2026" in sets.subTitle() and not sets.isComplete()  # offers the import instead of failing
    assert "2026" in sets.status.text()
    sets.add_files([str(bad), str(good)])
    qtbot.waitUntil(lambda: sets.loading is None, timeout=20_000)
    listed = [sets.problems.item(i).text() for i in range(sets.problems.count())]
    assert listed == [str(p) for p in invalid.value.problems]  # every problem, in a list, with file and place
    assert all(str(bad) in line for line in listed)
    items = {sets.entries[i].source: sets.sets.topLevelItem(i) for i in range(sets.sets.topLevelItemCount())}
    assert not items[str(bad)].flags() & Qt.ItemFlag.ItemIsUserCheckable  # a bad set cannot be chosen
    assert items[str(good)].checkState(0) == Qt.CheckState.Checked
    assert [fw.identity for fw in sets.chosen()] == ["kh-huyen@1"]
    assert sets.isComplete()
    walk_to(wizard, "summary", qtbot)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: blank.ctx.project is not None, timeout=20_000)
    with blank.ctx.project.session() as s:  # type: ignore[union-attr]
        assert [r.identity for r in s.scalars(select(CriteriaSet))] == ["kh-huyen@1"]


def test_a_set_of_another_year_and_two_sets_for_one_kind_cannot_be_chosen(
        blank: MainWindow, tmp_path: Path, qtbot: Any) -> None:
    wizard = blank.create_dialog()
    wizard.place_page.year.setValue(2024)
    walk_to(wizard, "sets", qtbot)
    sets = wizard.sets_page
    sets.add_files([str(own_set(tmp_path, 2024)), str(own_set(tmp_path / "old", 2023))])
    qtbot.waitUntil(lambda: sets.loading is None, timeout=20_000)
    # the province's district/commune set beside the bundled district and commune sets of 2024
    assert not sets.isComplete() and "kh-huyen@1" in sets.status.text()
    listed = [sets.problems.item(i).text() for i in range(sets.problems.count())]
    assert len(listed) == 1 and "2023" in listed[0]
    for i, entry in enumerate(sets.entries):
        if not entry.source and entry.framework and "department" not in entry.framework.unit_kinds:
            sets.sets.topLevelItem(i).setCheckState(0, Qt.CheckState.Unchecked)
    assert sets.isComplete() and sets.status.text() == ""
    chosen = [fw.identity for fw in sets.chosen()]
    wizard.back()
    wizard.next()  # back and on again: the choices stay
    assert [fw.identity for fw in sets.chosen()] == chosen


def test_cancel_keeps_the_open_project_and_its_title(window: MainWindow, qtbot: Any) -> None:
    project, title = window.ctx.project, window.windowTitle()
    wizard = window.create_dialog()
    wizard.place_page.year.setValue(2026)
    walk_to(wizard, "sets", qtbot)
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert not wizard.isVisible()
    assert window.ctx.project is project and window.windowTitle() == title
    assert window.stack.currentIndex() == 1


def test_a_failed_creation_or_open_leaves_the_open_project_open_and_named(
        window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    """Before: the window went to the start page (the project looked closed) with the old title."""
    project, title = window.ctx.project, window.windowTitle()
    label = window.project_label.text()
    taken = tmp_path / "taken.db"
    taken.write_bytes(b"")
    new = NewProject(taken, 2026, "Năm 2026", "", [load_framework(own_set(tmp_path))])
    for start in (lambda: window.create_project(new), lambda: window.open_project(tmp_path / "none.db")):
        with qtbot.waitSignal(window.open_failed, timeout=20_000):
            start()
        assert window.ctx.project is project
        assert window.stack.currentIndex() == 1 and window.windowTitle() == title
        assert window.project_label.text() == label
        box = window.findChild(QMessageBox, "operation-error")
        assert box is not None and box.isVisible()  # the refusal is shown, not only on the hidden start page
        box.close()
        box.deleteLater()
    assert taken.read_bytes() == b""


def test_file_dialogs_start_in_the_projects_folder(blank: MainWindow, places: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def fake(_parent: Any, _title: str, folder: str, _filters: str = "") -> tuple[Any, str]:
        seen.append(folder)
        return ([] if fake.many else ""), ""  # type: ignore[attr-defined]

    fake.many = False  # type: ignore[attr-defined]
    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake)
    blank.open_dialog()
    wizard = blank.create_dialog()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    wizard.place_page.browse()
    fake.many = True  # type: ignore[attr-defined]
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", fake)
    wizard.sets_page.browse()
    blank.workspace.detail.evidence._ask_files()  # and the other windows' dialogs, through the same helpers
    assert seen[0] == str(places) and places.is_dir()
    assert Path(seen[1]).parent == places and seen[2] == str(places) and seen[3] == str(places)
    wizard.reject()


def test_start_path(places: Path) -> None:
    assert start_path() == str(places)
    assert start_path("du-an.db") == str(places / "du-an.db")  # a suggested name goes in the projects folder
    elsewhere = places.parent / "khac" / "a.xlsx"
    assert start_path(elsewhere) == str(elsewhere)  # a path the window already holds is kept


# --- the service ------------------------------------------------------------------------------------
def test_create_project_with_sets_and_settings_is_all_or_nothing(tmp_path: Path) -> None:
    own = load_framework(own_set(tmp_path))
    target = tmp_path / "p.db"
    with pytest.raises(UserError) as refused:
        create_project(target, [2026], report_setup={"issuing_body": ["UBND"], "chiar": {}}, sets=[own])
    assert "chiar" in str(refused.value)
    assert not any(tmp_path.glob("p.db*"))  # nothing half-made left behind
    with pytest.raises(UserError) as refused:
        create_project(target, [2026], sets=[])
    assert refused.value.code == "newproject.no_set"
    with pytest.raises(UserError) as refused:
        create_project(target, [2025], sets=[own])
    assert refused.value.code == "newproject.set_year"
    with pytest.raises(UserError) as refused:  # the province's district set beside the bundled one
        create_project(target, [2026, 2025], sets=[own, *bundled_for_year(2025),
                                                    load_framework(own_set(tmp_path, 2025))])
    assert refused.value.code == "newproject.kind_twice"
    assert not target.exists()
    with create_project(target, [2026], sets=[own], report_setup={"place": "Nha Trang"}) as project, \
            project.session() as s:
        assert report_setup(s)["place"] == "Nha Trang"
        assert [r.identity for r in s.scalars(select(CriteriaSet))] == ["kh-huyen@1"]
    with create_project(tmp_path / "r.db", [2025]) as project, project.session() as s:  # as before: bundled
        stored = {r.identity for r in s.scalars(select(CriteriaSet))}
        assert stored == {f.identity for f in bundled_for_year(2025)}
