"""The district councils from the GUI (pytest-qt, offscreen, a real project): the report setup dialog's
council selector shows the provincial council or a district's, keeps what was typed for one while another is
shown, stores the district's council in ``district_councils`` (and nothing else changes); the results view
shows the rank in the district when the set ranks by parent."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from test_ui_report_setup import open_dialog, stored
from test_ui_report_setup import window as window

from evaluator.services.report_setup import DISTRICTS, empty_council
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_the_council_selector_edits_each_districts_council(window: MainWindow, qtbot: Any, demo_copy: Path):
    d = open_dialog(window, qtbot)
    assert d.council_of.count() == 1 + 8 and d.council_of.isVisibleTo(d)
    d.chair_name.setText("Phạm Quốc Trung")
    d.council_of.setCurrentIndex(d.council_of.findData("H01"))
    # a district's council starts empty, with its own header and place as placeholders
    assert d.chair_name.text() == "" and d.body1.placeholderText() == "UBND THÀNH PHỐ AN KHÁNH"
    assert (d.body2.placeholderText(), d.place.placeholderText()) == ("HỘI ĐỒNG THẨM ĐỊNH", "An Khánh")
    d.chair_name.setText("Nguyễn Văn Hùng")
    d.secretary_name.setText("Trần Thị Mai")
    d.council.add_row({"name": "Lê Văn Bình", "position": "Trưởng phòng Nội vụ", "role": "Thành viên"},
                      edit=False)
    d.council_of.setCurrentIndex(d.council_of.findData("H02"))
    assert d.chair_name.text() == "" and d.council.people() == []
    d.council_of.setCurrentIndex(0)
    assert d.chair_name.text() == "Phạm Quốc Trung" and d.body1.placeholderText() == "UBND TỈNH AN KHÁNH"
    assert d.save()
    value = stored(demo_copy)
    assert value["chair"]["name"] == "Phạm Quốc Trung"
    assert value[DISTRICTS] == {"H01": {
        **empty_council(),
        "chair": {"name": "Nguyễn Văn Hùng", "position": ""},
        "secretary": {"name": "Trần Thị Mai", "position": ""},
        "council": [{"name": "Lê Văn Bình", "position": "Trưởng phòng Nội vụ", "role": "Thành viên"}]}}
    # shown again from what is stored; emptying a district's council removes it
    d.council_of.setCurrentIndex(d.council_of.findData("H01"))
    assert d.chair_name.text() == "Nguyễn Văn Hùng" and len(d.council.people()) == 1
    d.chair_name.setText("")
    d.secretary_name.setText("")
    d.council.set_people([])
    assert d.edited() and d.save()
    assert stored(demo_copy)[DISTRICTS] == {} and stored(demo_copy)["chair"]["name"] == "Phạm Quốc Trung"


def test_the_results_view_shows_the_rank_in_district(window: MainWindow, qtbot: Any,
                                                     monkeypatch: pytest.MonkeyPatch):
    from PySide6.QtCore import Qt

    from evaluator.services import results as results_module
    from evaluator.services.frameworks import framework_of
    from evaluator.ui.results_view import RankingModel

    def scoped(row: Any) -> Any:
        fw = framework_of(row)
        return dataclasses.replace(fw, rank_scope="kind_and_parent") if "commune" in fw.unit_kinds else fw

    column = RankingModel.KEYS.index("rank_in_district")
    rv = window.results
    monkeypatch.setattr(results_module, "framework_of", scoped)
    with qtbot.waitSignal(rv.computed, timeout=60_000):
        window.show_view("results")
    assert rv.kind_combo.currentData() == "department" and rv.table.isColumnHidden(column)  # sets by kind
    rv.kind_combo.setCurrentIndex(rv.kind_combo.findData("commune"))
    assert rv.model.rowCount() == 40 and not rv.table.isColumnHidden(column)
    header = rv.model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
    assert header == "Hạng trong huyện"
    ranks = [rv.model.index(r, column).data() for r in range(40)]
    assert ranks.count("1") == 8 and {int(r) for r in ranks} == {1, 2, 3, 4, 5}  # 8 districts of 5 communes


def test_the_handout_dialog_hands_a_district_and_its_communes_out(window: MainWindow, qtbot: Any,
                                                                  tmp_path: Path):
    dialog = window.handout_dialog()
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert dialog.district.count() == 1 + 8
    dialog.district.setCurrentIndex(dialog.district.findData("H02"))
    assert dialog.units.checked_codes() == ["H02", *(f"X02{c:02d}" for c in range(1, 6))]
    dialog.team.setText("Hội đồng huyện H02")
    out = tmp_path / "h02.cchc"
    dialog.out.setText(str(out))
    with qtbot.waitSignal(dialog.written, timeout=60_000) as blocker:
        dialog.write()
    assert out.is_file() and blocker.args[0].units == ["H02", *(f"X02{c:02d}" for c in range(1, 6))]
