"""Messages of reading a criteria set's Excel workbook, xlsxread.* (frameworks/xlsx_read.py): what is
wrong with a cell, a column, a sheet or the file; see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    # --- the file and its sheets -------------------------------------------------------------------------
    "xlsxread.refused": N_("{error}"),
    "xlsxread.not_xlsx": N_("không phải sổ tính Excel (.xlsx) hoặc không đọc được: {error}"),
    "xlsxread.no_sheet": N_("sổ tính không có trang {missing}; sổ tính bộ tiêu chí có các trang {sheets} "
                            "(tìm thấy: {found})"),
    "xlsxread.sheet_empty": N_("trang trống: dòng 1 phải ghi tên các cột"),
    "xlsxread.column_twice": N_("cột {key!r} xuất hiện hai lần"),
    "xlsxread.unknown_column": N_("cột {key!r} không có trong mẫu; các cột là {expected} (tên cột ghi chú "
                                  "bắt đầu bằng '#')"),
    "xlsxread.missing_columns": N_("thiếu cột {columns}"),
    # --- cells --------------------------------------------------------------------------------------------
    "xlsxread.date": N_("ô chứa ngày hoặc giờ ({value}); cần {expected}"),
    "xlsxread.kind_text": N_("chữ (văn bản)"),
    "xlsxread.kind_note": N_("chữ (ghi chú)"),
    "xlsxread.kind_int": N_("một số nguyên"),
    "xlsxread.kind_number": N_("một giá trị số"),
    "xlsxread.kind_list": N_("một danh sách các mục"),
    "xlsxread.kind_bool": N_("có/không"),
    "xlsxread.kind_yaml": N_("văn bản YAML"),
    "xlsxread.not_bool": N_("{value!r} không phải có/không; hãy ghi TRUE hoặc FALSE"),
    "xlsxread.not_whole": N_("{value!r} không phải số nguyên"),
    "xlsxread.empty": N_("ô trống"),
    "xlsxread.bad_yaml": N_("không phải YAML hợp lệ: {error}"),
    # --- the set sheet ------------------------------------------------------------------------------------
    "xlsxread.value_without_key": N_("có giá trị nhưng không có khóa (key)"),
    "xlsxread.unknown_field": N_("trường {key!r} không có; các trường là {expected}"),
    "xlsxread.field_twice": N_("{key!r} đã được ghi ở dòng {row}"),
    # --- the survey sheet ---------------------------------------------------------------------------------
    "xlsxread.answer_twice": N_("câu trả lời {code!r} được ghi hai lần"),
    "xlsxread.no_weight": N_("câu trả lời {code!r} chưa có trọng số"),
    "xlsxread.group_twice": N_("nhóm {code!r} được ghi hai lần"),
    "xlsxread.bad_type": N_("{kind!r} không phải 'answer' hoặc 'group'"),
    # --- the node sheet -----------------------------------------------------------------------------------
    "xlsxread.no_max_column": N_("không có cột max_{kind} cho loại đơn vị {kind!r}"),
    "xlsxread.no_code": N_("dòng không có mã tiêu chí"),
    "xlsxread.bad_parent": N_("{parent!r} không phải mã của một dòng phía trên (dòng của tiêu chí cha đứng "
                              "trước các tiêu chí con)"),
    "xlsxread.bad_level": N_("ghi cấp {level} nhưng theo chuỗi tiêu chí cha thì là cấp {depth}"),
    "xlsxread.params_not_fields": N_("phải là các trường YAML như 'options:' hoặc 'bands:'"),
    "xlsxread.params_kind": N_("ghi 'kind' khác với cột rule_kind"),
    "xlsxread.given_twice": N_("{key!r} được ghi cả ở đây và trong cột rule_params"),
}
