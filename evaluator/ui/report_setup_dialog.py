"""The people and places printed in the documents (project setting ``reports``, docs/reports.md): the council
(with its appraisal meeting: start, end, place) on one tab; each unit's representatives, its own meeting,
the council's conclusions and the unit's opinion on the other. Every person has a form of address (Ông/Bà).
In a project with districts the council tab has a council selector: the provincial council, or the council
of a district (which appraises the district's communes in years with districts).

A value the service refuses is shown beside its field (and the whole list under the tabs); the tab and unit
or council of the first problem are brought forward.

The dialog edits a copy of the whole setting and stores nothing until "Lưu"; checking and storing are
``services.report_setup``'s (all or nothing, audited).
"""

from __future__ import annotations

import copy
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator.errors import Problems, UserError
from evaluator.messages import Message
from evaluator.messages import render as render_message
from evaluator.services.report_data import district_defaults, document_meta
from evaluator.services.report_setup import (
    ADDRESSES,
    DISTRICTS,
    MEETING,
    MEETING_KEYS,
    MEETINGS,
    council_filled,
    empty_council,
    empty_meeting,
    normalise,
    report_setup,
    set_report_setup,
    setup_districts,
    setup_units,
)
from evaluator.ui.context import AppContext
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE

TIME_HINT = "YYYY-MM-DD HH:MM"
END_HINT = "HH:MM | YYYY-MM-DD HH:MM"


class _LiveDelegate(QStyledItemDelegate):
    """Commits a cell as it is typed: "Lưu" (or switching unit) while a cell is still being edited keeps what
    was typed there, rather than the cell's old text."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(lambda _text: self.commitData.emit(editor))
        return editor


def address_box() -> QComboBox:
    """Ông / Bà / not said (the minutes then write "Ông/Bà"); the forms are Vietnamese in every language, as
    the documents print them."""
    box = QComboBox()
    box.addItem("—", "")
    for address in ADDRESSES:
        box.addItem(address, address)
    return box


def set_address(box: QComboBox, address: str) -> None:
    box.setCurrentIndex(max(0, box.findData(address or "")))


class PeopleTable(QWidget):
    """A table of people (one column per text field, then their form of address, Ông/Bà) with add / remove
    buttons; rows with no text are not people."""

    def __init__(self, fields: tuple[str, ...], headers: list[str], add_text: str,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.fields = fields
        """The text fields (the address column after them is a choice)."""
        self.table = QTableWidget(0, len(fields) + 1)
        self.table.setHorizontalHeaderLabels([*headers, self.tr("Ông/Bà")])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(len(fields), QHeaderView.ResizeMode.ResizeToContents)
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
        box = address_box()
        set_address(box, (person or {}).get("address", ""))
        self.table.setCellWidget(row, len(self.fields), box)
        if edit:  # a new row: start typing the name at once
            self.table.setCurrentCell(row, 0)
            self.table.editItem(items[0])
        return row

    def address(self, row: int) -> QComboBox:
        box = self.table.cellWidget(row, len(self.fields))
        assert isinstance(box, QComboBox)
        return box

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
                if address := self.address(row).currentData():
                    person["address"] = address
                out.append(person)
        return out


class MeetingFields(QWidget):
    """A meeting: start ("YYYY-MM-DD HH:MM"), end ("HH:MM" the same day, or a date and time) and place, as
    text checked by the service (the same forms as ``report-setup --set``), each with its error beside it."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.start, self.end, self.place = QLineEdit(), QLineEdit(), QLineEdit()
        self.start.setPlaceholderText(TIME_HINT)
        self.end.setPlaceholderText(END_HINT)
        self.errors = {key: error_label() for key in MEETING_KEYS}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel(self.tr("Bắt đầu")), 0, 0)
        grid.addWidget(self.start, 0, 1)
        grid.addWidget(QLabel(self.tr("Kết thúc")), 0, 2)
        grid.addWidget(self.end, 0, 3)
        grid.addWidget(self.errors["start"], 1, 1)
        grid.addWidget(self.errors["end"], 1, 3)
        grid.addWidget(QLabel(self.tr("Địa điểm")), 2, 0)
        grid.addWidget(self.place, 2, 1, 1, 3)
        grid.addWidget(self.errors["place"], 3, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)

    def edits(self) -> dict[str, QLineEdit]:
        return {"start": self.start, "end": self.end, "place": self.place}

    def set_meeting(self, meeting: dict[str, str]) -> None:
        for key, edit in self.edits().items():
            edit.setText(meeting.get(key, ""))

    def meeting(self) -> dict[str, str]:
        return {key: edit.text().strip() for key, edit in self.edits().items()}


