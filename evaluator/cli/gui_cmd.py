"""``evaluator gui``: the desktop application (a bare ``evaluator`` opens it too)."""

from __future__ import annotations

import argparse
from typing import Any

from evaluator.i18n import N_

VIEWS = ("start", "workspace", "results", "audit", "conflicts")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("gui", help=N_("ứng dụng máy tính (thẩm định, kết quả, nhật ký kiểm toán)"))
    p.add_argument(
        "packages",
        nargs="*",
        metavar="FILE.cchc",
        help=N_("các gói của tổ để xem trước trong trung tâm nhập khi dự án (--db, hoặc dự án mở gần "
                "nhất) đã mở"),
    )
    p.add_argument("--db", help=N_("tệp dự án (hoặc URL SQLAlchemy) cần mở"))
    p.add_argument("--demo", action="store_true", help=N_("mở dự án mẫu (dựng một lần trong bộ nhớ đệm)"))
    p.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help=N_("vẽ màn hình ngoài màn hình với dữ liệu thật, lưu ảnh PNG cửa sổ chính rồi thoát"),
    )
    p.add_argument("--view", choices=VIEWS, default="workspace", help=N_("màn hình cho --screenshot"))
    p.add_argument("--lang", choices=("vi", "en"), help=N_("ngôn ngữ giao diện (mặc định: theo cài đặt đã "
                                                           "lưu, vi)"))
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import os

    if getattr(args, "screenshot", None):
        if not os.environ.get("QT_QPA_PLATFORM"):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
    else:
        # A person at work: keep a log file they can attach to a support request (names only, see
        # evaluator/logsetup.py). Screenshot runs are scripted and leave no log behind.
        from evaluator.logsetup import configure_logging

        configure_logging()
    from evaluator.ui.app import run as run_app

    return run_app(
        getattr(args, "db", None),
        demo=getattr(args, "demo", False),
        screenshot=getattr(args, "screenshot", None),
        view=getattr(args, "view", "workspace"),
        language=getattr(args, "lang", None),
        packages=[str(p) for p in getattr(args, "packages", None) or []],
    )


def default(args: argparse.Namespace) -> int:
    """A bare ``evaluator``: open the GUI (the last project, or the start page)."""
    return run(args)


def package_arguments(argv: list[str]) -> list[str]:
    """``evaluator FILE.cchc…`` (packages opened from the file manager) is ``evaluator gui FILE.cchc…``."""
    if argv and all(a.lower().endswith(".cchc") for a in argv):
        return ["gui", *argv]
    return argv
