"""Messages of deadlines, submissions and approvals, schedule.* submission.* approval.* (services/schedule.py,
services/submission.py, services/approval.py, cli/organisation_cmd.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "schedule.committee_only": N_("Chỉ Hội đồng đặt được thời hạn các bước (vai trò hiện tại: {role})"),
    "schedule.closes_before_opens": N_("Bước {stage}: ngày đóng {closes} trước ngày mở {opens}"),
    "schedule.not_open": N_("Bước {stage} của đơn vị {unit} chưa mở: mở từ ngày {opens}"),
    "schedule.closed": N_("Bước {stage} của đơn vị {unit} đã đóng sau ngày {closes}; chỉ Hội đồng mở lại "
                          "được"),
    "schedule.bad_date": N_("Ngày {value!r} không đúng dạng NNNN-TT-NN (ví dụ 2026-12-10)"),
    "schedule.need_stage": N_("Ngày mở và ngày đóng cần bước của chúng"),
    "schedule.state_pending": N_("chưa mở"),
    "schedule.state_open": N_("đang mở"),
    "schedule.state_closed": N_("đã đóng"),
    "schedule.need_both": N_("Cần cả ngày mở và ngày đóng của bước"),
    "schedule.set": N_("Bước {stage} năm {year}: mở {opens}, đóng {closes}"),
    "schedule.none": N_("Năm {year} chưa đặt thời hạn bước nào"),
    "submission.already": N_("Đơn vị {unit} đã nộp bản tự đánh giá năm {year} rồi: rút lại trước khi nộp "
                             "lại"),
    "submission.not_submitted": N_("Đơn vị {unit} chưa nộp bản tự đánh giá năm {year}, không có gì để rút "
                                   "lại"),
    "submission.role": N_("Vai trò {role} không nộp hay rút lại được bản tự đánh giá"),
    "submission.withdraw_closed": N_("Không rút lại được bản tự đánh giá của đơn vị {unit}: hạn nộp đã hết "
                                     "ngày {closes}"),
    "submission.appraised": N_("Không rút lại được bản tự đánh giá của đơn vị {unit}: đã bắt đầu thẩm định"),
    "submission.submitted": N_("Đơn vị {unit} đã nộp bản tự đánh giá năm {year}"),
    "submission.withdrawn": N_("Đơn vị {unit} đã rút lại bản tự đánh giá năm {year}"),
    "approval.no_assessment": N_("Không có bản đánh giá năm {year} của đơn vị {unit}"),
    "approval.committee_only": N_("Chỉ Chủ tịch Hội đồng (vai trò Hội đồng) phê duyệt được kết quả (vai trò "
                                  "hiện tại: {role})"),
    "approval.open_conflicts": N_("Chưa phê duyệt được kết quả của đơn vị {unit}: còn xung đột chưa giải "
                                  "quyết ({conflicts})"),
    "approval.required": N_("Kết quả năm {year} chưa được phê duyệt: {units}. Phê duyệt kết quả hoặc lập bản "
                            "dự thảo"),
    "approval.stale_units": N_("cần phê duyệt lại {units}"),
    "approval.missing_units": N_("chưa phê duyệt {units}"),
    "approval.both": N_("cần phê duyệt lại {stale}; chưa phê duyệt {missing}"),
    "approval.approved": N_("Đã phê duyệt kết quả năm {year} của đơn vị {unit}"),
    "approval.unchanged": N_("Kết quả năm {year} của đơn vị {unit} đã được phê duyệt, không có gì thay đổi"),
    "approval.stale_line": N_("Đơn vị {unit}: kết quả đã thay đổi sau khi phê duyệt ({by}, {at}) — cần phê "
                              "duyệt lại"),
}
