"""The "Năm mới…" wizard offscreen: the demo province from 2024 to 2025 (districts not carried), a pair
changed in the mapping table, evidence carried over, the year created through the operation mechanism; the
evidence panel marks a carried file "từ năm 2024" and confirms it. ``NEW_YEAR_SHOTS=1`` also writes
docs/screenshots/new-year-mapping.png (the mapping step at 1366×768)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from ui_helpers import window  # noqa: F401  (fixture)

from evaluator.models import Assessment, CriteriaMapping, Evidence, Period, Unit
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
