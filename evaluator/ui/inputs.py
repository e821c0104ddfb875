"""An input widget that fits a leaf's rule: check box, option list, numerator/denominator with the ratio,
count, value, or points with step and range. It produces the raw input the services store; the points
shown live come from the core's ``rules.evaluate``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QWidget,
)

from evaluator.frameworks.model import Node
from evaluator.scoring import InputError, evaluate
from evaluator.scoring.rules import level_points
from evaluator.ui.labels import num


class RuleInput(QWidget):
    """Raw input for one leaf of one unit kind. ``edited`` fires on every change (for the live points)."""

    edited = Signal()

    def __init__(self, node: Node, kind: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.node, self.kind = node, kind
        assert node.rule is not None
        self.rule = node.rule
        self.mx = node.max[kind]
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        k = self.rule.kind
        self.check: QCheckBox | None = None
        self.combo: QComboBox | None = None
        self.numerator: QSpinBox | None = None
        self.denominator: QSpinBox | None = None
        self.count: QSpinBox | None = None
        self.number: QDoubleSpinBox | None = None
        self.ratio = QLabel()
        if k == "binary":
            self.mode = "done"
            self.check = QCheckBox(self.tr("Đã thực hiện"))
            self.check.toggled.connect(self.edited)
            layout.addWidget(self.check)
        elif k == "options":
            self.mode = "option"
            self.combo = QComboBox()
            # Long option labels must not widen the detail pane past a 1366 px screen (set before the
            # items: Qt keeps the first minimum size it computes)...
            self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            self.combo.setMinimumContentsLength(20)
            for level in self.rule.levels:
                pts = level_points(level, kind, self.mx)
                self.combo.addItem(f"{level.label or level.code} — {num(pts)}", level.code)
            view = self.combo.view()  # ...while the open list still shows them whole
            view.setMinimumWidth(view.sizeHintForColumn(0) + 2 * view.frameWidth() + 24)
            self.combo.setCurrentIndex(-1)
            self.combo.currentIndexChanged.connect(self.edited)
            layout.addWidget(self.combo, 1)
        elif k in ("bands", "proportional") and self.rule.input == "ratio":
            self.mode = "ratio"
            self.numerator, self.denominator = QSpinBox(), QSpinBox()
            for box in (self.numerator, self.denominator):
                box.setRange(0, 10_000_000)
                box.valueChanged.connect(self._ratio_changed)
            self.numerator.setToolTip(self.tr("Số đạt (tử số)"))
            self.denominator.setToolTip(self.tr("Tổng số (mẫu số)"))
            layout.addWidget(self.numerator)
            layout.addWidget(QLabel("/"))
            layout.addWidget(self.denominator)
            layout.addWidget(self.ratio)
        elif k == "count":
            self.mode = "count"
            self.count = QSpinBox()
            self.count.setRange(0, 100_000)
            self.count.setSuffix(
                self.tr(" trường hợp") if self.rule.mode == "deduct" else self.tr(" kết quả")
            )
            self.count.valueChanged.connect(self.edited)
            layout.addWidget(self.count)
        elif k in ("manual", "survey"):
            self.mode = "points"
            self.number = QDoubleSpinBox()
            self.number.setDecimals(2)
            self.number.setRange(0, float(self.mx))
            self.number.setSingleStep(float(self.rule.step or Decimal("0.25")))
            self.number.valueChanged.connect(self.edited)
            layout.addWidget(self.number)
            layout.addWidget(QLabel(self.tr("điểm (0 – %1)").replace("%1", num(self.mx))))
        else:  # percentage value, external index, rank / min–max value
            self.mode = "value"
            self.number = QDoubleSpinBox()
            self.number.setDecimals(2)
            self.number.setRange(0, 1_000_000)
            self.number.valueChanged.connect(self.edited)
            layout.addWidget(self.number)
            layout.addWidget(QLabel("%" if k in ("bands", "proportional") else self.tr("giá trị")))
        layout.addStretch(0)
        self.setFocusProxy(self.focus_widget())

    def focus_widget(self) -> QWidget:
        for w in (self.check, self.combo, self.numerator, self.count, self.number):
            if w is not None:
                return w
        return self

    def _ratio_changed(self) -> None:
        assert self.numerator is not None and self.denominator is not None
        den = self.denominator.value()
        self.ratio.setText("= " + (num(self.numerator.value() * 100 / den) + " %" if den else "—"))
        self.edited.emit()

    def value(self) -> dict[str, Any] | None:
        """The raw input, or None when nothing was chosen yet."""
        if self.check is not None:
            return {"done": self.check.isChecked()}
        if self.combo is not None:
            code = self.combo.currentData()
            return None if code is None else {"option": code}
        if self.numerator is not None and self.denominator is not None:
            return {"numerator": self.numerator.value(), "denominator": self.denominator.value()}
        if self.count is not None:
            return {"count": self.count.value()}
        assert self.number is not None
        x = Decimal(str(round(self.number.value(), 2)))
        return {"points": x} if self.mode == "points" else {"value": x}

    def set_value(self, value: Any, points: Decimal | None = None) -> None:
        """Show a stored input (``value`` dict) or, when only points were stored, those points."""
        self.blockSignals(True)
        try:
            value = value if isinstance(value, dict) else {}
            if self.check is not None:
                done = value.get("done")
                self.check.setChecked(bool(done) if done is not None else bool(points and points > 0))
            elif self.combo is not None:
                self.combo.setCurrentIndex(self.combo.findData(value.get("option")))
            elif self.numerator is not None and self.denominator is not None:
                self.denominator.setValue(int(value.get("denominator", 0) or 0))
                self.numerator.setValue(int(value.get("numerator", 0) or 0))
                self._ratio_changed()
            elif self.count is not None:
                self.count.setValue(int(value.get("count", 0) or 0))
            elif self.number is not None:
                raw = value.get("points", points) if self.mode == "points" else value.get("value")
                self.number.setValue(float(raw) if raw is not None else 0.0)
        finally:
            self.blockSignals(False)

    def points_preview(self) -> str:
        """What the rule gives for the current input (core ``evaluate``), as text."""
        value = self.value()
        if value is None:
            return ""
        try:
            result = evaluate(self.node, self.kind, value)
        except InputError as exc:
            return str(exc)
        if result.not_applicable:
            return self.tr("không đánh giá")
        if result.points is None:
            return self.tr("điểm tính theo các đơn vị cùng loại")
        return self.tr("%1 điểm").replace("%1", num(result.points))
