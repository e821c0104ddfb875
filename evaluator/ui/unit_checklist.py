"""The checklist of units a document is made for: one checkable row per unit (``code — name``) and the
"check all" / "check none" buttons under it."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evaluator.services.workspace import UnitProgress


class UnitChecklist(QWidget):
    """Units with a check box each; ``changed`` is emitted once per user action (a click, all, none)."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.units = QListWidget()
        self.units.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.units)
        buttons = QHBoxLayout()
        all_button = QPushButton(self.tr("Chọn tất cả"))
        all_button.clicked.connect(lambda: self.check_all(True))
        none_button = QPushButton(self.tr("Bỏ chọn"))
        none_button.clicked.connect(lambda: self.check_all(False))
        buttons.addWidget(all_button)
        buttons.addWidget(none_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.units.itemChanged.connect(lambda _item: self.changed.emit())

    def fill(self, units: Iterable[UnitProgress], wanted: Iterable[str]) -> None:
        """List ``units``, those of ``wanted`` checked (no ``changed``: the caller knows)."""
        chosen = set(wanted)
        self.units.blockSignals(True)
        self.units.clear()
        for u in units:
            item = QListWidgetItem(f"{u.code} — {u.name}")
            item.setData(Qt.ItemDataRole.UserRole, u.code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if u.code in chosen else Qt.CheckState.Unchecked)
            self.units.addItem(item)
        self.units.blockSignals(False)

    def check_all(self, on: bool) -> None:
        self._check(lambda _code: on)

    def set_codes(self, codes: list[str]) -> None:
        self._check(lambda code: code in codes)

    def _check(self, on: Callable[[str], bool]) -> None:
        self.units.blockSignals(True)  # one ``changed`` for the whole list, not one per row
        for i in range(self.units.count()):
            item = self.units.item(i)
            checked = on(str(item.data(Qt.ItemDataRole.UserRole)))
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.units.blockSignals(False)
        self.changed.emit()

    def checked_codes(self) -> list[str]:
        return [
            str(self.units.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.units.count())
            if self.units.item(i).checkState() == Qt.CheckState.Checked
        ]
