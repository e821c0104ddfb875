"""The evidence viewer: a window of its own, resizable, for reading an evidence file — page by page
(◀ ▶, a page number, PgUp/PgDn) and zoomed (−, +, fit the width, 100 %) — instead of the small box the
detail pane has room for. It shows what the evidence list has selected and follows the selection."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)


class EvidenceViewer(QWidget):
    """Around a preview pane (``evidence_view.PreviewPane``, given: that module opens this window)."""

    def __init__(self, pane: Any, parent: QWidget | None = None):
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(self.tr("Xem tài liệu kiểm chứng"))
        self.resize(900, 680)  # fits beside the taskbar at 1366×768; the user may make it larger
        layout = QVBoxLayout(self)
        self.pane = pane
        bar = QHBoxLayout()
        self.prev_button = self._tool("◀", self.tr("Trang trước (PgUp)"), lambda: self.step(-1))
        self.page = QSpinBox()
        self.page.setMinimum(1)
        self.page.setKeyboardTracking(False)
        self.page.valueChanged.connect(lambda v: self.pane.go_to_page(v - 1))
        self.of_pages = QLabel()
        self.next_button = self._tool("▶", self.tr("Trang sau (PgDn)"), lambda: self.step(1))
        widgets: list[QWidget] = [self.prev_button, QLabel(self.tr("Trang")), self.page, self.of_pages,
                                  self.next_button]
        for w in widgets:
            bar.addWidget(w)
        bar.addSpacing(16)
        self.out_button = self._tool("−", self.tr("Thu nhỏ (Ctrl+-)"), lambda: self.zoom_step(-1))
        self.zoom_label = QLabel()
        self.zoom_label.setMinimumWidth(48)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.in_button = self._tool("+", self.tr("Phóng to (Ctrl++)"), lambda: self.zoom_step(1))
        self.fit_button = QPushButton(self.tr("Vừa chiều rộng"))
        self.fit_button.clicked.connect(lambda: self.set_zoom(None))
        self.actual_button = QPushButton("100 %")
        self.actual_button.clicked.connect(lambda: self.set_zoom(1.0))
        for w in [self.out_button, self.zoom_label, self.in_button, self.fit_button, self.actual_button]:
            bar.addWidget(w)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.pane.render_pages, self.pane.render_dpi = 60, 110  # without QtPdf: more pages, readable
        self.pane.shown.connect(self._shown)
        layout.addWidget(self.pane, 1)
        for text, keys, slot in (  # listed on the "Phím tắt" page under this window's title
            (self.tr("Phóng to"), QKeySequence.StandardKey.ZoomIn, lambda: self.zoom_step(1)),
            (self.tr("Thu nhỏ"), QKeySequence.StandardKey.ZoomOut, lambda: self.zoom_step(-1)),
            (self.tr("Trang sau"), QKeySequence("PgDown"), lambda: self.step(1)),
            (self.tr("Trang trước"), QKeySequence("PgUp"), lambda: self.step(-1)),
            (self.tr("Đóng cửa sổ xem"), QKeySequence("Esc"), self.close),
        ):
            action = QAction(text, self)
            if isinstance(keys, QKeySequence.StandardKey):
                action.setShortcuts(keys)  # (Ctrl++ and Ctrl+=)
            else:
                action.setShortcut(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _c=False, fn=slot: fn())
            self.addAction(action)
        self._shown("")

    def _tool(self, text: str, tip: str, slot: object) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # --- state ---------------------------------------------------------------------------------------
    def _shown(self, _kind: str) -> None:
        count = self.pane.page_count()
        self.page.blockSignals(True)
        self.page.setMaximum(max(1, count))
        self.page.setValue(self.pane.current_page() + 1 if count else 1)
        self.page.blockSignals(False)
        self.of_pages.setText("/ " + str(count) if count else "")
        for w in (self.page, self.prev_button, self.next_button):
            w.setEnabled(count > 1)
        self.setWindowTitle(self.tr("Xem tài liệu kiểm chứng") + " — " + self.pane.caption.text())
        self._zoom_shown()
        QTimer.singleShot(0, self._zoom_shown)  # once the new page view is laid out

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self._zoom_shown)  # fit-to-width: the scale follows the window's width

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, self._zoom_shown)

    def _zoom_shown(self) -> None:
        self.zoom_label.setText(f"{round(self.pane.zoom_factor() * 100)} %")

    def step(self, pages: int) -> None:
        target = max(0, min(self.pane.current_page() + pages, self.pane.page_count() - 1))
        self.pane.go_to_page(target)
        self.page.blockSignals(True)
        self.page.setValue(target + 1)
        self.page.blockSignals(False)

    def set_zoom(self, factor: float | None) -> None:
        self.pane.set_zoom(factor)
        self._zoom_shown()

    def zoom_step(self, direction: int) -> None:
        now = self.pane.zoom_factor()
        if direction > 0:
            target = next((z for z in ZOOM_STEPS if z > now + 0.01), ZOOM_STEPS[-1])
        else:
            target = next((z for z in reversed(ZOOM_STEPS) if z < now - 0.01), ZOOM_STEPS[0])
        self.set_zoom(target)
