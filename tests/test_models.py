"""ORM models, the project database and the evidence store, on real SQLite files."""

from __future__ import annotations

import sqlite3
import uuid
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError

from evaluator.models import (
    Assessment,
    AuditEvent,
    CriteriaSet,
    CriteriaSetCorrupt,
    Evidence,
    EvidenceError,
    EvidenceStore,
    ImportLog,
    Period,
    Project,
    ProjectInfo,
    Score,
    ScoreRevision,
    Unit,
    head_revision,
    open_project,
)
from evaluator.models import evidence_store as evidence_store_module

pytestmark = pytest.mark.backends  # the tests using ``project`` run on SQLite and on PostgreSQL


def populate(project: Project, fw) -> dict[str, uuid.UUID]:
    """A criteria set, a period, two units, one assessment with a score, evidence and an audit event."""
    with project.session() as s:
        cs = CriteriaSet.from_framework(fw)
        period = Period(year=2024, title="Năm 2024")
        unit = Unit(code="H01", name="UBND huyện A", kind="district")
        commune = Unit(code="X01", name="UBND xã B", kind="commune", parent_code="H01")
        a = Assessment(unit=unit, period=period, criteria_set=cs)
        score = Score(assessment=a, criterion_code="1.1", stage="self", value={"done": True},
                      points=Decimal(2), author="Nguyễn Văn A", device_id="laptop-1")
        score.revisions.append(ScoreRevision(revision=1, value={"done": True}, points=Decimal(2),
                                             author="Nguyễn Văn A", device_id="laptop-1"))
        ev = Evidence(assessment=a, criterion_code="1.1", stage="self", sha256="a" * 64,
                      file_name="Kế hoạch CCHC.pdf", size=1234, media_type="application/pdf",
                      reference="trang 3, mục II")
        s.add_all([cs, period, unit, commune, a, score, ev])
        s.flush()
        s.add(AuditEvent(author="Nguyễn Văn A", role="self_assessor", device_id="laptop-1",
                         action="score.set", assessment_id=a.id, criterion_code="1.1", stage="self",
                         old=None, new={"done": True}, reason=""))
        return {"criteria_set": cs.id, "period": period.id, "unit": unit.id, "commune": commune.id,
                "assessment": a.id, "score": score.id}


# --- project file ---------------------------------------------------------------------------------
def test_create_project(tmp_path: Path):
    path = tmp_path / "tinh.db"
    with open_project(path, create=True, name="CCHC 2024", province="Đắk Nông") as project:
        assert path.is_file()
        assert project.created and project.path == path.resolve()
        assert project.revision == head_revision()
        assert project.upgraded_from is None and project.backup_path is None
        assert project.evidence_dir == path.resolve().with_name("tinh.evidence")
        info = project.info()
        assert (info.name, info.province) == ("CCHC 2024", "Đắk Nông")
        assert isinstance(info.id, uuid.UUID)
        assert info.created_at.tzinfo is not None
        assert "evaluator" in info.schema_note
        project_id = info.id
    with open_project(path) as again:
        assert not again.created
        assert again.info().id == project_id  # the project row is created once
        with again.session() as s:
            assert len(s.scalars(select(ProjectInfo)).all()) == 1


def test_open_with_create_keeps_existing_project(tmp_path: Path):
    path = tmp_path / "p.db"
    open_project(path, create=True, name="first").close()
    with open_project(path, create=True, name="second") as project:
        assert not project.created
        assert project.info().name == "first"


def test_wal_and_foreign_keys_on(tmp_path: Path):
    with open_project(tmp_path / "p.db", create=True) as project, project.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_in_memory_project():
    with open_project("sqlite://", create=True) as project:
        assert project.path is None and project.evidence_dir is None
        with project.session() as s:
            s.add(Unit(code="S01", name="Sở Nội vụ", kind="department"))
        with project.session() as s:
            assert s.scalars(select(Unit.code)).all() == ["S01"]
        with pytest.raises(Exception, match="evidence folder"):
            _ = project.evidence


def test_session_commits_and_rolls_back(project: Project):
    with pytest.raises(RuntimeError), project.session() as s:
        s.add(Unit(code="H01", name="A", kind="district"))
        s.flush()
        raise RuntimeError("boom")
    with project.session() as s:
        assert s.scalars(select(Unit)).all() == []
        s.add(Unit(code="H01", name="A", kind="district"))
    with project.session() as s:
        assert s.scalars(select(Unit.code)).all() == ["H01"]


