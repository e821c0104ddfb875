"""Committee import of team packages: merge by revision chains, conflicts, duplicates, idempotence and
order independence (the end-to-end test of issue 5)."""

from __future__ import annotations

import shutil
import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import PKI_PASSWORD, backup_files, project_fingerprint
from exchange_helpers import (
    JOIN_A,
    JOIN_P,
    JOIN_U,
    YEAR,
    add_evidence,
    copy,
    edit,
    export,
    run_import,
    score_of,
    state,
)
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.exchange import Pkcs12Signer
from evaluator.models import (
    Assessment,
    AuditEvent,
    Conflict,
    ImportLog,
    PackageImport,
    Period,
    Score,
    Unit,
    open_project,
)
from evaluator.services.conflicts import list_conflicts, resolve_conflict, unresolved_conflicts
from evaluator.services.frameworks import framework_for_kind


@pytest.fixture
def teams(demo_db: Path, tmp_path: Path, exchange_pki: dict[str, Path]) -> dict[str, Path]:
    """Two teams edit copies of the committee's project (different and overlapping leaves, evidence)
    and export signed packages."""
    a, b = copy(demo_db, tmp_path, "team_a"), copy(demo_db, tmp_path, "team_b")
    # overlapping: SO01 1.1.2 self on both laptops, with different values
    edit(a, "SO01", "1.1.2", {"done": True}, "Tổ 1")
    edit(b, "SO01", "1.1.2", {"done": False}, "Tổ 2")
    # different leaves
    edit(a, "SO01", "1.5.2", {"done": False}, "Tổ 1")
    edit(a, "SO01", "1.5.2", {"done": True}, "Tổ 1")  # a chain of two edits on one laptop
    edit(b, "SO02", "1.7", {"done": False}, "Tổ 2")
    edit(b, "SO01", "2.2.1", {"done": False}, "Tổ 2", stage="appraisal1")
    add_evidence(a, "SO01", "1.5.2", b"Bien ban kiem tra - to 1", "bien-ban-to1.txt", "Tổ 1")
    add_evidence(b, "SO02", "1.7", b"Ke hoach - to 2", "ke-hoach-to2.txt", "Tổ 2")
    signer = Pkcs12Signer(exchange_pki["p12"], PKI_PASSWORD)
    return {
        "a": export(a, tmp_path / "a.cchc", ["SO01", "SO02"], "Tổ 1", signer),
        "b": export(b, tmp_path / "b.cchc", ["SO01", "SO02"], "Tổ 2", signer),
    }


