"""The one path of GUI operations (``ui.operations``): writes queue on one writer thread, failures are
logged with their traceback and shown once, Cancel reaches the job through the abort flag, and a Change
is broadcast once with the object that caused it."""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from evaluator.errors import UserError
from evaluator.services.changes import Change
from evaluator.services.users import UserSettings
from evaluator.ui import operations
from evaluator.ui.app import application
from evaluator.ui.context import AppContext
from evaluator.ui.operations import Job, ReadOp, WriteOp


@pytest.fixture
def ctx(qtbot: Any) -> AppContext:
    application("vi")
    return AppContext(UserSettings(name="Thư ký", role="committee"), persist=False)


def boxes(parent: QWidget) -> list[QMessageBox]:
    return [b for b in parent.findChildren(QMessageBox) if b.objectName() == "operation-error"]


def test_two_writes_run_one_after_the_other_in_order(ctx: AppContext, qtbot: Any) -> None:
    spans: list[tuple[str, float, float]] = []
    inside = threading.Semaphore(1)
    overlapped: list[str] = []

    def write(name: str) -> Any:
        def fn(_job: Job) -> str:
            if not inside.acquire(blocking=False):
                overlapped.append(name)
            start = time.monotonic()
            time.sleep(0.3)
            spans.append((name, start, time.monotonic()))
            inside.release()
            return name
        return fn

    done: list[str] = []
    first = WriteOp(None, write("first"), ctx=ctx, busy="một").success(done.append).run()
    second = WriteOp(None, write("second"), ctx=ctx, busy="hai").success(done.append).run()  # not refused
    assert ctx.busy == "một"  # the oldest write names the busy state
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)
    assert done == ["first", "second"] and [s[0] for s in spans] == ["first", "second"]
    assert not overlapped and spans[0][2] <= spans[1][1]  # never together
    assert first.finished.is_set() and second.finished.is_set()
    assert ctx.busy == "" and operations.idle()


def test_an_unexpected_error_is_logged_with_its_traceback_and_shown_once(
        ctx: AppContext, qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def broken(_job: Job) -> None:
        raise RuntimeError("hỏng giữa chừng")

    caplog.set_level(logging.INFO, logger="evaluator")
    ReadOp(parent, broken).run()
    qtbot.waitUntil(lambda: bool(boxes(parent)), timeout=10_000)
    qtbot.wait(100)
    shown = boxes(parent)
    assert len(shown) == 1 and "RuntimeError" in shown[0].text()
    failures = [r for r in caplog.records if r.exc_info is not None]
    assert len(failures) == 1 and failures[0].exc_info[0] is RuntimeError  # type: ignore[index]
    assert "hỏng giữa chừng" in caplog.text and "Traceback" in caplog.text and "in broken" in caplog.text


def test_a_user_error_shows_its_message_and_logs_no_traceback(
        ctx: AppContext, qtbot: Any, caplog: pytest.LogCaptureFixture) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)

    def refused(_job: Job) -> None:
        raise UserError("sheet answers, row 3: unknown unit 'ZZ9'")

    ReadOp(parent, refused).run()
    qtbot.waitUntil(lambda: bool(boxes(parent)), timeout=10_000)
    assert boxes(parent)[0].text() == "sheet answers, row 3: unknown unit 'ZZ9'"
    assert not [r for r in caplog.records if r.exc_info is not None]


def test_cancel_stops_a_long_job_through_the_abort_flag(ctx: AppContext, qtbot: Any) -> None:
    steps: list[int] = []
    started = threading.Event()

    def long(job: Job) -> int:
        for i in range(200):
            started.set()
            job.progress(i / 200, f"bước {i}")  # raises Cancelled once the abort flag is set
            steps.append(i)
            time.sleep(0.01)
        return len(steps)

    cancelled: list[bool] = []
    results: list[Any] = []
    seen: list[tuple[float, str]] = []
    job = (WriteOp(None, long, ctx=ctx).success(results.append).cancelled(lambda: cancelled.append(True))
           .progress(lambda f, m: seen.append((f, m))).run())
    assert started.wait(10)
    job.cancel()
    assert job.abort.is_set()
    qtbot.waitUntil(lambda: bool(cancelled), timeout=10_000)
    assert not results and len(steps) < 200 and job.finished.is_set()
    assert all(0 <= f < 1 for f, _m in seen) and ctx.busy == ""


