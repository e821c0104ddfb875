"""Messages about the unit kinds a command is asked for, kinds.* (cli/main.py, cli/units_cmd.py); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "kinds.unknown": N_("Các bộ tiêu chí của dự án không có loại đơn vị {kind}; các loại có: {known} "
                        "({names})"),
    "kinds.unknown_in_year": N_("Các bộ tiêu chí năm {year} không có loại đơn vị {kind}; các loại có: "
                                "{known} ({names})"),
}
