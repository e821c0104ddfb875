"""Documents from the GUI: produce minutes, self-assessment reports, the results publication and the Excel
workbooks; preview them; sign a PDF (PKCS#12 file or PKCS#11 token, password in a masked field); check the
signatures of a PDF or a team package. The work is the services' (``services.report_data``,
``reports``, ``signing``, ``exchange``), run in worker threads; these dialogs only gather the choices.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.services import workspace as ws
from evaluator.services.batch import FILE_PREFIX as BATCH_FILE_PREFIX
from evaluator.services.documents import KeyChoice, Produced
from evaluator.services.evidence import EvidenceInfo
from evaluator.services.imports import is_team_package
from evaluator.ui import workers
from evaluator.ui.context import AppContext
from evaluator.ui.evidence_view import PreviewPane

DOCUMENTS = ("appraisal", "self", "publication", "appraisal_xlsx", "results_xlsx")
PER_UNIT = ("appraisal", "self", "appraisal_xlsx")
FILE_PREFIX = {
    **BATCH_FILE_PREFIX,  # the PDF batches are named as `evaluator report --all` names them
    "appraisal_xlsx": "bang-tham-dinh",
    "results_xlsx": "ket-qua",
}
SIGNATURE_FIELDS = {
    "appraisal": ("secretary", "chair", "unit_representative"),
    "self": ("unit_head",),
    "publication": ("chair",),
}
ERROR_STYLE = "color: #b71c1c"
OK_STYLE = "color: #2e7d32"


# --- keys ------------------------------------------------------------------------------------------------
class KeySpec(KeyChoice):
    """The key the user chose in a ``KeyPanel`` (``services.documents.KeyChoice``), with what is missing."""

    def problem(self) -> str | None:
        """What is missing, in words for people (None when complete)."""
        from PySide6.QtCore import QCoreApplication

        if self.kind == "p12":
            if not self.p12:
                return QCoreApplication.translate("KeyPanel", "Chọn tệp chứng thư số (.p12/.pfx).")
            if not Path(self.p12).is_file():
                return QCoreApplication.translate("KeyPanel", "Không tìm thấy tệp %1.").replace(
                    "%1", self.p12
                )
            return None
        if not self.lib:
            return QCoreApplication.translate("KeyPanel", "Chọn thư viện PKCS#11 của token (.so/.dll).")
        if not self.token:
            return QCoreApplication.translate("KeyPanel", "Nhập nhãn token.")
        return None


def field_label(name: str) -> str:
    """The signature fields of the documents, named as the signature blocks are."""
    from PySide6.QtCore import QCoreApplication

    label = {
        "secretary": QCoreApplication.translate("fields", "Thư ký Hội đồng"),
        "chair": QCoreApplication.translate("fields", "Chủ tịch Hội đồng"),
        "unit_representative": QCoreApplication.translate("fields", "Đại diện đơn vị"),
        "unit_head": QCoreApplication.translate("fields", "Thủ trưởng đơn vị"),
    }.get(name)
    return f"{label} ({name})" if label else name


def trust_label(trust: str) -> str:
    """``trusted (…)``, ``not trusted: …``, ``not checked`` from ``signing.verify``, in the UI's words."""
    from PySide6.QtCore import QCoreApplication

    for prefix, text in (
        ("not trusted", QCoreApplication.translate("fields", "KHÔNG tin cậy")),
        ("trusted", QCoreApplication.translate("fields", "tin cậy")),
        ("not checked", QCoreApplication.translate("fields", "chưa kiểm tra")),
    ):
        if trust.startswith(prefix):
            return text + trust[len(prefix) :]
    return trust


def _browse_row(edit: QLineEdit, button_text: str, pick: Callable[[], str]) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    button = QPushButton(button_text)
    button.clicked.connect(lambda: (lambda name: edit.setText(name) if name else None)(pick()))
    layout.addWidget(button)
    return row


