"""``evaluator framework diff`` and ``evaluator framework upgrade``: compare two criteria sets, and move a
project's assessments to a newer version of their set (``evaluator.frameworks.diff``,
``evaluator.services.framework_upgrade``). ``add_parsers`` adds both to the ``framework`` sub-parsers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator.cli.help import RawDescriptionHelpFormatter
from evaluator.cli.output import table
from evaluator.errors import UserError
from evaluator.i18n import N_
from evaluator.messages import say

if TYPE_CHECKING:
    from evaluator.frameworks.diff import FrameworkDiff
    from evaluator.frameworks.model import Framework

DIFF_HELP = N_("""\
OLD và NEW là tệp bộ tiêu chí (.yaml, .json, .xlsx) hoặc CODE@VERSION của một bộ lưu trong dự án ghi ở
--db (tên trùng với một tệp đã có được đọc như tệp).

Các mục được đối chiếu theo mã. Các trường so sánh: kind_of_node (leaf hoặc group), title, title_en, max
(theo loại đơn vị), rule (dạng chuẩn: loại và tham số), source, role, parent, not_applicable_allowed,
evidence_required.

--format json in một đối tượng:
  {"old": "CODE@V", "new": "CODE@W",
   "added":   [{"code", "kind_of_node", "fields": {NAME: {"old": null, "new": VALUE}}}],
   "removed": [{"code", "kind_of_node", "fields": {NAME: {"old": VALUE, "new": null}}}],
   "changed": [{"code", "kind_of_node", "fields": {NAME: {"old": VALUE, "new": VALUE}}}]}
mục thêm và mục thay đổi theo thứ tự cây của bộ mới, mục bỏ theo thứ tự của bộ cũ; mục thêm hoặc bỏ liệt kê
mọi trường, mục thay đổi chỉ các trường khác nhau. Số là số JSON; max là {KIND: số}; rule là một ánh xạ
như {"kind": "binary"}. Thoát với mã 0 dù hai bộ có khác nhau hay không.""")

UPGRADE_HELP = N_("""\
Chuyển mọi bản đánh giá dùng --from CODE@V sang --to CODE@W (cả hai lưu trong dự án; cùng mã, W > V,
cùng năm, và CODE@W có các loại đơn vị đang được đánh giá). Cách xử lý các giá trị đã nhập:
  keep     giữ giá trị từng bước chấm của mọi tiêu chí có mã, nguồn, cách chấm, cờ "không áp dụng" và
           điểm tối đa không đổi; xoá các giá trị khác và liệt kê các tiêu chí đó là cần chấm lại
  reset    không giữ gì
  rescale  những gì keep giữ, cộng các tiêu chí chỉ đổi điểm tối đa: điểm nhập dạng điểm được quy đổi
           (quy tắc tam suất: cũ x tối đa mới / tối đa cũ, làm tròn đến phần trăm), các giá trị khác
           được tính lại theo cách chấm mới
Giá trị được giữ vẫn giữ người nhập, ghi chú và thời điểm, và được tính lại theo cách chấm mới; giá trị bị
xoá vẫn còn trong lịch sử chỉnh sửa. Tài liệu kiểm chứng vẫn gắn theo tiêu chí (của tiêu chí bị bỏ thì được
giữ và liệt kê). Bị từ chối khi có bản đánh giá dùng CODE@V có bước chấm đã khoá hoặc xung đột chưa giải
quyết. Sao lưu trước, ghi tất cả trong một giao dịch, mỗi bản đánh giá một sự kiện kiểm toán
(framework.upgrade). --dry-run in đúng báo cáo đó và không ghi gì.

