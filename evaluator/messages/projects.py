"""Messages of projects (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "projects.no_backup": N_("Không có bản sao lưu {backup!r} của {project}."),
    "projects.backup_ambiguous": N_("{backup!r} ứng với nhiều bản sao lưu của {project}: {listed}"),
    "projects.no_assessment": N_("Năm {year} không có phiếu đánh giá của đơn vị {units}."),
    "projects.exists": N_("{target} đã có: hãy chọn tên tệp khác hoặc xóa tệp đó trước"),
    "projects.demo_no_folder": N_("Không tạo được dự án mẫu {target}: thư mục {folder} không tồn tại"),
    "projects.demo_unfinished": N_("Không hoàn tất được dự án mẫu {db}: không gộp được nhật ký ghi trước "
                                   "(WAL) vào tệp"),
    "projects.demo_appeared": N_("{target} vừa xuất hiện trong khi đang tạo dự án mẫu; dự án mẫu chưa được "
                                 "ghi"),
    "projects.not_evaluator": N_("Dự án không có dòng thông tin dự án: đây không phải dự án của chương "
                                 "trình"),
    "projects.no_year": N_("Dự án không có dữ liệu năm {year}; các năm có trong dự án: {years}"),
    "projects.no_assessments_year": N_("Dự án không có phiếu đánh giá nào năm {year}"),
}
