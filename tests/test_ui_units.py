"""The "Đơn vị" window on a copy of the demo project (pytest-qt, offscreen, real files): the units in a table,
filtered by kind, retired ones on request; adding and editing a unit through the form (a refused one keeps
the form open with the service's problem, nothing written); retiring and bringing back; importing a unit
list from Excel (a bad workbook lists every problem with its row and column and cannot be applied, the
project untouched; a good one previewed, then applied); exporting the list, which reads back as the same
units."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from sqlalchemy import func, select
from test_ui_language import _open as open_in
from test_ui_language import english, vietnamese_in  # noqa: F401 (a fixture used by name)
from test_ui_new_project import walk_to

from evaluator.models import AuditEvent, Unit
from evaluator.services.unit_sheets import import_units
from evaluator.services.units import list_units, project_kinds, retire_unit
from evaluator.services.users import Actor, UserSettings
from evaluator.ui.app import application, build_window
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.labels import kind_label
from evaluator.ui.main_window import MainWindow
from evaluator.ui.new_project_wizard import PAGES
from evaluator.ui.units_window import CODE, KIND, NAME, RETIRED, UnitDialog, UnitsWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

HEADER = ["unit_code", "unit_name", "unit_kind", "short_name", "parent_code", "ranking_group", "abbreviation",
          "head_title"]
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def book(path: Path, rows: list[list[Any]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "units"
    for row in [HEADER, *rows]:
        ws.append(row)
    wb.save(path)
    return path


def opened(window: MainWindow) -> UnitsWindow:
    win = window.units_window()
    assert win is not None and win.isVisible()
    return win


def codes(win: UnitsWindow) -> list[str]:
    return [win.model.text(r, CODE) for r in range(win.model.rowCount())]


def settle(win: UnitsWindow, qtbot: Any) -> None:
    qtbot.waitUntil(lambda: win.job is None, timeout=20_000)


def stored(window: MainWindow, code: str) -> Unit | None:
    return window.ctx.read(lambda s: s.scalars(select(Unit).where(Unit.code == code)).first())


def events(window: MainWindow, action: str) -> int:
    return window.ctx.read(lambda s: s.scalar(select(func.count()).select_from(AuditEvent)
                                              .where(AuditEvent.action == action)))


def test_the_table_lists_the_units_by_kind_and_the_retired_on_request(window: MainWindow) -> None:
    win = opened(window)
    expected = window.ctx.read(list_units)
    assert codes(win) == [u.code for u in expected] and expected
    assert win.count.text() == f"{len(expected)} đơn vị"
    kinds = window.ctx.read(project_kinds)
    assert [win.kind.itemData(i) for i in range(win.kind.count())] == [None, *kinds]
    win.kind.setCurrentIndex(win.kind.findData("district"))
    assert codes(win) == [u.code for u in expected if u.kind == "district"]
    assert {win.model.text(r, KIND) for r in range(win.model.rowCount())} == {kind_label("district")}
    assert not win.edit_action.isEnabled()  # nothing chosen yet
    assert win.select(codes(win)[0]) and win.edit_action.isEnabled()


def test_add_a_unit_through_the_form_and_a_refused_one_keeps_the_form(window: MainWindow, qtbot: Any) -> None:
    win = opened(window)
    before = len(codes(win))
    form = win.add_dialog()
    assert isinstance(form, UnitDialog) and form.isVisible()
    form.code.setText("SO01")  # a code the project has: refused, the form stays with the problem
    form.name.setText("Sở trùng mã")
    form.kind.setCurrentIndex(form.kind.findData("department"))
    form.save()
    settle(win, qtbot)
    assert form.isVisible() and "Đã có đơn vị mã SO01" in form.error.text()
    assert form.buttons.isEnabled()
    assert window.ctx.read(lambda s: s.scalar(select(func.count()).select_from(Unit))) == before
    form.code.setText("SO99")
    form.name.setText("Sở Du lịch")
    form.texts["abbreviation"].setText("SDL")
    form.texts["head_title"].setText("Giám đốc")
    form.save()
    settle(win, qtbot)
    assert not form.isVisible()
    unit = stored(window, "SO99")
    assert unit is not None and (unit.name, unit.kind, unit.abbreviation, unit.head_title) == (
        "Sở Du lịch", "department", "SDL", "Giám đốc")
    assert "SO99" in codes(win) and len(codes(win)) == before + 1  # the table followed the Change
    assert win.current() is not None and win.current().code == "SO99"
    assert win.status.styleSheet() == OK_STYLE and "SO99" in win.status.text()
    assert events(window, "unit.add") >= 1


def test_edit_the_chosen_unit(window: MainWindow, qtbot: Any) -> None:
    win = opened(window)
    assert win.select("SO01")
    form = win.edit_dialog()
    assert form is not None and form.code.text() == "SO01" and form.name.text()
    form.name.setText("Sở Nội vụ (đã đổi tên)")
    form.parent_code.setCurrentIndex(form.parent_code.findData(""))
    form.save()
    settle(win, qtbot)
    assert not form.isVisible()
    unit = stored(window, "SO01")
    assert unit is not None and unit.name == "Sở Nội vụ (đã đổi tên)"
    row = codes(win).index("SO01")
    assert win.model.text(row, NAME) == "Sở Nội vụ (đã đổi tên)"
    assert events(window, "unit.edit") == 1
    # a name made empty: the service's problem in the form, the unit as it was
    form = win.edit_dialog()
    assert form is not None
    form.name.setText("")
    form.save()
    settle(win, qtbot)
    assert form.isVisible() and form.error.text()
    unit = stored(window, "SO01")
    assert unit is not None and unit.name == "Sở Nội vụ (đã đổi tên)"


def test_retire_and_bring_back(window: MainWindow, qtbot: Any) -> None:
    win = opened(window)
    assert win.select("SO01") and win.retire_action.text() == "Thôi sử dụng"
    win.toggle_retired()
    settle(win, qtbot)
    unit = stored(window, "SO01")
    assert unit is not None and unit.retired_at is not None
    assert "SO01" not in codes(win)
    win.show_retired.setChecked(True)
    row = codes(win).index("SO01")
    assert win.model.text(row, RETIRED) == f"{unit.retired_at:%Y-%m-%d}"
    assert win.select("SO01") and win.retire_action.text() == "Khôi phục"
    win.toggle_retired()
    settle(win, qtbot)
    unit = stored(window, "SO01")
    assert unit is not None and unit.retired_at is None
    assert win.model.text(codes(win).index("SO01"), RETIRED) == ""
    assert (events(window, "unit.retire"), events(window, "unit.restore")) == (1, 1)
    # a change made elsewhere (another window, an import) reaches the table through the Change
    window.ctx.run(lambda s: retire_unit(s, "SO02", actor=Actor("Thư Ký", "committee")))
    assert win.model.text(codes(win).index("SO02"), RETIRED) != ""


def test_import_a_bad_workbook_lists_every_problem_and_cannot_be_applied(window: MainWindow, qtbot: Any,
                                                                         tmp_path: Path) -> None:
    win = opened(window)
    before = window.ctx.read(lambda s: [u.to_json() for u in list_units(s, include_retired=True)])
    bad = book(tmp_path / "loi.xlsx", [
        ["MOI1", "Sở Mới", "planet", "", "", "", "", ""],              # a kind no set knows
        ["MOI2", "", "department", "", "", "", "", ""],                # no name
        ["MOI1", "Trùng mã", "department", "", "", "", "", ""],        # the code again
        ["MOI3", "Sở Ba", "department", "", "KHONG-CO", "", "", ""],   # a parent nobody has
    ])
    preview = win.import_dialog(bad)
    assert preview is not None
    settle(win, qtbot)
    lines = [preview.lines.item(i).text() for i in range(preview.lines.count())]
    assert preview.summary.styleSheet() == ERROR_STYLE and "4" in preview.summary.text()
    assert len(lines) == 4
    # each with its file, sheet, row and column (the sheet's own column names)
    for row, column in ((2, "unit_kind"), (3, "unit_name"), (4, "unit_code"), (5, "parent_code")):
        assert any(line.startswith(f"loi.xlsx: trang tính units, dòng {row}, cột {column}:")
                   for line in lines), (row, lines)
    assert not preview.apply_button.isEnabled()
    after = window.ctx.read(lambda s: [u.to_json() for u in list_units(s, include_retired=True)])
    assert after == before


def test_import_a_good_workbook_previews_then_applies(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    win = opened(window)
    good = book(tmp_path / "don-vi.xlsx", [
        ["SO01", "Sở Nội vụ tỉnh", "department", "", "", "", "SNV", "Giám đốc"],
        ["BQL", "Ban Quản lý các khu công nghiệp", "department", "", "", "đặc thù", "BQLKCN", "Trưởng ban"],
    ])
    preview = win.import_dialog(good)
    assert preview is not None
    settle(win, qtbot)
    lines = [preview.lines.item(i).text() for i in range(preview.lines.count())]
    assert "1 đơn vị mới, 1 đơn vị cập nhật" in preview.summary.text()
    assert any("BQL" in line for line in lines) and any("SO01" in line for line in lines)
    assert stored(window, "BQL") is None  # the dry run wrote nothing
    assert preview.apply_button.isEnabled()
    preview.apply_button.click()
    settle(win, qtbot)
    assert preview.summary.styleSheet() == OK_STYLE and not preview.apply_button.isEnabled()
    unit = stored(window, "BQL")
    assert unit is not None and unit.ranking_group == "đặc thù"
    so01 = stored(window, "SO01")
    assert so01 is not None and (so01.name, so01.abbreviation) == ("Sở Nội vụ tỉnh", "SNV")
    assert "BQL" in codes(win)  # the table followed the import's Change


def test_export_writes_the_sheet_the_import_reads(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    win = opened(window)
    target = tmp_path / "xuat.xlsx"
    assert win.export(target) is not None
    settle(win, qtbot)
    assert win.status.styleSheet() == OK_STYLE and str(target) in win.status.text()
    sheet = openpyxl.load_workbook(target)["units"]
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == HEADER
    assert [r[0] for r in rows[1:]] == codes(win)
    # and imports back into the same project as nothing to do
    preview = win.import_dialog(target)
    assert preview is not None
    settle(win, qtbot)
    assert not preview.apply_button.isEnabled()
    assert "0 đơn vị mới, 0 đơn vị cập nhật" in preview.summary.text()
    # a folder that cannot be written: the reason in the window
    win.export(tmp_path / "khong-co" / "x.xlsx")
    settle(win, qtbot)
    assert win.status.styleSheet() == ERROR_STYLE and "khong-co" in win.status.text()


def test_screenshot(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    """The window at 1366×768 with a unit chosen (docs/screenshots/units.png when UNITS_SHOTS is set): a
    few units with their details filled in and one retired, as a province's list looks."""
    project = window.ctx.project
    assert project is not None
    import_units(project, book(tmp_path / "chi-tiet.xlsx", [
        ["SO01", "Sở Nội vụ", "department", "Nội vụ", "", "", "SNV", "Giám đốc"],
        ["SO02", "Sở Tư pháp", "department", "Tư pháp", "", "", "STP", "Giám đốc"],
        ["SO03", "Sở Tài chính", "department", "Tài chính", "", "", "STC", "Giám đốc"],
        ["SO20", "Ban Quản lý các khu công nghiệp", "department", "BQL KCN", "", "đặc thù", "BQLKCN",
         "Trưởng ban"],
    ]), author="Thư Ký")
    with project.session(write=True) as s:
        retire_unit(s, "SO19", actor=Actor("Thư Ký", "committee"))
    win = opened(window)
    win.resize(1366, 768)
    win.show_retired.setChecked(True)
    assert win.select("SO01")
    qtbot.wait(50)
    out = SHOTS if os.environ.get("UNITS_SHOTS") else tmp_path
    image = win.grab()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(out / "units.png"))
    form = win.edit_dialog()
    assert form is not None
    qtbot.wait(50)
    assert form.grab().save(str(out / "units-form.png"))
    form.close()
    preview = win.import_dialog(book(tmp_path / "danh-sach-don-vi.xlsx", [
        ["SO23", "Sở Du lịch", "department", "Du lịch", "", "", "SDL", "Giám đốc"],
        ["SO24", "", "department", "", "", "", "", ""],
        ["SO23", "Sở Ngoại vụ", "department", "", "", "", "", ""],
        ["X0199", "UBND xã Mới", "commune", "", "H99", "", "", "Chủ tịch"],
    ]))
    assert preview is not None
    settle(win, qtbot)
    assert preview.lines.count() == 3
    assert preview.grab().save(str(out / "units-import.png"))


