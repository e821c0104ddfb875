"""How the documents dialog names the kinds of document, says what it produced and previews it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication

from evaluator.services.documents import Produced
from evaluator.services.evidence import EvidenceInfo
from evaluator.ui.evidence_view import PreviewPane


def document_label(key: str) -> str:
    """The kinds of document (``services.documents.KINDS``) as the dialog lists them."""
    return {
        "appraisal": QCoreApplication.translate("ReportDialog", "Biên bản thẩm định (PDF)"),
        "self": QCoreApplication.translate("ReportDialog", "Báo cáo tự đánh giá (PDF)"),
        "publication": QCoreApplication.translate("ReportDialog", "Công bố kết quả của năm (PDF)"),
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
