"""Checking signatures from the GUI: the findings of ``evaluator verify`` for a PDF (``signing.verify``) or a
team package (``exchange.verify_package``), run as an operation (``ui.operations``), shown as a table and
the full text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.services.imports import is_team_package
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import open_file, open_files
from evaluator.ui.document_keys import browse_row, field_label
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.operations import Job, ReadOp, error_text


def trust_label(trust: str) -> str:
    """``trusted (…)``, ``not trusted: …``, ``not checked`` from ``signing.verify``, in the UI's words."""
    for prefix, text in (
        ("not trusted", QCoreApplication.translate("fields", "KHÔNG tin cậy")),
        ("trusted", QCoreApplication.translate("fields", "tin cậy")),
        ("not checked", QCoreApplication.translate("fields", "chưa kiểm tra")),
    ):
        if trust.startswith(prefix):
            return text + trust[len(prefix) :]
    return trust



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
        self.job: Job | None = None
        self.report: Any = None
        self.setWindowTitle(self.tr("Kiểm tra chữ ký số"))
        self.resize(980, 620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.file = QLineEdit(str(path or ""))
        form.addRow(
            self.tr("Tệp"),
            browse_row(
                self.file,
                self.tr("Chọn…"),
                lambda: open_file(
                    self,
                    self.tr("Chọn tệp cần kiểm tra"),
                    self.tr("PDF, gói trao đổi (*.pdf *.cchc);;* (*)"),
                ),
            ),
        )
        self.trust = QLineEdit()
        self.trust.setPlaceholderText(self.tr("chứng thư CA tin cậy (PEM/DER), cách nhau bởi ;"))
        form.addRow(
            self.tr("Tin cậy"),
            browse_row(
                self.trust,
                self.tr("Chọn…"),
                lambda: ";".join(
                    open_files(
                        self,
                        self.tr("Chứng thư CA tin cậy"),
                        self.tr("Chứng thư (*.pem *.crt *.cer *.der);;* (*)"),
                    )
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
        self.filled = QLabel()  # what the clerk filled in between the signatures, and the long-term data
        self.filled.setWordWrap(True)
        layout.addWidget(self.filled)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 2)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)

    def verify(self) -> Job | None:
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

        def work(_job: Job) -> Any:
            if is_team_package(path):
                from evaluator.exchange import verify_package

                return verify_package(path, trust)
            from evaluator.services.report_compare import verify_file

            return verify_file(path, trust or None, db)

        self.verify_button.setEnabled(False)
        self.verdict.setStyleSheet("font-size: 12pt; font-weight: bold")
        self.verdict.setText(self.tr("Đang kiểm tra…"))
        # A ReadOp: verifying reads the file and (to compare the embedded data) the project, writes nothing
        self.job = ReadOp(self, work).success(self._done).failure(self._failed).run()
        return self.job

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.verify_button.setEnabled(True)
        self.verdict.setStyleSheet("font-size: 12pt; font-weight: bold; " + ERROR_STYLE)
        self.verdict.setText(error_text(exc))

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
        self.filled.setText(self._filled_text(report))
        if hasattr(report, "signatures"):
            self._fill_pdf(report)
        else:
            self._fill_package(report)
        self.details.setPlainText(report.render())
        self.verified.emit(report)

    def _filled_text(self, report: Any) -> str:
        lines = []
        for f in getattr(report, "filled", []):
            text = (self.tr("Văn thư điền số: %1 (bản %2)") if f.field == "doc_number"
                    else self.tr("Văn thư điền ngày: %1 (bản %2)"))
            lines.append(text.replace("%1", f.value).replace("%2", str(f.revision)))
        dss = getattr(report, "validation_data", None)
        if dss:
            lines.append(self.tr("Dữ liệu kiểm tra dài hạn (DSS): %1 chứng thư, %2 CRL, %3 OCSP")
                         .replace("%1", str(dss.get("certs", 0))).replace("%2", str(dss.get("crls", 0)))
                         .replace("%3", str(dss.get("ocsps", 0))))
        return "\n".join(lines)

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
