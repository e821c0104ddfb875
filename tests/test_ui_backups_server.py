"""Tệp → Sao lưu và khôi phục… for a project on the committee's PostgreSQL server (issue #17), offscreen
against the throwaway server: the committee lists, makes and restores the server backups (over the server
and into a new file) through the operation mechanism; a login the server does not let restore sees the
server's refusal and nothing changes; the app's other roles are not offered the restore over the server.
Before, the window refused a server project ("the server has its own way of backing up").

``BACKUP_SHOTS=1`` also writes docs/screenshots/backups-server.png (1366×768)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import backup_files
from pg_cluster import Cluster, copy_rows
from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select
from sqlalchemy.engine import make_url

from evaluator.errors import UserError
from evaluator.models import Assessment, Period, Score, Unit, open_project
from evaluator.services.scores import set_score
from evaluator.services.server_roles import create_login, create_roles
from evaluator.services.users import UserSettings
from evaluator.ui import operations
from evaluator.ui.app import application, build_window

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
PREFIX = "guibk"
YEAR = 2024
SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture
def server(pg_cluster: Cluster, demo_db: Path, tmp_path: Path) -> Iterator[str]:
    name = pg_cluster.new_database()
    evidence = tmp_path / "server-evidence"
    shutil.copytree(demo_db.with_suffix(".evidence"), evidence)
    copy_rows(str(demo_db), pg_cluster.url(name))
    create_roles(pg_cluster.url(name), prefix=PREFIX)
    try:  # logins belong to the whole cluster: made by the first test that needs it
        create_login(pg_cluster.url(name), "guibk_thuky", "secretary", "mat-khau", prefix=PREFIX)
    except UserError as exc:
        assert exc.code == "server.login_exists"
    url = make_url(pg_cluster.url(name)).update_query_dict({"evidence_dir": str(evidence)})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        pg_cluster.drop_database(name)


def _scores(db: str | Path) -> list[tuple[str, str, str, str]]:
    with open_project(db) as project, project.session() as s:
        return sorted((str(r.assessment_id), r.criterion_code, r.stage, repr(r.value))
                      for r in s.scalars(select(Score)))


def _edit(db: str) -> None:
    """Turn the appraisal of SO01's 1.1.2 the other way (as another program on the server would)."""
    with open_project(db) as project, project.session(write=True) as s:
        a = s.scalars(select(Assessment).join(Unit).join(Period)
                      .where(Unit.code == "SO01", Period.year == YEAR)).one()
        now = s.scalars(select(Score.value).where(
            Score.assessment_id == a.id, Score.criterion_code == "1.1.2",
            Score.stage == "appraisal2")).first()
        set_score(s, a.id, "1.1.2", "appraisal2", value={"done": not (now and now.get("done"))}, note="sửa",
                  author="Chủ tịch", reason="thử sao lưu")


def _open(url: str, qtbot: Any, role: str) -> Any:
    application("vi")
    ctx, window = build_window(UserSettings(name="Người Kiểm Thử", role=role, device_id="t"), persist=False)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.open_project(url)
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=30_000)
    return window


def _settle(qtbot: Any, dialog: Any) -> None:
    """Wait until the dialog's server job was delivered (its status line says how it went)."""
    qtbot.waitUntil(lambda: dialog.job is None and operations.idle(), timeout=60_000)


def _shoot(window: Any, dialog: Any) -> None:
    """The main window at 1366×768 with the dialog over its middle, as the user sees them."""
    picture = window.grab()
    painter = QPainter(picture)
    shown = dialog.grab()
    corner = QPoint((picture.width() - shown.width()) // 2, (picture.height() - shown.height()) // 2)
    painter.drawPixmap(corner, shown)
    painter.drawRect(corner.x() - 1, corner.y() - 1, shown.width() + 1, shown.height() + 1)
    painter.end()
    assert picture.save(str(SHOTS / "backups-server.png"))


def test_the_committee_backs_up_and_restores_the_server(server: str, qtbot: Any, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    before = _scores(server)
    window = _open(server, qtbot, "committee")
    dialog = window.backup_dialog()
    assert dialog is not None and dialog.server and dialog.table.rowCount() == 0
    assert not dialog.usb_button.isVisible()  # a server's data is not one file to carry away

    dialog.create_button.click()
    assert dialog.job is not None  # off the GUI thread, through the operation mechanism
    _settle(qtbot, dialog)
    assert "Đã sao lưu và kiểm tra" in dialog.status.text(), dialog.status.text()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 1).text() == "Sao lưu thủ công"
    made = backup_files()
    assert len(made) == 1 and made[0].read_bytes()[:16] == b"SQLite format 3\x00"
    if os.environ.get("BACKUP_SHOTS"):
        dialog.resize(900, 420)
        _shoot(window, dialog)

    # into a new file: a project this program opens, with the same scores
    target = tmp_path / "luu-tru.db"
    dialog.table.selectRow(0)
    dialog.restore_new(target)
    _settle(qtbot, dialog)
    assert "Đã khôi phục vào" in dialog.status.text(), dialog.status.text()
    assert _scores(target) == before
    with sqlite3.connect(target) as con:
        named = {r[0] for r in con.execute("SELECT sha256 FROM evidence")}
    assert named and named <= {p.name for p in target.with_suffix(".evidence").rglob("*") if p.is_file()}

    # over the server, after another program changed it: the backup's rows are back
    _edit(server)
    assert _scores(server) != before
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.table.selectRow(0)
    assert dialog.restore_over_button.isEnabled()
    assert dialog.restore_over()
    _settle(qtbot, dialog)
    assert "Đã khôi phục bản" in dialog.status.text(), dialog.status.text()
    assert _scores(server) == before
    reasons = sorted(dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount()))
    assert reasons == ["Sao lưu thủ công", "Trước khi khôi phục"]  # the state before it is kept
    qtbot.waitUntil(lambda: window.ctx.project is not None and operations.idle(), timeout=30_000)
    window.close()


def test_a_login_the_server_refuses_sees_why_and_nothing_changes(server: str, qtbot: Any, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    with open_project(server) as project:
        from evaluator.services.backups import create_server_backup

        create_server_backup(project, "manual")
    _edit(server)
    edited = _scores(server)
    # the app's role says committee, the login is a secretary's: the server decides
    secretary = make_url(server).set(username="guibk_thuky", password="mat-khau")
    window = _open(secretary.render_as_string(hide_password=False), qtbot, "committee")
    dialog = window.backup_dialog()
    assert dialog is not None and dialog.table.rowCount() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.table.selectRow(0)
    dialog.restore_over()
    _settle(qtbot, dialog)
    shown = dialog.status.text()
    assert "guibk_thuky" in shown and "không cho tài khoản" in shown, shown
    assert _scores(server) == edited
    window.close()

    # a secretary in the app is not offered the restore over the server (a new file stays possible)
    window = _open(server, qtbot, "secretary")
    dialog = window.backup_dialog()
    dialog.table.selectRow(0)
    assert not dialog.restore_over_button.isEnabled() and dialog.restore_new_button.isEnabled()
    assert not dialog.restore_over()
    assert "Chỉ Hội đồng" in dialog.status.text()
    assert _scores(server) == edited
    window.close()
