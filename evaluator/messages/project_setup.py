"""Messages of setting a project up with its units in one call, project_setup.* (services/project_setup.py,
``evaluator init``); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "project_setup.copy_takes_units": N_("Dự án của tổ lấy đơn vị từ gói giao việc của hội đồng: không nhận "
                                         "thêm danh sách đơn vị riêng"),
    "project_setup.created": N_("đã tạo dự án {where} cho năm {year} với các bộ tiêu chí: {sets}"),
    "project_setup.no_sets": N_("chưa có (nhập sau)"),
}
