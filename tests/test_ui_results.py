"""Results dashboard, audit view, the ``evaluator gui --screenshot`` command and the language switch,
through the real widgets on a real project file (pytest-qt, offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import csv
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage

from evaluator.ui.app import install_language
from evaluator.ui.labels import action_label, num
from evaluator.ui.main_window import MainWindow
from evaluator.ui.results_view import RankingModel

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _results(win: MainWindow, qtbot: Any) -> Any:
    rv = win.results
    with qtbot.waitSignal(rv.computed, timeout=30_000):
        win.show_view("results")
    return rv


@pytest.mark.slow
def test_results_ranking_charts_and_exports(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    rv = _results(window, qtbot)
    assert rv.kind_combo.currentData() == "department"
    model, proxy = rv.model, rv.proxy
    assert model.rowCount() == 22
    first = [proxy.index(0, c).data() for c in range(model.columnCount())]
    assert first[0] == "1" and first[6] in ("Xuất sắc", "Tốt", "Khá", "Trung bình", "Yếu")
    assert "chỉ số trung bình" in rv.summary.text()
    assert rv.classes.rowCount() == 5
    shares = sum(float(rv.classes.item(r, 2).text().replace(",", ".")) for r in range(5))
    assert shares == pytest.approx(100)
    assert rv.areas.rowCount() >= 7 and rv.areas.item(0, 2).text()
    # charts have data
    assert rv.index_chart.chart().series() and rv.class_chart.chart().series()
    assert rv.area_chart.chart().series()[0].barSets()[0].count() == rv.areas.rowCount()
    year_sets = rv.year_chart.chart().series()[0].barSets()
    assert len(year_sets) == 2 and year_sets[0].count() == 2
    assert year_sets[1].label() == rv.unit_label(rv.selected_code())
    # class colours on the class column
    assert proxy.index(0, 6).data(Qt.ItemDataRole.ForegroundRole) is not None
    # sorting and filtering
    rv.table.sortByColumn(5, Qt.SortOrder.AscendingOrder)
    low = proxy.index(0, 5).data().replace(",", ".")
    high = proxy.index(21, 5).data().replace(",", ".")
    assert float(low) <= float(high)
    rv.filter.setText("Sở Tư pháp")
    assert proxy.rowCount() == 1 and proxy.index(0, 2).data() == "SO02"
    rv.filter.clear()
    # kinds
    rv.kind_combo.setCurrentIndex(rv.kind_combo.findData("commune"))
    assert model.rowCount() == 40
    # exports (worker thread) — a real xlsx and csv
    xlsx, csv_path = tmp_path / "xep-hang.xlsx", tmp_path / "xep-hang.csv"
    job = rv.export(xlsx)
    assert job is not None
    qtbot.waitUntil(job.finished.is_set, timeout=20_000)
    qtbot.waitUntil(lambda: "Đã xuất" in rv.message.text(), timeout=5_000)
    book = load_workbook(xlsx)
    sheet = book["Xếp hạng"]
    assert sheet.max_row == 2 + 40
    codes = {sheet.cell(r, 3).value for r in range(3, 43)}
    assert codes == {model.rows[i]["code"] for i in range(40)}
    top = next(u for u in model.rows if u["rank"] == 1)
    row = next(r for r in range(3, 43) if sheet.cell(r, 3).value == top["code"])
    assert sheet.cell(row, 7).value == top["index"] and sheet.cell(row, 8).value == top["class_label"]
    job = rv.export(csv_path)
    assert job is not None
    qtbot.waitUntil(job.finished.is_set, timeout=20_000)
    with csv_path.open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert len(table) == 41 and table[0][2] == "Mã"


@pytest.mark.slow
def test_the_empty_ranking_group_column_is_hidden(window: MainWindow, qtbot: Any) -> None:
    """A kind ranked as one group (the demo's departments): no "Nhóm xếp hạng" column, so the unit names
    get its room (it took 130 px at 1366×768 while the names were cut after 8 letters)."""
    rv = _results(window, qtbot)
    group = RankingModel.KEYS.index("group")
    rows = range(rv.model.rowCount())
    assert rows and not any(rv.model.index(r, group).data() for r in rows)
    assert rv.table.isColumnHidden(group)


def test_results_follow_an_edit(window: MainWindow, qtbot: Any) -> None:
    rv = _results(window, qtbot)
    before = {u["code"]: u["points"] for u in rv.model.rows}
    window.show_view("workspace")
    ws = window.workspace
    assert ws.select_unit("SO01")
    sheet = ws.sheet
    assert sheet is not None
    leaf = next(r.code for r in sheet.leaves() if r.points > 0 and sheet.node(r.code).rule.kind == "binary")  # type: ignore[union-attr]
    ws.detail.ask_reason = lambda: "Không đạt"
    ws.jump(leaf)
    ws.detail.stage_combo.setCurrentIndex(ws.detail.stage_combo.findData("appraisal2"))
    assert ws.detail.input is not None and ws.detail.input.check is not None
    ws.detail.input.check.setChecked(False)
    assert ws.detail.save()
    with qtbot.waitSignal(rv.computed, timeout=30_000):
        window.show_view("results")
    after = {u["code"]: u["points"] for u in rv.model.rows}
    assert after["SO01"] == pytest.approx(float(sheet.score.points))  # type: ignore[union-attr]
    assert after["SO01"] < before["SO01"]
    row = next(u for u in rv.model.rows if u["code"] == "SO01")
    assert num(row["index"]) == num(sheet.score.index)  # type: ignore[union-attr]


def test_audit_view_shows_the_edit(window: MainWindow, qtbot: Any) -> None:
    ws = window.workspace
    assert ws.select_unit("SO02")
    sheet = ws.sheet
    assert sheet is not None
    leaf = next(r.code for r in sheet.leaves() if sheet.node(r.code).rule.kind == "count")  # type: ignore[union-attr]
    ws.detail.ask_reason = lambda: "Thêm một sáng kiến"
    ws.jump(leaf)
    ws.detail.stage_combo.setCurrentIndex(ws.detail.stage_combo.findData("appraisal2"))
    inp = ws.detail.input
    assert inp is not None and inp.count is not None
    inp.count.setValue(inp.count.value() + 1)
    ws.detail.note.setText("Kiểm tra thực tế")
    assert ws.detail.save()
    window.show_view("audit")
    audit = window.audit
    audit.unit_filter.setText("Thư Ký")
    audit.reload()
    assert audit.model.rowCount() >= 1
    cells = [audit.model.text(0, c) for c in range(audit.COLUMNS)]
    assert cells[1] == "Thư Ký" and cells[3] == "Ghi điểm" and cells[5] == leaf
    assert cells[4].startswith("SO02") and cells[6] == "Thẩm định vòng 2"
    assert "→" in cells[7] and cells[8] in ("Kiểm tra thực tế", "Thêm một sáng kiến")
    audit.criterion_filter.setText("no-such-code")
    audit.reload()
    assert audit.model.rowCount() == 0


@pytest.mark.slow
def test_audit_view_pages_through_older_events(window: MainWindow, qtbot: Any) -> None:
    from evaluator.services.audit import count_audit, query_audit

    window.show_view("audit")
    audit = window.audit
    audit.PAGE = 7  # the demo has far fewer than the real 2,000 a page
    audit.refilter()
    total = window.ctx.read(count_audit)
    assert total > 3 * audit.PAGE and audit.total == total
    assert audit.model.rowCount() == 7 and audit.more_button.isVisibleTo(audit)
    assert audit.count.text() == f"7 / {total} sự kiện (mới nhất trước)"
    assert audit.more_button.text() == "Xem thêm 7 sự kiện cũ hơn"
    newest = [audit.model.text(r, 0) for r in range(7)]
    audit.more_button.click()
    assert audit.model.rowCount() == 14
    assert [audit.model.text(r, 0) for r in range(7)] == newest  # older ones come below
    everything = window.ctx.read(lambda s: query_audit(s, limit=total))
    assert [e.id for e in audit.rows] == [e.id for e in everything[:14]]
    page2 = window.ctx.read(lambda s: query_audit(s, limit=7, offset=7))
    assert [e.id for e in page2] == [e.id for e in everything[7:14]]
    # new filters start from the newest page again, counted with the same filters
    audit.action_combo.setCurrentIndex(audit.action_combo.findData("score.set"))
    wanted = window.ctx.read(lambda s: count_audit(s, action="score.set"))
    assert audit.total == wanted and audit.model.rowCount() == min(7, wanted)
    assert {audit.model.text(r, 3) for r in range(audit.model.rowCount())} == {"Ghi điểm"}
    audit.PAGE = wanted + 100
    audit.refilter()
    assert audit.model.rowCount() == wanted and not audit.more_button.isVisibleTo(audit)
    assert audit.count.text() == f"{wanted} sự kiện (mới nhất trước)"


@pytest.mark.slow
def test_screenshot_command(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qapp: Any
) -> None:
    from evaluator.cli.main import main

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    for view in ("workspace", "results"):
        target = tmp_path / f"{view}.png"
        assert main(["gui", "--db", str(demo_db), "--screenshot", str(target), "--view", view]) == 0
        image = QImage(str(target))
        assert not image.isNull() and image.width() >= 1200 and image.height() >= 700


def test_english_is_switchable(qapp: Any) -> None:
    try:
        assert install_language(qapp, "en")
        assert QCoreApplication.translate("labels", "Tự chấm") == "Self-assessment"
        assert QCoreApplication.translate("DetailPane", "Ghi điểm (Enter)") == "Save score (Enter)"
        assert num(1.5) == "1.50"
        # every audit action the services record has a label, in English too
        assert [action_label(a) for a in ("import.workbook", "import", "import.package", "unit.merge",
                                          "conflict.resolve")] == [
            "Consolidated import", "Score changed by a consolidated import", "Team package import",
            "Duplicate unit merged", "Conflict resolved"]
    finally:
        install_language(qapp, "vi")
    assert QCoreApplication.translate("labels", "Tự chấm") == "Tự chấm"
    assert num(1.5) == "1,50"


@pytest.mark.slow
def test_results_can_be_cancelled_and_recomputed(window: MainWindow, qtbot: Any) -> None:
    rv = _results(window, qtbot)
    job = rv.recompute()
    assert job is not None and rv.cancel_button.isVisible()
    rv.cancel_button.click()
    qtbot.waitUntil(job.finished.is_set, timeout=30_000)
    qtbot.waitUntil(lambda: rv.message.text() == "Đã huỷ.", timeout=5_000)
    assert rv.stale and not rv.progress.isVisible()
    with qtbot.waitSignal(rv.computed, timeout=30_000):
        rv.recompute()
    assert rv.model.rowCount() == 22 and not rv.stale


def test_workspace_kind_filter(window: MainWindow) -> None:
    ws = window.workspace
    ws.kind_combo.setCurrentIndex(ws.kind_combo.findData("district"))
    assert ws.units.topLevelItemCount() == 8
    assert all(ws.units.topLevelItem(i).text(0).startswith("H") for i in range(8))  # type: ignore[union-attr]
    ws.year_combo.setCurrentIndex(ws.year_combo.findData(2023))
    assert ws.kind_combo.currentData() is None and ws.units.topLevelItemCount() > 0


def test_area_titles_follow_the_language(window: MainWindow, qtbot: Any, qapp: Any) -> None:
    """The component indices list each area by its criteria set's English title in the English interface
    (the Vietnamese one otherwise)."""
    from evaluator.services import dashboard

    rv = _results(window, qtbot)
    results, kind = rv.current()
    areas = dashboard.area_indices(results, kind, rv.selected_code())
    english = {a.code: results.frameworks[kind].nodes[a.code].title_en for a in areas}
    assert all(english[a.code] and english[a.code] != a.title for a in areas)
    vietnamese = [rv.areas.item(r, 0).text() for r in range(rv.areas.rowCount())]
    assert vietnamese == [f"{a.code}. {a.title}" for a in areas]
    try:
        assert install_language(qapp, "en")
        rv._unit_chosen()
        assert [rv.areas.item(r, 0).text() for r in range(rv.areas.rowCount())] == [
            f"{a.code}. {english[a.code]}" for a in areas]
    finally:
        install_language(qapp, "vi")


@pytest.fixture
def grouped(demo_copy: Path) -> Path:
    """Two departments of the demo ranked apart (a ranking group of their own), before the window opens."""
    from evaluator.cli.main import main

    for code in ("SO01", "SO02"):
        assert main(["units", "edit", "--db", str(demo_copy), code, "--group", "Đặc thù"]) == 0
    return demo_copy


def test_the_ranking_shows_each_ranking_group_apart(grouped: Path, window: MainWindow, qtbot: Any) -> None:
    """Ranks are within each group, as the results JSON and the command line's table give them: the table
    names each unit's group, and the summary gives the other groups' counts and mean indices."""
    from evaluator.services.results import compute_year

    rv = _results(window, qtbot)
    model = rv.model
    assert model.headerData(7, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole) == "Nhóm xếp hạng"
    rows = {model.index(r, 2).data(): (model.index(r, 0).data(), model.index(r, 7).data())
            for r in range(model.rowCount())}
    assert rows["SO01"][1] == rows["SO02"][1] == "Đặc thù" and rows["SO03"][1] == ""
    assert not rv.table.isColumnHidden(7)  # shown: some units rank in a group of their own
    assert sorted(rows[c][0] for c in ("SO01", "SO02")) == ["1", "2"]  # ranked among themselves
    assert sorted(int(r) for r, g in rows.values() if g == "") == list(range(1, 21))
    with window.ctx.project.session() as s:
        data = compute_year(s, rv.year_combo.currentData()).to_json("department")
    special = data["groups"]["department"]["Đặc thù"]
    text = rv.summary.text()
    assert f"Nhóm xếp hạng Đặc thù: {special['units']} đơn vị, chỉ số trung bình" in text
    assert text.count("chỉ số trung bình") == 2
