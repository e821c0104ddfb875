"""Messages of the scoring rules, rules.* (scoring/rules.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "rules.not_a_number": N_("{what}: {value!r} không phải là số"),
    "rules.not_finite": N_("{what}: {value!r} không phải là số hữu hạn"),
    "rules.not_for_kind": N_("Tiêu chí {criterion} không áp dụng cho loại đơn vị {kind!r}"),
    "rules.not_a_leaf": N_("Tiêu chí {criterion} không phải tiêu chí thành phần: tiêu chí này không có "
                           "cách chấm"),
    "rules.numerator": N_("Tiêu chí {criterion}: tử số"),
    "rules.denominator": N_("Tiêu chí {criterion}: mẫu số"),
    "rules.value": N_("Tiêu chí {criterion}: giá trị"),
    "rules.points": N_("Tiêu chí {criterion}: điểm"),
    "rules.count": N_("Tiêu chí {criterion}: số lượng"),
    "rules.index_value": N_("Tiêu chí {criterion}: giá trị {index}"),
    "rules.any_index_value": N_("Tiêu chí {criterion}: giá trị chỉ số"),
    "rules.negative_ratio": N_("Tiêu chí {criterion}: tử số và mẫu số không được âm"),
    "rules.numerator_larger": N_("Tiêu chí {criterion}: tử số {numerator} lớn hơn mẫu số {denominator}"),
    "rules.negative_value": N_("Tiêu chí {criterion}: giá trị không được âm"),
    "rules.give_ratio": N_("Tiêu chí {criterion}: hãy nhập tử số và mẫu số, hoặc một giá trị (%)"),
    "rules.no_input": N_("Tiêu chí {criterion}: chưa nhập số liệu"),
    "rules.not_applicable_refused": N_("Tiêu chí {criterion} không được đánh dấu là không đánh giá"),
    "rules.say_done": N_("Tiêu chí {criterion}: hãy cho biết đã thực hiện hay chưa"),
    "rules.unknown_option": N_("Tiêu chí {criterion}: không có phương án {option!r}; các phương án: {known}"),
    "rules.bad_count": N_("Tiêu chí {criterion}: số lượng phải là số nguyên không âm, không phải {count}"),
    "rules.negative_index": N_("Tiêu chí {criterion}: giá trị chỉ số không được âm"),
    "rules.give_points": N_("Tiêu chí {criterion}: hãy nhập điểm"),
    "rules.unsupported_kind": N_("Tiêu chí {criterion}: không hỗ trợ cách chấm {kind!r}"),
    "rules.points_decimals": N_("Tiêu chí {criterion}: điểm {points} có quá hai chữ số thập phân"),
    "rules.points_range": N_("Tiêu chí {criterion}: điểm {points} nằm ngoài khoảng [0, {max}] đối với "
                             "{kind}"),
}
