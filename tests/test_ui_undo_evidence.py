"""Ctrl+Z and Ctrl+Y for evidence like for scores (pytest-qt, offscreen, a copy of the demo project):
attaching a file, editing its citation and removing it are undone and redone, the Edit menu names what
will be undone, and undoing a removal attaches the very same stored file again — the orphan sweep, run
in between, keeps its bytes because the audit log names them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from sqlalchemy import select
from ui_helpers import Gui

from evaluator.errors import UserError
from evaluator.models import AuditEvent, Evidence
from evaluator.services import history as history_service

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def png(path: Path, color: str = "#2e7d32") -> Path:
    image = QImage(40, 30, QImage.Format.Format_RGB32)
    image.fill(QColor(color))
    assert image.save(str(path))
    return path


def rows(gui: Gui, leaf: str) -> list[tuple[str, str, str]]:
    a_id = gui.assessment("SO01")
    return gui.ctx.read(lambda s: [
        (e.file_name, e.sha256, e.reference)
        for e in s.scalars(
            select(Evidence).where(Evidence.assessment_id == a_id, Evidence.criterion_code == leaf))
    ])


def ctrl(gui: Gui, key: Qt.Key) -> None:
    gui.ws.tree.setFocus()  # (in a text field Ctrl+Z is the field's own undo of typing)
    gui.qtbot.keyClick(gui.ws.tree, key, Qt.KeyboardModifier.ControlModifier)


def test_attach_reference_remove_are_undone_and_redone(gui: Gui, tmp_path: Path) -> None:
    window, panel = gui.window, gui.detail.evidence
    leaf = gui.leaf_of_kind("options")
    assert gui.ws.jump(leaf)
    before = rows(gui, leaf)
    file = png(tmp_path / "bien-ban-hop.png")
    panel.ask_files = lambda: [str(file)]
    panel.attach_button.click()
    added = [r for r in rows(gui, leaf) if r not in before]
    assert [r[0] for r in added] == ["bien-ban-hop.png"]
    sha = added[0][1]
    assert window.undo_action.text() == f"Hoàn tác: đính kèm tệp bien-ban-hop.png vào {leaf} của SO01"
    ctrl(gui, Qt.Key.Key_Z)
    assert rows(gui, leaf) == before
    assert "bien-ban-hop.png" not in [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert window.redo_action.text() == f"Làm lại: đính kèm tệp bien-ban-hop.png vào {leaf} của SO01"
    ctrl(gui, Qt.Key.Key_Y)
    assert ("bien-ban-hop.png", sha, "") in rows(gui, leaf)
    assert panel.table.rowCount() == len(before) + 1

    # the citation
    row = next(panel.items.index(i) for i in panel.items if i.sha256 == sha)
    panel.table.selectRow(row)
    assert panel.edit_reference("tr. 3, mục II")
    assert window.undo_action.text() == f"Hoàn tác: trích dẫn của tệp bien-ban-hop.png ở {leaf} của SO01"
    ctrl(gui, Qt.Key.Key_Z)
    assert ("bien-ban-hop.png", sha, "") in rows(gui, leaf)
    assert "" in [i.reference for i in panel.items if i.sha256 == sha]
    ctrl(gui, Qt.Key.Key_Y)
    assert ("bien-ban-hop.png", sha, "tr. 3, mục II") in rows(gui, leaf)

    # removing: the bytes stay for the undo, even through the orphan sweep a later opening runs
    project = gui.ctx.project
    assert project is not None
    stored = project.evidence.path(sha)
    content = stored.read_bytes()
    panel.table.selectRow(next(panel.items.index(i) for i in panel.items if i.sha256 == sha))
    assert panel.remove_current("nhầm tệp")
    assert rows(gui, leaf) == before
    assert window.undo_action.text() == f"Hoàn tác: gỡ tệp bien-ban-hop.png khỏi {leaf} của SO01"
    assert project.remove_orphan_evidence(now=stored.stat().st_mtime + 10**7) == []
    assert stored.read_bytes() == content
    ctrl(gui, Qt.Key.Key_Z)
    assert ("bien-ban-hop.png", sha, "tr. 3, mục II") in rows(gui, leaf)  # the same file and citation
    assert panel.table.rowCount() == len(before) + 1
    ctrl(gui, Qt.Key.Key_Y)
    assert rows(gui, leaf) == before
    # every step is in the audit log like any other edit
    a_id = gui.assessment("SO01")
    actions = gui.ctx.read(lambda s: [e.action for e in s.scalars(
        select(AuditEvent).where(AuditEvent.assessment_id == a_id, AuditEvent.criterion_code == leaf,
                                 AuditEvent.action.like("evidence.%")).order_by(AuditEvent.seq))])
    assert actions[-9:] == ["evidence.add", "evidence.remove", "evidence.add", "evidence.reference",
                            "evidence.reference", "evidence.reference", "evidence.remove", "evidence.add",
                            "evidence.remove"]


def test_score_undo_is_named(gui: Gui) -> None:
    leaf = gui.leaf_of_kind("binary", source="appraisal")
    gui.choose(leaf, "appraisal2")
    check = gui.detail.input.check  # type: ignore[union-attr]
    assert check is not None
    check.setChecked(not check.isChecked())
    assert gui.detail.save()
    assert gui.window.undo_action.text() == f"Hoàn tác: điểm {leaf} của SO01"
    gui.window.undo()
    assert gui.window.redo_action.text() == f"Làm lại: điểm {leaf} của SO01"
    assert gui.window.undo_action.text() == "Hoàn tác" and not gui.window.undo_action.isEnabled()


def test_undoing_a_removal_whose_bytes_are_gone_writes_nothing(gui: Gui, tmp_path: Path) -> None:
    panel = gui.detail.evidence
    leaf = gui.leaf_of_kind("options")
    assert gui.ws.jump(leaf)
    before = rows(gui, leaf)
    file = png(tmp_path / "mat.png", "#880000")
    panel.attach_files([file])
    sha = next(r for r in rows(gui, leaf) if r not in before)[1]
    panel.table.selectRow(next(panel.items.index(i) for i in panel.items if i.sha256 == sha))
    assert panel.remove_current("thử")
    project = gui.ctx.project
    assert project is not None
    project.evidence.path(sha).unlink()  # a damaged store: the bytes are lost
    with pytest.raises(UserError, match=r"mat\.png"):
        gui.ctx.undo()
    assert rows(gui, leaf) == before
    assert gui.ctx.history.can_undo  # the step stays: the file may be put back and the undo tried again


def test_history_steps_without_a_window(gui: Gui, tmp_path: Path) -> None:
    """The service level: a duplicate attachment records nothing; an unchanged citation records nothing."""
    project = gui.ctx.project
    assert project is not None
    h = history_service.History()
    a_id = gui.assessment("SO01")
    leaf = gui.leaf_of_kind("options")
    file = png(tmp_path / "mot.png", "#123456")
    who: Any = {"author": "A", "role": "committee", "device_id": "t"}
    with project.session(write=True) as s:
        first = h.attach(s, project.evidence, a_id, leaf, file, **who)
    with project.session(write=True) as s:
        again = h.attach(s, project.evidence, a_id, leaf, file, **who)
        h.set_reference(s, first.evidence.id, "", **who)
    assert again.duplicate and len(h.undo_stack) == 1
    step = h.next_undo
    assert isinstance(step, history_service.EvidenceEdit) and step.unit == "SO01" and step.action == "attach"
