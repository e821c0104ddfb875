"""The settings that were only reachable with ``report-setup --set``, now in the report setup dialog
(pytest-qt, offscreen, a real project): the council's appraisal meeting (start, end, place), each unit's
own meeting, a district council's meeting, and every person's form of address (Ông/Bà). Each is set in the
dialog, read back through the service and seen in a produced minutes PDF; a refused value is shown beside
its field; the dialog fits a 1366×768 screen in both languages (screenshots)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel
from test_ui_report_setup import add_person, choose_unit, open_dialog, save, stored
from test_ui_report_setup import window as window

from evaluator.models import open_project
from evaluator.services.documents import gather, write
from evaluator.services.report_setup import DISTRICTS, MEETING, MEETINGS
from evaluator.ui.job_panel import ERROR_STYLE
from evaluator.ui.main_window import MainWindow
from evaluator.ui.report_setup_dialog import PeopleTable, ReportSetupDialog, problem_place

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"

MEETING_PLACE = "Phòng họp số 2, Sở Nội vụ"
MEMBER = {"name": "Đỗ Thị Mai", "position": "Trưởng phòng CCHC", "role": "Thành viên"}
REPRESENTATIVE = {"name": "Hoàng Thị Lan", "position": "Phó Giám đốc Sở Tư pháp"}


def choose_address(people: PeopleTable, row: int, address: str) -> None:
    box = people.address(row)
    box.setCurrentIndex(box.findData(address))


def minutes_text(db: Path, unit: str, out: Path) -> str:
    with open_project(db) as project:  # as `evaluator report appraisal --unit UNIT --year 2024`
        documents = gather(project, "appraisal", 2024, [unit])
    write(documents, "appraisal", 2024, out)
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


def fill(d: ReportSetupDialog) -> None:
    """The council with its meeting and forms of address, and SO01 with its own start and end."""
    d.chair_name.setText("Nguyễn Văn Hùng")
    d.chair_position.setText("Giám đốc Sở Nội vụ")
    d.chair_address.setCurrentIndex(d.chair_address.findData("Ông"))
    d.secretary_name.setText("Lê Thị Thu Hà")
    d.secretary_position.setText("Chuyên viên")
    d.secretary_address.setCurrentIndex(d.secretary_address.findData("Bà"))
    d.meeting.start.setText("2025-01-10 08:00")
    d.meeting.end.setText("11:30")
    d.meeting.place.setText(MEETING_PLACE)
    add_person(d.council, MEMBER)
    choose_address(d.council, 0, "Bà")
    d.tabs.setCurrentIndex(1)
    choose_unit(d, "SO01")
    add_person(d.representatives, REPRESENTATIVE)
    choose_address(d.representatives, 0, "Bà")
    d.unit_meeting.start.setText("2025-01-12 14:00")  # SO01 on another day; the place is the council's
    d.unit_meeting.end.setText("16:45")


@pytest.mark.slow
def test_meeting_and_forms_of_address_set_in_the_dialog_are_stored_and_printed(
    window: MainWindow, qtbot: Any, demo_copy: Path, tmp_path: Path
) -> None:
    d = open_dialog(window, qtbot)
    assert [d.chair_address.itemText(i) for i in range(d.chair_address.count())] == ["—", "Ông", "Bà"]
    fill(d)
    save(d, qtbot)
    window.close()
    setting = stored(demo_copy)  # through the service, as `evaluator report-setup` prints it
    assert setting["chair"] == {"name": "Nguyễn Văn Hùng", "position": "Giám đốc Sở Nội vụ", "address": "Ông"}
    assert setting["secretary"] == {"name": "Lê Thị Thu Hà", "position": "Chuyên viên", "address": "Bà"}
    assert setting["council"] == [{**MEMBER, "address": "Bà"}]
    assert setting[MEETING] == {"start": "2025-01-10 08:00", "end": "11:30", "place": MEETING_PLACE}
    assert setting[MEETINGS] == {"SO01": {"start": "2025-01-12 14:00", "end": "16:45", "place": ""}}
    assert setting["representatives"] == {"SO01": [{**REPRESENTATIVE, "address": "Bà"}]}
    so01 = minutes_text(demo_copy, "SO01", tmp_path / "so01.pdf")
    assert f"Vào hồi 14 giờ 00 ngày 12 tháng 01 năm 2025, tại {MEETING_PLACE}," in so01
    assert "Biên bản kết thúc vào hồi 16 giờ 45 cùng ngày" in so01
    for line in ("- Ông Nguyễn Văn Hùng, Giám đốc Sở Nội vụ", "- Bà Đỗ Thị Mai, Trưởng phòng CCHC",
                 "- Bà Lê Thị Thu Hà, Chuyên viên", "- Bà Hoàng Thị Lan, Phó Giám đốc Sở Tư pháp"):
        assert line in so01, line
    assert "Ông/Bà" not in so01  # every person's form of address is known
    so02 = minutes_text(demo_copy, "SO02", tmp_path / "so02.pdf")  # no meeting of its own: the council's
    assert f"Vào hồi 08 giờ 00 ngày 10 tháng 01 năm 2025, tại {MEETING_PLACE}," in so02
    assert "kết thúc vào hồi 11 giờ 30 cùng ngày" in so02 and "- Bà Đỗ Thị Mai" in so02


def test_reopened_dialog_shows_meetings_and_addresses(window: MainWindow, qtbot: Any) -> None:
    d = open_dialog(window, qtbot)
    fill(d)
    save(d, qtbot)
    d.close()
    again = window.report_setup_dialog()
    assert isinstance(again, ReportSetupDialog) and again is not d
    qtbot.addWidget(again)
    assert again.chair_address.currentData() == "Ông" and again.secretary_address.currentData() == "Bà"
    assert again.meeting.meeting() == {"start": "2025-01-10 08:00", "end": "11:30", "place": MEETING_PLACE}
    assert again.council.address(0).currentData() == "Bà"
    choose_unit(again, "SO01")
    assert again.unit_meeting.meeting() == {"start": "2025-01-12 14:00", "end": "16:45", "place": ""}
    assert again.representatives.people() == [{**REPRESENTATIVE, "address": "Bà"}]
    choose_unit(again, "SO02")
    assert again.unit_meeting.meeting() == {"start": "", "end": "", "place": ""}
    # "—" takes the address away again
    choose_unit(again, "SO01")
    choose_address(again.representatives, 0, "")
    assert again.save() and stored_representatives(again) == [REPRESENTATIVE]


def stored_representatives(d: ReportSetupDialog) -> list[dict[str, str]]:
    return list(d.data["representatives"]["SO01"])


@pytest.mark.slow
def test_a_district_councils_meeting(window: MainWindow, qtbot: Any, demo_copy: Path, tmp_path: Path) -> None:
    d = open_dialog(window, qtbot)
    d.meeting.place.setText(MEETING_PLACE)  # the provincial council's
    d.council_of.setCurrentIndex(d.council_of.findData("H01"))
    assert d.meeting.meeting() == {"start": "", "end": "", "place": ""}  # the district's own, empty
    d.chair_name.setText("Trần Văn Nam")
    d.chair_address.setCurrentIndex(d.chair_address.findData("Ông"))
    d.meeting.start.setText("2025-01-15 07:30")
    d.meeting.end.setText("2025-01-16 10:00")
    d.meeting.place.setText("Hội trường UBND thành phố")
    d.council_of.setCurrentIndex(0)
    assert d.meeting.place.text() == MEETING_PLACE
    assert d.save()
    window.close()
    h01 = stored(demo_copy)[DISTRICTS]["H01"]
    assert h01["chair"] == {"name": "Trần Văn Nam", "position": "", "address": "Ông"}
    assert h01[MEETING] == {"start": "2025-01-15 07:30", "end": "2025-01-16 10:00",
                            "place": "Hội trường UBND thành phố"}
    text = minutes_text(demo_copy, "X0101", tmp_path / "x0101.pdf")  # a commune of H01, appraised by it
    assert "Vào hồi 07 giờ 30 ngày 15 tháng 01 năm 2025, tại Hội trường UBND thành phố," in text
    assert "kết thúc vào hồi 10 giờ 00 ngày 16 tháng 01 năm 2025" in text
    assert "- Ông Trần Văn Nam" in text


def shown_errors(d: ReportSetupDialog) -> dict[tuple[str, str], str]:
    return {key: label.text() for key, label in d.errors.items() if label.isVisibleTo(d)}


def test_refused_values_are_shown_beside_their_fields(window: MainWindow, qtbot: Any,
                                                      demo_copy: Path) -> None:
    d = open_dialog(window, qtbot)
    d.tabs.setCurrentIndex(1)
    choose_unit(d, "SO02")
    d.unit_meeting.start.setText("10/01/2025 8h")
    choose_unit(d, "SO01")
    d.tabs.setCurrentIndex(0)
    d.meeting.end.setText("25:00")
    before = stored(demo_copy)
    with qtbot.assertNotEmitted(d.saved):
        assert not d.save()
    assert stored(demo_copy) == before and d.status.styleSheet() == ERROR_STYLE
    assert "2 lỗi" in d.status.text()
    # each problem under its field; the other unit's, when that unit is shown
    assert d.tabs.currentIndex() == 0
    end = 'meeting.end: "25:00" không phải là thời gian dạng YYYY-MM-DD HH:MM | HH:MM'
    assert shown_errors(d) == {("council", "meeting.end"): end}
    d.tabs.setCurrentIndex(1)
    assert d.unit.currentData() == "SO01" and ("unit", "meeting.start") not in shown_errors(d)
    choose_unit(d, "SO02")
    start = 'meetings.SO02.start: "10/01/2025 8h" không phải là thời gian dạng YYYY-MM-DD HH:MM'
    assert shown_errors(d)[("unit", "meeting.start")] == start
    assert d.unit_meeting.start.text() == "10/01/2025 8h"  # what was typed stays, to be corrected
    qtbot.wait(50)  # the layout follows the error labels shown
    assert d.status_area.height() >= d.status.heightForWidth(d.status_area.viewport().width())
    assert d.grab().save(str(SHOTS / "report-setup-error.png"))
    d.meeting.end.setText("11:00")  # the council's corrected only: the unit's problem is brought forward
    d.tabs.setCurrentIndex(0)
    choose_unit(d, "SO01")
    assert not d.save()
    assert d.tabs.currentIndex() == 1 and d.unit.currentData() == "SO02"
    assert list(shown_errors(d)) == [("unit", "meeting.start")]
    d.unit_meeting.start.setText("2025-01-10 08:00")
    assert d.save() and shown_errors(d) == {}
    assert stored(demo_copy)[MEETINGS] == {"SO02": {"start": "2025-01-10 08:00", "end": "", "place": ""}}


def test_problem_places() -> None:
    assert problem_place("meetings.SO01.start") == ("unit", "SO01", "meeting.start")
    assert problem_place("representatives.SO01[0].address") == ("unit", "SO01", "representatives")
    assert problem_place("conclusions.SO02") == ("unit", "SO02", "conclusions")
    assert problem_place("district_councils.H01.meeting.end") == ("council", "H01", "meeting.end")
    assert problem_place("district_councils.H01.council[2].name") == ("council", "H01", "council")
    assert problem_place("chair.address") == ("council", "", "chair")
    assert problem_place("issuing_body[3]") == ("council", "", "issuing_body")
    assert problem_place("meeting.start") == ("council", "", "meeting.start")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_fits_1366x768_and_screenshots(window: MainWindow, qtbot: Any, language: str) -> None:
    from evaluator.ui.app import application

    application(language)
    try:
        d = window.report_setup_dialog()
        assert isinstance(d, ReportSetupDialog)
        qtbot.addWidget(d)
        if language == "en":
            assert d.tabs.tabText(0) == "Council" and d.meeting.findChildren(QLabel)[0].text() == "Start"
        fill(d)
        d.tabs.setCurrentIndex(0)
        screen = QApplication.primaryScreen().availableGeometry()
        print(f"dialog {d.width()}×{d.height()} on {screen.width()}×{screen.height()}")
        for tab in range(d.tabs.count()):
            d.tabs.setCurrentIndex(tab)
            qtbot.wait(50)
            assert d.width() <= 1366 and d.height() <= 768 - 40
            assert d.minimumSizeHint().width() <= d.width() and d.minimumSizeHint().height() <= d.height()
            for b in d.findChildren(QAbstractButton):  # no button text cut off
                if b.isVisibleTo(d) and b.text():
                    assert b.fontMetrics().horizontalAdvance(b.text()) <= b.width(), b.text()
            suffix = "" if language == "vi" else "-en"
            name = ("council", "unit", "province")[tab]
            assert d.grab().save(str(SHOTS / f"report-setup-{name}{suffix}.png"))
        d.tabs.setCurrentIndex(0)
        d.council_of.setCurrentIndex(d.council_of.findData("H01"))
        if language == "vi":
            assert d.grab().save(str(SHOTS / "report-setup-district-council.png"))
    finally:
        application("vi")
