"""``evaluator framework list|validate|export|import``: criteria sets, the bundled ones and a project's own
(``evaluator.services.frameworks``)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from evaluator.cli import framework_upgrade_cmd
from evaluator.cli.output import table
from evaluator.errors import UserError
from evaluator.i18n import N_


def register(sub: Any) -> None:
    fw = sub.add_parser("framework", help=N_("bộ tiêu chí: liệt kê, kiểm tra, xuất, nhập, so sánh, chuyển "
                                             "phiên bản"))
    fsub = fw.add_subparsers(dest="framework_command", metavar="ACTION")
    fw.set_defaults(handler=lambda _args: fw.error(
        "give an action: list, validate, export, import, diff or upgrade"))
    fl = fsub.add_parser("list", help=N_("các bộ tiêu chí kèm theo chương trình, hoặc với --db các bộ của "
                                         "dự án"))
    fl.add_argument("--db", help=N_("liệt kê các bộ lưu trong dự án này (mặc định: các bộ kèm theo chương "
                                    "trình)"))
    fl.add_argument("--year", type=int)
    fl.add_argument("--format", choices=("table", "json"), default="table")
    fl.set_defaults(handler=cmd_list)
    fv = fsub.add_parser("validate", help=N_("kiểm tra tệp bộ tiêu chí; thoát với mã 1 và liệt kê mọi lỗi"))
    fv.add_argument("files", nargs="+", type=Path)
    fv.set_defaults(handler=cmd_validate)
    fe = fsub.add_parser("export", help=N_("ghi một bộ kèm theo chương trình thành .yaml, .xlsx hoặc "
                                           ".json (theo phần mở rộng)"))
    fe.add_argument("code")
    fe.add_argument("--version", dest="set_version", type=int)
    fe.add_argument("--out", required=True, type=Path)
    fe.set_defaults(handler=cmd_export)
    fi = fsub.add_parser("import", help=N_("lưu tệp bộ tiêu chí (.yaml, .json, .xlsx) vào dự án: kiểm tra "
                                           "tất cả trước, rồi lưu tất cả hoặc không lưu gì"))
    fi.add_argument("--db", required=True)
    fi.add_argument("files", nargs="+", type=Path)
    fi.add_argument("--author", default="")
    fi.add_argument("--format", choices=("table", "json"), default="table")
    fi.set_defaults(handler=cmd_import)
    framework_upgrade_cmd.add_parsers(fsub)  # diff, upgrade


def cmd_list(args: argparse.Namespace) -> int:
    if args.db:
        return _list_project(args)
    from evaluator.frameworks.registry import bundled_frameworks

    sets = [f for f in bundled_frameworks() if args.year is None or f.year == args.year]
    if args.format == "json":
        print(json.dumps([{"code": f.code, "version": f.version, "year": f.year,
                           "unit_kinds": list(f.unit_kinds), "sha256": f.sha256, "title": f.title}
                          for f in sets], ensure_ascii=False, indent=2))
    else:
        print(table(["Mã", "Phiên bản", "Năm", "Loại đơn vị", "Số tiêu chí", "SHA-256", "Tên"],
                    [[f.code, f.version, f.year, ", ".join(f.unit_kinds), len(f.leaves()), f.sha256[:12],
                      f.title] for f in sets], right=(1, 2, 4)))
    return 0


def _list_project(args: argparse.Namespace) -> int:
    from evaluator.services.frameworks import list_sets
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project, project.session() as session:
        rows = list_sets(session, args.year)
    if args.format == "json":
        print(json.dumps([r.to_json() for r in rows], ensure_ascii=False, indent=2))
    else:
        headers = ["Mã", "Phiên bản", "Năm", "Loại đơn vị", "Số tiêu chí", "SHA-256", "Số đánh giá", "Tên"]
        print(table(headers, [[f.code, f.version, f.year, ", ".join(f.unit_kinds), len(f.leaves()),
                               f.sha256[:12], r.assessments, f.title]
                              for r in rows for f in [r.framework]], right=(1, 2, 4, 6)))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from evaluator.frameworks import FrameworkInvalid, load_framework
    from evaluator.frameworks.files import text_problems
    from evaluator.messages import say

    failed = 0
    for path in args.files:
        try:
            fw = load_framework(path)
            found = text_problems(fw, str(path))  # what an import would refuse too
            if found:
                raise FrameworkInvalid(found)
        except FrameworkInvalid as exc:
            failed += 1
            print(f"{path}: " + say("criteria.problem_count", count=len(exc.problems)), file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
            continue
        print(f"{path}: OK — {fw.identity}, {fw.year}, {len(fw.leaves())} leaves, sha256 {fw.sha256}")
    return 1 if failed else 0


def cmd_export(args: argparse.Namespace) -> int:
    from evaluator.frameworks.export import export_framework
    from evaluator.frameworks.registry import bundled_frameworks, find_bundled

    found = find_bundled(args.code, args.set_version)
    if found is None:
        known = ", ".join(sorted({f.code for f in bundled_frameworks()}))
        if args.set_version:
            raise UserError("cli.no_bundled_set_version", code=args.code, version=args.set_version,
                            known=known)
        raise UserError("cli.no_bundled_set", code=args.code, known=known)
    try:
        export_framework(found, args.out)
    except ValueError as exc:
        raise UserError.from_error(exc) from exc
    except OSError as exc:
        raise UserError("common.cannot_write", path=args.out, error=exc.strerror or exc) from exc
    print(f"{found.identity} written to {args.out}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from evaluator.messages import say
    from evaluator.services.framework_import import import_set_files
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project:
        _change, done = import_set_files(project, args.files, author=args.author)
    if args.format == "json":
        print(json.dumps([{"file": str(d.path), "code": d.framework.code, "version": d.framework.version,
                           "year": d.framework.year, "sha256": d.framework.sha256, "title": d.framework.title,
                           "unit_kinds": list(d.framework.unit_kinds), "stored": d.new} for d in done],
                         ensure_ascii=False, indent=2))
    else:
        print(table(["Tệp", "Mã", "Phiên bản", "Năm", "SHA-256", "Kết quả"],
                    [[d.path.name, d.framework.code, d.framework.version, d.framework.year,
                      d.framework.sha256[:12],
                      say("frameworks.stored" if d.new else "frameworks.already_in_project")] for d in done],
                    right=(2, 3)))
    return 0
