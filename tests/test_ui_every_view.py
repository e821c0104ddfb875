"""Every view of the application at 1366×768 (the common district-office laptop screen), in Vietnamese and
in English, on the demo project (issue #16): the main window on each tab, its windows, every dialog and
wizard page. For each: the window fits the screen (a main window keeps 1366×768, a dialog its own size
within it), no widget is squeezed below its minimum size, no button text is clipped or a button cut off, no
column title is squeezed, nothing lies outside its window; in English no text the program wrote is
Vietnamese. Each view is saved as ``docs/screenshots/<view>-1366-<lang>.png`` (looked at by a person).

``VIEWS`` is the table: one line per view, ``View(name, opener)``; an opener takes the ``Shots`` of the
language and returns the window to check (the main window for its tabs)."""

from __future__ import annotations

import os
import shutil
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from project_helpers import copy_project, shared_demo
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QHeaderView,
    QLineEdit,
    QTabBar,
    QTabWidget,
    QWidget,
)
from sqlalchemy import select
from test_ui_1366 import shown_widgets
from test_ui_language import vietnamese_in
from test_ui_units import book

from evaluator import i18n
from evaluator.frameworks import load_framework
from evaluator.frameworks.model import Framework
from evaluator.models import Score
from evaluator.resources import resource
from evaluator.services.users import UserSettings
from evaluator.services.workspace import list_units
from evaluator.ui.app import application, build_window, prepare_view, wait_for
from evaluator.ui.criteria_window import project_sets
from evaluator.ui.dialogs import UserDialog
from evaluator.ui.main_window import MainWindow
from evaluator.ui.new_project_wizard import PAGES

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.slow]

SCREEN = (1366, 768)
WORK_AREA = (1366, 768 - 40 - 30)
"""Where another window's contents fit: the screen less the taskbar (40 px) and its own title bar (30 px)."""
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
USER = "Nguyễn Thị Lan"


@dataclass
class Shots:
    """The main window of one language on a copy of the demo project, and a folder for files."""

    window: MainWindow
    language: str
    folder: Path
    data: list[str]
    """Texts that are data (units, the project's title, the person), Vietnamese in either language."""

    def settle(self, condition: Callable[[], bool] = lambda: True, timeout: float = 30) -> None:
        assert wait_for(condition, timeout), "the view did not finish loading"
        wait_for(lambda: False, 0.05)


@dataclass(frozen=True)
class View:
    name: str
    open: Callable[[Shots], QWidget]
    placeholders_are_data: bool = False
    """The empty fields show what the (Vietnamese) documents print when left empty: data, not words."""


# --- openers -----------------------------------------------------------------------------------------
def main_tab(view: str) -> Callable[[Shots], QWidget]:
    def opener(s: Shots) -> QWidget:
        s.window.show_view(view)
        prepare_view(s.window, view)
        if view == "results":
            s.settle(lambda: bool(s.window.results.results) and s.window.results.job is None)
        return s.window

    return opener


def results_tab(index: int) -> Callable[[Shots], QWidget]:
    def opener(s: Shots) -> QWidget:
        main_tab("results")(s)
        s.window.results.charts.setCurrentIndex(index)
        return s.window

    return opener


def start(s: Shots) -> QWidget:
    s.window.show_view("start")
    return s.window


def workspace_evidence_viewer(s: Shots) -> QWidget:
    main_tab("workspace")(s)
    panel = s.window.workspace.detail.evidence
    viewer = panel.open_viewer()
    assert viewer is not None
    s.settle(lambda: viewer.pane.kind != "")
    wait_for(lambda: False, 0.5)  # QtPdf draws its pages in the background
    return viewer


def side_by_side(s: Shots) -> QWidget:
    ws = s.window.workspace
    first = s.window.ctx.read(lambda x: list_units(x, 2024, "commune"))[0].code
    assert ws.select_unit(first) and ws.select_leaf("1.1.1")
    view = ws.open_side_by_side()
    assert view is not None
    return view


def units_form(s: Shots) -> QWidget:
    units = s.window.units_window()
    assert units is not None and units.select("SO01")
    form = units.edit_dialog()
    assert form is not None
    return form


def units_import(s: Shots) -> QWidget:
    units = s.window.units_window()
    assert units is not None
    sheet = book(s.folder / f"don-vi-{s.language}.xlsx", [
        ["SO23", "Sở Du lịch", "department", "Du lịch", "", "", "SDL", "Giám đốc"],
        ["SO24", "", "department", "", "", "", "", ""],
        ["X0199", "UBND xã Mới", "commune", "", "H99", "", "", "Chủ tịch"],
    ])
    preview = units.import_dialog(sheet)
    assert preview is not None
    s.settle(lambda: units.job is None)
    return preview


