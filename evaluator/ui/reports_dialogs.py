"""The documents dialogs moved into small modules: ``report_dialog``, ``sign_dialog``, ``verify_dialog``, the
key panel in ``document_keys`` and the job block in ``job_panel``. These names stay importable from here
until ``exchange_dialogs`` (being rewritten) imports them from those modules; new code imports them there."""

from evaluator.ui.document_keys import KeyPanel, KeySpec, field_label
from evaluator.ui.job_panel import ERROR_STYLE, OK_STYLE, JobPanel
from evaluator.ui.report_dialog import ReportDialog, show_pdf
from evaluator.ui.sign_dialog import SignDialog
from evaluator.ui.verify_dialog import VerifyDialog, trust_label

__all__ = [
    "ERROR_STYLE",
    "OK_STYLE",
    "JobPanel",
    "KeyPanel",
    "KeySpec",
    "ReportDialog",
    "SignDialog",
    "VerifyDialog",
    "field_label",
    "show_pdf",
    "trust_label",
]