class KeyPanel(QGroupBox):
    """Where the signing key comes from: a certificate file or a token; the password or PIN is typed in a
    masked field and is never stored."""

    def __init__(self, title: str = "", parent: QWidget | None = None):
        super().__init__(title or self.tr("Chữ ký số"), parent)
        form = QFormLayout(self)
        self.source = QComboBox()
        self.source.addItem(self.tr("Tệp chứng thư số (PKCS#12: .p12, .pfx)"), "p12")
        self.source.addItem(self.tr("Token USB (PKCS#11)"), "pkcs11")
        form.addRow(self.tr("Khoá ký"), self.source)
        p12_page = QWidget()
        p12_form = QFormLayout(p12_page)
        p12_form.setContentsMargins(0, 0, 0, 0)
        self.p12 = QLineEdit()
        p12_form.addRow(
            self.tr("Tệp"),
            _browse_row(
                self.p12,
                self.tr("Chọn…"),
                lambda: QFileDialog.getOpenFileName(
                    self, self.tr("Chọn tệp chứng thư số"), "", self.tr("PKCS#12 (*.p12 *.pfx);;* (*)")
                )[0],
            ),
        )
        token_page = QWidget()
        token_form = QFormLayout(token_page)
        token_form.setContentsMargins(0, 0, 0, 0)
        self.lib = QLineEdit()
        token_form.addRow(
            self.tr("Thư viện"),
            _browse_row(
                self.lib,
                self.tr("Chọn…"),
                lambda: QFileDialog.getOpenFileName(
                    self,
                    self.tr("Thư viện PKCS#11 của token"),
                    "",
                    self.tr("Thư viện (*.so *.dll *.dylib);;* (*)"),
                )[0],
            ),
        )
        self.token = QLineEdit()
        self.token.setPlaceholderText(self.tr("ví dụ: VNPT-CA"))
        token_form.addRow(self.tr("Nhãn token"), self.token)
        self.key_label = QLineEdit()
        self.key_label.setPlaceholderText(self.tr("để trống nếu token chỉ có một khoá"))
        token_form.addRow(self.tr("Nhãn khoá"), self.key_label)
        self.p12_page, self.token_page = p12_page, token_page
        form.addRow(p12_page)
        form.addRow(token_page)
        token_page.hide()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_label = QLabel(self.tr("Mật khẩu"))
        form.addRow(self.password_label, self.password)
        self.source.currentIndexChanged.connect(self._source_chosen)

    def _source_chosen(self) -> None:
        token = self.source.currentData() == "pkcs11"
        self.p12_page.setVisible(not token)
        self.token_page.setVisible(token)
        self.password_label.setText(self.tr("Mã PIN") if token else self.tr("Mật khẩu"))

    def spec(self) -> KeySpec:
        return KeySpec(
            kind=str(self.source.currentData()),
            p12=self.p12.text().strip(),
            lib=self.lib.text().strip(),
            token=self.token.text().strip(),
            key_label=self.key_label.text().strip(),
            password=self.password.text(),
        )

    def clear_secret(self) -> None:
        self.password.clear()


# --- preview ---------------------------------------------------------------------------------------------
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


