"""``evaluator new-year`` and ``evaluator mapping show|export|import``: year Y from year Y-1, and the
criteria mapping between their sets (``services.new_year``, ``services.criteria_mapping``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evaluator.cli.output import table
from evaluator.i18n import N_
from evaluator.messages import Message, labels


def register(sub: Any) -> None:
    ny = sub.add_parser("new-year", help=N_("tạo năm mới từ năm trước: đơn vị, bộ tiêu chí của năm, phiếu "
                                            "đánh giá chưa chấm và bảng đối chiếu tiêu chí giữa hai năm"))
    ny.add_argument("--db", required=True)
    ny.add_argument("--year", type=int, required=True, help=N_("năm mới"))
    ny.add_argument("--from", dest="from_year", type=int, help=N_("năm nguồn (mặc định: năm mới trừ 1)"))
    ny.add_argument("--sets", nargs="+", type=Path, default=[], metavar="FILE",
                    help=N_("tệp bộ tiêu chí của tỉnh cho năm mới (mặc định: bộ đã nhập vào dự án, "
                            "nếu không thì bộ kèm theo chương trình)"))
    ny.add_argument("--mapping", type=Path, metavar="FILE.xlsx",
                    help=N_("sửa bảng đối chiếu đề xuất bằng sổ Excel (cột old_code, new_code, unit_kind)"))
    ny.add_argument("--changes", type=Path, metavar="FILE.json",
                    help=N_("thay đổi đơn vị từ năm mới (hợp nhất, đổi mã, bỏ một loại đơn vị, thêm đơn vị), "
                            "áp dụng cùng lúc với năm mới: danh sách JSON như trong tài liệu"))
    ny.add_argument("--carry-evidence", action="store_true",
                    help=N_("gắn tài liệu kiểm chứng năm trước vào tiêu chí tương ứng (chờ xác nhận)"))
    ny.add_argument("--dry-run", action="store_true", help=N_("in bảng đối chiếu và thay đổi đơn vị, "
                                                              "không ghi gì"))
    ny.add_argument("--format", choices=("table", "json"), default="table")
    ny.add_argument("--author", default="")
    ny.set_defaults(handler=cmd_new_year)

    mp = sub.add_parser("mapping", help=N_("bảng đối chiếu tiêu chí giữa năm trước và một năm: xem, xuất, "
                                           "nhập"))
    msub = mp.add_subparsers(dest="mapping_command", metavar="ACTION", required=True)
    show = msub.add_parser("show", help=N_("xem bảng đối chiếu vào một năm"))
    show.add_argument("--db", required=True)
    show.add_argument("--year", type=int, required=True)
    show.add_argument("--format", choices=("table", "json"), default="table")
    show.set_defaults(handler=cmd_show)
    ex = msub.add_parser("export", help=N_("ghi bảng đối chiếu ra sổ Excel (trang mapping)"))
    ex.add_argument("--db", required=True)
    ex.add_argument("--year", type=int, required=True)
    ex.add_argument("--out", required=True, type=Path, metavar="FILE.xlsx")
    ex.set_defaults(handler=cmd_export)
    im = msub.add_parser("import", help=N_("thay bảng đối chiếu của các loại đơn vị có trong sổ Excel"))
    im.add_argument("--db", required=True)
    im.add_argument("--year", type=int, required=True)
    im.add_argument("file", type=Path, metavar="FILE.xlsx")
    im.add_argument("--author", default="")
    im.add_argument("--role", default="committee",
                    choices=("assessor", "member", "leader", "secretary", "committee"))
    im.set_defaults(handler=cmd_import)


def cmd_new_year(args: argparse.Namespace) -> int:
    from evaluator.services.external_import import checked_file
    from evaluator.services.frameworks import read_sets
    from evaluator.services.new_year import create_new_year, plan_new_year
    from evaluator.services.projects import open_existing
    from evaluator.services.unit_changes_file import read_unit_changes

    if args.changes is not None:
        checked_file(args.changes, args.author)
    if args.mapping is not None:
        checked_file(args.mapping, args.author)
    given = read_sets(args.sets) if args.sets else None  # every file checked before anything is read
    changes = read_unit_changes(args.changes) if args.changes is not None else []
    with open_existing(args.db) as project:
        with project.session() as session:
            plan = plan_new_year(session, args.year, from_year=args.from_year, set_files=given,
                                 mapping_file=args.mapping, carry_evidence=args.carry_evidence,
                                 reorganise=changes)
        if not args.dry_run:
            create_new_year(project, plan, author=args.author)
    if args.format == "json":
        print(json.dumps({**plan.to_json(), "dry_run": args.dry_run}, ensure_ascii=False, indent=2))
    else:
        print(plan.render())
        if args.dry_run:
            print("dry run: nothing was written")
        else:
            print(Message("yearly.created", {"year": plan.year, "from_year": plan.from_year,
                                             "units": len(plan.units)}))
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from evaluator.services.criteria_mapping import mapping_for_year
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project, project.session() as session:
        mappings = mapping_for_year(session, args.year)
    if args.format == "json":
        print(json.dumps({"year": args.year, "mapping": [m.to_json() for m in mappings.values()]},
                         ensure_ascii=False, indent=2))
        return 0
    rows = []
    for m in mappings.values():
        for p in m.pairs:
            rows.append([labels.label("kind", m.kind), p.old_code, p.new_code or "—", str(p.score), p.method,
                         "!" if p.review else "", p.old_title])
        for n in m.unmatched_new:
            rows.append([labels.label("kind", m.kind), "", n.code, "0", "new", "", n.title])
    print(table(["Loại", "Mã cũ", "Mã mới", "Điểm", "Cách", "Xem lại", "Tiêu chí năm trước"], rows))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from evaluator.services.criteria_mapping import mapping_for_year, write_mapping_xlsx
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project, project.session() as session:
        mappings = mapping_for_year(session, args.year)
    write_mapping_xlsx(list(mappings.values()), args.out)
    print(f"{args.out}: {sum(len(m.pairs) for m in mappings.values())} pairs")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from evaluator.services.backups import backup_before_import
    from evaluator.services.criteria_mapping import import_mapping
    from evaluator.services.external_import import checked_file
    from evaluator.services.projects import open_existing
    from evaluator.services.users import actor_in

    checked_file(args.file, args.author)
    with open_existing(args.db) as project:
        backup_before_import(project)
        with project.session(write=True) as session:
            actor = actor_in(session, args.author, args.role)
            _change, changed = import_mapping(session, args.year, args.file, author=actor.author,
                                              role=actor.role, device_id=actor.device_id)
    for m in changed.values():
        mapped = sum(1 for p in m.pairs if p.new_code)
        print(f"{labels.label('kind', m.kind)}: {mapped} / {len(m.pairs)} leaves mapped")
    return 0
