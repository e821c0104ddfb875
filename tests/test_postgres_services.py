"""The services on both backends: the demo project as an SQLite file and the same rows on the PostgreSQL
cluster (tests/pg_cluster.py) give the same results, take the same team packages the same way (updates,
conflicts, evidence, the audit chain), and resolve conflicts and edit scores alike."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import PKI_PASSWORD
from exchange_helpers import YEAR, add_evidence, copy, edit, export, run_import, score_of
from pg_cluster import Cluster, copy_rows
from project_helpers import _link_or_copy
from sqlalchemy import func, select

from evaluator.errors import UserError
from evaluator.exchange import Pkcs12Signer
from evaluator.models import AuditEvent, Base, Conflict, ImportLog, open_project
from evaluator.services.audit import count_audit, query_audit, verify_chains
from evaluator.services.conflicts import list_conflicts, resolve_conflict, unresolved_conflicts
from evaluator.services.results import compute_year

# every test here runs on SQLite and on PostgreSQL; the SQLite half repeats what the SQLite tests check, as
# the reference of the comparison: the module runs with the PostgreSQL tests (dev.py test, CI)
pytestmark = [pytest.mark.backends, pytest.mark.slow]

DEMO_TEMPLATE = "evaluator_demo"


@pytest.fixture(scope="session")
def pg_demo(pg_cluster: Cluster, demo_db: Path) -> dict[str, int]:
    """The demo project's rows on the cluster, once per session, as a template database; the rows per
    table."""
    name = pg_cluster.new_database()
    counts = copy_rows(str(demo_db), pg_cluster.url(name))
    pg_cluster.make_template(name, DEMO_TEMPLATE)
    return counts


@pytest.fixture
def committee(db_backend: str, demo_db: Path, tmp_path: Path, request: pytest.FixtureRequest) -> Any:
    """The committee's project, a private copy of the demo: a file, or a database on the cluster (with a
    copy of the demo's evidence folder, hard links)."""
    if db_backend == "sqlite":
        yield copy(demo_db, tmp_path, "committee")
        return
    request.getfixturevalue("pg_demo")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    name = cluster.new_database(template=DEMO_TEMPLATE)
    evidence = tmp_path / "committee.evidence"
    shutil.copytree(demo_db.with_suffix(".evidence"), evidence, copy_function=_link_or_copy)
    try:
        yield cluster.url(name, evidence_dir=str(evidence))
    finally:
        cluster.drop_database(name)


def _rows(db: Any) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, read through the models' types, in a fixed order."""
    with open_project(db) as project, project.engine.connect() as conn:
        return {t.name: sorted((tuple(r) for r in conn.execute(select(t))), key=repr)
                for t in Base.metadata.sorted_tables}


@pytest.mark.postgres
def test_the_same_records_on_both(pg_demo: dict[str, int], pg_cluster: Cluster, demo_db: Path) -> None:
    """Record by record, the server holds what the file holds (UUIDs, aware UTC times, JSON values, points
    as Decimal with two places, booleans), read back through the models on either backend."""
    name = pg_cluster.new_database(template=DEMO_TEMPLATE)
    try:
        on_server = _rows(pg_cluster.url(name))
    finally:
        pg_cluster.drop_database(name)
    in_file = _rows(demo_db)
    assert {t: len(rows) for t, rows in in_file.items()} == pg_demo
    assert on_server == in_file


def test_results_are_the_same(committee: Any, demo_db: Path) -> None:
    for year in (YEAR - 1, YEAR):
        with open_project(demo_db) as reference, reference.session() as s:
            expected = compute_year(s, year).to_json(None)
        with open_project(committee) as project, project.session() as s:
            assert compute_year(s, year).to_json(None) == expected


def test_audit_chains_verify(committee: Any) -> None:
    with open_project(committee) as project, project.session() as s:
        report = verify_chains(s)
        assert report.intact and report.events == s.scalar(select(func.count()).select_from(AuditEvent))


@pytest.fixture
def packages(demo_db: Path, tmp_path: Path, exchange_pki: dict[str, Path]) -> dict[str, Path]:
    """Two teams edit copies of the demo (one leaf on both, with different values) and export signed
    packages (as in test_exchange_merge)."""
    a, b = copy(demo_db, tmp_path, "team_a"), copy(demo_db, tmp_path, "team_b")
    edit(a, "SO01", "1.1.2", {"done": True}, "Tổ 1")
    edit(b, "SO01", "1.1.2", {"done": False}, "Tổ 2")
    edit(a, "SO01", "1.5.2", {"done": False}, "Tổ 1")
    edit(a, "SO01", "1.5.2", {"done": True}, "Tổ 1")
    edit(b, "SO02", "1.7", {"done": False}, "Tổ 2")
    add_evidence(a, "SO01", "1.5.2", b"Bien ban kiem tra - to 1", "bien-ban-to1.txt", "Tổ 1")
    signer = Pkcs12Signer(exchange_pki["p12"], PKI_PASSWORD)
    return {"a": export(a, tmp_path / "a.cchc", ["SO01", "SO02"], "Tổ 1", signer),
            "b": export(b, tmp_path / "b.cchc", ["SO01", "SO02"], "Tổ 2", signer)}


