"""``evaluator results``: the public JSON shape, shares, ranks, classes, changes from last year, the CSV
and table forms, and totals recomputed independently with the per-unit scoring path."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import unicodedata
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from workbook_helpers import write_workbook

from evaluator.cli.main import main
from evaluator.frameworks.registry import find_bundled
from evaluator.messages import labels
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, Score, Unit, open_project
from evaluator.scoring import Entry, score_units
from evaluator.services.frameworks import framework_of
from evaluator.services.projects import create_project

KINDS = ("department", "district", "commune")
UNIT_KEYS = ["code", "name", "kind", "points", "max", "index", "rank", "rank_change", "points_change",
             "class", "class_label", "unresolved_conflicts", "areas", "group",
             "predecessors", "previous_basis", "previous_index",  # issue 13: extended, the fields before kept
             "status", "approval", "changes"]  # issue 14, then issue 13's year-over-year changes
AREA_KEYS = ["code", "title", "points", "max", "index"]
CENT = Decimal("0.01")


def cli_output(*args: object) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main([str(a) for a in args])
    assert code == 0
    return out.getvalue()


def results(db: Path, year: int, *extra: object) -> dict[str, Any]:
    """The printed JSON with every number read as a Decimal (exactly what was printed)."""
    return json.loads(cli_output("results", "--db", db, "--year", year, "--format", "json", *extra),
                      parse_float=Decimal)


@pytest.fixture(scope="module")
def demo_2024(demo_db: Path) -> dict[str, Any]:
    return results(demo_db, 2024)


@pytest.fixture(scope="module")
def demo_2023(demo_db: Path) -> dict[str, Any]:
    return results(demo_db, 2023)


def two_decimals(value: Any) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool) and \
        Decimal(value) == Decimal(value).quantize(CENT)


# --- shape -------------------------------------------------------------------------------------------
def test_json_shape(demo_2024: dict[str, Any]) -> None:
    assert list(demo_2024) == ["year", "units", "summary"]
    assert demo_2024["year"] == 2024
    assert list(demo_2024["summary"]) == list(KINDS)
    assert len(demo_2024["units"]) == 70
    for u in demo_2024["units"]:
        assert list(u) == UNIT_KEYS
        assert u["kind"] in KINDS and isinstance(u["code"], str) and isinstance(u["name"], str)
        for key in ("points", "max", "index"):
            assert two_decimals(u[key]), (u["code"], key, u[key])
        assert isinstance(u["rank"], int) and u["rank"] >= 1
        assert u["rank_change"] is None or isinstance(u["rank_change"], int)
        assert u["points_change"] is None or two_decimals(u["points_change"])
        assert u["unresolved_conflicts"] == 0  # the demo has no merge conflicts
        codes = [a["code"] for a in u["areas"]]
        assert codes and codes == sorted(codes, key=int)
        for a in u["areas"]:
            assert list(a) == AREA_KEYS
            assert all(two_decimals(a[k]) for k in ("points", "max", "index"))
            assert 0 <= a["points"] <= a["max"]
            assert a["index"] == (a["points"] * 100 / a["max"]).quantize(CENT, ROUND_HALF_UP)
        assert sum(a["max"] for a in u["areas"]) == u["max"]  # not-applicable leaves leave the max
        assert u["index"] == (u["points"] * 100 / u["max"]).quantize(CENT, ROUND_HALF_UP)
    # units are listed per kind, best first
    order = [(KINDS.index(u["kind"]), u["rank"], u["code"]) for u in demo_2024["units"]]
    assert order == sorted(order)
    for summary in demo_2024["summary"].values():
        assert list(summary) == ["units", "mean_index", "classes"]
        for band in summary["classes"].values():
            assert list(band) == ["label", "count", "share"]


def test_class_shares_add_up_to_exactly_100(demo_2024: dict[str, Any], demo_2023: dict[str, Any]) -> None:
    for data in (demo_2024, demo_2023):
        for kind, summary in data["summary"].items():
            members = [u for u in data["units"] if u["kind"] == kind]
            assert summary["units"] == len(members)
            classes = summary["classes"]
            assert sum(c["share"] for c in classes.values()) == Decimal("100.00"), (data["year"], kind)
            assert sum(c["count"] for c in classes.values()) == len(members)
            for code, c in classes.items():
                assert c["count"] == sum(u["class"] == code for u in members)
                exact = Fraction(c["count"] * 100, len(members))
                if kind == "department":  # remainder_to_last: every class truncated but the lowest with units
                    lowest = [k for k, v in classes.items() if v["count"]][-1]
                    truncated = Fraction(int(exact * 100), 100)
                    if code != lowest:
                        assert Fraction(c["share"]) == truncated, (kind, code)
                    else:
                        assert 0 <= Fraction(c["share"]) - exact < Fraction(len(classes), 100), (kind, code)
                else:
                    # largest remainder
                    assert abs(Fraction(c["share"]) - exact) < Fraction(1, 100), (kind, code)
            mean = (sum(u["index"] for u in members) / len(members)).quantize(CENT, ROUND_HALF_UP)
            assert summary["mean_index"] == mean


def test_classes_follow_the_bands_of_the_set(demo_2024: dict[str, Any]) -> None:
    for kind in KINDS:
        fw = find_bundled(f"par-{kind}-2024")
        bands = fw.classes_for(kind)
        summary = demo_2024["summary"][kind]["classes"]
        assert [(code, c["label"]) for code, c in summary.items()] == [(b.code, b.label) for b in bands]
        for u in (u for u in demo_2024["units"] if u["kind"] == kind):
            band = fw.classify(kind, u["index"])
            assert (u["class"], u["class_label"]) == (band.code, band.label), u["code"]
    labels = {u["class_label"] for u in demo_2024["units"]}
    assert {"Xuất sắc", "Tốt", "Khá", "Trung bình"} <= labels


def test_ranks_follow_the_indices_with_the_1_2_2_4_policy(demo_2024: dict[str, Any],
                                                          demo_2023: dict[str, Any]) -> None:
    for data in (demo_2024, demo_2023):
        for kind in KINDS:
            members = sorted((u for u in data["units"] if u["kind"] == kind), key=lambda u: u["rank"])
            ranks = [u["rank"] for u in members]
            assert ranks[0] == 1
            for position in range(1, len(ranks)):  # a tie keeps the rank; the next unit skips ahead
                assert ranks[position] in (ranks[position - 1], position + 1)
            indices = [u["index"] for u in members]
            assert indices == sorted(indices, reverse=True)
            for u in members:
                higher = sum(v["index"] > u["index"] for v in members)
                at_least = sum(v["index"] >= u["index"] for v in members)
                assert higher + 1 <= u["rank"] <= at_least  # equal indices: the tie-breaker may separate


def test_rank_change_is_last_years_rank_minus_this_years(demo_2024: dict[str, Any],
                                                         demo_2023: dict[str, Any]) -> None:
    before = {(u["kind"], u["code"]): u for u in demo_2023["units"]}
    assert len(before) == 62
    new = []
    for u in demo_2024["units"]:
        old = before.get((u["kind"], u["code"]))
        if old is None:
            new.append(u["code"])
            assert u["rank_change"] is None and u["points_change"] is None
        else:
            assert u["rank_change"] == old["rank"] - u["rank"], u["code"]
            assert u["points_change"] == u["points"] - old["points"]
    assert sorted(new) == [f"X{d:02d}05" for d in range(1, 9)]
    # the previous year has nothing to compare with
    assert all(u["rank_change"] is None and u["points_change"] is None for u in demo_2023["units"])


@pytest.mark.slow
def test_kind_filter(demo_db: Path, demo_2024: dict[str, Any]) -> None:
    for kind in KINDS:
        data = results(demo_db, 2024, "--kind", kind)
        assert data["year"] == 2024
        assert data["units"] == [u for u in demo_2024["units"] if u["kind"] == kind]
        assert data["summary"] == {kind: demo_2024["summary"][kind]}


def test_csv_parses_and_agrees_with_the_json(demo_db: Path, demo_2024: dict[str, Any]) -> None:
    text = cli_output("results", "--db", demo_db, "--year", 2024, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(demo_2024["units"])
    area_columns = [c for c in rows[0] if c.startswith("area_")]
    assert area_columns == [f"area_{n}_index" for n in range(1, 9)]  # departments and districts: 8 areas
    for row, u in zip(rows, demo_2024["units"], strict=True):
        assert row["year"] == "2024"
        assert (row["kind"], row["code"], row["name"], row["class"], row["class_label"]) == (
            u["kind"], u["code"], u["name"], u["class"], u["class_label"])
        assert int(row["rank"]) == u["rank"]
        assert (int(row["rank_change"]) if row["rank_change"] else None) == u["rank_change"]
        for key in ("points", "max", "index"):
            assert Decimal(row[key]) == u[key] and row[key] == f"{u[key]:.2f}"
        assert (Decimal(row["points_change"]) if row["points_change"] else None) == u["points_change"]
        areas = {a["code"]: a["index"] for a in u["areas"]}
        for column in area_columns:
            code = column.split("_")[1]
            assert (Decimal(row[column]) if row[column] else None) == areas.get(code)
    # the 7-area commune set leaves area 8 blank for communes
    assert all(r["area_8_index"] == "" for r in rows if r["kind"] == "commune")


def test_table_keeps_vietnamese(demo_db: Path, demo_2024: dict[str, Any]) -> None:
    text = cli_output("--lang", "vi", "results", "--db", demo_db, "--year", 2024)
    assert unicodedata.is_normalized("NFC", text)
    assert text.startswith("Kết quả Chỉ số CCHC năm 2024")
    for header in ("Hạng", "Mã", "Đơn vị", "Điểm", "Tối đa", "Chỉ số %", "Xếp loại"):
        assert header in text
    for kind in KINDS:
        summary = demo_2024["summary"][kind]
        assert (f"{labels.label('kind', kind, 'vi')} ({summary['units']} đơn vị) — "
                f"chỉ số trung bình {summary['mean_index']:.2f}%") in text
    lines = text.splitlines()
    for u in demo_2024["units"]:
        line = next(line for line in lines if f"  {u['code']}  " in line)
        assert u["name"] in line and u["class_label"] in line and f"{u['index']:.2f}" in line
        if u["rank_change"] is None:
            assert " mới " in line
    assert "Sở Nông nghiệp và Phát triển nông thôn" in text and "UBND huyện Đông Sơn" in text
    assert "Xếp loại: Xuất sắc " in text


def test_table_headings_follow_the_language(demo_db: Path, demo_2024: dict[str, Any]) -> None:
    """The command line's own words are English by default (--lang en); the units' names stay as stored."""
    text = cli_output("results", "--db", demo_db, "--year", 2024)
    assert text.startswith("PAR Index results 2024")
    assert "Rank" in text and "Index %" in text and "Hạng" not in text and "đơn vị" not in text
    for kind in KINDS:
        summary = demo_2024["summary"][kind]
        assert (f"{labels.label('kind', kind, 'en')} ({summary['units']} units) — "
                f"mean index {summary['mean_index']:.2f}%") in text
    assert "UBND huyện Đông Sơn" in text and "\nClasses: " in text


# --- independent recomputation -----------------------------------------------------------------------
def recompute(db: Path, year: int) -> dict[str, Any]:
    """Every unit of the year scored with the per-unit path (``score_units``) from the stored rows."""
    with open_project(db) as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == year)).one()
        assessments = s.execute(select(Assessment.id, Unit.code, Unit.kind, Assessment.criteria_set_id)
                                .join(Unit, Unit.id == Assessment.unit_id)
                                .where(Assessment.period_id == period.id)).all()
        sets = {c.id: framework_of(c) for c in s.scalars(select(CriteriaSet))}
        entries: dict[Any, list[Entry]] = defaultdict(list)
        for a_id, leaf, stage, points, value, na in s.execute(
                select(Score.assessment_id, Score.criterion_code, Score.stage, Score.points, Score.value,
                       Score.not_applicable).join(Assessment).where(Assessment.period_id == period.id)):
            relative = None
            if points is None and isinstance(value, dict) and value.get("value") is not None:
                relative = Decimal(str(value["value"]))
            entries[a_id].append(Entry(leaf, stage, points=points, value=relative, not_applicable=na))
        evidence: dict[Any, set[str]] = defaultdict(set)
        for a_id, leaf in s.execute(select(Evidence.assessment_id, Evidence.criterion_code)):
            evidence[a_id].add(leaf)
    out = {}
    for set_id in {a.criteria_set_id for a in assessments}:
        members = [a for a in assessments if a.criteria_set_id == set_id]
        scores = score_units(sets[set_id], {a.id: a.kind for a in members}, entries, evidence)
        for a in members:
            out[a.code] = (sets[set_id], scores[a.id])
    return out


def test_totals_agree_with_the_per_unit_scoring_path(demo_db: Path, demo_2024: dict[str, Any]) -> None:
    independent = recompute(demo_db, 2024)
    assert set(independent) == {u["code"] for u in demo_2024["units"]}
    for u in demo_2024["units"]:
        fw, score = independent[u["code"]]
        assert (score.points, score.max, score.index, score.class_code) == (
            u["points"], u["max"], u["index"], u["class"]), u["code"]
        for a in u["areas"]:
            node = score.nodes[a["code"]]
            assert (node.points, node.max) == (a["points"], a["max"]), (u["code"], a["code"])
            assert score.area_index(a["code"], fw.index_decimals) == a["index"]


# --- ties and new units, end to end through an import ------------------------------------------------
def test_ties_share_a_rank_and_the_next_is_skipped(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    create_project(db, [2023, 2024]).close()
    names = {"H01": "UBND huyện Một", "H02": "UBND huyện Hai", "H03": "UBND huyện Ba",
             "H04": "UBND huyện Bốn"}
    this_year = {"H01": 1, "H02": 0.75, "H03": 0.75, "H04": 0.5}
    last_year = {"H01": 0.25, "H02": 1, "H03": 0.5}  # H04 is new
    books = []
    for year, points in ((2023, last_year), (2024, this_year)):
        books.append(write_workbook(
            tmp_path / f"{year}.xlsx", year,
            [[code, names[code], "district", f"par-district-{year}"] for code in points],
            [[code, "8.7.5", "appraisal1", p, None, "Tổ thẩm định"] for code, p in points.items()]))
    out = cli_output("import", "--db", db, *books)
    assert "units: 4 new" in out and "scores: 7 new" in out

    data = results(db, 2024)
    got = {u["code"]: (u["rank"], u["index"], u["rank_change"], u["class"]) for u in data["units"]}
    assert got == {"H01": (1, Decimal("1.00"), 2, "yeu"), "H02": (2, Decimal("0.75"), -1, "yeu"),
                   "H03": (2, Decimal("0.75"), 0, "yeu"), "H04": (4, Decimal("0.50"), None, "yeu")}
    assert [u["code"] for u in data["units"]] == ["H01", "H02", "H03", "H04"]
    classes = data["summary"]["district"]["classes"]
    assert {code: c["share"] for code, c in classes.items()} == {
        "xuat_sac": Decimal("0.00"), "tot": Decimal("0.00"), "kha": Decimal("0.00"),
        "trung_binh": Decimal("0.00"), "yeu": Decimal("100.00")}
    assert data["summary"]["district"]["mean_index"] == Decimal("0.75")
    assert list(data["summary"]) == ["district"]


def test_a_database_url_gives_the_same_results(demo_db: Path, demo_2024: dict[str, Any]) -> None:
    assert results(f"sqlite:///{demo_db}", 2024, "--kind", "district")["units"] == [
        u for u in demo_2024["units"] if u["kind"] == "district"]


@pytest.mark.slow
def test_a_real_process_prints_utf8_even_in_the_c_locale(demo_db: Path) -> None:
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    env.update(LC_ALL="C", LANG="C", PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    done = subprocess.run([sys.executable, "-m", "evaluator", "--lang", "vi", "results", "--db", str(demo_db),
                           "--year", "2024", "--kind", "district"], capture_output=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    text = done.stdout.decode("utf-8")
    assert "UBND cấp huyện (8 đơn vị)" in text and "UBND huyện Đông Sơn" in text and "Xếp loại" in text
