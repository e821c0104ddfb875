"""``evaluator units list|add|edit|retire|import|export|merge|rename|retire-kind``: the units a province owns
(``services.units``, ``services.unit_sheets``) and their reorganisation from a year on
(``services.reorganisation``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evaluator.cli.output import table
from evaluator.i18n import N_
from evaluator.messages import Message

# option → UnitDetails field, for add and edit
DETAIL_OPTIONS = (("--name", "name"), ("--kind", "kind"), ("--short-name", "short_name"),
                  ("--parent", "parent_code"), ("--group", "ranking_group"),
                  ("--abbreviation", "abbreviation"), ("--head-title", "head_title"))


def register(sub: Any) -> None:
    un = sub.add_parser("units", help=N_("đơn vị của dự án: liệt kê, thêm, sửa, ngừng theo dõi, nhập, xuất, "
                                         "sắp xếp lại"))
    usub = un.add_subparsers(dest="units_command", metavar="ACTION", required=True)

    ls = usub.add_parser("list", help=N_("các đơn vị (cả đơn vị đã ngừng theo dõi với --all)"))
    ls.add_argument("--db", required=True)
    ls.add_argument("--all", action="store_true", help=N_("cả các đơn vị đã ngừng theo dõi"))
    ls.add_argument("--kind")
    ls.add_argument("--format", choices=("table", "json"), default="table")
    ls.set_defaults(handler=cmd_list)

    add = usub.add_parser("add", help=N_("thêm một đơn vị (và bản đánh giá của một năm với --year)"))
    add.add_argument("--db", required=True)
    add.add_argument("--code", required=True)
    _detail_options(add, required=("--name", "--kind"))
    add.add_argument("--year", type=int, help=N_("tạo luôn bản đánh giá năm này của đơn vị"))
    _who(add)
    add.set_defaults(handler=cmd_add)

    ed = usub.add_parser("edit", help=N_("sửa thông tin đơn vị (chỉ các tuỳ chọn được nêu)"))
    ed.add_argument("--db", required=True)
    ed.add_argument("code", metavar="CODE")
    ed.add_argument("--code", dest="new_code", metavar="NEW_CODE",
                    help=N_("mã mới (bị từ chối khi dữ liệu của đơn vị có thể đã ở máy khác)"))
    _detail_options(ed, required=())
    ed.add_argument("--reason", default="")
    _who(ed)
    ed.set_defaults(handler=cmd_edit)

    rt = usub.add_parser("retire", help=N_("ngừng theo dõi một đơn vị (bản đánh giá và lịch sử vẫn giữ); "
                                           "--undo để khôi phục"))
    rt.add_argument("--db", required=True)
    rt.add_argument("code", metavar="CODE")
    rt.add_argument("--undo", action="store_true")
    rt.add_argument("--reason", default="")
    _who(rt)
    rt.set_defaults(handler=cmd_retire)

    im = usub.add_parser("import", help=N_("thêm và cập nhật đơn vị từ trang 'units' của sổ Excel"))
    im.add_argument("--db", required=True)
    im.add_argument("file", type=Path, metavar="FILE.xlsx")
    im.add_argument("--year", type=int, help=N_("tạo luôn bản đánh giá năm này của từng đơn vị"))
    im.add_argument("--dry-run", action="store_true", help=N_("in những gì sẽ thay đổi, không ghi gì"))
    im.add_argument("--format", choices=("table", "json"), default="table")
    _who(im)
    im.set_defaults(handler=cmd_import)

    ex = usub.add_parser("export", help=N_("ghi các đơn vị thành trang 'units' của sổ Excel"))
    ex.add_argument("--db", required=True)
    ex.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    ex.add_argument("--all", action="store_true", help=N_("cả các đơn vị đã ngừng theo dõi"))
    ex.set_defaults(handler=cmd_export)

    mg = usub.add_parser("merge", help=N_("hợp nhất các đơn vị cũ vào một đơn vị từ một năm (đơn vị cũ ngừng "
                                          "theo dõi từ năm đó, lịch sử vẫn giữ)"))
    mg.add_argument("--db", required=True)
    mg.add_argument("--year", required=True, type=int, help=N_("năm đầu tiên của đơn vị sau hợp nhất"))
    mg.add_argument("--into", required=True, metavar="CODE",
                    help=N_("mã đơn vị sau hợp nhất (mới, hoặc một đơn vị đang có tiếp nhận các đơn vị kia)"))
    mg.add_argument("--name", default="", help=N_("tên đơn vị sau hợp nhất"))
    mg.add_argument("old_codes", nargs="+", metavar="OLD_CODE")
    _reorg_options(mg)
    mg.set_defaults(handler=cmd_merge)

    rn = usub.add_parser("rename", help=N_("đổi mã (và tên) một đơn vị từ một năm: đơn vị mới nối tiếp "
                                           "đơn vị cũ, lịch sử vẫn ở đơn vị cũ"))
    rn.add_argument("--db", required=True)
    rn.add_argument("--year", required=True, type=int, help=N_("năm đầu tiên dùng mã mới"))
    rn.add_argument("code", metavar="CODE")
    rn.add_argument("--to", required=True, metavar="NEW_CODE", help=N_("mã mới"))
    rn.add_argument("--name", default="", help=N_("tên mới (mặc định: giữ tên cũ)"))
    _reorg_options(rn)
    rn.set_defaults(handler=cmd_rename)

    rk = usub.add_parser("retire-kind", help=N_("ngừng theo dõi mọi đơn vị của một loại từ một năm (cấp "
                                                "huyện từ 2025)"))
    rk.add_argument("--db", required=True)
    rk.add_argument("--year", required=True, type=int, help=N_("năm đầu tiên không còn loại đơn vị này"))
    rk.add_argument("--kind", required=True)
    _reorg_options(rk)
    rk.set_defaults(handler=cmd_retire_kind)


def _detail_options(parser: argparse.ArgumentParser, *, required: tuple[str, ...]) -> None:
    for option, dest in DETAIL_OPTIONS:
        parser.add_argument(option, dest=dest, required=option in required)


def _reorg_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help=N_("in những gì sẽ thay đổi, không ghi gì"))
    parser.add_argument("--format", choices=("table", "json"), default="table")
    _who(parser)


def _who(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--author", default="")
    parser.add_argument("--role", default="committee",
                        choices=("assessor", "member", "leader", "secretary", "committee"))


def _actor(session: Any, args: argparse.Namespace) -> Any:
    from evaluator.services.users import actor_in

    return actor_in(session, args.author, args.role)


def cmd_list(args: argparse.Namespace) -> int:
    from evaluator.cli.kinds import check_kind
    from evaluator.messages import labels
    from evaluator.services.projects import open_existing
    from evaluator.services.units import list_units, project_kinds

    with open_existing(args.db) as project, project.session() as session:
        if args.kind is not None:
            check_kind(args.kind, project_kinds(session))
        units = list_units(session, include_retired=args.all, kind=args.kind)
    if args.format == "json":
        print(json.dumps([u.to_json() for u in units], ensure_ascii=False, indent=2))
        return 0
    print(table(["Mã", "Tên đơn vị", "Loại", "Tên ngắn", "Cấp trên", "Nhóm xếp hạng", "Viết tắt",
                 "Chức danh thủ trưởng", "Năm", "Thôi sử dụng"],
                [[u.code, u.name, labels.label("kind", u.kind), u.short_name, u.parent_code, u.ranking_group,
                  u.abbreviation, u.head_title, ", ".join(map(str, u.years)),
                  "" if u.retired_at is None else f"{u.retired_at:%Y-%m-%d}"] for u in units]))
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.units import UnitDetails, add_unit

    details = UnitDetails(code=args.code, **{dest: getattr(args, dest) or "" for _o, dest in DETAIL_OPTIONS})
    with open_existing(args.db) as project, project.session(write=True) as session:
        add_unit(session, details, actor=_actor(session, args), year=args.year)
    print(Message("units.added_year" if args.year else "units.added",
                  {"code": details.code, "year": args.year}).render())
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.units import edit_unit

    changes = {dest: getattr(args, dest) for _o, dest in DETAIL_OPTIONS if getattr(args, dest) is not None}
    if args.new_code is not None:
        changes["code"] = args.new_code
    with open_existing(args.db) as project, project.session(write=True) as session:
        change = edit_unit(session, args.code, changes, actor=_actor(session, args), reason=args.reason)
    print(Message("units.unchanged" if change.empty else "units.changed",
                  {"code": changes.get("code", args.code)}).render())
    return 0


def cmd_retire(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.units import retire_unit

    with open_existing(args.db) as project, project.session(write=True) as session:
        retire_unit(session, args.code, actor=_actor(session, args), undo=args.undo, reason=args.reason)
    print(Message("units.restored" if args.undo else "units.retired", {"code": args.code}).render())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.unit_sheets import import_units
    with open_existing(args.db) as project:
        report = import_units(project, args.file, author=args.author, role=args.role, year=args.year,
                              dry_run=args.dry_run)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.unit_sheets import export_units

    with open_existing(args.db) as project:
        count = export_units(project, args.out, include_retired=args.all)
    print(Message("units.exported", {"count": count, "path": args.out}).render())
    return 0


def _print_reorg(report: Any, args: argparse.Namespace) -> int:
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0


def cmd_merge(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.reorganisation import merge_units

    with open_existing(args.db) as project:
        report = merge_units(project, args.year, args.into, args.old_codes, name=args.name,
                             author=args.author, role=args.role, dry_run=args.dry_run)
    return _print_reorg(report, args)


def cmd_rename(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.reorganisation import rename_unit

    with open_existing(args.db) as project:
        report = rename_unit(project, args.year, args.code, args.to, name=args.name, author=args.author,
                             role=args.role, dry_run=args.dry_run)
    return _print_reorg(report, args)


def cmd_retire_kind(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.reorganisation import retire_kind

    with open_existing(args.db) as project:
        report = retire_kind(project, args.year, args.kind, author=args.author, role=args.role,
                             dry_run=args.dry_run)
    return _print_reorg(report, args)
