"""Messages of shortcomings followed from one year to the next, shortcomings.* (services/shortcomings.py,
cli/shortcomings_cmd.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "shortcomings.no_unit": N_("Không có đơn vị mã {code} được đánh giá năm {year}"),
    "shortcomings.col_criterion": N_("Tiêu chí năm trước"),
    "shortcomings.col_points": N_("Điểm / tối đa"),
    "shortcomings.col_reason": N_("Lý do trừ điểm"),
    "shortcomings.col_now": N_("Năm nay"),
    "shortcomings.col_status": N_("Kết quả"),
    "shortcomings.fixed": N_("đã khắc phục"),
    "shortcomings.not_fixed": N_("chưa khắc phục"),
    "shortcomings.dropped": N_("tiêu chí không còn"),
    "shortcomings.pending": N_("chưa chấm"),
    "shortcomings.not_applicable": N_("không đánh giá"),
    "shortcomings.none": N_("Không có điểm bị trừ năm {year} để theo dõi."),
}
