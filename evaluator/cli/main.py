"""``evaluator`` — the command-line face. Thin: parse arguments, call a service, print.

Exit codes: 0 success, 1 bad input (the message names file/sheet/row/column), 2 usage errors.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from evaluator import __version__, i18n
from evaluator.cli.help import Parser, language_in
from evaluator.cli.output import num, signed, table
from evaluator.errors import UserError
from evaluator.i18n import N_
from evaluator.messages import labels, say

KINDS = tuple(labels.KINDS)  # the unit kinds: one table with the GUI's and the messages' names
# Commands that live in their own modules: each has ``register(subparsers)``, which adds its parsers
# with ``set_defaults(handler=function)``. A module may also offer ``default(args)``: what a bare
# ``evaluator`` runs (the GUI).
COMMAND_MODULES = ("evaluator.cli.gui_cmd", "evaluator.cli.report_cmd", "evaluator.cli.exchange_cmd",
                   "evaluator.cli.backup_cmd", "evaluator.cli.audit_cmd", "evaluator.cli.units_cmd",
                   "evaluator.cli.handout_cmd", "evaluator.cli.framework_cmd", "evaluator.cli.migrate_cmd",
                   "evaluator.cli.server_cmd", "evaluator.cli.yearly_cmd", "evaluator.cli.teams_cmd",
                   "evaluator.cli.progress_cmd", "evaluator.cli.organisation_cmd",
                   "evaluator.cli.shortcomings_cmd")


def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="evaluator", description=N_("Thẩm định Chỉ số CCHC (PAR Index) — evaluator"))
    p.add_argument("--version", action="version", version=f"evaluator {__version__}")
    p.add_argument(*LANG_OPTION, **LANG_SETTINGS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    demo = sub.add_parser("demo", help=N_("dựng dự án mẫu (một tỉnh, hai năm)"))
    demo.add_argument("path", help=N_("tệp dự án cần tạo, ví dụ demo.db"))
    demo.add_argument("--seed", type=int, default=2024)
    demo.add_argument("--year", type=int, default=2024)
    demo.add_argument("--force", action="store_true", help=N_("thay tệp đã có"))

    init = sub.add_parser("init", help=N_("tạo dự án trống với bộ tiêu chí kèm theo chương trình của một "
                                          "năm và/hoặc bộ tiêu chí của tỉnh"))
    init.add_argument("path")
    source = init.add_mutually_exclusive_group(required=True)  # a team copy takes its years from the package
    source.add_argument("--year", type=int)
    source.add_argument("--from-package", type=Path, metavar="FILE.cchc",
                        help=N_("bản của tổ tạo từ gói giao việc của Hội đồng (`evaluator handout`)"))
    init.add_argument("--name", default="")
    init.add_argument("--province", default="")
    init.add_argument("--sets", nargs="+", type=Path, default=[], metavar="FILE",
                      help=N_("tệp bộ tiêu chí của tỉnh (.yaml, .json, .xlsx), được kiểm tra và lưu"))
    init.add_argument("--no-bundled", action="store_true",
                      help=N_("không lưu các bộ kèm theo chương trình của năm (dùng riêng: dự án chưa có "
                              "bộ nào)"))
    init.add_argument("--units", type=Path, metavar="FILE.xlsx",
                      help=N_("danh sách đơn vị của tỉnh (trang `units`, như `evaluator units import`), mỗi "
                              "đơn vị được đánh giá trong năm; nếu bị từ chối thì không tạo dự án"))

    imp = sub.add_parser("import", help=N_("nhập gói của tổ (.cchc) hoặc sổ tổng hợp (.xlsx)"))
    imp.add_argument("--db", required=True)
    imp.add_argument("files", nargs="+", type=Path)
    imp.add_argument("--dry-run", action="store_true", help=N_("in những gì sẽ thay đổi, không ghi gì"))
    imp.add_argument("--author", default="")
    imp.add_argument("--trust", nargs="+", type=Path, default=[], metavar="CA.pem",
                     help=N_("chứng thư mà gói đã ký phải thuộc chuỗi tin cậy (chỉ với gói)"))
    imp.add_argument("--merge-duplicates", action="store_true",
                     help=N_("gộp đơn vị được tạo trên hai máy (cùng mã, khác định danh) vào đơn vị của "
                             "dự án thay vì bỏ qua dữ liệu của nó; được ghi nhớ cho các gói sau (chỉ với "
                             "gói)"))
    imp.add_argument("--accept-sets", action="store_true",
                     help=N_("cho phép gói thêm bộ tiêu chí dự án chưa có (--dry-run liệt kê các bộ này); "
                             "nếu không, chỉ gói được ký bằng chứng thư tin cậy của dự án mới được thêm"))
    imp.add_argument("--progress", action="store_true",
                     help=N_("in số byte đã xử lý và thời gian còn lại ra stderr (mặc định: khi chạy trong "
                             "cửa sổ dòng lệnh)"))

    res = sub.add_parser("results", help=N_("chỉ số, xếp loại và thứ hạng của một năm"))
    res.add_argument("--db", required=True)
    res.add_argument("--year", type=int, required=True)
    res.add_argument("--kind", metavar="KIND",
                     help=N_("chỉ các đơn vị thuộc loại này: một trong các loại đơn vị mà bộ tiêu chí của "
                             "năm khai báo (department, district, commune, và các loại bộ tiêu chí của tỉnh "
                             "thêm vào)"))
    res.add_argument("--format", choices=("table", "csv", "json"), default="table")
    for module in _command_modules():
        module.register(sub)
    return p


def _command_modules() -> list[Any]:
    import importlib

    found = []
    for name in COMMAND_MODULES:
        try:
            found.append(importlib.import_module(name))
        except ModuleNotFoundError as exc:
            if exc.name != name:  # the module exists but something it needs is missing: say so
                raise
    return found


LANG_OPTION = ("--lang",)
LANG_SETTINGS: dict[str, Any] = {
    "choices": i18n.LANGUAGES, "default": argparse.SUPPRESS,
    "help": N_("ngôn ngữ của thông báo và trợ giúp: vi hoặc en (mặc định: ngôn ngữ đã chọn trong ứng dụng "
               "máy tính, nếu không thì en)"),
}


def _lang_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--lang`` before or after the command: every sub-parser takes it too (SUPPRESS: an absent one does not
    overwrite the one given before the command)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in set(action.choices.values()):
                if "--lang" not in sub._option_string_actions:
                    sub.add_argument(*LANG_OPTION, **LANG_SETTINGS)
                _lang_everywhere(sub)


def chosen_language(args: argparse.Namespace) -> str:
    """``--lang``, else the language chosen in the desktop app's settings, else English."""
    given = getattr(args, "lang", None)
    return str(given) if given else saved_language()