def test_settings(project: Project):
    assert project.get_setting("device_id", "none") == "none"
    project.set_setting("device_id", "laptop-7")
    project.set_setting("rounding", {"index_decimals": 2, "step": Decimal("0.25")})
    project.set_setting("device_id", "laptop-8")
    assert project.get_setting("device_id") == "laptop-8"
    assert project.get_setting("rounding") == {"index_decimals": 2, "step": Decimal("0.25")}


def test_backup(tmp_path: Path, mini_framework):
    with open_project(tmp_path / "p.db", create=True) as project:
        populate(project, mini_framework)
        copy = project.backup()
    assert copy.name.startswith("p.db.bak-")
    con = sqlite3.connect(copy)
    try:
        assert con.execute("SELECT count(*) FROM score").fetchone() == (1,)
    finally:
        con.close()


# --- rows, keys and constraints --------------------------------------------------------------------
def test_rows_and_relationships(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with project.session() as s:
        a = s.get(Assessment, ids["assessment"])
        assert a is not None
        assert a.unit.code == "H01" and a.period.year == 2024
        assert a.criteria_set.identity == "test-mini@1" and a.criteria_set.sha256 == mini_framework.sha256
        assert a.status == "self_assessment" and a.locked == frozenset()
        assert [sc.criterion_code for sc in a.scores] == ["1.1"]
        assert a.evidence[0].file_name == "Kế hoạch CCHC.pdf" and a.evidence[0].size == 1234
        score = a.scores[0]
        assert score.value == {"done": True}
        assert score.revision == 1 and score.base_revision_id is None
        assert [r.revision for r in score.revisions] == [1]
        event = s.scalars(select(AuditEvent)).one()
        assert event.assessment is a and event.old is None and event.new == {"done": True}
        assert s.get(Unit, ids["commune"]).parent_code == "H01"  # type: ignore[union-attr]


def test_uuid_primary_keys(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    assert all(isinstance(v, uuid.UUID) and v.version == 4 for v in ids.values())
    with project.engine.connect() as conn:
        raw = conn.execute(text("SELECT id FROM assessment")).scalar()
    # portable CHAR(32) on SQLite, native uuid on PostgreSQL
    assert raw == (ids["assessment"].hex if project.path is not None else ids["assessment"])


def _duplicates(ids: dict[str, uuid.UUID], fw) -> dict[str, object]:
    return {
        "unit code": Unit(code="H01", name="again", kind="district"),
        "period year": Period(year=2024, title="again"),
        "criteria set code+version": CriteriaSet(code=fw.code, version=fw.version, year=2024,
                                                 sha256="b" * 64, document="{}"),
        "criteria set sha256": CriteriaSet(code="other", version=9, year=2024, sha256=fw.sha256,
                                           document="{}"),
        "assessment unit+period": Assessment(unit_id=ids["unit"], period_id=ids["period"],
                                             criteria_set_id=ids["criteria_set"]),
        "score assessment+leaf+stage": Score(assessment_id=ids["assessment"], criterion_code="1.1",
                                             stage="self"),
        "evidence assessment+leaf+sha": Evidence(assessment_id=ids["assessment"], criterion_code="1.1",
                                                 sha256="a" * 64, file_name="copy.pdf", size=1234),
    }


@pytest.mark.parametrize("key", ["unit code", "period year", "criteria set code+version",
                                 "criteria set sha256", "assessment unit+period",
                                 "score assessment+leaf+stage", "evidence assessment+leaf+sha"])
def test_natural_keys_are_unique(project: Project, mini_framework, key: str):
    ids = populate(project, mini_framework)
    row = _duplicates(ids, mini_framework)[key]
    with pytest.raises(IntegrityError, match=r"(?i)unique"), project.session() as s:
        s.add(row)


def test_same_evidence_on_another_leaf_and_other_stages_allowed(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with project.session() as s:
        s.add(Evidence(assessment_id=ids["assessment"], criterion_code="1.2", sha256="a" * 64,
                       file_name="x.pdf", size=1))
        s.add(Score(assessment_id=ids["assessment"], criterion_code="1.1", stage="appraisal1",
                    value={"done": False}, points=0))
        # A second assessment for the commune in the same period
        s.add(Assessment(unit_id=ids["commune"], period_id=ids["period"],
                         criteria_set_id=ids["criteria_set"]))


def test_concurrent_revisions_are_both_kept(project: Project, mini_framework):
    """Two laptops editing revision 1 both produce a revision 2: history keeps both for the merge."""
    ids = populate(project, mini_framework)
    with project.session() as s:
        base = s.scalars(select(ScoreRevision.id)).one()
        for device in ("laptop-1", "laptop-2"):
            s.add(ScoreRevision(score_id=ids["score"], revision=2, value={"done": False}, points=0,
                                device_id=device, base_revision_id=base))
    with project.session() as s:
        score = s.get(Score, ids["score"])
        assert score is not None
        assert [r.revision for r in score.revisions] == [1, 2, 2]
        assert {r.base_revision_id for r in score.revisions if r.revision == 2} == {base}


@pytest.mark.parametrize("row", [
    lambda: Score(assessment_id=uuid.uuid4(), criterion_code="1.1", stage="self"),
    lambda: Assessment(unit_id=uuid.uuid4(), period_id=uuid.uuid4(), criteria_set_id=uuid.uuid4()),
    lambda: Evidence(assessment_id=uuid.uuid4(), criterion_code="1.1", sha256="c" * 64, file_name="x",
                     size=1),
    lambda: AuditEvent(action="score.set", assessment_id=uuid.uuid4()),
    lambda: ScoreRevision(score_id=uuid.uuid4(), revision=1),
])
def test_foreign_keys_enforced(project: Project, row):
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), project.session() as s:
        s.add(row())


def test_assessment_in_use_cannot_lose_its_unit(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with pytest.raises(IntegrityError, match=r"(?i)foreign key"), project.session() as s:
        s.execute(text("DELETE FROM unit WHERE id = :id"), {"id": ids["unit"].hex})


# --- values -----------------------------------------------------------------------------------------
@pytest.mark.parametrize(("given", "expected"), [
    (Decimal("0.1"), Decimal("0.10")),
    (0.1, Decimal("0.10")),
    ("1.25", Decimal("1.25")),
    (2, Decimal("2.00")),
    (Decimal("-0.75"), Decimal("-0.75")),
    (Decimal("999999.99"), Decimal("999999.99")),
    (None, None),
])
def test_points_round_trip_exactly(project: Project, mini_framework, given, expected):
    ids = populate(project, mini_framework)
    with project.session() as s:
        s.add(Score(assessment_id=ids["assessment"], criterion_code="1.2", stage="self", points=given))
    with project.session() as s:
        points = s.scalars(select(Score.points).where(Score.criterion_code == "1.2")).one()
    assert points == expected
    if expected is not None:
        assert isinstance(points, Decimal) and str(points) == str(expected)


@pytest.mark.parametrize("bad", [Decimal("0.125"), "1,5", "abc", True, Decimal("NaN")])
def test_points_refuse_silent_rounding(bad):
    with pytest.raises(ValueError, match="points"):
        Score(criterion_code="1.1", stage="self", points=bad)


def test_sum_of_points_in_sql(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with project.session() as s:
        for code, pts in (("1.2", "0.1"), ("1.3", "0.2")):
            s.add(Score(assessment_id=ids["assessment"], criterion_code=code, stage="self",
                        points=Decimal(pts)))
    with project.session() as s:
        scores = s.scalars(select(Score).where(Score.assessment_id == ids["assessment"])).all()
    assert sum(sc.points or 0 for sc in scores) == Decimal("2.30")


@pytest.mark.parametrize("value", [
    {"done": True},
    {"option": "late"},
    {"numerator": 9, "denominator": 10},
    {"value": Decimal("87.5")},
    {"count": 3},
    {"answers": {"A": 10, "B": 2}, "note": "Khảo sát người dân"},
])
def test_raw_values_round_trip(project: Project, mini_framework, value):
    ids = populate(project, mini_framework)
    with project.session() as s:
        s.add(Score(assessment_id=ids["assessment"], criterion_code="2.1", stage="self", value=value))
    with project.session() as s:
        stored = s.scalars(select(Score.value).where(Score.criterion_code == "2.1")).one()
    assert stored == value


def test_json_numbers_with_fraction_come_back_as_decimal(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with project.session() as s:
        s.add(Score(assessment_id=ids["assessment"], criterion_code="2.1", stage="self",
                    value={"value": 0.1}))
    with project.session() as s:
        stored = s.scalars(select(Score.value).where(Score.criterion_code == "2.1")).one()
    assert stored == {"value": Decimal("0.1")} and isinstance(stored["value"], Decimal)


def test_times_are_utc_aware(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    hanoi = timezone(timedelta(hours=7))
    with project.session() as s:
        s.add(AuditEvent(action="stage.lock", assessment_id=ids["assessment"],
                         time=datetime(2024, 12, 10, 17, 0, tzinfo=hanoi)))
    with project.session() as s:
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "stage.lock")).one()
        score = s.get(Score, ids["score"])
    assert event.time == datetime(2024, 12, 10, 10, 0, tzinfo=UTC) and event.time.tzinfo is UTC
    assert score is not None and score.updated_at.tzinfo is UTC
    with pytest.raises(Exception, match="naive datetime"), project.session() as s:
        s.add(AuditEvent(action="x", time=datetime(2024, 1, 1)))


def test_updated_at_moves_on_update(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with project.session() as s:
        a = s.get(Assessment, ids["assessment"])
        assert a is not None
        before = a.updated_at
        a.status = "submitted"
        a.locked = {"self"}
    with project.session() as s:
        a = s.get(Assessment, ids["assessment"])
        assert a is not None
        assert a.updated_at >= before and a.status == "submitted"
        assert a.locked_stages == "self" and a.locked == {"self"}
        a.locked = {"appraisal1", "self", "explanation"}
        assert a.locked_stages == "self,appraisal1,explanation"


def test_import_log(project: Project):
    with project.session() as s:
        s.add(ImportLog(author="Thư ký", source="H01.cchc", source_sha256="d" * 64, dry_run=True,
                        summary={"new": 3, "updated": 1, "identical": 10, "conflicts": [], "duplicates": []}))
    with project.session() as s:
        log = s.scalars(select(ImportLog)).one()
    assert log.dry_run is True and log.summary["new"] == 3 and log.time.tzinfo is UTC


# --- criteria sets ---------------------------------------------------------------------------------
def test_criteria_set_rebuilt_exactly(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with project.session() as s:
        row = s.get(CriteriaSet, ids["criteria_set"])
        assert row is not None
        assert (row.code, row.version, row.year, row.title) == ("test-mini", 1, 2024, mini_framework.title)
        rebuilt = row.framework()
    assert rebuilt.sha256 == mini_framework.sha256 == row.sha256
    assert rebuilt.document == mini_framework.document
    assert list(rebuilt.nodes) == list(mini_framework.nodes)
    leaf = rebuilt.nodes["1.2"]
    assert leaf.max == mini_framework.nodes["1.2"].max and isinstance(leaf.max["district"], Decimal)


def test_tampered_criteria_set_detected(project: Project, mini_framework):
    ids = populate(project, mini_framework)
    with project.engine.begin() as conn:
        doc = conn.execute(text("SELECT document FROM criteria_set")).scalar_one()
        assert '"max":{"$n":"2"}' in doc
        conn.execute(text("UPDATE criteria_set SET document = :d"),
                     {"d": doc.replace('"max":{"$n":"2"}', '"max":{"$n":"3"}', 1)})
    with project.session() as s:
        row = s.get(CriteriaSet, ids["criteria_set"])
        assert row is not None
        with pytest.raises(CriteriaSetCorrupt, match="does not match its fingerprint"):
            row.framework()


def test_non_canonical_criteria_set_detected(mini_framework):
    """A stored text that is not the canonical form is refused even when its own hash was updated."""
    import hashlib
    import json

    from evaluator.models import rebuild_framework

    row = CriteriaSet.from_framework(mini_framework)
    reformatted = json.dumps(json.loads(row.document), indent=2, ensure_ascii=False)
    with pytest.raises(CriteriaSetCorrupt, match="fingerprint"):
        rebuild_framework(reformatted, hashlib.sha256(reformatted.encode()).hexdigest())
    with pytest.raises(CriteriaSetCorrupt, match="cannot be read back"):
        rebuild_framework("not json", hashlib.sha256(b"not json").hexdigest())
    assert rebuild_framework(row.document, row.sha256).sha256 == mini_framework.sha256


# --- evidence store ---------------------------------------------------------------------------------
def test_evidence_store_dedupes(tmp_path: Path):
    store = EvidenceStore(tmp_path / "ev")
    content = "Kế hoạch CCHC năm 2024".encode()
    source = tmp_path / "plan.pdf"
    source.write_bytes(content)
    sha1, size1 = store.put(content, "plan.pdf")
    sha2, size2 = store.put(source, "plan-copy.pdf")
    sha3, _ = store.put(str(source))
    assert sha1 == sha2 == sha3 and size1 == size2 == len(content)
    assert store.path(sha1) == tmp_path / "ev" / sha1[:2] / sha1
    assert store.exists(sha1) and store.verify(sha1)
    with store.open(sha1) as fh:
        assert fh.read() == content
    files = [p for p in (tmp_path / "ev").rglob("*") if p.is_file()]
    assert files == [store.path(sha1)]  # stored once, no temporary files left


def test_evidence_store_streams_large_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    import hashlib

    monkeypatch.setattr(evidence_store_module, "CHUNK", 1000)
    data = bytes(range(256)) * 100  # 25,600 bytes, 26 chunks
    source = tmp_path / "big.bin"
    source.write_bytes(data)
    store = EvidenceStore(tmp_path / "ev")
    sha, size = store.put(source, "big.bin")
    assert sha == hashlib.sha256(data).hexdigest() and size == len(data)
    assert store.path(sha).read_bytes() == data and store.verify(sha)


def test_evidence_store_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    store = EvidenceStore(tmp_path / "ev")

    def fail(*_args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(evidence_store_module.os, "replace", fail)
    with pytest.raises(EvidenceError, match="disk full"):
        store.put(b"half written", "x.pdf")
    assert [p for p in (tmp_path / "ev").rglob("*") if p.is_file()] == []
    monkeypatch.undo()
    with pytest.raises(EvidenceError, match="cannot read"):
        store.put(tmp_path / "missing.pdf")
    assert [p for p in (tmp_path / "ev").rglob("*") if p.is_file()] == []


def test_evidence_store_detects_and_repairs_corruption(tmp_path: Path):
    store = EvidenceStore(tmp_path / "ev")
    sha, _ = store.put(b"original bytes")
    store.path(sha).write_bytes(b"tampered bytes")
    assert store.exists(sha) and not store.verify(sha)
    assert store.put(b"original bytes")[0] == sha  # storing it again replaces the damaged copy
    assert store.verify(sha)
    store.path(sha).unlink()
    assert not store.exists(sha) and not store.verify(sha)
    with pytest.raises(EvidenceError, match="missing"):
        store.open(sha)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "A" * 64, "abc", ""])
def test_evidence_store_rejects_bad_names(tmp_path: Path, bad: str):
    with pytest.raises(EvidenceError, match="SHA-256"):
        EvidenceStore(tmp_path).path(bad)


def test_project_evidence_store(project: Project, tmp_path: Path):
    sha, size = project.evidence.put(b"%PDF-1.4 minutes", "bien-ban.pdf")
    # beside the file, or the folder a server project's address names (tests/pg_cluster.py)
    folder = project.path.with_suffix(".evidence") if project.path is not None else tmp_path / "p.evidence"
    assert project.evidence.path(sha).is_relative_to(folder)
    assert size == 16


@pytest.mark.parametrize("content", ["foreign", "empty"])
def test_a_refused_file_is_left_byte_for_byte_as_it_was(tmp_path: Path, content: str) -> None:
    import sqlite3

    from evaluator.models import ProjectError as ProjectErrorType

    path = tmp_path / "other.db"
    if content == "foreign":
        con = sqlite3.connect(path)
        con.execute("CREATE TABLE foo (x)")
        con.commit()
        con.close()
    else:
        path.write_bytes(b"")
    before = path.read_bytes()
    with pytest.raises(ProjectErrorType, match=r"empty|other tables"):
        open_project(path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.db"]  # no -wal/-shm left behind
