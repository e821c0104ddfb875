"""``evaluator server roles|user``: who may do what on a committee's PostgreSQL server
(``evaluator.services.server_roles``)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from evaluator.i18n import N_
from evaluator.messages import say


def register(sub: Any) -> None:
    from evaluator.services.server_roles import DEFAULT_PREFIX, GROUPS

    sv = sub.add_parser("server", help=N_("quyền trên máy chủ PostgreSQL của hội đồng: vai trò, tài khoản"))
    ssub = sv.add_subparsers(dest="server_command", metavar="ACTION", required=True)
    roles = ssub.add_parser("roles", help=N_("tạo các vai trò (hội đồng, thư ký, thẩm định viên, chỉ xem) và "
                                             "cấp quyền cho từng vai trò trên cơ sở dữ liệu dự án"))
    roles.add_argument("--db", required=True, help=N_("địa chỉ cơ sở dữ liệu dự án (postgresql+psycopg://…)"))
    roles.add_argument("--prefix", default=DEFAULT_PREFIX, help=N_("tiền tố tên các vai trò"))
    roles.add_argument("--format", choices=("text", "json"), default="text")
    roles.set_defaults(handler=cmd_roles)
    user = ssub.add_parser("user", help=N_("tạo tài khoản đăng nhập thuộc một vai trò (mật khẩu đọc từ dòng "
                                           "đầu của đầu vào chuẩn hoặc từ biến môi trường)"))
    user.add_argument("--db", required=True, help=N_("địa chỉ cơ sở dữ liệu dự án (postgresql+psycopg://…)"))
    user.add_argument("--name", required=True, help=N_("tên đăng nhập"))
    user.add_argument("--role", required=True, choices=GROUPS, help=N_("vai trò của tài khoản"))
    user.add_argument("--prefix", default=DEFAULT_PREFIX, help=N_("tiền tố tên các vai trò"))
    user.set_defaults(handler=cmd_user)


def cmd_roles(args: argparse.Namespace) -> int:
    from evaluator.services.server_roles import create_roles

    report = create_roles(args.db, prefix=args.prefix)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(say("server.roles_done", created=", ".join(report.created) or "—",
                  existing=", ".join(report.existing) or "—", tables=report.tables))
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    from evaluator.services.server_roles import PASSWORD_ENV, create_login, password_from

    # read only when the variable is not set: a terminal would otherwise wait for a line
    stdin = None if os.environ.get(PASSWORD_ENV) else sys.stdin.readline()
    group = create_login(args.db, args.name, args.role, password_from(stdin), prefix=args.prefix)
    print(say("server.login_done", name=args.name, group=group))
    return 0
