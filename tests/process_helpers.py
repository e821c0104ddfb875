"""Real subprocesses for the crash tests: start a Python snippet, wait for a line it prints, ``kill -9`` it,
and age the files it left as if the crash happened hours ago (POSIX)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

HOURS_AGO = 2 * 3600  # older than the safety margin (STALE_AFTER, one hour)


def spawn(script: str, *args: object) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *map(str, args)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def wait_line(proc: subprocess.Popen[str], wanted: str, timeout: float = 60) -> None:
    assert proc.stdout is not None
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        line = proc.stdout.readline()
        if wanted in line:
            return
        if not line and proc.poll() is not None:
            why = proc.stderr.read() if proc.stderr else ""
            raise AssertionError(f"child ended ({proc.returncode}): {why}")
    raise AssertionError(f"no {wanted!r} from the child in {timeout} s")


def kill9(proc: subprocess.Popen[str]) -> None:
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    for stream in (proc.stdout, proc.stderr):
        if stream is not None:
            stream.close()


def age(*paths: Path, seconds: float = HOURS_AGO) -> None:
    """As if the crash happened ``seconds`` ago."""
    when = time.time() - seconds
    for path in paths:
        for p in [path, *path.rglob("*")] if path.is_dir() else [path]:
            os.utime(p, (when, when), follow_symlinks=False)


# The backup API made slow (one page at a time, a pause after each) so the kill lands mid-copy.
SLOW_BACKUP = """
    import sqlite3, sys, time
    from pathlib import Path

    class Slow(sqlite3.Connection):
        def backup(self, target, **kw):
            def step(status, remaining, total):
                print("copying", flush=True)
                time.sleep(0.2)
            return super().backup(target, pages=1, progress=step)

    _connect = sqlite3.connect
    sqlite3.connect = lambda *a, **k: _connect(*a, factory=Slow, **k)
"""
