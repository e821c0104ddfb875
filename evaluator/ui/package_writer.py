"""The foot of a dialog that writes a package that may be signed — a team's package for the committee
(``export_dialog.ExportDialog``) and the committee's handout for a team (``handout_dialog.HandoutDialog``):
the "sign" tick, the signing-key panel it enables, and the job panel (bar, report, the write and close
buttons). The job is the same for both: check the key, run the dialog's service call with the key's
signer (``KeySpec.package_signer``) off the GUI thread, then show the service's report or its refusal and
forget the password or PIN either way. Each dialog asks its own questions and passes its own words::

    self.writer = SignedPackageWriter(self, sign=self.tr("Ký số gói dữ liệu"),
                                      write=self.tr("Xuất gói"), close=self.accept)
    form.addRow(self.writer)
    self.writer.done.connect(...); self.writer.failed.connect(...)
    self.writer.run(lambda signer: export_package(..., signer=signer), self.tr("Đang xuất…"),
                    self.tr("Không xuất được: %1"))
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QVBoxLayout, QWidget

from evaluator.services.progress import Progress
from evaluator.ui.document_keys import KeyPanel
from evaluator.ui.job_panel import JobPanel
from evaluator.ui.operations import Job, WriteOp, error_text


class SignedPackageWriter(QWidget):
    """Sign tick, key panel and job panel of a dialog writing one package at a time."""

    done = Signal(object)
    """The service's report (the panel shows its ``render()``)."""
    failed = Signal(str)
    """What went wrong or what is missing, as shown."""

    def __init__(self, dialog: QWidget, *, sign: str, write: str, close: Callable[[], object]):
        # the dialog as parent as it is made: the write button is then the dialog's default (see JobPanel)
        super().__init__(dialog)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.sign = QCheckBox(sign)
        self.key = KeyPanel()
        self.key.setEnabled(False)
        self.sign.toggled.connect(self.key.setEnabled)
        layout.addWidget(self.sign)
        layout.addWidget(self.key)
        self.panel = JobPanel(self, stretch=True, log=True)
        self.write_button = self.panel.add_button(write, self._clicked, default=True)
        self.panel.add_button(self.tr("Đóng"), close)
        layout.addWidget(self.panel)
        self.job: Job | None = None
        self.on_write: Callable[[], object] = lambda: None
        """What the write button does: the dialog checks its own fields, then calls ``run``."""
        self._failed_text = "%1"

    def _clicked(self) -> None:
        self.on_write()

    def error(self, text: str) -> None:
        self.panel.error(text)
        self.failed.emit(text)

    def run(self, work: Callable[[Any, Progress], Any], busy: str, failed: str, *, ctx: Any) -> Job | None:
        """Write with ``work(signer, progress)`` (``signer`` None when unsigned) off the GUI thread: the key
        first (what it lacks is said, nothing started); ``failed`` holds ``%1`` for the refusal. The
        service's byte reports show as megabytes written and the time left."""
        if self.job is not None:
            return None
        key = self.key.spec() if self.sign.isChecked() else None
        if key is not None and (problem := key.problem()):
            self.error(problem)
            return None

        def job(running: Job) -> Any:
            with key.package_signer() if key is not None else nullcontext(None) as signer:
                return work(signer, running.progress)

        def progress(fraction: float, message: str) -> None:
            self.panel.transfer(fraction, message, busy)

        self._failed_text = failed
        self.write_button.setEnabled(False)
        self.panel.start(busy)
        # a write: an export records the package it wrote (its successor builds on it: issue 17), a handout
        # the team it was written for; queued on the writer thread behind the project's other writes
        self.job = (WriteOp(self, job, ctx=ctx, busy=busy).success(self._done).failure(self._failed)
                    .progress(progress).run())
        return self.job

    def _stopped(self) -> None:
        self.job = None
        self.panel.finish()
        self.write_button.setEnabled(True)
        self.key.clear_secret()

    def _done(self, report: Any) -> None:
        self._stopped()
        self.panel.ok(report.render())
        self.done.emit(report)

    def _failed(self, exc: BaseException) -> None:
        self._stopped()
        self.error(self._failed_text.replace("%1", error_text(exc)))
