"""``evaluator audit verify --db DB``: check the hash chains of the audit log (issue #10). Exit 0 when every
chain verifies, 1 naming the first broken event of each broken chain.

``evaluator audit export --db DB --out FILE.xlsx [--unit] [--person] [--since] [--until] [--action]``: the
log, filtered as the audit view filters it, as an xlsx workbook (``services.audit_log``).
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import Any

from evaluator.errors import UserError
from evaluator.i18n import N_
from evaluator.messages import say


def register(sub: Any) -> None:
    audit = sub.add_parser("audit", help=N_("nhật ký kiểm toán: kiểm tra không sự kiện nào bị sửa hay xoá"))
    asub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    av = asub.add_parser("verify", help=N_("kiểm tra mọi chuỗi băm của nhật ký kiểm toán; thoát với mã 1 "
                                           "và nêu sự kiện hỏng đầu tiên của mỗi chuỗi hỏng"))
    av.add_argument("--db", required=True)
    av.add_argument("--format", choices=("table", "json"), default="table")
    av.set_defaults(handler=cmd_audit_verify)
    ae = asub.add_parser("export", help=N_("xuất nhật ký kiểm toán (có thể lọc theo đơn vị, người, khoảng "
                                           "ngày, thao tác) ra tệp Excel"))
    ae.add_argument("--db", required=True)
    ae.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx", help=N_("tệp Excel sẽ ghi"))
    ae.add_argument("--unit", metavar="CODE", help=N_("chỉ các sự kiện của đơn vị có mã này"))
    ae.add_argument("--person", metavar="NAME",
                    help=N_("chỉ các sự kiện của người này (họ tên như trong nhật ký)"))
    ae.add_argument("--since", metavar="YYYY-MM-DD", help=N_("từ ngày này (tính cả ngày này)"))
    ae.add_argument("--until", metavar="YYYY-MM-DD", help=N_("đến ngày này (tính cả ngày này)"))
    ae.add_argument("--action", metavar="ACTION",
                    help=N_("chỉ thao tác này, ví dụ score.set (hoặc score: mọi thao tác về điểm)"))
    ae.set_defaults(handler=cmd_audit_export)


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


def _day(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UserError("auditlog.bad_date", value=value) from None


def cmd_audit_export(args: argparse.Namespace) -> int:
    from evaluator.services.audit_log import AuditFilter, export_xlsx
    from evaluator.services.projects import open_existing

    wanted = AuditFilter(unit_code=args.unit, person=args.person, since=_day(args.since),
                         until=_day(args.until), action=args.action)
    wanted.query()  # a reversed range is refused before the project is opened
    with open_existing(args.db) as project, project.session() as session:
        n = export_xlsx(session, wanted, args.out)
    print(say("auditlog.exported", count=n, path=args.out))
    return 0
