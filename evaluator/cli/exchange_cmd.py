"""Commands for exchanging work: ``export`` (team packages), ``conflicts``, ``survey`` and ``external``.

``evaluator import`` (in ``main.py``) hands ``.cchc`` files to
``evaluator.services.exchange.import_packages``;
``evaluator verify`` hands them to ``evaluator.exchange.verify_package``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

from evaluator.cli.output import table
from evaluator.errors import UserError
from evaluator.i18n import N_


def register(sub: Any) -> None:
    exp = sub.add_parser("export", help=N_("ghi gói của tổ (.cchc) gửi Hội đồng"))
    exp.add_argument("--db", required=True)
    exp.add_argument("--out", required=True, type=Path, help=N_("tệp gói, ví dụ team1.cchc"))
    exp.add_argument("--year", type=int, action="append", help=N_("chỉ năm này (có thể lặp lại)"))
    exp.add_argument("--unit", nargs="+", action="extend", help=N_("chỉ các mã đơn vị này"))
    exp.add_argument("--author", default="", help=N_("người lập gói (hiển thị cho Hội đồng)"))
    exp.add_argument("--since-last", action="store_true",
                     help=N_("chỉ những gì mới kể từ gói trước của dự án này (gói ghi tên các gói nó nối "
                             "tiếp); gói đầu tiên luôn đầy đủ"))
    exp.add_argument("--volume-size", metavar="SIZE",
                     help=N_("chia gói thành các tập FILE.cchc.001, .002 … mỗi tập không quá cỡ này, ví dụ "
                             "4000M cho USB FAT32, 700M"))
    add_progress_option(exp)
    add_signer_options(exp)
    exp.set_defaults(handler=cmd_export)

    tr = sub.add_parser(
        "trust",
        help=N_("các chứng thư mà mọi gói của tổ khi nhập phải được ký bởi (lưu trong dự án)"),
    )
    tr.add_argument("--db", required=True)
    tr.add_argument("files", nargs="*", type=Path, metavar="CA.pem", help=N_("thêm các chứng thư này "
                                                                             "(PEM/DER)"))
    tr.add_argument("--clear", action="store_true", help=N_("xoá các chứng thư đã lưu trước"))
    tr.set_defaults(handler=cmd_trust)

    con = sub.add_parser("conflicts", help=N_("liệt kê và giải quyết các chỉnh sửa xung đột từ gói của "
                                              "các tổ"))
    csub = con.add_subparsers(dest="conflicts_command", metavar="ACTION", required=True)
    cl = csub.add_parser("list", help=N_("các xung đột chưa giải quyết"))
    cl.add_argument("--db", required=True)
    cl.add_argument("--year", type=int)
    cl.add_argument("--unit")
    cl.add_argument("--all", action="store_true", help=N_("cả các xung đột đã giải quyết"))
    cl.add_argument("--format", choices=("table", "json"), default="table")
    cl.set_defaults(handler=cmd_conflicts_list)
    cr = csub.add_parser("resolve", help=N_("giải quyết một xung đột (ghi nhật ký kiểm toán)"))
    cr.add_argument("--db", required=True)
    cr.add_argument("id", help=N_("mã xung đột (hoặc vài ký tự đầu)"))
    how = cr.add_mutually_exclusive_group(required=True)
    how.add_argument("--take", metavar="VALUE_ID", help=N_("giữ giá trị này (mã hoặc vài ký tự đầu)"))
    how.add_argument("--points", help=N_("quyết định số điểm khác"))
    cr.add_argument("--reason", required=True, help=N_("lý do (lưu trong nhật ký kiểm toán)"))
    cr.add_argument("--author", default="")
    cr.set_defaults(handler=cmd_conflicts_resolve)

    sv = sub.add_parser("survey", help=N_("phiếu trả lời điều tra xã hội học"))
    ssub = sv.add_subparsers(dest="survey_command", metavar="ACTION", required=True)
    si = ssub.add_parser("import", help=N_("nhập phiếu trả lời gốc (.xlsx) và tính điểm điều tra cho từng "
                                           "tiêu chí"))
    si.add_argument("--db", required=True)
    si.add_argument("file", type=Path)
    si.add_argument("--year", type=int, required=True)
    si.add_argument("--dry-run", action="store_true", help=N_("in những gì sẽ thay đổi, không ghi gì"))
    si.add_argument("--author", default="")
    si.set_defaults(handler=cmd_survey_import)

    ex = sub.add_parser("external", help=N_("các chỉ số bên ngoài (SIPAS, 766, DDCI, …)"))
    esub = ex.add_subparsers(dest="external_command", metavar="ACTION", required=True)
    ei = esub.add_parser("import", help=N_("nhập giá trị chỉ số của từng đơn vị (.xlsx)"))
    ei.add_argument("--db", required=True)
    ei.add_argument("file", type=Path)
    ei.add_argument("--year", type=int, required=True)
    ei.add_argument(
        "--stage",
        default="appraisal1",
        help=N_("bước chấm cho tiêu chí chấm bằng thẩm định (mặc định appraisal1); tiêu chí điều tra dùng "
                "'survey'"),
    )
    ei.add_argument("--dry-run", action="store_true")
    ei.add_argument("--author", default="")
    ei.set_defaults(handler=cmd_external_import)


def add_progress_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--progress", action="store_true",
                        help=N_("in số byte đã xử lý và thời gian còn lại ra stderr (mặc định: khi chạy "
                                "trong cửa sổ dòng lệnh)"))


def progress_line(args: argparse.Namespace, stream: TextIO | None = None) -> Any:
    """The progress callback of ``--progress`` (or of a terminal): the byte reports of a service
    (``services.exchange.meter``) as "x MB / y MB, about n min left" on stderr, rewritten in place on a
    terminal, one line each otherwise; other reports are not shown. ``no_progress`` when nobody watches."""
    from evaluator.services.exchange.meter import TimeLeft, parse_bytes
    from evaluator.services.progress import no_progress

    out = stream if stream is not None else sys.stderr
    tty = out.isatty()
    if not (getattr(args, "progress", False) or tty):
        return no_progress
    left = TimeLeft()
    width = [0]

    def show(_fraction: float, message: str) -> None:
        found = parse_bytes(message)
        if found is None:
            return
        _phase, done, total = found
        text = left.message(done, total).render()
        if tty:  # one line, rewritten; ended when the transfer is
            print("\r" + text.ljust(width[0]), end="\n" if done >= total else "", file=out, flush=True)
            width[0] = len(text)
        else:
            print(text, file=out, flush=True)

    return show


def add_signer_options(parser: argparse.ArgumentParser) -> None:
    from evaluator.cli.keys import add_key_options

    add_key_options(parser, "signing (optional): a detached CMS signature over the manifest")


@contextmanager
def signer_from(args: argparse.Namespace) -> Iterator[Any]:
    """The signer the options name (None when not signing); a ``UserError`` when they do not fit."""
    from evaluator.cli.keys import key_choice

    if not (getattr(args, "p12", None) or getattr(args, "pkcs11_lib", None)):
        if args.password_env or args.password_stdin:
            raise UserError("cli.password_no_key")
        yield None
        return
    with key_choice(args).package_signer() as signer:
        yield signer


def cmd_export(args: argparse.Namespace) -> int:
    from evaluator.exchange.volumes import parse_volume_size
    from evaluator.services.exchange import export_package
    from evaluator.services.projects import open_existing

    volume_size = None if args.volume_size is None else parse_volume_size(args.volume_size)
    with signer_from(args) as signer, open_existing(args.db) as project:
        report = export_package(
            project, args.out, years=args.year, units=args.unit, author=args.author, signer=signer,
            progress=progress_line(args), since_last=args.since_last, volume_size=volume_size,
        )
    print(report.render())
    return 0


def cmd_trust(args: argparse.Namespace) -> int:
    from evaluator.services.exchange import TRUST_SETTING, set_trust
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project:
        subjects = set_trust(project, args.files, clear=args.clear)
    if not subjects:
        print(f"No trusted certificates ({TRUST_SETTING}): signed and unsigned packages are imported.")
        return 0
    print(f"Team packages must be signed by one of these, or by a certificate one issued ({TRUST_SETTING}):")
    for subject in subjects:
        print(f"  {subject}")
    return 0


def cmd_conflicts_list(args: argparse.Namespace) -> int:
    from evaluator.fields import strip_control
    from evaluator.services.conflicts import conflict_short_ids, list_conflicts
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project, project.session() as session:
        items = list_conflicts(
            session, year=args.year, unit=args.unit, status=None if args.all else "open"
        )
        short = conflict_short_ids(session, items)  # the table's ids: unique, typed back as is
    if args.format == "json":
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    if not items:
        print("No open conflicts." if not args.all else "No conflicts.")
        return 0
    rows = []
    for c in items:
        for i, v in enumerate(c["values"]):
            head = (
                [short[c["id"]], c["year"], c["unit_code"], c["criterion_code"], c["stage"]]
                if i == 0
                else ["", "", "", "", ""]
            )
            rows.append(
                [
                    *head,
                    short[v["value_id"]],
                    "không đánh giá" if v["not_applicable"] else v["points"],
                    strip_control(v["author"], multiline=False),
                    strip_control(v["device"], multiline=False),
                    v["time"][:16].replace("T", " "),
                    # text stored by an older version may hold control characters: not to the terminal
                    strip_control(v["note"], multiline=False)[:40],
                ]
            )
    print(
        table(
            [
                "Xung đột",
                "Năm",
                "Đơn vị",
                "Tiêu chí",
                "Giai đoạn",
                "Giá trị",
                "Điểm",
                "Người nhập",
                "Máy",
                "Thời gian",
                "Ghi chú",
            ],
            rows,
            right=(1, 6),
        )
    )
    print(
        f"\n{len(items)} conflict(s). Resolve one with: evaluator conflicts resolve --db {args.db} ID "
        "--take VALUE_ID --reason TEXT"
    )
    return 0


def cmd_conflicts_resolve(args: argparse.Namespace) -> int:
    from evaluator.services.conflicts import parse_points, resolve_conflict
    from evaluator.services.exchange import device_in
    from evaluator.services.projects import open_existing

    points = None if args.points is None else parse_points(args.points)
    with open_existing(args.db) as project, project.session(write=True) as session:
        resolve_conflict(
            session,
            args.id,
            take=args.take,
            points=points,
            reason=args.reason,
            author=args.author,
            # in the same transaction: a refused resolution leaves no new device row behind
            device_id=device_in(session, project),
            names={"take": "--take", "points": "--points", "reason": "--reason", "author": "--author"},
        )
    print(f"conflict {args.id} resolved")
    return 0


def cmd_survey_import(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.survey_import import import_survey

    with open_existing(args.db) as project:
        report = import_survey(project, args.file, year=args.year, dry_run=args.dry_run, author=args.author)
    print(report.render())
    return 0


def cmd_external_import(args: argparse.Namespace) -> int:
    from evaluator.services.external_import import import_external
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project:
        report = import_external(
            project, args.file, year=args.year, stage=args.stage, dry_run=args.dry_run, author=args.author
        )
    print(report.render())
    return 0
