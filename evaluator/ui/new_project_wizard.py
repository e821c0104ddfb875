"""The new-project wizard: the year and the file, the province and its issuing bodies, the criteria sets (the
bundled ones of that year and/or the province's own files, checked on the spot), the province's units (an
Excel list checked on the spot, or none yet), a summary.

The wizard only gathers a ``NewProject``; the main window creates the project from it with one service call
(``services.project_setup.set_up_project``: with the unit list, if any, all or nothing) and opens it.
Cancelling changes nothing. ``PAGES`` gives each page its place.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from evaluator import messages
from evaluator.errors import Coded, Problems, UserError
from evaluator.fields import FIRST_YEAR, LAST_YEAR, FieldError, check_text
from evaluator.frameworks import Framework, FrameworkInvalid, load_framework
from evaluator.frameworks.registry import bundled_frameworks
from evaluator.messages import Message
from evaluator.paths import default_project_path
from evaluator.services.project_setup import check_unit_list
from evaluator.services.projects import check_sets
from evaluator.services.report_data import place_of
from evaluator.services.report_setup import normalise
from evaluator.services.unit_sheets import UnitImportReport
from evaluator.ui.dialogs import open_file, open_files, save_file
from evaluator.ui.job_panel import ERROR_STYLE
from evaluator.ui.labels import kind_label
from evaluator.ui.operations import Job, ReadOp

PAGES = {"place": 0, "province": 1, "sets": 2, "units": 5, "summary": 9}
"""Page ids in the order shown (room between the sets and the summary for the pages that come later)."""
SET_FILES = "*.yaml *.yml *.xlsx *.json"


@dataclass
class NewProject:
    """What the wizard gathered: everything ``create_project`` needs."""

    path: Path
    year: int
    name: str
    province: str
    sets: list[Framework]
    report_setup: dict[str, Any] = field(default_factory=dict)
    units: Path | None = None
    """The province's unit list (the sheet ``units``), imported once the project is made; None: later."""


def _text(exc: BaseException) -> str:
    return str(exc) if isinstance(exc, (UserError, Coded)) else f"{type(exc).__name__}: {exc}"