--format json in {"old", "new", "strategy", "dry_run", "backup", "totals": {"assessments", "kept",
"rescaled", "cleared", "evidence_kept"}, "assessments": [{"assessment", "unit", "name", "kind", "moved":
[{"criterion", "stage", "old_points", "new_points", "not_applicable", "how"}], "cleared": [{"criterion",
"stage", "old_points", "why"}], "needs_score": [CODE], "evidence_moved", "evidence_kept": [{"criterion",
"file_name"}]}], "diff": (như framework diff)}; điểm là chuỗi có hai chữ số thập phân, hoặc null.""")


def add_parsers(fsub: Any) -> None:
    """Add ``diff`` and ``upgrade`` to the ``framework`` command's sub-parsers."""
    fd = fsub.add_parser("diff", help=N_("các mục thêm, bỏ và thay đổi giữa hai bộ tiêu chí"),
                         description=DIFF_HELP, formatter_class=RawDescriptionHelpFormatter)
    fd.add_argument("old", help=N_("tệp bộ tiêu chí, hoặc CODE@VERSION lưu trong --db"))
    fd.add_argument("new", help=N_("tệp bộ tiêu chí, hoặc CODE@VERSION lưu trong --db"))
    fd.add_argument("--db", help=N_("dự án chứa các bộ ghi dạng CODE@VERSION"))
    fd.add_argument("--format", choices=("table", "json"), default="table")
    fd.set_defaults(handler=cmd_diff)
    fu = fsub.add_parser("upgrade", help=N_("chuyển các bản đánh giá của dự án sang phiên bản mới hơn của "
                                            "bộ tiêu chí"),
                         description=UPGRADE_HELP, formatter_class=RawDescriptionHelpFormatter)
    fu.add_argument("--db", required=True)
    fu.add_argument("--from", dest="from_set", required=True, metavar="CODE@V")
    fu.add_argument("--to", dest="to_set", required=True, metavar="CODE@W")
    fu.add_argument("--strategy", choices=("keep", "reset", "rescale"), required=True)
    fu.add_argument("--dry-run", action="store_true", help=N_("in những gì sẽ xảy ra, không ghi gì"))
    fu.add_argument("--reason", default="", help=N_("lý do (lưu trong nhật ký kiểm toán), ví dụ quyết "
                                                    "định sửa đổi"))
    fu.add_argument("--author", default="", help=N_("người thực hiện (lưu trong nhật ký kiểm toán)"))
    fu.add_argument("--format", choices=("table", "json"), default="table")
    fu.set_defaults(handler=cmd_upgrade)


# --- diff ---------------------------------------------------------------------------------------------
def _read_set(given: str, db: str | None) -> Framework:
    from evaluator.frameworks import load_framework
    from evaluator.services.framework_upgrade import looks_like_identity

    if Path(given).is_file() or not looks_like_identity(given):
        return load_framework(given)
    if not db:
        raise UserError("upgrade.need_project", given=given)
    from evaluator.services.framework_upgrade import stored_set
    from evaluator.services.frameworks import framework_of
    from evaluator.services.projects import open_existing

    with open_existing(db) as project, project.session() as session:
        return framework_of(stored_set(session, given))


def cmd_diff(args: argparse.Namespace) -> int:
    from evaluator.frameworks.diff import diff_frameworks

    diff = diff_frameworks(_read_set(args.old, args.db), _read_set(args.new, args.db))
    if args.format == "json":
        print(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_diff(diff))
    return 0


def render_diff(diff: FrameworkDiff) -> str:
    head = say("upgrade.diff_head", old=diff.old, new=diff.new, added=len(diff.added),
               removed=len(diff.removed), changed=len(diff.changed))
    if diff.empty:
        return head + "\n" + say("upgrade.no_difference")
    from evaluator.frameworks.diff import diff_rows

    rows = [[say(f"upgrade.{r.change}") if r.first else "", r.code if r.first else "",
             say(f"upgrade.{r.node}") if r.first else "", say(f"upgrade.field_{r.field}"),
             _shown(r.old), _shown(r.new)] for r in diff_rows(diff)]
    headers = [say(f"upgrade.col_{n}") for n in ("change", "code", "node", "field", "old", "new")]
    return head + "\n" + table(headers, rows)


def _shown(value: Any) -> str:
    from evaluator.frameworks.diff import plain

    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, str):
        return say(f"upgrade.{value}") if value in ("leaf", "group") else value
    value = plain(value)
    if isinstance(value, dict) and value and all(not isinstance(v, dict | list) for v in value.values()) \
            and "kind" not in value:
        return ", ".join(f"{k}: {v}" for k, v in value.items())  # a maximum per kind
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


# --- upgrade ---------------------------------------------------------------------------------------------
def cmd_upgrade(args: argparse.Namespace) -> int:
    from evaluator.services.framework_upgrade import upgrade_assessments
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project:
        report = upgrade_assessments(project, args.from_set, args.to_set, args.strategy, dry_run=args.dry_run,
                                     reason=args.reason, author=args.author)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0
