"""``evaluator report``, ``sign``, ``verify`` and ``export-xlsx``: documents, signatures, checks, workbooks.

Passwords and PINs never come from the command line: a prompt, ``--password-env VAR`` or
``--password-stdin``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from evaluator.errors import UserError
from evaluator.i18n import N_
from evaluator.messages import Message, say
from evaluator.services.documents import FORMATS, command_kinds

DOCUMENTS = tuple(command_kinds("report"))
"""The kinds ``report`` writes (``services.documents.KINDS``)."""


def register(sub: Any) -> None:
    rep = sub.add_parser(
        "report",
        help=N_("văn bản PDF: biên bản thẩm định, báo cáo tự đánh giá, thông báo kết quả thẩm định, công bố "
                "kết quả, tờ trình"),
        description=N_("Ghi văn bản PDF (tiếng Việt, thể thức Nghị định 30/2020), có thể ký số. --all ghi "
                       "mỗi đơn vị một tệp vào một thư mục, dùng mọi nhân CPU."),
    )
    rep.add_argument(
        "document",
        choices=DOCUMENTS,
        help=N_("appraisal = biên bản thẩm định (từng đơn vị), self = báo cáo tự đánh giá (từng đơn vị), "
                "notice = thông báo kết quả thẩm định lần 1 (từng đơn vị), publication = công bố kết quả (cả "
                "năm), submission = tờ trình của Sở Nội vụ đề nghị phê duyệt và công bố (cả năm), decision = "
                "quyết định phê duyệt và công bố kết quả của UBND tỉnh (cả năm, ghi nhận việc công bố), "
                "analysis = báo cáo phân tích kết quả của Sở Nội vụ (cả năm)"),
    )
    rep.add_argument("--db", required=True)
    rep.add_argument("--year", type=int, required=True)
    rep.add_argument("--unit", help=N_("mã đơn vị (appraisal, self và notice)"))
    rep.add_argument(
        "--all", action="store_true", help=N_("mọi đơn vị của năm, mỗi đơn vị một tệp, vào thư mục --out "
                                              "DIR")
    )
    rep.add_argument("--out", required=True, type=Path,
                     help=N_("FILE.pdf (FILE.docx với --format docx), hoặc một thư mục với --all"))
    rep.add_argument("--format", dest="file_format", choices=FORMATS, default="pdf",
                     help=N_("pdf (mặc định): văn bản để ký; docx: bản thảo Word cùng nội dung và thể thức, "
                             "để biên tập trước khi ban hành (không ký số)"))
    rep.add_argument("--date", type=date.fromisoformat, help=N_("ngày văn bản (YYYY-MM-DD; mặc định hôm "
                                                                "nay)"))
    rep.add_argument("--workers", type=int, help=N_("số tiến trình cho --all (mặc định: mọi nhân CPU)"))
    rep.add_argument("--sign", action="store_true", help=N_("ký số từng văn bản (các tuỳ chọn khoá bên "
                                                            "dưới)"))
    rep.add_argument("--draft", action="store_true",
                     help=N_("lập bản dự thảo (trang ghi chữ dự thảo) khi kết quả chưa được phê duyệt hết "
                             "(publication, submission, decision, analysis)"))
    rep.add_argument("--author", default="", help=N_("người lập (lưu trong nhật ký kiểm toán khi công bố)"))
    _key_options(rep)
    rep.set_defaults(handler=cmd_report)

    sign = sub.add_parser(
        "sign",
        help=N_("ký số văn bản PDF vào ô chữ ký kế tiếp (hoặc ô được chỉ định)"),
        description=N_("Thêm chữ ký PAdES bằng một lần cập nhật bổ sung (các chữ ký trước vẫn hợp lệ). Ký "
                       "ngay trên tệp trừ khi có --out."),
    )
    sign.add_argument("file", type=Path)
    sign.add_argument("--out", type=Path, help=N_("ghi văn bản đã ký vào đây thay vì thay tệp FILE"))
    _key_options(sign)
    _seal_options(sign)
    sign.set_defaults(handler=cmd_sign)

    ver = sub.add_parser(
        "verify",
        help=N_("kiểm tra chữ ký (và dữ liệu) của văn bản đã ký"),
        description=N_("In mọi chữ ký: người ký, thời điểm, còn nguyên vẹn hay không, phiên bản được ký, "
                       "văn bản có bị thay đổi sau đó không; độ tin cậy theo --trust; với --db, dữ liệu "
                       "nhúng còn khớp với dự án không. Thoát với mã 0 chỉ khi mọi điều được kiểm tra đều "
                       "đúng."),
    )
    ver.add_argument("file", type=Path)
    ver.add_argument("--db", help=N_("dự án để đối chiếu dữ liệu nhúng"))
    ver.add_argument(
        "--trust",
        type=Path,
        nargs="+",
        metavar="FILE",
        help=N_("chứng thư CA tin cậy (PEM hoặc DER); không có thì báo là chưa kiểm tra độ tin cậy"),
    )
    ver.add_argument("--format", choices=("text", "json"), default="text")
    ver.set_defaults(handler=cmd_verify)

    xl = sub.add_parser(
        "export-xlsx",
        help=N_("sổ Excel: bảng thẩm định từng đơn vị, bảng kết quả"),
        description=N_("appraisal: trang tính gồm STT, Tiêu chí, Điểm tối đa, Điểm tự chấm, Điểm thẩm "
                       "định, Ghi chú của đơn vị, Ghi chú của thẩm định (mỗi đơn vị một trang); results: "
                       "xếp hạng, xếp loại và chỉ số thành phần của năm theo loại đơn vị."),
    )
    xl.add_argument("table", choices=tuple(command_kinds("export-xlsx")))
    xl.add_argument("--db", required=True)
    xl.add_argument("--year", type=int, required=True)
    xl.add_argument("--unit", action="append", help=N_("mã đơn vị (appraisal; lặp lại cho nhiều đơn vị)"))
    xl.add_argument("--all", action="store_true", help=N_("mọi đơn vị của năm (appraisal)"))
    xl.add_argument("--out", required=True, type=Path, help=N_("FILE.xlsx"))
    xl.set_defaults(handler=cmd_export_xlsx)

    setup = sub.add_parser(
        "report-setup",
        help=N_("người và địa điểm ghi trong văn bản (Hội đồng, đại diện, kết luận)"),
        description=N_("Không có --set: in thông tin văn bản của dự án dạng JSON. Có --set FILE.json "
                       "(hoặc - cho đầu vào chuẩn): kiểm tra toàn bộ (khoá lạ, mã đơn vị, văn bản) rồi "
                       "lưu, có ghi nhật ký kiểm toán; không lưu gì khi có lỗi. Định dạng: docs/reports.md."),
    )
    setup.add_argument("--db", required=True)
    setup.add_argument("--set", dest="setup_file", metavar="FILE",
                       help=N_("tệp JSON chứa thông tin, - cho đầu vào chuẩn"))
    setup.add_argument("--author", default="", help=N_("người thay đổi (lưu trong nhật ký kiểm toán)"))
    setup.set_defaults(handler=cmd_report_setup)


def _key_options(p: argparse.ArgumentParser) -> None:
    from evaluator.cli.keys import add_key_options

    g = add_key_options(p, "signing key (PKCS#12 file or PKCS#11 token)")
    g.add_argument("--field", help=N_("ô chữ ký (mặc định: ô trống đầu tiên, ví dụ secretary)"))
    g.add_argument(
        "--timestamp-url", metavar="URL", help=N_("máy chủ dấu thời gian RFC 3161 (mặc định: không dùng, "
                                                  "ngoại tuyến)")
    )
    g.add_argument("--reason", default="", help=N_("lý do ghi trong chữ ký"))
    g.add_argument("--location", default="", help=N_("nơi ký ghi trong chữ ký"))


def _seal_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("organisation's signature (the clerk, after the person with authority)")
    g.add_argument("--as", dest="sign_as", choices=("person", "organisation"), default="person",
                   help=N_("person: người có thẩm quyền ký (mặc định); organisation: văn thư điền số, "
                           "ngày và ký số của cơ quan với hình con dấu"))
    g.add_argument("--seal-image", type=Path, metavar="SEAL.png",
                   help=N_("ảnh con dấu của cơ quan (PNG nền trong suốt), đặt lên một phần ba bên trái chữ "
                           "ký của người có thẩm quyền"))
    g.add_argument("--number", metavar="N", help=N_("số văn bản do văn thư cấp (ví dụ 15)"))
    g.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                   help=N_("ngày ban hành (mặc định hôm nay)"))
    lt = p.add_argument_group("long-term validation (PAdES B-LT / B-LTA)")
    lt.add_argument("--crl", type=Path, nargs="+", metavar="FILE", default=[],
                    help=N_("danh sách chứng thư bị thu hồi (CRL) để nhúng vào văn bản (PAdES B-LT)"))
    lt.add_argument("--ocsp", type=Path, nargs="+", metavar="FILE", default=[],
                    help=N_("phản hồi OCSP để nhúng vào văn bản (PAdES B-LT)"))
    lt.add_argument("--fetch-revocation", action="store_true",
                    help=N_("lấy CRL/OCSP qua mạng theo địa chỉ trong chứng thư (mặc định: ngoại tuyến)"))
    lt.add_argument("--tsa", metavar="URL",
                    help=N_("máy chủ dấu thời gian cho dấu thời gian tài liệu sau cùng (PAdES B-LTA)"))


def _wants_key(args: argparse.Namespace) -> bool:
    return bool(args.p12 or args.pkcs11_lib)


def _signing(args: argparse.Namespace) -> Any:
    from evaluator.cli.keys import key_choice
    from evaluator.services.documents import Signing

    return Signing(key_choice(args), args.field, args.timestamp_url, args.reason, args.location)


@contextmanager
def _signer(args: argparse.Namespace) -> Iterator[Any]:
    """The signer the key options name; a UserError when they are incomplete or the key cannot be used."""
    from evaluator.cli.keys import key_choice

    with key_choice(args).pdf_signer() as signer:
        yield signer


# --- report ----------------------------------------------------------------------------------------------
def cmd_report(args: argparse.Namespace) -> int:
    from evaluator.services.documents import produce
    from evaluator.services.projects import open_existing

    kind = command_kinds("report")[args.document]
    docx = args.file_format == "docx"
    if docx and (option := _signing_option(args)):
        # a Word draft is redrafted before issuing: the PDF is what gets signed
        raise UserError("cli.docx_not_signed", option=option, format="--format docx")
    if _wants_key(args) and not args.sign:
        args.sign = True
    if not kind.per_unit and (args.unit or args.all):
        raise UserError("cli.whole_year", document=args.document)
    if kind.per_unit and not (args.unit or args.all):
        raise UserError("cli.needs_unit", document=args.document)
    if args.unit and args.all:
        raise UserError("cli.unit_or_all")
    if args.all:
        if args.out.exists() and not args.out.is_dir():
            raise UserError("cli.all_needs_folder", out=args.out)
    else:
        _check_pdf_target(args.out, args.file_format)
    with open_existing(args.db) as project:
        # the key (and its password prompt) only once the data is there
        signing = (lambda: _signing(args)) if args.sign else None
        produced = produce(project, kind, args.year, [args.unit] if args.unit else None, args.out,
                           on=args.date, batch=args.all, signing=signing, workers=args.workers,
                           progress=_progress() if args.all else None, draft=args.draft,
                           author=args.author, role="committee", fmt=args.file_format)
    if args.all:
        print(say("output.files_written_signed" if args.sign else "output.files_written",
                  count=len(produced.files), out=args.out))
    elif docx:
        print(say("output.docx_written", out=args.out))
    elif args.sign:
        print(say("output.pdf_signed", out=args.out, pages=produced.pages, field=produced.signed))
    else:
        print(say("output.pdf_unsigned", out=args.out, pages=produced.pages))
    return 0


SIGNING_OPTIONS = ("sign", "p12", "pkcs11_lib", "token_label", "key_label", "password_env", "password_stdin",
                   "field", "timestamp_url", "reason", "location")


def _signing_option(args: argparse.Namespace) -> str:
    """The first signing option given ('' when none), as typed: ``--p12``."""
    for name in SIGNING_OPTIONS:
        if getattr(args, name, None):
            return "--" + name.replace("_", "-")
    return ""


def _check_pdf_target(out: Path, fmt: str = "pdf") -> None:
    if fmt == "docx" and out.suffix.lower() != ".docx":
        raise UserError("cli.out_docx", out=out)
    if fmt == "pdf" and out.suffix.lower() != ".pdf":
        raise UserError("cli.out_pdf", out=out)
    if not out.parent.is_dir():
        raise UserError("cli.out_no_folder", out=out, folder=out.parent)


def _progress() -> Callable[[int, int, str], None]:
    """A batch's progress on standard error: one line that counts up on a terminal, else a line a file."""
    live = sys.stderr.isatty()

    def progress(done: int, total: int, code: str) -> None:
        if not done:  # the data is gathered: nothing written yet
            return
        if live:
            print(
                f"\r[{done}/{total}] {code}   ", end="" if done < total else "\n", file=sys.stderr, flush=True
            )
        else:
            print(f"[{done}/{total}] {code}", file=sys.stderr, flush=True)

    return progress


