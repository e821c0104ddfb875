"""``evaluator migrate --from SOURCE --to TARGET``: a project with its evidence moved between a file and a
PostgreSQL server (``evaluator.services.migrate``)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from evaluator.cli.exchange_cmd import add_progress_option, progress_line
from evaluator.cli.output import table
from evaluator.i18n import N_
from evaluator.messages import say


def register(sub: Any) -> None:
    mg = sub.add_parser("migrate", help=N_("chuyển cả dự án cùng tài liệu kiểm chứng sang một tệp mới hoặc "
                                           "một cơ sở dữ liệu trống trên máy chủ PostgreSQL (và ngược lại)"))
    mg.add_argument("--from", dest="source", required=True, metavar="SOURCE",
                    help=N_("dự án nguồn: tệp dự án hoặc địa chỉ postgresql+psycopg://…"))
    mg.add_argument("--to", dest="target", required=True, metavar="TARGET",
                    help=N_("đích: tệp dự án mới, hoặc địa chỉ postgresql+psycopg://… của một cơ sở dữ liệu "
                            "trống (thêm ?evidence_dir=THƯ_MỤC cho tài liệu kiểm chứng)"))
    mg.add_argument("--format", choices=("table", "json"), default="table")
    add_progress_option(mg)
    mg.set_defaults(handler=cmd_migrate)


def cmd_migrate(args: argparse.Namespace) -> int:
    from evaluator.services.migrate import migrate

    done = migrate(args.source, args.target, progress=progress_line(args))
    if args.format == "json":
        print(json.dumps(done.as_json(), ensure_ascii=False, indent=2))
        return 0
    print(table([say("migrate.col_table"), say("migrate.col_rows")],
                [[name, count] for name, count in done.rows.items()], right=(1,)))
    print(say("migrate.done", source=done.source, target=done.target, rows=sum(done.rows.values()),
              tables=len(done.rows), files=done.evidence_files, bytes=done.evidence_bytes,
              present=done.evidence_present, events=done.audit_events, chains=done.audit_chains))
    if done.sequences:
        print(say("migrate.sequences", count=len(done.sequences)))
    return 0
