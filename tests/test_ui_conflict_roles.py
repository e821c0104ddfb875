"""Who settles a conflict and what the user sees (issue #16, 4 and 5): only the committee resolves — the
service refuses any other role with a message in both languages and writes nothing, the secretary sees the
conflict with the action disabled and the reason why; resolving confirms what was decided; the reason field
opens once a value is chosen. The first-run dialog: the request for a name goes once one is typed, and the
language the app was started in (``--lang en``) is the default and is saved (pytest-qt, offscreen, a real
project with a conflict from a team package)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from test_ui_formats import conflicted, open_as, speak  # noqa: F401  (fixtures)

from evaluator.errors import UserError
from evaluator.models import AuditEvent, Conflict, open_project
from evaluator.services.conflicts import list_conflicts, resolve_conflict
from evaluator.services.users import UserSettings, load_settings
from evaluator.ui.app import application, build_window, install_language
from evaluator.ui.dialogs import UserDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _state(db: Path) -> tuple[list[str], int]:
    with open_project(db) as project, project.session() as s:
        statuses = [c.status for c in s.scalars(select(Conflict))]
        events = len(s.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.resolve")).all())
    return statuses, events


def test_the_service_refuses_a_secretary(conflicted: Path) -> None:  # noqa: F811
    with open_project(conflicted) as project, project.session() as s:
        [item] = list_conflicts(s)
    before = _state(conflicted)
    for role in ("secretary", "leader", "member", "assessor", ""):
        with open_project(conflicted) as project, project.session(write=True) as s, \
                pytest.raises(UserError) as caught:
            resolve_conflict(s, item["id"], take=item["values"][0]["value_id"], reason="thư ký quyết",
                             author="Thư ký", role=role)
        if role == "secretary":
            assert caught.value.render("vi") == ("Chỉ Hội đồng thẩm định được giải quyết xung đột; vai trò "
                                                 "Thư ký hội đồng chỉ xem được xung đột")
            assert caught.value.render("en") == ("Only the committee role may resolve conflicts; the "
                                                 "secretary role may only view them")
    assert _state(conflicted) == before == (["open"], 0)  # nothing written
    with open_project(conflicted) as project, project.session(write=True) as s:
        resolve_conflict(s, item["id"], take=item["values"][0]["value_id"], reason="hội đồng quyết",
                         author="Chủ tịch", role="committee")
    assert _state(conflicted) == (["resolved"], 1)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_secretary_sees_but_may_not_resolve(conflicted: Path, qtbot: Any, speak: Any,  # noqa: F811
                                                language: str) -> None:
    win = open_as(conflicted, qtbot, language, role="secretary")
    try:
        win.show_view("conflicts")
        view = win.conflicts
        qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
        assert view.model.rowCount() == 1 and len(view.value_buttons) == 2  # sees the conflict and its sides
        assert not view.decide.isEnabled() and not view.resolve_button.isEnabled()
        why = "Hội đồng thẩm định" if language == "vi" else "committee"
        role = "Thư ký hội đồng" if language == "vi" else "Secretary"
        assert why in view.notice.text() and role.lower() in view.notice.text().lower()
        assert view.resolve_button.toolTip() == view.notice.text()
        # Made committee (the Settings dialog), the same view lets them resolve.
        win.ctx.settings.role = "committee"
        win.ctx.user_changed.emit()
        assert view.decide.isEnabled() and view.notice.text() == ""
    finally:
        win.close()
    assert _state(conflicted) == (["open"], 0)


@pytest.mark.parametrize("language", ["vi", "en"])
def test_resolving_confirms_and_the_reason_opens_on_a_choice(
        conflicted: Path, qtbot: Any, speak: Any, language: str) -> None:  # noqa: F811
    win = open_as(conflicted, qtbot, language)
    try:
        win.show_view("conflicts")
        view = win.conflicts
        qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
        assert view.decide.isEnabled() and not view.reason.isEnabled()  # nothing chosen yet
        team = next(v for v in view.detail["values"] if v["author"] == "Tổ 3")
        view.value_buttons[team["value_id"]].setChecked(True)
        assert view.reason.isEnabled()
        view.own_points.setChecked(True)  # one choice: the value is no longer taken
        assert not view.value_buttons[team["value_id"]].isChecked() and view.reason.isEnabled()
        view.value_buttons[team["value_id"]].setChecked(True)
        view.reason.setPlainText("Tổ 3 đã kiểm tra thực tế")
        letter = "AB"[[v["value_id"] for v in view.detail["values"]].index(team["value_id"])]
        with qtbot.waitSignal(view.resolved, timeout=10_000):
            assert view.resolve()
        qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=10_000)
        text = view.notice.text()
        assert text == (f"Đã giải quyết xung đột H01 · 1.7 (2024): giữ giá trị {letter}. "
                        "Lý do đã ghi vào nhật ký." if language == "vi" else
                        f"Conflict H01 · 1.7 (2024) resolved: value {letter} kept. "
                        "The reason is in the audit log.")
        assert view.notice.isVisible() and view.reason.toPlainText() == ""  # no reason left behind, greyed
    finally:
        win.close()
    assert _state(conflicted) == (["resolved"], 1)


# --- the first-run dialog ------------------------------------------------------------------------------
def test_name_request_goes_once_a_name_is_typed(qtbot: Any) -> None:
    application("vi")
    dialog = UserDialog(UserSettings())
    qtbot.addWidget(dialog)
    dialog._accept()
    assert dialog.error.text() == "Nhập họ và tên." and not dialog.result()
    dialog.name.setText("Nguyễn Văn An")
    assert dialog.error.text() == ""
    dialog.name.setText("   ")
    assert dialog.error.text() == ""  # asked again only when OK is pressed without a name
    dialog._accept()
    assert dialog.error.text() == "Nhập họ và tên."


def test_first_run_in_english_saves_english(qtbot: Any, speak: Any, tmp_path: Path,  # noqa: F811
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """``evaluator gui --lang en`` on a computer with no settings: the dialog offers English and saves
    "language": "en" (it offered Vietnamese and saved "vi"); no "restart to apply" message."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    speak("en")
    settings = load_settings()
    assert not settings.configured
    dialog = UserDialog(settings)
    qtbot.addWidget(dialog)
    assert dialog.language.currentData() == "en"
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *args: told.append(str(args[2])))

    def typed(self: UserDialog) -> int:
        self.name.setText("Lan Nguyen")
        self.role.setCurrentIndex(self.role.findData("committee"))
        return 1

    monkeypatch.setattr(UserDialog, "exec", typed)
    _ctx, win = build_window(settings, persist=True)
    qtbot.addWidget(win)
    assert win.edit_user()
    saved = json.loads((tmp_path / "cfg" / "settings.json").read_text(encoding="utf-8"))
    assert saved["language"] == "en" and saved["name"] == "Lan Nguyen" and told == []
    win.close()
    # A configured user keeps the language saved, whatever the app runs in.
    install_language(application("vi"), "vi")
    assert UserDialog(load_settings()).language.currentData() == "en"