class PlacePage(QWizardPage):
    """The year and where the project file goes (by default in the projects folder)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Năm đánh giá và tệp dự án"))
        self.setSubTitle(self.tr("Mỗi dự án là một tệp; tài liệu kiểm chứng được lưu trong thư mục "
                                 "bên cạnh."))
        years = [fw.year for fw in bundled_frameworks()]
        self.year = QSpinBox()
        self.year.setRange(FIRST_YEAR, LAST_YEAR)
        self.year.setValue(max(years) if years else 2025)
        self.name = QLineEdit()
        self.path = QLineEdit()
        self.path_edited = False
        """Whether the user chose the file; until then it follows the name."""
        browse = QPushButton(self.tr("Chọn…"))
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow(self.tr("Năm đánh giá"), self.year)
        form.addRow(self.tr("Tên dự án"), self.name)
        form.addRow(self.tr("Tệp dự án"), row)
        form.addRow(self.error)
        self.year.valueChanged.connect(self._year_changed)
        self.name.textEdited.connect(self._follow_name)
        self.path.textEdited.connect(self._path_edited)
        self._year_changed()

    def _default_name(self) -> str:
        return self.tr("Chỉ số CCHC năm %1").replace("%1", str(self.year.value()))

    def _year_changed(self) -> None:
        if not self.name.isModified():
            self.name.setText(self._default_name())
        self._follow_name()

    def _follow_name(self) -> None:
        if not self.path_edited:
            self.path.setText(str(default_project_path(self.name.text().strip() or self._default_name())))
        self.error.clear()
        self.completeChanged.emit()

    def _path_edited(self) -> None:
        self.path_edited = True
        self.error.clear()
        self.completeChanged.emit()

    def browse(self) -> None:
        name = save_file(self, self.tr("Tệp dự án mới"), self.path.text(), self.tr("Dự án (*.db)"))
        if name:
            self.path.setText(name)
            self._path_edited()

    def target(self) -> Path:
        path = Path(self.path.text().strip())
        return path if path.suffix else path.with_suffix(".db")

    def isComplete(self) -> bool:
        return bool(self.path.text().strip() and self.name.text().strip())

    def validatePage(self) -> bool:
        target = self.target()
        try:
            check_text(self.name.text().strip(), "project.name", empty=False)
        except FieldError as exc:
            self.error.setText(self.tr("Tên dự án: ") + str(exc))
            return False
        if target.exists():
            self.error.setText(str(UserError("projects.exists", target=target)))
            return False
        if not target.parent.is_dir():
            try:  # the projects folder on a first start
                target.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                self.error.setText(str(UserError("common.cannot_write", path=target.parent,
                                                 error=exc.strerror or exc)))
                return False
        return True


class ProvincePage(QWizardPage):
    """The province and the issuing bodies printed at the top of every document (``services.report_setup``;
    empty fields print what their placeholder shows)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTitle(self.tr("Tỉnh và cơ quan ban hành"))
        self.setSubTitle(self.tr("In trên đầu các biên bản và báo cáo; sửa lại được sau trong "
                                 "Báo cáo › Thông tin trên văn bản."))
        self.province = QLineEdit()
        self.province.setPlaceholderText(self.tr("ví dụ: Tỉnh Khánh Hòa"))
        self.body1, self.body2, self.place = QLineEdit(), QLineEdit(), QLineEdit()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        form = QFormLayout(self)
        form.addRow(self.tr("Tỉnh, thành phố"), self.province)
        form.addRow(self.tr("Cơ quan ban hành (dòng 1)"), self.body1)
        form.addRow(self.tr("Cơ quan ban hành (dòng 2)"), self.body2)
        form.addRow(self.tr("Địa danh"), self.place)
        form.addRow(self.error)
        self.province.textChanged.connect(self._placeholders)
        self._placeholders()

    def _placeholders(self) -> None:
        province = self.province.text().strip()
        self.body1.setPlaceholderText(f"UBND {province.upper()}" if province else "UBND TỈNH")
        self.body2.setPlaceholderText("HỘI ĐỒNG THẨM ĐỊNH")
        self.place.setPlaceholderText(place_of(province) or "……")
        self.error.clear()

    def setup(self) -> dict[str, Any]:
        body = [t for t in (self.body1.text().strip(), self.body2.text().strip()) if t]
        return {"issuing_body": body, "place": self.place.text().strip()}

    def validatePage(self) -> bool:
        try:
            check_text(self.province.text().strip(), "project.province")
        except FieldError as exc:
            self.error.setText(self.tr("Tỉnh, thành phố: ") + str(exc))
            return False
        problems = Problems()
        normalise(self.setup(), problems, set())  # the service's own check, so "Tạo" is not refused later
        if problems.items:
            self.error.setText("\n".join(str(p) for p in problems.items))
            return False
        return True


@dataclass
class SetEntry:
    """One row of the sets list: a bundled set, or a file of the province's (loaded, or its problems)."""

    source: str
    """"" for a bundled set, else the file's path."""
    framework: Framework | None
    problems: list[str]


