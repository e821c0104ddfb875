"""``evaluator gui``: the desktop application (a bare ``evaluator`` opens it too)."""

from __future__ import annotations

import argparse
from typing import Any

VIEWS = ("start", "workspace", "results", "audit", "conflicts")


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("gui", help="the desktop application (appraisal workspace, results, audit)")
    p.add_argument(
        "packages",
        nargs="*",
        metavar="FILE.cchc",
        help="team packages to preview in the import centre once the project (--db, or the last one) is open",
    )
    p.add_argument("--db", help="project file (or SQLAlchemy URL) to open")
    p.add_argument("--demo", action="store_true", help="open the demo project (built once in the cache)")
    p.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help="render the view offscreen with real data, save a PNG of the main window and exit",
    )
    p.add_argument("--view", choices=VIEWS, default="workspace", help="the view for --screenshot")
    p.add_argument("--lang", choices=("vi", "en"), help="interface language (default: the saved setting, vi)")
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
