"""One number and date format in every view, in both languages (issue #16, 3 and 6): points and indices
always with two decimals and the language's decimal sign ("0,50" / "0.50"), dates dd/mm/yyyy with
four-digit years — the formatter itself (``ui/formats.py``), the rule in words and the stage table of the
detail pane, the audit log, the conflict view, the results view and its "over the years" chart, whose
units are named by their short names (pytest-qt, offscreen, the demo project)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import copy
from exchange_helpers import edit as merge_edit
from PySide6.QtWidgets import QLabel
from sqlalchemy import select

from evaluator.frameworks.model import Rule
from evaluator.models import Unit, open_project
from evaluator.scoring import describe
from evaluator.services.exchange import export_package, import_packages
from evaluator.services.users import UserSettings
from evaluator.ui import formats
from evaluator.ui.app import application, build_window, install_language
from evaluator.ui.audit_view import audit_cells
from evaluator.ui.main_window import MainWindow

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

DOT_DECIMAL = re.compile(r"\d\.\d")
COMMA_DECIMAL = re.compile(r"\d,\d")
NUMBER = re.compile(r"\d+[.,]\d+")
DATE = re.compile(r"\b\d{2}/\d{2}/(\d{2,4})\b")


def check_numbers(texts: list[str], language: str, decimals: int = 2) -> None:
    """No decimal in the other language's notation, every decimal number with ``decimals`` decimals."""
    wrong = DOT_DECIMAL if language == "vi" else COMMA_DECIMAL
    joined = "\n".join(texts)
    assert not wrong.search(joined), joined
    found = NUMBER.findall(joined)
    assert found, joined
    assert all(len(re.split("[.,]", n)[1]) == decimals for n in found), found


def check_dates(texts: list[str]) -> None:
    years = [m.group(1) for t in texts for m in DATE.finditer(t)]
    assert years and all(len(y) == 4 for y in years), texts


@pytest.fixture
def speak(qapp: Any) -> Iterator[Any]:
    """Switch the interface language for a test; Vietnamese again afterwards."""
    application("vi")
    yield lambda language: install_language(qapp, language)
    install_language(qapp, "vi")


# --- the formatter ------------------------------------------------------------------------------------
def test_formatter_in_both_languages(speak: Any) -> None:
    from datetime import UTC, datetime

    for language, point in (("vi", ","), ("en", ".")):
        speak(language)
        assert formats.points(Decimal("0.5")) == f"0{point}50"
        assert formats.points(0.25) == f"0{point}25"
        assert formats.points(Decimal("0.125")) == f"0{point}13"  # half-up from the exact value, not 0.12
        assert formats.index(Decimal("83.575")) == f"83{point}58"
        assert formats.index(100) == f"100{point}00"
        assert formats.points(Decimal("1234.5")) == f"1234{point}50"  # no group separator to misread
        assert formats.points(Decimal("-0.001")) == f"0{point}00"
        assert formats.points(None) == formats.points("abc") == formats.points(float("nan")) == ""
        assert formats.plain(Decimal("80")) == "80" and formats.plain(Decimal("0.25")) == f"0{point}25"
        moment = datetime(2026, 12, 2, 3, 4, 5, tzinfo=UTC)
        assert re.fullmatch(r"0[23]/12/2026 \d\d:04", formats.moment(moment))
        assert formats.moment(moment, seconds=True).endswith(":04:05")
        assert formats.moment(moment.isoformat()) == formats.moment(moment)
        assert formats.day(moment.date()) == "02/12/2026"
        assert formats.moment("not a time") == "not a time" and formats.moment(None) == ""


