"""Messages of common (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "common.unknown_role": N_("Vai trò {role!r} không có; các vai trò: {roles}"),
    "common.unknown_stage": N_("Vòng chấm {stage!r} không có; các vòng: {stages}"),
    "common.enter_name": N_("Hãy nhập họ tên."),
    "common.none": N_("không có"),
    "common.cannot_read": N_("Không đọc được {path}: {error}"),
    "common.cannot_write": N_("Không ghi được {path}: {error}"),
}
