"""The block at the foot of a dialog that runs a job: a progress bar (hidden while idle), a status line and a
row of buttons — built once here instead of by each dialog.

API (for the report, sign and exchange dialogs)::

    panel = JobPanel(self, stretch=True)           # stretch: buttons pushed right (else they fill the row)
    form.addRow(panel)
    go = panel.add_button(self.tr("Ký"), self.sign, default=True)
    panel.start(self.tr("Đang ký…"), total=0)      # shows the bar: busy when total is 0, else 0..total
    panel.step(3, "SO01")                          # a counted job: value 3, status "3/total · SO01"
    panel.transfer(fraction, message, text)        # a byte report: "text x MB / y MB, còn khoảng n phút"
    panel.finish()                                 # hides the bar
    panel.ok(text) / panel.error(text) / panel.say(text)   # the status line: green, red, plain

Create it with the dialog as parent (then place it anywhere in the dialog's layout): a default button is
the dialog's only when the dialog is among its parents as it is made. ``log=True`` makes the status a
read-only multi-line text (an export's report) instead of a label. ``inline=True`` lays the block out as one
row — buttons, a short bar, the status taking the rest — for a dialog whose results fill the space below
(the import centre).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

if TYPE_CHECKING:
    from evaluator.services.exchange.meter import TimeLeft

ERROR_STYLE = "color: #b71c1c"
OK_STYLE = "color: #2e7d32"


class JobPanel(QWidget):
    """Progress bar, status line and buttons of a dialog that runs one job at a time."""

    def __init__(
        self, parent: QWidget | None = None, *, stretch: bool = False, log: bool = False, inline: bool = False
    ):
        super().__init__(parent)
        # never taller than its contents: the dialog's lists and tables take the room left over
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout: QHBoxLayout | QVBoxLayout = QHBoxLayout(self) if inline else QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.buttons = QHBoxLayout()
        if inline:
            layout.addLayout(self.buttons)
        self.progress = QProgressBar()
        self.progress.hide()
        if inline:
            self.progress.setMaximumWidth(160)
        layout.addWidget(self.progress)
        self.status: QLabel | QPlainTextEdit
        if log:
            self.status = QPlainTextEdit()
            self.status.setReadOnly(True)
            self.status.setMaximumHeight(110)
        else:
            self.status = QLabel()
            self.status.setWordWrap(True)
            self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status, 1 if inline else 0)
        if stretch:
            self.buttons.addStretch(1)
        if not inline:
            layout.addLayout(self.buttons)
        self._left: TimeLeft | None = None

    def add_button(
        self, text: str, slot: Callable[[], object], *, default: bool = False, enabled: bool = True
    ) -> QPushButton:
        button = QPushButton(text)
        button.setDefault(default)
        button.setEnabled(enabled)
        button.clicked.connect(lambda _checked=False: slot())
        self.buttons.addWidget(button)
        return button

    # --- the job ---------------------------------------------------------------------------------------
    def start(self, text: str, total: int = 0) -> None:
        """A job started: the bar shows (busy while ``total`` is 0), the status says ``text``."""
        self._left = None  # the time left of a byte transfer is measured from its own first report
        self.progress.setRange(0, total)
        self.progress.setValue(0)
        self.progress.show()
        self.say(text)

    def step(self, done: int, text: str) -> bool:
        """``done`` of a counted job; False (nothing shown) when the job is not counted."""
        if not self.progress.maximum():
            return False
        self.progress.setValue(done)
        self._set(f"{done}/{self.progress.maximum()} · {text}")
        return True

    def transfer(self, fraction: float, message: str, text: str = "") -> bool:
        """A service's byte report (``services.exchange.meter``): the bar at ``fraction``, the status
        "``text`` x MB / y MB, còn khoảng n phút"; False (nothing shown) for any other report."""
        from evaluator.services.exchange.meter import TimeLeft, parse_bytes

        found = parse_bytes(message)
        if found is None:
            return False
        if self._left is None:
            self._left = TimeLeft()
        self.progress.setRange(0, 1000)
        self.progress.setValue(round(fraction * 1000))
        self._set(f"{text} {self._left.message(found[1], found[2])}".strip())
        return True

    def finish(self) -> None:
        self.progress.hide()
        self._left = None

    # --- the status line -------------------------------------------------------------------------------
    def say(self, text: str) -> None:
        self.status.setStyleSheet("")
        self._set(text)

    def ok(self, text: str) -> None:
        self.status.setStyleSheet(OK_STYLE)
        self._set(text)

    def error(self, text: str) -> None:
        self.status.setStyleSheet(ERROR_STYLE)
        self._set(text)

    def text(self) -> str:
        status = self.status
        return status.toPlainText() if isinstance(status, QPlainTextEdit) else status.text()

    def _set(self, text: str) -> None:
        if isinstance(self.status, QPlainTextEdit):
            self.status.setPlainText(text)
        else:
            self.status.setText(text)
