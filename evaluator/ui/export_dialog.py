"""A team's package for the committee (Trao đổi › Xuất gói dữ liệu cho hội đồng…): years and units (default:
all), author, optional signature. The work is ``services.exchange.export_package``, written through
``ui.package_writer`` as the committee's handout is (``ui.handout_dialog``)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from evaluator.errors import UserError
from evaluator.exchange.volumes import parse_volume_size
from evaluator.services import workspace as ws
from evaluator.services.exchange import increments
from evaluator.services.progress import Progress
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import save_file
from evaluator.ui.operations import Job
from evaluator.ui.package_writer import SignedPackageWriter

PACKAGE_FILTER = "CCHC (*.cchc);;* (*)"


def _units_of(session: Any, year: int) -> list[Any]:
    return ws.list_units(session, year)


class ExportDialog(QDialog):
    """A team's package for the committee: years and units (default: all), author, optional signature."""

    exported = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.report: Any = None
        self.setWindowTitle(self.tr("Xuất gói dữ liệu cho hội đồng"))
        self.resize(720, 690)  # with its title bar, above the taskbar of a 1366×768 screen
        form = QFormLayout(self)
        self.years = QListWidget()
        self.years.setMaximumHeight(70)
        years = ctx.read(ws.years) if ctx.project is not None else []
        for y in years:
            item = QListWidgetItem(str(y))
            item.setData(Qt.ItemDataRole.UserRole, y)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if y == max(years) else Qt.CheckState.Unchecked)
            self.years.addItem(item)
        form.addRow(self.tr("Năm"), self.years)
        self.units = QListWidget()
        self.all_units = QCheckBox(self.tr("Mọi đơn vị"))
        self.all_units.setChecked(True)
        self.all_units.toggled.connect(lambda on: self.units.setEnabled(not on))
        self.units.setEnabled(False)
        seen: set[str] = set()
        for y in years:
            for u in ctx.read(partial(_units_of, year=y)):
                if u.code in seen:
                    continue
                seen.add(u.code)
                item = QListWidgetItem(f"{u.code} — {u.name}")
                item.setData(Qt.ItemDataRole.UserRole, u.code)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.units.addItem(item)
        form.addRow(self.tr("Đơn vị"), self.all_units)
        form.addRow(self.units)
        self.author = QLineEdit(ctx.settings.name)
        form.addRow(self.tr("Người lập gói"), self.author)
        self.out = QLineEdit(str(self._default_out()))
        row = QWidget()
        rl = QHBoxLayout(row)
        rl.setContentsMargins(0, 0, 0, 0)
        rl.addWidget(self.out, 1)
        browse = QPushButton(self.tr("Chọn…"))
        browse.clicked.connect(self._pick_out)
        rl.addWidget(browse)
        form.addRow(self.tr("Lưu vào"), row)
        # after the first package, only what is new by default (the service writes a full one the first time)
        last = ctx.read(increments.last_described) if ctx.project is not None else None
        self.since_last = QCheckBox(self.tr("Chỉ những gì mới"))
        self.since_last.setChecked(last is not None)
        self.builds_on = QLabel(
            self.tr("Nối tiếp gói trước: %1").replace("%1", last.render()) if last is not None
            else self.tr("Dự án chưa xuất gói nào: gói đầu tiên là gói đầy đủ."))
        self.builds_on.setWordWrap(True)
        self.since_last.toggled.connect(self.builds_on.setEnabled)
        self.builds_on.setEnabled(last is not None)
        form.addRow(self.since_last)
        form.addRow(self.builds_on)
        self.split = QCheckBox(self.tr("Chia thành nhiều tập, mỗi tập không quá"))
        self.volume_size = QLineEdit("4000M")
        self.volume_size.setEnabled(False)
        self.split.toggled.connect(self.volume_size.setEnabled)
        form.addRow(self.split, self.volume_size)
        # the sign tick, the key and the job: the handout dialog's own (ui/package_writer.py)
        self.writer = SignedPackageWriter(self, sign=self.tr("Ký số gói dữ liệu"),
                                          write=self.tr("Xuất gói"), close=self.accept)
        self.sign, self.key, self.panel = self.writer.sign, self.writer.key, self.writer.panel
        self.progress, self.status = self.panel.progress, self.panel.status
        self.export_button = self.writer.write_button
        self.writer.on_write = self.export
        self.writer.done.connect(self._done)
        self.writer.failed.connect(self.failed)
        form.addRow(self.writer)

    @property
    def job(self) -> Job | None:
        return self.writer.job

    def _default_out(self) -> Path:
        project = self.ctx.project
        folder = (
            Path(project.path).parent if project is not None and project.path is not None else Path.home()
        )
        who = (self.ctx.settings.name or "to-tham-dinh").replace(" ", "-")
        return folder / f"{who}.cchc"

    def _pick_out(self) -> None:
        name = save_file(self, self.tr("Lưu gói dữ liệu"), self.out.text(), PACKAGE_FILTER)
        if name:
            self.out.setText(name if name.lower().endswith(".cchc") else name + ".cchc")

    def _checked(self, widget: QListWidget) -> list[Any]:
        return [
            widget.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(widget.count())
            if widget.item(i).checkState() == Qt.CheckState.Checked
        ]

    def export(self) -> Job | None:
        project = self.ctx.project
        if project is None or self.writer.job is not None:
            return None
        years = [int(y) for y in self._checked(self.years)]
        units = None if self.all_units.isChecked() else [str(c) for c in self._checked(self.units)]
        if not years:
            self.writer.error(self.tr("Chọn ít nhất một năm."))
            return None
        if units is not None and not units:
            self.writer.error(self.tr("Chọn ít nhất một đơn vị."))
            return None
        out, author = Path(self.out.text().strip()), self.author.text().strip()
        since_last = self.since_last.isChecked()
        volume_size = None
        if self.split.isChecked():
            try:
                volume_size = parse_volume_size(self.volume_size.text())
            except UserError as exc:
                self.writer.error(exc.render())
                return None

        def work(signer: Any, progress: Progress) -> Any:
            from evaluator.services.exchange import export_package

            return export_package(project, out, years=years, units=units, author=author, signer=signer,
                                  progress=progress, since_last=since_last, volume_size=volume_size)

        return self.writer.run(work, self.tr("Đang xuất…"), self.tr("Không xuất được: %1"), ctx=self.ctx)

    def _done(self, report: Any) -> None:
        self.report = report
        self.exported.emit(report)
