"""``evaluator handout``: the committee hands its project out to a team as a package (``.cchc``), and
``evaluator init PATH --from-package FILE.cchc`` (parsed in ``main.py``) starts a team's copy from it —
both through ``evaluator.services.handout``."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evaluator.errors import UserError
from evaluator.i18n import N_


def register(sub: Any) -> None:
    from evaluator.cli.exchange_cmd import add_signer_options

    ho = sub.add_parser("handout", help=N_("giao dự án cho một tổ (.cchc): bộ tiêu chí, đơn vị, thông tin "
                                           "văn bản và điểm đã chấm; máy của tổ bắt đầu từ gói này bằng "
                                           "`evaluator init PATH --from-package FILE`"))
    ho.add_argument("--db", required=True)
    ho.add_argument("--out", required=True, type=Path, help=N_("tệp gói, ví dụ to-1.cchc"))
    ho.add_argument("--year", type=int, action="append", help=N_("chỉ năm này (có thể lặp lại; mặc định: "
                                                                 "tất cả)"))
    ho.add_argument("--unit", nargs="+", action="extend", help=N_("chỉ các mã đơn vị này (mặc định: tất "
                                                                  "cả)"))
    ho.add_argument("--district", metavar="CODE",
                    help=N_("giao cho hội đồng thẩm định của huyện này: huyện và các xã thuộc huyện (năm còn "
                            "cấp huyện)"))
    ho.add_argument("--team", default="", help=N_("tổ nhận gói (ghi trong bản của tổ); tổ đã khai báo thì "
                                                 "gói mang phạm vi của tổ: lĩnh vực và đơn vị"))
    ho.add_argument("--author", default="", help=N_("người giao"))
    ho.add_argument("--format", choices=("table", "json"), default="table")
    add_signer_options(ho)
    ho.set_defaults(handler=cmd_handout)


def cmd_handout(args: argparse.Namespace) -> int:
    from evaluator.cli.exchange_cmd import signer_from
    from evaluator.services.handout import export_handout
    from evaluator.services.projects import open_existing

    with signer_from(args) as signer, open_existing(args.db) as project:
        report = export_handout(project, args.out, years=args.year, units=args.unit, team=args.team,
                                author=args.author, signer=signer, district=args.district)
    if args.format == "json":
        print(json.dumps({"path": str(report.path), "package_id": report.package_id, "team": args.team,
                          "units": report.units, "years": report.years, "assessments": report.assessments,
                          "scores": report.scores, "evidence": report.evidence, "size": report.size,
                          "signed_by": report.signed_by,
                          "team_scope": None if report.scope is None else report.scope.to_json()},
                         ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0


def cmd_init_from_package(args: argparse.Namespace) -> int:
    """``evaluator init PATH --from-package FILE.cchc``: a team's copy of the committee's project."""
    from evaluator.services.handout import create_from_handout

    if getattr(args, "sets", None) or getattr(args, "no_bundled", False):
        raise UserError("handout.copy_takes_sets")
    made = create_from_handout(args.path, args.from_package, author=getattr(args, "author", "") or "")
    print(f"project {made.path} created from {Path(args.from_package).name} "
          f"(committee {made.committee!r}, team {made.team!r})")
    print(made.report.render())
    return 0


def import_hint(exc: UserError) -> None:
    """After a refused ``evaluator import``: how to accept new criteria sets on the command line."""
    import sys

    if any(getattr(d, "code", "") == "handout.set_not_accepted" for d in exc.details):
        print("hint: check the new criteria sets (evaluator import --dry-run), then import with "
              "--accept-sets to add them", file=sys.stderr)
