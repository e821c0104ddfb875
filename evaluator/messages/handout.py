"""Messages of the committee's handouts to its teams and of the criteria-set guard on package imports,
handout.* (services/handout.py, services/exchange/); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    # --- reading a package's manifest (services/exchange/reading.py) -----------------------------------
    "handout.bad_purpose": N_("{label}: mục đích của gói dữ liệu {purpose!r} không rõ (chỉ có 'team' hoặc "
                              "'handout')"),
    "handout.bad_team": N_("{label}: tên tổ thẩm định trong gói dữ liệu: {error}"),
    # --- the criteria-set guard (services/exchange/merge/sets.py, report.py) -----------------------------
    "handout.set_not_accepted": N_("{label}: gói dữ liệu mang bộ tiêu chí {code}@{version} (SHA-256 {sha}…) "
                                   "mà dự án chưa có. Không nhập: chỉ nhận bộ tiêu chí mới khi người nhập "
                                   "chọn chấp nhận bộ tiêu chí mới, hoặc khi gói được ký bằng chứng thư số "
                                   "trong danh sách tin cậy của dự án"),
    "handout.set_accepted": N_("Bộ tiêu chí mới {identity} (năm {year}, SHA-256 {sha}) từ {file}: "
                               "được nhận"),
    "handout.set_to_accept": N_("Bộ tiêu chí mới {identity} (năm {year}, SHA-256 {sha}) từ {file}: "
                                "cần được chấp nhận trước khi nhập"),
    "handout.accept_needs_package": N_("Chấp nhận bộ tiêu chí mới chỉ áp dụng khi nhập gói dữ liệu (.cchc)"),
    # --- document settings a handout brings (services/exchange/merge/settings.py) ------------------------
    "handout.settings_replaced": N_("Thiết lập của hội đồng thay cho thiết lập của bản sao: {keys}"),
    "handout.settings_bad": N_("{label}: thiết lập văn bản của hội đồng: {problem}"),
    "handout.settings_ignored": N_("{label}: thiết lập văn bản trong gói giao việc không được dùng: dự án "
                                   "này không phải bản sao của tổ thẩm định"),
    # --- handouts and team copies (services/handout.py) -------------------------------------------------
    "handout.written": N_("Đã ghi gói giao việc cho tổ {team}: {path} ({size} byte)"),
    "handout.team_refused": N_("Tên tổ thẩm định {team}: {error}"),
    "handout.no_units": N_("Không có đơn vị {units} trong dự án"),
    "handout.not_a_district": N_("{code} không phải là đơn vị cấp huyện của dự án; các huyện: {districts}"),
    "handout.no_years": N_("Dự án không có kỳ đánh giá năm {years}"),
    "handout.nothing": N_("Không có gì để giao: dự án chưa có đơn vị nào"),
    "handout.not_handout": N_("{label} không phải gói giao việc của hội đồng (mà là gói dữ liệu của một tổ "
                              "thẩm định); bản sao của tổ chỉ tạo được từ gói giao việc"),
    "handout.bad_manifest": N_("{label}: gói giao việc bị hỏng: {error}"),
    "handout.copy_takes_sets": N_("Bản sao của tổ lấy bộ tiêu chí từ gói giao việc; không chọn thêm bộ tiêu "
                                  "chí khi tạo bản sao"),
    "handout.copy_hint": N_("Để làm việc trên máy của tổ, hãy bắt đầu bản sao từ gói giao việc của hội đồng "
                            "(«Mở bản giao việc»)"),
}
