"""The "Năm mới…" wizard offscreen: the demo province from 2024 to 2025 (districts not carried), a pair
changed in the mapping table, evidence carried over, the year created through the operation mechanism; the
evidence panel marks a carried file "từ năm 2024" and confirms it. ``NEW_YEAR_SHOTS=1`` also writes
docs/screenshots/new-year-mapping.png (the mapping step at 1366×768)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from PySide6.QtCore import Qt
from sqlalchemy import func, select
from ui_helpers import window  # noqa: F401  (fixture)

from evaluator.models import Assessment, CriteriaMapping, Evidence, Period, Unit
from evaluator.ui.app import application
from evaluator.ui.evidence_view import EvidencePanel
from evaluator.ui.main_window import MainWindow
from evaluator.ui.new_year_wizard import NewYearWizard

SHOTS = Path(__file__).resolve().parents[1] / "docs" / "screenshots"


def _combo_row(wizard: NewYearWizard, old_code: str) -> int:
    table = wizard.mapping_page.table
    return next(r for r in range(table.rowCount()) if table.item(r, 0).text() == old_code)


@pytest.mark.slow
def test_new_year_wizard(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:  # noqa: F811
    wizard = window.new_year_wizard()
    assert isinstance(wizard, NewYearWizard)
    years = wizard.years_page
    assert years.from_year.value() == 2024 and years.year.value() == 2025
    years.carry.setChecked(True)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page, years.problem.text()
    plan = wizard.plan
    assert plan is not None and {u.kind for u in plan.dropped} == {"district"}
    page = wizard.mapping_page
    assert [page.kind.itemData(i) for i in range(page.kind.count())] == ["department", "commune"]
    dept = plan.mappings["department"]
    assert page.table.rowCount() == len(dept.pairs)
    assert page.unmatched.count() == len(dept.unmatched_new) > 0
    # pair 1.1.1 with the new 1.1.2 through its combo: 1.1.2's old leaf loses its successor
    r = _combo_row(wizard, "1.1.1")
    combo = page.table.cellWidget(r, 2)
    combo.setCurrentIndex(combo.findData("1.1.2"))
    assert dept.as_dict()["1.1.1"] == "1.1.2" and dept.as_dict()["1.1.2"] is None
    r2 = _combo_row(wizard, "1.1.2")
    assert page.table.cellWidget(r2, 2).currentData() is None
    assert "1.1.1" in [page.unmatched.item(i).text().split()[0] for i in range(page.unmatched.count())]
    # the mapping step at 1366×768
    wizard.resize(1366, 768)
    qtbot.wait(50)
    out = SHOTS if os.environ.get("NEW_YEAR_SHOTS") else tmp_path
    image = wizard.grab()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(out / "new-year-mapping.png"))
    wizard.next()
    assert wizard.currentPage() is wizard.units_page  # no unit change: the units as they are
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    assert "2025" in wizard.preview_page.summary.text() and "H01" in wizard.preview_page.summary.text()
    wizard.accept()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=60_000)
    project = window.ctx.project
    assert project is not None
    with project.session() as s:
        kinds = set(s.scalars(select(Unit.kind).join(Assessment).join(Period).where(Period.year == 2025)))
        assert kinds == {"department", "commune"}
        row = s.scalars(select(CriteriaMapping).where(CriteriaMapping.year == 2025,
                                                      CriteriaMapping.unit_kind == "department",
                                                      CriteriaMapping.old_code == "1.1.1")).one()
        assert row.new_code == "1.1.2" and row.method == "file"
        carried = s.scalars(select(Evidence).where(Evidence.carried_from == 2024)).first()
        assert carried is not None and carried.carry_pending
        a_id, leaf = carried.assessment_id, carried.criterion_code
        pending = s.scalar(select(func.count()).select_from(Evidence).where(Evidence.carry_pending.is_(True)))
    # the evidence panel: the carried file says where it comes from, and is confirmed by its button
    panel = EvidencePanel(window.ctx)
    qtbot.addWidget(panel)
    panel.show()
    panel.show_leaf(a_id, leaf)
    r = next(i for i, info in enumerate(panel.items) if info.id == carried.id)
    assert "từ năm 2024" in panel.table.item(r, 0).text() and "chờ xác nhận" in panel.table.item(r, 0).text()
    assert panel.confirm_button.isVisibleTo(panel)
    panel.table.selectRow(r)
    assert panel.confirm_button.isEnabled()
    assert panel.confirm_current()
    text = panel.table.item(r, 0).text()
    assert "chờ xác nhận" not in text and "từ năm 2024" in text
    with project.session() as s:
        assert s.scalar(select(func.count()).select_from(Evidence)
                        .where(Evidence.carry_pending.is_(True))) == pending - 1


def test_wizard_refuses_a_year_that_exists(window: MainWindow, qtbot: Any) -> None:  # noqa: F811
    wizard = window.new_year_wizard()
    assert wizard is not None
    wizard.years_page.from_year.setValue(2023)
    assert wizard.years_page.year.value() == 2024
    wizard.next()
    assert wizard.currentPage() is wizard.years_page
    assert "2024" in wizard.years_page.problem.text()
    wizard.reject()


def _select(page: Any, *codes: str) -> None:
    page.units.clearSelection()
    for i in range(page.units.count()):
        item = page.units.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in codes:
            item.setSelected(True)


def _units_step(window: MainWindow) -> NewYearWizard:  # noqa: F811
    wizard = window.new_year_wizard()
    assert isinstance(wizard, NewYearWizard)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page, wizard.years_page.problem.text()
    wizard.next()
    assert wizard.currentPage() is wizard.units_page
    return wizard


@pytest.mark.slow
def test_wizard_unit_step(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:  # noqa: F811
    project = window.ctx.project
    assert project is not None
    db = Path(project.path)
    before = project_fingerprint(db)
    wizard = _units_step(window)
    page = wizard.units_page
    assert page.units.count() > 50 and not page.merge_button.isEnabled()
    # two departments merged into a new one
    _select(page, "SO07", "SO08")
    assert page.merge_button.isEnabled() and not page.rename_button.isEnabled()
    page.code.setText("SO30")
    page.name.setText("Sở Xây dựng")
    page.merge_button.click()
    assert page.pending.count() == 1 and "SO07, SO08" in page.pending.item(0).text()
    so07 = next(page.units.item(i) for i in range(page.units.count())
                if page.units.item(i).data(Qt.ItemDataRole.UserRole) == "SO07")
    assert not so07.flags() & Qt.ItemFlag.ItemIsSelectable  # taken: greyed out
    # a rename, the districts retired, communes merged, a new unit
    _select(page, "SO19")
    page.code.setText("SO24")
    page.name.setText("Sở Dân tộc và Tôn giáo")
    assert page.rename()
    page.kind.setCurrentIndex(page.kind.findData("district"))
    assert page.retire()
    _select(page, "X0101", "X0102", "X0103")
    page.code.setText("X2501")
    page.name.setText("UBND phường An Khánh")
    assert page.merge()
    page.code.setText("SO31")
    page.name.setText("Sở Ngoại vụ và Hợp tác")
    page.kind.setCurrentIndex(page.kind.findData("department"))
    assert page.add()
    # a unit already in a change, a district (kind retired) cannot be picked; a commune merged with a
    # department is refused, named, not listed
    _select(page, "SO08", "SO09", "H02")
    assert page.selected() == ("SO09",)
    page.code.setText("SO32")
    page.name.setText("Sở A")
    _select(page, "SO09", "X0201")
    assert not page.merge() and "X0201" in page.problem.text()
    assert page.pending.count() == 5
    # a change taken back
    page.pending.setCurrentRow(4)
    page.remove()
    assert page.pending.count() == 4
    assert wizard.plan is not None and not [c for c in wizard.plan.reorganise if c.action == "add"]
    # an added unit without a code: refused with the service's words
    page.code.clear()
    page.name.setText("Sở B")
    assert not page.add() and page.problem.text() and page.pending.count() == 4
    page.code.textEdited.emit("S")  # typing again clears the refusal
    assert not page.problem.text()
    # the unit step at 1366×768
    wizard.resize(1366, 768)
    _select(page, "SO03", "SO04")
    page.code.setText("SO03")
    page.name.setText("Sở Tài chính")
    qtbot.wait(50)
    out = SHOTS if os.environ.get("NEW_YEAR_SHOTS") else tmp_path
    image = wizard.grab()
    assert (image.width(), image.height()) == (1366, 768)
    assert image.save(str(out / "new-year-units.png"))
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    details = wizard.preview_page.details.toPlainText()
    assert "SO30" in details and "SO07" in details and "SO24" in details and "X2501" in details
    assert "4" in wizard.preview_page.summary.text()
    # the dry run wrote nothing
    assert project_fingerprint(db) == before
    wizard.accept()
    qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=60_000)
    with project.session() as s:
        assessed = set(s.scalars(select(Unit.code).join(Assessment).join(Period).where(Period.year == 2025)))
        assert {"SO30", "SO24", "X2501"} <= assessed
        assert not {"SO07", "SO08", "SO19", "X0101", "H01", "SO31"} & assessed
        assert s.scalars(select(Unit).where(Unit.code == "SO07")).one().retired_at is not None


@pytest.mark.slow
def test_wizard_unit_step_in_english(window: MainWindow, qtbot: Any, tmp_path: Path) -> None:  # noqa: F811
    application("en")
    try:
        wizard = _units_step(window)
        page = wizard.units_page
        assert page.merge_button.text() == "Merge the selected units into the code above"
        _select(page, "SO07", "SO08")
        page.code.setText("SO30")
        page.name.setText("Sở Xây dựng")
        assert page.merge()
        assert page.pending.item(0).text().startswith("Merge SO07, SO08 into SO30")
        wizard.resize(1366, 768)
        _select(page, "SO19")
        page.code.setText("SO24")
        qtbot.wait(50)
        out = SHOTS if os.environ.get("NEW_YEAR_SHOTS") else tmp_path
        assert wizard.grab().save(str(out / "new-year-units-en.png"))
        wizard.reject()
    finally:
        application("vi")
