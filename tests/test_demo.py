"""The demo project: its province, every stage scored, real evidence files, and determinism per seed."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from evaluator.frameworks.model import ALL_STAGES, SURVEY_STAGE
from evaluator.models import (
    Assessment,
    AuditEvent,
    CriteriaSet,
    Evidence,
    Period,
    Score,
    ScoreRevision,
    Unit,
    open_project,
)
from evaluator.services.demo import DEPARTMENTS, build_demo
from evaluator.services.frameworks import framework_of


def _score_table(path: Path) -> list[tuple]:
    with open_project(path) as project, project.session() as s:
        rows = s.execute(select(Score.id, Score.assessment_id, Score.criterion_code, Score.stage, Score.value,
                                Score.points, Score.not_applicable, Score.note, Score.author,
                                Score.updated_at, Score.revision).order_by(Score.id)).all()
        evidence = s.execute(select(Evidence.id, Evidence.assessment_id, Evidence.criterion_code,
                                    Evidence.sha256, Evidence.file_name, Evidence.size, Evidence.reference)
                             .order_by(Evidence.id)).all()
        units = s.execute(select(Unit.id, Unit.code, Unit.name, Unit.kind, Unit.parent_code)
                          .order_by(Unit.code)).all()
    return [tuple(r) for r in rows] + [tuple(r) for r in evidence] + [tuple(r) for r in units]


def test_the_province_has_22_departments_8_districts_40_communes_in_two_years(demo_db: Path) -> None:
    with open_project(demo_db) as project, project.session() as s:
        units = s.scalars(select(Unit)).all()
        assert Counter(u.kind for u in units) == {"department": 22, "district": 8, "commune": 40}
        assert sorted(u.name for u in units if u.kind == "department") == sorted(DEPARTMENTS)
        districts = {u.code for u in units if u.kind == "district"}
        assert all(u.parent_code in districts for u in units if u.kind == "commune")
        assert Counter(u.parent_code for u in units if u.kind == "commune") == {d: 5 for d in districts}
        assert len({u.code for u in units}) == 70

        assert sorted(s.scalars(select(Period.year))) == [2023, 2024]
        rows = s.execute(select(Period.year, Unit.code, Unit.kind, CriteriaSet.code, CriteriaSet.year)
                         .join(Assessment, Assessment.period_id == Period.id)
                         .join(Unit, Unit.id == Assessment.unit_id)
                         .join(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)).all()
    by_year = {y: {code for yy, code, *_ in rows if yy == y} for y in (2023, 2024)}
    assert len(by_year[2024]) == 70
    # communes numbered ..05 are new this year: no assessment (and no rank) the year before
    new_communes = {u.code for u in units if u.kind == "commune" and u.code.endswith("05")}
    assert len(new_communes) == 8
    assert by_year[2023] == by_year[2024] - new_communes
    for year, _code, kind, set_code, set_year in rows:
        assert (set_code, set_year) == (f"par-{kind}-{year}", year)


def test_every_stage_is_scored_and_every_score_is_valid_for_its_set(demo_db: Path) -> None:
    with open_project(demo_db) as project, project.session() as s:
        sets = {c.id: framework_of(c) for c in s.scalars(select(CriteriaSet))}
        rows = s.execute(select(Period.year, Unit.kind, Assessment.criteria_set_id, Score.criterion_code,
                                Score.stage, Score.points, Score.value, Score.not_applicable, Score.revision)
                         .join(Assessment, Assessment.id == Score.assessment_id)
                         .join(Period, Period.id == Assessment.period_id)
                         .join(Unit, Unit.id == Assessment.unit_id)).all()
        revisions = s.execute(select(ScoreRevision.score_id, ScoreRevision.revision)).all()
        audits = s.scalars(select(AuditEvent.action)).all()
    for year in (2023, 2024):
        assert {r.stage for r in rows if r.year == year} == set(ALL_STAGES), year
    assert any(r.not_applicable for r in rows)
    for r in rows:
        node = sets[r.criteria_set_id].nodes[r.criterion_code]
        assert node.is_leaf and node.applies_to(r.kind)
        assert (r.stage == SURVEY_STAGE) == (node.source == "survey")
        assert r.revision == 1
        if r.not_applicable:
            assert node.not_applicable_allowed and r.points is None
        elif r.points is not None:
            assert 0 <= r.points <= node.max[r.kind]
        else:  # relative rules keep the value; points are worked out among peers
            assert node.rule is not None and node.rule.is_relative and "value" in r.value
    # every score has its first revision and an audit event
    assert len(revisions) == len(rows) and {rev for _s, rev in revisions} == {1}
    assert Counter(audits) == {"score.set": len(rows)}


def test_evidence_files_are_on_disk_beside_the_project_with_matching_sha256(demo_db: Path) -> None:
    folder = demo_db.with_suffix(".evidence")
    assert folder.name == "demo.evidence" and folder.is_dir()
    with open_project(demo_db) as project, project.session() as s:
        rows = s.execute(select(Evidence.sha256, Evidence.size, Evidence.file_name, Evidence.media_type,
                                Evidence.criterion_code, CriteriaSet, Unit.kind)
                         .join(Assessment, Assessment.id == Evidence.assessment_id)
                         .join(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)
                         .join(Unit, Unit.id == Assessment.unit_id)).all()
        assert project.evidence.root == folder
    assert len(rows) >= 140  # a few files per unit and year
    media = Counter()
    for sha, size, name, media_type, leaf, set_row, kind in rows:
        path = folder / sha[:2] / sha
        data = path.read_bytes()
        assert hashlib.sha256(data).hexdigest() == sha and len(data) == size
        media[media_type] += 1
        if media_type == "application/pdf":
            assert data.startswith(b"%PDF-") and name.endswith(".pdf")
        else:
            assert name.endswith(".txt") and data.decode("utf-8")  # real UTF-8 text
        node = framework_of(set_row).nodes[leaf]
        assert node.is_leaf and node.applies_to(kind) and node.source != "survey"
    assert set(media) == {"application/pdf", "text/plain"}
    stored = {p.name for p in folder.rglob("*") if p.is_file()}
    assert stored == {r[0] for r in rows}  # exactly the files the project refers to, nothing half-written


@pytest.mark.slow
def test_same_seed_same_project_and_results_different_seed_different(demo_db: Path, tmp_path: Path,
                                                                     run_cli) -> None:
    # the same seed again, through the command line, over an existing file (--force)
    again = tmp_path / "again.db"
    again.write_bytes(b"old")
    (tmp_path / "again.evidence").mkdir()
    (tmp_path / "again.evidence" / "stale").write_text("stale")
    code, out, err = run_cli("demo", again, "--force", "--seed", 2024, "--year", 2024)
    assert code == 0, err
    assert out.startswith(f"demo project written to {again} (years 2023–2024)")
    assert "2023: chấm điểm 70 đơn vị" in err and "2024: chấm điểm 70 đơn vị" in err  # progress on stderr
    assert not (tmp_path / "again.evidence" / "stale").exists()

    results = {}
    for path in (demo_db, again):
        for year in (2023, 2024):
            code, out, err = run_cli("results", "--db", path, "--year", year, "--format", "json")
            assert code == 0, err
            results[path, year] = out
    assert results[demo_db, 2024] == results[again, 2024]
    assert results[demo_db, 2023] == results[again, 2023]
    assert _score_table(demo_db) == _score_table(again)
    def files(db: Path) -> set[Path]:
        folder = db.with_suffix(".evidence")
        return {p.relative_to(folder) for p in folder.rglob("*")}

    assert files(demo_db) == files(again)

    other = tmp_path / "other.db"
    seen: list[tuple[bool, list[str]]] = []

    def watch(_text: str) -> None:  # while building: nothing under the real names, only a temporary one
        seen.append((other.exists() or other.with_suffix(".evidence").exists(),
                     sorted(p.name for p in tmp_path.glob(".incoming-other.db-*"))))

    build_demo(other, seed=7, year=2024, progress=watch).close()
    assert seen and all(not real and temp for real, temp in seen)
    assert not list(tmp_path.glob(".incoming-*"))  # renamed into place: nothing left beside it
    code, out, err = run_cli("results", "--db", other, "--year", 2024, "--format", "json")
    assert code == 0, err
    assert out != results[demo_db, 2024]
    assert _score_table(other) != _score_table(demo_db)


def test_demo_results_show_moves_new_units_and_several_classes(demo_db: Path, run_cli) -> None:
    """The demo is meant to show the dashboard: ranks move, some communes are new, classes vary."""
    import json

    code, out, _err = run_cli("results", "--db", demo_db, "--year", 2024, "--format", "json")
    assert code == 0
    data = json.loads(out)
    changes = [u["rank_change"] for u in data["units"]]
    assert any(c is not None and c > 0 for c in changes) and any(c is not None and c < 0 for c in changes)
    assert sum(c is None for c in changes) == 8
    assert len({u["class"] for u in data["units"]}) >= 4