@pytest.mark.usefixtures("english")
def test_in_english_the_window_its_form_and_preview_show_no_vietnamese(demo_copy: Path, qtbot: Any,
                                                                       tmp_path: Path) -> None:
    window = open_in(demo_copy, qtbot, "en")
    names = window.ctx.read(lambda s: [u.name for u in list_units(s, include_retired=True)])
    data = [*names, str(demo_copy), str(tmp_path)]
    win = opened(window)
    assert win.windowTitle() == "Unit list" and win.add_action.text() == "Add…"
    assert vietnamese_in(win, data) == []
    form = win.add_dialog()
    assert form is not None
    assert vietnamese_in(form, data) == []
    form.close()
    bad = book(tmp_path / "bad.xlsx", [["N1", "", "department", "", "", "", "", ""]])
    preview = win.import_dialog(bad)
    assert preview is not None
    settle(win, qtbot)
    assert preview.lines.count() == 1 and "row 2" in preview.lines.item(0).text()
    assert vietnamese_in(preview, data) == []
    window.close()


# --- the new-project wizard's units page --------------------------------------------------------------
@pytest.fixture
def blank(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> Iterator[MainWindow]:
    """The main window with no project open; projects go to ``tmp_path/projects``."""
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    monkeypatch.setenv("EVALUATOR_PROJECTS_DIR", str(tmp_path / "projects"))
    application("vi")
    _ctx, win = build_window(UserSettings(name="Thư Ký", role="committee", device_id="t"), persist=False)
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()


def test_the_wizard_checks_the_unit_list_and_imports_it_with_the_project(
        blank: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    places = tmp_path / "projects"
    wizard = blank.create_dialog()
    wizard.place_page.year.setValue(2025)
    wizard.place_page.path.setText(str(places / "tinh-2025.db"))
    wizard.place_page._path_edited()
    walk_to(wizard, "units", qtbot)
    page = wizard.units_page
    assert page.later.isChecked() and page.isComplete()  # no list now is a choice
    bad = book(tmp_path / "loi.xlsx", [
        ["SO01", "Sở Nội vụ", "department", "", "", "", "", ""],
        ["H01", "UBND huyện An Phú", "district", "", "", "", "", ""],   # no 2025 set scores districts
        ["X01", "UBND xã Một", "commune", "", "H99", "", "", ""],       # a parent nobody has
    ])
    page.check(bad)
    qtbot.waitUntil(lambda: page.loading is None, timeout=20_000)
    if os.environ.get("UNITS_SHOTS"):
        qtbot.wait(50)
        assert wizard.grab().save(str(SHOTS / "wizard-units.png"))
    lines = [page.lines.item(i).text() for i in range(page.lines.count())]
    assert page.summary.styleSheet() == ERROR_STYLE and len(lines) == 2, lines
    assert lines[0].startswith("loi.xlsx: trang tính units, dòng 3, cột unit_kind:")
    assert lines[1].startswith("loi.xlsx: trang tính units, dòng 4, cột parent_code:")
    assert not page.isComplete()
    good = book(tmp_path / "don-vi.xlsx", [
        ["SO01", "Sở Nội vụ", "department", "Nội vụ", "", "", "SNV", "Giám đốc"],
        ["X01", "UBND xã Một", "commune", "", "", "", "", "Chủ tịch"],
    ])
    page.check(good)
    qtbot.waitUntil(lambda: page.loading is None, timeout=20_000)
    assert page.isComplete() and "2 đơn vị mới" in page.summary.text()
    assert page.lines.count() == 2
    wizard.next()
    assert wizard.currentId() == PAGES["summary"] and "2 đơn vị mới" in wizard.summary_page.text.text()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: blank.ctx.project is not None, timeout=20_000)
    units = blank.ctx.read(list_units)
    assert [(u.code, u.years) for u in units] == [("SO01", (2025,)), ("X01", (2025,))]
    assert units[0].abbreviation == "SNV"


def test_a_list_that_no_longer_passes_leaves_no_project(blank: MainWindow, qtbot: Any,
                                                         tmp_path: Path) -> None:
    """The list changed on disk after the wizard checked it: the import refuses it and no file is left."""
    places = tmp_path / "projects"
    wizard = blank.create_dialog()
    wizard.place_page.year.setValue(2025)
    target = places / "tinh-2025.db"
    wizard.place_page.path.setText(str(target))
    wizard.place_page._path_edited()
    walk_to(wizard, "units", qtbot)
    sheet = book(tmp_path / "don-vi.xlsx", [["SO01", "Sở Nội vụ", "department", "", "", "", "", ""]])
    wizard.units_page.check(sheet)
    qtbot.waitUntil(lambda: wizard.units_page.loading is None, timeout=20_000)
    assert wizard.units_page.isComplete()
    walk_to(wizard, "summary", qtbot)
    book(sheet, [["SO01", "Sở Nội vụ", "district", "", "", "", "", ""]])
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: blank.job is None, timeout=20_000)
    assert blank.ctx.project is None
    assert "don-vi.xlsx: trang tính units, dòng 2, cột unit_kind" in blank.start_page.status.text()
    assert not target.exists() and not list(places.glob("tinh-2025.db*"))


