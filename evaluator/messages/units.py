"""Messages of the units a province owns, units.* (services/units.py, services/unit_sheets.py,
cli/units_cmd.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "units.unknown": N_("Không có đơn vị mã {code} trong dự án"),
    "units.exists": N_("Đã có đơn vị mã {code} trong dự án"),
    "units.refused": N_("Không lưu đơn vị {code}: {count} lỗi"),
    "units.field_problem": N_("{field}: {problem}"),
    "units.code_pattern": N_("mã {code!r} chỉ được gồm chữ cái không dấu, chữ số và các dấu _ . - (tối đa "
                             "{limit} ký tự)"),
    "units.kind_unknown": N_("loại đơn vị {kind!r} không có trong bộ tiêu chí nào của dự án (có: {kinds})"),
    "units.no_sets": N_("dự án chưa có bộ tiêu chí nào, nên chưa có loại đơn vị nào"),
    "units.parent_self": N_("đơn vị {code} không thể là cấp trên của chính nó"),
    "units.parent_cycle": N_("đơn vị cấp trên {parent} lại là cấp dưới của {code}: các đơn vị cấp trên tạo "
                             "thành vòng"),
    "units.parent_unknown": N_("không có đơn vị cấp trên mã {parent} trong dự án"),
    "units.parent_none": N_("đơn vị loại {kind} trực thuộc tỉnh, không có đơn vị cấp trên (đang ghi "
                            "{parent})"),
    "units.parent_kind": N_("đơn vị cấp trên của đơn vị loại {kind} phải là {want}; {parent} là {have}"),
    "units.code_travelled": N_("không đổi được mã {code}: dữ liệu của đơn vị này có thể đã ở máy khác (gói "
                               "dữ liệu nhận biết đơn vị theo mã)"),
    "units.kind_assessed": N_("không đổi được loại của đơn vị {code}: đơn vị đã được đánh giá theo bộ tiêu "
                              "chí của loại {kind}"),
    "units.unknown_fields": N_("Không có trường {fields}; các trường sửa được: {known}"),
    "units.year_refused": N_("Năm đánh giá: {error}"),
    "units.not_retired": N_("Đơn vị {code} đang được sử dụng, không cần khôi phục"),
    "units.already_retired": N_("Đơn vị {code} đã thôi sử dụng từ {time}"),
    # the sheet "units" (services/unit_sheets.py)
    "units.unknown_columns": N_("{file}: trang tính {sheet}: không biết cột {columns} (các cột dùng được: "
                                "{known})"),
    "units.duplicate_code": N_("{where}: mã {code} đã có ở dòng {first}"),
    "units.not_text": N_("{where}: cần một văn bản, không phải {value}"),
    "units.too_many_rows": N_("{file}: trang tính {sheet} có {rows} dòng, nhiều hơn mức cho phép {limit}"),
    "units.import_done": N_("{file}: {new} đơn vị mới, {updated} đơn vị cập nhật, {same} đơn vị không đổi, "
                            "{assessed} đánh giá mới"),
    "units.import_dry_run": N_("Chạy thử: không ghi gì vào dự án"),
    "units.import_new": N_("mới: {code} — {name}"),
    "units.import_updated": N_("cập nhật: {code} ({fields})"),
    "units.exported": N_("Đã ghi {count} đơn vị vào {path}"),
    # what the commands say when done (cli/units_cmd.py)
    "units.added": N_("Đã thêm đơn vị {code}"),
    "units.added_year": N_("Đã thêm đơn vị {code} và đánh giá năm {year} của đơn vị"),
    "units.changed": N_("Đã sửa đơn vị {code}"),
    "units.unchanged": N_("Đơn vị {code} không có gì thay đổi"),
    "units.retired": N_("Đơn vị {code} đã thôi sử dụng; các đánh giá và lịch sử của đơn vị vẫn được giữ"),
    "units.restored": N_("Đơn vị {code} được sử dụng trở lại"),
}
