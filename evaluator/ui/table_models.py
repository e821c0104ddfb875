"""What the tables that grow share: a read-only model over a list of plain rows from a service, and a
table view set up for it.

A reload is one ``beginResetModel``/``endResetModel``; cells are rendered when a view asks for them (the
visible ones) and kept; columns are sized once, from a sample of the first rows, never on reload. The
QTableWidget these replace made an item per cell and re-measured its columns for each one once it had
been shown: a few rows a second."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

AnyIndex = QModelIndex | QPersistentModelIndex
ROW_ROLE = Qt.ItemDataRole.UserRole
"""``data(index, ROW_ROLE)``: the service's row behind a cell."""
SAMPLE_ROWS = 200
"""Rows measured when the columns are sized (once)."""


class RowsModel(QAbstractTableModel):
    """Rows as the service returns them; ``render(row)`` gives a row's cell texts (once, when first
    shown). ``align`` maps columns to alignments, ``tooltips`` lists columns whose text is their tooltip
    (for elided ones), ``foreground(row, column)`` gives a cell's text colour or None."""

    def __init__(
        self,
        headers: Sequence[str],
        render: Callable[[Any], Sequence[str]],
        *,
        align: dict[int, Qt.AlignmentFlag] | None = None,
        tooltips: Iterable[int] = (),
        foreground: Callable[[Any, int], QColor | Qt.GlobalColor | str | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.headers = list(headers)
        self.render = render
        self.align = dict(align or {})
        self.tooltips = frozenset(tooltips)
        self.foreground = foreground
        self.rows: list[Any] = []
        self._texts: list[Sequence[str] | None] = []

    def set_rows(self, rows: Iterable[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self._texts = [None] * len(self.rows)
        self.endResetModel()

    def texts(self, row: int) -> Sequence[str]:
        cached = self._texts[row]
        if cached is None:
            cached = self._texts[row] = tuple(self.render(self.rows[row]))
        return cached

    def text(self, row: int, column: int) -> str:
        return self.texts(row)[column]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: AnyIndex, role: int = 0) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(r, c)
        if role == Qt.ItemDataRole.ToolTipRole and c in self.tooltips:
            return self.text(r, c)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self.align.get(c)
        if role == Qt.ItemDataRole.ForegroundRole and self.foreground is not None:
            colour = self.foreground(self.rows[r], c)
            return None if colour is None else QBrush(QColor(colour))
        if role == ROW_ROLE:
            return self.rows[r]
        return None


class RowsView(QTableView):
    """A read-only table of whole rows, columns sized once (``fit_columns``) rather than on every reload.
    ``widths`` fixes some columns' widths; ``stretch`` is the column that takes the room left."""

    def __init__(
        self,
        *,
        widths: dict[int, int] | None = None,
        stretch: int | None = None,
        row_height: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.widths = dict(widths or {})
        self.stretch = stretch
        self.fitted = False
        self.verticalHeader().hide()
        if row_height is not None:
            self.verticalHeader().setDefaultSectionSize(row_height)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setWordWrap(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setResizeContentsPrecision(SAMPLE_ROWS)
        header.setStretchLastSection(False)

    def setModel(self, model: Any) -> None:
        super().setModel(model)
        if self.stretch is not None:
            self.horizontalHeader().setSectionResizeMode(self.stretch, QHeaderView.ResizeMode.Stretch)
        model.modelReset.connect(self.fit_columns)
        self.fit_columns()

    def fit_columns(self) -> None:
        """Size the columns to their header and first rows, once there are rows; later reloads keep
        the widths (and whatever the user dragged them to)."""
        model = self.model()
        if self.fitted or model is None:
            return
        self.resizeColumnsToContents()
        for column, width in self.widths.items():
            self.setColumnWidth(column, width)
        self.fitted = model.rowCount() > 0