def test_a_change_is_broadcast_once_with_its_initiator(ctx: AppContext, qtbot: Any) -> None:
    heard: list[tuple[Change, object]] = []
    ctx.changed.connect(lambda change, initiator: heard.append((change, initiator)))
    me = object()

    class Result:
        change = Change(audit=True, years={2024})

    done: list[Any] = []
    WriteOp(None, lambda _job: Result(), ctx=ctx, initiator=me).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert heard == [(Result.change, me)]
    WriteOp(None, lambda _job: Change(), ctx=ctx).success(done.append).run()  # an empty change: no one told
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)
    assert len(heard) == 1


def test_the_workspace_leaves_the_detail_alone_for_the_evidence_panels_own_change(
        demo_copy: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.ui.app import build_window

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    application("vi")
    context, window = build_window(UserSettings(name="Thư ký", role="committee"), persist=False)
    qtbot.addWidget(window)
    window.open_project(str(demo_copy))
    qtbot.waitUntil(lambda: context.project is not None, timeout=20_000)
    assert window.workspace.select_unit("SO01")
    sheet = window.workspace.sheet
    assert sheet is not None
    leaf = next(r.code for r in sheet.leaves() if r.source == "appraisal")
    assert window.workspace.jump(leaf)
    panel = window.workspace.detail.evidence
    refreshed: list[int] = []
    original = window.workspace.detail.refresh
    monkeypatch.setattr(window.workspace.detail, "refresh", lambda: (refreshed.append(1), original()))
    (tmp_path / "bien-ban.txt").write_text("biên bản", encoding="utf-8")
    panel.attach_files([tmp_path / "bien-ban.txt"])  # the panel's own change: it reloads itself
    assert refreshed == [] and sheet.rows[leaf].evidence >= 1
    assert window.workspace.tree.items[leaf] is not None
    change = Change(assessments={sheet.assessment_id}, leaves={(sheet.assessment_id, leaf)}, audit=True)
    context.changed.emit(change, None)  # anyone else's change (an import, undo): the detail refreshes
    assert refreshed == [1]
    # the actor is the project's device for this computer, not a settings value
    assert context.who["device_id"] and context.who["device_id"] == context.actor.device_id
    window.close()


def test_a_score_edited_while_an_import_runs_waits_for_it_and_both_are_stored(
    ctx: AppContext, qtbot: Any, demo_copy: Path, tmp_path: Path
) -> None:
    """Writes are queued, not refused (issue #11): a quick edit made while an import writes waits for it,
    the window handling events meanwhile, and then stores the edit; the import's scores are stored too."""
    from decimal import Decimal

    from PySide6.QtCore import QTimer
    from sqlalchemy import select
    from workbook_helpers import consolidated, write_sheets

    from evaluator.models import Assessment, Period, Score, Unit
    from evaluator.services.projects import open_existing
    from evaluator.services.workbook_import import import_workbooks

    ctx.set_project(open_existing(demo_copy))

    def h01(s: Any) -> tuple[Any, str]:
        a_id = s.execute(select(Assessment.id).join(Unit).join(Period).where(
            Unit.code == "H01", Period.year == 2024)).scalar_one()
        return a_id, s.execute(select(Unit.name).where(Unit.code == "H01")).scalar_one()

    a_id, name = ctx.read(h01)
    book = write_sheets(tmp_path / "hđ.xlsx", consolidated(
        2024, [["H01", name, "district", "par-district-2024"]], [["H01", "8.7.5", "appraisal2", 0.25]]))
    gate = threading.Event()

    def importing(job: Job) -> Any:
        gate.wait(20)  # the import holds the writer until the edit has been asked for
        return import_workbooks(ctx.project, [book], author="Thư ký", progress=job.progress)

    imported: list[Any] = []
    WriteOp(None, importing, ctx=ctx, busy="nhập dữ liệu").success(imported.append).run()
    assert ctx.busy == "nhập dữ liệu"
    ticks: list[float] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    QTimer.singleShot(300, gate.set)  # only runs if the GUI thread handles events while the edit waits
    ctx.edit_score(a_id, "1.1.2", "appraisal2", points=Decimal("0.5"), reason="sửa trong lúc nhập",
                   note="sửa trong lúc nhập")  # not refused
    timer.stop()
    assert imported and imported[0].scores_updated + imported[0].scores_new == 1 and ctx.busy == ""
    assert len(ticks) >= 5  # the window was not frozen while the edit waited

    def stored(s: Any) -> dict[str, Any]:
        return dict(s.execute(select(Score.criterion_code, Score.points).where(
            Score.assessment_id == a_id, Score.stage == "appraisal2",
            Score.criterion_code.in_(["8.7.5", "1.1.2"]))).all())

    assert ctx.read(stored) == {"8.7.5": Decimal("0.25"), "1.1.2": Decimal("0.50")}
    assert ctx.history.can_undo  # the edit is in the undo history as any other
    ctx.set_project(None)
