"""Shortcomings followed from one year to the next (``services.shortcomings``) and the ``changes`` of the
results JSON: a two-year project whose figures are worked out by hand, and the demo project (2023 → 2024,
same-code mapping) checked against the per-unit scoring path of the workspace."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from scoring_helpers import build, framework_doc, manual_leaf
from sqlalchemy import select

from evaluator.models import Assessment, Period, Unit, open_project
from evaluator.services.frameworks import framework_for_kind, store_framework
from evaluator.services.projects import create_project
from evaluator.services.results import compute_year
from evaluator.services.scores import set_score
from evaluator.services.shortcomings import (
    DROPPED,
    FIXED,
    NOT_APPLICABLE,
    NOT_FIXED,
    PENDING,
    unit_shortcomings,
)
from evaluator.services.workspace import load_unit

D = Decimal


def two_year_sets() -> list[Any]:
    """2023: areas 1 (1.1 binary 2, 1.2 manual 2, 1.3 manual 1) and 2 (2.1 manual 3, 2.2 manual 2).
    2024: 2.2 is dropped and 2.3 (manual 2) added; everything else keeps its code and maximum."""

    def area1() -> dict[str, Any]:
        return {
            "code": "1",
            "title": "Chỉ đạo, điều hành",
            "max": 5,
            "children": [
                {"code": "1.1", "title": "Kế hoạch CCHC", "max": 2, "rule": {"kind": "binary"}},
                manual_leaf("1.2", 2),
                manual_leaf("1.3", 1),
            ],
        }

    old = framework_doc(
        [
            area1(),
            {
                "code": "2",
                "title": "Thể chế",
                "max": 5,
                "children": [manual_leaf("2.1", 3), manual_leaf("2.2", 2)],
            },
        ],
        code="t-2023",
        year=2023,
    )
    new = framework_doc(
        [
            area1(),
            {
                "code": "2",
                "title": "Thể chế",
                "max": 5,
                "children": [manual_leaf("2.1", 3), manual_leaf("2.3", 2)],
            },
        ],
        code="t-2024",
        year=2024,
    )
    return [build(old), build(new)]


def _score(s: Any, a: Any, leaf: str, stage: str, points: Any = None, note: str = "", **kw: Any) -> None:
    if points is not None and leaf != "1.1":
        kw["value"] = {"points": str(points)}
    set_score(s, a, leaf, stage, note=note, author="t", **kw)


@pytest.fixture(scope="module")
def hand(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two districts, A and B, over 2023 and 2024 (points by hand, reasons as the council wrote them)."""
    db = tmp_path_factory.mktemp("hand") / "hand.db"
    with create_project(db, [2023, 2024], name="Tay", bundled=False) as project, project.session() as s:
        for fw in two_year_sets():
            store_framework(s, fw)
        ids = {}
        for code in ("A", "B"):
            unit = Unit(code=code, name=f"UBND {code}", kind="district")
            s.add(unit)
            s.flush()
            for year in (2023, 2024):
                period = s.scalars(select(Period).where(Period.year == year)).one()
                a = Assessment(
                    unit_id=unit.id,
                    period_id=period.id,
                    criteria_set_id=framework_for_kind(s, year, "district").id,
                )
                s.add(a)
                s.flush()
                ids[(code, year)] = a.id
        a = ids[("A", 2023)]
        _score(s, a, "1.1", "self", value={"done": True})
        _score(s, a, "1.2", "self", 2, "Đơn vị tự chấm")
        _score(s, a, "1.2", "appraisal1", "1.25", "Thiếu tài liệu kiểm chứng")  # lost 0.75
        _score(s, a, "1.3", "self", 1)
        _score(s, a, "1.3", "appraisal1", "0.5", "Báo cáo chậm")
        _score(s, a, "1.3", "explanation", 1, "Giải trình")
        _score(s, a, "1.3", "appraisal2", "0.5", "Giữ nguyên kết quả vòng 1")  # lost 0.5
        _score(s, a, "2.1", "self", 3)
        _score(s, a, "2.2", "self", 1, "Chưa hoàn thành")  # lost 1, dropped in 2024
        a = ids[("A", 2024)]
        _score(s, a, "1.1", "self", value={"done": True})
        _score(s, a, "1.2", "self", 2)  # fixed
        _score(s, a, "1.3", "self", "0.75")  # not fixed
        _score(s, a, "2.1", "self", "2.5")
        _score(s, a, "2.3", "self", 1)
        b = ids[("B", 2023)]
        _score(s, b, "1.1", "self", value={"done": True})
        for leaf, pts in (("1.2", 2), ("1.3", 1), ("2.1", 2), ("2.2", 2)):
            _score(s, b, leaf, "self", pts)
        b = ids[("B", 2024)]
        _score(s, b, "1.1", "self", value={"done": True})
        for leaf, pts in (("1.2", 1), ("1.3", 1), ("2.1", 3)):  # 2.3 left empty
            _score(s, b, leaf, "self", pts)
    return db