# --- producing documents ---------------------------------------------------------------------------------
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
        self.job: workers.Job | None = None
        self.done_count = 0
        self.produced_files: Produced | None = None
        self.setWindowTitle(self.tr("Tạo báo cáo"))
        self.resize(1100, 720)
        outer = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        left = QWidget()
        form = QFormLayout(left)
        self.document = QComboBox()
        for key, text in (
            ("appraisal", self.tr("Biên bản thẩm định (PDF)")),
            ("self", self.tr("Báo cáo tự đánh giá (PDF)")),
            ("publication", self.tr("Công bố kết quả của năm (PDF)")),
            ("appraisal_xlsx", self.tr("Bảng thẩm định (Excel)")),
            ("results_xlsx", self.tr("Bảng kết quả của năm (Excel)")),
        ):
            self.document.addItem(text, key)
        form.addRow(self.tr("Tài liệu"), self.document)
        self.year = QComboBox()
        for y in ctx.read(ws.years) if ctx.project is not None else []:
            self.year.addItem(str(y), y)
        if year is not None and self.year.findData(year) >= 0:
            self.year.setCurrentIndex(self.year.findData(year))
        form.addRow(self.tr("Năm"), self.year)
        self.units = QListWidget()
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.units_box = QWidget()
        ub = QVBoxLayout(self.units_box)
        ub.setContentsMargins(0, 0, 0, 0)
        ub.addWidget(self.units)
        buttons = QHBoxLayout()
        all_button = QPushButton(self.tr("Chọn tất cả"))
        all_button.clicked.connect(lambda: self.check_all(True))
        none_button = QPushButton(self.tr("Bỏ chọn"))
        none_button.clicked.connect(lambda: self.check_all(False))
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        ub.addLayout(buttons)
        self.units_label = QLabel(self.tr("Đơn vị"))
        form.addRow(self.units_label, self.units_box)
        self.on_date = QDateEdit(QDate.currentDate())
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("dd/MM/yyyy")
        form.addRow(self.tr("Ngày của văn bản"), self.on_date)
        self.out = QLineEdit()
        self.out_row = _browse_row(self.out, self.tr("Chọn…"), self._pick_out)
        self.out_label = QLabel(self.tr("Lưu vào"))
        form.addRow(self.out_label, self.out_row)
        self.sign = QCheckBox(self.tr("Ký số ngay khi tạo"))
        form.addRow(self.sign)
        self.key = KeyPanel()
        self.key.setEnabled(False)
        self.sign.toggled.connect(self.key.setEnabled)
        self.field = QComboBox()
        form.addRow(self.key)
        form.addRow(self.tr("Ô chữ ký"), self.field)
        self.progress = QProgressBar()
        self.progress.hide()
        form.addRow(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.status)
        row = QHBoxLayout()
        self.produce_button = QPushButton(self.tr("Tạo tài liệu"))
        self.produce_button.setDefault(True)
        self.produce_button.clicked.connect(self.produce)
        self.cancel_button = QPushButton(self.tr("Huỷ"))
        self.cancel_button.setEnabled(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.sign_button = QPushButton(self.tr("Ký số tệp này…"))
        self.sign_button.setEnabled(False)
        self.sign_button.clicked.connect(self.sign_produced)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        for b in (self.produce_button, self.cancel_button, self.sign_button, close):
            row.addWidget(b)
        form.addRow(row)
        split.addWidget(left)
        self.preview = PreviewPane()
        split.addWidget(self.preview)
        split.setSizes([520, 580])
        outer.addWidget(split)

        self.year.currentIndexChanged.connect(self._fill_units)
        self.document.currentIndexChanged.connect(self._document_chosen)
        self.units.itemChanged.connect(lambda _i: self._default_out())
        self._fill_units(codes)
        if self.document.findData(document) >= 0:
            self.document.setCurrentIndex(self.document.findData(document))
        self._document_chosen()

    # --- choices ---------------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.document.currentData())

    def _fill_units(self, codes: Any = None) -> None:
        wanted = set(codes) if isinstance(codes, list) else set(self.checked_codes())
        self.units.blockSignals(True)
        self.units.clear()
        y = self.year.currentData()
        if y is not None and self.ctx.project is not None:
            for u in self.ctx.read(lambda s: ws.list_units(s, int(y))):
                item = QListWidgetItem(f"{u.code} — {u.name}")
                item.setData(Qt.ItemDataRole.UserRole, u.code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked if u.code in wanted else Qt.CheckState.Unchecked)
                self.units.addItem(item)
        self.units.blockSignals(False)
        self._default_out()

    def check_all(self, on: bool) -> None:
        self.units.blockSignals(True)
        for i in range(self.units.count()):
            self.units.item(i).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.units.blockSignals(False)
        self._default_out()

    def set_codes(self, codes: list[str]) -> None:
        self.units.blockSignals(True)
        for i in range(self.units.count()):
            item = self.units.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in codes
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.units.blockSignals(False)
        self._default_out()

    def checked_codes(self) -> list[str]:
        return [
            str(self.units.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.units.count())
            if self.units.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _document_chosen(self) -> None:
        kind = self.kind()
        per_unit = kind in PER_UNIT
        self.units_box.setVisible(per_unit)
        self.units_label.setVisible(per_unit)
        pdf = not kind.endswith("_xlsx")
        self.sign.setEnabled(pdf)
        if not pdf:
            self.sign.setChecked(False)
        self.field.clear()
        self.field.addItem(self.tr("Ô trống đầu tiên"), None)
        for name in SIGNATURE_FIELDS.get(kind, ()):
            self.field.addItem(field_label(name), name)
        self.field.setEnabled(pdf)
        self._default_out()

    def batch(self) -> bool:
        """One file per unit into a folder (several units, PDF)."""
        return self.kind() in ("appraisal", "self") and len(self.checked_codes()) > 1

    def _folder(self) -> Path:
        project = self.ctx.project
        if project is not None and project.path is not None:
            return Path(project.path).parent
        return Path.home()

    def _default_out(self) -> None:
        kind, y = self.kind(), self.year.currentData()
        codes = self.checked_codes()
        prefix = FILE_PREFIX[kind]
        if self.batch():
            self.out_label.setText(self.tr("Thư mục"))
            self.out.setText(str(self._folder() / f"{prefix}-{y}"))
            return
        self.out_label.setText(self.tr("Lưu vào"))
        suffix = ".xlsx" if kind.endswith("_xlsx") else ".pdf"
        tail = f"-{codes[0]}" if kind in PER_UNIT and len(codes) == 1 else ""
        self.out.setText(str(self._folder() / f"{prefix}-{y}{tail}{suffix}"))

    def _pick_out(self) -> str:
        if self.batch():
            return QFileDialog.getExistingDirectory(self, self.tr("Thư mục lưu các tệp"), self.out.text())
        suffix = ".xlsx" if self.kind().endswith("_xlsx") else ".pdf"
        return QFileDialog.getSaveFileName(self, self.tr("Lưu tài liệu"), self.out.text(), f"*{suffix}")[0]

    # --- producing ---------------------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)
        self.failed.emit(text)

    def produce(self) -> workers.Job | None:
        project = self.ctx.project
        if project is None or self.job is not None:
            return None
        kind, y = self.kind(), self.year.currentData()
        codes = self.checked_codes()
        if y is None:
            self._error(self.tr("Dự án chưa có năm đánh giá nào."))
            return None
        if kind in PER_UNIT and not codes:
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
        field_name = self.field.currentData()
        year, on = int(y), self.on_date.date().toPython()
        assert isinstance(on, date)

        def work(job: workers.Job) -> Produced:
            return produce_documents(project, kind, year, codes, on, out, batch, key, field_name, job)

        self.done_count = 0
        self.produced_files = None
        self.progress.setRange(0, len(codes) if batch else 0)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Đang tạo…"))
        self.produce_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.sign_button.setEnabled(False)
        self.job = workers.start(work, done=self._done, failed=self._failed, progress=self._progress)
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def reject(self) -> None:
        self.cancel()  # closing the dialog stops a batch: the files written so far stay
        super().reject()

    def _progress(self, done: int, text: str) -> None:
        if self.progress.maximum():
            self.done_count = done
            self.progress.setValue(done)
            self.status.setText(f"{done}/{self.progress.maximum()} · {text}")

    def _finish(self) -> None:
        self.job = None
        self.progress.hide()
        self.produce_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.key.clear_secret()

    def _done(self, result: Produced) -> None:
        self._finish()
        self.produced_files = result
        self.status.setStyleSheet(OK_STYLE)
        if len(result.files) == 1:
            f = result.files[0]
            text = self.tr("Đã ghi %1").replace("%1", str(f))
            if result.pages:
                text += " · " + self.tr("%1 trang").replace("%1", str(result.pages))
            text += " · " + (
                self.tr("đã ký vào ô %1").replace("%1", result.signed)
                if result.signed
                else self.tr("chưa ký")
            )
            if f.suffix.lower() == ".pdf":
                show_pdf(self.preview, f)
                self.sign_button.setEnabled(True)
        else:
            text = self.tr("Đã ghi %1 tệp vào %2").replace("%1", str(len(result.files)))
            text = text.replace("%2", str(result.files[0].parent if result.files else ""))
            if result.signed:
                text += " · " + self.tr("đã ký")
            if result.files:
                show_pdf(self.preview, result.files[0])
        self.status.setText(text)
        self.produced.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, workers.Cancelled):
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(
                self.tr(
                    "Đã huỷ: %1 tệp đã ghi (mỗi tệp ghi trọn vẹn), các tệp còn lại không được tạo."
                ).replace("%1", str(self.done_count))
            )
            self.failed.emit(self.status.text())
        else:
            self._error(str(exc))

    def sign_produced(self) -> None:
        if self.produced_files is None or len(self.produced_files.files) != 1:
            return
        dialog = SignDialog(self.produced_files.files[0], self)
        if dialog.exec():
            show_pdf(self.preview, self.produced_files.files[0])


def produce_documents(
    project: Any,
    kind: str,
    year: int,
    codes: list[str],
    on: date,
    out: Path,
    batch: bool,
    key: KeySpec | None,
    field_name: str | None,
    job: workers.Job,
) -> Produced:
    """The worker's part: ``services.documents`` gathers the data and writes the files."""
    from evaluator.services import documents

    docs = documents.gather(project, kind, year, codes, on)
    job.report(0, "")

    def progress(done: int, _total: int, code: str) -> None:
        job.report(done, code)  # raises Cancelled once the user cancelled: the batch stops

    # One process: forking worker processes out of a GUI with running threads is not safe.
    return documents.write(docs, kind, year, out, batch=batch,
                           signing=None if key is None else documents.Signing(key, field_name),
                           workers=1, progress=progress, cancelled=lambda: job.cancelled)


# --- signing an existing PDF -----------------------------------------------------------------------------
class SignDialog(QDialog):
    """Sign a PDF in one of its empty signature fields (in place, atomically; an incremental update, so
    earlier signatures stay valid). A wrong password or an unusable key writes nothing."""

    signed = Signal(str)
    """Emitted with the field name once the signed file is written."""
    failed = Signal(str)

    def __init__(self, path: Path | str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.job: workers.Job | None = None
        self.signed_field = ""
        self.setWindowTitle(self.tr("Ký số tài liệu PDF"))
        self.resize(620, 420)
        form = QFormLayout(self)
        self.file = QLineEdit(str(path or ""))
        form.addRow(
            self.tr("Tệp PDF"),
            _browse_row(
                self.file,
                self.tr("Chọn…"),
                lambda: QFileDialog.getOpenFileName(self, self.tr("Chọn tệp PDF"), "", "PDF (*.pdf)")[0],
            ),
        )
        self.field = QComboBox()
        form.addRow(self.tr("Ô chữ ký"), self.field)
        self.fields_note = QLabel()
        self.fields_note.setWordWrap(True)
        form.addRow(self.fields_note)
        self.key = KeyPanel()
        form.addRow(self.key)
        self.reason = QLineEdit()
        form.addRow(self.tr("Lý do ký"), self.reason)
        self.location = QLineEdit()
        form.addRow(self.tr("Nơi ký"), self.location)
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.hide()
        form.addRow(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form.addRow(self.status)
        row = QHBoxLayout()
        self.sign_button = QPushButton(self.tr("Ký"))
        self.sign_button.setDefault(True)
        self.sign_button.clicked.connect(self.sign)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self._close)
        row.addStretch(1)
        row.addWidget(self.sign_button)
        row.addWidget(close)
        form.addRow(row)
        self.file.editingFinished.connect(self.load_fields)
        self.file.textChanged.connect(lambda _t: self.load_fields())
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
        for name, done in fields:
            if not done:
                self.field.addItem(field_label(name), name)
        signed = [field_label(n) for n, done in fields if done]
        self.fields_note.setText(
            (
                self.tr("Đã ký: %1").replace("%1", ", ".join(signed))
                if signed
                else self.tr("Chưa có chữ ký nào.")
            )
            + ("" if self.field.count() else " " + self.tr("Không còn ô chữ ký trống."))
        )

    def sign(self) -> workers.Job | None:
        if self.job is not None:
            return None
        path = Path(self.file.text().strip())
        key = self.key.spec()
        problem = key.problem()
        if not path.is_file():
            problem = self.tr("Không tìm thấy tệp %1.").replace("%1", str(path))
        elif self.field.currentData() is None:
            problem = self.tr("Tài liệu không còn ô chữ ký trống.")
        if problem:
            self._error(problem)
            return None
        field_name = str(self.field.currentData())
        reason, location = self.reason.text().strip(), self.location.text().strip()

        def work(_job: workers.Job) -> str:
            from evaluator.signing.sign import sign_bytes, write_atomically

            data = path.read_bytes()
            with key.pdf_signer() as signer:
                signed, used = sign_bytes(data, signer, field_name, reason=reason, location=location)
            write_atomically(path, signed)
            return used

        self.progress.show()
        self.sign_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Đang ký…"))
        self.job = workers.start(work, done=self._signed, failed=self._failed)
        return self.job

    def _error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(text)
        self.failed.emit(text)

    def _signed(self, used: str) -> None:
        self.job = None
        self.progress.hide()
        self.sign_button.setEnabled(True)
        self.key.clear_secret()
        self.status.setStyleSheet(OK_STYLE)
        self.signed_field = used
        self.status.setText(self.tr("Đã ký vào ô %1.").replace("%1", used))
        self.load_fields()
        self.signed.emit(used)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.progress.hide()
        self.sign_button.setEnabled(True)
        self.key.clear_secret()
        self._error(self.tr("Không ký được, không tệp nào bị thay đổi: %1").replace("%1", str(exc)))


# --- verifying ---------------------------------------------------------------------------------------------
class VerifyDialog(QDialog):
    """The findings of ``evaluator verify`` for a PDF (every signature: signer, time, intact, revision
    covered, changed after, trust; the embedded data against the open project) or a team package."""

    verified = Signal(object)
    """Emitted with the report (``VerifyReport`` or ``PackageVerification``)."""

    COLUMNS = 7

    def __init__(
        self, ctx: AppContext | None = None, path: Path | str | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.ctx = ctx
        self.job: workers.Job | None = None
        self.report: Any = None
        self.setWindowTitle(self.tr("Kiểm tra chữ ký số"))
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.file = QLineEdit(str(path or ""))
        form.addRow(
            self.tr("Tệp"),
            _browse_row(
                self.file,
                self.tr("Chọn…"),
                lambda: QFileDialog.getOpenFileName(
                    self,
                    self.tr("Chọn tệp cần kiểm tra"),
                    "",
                    self.tr("PDF, gói trao đổi (*.pdf *.cchc);;* (*)"),
                )[0],
            ),
        )
        self.trust = QLineEdit()
        self.trust.setPlaceholderText(self.tr("chứng thư CA tin cậy (PEM/DER), cách nhau bởi ;"))
        form.addRow(
            self.tr("Tin cậy"),
            _browse_row(
                self.trust,
                self.tr("Chọn…"),
                lambda: ";".join(
                    QFileDialog.getOpenFileNames(
                        self,
                        self.tr("Chứng thư CA tin cậy"),
                        "",
                        self.tr("Chứng thư (*.pem *.crt *.cer *.der);;* (*)"),
                    )[0]
                ),
            ),
        )
        self.check_data = QCheckBox(self.tr("So sánh dữ liệu trong tài liệu với dự án đang mở"))
        self.check_data.setChecked(ctx is not None and ctx.project is not None)
        self.check_data.setEnabled(ctx is not None and ctx.project is not None)
        form.addRow(self.check_data)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.verify_button = QPushButton(self.tr("Kiểm tra"))
        self.verify_button.setDefault(True)
        self.verify_button.clicked.connect(self.verify)
        row.addWidget(self.verify_button)
        self.verdict = QLabel()
        self.verdict.setStyleSheet("font-size: 12pt; font-weight: bold")
        row.addWidget(self.verdict, 1)
        layout.addLayout(row)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Ô chữ ký"),
                self.tr("Người ký"),
                self.tr("Thời gian"),
                self.tr("Nguyên vẹn"),
                self.tr("Phạm vi"),
                self.tr("Thay đổi sau khi ký"),
                self.tr("Tin cậy"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for c in range(self.COLUMNS):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        layout.addWidget(self.table, 2)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 2)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def verify(self) -> workers.Job | None:
        if self.job is not None:
            return None
        path = Path(self.file.text().strip())
        if not path.is_file():
            self.verdict.setStyleSheet("font-size: 12pt; font-weight: bold; " + ERROR_STYLE)
            self.verdict.setText(self.tr("Không tìm thấy tệp %1.").replace("%1", str(path)))
            return None
        trust = [Path(t.strip()) for t in self.trust.text().split(";") if t.strip()]
        db = None
        if self.check_data.isChecked() and self.ctx is not None and self.ctx.project is not None:
            project = self.ctx.project
            db = str(project.path) if project.path is not None else str(project.url)

        def work(_job: workers.Job) -> Any:
            if is_team_package(path):
                from evaluator.exchange import verify_package

                return verify_package(path, trust)
            from evaluator.services.report_compare import verify_file

            return verify_file(path, trust or None, db)

        self.verify_button.setEnabled(False)
        self.verdict.setStyleSheet("font-size: 12pt; font-weight: bold")
        self.verdict.setText(self.tr("Đang kiểm tra…"))
        self.job = workers.start(work, done=self._done, failed=self._failed)
        return self.job

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.verify_button.setEnabled(True)
        self.verdict.setStyleSheet("font-size: 12pt; font-weight: bold; " + ERROR_STYLE)
        self.verdict.setText(str(exc))

    def _done(self, report: Any) -> None:
        self.job = None
        self.report = report
        self.verify_button.setEnabled(True)
        ok = bool(report.ok)
        self.verdict.setStyleSheet("font-size: 12pt; font-weight: bold; " + (OK_STYLE if ok else ERROR_STYLE))
        self.verdict.setText(
            self.tr("✔ Hợp lệ: mọi điều đã kiểm tra đều đúng")
            if ok
            else self.tr("✘ KHÔNG hợp lệ: xem chi tiết bên dưới")
        )
        self.table.setRowCount(0)
        if hasattr(report, "signatures"):
            self._fill_pdf(report)
        else:
            self._fill_package(report)
        self.details.setPlainText(report.render())
        self.verified.emit(report)

    def intact_text(self, intact: bool) -> str:
        return self.tr("✔ nguyên vẹn") if intact else self.tr("✘ không nguyên vẹn")

    def _row(self, cells: list[str], bad: set[int]) -> None:
        r = self.table.rowCount()
        self.table.insertRow(r)
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setToolTip(text)
            if c in bad:
                item.setForeground(QBrush(QColor("#b71c1c")))
            self.table.setItem(r, c, item)

    def _fill_pdf(self, report: Any) -> None:
        for s in report.signatures:
            intact = s.intact and s.valid
            when = s.time.astimezone().strftime("%d/%m/%Y %H:%M") if s.time else "?"
            self._row(
                [
                    field_label(s.field),
                    s.signer + (f" ({s.issuer})" if s.issuer else ""),
                    when,
                    self.intact_text(intact),
                    self.tr("bản %1/%2").replace("%1", str(s.revision)).replace("%2", str(s.revisions)),
                    (self.tr("có: ") + s.change) if s.changed_after else self.tr("không"),
                    trust_label(s.trust),
                ],
                {c for c, b in ((3, not intact), (5, s.changed_after and not s.changes_allowed)) if b}
                | ({6} if s.trust.startswith("not trusted") else set()),
            )

    def _fill_package(self, report: Any) -> None:
        sig = report.signature
        if sig is None:
            self._row(
                ["manifest.json", self.tr("(chưa ký)"), "", self.intact_text(report.ok), "", "", ""],
                set() if report.ok else {3},
            )
            return
        trust = {True: self.tr("tin cậy"), False: self.tr("KHÔNG tin cậy"), None: self.tr("chưa kiểm tra")}
        self._row(
            [
                "manifest.json.p7s",
                sig.subject,
                str(report.manifest.get("created", "")),
                self.intact_text(sig.valid and report.ok),
                self.tr("%1 mục").replace("%1", str(report.entries)),
                "",
                trust[sig.trusted],
            ],
            ({3} if not (sig.valid and report.ok) else set()) | ({6} if sig.trusted is False else set()),
        )
