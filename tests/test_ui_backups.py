"""Tệp → Sao lưu và khôi phục… offscreen: the list, a backup now, restores (new file; over the project after
confirmation), the USB archive verified; and the automatic backups (on close, periodic)."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from PySide6.QtWidgets import QFileDialog, QMessageBox

from evaluator.services import backups as service
from evaluator.services.changes import Change
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(autouse=True)
def _config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    application("vi")


def _open(qtbot: Any, db: Path) -> tuple[Any, Any]:
    ctx, window = build_window(UserSettings(name="A", role="member", device_id="t"), persist=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.opened, timeout=30_000):
        window.open_project(db)
    return ctx, window


def _set_marker(ctx: Any, value: int) -> None:
    from evaluator.models import Setting

    with ctx.project.session(write=True) as s:
        s.merge(Setting(key="marker", value=value))


@pytest.mark.slow
def test_dialog_lists_backs_up_and_restores_into_a_new_file(demo_copy: Path, tmp_path: Path, qtbot: Any,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    first = service.backup_file(demo_copy, "import")
    ctx, window = _open(qtbot, demo_copy)
    menu = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Sao lưu và khôi phục…" in menu
    dialog = window.backup_dialog()
    assert dialog.windowTitle() == "Sao lưu và khôi phục" and dialog.table.rowCount() == 1
    assert dialog.table.item(0, 1).text() == "Trước khi nhập dữ liệu"
    assert dialog.table.item(0, 3).text() == first.id

    dialog.create_button.click()
    assert dialog.table.rowCount() == 2 and dialog.table.item(0, 1).text() == "Sao lưu thủ công"
    assert "Đã sao lưu và kiểm tra" in dialog.status.text()

    dialog.table.selectRow(1)
    target = tmp_path / "khoi-phuc.db"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.restore_new_button.click()
    assert "Đã khôi phục vào" in dialog.status.text(), dialog.status.text()
    rows, files = project_fingerprint(target)
    assert rows == project_fingerprint(first.path)[0] and files == project_fingerprint(demo_copy)[1]
    assert ctx.project is not None and ctx.project.path == demo_copy.resolve()  # the open project untouched


def test_restore_over_the_project_asks_then_closes_restores_and_reopens(
        tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.models import open_project

    db = tmp_path / "p.db"
    open_project(db, create=True, name="Thử").close()
    ctx, window = _open(qtbot, db)
    _set_marker(ctx, 1)
    dialog = window.backup_dialog()
    dialog.create_button.click()
    made = dialog.selected()
    _set_marker(ctx, 2)

    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: next(answers))
    dialog.restore_over_button.click()  # "No": nothing happens
    assert ctx.project is not None and ctx.project.get_setting("marker") == 2
    with qtbot.waitSignal(window.opened, timeout=30_000):
        dialog.restore_over_button.click()
    assert ctx.project is not None and ctx.project.get_setting("marker") == 1
    listed = service.list_backups(db)
    assert [b.reason for b in listed][:2] == ["restore", "manual"] and listed[1].id == made.id
    assert "trạng thái trước đó được giữ ở bản " + listed[0].id in dialog.status.text()
    assert dialog.table.rowCount() == len(listed)


@pytest.mark.slow
def test_copy_to_usb_writes_one_verified_archive(demo_copy: Path, tmp_path: Path, qtbot: Any,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    _ctx, window = _open(qtbot, demo_copy)
    dialog = window.backup_dialog()
    usb = tmp_path / "usb"
    usb.mkdir()
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", lambda *a, **k: str(usb))
    dialog.usb_button.click()
    [archive] = usb.iterdir()
    assert archive.name.startswith("demo-") and archive.suffix == ".zip"
    assert "đọc lại để kiểm tra: tốt" in dialog.status.text()
    evidence = [p for p in demo_copy.with_suffix(".evidence").rglob("*") if p.is_file()]
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
    assert "demo.db" in names and len(names) == 1 + len(evidence)
    assert service.verify_archive(archive) == []
    # a bit flipped on the stick is found
    damaged = tmp_path / "damaged.zip"
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(names[-1])
    data[info.header_offset + 30 + len(info.filename) + 5] ^= 0xFF
    damaged.write_bytes(bytes(data))
    assert service.verify_archive(damaged)


def test_automatic_backups_on_close_and_periodically_while_editing(tmp_path: Path, qtbot: Any) -> None:
    from evaluator.models import open_project

    db = tmp_path / "p.db"
    open_project(db, create=True, name="Thử").close()
    ctx, window = _open(qtbot, db)
    ctx.changed.emit(Change(audit=True), None)  # the first edit: no backup yet, so one is due
    assert [b.reason for b in service.list_backups(db)] == ["periodic"]
    ctx.changed.emit(Change(audit=True), None)  # within 30 minutes: none
    assert [b.reason for b in service.list_backups(db)] == ["periodic"]
    window.close()  # closing the edited project backs it up
    assert [b.reason for b in service.list_backups(db)] == ["close", "periodic"]

    ctx, window = _open(qtbot, db)
    window.close()  # nothing edited: no backup
    assert len(service.list_backups(db)) == 2
