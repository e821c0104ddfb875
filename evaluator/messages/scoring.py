"""Messages of scoring (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "scoring.reason_required": N_("Tiêu chí {criterion}: điểm thẩm định khác điểm tự chấm, hãy nhập lý do."),
    "scoring.reason_for_change": N_("Tiêu chí {criterion}: điểm thẩm định khác điểm tự chấm và ghi chú "
                                    "“{note}” là của giá trị trước; hãy nhập lý do cho thay đổi này."),
    "scoring.not_survey": N_("Tiêu chí {criterion} không chấm theo điều tra xã hội học"),
}
