"""``evaluator teams add|edit|list``: the committee's appraisal teams and the areas and units each
appraises (``services.teams``)."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from evaluator.cli.output import table
from evaluator.i18n import N_
from evaluator.messages import Message, labels


def register(sub: Any) -> None:
    te = sub.add_parser("teams", help=N_("tổ thẩm định: sở, ngành thành viên, các lĩnh vực và đơn vị được "
                                         "phân công"))
    tsub = te.add_subparsers(dest="teams_command", metavar="ACTION", required=True)

    add = tsub.add_parser("add", help=N_("thêm một tổ thẩm định"))
    add.add_argument("--db", required=True)
    add.add_argument("--name", required=True, help=N_("tên tổ (không trùng)"))
    _scope_options(add, areas_required=True)
    add.set_defaults(handler=cmd_add)

    ed = tsub.add_parser("edit", help=N_("sửa một tổ thẩm định (chỉ các tuỳ chọn được nêu)"))
    ed.add_argument("--db", required=True)
    ed.add_argument("--name", required=True, help=N_("tên hiện tại của tổ"))
    _scope_options(ed, areas_required=False)
    ed.add_argument("--all-units", action="store_true", help=N_("tổ thẩm định mọi đơn vị"))
    ed.add_argument("--rename", metavar="NEW", help=N_("tên mới của tổ"))
    ed.set_defaults(handler=cmd_edit)

    ls = tsub.add_parser("list", help=N_("các tổ thẩm định và phạm vi của từng tổ"))
    ls.add_argument("--db", required=True)
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.set_defaults(handler=cmd_list)


def _scope_options(parser: argparse.ArgumentParser, *, areas_required: bool) -> None:
    parser.add_argument("--areas", required=areas_required, metavar="CODE[,CODE…]",
                        help=N_("mã các lĩnh vực tổ thẩm định, cách nhau bằng dấu phẩy"))
    parser.add_argument("--kind", help=N_("các lĩnh vực chỉ cho loại đơn vị này (mặc định: mọi loại)"))
    parser.add_argument("--department", help=N_("sở, ngành thành viên hội đồng của tổ"))
    parser.add_argument("--units", nargs="+", action="extend", metavar="CODE",
                        help=N_("chỉ các đơn vị này (mặc định: mọi đơn vị)"))
    parser.add_argument("--author", default="")
    parser.add_argument("--role", default="committee",
                        choices=("assessor", "member", "leader", "secretary", "committee"))


def _codes(text: str | None) -> list[str] | None:
    return None if text is None else [c.strip() for c in text.split(",") if c.strip()]


def _warn(outcome: Any) -> None:
    for warning in outcome.warnings:
        print(f"warning: {warning.render()}", file=sys.stderr)


def cmd_add(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.teams import add_team
    from evaluator.services.users import actor_in

    with open_existing(args.db) as project, project.session(write=True) as session:
        outcome = add_team(session, args.name, _codes(args.areas) or [], kind=args.kind,
                           department=args.department or "", units=args.units or (),
                           actor=actor_in(session, args.author, args.role))
    _warn(outcome)
    print(Message("teams.added", {"team": args.name.strip()}).render())
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.teams import edit_team
    from evaluator.services.users import actor_in

    with open_existing(args.db) as project, project.session(write=True) as session:
        outcome = edit_team(session, args.name, areas=_codes(args.areas), kind=args.kind,
                            department=args.department, units=args.units, all_units=args.all_units,
                            rename=args.rename, actor=actor_in(session, args.author, args.role))
    _warn(outcome)
    name = (args.rename or args.name).strip()
    print(Message("teams.unchanged" if outcome.change.empty else "teams.changed", {"team": name}).render())
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.teams import list_teams

    with open_existing(args.db) as project, project.session() as session:
        teams = list_teams(session)
    if args.format == "json":
        print(json.dumps([t.to_json() for t in teams], ensure_ascii=False, indent=2))
        return 0
    every = Message("teams.every_kind").render()

    def areas(t: Any) -> str:
        return "; ".join(f"{every if k == '*' else labels.label('kind', k)}: {', '.join(v)}"
                         for k, v in t.areas.items())

    print(table(["Tổ", "Sở, ngành", "Lĩnh vực", "Đơn vị"],
                [[t.name, t.department, areas(t), ", ".join(t.units) or "*"] for t in teams]))
    return 0
