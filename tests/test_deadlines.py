"""Deadlines, submissions and approvals (issue 14): stage dates checked at every score write with a given
"today", the unit's submission and withdrawal, the chair's approval and its fingerprint made stale by an
edit or a late package import, the publication refused without approval, and the unit's status."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from exchange_helpers import copy, edit
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Period, Unit, open_project
from evaluator.services import schedule
from evaluator.services.approval import approval_states, approve, require_approved, unit_statuses
from evaluator.services.exchange import export_package, import_packages
from evaluator.services.locks import unlock_stage
from evaluator.services.schedule import set_schedule
from evaluator.services.scores import set_score
from evaluator.services.submission import submit, withdraw
from evaluator.services.team_progress import overdue_units

YEAR = 2024
OPENS, CLOSES = date(2024, 11, 1), date(2024, 12, 10)
BEFORE, DURING, AFTER = date(2024, 10, 31), date(2024, 12, 10), date(2024, 12, 11)


def _assessment(s, code: str) -> Assessment:
    return s.scalars(select(Assessment).join(Unit).join(Period)
                     .where(Unit.code == code, Period.year == YEAR)).one()


def _self_leaf(s, code: str) -> str:
    """A leaf of the unit scored by a rule with a yes/no input."""
    from evaluator.services.frameworks import framework_of

    a = _assessment(s, code)
    fw = framework_of(a.criteria_set)
    return next(n.code for n in fw.leaves(a.unit.kind)
                if n.source != "survey" and n.rule is not None and n.rule.kind == "binary")


@pytest.fixture
def scheduled(demo_copy: Path) -> Path:
    with open_project(demo_copy) as project, project.session() as s:
        set_schedule(s, YEAR, "self", OPENS, CLOSES, author="Sở Nội vụ", role="committee")
    return demo_copy


def test_writes_follow_the_stage_dates_and_a_committee_unlock_reopens(scheduled: Path) -> None:
    with open_project(scheduled) as project, project.session() as s:
        a = _assessment(s, "SO01")
        leaf = _self_leaf(s, "SO01")
        with pytest.raises(UserError) as early:
            set_score(s, a.id, leaf, "self", value={"done": True}, day=BEFORE)
        assert early.value.code == "schedule.not_open" and early.value.params["opens"] == "2024-11-01"
        set_score(s, a.id, leaf, "self", value={"done": True}, day=DURING)  # the closing day is still open
        with pytest.raises(UserError) as late:
            set_score(s, a.id, leaf, "self", value={"done": False}, day=AFTER)
        assert late.value.code == "schedule.closed" and late.value.params["closes"] == "2024-12-10"
        # other stages have no dates: unaffected
        set_score(s, a.id, leaf, "appraisal2", value={"done": True}, reason="đúng hồ sơ", day=AFTER)
        # an assessor cannot re-open; the committee can, with a reason, for this assessment only
        with pytest.raises(UserError):
            unlock_stage(s, a.id, "self", role="assessor", reason="x", day=AFTER)
        unlock_stage(s, a.id, "self", author="Chủ tịch", role="committee", reason="bổ sung hồ sơ", day=AFTER)
        set_score(s, a.id, leaf, "self", value={"done": False}, day=AFTER)
        other = _assessment(s, "SO02")
        with pytest.raises(UserError, match="2024-12-10"):
            set_score(s, other.id, _self_leaf(s, "SO02"), "self", value={"done": True}, day=AFTER)
        actions = [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()]
        assert "schedule.set" in actions and "stage.reopen" in actions


def test_schedule_refuses_bad_dates_and_other_roles(demo_copy: Path) -> None:
    with open_project(demo_copy) as project, project.session() as s:
        with pytest.raises(UserError) as bad:
            set_schedule(s, YEAR, "self", CLOSES, OPENS)
        assert bad.value.code == "schedule.closes_before_opens"
        with pytest.raises(UserError) as role:
            set_schedule(s, YEAR, "self", OPENS, CLOSES, role="member")
        assert role.value.code == "schedule.committee_only"
        with pytest.raises(UserError) as year:
            set_schedule(s, 1999, "self", OPENS, CLOSES)
        assert year.value.code == "projects.no_year"


def test_submission_locks_self_withdrawal_only_before_the_deadline(scheduled: Path) -> None:
    with open_project(scheduled) as project, project.session() as s:
        a = _assessment(s, "SO01")
        leaf = _self_leaf(s, "SO01")
        submit(s, YEAR, "SO01", author="Cán bộ SO01", role="assessor", day=DURING)
        assert "self" in a.locked and a.status != "self_assessment"
        with pytest.raises(UserError) as locked:
            set_score(s, a.id, leaf, "self", value={"done": False}, role="assessor", day=DURING)
        assert locked.value.code == "scores.stage_locked"
        with pytest.raises(UserError) as twice:
            submit(s, YEAR, "SO01", role="assessor", day=DURING)
        assert twice.value.code == "submission.already"
        with pytest.raises(UserError) as after:
            withdraw(s, YEAR, "SO01", role="assessor", day=AFTER)
        assert after.value.code == "submission.withdraw_closed"
        assert after.value.params["closes"] == "2024-12-10"
        assert "self" in a.locked  # nothing changed by the refused withdrawal


def test_withdraw_before_deadline_allows_changes(demo_copy: Path) -> None:
    """A unit not yet appraised: submit, withdraw, change, submit again."""
    with open_project(demo_copy) as project, project.session() as s:
        from evaluator.services.units import UnitDetails, add_unit
        from evaluator.services.users import Actor

        add_unit(s, UnitDetails(code="SO99", name="Sở mới", kind="department"), actor=Actor(), year=YEAR)
        set_schedule(s, YEAR, "self", OPENS, CLOSES)
        a = _assessment(s, "SO99")
        leaf = _self_leaf(s, "SO99")
        assert unit_statuses(s, YEAR)["SO99"] == "not_started"
        set_score(s, a.id, leaf, "self", value={"done": True}, role="assessor", day=DURING)
        assert unit_statuses(s, YEAR)["SO99"] == "self_assessing"
        submit(s, YEAR, "SO99", role="assessor", day=DURING)
        assert unit_statuses(s, YEAR)["SO99"] == "submitted" and a.status == "submitted"
        assert overdue_units(s, YEAR, "self", AFTER) >= {"SO01"} and "SO99" not in overdue_units(
            s, YEAR, "self", AFTER)
        assert overdue_units(s, YEAR, "self", DURING) == set()
        withdraw(s, YEAR, "SO99", role="assessor", day=DURING)
        assert a.status == "self_assessment" and "self" not in a.locked
        assert "SO99" in overdue_units(s, YEAR, "self", AFTER)
        set_score(s, a.id, leaf, "self", value={"done": False}, role="assessor", day=DURING)
        with pytest.raises(UserError) as role:
            submit(s, YEAR, "SO99", role="member", day=DURING)
        assert role.value.code == "submission.role"
        with pytest.raises(UserError) as late:
            submit(s, YEAR, "SO99", role="assessor", day=AFTER)
        assert late.value.code == "schedule.closed"
        set_score(s, a.id, leaf, "appraisal1", value={"done": True}, reason="đủ", day=DURING)
        assert unit_statuses(s, YEAR)["SO99"] == "appraising"


def test_approval_records_who_and_goes_stale_on_edit(demo_copy: Path) -> None:
    with open_project(demo_copy) as project, project.session() as s:
        with pytest.raises(UserError) as role:
            approve(s, YEAR, "SO01", author="Thư ký", role="secretary")
        assert role.value.code == "approval.committee_only"
        approve(s, YEAR, "SO01", author="Chủ tịch A", role="committee")
        state = approval_states(s, YEAR)["SO01"]
        assert (state.status, state.by, state.role) == ("approved", "Chủ tịch A", "committee")
        assert unit_statuses(s, YEAR)["SO01"] == "approved"
        require_approved(s, YEAR, ["SO01"])
        assert approve(s, YEAR, "SO01", role="committee").empty  # same values: nothing new
        a = _assessment(s, "SO01")
        set_score(s, a.id, _self_leaf(s, "SO01"), "appraisal2", points=Decimal("0"),
                  reason="không có hồ sơ")
        assert approval_states(s, YEAR)["SO01"].status == "stale"
        assert unit_statuses(s, YEAR)["SO01"] == "reappraisal"
        with pytest.raises(UserError) as stale:
            require_approved(s, YEAR, ["SO01", "SO02"])
        text = stale.value.render("vi")
        assert "cần phê duyệt lại SO01" in text and "chưa phê duyệt SO02" in text
        approve(s, YEAR, "SO01", author="Chủ tịch A", role="committee")
        assert approval_states(s, YEAR)["SO01"].status == "approved"


def test_a_late_package_import_makes_the_approval_stale(demo_db: Path, tmp_path: Path) -> None:
    committee, team = copy(demo_db, tmp_path, "committee"), copy(demo_db, tmp_path, "team")
    with open_project(committee) as project, project.session() as s:
        approve(s, YEAR, "SO01", author="Chủ tịch", role="committee")
        leaf = _self_leaf(s, "SO01")
    edit(team, "SO01", leaf, {"done": False}, "Tổ 1", stage="appraisal2")
    with open_project(team) as project:
        export_package(project, tmp_path / "late.cchc", years=[YEAR], units=["SO01"], author="Tổ 1")
    with open_project(committee) as project:
        import_packages(project, [tmp_path / "late.cchc"])
        with project.session() as s:
            assert approval_states(s, YEAR)["SO01"].status == "stale"


def test_cli_schedule_submit_approve_results_and_publication(demo_copy: Path, tmp_path: Path, run_cli,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(schedule, "today", lambda: DURING)
    db = str(demo_copy)
    assert run_cli("schedule", "--db", db, "--year", YEAR, "--stage", "self", "--opens", "2024-11-01",
                   "--closes", "2024-12-10")[0] == 0
    code, out, _err = run_cli("schedule", "--db", db, "--year", YEAR, "--format", "json")
    assert code == 0 and json.loads(out) == [{"year": 2024, "stage": "self", "opens": "2024-11-01",
                                              "closes": "2024-12-10", "state": "open"}]
    assert run_cli("submit", "--db", db, "--year", YEAR, "--unit", "SO01")[0] == 0
    monkeypatch.setattr(schedule, "today", lambda: AFTER)
    code, _out, err = run_cli("submit", "--db", db, "--year", YEAR, "--unit", "SO01", "--withdraw")
    assert code == 1 and "2024-12-10" in err
    pdf = tmp_path / "cong-bo.pdf"
    code, _out, err = run_cli("report", "publication", "--db", db, "--year", YEAR, "--out", pdf)
    assert code == 1 and not pdf.exists() and "SO01" in err
    assert run_cli("report", "publication", "--db", db, "--year", YEAR, "--out", pdf, "--draft")[0] == 0
    assert pdf.is_file()
    assert run_cli("approve", "--db", db, "--year", YEAR, "--unit", "SO01", "--author", "Chủ tịch")[0] == 0
    code, out, _err = run_cli("results", "--db", db, "--year", YEAR, "--format", "json")
    units = {u["code"]: u for u in json.loads(out)["units"]}
    assert units["SO01"]["approval"]["status"] == "approved" and units["SO01"]["approval"]["by"] == "Chủ tịch"
    assert units["SO01"]["status"] == "approved"
    assert units["SO02"]["approval"] == {"status": "missing", "by": None, "role": None, "at": None}
    assert units["SO02"]["status"] == "reappraisal"


def test_publication_issued_after_approval_then_verify_says_approve_again(demo_copy: Path, tmp_path: Path,
                                                                         run_cli) -> None:
    db = str(demo_copy)
    with open_project(demo_copy) as project, project.session() as s:
        codes = sorted(approval_states(s, YEAR))
        for code in codes:
            approve(s, YEAR, code, author="Chủ tịch", role="committee")
    pdf = tmp_path / "cong-bo.pdf"
    code, _out, err = run_cli("report", "publication", "--db", db, "--year", YEAR, "--out", pdf,
                              "--author", "Thư ký")
    assert code == 0, err
    with open_project(demo_copy) as project, project.session() as s:
        assert set(unit_statuses(s, YEAR).values()) == {"published"}
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "publication.issue")).one()
        assert event.author == "Thư ký" and event.new["units"] == codes
        a = _assessment(s, "SO03")
        set_score(s, a.id, _self_leaf(s, "SO03"), "appraisal2", points=Decimal("0"), reason="sai hồ sơ")
        statuses = unit_statuses(s, YEAR)
        assert statuses["SO03"] == "reappraisal" and statuses["SO01"] == "published"
    code, out, _err = run_cli("verify", pdf, "--db", db, "--format", "json")
    report = json.loads(out)
    assert len(report["approvals"]) == 1 and "SO03" in report["approvals"][0]
    assert "cần phê duyệt lại" in report["approvals"][0]
    code, out, _err = run_cli("verify", pdf, "--db", db)
    assert "cần phê duyệt lại" in out


def test_a_package_after_the_closing_date_is_refused_unless_reopened(demo_db: Path, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The package merge treats a stage past its closing date as locked, like a single write."""
    from conftest import project_fingerprint

    committee, team = copy(demo_db, tmp_path, "committee"), copy(demo_db, tmp_path, "team")
    with open_project(committee) as project, project.session() as s:
        set_schedule(s, YEAR, "self", OPENS, CLOSES)
        leaf = _self_leaf(s, "SO01")
    edit(team, "SO01", leaf, {"done": False}, "Tổ 1", stage="self")
    with open_project(team) as project:
        export_package(project, tmp_path / "late.cchc", years=[YEAR], units=["SO01"], author="Tổ 1")
    monkeypatch.setattr(schedule, "today", lambda: AFTER)
    before = project_fingerprint(committee)
    with open_project(committee) as project, pytest.raises(UserError, match=f"SO01 2024 {leaf} self"):
        import_packages(project, [tmp_path / "late.cchc"])
    assert project_fingerprint(committee) == before
    with open_project(committee) as project:
        with project.session() as s:
            unlock_stage(s, _assessment(s, "SO01").id, "self", role="committee", reason="nộp muộn có lý do")
        import_packages(project, [tmp_path / "late.cchc"])
