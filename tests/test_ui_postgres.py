"""The desktop app on the committee's PostgreSQL server (issue #17): the main window opens a project by its
``postgresql+psycopg://`` address, an edit in the workspace lands on the server (and undoes), and a
read-only login opens the same project, reads the results and is refused an edit with a clear message,
nothing written. Before, a read-only login could not open the project at all: opening wrote this
computer's device row, which the server refuses to that login."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pg_cluster import Cluster, copy_rows
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from ui_helpers import Gui

from evaluator.models import Device, Score, open_project
from evaluator.services.server_roles import create_login, create_roles
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
PREFIX = "guipg"


@pytest.fixture(scope="module")
def server(pg_cluster: Cluster, demo_db: Path) -> Iterator[str]:
    name = pg_cluster.new_database()
    url = pg_cluster.url(name)
    copy_rows(str(demo_db), url)
    create_roles(url, prefix=PREFIX)
    for login, group in (("guipg_xem", "readonly"),):
        create_login(url, login, group, "mat-khau", prefix=PREFIX)
    try:
        yield url
    finally:
        pg_cluster.drop_database(name)


def _open(url: str, qtbot: Any, tmp_path: Path, role: str) -> Gui:
    application("vi")
    ctx, window = build_window(UserSettings(name="Người Kiểm Thử", role=role, device_id="t"), persist=False)
    qtbot.addWidget(window)
    window.show()
    window.open_project(url)
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=30_000)
    g = Gui(window, qtbot)
    g.detail.ask_reason = lambda: "Lý do kiểm thử"
    assert g.ws.select_unit("SO01")
    return g


def _binary_leaf(g: Gui) -> str:
    sheet = g.ws.sheet
    assert sheet is not None
    return next(r.code for r in sheet.leaves()
                if r.points > 0 and r.source == "appraisal" and sheet.node(r.code).rule.kind == "binary")


def _with_evidence_dir(url: str, folder: Path) -> str:
    query = {"evidence_dir": str(folder)}
    return make_url(url).update_query_dict(query).render_as_string(hide_password=False)


def test_the_committee_edits_on_the_server_and_undoes(server: str, qtbot: Any, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    g = _open(_with_evidence_dir(server, tmp_path / "evidence"), qtbot, tmp_path, "committee")
    sheet = g.ws.sheet
    assert sheet is not None and sheet.score is not None
    leaf, points = _binary_leaf(g), sheet.score.points
    g.choose(leaf, "appraisal2")
    assert g.detail.input is not None and g.detail.input.check is not None
    g.detail.input.check.setChecked(False)
    assert g.detail.save()
    assert sheet.score.points < points  # the leaf's points are gone (less, when its criterion was capped)
    stored = g.stored("SO01", leaf, "appraisal2")
    assert stored is not None and stored.points == 0
    g.window.undo_action.trigger()
    assert sheet.score.points == points
    with open_project(server) as project, project.session() as s:  # another program sees the server's data
        value = s.scalars(select(Score.points).where(
            Score.criterion_code == leaf, Score.stage == "appraisal2",
            Score.assessment_id == g.assessment("SO01"))).first()
        assert value is None or value == sheet.rows[leaf].max
    g.window.close()


def test_a_read_only_login_opens_reads_and_is_refused_an_edit(server: str, qtbot: Any, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    reader = make_url(server).set(username="guipg_xem").render_as_string(hide_password=False)
    with open_project(server) as project, project.session() as s:
        devices, scores = s.scalar(select(func.count()).select_from(Device)), s.scalar(
            select(func.count()).select_from(Score))
    g = _open(reader, qtbot, tmp_path, "committee")
    assert g.header_index()  # the unit's index is shown
    leaf = _binary_leaf(g)
    g.choose(leaf, "appraisal2")
    assert g.detail.input is not None and g.detail.input.check is not None
    g.detail.input.check.setChecked(not g.detail.input.check.isChecked())
    assert not g.detail.save()
    shown = g.detail.message.text()  # a refusal is said beside the value, nothing stored
    assert "guipg_xem" in shown and "không cho tài khoản" in shown, shown
    with open_project(server) as project, project.session() as s:
        assert s.scalar(select(func.count()).select_from(Device)) == devices
        assert s.scalar(select(func.count()).select_from(Score)) == scores
    g.window.close()
