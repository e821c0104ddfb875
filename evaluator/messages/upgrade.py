"""Messages of comparing criteria sets and moving assessments to a new version, upgrade.*
(frameworks/diff.py, services/framework_upgrade.py, cli/framework_upgrade_cmd.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    # refusals
    "upgrade.bad_identity": N_("“{given}” không phải là mã bộ tiêu chí kèm số phiên bản (ví dụ "
                               "par-department-2024@2)"),
    "upgrade.need_project": N_("“{given}”: cần mở một dự án để lấy bộ tiêu chí theo mã và phiên bản"),
    "upgrade.unknown_set": N_("Dự án không có bộ tiêu chí {identity}; các bộ đang có: {known}"),
    "upgrade.other_code": N_("Chỉ chuyển được sang một phiên bản khác của cùng bộ tiêu chí: {old} và {new} "
                             "là hai bộ khác nhau"),
    "upgrade.not_newer": N_("Phiên bản đích {new} phải mới hơn phiên bản đang dùng {old}"),
    "upgrade.other_year": N_("{new} dùng cho năm {new_year}, còn {old} dùng cho năm {old_year}: không chuyển "
                             "được điểm giữa hai năm"),
    "upgrade.kinds_not_covered": N_("{new} không áp dụng cho loại đơn vị {kinds} của các đơn vị đang chấm "
                                    "theo {old}"),
    "upgrade.open_conflicts": N_("Còn {count} xung đột chưa giải quyết trên các bản đánh giá theo {old}; hãy "
                                 "giải quyết trước khi chuyển phiên bản: {listed}"),
    "upgrade.locked": N_("{count} bản đánh giá theo {old} đang khoá giai đoạn; hãy mở khoá trước khi chuyển "
                         "phiên bản (điểm đã khoá không được đổi ngầm): {listed}"),
    "upgrade.unknown_strategy": N_("Không có cách chuyển điểm {strategy!r}; chọn một trong: {known}"),
    # the report
    "upgrade.head_dry_run": N_("Xem trước, chưa ghi gì: chuyển {count} bản đánh giá từ {old} sang {new} "
                               "({strategy})"),
    "upgrade.head_done": N_("Đã chuyển {count} bản đánh giá từ {old} sang {new} ({strategy})"),
    "upgrade.strategy_keep": N_("giữ giá trị các tiêu chí không đổi"),
    "upgrade.strategy_reset": N_("chấm lại từ đầu"),
    "upgrade.strategy_rescale": N_("giữ giá trị các tiêu chí không đổi, quy đổi theo tỷ lệ các tiêu chí chỉ "
                                   "đổi điểm tối đa"),
    "upgrade.backup": N_("Bản sao lưu trước khi chuyển: {path}"),
    "upgrade.totals": N_("Tổng cộng: giữ {kept}, quy đổi {rescaled}, xoá {cleared} giá trị"),
    "upgrade.unit_line": N_("{unit} ({name}): giữ {kept}, quy đổi {rescaled}, xoá {cleared} giá trị"),
    "upgrade.needs_score": N_("  cần chấm lại: {codes}"),
    "upgrade.evidence_kept": N_("  tài liệu kiểm chứng của tiêu chí không còn trong bộ mới, vẫn được giữ: "
                                "{files}"),
    # the diff
    "upgrade.diff_head": N_("So sánh {old} → {new}: thêm {added}, bỏ {removed}, sửa {changed} nút"),
    "upgrade.no_difference": N_("Hai bộ tiêu chí giống nhau ở mọi nút"),
    "upgrade.col_change": N_("Thay đổi"),
    "upgrade.col_code": N_("Mã"),
    "upgrade.col_node": N_("Loại nút"),
    "upgrade.col_field": N_("Trường"),
    "upgrade.col_old": N_("Cũ"),
    "upgrade.col_new": N_("Mới"),
    "upgrade.added": N_("thêm"),
    "upgrade.removed": N_("bỏ"),
    "upgrade.changed": N_("sửa"),
    "upgrade.leaf": N_("tiêu chí chấm điểm"),
    "upgrade.group": N_("nhóm tiêu chí"),
    "upgrade.field_kind_of_node": N_("loại nút"),
    "upgrade.field_title": N_("tên"),
    "upgrade.field_title_en": N_("tên tiếng Anh"),
    "upgrade.field_max": N_("điểm tối đa"),
    "upgrade.field_rule": N_("cách chấm"),
    "upgrade.field_source": N_("nguồn điểm"),
    "upgrade.field_role": N_("vai trò"),
    "upgrade.field_parent": N_("nút cha"),
    "upgrade.field_not_applicable_allowed": N_("cho phép không đánh giá"),
    "upgrade.field_evidence_required": N_("bắt buộc tài liệu kiểm chứng"),
}
