"""What one run keeps on disk: the size of pytest's temporary folder (every worker's, with pytest-xdist),
sampled after a test at most every two seconds, and its peak printed at the end of the run (the guide:
one run's temporary files stay under 500 MB)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import pytest

LIMIT_MB = 500
_state: dict[str, Any] = {"peak": 0, "last": 0.0, "at_peak": []}


def folder_size(root: Path) -> int:
    total = 0
    stack = [str(root)]
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
                        elif entry.is_file(follow_symlinks=False):
                            total += entry.stat(follow_symlinks=False).st_blocks * 512
                    except OSError:  # removed meanwhile by another worker
                        continue
        except OSError:
            continue
    return total


def biggest(root: Path, count: int = 5) -> list[tuple[int, str]]:
    """The largest folders one or two levels down (a worker's folders are under ``popen-gwN``)."""
    folders = []
    for child in root.iterdir() if root.is_dir() else ():
        inner = list(child.iterdir()) if child.is_dir() and child.name.startswith("popen-gw") else [child]
        real = [f for f in inner if f.is_dir() and not f.is_symlink()]  # "…current" links: counted once
        folders += [(folder_size(f), str(f.relative_to(root))) for f in real]
    return sorted(folders, reverse=True)[:count]


def _root(config: pytest.Config) -> Path:
    base = config._tmp_path_factory.getbasetemp()  # type: ignore[attr-defined]
    # a worker's folder is <run>/popen-gwN: the run is what is on disk
    return base.parent if hasattr(config, "workerinput") else base


@pytest.hookimpl(trylast=True)
def pytest_runtest_logfinish(nodeid: str, location: object) -> None:
    now = time.monotonic()
    if now - _state["last"] < 2 or _CONFIG is None:
        return
    _state["last"] = now
    root = _root(_CONFIG)
    size = folder_size(root)
    if size > _state["peak"]:
        _state["peak"] = size
        _state["at_peak"] = biggest(root)


_CONFIG: pytest.Config | None = None


def pytest_configure(config: pytest.Config) -> None:
    global _CONFIG
    _CONFIG = config


def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        workeroutput["temp_peak"] = _state["peak"]
        workeroutput["temp_at_peak"] = _state["at_peak"]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:  # the controller, with pytest-xdist
    output = getattr(node, "workeroutput", {})
    if int(output.get("temp_peak", 0)) > _state["peak"]:
        _state["peak"] = int(output["temp_peak"])
        _state["at_peak"] = [tuple(x) for x in output.get("temp_at_peak", [])]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    mb = _state["peak"] / 1e6
    verdict = "within" if mb <= LIMIT_MB else "OVER"
    terminalreporter.write_line(f"temporary files: peak {mb:.0f} MB during the run ({verdict} {LIMIT_MB} MB)")
    if _state["at_peak"]:  # where it was, to find what to make smaller or remove sooner
        terminalreporter.write_line("  largest then: " + ", ".join(
            f"{name} {size / 1e6:.0f} MB" for size, name in _state["at_peak"]))