def test_rule_in_words_takes_the_formatter(speak: Any) -> None:
    """``scoring.describe`` gets the formatter as arguments (the scoring layer imports no UI): every
    number of points with two decimals ("0.5 điểm; … 0.25 điểm" was the complaint)."""
    from evaluator.frameworks import load_framework
    from evaluator.resources import resource

    sets = sorted(resource("frameworks").glob("*.yaml"))
    assert sets
    framework = load_framework(sets[0])
    speak("vi")
    kinds = {"options", "bands", "count", "manual", "binary"}
    seen: set[str] = set()
    for node in framework.nodes.values():
        rule = node.rule
        if not node.is_leaf or not isinstance(rule, Rule) or rule.kind not in kinds:
            continue
        kind = next(k for k in ("department", "district", "commune") if node.applies_to(k))
        text = describe(node, kind, formats.points, formats.plain)
        assert not DOT_DECIMAL.search(text), text
        points = re.findall(r"(\d+(?:[.,]\d+)?) điểm", text) + re.findall(r"bước (\d+(?:[.,]\d+)?)", text)
        assert all(re.fullmatch(r"\d+,\d\d", p) for p in points), text
        seen.update([rule.kind] if points else [])
    assert {"options", "count"} <= seen


def test_rule_in_words_speaks_the_interface_language(speak: Any) -> None:
    """In English the rule is English words around the set's labels (it was Vietnamese in both), with the
    English decimal point; without a language, Vietnamese as the documents print it."""
    from evaluator.frameworks import load_framework
    from evaluator.resources import resource

    framework = load_framework(sorted(resource("frameworks").glob("*.yaml"))[0])
    speak("en")
    words = re.compile("điểm|Thực hiện|từ|trở lên|tối đa|Tỷ lệ|Chấm|mỗi|Theo")
    seen: set[str] = set()
    for node in framework.nodes.values():
        rule = node.rule
        if not node.is_leaf or not isinstance(rule, Rule):
            continue
        kind = next(k for k in ("department", "district", "commune") if node.applies_to(k))
        english = describe(node, kind, formats.points, formats.plain, language="en")
        labels = [lv.label or lv.code for lv in rule.levels] if rule.kind == "options" else []
        rest = english
        for label in labels:
            rest = rest.replace(label, "")
        assert not words.search(rest), english
        assert "," not in "".join(re.findall(r"\d+[.,]\d\d", english)), english
        assert "điểm" in describe(node, kind).lower()  # the default: Vietnamese
        seen.add(rule.kind)
    assert {"binary", "options", "bands", "count"} <= seen


