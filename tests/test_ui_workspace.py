"""The desktop workspace end to end on a real project file, through its widgets (pytest-qt, offscreen):
open the demo, select a unit, score a leaf of each input kind, reasons, undo/redo, evidence with previews,
stage locks, keyboard and search, edits while an import or another program writes — asserting on what the
widgets show and on what is stored."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import sqlite3
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QColor, QDropEvent, QImage
from sqlalchemy import select
from ui_helpers import Gui

from evaluator.models import Assessment, AuditEvent, Evidence
from evaluator.models import project as project_module
from evaluator.ui.labels import num

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_open_demo_and_select_unit(gui: Gui) -> None:
    ws = gui.ws
    assert ws.units.topLevelItemCount() == 70
    assert ws.year_combo.currentText() == "2024"
    item = ws.units.items[gui.assessment("SO01")]
    scored, total = map(int, item.text(2).split("/")[:2])
    assert 0 < scored <= total
    sheet = ws.sheet
    assert sheet is not None and sheet.code == "SO01"
    assert len(ws.tree.items) == len(sheet.rows) > 100
    assert sheet.score is not None and num(sheet.score.index) in gui.header_index()
    assert sheet.class_label() in gui.header_index()
    # the area totals table ends with the total row
    last = ws.totals.rowCount() - 1
    assert ws.totals.item(last, 1).text() == num(sheet.score.points)
    assert ws.totals.item(last, 3).text() == num(sheet.score.index)
    # the detail pane shows the first leaf: rule, stages side by side
    assert gui.detail.isEnabled() and gui.detail.rule.text().startswith("Cách chấm")
    assert gui.detail.stages.rowCount() == 4
    assert gui.detail.stages.item(0, 0).text().startswith("Tự chấm")


@pytest.mark.parametrize(
    ("kind", "input_"),
    [
        ("binary", None),
        ("options", None),
        ("bands", "ratio"),
        ("proportional", "ratio"),
        ("count", None),
        ("manual", None),
        ("external", None),
        ("bands", "value"),
    ],
)
def test_score_each_input_kind(gui: Gui, kind: str, input_: str | None) -> None:
    leaf = gui.leaf_of_kind(kind, input_=input_)
    gui.choose(leaf, "appraisal2")
    inp = gui.detail.input
    assert inp is not None and inp.isEnabled()
    if inp.check is not None:
        inp.check.setChecked(not inp.check.isChecked())
    elif inp.combo is not None:
        inp.combo.setCurrentIndex(inp.combo.count() - 1)
    elif inp.numerator is not None and inp.denominator is not None:
        inp.denominator.setValue(40)
        inp.numerator.setValue(13)
        assert "32,50" in inp.ratio.text()
    elif inp.count is not None:
        inp.count.setValue(inp.count.value() + 1)
    else:
        assert inp.number is not None
        inp.number.setValue(min(inp.number.maximum(), 12.5) if inp.mode == "value" else 0.25)
    expected = gui.detail.preview.text()
    assert "điểm" in expected or "không" in expected
    header_before = gui.header_index()
    gui.qtbot.keyClick(gui.detail.note, Qt.Key.Key_Return)  # Enter saves
    stored = gui.stored("SO01", leaf, "appraisal2")
    assert stored is not None and stored.author == "Người Kiểm Thử"
    assert stored.value == inp.value() or stored.points == inp.value().get("points")  # type: ignore[union-attr]
    # the tree row and the live totals follow the stored value
    item = gui.ws.tree.items[leaf]
    assert item.text(4) == num(stored.points)
    assert item.text(5) == num(gui.ws.sheet.rows[leaf].points)  # type: ignore[union-attr]
    if stored.points is not None:
        assert expected == f"{num(stored.points)} điểm"
    sheet = gui.ws.sheet
    assert sheet is not None and sheet.score is not None
    assert num(sheet.score.index) in gui.header_index()
    if sheet.rows[leaf].points != Decimal(str(stored.points or 0)) or header_before == gui.header_index():
        assert sheet.rows[leaf].final_stage == "appraisal2"


def test_survey_leaf_takes_points(gui: Gui) -> None:
    leaf = gui.leaf_of_kind("survey", source="survey")
    assert gui.detail.stage_combo.count() >= 1
    assert gui.ws.jump(leaf)
    assert [gui.detail.stage_combo.itemData(i) for i in range(gui.detail.stage_combo.count())] == ["survey"]
    inp = gui.detail.input
    assert inp is not None and inp.number is not None
    inp.number.setValue(0.5)
    assert gui.detail.save()
    stored = gui.stored("SO01", leaf, "survey")
    assert stored is not None and stored.points == Decimal("0.50")


def test_edit_changes_index_and_undo_redo(gui: Gui) -> None:
    sheet = gui.ws.sheet
    assert sheet is not None and sheet.score is not None
    leaf = next(
        r.code
        for r in sheet.leaves()
        if r.points > 0 and r.source == "appraisal" and sheet.node(r.code).rule.kind == "binary"
        # under a parent that caps its children's sum, losing the leaf's points may cost the unit less
        and (r.parent is None or not sheet.node(r.parent).cap_children)
    )  # type: ignore[union-attr]
    index_before, points_before = sheet.score.index, sheet.score.points
    header_before = gui.header_index()
    gui.choose(leaf, "appraisal2")
    inp = gui.detail.input
    assert inp is not None and inp.check is not None
    inp.check.setChecked(False)
    assert gui.detail.save()
    assert sheet.score.points == points_before - sheet.rows[leaf].max
    assert sheet.score.index is not None and sheet.score.index < index_before  # type: ignore[operator]
    assert gui.header_index() != header_before and num(sheet.score.index) in gui.header_index()
    assert gui.ws.tree.items[leaf].text(5) == num(0)
    assert gui.window.undo_action.isEnabled()
    gui.window.undo_action.trigger()
    assert sheet.score.points == points_before and gui.header_index() == header_before
    assert gui.ws.tree.items[leaf].text(5) == num(sheet.rows[leaf].max)
    stored = gui.stored("SO01", leaf, "appraisal2")
    assert stored is None or stored.points is None or stored.points == sheet.rows[leaf].max
    assert gui.window.redo_action.isEnabled()
    gui.window.redo_action.trigger()
    assert sheet.score.points == points_before - sheet.rows[leaf].max
    stored = gui.stored("SO01", leaf, "appraisal2")
    assert stored is not None and stored.points == 0
    reasons = gui.ctx.read(
        lambda s: s.scalars(
            select(AuditEvent.reason).where(
                AuditEvent.criterion_code == leaf, AuditEvent.author == "Người Kiểm Thử"
            )
        ).all()
    )
    assert {"Hoàn tác (undo)", "Làm lại (redo)"} <= set(reasons)


def test_reason_required_dialog(gui: Gui) -> None:
    sheet = gui.ws.sheet
    assert sheet is not None
    leaf = next(
        r.code
        for r in sheet.leaves()
        if r.stages.get("self")
        and r.stages["self"].points == r.max
        and sheet.node(r.code).rule.kind == "binary"
    )  # type: ignore[union-attr]
    gui.choose(leaf, "appraisal1")
    before = gui.stored("SO01", leaf, "appraisal1")
    before_points = None if before is None else before.points
    gui.detail.note.clear()
    inp = gui.detail.input
    assert inp is not None and inp.check is not None
    inp.check.setChecked(False)
    asked: list[bool] = []
    gui.detail.ask_reason = lambda: asked.append(True) or None  # type: ignore[func-returns-value]
    assert not gui.detail.save()
    assert asked and "lý do" in gui.detail.message.text()
    after = gui.stored("SO01", leaf, "appraisal1")
    assert (None if after is None else after.points) == before_points  # nothing stored
    gui.detail.ask_reason = lambda: "Không có kế hoạch ban hành"
    assert gui.detail.save()
    stored = gui.stored("SO01", leaf, "appraisal1")
    assert stored is not None and stored.points == 0 and stored.note == "Không có kế hoạch ban hành"
    reason = gui.ctx.read(
        lambda s: s.scalars(
            select(AuditEvent.reason)
            .where(AuditEvent.criterion_code == leaf, AuditEvent.author == "Người Kiểm Thử")
            .order_by(AuditEvent.time.desc())
        ).first()
    )
    assert reason == "Không có kế hoạch ban hành"
    assert gui.ws.tree.items[leaf].text(6) == "◆"  # changed by appraisal


def _pdf(path: Path) -> Path:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path))
    pdf.drawString(72, 720, "Bien ban kiem tra cong tac CCHC")
    pdf.showPage()
    pdf.drawString(72, 720, "Trang 2")
    pdf.save()
    return path


def _png(path: Path) -> Path:
    image = QImage(64, 48, QImage.Format.Format_RGB32)
    image.fill(QColor("#1565c0"))
    assert image.save(str(path))
    return path


@pytest.mark.parametrize("qtpdf", [True, False], ids=["QtPdf", "pdftoppm"])
def test_attach_and_preview_evidence(gui: Gui, tmp_path: Path, qtpdf: bool,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.ui import evidence_view

    assert evidence_view.HAVE_QTPDF  # the wheel pyproject.toml asks for has QtPdf
    monkeypatch.setattr(evidence_view, "HAVE_QTPDF", qtpdf)  # without it: pdftoppm in a worker
    leaf = gui.leaf_of_kind("options")
    assert gui.ws.jump(leaf)
    panel = gui.detail.evidence
    count_before = panel.table.rowCount()
    pdf, png = _pdf(tmp_path / "bien-ban.pdf"), _png(tmp_path / "anh-chup.png")
    panel.ask_files = lambda: [str(pdf)]
    panel.attach_button.click()
    assert panel.table.rowCount() == count_before + 1
    qtbot = gui.qtbot
    qtbot.waitUntil(lambda: panel.preview.kind == "pdf" and panel.preview.page_count() == 2, timeout=20_000)
    assert (panel.preview.pdf_view is not None) is qtpdf and bool(panel.preview.images) is not qtpdf
    if qtpdf:
        from PySide6.QtPdfWidgets import QPdfView

        assert panel.preview.pdf_view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert "bien-ban.pdf" in panel.preview.caption.text()
    # drag and drop a PNG onto the panel
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(png))])
    drop = QDropEvent(
        QPointF(5, 5),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    panel.dropEvent(drop)
    assert panel.table.rowCount() == count_before + 2
    qtbot.waitUntil(lambda: panel.preview.kind == "image", timeout=5_000)
    assert panel.preview.images and panel.preview.images[0].width() == 64
    names = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert {"bien-ban.pdf", "anh-chup.png"} <= set(names)
    sha_tip = panel.table.item(names.index("anh-chup.png"), 3).toolTip()
    # the same file again is stored once
    results = panel.attach_files([png])
    assert results and results[0].duplicate and "anh-chup.png" in panel.message.text()
    assert panel.table.rowCount() == count_before + 2
    a_id = gui.assessment("SO01")
    rows = gui.ctx.read(
        lambda s: s.scalars(
            select(Evidence).where(Evidence.assessment_id == a_id, Evidence.criterion_code == leaf)
        ).all()
    )
    assert len(rows) == count_before + 2
    stored = next(r for r in rows if r.file_name == "anh-chup.png")
    assert sha_tip == stored.sha256
    assert gui.ctx.project is not None and gui.ctx.project.evidence.verify(stored.sha256)
    assert gui.ws.sheet.rows[leaf].evidence == count_before + 2  # type: ignore[union-attr]


def test_locked_stage_is_read_only(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    leaf = gui.leaf_of_kind("binary")
    gui.choose(leaf, "appraisal2")
    assert gui.ws.lock("appraisal2")
    a_id = gui.assessment("SO01")
    locked = gui.ctx.read(lambda s: s.get(Assessment, a_id).locked)
    assert "appraisal2" in locked
    gui.choose(leaf, "appraisal2")
    assert not gui.detail.save_button.isEnabled() and not gui.detail.input.isEnabled()  # type: ignore[union-attr]
    assert "khoá" in gui.detail.lock_label.text()
    assert "khoá" in gui.ws.header.text().lower()
    assert not gui.detail.save()
    # only the committee unlocks
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: warned.append(a[2]))
    gui.ctx.settings.role = "leader"
    assert not gui.ws.unlock("appraisal2", reason="nhầm")
    assert warned and "Hội đồng thẩm định" in warned[0]  # the service's refusal, in the window's Vietnamese
    gui.ctx.settings.role = "committee"
    assert gui.ws.unlock("appraisal2", reason="Hội đồng cho sửa")
    gui.choose(leaf, "appraisal2")
    assert gui.detail.save_button.isEnabled()
    actions = gui.ctx.read(
        lambda s: s.scalars(
            select(AuditEvent.action).where(
                AuditEvent.assessment_id == a_id, AuditEvent.action.startswith("stage.")
            )
        ).all()
    )
    assert sorted(actions) == ["stage.lock", "stage.unlock"]


def test_role_limits_editable_stages(gui: Gui) -> None:
    gui.ctx.settings.role = "assessor"
    leaf = gui.leaf_of_kind("binary")
    gui.ws.jump(leaf)
    gui.choose(leaf, "appraisal1")
    assert not gui.detail.save_button.isEnabled()
    assert "Vai trò" in gui.detail.lock_label.text()
    gui.choose(leaf, "self")
    assert gui.detail.save_button.isEnabled()


def test_keyboard_and_search(gui: Gui) -> None:
    ws, qtbot = gui.ws, gui.qtbot
    sheet = ws.sheet
    assert sheet is not None
    leaves = [r.code for r in sheet.leaves()]
    ws.select_leaf(leaves[0])
    ws.step_leaf(1)
    assert ws.current_leaf() == leaves[1]
    ws.step_leaf(-1)
    assert ws.current_leaf() == leaves[0]
    assert ws.jump(leaves[5]) and ws.current_leaf() == leaves[5]
    # search filters the tree, Enter jumps to the first match
    ws.search.setText("2.1.")
    visible = [c for c, it in ws.tree.items.items() if not it.isHidden()]
    assert visible and all(c.startswith("2") for c in visible)
    qtbot.keyClick(ws.search, Qt.Key.Key_Return)
    assert ws.current_leaf() is not None and ws.current_leaf().startswith("2.1.")  # type: ignore[union-attr]
    ws.search.clear()
    assert all(not it.isHidden() for it in ws.tree.items.values())
    # typing a number on a count leaf goes straight into the input
    leaf = gui.leaf_of_kind("count")
    ws.select_leaf(leaf)
    ws.tree.setFocus()
    qtbot.keyClick(ws.tree, Qt.Key.Key_3)
    inp = gui.detail.input
    assert inp is not None and inp.count is not None and inp.count.value() == 3


# --- editing while the project is being written elsewhere --------------------------------------------
# by the import centre's worker: the edit waits for it (writes are queued, the window stays alive); by
# another program (a committee script): refused after the busy timeout with a message in the detail pane,
# nothing half-written.
def binary_leaf(gui: Gui) -> tuple[str, bool]:
    """A binary appraisal leaf of SO01 and the opposite of its appraisal2 value shown."""
    sheet = gui.ws.sheet
    assert sheet is not None
    leaf = next(r.code for r in sheet.leaves()
                if r.source == "appraisal" and sheet.node(r.code).rule.kind == "binary")  # type: ignore[union-attr]
    gui.choose(leaf, "appraisal2")
    inp = gui.detail.input
    assert inp is not None and inp.check is not None
    return leaf, not inp.check.isChecked()


def test_an_edit_during_an_import_waits_for_it_then_is_stored(gui: Gui, tmp_path: Path) -> None:
    from workbook_helpers import write_workbook

    book = write_workbook(
        tmp_path / "tong-hop.xlsx",
        units=[["SO01", "Sở Nội vụ", "department", "par-department-2024"]],
        scores=[["SO01", "1.3.2", "self", 0.5, 0, "Có phát sinh"]],
    )
    centre = gui.window.import_centre([str(book)])
    assert centre is not None
    gui.qtbot.addWidget(centre)
    with gui.qtbot.waitSignal(centre.previewed, timeout=30_000):
        pass
    leaf, wanted = binary_leaf(gui)
    imported: list[Any] = []
    centre.imported.connect(lambda *args: imported.append(args))
    centre.apply()
    # the worker is writing: the window says so, and an edit waits for the import (queued, not refused),
    # the window handling events meanwhile
    assert gui.ctx.busy and gui.window.busy_label.isVisibleTo(gui.window)
    assert "nhập dữ liệu" in gui.window.busy_label.text()
    gui.detail.input.check.setChecked(wanted)  # type: ignore[union-attr]
    assert gui.detail.save()
    assert imported and not gui.ctx.busy and not gui.window.busy_label.isVisibleTo(gui.window)
    assert gui.detail.message.text() == "" and not gui.detail.typing
    assert gui.ctx.history.can_undo
    stored = gui.stored("SO01", leaf, "appraisal2")
    assert stored is not None and stored.value == {"done": wanted}
    assert gui.stored("SO01", "1.3.2", "self").points == Decimal("0.50")  # type: ignore[union-attr]


def test_an_edit_while_another_program_writes_is_refused_with_a_message(
    gui: Gui, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = gui.ctx.project
    assert project is not None and project.path is not None
    monkeypatch.setattr(project_module, "BUSY_TIMEOUT_MS", 300)
    project.engine.dispose()  # new connections get the short busy timeout
    leaf, wanted = binary_leaf(gui)
    before = gui.stored("SO01", leaf, "appraisal2")
    other = sqlite3.connect(project.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        gui.detail.input.check.setChecked(wanted)  # type: ignore[union-attr]
        assert not gui.detail.save()
        assert "chương trình khác" in gui.detail.message.text()
        assert not gui.ctx.history.can_undo
    finally:
        other.execute("ROLLBACK")
        other.close()
    after: Any = gui.stored("SO01", leaf, "appraisal2")
    assert (after and after.value) == (before and before.value)
    assert gui.detail.save()
    stored = gui.stored("SO01", leaf, "appraisal2")
    assert stored is not None and stored.value == {"done": wanted}


def test_a_refresh_keeps_unsaved_input_unless_that_stage_changed(gui: Gui) -> None:
    leaf, wanted = binary_leaf(gui)
    gui.detail.input.check.setChecked(wanted)  # type: ignore[union-attr]
    gui.detail.note.setText("đang gõ dở")
    gui.detail.note.textEdited.emit("đang gõ dở")
    assert gui.detail.typing
    sheet = gui.ws.sheet
    assert sheet is not None
    other_leaf = next(r.code for r in sheet.leaves() if r.code != leaf and r.source == "appraisal"
                      and sheet.node(r.code).rule.kind == "binary")  # type: ignore[union-attr]
    a_id = sheet.assessment_id
    # another leaf of the same unit changes (here through the service, as an import would): input kept
    gui.ctx.run(lambda s: ws_change(s, a_id, other_leaf))
    assert gui.detail.input.check.isChecked() == wanted  # type: ignore[union-attr]
    assert gui.detail.note.text() == "đang gõ dở" and gui.detail.typing
    # that very stage changes: the new stored value is shown, and the pane says the typing was replaced
    gui.ctx.run(lambda s: ws_change(s, a_id, leaf, done=not wanted))
    assert gui.detail.input.check.isChecked() != wanted  # type: ignore[union-attr]
    assert gui.detail.note.text() == "từ nơi khác" and not gui.detail.typing
    assert "giá trị bạn đang nhập chưa lưu đã được thay" in gui.detail.message.text()


def ws_change(session: Any, a_id: Any, leaf: str, done: bool = True) -> Any:
    from evaluator.services.scores import set_score

    return set_score(session, a_id, leaf, "appraisal2", value={"done": done}, note="từ nơi khác",
                     reason="từ nơi khác", author="Tổ khác", device_id="other")


def test_closing_the_window_while_an_import_writes_waits(gui: Gui, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QMessageBox

    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: warned.append(text))
    gui.ctx.set_busy("nhập dữ liệu vào dự án")
    gui.window.close()
    assert gui.window.isVisible() and gui.ctx.project is not None  # still open, project still open
    assert warned == ["Đang nhập dữ liệu vào dự án: hãy đợi xong rồi đóng chương trình."]
    gui.ctx.set_busy("")
    gui.window.close()
    assert not gui.window.isVisible() and gui.ctx.project is None
