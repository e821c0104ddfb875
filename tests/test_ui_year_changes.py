"""The results view's "So với năm trước" tab and the workspace's last-year line across a reorganisation:
a merged unit says it is compared with its predecessors' mean (no rank change) and labels each inherited
lost point with its source unit; a renamed one names the unit it was."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from evaluator.services.shortcomings import NOT_FIXED, LeafOutcome, Shortcoming, UnitChanges
from evaluator.ui import formats
from evaluator.ui.year_changes import YearChangesPanel


def _changes(basis: str, predecessors: tuple[str, ...], rank: int | None) -> UnitChanges:
    lost = Shortcoming("1.1.1", "Ban hành kế hoạch CCHC", Decimal("0.25"), Decimal("0.5"), "Chậm",
                       "2.1.1", Decimal("0.25"), Decimal("0.5"), NOT_FIXED, unit=predecessors[0])
    return UnitChanges(2024, Decimal("85.10"), Decimal("80.05"), rank, [], [], [], [lost], basis,
                       predecessors)


def test_merged_unit_panel(qtbot: Any) -> None:
    panel = YearChangesPanel()
    qtbot.addWidget(panel)
    panel.show_changes(_changes("merged", ("SO07", "SO08"), None))
    shown = panel.toPlainText()
    assert "bình quân của SO07, SO08" in shown and "không so thứ hạng" in shown
    index = formats.index
    assert f"{index(Decimal('80.05'))} → {index(Decimal('85.10'))}" in shown
    assert f"+{index(Decimal('5.05'))}" in shown
    assert "[SO07] 1.1.1. Ban hành kế hoạch CCHC" in shown
    assert "bậc" not in shown


def test_renamed_unit_panel(qtbot: Any) -> None:
    panel = YearChangesPanel()
    qtbot.addWidget(panel)
    panel.show_changes(_changes("renamed", ("SO19",), 3))
    shown = panel.toPlainText()
    assert "Đơn vị đổi tên: so với SO19" in shown and "tăng 3 bậc" in shown
    panel.show_changes(_changes("same", ("",), 0))
    assert "so với" not in panel.toPlainText().replace("So với", "")


def test_last_year_line_names_the_predecessor(qtbot: Any) -> None:
    from types import SimpleNamespace

    from evaluator.ui.detail import DetailPane

    old = LeafOutcome("1.1.1", "Kế hoạch", Decimal("0.25"), Decimal("0.5"), False, True, "Chậm", "appraisal2",
                      unit="SO07")
    sheet = SimpleNamespace(last_year={"2.1.1": [old, LeafOutcome("2.1.1", "Kế hoạch", Decimal("0.5"),
                                                                  Decimal("0.5"), False, True)]})
    text = DetailPane.last_year_text(SimpleNamespace(tr=lambda s: s), sheet, "2.1.1")  # type: ignore[arg-type]
    quarter, half = formats.points(Decimal("0.25")), formats.points(Decimal("0.5"))
    assert text.splitlines() == [f"Năm trước (SO07 1.1.1): {quarter} / {half} — Chậm",
                                 f"Năm trước: {half} / {half}"]
