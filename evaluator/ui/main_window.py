"""The main window: the start page, then the workspace, results and audit tabs; menus for projects,
undo/redo and settings; the user shown in the status bar; opening projects in a worker thread."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from evaluator import i18n
from evaluator.models import Project
from evaluator.services.history import EvidenceEdit
from evaluator.services.progress import Cancelled
from evaluator.services.project_setup import set_up_project
from evaluator.services.projects import open_existing
from evaluator.services.users import set_user
from evaluator.ui.about import show_about
from evaluator.ui.audit_view import AuditView
from evaluator.ui.backup_dialog import AutoBackup, BackupDialog
from evaluator.ui.conflict_view import ConflictView
from evaluator.ui.context import AppContext
from evaluator.ui.criteria_window import CriteriaWindow
from evaluator.ui.dialogs import UserDialog, open_file
from evaluator.ui.exchange_dialogs import ImportCentre
from evaluator.ui.export_dialog import ExportDialog
from evaluator.ui.handout_dialog import HandoutDialog, OpenHandoutDialog
from evaluator.ui.labels import role_label
from evaluator.ui.new_project_wizard import NewProject, NewProjectWizard
from evaluator.ui.new_year_wizard import NewYearWizard
from evaluator.ui.operations import Job, ReadOp, error_text, show_error
from evaluator.ui.progress_view import ProgressWindow
from evaluator.ui.report_dialog import ReportDialog
from evaluator.ui.report_setup_dialog import ReportSetupDialog
from evaluator.ui.results_view import ResultsView
from evaluator.ui.retranslate import retranslate
from evaluator.ui.shortcuts_page import ShortcutsDialog
from evaluator.ui.sign_dialog import SignDialog
from evaluator.ui.start_page import StartPage
from evaluator.ui.teams_window import TeamsWindow
from evaluator.ui.translator import install_language
from evaluator.ui.units_window import UnitsWindow
from evaluator.ui.verify_dialog import VerifyDialog
from evaluator.ui.workspace_view import WorkspaceView

VIEWS = ("workspace", "results", "audit", "conflicts")


class MainWindow(QMainWindow):
    opened = Signal(object)
    """Emitted with the project once it is open and shown."""
    open_failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.demo_builder: Callable[[Job], Path] | None = None
        self.setWindowTitle(self.tr("Thẩm định Chỉ số CCHC"))
        self.stack = QStackedWidget()
        self.start_page = StartPage()
        self.tabs = QTabWidget()
        self.workspace = WorkspaceView(ctx)
        self.results = ResultsView(ctx)
        self.audit = AuditView(ctx)
        self.conflicts = ConflictView(ctx)
        self.tabs.addTab(self.workspace, self.tr("Thẩm định"))
        self.tabs.addTab(self.results, self.tr("Kết quả"))
        self.tabs.addTab(self.audit, self.tr("Nhật ký"))
        self.tabs.addTab(self.conflicts, self.tr("Xung đột"))
        self.dialog: Any = None
        """The last report/exchange dialog opened (tests and screenshots reach it here)."""
        self.pending_import: list[str] = []
        self._units_by_hand = False  # set by create_project: open the Đơn vị window once the project is open
        """Team packages given on the command line: the import centre opens once a project is open."""
        self.workspace.report_requested.connect(self.report_dialog)
        self.workspace.wanted.connect(lambda: self.show_view("workspace"))
        self.results.report_requested.connect(self.report_dialog)
        self.stack.addWidget(self.start_page)
        self.stack.addWidget(self.tabs)
        self.setCentralWidget(self.stack)
        self.start_page.open_requested.connect(self.open_project)
        self.start_page.open_dialog_requested.connect(self.open_dialog)
        self.start_page.create_requested.connect(self.create_dialog)
        self.start_page.demo_requested.connect(self.open_demo)
        self.start_page.handout_requested.connect(self.open_handout_dialog)
        self.start_page.set_recent(ctx.settings.recent)

        self.user_label = QLabel()
        self.project_label = QLabel()
        self.busy_label = QLabel()
        self.busy_label.setStyleSheet("color: #b45309; padding: 0 12px")  # amber: a state, not an error
        self.busy_label.hide()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(180)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("Huỷ"))
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        status = self.statusBar()
        status.addWidget(self.project_label, 1)
        status.addPermanentWidget(self.busy_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        status.addPermanentWidget(self.user_label)
        self._menus()
        self.show_user()
        ctx.user_changed.connect(self.show_user)
        ctx.history_changed.connect(self._history_changed)
        ctx.busy_changed.connect(self._busy_changed)
        self._history_changed()
        self.auto_backup = AutoBackup(ctx)

    def _menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu(self.tr("&Tệp"))
        self._action(file, self.tr("Trang bắt đầu"), lambda: self.stack.setCurrentIndex(0))
        self._action(file, self.tr("Mở dự án…"), self.open_dialog, QKeySequence.StandardKey.Open)
        self._action(file, self.tr("Tạo dự án mới…"), self.create_dialog, QKeySequence.StandardKey.New)
        self._action(file, self.tr("Mở dự án mẫu"), self.open_demo)
        file.addSeparator()
        self._action(file, self.tr("Bộ tiêu chí…"), self.criteria_window)
        self._action(file, self.tr("Đơn vị…"), self.units_window)
        self._action(file, self.tr("Năm mới…"), self.new_year_wizard)
        self._action(file, self.tr("Tổ thẩm định và lịch…"), self.teams_window)
        file.addSeparator()
        self._action(file, self.tr("Sao lưu và khôi phục…"), self.backup_dialog)
        file.addSeparator()
        self._action(file, self.tr("Thoát"), self.close, QKeySequence.StandardKey.Quit)
        edit = bar.addMenu(self.tr("&Sửa"))
        self.undo_action = self._action(edit, self.tr("Hoàn tác"), self.undo, QKeySequence("Ctrl+Z"))
        self.redo_action = self._action(edit, self.tr("Làm lại"), self.redo, QKeySequence("Ctrl+Y"))
        view = bar.addMenu(self.tr("&Xem"))
        names = (self.tr("Thẩm định"), self.tr("Kết quả"), self.tr("Nhật ký"), self.tr("Xung đột"))
        for i, name in enumerate(names):
            self._action(view, name, partial(self.show_view, VIEWS[i]), QKeySequence(f"Ctrl+{i + 1}"))
        view.addSeparator()
        self._action(view, self.tr("Tiến độ theo tổ và lĩnh vực…"), self.progress_window)
        scoring = bar.addMenu(self.tr("C&hấm điểm"))  # the workspace's own keys (see WorkspaceView)
        scoring.addActions(self.workspace.key_actions)
        reports = bar.addMenu(self.tr("&Báo cáo"))
        self._action(reports, self.tr("Biên bản thẩm định…"), partial(self.report_dialog, "appraisal"))
        self._action(reports, self.tr("Báo cáo tự đánh giá…"), partial(self.report_dialog, "self"))
        # provinces publish the results by the People's Committee's decision (issue 15): it is the publication
        self._action(reports, self.tr("Công bố kết quả của năm…"), partial(self.report_dialog, "decision"))
        self._action(reports, self.tr("Báo cáo phân tích kết quả…"), partial(self.report_dialog, "analysis"))
        reports.addSeparator()
        for document, text in (
            ("appraisal_xlsx", self.tr("Bảng thẩm định (Excel)…")),
            ("results_xlsx", self.tr("Bảng kết quả (Excel)…")),
        ):
            self._action(reports, text, partial(self.report_dialog, document))
        reports.addSeparator()
        self._action(reports, self.tr("Thông tin trên văn bản (hội đồng, đơn vị)…"), self.report_setup_dialog)
        reports.addSeparator()
        self._action(reports, self.tr("Ký số tệp PDF…"), self.sign_dialog)
        self._action(reports, self.tr("Kiểm tra chữ ký số…"), self.verify_dialog)
        exchange = bar.addMenu(self.tr("&Trao đổi"))
        self._action(exchange, self.tr("Trung tâm nhập dữ liệu…"), self.import_centre)
        self._action(exchange, self.tr("Xuất gói dữ liệu cho hội đồng…"), self.export_dialog)
        self._action(exchange, self.tr("Xung đột"), partial(self.show_view, "conflicts"))
        exchange.addSeparator()
        self._action(exchange, self.tr("Giao việc cho tổ…"), self.handout_dialog)
        self._action(exchange, self.tr("Mở bản giao việc…"), self.open_handout_dialog)
        settings = bar.addMenu(self.tr("&Cài đặt"))
        self._action(settings, self.tr("Người sử dụng và ngôn ngữ…"), self.edit_user)
        help_menu = bar.addMenu(self.tr("&Trợ giúp"))
        self._action(help_menu, self.tr("Phím tắt…"), self.shortcuts_page, QKeySequence("F1"))
        self._action(help_menu, self.tr("Giới thiệu…"), lambda: show_about(self))

    def _action(self, menu: Any, text: str, slot: Callable[[], Any], shortcut: Any = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def shortcuts_page(self) -> ShortcutsDialog:
        self.dialog = ShortcutsDialog(self)
        self.dialog.show()
        return self.dialog

    # --- user ----------------------------------------------------------------------------------------
    def show_user(self) -> None:
        s = self.ctx.settings
        self.user_label.setText(
            self.tr("Người dùng: ")
            + (f"{s.name} · {role_label(s.role)}" if s.configured else self.tr("chưa đặt người sử dụng"))
        )

    def edit_user(self) -> bool:
        dialog = UserDialog(self.ctx.settings, self)
        if not dialog.exec():
            return False
        name, role, language = dialog.values()
        set_user(self.ctx.settings, name, role)
        changed_language = language != i18n.language()  # the language running (`--lang`), not the saved one
        self.ctx.settings.language = language
        self.ctx.save_settings()
        if changed_language:
            self.set_language(language)
        self.ctx.user_changed.emit()
        if self.workspace.sheet is not None:  # the editable stages follow the role
            self.workspace.detail.show_leaf(self.workspace.sheet, self.workspace.current_leaf())
        return True

    def set_language(self, language: str) -> None:
        """Switch the language at once: Qt's translator and the messages' language, every text the windows
        show (``ui.retranslate``), then what the views build from data, made again."""
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        install_language(app, language)
        retranslate(self, language)
        self.show_user()
        self._history_changed()
        if self.ctx.project is not None:
            info = self.ctx.project.info()
            self.setWindowTitle(f"{info.name} — " + self.tr("Thẩm định Chỉ số CCHC"))
        self.workspace.retranslated()
        # the other views build their rows in the language: again now if shown, else when next shown
        for view, again in ((self.results, self.results.recompute), (self.audit, self.audit.reload),
                            (self.conflicts, self.conflicts.reload)):
            view.stale = True
            if view.isVisible():
                again()

    # --- reports and exchange -----------------------------------------------------------------------
    def _selection(self) -> tuple[int | None, list[str]]:
        """The year and unit(s) selected in the view shown (workspace or results)."""
        if self.tabs.currentWidget() is self.results:
            year = self.results.year_combo.currentData()
            code = self.results.selected_code()
        else:
            year = self.workspace.year
            code = self.workspace.sheet.code if self.workspace.sheet is not None else None
        return (None if year is None else int(year)), ([code] if code else [])

    def _needs_project(self) -> bool:
        if self.ctx.project is None:
            QMessageBox.information(self, self.tr("Chưa mở dự án"), self.tr("Mở một dự án trước."))
            return False
        return True

    def report_dialog(self, document: str = "appraisal", year: Any = None, codes: Any = None) -> Any:
        if not self._needs_project():
            return None
        shown_year, shown_codes = self._selection()
        self.dialog = ReportDialog(
            self.ctx,
            document,
            year if year is not None else shown_year,
            list(codes) if codes is not None else shown_codes,
            self,
        )
        self.dialog.show()
        return self.dialog

    def report_setup_dialog(self) -> ReportSetupDialog | None:
        if not self._needs_project():
            return None
        self.dialog = ReportSetupDialog(self.ctx, self)
        self.dialog.show()
        return self.dialog

    def backup_dialog(self) -> BackupDialog | None:
        if not self._needs_project():
            return None
        self.dialog = BackupDialog(self.ctx, self.open_project, self)
        self.dialog.show()
        return self.dialog

    def sign_dialog(self) -> SignDialog:
        self.dialog = SignDialog(None, self)
        self.dialog.show()
        return self.dialog

    def verify_dialog(self) -> VerifyDialog:
        self.dialog = VerifyDialog(self.ctx, None, self)
        self.dialog.show()
        return self.dialog

    def import_centre(self, files: list[str] | None = None) -> ImportCentre | None:
        if not self._needs_project():
            return None
        dialog = ImportCentre(self.ctx, files, self)
        self.dialog = dialog
        dialog.show()
        if files:
            dialog.preview()
        return dialog

    def export_dialog(self) -> ExportDialog | None:
        if not self._needs_project():
            return None
        self.dialog = ExportDialog(self.ctx, self)
        self.dialog.show()
        return self.dialog

    def handout_dialog(self) -> HandoutDialog | None:
        if not self._needs_project():
            return None
        self.dialog = HandoutDialog(self.ctx, self)
        self.dialog.show()
        return self.dialog

    def open_handout_dialog(self, package: str | Path = "") -> OpenHandoutDialog:
        """A team's project from a handout; once made it is opened (the open project, if any, stays open
        until then)."""
        dialog = OpenHandoutDialog(self.ctx, package, self)
        dialog.created.connect(lambda made: self.open_project(made.path))
        self.dialog = dialog
        dialog.show()
        return dialog

    def offer_handout(self, files: list[str]) -> bool:
        """A handout double-clicked with no project open: offer to start the team's project from it."""
        from evaluator.services.handout import is_handout

        if self.ctx.project is not None or len(files) != 1 or not is_handout(files[0]):
            return False
        self.open_handout_dialog(files[0])
        return True

    # --- undo ----------------------------------------------------------------------------------------
    def _history_changed(self) -> None:
        history = self.ctx.history
        self.undo_action.setEnabled(history.can_undo)
        self.redo_action.setEnabled(history.can_redo)
        undo, redo = history.next_undo, history.next_redo
        self.undo_action.setText(self.tr("Hoàn tác") + (": " + self.step_text(undo) if undo else ""))
        self.redo_action.setText(self.tr("Làm lại") + (": " + self.step_text(redo) if redo else ""))

    def step_text(self, step: Any) -> str:
        """What an undo step changed, as the Edit menu names it ("điểm 1.1.3 của SO01")."""
        if isinstance(step, EvidenceEdit):
            text = {
                "attach": self.tr("đính kèm tệp %1 vào %2 của %3"),
                "remove": self.tr("gỡ tệp %1 khỏi %2 của %3"),
            }.get(step.action, self.tr("trích dẫn của tệp %1 ở %2 của %3"))
            return text.replace("%1", step.file_name).replace("%2", step.leaf).replace("%3", step.unit)
        return self.tr("điểm %1 của %2").replace("%1", step.leaf).replace("%2", step.unit)

    def _busy_changed(self, task: str) -> None:
        self.busy_label.setText(self.tr("Đang %1 — chưa sửa được dữ liệu").replace("%1", task))
        self.busy_label.setVisible(bool(task))

    def _guard(self, fn: Callable[[], Any]) -> None:
        try:
            fn()
        except Exception as exc:  # a failed undo (e.g. the stage was locked since) is shown, not raised
            QMessageBox.warning(self, self.tr("Không thực hiện được"), str(exc))

    def undo(self) -> None:
        self._guard(self.ctx.undo)

    def redo(self) -> None:
        self._guard(self.ctx.redo)

    # --- projects ------------------------------------------------------------------------------------
    def show_view(self, name: str) -> None:
        if name == "start" or self.ctx.project is None:
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        self.tabs.setCurrentIndex(VIEWS.index(name))

    def open_dialog(self) -> None:
        name = open_file(self, self.tr("Mở dự án"), self.tr("Dự án (*.db);;* (*)"))
        if name:
            self.open_project(name)

    def create_dialog(self) -> NewProjectWizard:
        """The new-project wizard (window-modal); the open project stays open until the new one is made."""
        wizard = NewProjectWizard(self)
        wizard.accepted.connect(lambda: self.create_project(wizard.new_project()))
        self.dialog = wizard
        wizard.open()
        return wizard

    def create_project(self, new: NewProject) -> Job:
        """Make the project the wizard gathered (one service call, all or nothing), then open it."""
        s = self.ctx.settings
        # no unit list given: the units are added by hand, in the Đơn vị window opened with the project
        self._units_by_hand = new.units is None

        def make(_job: Job) -> Project:
            # the list the wizard checked, with the year's assessments; refused: no project file left
            return set_up_project(new.path, new.year, name=new.name, province=new.province, sets=new.sets,
                                  report_setup=new.report_setup, units=new.units, author=s.name,
                                  role=s.role).project

        return self._start_open(make)

    def criteria_window(self) -> CriteriaWindow | None:
        if not self._needs_project():
            return None
        self.dialog = CriteriaWindow(self.ctx, self)
        self.dialog.show()
        return self.dialog

    def new_year_wizard(self) -> NewYearWizard | None:
        """Year Y from year Y-1 (``services.new_year``): the wizard creates it through a ``WriteOp``."""
        if not self._needs_project():
            return None
        wizard = NewYearWizard(self.ctx, self)
        self.dialog = wizard
        wizard.open()
        return wizard
    def progress_window(self) -> ProgressWindow | None:
        if not self._needs_project():
            return None
        self.dialog = ProgressWindow(self.ctx, self)
        self.dialog.show()
        return self.dialog

    def teams_window(self) -> TeamsWindow | None:
        if not self._needs_project():
            return None
        self.dialog = TeamsWindow(self.ctx, self)
        self.dialog.show()
        return self.dialog

    def units_window(self) -> UnitsWindow | None:
        if not self._needs_project():
            return None
        self.dialog = UnitsWindow(self.ctx, self)
        self.dialog.show()
        return self.dialog

    def open_demo(self) -> None:
        if self.demo_builder is not None:
            builder = self.demo_builder
            self._start_open(lambda job: open_existing(builder(job)))

    def open_project(self, path: str | Path) -> Job:
        return self._start_open(lambda job: open_existing(path))

    def _start_open(self, fn: Callable[[Job], Project]) -> Job:
        if self.job is not None:
            self.job.cancel()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.cancel_button.show()
        self.project_label.setText(self.tr("Đang mở dự án…"))
        # opening migrates and checks the file, but writes nothing the views show: not a queued write
        op = ReadOp(self, fn, discard=lambda project: project.close())
        job = op.success(self._opened).failure(self._open_failed).progress(self._progress).run()
        self.job = job
        return job

    def _progress(self, _fraction: float, text: str) -> None:
        self.project_label.setText(text)

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def _opened(self, project: Project) -> None:
        self.job = None
        self.progress.hide()
        self.cancel_button.hide()
        self.ctx.set_project(project)
        info = project.info()
        self.project_label.setText(f"{info.name} — {project.path or project.url}")
        self.setWindowTitle(f"{info.name} — " + self.tr("Thẩm định Chỉ số CCHC"))
        self.start_page.set_recent(self.ctx.settings.recent)
        self.show_view("workspace")
        self.opened.emit(project)
        if self._units_by_hand:
            self._units_by_hand = False
            self.units_window()
        if self.pending_import:
            files, self.pending_import = self.pending_import, []
            self.import_centre(files)

    def _open_failed(self, exc: BaseException) -> None:
        self.job = None
        self._units_by_hand = False
        self.progress.hide()
        self.cancel_button.hide()
        text = error_text(exc)  # "Đã huỷ." for a cancel
        self.start_page.status.setText(text)
        project = self.ctx.project
        if project is None:
            self.project_label.setText(text)
            self.stack.setCurrentIndex(0)
        else:  # the project that was open stays open, shown, and named in the title and status bar
            self.project_label.setText(f"{project.info().name} — {project.path or project.url}")
            if not isinstance(exc, Cancelled):
                show_error(self, exc)
        self.open_failed.emit(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.ctx.busy:  # an import is writing: it would finish, but the user would not see how it ended
            text = self.tr("Đang %1: hãy đợi xong rồi đóng chương trình.").replace("%1", self.ctx.busy)
            QMessageBox.warning(self, self.tr("Chưa đóng được"), text)
            event.ignore()
            return
        dialog = self.dialog
        if dialog is not None and dialog.isVisible():
            dialog.close()  # one with unsaved edits asks first; its Cancel keeps it (and the window) open
            if dialog.isVisible():
                event.ignore()
                return
        if self.job is not None:
            self.job.cancel()
        self.ctx.set_project(None)
        super().closeEvent(event)
