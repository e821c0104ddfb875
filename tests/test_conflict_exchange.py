"""Resolved conflicts travel in team packages: a team leader merges two members' laptops, settles their
conflict and sends the decision on; whoever imports it gets the decision (not the conflict again), in any
package order, once. Packages without decisions (written before) import as before; bad decision records
are refused with their place. On real project files."""

from __future__ import annotations

import hashlib
import itertools
import json
import sqlite3
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import copy_project, project_fingerprint
from exchange_helpers import YEAR, copy, edit, export, run_import, score_of, state
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Conflict, Period, Unit, open_project
from evaluator.services.conflicts import (
    CONFLICT_NAMESPACE,
    Rev,
    conflict_id,
    list_conflicts,
    resolve_conflict,
    unresolved_conflicts,
)
from evaluator.services.exchange import export_package, this_device
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.results import compute_year

LEAF = "1.1.2"
LEADER = "Tổ trưởng"
LEADER_REASON = "Tổ viên 1 có biên bản kiểm tra thực tế"


# --- helpers ------------------------------------------------------------------------------------------
def conflict_rows(db: Path) -> list[tuple[Any, ...]]:
    """Every conflict row, every column (what must be equal whatever the package order)."""
    con = sqlite3.connect(db)
    try:
        return sorted(
            con.execute(
                "SELECT id, assessment_id, criterion_code, stage, head_ids, base_revision_id, status, "
                "detected_at, resolved_at, resolved_by, reason, resolution_revision_id FROM score_conflict"
            )
        )
    finally:
        con.close()


def full_state(db: Path) -> dict[str, Any]:
    return {**state(db), "conflict_rows": conflict_rows(db)}


def flagged(db: Path, code: str = "SO01") -> int:
    """How many open conflicts the results show for the unit."""
    with open_project(db) as project, project.session() as s:
        units = compute_year(s, YEAR).to_json()["units"]
    [row] = [u for u in units if u["code"] == code]
    return int(row["unresolved_conflicts"])


def resolve(db: Path, author: str, reason: str, *, take_author: str | None = None, points: Any = None) -> str:
    """Resolve the only open conflict, taking the value of ``take_author`` (or giving ``points``)."""
    with open_project(db) as project:
        device = this_device(project)
        with project.session() as s:
            [c] = list_conflicts(s)
            take = None
            if take_author is not None:
                take = next(v["value_id"] for v in c["values"] if v["author"] == take_author)
            resolve_conflict(
                s, c["id"], take=take, points=points, reason=reason, author=author, device_id=device
            )
    return str(c["id"])


def record(s: Any, ident: str) -> Conflict:
    found = s.get(Conflict, uuid.UUID(ident))
    assert found is not None
    return found


def resolve_events(db: Path) -> list[AuditEvent]:
    with open_project(db) as project, project.session() as s:
        query = select(AuditEvent).where(AuditEvent.action == "conflict.resolve").order_by(AuditEvent.id)
        return list(s.scalars(query))


