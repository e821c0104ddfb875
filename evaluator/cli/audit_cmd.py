"""``evaluator audit verify --db DB``: check the hash chains of the audit log (issue #10).

Exit 0 when every chain verifies, 1 naming the first broken event of each broken chain.
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from evaluator.i18n import N_


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help=N_("nhật ký kiểm toán: kiểm tra không sự kiện nào bị sửa hay xoá"))
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    av = asub.add_parser("verify", help=N_("kiểm tra mọi chuỗi băm của nhật ký kiểm toán; thoát với mã 1 "
                                           "và nêu sự kiện hỏng đầu tiên của mỗi chuỗi hỏng"))
    av.add_argument("--db", required=True)
    av.add_argument("--format", choices=("table", "json"), default="table")
    av.set_defaults(handler=cmd_audit_verify)


def cmd_audit_verify(args: argparse.Namespace) -> int:
    from evaluator.services.audit import verify_chains
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project, project.session() as session:
        report = verify_chains(session)
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0 if report.intact else 1
