"""The "Bộ tiêu chí" window: the project's criteria sets, each as a tree of its nodes with the codes, titles,
the maximum per unit kind and each rule in words (the same words as the workspace's detail pane,
``scoring.rules.describe``); exporting a set as the Excel template a province edits into its own set;
importing the province's own set files (every file checked off the GUI thread and every problem listed
before anything is stored), comparing two versions and moving the assessments to a newer version
(``criteria_dialogs``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QListWidget,
    QMainWindow,
    QToolBar,
    QTreeView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session

from evaluator import i18n
from evaluator.errors import UserError
from evaluator.frameworks import FrameworkInvalid
from evaluator.frameworks.export import export_framework
from evaluator.frameworks.model import Framework, Node
from evaluator.scoring.rules import describe
from evaluator.services.changes import Change
from evaluator.services.framework_import import import_set_files
from evaluator.services.frameworks import SetFile, frameworks_for_year, read_sets
from evaluator.services.workspace import years
from evaluator.ui import formats
from evaluator.ui.context import AppContext
from evaluator.ui.criteria_dialogs import SET_FILES, DiffDialog, UpgradeDialog
from evaluator.ui.dialogs import open_files, save_file
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.labels import english, kind_label
from evaluator.ui.operations import Job, ReadOp, WriteOp, error_text

CODE, TITLE = 0, 1
"""The first columns; then one maximum per unit kind of the set, the source, the rule."""


def project_sets(session: Session) -> list[Framework]:
    """Every set of the project, the newest year first."""
    return [fw for year in years(session)
            for fw in sorted(frameworks_for_year(session, year).values(), key=lambda f: (f.code, f.version))]


def _points(value: Decimal | None) -> str:
    return formats.points(value)  # as the workspace writes a maximum ("0,50"): one formatter


def _describe(node: Node, kind: str) -> str:
    return describe(node, kind, points=formats.points, percent=formats.plain, language=i18n.language())


def _checked(paths: list[Path]) -> list[SetFile] | FrameworkInvalid:
    """The files' sets, or every problem found in them: an expected answer, not a failure to log."""
    try:
        return read_sets(paths)
    except FrameworkInvalid as exc:
        return exc


