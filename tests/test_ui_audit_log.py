"""The audit view's filters (unit, person, range of days), its Excel export and its printout (issue #16):
the filters change the rows; the xlsx holds exactly the filtered rows; printing to a PDF through QPrinter
gives a PDF whose text holds them."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QDate
from PySide6.QtPrintSupport import QPrinter

from evaluator.ui import formats
from evaluator.ui.audit_view import NO_DAY, AuditView
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

COMMITTEE = "Hội đồng thẩm định"


def shown(view: AuditView) -> list[list[str]]:
    return [list(view.model.texts(r)) for r in range(view.model.rowCount())]


def choose(combo: Any, data: Any) -> None:
    i = combo.findData(data)
    assert i >= 0, data
    combo.setCurrentIndex(i)


def filtered_view(window: MainWindow) -> AuditView:
    """The audit view showing SO01's committee events of the last day that has any."""
    view = window.audit
    window.show_view("audit")
    everything = view.total
    choose(view.unit_combo, "SO01")
    unit_rows = shown(view)
    assert view.total < everything and unit_rows and all(r[4].startswith("SO01 ") for r in unit_rows)
    choose(view.person_combo, COMMITTEE)
    person_rows = shown(view)
    assert 0 < len(person_rows) < view.PAGE and len(person_rows) < len(unit_rows)
    assert all(r[1] == COMMITTEE and r[4].startswith("SO01 ") for r in person_rows)
    last = max(date(int(r[0][6:10]), int(r[0][3:5]), int(r[0][:2])) for r in person_rows)
    day = QDate(last.year, last.month, last.day)
    view.since_edit.setDate(day)
    view.until_edit.setDate(day)
    rows = shown(view)
    assert rows and len(rows) <= len(person_rows)
    assert all(r[0].startswith(formats.day(last)) and r[1] == COMMITTEE for r in rows)
    assert len(rows) == sum(r[0].startswith(formats.day(last)) for r in person_rows)
    return view


def test_filters_change_the_rows_and_clearing_them_brings_all_back(window: MainWindow, qtbot: Any) -> None:
    view = filtered_view(window)
    # a reversed range: said in the count line, no rows, nothing raised
    view.since_edit.setDate(view.until_edit.date().addDays(1))
    assert shown(view) == [] and "sau ngày kết thúc" in view.count.text()
    for edit in (view.since_edit, view.until_edit):
        edit.setDate(NO_DAY)
    choose(view.person_combo, None)
    choose(view.unit_combo, None)
    assert view.model.rowCount() == min(view.total, view.PAGE) and view.total > view.PAGE


def test_export_holds_exactly_the_filtered_rows(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    view = filtered_view(window)
    rows = shown(view)
    out = tmp_path / "nhat-ky.xlsx"
    assert view.export_xlsx(str(out)) == len(rows)
    sheet = list(openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True))
    assert sheet[0][1] == "Người thực hiện"
    got = [(formats.moment(r[0].astimezone(), seconds=True)[:16], r[1], r[3], r[4], r[5]) for r in sheet[1:]]
    assert got == [(r[0][:16], r[1], r[3], r[4], r[5]) for r in rows]
    assert str(out) in view.count.text()


def test_printing_to_pdf_holds_the_filtered_rows(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    view = filtered_view(window)
    rows = shown(view)
    pdf = tmp_path / "nhat-ky.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(pdf))
    view.print_to(printer)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "Nhật ký kiểm toán" in text and f"{len(rows)} sự kiện" in text
    assert "SO01" in text and COMMITTEE in text  # the filters, printed above the table
    lines = text.splitlines()
    for r in rows:  # each event on its line: its time, criterion and reason
        assert any(r[0] in line and f" {r[5]} " in line and r[8][:20] in line for line in lines), r
