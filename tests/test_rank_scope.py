"""Ranking by parent unit (issue 14, years with districts): a set's ``ranking.scope`` ranks communes within
their district (``parent``), or across the province and within the district (``kind_and_parent``); the
default (``kind``) ranks as before, and sets without the field keep their SHA-256."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from evaluator.frameworks.canonical import canonical_json, plain_document, to_document
from evaluator.frameworks.loader import parse_framework
from evaluator.frameworks.problems import FrameworkInvalid
from evaluator.models import Unit, open_project
from evaluator.scoring.ranking import rank_in_parent
from evaluator.services import results as results_module
from evaluator.services.frameworks import framework_of
from evaluator.services.results import compute_year


def _commune_document(db: Path) -> dict[str, Any]:
    from evaluator.models import CriteriaSet

    with open_project(db) as project, project.session() as s:
        rows = s.scalars(select(CriteriaSet).where(CriteriaSet.year == 2024)).all()
        row = next(r for r in rows if "commune" in framework_of(r).unit_kinds)
        return plain_document(framework_of(row))


def test_the_scope_is_read_written_and_checked(demo_db: Path):
    doc = _commune_document(demo_db)
    plain = parse_framework(doc)
    assert plain.rank_scope == "kind" and "scope" not in to_document(plain)["ranking"]
    assert canonical_json(to_document(plain)) == canonical_json(to_document(parse_framework(doc)))
    for scope in ("parent", "kind_and_parent"):
        scoped = parse_framework({**doc, "ranking": {**doc.get("ranking", {}), "scope": scope}})
        assert scoped.rank_scope == scope and to_document(scoped)["ranking"]["scope"] == scope
        assert scoped.sha256 != plain.sha256  # the scope is part of what the set says
        assert parse_framework(to_document(scoped)).sha256 == scoped.sha256
    with pytest.raises(FrameworkInvalid) as caught:
        parse_framework({**doc, "ranking": {"scope": "district"}})
    assert "ranking.scope" in str(caught.value) and "kind_and_parent" in str(caught.value)


def test_the_scope_survives_the_workbook(demo_db: Path, tmp_path: Path):
    from evaluator.frameworks.xlsx import write_workbook
    from evaluator.frameworks.xlsx_read import read_workbook

    doc = _commune_document(demo_db)
    scoped = parse_framework({**doc, "ranking": {**doc.get("ranking", {}), "scope": "kind_and_parent"}})
    plain = parse_framework(doc)
    for fw in (scoped, plain):
        path = tmp_path / f"{fw.rank_scope}.xlsx"
        write_workbook(fw, path)
        again = parse_framework(read_workbook(path))
        assert (again.rank_scope, again.sha256) == (fw.rank_scope, fw.sha256)


def test_rank_in_parent_ranks_each_parent_apart(mini_framework):
    fw = dataclasses.replace(mini_framework, rank_scope="kind_and_parent")
    units = pd.DataFrame({
        "unit": ["a", "b", "c", "d", "e"], "code": ["a", "b", "c", "d", "e"],
        "parent": ["H1", "H1", "H2", "H2", "H2"], "group": ["", "", "", "", ""],
        "index_scaled": [90, 80, 95, 70, 95], "index_raw": [90.0, 80.0, 95.0, 70.0, 95.0],
        "max_c": [100] * 5, "appraisal_c": [0] * 5, "survey_c": [0] * 5,
    })
    areas = pd.DataFrame(columns=["unit", "area", "index_scaled"])
    assert list(rank_in_parent(fw, units, areas)) == [1, 2, 1, 3, 1]
    assert rank_in_parent(dataclasses.replace(fw, rank_scope="kind"), units, areas).isna().all()


def _scoped(monkeypatch: pytest.MonkeyPatch, scope: str) -> None:
    def scoped_framework_of(row: Any) -> Any:
        fw = framework_of(row)
        return dataclasses.replace(fw, rank_scope=scope) if "commune" in fw.unit_kinds else fw

    monkeypatch.setattr(results_module, "framework_of", scoped_framework_of)


def _expected_in_district(db: Path, units: list[dict[str, Any]]) -> dict[str, int]:
    """Ranks within each district counted by hand from the published indices (ties share the best rank,
    the sets' default tie policy ``min``)."""
    with open_project(db) as project, project.session() as s:
        parents = dict(s.execute(select(Unit.code, Unit.parent_code)).all())
    out = {}
    for u in units:
        peers = [v for v in units if parents[v["code"]] == parents[u["code"]]]
        out[u["code"]] = 1 + sum(1 for v in peers if v["index"] > u["index"])
    return out


@pytest.mark.parametrize("scope", ["kind_and_parent", "parent"])
def test_results_rank_communes_in_their_district(demo_db: Path, monkeypatch: pytest.MonkeyPatch, scope: str):
    with open_project(demo_db) as project, project.session() as s:
        before = compute_year(s, 2024).to_json()
    _scoped(monkeypatch, scope)
    with open_project(demo_db) as project, project.session() as s:
        after = compute_year(s, 2024).to_json()
    communes = [u for u in after["units"] if u["kind"] == "commune"]
    assert len(communes) == 40
    assert all(tie_free(communes))
    expected = _expected_in_district(demo_db, communes)
    assert {u["code"]: u["rank_in_district"] for u in communes} == expected
    assert {u["district"] for u in communes} == {f"H{d:02d}" for d in range(1, 9)}
    old = {u["code"]: u for u in before["units"]}
    for u in communes:
        wanted = expected[u["code"]] if scope == "parent" else old[u["code"]]["rank"]
        assert u["rank"] == wanted
        ranks = ("rank", "rank_in_district", "district", "rank_change")
        assert _without_ranks(u, ranks) == _without_ranks(old[u["code"]], ranks)
    # departments and districts: their sets rank by kind, their output is as before
    assert [u for u in after["units"] if u["kind"] != "commune"] == \
        [u for u in before["units"] if u["kind"] != "commune"]
    assert all("rank_in_district" not in u for u in before["units"])


def tie_free(units: list[dict[str, Any]]) -> list[bool]:
    """The demo's communes have distinct indices within a district (so a rank counted by hand is exact)."""
    return [sum(1 for v in units if v["district"] == u["district"] and v["index"] == u["index"]) == 1
            for u in units]


def _without_ranks(unit: dict, ranks: tuple[str, ...]) -> dict:
    """A unit's results but its ranks (also the rank change against last year inside ``changes``)."""
    out = {k: v for k, v in unit.items() if k not in ranks}
    if isinstance(out.get("changes"), dict):
        out["changes"] = {k: v for k, v in out["changes"].items() if k != "rank_change"}
    return out


def test_results_table_and_csv_show_the_rank_in_district(demo_db: Path, monkeypatch: pytest.MonkeyPatch,
                                                          capsys: pytest.CaptureFixture[str]):
    import csv
    import io

    from evaluator.cli.main import main

    assert main(["results", "--db", str(demo_db), "--year", "2024", "--format", "csv"]) == 0
    plain = next(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert "rank_in_district" not in plain  # a set ranking by kind: the columns as before
    _scoped(monkeypatch, "kind_and_parent")
    assert main(["results", "--db", str(demo_db), "--year", "2024", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[:len(plain)] == plain  # the new columns come last
    with open_project(demo_db) as project, project.session() as s:
        units = compute_year(s, 2024).to_json()["units"]
    communes = [u for u in units if u["kind"] == "commune"]
    expected = _expected_in_district(demo_db, communes)
    by_code = {r["code"]: r for r in rows}
    assert {c: int(by_code[c]["rank_in_district"]) for c in expected} == expected
    assert all(by_code[u["code"]]["district"] == u["district"] for u in communes)
    assert all(r["rank_in_district"] == "" for r in rows if r["kind"] != "commune")
    assert main(["--lang", "en", "results", "--db", str(demo_db), "--year", "2024"]) == 0
    out = capsys.readouterr().out
    code = communes[0]["code"]
    line = next(ln for ln in out.splitlines() if f" {code} " in ln)
    assert line.rstrip().endswith(f"{expected[code]} ({communes[0]['district']})")
