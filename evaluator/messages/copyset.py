"""Messages of a team copy following the committee to a newer version of a criteria set, copyset.*
(services/exchange/merge/set_moves.py, report.py); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "copyset.moved": N_("Đơn vị {unit}, năm {year}: chuyển từ bộ tiêu chí {old} sang {new} như hội đồng"),
    "copyset.unsent": N_("Gói giao việc chuyển các đơn vị từ bộ tiêu chí {old} sang {new}, nhưng máy này có "
                         "điểm đã nhập mà hội đồng chưa nhận: {units} (số lần sửa). Không nhập, để không mất "
                         "các điểm đó: hãy xuất gói dữ liệu của các đơn vị {codes} gửi hội đồng trước, rồi "
                         "bắt đầu bản sao mới từ gói giao việc này"),
}
