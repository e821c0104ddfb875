"""Messages of imports (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "import.refused": N_("Không nhập: có {count} lỗi, chưa ghi gì vào dự án:"),
    "import.more": N_("… và {count} lỗi khác"),
    "import.mixed_kinds": N_("Nhập gói dữ liệu tổ thẩm định (.cchc) và bảng tổng hợp (.xlsx) trong các lần "
                             "nhập riêng: mỗi lần nhập là trọn vẹn hoặc không gì cho một loại tệp."),
    "import.trust_needs_package": N_("Chỉ gói dữ liệu tổ thẩm định (.cchc) mới có chữ ký để kiểm tra theo "
                                     "danh sách chứng thư tin cậy."),
    "import.merge_needs_package": N_("Chỉ gói dữ liệu tổ thẩm định (.cchc) mới có đơn vị trùng để gộp: bảng "
                                     "tổng hợp gọi đơn vị theo mã."),
    "import.one_workbook": N_("Hãy chọn đúng một bảng tính (.xlsx) để nhập {kind}; danh sách đang có "
                              "{count} tệp"),
    "import.kind_survey": N_("kết quả điều tra xã hội học"),
    "import.kind_external": N_("các chỉ số bên ngoài"),
    "import.no_answers": N_("{file}: không có câu trả lời nào để nhập"),
}
