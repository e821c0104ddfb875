"""The detail pane of the selected leaf: the rule in plain Vietnamese, every stage side by side, an input
that fits the rule with the points computed live, the note/reason, and the leaf's evidence."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator import i18n
from evaluator.errors import UserError
from evaluator.frameworks.model import STAGES, SURVEY_STAGE
from evaluator.services.scores import ReasonRequired, editable_stages
from evaluator.services.workspace import StageValue, TreeRow, UnitSheet, read_only_reason
from evaluator.ui import formats
from evaluator.ui.context import AppContext
from evaluator.ui.evidence_view import EvidencePanel
from evaluator.ui.inputs import RuleInput
from evaluator.ui.labels import english, num, stage_label


class DetailPane(QWidget):
    saved = Signal()
    """A value was recorded (the workspace moves on or refreshes)."""
    advance = Signal()
    """The user is done with this criterion (Enter saved it, or Tab left the save button): the workspace
    moves to the next one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.sheet: UnitSheet | None = None
        self.row: TreeRow | None = None
        self.scope_reasons: dict[str, Any] = {}
        """Stage → why it is read-only on this team copy (outside the team's areas)."""
        self.input: RuleInput | None = None
        self.typing = False
        """The input differs from the stored value by the user's hand (kept when the views refresh)."""
        self.shown: StageValue | None = None
        """The stored value the input was filled from."""
        self.note_typed = False
        """The note field holds what the user typed (not the stored value's note)."""
        self.saving = False
        """A save is under way (its reason pop-up runs an event loop: a second Enter must not save again)."""
        self.ask_reason: Callable[[], str | None] = self._ask_reason
        layout = QVBoxLayout(self)
        self.title = QLabel(self.tr("Chọn một tiêu chí trong cây để chấm điểm."))
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold; font-size: 11pt")
        layout.addWidget(self.title)
        self.rule = QLabel()
        self.rule.setWordWrap(True)
        layout.addWidget(self.rule)
        self.guidance = QLabel()
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet("color: #555")
        layout.addWidget(self.guidance)
        self.last_year = QLabel()
        """Last year's points of the leaves mapped onto this one, and the reason (shortcomings followed)."""
        self.last_year.setWordWrap(True)
        self.last_year.setStyleSheet("color: #6a1b9a")
        layout.addWidget(self.last_year)

        self.stages = QTableWidget(0, 5)
        self.stages.setHorizontalHeaderLabels(
            [
                self.tr("Giai đoạn"),
                self.tr("Điểm"),
                self.tr("Ghi chú"),
                self.tr("Người nhập"),
                self.tr("Thời gian"),
            ]
        )
        self.stages.verticalHeader().hide()
        self.stages.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.stages.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self.stages.horizontalHeader()
        for c in range(5):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        # At 1366×768 the pane is ~500 px: stage names and authors wrap in narrow columns and the note,
        # the reason of each stage's value, takes the rest and wraps too instead of showing "Đ…".
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 96)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(3, 84)
        header.setMinimumSectionSize(40)
        self.stages.setWordWrap(True)
        self.stages.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.stages.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.stages.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header.sectionResized.connect(lambda *_a: self._fit_stages())
        self.stages.setFixedHeight(140)
        layout.addWidget(self.stages)

        box = QGroupBox(self.tr("Chấm điểm"))
        grid = QGridLayout(box)
        grid.addWidget(QLabel(self.tr("Giai đoạn")), 0, 0)
        self.stage_combo = QComboBox()
        self.stage_combo.currentIndexChanged.connect(self._stage_chosen)
        grid.addWidget(self.stage_combo, 0, 1)
        self.lock_label = QLabel()
        self.lock_label.setStyleSheet("color: #b71c1c")
        self.lock_label.setWordWrap(True)  # a team copy's reason is a sentence: wrapped, not cut off
        grid.addWidget(self.lock_label, 0, 2)
        grid.addWidget(QLabel(self.tr("Giá trị")), 1, 0)
        self.input_holder = QHBoxLayout()
        grid.addLayout(self.input_holder, 1, 1, 1, 2)
        self.preview = QLabel()
        self.preview.setStyleSheet("font-weight: bold; color: #0d47a1")
        grid.addWidget(QLabel(self.tr("Điểm")), 2, 0)
        grid.addWidget(self.preview, 2, 1, 1, 2)
        self.na = QCheckBox(self.tr("Không đánh giá (không phát sinh)"))
        self.na.toggled.connect(self._update_preview)
        self.na.toggled.connect(self._typed)
        self.na.toggled.connect(self._value_edited)
        grid.addWidget(self.na, 3, 1, 1, 2)
        grid.addWidget(QLabel(self.tr("Ghi chú / lý do")), 4, 0)
        self.note = QLineEdit()
        self.note.setPlaceholderText(self.tr("Lý do: bắt buộc khi khác điểm tự chấm"))
        self.note.setToolTip(
            self.tr("Ghi chú / lý do của giá trị đang nhập; bắt buộc khi điểm thẩm định khác điểm tự chấm. "
                    "Giá trị mới không dùng lại ghi chú của giá trị cũ.")
        )
        # Enter is handled once, by keyPressEvent (the line edit passes it on after returnPressed:
        # connecting returnPressed too saved every Enter twice).
        self.note.textEdited.connect(self._typed)
        self.note.textEdited.connect(self._note_edited)
        grid.addWidget(self.note, 4, 1, 1, 2)
        buttons = QHBoxLayout()
        self.save_button = QPushButton(self.tr("Ghi điểm (Enter)"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save_and_advance)
        self.clear_button = QPushButton(self.tr("Xoá giá trị giai đoạn"))
        self.clear_button.clicked.connect(self.clear_stage)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.clear_button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 5, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b71c1c")
        grid.addWidget(self.message, 6, 0, 1, 3)
        layout.addWidget(box)

        ev_box = QGroupBox(self.tr("Tài liệu kiểm chứng"))
        ev_layout = QVBoxLayout(ev_box)
        self.evidence = EvidencePanel(ctx)
        ev_layout.addWidget(self.evidence)
        layout.addWidget(ev_box, 1)
        self.setEnabled(False)

    # --- showing ---------------------------------------------------------------------------------
    def show_leaf(self, sheet: UnitSheet | None, code: str | None) -> None:
        self.sheet = sheet
        self.row = None if sheet is None or code is None else sheet.rows.get(code)
        self.message.clear()
        if self.input is not None:
            # hidden while still a child, then deleted: made a window of its own (setParent(None)) it could
            # be activated before its deletion and take the keyboard back from the new criterion's input
            self.input.hide()
            self.input.deleteLater()
            self.input = None
        if sheet is None or self.row is None or not self.row.is_leaf:
            self.setEnabled(False)
            self.title.setText(self.tr("Chọn một tiêu chí trong cây để chấm điểm."))
            self.rule.clear()
            self.guidance.clear()
            self.last_year.clear()
            self.last_year.hide()
            self.stages.setRowCount(0)
            self.evidence.show_leaf(None, None)
            return
        self.setEnabled(True)
        node = sheet.node(self.row.code)
        most = self.tr("tối đa")
        title = node.title_en if english() and node.title_en else node.title
        self.title.setText(f"{node.code}. {title}  ({most} {num(self.row.max)})")
        extra = [
            self.tr("Bắt buộc có TLKC") if node.evidence_required else "",
            self.tr("Điểm điều tra XHH") if node.source == "survey" else "",
        ]
        self.rule.setText(
            self.tr("Cách chấm: ") + sheet.rule_text(node.code, i18n.language(), points=formats.points,
                                                     percent=formats.plain)
            + "".join(f" · {e}" for e in extra if e)
        )
        self.guidance.setText(node.guidance)
        self.guidance.setVisible(bool(node.guidance))
        self.last_year.setText(self.last_year_text(sheet, node.code))
        self.last_year.setVisible(bool(self.last_year.text()))
        self.input = RuleInput(node, sheet.kind)
        self.input.edited.connect(self._update_preview)
        self.input.edited.connect(self._typed)
        self.input.edited.connect(self._value_edited)
        self.input_holder.addWidget(self.input)
        self.input.show()  # now, not from the event loop: keys typed at once must find its fields
        self._chain_tabs()
        self.na.setVisible(node.not_applicable_allowed)
        stages = [SURVEY_STAGE] if node.source == "survey" else list(STAGES)
        # a team copy: the stages outside the team's areas are read-only, with the reason
        self.scope_reasons = self.ctx.read(lambda s: {
            st: r for st in stages if (r := read_only_reason(s, sheet, node.code, st)) is not None})
        allowed = editable_stages(self.ctx.settings.role) if self.ctx.settings.role else frozenset(stages)
        allowed = frozenset(allowed) - self.scope_reasons.keys()
        self.stage_combo.blockSignals(True)
        self.stage_combo.clear()
        for st in stages:
            suffix = " ⊘ " + self.tr("khoá") if st in sheet.locked else "" if st in allowed else " ⊘"
            self.stage_combo.addItem(stage_label(st) + suffix, st)
        preferred = next(
            (
                st
                for st in reversed(stages)
                if st in allowed and st not in sheet.locked and self.row.stages.get(st) is not None
            ),
            None,
        ) or next((st for st in stages if st in allowed and st not in sheet.locked), stages[-1])
        self.stage_combo.setCurrentIndex(stages.index(preferred))
        self.stage_combo.blockSignals(False)
        self._fill_stages()
        self._stage_chosen()
        self.evidence.show_leaf(sheet.assessment_id, node.code, self.current_stage())

    def last_year_text(self, sheet: UnitSheet, code: str) -> str:
        """ "Năm trước: 0,50 / 1,00 — lý do …" for each leaf of last year mapped onto this one."""
        parts = []
        for old in sheet.last_year.get(code, ()):
            if old.not_applicable:
                value = self.tr("không đánh giá")
            elif not old.scored:
                value = self.tr("chưa chấm")
            else:
                value = f"{formats.points(old.points)} / {formats.points(old.max)}"
            # the leaf's code when it changed, the unit's when it was a predecessor's
            where = " ".join(x for x in (old.unit, "" if old.code == code else old.code) if x)
            where = f" ({where})" if where else ""
            reason = f" — {old.note}" if old.note and old.scored and not old.not_applicable else ""
            parts.append(self.tr("Năm trước") + f"{where}: {value}{reason}")
        return "\n".join(parts)

    def value_widgets(self) -> list[QWidget]:
        """The input's own fields in the order Tab visits them (a ratio has two)."""
        inp = self.input
        if inp is None:
            return []
        found = (inp.check, inp.combo, inp.numerator, inp.denominator, inp.count, inp.number)
        return [w for w in found if w is not None]

    def _chain_tabs(self) -> None:
        """Tab order value → reason → save (→ next criterion, see ``focusNextPrevChild``). The input is
        made anew for each criterion, so it would otherwise come last in the window's chain and Tab would
        leave it for the tab bar. The not-applicable box and the clear button follow the save button."""
        chain: list[QWidget] = [
            self.stage_combo,
            *self.value_widgets(),
            self.note,
            self.save_button,
            self.na,
            self.clear_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def focus_value(self) -> bool:
        """Put the keyboard in the value field, its text selected so typing replaces it (or in the reason
        when the value cannot be changed, e.g. not applicable)."""
        widgets = [w for w in self.value_widgets() if w.isEnabled()]
        target: QWidget | None = widgets[0] if widgets else (self.note if self.note.isEnabled() else None)
        if target is None or not self.isEnabled():
            return False
        target.setFocus(Qt.FocusReason.TabFocusReason)
        select_all = getattr(target, "selectAll", None)
        if select_all is not None:
            select_all()
        return True

    def focusNextPrevChild(self, next: bool) -> bool:
        # Tab on the save button finishes the criterion: like Enter when something is typed and unsaved
        # (a refused save keeps the focus here, with its message), then on to the next criterion.
        if next and self.save_button.hasFocus():
            if self.typing:
                self.save_and_advance()
            else:
                self.advance.emit()
            return True
        return bool(super().focusNextPrevChild(next))

    def refresh(self) -> None:
        """The sheet's row changed (after an edit, an undo or an import): redraw stages and the input.

        What the user is typing and has not saved yet (e.g. refused while an import was writing) stays,
        unless that very stage's stored value changed meanwhile: then the new value is shown, and said.
        """
        if self.sheet is not None and self.row is not None:
            stage = self.current_stage()
            typed = self._typed_input() if self.typing and self.input is not None else None
            before = self.shown  # (the row itself was already updated in place)
            self.row = self.sheet.rows.get(self.row.code)
            self._fill_stages()
            self._stage_chosen()
            self.evidence.reload()
            if typed is None or self.row is None or stage is None or self.current_stage() != stage:
                return
            if self.row.stages.get(stage) != before:
                self.message.setText(self.tr("Giai đoạn này vừa được ghi giá trị mới (đang hiện); "
                                             "giá trị bạn đang nhập chưa lưu đã được thay."))
                return
            self._restore_input(typed)
            self.message.setText(self.tr("Giá trị đang nhập chưa được lưu."))

    def _fill_stages(self) -> None:
        assert self.row is not None
        stages = [SURVEY_STAGE] if self.row.source == "survey" else list(STAGES)
        self.stages.setRowCount(len(stages))
        for r, st in enumerate(stages):
            v = self.row.stages.get(st)
            final = self.row.final_stage == st
            cells = [
                stage_label(st) + (" ✓" if final else ""),
                "" if v is None else (self.tr("KĐG") if v.not_applicable else num(v.points)),
                "" if v is None else v.note,
                "" if v is None else v.author,
                "" if v is None or v.time is None else formats.moment(v.time),
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                if c == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                if final:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.stages.setItem(r, c, item)
        self._fit_stages()

    def _fit_stages(self) -> None:
        """Rows as tall as their wrapped text, the table as tall as its rows (no scrolling inside)."""
        self.stages.resizeRowsToContents()
        rows = sum(self.stages.rowHeight(r) for r in range(self.stages.rowCount()))
        header = self.stages.horizontalHeader().height()
        self.stages.setFixedHeight(max(60, rows + header + 2 * self.stages.frameWidth()))

    def _typed(self) -> None:
        self.typing = True

    def _note_edited(self) -> None:
        self.note_typed = True

    def _value_edited(self) -> None:
        """A new value starts with an empty note: the stored note was the reason for the stored value.
        Back at the stored value, its note comes back (unless the user wrote one meanwhile)."""
        if self.note_typed or self.input is None:
            return
        self.note.setText(self.shown.note if self._at_shown() and self.shown is not None else "")

    def _at_shown(self) -> bool:
        """Whether the input shows the stored value it was filled from."""
        assert self.input is not None
        v = self.shown
        if v is None:
            return False
        if self.na.isChecked() or v.not_applicable:
            return self.na.isChecked() == v.not_applicable
        value = self.input.value()
        if value is None:
            return False
        if self.input.mode == "points":
            return v.points is not None and value["points"] == v.points
        return bool(value == v.value)

    def _typed_input(self) -> tuple[dict[str, Any] | None, bool, str]:
        assert self.input is not None
        return self.input.value(), self.na.isChecked(), self.note.text()

    def _restore_input(self, typed: tuple[dict[str, Any] | None, bool, str]) -> None:
        assert self.input is not None
        value, na, note = typed
        if value is not None:
            self.input.set_value(value)
        self.na.blockSignals(True)
        self.na.setChecked(na)
        self.na.blockSignals(False)
        self.note.setText(note)
        self.note_typed = True
        self._update_preview()
        self.typing = True

    def current_stage(self) -> str | None:
        data = self.stage_combo.currentData()
        return None if data is None else str(data)

    def stage_editable(self, stage: str | None) -> bool:
        if stage is None or self.sheet is None:
            return False
        role = self.ctx.settings.role
        if stage in self.scope_reasons:
            return False
        return stage not in self.sheet.locked and (not role or stage in editable_stages(role))

    def _stage_chosen(self) -> None:
        stage = self.current_stage()
        if self.row is None or self.input is None or stage is None:
            return
        v = self.row.stages.get(stage)
        self.shown = v
        self.input.set_value(None if v is None else v.value, None if v is None else v.points)
        self.na.blockSignals(True)
        self.na.setChecked(bool(v is not None and v.not_applicable))
        self.na.blockSignals(False)
        self.note.setText("" if v is None else v.note)
        editable = self.stage_editable(stage)
        assert self.sheet is not None
        if stage in self.scope_reasons:
            self.lock_label.setText("⊘ " + self.scope_reasons[stage].render())
        elif stage in self.sheet.locked:
            self.lock_label.setText("⊘ " + self.tr("Giai đoạn đã khoá"))
        elif not editable:
            self.lock_label.setText("⊘ " + self.tr("Vai trò của bạn không sửa được giai đoạn này"))
        else:
            self.lock_label.clear()
        for w in (self.input, self.na, self.note, self.save_button, self.clear_button):
            w.setEnabled(editable)
        self._update_preview()
        self.evidence.stage = stage
        self.typing = False
        self.note_typed = False

    def _update_preview(self) -> None:
        if self.input is None:
            return
        self.input.setEnabled(not self.na.isChecked() and self.stage_editable(self.current_stage()))
        self.preview.setText(
            self.tr("không đánh giá") if self.na.isChecked() else self.input.points_preview()
        )

    # --- saving ----------------------------------------------------------------------------------
    def _ask_reason(self) -> str | None:
        own = None if self.row is None else self.row.stages.get("self")
        dialog = QInputDialog(self)
        dialog.setWindowTitle(self.tr("Cần lý do"))
        dialog.setLabelText(
            self.tr("Điểm thẩm định khác điểm tự chấm (%1). Nhập lý do cho giá trị mới:").replace(
                "%1", self.tr("KĐG") if own is not None and own.not_applicable
                else num(own.points) if own is not None else "—"
            )
        )
        dialog.setOkButtonText(self.tr("Ghi điểm"))
        dialog.setCancelButtonText(self.tr("Huỷ"))
        ok = dialog.exec() == QDialog.DialogCode.Accepted
        text = dialog.textValue()
        dialog.deleteLater()
        return text if ok and text.strip() else None

    def save(self) -> bool:
        """Record the input at the chosen stage (Enter). Asks for a reason when the stage needs one."""
        if self.sheet is None or self.row is None or self.input is None:
            return False
        stage = self.current_stage()
        if stage is None or not self.stage_editable(stage):
            return False
        kwargs: dict[str, Any] = {"note": self.note.text().strip()}
        if self.na.isChecked():
            kwargs["not_applicable"] = True
        else:
            value = self.input.value()
            if value is None:
                self.message.setText(self.tr("Chưa chọn giá trị."))
                return False
            if self.input.mode == "points":
                kwargs["points"] = value["points"]
            else:
                kwargs["value"] = value
        return self._record(stage, kwargs)

    def clear_stage(self) -> bool:
        stage = self.current_stage()
        if self.sheet is None or self.row is None or stage is None or stage not in self.row.stages:
            return False
        return self._record(stage, {"clear": True, "note": ""})

    def _record(self, stage: str, kwargs: dict[str, Any]) -> bool:
        """One user action, one call of the service: one audit event, one revision, one undo step."""
        if self.saving:
            return False
        self.saving = True
        try:
            return self._record_once(stage, kwargs)
        finally:
            self.saving = False

    def _record_once(self, stage: str, kwargs: dict[str, Any]) -> bool:
        assert self.sheet is not None and self.row is not None
        a_id, code = self.sheet.assessment_id, self.row.code
        typing, self.typing = self.typing, False  # the refresh this edit causes shows it as stored
        try:
            try:
                self.ctx.edit_score(a_id, code, stage, **kwargs)
            except ReasonRequired:
                self.typing = typing
                reason = self.ask_reason()
                if reason is None:
                    self.message.setText(self.tr("Điểm thẩm định khác điểm tự chấm: cần nhập lý do."))
                    return False
                kwargs = {**kwargs, "reason": reason.strip()}
                if not kwargs.get("note") or kwargs["note"] == (self.shown.note if self.shown else ""):
                    kwargs["note"] = reason.strip()  # the stored note belonged to the old value
                self.typing = False
                self.ctx.edit_score(a_id, code, stage, **kwargs)
        except UserError as exc:  # a refusal (also a reason refused): shown here, nothing stored
            self.typing = typing
            self.message.setText(str(exc))
            return False
        self.message.clear()
        self.saved.emit()
        return True

    def save_and_advance(self) -> bool:
        """Save (Enter, the save button) and, once stored, move on to the next criterion."""
        if not self.save():
            return False
        self.advance.emit()
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.save_and_advance()
            return
        super().keyPressEvent(event)
