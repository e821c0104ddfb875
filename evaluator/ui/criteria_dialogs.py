"""The "Bộ tiêu chí" window's dialogs that compare two sets and move a project's assessments to a newer
version of their set. Both only call the services: ``frameworks.diff.diff_frameworks`` for the comparison,
``services.framework_upgrade.upgrade_assessments`` for the preview (its dry run) and the move (a write,
after the service's own backup).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from evaluator.frameworks import Framework, FrameworkInvalid, load_framework
from evaluator.frameworks.diff import DiffRow, FrameworkDiff, diff_frameworks, diff_rows, plain
from evaluator.messages import say
from evaluator.services.framework_upgrade import (
    STRATEGIES,
    AssessmentMove,
    UpgradeReport,
    upgrade_assessments,
)
from evaluator.ui import formats
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import open_file
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE
from evaluator.ui.labels import kind_label
from evaluator.ui.operations import Job, ReadOp, WriteOp, error_text
from evaluator.ui.table_models import RowsModel, RowsView

SET_FILES = "*.yaml *.yml *.xlsx *.json"
def shown(value: Any) -> str:
    """A compared value in a cell: a maximum per kind as "kind: points" (the kind's label), a rule as its
    canonical form."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, str):
        return say(f"upgrade.{value}") if value in ("leaf", "group") else value
    if isinstance(value, Mapping) and value and all(isinstance(v, Decimal | int) for v in value.values()) \
            and "kind" not in value:
        # maxima in the interface's notation, as everywhere ("1,50"): "; " between them, a comma is decimal
        return "; ".join(f"{kind_label(k)}: {formats.points(v)}" for k, v in value.items())
    value = plain(value)
    if isinstance(value, dict) and value and "kind" not in value \
            and all(not isinstance(v, dict | list) for v in value.values()):
        return "; ".join(f"{kind_label(k)}: {v}" for k, v in value.items())
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def render_diff_row(row: DiffRow) -> list[str]:
    """A row of a set comparison as the tables show it (the change, code and node named once per node)."""
    return [say(f"upgrade.{row.change}") if row.first else "", row.code if row.first else "",
            say(f"upgrade.{row.node}") if row.first else "", say(f"upgrade.field_{row.field}"),
            shown(row.old), shown(row.new)]


COLOURS = {"added": "#1b5e20", "removed": "#b71c1c", "changed": "#0d47a1"}


class DiffDialog(QDialog):
    """Two sets side by side (the project's, or a file), and what changed from the first to the second."""

    def __init__(self, sets: list[Framework], shown_set: Framework | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("So sánh hai phiên bản bộ tiêu chí"))
        self.sets = list(sets)
        self.sources = [""] * len(self.sets)
        """Where each set comes from: "" for the project's, else the file's name."""
        self.job: Job | None = None
        self.old_choice, self.new_choice = QComboBox(), QComboBox()
        self.file_button = QPushButton(self.tr("Thêm bộ tiêu chí từ tệp…"))
        self.file_button.clicked.connect(lambda _checked=False: self.add_file())
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.model = RowsModel([say(f"upgrade.col_{n}") for n in ("change", "code", "node", "field", "old",
                                                                  "new")],
                               render_diff_row, tooltips=(4, 5),
                               foreground=lambda row, col: COLOURS[row.change] if col == 0 else None,
                               parent=self)
        self.table = RowsView(widths={4: 330}, stretch=5, row_height=self.fontMetrics().height() + 8)
        self.table.setModel(self.model)
        self.status = QLabel()
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Bộ cũ"), self.old_choice)
        form.addRow(self.tr("Bộ mới"), self.new_choice)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Đóng"))
        buttons.rejected.connect(self.reject)
        row = QHBoxLayout()
        row.addWidget(self.file_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._fill()
        old = self.sets.index(shown_set) if shown_set in self.sets else 0
        self.old_choice.setCurrentIndex(old)
        self.new_choice.setCurrentIndex(_next_version(self.sets, old))
        self.old_choice.currentIndexChanged.connect(lambda _i: self.compare())
        self.new_choice.currentIndexChanged.connect(lambda _i: self.compare())
        self.resize(1100, 640)
        self.compare()

    def _fill(self) -> None:
        for combo in (self.old_choice, self.new_choice):
            at = combo.currentIndex()
            combo.blockSignals(True)
            combo.clear()
            for fw, source in zip(self.sets, self.sources, strict=True):
                combo.addItem(f"{fw.identity} — {fw.title}" + (f" ({source})" if source else ""))
            combo.setCurrentIndex(max(at, 0))
            combo.blockSignals(False)

    def chosen(self) -> tuple[Framework, Framework] | None:
        i, j = self.old_choice.currentIndex(), self.new_choice.currentIndex()
        if not (0 <= i < len(self.sets) and 0 <= j < len(self.sets)):
            return None
        return self.sets[i], self.sets[j]

    def compare(self) -> FrameworkDiff | None:
        pair = self.chosen()
        if pair is None:
            self.heading.setText(self.tr("Dự án chưa có bộ tiêu chí nào."))
            self.model.set_rows([])
            return None
        diff = diff_frameworks(*pair)  # pure and quick: a few hundred nodes
        head = say("upgrade.diff_head", old=diff.old, new=diff.new, added=len(diff.added),
                   removed=len(diff.removed), changed=len(diff.changed))
        self.heading.setText(head + ("\n" + say("upgrade.no_difference") if diff.empty else ""))
        self.model.set_rows(diff_rows(diff))
        return diff

    def add_file(self, name: str | Path | None = None) -> Job | None:
        """Read a set from a file (off the GUI thread) and offer it as the new one."""
        if name is None:
            name = open_file(self, self.tr("Bộ tiêu chí từ tệp"),
                             self.tr("Bộ tiêu chí (%1)").replace("%1", SET_FILES))
            if not name:
                return None
        path = Path(name)
        self.file_button.setEnabled(False)
        self.status.setStyleSheet("")
        self.status.setText(self.tr("Đang đọc %1…").replace("%1", path.name))
        self.job = ReadOp(self, lambda _job: _load(path)).success(
            lambda fw: self._file_failed(fw) if isinstance(fw, FrameworkInvalid)
            else self._file_read(fw, path)).failure(self._file_failed).run()
        return self.job

    def _file_read(self, fw: Framework, path: Path) -> None:
        self.job = None
        self.file_button.setEnabled(True)
        self.sets.append(fw)
        self.sources.append(path.name)
        self._fill()
        self.status.setText("")
        self.new_choice.setCurrentIndex(len(self.sets) - 1)  # compares

    def _file_failed(self, exc: BaseException) -> None:
        self.job = None
        self.file_button.setEnabled(True)
        self.status.setStyleSheet(ERROR_STYLE)
        problems = getattr(exc, "problems", None)
        self.status.setText("\n".join(str(p) for p in problems) if problems else error_text(exc))


def _load(path: Path) -> Framework | FrameworkInvalid:
    """The file's set, or every problem found in it (an answer to show, not a failure to log)."""
    try:
        return load_framework(path)
    except FrameworkInvalid as exc:
        return exc


def _next_version(sets: list[Framework], i: int) -> int:
    """The set right after ``sets[i]`` in version among those of its code, else ``i`` itself."""
    if not 0 <= i < len(sets):
        return -1
    fw = sets[i]
    newer = [(s.version, k) for k, s in enumerate(sets) if s.code == fw.code and s.version > fw.version]
    return min(newer)[1] if newer else i


# --- moving the assessments to a newer version ----------------------------------------------------------
def _render_move(move: AssessmentMove) -> list[str]:
    return [move.unit, move.name, str(move.count("kept")), str(move.count("rescaled")),
            str(len(move.cleared)), ", ".join(move.needs_score),
            ", ".join(f"{c}: {f}" for c, f in move.evidence_kept)]


class UpgradeDialog(QDialog):
    """From the set shown to a newer version of the same code: a strategy, a preview (the service's dry
    run), then the move with its reason (one write; the service makes its backup first)."""

    def __init__(self, ctx: AppContext, old: Framework, sets: list[Framework], parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.old = old
        self.targets = sorted((s for s in sets if s.code == old.code and s.version > old.version),
                              key=lambda s: s.version)
        self.job: Job | None = None
        self.previewed: tuple[str, str] | None = None
        """The (target, strategy) of the preview shown; "Áp dụng" moves exactly that."""
        self.report: UpgradeReport | None = None
        self.setWindowTitle(self.tr("Chuyển sang phiên bản mới của bộ tiêu chí"))
        self.target = QComboBox()
        for fw in self.targets:
            self.target.addItem(f"{fw.identity} — {fw.title}")
        self.strategies = QButtonGroup(self)
        descriptions = {
            "keep": self.tr("Giữ: mang sang giá trị của tiêu chí có mã, nguồn điểm, cách chấm và điểm tối đa "
                            "không đổi; các tiêu chí khác phải chấm lại."),
            "reset": self.tr("Chấm lại: không mang sang giá trị nào; mọi tiêu chí phải chấm lại."),
            "rescale": self.tr("Quy đổi: như «Giữ», và tiêu chí chỉ đổi điểm tối đa được quy đổi theo tỷ lệ "
                               "(điểm mới = điểm cũ × tối đa mới ÷ tối đa cũ)."),
        }
        names = {"keep": self.tr("Giữ"), "reset": self.tr("Chấm lại"), "rescale": self.tr("Quy đổi")}
        grid = QGridLayout()
        self.radios: dict[str, QRadioButton] = {}
        for row, strategy in enumerate(STRATEGIES):
            radio = QRadioButton(names[strategy])
            radio.setObjectName(f"strategy-{strategy}")
            self.radios[strategy] = radio
            self.strategies.addButton(radio, row)
            text = QLabel(descriptions[strategy])
            text.setWordWrap(True)
            grid.addWidget(radio, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(text, row, 1)
        grid.setColumnStretch(1, 1)
        self.radios["keep"].setChecked(True)
        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("ví dụ: Quyết định sửa đổi bộ tiêu chí số …"))
        form = QFormLayout()
        form.addRow(self.tr("Từ"), QLabel(f"{old.identity} — {old.title}"))
        form.addRow(self.tr("Sang"), self.target)
        form.addRow(self.tr("Cách chuyển điểm"), grid)
        form.addRow(self.tr("Lý do"), self.reason)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.model = RowsModel([self.tr("Đơn vị"), self.tr("Tên"), self.tr("Giữ"), self.tr("Quy đổi"),
                                self.tr("Xoá"), self.tr("Cần chấm lại"),
                                self.tr("Tài liệu kiểm chứng giữ lại")],
                               _render_move, tooltips=(1, 5, 6),
                               align={c: Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                                      for c in (2, 3, 4)}, parent=self)
        self.table = RowsView(widths={1: 260}, stretch=5, row_height=self.fontMetrics().height() + 8)
        self.table.setModel(self.model)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.preview_button = QPushButton(self.tr("Xem trước"))
        self.preview_button.clicked.connect(lambda _checked=False: self.preview())
        self.apply_button = QPushButton(self.tr("Chuyển điểm"))
        self.apply_button.clicked.connect(lambda _checked=False: self.apply())
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.apply_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.target.currentIndexChanged.connect(lambda _i: self._choice_changed())
        self.strategies.idToggled.connect(self._toggled)
        self.resize(1100, 680)
        self._choice_changed()
        if not self.targets:
            self.status.setStyleSheet(ERROR_STYLE)
            self.status.setText(self.tr("Dự án chưa có phiên bản nào mới hơn của %1: hãy nhập phiên bản mới "
                                        "trước (Nhập bộ tiêu chí…).").replace("%1", old.identity))

    def strategy(self) -> str:
        return STRATEGIES[max(self.strategies.checkedId(), 0)]

    def choice(self) -> tuple[str, str] | None:
        i = self.target.currentIndex()
        return (self.targets[i].identity, self.strategy()) if 0 <= i < len(self.targets) else None

    def _toggled(self, _id: int, on: bool) -> None:
        if on:
            self._choice_changed()

    def _choice_changed(self) -> None:
        """Another target or strategy: the preview shown no longer says what "Chuyển điểm" would do."""
        self._buttons()
        if self.previewed is not None and self.previewed != self.choice():
            self.heading.setText(self.tr("Bấm «Xem trước» để xem kết quả của lựa chọn mới."))
            self.model.set_rows([])

    def _buttons(self) -> None:
        idle = self.job is None
        self.preview_button.setEnabled(idle and self.choice() is not None)
        self.apply_button.setEnabled(idle and self.previewed is not None and self.previewed == self.choice())

    def _run(self, op: ReadOp[UpgradeReport] | WriteOp[UpgradeReport], doing: str) -> Job:
        self.status.setStyleSheet("")
        self.status.setText(doing)
        self.job = op.success(self._done).failure(self._failed).run()
        self._buttons()
        return self.job

    def preview(self) -> Job | None:
        """The service's dry run of the choice: what would be kept, rescaled, cleared, left to score."""
        choice = self.choice()
        project = self.ctx.project
        if choice is None or project is None:
            return None
        new, strategy = choice
        old, reason = self.old.identity, self.reason.text().strip()
        self.previewed = None
        op: ReadOp[UpgradeReport] = ReadOp(self, lambda _job: upgrade_assessments(
            project, old, new, strategy, dry_run=True, reason=reason))
        return self._run(op, self.tr("Đang tính trước…"))

    def apply(self) -> Job | None:
        """Move the assessments as previewed (one write, after the service's backup)."""
        choice = self.choice()
        project = self.ctx.project
        if choice is None or project is None or choice != self.previewed:
            return None
        new, strategy = choice
        old, reason = self.old.identity, self.reason.text().strip()
        who = self.ctx.who
        op: WriteOp[UpgradeReport] = WriteOp(self, lambda _job: upgrade_assessments(
            project, old, new, strategy, reason=reason, author=who["author"], role=who["role"]),
            ctx=self.ctx, busy=self.tr("chuyển phiên bản bộ tiêu chí"), initiator=self)
        return self._run(op, self.tr("Đang chuyển điểm (có sao lưu trước)…"))

    def _done(self, report: UpgradeReport) -> None:
        self.job = None
        self.report = report
        totals = report.totals()
        head = "upgrade.head_dry_run" if report.dry_run else "upgrade.head_done"
        lines = [say(head, count=totals["assessments"], old=report.old, new=report.new,
                     strategy=say(f"upgrade.strategy_{report.strategy}")),
                 say("upgrade.totals", kept=totals["kept"], rescaled=totals["rescaled"],
                     cleared=totals["cleared"])]
        if report.backup is not None:
            lines.append(say("upgrade.backup", path=report.backup))
        self.heading.setText("\n".join(lines))
        self.model.set_rows(report.assessments)
        self.previewed = (report.new, report.strategy) if report.dry_run else None
        self.status.setStyleSheet(OK_STYLE)
        self.status.setText(self.tr("Kiểm tra kết quả rồi bấm «Chuyển điểm».") if report.dry_run
                            else self.tr("Đã chuyển điểm."))
        self._buttons()

    def _failed(self, exc: BaseException) -> None:
        self.job = None
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setText(error_text(exc))
        self._buttons()