ENGLISH_WORDS = ("Unit", "Save", "Cancel", "Close", "Add", "Edit", "Import", "Export", "Retire")


def english_in(top: Any, data: list[str]) -> list[str]:
    """The texts that still hold one of Qt's or the catalogue's English words once ``data`` is taken out."""
    from test_ui_language import visible_texts

    left = []
    for what, text in visible_texts(top):
        rest = text
        for value in sorted(data, key=len, reverse=True):
            rest = rest.replace(value, "")
        if any(word in rest for word in ENGLISH_WORDS):
            left.append(f"{what}: {text!r}")
    return left


def test_in_vietnamese_the_window_its_form_and_preview_show_no_english(window: MainWindow, qtbot: Any,
                                                                        tmp_path: Path) -> None:
    """Qt's standard buttons (Save, Cancel, Close) come with no Vietnamese: the window names its own."""
    names = window.ctx.read(lambda s: [u.name for u in list_units(s, include_retired=True)])
    data = [*names, str(tmp_path)]
    win = opened(window)
    assert win.windowTitle() == "Danh sách đơn vị"
    assert english_in(win, data) == []
    form = win.add_dialog()
    assert form is not None
    assert english_in(form, data) == []
    assert [b.text() for b in form.buttons.buttons()] == ["Lưu", "Huỷ"]
    form.close()
    bad = book(tmp_path / "bad.xlsx", [["N1", "", "department", "", "", "", "", ""]])
    preview = win.import_dialog(bad)
    assert preview is not None
    settle(win, qtbot)
    assert english_in(preview, data) == []
    assert "Đóng" in [b.text() for b in preview.buttons.buttons()]


def test_choosing_a_unit_with_ctrl_held_still_chooses_it(window: MainWindow, qtbot: Any) -> None:
    """After an edit the window chooses the unit again; with Ctrl held (or left held by a shortcut's key
    event, as Ctrl+Z leaves it), ``selectRow`` toggled the row off and the next edit found no unit."""
    win = opened(window)
    qtbot.keyPress(win.table, Qt.Key.Key_Control, Qt.KeyboardModifier.ControlModifier)
    try:
        assert win.select("SO01") and win.select("SO01")
        assert win.current() is not None and win.current().code == "SO01"
        assert win.select("SO02")
        assert [win.model.rows[i.row()].code for i in win.table.selectionModel().selectedRows()] == ["SO02"]
    finally:
        qtbot.keyRelease(win.table, Qt.Key.Key_Control)
