"""The "Năm mới…" wizard: year Y from year Y-1 — the years and the criteria sets (the project's or bundled
ones of Y, or the province's files), the criteria mapping per unit kind (each old leaf's successor picked
in a combo box, with its score; new leaves nobody maps to listed apart), carrying evidence over, a preview,
and the creation through one ``WriteOp`` (``services.new_year.create_new_year``).

The wizard holds no rule: ``plan_new_year`` checks and proposes, ``KindMapping.set_pair`` pairs and unpairs.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evaluator.errors import Coded
from evaluator.fields import FIRST_YEAR, LAST_YEAR
from evaluator.frameworks import FrameworkInvalid
from evaluator.services.changes import Change
from evaluator.services.criteria_mapping import KindMapping
from evaluator.services.new_year import NewYearPlan, assessed_years, create_new_year, plan_new_year
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import open_files
from evaluator.ui.job_panel import ERROR_STYLE
from evaluator.ui.labels import kind_label
from evaluator.ui.operations import Job, WriteOp

SET_FILES = "*.yaml *.yml *.xlsx *.json"
REVIEW = QColor("#fff3cd")
NONE = QColor("#f8d7da")


def _text(exc: BaseException) -> str:
    if isinstance(exc, FrameworkInvalid):
        return "\n".join(str(p) for p in exc.problems[:20])
    return str(exc)


class YearsPage(QWizardPage):
    """From-year, new year, where the sets come from, carry-over option."""

    def __init__(self, wizard: NewYearWizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Năm mới: năm và bộ tiêu chí"))
        form = QFormLayout(self)
        years = wizard.ctx.read(assessed_years) if wizard.ctx.project is not None else []
        last = years[-1] if years else FIRST_YEAR
        self.from_year = QSpinBox()
        self.from_year.setRange(FIRST_YEAR, LAST_YEAR)
        self.from_year.setValue(last)
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(min(last + 1, LAST_YEAR))
        self.from_year.valueChanged.connect(lambda v: self.year.setValue(min(v + 1, LAST_YEAR)))
        form.addRow(self.tr("Từ năm"), self.from_year)
        form.addRow(self.tr("Năm mới"), self.year)
        self.use_project = QRadioButton(self.tr("Bộ tiêu chí của năm mới đã có trong dự án hoặc kèm theo "
                                                "chương trình"))
        self.use_files = QRadioButton(self.tr("Tệp bộ tiêu chí của tỉnh"))
        self.use_project.setChecked(True)
        form.addRow(self.use_project)
        form.addRow(self.use_files)
        files = QHBoxLayout()
        self.files = QListWidget()
        self.files.setMaximumHeight(80)
        browse = QPushButton(self.tr("Chọn tệp…"))
        browse.clicked.connect(self.browse)
        files.addWidget(self.files, 1)
        files.addWidget(browse)
        form.addRow(files)
        self.carry = QCheckBox(self.tr("Chuyển tài liệu kiểm chứng năm trước sang tiêu chí tương ứng (chờ "
                                       "xác nhận, chưa được tính cho năm mới)"))
        form.addRow(self.carry)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        form.addRow(self.problem)

    def browse(self) -> None:
        names = open_files(self, self.tr("Chọn tệp bộ tiêu chí"), self.tr("Bộ tiêu chí (%1)").replace(
            "%1", SET_FILES))
        self.add_files(names)

    def add_files(self, names: list[str]) -> None:
        for name in names:
            self.files.addItem(name)
        if names:
            self.use_files.setChecked(True)

    def paths(self) -> list[Path]:
        return [Path(self.files.item(i).text()) for i in range(self.files.count())]

    def validatePage(self) -> bool:
        from evaluator.services.frameworks import read_sets

        self.problem.clear()
        try:
            set_files = read_sets(self.paths()) if self.use_files.isChecked() else None
            if self.use_files.isChecked() and not set_files:
                self.problem.setText(self.tr("Chưa chọn tệp bộ tiêu chí nào"))
                return False
            year, from_year, carry = self.year.value(), self.from_year.value(), self.carry.isChecked()
            self.w.plan = self.w.ctx.read(lambda s: plan_new_year(
                s, year, from_year=from_year, set_files=set_files, carry_evidence=carry))
        except (Coded, FrameworkInvalid) as exc:
            self.problem.setText(_text(exc))
            return False
        return True


class MappingPage(QWizardPage):
    """The mapping of one unit kind at a time: each old leaf and its successor (a combo box)."""

    COLUMNS = 5

    def __init__(self, wizard: NewYearWizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Đối chiếu tiêu chí giữa hai năm"))
        self.setSubTitle(self.tr("Mỗi tiêu chí năm trước và tiêu chí tương ứng năm mới; điểm giống nhau của "
                                 "tên dưới 80 cần xem lại (tô vàng)."))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.kind = QComboBox()
        self.kind.currentIndexChanged.connect(lambda _i: self.fill())
        self.counts = QLabel()
        top.addWidget(QLabel(self.tr("Loại đơn vị")))
        top.addWidget(self.kind)
        top.addWidget(self.counts, 1)
        layout.addLayout(top)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels([self.tr("Mã năm trước"), self.tr("Tiêu chí năm trước"),
                                              self.tr("Tiêu chí năm mới"), self.tr("Điểm"), self.tr("Cách")])
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        for c in (0, 3, 4):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        layout.addWidget(self.table, 3)
        layout.addWidget(QLabel(self.tr("Tiêu chí năm mới chưa được ghép:")))
        self.unmatched = QListWidget()
        self.unmatched.setMaximumHeight(90)
        layout.addWidget(self.unmatched, 1)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        plan = self.w.plan
        assert plan is not None
        self.kind.blockSignals(True)
        self.kind.clear()
        for kind in plan.mappings:
            self.kind.addItem(kind_label(kind), kind)
        self.kind.blockSignals(False)
        self.fill()

    def mapping(self) -> KindMapping | None:
        plan = self.w.plan
        kind = self.kind.currentData()
        return plan.mappings.get(kind) if plan is not None and kind is not None else None

    def fill(self) -> None:
        m = self.mapping()
        self.table.setRowCount(0)
        self.combos = []
        self.unmatched.clear()
        if m is None:
            return
        new_leaves = m.new.leaves(m.kind)
        self.table.setRowCount(len(m.pairs))
        for r, p in enumerate(m.pairs):
            score = str(p.score) if p.new_code else ""
            cells = [p.old_code, p.old_title, None, score, self._method(p.method)]
            for c, text in enumerate(cells):
                if text is None:
                    continue
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if p.new_code is None:
                    item.setBackground(QBrush(NONE))
                elif p.review:
                    item.setBackground(QBrush(REVIEW))
                self.table.setItem(r, c, item)
            combo = QComboBox()
            combo.addItem(self.tr("— không có tiêu chí tương ứng —"), None)
            for n in new_leaves:
                combo.addItem(f"{n.code}  {n.title}", n.code)
            combo.setCurrentIndex(max(0, combo.findData(p.new_code)) if p.new_code else 0)
            combo.currentIndexChanged.connect(
                lambda _i, old=p.old_code, box=combo: self.pick(old, box.currentData()))
            self.table.setCellWidget(r, 2, combo)
            self.combos.append(combo)
        for n in m.unmatched_new:
            self.unmatched.addItem(f"{n.code}  {n.title}")
        mapped = sum(1 for p in m.pairs if p.new_code)
        self.counts.setText(self.tr("%1 / %2 tiêu chí được ghép, %3 cần xem lại, %4 tiêu chí mới chưa ghép")
                            .replace("%1", str(mapped)).replace("%2", str(len(m.pairs)))
                            .replace("%3", str(len(m.review))).replace("%4", str(len(m.unmatched_new))))

    def _method(self, method: str) -> str:
        return {"exact": self.tr("trùng mã và tên"), "title": self.tr("tên gần giống"),
                "file": self.tr("chọn tay"), "none": "—"}.get(method, method)

    def pick(self, old_code: str, new_code: str | None) -> None:
        """Pair (or unpair) one old leaf; a new leaf another old leaf had is taken from it."""
        m = self.mapping()
        if m is None:
            return
        m.set_pair(old_code, new_code, "file")
        row = self.table.verticalScrollBar().value()
        self.fill()
        self.table.verticalScrollBar().setValue(row)


class PreviewPage(QWizardPage):
    def __init__(self, wizard: NewYearWizard):
        super().__init__(wizard)
        self.w = wizard
        self.setTitle(self.tr("Xem trước"))
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        layout.addWidget(self.details, 1)

    def initializePage(self) -> None:
        plan = self.w.plan
        assert plan is not None
        lines = [self.tr("Năm %1 từ năm %2: %3 đơn vị, bộ tiêu chí %4.").replace("%1", str(plan.year))
                 .replace("%2", str(plan.from_year)).replace("%3", str(len(plan.units)))
                 .replace("%4", ", ".join(fw.identity for fw in plan.sets))]
        if plan.dropped:
            lines.append(self.tr("Không chuyển sang năm mới (loại đơn vị không có bộ tiêu chí): %1")
                         .replace("%1", ", ".join(f"{u.code} {u.name}" for u in plan.dropped)))
        if plan.retired:
            lines.append(self.tr("Không chuyển (đã ngừng theo dõi): %1")
                         .replace("%1", ", ".join(f"{u.code} {u.name}" for u in plan.retired)))
        if plan.carry_evidence:
            lines.append(self.tr("%1 tài liệu kiểm chứng được chuyển, chờ xác nhận.")
                         .replace("%1", str(plan.evidence)))
        self.summary.setText("\n".join(lines))
        details: list[str] = []
        for m in plan.mappings.values():
            mapped = sum(1 for p in m.pairs if p.new_code)
            details.append(self.tr("%1: %2 / %3 tiêu chí được ghép (%4 → %5)")
                           .replace("%1", kind_label(m.kind)).replace("%2", str(mapped))
                           .replace("%3", str(len(m.pairs)))
                           .replace("%4", m.old.identity).replace("%5", m.new.identity))
            for p in m.pairs:
                if p.new_code is None:
                    details.append("  " + self.tr("%1 %2: không có tiêu chí tương ứng")
                                   .replace("%1", p.old_code).replace("%2", p.old_title))
                elif p.review:
                    details.append("  " + self.tr("%1 → %2 (giống %3/100, cần xem lại): %4")
                                   .replace("%1", p.old_code).replace("%2", p.new_code)
                                   .replace("%3", str(p.score)).replace("%4", p.old_title))
            for n in m.unmatched_new:
                details.append("  " + self.tr("%1 %2: tiêu chí mới")
                               .replace("%1", n.code).replace("%2", n.title))
        self.details.setPlainText("\n".join(details))


class NewYearWizard(QWizard):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.plan: NewYearPlan | None = None
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Năm mới"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.years_page = YearsPage(self)
        self.mapping_page = MappingPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.years_page, self.mapping_page, self.preview_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Tạo năm mới"))
        # Qt's own "< Back", "Next >", "Cancel" are not in the catalogue: the new-project wizard's words
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Tiếp >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Quay lại"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Huỷ"))
        self.resize(1000, 680)

    def accept(self) -> None:
        """Create the year (one write off the GUI thread); the wizard closes when it is done."""
        plan, project = self.plan, self.ctx.project
        if plan is None or project is None or self.job is not None:
            return
        s = self.ctx.settings
        name, role = s.name, s.role

        def create(_job: Job) -> Change:
            return create_new_year(project, plan, author=name, role=role or "committee")

        op: WriteOp[Change] = WriteOp(self, create, ctx=self.ctx, busy=self.tr("tạo năm mới"), initiator=self)
        op.success(lambda _c: self._done())
        op.failure(self._failed)
        self.button(QWizard.WizardButton.FinishButton).setEnabled(False)
        self.job = op.run()

    def _done(self) -> None:
        self.job = None
        super().accept()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.button(QWizard.WizardButton.FinishButton).setEnabled(True)
        self.preview_page.summary.setText(_text(exc))
        self.preview_page.summary.setStyleSheet(ERROR_STYLE)
