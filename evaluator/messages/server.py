"""Messages of projects on a database server (PostgreSQL), server.* (models/, services/); see
evaluator/messages/__init__.py."""

from __future__ import annotations

from evaluator.i18n import N_

MESSAGES: dict[str, str] = {
    "server.backup_not_yet": N_("Chưa sao lưu được dự án trên máy chủ cơ sở dữ liệu ({project}) bằng chương "
                                "trình: tính năng này chưa có; hãy dùng công cụ sao lưu của máy chủ"),
    "server.not_allowed": N_("Máy chủ cơ sở dữ liệu không cho tài khoản {user} làm việc này (theo vai trò "
                             "hội đồng giao cho tài khoản); chưa ghi gì. Máy chủ báo: {error}"),
    "server.not_postgresql": N_("{db} không phải là địa chỉ một cơ sở dữ liệu PostgreSQL "
                                "(postgresql+psycopg://…)"),
    "server.bad_prefix": N_("Tiền tố tên vai trò {prefix} không dùng được: chỉ chữ thường không dấu, chữ số "
                            "và dấu gạch dưới, tối đa 41 ký tự, không bắt đầu bằng chữ số"),
    "server.unknown_group": N_("Không có vai trò {group} trên máy chủ; các vai trò: {groups}"),
    "server.bad_login": N_("Tên đăng nhập {name} không dùng được: chỉ chữ không dấu, chữ số, dấu chấm, gạch "
                           "ngang và gạch dưới, tối đa 63 ký tự"),
    "server.no_group": N_("Chưa có vai trò {group} trên máy chủ: hãy tạo các vai trò trước"),
    "server.login_exists": N_("Tài khoản {name} đã có trên máy chủ"),
    "server.no_password": N_("Chưa có mật khẩu cho tài khoản mới: hãy nhập ở dòng đầu, hoặc đặt biến môi "
                             "trường {env}"),
    "server.failed": N_("Máy chủ cơ sở dữ liệu {db} từ chối: {error}"),
    "server.roles_done": N_("Vai trò đã tạo: {created}; đã có: {existing}; đã cấp quyền trên {tables} bảng"),
    "server.login_done": N_("Đã tạo tài khoản {name} thuộc vai trò {group}"),
}