def criteria_compare(s: Shots) -> QWidget:
    """The set shown against last year's set of the same kind (two versions of one set are equal)."""
    win = s.window.criteria_window()
    assert win is not None
    dialog = win.compare()
    sets = dialog.sets
    old = next(i for i, fw in enumerate(sets)
               if fw.year != sets[0].year and set(fw.unit_kinds) & set(sets[0].unit_kinds))
    dialog.old_choice.setCurrentIndex(old)
    dialog.new_choice.setCurrentIndex(0)
    s.settle(lambda: dialog.job is None and dialog.model.rowCount() > 0)
    return dialog


def criteria_upgrade(s: Shots) -> QWidget:
    win = s.window.criteria_window()
    assert win is not None
    dialog = win.upgrade()
    assert dialog is not None
    return dialog


def user_dialog(s: Shots) -> QWidget:
    dialog = UserDialog(s.window.ctx.settings, s.window)
    dialog.show()
    return dialog


def new_project(page: str) -> Callable[[Shots], QWidget]:
    def opener(s: Shots) -> QWidget:
        wizard = s.window.create_dialog()
        wizard.place_page.path.setText(str(s.folder / f"moi-{s.language}.db"))
        wizard.place_page._path_edited()
        wizard.province_page.province.setText("Tỉnh Khánh Hòa")
        while wizard.currentId() != PAGES[page]:
            before = wizard.currentId()
            wizard.next()
            assert wizard.currentId() != before, f"the wizard stopped on page {before}"
        return wizard

    return opener


def new_year(page: int) -> Callable[[Shots], QWidget]:
    def opener(s: Shots) -> QWidget:
        wizard = s.window.new_year_wizard()
        assert wizard is not None
        for _ in range(page):
            before = wizard.currentId()
            wizard.next()
            assert wizard.currentId() != before, f"the wizard stopped on page {before}"
        return wizard

    return opener


def import_centre(kind: str) -> Callable[[Shots], QWidget]:
    def opener(s: Shots) -> QWidget:
        centre = s.window.import_centre()
        assert centre is not None
        centre.set_kind(kind)
        return centre

    return opener


def import_preview(s: Shots) -> QWidget:
    """A preview that refuses its file (a package that is not there): the verdict and the log."""
    centre = s.window.import_centre([str(s.folder / "khong-co.cchc")])
    assert centre is not None
    s.settle(lambda: centre.job is None and bool(centre.verdict.text()))
    return centre


def report(document: str) -> Callable[[Shots], QWidget]:
    def opener(s: Shots) -> QWidget:
        s.window.show_view("workspace")
        assert s.window.workspace.select_unit("SO01")
        dialog = s.window.report_dialog(document)
        assert dialog is not None
        return dialog

    return opener


def report_preview(s: Shots) -> QWidget:
    """The minutes of SO01 made and shown in the dialog's preview (the document view)."""
    dialog = report("appraisal")(s)
    dialog.out.setText(str(s.folder / f"bien-ban-{s.language}.pdf"))
    assert dialog.produce() is not None
    s.settle(lambda: dialog.job is None, 120)
    s.settle(lambda: dialog.preview.kind != "")
    wait_for(lambda: False, 0.5)
    return dialog


def on_tab(opener: Callable[[Shots], QWidget], index: int) -> Callable[[Shots], QWidget]:
    """A dialog with tabs (``.tabs``) on its tab ``index``."""

    def tab(s: Shots) -> QWidget:
        dialog = opener(s)
        dialog.tabs.setCurrentIndex(index)  # type: ignore[attr-defined]
        return dialog

    return tab


def teams_form(s: Shots) -> QWidget:
    """The team editor (Tệp → Tổ thẩm định và lịch… → Thêm tổ…)."""
    window = s.window.teams_window()
    assert window is not None
    return window.add_team()


def called(name: str) -> Callable[[Shots], QWidget]:
    def opener(s: Shots) -> QWidget:
        dialog = getattr(s.window, name)()
        assert dialog is not None
        return dialog

    return opener