def entries_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def rewrite(source: Path, target: Path, change: Any) -> Path:
    """A copy of a package with ``change(data)`` applied to data.json and the manifest re-hashed (the
    signature, if any, dropped): a package another program (or an older version) might write."""
    entries = {k: v for k, v in entries_of(source).items() if k != "manifest.json.p7s"}
    data = json.loads(entries["data.json"])
    change(data)
    entries["data.json"] = json.dumps(data).encode()
    manifest = json.loads(entries["manifest.json"])
    manifest["entries"] = [
        {"path": n, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
        for n, b in sorted(entries.items())
        if n != "manifest.json"
    ]
    entries["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as zf:
        for name, blob in entries.items():
            zf.writestr(name, blob)
    return target


def refit(c: dict[str, Any]) -> None:
    """Give a conflict record the id its assessment, leaf, stage and heads make."""
    heads = [
        Rev(uuid.UUID(h), 1, None, None, None, False, "", "", "", datetime(2024, 1, 1, tzinfo=UTC))
        for h in c["head_ids"]
    ]
    c["id"] = str(conflict_id(uuid.UUID(c["assessment_id"]), c["criterion_code"], c["stage"], heads))


# --- the round: two members, a leader who decides ------------------------------------------------------
@pytest.fixture(scope="module")
def team(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Member 1 and member 2 edit SO01 1.1.2 differently (member 1 also 1.7); the leader imports both,
    takes member 1's value with a reason and exports. Also a committee that has imported both members
    (the conflict open), to copy."""
    folder = tmp_path_factory.mktemp("round")
    m1, m2, leader = (copy(demo_db, folder, n) for n in ("member1", "member2", "leader"))
    edit(m1, "SO01", LEAF, {"done": True}, "Tổ viên 1")
    edit(m1, "SO01", "1.7", {"done": False}, "Tổ viên 1")
    edit(m2, "SO01", LEAF, {"done": False}, "Tổ viên 2")
    p1 = export(m1, folder / "member1.cchc", ["SO01"], "Tổ viên 1")
    p2 = export(m2, folder / "member2.cchc", ["SO01"], "Tổ viên 2")
    assert run_import(leader, [p1, p2]).scores_conflicting == 1
    cid = resolve(leader, LEADER, LEADER_REASON, take_author="Tổ viên 1")
    with open_project(leader) as project:
        written = export_package(project, folder / "leader.cchc", years=[YEAR], units=["SO01"], author=LEADER)
        leader_device = this_device(project)
    assert written.conflicts_resolved == 1 and "1 resolved conflict(s)" in written.render()
    with open_project(leader) as project, project.session() as s:
        decided = s.get(Conflict, uuid.UUID(cid))
        assert decided is not None and decided.status == "resolved"
        resolution = decided.resolution_revision_id
    committee_open = copy(demo_db, folder, "committee_open")
    run_import(committee_open, [p1, p2])
    return {
        "folder": folder,
        "m1": p1,
        "m2": p2,
        "leader": written.path,
        "leader_db": leader,
        "leader_device": leader_device,
        "conflict_id": cid,
        "resolution": resolution,
        "taken_points": score_of(leader, "SO01", LEAF)[0],
        "committee_open": committee_open,
    }


def open_committee(team: dict[str, Any], tmp_path: Path, name: str = "committee") -> Path:
    return copy_project(team["committee_open"], tmp_path / f"{name}.db")


def assert_decided_by_leader(db: Path, team: dict[str, Any]) -> None:
    with open_project(db) as project, project.session() as s:
        assert unresolved_conflicts(s, YEAR) == []
        [c] = s.scalars(select(Conflict)).all()
        assert (str(c.id), c.status, c.reason, c.resolved_by) == (
            team["conflict_id"],
            "resolved",
            LEADER_REASON,
            LEADER,
        )
        assert c.resolution_revision_id == team["resolution"]
    assert score_of(db, "SO01", LEAF)[0] == team["taken_points"]
    assert flagged(db) == 0


def drop_project(db: Path) -> None:
    """Remove a project copy that a test is done with, its evidence folder and its automatic backups."""
    import shutil

    from evaluator.services.backups import backups_folder

    shutil.rmtree(backups_folder(db), ignore_errors=True)
    shutil.rmtree(db.with_suffix(".evidence"), ignore_errors=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


# --- (a) any order, one decision ------------------------------------------------------------------------
@pytest.mark.slow
def test_leader_decision_arrives_in_any_order(demo_db: Path, tmp_path: Path, team: dict[str, Any]):
    packages = [team["m1"], team["m2"], team["leader"]]
    states = []
    for n, order in enumerate(itertools.permutations(packages)):
        db = copy(demo_db, tmp_path, f"order{n}")
        for package in order:
            report = run_import(db, [package])
            assert report.conflicts_resolved <= 1
        assert_decided_by_leader(db, team)
        states.append(full_state(db))
        drop_project(db)  # six orders: their copies and import backups would hold ~500 MB at once
    together = copy(demo_db, tmp_path, "together")
    report = run_import(together, packages)
    assert report.conflicts_resolved == 1 and report.scores_conflicting == 0 and not report.conflicts
    assert report.summary()["conflicts_resolved"] == 1
    assert "conflicts resolved by the packages' decisions: 1" in report.render()
    assert_decided_by_leader(together, team)
    states.append(full_state(together))
    assert all(s == states[0] for s in states[1:])
    # the member's other edit came along; the decision's audit event (the leader's own, which travels
    # with it) is there once, whatever the order
    assert score_of(together, "SO01", "1.7")[4] == "Tổ viên 1"
    [event] = resolve_events(together)
    assert (event.author, event.reason, event.new["value_id"]) == (LEADER, LEADER_REASON,
                                                                   str(team["resolution"]))


def _rows_but_package_imports(db: Path) -> dict[str, list[str]]:
    """Every row but the record of imported packages and when each device was last heard from."""
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        out = {t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"')))
               for t in tables if t not in ("package_import", "device")}
        out["device"] = sorted(repr(r[:-1]) for r in con.execute("SELECT * FROM device"))
        return out


@pytest.mark.slow
def test_the_members_again_change_nothing(team: dict[str, Any], tmp_path: Path):
    """(f) Re-importing — the same packages, or a new export of the same work — changes nothing."""
    db = open_committee(team, tmp_path)
    first = run_import(db, [team["leader"]])
    assert first.conflicts_resolved == 1
    before = project_fingerprint(db)
    again = run_import(db, [team["m1"], team["leader"], team["m2"]])
    assert not again.changed and again.conflicts_resolved == 0 and "Nothing new" in again.render()
    assert project_fingerprint(db) == before
    with open_project(team["leader_db"]) as project:  # the leader exports again: another package, same work
        export_package(project, tmp_path / "leader-again.cchc", years=[YEAR], units=["SO01"], author=LEADER)
    kept = _rows_but_package_imports(db)
    later = run_import(db, [tmp_path / "leader-again.cchc"])
    assert not later.changed and later.conflicts_resolved == 0 and later.scores_identical > 0
    # the new package is remembered as imported (so that the leader's incremental packages built on it
    # are accepted: issue 17), and nothing else changes
    assert _rows_but_package_imports(db) == kept and project_fingerprint(db)[1] == before[1]
    with sqlite3.connect(db) as con:
        names = [r[0] for r in con.execute("SELECT file_name FROM package_import")]
    assert names.count("leader-again.cchc") == 1
    assert_decided_by_leader(db, team)


# --- (b) the committee had the conflict open --------------------------------------------------------------
@pytest.mark.slow
def test_open_conflict_is_resolved_by_the_leaders_package(team: dict[str, Any], tmp_path: Path):
    db = open_committee(team, tmp_path)
    with open_project(db) as project, project.session() as s:
        [was] = unresolved_conflicts(s, YEAR)
    assert str(was.id) == team["conflict_id"] and flagged(db) == 1  # the same id as on the leader's laptop
    before = project_fingerprint(db)
    preview = run_import(db, [team["leader"]], dry_run=True)
    assert preview.conflicts_resolved == 1 and project_fingerprint(db) == before
    report = run_import(db, [team["leader"]])
    assert report.conflicts_resolved == 1 and report.scores_conflicting == 0
    assert any(LEADER_REASON in c.render("en") for c in report.changes)
    assert_decided_by_leader(db, team)
    # the leader's own event came with the package: the audit view shows who decided, and why; the import
    # does not add a second one
    [applied] = resolve_events(db)
    assert (applied.author, applied.reason, applied.criterion_code, applied.stage) == (
        LEADER, LEADER_REASON, LEAF, "self")
    assert applied.old["conflict"] == team["conflict_id"] and len(applied.old["values"]) == 2
    assert applied.new["value_id"] == str(team["resolution"]) and applied.new["taken"] is not None


@pytest.mark.slow
def test_a_decision_without_its_audit_event_is_audited_by_the_import(team: dict[str, Any], tmp_path: Path):
    """A package that carries the decision but not the decider's audit event (written by another program,
    or with its audit trimmed): the import writes the event itself, once, from the decision record."""

    def without_decision_events(data: dict[str, Any]) -> None:
        data["audit"] = [e for e in data["audit"] if e["action"] != "conflict.resolve"]

    trimmed = rewrite(team["leader"], tmp_path / "leader.cchc", without_decision_events)
    db = open_committee(team, tmp_path)
    assert run_import(db, [trimmed]).conflicts_resolved == 1
    assert_decided_by_leader(db, team)
    [applied] = resolve_events(db)
    derived = uuid.uuid5(CONFLICT_NAMESPACE, f"{team['conflict_id']}|{team['resolution']}|import")
    assert (applied.id, applied.author, applied.reason, applied.new["package"]) == (
        derived, LEADER, LEADER_REASON, "leader.cchc")
    assert applied.device_id == team["leader_device"] and applied.old["conflict"] == team["conflict_id"]
    assert applied.new["value_id"] == str(team["resolution"]) and applied.new["taken"] is not None
    assert len(applied.old["values"]) == 2
    before = project_fingerprint(db)
    assert not run_import(db, [trimmed]).changed and project_fingerprint(db) == before
    # the decider's own event arriving later is kept too (audit events are never dropped): two records of
    # the one decision, the import's and the decider's, and still one decision
    assert run_import(db, [team["leader"]]).conflicts_resolved == 0
    assert sorted((e.id == derived, e.new["value_id"]) for e in resolve_events(db)) == [
        (False, str(team["resolution"])), (True, str(team["resolution"]))]
    assert_decided_by_leader(db, team)


# --- (c) both sides decided -------------------------------------------------------------------------------
@pytest.mark.slow
def test_both_sides_decided_differently_is_a_new_conflict(
    demo_db: Path, team: dict[str, Any], tmp_path: Path
):
    db = open_committee(team, tmp_path)
    resolve(db, "Chủ tịch hội đồng", "hội đồng chọn giá trị của tổ viên 2", take_author="Tổ viên 2")
    mine = export(db, tmp_path / "committee.cchc", ["SO01"], "Hội đồng")
    report = run_import(db, [team["leader"]])
    assert report.conflicts_resolved == 0 and report.scores_conflicting == 1
    with open_project(db) as project, project.session() as s:
        old = record(s, team["conflict_id"])
        assert old.status == "resolved" and old.resolved_by == "Chủ tịch hội đồng"
        [new] = list_conflicts(s)  # the two decisions do not know each other
        assert new["id"] != team["conflict_id"]
        assert {v["author"] for v in new["values"]} == {LEADER, "Chủ tịch hội đồng"}
        assert str(team["resolution"]) in {v["value_id"] for v in new["values"]}
    assert flagged(db) == 1
    # another project gets both decisions: the same new conflict in any order, one run or two
    states = []
    for n, order in enumerate([[mine, team["leader"]], [team["leader"], mine]]):
        one_run, two_runs = copy(demo_db, tmp_path, f"one{n}"), copy(demo_db, tmp_path, f"two{n}")
        run_import(one_run, order)
        for package in order:
            run_import(two_runs, [package])
        for target in (one_run, two_runs):
            with open_project(target) as project, project.session() as s:
                [again] = list_conflicts(s)
                assert again["id"] == new["id"]
                assert record(s, team["conflict_id"]).status == "resolved"
        states.append(state(one_run)["scores"])
        states.append(state(two_runs)["scores"])
    assert all(s == states[0] for s in states)
    # in one run the record of the twice-decided conflict does not depend on the package order
    assert conflict_rows(tmp_path / "one0.db") == conflict_rows(tmp_path / "one1.db")


def test_both_sides_took_the_same_value_no_new_conflict(team: dict[str, Any], tmp_path: Path):
    db = open_committee(team, tmp_path)
    resolve(db, "Chủ tịch hội đồng", "cùng ý kiến với tổ trưởng", take_author="Tổ viên 1")
    report = run_import(db, [team["leader"]])
    assert report.conflicts_resolved == 0 and report.scores_conflicting == 0
    with open_project(db) as project, project.session() as s:
        assert unresolved_conflicts(s, YEAR) == []
        assert record(s, team["conflict_id"]).resolved_by == "Chủ tịch hội đồng"
    assert score_of(db, "SO01", LEAF)[0] == team["taken_points"] and flagged(db) == 0


def test_decision_event_is_kept_once_when_it_travels_on(demo_db: Path, team: dict[str, Any], tmp_path: Path):
    """A project that applied the decision sends it on with its audit: a third project that gets that
    package and the leader's in one run applies the decision once and keeps one event of it."""
    first = open_committee(team, tmp_path, "first")
    run_import(first, [team["leader"]])
    onward = export(first, tmp_path / "onward.cchc", ["SO01"], "Hội đồng")
    third = copy(demo_db, tmp_path, "third")
    report = run_import(third, [onward, team["leader"]])
    assert report.conflicts_resolved == 1
    assert_decided_by_leader(third, team)
    assert [e.new["value_id"] for e in resolve_events(third)] == [str(team["resolution"])]


# --- (d) packages without decisions -----------------------------------------------------------------------
@pytest.mark.slow
def test_package_without_conflicts_imports_as_before(demo_db: Path, team: dict[str, Any], tmp_path: Path):
    def strip(data: dict[str, Any]) -> None:
        del data["conflicts"]

    old_member = rewrite(team["m1"], tmp_path / "old-member1.cchc", strip)
    plain, stripped = copy(demo_db, tmp_path, "plain"), copy(demo_db, tmp_path, "stripped")
    a, b = run_import(plain, [team["m1"]]), run_import(stripped, [old_member])
    ignore = {"files", "signatures", "backup", "changes"}
    assert {k: v for k, v in a.summary().items() if k not in ignore} == {
        k: v for k, v in b.summary().items() if k not in ignore
    }
    assert full_state(plain) == full_state(stripped)
    # the leader's package without its decision: the decision is a new value, in conflict with the value
    # it did not take (as every package did before decisions travelled)
    old_leader = rewrite(team["leader"], tmp_path / "old-leader.cchc", strip)
    db = open_committee(team, tmp_path)
    report = run_import(db, [old_leader])
    assert report.conflicts_resolved == 0 and report.scores_conflicting == 1
    with open_project(db) as project, project.session() as s:
        [c] = s.scalars(select(Conflict)).all()
        assert c.status == "open" and str(team["resolution"]) in c.head_ids
    # …until the decision arrives after all, on revisions the project already has
    late = run_import(db, [team["leader"]])
    assert late.changed and late.conflicts_resolved == 1 and late.revisions_new == 0
    assert_decided_by_leader(db, team)


def test_a_decision_for_a_locked_stage_is_refused(team: dict[str, Any], tmp_path: Path):
    db = open_committee(team, tmp_path)
    run_import(db, [rewrite(team["leader"], tmp_path / "old-leader.cchc", lambda d: d.pop("conflicts"))])
    con = sqlite3.connect(db)
    with con:
        con.execute(
            "UPDATE assessment SET locked_stages = 'self' "
            "WHERE unit_id = (SELECT id FROM unit WHERE code = 'SO01') "
            "AND period_id = (SELECT id FROM period WHERE year = 2024)"
        )
    con.close()
    before = project_fingerprint(db)
    with pytest.raises(UserError, match=r"SO01 2024 1.1.2 self: the self stage is locked in this project, "
                       r"but a package brings a decision on a conflict for it"):
        run_import(db, [team["leader"]])
    assert project_fingerprint(db) == before


# --- (e) bad decision records ------------------------------------------------------------------------------
def _set(key: str, value: Any) -> Any:
    return lambda d: d["conflicts"][0].__setitem__(key, value)


def _refitted(change: Any) -> Any:
    def run(d: dict[str, Any]) -> None:
        change(d["conflicts"][0])
        refit(d["conflicts"][0])

    return run


def _second(d: dict[str, Any]) -> None:
    bad = dict(d["conflicts"][0])
    bad["head_ids"] = bad["head_ids"][:1]
    d["conflicts"].append(bad)


BAD: dict[str, tuple[Any, str]] = {
    "not-a-list": (lambda d: d.__setitem__("conflicts", {}), r"data.json: conflicts must be a list"),
    "not-an-object": (lambda d: d["conflicts"].append(5), r"conflicts\[1\]: expected an object"),
    "heads-not-a-list": (_set("head_ids", "x"), r"conflicts\[0\]\.head_ids: expected a list of at least two"),
    "one-head": (_second, r"conflicts\[1\]\.head_ids: expected a list of at least two"),
    "head-not-a-uuid": (
        lambda d: d["conflicts"][0]["head_ids"].__setitem__(1, "nope"),
        r"conflicts\[0\]\.head_ids\[1\]: 'nope' is not a UUID",
    ),
    "head-twice": (
        lambda d: d["conflicts"][0]["head_ids"].__setitem__(1, d["conflicts"][0]["head_ids"][0]),
        r"conflicts\[0\]\.head_ids: a revision is named twice",
    ),
    "open": (_set("status", "open"), r"conflicts\[0\]\.status: expected 'resolved', not 'open'"),
    "stage": (_set("stage", "x"), r"conflicts\[0\]\.stage: unknown stage 'x'"),
    "time": (_set("resolved_at", "hôm qua"), r"conflicts\[0\]\.resolved_at: 'hôm qua' is not a time"),
    "reason": (_set("reason", 5), r"conflicts\[0\]\.reason: expected text"),
    "id": (_set("id", str(uuid.uuid4())), r"conflicts\[0\]\.id: does not fit its assessment_id"),
    "decision-is-a-head": (
        lambda d: d["conflicts"][0].__setitem__("resolution_revision_id", d["conflicts"][0]["head_ids"][0]),
        r"conflicts\[0\]\.resolution_revision_id: the decision cannot be one of the competing values",
    ),
    "unknown-decision": (
        _set("resolution_revision_id", str(uuid.uuid4())),
        r"conflicts\[0\]\.resolution_revision_id: [0-9a-f-]{36} is not a revision of SO01 2024 1\.1\.2 self",
    ),
    "decision-too-old": (  # the value both members started from, claimed as the decision
        lambda d: d["conflicts"][0].__setitem__(
            "resolution_revision_id",
            next(
                r["id"]
                for s in d["scores"]
                if s["criterion_code"] == LEAF and s["stage"] == "self"
                for r in s["revisions"]
                if r["id"] not in d["conflicts"][0]["head_ids"] and r["author"] not in (LEADER,)
            ),
        ),
        r"conflicts\[0\]\.resolution_revision_id: the decision is a value its competing values build on",
    ),
    "unknown-head": (
        _refitted(lambda c: c["head_ids"].__setitem__(0, str(uuid.UUID(int=7)))),
        r"conflicts\[0\]\.head_ids: 00000000-0000-0000-0000-000000000007 is not a revision of SO01",
    ),
    "other-leaf": (
        _refitted(lambda c: c.__setitem__("criterion_code", "1.7")),
        r"conflicts\[0\]\.head_ids: [0-9a-f-]{36} is not a revision of SO01 2024 1\.7 self",
    ),
    "other-assessment": (
        _refitted(lambda c: c.__setitem__("assessment_id", str(uuid.uuid4()))),
        r"conflicts\[0\]\.assessment_id: not an assessment of this package",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_decision_records_are_refused(case: str, team: dict[str, Any], tmp_path: Path):
    change, message = BAD[case]
    bad = rewrite(team["leader"], tmp_path / "bad.cchc", change)
    db = open_committee(team, tmp_path)
    before = project_fingerprint(db)
    with pytest.raises(UserError, match=message) as caught:
        run_import(db, [bad, team["m1"]])
    assert "bad.cchc" in str(caught.value)
    assert project_fingerprint(db) == before


# --- duplicate units: skipped, or merged with the decision ------------------------------------------------
def _new_unit(db: Path, code: str) -> None:
    with open_project(db) as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code=code, name="Sở Khoa học và Công nghệ", kind="department")
        s.add(unit)
        s.flush()
        s.add(
            Assessment(
                unit_id=unit.id,
                period_id=period.id,
                criteria_set_id=framework_for_kind(s, YEAR, "department").id,
            )
        )


@pytest.mark.slow
def test_decision_on_a_duplicate_unit_is_skipped_or_follows_the_merge(demo_db: Path, tmp_path: Path):
    leader = copy(demo_db, tmp_path, "leader")
    _new_unit(leader, "SO99")  # created on the leader's laptop; the members work on copies of it
    m1 = copy_project(leader, tmp_path / "m1.db")
    m2 = copy_project(leader, tmp_path / "m2.db")
    edit(m1, "SO99", LEAF, {"done": True}, "Tổ viên 1")
    edit(m2, "SO99", LEAF, {"done": False}, "Tổ viên 2")
    run_import(leader, [export(m, tmp_path / f"{m.stem}.cchc", ["SO99"], m.stem) for m in (m1, m2)])
    foreign_id = resolve(leader, LEADER, LEADER_REASON, take_author="Tổ viên 2")
    package = export(leader, tmp_path / "leader.cchc", ["SO99"], LEADER)
    committee = copy(demo_db, tmp_path, "committee")
    _new_unit(committee, "SO99")  # the same unit created again at the committee: another UUID
    before = project_fingerprint(committee)
    skipped = run_import(committee, [package])
    assert skipped.duplicates and skipped.conflicts_resolved == 0 and skipped.skipped > 0
    assert project_fingerprint(committee) == before  # nothing but a duplicate: nothing written
    merged = run_import(committee, [package], merge_duplicates=True)
    assert merged.merged_units and merged.conflicts_resolved == 1 and merged.scores_conflicting == 0
    with open_project(committee) as project, project.session() as s:
        [c] = s.scalars(select(Conflict)).all()
        a_id = s.scalars(
            select(Assessment.id).join(Unit).join(Period).where(Unit.code == "SO99", Period.year == YEAR)
        ).one()
        heads = [
            Rev(uuid.UUID(h), 1, None, None, None, False, "", "", "", datetime(2024, 1, 1, tzinfo=UTC))
            for h in c.head_ids
        ]
        # the committee's assessment: the conflict has the id it would have had here
        assert c.assessment_id == a_id and c.id == conflict_id(a_id, LEAF, "self", heads)
        assert str(c.id) != foreign_id and c.status == "resolved" and c.reason == LEADER_REASON
        assert unresolved_conflicts(s, YEAR) == []
    assert score_of(committee, "SO99", LEAF)[2] == {"done": False}
    assert flagged(committee, "SO99") == 0
