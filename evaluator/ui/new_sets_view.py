"""Beside the import centre's "Chấp nhận bộ tiêu chí mới": for each criteria set the packages bring, what it
would change against the project's sets (``services.package_sets.diff_new_sets``) — one line of counts
(added, removed, changed nodes), or that the set is wholly new, and the node-by-node list behind a
"Chi tiết" button, in the criteria window's own columns and colours (``ui.criteria_dialogs``)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from evaluator.frameworks.diff import diff_rows
from evaluator.messages import render, say
from evaluator.services.package_sets import NewSetDiff
from evaluator.ui.criteria_dialogs import COLOURS, render_diff_row
from evaluator.ui.job_panel import ERROR_STYLE
from evaluator.ui.table_models import RowsModel, RowsView

COLUMNS = ("change", "code", "node", "field", "old", "new")


class SetDiffItem(QWidget):
    """One new set: its line of counts, and its diff's rows shown or hidden by ``details``."""

    def __init__(self, diff: NewSetDiff, parent: QWidget | None = None):
        super().__init__(parent)
        self.diff = diff
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.summary = QLabel(self.summary_text())
        self.summary.setWordWrap(True)
        if diff.problem:
            self.summary.setStyleSheet(ERROR_STYLE)
        row.addWidget(self.summary, 1)
        self.details = QToolButton()
        self.details.setText(self.tr("Chi tiết"))
        self.details.setCheckable(True)
        self.details.setVisible(diff.diff is not None and not diff.diff.empty)
        row.addWidget(self.details)
        layout.addLayout(row)
        self.model = RowsModel([say(f"upgrade.col_{n}") for n in COLUMNS], render_diff_row, tooltips=(4, 5),
                               foreground=lambda r, col: COLOURS[r.change] if col == 0 else None, parent=self)
        self.model.set_rows(diff_rows(diff.diff) if diff.diff is not None else [])
        self.table = RowsView(widths={4: 260}, stretch=5, row_height=self.fontMetrics().height() + 6)
        self.table.setModel(self.model)
        # as tall as its rows, up to about eight: the import's own counts and changes stay in view
        shown = min(self.model.rowCount(), 8) + 1
        self.table.setFixedHeight(shown * (self.fontMetrics().height() + 6) + 2 * self.table.frameWidth() + 4)
        self.table.hide()
        self.details.toggled.connect(self.table.setVisible)
        layout.addWidget(self.table)

    def summary_text(self) -> str:
        d = self.diff
        if d.problem:
            return f"{d.identity}: {render(d.problem)}"
        counts = ""
        if d.diff is not None:
            counts = say("upgrade.diff_head", old=d.diff.old, new=d.diff.new, added=len(d.diff.added),
                         removed=len(d.diff.removed), changed=len(d.diff.changed))
            if d.diff.empty:
                counts += " — " + say("upgrade.no_difference")
        if d.same_code:
            return self.tr("%1, phiên bản mới của bộ %2 mà dự án đang dùng. %3") \
                .replace("%3", counts).replace("%2", d.against).replace("%1", d.identity)
        text = self.tr("%1: bộ tiêu chí mới hoàn toàn (dự án chưa có bộ nào mã này).")
        text = text.replace("%1", d.identity)
        if d.against:
            text += " " + self.tr("Đối chiếu với bộ %1 của dự án cho cùng năm và loại đơn vị: %2") \
                .replace("%2", counts).replace("%1", d.against)
        return text


class NewSetsView(QWidget):
    """The diffs of every new set, one ``SetDiffItem`` each; hidden when there is none."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.box = QVBoxLayout(self)
        self.box.setContentsMargins(0, 0, 0, 0)
        self.items: list[SetDiffItem] = []
        self.hide()

    def show_diffs(self, diffs: Sequence[NewSetDiff]) -> None:
        self.clear()
        for d in diffs:
            item = SetDiffItem(d, self)
            self.box.addWidget(item)
            self.items.append(item)
        self.setVisible(bool(self.items))

    def clear(self) -> None:
        for item in self.items:
            self.box.removeWidget(item)
            item.deleteLater()
        self.items = []
        self.hide()
