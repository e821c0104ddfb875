"""Messages of settling conflicts, conflicts.* (services/conflicts.py); see evaluator/messages/__init__.py.
``{where}``, ``{take}``, ``{points}``, ``{reason}``: what the caller calls its inputs (``labels.Called``: the
command line's flags in English, the plain words in Vietnamese)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "conflicts.not_a_number": N_("{where} {shown} không phải là số"),
    "conflicts.not_finite": N_("{where} {shown} không phải là một số hữu hạn"),
    "conflicts.points_range": N_("{where} {shown} nằm ngoài số điểm một tiêu chí có thể có"),
    "conflicts.two_decimals": N_("{where} {shown} có quá hai chữ số thập phân"),
    "conflicts.committee_only": N_("Chỉ {committee} được giải quyết xung đột; vai trò {role} chỉ xem được "
                                   "xung đột"),
    "conflicts.already_resolved": N_("Xung đột {conflict} đã được giải quyết ({at}, {by}: {reason})"),
    "conflicts.reason_needed": N_("Hãy nhập {reason} của quyết định"),
    "conflicts.field_refused": N_("{name}: {error}"),
    "conflicts.take_or_points": N_("Hãy chọn {take} hoặc nhập {points}, chỉ một trong hai"),
    "conflicts.take_ambiguous": N_("{take} {shown} chưa đủ rõ: có {count} giá trị của xung đột {conflict} "
                                   "bắt đầu như vậy ({listed}); hãy ghi thêm ký tự"),
    "conflicts.take_unknown": N_("{shown} không phải một trong các giá trị của xung đột {conflict} "
                                 "({listed})"),
}
