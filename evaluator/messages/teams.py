"""Messages of the appraisal teams and their scope, teams.* (services/teams.py, team_scope.py,
team_progress.py, the scope checks in services/scores.py and services/exchange/merge/); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    # --- the committee's teams (services/teams.py) ----------------------------------------------------
    "teams.exists": N_("Đã có tổ thẩm định {team}"),
    "teams.unknown": N_("Không có tổ thẩm định {team}; các tổ có: {known}"),
    "teams.empty_name": N_("tên trống"),
    "teams.bad_department": N_("Tên sở, ngành thành viên {department}: {error}"),
    "teams.no_areas": N_("Cần nêu ít nhất một lĩnh vực (mã lĩnh vực của bộ tiêu chí)"),
    "teams.kind_without_areas": N_("Loại đơn vị chỉ dùng cùng với các lĩnh vực của loại đó"),
    "teams.unknown_areas": N_("Các bộ tiêu chí của dự án không có lĩnh vực {areas} ({kind}); các lĩnh vực "
                              "có: {known}"),
    "teams.every_kind": N_("mọi loại đơn vị"),
    "teams.unknown_units": N_("Dự án không có đơn vị: {units}"),
    "teams.not_in_council": N_("{department} không phải thành viên hội đồng thẩm định trong thiết lập văn "
                               "bản (thành viên: {members})"),
    "teams.council_empty": N_("Thiết lập văn bản chưa có thành viên hội đồng: chưa kiểm tra được "
                              "{department}"),
    "teams.added": N_("Đã thêm tổ thẩm định {team}"),
    "teams.changed": N_("Đã sửa tổ thẩm định {team}"),
    "teams.unchanged": N_("Tổ thẩm định {team} không thay đổi"),
    # --- a team's scope on its laptop and at the committee ---------------------------------------------
    "teams.out_of_scope": N_("Tiêu chí {criterion} của đơn vị {unit} ngoài lĩnh vực được phân công cho tổ "
                             "{team}: chỉ xem, không sửa ở bước {stage}"),
    "teams.out_of_scope_reason": N_("ngoài lĩnh vực được phân công cho tổ {team}"),
    "teams.out_of_scope_line": N_("{label}: tổ {team}, đơn vị {unit}, tiêu chí {criterion} ({stage}): "
                                  "ngoài phạm vi, không nhập"),
    "teams.report_out_of_scope": N_("Ngoài phạm vi của tổ (không nhập): {count}"),
    "teams.bad_scope": N_("{label}: phạm vi của tổ thẩm định trong gói dữ liệu: {error}"),
    "teams.handout_scope": N_("Phạm vi của tổ {team}: {scope}"),
}
