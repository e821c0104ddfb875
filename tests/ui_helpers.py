"""The main window on a real project file, offscreen (pytest-qt), for the GUI tests of several modules:
``open_window`` opens a project as a given user; the ``gui`` fixture (with its ``Gui`` helpers) and the
``window`` fixture open a private copy of the demo project. A test module uses a fixture by importing it."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from evaluator.models import Score
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window
from evaluator.ui.main_window import MainWindow


def open_window(db: Path, qtbot: Any, name: str, role: str) -> MainWindow:
    application("vi")
    ctx, win = build_window(UserSettings(name=name, role=role, device_id="t"), persist=False)
    qtbot.addWidget(win)
    win.show()
    win.open_project(str(db))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    return win


class Gui:
    def __init__(self, window: MainWindow, qtbot: Any):
        self.window, self.qtbot = window, qtbot
        self.ctx = window.ctx
        self.ws = window.workspace
        self.detail = window.workspace.detail

    def stored(self, code: str, leaf: str, stage: str) -> Score | None:
        def q(s: Any) -> Score | None:
            a_id = self.assessment(code)
            return s.scalars(
                select(Score).where(
                    Score.assessment_id == a_id, Score.criterion_code == leaf, Score.stage == stage
                )
            ).first()

        return self.ctx.read(q)

    def assessment(self, code: str) -> Any:
        for a_id, item in self.ws.units.items.items():
            if item.text(0) == code:
                return a_id
        raise KeyError(code)

    def leaf_of_kind(self, kind: str, *, input_: str | None = None, source: str = "appraisal") -> str:
        sheet = self.ws.sheet
        assert sheet is not None
        for row in sheet.leaves():
            rule = sheet.node(row.code).rule
            assert rule is not None
            if rule.kind == kind and row.source == source and (input_ is None or rule.input == input_):
                return row.code
        raise LookupError(kind)

    def choose(self, leaf: str, stage: str) -> None:
        assert self.ws.jump(leaf)
        combo = self.detail.stage_combo
        combo.setCurrentIndex(combo.findData(stage))
        assert self.detail.current_stage() == stage

    def header_index(self) -> str:
        return self.ws.header.text()


@pytest.fixture
def gui(demo_copy: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gui]:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    application("vi")
    settings = UserSettings(name="Người Kiểm Thử", role="committee", device_id="test")
    ctx, window = build_window(settings, persist=False)
    qtbot.addWidget(window)
    window.show()
    window.open_project(str(demo_copy))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    g = Gui(window, qtbot)
    g.detail.ask_reason = lambda: "Lý do kiểm thử"
    assert g.ws.select_unit("SO01")
    yield g
    window.close()


@pytest.fixture
def window(
    demo_copy: Path, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[MainWindow]:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    application("vi")
    ctx, win = build_window(UserSettings(name="Thư Ký", role="committee", device_id="t"), persist=False)
    qtbot.addWidget(win)
    win.show()
    win.open_project(str(demo_copy))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    yield win
    win.close()
