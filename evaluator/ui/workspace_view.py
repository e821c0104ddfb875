"""The appraisal workspace: units with progress, the unit's criteria tree with stage values and status
marks, the detail pane, area totals and the live index. Refreshes only what a ``Change`` names."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from functools import partial

from PySide6.QtCore import QByteArray, QEvent, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.errors import UserError
from evaluator.frameworks.model import ALL_STAGES
from evaluator.models import Assessment
from evaluator.paths import config_dir
from evaluator.services import locks, schedule
from evaluator.services import workspace as ws
from evaluator.services import workspace_nav as nav
from evaluator.services.changes import Change
from evaluator.services.workspace import UnitSheet
from evaluator.ui.approval_bar import ApprovalBar
from evaluator.ui.context import AppContext
from evaluator.ui.detail import DetailPane
from evaluator.ui.labels import class_color, english, kind_label, num, stage_label
from evaluator.ui.side_by_side_view import SideBySideView
from evaluator.ui.workspace_trees import CODE_ROLE, RIGHT, CriteriaTree, UnitList, mark_legend

LAYOUT_FILE = "layout.ini"
"""Splitter sizes, in the settings folder (``EVALUATOR_CONFIG_DIR`` in tests)."""


class WorkspaceView(QWidget):
    unit_loaded = Signal(object)
    """Emitted with the ``UnitSheet`` once a unit's tree is on screen."""
    report_requested = Signal(str, object, object)
    """(document, year, unit codes): the main window opens the report dialog."""
    wanted = Signal()
    """One of the workspace's keys was used elsewhere (its menu, another tab): show the workspace."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: UnitSheet | None = None
        self.year: int | None = None
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("Năm")))
        self.year_combo = QComboBox()
        self.year_combo.currentIndexChanged.connect(self._year_chosen)
        bar.addWidget(self.year_combo)
        bar.addWidget(QLabel(self.tr("Loại đơn vị")))
        self.kind_combo = QComboBox()
        self.kind_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.kind_combo.currentIndexChanged.connect(self.reload_units)
        bar.addWidget(self.kind_combo)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm mã hoặc tên tiêu chí (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self.apply_filter)
        self.search.returnPressed.connect(self.jump_to_match)
        bar.addWidget(self.search, 1)
        self.lock_button = QToolButton()
        self.lock_button.setText(self.tr("Khoá giai đoạn"))
        self.lock_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.lock_menu = QMenu(self)
        self.lock_menu.aboutToShow.connect(self._fill_lock_menu)
        self.lock_button.setMenu(self.lock_menu)
        bar.addWidget(self.lock_button)
        self.approval = ApprovalBar(ctx, self)
        bar.addWidget(self.approval.button)
        self.report_button = QToolButton()
        self.report_button.setText(self.tr("Báo cáo"))
        self.report_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        report_menu = QMenu(self)
        for document, text in (
            ("appraisal", self.tr("Biên bản thẩm định của đơn vị…")),
            ("self", self.tr("Báo cáo tự đánh giá của đơn vị…")),
            ("appraisal_xlsx", self.tr("Bảng thẩm định của đơn vị (Excel)…")),
        ):
            action = report_menu.addAction(text)
            action.triggered.connect(lambda _c=False, d=document: self.request_report(d))
        self.report_button.setMenu(report_menu)
        bar.addWidget(self.report_button)
        outer.addLayout(bar)

        self.header = QLabel(self.tr("Chọn một đơn vị"))
        self.header.setStyleSheet("font-size: 12pt; padding: 4px")
        self.header.setWordWrap(True)
        outer.addWidget(self.header)
        outer.addWidget(self.approval.banner)

        split = QSplitter(Qt.Orientation.Horizontal)
        self.split = split
        self.units = UnitList()
        self.units.currentItemChanged.connect(self._unit_chosen)
        split.addWidget(self.units)
        middle = QSplitter(Qt.Orientation.Vertical)
        self.middle = middle
        tree_box = QWidget()
        tree_layout = QVBoxLayout(tree_box)
        tree_layout.setContentsMargins(0, 0, 0, 0)
        filter_bar = QHBoxLayout()
        filter_bar.addWidget(QLabel(self.tr("Lọc")))
        self.filter_combo = QComboBox()
        self._fill_filters(tuple(f for f in nav.FILTERS if f != "mine"))
        self.filter_combo.setToolTip(self.tr("Chỉ hiện các tiêu chí này (F8: tiêu chí chưa chấm tiếp theo)"))
        self.filter_combo.currentIndexChanged.connect(self._filter_chosen)
        filter_bar.addWidget(self.filter_combo, 1)
        tree_layout.addLayout(filter_bar)
        self.filter_codes: set[str] | None = None
        """The leaves the chosen filter keeps (None: every leaf)."""
        self.tree = CriteriaTree()
        self.tree.currentItemChanged.connect(self._leaf_chosen)
        self.tree.typed.connect(self._typed)
        tree_layout.addWidget(self.tree, 1)
        self.legend = QLabel(mark_legend())
        self.legend.setWordWrap(True)
        self.legend.setToolTip(self.tr("Ký hiệu ở cột cuối của cây tiêu chí"))
        tree_layout.addWidget(self.legend)
        middle.addWidget(tree_box)
        self.totals = QTableWidget(0, 4)
        self.totals.setHorizontalHeaderLabels(
            [self.tr("Lĩnh vực"), self.tr("Điểm"), self.tr("Tối đa"), self.tr("Chỉ số %")]
        )
        self.totals.verticalHeader().hide()
        self.totals.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.totals.setTabKeyNavigation(False)  # Tab leaves the table instead of walking its cells
        th = self.totals.horizontalHeader()
        th.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            th.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        middle.addWidget(self.totals)
        middle.setStretchFactor(0, 3)
        middle.setStretchFactor(1, 2)
        middle.setSizes([520, 300])
        split.addWidget(middle)
        self.detail = DetailPane(ctx)
        self.detail.advance.connect(self.advance)
        self.tree.tab_target = self.detail.focus_value
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.detail)
        # never narrower than the pane's own minimum: the scroll area would cut its buttons off on the right
        scroll.setMinimumWidth(
            self.detail.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width()
            + 2 * scroll.frameWidth()
        )
        self.detail_scroll = scroll
        split.addWidget(scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 6)
        split.setStretchFactor(2, 5)
        split.setSizes([230, 600, 520])  # fits 1366×768; the user's own sizes are restored below
        split.setChildrenCollapsible(False)
        middle.setChildrenCollapsible(False)
        outer.addWidget(split, 1)
        self._restore_layout()
        split.splitterMoved.connect(self._save_layout)
        middle.splitterMoved.connect(self._save_layout)

        self.side_by_side: SideBySideView | None = None
        """The last side-by-side window opened (tests, screenshots)."""
        self.key_actions = self._key_actions()
        ctx.changed.connect(self.on_change)
        ctx.project_opened.connect(lambda _p: self.load_project())

    # --- keys ------------------------------------------------------------------------------------
    def _key_actions(self) -> list[QAction]:
        """The workspace's keys, one table: the main window puts these actions in its "Chấm điểm" menu and
        the "Phím tắt" page lists them from there. An entry whose keys are not a shortcut (a digit typed
        in the tree, Enter in the detail pane: handled by those widgets) shows them after a tab."""
        table: list[tuple[str, str, bool, Callable[[], object]]] = [
            (self.tr("Tìm mã hoặc tên tiêu chí"), "Ctrl+F", True, self.search.setFocus),
            (self.tr("Đến tiêu chí…"), "Ctrl+G", True, self.ask_jump),
            (self.tr("Tiêu chí tiếp theo"), "Ctrl+Down", True, lambda: self.step_leaf(1)),
            (self.tr("Tiêu chí trước"), "Ctrl+Up", True, lambda: self.step_leaf(-1)),
            (self.tr("Tiêu chí chưa chấm tiếp theo (sang đơn vị sau)"), "F8", True, self.next_unscored),
            (self.tr("Về tiêu chí trước"), "Shift+F8", True, lambda: self.step_leaf(-1)),
            (self.tr("Nhập giá trị (gõ chữ số trong cây tiêu chí)"), "0–9", False, self.detail.focus_value),
            (self.tr("Lưu và sang tiêu chí tiếp theo"), "Enter", False, self.detail.save_and_advance),
            (self.tr("Chấm theo tiêu chí (mọi đơn vị)…"), "Ctrl+Shift+U", True, self.open_side_by_side),
        ]
        for i, (name, text) in enumerate(zip(nav.FILTERS, self._filter_texts(), strict=True)):
            table.append((self.tr("Lọc: %1").replace("%1", text), f"Alt+{i}", True,
                          partial(self.set_filter, name)))
        actions = []
        for text, keys, bound, slot in table:
            action = QAction(text if bound else f"{text}\t{keys}", self)
            if bound:
                action.setShortcut(QKeySequence(keys))
            action.triggered.connect(partial(self._key_used, slot))
            self.addAction(action)
            actions.append(action)
        return actions

    def _key_used(self, slot: Callable[[], object], _checked: bool = False) -> None:
        self.wanted.emit()
        slot()

    def retranslated(self) -> None:
        """After a language switch (``ui.retranslate`` has done the fixed texts): the texts built from data
        (unit list, tree, totals, legend, the detail pane), the same unit and criterion still selected."""
        self.legend.setText(mark_legend())
        filters = self.key_actions[-len(nav.FILTERS):]  # "Lọc: %1", built from two texts
        for action, text in zip(filters, self._filter_texts(), strict=True):
            action.setText(self.tr("Lọc: %1").replace("%1", text))
        code = self.sheet.code if self.sheet is not None else None
        leaf = self.current_leaf()
        self.reload_units()
        if code is not None and self.select_unit(code) and leaf is not None:
            self.select_leaf(leaf)
        if self.side_by_side is not None:  # its own window, with texts made from data
            self.side_by_side.retranslated()

    # --- loading ---------------------------------------------------------------------------------
    def _fill_filters(self, names: tuple[str, ...]) -> None:
        """The filters the project offers ("Lĩnh vực của tôi" only on a team copy with a scope)."""
        current = self.filter_combo.currentData()
        texts = dict(zip(nav.FILTERS, self._filter_texts(), strict=True))
        self.filter_combo.blockSignals(True)
        self.filter_combo.clear()
        for name in names:
            self.filter_combo.addItem(texts[name], name)
        self.filter_combo.setCurrentIndex(max(0, self.filter_combo.findData(current)))
        self.filter_combo.blockSignals(False)

    def load_project(self) -> None:
        self.sheet = None
        if self.ctx.project is not None:
            self._fill_filters(self.ctx.read(nav.filters))
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        if self.ctx.project is not None:
            for y in self.ctx.read(ws.years):
                self.year_combo.addItem(str(y), y)
        self.year_combo.blockSignals(False)
        self._year_chosen()

    def _year_chosen(self) -> None:
        self.year = self.year_combo.currentData()
        self.kind_combo.blockSignals(True)
        self.kind_combo.clear()
        if self.year is not None:
            self.kind_combo.addItem(self.tr("Tất cả"), None)
            year = int(self.year)
            for k in self.ctx.read(lambda s: ws.kinds(s, year)):
                self.kind_combo.addItem(kind_label(k), k)
        self.kind_combo.blockSignals(False)
        self.reload_units()

    def reload_units(self) -> None:
        if self.year is None or self.ctx.project is None:
            self.units.fill([])
            return
        year, kind = int(self.year), self.kind_combo.currentData()
        self.units.fill(self.ctx.read(lambda s: ws.list_units(s, year, kind)))

    def select_unit(self, code: str) -> bool:
        for i in range(self.units.topLevelItemCount()):
            item = self.units.topLevelItem(i)
            if item is not None and item.text(0) == code:
                self.units.setCurrentItem(item)
                return True
        return False

    def _unit_chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        if item is None:
            self.sheet = None
            self.tree.clear()
            self.detail.show_leaf(None, None)
            self.approval.show_unit(None)
            return
        a_id = item.data(0, CODE_ROLE)
        self.sheet = self.ctx.read(lambda s: ws.load_unit(s, a_id))
        self.approval.show_unit(a_id, self.sheet.code, self.sheet.year)
        self.tree.fill(self.sheet)
        self.fill_totals()
        self._compute_filter()
        self.apply_filter(self.search.text())
        self.detail.show_leaf(self.sheet, None)
        first = next((r.code for r in self.sheet.leaves()), None)
        if first is not None:
            self.select_leaf(first)
        self.unit_loaded.emit(self.sheet)

    def select_leaf(self, code: str) -> bool:
        item = self.tree.items.get(code)
        if item is None:
            return False
        self.tree.setCurrentItem(item)
        self.tree.scrollToItem(item)
        return True

    def _leaf_chosen(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None = None) -> None:
        code = None if item is None else item.data(0, CODE_ROLE)
        self.detail.show_leaf(self.sheet, code)
        self.detail_scroll.verticalScrollBar().setValue(0)  # each criterion starts at its title and rule

    def current_leaf(self) -> str | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, CODE_ROLE)

    # --- totals ----------------------------------------------------------------------------------
    def fill_totals(self) -> None:
        sheet = self.sheet
        if sheet is None or sheet.score is None:
            self.header.setText(self.tr("Chọn một đơn vị"))
            self.totals.setRowCount(0)
            return
        score = sheet.score
        label = sheet.class_label(english())
        color = class_color(score.class_code).name()
        index = "—" if score.index is None else num(score.index)
        self.header.setText(
            f"<b>{sheet.code} · {sheet.name}</b> — {sheet.year} · "
            + self.tr("Chỉ số")
            + f" <b style='color:{color}'>{index} %</b> "
            + f"<span style='color:{color}'>{label}</span> · "
            + self.tr("%1 / %2 điểm").replace("%1", num(score.points)).replace("%2", num(score.max))
            + (
                " · ⊘ " + self.tr("Đã khoá: ") + ", ".join(stage_label(s) for s in sorted(sheet.locked))
                if sheet.locked
                else ""
            )
        )
        areas = sheet.area_rows()
        extra = [(self.tr("Điểm thưởng"), score.bonus), (self.tr("Điểm trừ"), -score.penalty)]
        self.totals.setRowCount(len(areas) + len(extra) + 1)
        r = 0
        for area in areas:
            idx = score.area_index(area.code)
            title = area.title_en if english() and area.title_en else area.title
            self._total_row(r, f"{area.code}. {title}", area.points, area.applicable_max, idx)
            r += 1
        for text, value in extra:
            self._total_row(r, text, value, None, None)
            r += 1
        self._total_row(r, self.tr("Tổng cộng"), score.points, score.max, score.index, bold=True)
        self.totals.resizeRowsToContents()

    def _total_row(
        self, r: int, text: str, points: Decimal, mx: Decimal | None, idx: Decimal | None, bold: bool = False
    ) -> None:
        cells = [text, num(points), num(mx), num(idx)]
        for c, value in enumerate(cells):
            item = QTableWidgetItem(value)
            if c:
                item.setTextAlignment(RIGHT)
            else:
                item.setToolTip(text)
            if bold:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            self.totals.setItem(r, c, item)

    # --- changes -----------------------------------------------------------------------------------
    def on_change(self, change: Change, initiator: object = None) -> None:
        """Refresh what ``change`` names. A change the evidence panel made itself (``initiator``) leaves
        the detail panel alone: the panel already reloaded its list, and stage values did not change."""
        sheet = self.sheet
        if sheet is not None and sheet.assessment_id in change.assessments:
            codes = {leaf for a, leaf in change.leaves if a == sheet.assessment_id}
            self.ctx.read(lambda s: ws.refresh_leaves(s, sheet, codes or None))
            touched: set[str] = set()
            for code in codes or set(sheet.rows):
                touched.add(code)
                touched.update(n.code for n in sheet.framework.ancestors(code) if n.code in sheet.rows)
            for code in touched:
                item = self.tree.items.get(code)
                if item is not None:
                    self.tree.update_row(item, sheet.rows[code])
            self.fill_totals()
            if self.filter_codes is not None:
                self._compute_filter()
                self.apply_filter(self.search.text())
            own = initiator is not None and initiator is self.detail.evidence
            if (self.current_leaf() in codes or not codes) and not own:
                self.detail.refresh()
            self.approval.refresh()  # an edit or an import may have made the approval stale
        if self.year is not None and change.assessments:
            self._update_progress(change.assessments)

    def _update_progress(self, ids: set[uuid.UUID]) -> None:
        present = {i for i in ids if i in self.units.items}
        if not present:
            return
        year = int(self.year) if self.year is not None else 0

        # Deferred: the index is shown first, the unit list catches up right after.
        def update() -> None:
            if self.ctx.project is None:
                return
            for u in self.ctx.read(lambda s: ws.list_units(s, year, only=present)):
                item = self.units.items.get(u.assessment_id)
                if item is not None:
                    self.units.update_item(item, u)

        QTimer.singleShot(0, update)

    # --- keyboard, search ------------------------------------------------------------------------
    def step_leaf(self, step: int) -> None:
        if self.sheet is None:
            return
        visible = [c for c, it in self.tree.items.items() if self.sheet.rows[c].is_leaf and not it.isHidden()]
        if not visible:
            return
        current = self.current_leaf()
        i = visible.index(current) + step if current in visible else 0
        self.select_leaf(visible[max(0, min(i, len(visible) - 1))])
        self.tree.setFocus()

    def ask_jump(self) -> None:
        code, ok = QInputDialog.getText(self, self.tr("Đến tiêu chí"), self.tr("Mã tiêu chí:"))
        if ok:
            self.jump(code.strip())

    def jump(self, code: str) -> bool:
        found = self.select_leaf(code)
        if found:
            self.tree.setFocus()
        return found

    def apply_filter(self, text: str) -> None:
        """Show the rows the search text and the filter both keep (and their parents)."""
        text = text.strip().lower()
        sheet = self.sheet
        if sheet is None:
            return
        matched: set[str] = set()
        for code, row in sheet.rows.items():
            if not text or code.lower().startswith(text) or text in row.title.lower():
                matched.add(code)
                if not row.is_leaf:  # a matching parent shows its whole branch
                    matched.update(c for c in sheet.rows if c.startswith(code + "."))
        allowed = self.filter_codes
        keep = {c for c in matched if allowed is None or c in allowed}
        for code in list(keep):
            keep.update(n.code for n in sheet.framework.ancestors(code))
        for code, item in self.tree.items.items():
            item.setHidden(code not in keep)

    def _filter_texts(self) -> list[str]:
        return [
            self.tr("Tất cả tiêu chí"),
            self.tr("Chưa chấm"),
            self.tr("Khác điểm tự chấm"),
            self.tr("Thiếu tài liệu kiểm chứng"),
            self.tr("Có xung đột"),
            self.tr("Lĩnh vực của tôi"),
        ]

    def _compute_filter(self) -> None:
        sheet, name = self.sheet, str(self.filter_combo.currentData() or "all")
        if sheet is None or name == "all":
            self.filter_codes = None
            return
        self.filter_codes = set(self.ctx.read(lambda s: nav.filtered(s, sheet, name)))

    def set_filter(self, name: str) -> None:
        self.filter_combo.setCurrentIndex(max(0, self.filter_combo.findData(name)))

    def _filter_chosen(self) -> None:
        self._compute_filter()
        self.apply_filter(self.search.text())
        current = self.tree.currentItem()
        if current is None or current.isHidden():
            self.jump_to_match()

    def advance(self) -> None:
        """On to the next criterion shown (after Enter or Tab from the save button), keyboard in its value
        field. The one just saved may have left the filter: the next is found by tree order."""
        sheet = self.sheet
        current = self.current_leaf()
        if sheet is None or current is None:
            return
        order = [r.code for r in sheet.leaves()]
        after = order[order.index(current) + 1:] if current in order else order
        target = next((c for c in after if not self.tree.items[c].isHidden()), None)
        if target is None:
            self.detail.message.setText(
                self.tr("Đây là tiêu chí cuối cùng (F8: tiêu chí chưa chấm tiếp theo).")
            )
            return
        self.select_leaf(target)
        self.detail.focus_value()

    def next_unscored(self) -> bool:
        """F8: the next leaf with no value in this unit, in tree order, then in the units that follow."""
        sheet = self.sheet
        if sheet is None:
            return False
        units = list(self.units.items)  # the list's order
        after = self.current_leaf()
        found = self.ctx.read(lambda s: nav.next_unscored(s, sheet, after, units))
        if found is None:
            self.detail.message.setText(self.tr("Mọi tiêu chí của các đơn vị trong danh sách đã được chấm."))
            return False
        a_id, code = found
        if a_id != sheet.assessment_id:
            self.units.setCurrentItem(self.units.items[a_id])
        item = self.tree.items.get(code)
        if item is not None and item.isHidden():  # the search or the filter hid it: show everything
            self.search.clear()
            self.set_filter("all")
        self.select_leaf(code)
        self.detail.focus_value()
        return True

    def open_side_by_side(self) -> SideBySideView | None:
        """The current criterion for every unit of the current unit's kind (a window; Ctrl+Shift+U)."""
        sheet, leaf = self.sheet, self.current_leaf()
        if sheet is None or leaf is None or not sheet.rows[leaf].is_leaf:
            self.detail.message.setText(self.tr("Chọn một tiêu chí (không phải nhóm) của một đơn vị."))
            return None
        # the stage being appraised: round 2 once the unit has reached it, else round 1
        stage = "appraisal2" if sheet.status in ("explanation", "appraisal2", "approved") else "appraisal1"
        try:
            view = SideBySideView(self.ctx, sheet.year, sheet.kind, leaf, stage, self)
        except UserError as exc:
            self.detail.message.setText(str(exc))
            return None
        view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        view.destroyed.connect(lambda _o=None: setattr(self, "side_by_side", None))
        self.side_by_side = view
        view.show()
        view.raise_()
        view.activateWindow()  # the keyboard goes to its table at once
        return view

    # --- layout ----------------------------------------------------------------------------------
    def _layout_settings(self) -> QSettings | None:
        if not self.ctx.persist:  # (screenshots, most tests): the user's own layout file is not touched
            return None
        return QSettings(str(config_dir() / LAYOUT_FILE), QSettings.Format.IniFormat)

    def _restore_layout(self) -> None:
        store = self._layout_settings()
        if store is None:
            return
        for key, splitter in (("workspace/split", self.split), ("workspace/middle", self.middle)):
            state = store.value(key)
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def _save_layout(self) -> None:
        store = self._layout_settings()
        if store is None:
            return
        store.setValue("workspace/split", self.split.saveState())
        store.setValue("workspace/middle", self.middle.saveState())
        store.sync()

    def jump_to_match(self) -> None:
        if self.sheet is None:
            return
        for code, item in self.tree.items.items():
            if not item.isHidden() and self.sheet.rows[code].is_leaf:
                self.select_leaf(code)
                self.tree.setFocus()
                return

    def _typed(self, event: QKeyEvent) -> None:
        if self.detail.input is None or not self.detail.input.isEnabled():
            return
        target = self.detail.input.focus_widget()
        target.setFocus()
        if hasattr(target, "selectAll"):
            target.selectAll()
        QApplication.sendEvent(
            target, QKeyEvent(QEvent.Type.KeyPress, event.key(), event.modifiers(), event.text())
        )

    def request_report(self, document: str) -> None:
        codes = [self.sheet.code] if self.sheet is not None else []
        self.report_requested.emit(document, self.year, codes)

    # --- locks -----------------------------------------------------------------------------------
    def _fill_lock_menu(self) -> None:
        self.lock_menu.clear()
        sheet = self.sheet
        if sheet is None:
            return
        a_id = sheet.assessment_id
        closed = self.ctx.read(lambda s: {st for st in ALL_STAGES if schedule.closed_for(
            s, s.get_one(Assessment, a_id), st) is not None})
        for st in ALL_STAGES:
            if st in closed and st not in sheet.locked:  # closed by its date: the committee may re-open
                text = self.tr("Mở lại sau hạn: %1").replace("%1", stage_label(st))
                action = self.lock_menu.addAction(text)
                action.triggered.connect(lambda _c=False, s=st: self.unlock(s))
            elif st in sheet.locked:
                action = self.lock_menu.addAction(self.tr("Mở khoá: %1").replace("%1", stage_label(st)))
                action.triggered.connect(lambda _c=False, s=st: self.unlock(s))
            else:
                action = self.lock_menu.addAction(self.tr("Khoá: %1").replace("%1", stage_label(st)))
                action.triggered.connect(lambda _c=False, s=st: self.lock(s))

    def lock(self, stage: str, reason: str = "") -> bool:
        sheet = self.sheet
        if sheet is None:
            return False
        a_id = sheet.assessment_id
        try:
            self.ctx.run(lambda s: locks.lock_stage(s, a_id, stage, reason=reason, **self.ctx.who))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Không khoá được"), str(exc))
            return False
        return True

    def unlock(self, stage: str, reason: str | None = None) -> bool:
        sheet = self.sheet
        if sheet is None:
            return False
        if reason is None:
            text, ok = QInputDialog.getText(self, self.tr("Mở khoá giai đoạn"), self.tr("Lý do mở khoá:"))
            if not ok:
                return False
            reason = text
        a_id = sheet.assessment_id
        try:
            self.ctx.run(lambda s: locks.unlock_stage(s, a_id, stage, reason=reason or "", **self.ctx.who))
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Không mở khoá được"), str(exc))
            return False
        return True
