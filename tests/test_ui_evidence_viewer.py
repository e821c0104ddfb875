"""The evidence viewer (pytest-qt, offscreen, a copy of the demo project): a window of its own, opened from
the evidence list (button, double-click, Space), that pages through a PDF (◀ ▶, the page box, PgDn/PgUp)
and zooms (−, +, fit the width, 100 %), with QtPdf and with pdftoppm's images; it fits 1366×768 with no
button cut off, in both languages; screenshots in docs/screenshots/."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication
from ui_helpers import Gui

from evaluator.ui import evidence_view
from evaluator.ui.app import application
from evaluator.ui.evidence_viewer import EvidenceViewer

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def pdf(path: Path, pages: int = 4) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4)
    for p in range(pages):
        c.setFont("Helvetica-Bold", 22)
        c.drawString(72, 760, f"KE HOACH CCHC NAM 2024 - TRANG {p + 1}")
        c.setFont("Helvetica", 12)
        for line in range(40):
            text = f"Muc {line + 1}. Noi dung thuc hien nhiem vu cai cach hanh chinh."
            c.drawString(72, 720 - 16 * line, text)
        c.showPage()
    c.save()
    return path


def open_viewer(gui: Gui, tmp_path: Path, qtpdf: bool, monkeypatch: pytest.MonkeyPatch) -> EvidenceViewer:
    monkeypatch.setattr(evidence_view, "HAVE_QTPDF", qtpdf)
    leaf = gui.leaf_of_kind("options")
    assert gui.ws.jump(leaf)
    panel = gui.detail.evidence
    panel.attach_files([pdf(tmp_path / "ke-hoach-cchc.pdf")])
    viewer = panel.open_viewer()
    assert viewer is not None and viewer.isVisible() and viewer.isWindow()
    gui.qtbot.waitUntil(lambda: viewer.pane.kind == "pdf" and viewer.pane.page_count() == 4, timeout=30_000)
    QApplication.processEvents()
    return viewer


@pytest.mark.parametrize("qtpdf", [True, False], ids=["QtPdf", "pdftoppm"])
def test_pages_and_zoom(gui: Gui, tmp_path: Path, qtpdf: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    viewer = open_viewer(gui, tmp_path, qtpdf, monkeypatch)
    pane = viewer.pane
    assert (pane.pdf_view is not None) is qtpdf
    assert viewer.of_pages.text() == "/ 4" and viewer.page.maximum() == 4
    assert pane.current_page() == 0
    viewer.next_button.click()
    QApplication.processEvents()
    assert pane.current_page() == 1 and viewer.page.value() == 2
    viewer.page.setValue(4)
    QApplication.processEvents()
    assert pane.current_page() == 3
    gui.qtbot.keyClick(viewer, Qt.Key.Key_PageUp)
    QApplication.processEvents()
    assert pane.current_page() == 2 and viewer.page.value() == 3
    fit = pane.zoom_factor()
    viewer.in_button.click()
    assert pane.zoom_factor() > fit and viewer.zoom_label.text() == f"{round(pane.zoom_factor() * 100)} %"
    viewer.actual_button.click()
    assert pane.zoom_factor() == pytest.approx(1.0) and viewer.zoom_label.text() == "100 %"
    viewer.out_button.click()
    assert pane.zoom_factor() < 1.0
    viewer.fit_button.click()
    assert pane.zoom is None and pane.zoom_factor() == pytest.approx(fit, rel=0.05)
    # readable: fit to the width of a 900 px window is far larger than the old 300 px box
    if not qtpdf:
        assert pane.labels[0].pixmap().width() >= 700


def test_opened_by_double_click_and_space_and_follows_the_selection(gui: Gui, tmp_path: Path) -> None:
    leaf = gui.leaf_of_kind("options")
    assert gui.ws.jump(leaf)
    panel = gui.detail.evidence
    panel.attach_files([pdf(tmp_path / "a.pdf", 2), pdf(tmp_path / "b.pdf", 3)])
    assert not panel.viewer.isVisible()
    panel.table.setFocus()
    gui.qtbot.keyClick(panel.table, Qt.Key.Key_Space)
    assert panel.viewer.isVisible()
    panel.viewer.close()
    item = panel.table.item(0, 0)
    assert item is not None
    panel.table.itemDoubleClicked.emit(item)
    assert panel.viewer.isVisible()
    names = [i.file_name for i in panel.items]
    panel.table.selectRow(names.index("b.pdf"))
    gui.qtbot.waitUntil(lambda: panel.viewer.pane.page_count() == 3, timeout=20_000)
    assert "b.pdf" in panel.viewer.windowTitle()
    panel.viewer.close()


@pytest.mark.parametrize("language", ["vi", "en"])
def test_viewer_fits_1366x768_and_screenshot(gui: Gui, tmp_path: Path, language: str,
                                            monkeypatch: pytest.MonkeyPatch, qtbot: Any) -> None:
    application(language)
    try:
        gui.window.resize(1366, 768)
        viewer = open_viewer(gui, tmp_path, True, monkeypatch)
        if language == "en":  # (texts are read when the viewer is made: the window was built in Vietnamese)
            viewer.close()
            viewer = EvidenceViewer(evidence_view.PreviewPane(), gui.detail.evidence)
            qtbot.addWidget(viewer)
            viewer.show()
            info = next(i for i in gui.detail.evidence.items if i.file_name == "ke-hoach-cchc.pdf")
            project = gui.ctx.project
            assert project is not None
            viewer.pane.show_file(info, evidence_view.evidence_service.file_path(project.evidence, info))
            qtbot.waitUntil(lambda: viewer.pane.page_count() == 4, timeout=20_000)
            assert viewer.fit_button.text() == "Fit width"
        assert viewer.width() <= 1366 and viewer.height() <= 768 - 40
        assert viewer.minimumSizeHint().width() <= viewer.width()
        for b in viewer.findChildren(QAbstractButton):
            if b.isVisible() and b.text():
                assert b.fontMetrics().horizontalAdvance(b.text()) <= b.width(), b.text()
        qtbot.wait(800)  # QtPdf draws its pages in the background
        fit = round(viewer.pane.zoom_factor() * 100)
        assert viewer.zoom_label.text() == f"{fit} %" and fit > 50  # the scale of the page as shown
        suffix = "" if language == "vi" else "-en"
        assert viewer.grab().save(str(SHOTS / f"evidence-viewer{suffix}.png"))
    finally:
        application("vi")