def saved_language() -> str:
    """The language chosen in the desktop app's settings, else English."""
    # evaluator.paths, not services.users (the same file): users imports the scoring engine, pandas and
    # SQLAlchemy, which made a bare `--version` take over a second from a cold start.
    from evaluator.paths import config_dir

    try:
        saved = json.loads((config_dir() / "settings.json").read_text(encoding="utf-8")).get("language")
    except (OSError, ValueError, AttributeError):
        saved = None
    return saved if saved in i18n.LANGUAGES else "en"


def main(argv: Sequence[str] | None = None) -> int:
    from evaluator.cli.gui_cmd import package_arguments

    arguments = package_arguments(list(sys.argv[1:] if argv is None else argv))
    if arguments == ["--version"]:  # what installers and scripts probe: answer before loading any command
        print(f"evaluator {__version__}")
        return 0
    before = i18n.language()
    # The language first: --help and usage errors are printed while the arguments are parsed.
    i18n.set_language(language_in(arguments) or saved_language())
    try:
        parser = _parser()
        _lang_everywhere(parser)
        args = parser.parse_args(arguments)
        i18n.set_language(chosen_language(args))
        return _run(parser, args)
    finally:
        i18n.set_language(before)  # in-process callers (tests, the GUI's helpers) keep their language


