"""Tệp → Sao lưu và khôi phục…: the project's backups listed, a backup made now, one restored into a new
file or over the project (after confirmation: the project is closed, restored, reopened), and the project
copied to a USB stick as one verified archive.

A project on the committee's PostgreSQL server (issue #17) has the same window over its server backups
(``services.server_backups``: the rows of one snapshot in an SQLite file in this computer's backups
folder): made and restored through the operation mechanism (``WriteOp``; restoring into a new file is a
``ReadOp``), restoring over the server offered to the committee role only, and the server's own refusal
(a login without the committee's grants) shown as its message, nothing changed.

``AutoBackup`` takes the automatic backups: on closing an
edited project, and at most every N minutes while edits happen (the policy is ``services.backups``')."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.errors import UserError
from evaluator.services import backups, server_backups
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import choose_folder, save_file
from evaluator.ui.job_panel import JobPanel
from evaluator.ui.operations import Job, ReadOp, WriteOp, error_text

log = logging.getLogger(__name__)


class AutoBackup(QObject):
    """Backs up the project when the GUI closes it after edits, and periodically while it is edited."""

    def __init__(self, ctx: AppContext, minutes: int = backups.PERIODIC_MINUTES):
        super().__init__(ctx)
        self.ctx = ctx
        self.minutes = minutes
        self.path: Path | None = None
        self.edited = False
        """Edited since the last automatic backup."""
        self.made: list[backups.Backup] = []
        ctx.changed.connect(self._changed)
        ctx.project_opened.connect(self._opened)

    def _changed(self, _change: Any) -> None:
        self.edited = True
        if backups.periodic_backup_due(self.path, edited=True, minutes=self.minutes):
            self._take("periodic")

    def _opened(self, project: Any) -> None:
        # emitted after the previous project was closed: its file is backed up as it was left
        if self.path is not None and self.edited and (project is None or project.path != self.path):
            self._take("close")
        self.path = getattr(project, "path", None)
        self.edited = False

    def _take(self, reason: str) -> None:
        assert self.path is not None
        try:
            self.made.append(backups.backup_file(self.path, reason))
            self.edited = False
        except (UserError, OSError) as exc:  # never in the way of closing or editing; the log tells
            log.warning("automatic backup (%s) of %s failed: %s", reason, self.path, exc)


REASON_LABELS = {
    "manual": "Sao lưu thủ công",
    "import": "Trước khi nhập dữ liệu",
    "close": "Khi đóng dự án",
    "periodic": "Định kỳ khi đang sửa",
    "restore": "Trước khi khôi phục",
    "upgrade": "Trước khi nâng cấp",
    "damaged": "Bản gốc bị hỏng, trước khi khôi phục",
    "framework-upgrade": "Trước khi chuyển sang phiên bản bộ tiêu chí mới",
    "reorganise": "Trước khi sắp xếp lại đơn vị",
    "new-year": "Trước khi tạo năm mới",
}


RESTORING_ROLE = "committee"
"""The role offered to restore over a server project (the server's grants decide in the end)."""


class BackupDialog(QDialog):
    def __init__(self, ctx: AppContext, reopen: Callable[[Path], Any], parent: QWidget | None = None):
        super().__init__(parent)
        assert ctx.project is not None
        self.ctx = ctx
        self.server = ctx.project.path is None
        """On the committee's server: its backups are listed under the database's key (never a file)."""
        self.path: Path = ctx.project.path or backups.server_key(ctx.project.url)
        self.where = (ctx.project.url.render_as_string(hide_password=True) if self.server
                      else self.path.name)
        self.reopen = reopen
        self.job: Job | None = None
        self.backups: list[backups.Backup] = []
        self.setWindowTitle(self.tr("Sao lưu và khôi phục"))
        self.resize(820, 460)
        if self.server:
            text = self.tr("Bản sao lưu của dự án trên máy chủ %1 (mới nhất ở trên), lưu trên máy này. Mỗi "
                           "bản là toàn bộ dữ liệu của dự án tại một thời điểm; tài liệu kiểm chứng nằm "
                           "trong thư mục của máy chủ. Chỉ Hội đồng được khôi phục đè lên dự án.")
        else:
            text = self.tr("Bản sao lưu của dự án %1 (mới nhất ở trên). Chương trình tự sao lưu khi đóng "
                           "dự án, trước khi nhập dữ liệu hoặc nâng cấp, và định kỳ khi đang sửa; mỗi "
                           "bản được kiểm tra ngay khi ghi.")
        intro = QLabel(text.replace("%1", self.where))
        intro.setWordWrap(True)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels([self.tr("Thời điểm"), self.tr("Lý do"), self.tr("Dung lượng"),
                                              self.tr("Mã")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        # the status line and buttons of the other dialogs (each action is quick: the bar stays hidden)
        self.panel = JobPanel(self)
        self.status = self.panel.status
        add = self.panel.add_button
        self.create_button = add(self.tr("Sao lưu ngay"), self.backup_now)
        self.restore_new_button = add(self.tr("Khôi phục vào tệp mới…"), self.restore_new)
        self.restore_over_button = add(self.tr("Khôi phục đè lên dự án…"), self.restore_over)
        self.panel.buttons.addStretch(1)  # copying the whole project away stands apart
        self.usb_button = add(self.tr("Sao chép dự án ra USB…"), self.copy_to_usb)
        self.close_button = add(self.tr("Đóng"), self.close)
        self.usb_button.setVisible(not self.server)  # a server's data is not one file to carry
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.panel)
        self.refresh()

    # --- list ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.backups = backups.list_backups(self.path)
        self.table.setRowCount(len(self.backups))
        for row, b in enumerate(self.backups):
            size = QTableWidgetItem(f"{b.size / 1024:,.0f} KB".replace(",", "."))
            size.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            cells = [QTableWidgetItem(f"{b.created.astimezone():%d/%m/%Y %H:%M:%S}"),
                     QTableWidgetItem(self.tr(REASON_LABELS.get(b.reason, b.reason))), size,
                     QTableWidgetItem(b.id)]
            for col, item in enumerate(cells):
                self.table.setItem(row, col, item)
        if self.backups:
            self.table.selectRow(0)
        self._selection_changed()

    def _selection_changed(self) -> None:
        chosen = self.selected() is not None and self.job is None
        self.restore_new_button.setEnabled(chosen)
        self.restore_over_button.setEnabled(chosen and self._may_restore_over())
        self.create_button.setEnabled(self.job is None)
        if self.server and not self._may_restore_over():
            self.restore_over_button.setToolTip(self.tr("Chỉ Hội đồng được khôi phục đè lên dự án trên máy "
                                                        "chủ."))

    def _may_restore_over(self) -> bool:
        return not self.server or self.ctx.settings.role == RESTORING_ROLE

    def selected(self) -> backups.Backup | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _show(self, text: str, error: bool = False) -> None:
        if error:
            self.panel.error(text)
        else:
            self.panel.ok(text)

    # --- actions ------------------------------------------------------------------------------------
    def backup_now(self) -> backups.Backup | None:
        if self.server:
            self._run_server(self.tr("sao lưu dự án"), lambda project, _job: backups.create_server_backup(
                project, "manual"), self._server_backed_up)
            return None
        try:
            made = backups.backup_file(self.path, "manual")
        except UserError as exc:
            self._show(str(exc), error=True)
            return None
        self.refresh()
        self._show(self.tr("Đã sao lưu và kiểm tra: %1").replace("%1", made.path.name))
        return made

    def restore_new(self, target: str | Path | None = None) -> Path | None:
        chosen = self.selected()
        if chosen is None:
            return None
        if target is None:
            suggested = str(self.path.with_name(f"{self.path.stem}-khoi-phuc.db"))
            name = save_file(self, self.tr("Khôi phục vào tệp mới"), suggested, self.tr("Dự án (*.db)"))
            if not name:
                return None
            target = name
        if self.server:
            self._run_server("", lambda project, _job: server_backups.restore_in(
                project, chosen.id, to=Path(target)), self._server_restored_new, write=False)
            return None
        try:
            done = backups.restore_backup(self.path, chosen.id, to=Path(target))
        except UserError as exc:
            self._show(str(exc), error=True)
            return None
        self._show(self.tr("Đã khôi phục vào %1.").replace("%1", str(done.target)) + self._missing(done))
        return done.target

    def restore_over(self) -> bool:
        chosen = self.selected()
        if chosen is None:
            return False
        if not self._may_restore_over():
            self._show(self.tr("Chỉ Hội đồng được khôi phục đè lên dự án trên máy chủ."), error=True)
            return False
        if self.ctx.busy:
            text = self.tr("Đang %1: hãy đợi xong rồi khôi phục.").replace("%1", self.ctx.busy)
            self._show(text, error=True)
            return False
        answer = QMessageBox.question(
            self, self.tr("Khôi phục đè lên dự án"),
            self.tr("Thay nội dung dự án %1 bằng bản sao lưu lúc %2?\n\nDự án sẽ được đóng, khôi phục rồi mở "
                    "lại. Trạng thái hiện tại được sao lưu trước nên vẫn khôi phục lại được.")
            .replace("%1", self.where).replace("%2", f"{chosen.created.astimezone():%d/%m/%Y %H:%M}"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        if self.server:  # other programs stay connected: the server restores in one transaction
            self._run_server(self.tr("khôi phục bản sao lưu"),
                             lambda project, _job: server_backups.restore_in(project, chosen.id),
                             lambda done: self._server_restored_over(chosen, done))
            return True
        self.ctx.set_project(None)  # closed first: this program holds no connection while restoring
        try:
            done = backups.restore_backup(self.path, chosen.id)
        except UserError as exc:
            self._show(str(exc), error=True)
            self.reopen(self.path)
            return False
        self.reopen(self.path)
        self.refresh()
        self._show(self.tr("Đã khôi phục bản %1; trạng thái trước đó được giữ ở bản %2.")
                   .replace("%1", chosen.id).replace("%2", done.before.id if done.before else "—")
                   + self._missing(done))
        return True

    # --- a project on the server: through the operation mechanism ----------------------------------------
    def _run_server(self, busy: str, work: Callable[[Any, Job], Any], done: Callable[[Any], None], *,
                    write: bool = True) -> Job:
        project = self.ctx.project
        assert project is not None
        self._show(self.tr("Đang làm việc với máy chủ…"))
        fn: Callable[[Job], Any] = lambda job: work(project, job)  # noqa: E731
        op = WriteOp(self, fn, ctx=self.ctx, busy=busy) if write else ReadOp(self, fn)
        op.success(lambda result: self._server_done(done, result)).failure(self._server_failed)
        self.job = op.run()
        self._selection_changed()
        return self.job

    def _server_done(self, done: Callable[[Any], None], result: Any) -> None:
        self.job = None
        self.refresh()
        done(result)

    def _server_failed(self, exc: BaseException) -> None:
        self.job = None
        self.refresh()
        self._show(error_text(exc), error=True)  # the server's refusal names the login and the rule

    def _server_backed_up(self, made: backups.Backup) -> None:
        self._show(self.tr("Đã sao lưu và kiểm tra: %1").replace("%1", made.path.name))

    def _server_restored_new(self, done: backups.Restored) -> None:
        self._show(self.tr("Đã khôi phục vào %1.").replace("%1", str(done.target)) + self._missing(done))

    def _server_restored_over(self, chosen: backups.Backup, done: backups.Restored) -> None:
        # the views read the restored rows again (the project stays open on the server)
        project = self.ctx.project
        if project is not None:
            self.reopen(project.url.render_as_string(hide_password=False))  # type: ignore[arg-type]
        self._show(self.tr("Đã khôi phục bản %1; trạng thái trước đó được giữ ở bản %2.")
                   .replace("%1", chosen.id).replace("%2", done.before.id if done.before else "—")
                   + self._missing(done))

    def _missing(self, done: backups.Restored) -> str:
        if not done.missing_evidence:
            return ""
        return " " + self.tr("Thiếu %1 tệp tài liệu kiểm chứng: %2").replace(
            "%1", str(len(done.missing_evidence))).replace("%2", ", ".join(done.missing_evidence[:5]))

    def copy_to_usb(self, folder: str | Path | None = None) -> Path | None:
        if folder is None:
            folder = choose_folder(self, self.tr("Chọn ổ USB hoặc thư mục"))
            if not folder:
                return None
        try:
            made = backups.archive_project(self.path, Path(folder))
        except UserError as exc:
            self._show(str(exc), error=True)
            return None
        self._show(self.tr("Đã chép dự án và tài liệu kiểm chứng vào %1 và đọc lại để kiểm tra: tốt.")
                   .replace("%1", str(made)))
        return made
