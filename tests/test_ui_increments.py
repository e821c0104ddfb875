"""The export dialog offers "only what is new" (issue 17) once the project has exported a package, and says
which package it builds on; split volumes from the dialog; the import centre takes a volume (pytest-qt,
offscreen, real files)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import copy, edit
from ui_helpers import open_window

from evaluator.ui.exchange_dialogs import ExportDialog

pytestmark = [pytest.mark.filterwarnings("ignore::DeprecationWarning"), pytest.mark.slow]


def run_export(dialog: ExportDialog, qtbot: Any, out: Path) -> Any:
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=120_000) as blocker:
        dialog.export()
    return blocker.args[0]


def test_only_what_is_new_after_the_first_package(demo_db: Path, tmp_path: Path, qtbot: Any,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    team, committee = copy(demo_db, tmp_path, "team"), copy(demo_db, tmp_path, "committee")
    window = open_window(team, qtbot, "Tổ 3", "leader")
    first_dialog = window.export_dialog()
    assert isinstance(first_dialog, ExportDialog)
    qtbot.addWidget(first_dialog)
    # nothing exported yet: a full package, and the dialog says so
    assert not first_dialog.since_last.isChecked()
    assert "chưa xuất gói nào" in first_dialog.builds_on.text()
    first = run_export(first_dialog, qtbot, tmp_path / "ngay-1.cchc")
    assert not first.builds_on
    first_dialog.close()
    window.close()

    edit(team, "H01", "1.5.2", {"done": False}, "Tổ 3")
    window = open_window(team, qtbot, "Tổ 3", "leader")
    dialog = window.export_dialog()
    qtbot.addWidget(dialog)
    assert dialog.since_last.isChecked()  # checked by default after the first package
    assert "ngay-1.cchc" in dialog.builds_on.text() and first.package_id in dialog.builds_on.text()
    dialog.split.setChecked(True)
    dialog.volume_size.setText("abc")
    with qtbot.waitSignal(dialog.failed, timeout=10_000) as refused:
        dialog.export()
    assert "abc" in refused.args[0]
    dialog.split.setChecked(False)
    second = run_export(dialog, qtbot, tmp_path / "ngay-2.cchc")
    assert second.builds_on == [first.package_id] and second.revisions == 1
    assert "nối tiếp 1 gói trước" in dialog.status.toPlainText()
    with zipfile.ZipFile(tmp_path / "ngay-2.cchc") as zf:
        assert json.loads(zf.read("manifest.json"))["builds_on"][0]["package_id"] == first.package_id
    window.close()

    # the committee's import centre: the increment alone is refused, naming the package it builds on
    committee_window = open_window(committee, qtbot, "Chủ tịch Hội đồng", "committee")
    centre = committee_window.import_centre()
    qtbot.addWidget(centre)
    centre.add_file(tmp_path / "ngay-2.cchc")
    with qtbot.waitSignal(centre.failed, timeout=60_000):
        centre.preview()
    log = centre.log.toPlainText()
    assert "ngay-1.cchc" in log and "chưa nhập" in log and first.package_id in log
    centre.add_file(tmp_path / "ngay-1.cchc")
    with qtbot.waitSignal(centre.previewed, timeout=60_000) as previewed:
        centre.preview()
    assert previewed.args[0].dry_run and previewed.args[0].revisions_new == 1
