"""The "Bộ tiêu chí" window's actions (pytest-qt, offscreen) on one small real project (the test set, one
district scored): importing the province's files (a bad file: every problem listed, nothing stored; a good
one: stored, audited, shown), comparing two versions (the project's, or a file), and moving the assessments
to the new version (the preview writes nothing; the move carries the values, with a backup and an audit
event naming the reason)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from sqlalchemy import select
from ui_helpers import open_window

from evaluator.frameworks import load_framework
from evaluator.models import Assessment, AuditEvent, CriteriaSet, Score
from evaluator.services.projects import create_project, open_existing
from evaluator.services.scores import set_score
from evaluator.services.units import UnitDetails, add_unit
from evaluator.services.users import actor_in
from evaluator.ui.criteria_dialogs import DiffDialog, UpgradeDialog, shown
from evaluator.ui.criteria_window import CriteriaWindow
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DATA = Path(__file__).parent / "data"
V1, V2 = "test-mini@1", "test-mini@2"
NEW_TITLE = "Ban hành kế hoạch CCHC năm đúng hạn"


def version_2(folder: Path) -> Path:
    """Version 2 of the test set: only the title of leaf 1.1 changed (so ``keep`` carries its value)."""
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("\nversion: 1\n", "\nversion: 2\n", 1)
    text = text.replace("title: Ban hành kế hoạch CCHC năm\n", f"title: {NEW_TITLE}\n", 1)
    path = folder / "mini-v2.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def bad_set(folder: Path) -> Path:
    """Several problems: a bad year, a node without a title, a maximum that is not a number."""
    text = (DATA / "mini.yaml").read_text(encoding="utf-8")
    text = text.replace("year: 2024", "year: 1890").replace("        title: Ban hành kế hoạch CCHC năm\n", "")
    text = text.replace("max: 8\n", "max: tám\n", 1)
    path = folder / "loi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def small_project(db: Path) -> Path:
    """The test set (version 1), one district with leaf 1.1 self-assessed as done."""
    create_project(db, [2024], name="Thử", province="Tỉnh Thử", sets=[load_framework(DATA / "mini.yaml")],
                   author="Thư Ký", role="committee").close()
    with open_existing(db) as project, project.session(write=True) as s:
        add_unit(s, UnitDetails("H01", "Huyện Một", "district"), actor=actor_in(s, "Thư Ký", "committee"),
                 year=2024)
        a = s.scalars(select(Assessment)).one()
        set_score(s, a.id, "1.1", "self", value={"done": True}, author="Cán bộ", role="assessor")
    return db


@pytest.fixture
def win(tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[CriteriaWindow]:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    main: MainWindow = open_window(small_project(tmp_path / "p.db"), qtbot, "Thư Ký", "committee")
    criteria = main.criteria_window()
    assert criteria is not None
    yield criteria
    main.close()


def stored(win: CriteriaWindow) -> list[str]:
    return win.ctx.read(lambda s: sorted(r.identity for r in s.scalars(select(CriteriaSet))))


def import_files(win: CriteriaWindow, qtbot: Any, *paths: Path) -> None:
    win.import_files([str(p) for p in paths])
    qtbot.waitUntil(lambda: win.job is None and win.import_action.isEnabled(), timeout=20_000)


def test_the_toolbar_offers_import_export_compare_and_upgrade(win: CriteriaWindow) -> None:
    assert [a.text() for a in win.toolbar.actions()] == [
        "Nhập bộ tiêu chí…", "Xuất ra mẫu Excel…", "So sánh hai phiên bản…", "Chuyển sang phiên bản mới…"]
    assert all(a.isEnabled() for a in win.toolbar.actions())


def test_a_bad_file_lists_every_problem_and_stores_nothing_a_good_one_is_stored(
        win: CriteriaWindow, qtbot: Any, tmp_path: Path) -> None:
    db = Path(win.ctx.project.path)  # type: ignore[union-attr]
    before = project_fingerprint(db)
    bad, good = bad_set(tmp_path), version_2(tmp_path)
    # a bad file beside a good one: nothing is stored, every problem of the bad file is listed
    import_files(win, qtbot, good, bad)
    listed = [win.problems.item(i).text() for i in range(win.problems.count())]
    assert win.problems.isVisible() and len(listed) >= 3
    assert all("loi.yaml" in line for line in listed)
    assert any("1890" in line for line in listed) and any("tám" in line for line in listed)
    assert win.status.styleSheet() == ERROR_STYLE and str(len(listed)) in win.status.text()
    assert stored(win) == [V1] and project_fingerprint(db) == before
    # the good file alone: stored, audited, shown in the tree, the problems gone
    import_files(win, qtbot, good)
    assert not win.problems.isVisible()
    assert win.status.styleSheet() == OK_STYLE and V2 in win.status.text()
    assert stored(win) == [V1, V2]
    assert [fw.identity for fw in win.sets] == [V1, V2] and win.current().identity == V2  # type: ignore
    assert win.model.item(0).child(0, 1).text() == NEW_TITLE
    events = win.ctx.read(lambda s: [e.new for e in s.scalars(
        select(AuditEvent).where(AuditEvent.action == "framework.import"))])
    assert [(e["code"], e["version"], e["file"]) for e in events][-1] == ("test-mini", 2, "mini-v2.yaml")
    assert len(events) == 2  # the project's first set, then this one
    # the same file again: already there, nothing new
    import_files(win, qtbot, good)
    assert win.status.styleSheet() == OK_STYLE and "Đã có sẵn" in win.status.text()
    assert stored(win) == [V1, V2]


def test_comparing_two_versions_lists_each_change_with_old_and_new(
        win: CriteriaWindow, qtbot: Any, tmp_path: Path) -> None:
    good = version_2(tmp_path)
    import_files(win, qtbot, good)
    win.choice.setCurrentIndex(0)
    dialog = win.compare()
    assert isinstance(dialog, DiffDialog)
    # the set shown against its next version
    assert dialog.chosen() is not None and [fw.identity for fw in dialog.chosen()] == [V1, V2]  # type: ignore
    rows = [dialog.model.texts(r) for r in range(dialog.model.rowCount())]
    assert rows == [("sửa", "1.1", "tiêu chí chấm điểm", "tên", "Ban hành kế hoạch CCHC năm", NEW_TITLE)]
    assert "thêm 0, bỏ 0, sửa 1" in dialog.heading.text()
    # a maximum per kind is shown with the kind's name, in the interface's notation (issue #16)
    maxima = {"district": Decimal("2"), "commune": Decimal("1.5")}
    assert shown(maxima) == "UBND cấp huyện: 2,00; UBND cấp xã: 1,50"
    # a set against itself: no difference
    dialog.new_choice.setCurrentIndex(0)
    assert dialog.model.rowCount() == 0 and "giống nhau" in dialog.heading.text()
    # a file: a rule changed, shown in its canonical form
    other = tmp_path / "mini-v3.yaml"
    other.write_text(good.read_text(encoding="utf-8").replace("\nversion: 2\n", "\nversion: 3\n")
                     .replace("rule: {kind: binary}", "rule: {kind: manual, step: 0.5}", 1),
                     encoding="utf-8")
    dialog.add_file(other)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert dialog.new_choice.currentText().endswith("(mini-v3.yaml)")
    rows = [dialog.model.texts(r) for r in range(dialog.model.rowCount())]
    assert rows == [("sửa", "1.1", "tiêu chí chấm điểm", "tên", "Ban hành kế hoạch CCHC năm", NEW_TITLE),
                    ("", "", "", "cách chấm", '{"kind": "binary"}', '{"kind": "manual", "step": 0.5}')]
    # a file with problems: every problem shown, the choices as they were
    dialog.add_file(bad_set(tmp_path))
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert dialog.status.styleSheet() == ERROR_STYLE and "1890" in dialog.status.text()
    assert dialog.new_choice.count() == 3


def test_upgrade_preview_writes_nothing_then_the_move_carries_the_values(
        win: CriteriaWindow, qtbot: Any, tmp_path: Path) -> None:
    import_files(win, qtbot, version_2(tmp_path))
    db = Path(win.ctx.project.path)  # type: ignore[union-attr]
    win.choice.setCurrentIndex(0)
    dialog = win.upgrade()
    assert isinstance(dialog, UpgradeDialog)
    assert dialog.target.currentText().startswith(V2)
    assert dialog.radios["keep"].isChecked() and not dialog.apply_button.isEnabled()  # preview first
    before = project_fingerprint(db)
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert project_fingerprint(db) == before  # a dry run writes nothing
    assert [dialog.model.texts(r)[:5] for r in range(dialog.model.rowCount())] == [
        ("H01", "Huyện Một", "1", "0", "0")]
    assert "Xem trước" in dialog.heading.text() and dialog.apply_button.isEnabled()
    # another strategy: the preview no longer says what the move would do
    dialog.radios["reset"].setChecked(True)
    assert not dialog.apply_button.isEnabled() and dialog.model.rowCount() == 0
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert dialog.model.texts(0)[2:5] == ("0", "0", "1") and "1.1" in dialog.model.texts(0)[5]
    dialog.radios["keep"].setChecked(True)
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    dialog.reason.setText("QĐ sửa đổi bộ tiêu chí")
    dialog.apply()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=30_000)
    assert dialog.status.styleSheet() == OK_STYLE, dialog.status.text()
    assert dialog.report is not None and not dialog.report.dry_run
    assert dialog.report.backup is not None and dialog.report.backup.is_file()
    assert str(dialog.report.backup) in dialog.heading.text() and not dialog.apply_button.isEnabled()

    def state(s: Any) -> tuple[str, Any, list[Any]]:
        a = s.scalars(select(Assessment)).one()
        score = s.scalars(select(Score).where(Score.assessment_id == a.id,
                                              Score.criterion_code == "1.1")).one()
        events = s.scalars(select(AuditEvent).where(AuditEvent.action == "framework.upgrade"))
        reasons = [e.reason for e in events]
        return a.criteria_set.identity, score.value, reasons

    assert win.ctx.read(state) == (V2, {"done": True}, ["QĐ sửa đổi bộ tiêu chí"])
    # a second move from the same version: nothing left on it, nothing moved
    dialog.preview()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=20_000)
    assert dialog.model.rowCount() == 0


def test_a_set_with_no_newer_version_says_to_import_one(win: CriteriaWindow) -> None:
    dialog = win.upgrade()
    assert dialog is not None
    assert dialog.target.count() == 0
    assert not dialog.preview_button.isEnabled() and not dialog.apply_button.isEnabled()
    assert dialog.status.styleSheet() == ERROR_STYLE and "Nhập bộ tiêu chí" in dialog.status.text()
