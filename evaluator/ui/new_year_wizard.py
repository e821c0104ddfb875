"""The "Năm mới…" wizard: year Y from year Y-1 — the years and the criteria sets (the project's or bundled
ones of Y, or the province's files), the criteria mapping per unit kind (each old leaf's successor picked
in a combo box, with its score; new leaves nobody maps to listed apart), the units' new shape (merged,
renamed, a kind retired, units added: a list of pending ``reorganisation.UnitChange``), carrying evidence
over, a preview, and the creation through one ``WriteOp`` (``services.new_year.create_new_year``, which
applies the unit changes in the year's transaction).

The wizard holds no rule: ``plan_new_year`` checks and proposes (each unit change is checked by its dry run
when it is added), ``KindMapping.set_pair`` pairs and unpairs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
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
from evaluator.services.reorganisation import UnitChange
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
            self.w.plan_args = {"year": self.year.value(), "from_year": self.from_year.value(),
                                "set_files": set_files, "carry_evidence": self.carry.isChecked()}
            self.w.plan = None  # a new start: the mapping is proposed afresh
            self.w.base = self.w.replan(())
            if self.w.units_page.changes:  # the changes listed before (back and forth): kept when they fit
                try:
                    self.w.replan(self.w.units_page.changes)
                except Coded as exc:
                    self.w.units_page.changes = []
                    self.w.units_page.note = self.tr("Các thay đổi đơn vị đã liệt kê không còn phù hợp với "
                                                     "năm đã chọn và đã được bỏ: %1").replace("%1", str(exc))
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


class UnitsPage(QWizardPage):
    """The units' new shape from the new year: pick units on the left, then merge, rename, retire a kind
    or add a unit; each change is checked (``plan_new_year``'s dry run) when it is listed, and written
    only with the year."""

    def __init__(self, wizard: NewYearWizard):
        super().__init__(wizard)
        self.w = wizard
        self.changes: list[UnitChange] = []
        self.note = ""
        """Why the changes listed before were dropped (the years changed), shown once."""
        self.setTitle(self.tr("Sắp xếp lại đơn vị từ năm mới"))
        self.setSubTitle(self.tr("Hợp nhất, đổi tên đơn vị, ngừng theo dõi một loại đơn vị, thêm đơn vị mới. "
                                 "Các thay đổi chỉ được ghi khi tạo năm mới; lịch sử vẫn thuộc đơn vị cũ."))
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Đơn vị năm trước (chọn một hoặc nhiều):")))
        self.units = QListWidget()
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.units.itemSelectionChanged.connect(self._enable)
        left.addWidget(self.units, 1)
        top.addLayout(left, 2)
        form = QFormLayout()
        self.code = QLineEdit()
        self.code.setPlaceholderText(self.tr("mã đơn vị sau thay đổi, ví dụ SO30"))
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("tên đơn vị sau thay đổi"))
        self.kind = QComboBox()
        self.parent_code = QLineEdit()
        self.parent_code.setPlaceholderText(self.tr("để trống nếu không có"))
        form.addRow(self.tr("Mã đơn vị"), self.code)
        form.addRow(self.tr("Tên đơn vị"), self.name)
        for field in (self.code, self.name, self.parent_code):  # a new attempt: the last refusal goes
            field.textEdited.connect(self._clear_problem)
        form.addRow(self.tr("Loại đơn vị"), self.kind)
        form.addRow(self.tr("Đơn vị cấp trên"), self.parent_code)
        self.merge_button = QPushButton(self.tr("Hợp nhất các đơn vị đã chọn vào mã trên"))
        self.rename_button = QPushButton(self.tr("Đổi mã và tên đơn vị đã chọn"))
        self.retire_button = QPushButton(self.tr("Ngừng theo dõi loại đơn vị đã chọn"))
        self.add_button = QPushButton(self.tr("Thêm đơn vị mới"))
        self.merge_button.clicked.connect(self.merge)
        self.rename_button.clicked.connect(self.rename)
        self.retire_button.clicked.connect(self.retire)
        self.add_button.clicked.connect(self.add)
        for b in (self.merge_button, self.rename_button, self.retire_button, self.add_button):
            form.addRow(b)
        top.addLayout(form, 3)
        layout.addLayout(top, 1)
        layout.addWidget(QLabel(self.tr("Thay đổi sẽ áp dụng cùng năm mới:")))
        pending = QHBoxLayout()
        self.pending = QListWidget()
        self.pending.setMaximumHeight(150)
        pending.addWidget(self.pending, 1)
        self.remove_button = QPushButton(self.tr("Bỏ thay đổi đã chọn"))
        self.remove_button.clicked.connect(self.remove)
        pending.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(pending)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.problem)

    def initializePage(self) -> None:
        base = self.w.base
        assert base is not None
        self.units.clear()
        for u in base.units + base.dropped:
            item = QListWidgetItem(f"{u.code}  {u.name} ({kind_label(u.kind)})")
            item.setData(Qt.ItemDataRole.UserRole, u.code)
            self.units.addItem(item)
        kinds = list(dict.fromkeys(u.kind for u in base.units + base.dropped))
        self.kind.clear()
        for kind in kinds:
            self.kind.addItem(kind_label(kind), kind)
        self.problem.setText(self.note)
        self.note = ""
        self._show_pending()

    def _clear_problem(self, _text: str = "") -> None:
        self.problem.clear()

    def selected(self) -> tuple[str, ...]:
        return tuple(str(i.data(Qt.ItemDataRole.UserRole)) for i in self.units.selectedItems())

    def _enable(self) -> None:
        count = len(self.selected())
        self.merge_button.setEnabled(count >= 1)
        self.rename_button.setEnabled(count == 1)
        self.remove_button.setEnabled(bool(self.changes))

    def merge(self) -> bool:
        return self.propose(UnitChange("merge", self.code.text().strip(), self.name.text().strip(),
                                       self.selected()))

    def rename(self) -> bool:
        return self.propose(UnitChange("rename", self.code.text().strip(), self.name.text().strip(),
                                       self.selected()))

    def retire(self) -> bool:
        return self.propose(UnitChange("retire-kind", kind=str(self.kind.currentData() or "")))

    def add(self) -> bool:
        return self.propose(UnitChange("add", self.code.text().strip(), self.name.text().strip(),
                                       kind=str(self.kind.currentData() or ""),
                                       parent=self.parent_code.text().strip()))

    def propose(self, change: UnitChange) -> bool:
        """List ``change`` when the plan with it holds (the service says what is wrong otherwise)."""
        try:
            self.w.replan([*self.changes, change])
        except Coded as exc:
            self.problem.setText(str(exc))
            return False
        self.changes.append(change)
        self.problem.clear()
        self.code.clear()
        self.name.clear()
        self.units.clearSelection()
        self._show_pending()
        return True

    def remove(self) -> None:
        row = self.pending.currentRow()
        if not 0 <= row < len(self.changes):
            row = len(self.changes) - 1
        if row < 0:
            return
        rest = self.changes[:row] + self.changes[row + 1:]
        self.w.replan(rest)  # fewer changes than a plan that held: it holds
        self.changes = rest
        self._show_pending()

    def describe(self, c: UnitChange) -> str:
        if c.action == "retire-kind":
            return self.tr("Ngừng theo dõi mọi đơn vị loại %1").replace("%1", kind_label(c.kind))
        if c.action == "add":
            return (self.tr("Thêm đơn vị %1 %2 (%3)").replace("%1", c.code).replace("%2", c.name)
                    .replace("%3", kind_label(c.kind)))
        text = self.tr("Hợp nhất %1 vào %2 %3") if c.action == "merge" else self.tr("Đổi %1 thành %2 %3")
        return text.replace("%1", ", ".join(c.old_codes)).replace("%2", c.code).replace("%3", c.name).strip()

    def _show_pending(self) -> None:
        self.pending.clear()
        for c in self.changes:
            self.pending.addItem(self.describe(c))
        # a unit already in a change (or of a retired kind) cannot be picked again: greyed out
        taken = {code for c in self.changes for code in c.codes()}
        retired = {c.kind for c in self.changes if c.action == "retire-kind"}
        base = self.w.base
        kinds = {u.code: u.kind for u in base.units + base.dropped} if base is not None else {}
        for i in range(self.units.count()):
            item = self.units.item(i)
            code = str(item.data(Qt.ItemDataRole.UserRole))
            usable = code not in taken and kinds.get(code) not in retired
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            item.setFlags(item.flags() | flags if usable else item.flags() & ~flags)
        self._enable()


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
        if plan.unit_changes:
            lines.append(self.tr("%1 thay đổi đơn vị, áp dụng cùng năm mới (chi tiết bên dưới).")
                         .replace("%1", str(len(plan.unit_changes))))
        self.summary.setText("\n".join(lines))
        details: list[str] = []
        if plan.unit_changes:
            details.append(self.tr("Thay đổi đơn vị từ năm %1:").replace("%1", str(plan.year)))
            for report in plan.unit_changes:
                details += ["  " + m.render() for m in report.lines]
            details.append("")
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
        self.base: NewYearPlan | None = None
        """The plan without unit changes (the units the unit step offers)."""
        self.plan_args: dict[str, Any] = {}
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Năm mới"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.years_page = YearsPage(self)
        self.mapping_page = MappingPage(self)
        self.units_page = UnitsPage(self)
        self.preview_page = PreviewPage(self)
        for page in (self.years_page, self.mapping_page, self.units_page, self.preview_page):
            self.addPage(page)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Tạo năm mới"))
        # Qt's own "< Back", "Next >", "Cancel" are not in the catalogue: the new-project wizard's words
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Tiếp >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Quay lại"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Huỷ"))
        self.resize(1000, 680)

    def replan(self, changes: list[UnitChange] | tuple[UnitChange, ...]) -> NewYearPlan:
        """The plan with ``changes`` (``UserError`` when one does not hold), the mapping as the user
        corrected it kept; it becomes the wizard's plan."""
        args = self.plan_args
        plan = self.ctx.read(lambda s: plan_new_year(s, args["year"], from_year=args["from_year"],
                                                     set_files=args["set_files"],
                                                     carry_evidence=args["carry_evidence"],
                                                     reorganise=list(changes)))
        if self.plan is not None:
            for kind, m in self.plan.mappings.items():
                if kind in plan.mappings and m.new.identity == plan.mappings[kind].new.identity:
                    plan.mappings[kind] = m
        self.plan = plan
        return plan

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
