"""Start page, first start (who is working), creating and opening projects, evidence references and
removal, English titles — through the real widgets (pytest-qt, offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from evaluator.models import AuditEvent, Evidence
from evaluator.services.users import UserSettings, load_settings
from evaluator.ui import main_window as main_window_module
from evaluator.ui.app import application, build_window, install_language
from evaluator.ui.dialogs import UserDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    application("vi")


def test_start_page_recent_projects_and_open(demo_copy: Path, qtbot: Any) -> None:
    settings = UserSettings(name="A", role="member", device_id="t", recent=[str(demo_copy), "/nowhere/x.db"])
    ctx, window = build_window(settings, persist=True)
    qtbot.addWidget(window)
    window.show()
    assert window.stack.currentIndex() == 0
    recent = window.start_page.recent
    assert recent.count() == 2 and "demo.db" in recent.item(0).text()
    assert "không tìm thấy" in recent.item(1).text()
    window.start_page.open_requested.emit(recent.item(0).data(0x0100))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    assert window.stack.currentIndex() == 1 and window.tabs.currentIndex() == 0
    assert window.workspace.units.topLevelItemCount() == 70
    assert "Thành viên tổ thẩm định" in window.user_label.text()
    saved = load_settings()  # the opened project is remembered first
    assert saved.recent[0] == str(demo_copy.resolve())
    window.close()


def test_open_failure_is_shown(tmp_path: Path, qtbot: Any) -> None:
    bad = tmp_path / "not-a-project.db"
    bad.write_text("hello", encoding="utf-8")
    ctx, window = build_window(UserSettings(name="A", role="member"), persist=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.open_failed, timeout=20_000) as blocker:
        window.open_project(str(bad))
    assert blocker.args and ctx.project is None
    assert window.stack.currentIndex() == 0 and window.start_page.status.text()


def test_first_start_sets_user_and_role(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings()
    assert not settings.configured
    _ctx, window = build_window(settings, persist=True)
    qtbot.addWidget(window)
    assert "chưa đặt" in window.user_label.text()

    def fill(dialog: UserDialog) -> bool:
        dialog.name.setText("Lê Thu Hà")
        dialog.role.setCurrentIndex(dialog.role.findData("secretary"))
        return True

    monkeypatch.setattr(main_window_module.UserDialog, "exec", fill)
    assert window.edit_user()
    assert "Lê Thu Hà" in window.user_label.text() and "Thư ký" in window.user_label.text()
    again = load_settings()
    assert again.name == "Lê Thu Hà" and again.role == "secretary" and again.language == "vi"
    dialog = UserDialog(UserSettings())
    dialog._accept()
    assert dialog.error.text()  # a name is required


def test_create_project_from_the_menu(tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog, QWizard

    target = tmp_path / "moi.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    ctx, window = build_window(UserSettings(name="A", role="committee"), persist=False)
    qtbot.addWidget(window)
    wizard = window.create_dialog()  # the new-project wizard: year and file, province, sets, units, summary
    wizard.place_page.year.setValue(2025)
    wizard.place_page.browse()
    for _page in range(4):
        wizard.next()
    wizard.button(QWizard.WizardButton.FinishButton).click()
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    assert target.exists()
    ws = window.workspace
    assert ws.year_combo.currentText() == "2025" and ws.units.topLevelItemCount() == 0
    assert {ws.kind_combo.itemData(i) for i in range(ws.kind_combo.count())} == {None}
    window.close()


def test_evidence_reference_and_removal(demo_copy: Path, qtbot: Any, tmp_path: Path) -> None:
    ctx, window = build_window(UserSettings(name="Thẩm Định", role="leader", device_id="t"), persist=False)
    qtbot.addWidget(window)
    window.open_project(str(demo_copy))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    ws = window.workspace
    assert ws.select_unit("H01")
    panel = ws.detail.evidence
    f = tmp_path / "ke-hoach.docx"
    f.write_bytes(b"PK\x03\x04 not really a docx")
    result = panel.attach_files([f])[0]
    assert not result.duplicate and result.evidence.kind == "other"
    qtbot.waitUntil(lambda: panel.preview.kind == "other", timeout=5_000)
    assert panel.reference_button.isEnabled()
    panel.ask_text = lambda *a: "Trang 3, mục II"
    assert panel.edit_reference()
    row = next(r for r in range(panel.table.rowCount()) if panel.table.item(r, 0).text() == "ke-hoach.docx")
    assert panel.table.item(row, 2).text() == "Trang 3, mục II"
    stored = ctx.read(lambda s: s.get(Evidence, result.evidence.id))
    assert stored is not None and stored.reference == "Trang 3, mục II"
    panel.table.selectRow(row)
    assert panel.remove_current(reason="Nhầm tệp")
    assert "ke-hoach.docx" not in [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert ctx.read(lambda s: s.get(Evidence, result.evidence.id)) is None
    actions = ctx.read(
        lambda s: s.scalars(select(AuditEvent.action).where(AuditEvent.author == "Thẩm Định")).all()
    )
    assert {"evidence.add", "evidence.reference", "evidence.remove"} <= set(actions)
    window.close()


def test_english_titles_in_the_workspace(demo_db: Path, qtbot: Any, qapp: Any) -> None:
    install_language(qapp, "en")
    try:
        ctx, window = build_window(UserSettings(name="A", role="member"), persist=False)
        qtbot.addWidget(window)
        window.open_project(str(demo_db))
        qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
        ws = window.workspace
        assert ws.select_unit("SO01")
        sheet = ws.sheet
        assert sheet is not None
        area = sheet.area_rows()[0]
        assert area.title_en and ws.tree.items[area.code].text(1) == area.title_en
        assert ws.tree.headerItem().text(1) == "Criterion"
        assert sheet.class_label(english=True) in ws.header.text()
        window.close()
    finally:
        install_language(qapp, "vi")


def test_cancelled_open_closes_the_project(
    demo_copy: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from evaluator.models import Project
    from evaluator.services.projects import open_existing

    ctx, window = build_window(UserSettings(name="A", role="member"), persist=False)
    qtbot.addWidget(window)
    closed: list[Project] = []
    monkeypatch.setattr(Project, "close", lambda self: closed.append(self))
    release = threading.Event()

    def slow_open(_job: Any) -> Project:
        release.wait(10)
        return open_existing(demo_copy)

    with qtbot.waitSignal(window.open_failed, timeout=20_000) as blocker:
        job = window._start_open(slow_open)
        assert not window.cancel_button.isHidden()
        window.cancel_button.click()
        release.set()
    assert blocker.args == ["Đã huỷ."] and job.cancelled
    assert ctx.project is None and len(closed) == 1 and window.stack.currentIndex() == 0
