"""The notice and the submission in the GUI's report dialog (issue 15): listed from ``KINDS`` with their
names, the notice per unit (the units list shown, no draft box), the submission for the year (a draft box;
refused in words while units are not approved, written as a draft) — through the real dialog, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from test_ui_reports import pdf_text, produce, window  # noqa: F401  (the fixture)

from evaluator.ui.main_window import MainWindow
from evaluator.ui.report_dialog import ReportDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.mark.slow
def test_notice_and_submission_from_the_dialog(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:  # noqa: F811
    dialog = window.report_dialog("notice", 2024, ["SO01"])
    assert isinstance(dialog, ReportDialog)
    qtbot.addWidget(dialog)
    listed = [dialog.document.itemText(i) for i in range(dialog.document.count())]
    assert "Thông báo kết quả thẩm định lần 1 (PDF)" in listed
    assert "Tờ trình đề nghị phê duyệt, công bố (PDF)" in listed
    assert dialog.kind() == "notice" and dialog.units_box.isVisibleTo(dialog)
    assert not dialog.draft.isVisibleTo(dialog) and dialog.checked_codes() == ["SO01"]
    out = tmp_path / "thong-bao.pdf"
    dialog.out.setText(str(out))
    produce(dialog, qtbot)
    text = pdf_text(out)
    assert "THÔNG BÁO" in text and "TB-HĐTĐ" in text and "Sở Nội vụ" in text

    dialog.document.setCurrentIndex(dialog.document.findData("submission"))
    assert not dialog.units_box.isVisibleTo(dialog) and dialog.draft.isVisibleTo(dialog)
    out = tmp_path / "to-trinh.pdf"
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as refused:
        dialog.produce()
    assert "chưa phê duyệt" in refused.args[0] and not out.exists()
    dialog.draft.setChecked(True)
    produce(dialog, qtbot)
    text = pdf_text(out)
    assert "TỜ TRÌNH" in text and "TTr-SNV" in text and "DỰ THẢO" in text