class SetsPage(QWizardPage):
    """The bundled sets of the year (ticked) and the province's own files, each checked when added: a file
    with problems is listed with every problem and cannot be ticked."""

    def __init__(self, place: PlacePage, parent: QWidget | None = None):
        super().__init__(parent)
        self.place = place
        self.setTitle(self.tr("Bộ tiêu chí"))
        self.sets = QTreeWidget()
        self.sets.setRootIsDecorated(False)
        self.sets.setHeaderLabels([self.tr("Bộ tiêu chí"), self.tr("Năm"), self.tr("Loại đơn vị"),
                                   self.tr("Số tiêu chí"), self.tr("Tên"), self.tr("Nguồn")])
        self.sets.header().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.sets.itemChanged.connect(lambda *_: self._check())
        self.add_button = QPushButton(self.tr("Nhập bộ tiêu chí của tỉnh (tệp .yaml, .xlsx, .json)…"))
        self.add_button.clicked.connect(self.browse)
        self.problems_label = QLabel()
        self.problems = QListWidget()
        self.problems.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(self)
        layout.addWidget(self.sets, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.status)
        self.files: list[SetEntry] = []
        """The province's files added so far (kept when the year changes: they are checked again)."""
        self.entries: list[SetEntry] = []
        """The rows shown, in order."""
        self.loading: Job | None = None
        self.filled_year: int | None = None

    @property
    def year(self) -> int:
        return self.place.year.value()

    def initializePage(self) -> None:
        # back and on again: the choices stay; another year: its bundled sets, ticked
        self._fill(self._ticked() if self.year == self.filled_year else None)

    def _fill(self, ticked: set[str] | None = None) -> None:
        """Rebuild the list: the year's bundled sets, then the files. ``ticked``: the sources to tick
        (default: every bundled set, as the program used to give a new project)."""
        bundled = [SetEntry("", fw, []) for fw in bundled_frameworks() if fw.year == self.year]
        if bundled:
            self.setSubTitle(self.tr("Chọn các bộ tiêu chí của năm %1: bộ kèm theo chương trình và/hoặc "
                                       "bộ của tỉnh (nhập từ tệp). Tệp có lỗi được liệt kê từng lỗi và "
                                       "không chọn được.").replace("%1", str(self.year)))
        else:
            self.setSubTitle(self.tr("Chương trình không kèm bộ tiêu chí nào cho năm %1: hãy nhập bộ tiêu "
                                       "chí của tỉnh từ tệp (.yaml, .xlsx hoặc .json, ví dụ tệp Excel mẫu "
                                       "xuất từ cửa sổ Bộ tiêu chí).").replace("%1", str(self.year)))
        self.entries = bundled + self.files
        self.filled_year = self.year
        self.sets.blockSignals(True)
        self.sets.clear()
        for entry in self.entries:
            self.sets.addTopLevelItem(self._item(entry, ticked))
        for col in (0, 1, 2, 3):
            self.sets.resizeColumnToContents(col)
        self.sets.blockSignals(False)
        self._show_problems()
        self._check()

    def _entry_problems(self, entry: SetEntry) -> list[str]:
        if entry.framework is not None and entry.framework.year != self.year:
            problem = Message("newproject.set_year", {"identity": entry.framework.identity,
                                                      "set_year": entry.framework.year, "years": self.year})
            return [*entry.problems, f"{entry.source}: {problem.render()}"]
        return entry.problems

    def _item(self, entry: SetEntry, ticked: set[str] | None) -> QTreeWidgetItem:
        fw = entry.framework
        source = self.tr("kèm chương trình") if not entry.source else Path(entry.source).name
        problems = self._entry_problems(entry)
        if fw is None:
            count = self.tr("%1 lỗi").replace("%1", str(len(problems)))
            item = QTreeWidgetItem(["✗ " + Path(entry.source).name, "", "", "", count, source])
        else:
            kinds = ", ".join(kind_label(k) for k in fw.unit_kinds)
            leaves = str(len(fw.leaves()))
            item = QTreeWidgetItem([fw.identity, str(fw.year), kinds, leaves, fw.title, source])
        item.setToolTip(5, entry.source or source)
        if problems:
            item.setFlags(Qt.ItemFlag.NoItemFlags)  # a set with problems cannot be chosen
            item.setForeground(0, QBrush(QColor("#b71c1c")))
            item.setToolTip(0, "\n".join(problems))
        else:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable
                          | Qt.ItemFlag.ItemIsSelectable)
            key = entry.source or (fw.identity if fw else "")
            on = key in ticked if ticked is not None else True
            item.setCheckState(0, Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        return item

    def _show_problems(self) -> None:
        self.problems.clear()
        for entry in self.entries:
            for problem in self._entry_problems(entry):
                self.problems.addItem(problem)
        count = self.problems.count()
        self.problems_label.setText(self.tr("Lỗi trong các tệp bộ tiêu chí: %1").replace("%1", str(count))
                                    if count else self.tr("Không có lỗi."))
        self.problems.setVisible(bool(count))

    def chosen(self) -> list[Framework]:
        out = []
        for i, entry in enumerate(self.entries):
            item = self.sets.topLevelItem(i)
            if (entry.framework is not None and item is not None
                    and item.checkState(0) == Qt.CheckState.Checked and not self._entry_problems(entry)):
                out.append(entry.framework)
        return out

    def conflict(self) -> str:
        """Why the ticked sets cannot make the project ("" when they can): the service's own check."""
        try:
            check_sets([self.year], self.chosen())
        except UserError as exc:
            return str(exc)
        return ""

    def _check(self) -> None:
        self.status.setText(self.conflict())
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.loading is None and not self.conflict()

    # --- the province's files -----------------------------------------------------------------------
    def browse(self) -> None:
        names = open_files(self, self.tr("Bộ tiêu chí của tỉnh"),
                           self.tr("Bộ tiêu chí (%1)").replace("%1", SET_FILES))
        if names:
            self.add_files(names)

    def add_files(self, names: list[str]) -> Job:
        """Load and check the files off the GUI thread; each becomes a row (ticked when it has no problem)."""
        known = {e.source for e in self.files}
        paths = [str(Path(n)) for n in names if str(Path(n)) not in known]
        self.add_button.setEnabled(False)
        self.status.setText(self.tr("Đang kiểm tra %1 tệp…").replace("%1", str(len(paths))))
        op = ReadOp(self, lambda job: [_load(p) for p in paths])
        self.loading = op.success(self._loaded).failure(self._load_failed).run()
        self.completeChanged.emit()
        return self.loading

    def _ticked(self) -> set[str]:
        out = set()
        for i, entry in enumerate(self.entries):
            item = self.sets.topLevelItem(i)
            if item is not None and item.checkState(0) == Qt.CheckState.Checked:
                out.add(entry.source or (entry.framework.identity if entry.framework else ""))
        return out

    def _loaded(self, entries: list[SetEntry]) -> None:
        ticked = self._ticked() | {e.source for e in entries}
        self.files.extend(entries)
        self._finish_loading(ticked)

    def _load_failed(self, exc: BaseException) -> None:
        self._finish_loading(self._ticked())
        self.status.setText(_text(exc))

    def _finish_loading(self, ticked: set[str]) -> None:
        self.loading = None
        self.add_button.setEnabled(True)
        self._fill(ticked)


def _load(path: str) -> SetEntry:
    """A file as a row: its set, or every problem found in it (worker thread)."""
    try:
        return SetEntry(path, load_framework(path), [])
    except FrameworkInvalid as exc:
        return SetEntry(path, None, [str(p) for p in exc.problems])
    except (UserError, Coded) as exc:  # a workbook beyond the limits, a file that cannot be read
        return SetEntry(path, None, [f"{path}: {exc}"])
    except OSError as exc:
        return SetEntry(path, None, [Message("common.cannot_read", {"path": path,
                                                                    "error": exc.strerror or exc}).render()])


class UnitsPage(QWizardPage):
    """The province's units: none now (added later in Tệp › Đơn vị…) or an Excel list, checked here by the
    import's own dry run against an empty project with the sets chosen (``project_setup.check_unit_list``):
    every problem listed with its row and column, and only a clean list lets the wizard go on."""

    def __init__(self, place: PlacePage, sets: SetsPage, parent: QWidget | None = None):
        super().__init__(parent)
        self.place, self.sets_page = place, sets
        self.setTitle(self.tr("Đơn vị"))
        self.setSubTitle(self.tr("Các đơn vị được đánh giá: nhập danh sách từ tệp Excel (trang tính units, "
                                 "như tệp xuất từ cửa sổ Đơn vị), hoặc để sau."))
        self.later = QRadioButton(self.tr("Chưa có danh sách: thêm sau trong Tệp › Đơn vị…"))
        self.from_file = QRadioButton(self.tr("Từ danh sách Excel"))
        self.later.setChecked(True)
        self.later.toggled.connect(lambda _on: self._chosen())
        self.file = QLineEdit()
        self.file.setReadOnly(True)
        self.browse_button = QPushButton(self.tr("Chọn tệp…"))
        self.browse_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.from_file)
        row.addWidget(self.file, 1)
        row.addWidget(self.browse_button)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.lines = QListWidget()
        self.lines.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.later)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines, 1)
        self.path: Path | None = None
        self.ok = False
        """Whether the list at ``path`` passed the check for the year and sets it was checked with."""
        self.checked_for: tuple[int, tuple[str, ...]] | None = None
        self.loading: Job | None = None
        self._chosen()

    def _key(self) -> tuple[int, tuple[str, ...]]:
        return self.place.year.value(), tuple(fw.identity for fw in self.sets_page.chosen())

    def initializePage(self) -> None:
        # another year or other sets since the list was checked: check it again (its kinds may be unknown)
        if self.path is not None and self.checked_for != self._key():
            self.check(self.path)

    def _chosen(self) -> None:
        on = self.from_file.isChecked()
        self.file.setEnabled(on)
        self.browse_button.setEnabled(on)
        self.summary.setVisible(on)
        self.lines.setVisible(on)
        self.completeChanged.emit()

    def browse(self) -> None:
        name = open_file(self, self.tr("Danh sách đơn vị"), self.tr("Excel (*.xlsx)"))
        if name:
            self.check(Path(name))

    def check(self, path: Path) -> Job:
        """The import's dry run on an empty in-memory project with the year and sets chosen (worker)."""
        self.from_file.setChecked(True)
        self.path, self.ok = path, False
        self.file.setText(str(path))
        self.summary.setStyleSheet("")
        self.summary.setText(self.tr("Đang kiểm tra %1…").replace("%1", path.name))
        self.lines.clear()
        year, sets = self.place.year.value(), self.sets_page.chosen()
        self.checked_for = self._key()

        def dry_run(_job: Job) -> UnitImportReport:
            return check_unit_list(path, year, sets)

        self.loading = ReadOp(self, dry_run).success(self._checked).failure(self._refused).run()
        self.completeChanged.emit()
        return self.loading

    def _checked(self, report: UnitImportReport) -> None:
        self.loading = None
        lines = report.lines()
        self.summary.setText(lines[0].render())
        self.lines.addItems([m.render() for m in lines[1:] if m.code != "units.import_dry_run"])
        self.ok = bool(report.new)
        if not self.ok:
            self.summary.setStyleSheet(ERROR_STYLE)
            self.summary.setText(self.tr("Tệp không có đơn vị nào."))
        self.completeChanged.emit()

    def _refused(self, exc: BaseException) -> None:
        self.loading = None
        self.summary.setStyleSheet(ERROR_STYLE)
        if isinstance(exc, Coded):
            self.summary.setText(messages.render(exc.message))
            self.lines.addItems([messages.render(d) for d in exc.details])
        else:
            self.summary.setText(_text(exc))
        self.completeChanged.emit()

    def units(self) -> Path | None:
        return self.path if self.from_file.isChecked() else None

    def isComplete(self) -> bool:
        return self.later.isChecked() or (self.loading is None and self.ok)