VIEWS = [
    View("start", start),
    View("workspace", main_tab("workspace")),
    View("results", results_tab(0)),
    View("results-classes", results_tab(1)),
    View("results-areas", results_tab(2)),
    View("results-years", results_tab(3)),
    View("results-changes", results_tab(4)),
    View("audit", main_tab("audit")),
    View("conflicts", main_tab("conflicts")),
    View("progress", called("progress_window")),
    View("units", called("units_window")),
    View("units-form", units_form),
    View("units-import", units_import),
    View("criteria", called("criteria_window")),
    View("criteria-diff", criteria_compare),
    View("criteria-upgrade", criteria_upgrade),
    View("evidence-viewer", workspace_evidence_viewer),
    View("side-by-side", side_by_side),
    View("user", user_dialog),
    View("new-project-place", new_project("place")),
    View("new-project-province", new_project("province"), placeholders_are_data=True),
    View("new-project-sets", new_project("sets")),
    View("new-project-units", new_project("units")),
    View("new-project-summary", new_project("summary")),
    View("new-year-years", new_year(0)),
    View("new-year-mapping", new_year(1)),
    View("new-year-units", new_year(2)),
    View("new-year-preview", new_year(3)),
    View("export", called("export_dialog")),
    View("handout", called("handout_dialog")),
    View("handout-open", called("open_handout_dialog")),
    View("import-team", import_centre("packages")),
    View("import-survey", import_centre("survey")),
    View("import-external", import_centre("external")),
    View("import-preview", import_preview),
    View("report-appraisal", report("appraisal")),
    View("report-self", report("self")),
    View("report-publication", report("publication")),
    View("report-appraisal-xlsx", report("appraisal_xlsx")),
    View("report-results-xlsx", report("results_xlsx")),
    View("report-notice", report("notice")),
    View("report-submission", report("submission")),
    View("report-decision", report("decision")),
    View("report-analysis", report("analysis")),
    View("report-preview", report_preview),
    View("report-setup", called("report_setup_dialog"), placeholders_are_data=True),
    View("report-setup-unit", on_tab(called("report_setup_dialog"), 1), placeholders_are_data=True),
    View("report-setup-province", on_tab(called("report_setup_dialog"), 2), placeholders_are_data=True),
    View("teams", called("teams_window")),
    View("teams-schedule", on_tab(called("teams_window"), 1)),
    View("teams-form", teams_form),
    View("sign", called("sign_dialog")),
    View("verify", called("verify_dialog")),
    View("backups", called("backup_dialog")),
    View("about", called("shortcuts_page")),  # replaced below: about is a modal exec()
    View("about-fonts", called("shortcuts_page")),
    View("about-folders", called("shortcuts_page")),
    View("shortcuts", called("shortcuts_page")),
]


def about(s: Shots) -> QWidget:
    from evaluator.ui.about import AboutDialog

    dialog = AboutDialog(s.window)
    dialog.show()
    return dialog


for _tab, _name in enumerate(("about", "about-fonts", "about-folders")):
    VIEWS[[v.name for v in VIEWS].index(_name)] = View(_name, on_tab(about, _tab))


# --- the checks ----------------------------------------------------------------------------------------
def _rect(w: QWidget) -> QRect:
    return QRect(w.mapTo(w.window(), QPoint(0, 0)), w.size())


def _scrolled(w: QWidget, top: QWidget) -> bool:
    """Inside a scroll area's viewport (its parts may lie outside what is shown: they scroll)."""
    parent = w.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _qt_part(w: QWidget, top: QWidget) -> bool:
    """A part Qt lays out inside its own widget (a spin box's line edit)."""
    parent = w.parentWidget()
    return parent is not None and parent is not top and isinstance(parent, QAbstractSpinBox)


def layout_problems(top: QWidget, main: bool) -> list[str]:
    problems = []
    room = SCREEN if main else WORK_AREA
    if top.width() > room[0] or top.height() > room[1]:
        problems.append(f"the window is {top.width()}×{top.height()}, larger than {room[0]}×{room[1]}")
    frame = QRect(0, 0, top.width(), top.height())
    for w in shown_widgets(top):
        if _qt_part(w, top):
            continue
        where = f"{type(w).__name__} {w.objectName()}".strip()
        hint = w.minimumSizeHint()
        minimum = w.minimumWidth() or (hint.width() if hint.isValid() else 0)
        # (a tab bar: its tabs are checked one by one below)
        if w.sizePolicy().horizontalPolicy().name != "Ignored" and w.width() < minimum \
                and not isinstance(w, QTabBar):
            problems.append(f"{where} {w.width()} px wide < its minimum {minimum}")
        if not _scrolled(w, top) and not frame.contains(_rect(w)):
            problems.append(f"{where} lies outside its window: {_rect(w)}")
        if isinstance(w, QAbstractButton) and w.text():
            text = w.text().replace("&", "")
            if w.fontMetrics().horizontalAdvance(text) > w.width():
                problems.append(f"clipped button text: {text!r}")
        if isinstance(w, QHeaderView) and w.orientation().name == "Horizontal":
            model = w.model()
            for c in range(model.columnCount() if model is not None else 0):
                if w.isSectionHidden(c) or w.sectionSize(c) == 0:
                    continue
                text = str(model.headerData(c, w.orientation()) or "")
                if text and w.fontMetrics().horizontalAdvance(text) + 8 > w.sectionSize(c):
                    problems.append(f"column title squeezed: {text!r} in {w.sectionSize(c)} px")
        if isinstance(w, QTabWidget):
            bar = w.tabBar()
            for i in range(w.count()):
                text = w.tabText(i).replace("&", "")
                if bar.fontMetrics().horizontalAdvance(text) > bar.tabRect(i).width():
                    problems.append(f"clipped tab: {w.tabText(i)!r}")
    return problems


