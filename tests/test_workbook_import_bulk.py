"""The bulk path of the consolidated-workbook import: many files at once give exactly the rows a plain
reference computes (scores with one revision each, an audit event per file and unit for new values and one
per overwritten value, revision chains on update), a dry run
writes nothing, and the helpers it uses (``new_ids``, ``bulk_insert``) do what they say."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import backup_files
from sqlalchemy import select
from workbook_helpers import consolidated, copy_db, dump_db, write_sheets

from evaluator.frameworks.model import STAGES
from evaluator.frameworks.registry import find_bundled
from evaluator.models import (
    Assessment,
    AuditEvent,
    ImportLog,
    Score,
    ScoreRevision,
    Unit,
    open_project,
)
from evaluator.models.schema import new_ids
from evaluator.services.exchange import bulk_insert
from evaluator.services.projects import create_project
from evaluator.services.workbook_import import import_workbooks

FW = "par-district-2024"
AUTHOR = "Thư ký hội đồng"
Key = tuple[str, str, str]  # unit, leaf, stage
Row = tuple[Decimal | None, bool, str]  # points (None when not applicable), not applicable, note


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bulk") / "p.db"
    create_project(path, [2024], name="Bulk").close()
    return path


def cell(points: Decimal, rng: random.Random) -> Any:
    """The same points as a workbook may hold them: a number, an integer, or text with a decimal comma."""
    if points == points.to_integral_value() and rng.random() < 0.3:
        return int(points)
    if rng.random() < 0.15:
        return str(points).replace(".", ",")
    return float(points)


def district_books(folder: Path, n_units: int,
                   seed: int) -> tuple[list[Path], dict[Key, Row], dict[Key, str]]:
    """``n_units`` workbooks (one new district each, every leaf at every stage it takes); the reference
    result and the file and row each score comes from."""
    fw = find_bundled(FW)
    assert fw is not None
    rng = random.Random(seed)
    expected: dict[Key, Row] = {}
    origin: dict[Key, str] = {}
    paths = []
    for i in range(n_units):
        code = f"HB{i:03d}"
        rows: list[list[Any]] = []
        for node in fw.leaves("district"):
            mx = node.max["district"]
            stages = ("survey",) if node.source == "survey" else STAGES
            for stage in stages:
                note = rng.choice(["", "hội đồng", "Tổ 2: trừ điểm"])
                if node.not_applicable_allowed and rng.random() < 0.05:
                    rows.append([code, node.code, stage, None, 1, note])
                    expected[(code, node.code, stage)] = (None, True, note)
                else:
                    points = (mx * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("0.01"))
                    rows.append([code, node.code, stage, cell(points, rng), rng.choice([None, 0, "0"]), note])
                    expected[(code, node.code, stage)] = (points, False, note)
                origin[(code, node.code, stage)] = f"{code}.xlsx row {len(rows) + 1}"
        sheets = consolidated(2024, [[code, f"UBND huyện {i}", "district", FW]], rows)
        paths.append(write_sheets(folder / f"{code}.xlsx", sheets))
    return paths, expected, origin


def stored(db: Path) -> dict[str, Any]:
    """Every score, revision and audit event of the project, keyed by (unit, leaf, stage)."""
    with open_project(db) as project, project.session() as s:
        pairs = s.execute(select(Assessment.id, Unit.code).join(Unit, Unit.id == Assessment.unit_id))
        unit_of = {a: u for a, u in pairs}
        scores = {(unit_of[sc.assessment_id], sc.criterion_code, sc.stage): sc
                  for sc in s.scalars(select(Score))}
        by_id = {sc.id: key for key, sc in scores.items()}
        revisions: dict[Key, list[ScoreRevision]] = {}
        for r in s.scalars(select(ScoreRevision).order_by(ScoreRevision.revision)):
            revisions.setdefault(by_id[r.score_id], []).append(r)
        audits: dict[Key, list[AuditEvent]] = {}
        for a in s.scalars(select(AuditEvent).where(AuditEvent.action == "import").order_by(AuditEvent.time)):
            assert a.assessment_id is not None and a.criterion_code is not None and a.stage is not None
            audits.setdefault((unit_of[a.assessment_id], a.criterion_code, a.stage), []).append(a)
        summaries = {(a.reason, unit_of[a.assessment_id]): a for a in s.scalars(
            select(AuditEvent).where(AuditEvent.action == "import.workbook"))}
        logs = s.scalars(select(ImportLog)).all()
    return {"scores": scores, "revisions": revisions, "audits": audits, "summaries": summaries, "logs": logs}


def state(row: Row) -> dict[str, Any]:
    points, na, note = row
    return {"points": points, "not_applicable": na, "note": note, "value": None}


@pytest.mark.slow
def test_many_workbooks_store_exactly_what_a_reference_computes(template: Path, tmp_path: Path) -> None:
    db = copy_db(template, tmp_path / "p.db")
    paths, expected, origin = district_books(tmp_path, 12, seed=3)
    assert len(expected) > 2000

    # a dry run first: counts as the real import's, and not a byte written (no backup either)
    before = dump_db(db)
    with open_project(db) as project:
        preview = import_workbooks(project, paths, dry_run=True, author=AUTHOR)
    assert dump_db(db) == before
    assert not [p for p in tmp_path.iterdir() if ".bak-" in p.name] and not backup_files()
    assert (preview.units_new, preview.assessments_new, preview.scores_new) == (12, 12, len(expected))

    with open_project(db) as project:
        report = import_workbooks(project, paths, author=AUTHOR)
    assert report.summary() | {"dry_run": True} == preview.summary()
    got = stored(db)
    scores, revisions, audits = got["scores"], got["revisions"], got["audits"]
    assert {k: (sc.points, sc.not_applicable, sc.note) for k, sc in scores.items()} == expected
    assert {(sc.author, sc.device_id, sc.revision, sc.base_revision_id, sc.value) for sc in scores.values()} \
        == {(AUTHOR, "import", 1, None, None)}
    for key, sc in scores.items():
        [rev] = revisions[key]
        assert (rev.revision, rev.base_revision_id, rev.points, rev.not_applicable, rev.note, rev.value,
                rev.author, rev.device_id, rev.time) == (1, None, *expected[key], None, AUTHOR, "import",
                                                         sc.updated_at)
    # new values have no audit event each, but one per file and unit with the counts
    assert not audits
    per_unit = Counter(unit for unit, _leaf, _stage in expected)
    assert {key: (a.author, a.role, a.device_id, a.criterion_code, a.new["scores_new"],
                  a.new["scores_updated"]) for key, a in got["summaries"].items()} == {
        (f"{unit}.xlsx", unit): (AUTHOR, "committee", "import", None, n, 0) for unit, n in per_unit.items()}
    assert {origin[key].split(" row ")[0] for key in expected} == {f"{unit}.xlsx" for unit in per_unit}
    ids = [x.id for x in scores.values()] + [r.id for rs in revisions.values() for r in rs] \
        + [a.id for a in got["summaries"].values()]
    assert len(set(ids)) == len(ids) == 2 * len(expected) + len(per_unit)
    assert {i.version for i in ids} == {7}
    [log] = got["logs"]
    assert log.summary["scores_new"] == len(expected) and not log.dry_run

    # change a tenth of the scores in half of the files: each change extends its chain
    rng = random.Random(9)
    fw = find_bundled(FW)
    assert fw is not None
    changes: dict[Key, Row] = {}
    books = []
    for path in paths[:6]:
        code = path.stem
        rows = []
        for (unit, leaf, stage), row in expected.items():
            if unit != code:
                continue
            if rng.random() < 0.1:
                mx = fw.nodes[leaf].max["district"]
                new_points = (mx * Decimal(rng.randint(0, 100)) / 100).quantize(Decimal("0.01"))
                row = changes[(unit, leaf, stage)] = (new_points, False, "sửa lại")
            rows.append([unit, leaf, stage, row[0], int(row[1]), row[2]])
        books.append(write_sheets(tmp_path / f"update-{code}.xlsx", consolidated(2024, [], rows)))
    changed = {k: v for k, v in changes.items() if v != expected[k]}
    with open_project(db) as project:
        again = import_workbooks(project, books, author="Người sửa")
    assert (again.units_new, again.scores_new, again.scores_updated) == (0, 0, len(changed))
    resent = sum(1 for k in expected if k[0] in {p.stem for p in paths[:6]})
    assert again.scores_identical == resent - len(changed)
    after = stored(db)
    assert {k: (sc.points, sc.not_applicable, sc.note) for k, sc in after["scores"].items()} \
        == expected | changed
    for key, new in changed.items():
        sc = after["scores"][key]
        first, second = after["revisions"][key]
        assert (sc.revision, sc.base_revision_id, sc.author) == (2, first.id, "Người sửa")
        assert (second.revision, second.base_revision_id, second.points, second.author) == (
            2, first.id, new[0], "Người sửa")
        [new_audit] = after["audits"][key]
        assert (new_audit.old, new_audit.new, new_audit.author) == (state(expected[key]), state(new),
                                                                    "Người sửa")
        assert new_audit.reason.startswith(f"update-{key[0]}.xlsx row ")
    for key in expected.keys() - changed.keys():
        assert len(after["revisions"][key]) == 1 and key not in after["audits"]
    updated = Counter(unit for unit, _leaf, _stage in changed)
    assert {key: (a.new["scores_new"], a.new["scores_updated"]) for key, a in after["summaries"].items()
            if key[0].startswith("update-")} == {
        (f"update-{unit}.xlsx", unit): (0, n) for unit, n in updated.items()}


def test_a_dry_run_of_updates_writes_nothing(template: Path, tmp_path: Path) -> None:
    db = copy_db(template, tmp_path / "p.db")
    paths, expected, _origin = district_books(tmp_path, 2, seed=4)
    with open_project(db) as project:
        import_workbooks(project, paths)
    rows = [[u, leaf, stage, Decimal("0.00"), 0, "khác"]
            for (u, leaf, stage), (_p, na, _n) in expected.items() if not na and stage != "survey"]
    book = write_sheets(tmp_path / "update.xlsx", consolidated(2024, [], rows))
    before = dump_db(db)
    with open_project(db) as project:
        report = import_workbooks(project, [book], dry_run=True)
    assert report.scores_updated == len(rows) and report.dry_run
    assert dump_db(db) == before


def test_new_ids_are_version_7_unique_and_ascending() -> None:
    ids = new_ids(50_000) + new_ids(3)
    assert all(isinstance(i, uuid.UUID) and i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert len(set(ids)) == len(ids)
    batch = ids[:50_000]
    assert batch == sorted(batch) and [i.hex for i in batch] == sorted(i.hex for i in batch)
    assert new_ids(0) == []


def test_bulk_insert_takes_dicts_or_tuples_with_constants_and_converted_columns(tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from evaluator.models.schema import dumps_json

    db = tmp_path / "p.db"
    create_project(db, [2024]).close()
    when = datetime(2024, 11, 1, 8, 0, tzinfo=UTC)
    a, b = uuid.uuid4(), uuid.uuid4()
    with open_project(db) as project, project.session() as s:
        table = AuditEvent.__table__
        bulk_insert(s.connection(), table, [
            {"id": a, "time": when, "author": "x", "role": "", "device_id": "d", "action": "t",
             "assessment_id": None, "criterion_code": "1.1", "stage": None, "old": None,
             "new": {"points": Decimal("1.25")}, "reason": "r"}])
        bulk_insert(s.connection(), table, [(b, "1.1", dumps_json({"points": Decimal("1.25")}))],
                    columns=("id", "criterion_code", "new"),
                    constants={"time": when, "author": "x", "role": "", "device_id": "d", "action": "t",
                               "assessment_id": None, "stage": None, "old": None, "reason": "r"},
                    converted=("new",))
        bulk_insert(s.connection(), table, [])
    with open_project(db) as project, project.session() as s:
        got = {e.id: (e.time, e.author, e.criterion_code, e.old, e.new, e.reason)
               for e in s.scalars(select(AuditEvent).where(AuditEvent.action == "t"))}
    assert got[a] == got[b] == (when, "x", "1.1", None, {"points": Decimal("1.25")}, "r")


def test_bulk_insert_converts_repeating_values_once_each_with_the_same_result(tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    create_project(db, [2024]).close()
    rows = [(uuid.uuid4(), "1.1", stage, flag, "r") for stage in ("a", "b") for flag in (True, False, True)]
    with open_project(db) as project, project.session() as s:
        table = AuditEvent.__table__
        for action, repeating in (("plain", ()), ("repeating", ("stage", "criterion_code", "reason"))):
            bulk_insert(s.connection(), table, [(uuid.uuid4(), *r[1:]) for r in rows],
                        columns=("id", "criterion_code", "stage", "new", "reason"),
                        constants={"time": fixed_time(), "author": "", "role": "", "device_id": "",
                                   "action": action, "assessment_id": None, "old": None},
                        repeating=repeating)
    with open_project(db) as project, project.session() as s:
        got = {action: sorted((e.criterion_code, e.stage, e.new, e.reason) for e in s.scalars(
            select(AuditEvent).where(AuditEvent.action == action))) for action in ("plain", "repeating")}
    assert got["plain"] == got["repeating"] == sorted(("1.1", st, flag, "r") for _i, _c, st, flag, _r in rows)


def fixed_time() -> Any:
    from datetime import UTC, datetime

    return datetime(2024, 11, 1, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize("first", [5, (1 << 30) - 3, (3 << 30) - 1])  # runs across the 30-bit boundary too
def test_hex_ids_are_the_hex_of_the_same_ids(first: int, monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.models import schema

    tail = 0xDEADBEEF
    parts = (first, (123456789 << 80) | (0x7 << 76) | (0b10 << 62) | tail, tail)
    monkeypatch.setattr(schema, "_v7_parts", lambda n: parts)
    as_uuids, as_hex = schema.new_ids(10), schema.new_hex_ids(10)
    assert [u.hex for u in as_uuids] == as_hex == sorted(as_hex)
    assert len(set(as_hex)) == 10 and schema.new_hex_ids(0) == []