class SummaryPage(QWizardPage):
    def __init__(self, wizard: NewProjectWizard, parent: QWidget | None = None):
        super().__init__(parent)
        self.wiz = wizard
        self.setTitle(self.tr("Kiểm tra lại và tạo dự án"))
        self.setSubTitle(self.tr("Dự án được tạo và mở khi bấm «Tạo dự án»; bấm «Huỷ» thì không có gì thay "
                                 "đổi."))
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop)
        QVBoxLayout(self).addWidget(self.text)
        self.setFinalPage(True)

    def initializePage(self) -> None:
        new = self.wiz.new_project()
        e = html.escape
        rows = [
            (self.tr("Năm đánh giá"), e(str(new.year))),
            (self.tr("Tên dự án"), e(new.name)),
            (self.tr("Tệp dự án"), e(str(new.path))),
            (self.tr("Tỉnh, thành phố"), e(new.province) or "—"),
            (self.tr("Cơ quan ban hành"), "<br>".join(e(b) for b in new.report_setup["issuing_body"]) or "—"),
            (self.tr("Địa danh"), e(new.report_setup["place"]) or "—"),
            (self.tr("Bộ tiêu chí"), "<br>".join(
                e(f"{fw.identity} — {fw.title} ({', '.join(kind_label(k) for k in fw.unit_kinds)})")
                for fw in new.sets)),
            (self.tr("Đơn vị"), e(self.wiz.units_page.summary.text()) if new.units is not None
             else e(self.tr("thêm sau"))),
        ]
        self.text.setText("<table cellspacing=6>" + "".join(
            f"<tr><td><b>{e(k)}</b></td><td>{v}</td></tr>" for k, v in rows) + "</table>")


class NewProjectWizard(QWizard):
    """Gathers a ``NewProject``; ``accepted`` means "create it" (see ``MainWindow.create_dialog``)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Tạo dự án mới"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)  # the same look on every platform
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage)
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("Tạo dự án"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("Tiếp >"))
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< Quay lại"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("Huỷ"))
        self.place_page = PlacePage()
        self.province_page = ProvincePage()
        self.sets_page = SetsPage(self.place_page)
        self.units_page = UnitsPage(self.place_page, self.sets_page)
        self.summary_page = SummaryPage(self)
        self.setPage(PAGES["place"], self.place_page)
        self.setPage(PAGES["province"], self.province_page)
        self.setPage(PAGES["sets"], self.sets_page)
        self.setPage(PAGES["units"], self.units_page)
        self.setPage(PAGES["summary"], self.summary_page)
        self.resize(860, 600)

    def new_project(self) -> NewProject:
        place = self.place_page
        return NewProject(path=place.target(), year=place.year.value(), name=place.name.text().strip(),
                          province=self.province_page.province.text().strip(), sets=self.sets_page.chosen(),
                          report_setup=self.province_page.setup(), units=self.units_page.units())
