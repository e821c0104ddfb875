"""Messages of byte progress (export and import of team packages); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "transfer.bytes": N_("{done} MB / {total} MB"),
    "transfer.bytes_minutes": N_("{done} MB / {total} MB, còn khoảng {minutes} phút"),
    "transfer.bytes_under_a_minute": N_("{done} MB / {total} MB, còn chưa đến một phút"),
    "transfer.no_room": N_("{label}: cần {size} MB cho các tệp minh chứng mới nhưng đĩa của {root} chỉ còn "
                           "{free} MB; chưa ghi gì"),
}
