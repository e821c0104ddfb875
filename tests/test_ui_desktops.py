"""The GUI on real display servers rather than offscreen: an X server (Xvfb, Qt's xcb platform plugin) and
a Wayland compositor (Weston, headless; Qt's wayland plugin), what Linux desktop users get, with the demo
project's workspace drawn and saved. ``python3 dev.py test`` installs Xvfb, Weston and the xcb libraries;
the frozen bundle is checked the same way by ``installer/smoke.sh``."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest


def png_size_and_colours(path: Path) -> tuple[int, int, int]:
    """(width, height, distinct byte values in the pixel data): enough to tell a drawn window from a blank
    one without a Qt import in this process."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    pos, idat = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


def gui_env(tmp_path: Path, platform: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "DISPLAY", "WAYLAND"))}
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    return env | {"QT_QPA_PLATFORM": platform, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(runtime),
                  "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}


def gui_command(db: Path, shot: Path) -> list[str]:
    return [sys.executable, "-m", "evaluator", "gui", "--db", str(db), "--view", "workspace",
            "--screenshot", str(shot)]


def assert_drawn(shot: Path) -> None:
    width, height, colours = png_size_and_colours(shot)
    assert width >= 1000 and height >= 600, (width, height)
    assert colours > 50  # text, tables and the index in colour: not an empty frame


@pytest.mark.slow
def test_the_workspace_draws_on_a_real_x_server(demo_copy: Path, tmp_path: Path) -> None:
    xvfb_run = shutil.which("xvfb-run")
    assert xvfb_run, "xvfb-run is missing: python3 dev.py test installs it (Debian package xvfb)"
    shot = tmp_path / "x11.png"
    done = subprocess.run([xvfb_run, "-a", "-s", "-screen 0 1600x1000x24", *gui_command(demo_copy, shot)],
                          env=gui_env(tmp_path, "xcb"), capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Could not load the Qt platform plugin" not in done.stderr
    assert_drawn(shot)


@pytest.fixture
def wayland(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A headless Weston compositor for this test; yields the environment of a client."""
    weston = shutil.which("weston")
    assert weston, "weston is missing: python3 dev.py test installs it (Debian package weston)"
    env = gui_env(tmp_path, "wayland") | {"WAYLAND_DISPLAY": "evaluator-test"}
    socket = Path(env["XDG_RUNTIME_DIR"]) / "evaluator-test"
    server = subprocess.Popen([weston, "--backend=headless-backend.so", "--socket=evaluator-test",
                               "--idle-time=0"], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not socket.exists():
            assert server.poll() is None, f"weston stopped: {server.stderr.read() if server.stderr else ''}"
            assert time.monotonic() < deadline, "weston did not open its socket in 30 s"
            time.sleep(0.05)
        yield env
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.slow
def test_the_workspace_draws_on_a_wayland_compositor(demo_copy: Path, tmp_path: Path,
                                                      wayland: dict[str, str]) -> None:
    shot = tmp_path / "wayland.png"
    done = subprocess.run(gui_command(demo_copy, shot), env=wayland, capture_output=True, text=True,
                          timeout=180)
    assert done.returncode == 0, done.stderr
    assert "Could not load the Qt platform plugin" not in done.stderr
    assert_drawn(shot)