def error_label() -> QLabel:
    """The problem of one field, under it (hidden while there is none)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def checked(widget: QWidget, error: QLabel) -> QWidget:
    """``widget`` with its error label under it."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    layout.addWidget(widget)
    layout.addWidget(error)
    return box


def problem_place(where: str) -> tuple[str, str, str]:
    """Where a problem of the setting is shown: (tab "council"/"unit", council or unit code, field key) for
    a problem's ``where`` (``meetings.SO01.start``, ``district_councils.H01.council[2].name``, ``place``…)."""
    tab, code, rest = "council", "", where
    head, _, tail = where.partition(".")
    if head == DISTRICTS:
        code, _, rest = tail.partition(".")
    elif head in (MEETINGS, "representatives", "conclusions", "unit_opinions"):
        tab = "unit"
        code, _, rest = tail.partition(".")
        code = code.split("[")[0]
        rest = f"{MEETING}.{rest}" if head == MEETINGS else head
    first, _, sub = rest.partition(".")
    first = first.split("[")[0]
    key = f"{MEETING}.{sub}" if first == MEETING and sub in MEETING_KEYS else first
    return tab, code, key


class ReportSetupDialog(QDialog):
    """Edit the report setting: council tab, unit tab; "Lưu" stores the whole setting or nothing."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Thông tin trên văn bản (hội đồng, đơn vị)"))
        # fits a 1366×768 screen with the task bar and its own title bar (tests/test_ui_every_view.py)
        self.resize(900, 690)
        self.data: dict[str, Any] = ctx.read(report_setup)
        """The working copy of the whole setting (every unit), stored only by ``save``."""
        self.stored = copy.deepcopy(self.data)
        """The setting as stored, to tell whether closing would lose an edit."""
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
        self.errors: dict[tuple[str, str], QLabel] = {}
        """The error label of each field by (tab "council"/"unit", field key)."""
        self.problems: dict[tuple[str, str], dict[str, list[str]]] = {}
        """The last refused save's problems: (tab, council or unit code) → field key → texts."""

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
        # the list of a refused save can be long: it scrolls in a few lines over the buttons
        self.status_area = QScrollArea()
        self.status_area.setWidget(self.status)
        self.status_area.setWidgetResizable(True)
        self.status_area.setFrameShape(QFrame.Shape.NoFrame)
        self._fit_status()
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_area, 1)
        buttons.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignBottom)
        buttons.addWidget(close, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self._show()

    # --- building -----------------------------------------------------------------------------------
    def _checked(self, tab: str, key: str, widget: QWidget) -> QWidget:
        self.errors[(tab, key)] = label = error_label()
        return checked(widget, label)

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
        form.addRow(self.tr("Cơ quan ban hành (dòng 2)"),
                    self._checked("council", "issuing_body", self.body2))
        self.place = QLineEdit()
        self.number_suffix = QLineEdit()
        self.number_suffix.setPlaceholderText("BB-HĐTĐ")
        row = QWidget()  # place and number symbol side by side: the tab must fit a 1366×768 screen
        pair = QHBoxLayout(row)
        pair.setContentsMargins(0, 0, 0, 0)
        pair.addWidget(self._checked("council", "place", self.place), 1)
        pair.addWidget(QLabel(self.tr("Ký hiệu số văn bản")))
        pair.addWidget(self._checked("council", "number_suffix", self.number_suffix), 1)
        form.addRow(self.tr("Địa danh"), row)
        self.chair_name, self.chair_position = QLineEdit(), QLineEdit()
        self.secretary_name, self.secretary_position = QLineEdit(), QLineEdit()
        self.chair_address, self.secretary_address = address_box(), address_box()
        form.addRow(self.tr("Chủ tịch Hội đồng"), self._checked(
            "council", "chair", self._person_row(self.chair_name, self.chair_position, self.chair_address)))
        form.addRow(self.tr("Thư ký Hội đồng"), self._checked(
            "council", "secretary",
            self._person_row(self.secretary_name, self.secretary_position, self.secretary_address)))
        self.meeting = MeetingFields()
        for key in MEETING_KEYS:
            self.errors[("council", f"{MEETING}.{key}")] = self.meeting.errors[key]
        meeting = QGroupBox(self.tr("Cuộc họp thẩm định (in trong biên bản; mặc định cho mọi đơn vị)"))
        QVBoxLayout(meeting).addWidget(self.meeting)
        form.addRow(meeting)
        self.council = PeopleTable(
            ("name", "position", "role"),
            [self.tr("Họ và tên"), self.tr("Chức vụ"), self.tr("Vai trò trong Hội đồng")],
            self.tr("Thêm thành viên"),
        )
        group = QGroupBox(self.tr("Thành viên Hội đồng"))
        QVBoxLayout(group).addWidget(self._checked("council", "council", self.council))
        form.addRow(group)
        return page

    def _person_row(self, name: QLineEdit, position: QLineEdit, address: QComboBox) -> QWidget:
        """Form of address, name and position side by side, as the minutes print them."""
        name.setPlaceholderText(self.tr("Họ và tên"))
        position.setPlaceholderText(self.tr("Chức vụ"))
        address.setToolTip(self.tr("Cách xưng hô trong biên bản (Ông/Bà)"))
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(address)
        layout.addWidget(name, 1)
        layout.addWidget(position, 1)
        return row

    def _province_tab(self) -> QWidget:
        """Who signs the province's documents (the decision publishing the results, the analysis) and the
        submission the decision answers."""
        page = QWidget()
        form = QFormLayout(page)
        self.committee_name, self.committee_position = QLineEdit(), QLineEdit()
        self.committee_address, self.director_address = address_box(), address_box()
        form.addRow(self.tr("Chủ tịch UBND tỉnh (ký quyết định công bố)"),
                    self._person_row(self.committee_name, self.committee_position, self.committee_address))
        self.director_name, self.director_position = QLineEdit(), QLineEdit()
        form.addRow(self.tr("Giám đốc Sở Nội vụ (ký báo cáo phân tích)"),
                    self._person_row(self.director_name, self.director_position, self.director_address))
        self.submission_ref = QLineEdit()
        self.submission_ref.setPlaceholderText("45/TTr-SNV ngày 20/01/2025")
        form.addRow(self.tr("Tờ trình của Sở Nội vụ (số, ngày)"), self.submission_ref)
        return page

    def _province_people(self) -> tuple[tuple[str, QLineEdit, QLineEdit, QComboBox], ...]:
        return (("committee_chair", self.committee_name, self.committee_position, self.committee_address),
                ("home_affairs_director", self.director_name, self.director_position, self.director_address))

    def _show_province(self) -> None:
        for key, name, position, address in self._province_people():
            name.setText(self.data[key]["name"])
            position.setText(self.data[key]["position"])
            set_address(address, self.data[key].get("address", ""))
        self.submission_ref.setText(self.data["submission_ref"])

    def _keep_province(self) -> None:
        for key, name, position, address in self._province_people():
            self.data[key] = self._person(name, position, address)
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
        QVBoxLayout(group).addWidget(self._checked("unit", "representatives", self.representatives))
        form.addRow(group)
        self.unit_meeting = MeetingFields()
        for key in MEETING_KEYS:
            self.errors[("unit", f"{MEETING}.{key}")] = self.unit_meeting.errors[key]
        meeting = QGroupBox(self.tr("Cuộc họp thẩm định đơn vị (để trống: theo cuộc họp của Hội đồng)"))
        QVBoxLayout(meeting).addWidget(self.unit_meeting)
        form.addRow(meeting)
        self.conclusion = QPlainTextEdit()
        form.addRow(self.tr("Kết luận của Hội đồng"), self._checked("unit", "conclusions", self.conclusion))
        self.opinion = QPlainTextEdit()
        form.addRow(self.tr("Ý kiến của đơn vị"), self._checked("unit", "unit_opinions", self.opinion))
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
        for who, name, position, address in (
                ("chair", self.chair_name, self.chair_position, self.chair_address),
                ("secretary", self.secretary_name, self.secretary_position, self.secretary_address)):
            name.setText(d[who]["name"])
            position.setText(d[who]["position"])
            set_address(address, d[who].get("address", ""))
        self.meeting.set_meeting(d[MEETING])
        self.council.set_people(d["council"])
        self._show_problems("council", self._council_code)

    def _person(self, name: QLineEdit, position: QLineEdit, address: QComboBox) -> dict[str, str]:
        person = {"name": name.text().strip(), "position": position.text().strip()}
        return {**person, "address": address.currentData()} if address.currentData() else person

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
            "chair": self._person(self.chair_name, self.chair_position, self.chair_address),
            "secretary": self._person(self.secretary_name, self.secretary_position, self.secretary_address),
            "council": self.council.people(),
            MEETING: self.meeting.meeting(),
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
        self.unit_meeting.set_meeting(self.data[MEETINGS].get(code, empty_meeting()))
        self.conclusion.setPlainText(self.data["conclusions"].get(code, ""))
        self.opinion.setPlainText(self.data["unit_opinions"].get(code, ""))
        self._show_problems("unit", code or "")

    def _keep_unit(self) -> None:
        """What is typed for the unit shown goes into the working copy (empty entries are removed)."""
        code = self._unit_code
        if code is None:
            return
        meeting = self.unit_meeting.meeting()
        for key, value in (("representatives", self.representatives.people()),
                           (MEETINGS, meeting if any(meeting.values()) else None),
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

    # --- problems beside their fields ------------------------------------------------------------------
    def _show_problems(self, tab: str, code: str) -> None:
        shown = self.problems.get((tab, code), {})
        for (label_tab, key), label in self.errors.items():
            if label_tab == tab:
                label.setText("\n".join(shown.get(key, [])))
                label.setVisible(bool(shown.get(key)))

    def _place_problems(self, exc: UserError) -> None:
        """Each problem of a refused setting beside its field; the first one's tab, council or unit shown."""
        self.problems = {}
        first: tuple[str, str] | None = None
        for detail in exc.details:
            params = detail.params if isinstance(detail, Message) else {}
            where = params.get("where") or params.get("key")
            if not isinstance(where, str):
                continue
            tab, code, key = problem_place(where)
            self.problems.setdefault((tab, code), {}).setdefault(key, []).append(render_message(detail))
            first = first or (tab, code)
        if first is not None:
            tab, code = first
            if tab == "unit" and code != self._unit_code and self.unit.findData(code) >= 0:
                self.unit.setCurrentIndex(self.unit.findData(code))
            elif tab == "council" and code != self._council_code and self.council_of.findData(code) >= 0:
                self.council_of.setCurrentIndex(self.council_of.findData(code))
            self.tabs.setCurrentIndex(0 if tab == "council" else 1)
        self._show_problems("council", self._council_code)
        self._show_problems("unit", self._unit_code or "")

    # --- storing -------------------------------------------------------------------------------------
    def save(self) -> bool:
        """Store the whole setting; on a problem (or a busy project) say why and store nothing."""
        data = self.setup()
        try:
            self.ctx.run(lambda s: set_report_setup(s, data, **self.ctx.who))
        except UserError as exc:
            self._say(str(exc), ERROR_STYLE)
            self._place_problems(exc)
            return False
        self.problems = {}
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
        self._fit_status()

    def _fit_status(self) -> None:
        """The status as high as its text, up to five lines (then it scrolls)."""
        line = self.fontMetrics().lineSpacing()
        width = max(self.status_area.viewport().width(), 300)
        high = self.status.heightForWidth(width) if self.status.text() else line
        self.status_area.setFixedHeight(min(max(high, line), 5 * line) + 4)
