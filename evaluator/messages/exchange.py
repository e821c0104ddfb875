"""Messages of exchange (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "exchange.no_conflict": N_("Không có xung đột {conflict}."),
    "exchange.conflict_ambiguous": N_("Mã xung đột {conflict} chưa đủ rõ: có {count} xung đột bắt đầu "
                                      "bằng mã này ({listed}); hãy ghi thêm ký tự."),
}
