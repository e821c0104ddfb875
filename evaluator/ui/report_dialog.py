"""Producing documents from the GUI: minutes, self-assessment reports, the results publication and the Excel
workbooks (``services.documents.KINDS``), optionally signed at once, previewed. The work is
``services.documents.produce``'s, run as an operation (``ui.operations``); this dialog only gathers the
choices."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QWidget,
)

from evaluator.services import documents
from evaluator.services import workspace as ws
from evaluator.services.documents import KINDS, DocumentKind, Produced
from evaluator.services.progress import Cancelled
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import choose_folder, save_file
from evaluator.ui.document_keys import KeyPanel, browse_row, field_label
from evaluator.ui.document_view import document_label, print_pdf, produced_text, show_pdf
from evaluator.ui.evidence_view import PreviewPane
from evaluator.ui.job_panel import JobPanel
from evaluator.ui.operations import Job, ReadOp, error_text
from evaluator.ui.sign_dialog import SignDialog
from evaluator.ui.unit_checklist import UnitChecklist


class ReportDialog(QDialog):
    """Produce a document: minutes or self-assessment reports for the chosen units (one file, or one file
    per unit into a folder, with progress and cancel), the year's publication, or the Excel workbooks;
    optionally signed at once; the PDF is previewed."""

    produced = Signal(object)
    """Emitted with ``Produced`` when the files are written."""
    failed = Signal(str)

    def __init__(
        self,
        ctx: AppContext,
        document: str = "appraisal",
        year: int | None = None,
        codes: list[str] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.done_count = 0
        self.produced_files: Produced | None = None
        self.setWindowTitle(self.tr("Tạo báo cáo"))
        self.resize(1100, 690)  # with its title bar, above the taskbar of a 1366×768 screen
        outer = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        form = QFormLayout(left)
        self.document = QComboBox()
        for key in KINDS:
            self.document.addItem(document_label(key), key)
        form.addRow(self.tr("Tài liệu"), self.document)
        self.year = QComboBox()
        for y in ctx.read(ws.years) if ctx.project is not None else []:
            self.year.addItem(str(y), y)
        if year is not None and self.year.findData(year) >= 0:
            self.year.setCurrentIndex(self.year.findData(year))
        form.addRow(self.tr("Năm"), self.year)
        self.units_label = QLabel(self.tr("Đơn vị"))
        self.units_box = UnitChecklist()
        self.units = self.units_box.units
        form.addRow(self.units_label, self.units_box)
        self.on_date = QDateEdit(QDate.currentDate())
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("dd/MM/yyyy")
        form.addRow(self.tr("Ngày của văn bản"), self.on_date)
        self.file_format = QComboBox()
        self.file_format.addItem(self.tr("PDF"), "pdf")
        self.file_format.addItem(self.tr("Word (bản thảo)"), "docx")
        self.file_format.setToolTip(self.tr("Bản thảo Word cùng nội dung và thể thức để biên tập trước khi "
                                            "ban hành; văn bản được ký là tệp PDF"))
        self.format_label = QLabel(self.tr("Định dạng"))
        form.addRow(self.format_label, self.file_format)
        self.out = QLineEdit()
        self.out_row = browse_row(self.out, self.tr("Chọn…"), self._pick_out)
        self.out_label = QLabel(self.tr("Lưu vào"))
        form.addRow(self.out_label, self.out_row)
        self.draft = QCheckBox(self.tr("Bản dự thảo (khi kết quả chưa được phê duyệt hết)"))
        self.draft.setToolTip(self.tr("Văn bản công bố kết quả chính thức cần mọi đơn vị được phê duyệt; "
                                      "bản dự thảo ghi chữ DỰ THẢO trên trang"))
        form.addRow(self.draft)
        self.sign = QCheckBox(self.tr("Ký số ngay khi tạo"))
        form.addRow(self.sign)
        self.key = KeyPanel()
        self.key.setEnabled(False)
        self.sign.toggled.connect(self.key.setEnabled)
        self.field = QComboBox()
        form.addRow(self.key)
        form.addRow(self.tr("Ô chữ ký"), self.field)
        self.panel = JobPanel(self)  # the dialog as parent: its default button is then the dialog's
        self.progress, self.status = self.panel.progress, self.panel.status
        self.produce_button = self.panel.add_button(self.tr("Tạo tài liệu"), self.produce, default=True)
        self.cancel_button = self.panel.add_button(self.tr("Huỷ"), self.cancel, enabled=False)
        self.sign_button = self.panel.add_button(self.tr("Ký số tệp này…"), self.sign_produced, enabled=False)
        self.print_button = self.panel.add_button(self.tr("In…"), self.print_dialog, enabled=False)
        self.panel.add_button(self.tr("Đóng"), self.reject)
        form.addRow(self.panel)
        split.addWidget(left)
        self.preview = PreviewPane()
        split.addWidget(self.preview)
        split.setSizes([520, 580])
        outer.addWidget(split)

        self.year.currentIndexChanged.connect(self._fill_units)
        self.document.currentIndexChanged.connect(self._document_chosen)
        self.file_format.currentIndexChanged.connect(self._document_chosen)
        self.units_box.changed.connect(self._default_out)
        self._fill_units(codes)
        if self.document.findData(document) >= 0:
            self.document.setCurrentIndex(self.document.findData(document))
        self._document_chosen()

    # --- choices ---------------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.document.currentData())

    def document_kind(self) -> DocumentKind:
        return KINDS[self.kind()]

    def fmt(self) -> str:
        """``pdf``, or ``docx`` when the Word draft of a PDF kind is chosen."""
        return "docx" if self.document_kind().pdf and self.file_format.currentData() == "docx" else "pdf"

    def _fill_units(self, codes: Any = None) -> None:
        wanted = codes if isinstance(codes, list) else self.checked_codes()
        y = self.year.currentData()
        units = self.ctx.read(lambda s: ws.list_units(s, int(y))) \
            if y is not None and self.ctx.project is not None else []
        self.units_box.fill(units, wanted)
        self._default_out()

    def check_all(self, on: bool) -> None:
        self.units_box.check_all(on)

    def set_codes(self, codes: list[str]) -> None:
        self.units_box.set_codes(codes)

    def checked_codes(self) -> list[str]:
        return self.units_box.checked_codes()

    def _document_chosen(self) -> None:
        kind = self.document_kind()
        self.units_box.setVisible(kind.per_unit)
        self.units_label.setVisible(kind.per_unit)
        final = kind.key in documents.FINAL_KINDS  # the documents that present the results as final
        self.draft.setVisible(final)
        if not final:
            self.draft.setChecked(False)
        self.file_format.setVisible(kind.pdf)
        self.format_label.setVisible(kind.pdf)
        signable = kind.pdf and self.fmt() == "pdf"  # a Word draft is not signed: the PDF is
        self.sign.setEnabled(signable)
        if not signable:
            self.sign.setChecked(False)
        self.field.clear()
        self.field.addItem(self.tr("Ô trống đầu tiên"), None)
        for name in kind.fields:
            self.field.addItem(field_label(name), name)
        self.field.setEnabled(signable)
        self._default_out()

    def batch(self) -> bool:
        """One file per unit into a folder (several units, PDF)."""
        return self.document_kind().batch(len(self.checked_codes()))

    def _folder(self) -> Path:
        project = self.ctx.project
        if project is not None and project.path is not None:
            return Path(project.path).parent
        return Path.home()

    def _default_out(self) -> None:
        kind, y = self.document_kind(), self.year.currentData()
        codes = self.checked_codes()
        if self.batch():
            self.out_label.setText(self.tr("Thư mục"))
            self.out.setText(str(self._folder() / kind.folder_name(y)))
            return
        self.out_label.setText(self.tr("Lưu vào"))
        self.out.setText(str(self._folder() / kind.file_name(y, codes[0] if len(codes) == 1 else None,
                                                              self.fmt())))

    def _pick_out(self) -> str:
        if self.batch():
            return choose_folder(self, self.tr("Thư mục lưu các tệp"), self.out.text())
        suffix = self.document_kind().format_suffix(self.fmt())
        return save_file(self, self.tr("Lưu tài liệu"), self.out.text(), f"*{suffix}")

    # --- producing ---------------------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.panel.error(text)
        self.failed.emit(text)

    def produce(self) -> Job | None:
        project = self.ctx.project
        if project is None or self.job is not None:
            return None
        kind, y = self.document_kind(), self.year.currentData()
        codes = self.checked_codes()
        if y is None:
            self._error(self.tr("Dự án chưa có năm đánh giá nào."))
            return None
        if kind.per_unit and not codes:
            self._error(self.tr("Chọn ít nhất một đơn vị."))
            return None
        out = Path(self.out.text().strip()) if self.out.text().strip() else None
        if out is None:
            self._error(self.tr("Chọn nơi lưu."))
            return None
        batch = self.batch()
        if not batch and not out.parent.is_dir():
            self._error(self.tr("Thư mục %1 không tồn tại.").replace("%1", str(out.parent)))
            return None
        key = self.key.spec() if self.sign.isChecked() else None
        if key is not None and (problem := key.problem()):
            self._error(problem)
            return None
        signing = None if key is None else documents.Signing(key, self.field.currentData())
        year, on = int(y), self.on_date.date().toPython()
        assert isinstance(on, date)
        draft, who, fmt = self.draft.isChecked(), self.ctx.who, self.fmt()
        if not batch and out.suffix.lower() != kind.format_suffix(fmt):
            out = out.with_suffix(kind.format_suffix(fmt))  # the file is what the format says

        def work(job: Job) -> Produced:
            def progress(done: int, total: int, code: str) -> None:
                # ``done`` files are written whole when this is called: the count reaches the dialog first,
                # then a cancel stops the batch (Cancelled), so "N files written" counts every file on disk
                job.progress.notify(done / total if total else 0.0, code)
                job.check()

            def cancelled() -> bool:
                job.check()  # raises: a batch stopped by the flag is a cancel, never a partial "done"
                return False

            # One process: forking worker processes out of a GUI with running threads is not safe.
            return documents.produce(project, kind, year, codes if kind.per_unit else None, out, on=on,
                                     batch=batch, signing=signing, workers=1, progress=progress,
                                     cancelled=cancelled, draft=draft, author=who["author"],
                                     role=who["role"], fmt=fmt)

        self.done_count = 0
        self.produced_files = None
        self.panel.start(self.tr("Đang tạo…"), len(codes) if batch else 0)
        self.produce_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.sign_button.setEnabled(False)
        self.print_button.setEnabled(False)
        # A ReadOp, not a WriteOp: making documents reads the project (one transaction, so one consistent
        # snapshot of what is committed) and writes files outside it, so it need not wait behind queued
        # writes, and a long batch must not hold the one writer (edits would be refused meanwhile).
        # deliver_late: a Cancel after the last file was written changes nothing; the files are reported.
        op = ReadOp(self, work, deliver_late=True)
        op.success(self._done).failure(self._failed).progress(self._progress)
        self.job = op.run()
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def reject(self) -> None:
        self.cancel()  # closing the dialog stops a batch: the files written so far stay
        super().reject()

    def _progress(self, fraction: float, text: str) -> None:
        done = round(fraction * self.progress.maximum())  # the files of a batch (the bar's maximum)
        if self.panel.step(done, text):
            self.done_count = done

    def _finish(self) -> None:
        self.job = None
        self.panel.finish()
        self.produce_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.key.clear_secret()

    def _done(self, result: Produced) -> None:
        self._finish()
        self.produced_files = result
        text = produced_text(result)
        if len(result.files) == 1:
            if result.files[0].suffix.lower() == ".pdf":
                show_pdf(self.preview, result.files[0])
                self.sign_button.setEnabled(True)
                self.print_button.setEnabled(True)
        elif result.files and result.files[0].suffix.lower() == ".pdf":  # the preview shows PDFs only
            show_pdf(self.preview, result.files[0])
        self.panel.ok(text)
        self.produced.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, Cancelled):
            self._error(
                self.tr(
                    "Đã huỷ: %1 tệp đã ghi (mỗi tệp ghi trọn vẹn), các tệp còn lại không được tạo."
                ).replace("%1", str(self.done_count))
            )
        else:
            self._error(error_text(exc))  # an unexpected error: logged with its traceback, named briefly

    def printable(self) -> Path | None:
        """The PDF shown in the preview, when one document was made."""
        files = self.produced_files.files if self.produced_files is not None else []
        return files[0] if len(files) == 1 and files[0].suffix.lower() == ".pdf" else None

    def print_to(self, printer: QPrinter) -> int:
        path = self.printable()
        printed = 0 if path is None else print_pdf(path, printer)
        if path is not None and not printed:
            self._error(self.tr("Không in được %1.").replace("%1", path.name))
        return printed

    def print_dialog(self) -> None:
        """Qt's print dialog (printer, pages, copies), then the PDF's pages to the printer."""
        if self.printable() is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def sign_produced(self) -> None:
        if self.produced_files is None or len(self.produced_files.files) != 1:
            return
        dialog = SignDialog(self.produced_files.files[0], self)
        if dialog.exec():
            show_pdf(self.preview, self.produced_files.files[0])
