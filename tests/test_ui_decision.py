"""In the desktop application the decision is the publication (issue 15): the results view's "Công bố kết
quả…" button and the Reports menu's "Công bố kết quả của năm…" open the report dialog on the decision; made
as final (every unit approved) it records the publication — every unit's status becomes "published"."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from evaluator.models import open_project
from evaluator.services.approval import approve, unit_statuses
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window
from evaluator.ui.main_window import MainWindow
from evaluator.ui.report_dialog import ReportDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def window(demo_copy: Path, qtbot: Any, tmp_path: Path,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[MainWindow]:
    with open_project(demo_copy) as project, project.session(write=True) as s:
        for code in unit_statuses(s, 2024):
            approve(s, 2024, code, author="Chủ tịch Hội đồng", role="committee")
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    application("vi")
    ctx, win = build_window(UserSettings(name="Văn thư", role="committee", device_id="t"), persist=False)
    qtbot.addWidget(win)
    win.show()
    win.open_project(str(demo_copy))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    yield win
    win.close()


def _menu_action(window: MainWindow, text: str) -> Any:
    for menu_action in window.menuBar().actions():
        menu = menu_action.menu()
        for action in menu.actions() if menu is not None else ():
            if action.text() == text:
                return action
    raise AssertionError(f"no menu action {text!r}")


@pytest.mark.slow
def test_publishing_makes_the_decision_and_records_the_publication(window: MainWindow, qtbot: Any,
                                                                   tmp_path: Path) -> None:
    _menu_action(window, "Công bố kết quả của năm…").trigger()
    assert isinstance(window.dialog, ReportDialog) and window.dialog.kind() == "decision"
    window.dialog.close()
    _menu_action(window, "Báo cáo phân tích kết quả…").trigger()
    assert window.dialog.kind() == "analysis" and window.dialog.draft.isVisibleTo(window.dialog)
    window.dialog.close()

    window.show_view("results")
    qtbot.mouseClick(window.results.publication_button, Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert isinstance(dialog, ReportDialog)
    qtbot.addWidget(dialog)
    assert dialog.kind() == "decision" and not dialog.units_box.isVisibleTo(dialog)
    assert dialog.draft.isVisibleTo(dialog) and not dialog.draft.isChecked()
    assert Path(dialog.out.text()).name == "quyet-dinh-cong-bo-2024.pdf"
    out = tmp_path / "quyet-dinh.pdf"
    dialog.out.setText(str(out))
    assert set(window.ctx.read(lambda s: unit_statuses(s, 2024)).values()) == {"approved"}
    with qtbot.waitSignal(dialog.produced, timeout=120_000):
        assert dialog.produce() is not None
    text = subprocess.run(["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "QUYẾT ĐỊNH" in text and "QĐ-UBND" in text and "DỰ THẢO" not in text
    assert set(window.ctx.read(lambda s: unit_statuses(s, 2024)).values()) == {"published"}


@pytest.mark.slow
def test_the_setup_dialog_stores_the_provinces_signers(demo_copy: Path, qtbot: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """Báo cáo → Thông tin trên văn bản, tab "Văn bản của tỉnh": the committee's chair, the department's
    director and the submission are stored (checked, audited) and the decision prints them."""
    from ui_helpers import open_window

    from evaluator.services.decision_data import decision
    from evaluator.services.report_setup import report_setup
    from evaluator.ui.report_setup_dialog import ReportSetupDialog

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    window = open_window(demo_copy, qtbot, "Lê Thị Thu Hà", "secretary")
    dialog = window.report_setup_dialog()
    assert isinstance(dialog, ReportSetupDialog)
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(2) == "Văn bản của tỉnh"
    dialog.committee_name.setText("Trần Quốc Nam")
    dialog.committee_position.setText("Phó Chủ tịch UBND tỉnh")
    dialog.director_name.setText("Nguyễn Thị Mai")
    dialog.director_position.setText("Giám đốc Sở Nội vụ")
    dialog.submission_ref.setText("45/TTr-SNV ngày 20/01/2025")
    assert dialog.save()
    stored = window.ctx.read(report_setup)
    assert stored["committee_chair"] == {"name": "Trần Quốc Nam", "position": "Phó Chủ tịch UBND tỉnh"}
    assert stored["home_affairs_director"] == {"name": "Nguyễn Thị Mai", "position": "Giám đốc Sở Nội vụ"}
    assert stored["submission_ref"] == "45/TTr-SNV ngày 20/01/2025"
    d = window.ctx.read(lambda s: decision(s, 2024))
    assert d.signer.name == "Trần Quốc Nam" and d.signer_heading == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert d.submission == "45/TTr-SNV ngày 20/01/2025"
    dialog.close()
    reopened = window.report_setup_dialog()
    qtbot.addWidget(reopened)
    assert reopened.committee_name.text() == "Trần Quốc Nam" and not reopened.edited()
    reopened.close()
    window.close()