@pytest.mark.slow
def test_end_to_end_both_orders_same_project(
    demo_db: Path, tmp_path: Path, teams: dict[str, Path], exchange_pki: dict[str, Path]
):
    one, two, both = (copy(demo_db, tmp_path, n) for n in ("committee1", "committee2", "committee3"))
    first = run_import(one, [teams["a"]], trust_files=[exchange_pki["ca_pem"]])
    assert first.signatures == {"a.cchc": "CN=Tổ thẩm định số 1,C=VN"}
    assert (first.scores_updated, first.scores_conflicting, first.evidence_new) == (2, 0, 1)
    second = run_import(one, [teams["b"]])
    assert (second.scores_updated, second.scores_conflicting, second.evidence_new) == (2, 1, 1)
    assert second.conflicts and "SO01 2024 1.1.2 self" in second.conflicts[0].render("en")
    assert Path(second.backup).is_file() and "Imported." in second.render()

    run_import(two, [teams["b"]])
    run_import(two, [teams["a"]])
    together = run_import(both, [teams["b"], teams["a"]])
    assert together.scores_conflicting == 1

    s1, s2, s3 = state(one), state(two), state(both)
    assert s1 == s2 == s3
    [conflict] = s1["conflicts"]
    assert (conflict["unit_code"], conflict["criterion_code"], conflict["stage"], conflict["year"]) == (
        "SO01",
        "1.1.2",
        "self",
        YEAR,
    )
    assert {v["author"] for v in conflict["values"]} == {"Tổ 1", "Tổ 2"}
    assert {v["note"] for v in conflict["values"]} == {"ghi chú của Tổ 1", "ghi chú của Tổ 2"}
    assert sorted(v["points"] for v in conflict["values"]) == [0.0, 0.5]
    assert len({v["device"] for v in conflict["values"]}) == 2
    assert set(conflict) == {"id", "year", "unit_code", "criterion_code", "stage", "values", "status"}
    assert set(conflict["values"][0]) == {
        "value_id",
        "points",
        "not_applicable",
        "author",
        "device",
        "time",
        "note",
    }
    # the fast-forwarded edits arrived, with their whole chain
    assert score_of(one, "SO01", "1.5.2")[0] == Decimal("0.5")
    assert s1["scores"][("SO01", YEAR, "1.5.2", "self")][6] == 3  # revision 3: demo, then two edits
    assert score_of(one, "SO02", "1.7")[0] == 0
    assert score_of(one, "SO01", "2.2.1", "appraisal1")[4] == "Tổ 2"
    # the conflicted score shows the value both sides knew (the demo's), never one side's
    assert score_of(one, "SO01", "1.1.2") == score_of(demo_db, "SO01", "1.1.2")

    # importing again changes nothing at all
    before = project_fingerprint(one)
    again = run_import(one, [teams["a"], teams["b"]])
    assert not again.changed and again.scores_conflicting == 0 and "Nothing new" in again.render()
    assert project_fingerprint(one) == before

    # resolving the conflict is audited, and results stop flagging it
    with open_project(one) as project, project.session() as s:
        assert [(c.unit_code, c.criterion_code) for c in unresolved_conflicts(s, YEAR)] == [("SO01", "1.1.2")]
        taken = next(v for v in conflict["values"] if v["author"] == "Tổ 1")
        with pytest.raises(UserError, match="reason"):
            resolve_conflict(s, conflict["id"], take=taken["value_id"], reason=" ")
        resolve_conflict(
            s,
            conflict["id"][:8],
            take=taken["value_id"][:8],
            reason="Tổ 1 có biên bản kiểm tra",
            author="Chủ tịch hội đồng",
            device_id="committee",
        )
    with open_project(one) as project, project.session() as s:
        assert unresolved_conflicts(s, YEAR) == []
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.resolve")).one()
        assert event.reason == "Tổ 1 có biên bản kiểm tra" and event.author == "Chủ tịch hội đồng"
        assert len(event.old["values"]) == 2
        score = s.scalars(
            select(Score)
            .join(*JOIN_A)
            .join(*JOIN_U)
            .join(*JOIN_P)
            .where(
                Unit.code == "SO01",
                Period.year == YEAR,
                Score.criterion_code == "1.1.2",
                Score.stage == "self",
            )
        ).one()
        assert score.points == taken["points"] and score.author == "Chủ tịch hội đồng"
        with pytest.raises(UserError, match="already resolved"):
            resolve_conflict(s, conflict["id"], take=taken["value_id"], reason="again")
    # the packages again: still nothing new, the conflict stays resolved
    run_import(one, [teams["b"], teams["a"]])
    with open_project(one) as project, project.session() as s:
        assert unresolved_conflicts(s, YEAR) == []
        assert s.scalars(select(Conflict)).one().status == "resolved"


