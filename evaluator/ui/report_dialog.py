"""Producing documents from the GUI: minutes, self-assessment reports, the results publication and the Excel
workbooks (``services.documents.KINDS``), optionally signed at once, previewed. The work is
``services.documents.produce``'s, run in a worker thread; this dialog only gathers the choices."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from evaluator.services import documents
from evaluator.services import workspace as ws
from evaluator.services.documents import KINDS, DocumentKind, Produced
from evaluator.services.evidence import EvidenceInfo
from evaluator.ui import workers
from evaluator.ui.context import AppContext
from evaluator.ui.document_keys import KeyPanel, browse_row, field_label
from evaluator.ui.evidence_view import PreviewPane
from evaluator.ui.job_panel import JobPanel
from evaluator.ui.sign_dialog import SignDialog


def document_label(key: str) -> str:
    """The kinds of document (``services.documents.KINDS``) as the dialog lists them."""
    return {
        "appraisal": QCoreApplication.translate("ReportDialog", "Biên bản thẩm định (PDF)"),
        "self": QCoreApplication.translate("ReportDialog", "Báo cáo tự đánh giá (PDF)"),
        "publication": QCoreApplication.translate("ReportDialog", "Công bố kết quả của năm (PDF)"),
        "appraisal_xlsx": QCoreApplication.translate("ReportDialog", "Bảng thẩm định (Excel)"),
        "results_xlsx": QCoreApplication.translate("ReportDialog", "Bảng kết quả của năm (Excel)"),
    }.get(key, key)


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
        form.addRow(self.units_label, self._units_box())
        self.on_date = QDateEdit(QDate.currentDate())
        self.on_date.setCalendarPopup(True)
        self.on_date.setDisplayFormat("dd/MM/yyyy")
        form.addRow(self.tr("Ngày của văn bản"), self.on_date)
        self.out = QLineEdit()
        self.out_row = browse_row(self.out, self.tr("Chọn…"), self._pick_out)
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
        self.panel = JobPanel(self)  # the dialog as parent: its default button is then the dialog's
        self.progress, self.status = self.panel.progress, self.panel.status
        self.produce_button = self.panel.add_button(self.tr("Tạo tài liệu"), self.produce, default=True)
        self.cancel_button = self.panel.add_button(self.tr("Huỷ"), self.cancel, enabled=False)
        self.sign_button = self.panel.add_button(self.tr("Ký số tệp này…"), self.sign_produced, enabled=False)
        self.panel.add_button(self.tr("Đóng"), self.reject)
        form.addRow(self.panel)
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

    def _units_box(self) -> QWidget:
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
        return self.units_box

    # --- choices ---------------------------------------------------------------------------------------
    def kind(self) -> str:
        return str(self.document.currentData())

    def document_kind(self) -> DocumentKind:
        return KINDS[self.kind()]

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
        self._check(lambda _code: on)

    def set_codes(self, codes: list[str]) -> None:
        self._check(lambda code: code in codes)

    def _check(self, on: Any) -> None:
        self.units.blockSignals(True)
        for i in range(self.units.count()):
            item = self.units.item(i)
            checked = on(item.data(Qt.ItemDataRole.UserRole))
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.units.blockSignals(False)
        self._default_out()

    def checked_codes(self) -> list[str]:
        return [
            str(self.units.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.units.count())
            if self.units.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _document_chosen(self) -> None:
        kind = self.document_kind()
        self.units_box.setVisible(kind.per_unit)
        self.units_label.setVisible(kind.per_unit)
        self.sign.setEnabled(kind.pdf)
        if not kind.pdf:
            self.sign.setChecked(False)
        self.field.clear()
        self.field.addItem(self.tr("Ô trống đầu tiên"), None)
        for name in kind.fields:
            self.field.addItem(field_label(name), name)
        self.field.setEnabled(kind.pdf)
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
        self.out.setText(str(self._folder() / kind.file_name(y, codes[0] if len(codes) == 1 else None)))

    def _pick_out(self) -> str:
        if self.batch():
            return QFileDialog.getExistingDirectory(self, self.tr("Thư mục lưu các tệp"), self.out.text())
        suffix = self.document_kind().suffix
        return QFileDialog.getSaveFileName(self, self.tr("Lưu tài liệu"), self.out.text(), f"*{suffix}")[0]

    # --- producing ---------------------------------------------------------------------------------------
    def _error(self, text: str) -> None:
        self.panel.error(text)
        self.failed.emit(text)

    def produce(self) -> workers.Job | None:
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

        def work(job: workers.Job) -> Produced:
            def progress(done: int, _total: int, code: str) -> None:
                job.report(done, code)  # raises Cancelled once the user cancelled: the batch stops

            # One process: forking worker processes out of a GUI with running threads is not safe.
            return documents.produce(project, kind, year, codes if kind.per_unit else None, out, on=on,
                                     batch=batch, signing=signing, workers=1, progress=progress,
                                     cancelled=lambda: job.cancelled)

        self.done_count = 0
        self.produced_files = None
        self.panel.start(self.tr("Đang tạo…"), len(codes) if batch else 0)
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
        self.panel.ok(text)
        self.produced.emit(result)

    def _failed(self, exc: BaseException) -> None:
        self._finish()
        if isinstance(exc, workers.Cancelled):
            self._error(
                self.tr(
                    "Đã huỷ: %1 tệp đã ghi (mỗi tệp ghi trọn vẹn), các tệp còn lại không được tạo."
                ).replace("%1", str(self.done_count))
            )
        else:
            self._error(str(exc))

    def sign_produced(self) -> None:
        if self.produced_files is None or len(self.produced_files.files) != 1:
            return
        dialog = SignDialog(self.produced_files.files[0], self)
        if dialog.exec():
            show_pdf(self.preview, self.produced_files.files[0])
