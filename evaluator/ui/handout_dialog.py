"""Giao việc (issue 12): at the committee, a handout for a team (year, units, team name, file, optional
signature: ``services.handout.export_handout``, written through ``ui.package_writer`` as a team's package
is); on a team's laptop, a project started from a handout (``services.handout.create_from_handout``, as
``evaluator init --from-package``), then opened by the main window. The work is the services'; these
dialogs only ask, run it through ``ui.operations`` and show what it did (or the service's refusal)."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from evaluator.fields import safe_file_name
from evaluator.paths import dialog_dir
from evaluator.services import workspace as ws
from evaluator.services.progress import Progress
from evaluator.services.report_setup import setup_districts
from evaluator.services.teams import list_teams
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import open_file, save_file
from evaluator.ui.document_keys import browse_row
from evaluator.ui.job_panel import JobPanel
from evaluator.ui.operations import Job, ReadOp, error_text
from evaluator.ui.package_writer import SignedPackageWriter
from evaluator.ui.unit_checklist import UnitChecklist

PACKAGE_FILTER = "CCHC (*.cchc);;* (*)"
PROJECT_FILTER = "Dự án (*.db);;* (*)"


def _units(session: Any, year: int) -> list[Any]:
    return ws.list_units(session, year)


class HandoutDialog(QDialog):
    """The committee hands its project out to a team: the year, the team's units, the team's name, where the
    handout goes, and optionally a signature (the key panel of the export dialog)."""

    written = Signal(object)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.report: Any = None
        self.setWindowTitle(self.tr("Giao việc cho tổ thẩm định"))
        self.resize(760, 690)  # with its title bar, above the taskbar of a 1366×768 screen
        form = QFormLayout(self)
        intro = QLabel(self.tr(
            "Gói giao việc mang bộ tiêu chí, các đơn vị được giao, điểm đã chấm của các đơn vị đó và "
            "thiết lập văn bản. Tổ thẩm định mở nó bằng «Mở bản giao việc…» trên máy của tổ."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.year = QComboBox()
        for y in ctx.read(ws.years) if ctx.project is not None else []:
            self.year.addItem(str(y), y)
        form.addRow(self.tr("Năm"), self.year)
        self.units = UnitChecklist()
        form.addRow(self.tr("Đơn vị giao cho tổ"), self.units)
        # the committee's teams (evaluator teams): one chosen names the team and checks its units; the
        # handout then carries the team's scope (services.handout)
        self.teams = QComboBox()
        self.teams.addItem(self.tr("— tổ chưa khai báo phạm vi —"), None)
        for t in ctx.read(list_teams) if ctx.project is not None else []:
            self.teams.addItem(f"{t.name} — {t.scope().describe()}", t)
        self.teams.setToolTip(self.tr("Tổ đã khai báo thì gói giao việc mang phạm vi của tổ: trên máy của "
                                      "tổ, các lĩnh vực khác chỉ xem, không sửa"))
        form.addRow(self.tr("Tổ thẩm định"), self.teams)
        # years with districts: a district's council gets the district and its communes in one choice
        self.district = QComboBox()
        self.district.addItem(self.tr("(chọn đơn vị ở trên)"), "")
        for code, name in ctx.read(setup_districts) if ctx.project is not None else []:
            self.district.addItem(f"{code} — {name}", code)
        self.district.currentIndexChanged.connect(self._district_chosen)
        if self.district.count() > 1:
            form.addRow(self.tr("Giao cho hội đồng huyện"), self.district)
        else:
            self.district.hide()
        self.team = QLineEdit()
        self.team.setPlaceholderText(self.tr("ví dụ: Tổ 1"))
        form.addRow(self.tr("Tên tổ"), self.team)
        self.author = QLineEdit(ctx.settings.name)
        form.addRow(self.tr("Người giao"), self.author)
        self.out = QLineEdit()
        self._out_edited = False
        self.out.textEdited.connect(lambda _text: setattr(self, "_out_edited", True))
        form.addRow(self.tr("Lưu vào"), browse_row(self.out, self.tr("Chọn…"), self._pick_out))
        # the sign tick, the key and the job: the export dialog's own (ui/package_writer.py)
        self.writer = SignedPackageWriter(self, sign=self.tr("Ký số gói giao việc"),
                                          write=self.tr("Ghi gói giao việc"), close=self.accept)
        self.sign, self.key, self.panel = self.writer.sign, self.writer.key, self.writer.panel
        self.write_button = self.writer.write_button
        self.writer.on_write = self.write
        self.writer.done.connect(self._done)
        self.writer.failed.connect(self.failed)
        form.addRow(self.writer)
        self.year.currentIndexChanged.connect(self._year_chosen)
        self.team.textChanged.connect(self._suggest_out)
        self.teams.currentIndexChanged.connect(self._team_chosen)
        self._year_chosen()
        self._suggest_out()

    def _year_chosen(self) -> None:
        year = self.year.currentData()
        units = self.ctx.read(partial(_units, year=int(year))) if year is not None else []
        self.units.fill(units, [])

    def _team_chosen(self) -> None:
        team = self.teams.currentData()
        if team is None:
            return
        self.team.setText(team.name)
        if team.units:
            self.units.set_codes(list(team.units))
        else:
            self.units.check_all(True)
    def _district_chosen(self) -> None:
        """The district and its communes checked (the list stays editable)."""
        from evaluator.services.handout import district_units

        code = self.district.currentData()
        if code:
            self.units.set_codes(self.ctx.read(partial(district_units, district=code)))

    def _suggest_out(self) -> None:
        """``giao-viec-<team>.cchc`` beside the project, until the user names the file himself."""
        if self._out_edited:
            return
        project = self.ctx.project
        beside = project is not None and project.path is not None
        folder = Path(str(project.path)).parent if beside and project is not None else dialog_dir()
        team = self.team.text().strip()
        name = safe_file_name(f"giao-viec-{team}.cchc" if team else "giao-viec.cchc")
        self.out.setText(str(folder / name.replace(" ", "-")))

    def _pick_out(self) -> str:
        name = save_file(self, self.tr("Lưu gói giao việc"), self.out.text(), PACKAGE_FILTER)
        if name:
            self._out_edited = True
            return name if name.lower().endswith(".cchc") else name + ".cchc"
        return ""

    def write(self) -> Job | None:
        project = self.ctx.project
        if project is None or self.writer.job is not None:
            return None
        year = self.year.currentData()
        if year is None:
            self.writer.error(self.tr("Dự án chưa có kỳ đánh giá nào."))
            return None
        units = self.units.checked_codes()
        if not units:
            self.writer.error(self.tr("Chọn ít nhất một đơn vị."))
            return None
        out = self.out.text().strip()
        if not out:
            self.writer.error(self.tr("Chọn nơi lưu gói giao việc."))
            return None
        team, author = self.team.text().strip(), self.author.text().strip()

        def work(signer: Any, progress: Progress) -> Any:
            from evaluator.services.handout import export_handout

            return export_handout(project, Path(out), years=[int(year)], units=units, team=team,
                                  author=author, signer=signer, progress=progress)

        return self.writer.run(work, self.tr("Đang ghi gói giao việc…"),
                               self.tr("Không ghi được gói giao việc: %1"), ctx=self.ctx)

    @property
    def job(self) -> Job | None:
        return self.writer.job

    def _done(self, report: Any) -> None:
        self.report = report
        self.written.emit(report)


class OpenHandoutDialog(QDialog):
    """A team's laptop starts its project from the committee's handout: the handout, where the team's
    project goes (the projects folder by default); the copy is created (all or nothing) and ``created``
    hands its path to the main window, which opens it."""

    created = Signal(object)
    """The ``services.handout.HandoutCopy`` made."""
    failed = Signal(str)

    def __init__(self, ctx: AppContext, package: str | Path = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.job: Job | None = None
        self.copy: Any = None
        self.setWindowTitle(self.tr("Mở bản giao việc"))
        self.resize(760, 360)
        form = QFormLayout(self)
        intro = QLabel(self.tr(
            "Tạo dự án của tổ thẩm định từ gói giao việc của hội đồng. Dự án mới giữ mã dự án của hội đồng, "
            "nên gói dữ liệu của tổ gửi về sau này được hội đồng nhập thẳng."))
        intro.setWordWrap(True)
        form.addRow(intro)
        self.package = QLineEdit()
        self._db_edited = False
        form.addRow(self.tr("Gói giao việc (.cchc)"), browse_row(self.package, self.tr("Chọn…"),
                                                                self._pick_package))
        self.db = QLineEdit()
        self.db.textEdited.connect(lambda _text: setattr(self, "_db_edited", True))
        form.addRow(self.tr("Dự án của tổ"), browse_row(self.db, self.tr("Chọn…"), self._pick_db))
        self.panel = JobPanel(self, stretch=True, log=True)
        self.create_button = self.panel.add_button(self.tr("Tạo và mở dự án"), self.make_copy, default=True)
        self.panel.status.setMaximumHeight(16_777_215)  # the import log of the copy: room to read it
        self.panel.status.setMinimumHeight(220)
        self.panel.add_button(self.tr("Đóng"), self.reject)
        form.addRow(self.panel)
        self.package.textChanged.connect(self._suggest_db)
        self.package.setText(str(package))
        self._suggest_db()

    def _suggest_db(self) -> None:
        """``<handout name>.db`` in the projects folder, until the user names the file himself."""
        if self._db_edited:
            return
        stem = Path(self.package.text().strip()).stem or "to-tham-dinh"
        self.db.setText(str(dialog_dir() / safe_file_name(f"{stem}.db")))

    def _pick_package(self) -> str:
        return open_file(self, self.tr("Chọn gói giao việc"), PACKAGE_FILTER)

    def _pick_db(self) -> str:
        name = save_file(self, self.tr("Lưu dự án của tổ"), self.db.text(), PROJECT_FILTER)
        if name:
            self._db_edited = True
            return name if name.lower().endswith(".db") else name + ".db"
        return ""

    def _error(self, text: str) -> None:
        self.panel.error(text)
        self.failed.emit(text)

    def make_copy(self) -> Job | None:
        if self.job is not None:
            return None
        package, db = self.package.text().strip(), self.db.text().strip()
        if not package:
            self._error(self.tr("Chọn gói giao việc."))
            return None
        if not db:
            self._error(self.tr("Chọn nơi lưu dự án của tổ."))
            return None
        author = self.ctx.settings.name

        def work(job: Job) -> Any:
            from evaluator.services.handout import create_from_handout

            return create_from_handout(Path(db), Path(package), author=author, progress=job.progress)

        self.create_button.setEnabled(False)
        self.panel.start(self.tr("Đang tạo dự án của tổ…"))
        # a new file, not the open project: nothing of the open project is written, so not a queued write
        self.job = ReadOp(self, work).success(self._done).failure(self._failed).run()
        return self.job

    def _done(self, made: Any) -> None:
        self.job = None
        self.copy = made
        self.panel.finish()
        self.create_button.setEnabled(True)
        self.panel.ok(
            self.tr("Đã tạo dự án %1 cho tổ «%2» từ gói giao việc của %3.")
            .replace("%1", str(made.path)).replace("%2", made.team or "—").replace("%3", made.committee)
            + "\n" + made.report.render()
        )
        self.created.emit(made)

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.panel.finish()
        self.create_button.setEnabled(True)
        self._error(self.tr("Không tạo được dự án của tổ: %1").replace("%1", error_text(exc)))
