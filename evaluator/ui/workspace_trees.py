"""The workspace's two lists: the units of the year with their progress, and one unit's criteria tree with
stage values and status marks (with their legend). Typing a digit on a leaf and Tab hand the keyboard to
the detail pane (the workspace wires both)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from evaluator.services.workspace import TreeRow, UnitProgress, UnitSheet
from evaluator.ui.labels import (
    MARK_COLOR,
    MARK_SYMBOL,
    english,
    mark_label,
    num,
    stage_label,
    status_label,
    status_short,
)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CODE_ROLE = Qt.ItemDataRole.UserRole


class UnitList(QTreeWidget):
    COLUMNS = 4

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels([self.tr("Mã"), self.tr("Đơn vị"), self.tr("Tiến độ"), self.tr("TT")])
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.headerItem().setToolTip(3, self.tr("Trạng thái"))
        self.items: dict[uuid.UUID, QTreeWidgetItem] = {}

    def fill(self, units: list[UnitProgress]) -> None:
        self.clear()
        self.items = {}
        for u in units:
            item = QTreeWidgetItem()
            item.setData(0, CODE_ROLE, u.assessment_id)
            self.update_item(item, u)
            self.items[u.assessment_id] = item
            self.addTopLevelItem(item)

    def update_item(self, item: QTreeWidgetItem, u: UnitProgress) -> None:
        item.setText(0, u.code)
        item.setText(1, u.name)
        item.setToolTip(1, u.name)
        item.setText(2, f"{u.scored}/{u.total}" + (" ⊘" if u.locked else ""))
        item.setTextAlignment(2, RIGHT)
        tip = (
            self.tr("Tiêu chí đã chấm ở giai đoạn %1").replace("%1", stage_label(u.stage))
            + " · "
            + status_label(u.status)
        )
        if u.locked:
            tip += " · " + self.tr("Đã khoá: %1").replace(
                "%1", ", ".join(stage_label(x) for x in sorted(u.locked))
            )
        item.setText(3, status_short(u.status))
        for column in (0, 2, 3):
            item.setToolTip(column, tip)
        done = u.total > 0 and u.scored >= u.total
        item.setForeground(2, QBrush(QColor("#2e7d32" if done else "#e65100")))


class CriteriaTree(QTreeWidget):
    COLUMNS = 7
    typed = Signal(QKeyEvent)
    """A printable key typed on a leaf: the workspace hands it to the input (type points directly)."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setHeaderLabels(
            [
                self.tr("Mã"),
                self.tr("Tiêu chí"),
                self.tr("Tối đa"),
                self.tr("Tự chấm"),
                self.tr("Thẩm định"),
                self.tr("Điểm"),
                "",
            ]
        )
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setIndentation(12)  # three levels of codes leave the title room at 1366×768
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for c in range(2, 7):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.items: dict[str, QTreeWidgetItem] = {}
        self.tab_target: Callable[[], bool] | None = None
        """Tab on the tree calls this (the workspace: keyboard into the value field, not the areas
        table); when it declines, Tab goes on as usual."""

    def focusNextPrevChild(self, next: bool) -> bool:
        if next and self.tab_target is not None and self.tab_target():
            return True
        return bool(super().focusNextPrevChild(next))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        item = self.currentItem()
        if (
            text
            and (text.isdigit() or text in ",.")
            and item is not None
            and item.childCount() == 0
            and not event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.typed.emit(event)
            return
        super().keyPressEvent(event)

    def fill(self, sheet: UnitSheet) -> None:
        self.setUpdatesEnabled(False)
        self.clear()
        self.items = {}
        bold = self.font()
        bold.setBold(True)
        for row in sheet.rows.values():
            item = QTreeWidgetItem()
            item.setData(0, CODE_ROLE, row.code)
            item.setText(0, row.code)
            title = row.title_en if english() and row.title_en else row.title
            item.setText(1, title)
            item.setToolTip(1, title)
            item.setText(2, num(row.max))
            for c in (2, 3, 4, 5):
                item.setTextAlignment(c, RIGHT)
            if row.depth == 0:
                for c in range(self.COLUMNS):
                    item.setFont(c, bold)
            self.update_row(item, row)
            parent = self.items.get(row.parent) if row.parent else None
            if parent is None:
                self.addTopLevelItem(item)
            else:
                parent.addChild(item)
            self.items[row.code] = item
        self.expandAll()
        self.setUpdatesEnabled(True)

    def update_row(self, item: QTreeWidgetItem, row: TreeRow) -> None:
        own = row.stages.get("self") if row.is_leaf else None
        appraised = row.appraised if row.is_leaf else None
        survey = row.stages.get("survey") if row.is_leaf else None
        item.setText(3, "" if own is None else (self.tr("KĐG") if own.not_applicable else num(own.points)))
        shown = appraised or survey
        item.setText(
            4, "" if shown is None else (self.tr("KĐG") if shown.not_applicable else num(shown.points))
        )
        item.setText(5, num(row.points) if row.is_leaf or row.applicable_max else "")
        if row.is_leaf:
            item.setText(6, MARK_SYMBOL.get(row.mark, ""))
            item.setForeground(6, QBrush(QColor(MARK_COLOR.get(row.mark, "#000"))))
            tip = MARK_SYMBOL.get(row.mark, "") + " " + mark_label(row.mark)
            tip += f" · {row.evidence} TLKC" if row.evidence else ""
            # the whole row says what its mark means (the legend under the tree lists them all)
            for c in (0, 2, 3, 4, 5, 6):
                item.setToolTip(c, tip)
            title = item.text(1)
            item.setToolTip(1, f"{title}\n{tip}")
            item.setData(6, CODE_ROLE + 1, row.mark)


def mark_legend() -> str:
    """The marks' symbols in their colours with their meaning, for the line under the tree."""
    return " &nbsp; ".join(
        f"<span style='color:{MARK_COLOR[m]}'>{MARK_SYMBOL[m]}</span>&nbsp;{mark_label(m)}"
        for m in ("scored", "changed", "empty", "no_evidence", "na")
    )
