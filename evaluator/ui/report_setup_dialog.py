"""The people and places printed in the documents (project setting ``reports``, docs/reports.md): the council
on one tab, each unit's representatives, the council's conclusions and the unit's opinion on the other.
In a project with districts the council tab has a council selector: the provincial council, or the council
of a district (which appraises the district's communes in years with districts).

The dialog edits a copy of the whole setting and stores nothing until "Lưu"; checking and storing are
``services.report_setup``'s (all or nothing, audited).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator.errors import Problems, UserError
from evaluator.services.report_data import district_defaults, document_meta
from evaluator.services.report_setup import (
    DISTRICTS,
    council_filled,
    empty_council,
    normalise,
    report_setup,
    set_report_setup,
    setup_districts,
    setup_units,
)
from evaluator.ui.context import AppContext
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE


class _LiveDelegate(QStyledItemDelegate):
    """Commits a cell as it is typed: "Lưu" (or switching unit) while a cell is still being edited keeps what
    was typed there, rather than the cell's old text."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text: self.commitData.emit(editor))
        return editor


class PeopleTable(QWidget):
    """A table of people (one column per field) with add / remove buttons; empty rows are not people."""

    def __init__(self, fields: tuple[str, ...], headers: list[str], add_text: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = fields
        self.table = QTableWidget(0, len(fields))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setItemDelegate(_LiveDelegate(self.table))
        self.add_button = QPushButton(add_text)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button = QPushButton(self.tr("Xoá dòng"))
        self.remove_button.clicked.connect(self.remove_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)

    def set_people(self, people: list[dict[str, str]]) -> None:
        self.table.setRowCount(0)
        for person in people:
            self.add_row(person, edit=False)

    def add_row(self, person: dict[str, str] | None = None, *, edit: bool = True) -> int:
        row = self.table.rowCount()
        self.table.insertRow(row)
        items = [QTableWidgetItem((person or {}).get(key, "")) for key in self.fields]
        for col, item in enumerate(items):  # an item in every cell: people() never meets a None
            self.table.setItem(row, col, item)
        if edit:  # a new row: start typing the name at once
            self.table.setCurrentCell(row, 0)
            self.table.editItem(items[0])
        return row

    def remove_rows(self) -> None:
        rows = {i.row() for i in self.table.selectedIndexes()} or {self.table.currentRow()}
        for row in sorted(rows - {-1}, reverse=True):
            self.table.removeRow(row)

    def people(self) -> list[dict[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            cells = [self.table.item(row, col) for col in range(len(self.fields))]
            person = {key: (c.text().strip() if c else "") for key, c in zip(self.fields, cells, strict=True)}
            if any(person.values()):
                out.append(person)
        return out


class ReportSetupDialog(QDialog):
    """Edit the report setting: council tab, unit tab; "Lưu" stores the whole setting or nothing."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Thông tin trên văn bản (hội đồng, đơn vị)"))
        self.resize(820, 640)
        self.data: dict[str, Any] = ctx.read(report_setup)
        self.stored = copy.deepcopy(self.data)
        """The setting as stored, to tell whether closing would lose an edit."""
        """The working copy of the whole setting (every unit), stored only by ``save``."""
        # what the documents print when a field is left empty, shown as placeholders
        default = ctx.read(lambda s: document_meta(s, {}, "appraisal"))
        self.defaults = {"": (default.issuing_body, default.place)}
        self.districts = ctx.read(setup_districts)
        for code, name in self.districts:
            self.defaults[code] = district_defaults(name)
        self.units = ctx.read(setup_units)
        self._unit_code: str | None = None
        self._council_code = ""
        """The council shown on the council tab: '' the provincial council, else a district's code."""

        self.tabs = QTabWidget()
        self.tabs.addTab(self._council_tab(), self.tr("Hội đồng"))
        self.tabs.addTab(self._unit_tab(), self.tr("Đơn vị"))
        self.tabs.addTab(self._province_tab(), self.tr("Văn bản của tỉnh"))
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Lưu"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._show()

    # --- building -----------------------------------------------------------------------------------
    def _council_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.council_of = QComboBox()
        self.council_of.addItem(self.tr("Hội đồng thẩm định cấp tỉnh (sở, ngành, huyện)"), "")
        for code, name in self.districts:
            label = self.tr("Hội đồng thẩm định của %1 (các xã)").replace("%1", f"{code} — {name}")
            self.council_of.addItem(label, code)
        self.council_of.setVisible(bool(self.districts))  # no districts: only the provincial council
        self.council_of.currentIndexChanged.connect(self._council_changed)
        if self.districts:
            form.addRow(self.tr("Hội đồng"), self.council_of)
        self.body1, self.body2 = QLineEdit(), QLineEdit()
        form.addRow(self.tr("Cơ quan ban hành (dòng 1)"), self.body1)
        form.addRow(self.tr("Cơ quan ban hành (dòng 2)"), self.body2)
        self.place = QLineEdit()
        form.addRow(self.tr("Địa danh"), self.place)
        self.number_suffix = QLineEdit()
        self.number_suffix.setPlaceholderText("BB-HĐTĐ")
        form.addRow(self.tr("Ký hiệu số văn bản"), self.number_suffix)
        self.chair_name, self.chair_position = QLineEdit(), QLineEdit()
        self.secretary_name, self.secretary_position = QLineEdit(), QLineEdit()
        form.addRow(self.tr("Chủ tịch Hội đồng"), self._person_row(self.chair_name, self.chair_position))
        form.addRow(self.tr("Thư ký Hội đồng"),
                    self._person_row(self.secretary_name, self.secretary_position))
        self.council = PeopleTable(
            ("name", "position", "role"),
            [self.tr("Họ và tên"), self.tr("Chức vụ"), self.tr("Vai trò trong Hội đồng")],
            self.tr("Thêm thành viên"),
        )
        group = QGroupBox(self.tr("Thành viên Hội đồng"))
        QVBoxLayout(group).addWidget(self.council)
        form.addRow(group)
        return page

    def _person_row(self, name: QLineEdit, position: QLineEdit) -> QWidget:
        """Name and position side by side, as the signature block prints them."""
        name.setPlaceholderText(self.tr("Họ và tên"))
        position.setPlaceholderText(self.tr("Chức vụ"))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(name, 1)
        layout.addWidget(position, 1)
        return row

    def _province_tab(self) -> QWidget:
        """Who signs the province's documents (the decision publishing the results, the analysis) and the
        submission the decision answers."""
        page = QWidget()
        form = QFormLayout(page)
        self.committee_name, self.committee_position = QLineEdit(), QLineEdit()
        form.addRow(self.tr("Chủ tịch UBND tỉnh (ký quyết định công bố)"),
                    self._person_row(self.committee_name, self.committee_position))
        self.director_name, self.director_position = QLineEdit(), QLineEdit()
        form.addRow(self.tr("Giám đốc Sở Nội vụ (ký báo cáo phân tích)"),
                    self._person_row(self.director_name, self.director_position))
        self.submission_ref = QLineEdit()
        self.submission_ref.setPlaceholderText("45/TTr-SNV ngày 20/01/2025")
        form.addRow(self.tr("Tờ trình của Sở Nội vụ (số, ngày)"), self.submission_ref)
        return page

    def _province_people(self) -> tuple[tuple[str, QLineEdit, QLineEdit], ...]:
        return (("committee_chair", self.committee_name, self.committee_position),
                ("home_affairs_director", self.director_name, self.director_position))

    def _show_province(self) -> None:
        for key, name, position in self._province_people():
            name.setText(self.data[key]["name"])
            position.setText(self.data[key]["position"])
        self.submission_ref.setText(self.data["submission_ref"])

    def _keep_province(self) -> None:
        for key, name, position in self._province_people():
            self.data[key] = _addressed({"name": name.text().strip(), "position": position.text().strip()},
                                        [self.data[key]])
        self.data["submission_ref"] = self.submission_ref.text().strip()

    def _unit_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.unit = QComboBox()
        for code, name in self.units:
            self.unit.addItem(f"{code} — {name}", code)
        form.addRow(self.tr("Đơn vị"), self.unit)
        self.representatives = PeopleTable(
            ("name", "position"), [self.tr("Họ và tên"), self.tr("Chức vụ")], self.tr("Thêm người đại diện")
        )
        group = QGroupBox(self.tr("Đại diện đơn vị"))
        QVBoxLayout(group).addWidget(self.representatives)
        form.addRow(group)
        self.conclusion = QPlainTextEdit()
        form.addRow(self.tr("Kết luận của Hội đồng"), self.conclusion)
        self.opinion = QPlainTextEdit()
        form.addRow(self.tr("Ý kiến của đơn vị"), self.opinion)
        page.setEnabled(bool(self.units))
        self.unit.currentIndexChanged.connect(self._unit_changed)
        return page

    # --- working copy <-> widgets ----------------------------------------------------------------------
    def _show(self) -> None:
        self._show_council()
        self._show_province()
        self._unit_code = self.unit.currentData()
        self._show_unit()

    def _council(self, code: str) -> dict[str, Any]:
        return self.data if not code else self.data[DISTRICTS].get(code, empty_council())

    def _show_council(self) -> None:
        d = self._council(self._council_code)
        body, place = self.defaults.get(self._council_code, self.defaults[""])
        for edit, text in zip((self.body1, self.body2), [*body, "", ""], strict=False):
            edit.setPlaceholderText(text)
        self.place.setPlaceholderText(place)
        body = d["issuing_body"]
        self.body1.setText(body[0] if body else "")
        self.body2.setText(body[1] if len(body) > 1 else "")
        self.place.setText(d["place"])
        self.number_suffix.setText(d["number_suffix"])
        self.chair_name.setText(d["chair"]["name"])
        self.chair_position.setText(d["chair"]["position"])
        self.secretary_name.setText(d["secretary"]["name"])
        self.secretary_position.setText(d["secretary"]["position"])
        self.council.set_people(d["council"])

    def _keep_council(self) -> None:
        """What is typed for the council shown goes into the working copy (an empty district council is
        removed)."""
        code = self._council_code
        d = self._council(code)
        # lines past the second (from the command line) are kept: this dialog shows only two
        values = {
            "issuing_body": [t for t in (self.body1.text().strip(), self.body2.text().strip()) if t]
            + d["issuing_body"][2:],
            "place": self.place.text().strip(),
            "number_suffix": self.number_suffix.text().strip(),
            "chair": _addressed({"name": self.chair_name.text().strip(),
                                 "position": self.chair_position.text().strip()}, [d["chair"]]),
            "secretary": _addressed({"name": self.secretary_name.text().strip(),
                                     "position": self.secretary_position.text().strip()}, [d["secretary"]]),
            "council": [_addressed(p, d["council"]) for p in self.council.people()],
            "meeting": d["meeting"],  # set from the command line (evaluator report-setup); kept as it is
        }
        if not code:
            self.data.update(values)
        elif council_filled(values):
            self.data[DISTRICTS][code] = values
        else:
            self.data[DISTRICTS].pop(code, None)

    def _council_changed(self) -> None:
        self._keep_council()
        self._council_code = self.council_of.currentData() or ""
        self._show_council()

    def _show_unit(self) -> None:
        code = self._unit_code
        self.representatives.set_people(self.data["representatives"].get(code, []))
        self.conclusion.setPlainText(self.data["conclusions"].get(code, ""))
        self.opinion.setPlainText(self.data["unit_opinions"].get(code, ""))

    def _keep_unit(self) -> None:
        """What is typed for the unit shown goes into the working copy (empty entries are removed)."""
        code = self._unit_code
        if code is None:
            return
        old = self.data["representatives"].get(code, [])
        for key, value in (("representatives", [_addressed(p, old) for p in self.representatives.people()]),
                           ("conclusions", self.conclusion.toPlainText().strip()),
                           ("unit_opinions", self.opinion.toPlainText().strip())):
            if value:
                self.data[key][code] = value
            else:
                self.data[key].pop(code, None)

    def _unit_changed(self) -> None:
        self._keep_unit()
        self._unit_code = self.unit.currentData()
        self._show_unit()

    def setup(self) -> dict[str, Any]:
        """The whole setting as edited (a copy of the working copy with the widgets' values)."""
        self._keep_unit()
        self._keep_council()
        self._keep_province()
        return copy.deepcopy(self.data)

    # --- storing -------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the whole setting; on a problem (or a busy project) say why and store nothing."""
        data = self.setup()
        try:
            self.ctx.run(lambda s: set_report_setup(s, data, **self.ctx.who))
        except UserError as exc:
            self._say(str(exc), ERROR_STYLE)
            return False
        self.data = self.ctx.read(report_setup)  # the normal form, as the documents will read it
        self.stored = copy.deepcopy(self.data)
        self._show()
        self._say(self.tr("Đã lưu."), OK_STYLE)
        self.saved.emit()
        return True

    def edited(self) -> bool:
        """Whether the dialog shows something other than what is stored (compared in normal form)."""
        return normalise(self.setup(), Problems(), set()) != normalise(self.stored, Problems(), set())

    def reject(self) -> None:
        """Closing (Đóng, Esc, the window's ×) with unsaved edits asks first."""
        if self.edited():
            answer = QMessageBox.question(
                self, self.windowTitle(), self.tr("Lưu các thay đổi trước khi đóng?"),
                QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                | QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save)
            if answer == QMessageBox.StandardButton.Cancel:
                return
            if answer == QMessageBox.StandardButton.Save and not self.save():
                return
        super().reject()

    def closeEvent(self, event: Any) -> None:
        self.reject()
        event.ignore() if self.isVisible() else event.accept()

    def _say(self, text: str, style: str) -> None:
        self.status.setStyleSheet(style)
        self.status.setText(text)


def _addressed(person: dict[str, Any], before: list[dict[str, Any]]) -> dict[str, Any]:
    """``person`` with the form of address (Ông/Bà) the same name had before: this dialog does not show
    it (it is set from the command line), so editing here must not drop it."""
    for old in before:
        if old.get("address") and old.get("name") == person.get("name"):
            return {**person, "address": old["address"]}
    return person
