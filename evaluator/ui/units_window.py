"""The "Đơn vị" window: the project's units in a table (filtered by kind, retired ones on request); adding
and editing a unit in a small form, retiring one and bringing it back; the unit list imported from Excel
(checked first by the service's dry run: every problem with its sheet, row and column is listed, and only a
clean file can be applied) and exported to Excel.

No business logic here: every check and every write is ``services.units`` / ``services.unit_sheets``;
writes go through ``WriteOp`` and the table reloads from the ``Change`` they announce (``ctx.changed``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from evaluator import messages
from evaluator.errors import UserError
from evaluator.fields import LIMITS
from evaluator.messages import Message
from evaluator.services.approval import unit_statuses
from evaluator.services.changes import Change
from evaluator.services.unit_sheets import UnitImportReport, export_units, import_units
from evaluator.services.units import (
    UnitDetails,
    UnitInfo,
    add_unit,
    edit_unit,
    list_units,
    project_kinds,
    retire_unit,
)
from evaluator.services.users import Actor
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import open_file, save_file
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.labels import kind_label, unit_status_label
from evaluator.ui.operations import Job, ReadOp, WriteOp, error_text
from evaluator.ui.table_models import ROW_ROLE, RowsModel, RowsView

CODE, NAME, SHORT, KIND, PARENT, GROUP, ABBREVIATION, HEAD, RETIRED = range(9)
TEXTS = ("short_name", "ranking_group", "abbreviation", "head_title")
"""The optional free-text fields of the form, in its order (after code, name, kind, parent)."""


class UnitDialog(QDialog):
    """The form of one unit (add: empty; edit: its details). ``submit(details)`` writes it; the form
    closes when the write succeeds and shows the service's problems when it is refused."""

    def __init__(self, kinds: list[str], codes: list[str], submit: Callable[[UnitDetails, UnitDialog], Any],
                 unit: UnitInfo | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.submit = submit
        self.unit = unit
        """The unit edited (None: a new one)."""
        self.setWindowTitle(self.tr("Thêm đơn vị") if unit is None else
                            self.tr("Sửa đơn vị %1").replace("%1", unit.code))
        self.setMinimumWidth(520)
        form = QFormLayout(self)
        self.code = QLineEdit(unit.code if unit else "")
        self.code.setMaxLength(LIMITS["unit.code"])
        self.name = QLineEdit(unit.name if unit else "")
        self.name.setMaxLength(LIMITS["unit.name"])
        self.kind = QComboBox()
        for k in kinds:
            self.kind.addItem(kind_label(k), k)
        if unit is not None:
            if self.kind.findData(unit.kind) < 0:  # a kind no set knows any more: shown, so nothing changes
                self.kind.addItem(kind_label(unit.kind), unit.kind)
            self.kind.setCurrentIndex(self.kind.findData(unit.kind))
        self.parent_code = QComboBox()
        self.parent_code.addItem(self.tr("(không có)"), "")
        for c in codes:
            if unit is None or c != unit.code:
                self.parent_code.addItem(c, c)
        if unit is not None and unit.parent_code:
            if self.parent_code.findData(unit.parent_code) < 0:
                self.parent_code.addItem(unit.parent_code, unit.parent_code)
            self.parent_code.setCurrentIndex(self.parent_code.findData(unit.parent_code))
        self.texts: dict[str, QLineEdit] = {}
        for name in TEXTS:
            edit = QLineEdit(getattr(unit, name) if unit else "")
            edit.setMaxLength(LIMITS[f"unit.{name}"])
            self.texts[name] = edit
        form.addRow(self.tr("Mã"), self.code)
        form.addRow(self.tr("Tên"), self.name)
        form.addRow(self.tr("Loại đơn vị"), self.kind)
        form.addRow(self.tr("Đơn vị cấp trên"), self.parent_code)
        labels = (self.tr("Tên ngắn"), self.tr("Nhóm xếp hạng"), self.tr("Viết tắt"),
                  self.tr("Chức danh thủ trưởng"))
        for name, label in zip(TEXTS, labels, strict=True):
            form.addRow(label, self.texts[name])
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        # our own words, not Qt's: Qt ships no Vietnamese for its standard buttons
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("Lưu"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Huỷ"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form.addRow(self.buttons)

    def details(self) -> UnitDetails:
        return UnitDetails(code=self.code.text().strip(), name=self.name.text().strip(),
                           kind=str(self.kind.currentData() or ""),
                           parent_code=str(self.parent_code.currentData()),
                           **{name: edit.text().strip() for name, edit in self.texts.items()})

    def save(self) -> None:
        self.error.clear()
        self.buttons.setEnabled(False)
        self.submit(self.details(), self)

    def refused(self, exc: BaseException) -> None:
        self.buttons.setEnabled(True)
        self.error.setText(error_text(exc))


class ImportPreview(QDialog):
    """What importing a unit list would do (the service's dry run), or every problem it found, one per line
    with its sheet, row and column. "Nhập" applies a clean file; a file with problems cannot be applied."""

    def __init__(self, path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.path = path
        self.setWindowTitle(self.tr("Nhập danh sách đơn vị: %1").replace("%1", path.name))
        self.resize(820, 480)
        self.summary = QLabel(self.tr("Đang kiểm tra %1…").replace("%1", path.name))
        self.summary.setWordWrap(True)
        self.lines = QListWidget()
        self.lines.setWordWrap(True)
        self.lines.setObjectName("unit-import-lines")
        self.buttons = QDialogButtonBox()
        self.apply_button = QPushButton(self.tr("Nhập"))
        self.apply_button.setEnabled(False)
        self.buttons.addButton(self.apply_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.lines, 1)
        layout.addWidget(self.buttons)
        self.report: UnitImportReport | None = None

    def checked(self, report: UnitImportReport) -> None:
        self.report = report
        lines = report.lines()
        self.summary.setStyleSheet("")
        self.summary.setText(lines[0].render())
        self.lines.clear()
        self.lines.addItems([m.render() for m in lines[1:]])
        changes = bool(report.new or report.updated or report.assessed)
        self.apply_button.setEnabled(changes)
        if not changes:
            self.lines.addItem(self.tr("Không có gì để nhập: mọi đơn vị trong tệp đã có, không đổi."))

    def refused(self, exc: BaseException) -> None:
        """Every problem on a line of its own (the service names each one's file, sheet, row, column)."""
        self.report = None
        self.apply_button.setEnabled(False)
        self.summary.setStyleSheet(ERROR_STYLE)
        self.lines.clear()
        if isinstance(exc, UserError):
            self.summary.setText(messages.render(exc.message))
            self.lines.addItems([messages.render(d) for d in exc.details])
        else:
            self.summary.setText(error_text(exc))

    def done_applying(self, report: UnitImportReport) -> None:
        self.summary.setStyleSheet(OK_STYLE)
        self.summary.setText(report.lines()[0].render())
        self.apply_button.setEnabled(False)


class UnitsWindow(QMainWindow):
    """The project's units; the toolbar acts on the unit chosen in the table."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.ctx = ctx
        self.job: Job | None = None
        self.dialog: QDialog | None = None
        # "Danh sách đơn vị", not "Đơn vị": the catalogue's English for that one is the singular "Unit"
        self.setWindowTitle(self.tr("Danh sách đơn vị"))
        self.resize(1200, 690)  # with its title bar, above the taskbar of a 1366×768 screen
        self.toolbar = QToolBar(self.tr("Danh sách đơn vị"))
        self.toolbar.setObjectName("units-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.add_action = self._action(self.tr("Thêm…"), self.add_dialog)
        self.edit_action = self._action(self.tr("Sửa…"), self.edit_dialog)
        self.retire_action = self._action(self.tr("Thôi sử dụng"), self.toggle_retired)
        self.toolbar.addSeparator()
        self.import_action = self._action(self.tr("Nhập từ Excel…"), self.import_dialog)
        self.export_action = self._action(self.tr("Xuất ra Excel…"), self.export)
        self.kind = QComboBox()
        self.kind.currentIndexChanged.connect(lambda _i: self.reload())
        self.show_retired = QCheckBox(self.tr("Hiện cả đơn vị đã thôi sử dụng"))
        self.show_retired.toggled.connect(lambda _on: self.reload())
        self.count = QLabel()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Loại đơn vị:")))
        filters.addWidget(self.kind)
        filters.addWidget(self.show_retired)
        filters.addStretch(1)
        filters.addWidget(self.count)
        headers = [self.tr("Mã"), self.tr("Tên"), self.tr("Tên ngắn"), self.tr("Loại"), self.tr("Cấp trên"),
                   self.tr("Nhóm xếp hạng"), self.tr("Viết tắt"), self.tr("Chức danh thủ trưởng"),
                   self.tr("Thôi sử dụng từ"), self.tr("Tình trạng (năm gần nhất)")]
        self.statuses: dict[str, str] = {}
        """Each unit's status in the latest year it is assessed in (``approval.unit_statuses``)."""
        self.model = RowsModel(headers, self._cells, tooltips=(NAME,), foreground=self._colour, parent=self)
        self.table = RowsView(stretch=NAME, row_height=24)
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.table.doubleClicked.connect(lambda _index: self.edit_dialog())
        self.status = QLabel()
        self.status.setWordWrap(True)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(body)
        self.kinds: list[str] = []
        ctx.changed.connect(self._changed)
        self._fill_kinds()
        self.reload()

    def _action(self, text: str, slot: Callable[[], Any]) -> QAction:
        action = QAction(text, self)
        action.triggered.connect(lambda _checked=False: slot())
        self.toolbar.addAction(action)
        return action

    # --- the table -------------------------------------------------------------------------------------
    def _cells(self, u: UnitInfo) -> list[str]:
        status = self.statuses.get(u.code)
        return [u.code, u.name, u.short_name, kind_label(u.kind), u.parent_code, u.ranking_group,
                u.abbreviation, u.head_title, "" if u.retired_at is None else f"{u.retired_at:%Y-%m-%d}",
                "" if status is None else f"{unit_status_label(status)} ({u.years[-1]})"]

    @staticmethod
    def _colour(u: UnitInfo, _column: int) -> QColor | None:
        return QColor("#757575") if u.retired else None

    def _fill_kinds(self) -> None:
        chosen = self.kind.currentData()
        self.kinds = self.ctx.read(project_kinds) if self.ctx.project is not None else []
        self.kind.blockSignals(True)
        self.kind.clear()
        self.kind.addItem(self.tr("Tất cả"), None)
        for k in self.kinds:
            self.kind.addItem(kind_label(k), k)
        self.kind.setCurrentIndex(max(0, self.kind.findData(chosen)))
        self.kind.blockSignals(False)

    def reload(self) -> None:
        chosen = self.current()
        kind = self.kind.currentData()
        retired = self.show_retired.isChecked()
        units = (self.ctx.read(lambda s: list_units(s, include_retired=retired, kind=kind))
                 if self.ctx.project is not None else [])
        latest = sorted({u.years[-1] for u in units if u.years})
        self.statuses = {}
        if latest:
            by_year = self.ctx.read(lambda s: {y: unit_statuses(s, y) for y in latest})
            self.statuses = {u.code: by_year[u.years[-1]][u.code] for u in units
                             if u.years and u.code in by_year[u.years[-1]]}
        self.model.set_rows(units)
        self.count.setText(self.tr("%1 đơn vị").replace("%1", str(len(units))))
        if chosen is not None:
            self.select(chosen.code)
        self._enable()

    def _changed(self, change: Change, _initiator: object) -> None:
        # a closed window is not deleted (its owner keeps it): it need not follow; reopening makes a new one
        if self.isVisible() and (change.units or change.frameworks or change.assessments):
            if change.frameworks:
                self._fill_kinds()
            self.reload()

    def units(self) -> list[UnitInfo]:
        return list(self.model.rows)

    def current(self) -> UnitInfo | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self.model.data(rows[0], ROW_ROLE) if rows else None

    def select(self, code: str) -> bool:
        for r, u in enumerate(self.model.rows):
            if u.code == code:
                # not selectRow: it follows the keyboard's modifiers, and with Ctrl held (or left held by
                # a key event) it toggles the row off instead of choosing it
                index = self.model.index(r, 0)
                flags = (QItemSelectionModel.SelectionFlag.ClearAndSelect
                         | QItemSelectionModel.SelectionFlag.Rows)
                self.table.selectionModel().setCurrentIndex(index, flags)
                return True
        self.table.clearSelection()
        return False

    def _enable(self) -> None:
        unit = self.current()
        has_project = self.ctx.project is not None
        for action in (self.add_action, self.import_action, self.export_action):
            action.setEnabled(has_project)
        self.edit_action.setEnabled(unit is not None)
        self.retire_action.setEnabled(unit is not None)
        self.retire_action.setText(self.tr("Khôi phục") if unit is not None and unit.retired
                                   else self.tr("Thôi sử dụng"))

    def _say(self, text: str, ok: bool = True) -> None:
        self.status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.status.setText(text)

    # --- writes ----------------------------------------------------------------------------------------
    def _write(self, fn: Callable[[Any, Actor], Change], done: Callable[[Change], None],
               failed: Callable[[BaseException], None], busy: str) -> Job:
        """One service call in a write session on the writer thread, as the user (``ctx.who``)."""
        assert self.ctx.project is not None
        project, actor = self.ctx.project, Actor(**self.ctx.who)

        def work(_job: Job) -> Change:
            with project.session(write=True) as session:
                return fn(session, actor)

        self.job = WriteOp(self, work, ctx=self.ctx, busy=busy, initiator=self).success(done) \
            .failure(failed).run()
        return self.job

    def _form(self, unit: UnitInfo | None) -> UnitDialog:
        codes = [u.code for u in self.ctx.read(lambda s: list_units(s, include_retired=True))]
        kinds = self.kinds or self.ctx.read(project_kinds)
        submit = self._submit_add if unit is None else self._submit_edit
        dialog = UnitDialog(kinds, codes, submit, unit, self)
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_dialog(self) -> UnitDialog | None:
        return self._form(None) if self.ctx.project is not None else None

    def edit_dialog(self) -> UnitDialog | None:
        unit = self.current()
        return self._form(unit) if unit is not None else None

    def _submit_add(self, details: UnitDetails, dialog: UnitDialog) -> Job:
        def done(_change: Change) -> None:
            self.job = None
            dialog.accept()
            self.select(details.code)
            self._say(Message("units.added", {"code": details.code}).render())

        return self._write(lambda s, actor: add_unit(s, details, actor=actor), done, self._refused(dialog),
                           self.tr("thêm đơn vị"))

    def _submit_edit(self, details: UnitDetails, dialog: UnitDialog) -> Job:
        unit = dialog.unit  # the one the form was opened for, whatever the table shows meanwhile
        assert unit is not None
        old = unit.details()
        # only the fields the user changed: the service checks each against the unit's history
        changes = {name: value for name, value in vars(details).items() if getattr(old, name) != value}

        def done(change: Change) -> None:
            self.job = None
            dialog.accept()
            self.select(details.code)
            key = "units.unchanged" if change.empty else "units.changed"
            self._say(Message(key, {"code": details.code}).render())

        return self._write(lambda s, actor: edit_unit(s, unit.code, changes, actor=actor), done,
                           self._refused(dialog), self.tr("sửa đơn vị"))

    def _refused(self, dialog: UnitDialog) -> Callable[[BaseException], None]:
        def failed(exc: BaseException) -> None:
            self.job = None
            dialog.refused(exc)

        return failed

    def toggle_retired(self) -> Job | None:
        """Retire the unit chosen, or bring it back when it is retired."""
        unit = self.current()
        if unit is None:
            return None
        undo = unit.retired

        def done(_change: Change) -> None:
            self.job = None
            self._say(Message("units.restored" if undo else "units.retired", {"code": unit.code}).render())

        busy = self.tr("khôi phục đơn vị") if undo else self.tr("cho đơn vị thôi sử dụng")
        return self._write(lambda s, actor: retire_unit(s, unit.code, actor=actor, undo=undo), done,
                           self._failed, busy)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self._say(error_text(exc), ok=False)

    # --- Excel -----------------------------------------------------------------------------------------
    def import_dialog(self, source: str | Path | None = None) -> ImportPreview | None:
        """Check a unit list (the service's dry run) and show what it would do, or every problem."""
        if self.ctx.project is None:
            return None
        if source is None:
            source = open_file(self, self.tr("Nhập danh sách đơn vị từ Excel"), self.tr("Excel (*.xlsx)"))
            if not source:
                return None
        path = Path(source)
        preview = ImportPreview(path, self)
        preview.apply_button.clicked.connect(lambda: self._apply(preview))
        self.dialog = preview
        preview.open()
        project, s = self.ctx.project, self.ctx.settings

        def check(_job: Job) -> UnitImportReport:
            return import_units(project, path, author=s.name, role=s.role, dry_run=True)

        def checked(report: UnitImportReport) -> None:
            self.job = None
            preview.checked(report)

        def refused(exc: BaseException) -> None:
            self.job = None
            preview.refused(exc)

        self.job = ReadOp(self, check).success(checked).failure(refused).run()
        return preview

    def _apply(self, preview: ImportPreview) -> Job:
        assert self.ctx.project is not None
        preview.apply_button.setEnabled(False)
        project, s, path = self.ctx.project, self.ctx.settings, preview.path

        def work(_job: Job) -> UnitImportReport:
            return import_units(project, path, author=s.name, role=s.role)

        def done(report: UnitImportReport) -> None:
            self.job = None
            preview.done_applying(report)
            self._say(report.lines()[0].render())

        def refused(exc: BaseException) -> None:
            self.job = None
            preview.refused(exc)

        self.job = WriteOp(self, work, ctx=self.ctx, busy=self.tr("nhập danh sách đơn vị"), initiator=self,
                           deliver_late=True).success(done).failure(refused).run()
        return self.job

    def export(self, target: str | Path | None = None) -> Job | None:
        """Write the units (the retired ones too when they are shown) as the sheet the import reads."""
        if self.ctx.project is None:
            return None
        if target is None:
            target = save_file(self, self.tr("Xuất danh sách đơn vị ra Excel"), "don-vi.xlsx",
                               self.tr("Excel (*.xlsx)"))
            if not target:
                return None
        out = Path(target).with_suffix(".xlsx")
        project, retired = self.ctx.project, self.show_retired.isChecked()

        def done(count: int) -> None:
            self.job = None
            self._say(Message("units.exported", {"count": count, "path": out}).render())

        self.job = ReadOp(self, lambda _job: export_units(project, out, include_retired=retired)) \
            .success(done).failure(self._failed).run()
        return self.job