def test_team_packages_conflicts_and_resolution(committee: Any, demo_db: Path, packages: dict[str, Path],
                                                 exchange_pki: dict[str, Path], db_backend: str) -> None:
    first = run_import(committee, [packages["a"]], trust_files=[exchange_pki["ca_pem"]])
    assert (first.scores_updated, first.scores_conflicting, first.evidence_new) == (2, 0, 1)
    second = run_import(committee, [packages["b"]])
    assert (second.scores_updated, second.scores_conflicting, second.evidence_new) == (1, 1, 0)
    # backed up before an import: a file, and a server database too (its rows as an SQLite file)
    assert second.backup and Path(second.backup).read_bytes()[:16] == b"SQLite format 3\x00"
    assert score_of(committee, "SO01", "1.5.2")[0] == Decimal("0.5")
    assert score_of(committee, "SO01", "1.1.2") == score_of(demo_db, "SO01", "1.1.2")

    again = run_import(committee, [packages["a"], packages["b"]])
    assert not again.changed and again.scores_conflicting == 0

    with open_project(committee) as project, project.session() as s:
        [conflict] = list_conflicts(s, status=None)
        assert (conflict["unit_code"], conflict["criterion_code"], conflict["stage"]) == \
            ("SO01", "1.1.2", "self")
        taken = next(v for v in conflict["values"] if v["author"] == "Tổ 1")
        with pytest.raises(UserError, match="reason"):
            resolve_conflict(s, conflict["id"], take=taken["value_id"], reason=" ")
        resolve_conflict(s, conflict["id"][:8], take=taken["value_id"][:8], reason="Tổ 1 có biên bản",
                         author="Chủ tịch hội đồng", device_id="committee")
    with open_project(committee) as project, project.session() as s:
        assert unresolved_conflicts(s, YEAR) == []
        assert s.scalars(select(Conflict)).one().status == "resolved"
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.resolve")).one()
        assert event.reason == "Tổ 1 có biên bản" and len(event.old["values"]) == 2
        assert verify_chains(s).intact
    assert score_of(committee, "SO01", "1.1.2")[4] == "Chủ tịch hội đồng"


def test_several_packages_in_one_import(committee: Any, packages: dict[str, Path],
                                        exchange_pki: dict[str, Path]) -> None:
    """Two packages at once: one import log naming both (on the server its fingerprint column held only
    one SHA-256's length, and the joined fingerprints were refused: "value too long")."""
    report = run_import(committee, [packages["a"], packages["b"]], trust_files=[exchange_pki["ca_pem"]])
    assert report.changed and report.scores_conflicting == 1
    with open_project(committee) as project, project.session() as s:
        log = s.scalars(select(ImportLog).where(ImportLog.dry_run.is_(False))
                        .order_by(ImportLog.time.desc())).first()
        assert log is not None and "a.cchc" in log.source and "b.cchc" in log.source
        assert len(log.source_sha256) == 64


def test_score_edits_keep_their_chain(committee: Any) -> None:
    edit(committee, "SO03", "1.1.2", {"done": False}, "Thư ký")
    edit(committee, "SO03", "1.1.2", {"done": True}, "Thư ký")
    points, not_applicable, value, note, author = score_of(committee, "SO03", "1.1.2")
    assert value == {"done": True} and author == "Thư ký" and note == "ghi chú của Thư ký"
    assert not not_applicable and isinstance(points, Decimal)
    with open_project(committee) as project, project.session() as s:
        assert verify_chains(s).intact


def test_audit_search_and_order_are_the_same(committee: Any, demo_db: Path) -> None:
    """The audit view's filters (a case-blind text search: LIKE on SQLite, ILIKE on PostgreSQL) and its
    order (newest first, then by id) give the same page on both."""
    def page(db: Any, **filters: Any) -> tuple[int, list[Any]]:
        with open_project(db) as project, project.session() as s:
            return count_audit(s, **filters), query_audit(s, limit=50, **filters)

    for filters in ({"text": "so01"}, {"text": "SO01"}, {"year": YEAR, "action": "score."}, {}):
        count, rows = page(committee, **filters)
        assert count > 0 and (count, rows) == page(demo_db, **filters)
    assert page(committee, text="so01")[0] == page(committee, text="SO01")[0]
