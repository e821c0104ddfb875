"""Signing an existing PDF from the GUI: in one of its empty signature fields, with a PKCS#12 file or a
PKCS#11 token (``services.documents.KeyChoice``), in place and atomically (``signing.sign``), run as an
operation (``ui.operations``). The clerk's mode ("Văn thư: đóng dấu cơ quan") fills in the number and date
and applies the organisation's signature with the seal image in one step (``signing.seal``), as
``evaluator sign --as organisation`` does."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QDialog, QFormLayout, QLabel, QLineEdit, QWidget

from evaluator.ui.dialogs import open_file
from evaluator.ui.document_keys import KeyPanel, browse_row, field_label
from evaluator.ui.job_panel import JobPanel
from evaluator.ui.operations import Job, ReadOp, error_text


class SignDialog(QDialog):
    """Sign a PDF in one of its empty signature fields (in place, atomically; an incremental update, so
    earlier signatures stay valid). A wrong password or an unusable key writes nothing."""

    signed = Signal(str)
    """Emitted with the field name once the signed file is written."""
    failed = Signal(str)

    def __init__(self, path: Path | str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.job: Job | None = None
        self.signed_field = ""
        self.setWindowTitle(self.tr("Ký số tài liệu PDF"))
        self.resize(620, 420)
        form = QFormLayout(self)
        self.file = QLineEdit(str(path or ""))
        form.addRow(
            self.tr("Tệp PDF"),
            browse_row(
                self.file,
                self.tr("Chọn…"),
                lambda: open_file(self, self.tr("Chọn tệp PDF"), "PDF (*.pdf)"),
            ),
        )
        self.mode = QComboBox()
        self.mode.addItem(self.tr("Người có thẩm quyền ký"), "person")
        self.mode.addItem(self.tr("Văn thư: đóng dấu cơ quan"), "organisation")
        form.addRow(self.tr("Bước ký"), self.mode)
        self.field = QComboBox()
        form.addRow(self.tr("Ô chữ ký"), self.field)
        # the clerk's step: the seal image, the number and the date of issue
        self.seal = QLineEdit()
        self.seal_row = browse_row(
            self.seal,
            self.tr("Chọn…"),
            lambda: open_file(self, self.tr("Chọn ảnh con dấu"), "PNG (*.png)"),
        )
        form.addRow(self.tr("Ảnh con dấu (PNG)"), self.seal_row)
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("ví dụ 15"))
        form.addRow(self.tr("Số văn bản"), self.number)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        form.addRow(self.tr("Ngày ban hành"), self.date)
        self.form = form
        self.fields_note = QLabel()
        self.fields_note.setWordWrap(True)
        form.addRow(self.fields_note)
        self.key = KeyPanel()
        form.addRow(self.key)
        self.reason = QLineEdit()
        form.addRow(self.tr("Lý do ký"), self.reason)
        self.location = QLineEdit()
        form.addRow(self.tr("Nơi ký"), self.location)
        self.panel = JobPanel(self, stretch=True)  # the dialog as parent: see JobPanel
        self.progress, self.status = self.panel.progress, self.panel.status
        self.sign_button = self.panel.add_button(self.tr("Ký"), self.sign, default=True)
        self.panel.add_button(self.tr("Đóng"), self._close)
        form.addRow(self.panel)
        self.file.editingFinished.connect(self.load_fields)
        self.file.textChanged.connect(lambda _t: self.load_fields())
        self.mode.currentIndexChanged.connect(lambda _i: self._mode_changed())
        self._mode_changed()

    def sealing(self) -> bool:
        return self.mode.currentData() == "organisation"

    def _mode_changed(self) -> None:
        sealing = self.sealing()
        self.form.setRowVisible(self.field, not sealing)
        for widget in (self.seal_row, self.number, self.date):
            self.form.setRowVisible(widget, sealing)
        self.load_fields()

    def _close(self) -> None:
        if self.job is None:
            self.done(1 if self.signed_field else 0)

    def load_fields(self) -> None:
        from evaluator.signing.sign import signature_fields

        self.field.clear()
        self.fields_note.clear()
        path = Path(self.file.text().strip())
        if not path.is_file():
            return
        try:
            from pyhanko.pdf_utils.reader import PdfFileReader

            with open(path, "rb") as fh:
                fields = signature_fields(PdfFileReader(fh, strict=False))
        except Exception as exc:  # not a PDF: said here, and signing will refuse it too
            self.fields_note.setText(str(exc))
            return
        from evaluator.signing.sign import ORGANISATION_FIELD

        for name, done in fields:
            if not done and name != ORGANISATION_FIELD:  # the organisation's field is the clerk's mode
                self.field.addItem(field_label(name), name)
        signed = [field_label(n) for n, done in fields if done]
        self.fields_note.setText(
            (
                self.tr("Đã ký: %1").replace("%1", ", ".join(signed))
                if signed
                else self.tr("Chưa có chữ ký nào.")
            )
            + ("" if self.field.count() or self.sealing() else " " + self.tr("Không còn ô chữ ký trống."))
        )

    def sign(self) -> Job | None:
        if self.job is not None:
            return None
        path = Path(self.file.text().strip())
        key = self.key.spec()
        problem = key.problem()
        if not path.is_file():
            problem = self.tr("Không tìm thấy tệp %1.").replace("%1", str(path))
        elif self.sealing() and not self.seal.text().strip():
            problem = self.tr("Hãy chọn ảnh con dấu (PNG).")
        elif not self.sealing() and self.field.currentData() is None:
            problem = self.tr("Tài liệu không còn ô chữ ký trống.")
        if problem:
            self._error(problem)
            return None
        field_name = str(self.field.currentData())
        reason, location = self.reason.text().strip(), self.location.text().strip()
        sealing, seal_path = self.sealing(), Path(self.seal.text().strip())
        number = self.number.text().strip() or None
        picked = self.date.date()
        on = date(picked.year(), picked.month(), picked.day())

        def work(_job: Job) -> str:
            from evaluator.signing.seal import ORGANISATION_FIELD, load_seal_image, seal_bytes
            from evaluator.signing.sign import sign_bytes, write_atomically

            data = path.read_bytes()
            seal = load_seal_image(seal_path) if sealing else None  # checked before the key is used
            with key.pdf_signer() as signer:  # a wrong password or PIN fails here, before any write
                if seal is not None:
                    signed, _filled = seal_bytes(data, signer, seal, number=number, on=on, reason=reason,
                                                 location=location)
                    used = ORGANISATION_FIELD
                else:
                    signed, used = sign_bytes(data, signer, field_name, reason=reason, location=location)
            write_atomically(path, signed)
            return used

        self.panel.start(self.tr("Đang ký…"))
        self.sign_button.setEnabled(False)
        # A ReadOp: signing touches no project (it rewrites the chosen file atomically), so it need not
        # queue behind the project's writes. Not cancellable: the key is used once, then the file replaced.
        self.job = ReadOp(self, work).success(self._signed).failure(self._failed).run()
        return self.job

    def _error(self, text: str) -> None:
        self.panel.error(text)
        self.failed.emit(text)

    def _signed(self, used: str) -> None:
        self.job = None
        self.panel.finish()
        self.sign_button.setEnabled(True)
        self.key.clear_secret()
        self.signed_field = used
        self.panel.ok(self.tr("Đã ký vào ô %1.").replace("%1", used))
        self.load_fields()
        self.signed.emit(used)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.panel.finish()
        self.sign_button.setEnabled(True)
        self.key.clear_secret()
        self._error(self.tr("Không ký được, không tệp nào bị thay đổi: %1").replace("%1", error_text(exc)))
