"""Printing from the documents dialog: the minutes and the publication made in the dialog go through a
QPrinter (here to a PDF file, no dialog) — every page of the document is printed, with ink on it — and the
"In…" button is on only when one PDF is shown."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter

from evaluator.ui import evidence_view
from evaluator.ui.main_window import MainWindow
from evaluator.ui.report_dialog import ReportDialog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def pages(path: Path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^Pages:\s+(\d+)", out, re.M)
    assert found is not None
    return int(found.group(1))


def inked(path: Path, page: int, tmp: Path) -> float:
    """The share of a printed page's pixels that are not white."""
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", str(page), "-l", str(page), str(path),
                    str(tmp / "ink")], check=True, capture_output=True)
    image = QImage(str(next(tmp.glob("ink*.png"))))
    for f in tmp.glob("ink*.png"):
        f.unlink()
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).lightness() < 200)
    return dark / ((image.height() // 2) * (image.width() // 2))


def to_file(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def produce(dialog: ReportDialog, qtbot: Any) -> None:
    with qtbot.waitSignals([dialog.produced], timeout=60_000):
        assert dialog.produce() is not None


@pytest.mark.slow
@pytest.mark.parametrize("qtpdf", [True, False], ids=["QtPdf", "pdftoppm"])
def test_minutes_and_publication_print_every_page(window: MainWindow, qtbot: Any, tmp_path: Path, qtpdf: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence_view, "HAVE_QTPDF", qtpdf)
    assert window.workspace.select_unit("SO01")
    dialog = window.report_dialog("appraisal")
    assert isinstance(dialog, ReportDialog)
    qtbot.addWidget(dialog)
    assert not dialog.print_button.isEnabled()
    source = tmp_path / "bien-ban.pdf"
    dialog.out.setText(str(source))
    produce(dialog, qtbot)
    assert dialog.print_button.isEnabled()
    printed = tmp_path / "in-bien-ban.pdf"
    assert dialog.print_to(to_file(printed)) == pages(source) >= 1
    assert pages(printed) == pages(source)
    assert all(inked(printed, p, tmp_path) > 0.002 for p in range(1, pages(printed) + 1))
    # a page range chosen in the dialog
    ranged = to_file(tmp_path / "trang-1.pdf")
    ranged.setPrintRange(QPrinter.PrintRange.PageRange)
    ranged.setFromTo(1, 1)
    assert dialog.print_to(ranged) == 1 and pages(tmp_path / "trang-1.pdf") == 1

    dialog.document.setCurrentIndex(dialog.document.findData("publication"))
    dialog.draft.setChecked(True)  # the demo's results are not approved: the publication is a draft
    publication = tmp_path / "cong-bo.pdf"
    dialog.out.setText(str(publication))
    produce(dialog, qtbot)
    printed = tmp_path / "in-cong-bo.pdf"
    assert dialog.print_to(to_file(printed)) == pages(publication)
    assert pages(printed) == pages(publication)
    # a spreadsheet is not printed from here: the button goes off
    dialog.document.setCurrentIndex(dialog.document.findData("results_xlsx"))
    dialog.out.setText(str(tmp_path / "ket-qua.xlsx"))
    produce(dialog, qtbot)
    assert not dialog.print_button.isEnabled() and dialog.printable() is None
