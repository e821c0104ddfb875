"""``evaluator progress``: the appraisal's progress by team and area (``services.team_progress``)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from evaluator.cli.output import table
from evaluator.i18n import N_


def register(sub: Any) -> None:
    pr = sub.add_parser("progress", help=N_("tiến độ thẩm định theo tổ và lĩnh vực: số đơn vị đã thẩm định, "
                                            "xung đột chưa giải quyết, quá hạn"))
    pr.add_argument("--db", required=True)
    pr.add_argument("--year", required=True, type=int)
    pr.add_argument("--format", choices=("table", "json"), default="table")
    pr.set_defaults(handler=cmd_progress)


def cmd_progress(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.team_progress import team_progress

    with open_existing(args.db) as project, project.session() as session:
        rows = team_progress(session, args.year)
    if args.format == "json":
        print(json.dumps({"year": args.year, "rows": [r.to_json() for r in rows]}, ensure_ascii=False,
                         indent=2))
        return 0
    print(table(["Tổ", "Sở, ngành", "Lĩnh vực", "Đã thẩm định", "Xung đột", "Quá hạn"],
                [[r.team, r.department, f"{r.area}. {r.title[:40]}", f"{r.appraised}/{r.total}", r.conflicts,
                  r.overdue] for r in rows], right=(3, 4, 5)))
    return 0