def _run(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    try:
        if args.command is None:
            defaults = [m.default for m in _command_modules() if hasattr(m, "default")]
            if not defaults:
                parser.print_help()
                return 2
            return int(defaults[0](args) or 0)
        handler = getattr(args, "handler", None) or COMMANDS[args.command]
        return int(handler(args) or 0)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except Exception as exc:
        # imported here, not at the top: they pull in YAML, SQLAlchemy and Alembic (~0.3 s) that
        # `--version`, `--help` and usage errors do not need
        from evaluator.frameworks import FrameworkInvalid
        from evaluator.models import ProjectError

        if isinstance(exc, FrameworkInvalid):
            print("error: " + say("criteria.invalid_head", count=len(exc.problems)), file=sys.stderr)
            for problem in exc.problems:
                print(f"  - {problem}", file=sys.stderr)
            return 1
        if isinstance(exc, (UserError, ProjectError)):
            print(f"error: {exc}", file=sys.stderr)
            return 1
        raise


# --- commands --------------------------------------------------------------------------------------
def cmd_demo(args: argparse.Namespace) -> int:
    from evaluator.services.demo import build_demo

    path = Path(args.path)
    if path.exists():
        if not args.force:
            raise UserError("cli.exists_force", path=path)
        _remove_project(path)
    build_demo(path, seed=args.seed, year=args.year,
               progress=lambda text: print(text, file=sys.stderr)).close()
    first = args.year - 1 if args.year < 2025 else 2023  # from 2025: the years before the reorganisation too
    print(f"demo project written to {path} (years {first}–{args.year}); try:\n"
          f"  evaluator results --db {path} --year {args.year}\n"
          f"  evaluator gui --db {path}")
    return 0


def _remove_project(path: Path) -> None:
    import shutil

    for extra in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if extra.exists():
            extra.unlink()
    evidence = path.with_suffix(".evidence")
    if evidence.is_dir():
        shutil.rmtree(evidence)


def cmd_init(args: argparse.Namespace) -> int:
    from evaluator.services.frameworks import frameworks_for_year, read_sets
    from evaluator.services.project_setup import set_up_project

    if args.from_package is not None:
        from evaluator.cli.handout_cmd import cmd_init_from_package

        if args.units is not None:
            raise UserError("project_setup.copy_takes_units")
        return cmd_init_from_package(args)
    given = read_sets(args.sets)  # every file checked before the project file is made
    made = set_up_project(args.path, args.year, name=args.name, province=args.province, sets=given,
                          bundled=not args.no_bundled, units=args.units)
    with made.project as project, project.session() as session:
        sets = frameworks_for_year(session, args.year)
        # a server's address may carry a password: never printed
        where = args.path if project.path is not None else project.url.render_as_string(hide_password=True)
    names = ", ".join(sorted(fw.identity for fw in sets.values())) or say("project_setup.no_sets")
    print(say("project_setup.created", where=where, year=args.year, sets=names))
    if made.units is not None:
        print(made.units.render())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from evaluator.cli.exchange_cmd import progress_line
    from evaluator.services.imports import import_files
    from evaluator.services.projects import open_existing

    try:
        with open_existing(args.db) as project:
            report = import_files(project, args.files, dry_run=args.dry_run, author=args.author,
                                  trust_files=args.trust, merge_duplicates=args.merge_duplicates,
                                  accept_sets=args.accept_sets, progress=progress_line(args))
    except UserError as exc:
        from evaluator.cli.handout_cmd import import_hint

        import_hint(exc)  # the flag, which the message itself (also the GUI's) does not name
        raise
    print(report.render())
    return 0


def cmd_results(args: argparse.Namespace) -> int:
    from evaluator.services.projects import open_existing
    from evaluator.services.results import compute_year

    with open_existing(args.db) as project, project.session() as session:
        if args.kind is not None:
            from evaluator.cli.kinds import check_kind, year_kinds

            check_kind(args.kind, year_kinds(session, args.year), year=args.year)
        results = compute_year(session, args.year)
    data = results.to_json(args.kind)
    if args.format == "json":
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.format == "csv":
        print(_results_csv(data), end="")
    else:
        print(_results_table(data))
    return 0


def _results_csv(data: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    area_codes = sorted({a["code"] for u in data["units"] for a in u["areas"]}, key=_code_key)
    # a set that ranks communes by district adds its two columns at the end (the others keep their places)
    by_district = any("rank_in_district" in u for u in data["units"])
    writer.writerow(["year", "kind", "rank", "rank_change", "code", "name", "points", "max", "index", "class",
                     "class_label", "points_change", *[f"area_{c}_index" for c in area_codes], "group",
                     *(["rank_in_district", "district"] if by_district else [])])
    for u in data["units"]:
        areas = {a["code"]: a["index"] for a in u["areas"]}
        writer.writerow([data["year"], u["kind"], u["rank"], u["rank_change"], u["code"], u["name"],
                         num(u["points"]), num(u["max"]), num(u["index"]), u["class"], u["class_label"],
                         num(u["points_change"]), *[num(areas.get(c)) for c in area_codes], u["group"],
                         *([u.get("rank_in_district"), u.get("district")] if by_district else [])])
    return out.getvalue()


def _code_key(code: str) -> tuple[Any, ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in code.split("."))


def _change_cell(unit: dict[str, Any]) -> str:
    """The ± cell: a merged unit's rank is not compared (its predecessors were ranked apart)."""
    if unit.get("previous_basis") == "merged":
        return "*"
    return signed(unit["rank_change"])


def _district_rank(unit: dict[str, Any]) -> str:
    rank = unit.get("rank_in_district")
    return "–" if rank is None else f"{rank} ({unit.get('district') or '–'})"


def _results_table(data: dict[str, Any]) -> str:
    blocks = [say("output.results_title", year=data["year"])]
    # each ranking group of a kind is its own block (the main group first): its own ranks and summary
    sections = [(kind, "", summary) for kind, summary in data["summary"].items()]
    for kind, groups in data.get("groups", {}).items():
        at = max(i for i, s in enumerate(sections) if s[0] == kind) + 1
        sections[at:at] = [(kind, group, summary) for group, summary in groups.items()]
    for kind, group, summary in sections:
        rows = [u for u in data["units"] if u["kind"] == kind and u.get("group", "") == group]
        if not rows and (group or kind in data.get("groups", {})):  # a kind ranked only in other groups
            continue
        # else no previous year to compare (a merged unit compares with its predecessors: "*")
        compared = any(u["rank_change"] is not None or u.get("predecessors") for u in rows)
        blocks.append("")
        title = labels.label("kind", kind)
        if group:
            title = say("output.results_group", kind=title, group=group)
        blocks.append(say("output.results_kind", kind=title, units=summary["units"],
                          mean=num(summary["mean_index"])))
        by_district = any("rank_in_district" in u for u in rows)  # a set ranking by district: both ranks
        blocks.append(table(
            [say("output.col_rank"), "±", say("output.col_code"), say("output.col_unit"),
             say("output.col_points"), say("output.col_max"), say("output.col_index"),
             say("output.col_class"), *([say("output.col_rank_in_district")] if by_district else [])],
            [[u["rank"], _change_cell(u) if compared else "–", u["code"], u["name"],
              num(u["points"]), num(u["max"]),
              num(u["index"]), u["class_label"],
              *([_district_rank(u)] if by_district else [])] for u in rows],
            right=(0, 1, 4, 5, 6, 8) if by_district else (0, 1, 4, 5, 6)))
        classes = "; ".join(f"{c['label']} {c['count']} ({num(c['share'])}%)"
                            for c in summary["classes"].values())
        blocks.append(say("output.classes", classes=classes))
        from evaluator.services.results import previous_label

        for u in rows:  # units reorganised this year: what their previous year is
            if u.get("predecessors"):
                blocks.append(say("reorg.previous_line", unit=u["code"], previous=previous_label(u),
                                  index="–" if u["previous_index"] is None
                                  else f"{num(u['previous_index'])}%"))
        disputed = [f"{u['code']} ({u['unresolved_conflicts']})"
                    for u in rows if u.get("unresolved_conflicts")]
        if disputed:
            blocks.append(say("output.disputed", units=", ".join(disputed)))
    return "\n".join(blocks)


COMMANDS = {"demo": cmd_demo, "init": cmd_init, "import": cmd_import,
            "results": cmd_results}
