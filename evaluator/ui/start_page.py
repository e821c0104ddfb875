"""The start page: create a project, open one, start a team's project from a handout, the recent projects,
the demo project."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evaluator import __version__


class StartPage(QWidget):
    open_requested = Signal(str)
    open_dialog_requested = Signal()
    create_requested = Signal()
    demo_requested = Signal()
    handout_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        column = QVBoxLayout()
        outer.addLayout(column, 3)
        outer.addStretch(1)
        column.addStretch(1)
        title = QLabel(self.tr("Thẩm định Chỉ số cải cách hành chính"))
        title.setStyleSheet("font-size: 20pt; font-weight: bold; color: #0d47a1")
        column.addWidget(title)
        sub = QLabel(
            self.tr(
                "Chỉ số CCHC (PAR Index) · tự đánh giá, thẩm định, giải trình, kết quả — "
                "làm việc không cần mạng"
            )
            + f" · evaluator {__version__}"
        )
        sub.setWordWrap(True)
        sub.setStyleSheet("color: #555; font-size: 11pt")
        column.addWidget(sub)
        column.addSpacing(16)
        buttons = QHBoxLayout()
        self.create_button = QPushButton(self.tr("Tạo dự án mới…"))
        self.open_button = QPushButton(self.tr("Mở dự án…"))
        self.handout_button = QPushButton(self.tr("Mở bản giao việc…"))
        self.handout_button.setToolTip(self.tr("Trên máy của tổ thẩm định: tạo dự án của tổ từ gói giao việc "
                                               "của hội đồng"))
        self.demo_button = QPushButton(self.tr("Mở dự án mẫu"))
        for b in (self.create_button, self.open_button, self.handout_button, self.demo_button):
            b.setMinimumHeight(40)
            buttons.addWidget(b)
        self.create_button.clicked.connect(self.create_requested)
        self.open_button.clicked.connect(self.open_dialog_requested)
        self.handout_button.clicked.connect(self.handout_requested)
        self.demo_button.clicked.connect(self.demo_requested)
        column.addLayout(buttons)
        column.addSpacing(16)
        column.addWidget(QLabel(self.tr("Dự án gần đây")))
        self.recent = QListWidget()
        self.recent.itemActivated.connect(
            lambda item: self.open_requested.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        column.addWidget(self.recent, 2)
        self.status = QLabel()
        self.status.setWordWrap(True)
        column.addWidget(self.status)
        column.addStretch(1)

    def set_recent(self, paths: list[str]) -> None:
        self.recent.clear()
        for p in paths:
            exists = "://" in p or Path(p).exists()
            missing = self.tr("không tìm thấy")
            item = QListWidgetItem(f"{Path(p).name} — {p}" if exists else f"{p} ({missing})")
            item.setData(Qt.ItemDataRole.UserRole, p)
            if not exists:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.recent.addItem(item)
        if not paths:
            self.recent.addItem(self.tr("(chưa có)"))