class CriteriaModel(QStandardItemModel):
    """One set as a tree: a row per node, children under their parent."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.framework: Framework | None = None

    def show(self, fw: Framework | None) -> None:
        self.clear()
        self.framework = fw
        if fw is None:
            return
        kinds = list(fw.unit_kinds)
        self.setHorizontalHeaderLabels(
            [self.tr("Mã"), self.tr("Tiêu chí")]
            + [self.tr("Tối đa: %1").replace("%1", kind_label(k)) for k in kinds]
            + [self.tr("Nguồn"), self.tr("Cách chấm")])
        parents: dict[str | None, QStandardItem] = {None: self.invisibleRootItem()}
        for node in fw:  # tree order: a parent always comes before its children
            row = self._row(node, kinds)
            parents[node.parent].appendRow(row)
            parents[node.code] = row[0]

    def _row(self, node: Node, kinds: list[str]) -> list[QStandardItem]:
        source = {"appraisal": self.tr("Thẩm định"), "survey": self.tr("Điều tra XHH")}.get(node.source,
                                                                                           node.source)
        role = {"bonus": self.tr("điểm thưởng"), "penalty": self.tr("điểm trừ")}.get(node.role, "")
        applies = [k for k in kinds if node.applies_to(k)]
        rule = _describe(node, applies[0]) if node.is_leaf and applies else ""
        # the words name the maximum: where the kinds' maxima differ, the tooltip says it for each kind
        rule_tip = "\n".join(f"{kind_label(k)}: {_describe(node, k)}" for k in applies) if rule else ""
        # the workspace's choice: the set's English title in English where it has one (the source in the tip)
        title = node.title_en if english() and node.title_en else node.title
        items = [QStandardItem(node.code), QStandardItem(title + (f" ({role})" if role else ""))]
        items += [QStandardItem(_points(node.max_for(k)) if node.applies_to(k) else "—") for k in kinds]
        items += [QStandardItem(source), QStandardItem(rule)]
        for item in items:
            item.setEditable(False)
        for item in items[2:2 + len(kinds)]:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tip = node.title if title == node.title else f"{title}\n{node.title}"
        items[TITLE].setToolTip(tip + (f"\n\n{node.guidance}" if node.guidance else ""))
        items[-1].setToolTip(rule_tip)
        return items


class CriteriaWindow(QMainWindow):
    """The project's sets: choose one above, its tree below; the toolbar acts on the set shown."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.ctx = ctx
        self.job: Job | None = None
        self.setWindowTitle(self.tr("Bộ tiêu chí"))
        self.resize(1200, 690)  # with its title bar, above the taskbar of a 1366×768 screen
        self.toolbar = QToolBar(self.tr("Bộ tiêu chí"))
        self.toolbar.setObjectName("criteria-toolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(self.toolbar)
        self.import_action = QAction(self.tr("Nhập bộ tiêu chí…"), self)
        self.import_action.triggered.connect(lambda _checked=False: self.import_files())
        self.export_action = QAction(self.tr("Xuất ra mẫu Excel…"), self)
        self.export_action.triggered.connect(lambda _checked=False: self.export())
        self.diff_action = QAction(self.tr("So sánh hai phiên bản…"), self)
        self.diff_action.triggered.connect(lambda _checked=False: self.compare())
        self.upgrade_action = QAction(self.tr("Chuyển sang phiên bản mới…"), self)
        self.upgrade_action.triggered.connect(lambda _checked=False: self.upgrade())
        for action in (self.import_action, self.export_action, self.diff_action, self.upgrade_action):
            self.toolbar.addAction(action)
        self.dialog: DiffDialog | UpgradeDialog | None = None
        self.choice = QComboBox()
        self.choice.currentIndexChanged.connect(self._chosen)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.model = CriteriaModel(self)
        self.tree = QTreeView()
        self.tree.setModel(self.model)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.problems = QListWidget()
        """Every problem of the files last imported (file, sheet, row, node, field); hidden when none."""
        self.problems.setWordWrap(True)
        self.problems.setVisible(False)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.addWidget(self.choice)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.problems)
        self.setCentralWidget(body)
        self.sets: list[Framework] = []
        ctx.changed.connect(self._changed)
        self.reload()

    def _changed(self, change: Change, _initiator: object) -> None:
        if change.frameworks and self.ctx.project is not None:
            self.reload()

    def reload(self) -> None:
        shown = self.current()
        self.sets = self.ctx.read(project_sets) if self.ctx.project is not None else []
        self.choice.blockSignals(True)
        self.choice.clear()
        for fw in self.sets:
            kinds = ", ".join(kind_label(k) for k in fw.unit_kinds)
            self.choice.addItem(f"{fw.year} · {fw.identity} — {fw.title} ({kinds})")
        self.choice.blockSignals(False)
        index = next((i for i, fw in enumerate(self.sets)
                      if shown is not None and fw.identity == shown.identity), 0)
        self.choice.setCurrentIndex(index if self.sets else -1)
        self._chosen()

    def current(self) -> Framework | None:
        i = self.choice.currentIndex()
        return self.sets[i] if 0 <= i < len(self.sets) else None

    def _chosen(self) -> None:
        fw = self.current()
        self.model.show(fw)
        for action in (self.export_action, self.diff_action, self.upgrade_action):
            action.setEnabled(fw is not None)
        if fw is None:
            self.heading.setText(self.tr("Dự án chưa có bộ tiêu chí nào."))
            return
        self.heading.setText(self.tr("%1 tiêu chí; tổng điểm tối đa %2; mã kiểm tra SHA-256 %3…")
                             .replace("%1", str(len(fw.leaves()))).replace("%2", _points(fw.total_max))
                             .replace("%3", fw.sha256[:12]))
        self.tree.expandAll()
        header = self.tree.header()
        header.setStretchLastSection(True)
        for col in range(self.model.columnCount() - 1):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.tree.resizeColumnToContents(col)
        header.resizeSection(TITLE, min(header.sectionSize(TITLE), 460))

    def export(self, target: str | Path | None = None) -> Job | None:
        """Write the set shown as an Excel workbook (the template the CLI's ``framework export`` writes)."""
        fw = self.current()
        if fw is None:
            return None
        if target is None:
            target = save_file(self, self.tr("Xuất bộ tiêu chí ra Excel"), f"{fw.code}-v{fw.version}.xlsx",
                               self.tr("Excel (*.xlsx)"))
            if not target:
                return None
        out = Path(target).with_suffix(".xlsx")
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Đang ghi %1…").replace("%1", str(out)))

        def write(_job: Job) -> Path:
            try:
                export_framework(fw, out)
            except OSError as exc:
                raise UserError("common.cannot_write", path=out, error=exc.strerror or exc) from exc
            return out

        self.job = ReadOp(self, write).success(self._exported).failure(self._export_failed).run()
        return self.job

    def _exported(self, out: Path) -> None:
        self.job = None
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(self.tr("Đã ghi %1").replace("%1", str(out)))

    def _export_failed(self, exc: BaseException) -> None:
        self.job = None
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))

    # --- importing the province's files ---------------------------------------------------------------
    def import_files(self, names: list[str] | None = None) -> Job | None:
        """Check the files off the GUI thread (``read_sets``: every problem of every file), list the
        problems, or store the sets (a write: ``import_set_files``, a backup first when one is new)."""
        if names is None:
            names = open_files(self, self.tr("Nhập bộ tiêu chí của tỉnh"),
                               self.tr("Bộ tiêu chí (%1)").replace("%1", SET_FILES))
            if not names:
                return None
        paths = [Path(n) for n in names]
        self.import_action.setEnabled(False)
        self._show_problems([])
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Đang kiểm tra %1 tệp…").replace("%1", str(len(paths))))
        self.job = ReadOp(self, lambda _job: _checked(paths)).success(
            lambda found: self._import_failed(found) if isinstance(found, FrameworkInvalid)
            else self._store(paths)).failure(self._import_failed).run()
        return self.job

    def _store(self, paths: list[Path]) -> None:
        project, who = self.ctx.project, self.ctx.who
        if project is None:  # closed while the files were checked
            self.job = None
            return
        self.status.setText(self.tr("Đang lưu vào dự án…"))
        op: WriteOp[tuple[Change, list[SetFile]]] = WriteOp(
            self, lambda _job: import_set_files(project, paths, author=who["author"]), ctx=self.ctx,
            busy=self.tr("nhập bộ tiêu chí"), initiator=self)
        self.job = op.success(self._imported).failure(self._import_failed).run()

    def _imported(self, result: tuple[Change, list[SetFile]]) -> None:
        self.job = None
        self.import_action.setEnabled(True)
        _change, done = result
        added = [s.framework.identity for s in done if s.new]
        known = [s.framework.identity for s in done if not s.new]
        parts = []
        if added:
            parts.append(self.tr("Đã nhập: %1").replace("%1", ", ".join(added)))
        if known:
            parts.append(self.tr("Đã có sẵn trong dự án: %1").replace("%1", ", ".join(known)))
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(". ".join(parts))
        if added:  # show the (last) set just imported
            self.reload()
            at = next((i for i, fw in enumerate(self.sets) if fw.identity == added[-1]), -1)
            if at >= 0:
                self.choice.setCurrentIndex(at)

    def _import_failed(self, exc: BaseException) -> None:
        self.job = None
        self.import_action.setEnabled(True)
        self.status.setStyleSheet(ERROR_STYLE)
        if isinstance(exc, FrameworkInvalid):
            self.status.setText(self.tr("Không nhập tệp nào: %1 lỗi.").replace("%1", str(len(exc.problems))))
            self._show_problems([str(p) for p in exc.problems])
        else:
            self.status.setText(error_text(exc))

    def _show_problems(self, problems: list[str]) -> None:
        self.problems.clear()
        self.problems.addItems(problems)
        self.problems.setVisible(bool(problems))

    # --- comparing and moving to a newer version -------------------------------------------------------
    def compare(self) -> DiffDialog:
        self.dialog = DiffDialog(self.sets, self.current(), self)
        self.dialog.show()
        return self.dialog

    def upgrade(self) -> UpgradeDialog | None:
        fw = self.current()
        if fw is None:
            return None
        self.dialog = UpgradeDialog(self.ctx, fw, self.sets, self)
        self.dialog.show()
        return self.dialog
