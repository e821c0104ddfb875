"""Messages of projects (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "projects.no_backup": N_("Không có bản sao lưu {backup!r} của {project}."),
    "projects.backup_ambiguous": N_("{backup!r} ứng với nhiều bản sao lưu của {project}: {listed}"),
    "projects.no_assessment": N_("Năm {year} không có phiếu đánh giá của đơn vị {units}."),
}
