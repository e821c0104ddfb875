"""Messages of incremental team packages and split volumes (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "increments.package_named": N_("{file} (mã {id}, lập lúc {created} UTC, của {who}, máy {device})"),
    "increments.bad_builds_on": N_("{label}: {manifest}: danh sách các gói được nối tiếp (builds_on) không "
                                   "hợp lệ: {problem}"),
    "increments.missing": N_("{label} là gói chỉ gồm phần mới, nối tiếp gói {package} mà dự án chưa nhập: "
                             "hãy nhập gói đó trước (hoặc cùng lúc), hoặc đề nghị tổ gửi một gói đầy đủ"),
    "increments.missing_more": N_("{label}: còn {count} gói được nối tiếp khác dự án chưa nhập"),
    "increments.first_full": N_("Dự án này chưa xuất gói nào: đã ghi một gói đầy đủ"),
    "increments.builds_on": N_("Gói chỉ gồm phần mới, nối tiếp {count} gói trước; gói gần nhất: {last}"),
    "increments.nothing_new": N_("Không có gì mới kể từ gói {last}: không ghi gói nào"),
    "increments.not_for_handout": N_("Gói giao việc luôn là gói đầy đủ: không ghi được gói chỉ gồm phần mới"),
    "increments.confirmed": N_("{unit} năm {year}, tiêu chí {leaf}: xác nhận dùng cho năm này tài liệu "
                               "{file}"),
    "increments.confirm_removed": N_("{label}: tổ đã xác nhận dùng cho năm này tài liệu {file} ({unit} năm "
                                     "{year}, tiêu chí {leaf}), nhưng Hội đồng đã gỡ tài liệu này ({when}, "
                                     "{who}): không gắn lại; nếu vẫn cần, hãy gắn lại tài liệu"),
    "increments.report_removed": N_("Xác nhận tài liệu Hội đồng đã gỡ ({count}):"),
}
