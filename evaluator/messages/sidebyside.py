"""Messages of the side-by-side mode, sidebyside.* (services/side_by_side.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "sidebyside.no_units": N_("Năm {year} không có đơn vị loại {kind}"),
    "sidebyside.empty": N_("Tiêu chí {criterion}: chưa nhập giá trị"),
    "sidebyside.not_a_number": N_("Tiêu chí {criterion}: \"{text}\" không phải là số"),
    "sidebyside.binary": N_("Tiêu chí {criterion}: \"{text}\" không hợp lệ; nhập 1 (đã thực hiện), 0 (chưa) "
                            "hoặc KĐG"),
    "sidebyside.option": N_("Tiêu chí {criterion}: không có mức \"{text}\"; nhập số thứ tự hoặc mã mức "
                            "({options})"),
    "sidebyside.ratio": N_("Tiêu chí {criterion}: \"{text}\" không hợp lệ; nhập tử số/mẫu số, ví dụ 45/50"),
    "sidebyside.count": N_("Tiêu chí {criterion}: \"{text}\" không phải là số nguyên không âm"),
}
