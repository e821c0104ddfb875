"""``evaluator shortcomings --db DB --year Y [--unit CODE] [--format table|json]``: every unit's lost points
of Y-1 (each leaf below its maximum, with the reason of its final stage) and what became of each in Y —
fixed, not fixed, criterion dropped (``services.shortcomings``)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from evaluator.i18n import N_


def register(sub: Any) -> None:
    p = sub.add_parser("shortcomings", help=N_("điểm bị trừ năm trước của từng đơn vị và kết quả khắc phục "
                                               "năm nay (đã khắc phục, chưa khắc phục, tiêu chí không còn)"))
    p.add_argument("--db", required=True)
    p.add_argument("--year", required=True, type=int, help=N_("năm đang xét (so với năm trước đó)"))
    p.add_argument("--unit", metavar="CODE", help=N_("chỉ đơn vị có mã này"))
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=cmd_shortcomings)


def cmd_shortcomings(args: argparse.Namespace) -> int:
    from evaluator.cli.output import table
    from evaluator.messages import say
    from evaluator.services.projects import open_existing
    from evaluator.services.shortcomings import year_shortcomings

    with open_existing(args.db) as project, project.session() as session:
        found = year_shortcomings(session, args.year, args.unit)
    if args.format == "json":
        print(json.dumps({"year": args.year, "previous_year": args.year - 1,
                          "units": {code: [s.to_json() for s in items] for code, items in found.items()}},
                         ensure_ascii=False, indent=2))
        return 0
    rows = [[code, f"[{s.unit}] " * bool(s.unit) + f"{s.code}. {s.title}",  # a predecessor's, labelled
             f"{s.points:.2f} / {s.max:.2f}", s.reason,
             "" if s.new_points is None or s.new_max is None
             else f"{s.new_code}: {s.new_points:.2f} / {s.new_max:.2f}",
             say(f"shortcomings.{s.status}")]
            for code, items in found.items() for s in items]
    if not rows:
        print(say("shortcomings.none", year=args.year - 1))
        return 0
    columns = ("criterion", "points", "reason", "now", "status")
    print(table([say("output.col_unit"), *(say(f"shortcomings.col_{c}") for c in columns)], rows))
    return 0
