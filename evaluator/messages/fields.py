"""Messages of field rules, field.* (fields.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "field.not_a_year": N_("{value!r} không phải là năm trong khoảng {first}–{last}"),
    "field.year_pair": N_("đợt đánh giá năm {period_year} không thể dùng bộ tiêu chí năm {set_year}"),
    "field.lone_surrogate": N_("một ký tự thay thế đơn lẻ"),
    "field.control_character": N_("một ký tự điều khiển"),
    "field.bad_character": N_("{kind} (U+{code}) ở ký tự thứ {position}"),
    "field.not_text": N_("phải là văn bản, không phải {type}"),
    "field.too_long": N_("dài {length} ký tự, tối đa {limit} ký tự"),
    "field.empty": N_("không được để trống"),
    "field.contains": N_("chứa {problem}"),
    "field.expected_text": N_("phải là văn bản"),
    "field.name_empty": N_("để trống"),
    "field.path_separator": N_("chứa dấu phân cách đường dẫn"),
    "field.folder_reference": N_("là tham chiếu thư mục, không phải tên tệp"),
    "field.drive_path": N_("là đường dẫn ổ đĩa"),
}
