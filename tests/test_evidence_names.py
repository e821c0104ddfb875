"""Evidence file names are display names only: every on-disk path built from one (the copy "Mở bằng ứng
dụng" gives the system viewer) is the SHA-256 plus ``fields.safe_file_name`` and stays inside its folder,
names attached from disk are stored made safe, and references and reasons with control characters are
refused with nothing stored. On real SQLite projects, the GUI offscreen through pytest-qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import hashlib
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QDropEvent
from sqlalchemy import func, select
from ui_helpers import Gui, gui  # noqa: F401 - the main window on a copy of the demo project

from evaluator.errors import UserError
from evaluator.fields import safe_file_name
from evaluator.models import AuditEvent, Evidence, EvidenceError, EvidenceStore, Project, open_project
from evaluator.services import evidence
from evaluator.services import workspace as ws

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LONG = "Biên bản kiểm tra công tác cải cách hành chính " * 7  # 329 characters
HOSTILE = ["../../../x.sh", "..\\..\\x.bat", "/etc/cron.d/x", "C:\\Windows\\x.dll", "CON.pdf", "con .txt",
           LONG[:296] + ".pdf", "a\x1b[2Jb.pdf", "..", " "]


def files_under(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file() or p.is_symlink()}


def test_a_named_copy_stays_in_its_folder_whatever_the_name(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "store")
    folder = tmp_path / "a" / "b" / "viewer"
    folder.mkdir(parents=True)
    for i, name in enumerate(HOSTILE):
        data = f"#!/bin/sh\necho {i}\n".encode()
        sha, _ = store.put(data)
        before = files_under(tmp_path)
        copy = store.named_copy(sha, name, folder)
        assert copy.parent == folder.resolve() / sha[:16], name
        assert copy.name == safe_file_name(name) and copy.read_bytes() == data, name
        assert len(copy.name.encode()) <= 240 and copy.name.split(".")[0].strip().upper() != "CON", name
        assert files_under(tmp_path) - before == {copy}, name  # nothing anywhere else
        assert store.named_copy(sha, name, folder) == copy  # the intact copy is reused
    assert not (tmp_path / "x.sh").exists() and not (tmp_path / "a" / "x.sh").exists()


def test_a_named_copy_replaces_a_planted_link_and_refuses_damaged_bytes(tmp_path: Path) -> None:
    store = EvidenceStore(tmp_path / "store")
    folder = tmp_path / "viewer"
    sha, _ = store.put(b"%PDF-1.4 real\n")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    planted = folder / sha[:16] / "bien-ban.pdf"
    planted.parent.mkdir(parents=True)
    planted.symlink_to(victim)
    copy = store.named_copy(sha, "bien-ban.pdf", folder)
    assert copy == planted.resolve() and not copy.is_symlink() and copy.read_bytes() == b"%PDF-1.4 real\n"
    assert victim.read_text() == "keep me"
    store.path(sha).write_bytes(b"%PDF-1.4 changed\n")  # the stored copy was damaged
    copy.unlink()
    with pytest.raises(EvidenceError, match="damaged"):
        store.named_copy(sha, "bien-ban.pdf", folder)
    assert not copy.exists() and files_under(folder) == set()


@pytest.fixture
def proj(demo_copy: Path) -> Iterator[Project]:
    p = open_project(demo_copy)
    yield p
    p.close()


def _leaf(p: Project) -> tuple[Any, str]:
    with p.session() as s:
        unit = next(u for u in ws.list_units(s, 2024) if u.code == "SO01")
        sheet = ws.load_unit(s, unit.assessment_id)
    return unit.assessment_id, sheet.leaves()[0].code


def _counts(p: Project) -> tuple[int, int]:
    with p.session() as s:
        return s.scalar(select(func.count()).select_from(Evidence)), s.scalar(
            select(func.count()).select_from(AuditEvent))


def test_attached_names_are_stored_safe_and_bad_text_is_refused(proj: Project, tmp_path: Path) -> None:
    a_id, leaf = _leaf(proj)
    names = {"CON.pdf": "_CON.pdf", "bad\x07name.pdf": "badname.pdf", "x" * 250 + ".pdf": None}
    for i, (name, expected) in enumerate(names.items()):
        source = tmp_path / name
        source.write_bytes(f"file {i}".encode())
        with proj.session() as s:
            got = evidence.attach(s, proj.evidence, a_id, leaf, source, author="A")
        assert got.evidence.file_name == (expected or safe_file_name(name))
        assert len(got.evidence.file_name.encode()) <= 240 and got.evidence.file_name.endswith(".pdf")
    clean = tmp_path / "bien-ban.pdf"
    clean.write_bytes(b"clean")
    before = _counts(proj)
    refused = r"bien-ban\.pdf: reference refused: contains a control character"
    with pytest.raises(UserError, match=refused), proj.session() as s:
        evidence.attach(s, proj.evidence, a_id, leaf, clean, reference="tr. 3\x1b[2J")
    assert _counts(proj) == before
    with proj.session() as s:
        row = s.scalars(select(Evidence).where(Evidence.file_name == "_CON.pdf")).one()
        ev_id = row.id
    with pytest.raises(UserError, match="reference refused: contains a control"), proj.session() as s:
        evidence.set_reference(s, ev_id, "Điều\x00 5")
    with pytest.raises(UserError, match="reason refused"), proj.session() as s:
        evidence.remove(s, ev_id, reason="nhầm\x1b")
    with pytest.raises(UserError, match="reference refused: 2001 characters"), proj.session() as s:
        evidence.set_reference(s, ev_id, "x" * 2001)
    assert _counts(proj) == before
    with proj.session() as s:
        assert s.get(Evidence, ev_id).reference == ""  # type: ignore[union-attr]
        evidence.set_reference(s, ev_id, "Trang 3,\nmục 2")  # a line break is ordinary text here
    with proj.session() as s:
        assert s.get(Evidence, ev_id).reference == "Trang 3,\nmục 2"  # type: ignore[union-attr]


def test_open_with_the_system_viewer_never_writes_outside_the_temp_folder(
    gui: Gui, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    system = tmp_path / "system"
    temp = system / "tmp"
    temp.mkdir(parents=True)
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    opened: list[QUrl] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", staticmethod(lambda url: opened.append(url) or True))
    project = gui.ctx.project
    assert project is not None
    leaf = gui.leaf_of_kind("binary")
    a_id = gui.assessment("SO01")
    names = ["../../../x.sh", "CON.pdf", LONG[:296] + ".pdf"]
    contents = {}
    with project.session(write=True) as s:  # rows as an older version or another tool stored them
        for i, name in enumerate(names):
            data = f"#!/bin/sh\necho {i}\n".encode()
            sha, size = project.evidence.put(data)
            contents[name] = (sha, data)
            s.add(Evidence(assessment_id=a_id, criterion_code=leaf, sha256=sha, file_name=name, size=size,
                           media_type="application/octet-stream", reference="", added_by="cũ"))
    assert gui.ws.jump(leaf)
    panel = gui.detail.evidence
    shown = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    before = files_under(tmp_path)
    for name in names:
        panel.table.selectRow(shown.index(name))
        panel.open_button.click()
        assert opened, name
        path = Path(opened.pop().toLocalFile())
        sha, data = contents[name]
        assert path.is_file() and path.read_bytes() == data and hashlib.sha256(data).hexdigest() == sha
        assert path.is_relative_to(temp.resolve()) and path.name == safe_file_name(name), name
        assert path.parent.name == sha[:16] and path.parent.parent == panel.viewer_folder(), name
    written = files_under(tmp_path) - before
    assert written and all(p.is_relative_to(panel.viewer_folder()) for p in written), written
    assert not list(system.glob("x.sh")) and not list(tmp_path.rglob("CON.pdf"))
    assert panel.message.text() == ""


def test_a_reference_with_control_characters_is_refused_in_the_panel(gui: Gui, tmp_path: Path) -> None:  # noqa: F811
    leaf = gui.leaf_of_kind("options")
    assert gui.ws.jump(leaf)
    panel = gui.detail.evidence
    source = tmp_path / "CON.pdf"
    source.write_bytes(b"%PDF-1.4 con\n")
    panel.ask_files = lambda: [str(source)]
    panel.attach_button.click()  # the file dialog's path
    dropped = tmp_path / "NUL.txt"  # and one dropped from the file manager
    dropped.write_bytes(b"nul")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    panel.dropEvent(QDropEvent(QPointF(5, 5), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                               Qt.KeyboardModifier.NoModifier))
    names = [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())]
    assert {"_CON.pdf", "_NUL.txt"} <= set(names) and not {"CON.pdf", "NUL.txt"} & set(names)
    panel.table.selectRow(names.index("_CON.pdf"))
    panel.ask_text = lambda _t, _l, _x: "tr. 3\x1b[2J"
    assert not panel.edit_reference()
    # the field rule in the window's language (Vietnamese); the sentence around it has no code yet
    assert "chứa một ký tự điều khiển (U+001B)" in panel.message.text()
    info = panel.current()
    assert info is not None and info.reference == ""
    stored = gui.ctx.read(lambda s: s.get(Evidence, info.id))
    assert stored is not None and stored.reference == ""
