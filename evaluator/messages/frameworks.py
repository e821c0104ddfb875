"""Messages of criteria sets, frameworks.* (services/frameworks.py, results.py; frameworks/loader.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "frameworks.fingerprint": N_("Bộ tiêu chí {identity} trong dự án có mã kiểm tra {stored}…, nhưng tệp "
                                 "có {given}…: bộ tiêu chí đã bị sửa mà không đổi số phiên bản"),
    "frameworks.none_bundled": N_("Chương trình không kèm bộ tiêu chí nào cho năm {year}"),
    "frameworks.no_set_for_kind": N_("Dự án không có bộ tiêu chí cho loại đơn vị {kind!r} năm {year}"),
    "frameworks.two_sets": N_("Năm {year}: các đơn vị loại {kind!r} dùng hai bộ tiêu chí ({first} và "
                              "{second}); không xếp hạng chung được"),
}