def test_lost_points_and_what_became_of_them_by_hand(hand: Path) -> None:
    with open_project(hand) as project, project.session() as s:
        a = {x.code: x for x in unit_shortcomings(s, 2024, "A")}
        b = {x.code: x for x in unit_shortcomings(s, 2024, "B")}
    assert list(a) == ["1.2", "1.3", "2.2"]  # 1.1 and 2.1 were at their max
    assert (a["1.2"].points, a["1.2"].max, a["1.2"].reason) == (D("1.25"), D(2), "Thiếu tài liệu kiểm chứng")
    assert (a["1.3"].points, a["1.3"].max, a["1.3"].reason) == (D("0.5"), D(1), "Giữ nguyên kết quả vòng 1")
    assert (a["2.2"].points, a["2.2"].reason) == (D(1), "Chưa hoàn thành")
    assert [(x.status, x.new_code, x.new_points) for x in a.values()] == [
        (FIXED, "1.2", D(2)),
        (NOT_FIXED, "1.3", D("0.75")),
        (DROPPED, None, None),
    ]
    # B lost one point on 2.1 in 2023 and made it up in 2024
    assert [(x.code, x.points, x.status) for x in b.values()] == [("2.1", D(2), FIXED)]


def test_changes_in_the_results_json_by_hand(hand: Path) -> None:
    with open_project(hand) as project, project.session() as s:
        data = compute_year(s, 2024).to_json()
        first = compute_year(s, 2023).to_json()
    units = {u["code"]: u for u in data["units"]}
    # A: 2023 2 + 1.25 + 0.5 + 3 + 1 = 7.75 / 10 → 77.50; 2024 2 + 2 + 0.75 + 2.5 + 1 = 8.25 / 10 → 82.50.
    # B: 2023 2 + 2 + 1 + 2 + 2 = 9 → 90.00 (rank 1); 2024 2 + 1 + 1 + 3 + 0 = 7 → 70.00 (rank 2).
    a, b = units["A"]["changes"], units["B"]["changes"]
    assert (a["previous_year"], a["index_change"], a["rank_change"]) == (2023, 5.0, 1)
    assert (b["index_change"], b["rank_change"]) == (-20.0, -1)
    # areas: A's area 1 3.75/5 = 75 → 4.75/5 = 95; area 2 4/5 = 80 → 3.5/5 = 70
    assert [(x["code"], x["previous_index"], x["index"], x["index_change"]) for x in a["areas"]] == [
        ("1", 75.0, 95.0, 20.0),
        ("2", 80.0, 70.0, -10.0),
    ]
    assert [(x["code"], x["previous_points"], x["points"], x["change"]) for x in a["gained"]] == [
        ("1.2", 1.25, 2.0, 0.75),
        ("1.3", 0.5, 0.75, 0.25),
    ]
    assert [(x["code"], x["change"]) for x in a["lost"]] == [("2.1", -0.5)]  # 2.3 is new: no last year
    assert a["shortcomings"] == {FIXED: 1, NOT_FIXED: 1, DROPPED: 1, PENDING: 0, NOT_APPLICABLE: 0}
    # B's 2.1 rose by 1; 1.2 fell by 1; 2.3 (empty) is new
    assert [(x["code"], x["change"]) for x in b["gained"]] == [("2.1", 1.0)]
    assert [(x["code"], x["change"]) for x in b["lost"]] == [("1.2", -1.0)]
    # the first year has nothing to compare with; every other field is still there
    assert all(u["changes"] is None for u in first["units"])
    assert list(units["A"])[-1] == "changes"  # extended: the fields before it kept their order


