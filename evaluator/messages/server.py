"""Messages of projects on a database server (PostgreSQL), server.* (models/, services/); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "server.backup_not_yet": N_("Chưa sao lưu được dự án trên máy chủ cơ sở dữ liệu ({project}) bằng chương "
                                "trình: tính năng này chưa có; hãy dùng công cụ sao lưu của máy chủ"),
}