# --- the views ------------------------------------------------------------------------------------------
@pytest.fixture
def conflicted(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The committee's copy of the demo project with one open conflict (H01 1.7) from a team package."""
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    committee, team = copy(demo_db, tmp_path, "committee"), copy(demo_db, tmp_path, "team")
    merge_edit(committee, "H01", "1.7", {"done": True}, "Hội đồng")
    merge_edit(team, "H01", "1.7", {"done": False}, "Tổ 3")
    with open_project(team) as project:
        export_package(project, tmp_path / "t.cchc", years=[2024], units=["H01"])
    with open_project(committee) as project:
        import_packages(project, [tmp_path / "t.cchc"])
    return committee


def open_as(db: Path, qtbot: Any, language: str, role: str = "committee") -> MainWindow:
    app = application(language)
    install_language(app, language)
    ctx, win = build_window(UserSettings(name="Người Kiểm Thử", role=role, device_id="t"), persist=False)
    qtbot.addWidget(win)
    win.show()
    win.open_project(str(db))
    qtbot.waitUntil(lambda: ctx.project is not None, timeout=20_000)
    return win


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_view_formats_alike(conflicted: Path, qtbot: Any, speak: Any, language: str) -> None:
    win = open_as(conflicted, qtbot, language)
    try:
        # The detail pane: the rule in words and the stage table (dates had two-digit years).
        ws = win.workspace
        assert ws.select_unit("H01")
        sheet = ws.sheet
        assert sheet is not None
        options = next(r.code for r in sheet.leaves() if sheet.node(r.code).rule.kind in ("options", "count"))
        ws.select_leaf(options)
        check_numbers([ws.detail.rule.text()], language)
        assert ws.select_unit("H01") and ws.jump("1.7")
        stage_cells = [ws.detail.stages.item(r, c).text() for r in range(ws.detail.stages.rowCount())
                       for c in (1, 4) if ws.detail.stages.item(r, c) is not None]
        check_numbers(stage_cells, language)
        check_dates(stage_cells)

        # The conflict view: the sides, the unit's own score, the maximum, the list ("0,75" beside "0.00").
        win.show_view("conflicts")
        view = win.conflicts
        qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
        texts = [view.title.text(), view.own.text(), view.model.text(0, 3)]
        texts += [label.text() for label in view.sides.findChildren(QLabel)]
        code = view.detail["criterion_code"]  # "1.7": a code, not a number
        check_numbers([re.sub("<[^>]+>", " ", t).replace(code, "") for t in texts], language)
        check_dates([label.text() for label in view.sides.findChildren(QLabel)])
        big = [label for label in view.sides.findChildren(QLabel) if "15pt" in label.text()]
        assert len(big) == 2  # the points of each side: never squeezed (the cut comma read as "0.00")
        assert all(label.height() >= label.sizeHint().height() for label in big)

        # The audit log: its old → new points and its times.
        win.show_view("audit")
        win.audit.reload()
        rows = win.audit.rows
        scored = [audit_cells(e) for e in rows if e.action in ("score.set", "conflict.resolve")][:50]
        assert scored
        check_numbers([c[7] for c in scored if c[7]], language)
        check_dates([c[0] for c in scored])

        # The results view: the ranking's points and index, the share of each class, the charts' numbers.
        rv = win.results
        with qtbot.waitSignal(rv.computed, timeout=60_000):
            win.show_view("results")
        cells = [rv.proxy.index(r, c).data() for r in range(rv.proxy.rowCount()) for c in (4, 5)]
        check_numbers([c for c in cells if c], language)
        check_numbers([rv.classes.item(r, 2).text() for r in range(rv.classes.rowCount())], language)
        rv.table.selectRow(0)
        qtbot.waitUntil(lambda: rv.year_chart.chart() is not None and bool(rv.year_chart.chart().series()))
        values = [b.at(i) for b in rv.year_chart.chart().series()[0].barSets() for i in range(b.count())]
        bar_values = [item.text() for item in rv.year_labels]
        assert len(bar_values) == len(values) == 4  # two years, the kind's mean and the unit
        assert bar_values == [formats.index(v) for v in values]
        check_numbers(bar_values, language)
        area = rv.year_chart.chart().plotArea()
        assert all(area.contains(item.pos()) and item.zValue() > 100 for item in rv.year_labels)  # seen
        for chart in (rv.index_chart.chart(), rv.area_chart.chart(), rv.year_chart.chart()):
            assert chart.localizeNumbers()  # the axes' numbers too
            # a localizing chart draws no axis label for "%d" (the axes went blank)
            assert all("d" not in a.labelFormat() for a in chart.axes() if hasattr(a, "labelFormat"))
    finally:
        win.close()


def test_charts_name_units_by_short_name(window: MainWindow, qtbot: Any) -> None:
    """The charts label a unit with its short name (its name when it has none), not its code (SO18…)."""
    from evaluator.services.units import edit_unit
    from evaluator.services.users import Actor

    ctx = window.ctx
    ctx.run(lambda s: edit_unit(s, "SO02", {"short_name": "STP"}, actor=Actor("Thư Ký", "committee", "t")))
    rv = window.results
    with qtbot.waitSignal(rv.computed, timeout=60_000):
        window.show_view("results")
    units = ctx.read(lambda s: {u.code: u.short_name or u.name for u in s.scalars(select(Unit))})
    assert units["SO02"] == "STP" and rv.unit_label("SO02") == "STP"
    assert rv.short_names == {code: units[code] for code in rv.short_names} and rv.short_names
    axis = next(a for a in rv.index_chart.chart().axes() if hasattr(a, "categories"))
    shown = rv.model.rows
    assert list(axis.categories()) == [units[u["code"]] for u in shown]
    assert not any(c in units for c in axis.categories())  # no code left on the axis
    code = rv.selected_code()
    assert code is not None
    year_sets = rv.year_chart.chart().series()[0].barSets()
    area_sets = rv.area_chart.chart().series()[0].barSets()
    assert year_sets[1].label() == units[code] == area_sets[1].label() != code
