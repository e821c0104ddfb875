"""Messages of the audit log's view, export and printout, auditlog.* (services/audit_log.py,
cli/audit_cmd.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "auditlog.range_reversed": N_("Khoảng ngày không hợp lệ: ngày bắt đầu {since} sau ngày kết thúc {until}"),
    "auditlog.bad_date": N_("Ngày không hợp lệ: {value} (cần dạng năm-tháng-ngày, ví dụ 2026-12-01)"),
    "auditlog.not_xlsx": N_("{name}: nhật ký chỉ xuất được ra tệp Excel (.xlsx)"),
    "auditlog.exported": N_("Đã xuất {count} sự kiện nhật ký vào {path}"),
    "auditlog.sheet": N_("Nhật ký"),
    "auditlog.title": N_("Nhật ký kiểm toán"),
    "auditlog.reason": N_("lý do: {reason}"),
    "auditlog.col_time": N_("Thời gian"),
    "auditlog.col_person": N_("Người thực hiện"),
    "auditlog.col_role": N_("Vai trò"),
    "auditlog.col_action": N_("Thao tác"),
    "auditlog.col_criterion": N_("Tiêu chí"),
    "auditlog.col_details": N_("Chi tiết"),
    "auditlog.action_score_set": N_("Ghi điểm"),
    "auditlog.action_score_clear": N_("Xoá điểm"),
    "auditlog.action_evidence_add": N_("Thêm TLKC"),
    "auditlog.action_evidence_remove": N_("Gỡ TLKC"),
    "auditlog.action_evidence_reference": N_("Sửa trích dẫn TLKC"),
    "auditlog.action_stage_lock": N_("Khoá giai đoạn"),
    "auditlog.action_stage_unlock": N_("Mở khoá giai đoạn"),
    "auditlog.action_import": N_("Sửa điểm từ tệp tổng hợp"),
    "auditlog.action_import_workbook": N_("Nhập tệp tổng hợp"),
    "auditlog.action_import_package": N_("Nhập gói của tổ thẩm định"),
    "auditlog.action_unit_merge": N_("Gộp đơn vị trùng mã"),
    "auditlog.action_conflict_resolve": N_("Đã giải quyết xung đột"),
    "auditlog.action_settings_reports": N_("Sửa thông tin trên văn bản"),
}
