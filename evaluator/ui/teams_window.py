"""The "Tổ thẩm định và lịch" window: the committee's appraisal teams (who appraises which areas of which
units) and the year's stage dates — what ``evaluator teams add|edit|list`` and ``evaluator schedule`` do,
for a committee that does not use the command line. Every change goes through the same services
(``services.teams``, ``services.schedule``), with their checks, audit and messages; the window follows every
change of the project while open."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QPushButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evaluator.frameworks.model import STAGES
from evaluator.models.team_schema import EVERY_KIND
from evaluator.services import schedule as sched
from evaluator.services import teams
from evaluator.services import workspace as ws
from evaluator.services.changes import Change
from evaluator.services.units import list_units
from evaluator.services.users import Actor
from evaluator.ui.context import AppContext
from evaluator.ui.labels import kind_label, stage_label
from evaluator.ui.operations import error_text
from evaluator.ui.table_models import RowsModel, RowsView

CHECKED, UNCHECKED = Qt.CheckState.Checked, Qt.CheckState.Unchecked


class TeamDialog(QDialog):
    """Add a team, or edit one (``team`` given): name, member department, the areas of one unit kind (or
    of every kind) and its units (every unit, or those ticked)."""

    def __init__(self, ctx: AppContext, team: teams.TeamInfo | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.team = ctx, team
        self.setWindowTitle(self.tr("Sửa tổ thẩm định") if team else self.tr("Thêm tổ thẩm định"))
        self.resize(620, 640)
        self.choices = ctx.read(teams.area_choices)
        self.name = QLineEdit(team.name if team else "")
        self.department = QComboBox()
        self.department.setEditable(True)
        self.department.addItems(ctx.read(teams.council_departments))
        self.department.setCurrentText(team.department if team else "")
        self.kind = QComboBox()
        self.kind.addItem(self.tr("Mọi loại đơn vị"), EVERY_KIND)
        for k in self.choices:
            self.kind.addItem(kind_label(k), k)
        if team and team.areas and EVERY_KIND not in team.areas:  # a team set per kind: show its first
            self.kind.setCurrentIndex(max(0, self.kind.findData(next(iter(team.areas)))))
        self.kind.currentIndexChanged.connect(lambda _i: self._fill_areas())
        self.areas = QListWidget()
        self.areas.setObjectName("team-areas")
        self.all_units = QCheckBox(self.tr("Mọi đơn vị"))
        self.all_units.setChecked(not (team and team.units))
        self.units = QListWidget()
        self.units.setObjectName("team-units")
        chosen = set(team.units) if team else set()
        for u in ctx.read(list_units):
            item = QListWidgetItem(f"{u.code} — {u.name}")
            item.setData(Qt.ItemDataRole.UserRole, u.code)
            item.setCheckState(CHECKED if u.code in chosen else UNCHECKED)
            self.units.addItem(item)
        self.units.setEnabled(not self.all_units.isChecked())
        self.all_units.toggled.connect(lambda on: self.units.setEnabled(not on))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b91c1c")
        self.error.setObjectName("team-error")
        form = QFormLayout()
        form.addRow(self.tr("Tên tổ"), self.name)
        form.addRow(self.tr("Sở, ngành thành viên"), self.department)
        form.addRow(self.tr("Lĩnh vực của"), self.kind)
        std = QDialogButtonBox.StandardButton
        buttons = QDialogButtonBox(std.Save | std.Cancel)
        buttons.button(std.Save).setText(self.tr("Lưu"))
        buttons.button(std.Cancel).setText(self.tr("Huỷ"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Lĩnh vực được phân công")))
        layout.addWidget(self.areas, 1)
        layout.addWidget(self.all_units)
        layout.addWidget(self.units, 2)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._fill_areas()

    def _kind(self) -> str | None:
        kind = str(self.kind.currentData())
        return None if kind == EVERY_KIND else kind

    def _fill_areas(self) -> None:
        kind = self._kind()
        shown: dict[str, str] = {}
        for k, pairs in self.choices.items():
            if kind is None or k == kind:
                for code, title in pairs:
                    shown.setdefault(code, title)
        have = set(self.team.areas.get(kind or EVERY_KIND, [])) if self.team else set()
        self.areas.clear()
        for code, title in sorted(shown.items(), key=lambda item: teams.area_order(item[0])):
            item = QListWidgetItem(f"{code}. {title}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setCheckState(CHECKED if code in have else UNCHECKED)
            self.areas.addItem(item)

    @staticmethod
    def _ticked(widget: QListWidget) -> list[str]:
        return [str(widget.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(widget.count())
                if widget.item(i).checkState() == CHECKED]

    def save(self) -> None:
        areas, kind = self._ticked(self.areas), self._kind()
        units = [] if self.all_units.isChecked() else self._ticked(self.units)
        department = self.department.currentText()
        actor = Actor(**self.ctx.who)
        team = self.team

        def call(session: Any) -> Change:
            if team is None:
                return teams.add_team(session, self.name.text(), areas, kind=kind, department=department,
                                      units=units, actor=actor).change
            return teams.edit_team(session, team.name, areas=areas, kind=kind, department=department,
                                   units=None if self.all_units.isChecked() else units,
                                   all_units=self.all_units.isChecked(), rename=self.name.text(),
                                   actor=actor).change

        try:
            self.ctx.run(call, initiator=self)
        except Exception as exc:  # the service's message beside the form; nothing was written
            self.error.setText(error_text(exc))
            return
        self.accept()


class TeamsWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.dialog: QDialog | None = None
        self.setWindowTitle(self.tr("Tổ thẩm định và lịch thẩm định"))
        self.resize(1000, 600)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._teams_tab(), self.tr("Các tổ thẩm định"))
        self.tabs.addTab(self._schedule_tab(), self.tr("Lịch thẩm định"))
        self.setCentralWidget(self.tabs)
        ctx.changed.connect(self._changed)
        self.reload()

    # --- teams --------------------------------------------------------------------------------------
    def _teams_tab(self) -> QWidget:
        headers = [self.tr("Tổ thẩm định"), self.tr("Sở, ngành"), self.tr("Lĩnh vực"), self.tr("Đơn vị")]
        self.model = RowsModel(headers, self._cells, tooltips=(2, 3), parent=self)
        self.table = RowsView(stretch=2, row_height=24)
        self.table.setModel(self.model)
        self.table.doubleClicked.connect(lambda _i: self.edit_team())
        self.add_button = QPushButton(self.tr("Thêm tổ…"))
        self.add_button.clicked.connect(self.add_team)
        self.edit_button = QPushButton(self.tr("Sửa tổ…"))
        self.edit_button.clicked.connect(self.edit_team)
        self.empty = QLabel(self.tr("Chưa có tổ thẩm định nào. Mỗi tổ thuộc một sở, ngành thành viên Hội "
                                    "đồng và thẩm định các lĩnh vực được phân công ở mọi đơn vị (hoặc một "
                                    "số đơn vị)."))
        self.empty.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(self.add_button)
        bar.addWidget(self.edit_button)
        bar.addStretch(1)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        return tab

    def _cells(self, t: teams.TeamInfo) -> list[str]:
        every = self.tr("mọi loại đơn vị")
        parts = []
        for k, codes in t.areas.items():
            titles = dict(pair for kind, pairs in self.area_titles.items() if k in (EVERY_KIND, kind)
                          for pair in pairs)
            named = ", ".join(f"{c}. {titles[c]}" if c in titles else c for c in codes)
            parts.append(f"{every if k == EVERY_KIND else kind_label(k)}: {named}")
        return [t.name, t.department, "; ".join(parts), ", ".join(t.units) or self.tr("mọi đơn vị")]

    def _chosen(self) -> teams.TeamInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def add_team(self) -> TeamDialog:
        self.dialog = TeamDialog(self.ctx, None, self)
        self.dialog.open()
        return self.dialog

    def edit_team(self) -> TeamDialog | None:
        team = self._chosen()
        if team is None:
            return None
        self.dialog = TeamDialog(self.ctx, team, self)
        self.dialog.open()
        return self.dialog

    # --- schedule -----------------------------------------------------------------------------------
    def _schedule_tab(self) -> QWidget:
        self.year = QComboBox()
        for y in self.ctx.read(ws.years) if self.ctx.project is not None else []:
            self.year.addItem(str(y), y)
        self.year.currentIndexChanged.connect(lambda _i: self._fill_schedule())
        self.stages = QTableWidget(len(STAGES), 4)
        self.stages.setHorizontalHeaderLabels([self.tr("Giai đoạn"), self.tr("Có thời hạn"), self.tr("Mở từ"),
                                               self.tr("Đến hết ngày")])
        self.stages.verticalHeader().hide()
        header = self.stages.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.set_boxes: list[QCheckBox] = []
        self.opens: list[QDateEdit] = []
        self.closes: list[QDateEdit] = []
        for i, stage in enumerate(STAGES):
            label = QLabel(stage_label(stage))
            self.stages.setCellWidget(i, 0, label)
            box = QCheckBox()
            self.stages.setCellWidget(i, 1, box)
            opens, closes = self._date_edit(), self._date_edit()
            self.stages.setCellWidget(i, 2, opens)
            self.stages.setCellWidget(i, 3, closes)
            box.toggled.connect(opens.setEnabled)
            box.toggled.connect(closes.setEnabled)
            self.set_boxes.append(box)
            self.opens.append(opens)
            self.closes.append(closes)
        self.save_schedule_button = QPushButton(self.tr("Lưu lịch"))
        self.save_schedule_button.clicked.connect(self.save_schedule)
        self.schedule_note = QLabel(self.tr("Ngoài thời hạn của một giai đoạn, mọi điểm của giai đoạn đó bị "
                                            "từ chối, kể cả khi nhập gói dữ liệu. Chỉ Hội đồng đặt lịch."))
        self.schedule_note.setWordWrap(True)
        self.schedule_error = QLabel()
        self.schedule_error.setWordWrap(True)
        self.schedule_error.setStyleSheet("color: #b91c1c")
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Năm")))
        bar.addWidget(self.year)
        bar.addStretch(1)
        bar.addWidget(self.save_schedule_button)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.addLayout(bar)
        layout.addWidget(self.stages, 1)
        layout.addWidget(self.schedule_note)
        layout.addWidget(self.schedule_error)
        return tab

    def _date_edit(self) -> QDateEdit:
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd/MM/yyyy")  # as ui.formats.day writes dates everywhere
        edit.setEnabled(False)
        return edit

    def _fill_schedule(self) -> None:
        year = self.year.currentData()
        known = {d.stage: d for d in self.ctx.read(lambda s: sched.schedule_of(s, int(year)))} \
            if year is not None and self.ctx.project is not None else {}
        self.schedule_error.clear()
        for i, stage in enumerate(STAGES):
            d = known.get(stage)
            box = self.set_boxes[i]
            box.setChecked(d is not None)
            box.setEnabled(d is None)  # set dates can be moved, not removed (the CLI neither)
            start = d.opens if d else date(int(year), 1, 1) if year is not None else date.today()
            end = d.closes if d else start
            self.opens[i].setDate(QDate(start.year, start.month, start.day))
            self.closes[i].setDate(QDate(end.year, end.month, end.day))
            self.opens[i].setEnabled(box.isChecked())
            self.closes[i].setEnabled(box.isChecked())

    def save_schedule(self) -> Change | None:
        year = self.year.currentData()
        if year is None:
            return None
        wanted = [(stage, _day(self.opens[i]), _day(self.closes[i]))
                  for i, stage in enumerate(STAGES) if self.set_boxes[i].isChecked()]
        who = self.ctx.who

        def call(session: Any) -> Change:
            done = Change()
            for stage, opens, closes in wanted:
                change = sched.set_schedule(session, int(year), stage, opens, closes, **who)
                done = done.merge(change)
            return done

        try:
            change = self.ctx.run(call, initiator=self)
        except Exception as exc:
            self.schedule_error.setText(error_text(exc))
            return None
        self._fill_schedule()
        return change

    # --- refresh ------------------------------------------------------------------------------------
    def reload(self) -> None:
        rows = self.ctx.read(teams.list_teams) if self.ctx.project is not None else []
        self.area_titles = self.ctx.read(teams.area_choices) if self.ctx.project is not None else {}
        self.model.set_rows(rows)
        self.empty.setVisible(not rows)
        self.edit_button.setEnabled(bool(rows))
        self._fill_schedule()

    def _changed(self, change: Change, _initiator: object) -> None:
        if change.audit or change.years:
            self.reload()



def _day(edit: QDateEdit) -> date:
    d = edit.date()
    return date(d.year(), d.month(), d.day())
