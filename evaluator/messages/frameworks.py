"""Messages of criteria sets, frameworks.* (services/frameworks.py, results.py; frameworks/loader.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "frameworks.fingerprint": N_("Bộ tiêu chí {identity} trong dự án có mã kiểm tra {stored}…, nhưng tệp "
                                 "có {given}…: bộ tiêu chí đã bị sửa mà không đổi số phiên bản"),
    "frameworks.none_bundled": N_("Chương trình không kèm bộ tiêu chí nào cho năm {year}"),
    "frameworks.no_set_for_kind": N_("Dự án không có bộ tiêu chí cho loại đơn vị {kind!r} năm {year}"),
    "frameworks.year_without_sets": N_("Chương trình không kèm bộ tiêu chí nào cho năm {year}: hãy chọn các "
                                       "tệp bộ tiêu chí của tỉnh (.yaml, .json, .xlsx), hoặc tạo dự án không "
                                       "có bộ tiêu chí rồi nhập bộ tiêu chí sau"),
    "frameworks.two_files_one_identity": N_("Bộ tiêu chí {identity} có trong hai tệp với nội dung khác "
                                            "nhau: {first} và {second}; nội dung đổi thì phải tăng số phiên "
                                            "bản"),
    "frameworks.set_for_other_year": N_("{file}: bộ tiêu chí {identity} dành cho năm {set_year}, không dùng "
                                        "được cho năm {year}"),
    "frameworks.stored": N_("đã nhập"),
    "frameworks.already_in_project": N_("đã có trong dự án"),
    "frameworks.not_in_project": N_("{where}, cột framework_code: dự án chưa có bộ tiêu chí {code!r} cho năm "
                                    "{year}; hãy nhập bộ tiêu chí vào dự án trước"),
    "frameworks.two_sets": N_("Năm {year}: các đơn vị loại {kind!r} dùng hai bộ tiêu chí ({first} và "
                              "{second}); không xếp hạng chung được"),
}
