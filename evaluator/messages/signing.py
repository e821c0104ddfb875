"""Messages of signing (see evaluator/messages/__init__.py)."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "signing.env_not_set": N_("Biến môi trường {name} (chứa mật khẩu) chưa được đặt."),
    "signing.no_stdin_password": N_("Không đọc được mật khẩu từ đầu vào chuẩn."),
    "signing.no_terminal": N_("Không có cửa sổ dòng lệnh để hỏi mật khẩu: hãy đưa mật khẩu qua biến môi "
                              "trường hoặc đầu vào chuẩn."),
    "signing.token_keys": N_("Thiết bị ký {token!r} có {count} khóa riêng ({labels}): hãy chọn một khóa theo "
                             "nhãn."),
}
