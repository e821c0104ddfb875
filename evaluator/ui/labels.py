"""Translated names of stages, roles, unit kinds, marks and actions; number formatting; class colours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtGui import QColor

from evaluator.messages import labels
from evaluator.ui import formats


def stage_label(stage: str) -> str:
    return labels.label("stage", stage)  # one table with the messages (evaluator/messages/labels.py)


def role_label(role: str) -> str:
    return labels.label("role", role)


def kind_label(kind: str) -> str:
    return labels.label("kind", kind)


def status_label(status: str) -> str:
    return {
        "self_assessment": QCoreApplication.translate("labels", "Đang tự đánh giá"),
        "submitted": QCoreApplication.translate("labels", "Đã nộp"),
        "appraisal1": QCoreApplication.translate("labels", "Thẩm định vòng 1"),
        "explanation": QCoreApplication.translate("labels", "Giải trình"),
        "appraisal2": QCoreApplication.translate("labels", "Thẩm định vòng 2"),
        "approved": QCoreApplication.translate("labels", "Đã phê duyệt"),
    }.get(status, status)


def status_short(status: str) -> str:
    """A few letters for the unit list (the full label is the tooltip)."""
    return {
        "self_assessment": QCoreApplication.translate("labels", "TĐG"),
        "submitted": QCoreApplication.translate("labels", "Nộp"),
        "appraisal1": QCoreApplication.translate("labels", "TĐ1"),
        "explanation": QCoreApplication.translate("labels", "GT"),
        "appraisal2": QCoreApplication.translate("labels", "TĐ2"),
        "approved": QCoreApplication.translate("labels", "Duyệt"),
    }.get(status, status)


def unit_status_label(status: str) -> str:
    """A unit's way from start to publication (``services.approval.UNIT_STATUSES``)."""
    return {
        "not_started": QCoreApplication.translate("labels", "Chưa bắt đầu"),
        "self_assessing": QCoreApplication.translate("labels", "Đang tự đánh giá"),
        "submitted": QCoreApplication.translate("labels", "Đã nộp"),
        "appraising": QCoreApplication.translate("labels", "Đang thẩm định"),
        "explanation": QCoreApplication.translate("labels", "Giải trình"),
        "reappraisal": QCoreApplication.translate("labels", "Thẩm định lại"),
        "approved": QCoreApplication.translate("labels", "Đã phê duyệt"),
        "published": QCoreApplication.translate("labels", "Đã công bố"),
    }.get(status, status)


def mark_label(mark: str) -> str:
    return {
        "empty": QCoreApplication.translate("labels", "Chưa chấm"),
        "scored": QCoreApplication.translate("labels", "Đã chấm"),
        "changed": QCoreApplication.translate("labels", "Thẩm định khác điểm tự chấm"),
        "no_evidence": QCoreApplication.translate("labels", "Thiếu TLKC"),
        "na": QCoreApplication.translate("labels", "Không đánh giá"),
    }.get(mark, mark)


MARK_SYMBOL = {"empty": "○", "scored": "●", "changed": "◆", "no_evidence": "⚠", "na": "—"}
MARK_COLOR = {
    "empty": "#8a8a8a",
    "scored": "#2e7d32",
    "changed": "#e65100",
    "no_evidence": "#c62828",
    "na": "#607d8b",
}


def action_label(action: str) -> str:
    return {
        "score.set": QCoreApplication.translate("labels", "Ghi điểm"),
        "score.clear": QCoreApplication.translate("labels", "Xoá điểm"),
        "evidence.add": QCoreApplication.translate("labels", "Thêm TLKC"),
        "evidence.remove": QCoreApplication.translate("labels", "Gỡ TLKC"),
        "evidence.reference": QCoreApplication.translate("labels", "Sửa trích dẫn TLKC"),
        "stage.lock": QCoreApplication.translate("labels", "Khoá giai đoạn"),
        "stage.unlock": QCoreApplication.translate("labels", "Mở khoá giai đoạn"),
        "import": QCoreApplication.translate("labels", "Sửa điểm từ tệp tổng hợp"),
        "import.workbook": QCoreApplication.translate("labels", "Nhập tệp tổng hợp"),
        "import.package": QCoreApplication.translate("labels", "Nhập gói của tổ thẩm định"),
        "unit.merge": QCoreApplication.translate("labels", "Gộp đơn vị trùng mã"),
        "conflict.resolve": QCoreApplication.translate("labels", "Đã giải quyết xung đột"),
        "settings.reports": QCoreApplication.translate("labels", "Sửa thông tin trên văn bản"),
    }.get(action, action)


CLASS_COLORS = {
    "xuat_sac": "#1b5e20",
    "tot": "#2e7d32",
    "kha": "#f9a825",
    "trung_binh": "#ef6c00",
    "yeu": "#c62828",
}
"""Text/bar colours per class code (other codes: grey)."""


def class_color(code: Any) -> QColor:
    return QColor(CLASS_COLORS.get(str(code), "#616161"))


def class_background(code: Any) -> QColor:
    color = class_color(code)
    color.setAlpha(48)
    return color


def english() -> bool:
    """Whether the interface is in English (criteria titles then use their English title when the set
    has one)."""
    return QLocale().language() == QLocale.Language.English


def num(value: Decimal | float | int | None, decimals: int = 2) -> str:
    """A number in the UI language's notation (Vietnamese: comma decimals), '' for None."""
    return formats.number(value, decimals)  # the one formatter (ui/formats.py)


def size_text(size: int) -> str:
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{num(size / 1024, 1)} KB"
    return f"{num(size / 1024 / 1024, 1)} MB"
