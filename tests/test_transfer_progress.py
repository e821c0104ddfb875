"""Byte progress of team packages in the faces: "x MB / y MB, còn khoảng n phút" in both languages, the
command line's progress lines on stderr (``--progress``, or a terminal) and the job panel's status."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import io
import random
import types
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import add_evidence, copy

from evaluator import i18n
from evaluator.cli.exchange_cmd import progress_line
from evaluator.services.exchange import meter
from evaluator.services.exchange.meter import TimeLeft, bytes_message

MB = 1_000_000


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_time_left_in_both_languages():
    clock = Clock()
    left = TimeLeft(clock)
    assert left.message(0, 1000 * MB).render("vi") == "0.0 MB / 1,000 MB"  # no guess at the start
    clock.now += 30  # 100 MB in 30 s: 900 MB left is 270 s, about 5 minutes
    assert left.message(100 * MB, 1000 * MB).render("vi") == "100 MB / 1,000 MB, còn khoảng 5 phút"
    assert left.message(100 * MB, 1000 * MB).render("en") == "100 MB / 1,000 MB, about 5 min left"
    clock.now += 240
    assert left.message(950 * MB, 1000 * MB).render("en") == "950 MB / 1,000 MB, less than a minute left"
    assert left.message(1000 * MB, 1000 * MB).render("vi") == "1,000 MB / 1,000 MB"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_line_on_a_terminal_and_in_a_log():
    args = types.SimpleNamespace(progress=False)
    assert progress_line(args, io.StringIO()).__name__ == "no_progress"  # nobody watches a pipe
    log = io.StringIO()
    show = progress_line(types.SimpleNamespace(progress=True), log)
    show(0.0, "read")  # a phase without bytes: not a line
    show(0.5, bytes_message("write", 5 * MB, 10 * MB))
    show(1.0, bytes_message("write", 10 * MB, 10 * MB))
    assert log.getvalue().splitlines() == ["5.0 MB / 10.0 MB", "10.0 MB / 10.0 MB"]
    tty = Terminal()
    show = progress_line(args, tty)
    show(0.5, bytes_message("read", 5 * MB, 10 * MB))
    show(1.0, bytes_message("read", 10 * MB, 10 * MB))
    assert tty.getvalue() == "\r5.0 MB / 10.0 MB\r10.0 MB / 10.0 MB\n"  # rewritten in place, then ended


@pytest.fixture
def team(demo_db: Path, tmp_path: Path) -> Path:
    team = copy(demo_db, tmp_path, "team")
    add_evidence(team, "SO01", "1.1.2", b"%PDF-1.7\n" + random.Random(3).randbytes(6 * 1024 * 1024),
                 "scan.pdf", "Tổ 1")
    return team


def test_cli_export_and_import_print_progress(team: Path, demo_db: Path, tmp_path: Path, run_cli: Any):
    package = tmp_path / "SO01.cchc"
    code, out, err = run_cli("export", "--db", team, "--out", package, "--unit", "SO01", "--year", "2024",
                             "--progress")
    lines = err.splitlines()
    assert code == 0 and "SO01.cchc" in out and lines and all(" MB / " in line for line in lines)
    assert lines[-1].split(" MB / ")[0] == lines[-1].split(" MB / ")[1].split(" ")[0]  # ends at the total
    committee = copy(demo_db, tmp_path, "committee")
    code, _out, err = run_cli("import", "--db", committee, package, "--progress")
    assert code == 0 and " MB / " in err
    code, _out, err = run_cli("export", "--db", team, "--out", tmp_path / "again.cchc", "--unit", "SO01")
    assert code == 0 and " MB / " not in err  # not a terminal, not asked


def test_the_job_panel_shows_megabytes_and_time_left(qtbot: Any, monkeypatch: pytest.MonkeyPatch):
    from evaluator.ui.job_panel import JobPanel

    clock = Clock()
    monkeypatch.setattr(meter, "time", types.SimpleNamespace(monotonic=clock))
    panel = JobPanel()
    qtbot.addWidget(panel)
    panel.start("Đang xuất…")
    assert not panel.transfer(0.0, "read", "Đang đọc")  # not a byte report: nothing shown
    assert panel.transfer(0.0, bytes_message("write", 0, 600 * MB), "Đang xuất…")
    clock.now += 60
    panel.transfer(0.2, bytes_message("write", 120 * MB, 600 * MB), "Đang xuất…")
    assert panel.text() == "Đang xuất… 120 MB / 600 MB, còn khoảng 4 phút"
    assert panel.progress.value() == 200 and panel.progress.maximum() == 1000
    i18n.set_language("en")
    panel.transfer(0.2, bytes_message("write", 120 * MB, 600 * MB))
    assert panel.text() == "120 MB / 600 MB, about 4 min left"