# --- sign / verify ------------------------------------------------------------------------------------------
def cmd_sign(args: argparse.Namespace) -> int:
    from evaluator.signing.ltv import add_long_term, http_timestamper, load_revocation
    from evaluator.signing.seal import load_seal_image, seal_bytes
    from evaluator.signing.sign import sign_bytes, write_atomically

    organisation = args.sign_as == "organisation"
    if not organisation:
        for option, value in (("--seal-image", args.seal_image), ("--number", args.number),
                              ("--date", args.date)):
            if value is not None:
                raise UserError("signing.seal_options", option=option, mode="--as organisation")
    elif args.seal_image is None:
        raise UserError("signing.seal_image_needed", mode="--as organisation", option="--seal-image")
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise UserError("common.cannot_read", path=args.file, error=exc.strerror or exc) from exc
    target = args.out or args.file
    if args.out is not None and not args.out.parent.is_dir():
        raise UserError("cli.out_no_folder", out=args.out, folder=args.out.parent)
    # every outside file is read and checked before the key is asked for
    seal = load_seal_image(args.seal_image) if organisation else None
    crls, ocsps = load_revocation(args.crl, args.ocsp)
    with _signer(args) as signer:
        if seal is not None:
            signed, filled = seal_bytes(data, signer, seal, number=args.number, on=args.date,
                                        timestamp_url=args.timestamp_url, reason=args.reason,
                                        location=args.location)
            used = "organisation"
        else:
            signed, used = sign_bytes(
                data,
                signer,
                args.field,
                timestamp_url=args.timestamp_url,
                reason=args.reason,
                location=args.location,
            )
    signed, long_term = add_long_term(signed, crls=crls, ocsps=ocsps, fetch=args.fetch_revocation,
                                      timestamper=http_timestamper(args.tsa) if args.tsa else None)
    write_atomically(target, signed)
    print(say("output.signed_in", target=target, field=used))
    if seal is not None:
        print(say("output.sealed", number=filled.number or "—",
                  date=filled.date.isoformat() if filled.date else "—"))
    if long_term.level == "B-B":
        print(say("output.pades_offline"))
    else:
        print(say("output.pades_level", level=long_term.level, certs=long_term.certs, crls=long_term.crls,
                  ocsps=long_term.ocsps))
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from evaluator.services.imports import is_team_package
    from evaluator.services.report_compare import verify_file

    if is_team_package(args.file):
        return _verify_package(args)
    report = verify_file(args.file, args.trust, args.db)
    if args.format == "json":
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0 if report.ok else 1


