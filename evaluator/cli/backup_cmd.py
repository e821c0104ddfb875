"""``evaluator backup create|list|restore``: backups of a project file (``evaluator.services.backups``) or
of a project on the committee's PostgreSQL server (``evaluator.services.server_backups``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evaluator.cli.output import table
from evaluator.i18n import N_
from evaluator.messages import say


def register(sub: Any) -> None:
    bk = sub.add_parser("backup", help=N_("sao lưu dự án, liệt kê các bản sao lưu, khôi phục một bản"))
    bsub = bk.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    bc = bsub.add_parser("create", help=N_("sao lưu dự án ngay (kiểm tra lại khi ghi); dự án trên máy chủ "
                                           "PostgreSQL: các bản ghi của nó thành một tệp SQLite"))
    bc.add_argument("--db", required=True)
    bc.set_defaults(handler=cmd_create)
    bl = bsub.add_parser("list", help=N_("các bản sao lưu của dự án, mới nhất trước"))
    bl.add_argument("--db", required=True)
    bl.add_argument("--format", choices=("table", "json"), default="table")
    bl.set_defaults(handler=cmd_list)
    br = bsub.add_parser("restore", help=N_("khôi phục một bản sao lưu đè lên dự án (sau khi sao lưu "
                                            "trạng thái hiện tại) hoặc vào một tệp mới"))
    br.add_argument("--db", required=True)
    br.add_argument("id", help=N_("mã bản sao lưu (hoặc vài ký tự đầu), như `backup list` hiển thị"))
    br.add_argument("--to", type=Path, metavar="NEW_PATH", help=N_("khôi phục vào tệp dự án mới này"))
    br.set_defaults(handler=cmd_restore)


def _on_server(db: str) -> bool:
    from evaluator.services.backups import KEY_ROOT
    from evaluator.services.server_backups import backups_key

    return backups_key(db).is_relative_to(KEY_ROOT)


def cmd_create(args: argparse.Namespace) -> int:
    from evaluator.services.backups import create_backup
    from evaluator.services.projects import open_existing

    with open_existing(args.db if _on_server(args.db) else Path(args.db)) as project:
        made = create_backup(project, "manual")
    print(say("output.backup_written", id=made.id, path=made.path, size=made.size))
    return 0


def _reason(code: str) -> str:
    """A backup's reason in the reader's language, with its code (what ``--format json`` gives)."""
    from evaluator.messages import CATALOGUE

    label = f"backupreason.{code.replace('-', '_')}"
    return f"{say(label)} ({code})" if label in CATALOGUE else code


def cmd_list(args: argparse.Namespace) -> int:
    from evaluator.services.backups import list_backups
    from evaluator.services.server_backups import backups_key

    backups = list_backups(backups_key(args.db))
    if args.format == "json":
        print(json.dumps([b.to_json() for b in backups], ensure_ascii=False, indent=2))
    else:
        print(table([say("output.col_backup_id"), say("output.col_backup_time"),
                     say("output.col_backup_reason"), say("output.col_backup_size")],
                    [[b.id, f"{b.created:%Y-%m-%d %H:%M:%S}", _reason(b.reason), b.size] for b in backups],
                    right=(3,)))
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from evaluator.services.backups import restore_backup
    from evaluator.services.server_backups import restore_server_backup

    if _on_server(args.db):
        print(restore_server_backup(args.db, args.id, to=args.to).render())
    else:
        print(restore_backup(Path(args.db), args.id, to=args.to).render())
    return 0