def test_later_edit_after_resolution_is_a_new_conflict(demo_db: Path, tmp_path: Path, teams: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    b_laptop = tmp_path / "team_b.db"
    run_import(committee, [teams["a"], teams["b"]])
    with open_project(committee) as project, project.session() as s:
        [c] = list_conflicts(s)
        resolve_conflict(s, c["id"], points=Decimal("0.5"), reason="hội đồng quyết định")
    edit(b_laptop, "SO01", "1.1.2", {"done": False}, "Tổ 2")  # team 2 goes on from its own value
    newer = export(b_laptop, tmp_path / "b2.cchc", ["SO01"], "Tổ 2")
    report = run_import(committee, [newer])
    assert report.scores_conflicting == 1
    with open_project(committee) as project, project.session() as s:
        [c2] = list_conflicts(s)
        assert c2["id"] != c["id"] and {v["author"] for v in c2["values"]} == {"", "Tổ 2"}


def test_committee_edit_then_fast_forward_and_dry_run(demo_db: Path, tmp_path: Path, teams: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    before = project_fingerprint(committee)
    preview = run_import(committee, [teams["a"]], dry_run=True)
    assert preview.dry_run and preview.scores_updated == 2 and "Dry run" in preview.render()
    assert project_fingerprint(committee) == before
    assert not backup_files("committee.db.bak-*")
    report = run_import(committee, [teams["a"]])
    assert report.scores_updated == 2 and report.audit_new > 0
    with open_project(committee) as project, project.session() as s:
        log = s.scalars(select(ImportLog)).one()
        assert log.summary["scores_updated"] == 2 and log.summary["kind"] == "team-package"
        assert s.scalars(select(PackageImport)).one().signed_by == "CN=Tổ thẩm định số 1,C=VN"


def _new_unit(db: Path, code: str, author: str) -> None:
    with open_project(db) as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code=code, name=f"Sở mới ({author})", kind="department")
        s.add(unit)
        s.flush()
        s.add(
            Assessment(
                unit_id=unit.id,
                period_id=period.id,
                criteria_set_id=framework_for_kind(s, YEAR, "department").id,
            )
        )
    edit(db, code, "1.1.2", {"done": True}, author)


def test_same_unit_created_on_two_laptops_is_a_probable_duplicate(demo_db: Path, tmp_path: Path):
    a, b, committee = (copy(demo_db, tmp_path, n) for n in ("a", "b", "committee"))
    _new_unit(a, "SO99", "Tổ 1")
    _new_unit(b, "SO99", "Tổ 2")
    pa, pb = (
        export(a, tmp_path / "a.cchc", ["SO99"], "Tổ 1"),
        export(b, tmp_path / "b.cchc", ["SO99"], "Tổ 2"),
    )
    first = run_import(committee, [pa])
    assert first.units_new == 1 and first.assessments_new == 1 and first.scores_new == 1
    second = run_import(committee, [pb])
    assert second.units_new == 0 and len(second.duplicates) == 1
    assert "SO99" in second.duplicates[0].render("en") and "--" not in second.duplicates[0].render("vi")
    assert second.skipped > 0 and "probable duplicate" in second.render()
    with open_project(committee) as project, project.session() as s:
        assert len(s.scalars(select(Unit).where(Unit.code == "SO99")).all()) == 1
    # both at once: one is imported, the other reported — never two units with one code
    fresh = copy(demo_db, tmp_path, "fresh")
    together = run_import(fresh, [pb, pa])
    assert together.units_new == 1 and len(together.duplicates) == 1


def test_other_criteria_set_version_refused(demo_db: Path, tmp_path: Path, teams: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    con = sqlite3.connect(committee)
    with con:
        # the bundled set is at version 2: the committee's copy claims a version 3
        con.execute("UPDATE criteria_set SET version = 3 WHERE code = 'par-department-2024'")
    con.close()
    before = project_fingerprint(committee)
    with pytest.raises(
        UserError,
        match=r"par-department-2024 version 2; this project uses "
        r"par-department-2024 version 3",
    ):
        run_import(committee, [teams["a"]])
    assert project_fingerprint(committee) == before


def test_package_of_another_project_refused(demo_db: Path, tmp_path: Path, teams: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    con = sqlite3.connect(committee)
    with con:
        con.execute("UPDATE project SET id = ?", (uuid.uuid4().hex,))
    con.close()
    before = project_fingerprint(committee)
    with pytest.raises(UserError, match="belongs to project"):
        run_import(committee, [teams["a"]])
    assert project_fingerprint(committee) == before


def test_untrusted_signer_refused_when_trust_is_required(
    demo_db: Path, tmp_path: Path, exchange_pki: dict[str, Path]
):
    a, committee = copy(demo_db, tmp_path, "a"), copy(demo_db, tmp_path, "committee")
    edit(a, "SO03", "1.7", {"done": True}, "Ai đó")
    rogue = export(
        a, tmp_path / "rogue.cchc", ["SO03"], "Ai đó", Pkcs12Signer(exchange_pki["rogue_p12"], PKI_PASSWORD)
    )
    before = project_fingerprint(committee)
    with pytest.raises(UserError, match="not trusted"):
        run_import(committee, [rogue], trust_files=[exchange_pki["ca_pem"]])
    assert project_fingerprint(committee) == before
    report = run_import(committee, [rogue])  # without a trust list the (valid) signature is only reported
    assert report.signatures["rogue.cchc"] == "CN=Kẻ mạo danh,C=VN"


def test_new_values_for_a_locked_stage_are_refused(demo_db: Path, tmp_path: Path, teams: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    con = sqlite3.connect(committee)
    with con:
        con.execute(
            "UPDATE assessment SET locked_stages = 'self' "
            "WHERE unit_id = (SELECT id FROM unit WHERE code = 'SO01') "
            "AND period_id = (SELECT id FROM period WHERE year = 2024)"
        )
    con.close()
    before = project_fingerprint(committee)
    with pytest.raises(UserError, match=r"SO01 2024 1.1.2 self: the self stage is locked in this project"):
        run_import(committee, [teams["a"]])
    assert project_fingerprint(committee) == before


def test_same_package_twice_in_one_run(demo_db: Path, tmp_path: Path, teams: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    twice = tmp_path / "again.cchc"
    shutil.copyfile(teams["a"], twice)
    report = run_import(committee, [teams["a"], twice])
    assert report.scores_updated == 2 and report.revisions_new == 3
    with open_project(committee) as project, project.session() as s:
        assert len(s.scalars(select(PackageImport)).all()) == 1
