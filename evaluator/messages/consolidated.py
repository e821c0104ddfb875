"""Messages of the consolidated workbook's import checked against the project, consolidated.*
(services/workbook_import.py); see evaluator/messages/__init__.py. Places are import.row/import.column."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "consolidated.column": N_("cột {names}"),
    "consolidated.columns": N_("các cột {names}"),
    "consolidated.unit_in_project": N_("{where}, {columns}: đơn vị {code} đã có trong dự án với tên "
                                       "{known_name!r} ({known_kind}), không phải {name!r} ({kind})"),
    "consolidated.unit_declared_differently": N_("{where}, {columns}: đơn vị {code} được khai báo khác ở "
                                                 "{earlier}"),
    "consolidated.unit_declared_as": N_("{where}, {columns}: đơn vị {code} được khai báo là {first_name!r} "
                                        "({first_kind}) ở {first_where}"),
    "consolidated.criteria_set_year": N_("{where}: bộ tiêu chí {code}: {problem}"),
    "consolidated.no_unit_kind": N_("{where}: bộ tiêu chí {code} không có loại đơn vị {kind!r}"),
    "consolidated.other_criteria_set": N_("{where}: {code} được đánh giá năm {year} theo bộ tiêu chí "
                                          "{existing}, bảng tính ghi {given}"),
    "consolidated.unknown_unit": N_("{where}: không có đơn vị {unit!r} (không có trong trang tính units, "
                                    "cũng không được đánh giá năm {year} trong dự án)"),
    "consolidated.duplicate_row": N_("{where}: dòng trùng (cùng đơn vị, tiêu chí và vòng chấm với {file} "
                                     "dòng {row})"),
    "consolidated.not_from_rule": N_("{where}: {points} điểm cho {code} không thể có theo cách tính của tiêu "
                                     "chí ({rule}); đã nhập như quyết định của hội đồng"),
    "consolidated.unknown_criterion": N_("{where}: không có tiêu chí {code!r} cho {kind} trong bộ tiêu chí "
                                         "{identity}"),
    "consolidated.survey_only": N_("{where}: tiêu chí {code} được chấm qua điều tra xã hội học; không nhận "
                                   "điểm của vòng {stage}"),
    "consolidated.appraisal_only": N_("{where}: tiêu chí {code} được chấm qua thẩm định; không nhận điểm "
                                      "điều tra xã hội học"),
    "consolidated.na_not_allowed": N_("{where}: tiêu chí {code} không được đánh dấu là không áp dụng"),
    "consolidated.outside_range": N_("{where}: {points} nằm ngoài khoảng [0, {max}] của tiêu chí {code} "
                                     "({kind})"),
}
