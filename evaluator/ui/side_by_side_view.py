"""Side-by-side mode: one criterion for every unit of a kind (issue #16), the way a member department
appraises its area across all the units. A window over ``services.side_by_side``; each save is one
``AppContext.edit_score`` (undo, audit, locks, team scope, deadlines as in the workspace). A refused
edit shows its message in its own row.

Keys: Up/Down between units, typing edits, Tab value → reason → next unit's value, Enter saves and moves
down."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.errors import UserError
from evaluator.frameworks.model import Node
from evaluator.services import side_by_side as sbs
from evaluator.services.changes import Change
from evaluator.services.scores import ReasonRequired
from evaluator.ui.context import AppContext
from evaluator.ui.labels import english, kind_label, num, stage_label
from evaluator.ui.workspace_trees import RIGHT

COL_CODE, COL_NAME, COL_SELF, COL_SELF_POINTS, COL_VALUE, COL_POINTS, COL_REASON, COL_EVIDENCE, \
    COL_CONFLICT, COL_MESSAGE = range(10)
EDITABLE = (COL_VALUE, COL_REASON)
STAGES = ("appraisal1", "explanation", "appraisal2")
REFUSED = QColor("#fde2e1")


class SideTable(QTableWidget):
    """The table's keys: Tab walks value → reason → the next unit's value, Enter saves and moves down."""

    def __init__(self, view: SideBySideView):
        super().__init__(0, 10, view)
        self.view = view

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        H = QAbstractItemDelegate.EndEditHint
        super().closeEditor(editor, H.NoHint)  # commits the typed text; the moves below are ours
        row, col = self.currentRow(), self.currentColumn()
        if hint == H.SubmitModelCache:  # Enter
            self.view.save_row(row, advance=True)
        elif hint == H.EditNextItem:
            self._edit(row, COL_REASON) if col == COL_VALUE else self._edit(row + 1, COL_VALUE)
        elif hint == H.EditPreviousItem:
            self._edit(row, COL_VALUE) if col == COL_REASON else self._edit(row - 1, COL_REASON)

    def _edit(self, row: int, col: int) -> None:
        if 0 <= row < self.rowCount():
            self.setCurrentCell(row, col)
            item = self.item(row, col)
            if item is not None:
                self.editItem(item)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, row = event.key(), self.currentRow()
        if self.state() == QAbstractItemView.State.EditingState:
            # a key the editor passed on (Enter): its delegate commits the text, then closeEditor saves
            super().keyPressEvent(event)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and row >= 0:
            self.view.save_row(row, advance=True)
            return
        if key == Qt.Key.Key_Tab and row >= 0:
            if self.currentColumn() != COL_REASON:
                self._edit(row, COL_REASON)
            else:
                self._edit(row + 1, COL_VALUE)
            return
        super().keyPressEvent(event)


class SideBySideView(QDialog):
    """One leaf of every unit of ``kind`` in ``year`` at an appraisal stage."""

    def __init__(self, ctx: AppContext, year: int, kind: str, leaf: str, stage: str = "appraisal1",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.year, self.kind, self.leaf = ctx, year, kind, leaf
        self.node: Node = ctx.read(lambda s: sbs.leaf_node(s, year, kind, leaf))
        self.rows: list[sbs.SideRow] = []
        self.messages: dict[uuid.UUID, str] = {}
        """A refused edit's message, by unit, until its next save."""
        self.setWindowTitle(self.tr("Chấm theo tiêu chí (mọi đơn vị)"))
        layout = QVBoxLayout(self)
        self.header = QLabel()
        self.header.setWordWrap(True)
        layout.addWidget(self.header)
        self.choices = QLabel(" · ".join(f"{n} = {text}" for n, text in sbs.choices(self.node)))
        self.choices.setWordWrap(True)
        self.choices.setVisible(bool(self.choices.text()))  # an option rule: what a number stands for
        layout.addWidget(self.choices)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Giai đoạn")))
        self.stage_combo = QComboBox()
        for st in STAGES:
            self.stage_combo.addItem("", st)
        self._data_texts()
        self.stage_combo.setCurrentIndex(max(0, self.stage_combo.findData(stage)))
        self.stage_combo.currentIndexChanged.connect(self.reload)
        bar.addWidget(self.stage_combo)
        self.hint = QLabel(self.tr("Gõ giá trị, Tab: lý do, Enter: lưu và sang đơn vị sau; KĐG: không đánh "
                                   "giá"))
        self.hint.setWordWrap(True)
        bar.addWidget(self.hint, 1)
        layout.addLayout(bar)
        self.table = SideTable(self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Mã"), self.tr("Đơn vị"), self.tr("Tự chấm"), self.tr("Điểm tự chấm"),
            self.tr("Thẩm định"), self.tr("Điểm"), self.tr("Lý do"), self.tr("TLKC"), self.tr("Xung đột"),
            self.tr("Thông báo"),
        ])
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        head = self.table.horizontalHeader()
        for c in range(10):
            head.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        head.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Interactive)
        head.setSectionResizeMode(COL_REASON, QHeaderView.ResizeMode.Stretch)
        head.setSectionResizeMode(COL_MESSAGE, QHeaderView.ResizeMode.Interactive)
        layout.addWidget(self.table, 1)
        self.reload()
        self.table.setColumnWidth(COL_NAME, 220)
        self.table.setColumnWidth(COL_MESSAGE, 260)
        self.resize(1280, 680)
        ctx.changed.connect(self._changed)
        ctx.project_opened.connect(self._project_opened)  # its rows belong to the project it was opened on
        if self.rows:
            self.table.setCurrentCell(0, COL_VALUE)
        self.table.setFocus()

    @property
    def stage(self) -> str:
        return str(self.stage_combo.currentData())

    def _data_texts(self) -> None:
        """The texts made from data in the UI language: the criterion's title (its English one when the
        set has it), the unit kind, the stages' names."""
        node = self.node
        title = node.title_en if english() and node.title_en else node.title
        self.header.setText(f"<b>{self.leaf}</b> {title} — {kind_label(self.kind)} · {self.year}")
        for i in range(self.stage_combo.count()):
            self.stage_combo.setItemText(i, stage_label(str(self.stage_combo.itemData(i))))

    def retranslated(self) -> None:
        """After a live language switch (``ui.retranslate`` has done the fixed texts): the header, the
        stages and the rows (numbers, "KĐG", lock notes) made again in the new language."""
        self._data_texts()
        self.reload()

    # --- filling -----------------------------------------------------------------------------------
    def reload(self) -> None:
        """Re-read every unit's line (one query), the current cell kept."""
        year, kind, leaf, stage = self.year, self.kind, self.leaf, self.stage
        self.rows = self.ctx.read(lambda s: sbs.leaf_rows(s, year, kind, leaf, stage))
        row, col = self.table.currentRow(), self.table.currentColumn()
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.rows))
        for r, line in enumerate(self.rows):
            self._fill_row(r, line)
        self.table.blockSignals(False)
        if row >= 0:
            self.table.setCurrentCell(min(row, len(self.rows) - 1), col)

    def _fill_row(self, r: int, line: sbs.SideRow) -> None:
        node = self.node
        message = self.messages.get(line.assessment_id, "")
        locked = "⊘ " + self.tr("Giai đoạn đã khoá") if self.stage in line.locked else ""
        cells = [
            line.code, line.short_name,
            sbs.input_text(node, line.self_value, line.self_points, line.self_na),
            self.tr("KĐG") if line.self_na else num(line.self_points),
            sbs.input_text(node, line.value, line.points, line.not_applicable),
            self.tr("KĐG") if line.not_applicable else num(line.points),
            line.note, str(line.evidence), "⚠" if line.conflict else "",
            message or locked,
        ]
        for c, text in enumerate(cells):
            item = self.table.item(r, c)
            if item is None:
                item = QTableWidgetItem()
                self.table.setItem(r, c, item)
            # the items stay (their texts change): an editor closing on one must find it
            item.setText(text)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if c in EDITABLE:
                flags |= Qt.ItemFlag.ItemIsEditable
            item.setFlags(flags)
            if c in (COL_SELF_POINTS, COL_POINTS, COL_EVIDENCE):
                item.setTextAlignment(RIGHT)
            if c in (COL_NAME, COL_REASON, COL_MESSAGE):
                item.setToolTip(text)
            item.setBackground(QBrush(REFUSED) if message else QBrush())
            item.setForeground(QBrush())
        differs = line.filled and (line.points, line.not_applicable) != (line.self_points, line.self_na)
        if differs:
            self._cell(r, COL_POINTS).setForeground(QBrush(QColor("#b35900")))
        if line.conflict:
            self._cell(r, COL_CONFLICT).setToolTip(self.tr("Có xung đột chưa giải quyết ở giai đoạn này"))

    def _changed(self, change: Change, _initiator: object = None) -> None:
        if {line.assessment_id for line in self.rows} & set(change.assessments):
            self.reload()

    def _project_opened(self, _project: object) -> None:
        self.close()

    # --- saving ------------------------------------------------------------------------------------
    def save_row(self, r: int, *, advance: bool) -> bool:
        """Record row ``r``'s typed value and reason at the stage; a refusal is shown in the row."""
        if not 0 <= r < len(self.rows):
            return False
        line = self.rows[r]
        value = self._cell(r, COL_VALUE).text()
        reason = self._cell(r, COL_REASON).text().strip()
        try:
            kwargs: dict[str, Any] = dict(sbs.parse_input(self.node, value))
            kwargs["note"] = reason
            if reason and reason != line.note.strip():  # a reason of its own, not the replaced value's
                kwargs["reason"] = reason
            self.ctx.edit_score(line.assessment_id, self.leaf, self.stage, initiator=self, **kwargs)
        except ReasonRequired as exc:
            self._refused(r, line, str(exc))
            self.table.setCurrentCell(r, COL_REASON)
            self.table.editItem(self._cell(r, COL_REASON))
            return False
        except UserError as exc:
            self._refused(r, line, str(exc))
            return False
        self.messages.pop(line.assessment_id, None)
        self.reload()
        if advance and r + 1 < len(self.rows):
            self.table.setCurrentCell(r + 1, COL_VALUE)
        return True

    def _refused(self, r: int, line: sbs.SideRow, message: str) -> None:
        self.messages[line.assessment_id] = message
        typed = (self._cell(r, COL_VALUE).text(), self._cell(r, COL_REASON).text())
        self.table.blockSignals(True)
        self._fill_row(r, line)
        self._cell(r, COL_VALUE).setText(typed[0])  # what was typed stays, to be corrected
        self._cell(r, COL_REASON).setText(typed[1])
        self.table.blockSignals(False)

    def _cell(self, r: int, c: int) -> QTableWidgetItem:
        item = self.table.item(r, c)
        assert item is not None, (r, c)
        return item

    def message_of(self, r: int) -> str:
        return self._cell(r, COL_MESSAGE).text()

