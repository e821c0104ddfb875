"""Messages of comparing the criteria sets a package brings with the project's, package_sets.*
(services/package_sets.py, the import centre's preview); see evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "package_sets.changed": N_("{file}: không còn thấy bộ tiêu chí {identity} như lúc xem trước (tệp đã thay "
                               "đổi?): hãy xem trước lại"),
    "package_sets.unreadable": N_("{file}: không đọc được dữ liệu của gói để so sánh bộ tiêu chí: {error}"),
}
