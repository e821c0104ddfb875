"""Messages of creating a project with chosen criteria sets and settings, newproject.* (services/projects.py
``create_project``, the new-project wizard); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "newproject.set_year": N_("Bộ tiêu chí {identity} dùng cho năm {set_year}, không phải năm của dự án "
                              "({years})"),
    "newproject.kind_twice": N_("Năm {year}: hai bộ tiêu chí cùng dùng cho loại đơn vị {kind} ({first} và "
                                "{second}); hãy chỉ chọn một"),
    "newproject.no_set": N_("Năm {year} chưa có bộ tiêu chí nào: hãy chọn hoặc nhập ít nhất một bộ"),
}
