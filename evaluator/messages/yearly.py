"""Messages of the yearly cycle: a new year from the last one, the criteria mapping, carried evidence,
yearly.* (services/new_year.py, services/criteria_mapping.py, services/evidence.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "yearly.changes_unreadable": N_("Không đọc được tệp thay đổi đơn vị {file}: {error}"),
    "yearly.changes_too_big": N_("Tệp thay đổi đơn vị {file} lớn hơn {max} MB"),
    "yearly.changes_not_json": N_("Tệp thay đổi đơn vị {file} không phải JSON (UTF-8): {error}"),
    "yearly.changes_not_list": N_("Tệp thay đổi đơn vị {file} phải là một danh sách các thay đổi (nhiều nhất "
                                  "{max})"),
    "yearly.changes_refused": N_("Tệp thay đổi đơn vị {file}: {count} lỗi, không tạo năm mới"),
    "yearly.changes_not_object": N_("{where}: phải là một đối tượng với các khóa {keys}"),
    "yearly.changes_unknown_key": N_("{where}: khóa không biết (các khóa: {keys})"),
    "yearly.changes_old_codes": N_("{where}: phải là một danh sách mã đơn vị (nhiều nhất {max})"),

    "yearly.from_after": N_("Năm nguồn {from_year} phải trước năm mới {year}"),
    "yearly.year_has_assessments": N_("Năm {year} đã có {count} phiếu đánh giá: không tạo lại năm đã có"),
    "yearly.no_previous": N_("Năm {year} chưa có phiếu đánh giá nào để chuyển sang năm mới"),
    "yearly.no_sets": N_("Không có bộ tiêu chí nào cho năm {year}: chọn tệp bộ tiêu chí của tỉnh "
                         "hoặc nhập bộ tiêu chí trước"),
    "yearly.nothing_to_carry": N_("Không đơn vị nào của năm {from_year} chuyển được sang năm {year}: không "
                                  "loại đơn vị nào có bộ tiêu chí năm {year}"),
    "yearly.plan_stale": N_("Dự án đã thay đổi từ lúc xem trước năm {year}: hãy xem trước lại"),
    "yearly.no_year": N_("Dự án không có bộ tiêu chí nào được dùng trong năm {year}"),
    "yearly.file_kind": N_("{where}: loại đơn vị {kind} không có trong đối chiếu (có: {kinds})"),
    "yearly.file_old_leaf": N_("{where}: {code} không phải tiêu chí lá của bộ năm trước {identity} cho "
                               "{kind}"),
    "yearly.file_new_leaf": N_("{where}: {code} không phải tiêu chí lá của bộ năm mới {identity} cho {kind}"),
    "yearly.file_old_twice": N_("{where}: tiêu chí {code} đã có ở dòng {row}"),
    "yearly.file_new_twice": N_("{where}: tiêu chí mới {code} đã được ghép ở dòng {row} (mỗi tiêu chí chỉ "
                                "ghép một lần)"),
    "yearly.file_empty": N_("{file}: bảng mapping không có dòng nào"),
    "yearly.not_pending": N_("Tệp {name} không phải tài liệu chuyển từ năm trước đang chờ xác nhận"),
    "yearly.created": N_("Đã tạo năm {year} từ năm {from_year}: {units} đơn vị"),
}
