"""Exchanging work from the GUI: the committee's import centre (choose team packages, consolidated
workbooks, survey answers or external indices → preview with counts and the list of changes → apply → log).
The work is ``services.imports`` (team packages through ``services.exchange``, ``services.workbook_import``,
``services.survey_import`` and ``services.external_import``), run through ``ui.operations`` (previews as
reads, imports as writes on the writer thread; the import's own ``Change`` is broadcast to the views).
The teams' export dialog is ``ui.export_dialog`` (also importable from here, as before)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.frameworks.model import STAGES
from evaluator.services import imports
from evaluator.services import workspace as ws
from evaluator.services.exchange.meter import phase_of
from evaluator.services.package_sets import NewSetDiff, diff_new_sets
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import open_files
from evaluator.ui.export_dialog import ExportDialog
from evaluator.ui.job_panel import JobPanel
from evaluator.ui.labels import stage_label
from evaluator.ui.new_sets_view import NewSetsView
from evaluator.ui.operations import Job, ReadOp, WriteOp, error_text
from evaluator.ui.table_models import RowsModel

IMPORT_FILTER = "CCHC, Excel (*.cchc *.cchc.001 *.xlsx);;CCHC (*.cchc *.cchc.001);;Excel (*.xlsx);;* (*)"
EXCEL_FILTER = "Excel (*.xlsx);;* (*)"
KINDS = ("packages", "survey", "external")
"""What the import centre imports: team packages or consolidated workbooks (``evaluator import``), survey
answers (``evaluator survey import``), external indices (``evaluator external import``)."""
DEFAULT_STAGE = "appraisal1"  # as ``evaluator external import --stage``
__all__ = ["ExportDialog", "ImportCentre"]


class ImportCentre(QDialog):
    """Team packages into the committee's project: a preview first (nothing written), then the import
    (backup, one transaction, import log), whose log is shown. Every view refreshes through ``changed``."""

    previewed = Signal(object)
    imported = Signal(object)
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, ctx: AppContext, files: list[str] | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.report: Any = None
        self.previewed_files: list[str] = []
        self.previewed_options: tuple[str, int, str, bool, bool] | None = None
        self.setWindowTitle(self.tr("Trung tâm nhập dữ liệu"))
        self.resize(1000, 690)  # with its title bar, above the taskbar of a 1366×768 screen
        layout = QVBoxLayout(self)
        choice = QFormLayout()
        self.kind = QComboBox()
        for kind, label in zip(
            KINDS,
            (
                self.tr("Gói của tổ thẩm định / bảng tổng hợp Excel"),
                self.tr("Phiếu khảo sát (điều tra XHH)"),
                self.tr("Chỉ số bên ngoài (SIPAS, 766, DDCI)"),
            ),
            strict=True,
        ):
            self.kind.addItem(label, kind)
        choice.addRow(self.tr("Nhập gì"), self.kind)
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        years = ctx.read(ws.years) if ctx.project is not None else []
        self.year.setValue(years[0] if years else 2024)
        self.year_label = QLabel(self.tr("Năm"))
        choice.addRow(self.year_label, self.year)
        self.stage = QComboBox()
        for st in STAGES:
            self.stage.addItem(stage_label(st), st)
        self.stage.setCurrentIndex(STAGES.index(DEFAULT_STAGE))
        self.stage.setToolTip(self.tr("Tiêu chí lấy từ điều tra XHH luôn ghi vào giai đoạn điều tra XHH"))
        self.stage_label = QLabel(self.tr("Giai đoạn (tiêu chí do thẩm định chấm)"))
        choice.addRow(self.stage_label, self.stage)
        layout.addLayout(choice)
        top = QHBoxLayout()
        self.files = QListWidget()
        self.files.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.files.setMaximumHeight(110)
        top.addWidget(self.files, 1)
        side = QVBoxLayout()
        add = QPushButton(self.tr("Thêm gói…"))
        add.clicked.connect(self.choose_files)
        remove = QPushButton(self.tr("Bỏ khỏi danh sách"))
        remove.clicked.connect(self.remove_selected)
        side.addWidget(add)
        side.addWidget(remove)
        side.addStretch(1)
        top.addLayout(side)
        self.files_label = QLabel()
        layout.addWidget(self.files_label)
        layout.addLayout(top)
        form = QFormLayout()
        self.trust = QLineEdit()
        self.trust.setPlaceholderText(
            self.tr("để trống: chữ ký được kiểm tra nhưng không đối chiếu danh sách tin cậy")
        )
        self.trust_label = QLabel(self.tr("Chứng thư CA tin cậy"))
        form.addRow(self.trust_label, self.trust)
        # offered once a preview finds units created on two laptops; ticking it previews again with
        # merging (the service does the merge; it is passed through to the import)
        self.merge = QCheckBox(self.tr("Gộp các đơn vị trùng mã vào đơn vị đã có"))
        self.merge.setToolTip(
            self.tr(
                "Đơn vị cùng mã nhưng được tạo trên máy khác: nhập dữ liệu của nó vào đơn vị đã có "
                "(điểm khác nhau thành xung đột) và ghi nhớ cho các gói sau của máy đó"
            )
        )
        self.merge.hide()
        self.merge.toggled.connect(self._merge_toggled)
        form.addRow(self.merge)
        # offered once a preview finds criteria sets the project lacks: each set's identity, and the
        # choice to accept them (``accept_sets``); ticking it previews again (issue 12: a package must not
        # slip a set of its own into the project unnoticed)
        self.new_sets = QLabel()
        self.new_sets.setWordWrap(True)
        self.new_sets.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_sets.setStyleSheet("color: #b45309")
        self.new_sets.hide()
        form.addRow(self.new_sets)
        self.set_diffs = NewSetsView()  # each new set against the project's: counts, and the list behind
        form.addRow(self.set_diffs)
        self.accept_sets = QCheckBox(self.tr("Chấp nhận bộ tiêu chí mới"))
        self.accept_sets.setToolTip(self.tr(
            "Gói mang bộ tiêu chí mà dự án chưa có: chỉ nhận khi bạn đã đối chiếu mã, phiên bản và dấu "
            "SHA-256 với bộ tiêu chí do hội đồng ban hành"))
        self.accept_sets.hide()
        self.accept_sets.toggled.connect(self._merge_toggled)
        form.addRow(self.accept_sets)
        layout.addLayout(form)
        # buttons, bar and verdict in one row: the preview's counts and changes fill the space below
        self.panel = JobPanel(self, inline=True)
        self.progress, self.verdict = self.panel.progress, self.panel.status
        self.preview_button = self.panel.add_button(self.tr("Xem trước"), self.preview)
        self.apply_button = self.panel.add_button(self.tr("Nhập vào dự án"), self.apply, enabled=False)
        self.cancel_button = self.panel.add_button(self.tr("Huỷ"), self.cancel)
        self.cancel_button.hide()  # only while a job runs
        layout.addWidget(self.panel)
        self.counts = QTableWidget(0, 2)
        self.counts.setHorizontalHeaderLabels([self.tr("Nội dung"), self.tr("Số lượng")])
        self.counts.verticalHeader().hide()
        self.counts.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.counts.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.counts.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        # Thousands of lines for a province's packages: a model shown by a list view, not an item each.
        self.change_model = RowsModel([""], _line_cells, foreground=_conflict_in_red, parent=self)
        self.changes = QListView()
        self.changes.setUniformItemSizes(True)
        self.changes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes.setModel(self.change_model)
        lists = QHBoxLayout()
        lists.addWidget(self.counts, 2)
        lists.addWidget(self.changes, 3)
        layout.addLayout(lists, 3)
        layout.addWidget(QLabel(self.tr("Nhật ký nhập")))
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        layout.addWidget(self.log, 2)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.accept)
        layout.addWidget(close, 0, Qt.AlignmentFlag.AlignRight)
        for f in files or []:
            self.add_file(f)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.year.valueChanged.connect(self._invalidate)
        self.stage.currentIndexChanged.connect(self._invalidate)
        self._kind_changed()

    # --- what is imported -------------------------------------------------------------------------------
    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def set_kind(self, kind: str) -> None:
        self.kind.setCurrentIndex(KINDS.index(kind))

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        self.files_label.setText(
            {
                "packages": self.tr(
                    "Gói dữ liệu của các tổ thẩm định (.cchc) hoặc bảng tổng hợp Excel (.xlsx)"
                ),
                "survey": self.tr(
                    "Một bảng Excel (.xlsx), trang «answers»: người trả lời, nhóm, đơn vị, câu hỏi, đáp án"
                ),
                "external": self.tr("Một bảng Excel (.xlsx) có trang «indices»: đơn vị, chỉ số, giá trị"),
            }[kind]
        )
        sheet = kind != "packages"
        shown: list[tuple[QWidget, bool]] = [
            (self.year_label, sheet),
            (self.year, sheet),
            (self.stage_label, kind == "external"),
            (self.stage, kind == "external"),
            (self.trust_label, not sheet),
            (self.trust, not sheet),
        ]
        for widget, visible in shown:
            widget.setVisible(visible)
        self._reset_merge()
        self._invalidate()

    def options(self) -> tuple[str, int, str, bool, bool]:
        return (self.current_kind(), self.year.value(), str(self.stage.currentData()), self.merge.isChecked(),
                self.accept_sets.isChecked())

    def _reset_merge(self) -> None:
        """Another list or kind: merging is offered again only after a preview finds duplicates."""
        self.merge.blockSignals(True)
        self.merge.setChecked(False)
        self.merge.blockSignals(False)
        self.merge.hide()
        self.accept_sets.blockSignals(True)
        self.accept_sets.setChecked(False)
        self.accept_sets.blockSignals(False)
        self.accept_sets.hide()
        self.new_sets.hide()
        self.set_diffs.clear()

    def _merge_toggled(self, _on: bool) -> None:
        self._invalidate()
        if self.job is None and self.paths():
            self.preview()

    # --- files ------------------------------------------------------------------------------------------
    def add_file(self, path: str | Path) -> None:
        text = str(Path(path))
        if text not in self.paths():
            self.files.addItem(text)
            self._reset_merge()
        self._invalidate()

    def paths(self) -> list[str]:
        return [self.files.item(i).text() for i in range(self.files.count())]

    def choose_files(self) -> None:
        packages = self.current_kind() == "packages"
        names = open_files(self, self.tr("Chọn gói dữ liệu"), IMPORT_FILTER if packages else EXCEL_FILTER)
        for n in names:
            self.add_file(n)

    def remove_selected(self) -> None:
        for item in self.files.selectedItems():
            self.files.takeItem(self.files.row(item))
        self._reset_merge()
        self._invalidate()

    def _invalidate(self) -> None:
        """A changed list needs a new preview before it can be imported."""
        self.apply_button.setEnabled(False)

    # --- preview and import ---------------------------------------------------------------------------
    def preview(self) -> Job | None:
        return self._run(dry_run=True)

    def apply(self) -> Job | None:
        if self.paths() != self.previewed_files or self.options() != self.previewed_options:
            self._error(self.tr("Danh sách gói đã thay đổi: xem trước lại."))
            return None
        return self._run(dry_run=False)

    def _run(self, *, dry_run: bool) -> Job | None:
        project = self.ctx.project
        if project is None:
            self._error(self.tr("Mở dự án của hội đồng trước."))
            return None
        if self.job is not None:
            return None
        paths = self.paths()
        if not paths:
            self._error(self.tr("Chọn ít nhất một gói dữ liệu."))
            return None
        trust = [t.strip() for t in self.trust.text().split(";") if t.strip()]
        author = self.ctx.settings.name
        options = self.options()
        kind, year, stage, merge, accept = options

        diffs: list[NewSetDiff] = []

        def work(job: Job) -> imports.ImportResult:
            # job.progress raises Cancelled once the user cancelled: the import stops, nothing written
            if kind == "packages":
                report = imports.import_files(project, paths, dry_run=dry_run, author=author,
                                              trust_files=trust, merge_duplicates=merge, accept_sets=accept,
                                              progress=job.progress)
                new_sets = getattr(report, "new_sets", None)  # packages' only (not workbooks')
                if dry_run and new_sets:  # what accepting them would change
                    diffs.extend(diff_new_sets(project, paths, new_sets))
                return report
            return imports.import_sheet(project, kind, paths, dry_run=dry_run, author=author, year=year,
                                        stage=stage, progress=job.progress)

        self.preview_button.setEnabled(False)
        self.apply_button.setEnabled(False)
        self.merge.setEnabled(False)
        self.accept_sets.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.cancel_button.show()
        # busy until the first report
        self.panel.start(self.tr("Đang đọc và kiểm tra các gói…") if dry_run else self.tr("Đang nhập…"))
        op: ReadOp[imports.ImportResult] | WriteOp[imports.ImportResult]
        if dry_run:  # a preview writes nothing: it need not wait for the writer
            op = ReadOp(self, work)
        else:  # a cancel after the commit: the import is done, and is reported so
            op = WriteOp(self, work, ctx=self.ctx, busy=self.tr("nhập dữ liệu vào dự án"), initiator=self,
                         deliver_late=True)
        op.success(lambda report: self._done(report, paths, options, diffs))
        op.failure(self._failed).cancelled(self._cancelled).progress(self._progress)
        self.job = op.run()
        return self.job

    def _progress(self, fraction: float, phase: str) -> None:
        percent = int(fraction * 100)
        self.progress.setRange(0, 100)
        self.progress.setValue(percent)
        text = {
            "read": self.tr("Đang đọc và kiểm tra các tệp…"),
            "check": self.tr("Đang đối chiếu với dự án…"),
            "write": self.tr("Đang ghi vào dự án…"),
        }.get(phase_of(phase), "")
        if self.panel.transfer(fraction, phase, text):  # megabytes of evidence and the time left
            return
        self.panel.say(f"{text} {percent} %")

    def cancel(self) -> None:
        """Stop the preview or the import at its next step; nothing is written (the import is one
        transaction). A Cancel that comes after the commit changes nothing: the import is reported done."""
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.panel.say(self.tr("Đang huỷ…"))

    def _error(self, text: str) -> None:
        self.panel.error(text)
        self.failed.emit(text)

    def _stopped(self) -> None:
        self.job = None
        self.panel.finish()
        self.cancel_button.hide()
        self.preview_button.setEnabled(True)
        self.merge.setEnabled(True)
        self.accept_sets.setEnabled(True)

    def _cancelled(self) -> None:
        self._stopped()
        self.panel.say(self.tr("Đã huỷ: không ghi gì, dự án giữ nguyên."))
        # an import cancelled after its preview: that preview (and its log) still holds
        previewed = self.report is not None and getattr(self.report, "dry_run", False) \
            and self.previewed_files == self.paths() and self.previewed_options == self.options()
        self.apply_button.setEnabled(previewed and imports.report_changed(self.report))
        if not previewed:
            self.log.clear()
        self.cancelled.emit()

    def _failed(self, exc: BaseException) -> None:
        self._stopped()
        self.log.setPlainText(error_text(exc))
        self._error(self.tr("Không nhập được, dự án giữ nguyên: xem nhật ký bên dưới."))

    def _done(self, report: Any, paths: list[str], options: tuple[str, int, str, bool, bool],
              diffs: list[NewSetDiff] | None = None) -> None:
        self._stopped()
        self.report = report
        self.show_report(report)
        changed = imports.report_changed(report)
        if report.dry_run:
            if getattr(report, "duplicates", None) or options[3]:
                self.merge.show()
            self._show_new_sets(getattr(report, "new_sets", []))
            self.set_diffs.show_diffs(diffs or [])
            self.previewed_files = paths
            self.previewed_options = options
            self.apply_button.setEnabled(changed)
            self.panel.say(
                self.tr("Xem trước — chưa ghi gì. Bấm «Nhập vào dự án» để nhập.")
                if changed
                else self.tr("Không có gì mới: dự án đã có mọi dữ liệu trong các gói.")
            )
            self.log.setPlainText(report.render())
            self.previewed.emit(report)
            return
        self.previewed_files = []
        self.previewed_options = None
        self.panel.ok(
            self.tr("Đã nhập. Bản sao lưu: %1").replace("%1", getattr(report, "backup", "") or "—")
            if changed
            else self.tr("Không có gì mới: dự án đã có mọi dữ liệu trong các gói.")
        )
        self.log.setPlainText(report.render())
        # the views already refreshed: the operation broadcast the report's own Change
        self.imported.emit(report)

    def _show_new_sets(self, sets: list[dict[str, Any]]) -> None:
        """The criteria sets the packages bring that the project lacks, each by its identity (code@version,
        the start of its SHA-256, title, year, file) and whether it is accepted; the choice beside them."""
        if not sets:
            self.new_sets.hide()
            self.accept_sets.setVisible(self.accept_sets.isChecked())
            return
        lines = [self.tr("Gói mang bộ tiêu chí mà dự án chưa có:")]
        for s in sets:
            state = (self.tr("được nhận (ký bởi %1)").replace("%1", s["signed_by"]) if s.get("signed_by")
                     else self.tr("được nhận") if s["accepted"] else self.tr("cần chấp nhận"))
            # one pass: a title from the package may itself hold "%4"
            values = (f"{s['code']}@{s['version']}", str(s["sha256"])[:12], str(s["title"]), str(s["year"]),
                      str(s["file"]), state)
            lines.append(re.sub(r"%([1-6])", lambda m, v=values: v[int(m.group(1)) - 1],  # type: ignore[misc]
                                self.tr("• %1 — SHA-256 %2… — «%3» (năm %4), từ %5: %6")))
        self.new_sets.setText("\n".join(lines))
        self.new_sets.show()
        self.accept_sets.show()

    def show_report(self, report: Any) -> None:
        wanted = [
            (self.tr("Đơn vị mới"), "units_new"),
            (self.tr("Đơn vị có thể trùng (không nhập)"), "duplicates"),
            (self.tr("Đơn vị trùng mã được gộp"), "merged_units"),
            (self.tr("Kỳ đánh giá mới"), "assessments_new"),
            (self.tr("Điểm mới"), "scores_new"),
            (self.tr("Điểm cập nhật"), "scores_updated"),
            (self.tr("Điểm giống nhau"), "scores_identical"),
            (self.tr("Điểm xung đột"), "scores_conflicting"),
            (self.tr("Xung đột được giải quyết theo gói"), "conflicts_resolved"),
            (self.tr("Ngoài phạm vi của tổ (không nhập)"), "out_of_scope"),
            (self.tr("Phiên bản điểm mới"), "revisions_new"),
            (self.tr("TLKC mới"), "evidence_new"),
            (self.tr("TLKC đã có"), "evidence_identical"),
            (self.tr("Sự kiện nhật ký mới"), "audit_new"),
        ]
        rows: list[tuple[str, Any]] = []
        if hasattr(report, "leaves") or hasattr(report, "rows"):
            rows = self._sheet_counts(report)
        else:
            for label, name in wanted:
                if hasattr(report, name):
                    value = getattr(report, name)
                    rows.append((label, len(value) if isinstance(value, list) else value))
        self.counts.setRowCount(len(rows))
        for r, (label, n) in enumerate(rows):
            self.counts.setItem(r, 0, QTableWidgetItem(label))
            item = QTableWidgetItem(str(n))
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.counts.setItem(r, 1, item)
        if hasattr(report, "leaves") or hasattr(report, "rows"):
            self.change_model.set_rows((line, False) for line in self._sheet_changes(report))
            return
        lines: list[tuple[str, bool]] = []
        for name, who in getattr(report, "signatures", {}).items():
            signed = self.tr("ký bởi %1").replace("%1", who) if who else self.tr("không ký")
            lines.append((self.tr("Gói %1: %2").replace("%1", name).replace("%2", signed), False))
        for title, items in (
            (self.tr("Xung đột"), getattr(report, "conflicts", [])),
            (self.tr("Có thể trùng"), getattr(report, "duplicates", [])),
            (self.tr("Ngoài phạm vi"), getattr(report, "out_of_scope", [])),
            (self.tr("Gộp đơn vị"), getattr(report, "merged_units", [])),
            (self.tr("Thay đổi"), getattr(report, "changes", [])),
            (self.tr("Cảnh báo"), getattr(report, "warnings", [])),
        ):
            for text in items[:500]:
                lines.append((f"{title}: {text}", title in (self.tr("Xung đột"), self.tr("Ngoài phạm vi"))))
        self.change_model.set_rows(lines)

    def _sheet_counts(self, report: Any) -> list[tuple[str, Any]]:
        """Counts of a survey report (answers, leaves by status) or an external report (values)."""
        rows: list[tuple[str, Any]] = []
        if hasattr(report, "leaves"):
            rows += [(self.tr("Câu trả lời"), report.answers), (self.tr("Câu bỏ trống"), report.blank)]
            what = self.tr("Tiêu chí điều tra")
        else:
            what = self.tr("Giá trị chỉ số")
        rows += [
            (self.tr("%1 mới").replace("%1", what), report.count("new")),
            (self.tr("%1 cập nhật").replace("%1", what), report.count("updated")),
            (self.tr("%1 giống nhau").replace("%1", what), report.count("identical")),
        ]
        if hasattr(report, "leaves"):
            rows.append((self.tr("Tiêu chí không có câu trả lời"), report.count("no answers")))
        else:
            rows.append((self.tr("Cảnh báo"), len(report.warnings)))
        return rows

    def _sheet_changes(self, report: Any) -> list[str]:
        """Per leaf: survey points with respondent counts per group, or index value and points."""
        lines: list[str] = []
        status = {
            "new": self.tr("mới"),
            "updated": self.tr("cập nhật"),
            "identical": self.tr("giống nhau"),
            "no answers": self.tr("không có câu trả lời"),
        }
        if hasattr(report, "leaves"):
            for r in report.leaves[:2000]:
                people = ", ".join(f"{g} {n}" for g, n in sorted(r.respondents.items())) or "—"
                points = "—" if r.points is None else str(r.points)
                text = (
                    self.tr("%1 %2: %3 điểm — người trả lời: %4 [%5]")
                    .replace("%1", r.unit)
                    .replace("%2", r.leaf)
                    .replace("%3", points)
                    .replace("%4", people)
                    .replace("%5", status.get(r.status, r.status))
                )
                lines.append(text)
            return lines
        for row in report.rows[:2000]:
            points = (
                self.tr("tính cùng các đơn vị khác")
                if row.points is None
                else self.tr("%1 điểm").replace("%1", str(row.points))
            )
            lines.append(
                f"{row.unit} {row.leaf} ({stage_label(row.stage)}): {row.value} → {points} "
                f"[{status.get(row.status, row.status)}]"
            )
        for text in report.warnings[:500]:
            lines.append(f"{self.tr('Cảnh báo')}: {text}")
        return lines


def _line_cells(line: tuple[str, bool]) -> tuple[str]:
    return (line[0],)


def _conflict_in_red(line: tuple[str, bool], _column: int) -> Qt.GlobalColor | None:
    return Qt.GlobalColor.darkRed if line[1] else None
