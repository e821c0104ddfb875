"""Messages of split package volumes (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "volumes.bad_size": N_("Cỡ tập {text!r} không hợp lệ: hãy ghi một số kèm đơn vị, ví dụ 4000M hoặc 700M "
                           "(K, M, G: nghìn, triệu, tỉ byte; KiB, MiB, GiB: lũy thừa của 1024)"),
    "volumes.too_small": N_("Cỡ tập {text} quá nhỏ: mỗi tập phải có ít nhất {minimum}"),
    "volumes.too_many": N_("Gói cần hơn {count} tập với cỡ {size} byte mỗi tập: hãy chọn cỡ tập lớn hơn"),
    "volumes.written": N_("Đã chia thành {count} tập: {names}"),
    "volumes.first_missing": N_("{label}: không có tập đầu tiên {volume}; hãy chép đủ mọi tập của gói vào "
                                "cùng một thư mục"),
    "volumes.missing": N_("{label}: thiếu tập {volume} (có các tập đến {last}); hãy chép đủ mọi tập của gói "
                          "vào cùng một thư mục"),
    "volumes.end_missing": N_("{label}: tập cuối cùng tìm thấy là {last} nhưng gói chưa kết thúc ở đó: thiếu "
                              "tập sau, hoặc tập cuối bị hỏng ({error})"),
    "volumes.no_table": N_("{label}: tập cuối {last} không ghi cỡ tập của gói: đây không phải một gói được "
                           "chia tập bằng chương trình này"),
    "volumes.wrong_size": N_("{label}: tập {volume} có {size} byte, khác cỡ tập của gói ({expected} byte): "
                             "tập bị cắt ngắn, của gói khác, hoặc tập sau nó không thuộc gói này"),
    "volumes.foreign": N_("{label}: tập {volume} không thuộc gói này (của gói khác, bị hỏng hoặc sai thứ "
                          "tự)"),
}
