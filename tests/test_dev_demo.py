"""``python3 dev.py demo``, the first minutes of a new user: every set-up step says what it is doing
before it starts, and the end prints commands that work as typed from the repository folder (the
``evaluator`` command is in the venv, not on PATH), including how to open the desktop app on the demo."""

from __future__ import annotations

import importlib.util
import os
import shlex
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dev(monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[list[str]]]:
    """dev.py loaded as a module, with every command it would run recorded instead of run."""
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setattr(sys, "path", list(sys.path))  # dev.py puts installer/ on it
    spec.loader.exec_module(module)
    ran: list[list[str]] = []

    def fake_run(cmd: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        ran.append(cmd)
        return subprocess.CompletedProcess(cmd, 0)

    monkeypatch.setattr(module.subprocess, "run", fake_run)
    return module, ran


def test_demo_says_each_step_and_ends_with_commands_that_work_as_printed(
        dev: tuple[ModuleType, list[list[str]]], monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    module, ran = dev
    monkeypatch.setattr(module, "ensure_venv", lambda extras: None)
    assert module.demo() == 0
    out = capsys.readouterr().out
    assert out.index("Building the demo project") < out.index("+ ") < out.index("results of the demo")
    assert [Path(c[0]).name for c in ran] == ["evaluator", "evaluator"]
    printed = [line.split("   ")[0].strip() for line in out[out.index("Done."):].splitlines()[1:]]
    exe = os.path.join(".venv", "Scripts", "evaluator.exe") if os.name == "nt" else \
        os.path.join(".venv", "bin", "evaluator")
    assert printed[0] == f"{exe} gui --db demo.db"
    assert printed[1] == f"{exe} results --db demo.db --year 2024"
    assert (ROOT / exe).parent == module.BIN  # the program the demo itself ran, named from the repository
    from evaluator.cli.main import _parser

    for line in printed[:2]:  # each is a command the CLI takes as it stands
        args = _parser().parse_args(shlex.split(line)[1:])
        assert args.db == "demo.db"
    # the commands it ran are shown relative to the repository too
    assert f"+ {exe} demo demo.db --force" in out


def test_installing_says_it_takes_a_while_before_pip_runs(
        dev: tuple[ModuleType, list[list[str]]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    module, ran = dev
    made: list[Path] = []
    monkeypatch.setattr(module.venv.EnvBuilder, "create", lambda self, where: made.append(Path(where)))
    monkeypatch.setattr(module, "VENV", tmp_path / ".venv")
    monkeypatch.setattr(module, "PY", tmp_path / ".venv" / "bin" / "python")
    monkeypatch.setattr(module, "STAMP", tmp_path / ".installed")
    module.ensure_venv("")
    out = capsys.readouterr().out
    assert made == [tmp_path / ".venv"]
    assert out.index("Creating the virtual environment") < out.index("Installing evaluator")
    assert "a minute or two" in out
    assert len(ran) == 2 and ran[-1][-2:] == ["-e", "."]
    module.ensure_venv("")  # done already: says so, installs nothing
    assert "up to date" in capsys.readouterr().out and len(ran) == 2