def _verify_package(args: argparse.Namespace) -> int:
    from evaluator.exchange import verify_package

    if args.db:
        raise UserError("cli.verify_db_package")
    report = verify_package(args.file, args.trust or ())
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0 if report.ok else 1


# --- Excel --------------------------------------------------------------------------------------------------
def cmd_export_xlsx(args: argparse.Namespace) -> int:
    from evaluator.services.documents import produce
    from evaluator.services.projects import open_existing

    kind = command_kinds("export-xlsx")[args.table]
    if args.out.suffix.lower() != ".xlsx":
        raise UserError("cli.out_xlsx", out=args.out)
    if not args.out.parent.is_dir():
        raise UserError("cli.out_no_folder", out=args.out, folder=args.out.parent)
    if not kind.per_unit and (args.unit or args.all):
        raise UserError("cli.whole_year_workbook", table=args.table)
    if kind.per_unit and not (args.unit or args.all):
        raise UserError("cli.xlsx_needs_unit", table=args.table)
    with open_existing(args.db) as project:
        produced = produce(project, kind, args.year, args.unit if kind.per_unit and not args.all else None,
                           args.out)
    print(say("output.sheets", out=args.out, count=produced.documents) if kind.per_unit
          else say("output.results_of", out=args.out, year=args.year))
    return 0


def cmd_report_setup(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.report_setup import report_setup, set_report_setup
    from evaluator.services.users import actor_in

    setup = None
    if args.setup_file is not None:
        source: Any = Message("cli.stdin") if args.setup_file == "-" else args.setup_file
        try:
            text = sys.stdin.read() if args.setup_file == "-" else Path(args.setup_file).read_text("utf-8")
            setup = json.loads(text)
        except OSError as exc:
            raise UserError("common.cannot_read", path=source, error=exc.strerror or exc) from exc
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserError("cli.not_json", source=source, error=exc) from exc
    with open_existing(args.db) as project:
        if setup is None:
            with project.session() as session:
                print(json.dumps(report_setup(session), ensure_ascii=False, indent=2))
            return 0
        with project.session(write=True) as session:
            actor = actor_in(session, args.author, "committee")  # the project's device, as the GUI's
            change = set_report_setup(session, setup, **actor.who)
    print(say("output.setting_stored") if not change.empty else say("output.setting_unchanged"))
    return 0
