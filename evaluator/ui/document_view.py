"""How the documents dialog names the kinds of document, says what it produced, previews it and prints it
(the minutes, the publication: Qt's print dialog, each PDF page drawn on a printer page)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from evaluator.services.documents import Produced
from evaluator.services.evidence import EvidenceInfo
from evaluator.ui import evidence_view
from evaluator.ui.evidence_view import PreviewPane

PRINT_DPI = 200
"""Pages are drawn as images at this resolution at most: sharp on paper, a few MB per page in memory."""


def document_label(key: str) -> str:
    """The kinds of document (``services.documents.KINDS``) as the dialog lists them."""
    return {
        "appraisal": QCoreApplication.translate("ReportDialog", "Biên bản thẩm định (PDF)"),
        "self": QCoreApplication.translate("ReportDialog", "Báo cáo tự đánh giá (PDF)"),
        "publication": QCoreApplication.translate("ReportDialog",
                                                  "Báo cáo kết quả của Hội đồng thẩm định (PDF)"),
        "decision": QCoreApplication.translate("ReportDialog", "Quyết định công bố kết quả của năm (PDF)"),
        "analysis": QCoreApplication.translate("ReportDialog", "Báo cáo phân tích kết quả (PDF)"),
        "notice": QCoreApplication.translate("ReportDialog", "Thông báo kết quả thẩm định lần 1 (PDF)"),
        "submission": QCoreApplication.translate("ReportDialog", "Tờ trình đề nghị phê duyệt, công bố (PDF)"),
        "appraisal_xlsx": QCoreApplication.translate("ReportDialog", "Bảng thẩm định (Excel)"),
        "results_xlsx": QCoreApplication.translate("ReportDialog", "Bảng kết quả của năm (Excel)"),
    }.get(key, key)


def tr(text: str) -> str:
    """The dialog's texts (``tr``: the catalogue's extractor finds them as it finds ``self.tr``)."""
    return QCoreApplication.translate("ReportDialog", text)


def produced_text(result: Produced) -> str:
    """The status line after ``produce``: the file (pages, signed or not), or how many files and where."""
    if len(result.files) == 1:
        text = tr("Đã ghi %1").replace("%1", str(result.files[0]))
        if result.pages:
            text += " · " + tr("%1 trang").replace("%1", str(result.pages))
        if result.files[0].suffix.lower() == ".docx":
            return text + " · " + tr("bản thảo Word (văn bản được ký là tệp PDF)")
        signed = tr("đã ký vào ô %1").replace("%1", result.signed) if result.signed else tr("chưa ký")
        return text + " · " + signed
    text = tr("Đã ghi %1 tệp vào %2").replace("%1", str(len(result.files)))
    text = text.replace("%2", str(result.files[0].parent if result.files else ""))
    if result.signed:
        text += " · " + tr("đã ký")
    return text


def show_pdf(pane: PreviewPane, path: Path) -> None:
    """Preview a produced document with the evidence viewer (QtPdf, else pdftoppm in a worker)."""
    info = EvidenceInfo(
        id=uuid.uuid4(),
        criterion_code="",
        stage=None,
        sha256="",
        file_name=path.name,
        size=path.stat().st_size if path.exists() else 0,
        media_type="application/pdf",
        reference="",
        added_by="",
        added_at=datetime.now(UTC),
    )
    pane.show_file(info, path)


Render = Callable[[int, QSize], QImage]


def _pages(path: Path, dpi: int) -> tuple[int, Render, object]:
    """(page count, render(i, QSize) → QImage): QtPdf where the wheel has it, else poppler's pdftoppm."""
    if evidence_view.HAVE_QTPDF:
        from PySide6.QtPdf import QPdfDocument

        doc = QPdfDocument()
        doc.load(str(path))

        def render(i: int, box: QSize) -> QImage:  # the page's own proportions, as large as fits the box
            return doc.render(i, doc.pagePointSize(i).scaled(QSizeF(box), Qt.AspectRatioMode.KeepAspectRatio)
                              .toSize())

        return int(doc.pageCount()), render, doc
    images = evidence_view.render_pdf_pages(path, pages=10_000, dpi=dpi)
    return len(images), lambda i, _size: images[i], images


def print_pdf(path: Path, printer: QPrinter) -> int:
    """Print a PDF file on ``printer`` (the page range its dialog chose, if any), each page fitted to the
    printer's page and centred; returns the pages printed (0: nothing could be read, nothing printed)."""
    count, render, _document = _pages(path, PRINT_DPI)  # (the document lives while its pages are drawn)
    if count == 0:
        return 0
    first, last = 1, count
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first, last = max(1, printer.fromPage()), min(count, printer.toPage() or count)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    printed = 0
    try:
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        dpi = min(PRINT_DPI, printer.resolution())
        scale = dpi / printer.resolution()
        for number in range(first, last + 1):
            if printed:
                printer.newPage()
            size = QSize(int(area.width() * scale), int(area.height() * scale))
            image: QImage = render(number - 1, size)
            if image.isNull():
                continue
            fitted = image.size().scaled(area.size().toSize(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (area.width() - fitted.width()) / 2
            y = (area.height() - fitted.height()) / 2
            painter.drawImage(QRectF(x, y, fitted.width(), fitted.height()), image)
            printed += 1
    finally:
        painter.end()
    return printed