# --- the demo, 2023 → 2024 -------------------------------------------------------------------------------
def _expected(s: Any, code: str) -> list[tuple[str, Decimal, Decimal, str, str]]:
    """What the workspace's per-unit path says: (code, points, max, reason, status) of each 2023 leaf
    below its max, the status read from the 2024 sheet under the same code."""

    def sheet(year: int) -> Any:
        a_id = s.scalars(
            select(Assessment.id).join(Unit).join(Period).where(Unit.code == code, Period.year == year)
        ).one()
        return load_unit(s, a_id)

    old, new = sheet(2023), sheet(2024)
    assert old.score is not None and new.score is not None
    out = []
    for row in old.leaves():
        ns = old.score.nodes[row.code]
        if row.role != "scored" or ns.max == 0 or ns.points >= ns.max:
            continue
        stage = old.score.final_stage.get(row.code)
        reason = row.stages[stage].note if stage else ""
        now = new.score.nodes.get(row.code)
        if now is None or row.code not in new.rows or not new.rows[row.code].is_leaf:
            status = DROPPED  # no leaf of that code in 2024 (the code may name a criterion with children)
        elif new.score.final_stage.get(row.code) is None:
            status = PENDING
        elif now.max == 0:
            status = NOT_APPLICABLE
        else:
            status = FIXED if now.points >= now.max else NOT_FIXED
        out.append((row.code, ns.points, ns.max, reason, status))
    return out


@pytest.mark.slow  # scores every unit of three kinds in both years on both paths
def test_demo_shortcomings_match_the_per_unit_path(demo_db: Path) -> None:
    seen: Counter[str] = Counter()
    with open_project(demo_db) as project, project.session() as s:
        for code in ("SO01", "SO05", "H01", "X0101", "X0203"):
            got = [(x.code, x.points, x.max, x.reason, x.status) for x in unit_shortcomings(s, 2024, code)]
            assert got == _expected(s, code), code
            seen.update(x[4] for x in got)
        # a commune created in 2024 has no last year
        assert unit_shortcomings(s, 2024, "X0105") == []
    assert seen[FIXED] and seen[NOT_FIXED] and seen[DROPPED]


@pytest.mark.slow
def test_demo_changes_agree_with_the_ranking(demo_db: Path) -> None:
    with open_project(demo_db) as project, project.session() as s:
        now, before = compute_year(s, 2024).to_json(), compute_year(s, 2023).to_json()
    previous = {(u["code"], u["kind"]): u for u in before["units"]}
    for u in now["units"]:
        old = previous.get((u["code"], u["kind"]))
        if old is None:
            assert u["changes"] is None
            continue
        c = u["changes"]
        assert c["index_change"] == pytest.approx(u["index"] - old["index"], abs=1e-9)
        assert c["rank_change"] == old["rank"] - u["rank"] == u["rank_change"]
        old_areas = {a["code"]: a["index"] for a in old["areas"]}
        for a in c["areas"]:
            assert a["previous_index"] == old_areas.get(a["code"])
            if a["previous_index"] is not None and a["index"] is not None:
                assert a["index_change"] == pytest.approx(a["index"] - a["previous_index"], abs=1e-9)
        assert len(c["gained"]) <= 3 and len(c["lost"]) <= 3
        assert all(x["change"] > 0 for x in c["gained"]) and all(x["change"] < 0 for x in c["lost"])
        changes = [x["change"] for x in c["gained"]]
        assert changes == sorted(changes, reverse=True)


def test_cli_lists_each_units_shortcomings(hand: Path, run_cli: Any) -> None:
    import json

    code, out, err = run_cli("shortcomings", "--db", hand, "--year", 2024, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert (data["year"], data["previous_year"]) == (2024, 2023)
    a = data["units"]["A"]
    assert [(x["code"], x["points"], x["max"], x["reason"], x["status"], x["new_points"]) for x in a] == [
        ("1.2", 1.25, 2.0, "Thiếu tài liệu kiểm chứng", FIXED, 2.0),
        ("1.3", 0.5, 1.0, "Giữ nguyên kết quả vòng 1", NOT_FIXED, 0.75),
        ("2.2", 1.0, 2.0, "Chưa hoàn thành", DROPPED, None)]
    code, out, err = run_cli("shortcomings", "--db", hand, "--year", 2024, "--unit", "A", "--lang", "vi")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2 + 3 and "Tiêu chí năm trước" in lines[0]
    assert "1.25 / 2.00" in lines[2] and "đã khắc phục" in lines[2]
    assert "tiêu chí không còn" in lines[4]
    code, _out, err = run_cli("shortcomings", "--db", hand, "--year", 2024, "--unit", "ZZ", "--lang", "en")
    assert code == 1 and "No unit with code ZZ is assessed in 2024" in err
    code, out, _err = run_cli("shortcomings", "--db", hand, "--year", 2023, "--lang", "en")
    assert code == 0 and out.strip() == "No points lost in 2022 to follow."
