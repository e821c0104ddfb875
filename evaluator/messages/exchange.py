"""Messages of exchange (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "exchange.no_conflict": N_("Không có xung đột {conflict}."),
    "exchange.conflict_ambiguous": N_("Mã xung đột {conflict} chưa đủ rõ: có {count} xung đột bắt đầu "
                                      "bằng mã này ({listed}); hãy ghi thêm ký tự."),
    "exchange.package_suffix": N_("{name}: tên tệp gói dữ liệu tổ thẩm định phải có đuôi .cchc"),
    "exchange.author_refused": N_("Họ tên người thực hiện {author}: {error}"),
    "exchange.no_folder": N_("Không ghi được {path}: thư mục {folder} không tồn tại"),
    "exchange.no_assessment_units": N_("Không có phiếu đánh giá của đơn vị {units}"),
    "exchange.no_assessment_units_years": N_("Không có phiếu đánh giá của đơn vị {units} trong năm {years}"),
    "exchange.nothing_to_export": N_("Không có gì để xuất: không có phiếu đánh giá nào phù hợp"),
    "exchange.evidence_missing": N_("Không xuất được: {error}; hãy khôi phục thư mục tài liệu kiểm chứng "
                                    "từ một bản sao lưu"),
    "exchange.trust_setting": N_("Thiết lập {setting} của dự án phải là danh sách các chứng thư số dạng "
                                 "văn bản PEM"),
    "exchange.changed_during_import": N_("{label} đã bị thay đổi trong khi nhập; chưa ghi gì vào dự án"),
    "exchange.nothing_written": N_("{error}; chưa ghi gì vào dự án"),
    "exchange.ids_reused": N_("Không nhập, chưa ghi gì vào dự án: một gói dữ liệu dùng lại mã định danh "
                              "của bản ghi khác trong dự án ({error})"),
    "exchange.export_invalid": N_("Không xuất được: {data}: {where}; hãy sửa trong dự án rồi xuất lại"),
    "exchange.export_invalid_named": N_("Không xuất được: {data}: {where} ({named}); hãy sửa trong dự án "
                                        "rồi xuất lại"),
    "exchange.named_unit": N_("đơn vị {code}"),
    "exchange.named_criterion": N_("tiêu chí {code}"),
}
