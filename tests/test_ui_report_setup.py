"""The people and places of the documents from the GUI (pytest-qt, offscreen, a real project): the dialog of
Báo cáo → Thông tin trên văn bản stores the council and each unit's representatives and conclusions through
``services.report_setup`` (audited), keeps what was typed for a unit while another is shown, stores nothing
and says why when a value is refused or the project is busy, shows the stored values when reopened — and the
appraisal minutes print them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from sqlalchemy import select
from ui_helpers import open_window

from evaluator.models import AuditEvent, open_project
from evaluator.services.documents import gather, write
from evaluator.services.report_setup import report_setup
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.main_window import MainWindow
from evaluator.ui.report_setup_dialog import PeopleTable, ReportSetupDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

CHAIR = {"name": "Nguyễn Văn Hùng", "position": "Giám đốc Sở Nội vụ"}
SECRETARY = {"name": "Lê Thị Thu Hà", "position": "Chuyên viên"}
COUNCIL = [
    {"name": "Trần Quốc Bảo", "position": "Phó Giám đốc Sở Tư pháp", "role": "Thành viên"},
    {"name": "Đỗ Thị Mai", "position": "Trưởng phòng CCHC", "role": "Thành viên, thư ký tổng hợp"},
]
REPRESENTATIVE = {"name": "Phạm Minh Đức", "position": "Phó Giám đốc Sở Nội vụ"}
CONCLUSION = "Đơn vị thực hiện đầy đủ các nhiệm vụ cải cách hành chính năm 2024."


@pytest.fixture
def window(demo_copy: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    # a dialog left with unsaved edits asks when the test closes it: no real modal box in tests
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Discard)
    return open_window(demo_copy, qtbot, "Lê Thị Thu Hà", "secretary")


def open_dialog(window: MainWindow, qtbot: Any) -> ReportSetupDialog:
    dialog = window.report_setup_dialog()
    assert isinstance(dialog, ReportSetupDialog) and window.dialog is dialog and dialog.isVisible()
    qtbot.addWidget(dialog)
    return dialog


def stored(db: Path) -> dict[str, Any]:
    with open_project(db) as project, project.session() as s:
        return report_setup(s)


def audit_events(db: Path) -> list[AuditEvent]:
    with open_project(db) as project, project.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "settings.reports")))


def key(editor: QWidget, key: Qt.Key, text: str = "") -> None:
    QApplication.sendEvent(editor, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))


def add_person(people: PeopleTable, person: dict[str, str]) -> None:
    """As a secretary does: "Thêm…" opens the name cell; type, Tab to the next cell, type…; the last cell's
    editor is left open (what is typed there counts too)."""
    people.add_button.click()
    table = people.table
    row = table.rowCount() - 1
    for col, field in enumerate(people.fields):
        editor = table.indexWidget(table.model().index(row, col))
        assert isinstance(editor, QLineEdit), (row, col)
        for char in person[field]:  # key events carrying the text (QTest.keyClicks cannot type Vietnamese)
            key(editor, Qt.Key.Key_Space if char == " " else Qt.Key.Key_unknown, char)
        if col + 1 < len(people.fields):
            key(editor, Qt.Key.Key_Tab)


def choose_unit(dialog: ReportSetupDialog, code: str) -> None:
    index = dialog.unit.findData(code)
    assert index >= 0, code
    dialog.unit.setCurrentIndex(index)


def save(dialog: ReportSetupDialog, qtbot: Any) -> None:
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        dialog.save_button.click()
    assert dialog.status.text() == "Đã lưu." and dialog.status.styleSheet() == OK_STYLE


def fill_council(dialog: ReportSetupDialog) -> None:
    dialog.chair_name.setText(CHAIR["name"])
    dialog.chair_position.setText(CHAIR["position"])
    dialog.secretary_name.setText(SECRETARY["name"])
    dialog.secretary_position.setText(SECRETARY["position"])
    dialog.place.setText("An Khánh")
    for person in COUNCIL:
        add_person(dialog.council, person)
    dialog.council.add_button.click()  # an empty row: dropped


def fill_so01(dialog: ReportSetupDialog) -> None:
    dialog.tabs.setCurrentIndex(1)
    choose_unit(dialog, "SO01")
    add_person(dialog.representatives, REPRESENTATIVE)
    dialog.conclusion.setPlainText(CONCLUSION)


def test_council_saved_exactly_and_audited(window: MainWindow, qtbot: Any, demo_copy: Path) -> None:
    dialog = open_dialog(window, qtbot)
    assert dialog.windowTitle() == "Thông tin trên văn bản (hội đồng, đơn vị)"
    # the placeholders show what the documents print when a field is left empty
    assert dialog.body1.placeholderText() == "UBND TỈNH AN KHÁNH"
    assert dialog.place.placeholderText() == "An Khánh"
    assert dialog.number_suffix.placeholderText() == "BB-HĐTĐ"
    fill_council(dialog)
    save(dialog, qtbot)
    assert dialog.council.table.rowCount() == 2  # shown as stored: the empty row is gone
    window.close()
    setting = stored(demo_copy)
    assert setting["chair"] == CHAIR and setting["secretary"] == SECRETARY
    assert setting["council"] == COUNCIL and setting["place"] == "An Khánh"
    assert setting["issuing_body"] == [] and setting["number_suffix"] == ""  # left empty: the defaults print
    assert setting["representatives"] == {} and setting["conclusions"] == {}
    events = audit_events(demo_copy)
    assert len(events) == 1 and events[0].author == "Lê Thị Thu Hà" and events[0].role == "secretary"
    assert events[0].new["chair"] == CHAIR


def test_unit_entries_kept_when_switching_units_and_saved(
    window: MainWindow, qtbot: Any, demo_copy: Path
) -> None:
    dialog = open_dialog(window, qtbot)
    fill_so01(dialog)
    choose_unit(dialog, "SO02")  # another unit: its own (empty) entries
    assert dialog.representatives.people() == [] and dialog.conclusion.toPlainText() == ""
    dialog.opinion.setPlainText("Thống nhất với kết quả thẩm định.")
    choose_unit(dialog, "SO01")  # back: what was typed is still there
    assert dialog.representatives.people() == [REPRESENTATIVE]
    assert dialog.conclusion.toPlainText() == CONCLUSION and dialog.opinion.toPlainText() == ""
    assert stored(demo_copy)["representatives"] == {}  # nothing stored before "Lưu"
    save(dialog, qtbot)
    window.close()
    setting = stored(demo_copy)
    assert setting["representatives"] == {"SO01": [REPRESENTATIVE]}
    assert setting["conclusions"] == {"SO01": CONCLUSION}
    assert setting["unit_opinions"] == {"SO02": "Thống nhất với kết quả thẩm định."}


def test_invalid_conclusion_shows_the_problem_and_stores_nothing(
    window: MainWindow, qtbot: Any, demo_copy: Path
) -> None:
    dialog = open_dialog(window, qtbot)
    fill_council(dialog)
    save(dialog, qtbot)
    before, events = stored(demo_copy), len(audit_events(demo_copy))
    dialog.chair_name.setText("Người khác")
    fill_so01(dialog)
    dialog.conclusion.setPlainText("x" * 2500)
    with qtbot.assertNotEmitted(dialog.saved):
        assert not dialog.save()
    message = dialog.status.text()
    assert "conclusions.SO01" in message and "2500 ký tự, tối đa 2000" in message
    assert dialog.status.styleSheet() == ERROR_STYLE
    assert dialog.chair_name.text() == "Người khác"  # what was typed stays, to be corrected
    assert stored(demo_copy) == before and len(audit_events(demo_copy)) == events


def test_a_save_while_a_write_runs_waits_for_it_and_stores(window: MainWindow, qtbot: Any,
                                                             demo_copy: Path) -> None:
    """Writes are queued, not refused (issue #11): the save waits until the running write ends."""
    from PySide6.QtCore import QTimer

    dialog = open_dialog(window, qtbot)
    fill_council(dialog)
    window.ctx.set_busy("nhập dữ liệu")
    QTimer.singleShot(200, lambda: window.ctx.set_busy(""))  # the write ends while the save waits
    assert dialog.save()
    assert not window.ctx.busy
    assert stored(demo_copy)["chair"] == CHAIR and len(audit_events(demo_copy)) == 1


def test_reopened_dialog_shows_the_stored_values(window: MainWindow, qtbot: Any) -> None:
    dialog = open_dialog(window, qtbot)
    fill_council(dialog)
    fill_so01(dialog)
    save(dialog, qtbot)
    dialog.close()
    reports = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Báo cáo")
    action = next(a for a in reports.actions() if a.text() == "Thông tin trên văn bản (hội đồng, đơn vị)…")
    action.trigger()  # the Reports menu opens a new dialog on what is stored
    again = window.dialog
    assert isinstance(again, ReportSetupDialog) and again is not dialog
    qtbot.addWidget(again)
    assert (again.chair_name.text(), again.chair_position.text()) == (CHAIR["name"], CHAIR["position"])
    assert (again.secretary_name.text(), again.secretary_position.text()) == tuple(SECRETARY.values())
    assert again.place.text() == "An Khánh" and again.council.people() == COUNCIL
    choose_unit(again, "SO01")
    assert again.representatives.people() == [REPRESENTATIVE] and again.conclusion.toPlainText() == CONCLUSION


def test_minutes_pdf_prints_the_saved_people(
    window: MainWindow, qtbot: Any, demo_copy: Path, tmp_path: Path
) -> None:
    dialog = open_dialog(window, qtbot)
    fill_council(dialog)
    fill_so01(dialog)
    save(dialog, qtbot)
    window.close()
    out = tmp_path / "bien-ban-SO01.pdf"
    with open_project(demo_copy) as project:  # as `evaluator report appraisal --unit SO01 --year 2024`
        documents = gather(project, "appraisal", 2024, ["SO01"])
    write(documents, "appraisal", 2024, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    text = " ".join(text.split())
    for name in (CHAIR["name"], COUNCIL[1]["name"], REPRESENTATIVE["name"]):
        assert name in text, name


@pytest.mark.parametrize("answer", ["Cancel", "Discard", "Save"])
def test_closing_with_unsaved_edits_asks(window: MainWindow, qtbot: Any, demo_copy: Path,
                                         monkeypatch: pytest.MonkeyPatch, answer: str) -> None:
    from PySide6.QtWidgets import QMessageBox

    asked: list[str] = []

    def question(_parent: Any, _title: str, text: str, *_args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return getattr(QMessageBox.StandardButton, answer)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = open_dialog(window, qtbot)
    dialog.close()  # nothing edited: closes without asking
    assert not dialog.isVisible() and asked == []
    dialog = open_dialog(window, qtbot)
    dialog.chair_name.setText(CHAIR["name"])
    dialog.close()
    assert asked == ["Lưu các thay đổi trước khi đóng?"]
    assert dialog.isVisible() == (answer == "Cancel")
    assert stored(demo_copy)["chair"]["name"] == (CHAIR["name"] if answer == "Save" else "")


def test_closing_the_main_window_asks_about_unsaved_edits(window: MainWindow, qtbot: Any, demo_copy: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    answers = iter([QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save])
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: next(answers))
    dialog = open_dialog(window, qtbot)
    dialog.place.setText("Gia Nghĩa")
    window.close()  # Cancel: the dialog and the window stay
    assert window.isVisible() and dialog.isVisible()
    window.close()  # Save: stored, then both close
    assert not window.isVisible() and not dialog.isVisible()
    assert stored(demo_copy)["place"] == "Gia Nghĩa"


def test_meetings_and_forms_of_address_survive_a_save_from_the_dialog(
    demo_copy: Path, qtbot: Any, request: pytest.FixtureRequest
) -> None:
    """``meeting``, ``meetings`` and a person's ``address`` set with ``report-setup --set`` are shown by the
    dialog and saved back as they were when other fields are edited."""
    from evaluator.services.report_setup import set_report_setup

    chair = {**CHAIR, "address": "Ông"}
    representative = {**REPRESENTATIVE, "address": "Bà"}
    meeting = {"start": "", "end": "", "place": "Phòng họp số 2"}
    meetings = {"SO01": {"start": "2025-01-10 08:00", "end": "11:30", "place": ""}}
    with open_project(demo_copy) as project, project.session() as s:
        set_report_setup(s, {"chair": chair, "meeting": meeting, "meetings": meetings,
                             "representatives": {"SO01": [representative]}})
        s.commit()
    window = request.getfixturevalue("window")
    dialog = open_dialog(window, qtbot)
    dialog.secretary_name.setText(SECRETARY["name"])  # an edit of the council…
    dialog.tabs.setCurrentIndex(1)
    choose_unit(dialog, "SO01")
    dialog.conclusion.setPlainText(CONCLUSION)  # …and of the unit
    save(dialog, qtbot)
    window.close()
    setting = stored(demo_copy)
    assert setting["chair"] == chair and setting["secretary"]["name"] == SECRETARY["name"]
    assert setting["meeting"] == meeting and setting["meetings"] == meetings
    assert setting["representatives"] == {"SO01": [representative]}
    assert setting["conclusions"] == {"SO01": CONCLUSION}