def set_texts(project: list[Framework]) -> list[str]:
    """The criteria sets' own texts (titles, level labels: Vietnamese, the sets are data), the project's
    and the bundled ones the wizards offer."""
    sets = project + [load_framework(p) for p in sorted(resource("frameworks").glob("*.yaml"))]
    out = []
    for fw in sets:
        out.append(fw.title)
        for node in fw.nodes.values():
            out.append(node.title)
            rule = node.rule
            out += [lv.label for lv in getattr(rule, "levels", ()) or () if lv.label]
    return out


# --- the fixture and the test --------------------------------------------------------------------------
@pytest.fixture(scope="module", params=["vi", "en"])
def shots(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shots]:
    # a folder of a fixed name: the paths the views show (status bar, suggested files) and so the screenshots
    # are the same from one run to the next
    # (and one per xdist worker: `dev.py test` keeps a file on one worker, a plain `-n 2` does not)
    language_before = i18n.language()  # restored at the end: the next module's fixtures run in it
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    name = f"evaluator-every-view-{request.param}" + (f"-{worker}" if worker else "")
    folder = Path(tempfile.gettempdir()) / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    os.environ["EVALUATOR_CONFIG_DIR"] = str(folder / "cfg")  # (module scope: no monkeypatch)
    os.environ["EVALUATOR_HOME"] = str(folder / "home")  # the folders the dialogs suggest
    db = copy_project(shared_demo(tmp_path_factory), folder / "demo.db")
    app = application(request.param)
    ctx, window = build_window(UserSettings(name=USER, role="committee", device_id="t",
                                            language=request.param), persist=False)
    window.resize(*SCREEN)
    window.show()
    window.open_project(str(db))
    assert wait_for(lambda: ctx.project is not None, 30)
    units = ctx.read(lambda x: list_units(x, 2024))
    title = window.project_label.text().rsplit(" — ", 1)[0]
    notes = ctx.read(lambda x: list(x.scalars(select(Score.note).distinct())))
    data = [title, USER, str(folder), "Tỉnh Khánh Hòa", "KĐG",  # (typed by the openers; the "N/A" one types)
            *(u.name for u in units), *(getattr(u, "short_name", "") for u in units), *notes,
            *set_texts(ctx.read(project_sets))]
    yield Shots(window, request.param, folder, [d for d in data if d])
    window.close()
    window.deleteLater()
    app.processEvents()
    application("vi")
    i18n.set_language(language_before)  # (installing the Vietnamese catalogue set the messages' language)
    os.environ.pop("EVALUATOR_CONFIG_DIR", None)
    os.environ.pop("EVALUATOR_HOME", None)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize("view", VIEWS, ids=[v.name for v in VIEWS])
def test_view_fits_1366x768(shots: Shots, view: View) -> None:
    i18n.set_language(shots.language)  # (conftest sets the messages' language by the fixtures a test uses)
    window = shots.window
    window.resize(*SCREEN)
    before = set(QApplication.topLevelWidgets())
    top = view.open(shots)
    try:
        top.show()
        shots.settle()
        if top is window:
            assert (window.width(), window.height()) == SCREEN  # no minimum size pushed it past the screen
        suffix = "vi" if shots.language == "vi" else "en"
        assert top.grab().save(str(SHOTS / f"{view.name}-1366-{suffix}.png"))
        problems = layout_problems(top, top is window)
        if shots.language == "en":
            data = shots.data + ([e.placeholderText() for e in top.findChildren(QLineEdit)]
                                 if view.placeholders_are_data else [])
            problems += [f"Vietnamese: {p}" for p in vietnamese_in(top, data)]
        assert not problems, f"{view.name} ({shots.language}):\n" + "\n".join(problems)
    finally:
        for w in set(QApplication.topLevelWidgets()) - before:  # every window this view opened
            if w is not window and w.isVisible():
                w.close()
        window.dialog = None
        window.show_view("workspace")
