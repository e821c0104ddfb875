"""``evaluator schedule``, ``submit``, ``approve``: a year's deadlines, a unit's submission of its
self-assessment and the chair's approval of its result (``services.schedule``, ``services.submission``,
``services.approval``)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from evaluator.cli.output import table
from evaluator.errors import UserError
from evaluator.frameworks.model import ALL_STAGES
from evaluator.i18n import N_
from evaluator.messages import labels, say

ROLES = ("assessor", "member", "leader", "secretary", "committee")


def register(sub: Any) -> None:
    sc = sub.add_parser("schedule", help=N_("thời hạn các bước của một năm: đặt ngày mở và ngày đóng của một "
                                            "bước, hoặc liệt kê (không có --stage)"))
    sc.add_argument("--db", required=True)
    sc.add_argument("--year", type=int, required=True)
    sc.add_argument("--stage", choices=ALL_STAGES)
    sc.add_argument("--opens", type=_day, metavar="YYYY-MM-DD", help=N_("ngày mở (được ghi từ ngày này)"))
    sc.add_argument("--closes", type=_day, metavar="YYYY-MM-DD",
                    help=N_("ngày đóng (ngày cuối được ghi; từ hôm sau bước tự khoá)"))
    sc.add_argument("--format", choices=("table", "json"), default="table")
    _who(sc, "committee")
    sc.set_defaults(handler=cmd_schedule)

    sb = sub.add_parser("submit", help=N_("nộp bản tự đánh giá của một đơn vị (--withdraw: rút lại trước "
                                          "hạn)"))
    sb.add_argument("--db", required=True)
    sb.add_argument("--year", type=int, required=True)
    sb.add_argument("--unit", required=True, metavar="CODE")
    sb.add_argument("--withdraw", action="store_true", help=N_("rút lại bản đã nộp (trước hạn nộp)"))
    _who(sb, "assessor")
    sb.set_defaults(handler=cmd_submit)

    ap = sub.add_parser("approve", help=N_("phê duyệt (chốt điểm) kết quả của một đơn vị"))
    ap.add_argument("--db", required=True)
    ap.add_argument("--year", type=int, required=True)
    ap.add_argument("--unit", required=True, metavar="CODE")
    _who(ap, "committee")
    ap.set_defaults(handler=cmd_approve)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say("schedule.bad_date", value=text)) from None


def _who(parser: argparse.ArgumentParser, role: str) -> None:
    parser.add_argument("--author", default="", help=N_("người thực hiện (lưu trong nhật ký kiểm toán)"))
    parser.add_argument("--role", default=role, choices=ROLES)


def cmd_schedule(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.schedule import schedule_of, set_schedule, today
    from evaluator.services.users import actor_in

    if args.stage is None and (args.opens or args.closes):
        raise UserError("schedule.need_stage")
    with open_existing(args.db) as project:
        if args.stage is not None:
            if args.opens is None or args.closes is None:
                raise UserError("schedule.need_both")
            with project.session(write=True) as session:
                set_schedule(session, args.year, args.stage, args.opens, args.closes,
                             **actor_in(session, args.author, args.role).who)
            print(say("schedule.set", stage=labels.stage(args.stage), year=args.year,
                          opens=args.opens.isoformat(), closes=args.closes.isoformat()))
            return 0
        with project.session() as session:
            dates = schedule_of(session, args.year)
    day = today()
    if args.format == "json":
        print(json.dumps([d.to_json(day) for d in dates], ensure_ascii=False, indent=2))
        return 0
    if not dates:
        print(say("schedule.none", year=args.year))
        return 0
    states = {s: say(f"schedule.state_{s}") for s in ("pending", "open", "closed")}
    print(table(["Bước", "Mở", "Đóng", "Trạng thái"],
                [[labels.stage(d.stage), d.opens.isoformat(), d.closes.isoformat(), states[d.state(day)]]
                 for d in dates]))
    return 0


def cmd_submit(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.submission import submit, withdraw
    from evaluator.services.users import actor_in

    act = withdraw if args.withdraw else submit
    with open_existing(args.db) as project, project.session(write=True) as session:
        act(session, args.year, args.unit, **actor_in(session, args.author, args.role).who)
    print(say("submission.withdrawn" if args.withdraw else "submission.submitted", unit=args.unit,
                  year=args.year))
    return 0


def cmd_approve(args: argparse.Namespace) -> int:
    from evaluator.services.approval import approve
    from evaluator.services.projects import open_existing
    from evaluator.services.users import actor_in

    with open_existing(args.db) as project, project.session(write=True) as session:
        change = approve(session, args.year, args.unit, **actor_in(session, args.author, args.role).who)
    print(say("approval.unchanged" if change.empty else "approval.approved", unit=args.unit, year=args.year))
    return 0
