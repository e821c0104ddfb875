"""The hash-chained audit log (issue #10): chaining on write, ``evaluator audit verify`` finding rows edited
or deleted with plain sqlite3, chain heads as anchors, the upgrade of older projects, team packages."""

from __future__ import annotations

import json
import shutil
import sqlite3
import uuid
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import (
    Assessment,
    AuditEvent,
    CriteriaSet,
    Period,
    Project,
    Unit,
    alembic_config,
    loads_json,
    open_project,
)
from evaluator.models.audit_chain import (
    GAP,
    RECEIVED,
    UPGRADE,
    chain_heads,
    chained_rows,
    content_json,
    event_hash,
)
from evaluator.models.project import schema_differences
from evaluator.services.audit import verify_chains
from evaluator.services.exchange import export_package, import_packages, this_device
from evaluator.services.locks import lock_stage
from evaluator.services.scores import set_score


def setup(project: Project, fw: Any) -> uuid.UUID:
    with project.session(write=True) as s:
        a = Assessment(unit=Unit(code="H01", name="UBND huyện A", kind="district"),
                       period=Period(year=2024, title="Năm 2024"),
                       criteria_set=CriteriaSet.from_framework(fw))
        s.add(a)
        s.flush()
        return a.id


def write_events(project: Project, a_id: uuid.UUID, n: int = 5) -> None:
    """``n`` events through the services (score edits and a lock), each in its own writing session."""
    for i in range(n - 1):
        with project.session(write=True) as s:
            set_score(s, a_id, "1.1", "self", value={"done": i % 2 == 0}, author="Nguyễn Văn A",
                      role="assessor", device_id="laptop-1", reason=f"lần {i}")
    with project.session(write=True) as s:
        lock_stage(s, a_id, "self", author="Trần B", role="committee", reason="khóa")


def rows(db: Path) -> list[tuple[Any, ...]]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT id, chain, seq, prev_hash, hash, link FROM audit_event "
                           "ORDER BY chain, seq").fetchall()
    finally:
        con.close()


def sql(db: Path, statement: str, *params: Any) -> None:
    """Change the project behind the program's back."""
    con = sqlite3.connect(db)
    try:
        assert con.execute(statement, params).rowcount == 1
        con.commit()
    finally:
        con.close()


@pytest.fixture
def chained(project: Project, mini_framework: Any) -> Path:
    """A closed project file with five events written by the program."""
    write_events(project, setup(project, mini_framework))
    project.close()
    assert project.path is not None
    return project.path


# --- chaining ---------------------------------------------------------------------------------------
@pytest.mark.backends  # on SQLite and on PostgreSQL
def test_events_are_chained_in_insertion_order(project: Project, mini_framework: Any):
    a_id = setup(project, mini_framework)
    write_events(project, a_id)
    with project.session(write=True) as s:  # several events in one flush keep the order they were added in
        s.add_all([AuditEvent(action=f"test.{i}", assessment_id=a_id, reason=str(i)) for i in range(3)])
    device = this_device(project)
    with project.session() as s:
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        heads = chain_heads(s)
        report = verify_chains(s)
    assert [e.seq for e in events] == list(range(1, 9)) and {e.chain for e in events} == {device}
    assert [e.action for e in events][-3:] == ["test.0", "test.1", "test.2"]
    assert events[0].prev_hash == ""
    assert all(b.prev_hash == a.hash for a, b in pairwise(events))
    for e in events:  # what is stored gives back the hash
        assert e.hash == event_hash(e.prev_hash, {c: getattr(e, c) for c in
                                                   ("id", "time", "author", "role", "device_id", "action",
                                                    "assessment_id", "criterion_code", "stage", "old", "new",
                                                    "reason")})
    assert heads == {device: (8, events[-1].hash)}
    assert report.intact and report.events == 8 and len(report.chains) == 1
    assert report.render().startswith("8 events in 1 chains, all intact")


@pytest.mark.backends  # on SQLite and on PostgreSQL
def test_record_is_the_one_way_services_add_an_event(project: Project, mini_framework: Any):
    """``audit.record`` adds the event to the session with what it is given (a given time and id kept,
    else set at the flush so that the hash covers them), and the events chain in the order recorded."""
    from evaluator.services import audit

    a_id = setup(project, mini_framework)
    when, given_id = datetime(2024, 5, 1, 3, 0, tzinfo=UTC), uuid.UUID(int=7)
    with project.session(write=True) as s:
        first = audit.record(s, "test.first", author="Lê C", role="committee", device_id="cli",
                             assessment_id=a_id, criterion_code="1.1", stage="self", old={"points": 1},
                             new={"points": 2}, reason="sửa")
        second = audit.record(s, "test.second", time=when, id=given_id)
        assert first in s.new and second in s.new
    with project.session() as s:
        events = s.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
        assert verify_chains(s).intact
    assert [e.action for e in events] == ["test.first", "test.second"]
    got = events[0]
    assert (got.author, got.role, got.device_id, got.assessment_id, got.criterion_code, got.stage, got.old,
            got.new, got.reason) == ("Lê C", "committee", "cli", a_id, "1.1", "self", {"points": 1},
                                     {"points": 2}, "sửa")
    assert got.time is not None and got.id is not None
    assert (events[1].time, events[1].id, events[1].author, events[1].assessment_id, events[1].old) == \
        (when, given_id, "", None, None)
    assert events[1].prev_hash == got.hash


def test_content_is_canonical():
    """A value hashes the same before it is stored, read back (numbers with a fraction as Decimal), and
    from another time zone."""
    base = {"id": uuid.UUID(int=1), "time": datetime(2024, 5, 1, 3, 0, tzinfo=UTC), "action": "score.set",
            "assessment_id": None, "author": "A", "old": {"points": 2.0, "n": 1.5}, "new": None}
    same = {**base, "time": datetime(2024, 5, 1, 10, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
            "old": {"n": Decimal("1.5"), "points": Decimal("2.00")}, "role": None, "reason": ""}
    assert content_json(base) == content_json(same)
    assert content_json(base) != content_json({**base, "old": {"points": 2.5, "n": 1.5}})
    with pytest.raises(ValueError, match="naive datetime"):
        content_json({**base, "time": datetime(2024, 5, 1)})


@pytest.mark.backends  # on SQLite and on PostgreSQL
def test_bulk_rows_continue_the_chain(project: Project, mini_framework: Any):
    a_id = setup(project, mini_framework)
    write_events(project, a_id, 2)
    with project.session(write=True) as s:
        conn = s.connection()
        made = chained_rows(conn, [{"action": "bulk", "assessment_id": a_id, "new": {"i": i}}
                                   for i in range(3)])
        conn.execute(sa.insert(AuditEvent.__table__), made)
        s.add(AuditEvent(action="after", assessment_id=a_id))
    with project.session() as s:
        assert [e.action for e in s.scalars(select(AuditEvent).order_by(AuditEvent.seq))] == \
            ["score.set", "stage.lock", "bulk", "bulk", "bulk", "after"]
        assert verify_chains(s).intact


# --- evaluator audit verify: rows changed behind the program's back ----------------------------------
def test_verify_intact(chained: Path, run_cli: Any):
    code, out, _err = run_cli("audit", "verify", "--db", chained)
    assert code == 0 and out.startswith("5 events in 1 chains, all intact")
    code, out, _err = run_cli("audit", "verify", "--db", chained, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["intact"] and data["events"] == 5 and data["chains"][0]["head_seq"] == 5


TAMPER = {
    # name: (SQL on the 3rd event by seq (?= its id), the seq named, the problem)
    "middle reason": ("UPDATE audit_event SET reason = 'sửa' WHERE seq = 3", 3, "content changed"),
    "new json": ("UPDATE audit_event SET new = '{\"done\":false,\"points\":9}' WHERE seq = 3", 3,
                 "content changed"),
    "old json": ("UPDATE audit_event SET old = '{}' WHERE seq = 2", 2, "content changed"),
    "time": ("UPDATE audit_event SET time = '2020-01-01 00:00:00.000000' WHERE seq = 4", 4,
             "content changed"),
    "author": ("UPDATE audit_event SET author = 'Người khác' WHERE seq = 5", 5, "content changed"),
    "middle deleted": ("DELETE FROM audit_event WHERE seq = 3", 4, "event missing"),
    "first deleted": ("DELETE FROM audit_event WHERE seq = 1", 2, "event missing"),
    "moved": ("UPDATE audit_event SET seq = 9 WHERE seq = 2", 3, "event missing"),
    "hash recomputed": ("UPDATE audit_event SET reason = 'x', hash = '" + "0" * 64 + "' WHERE seq = 2", 2,
                        "content changed"),
}


@pytest.mark.parametrize("case", list(TAMPER))
def test_verify_finds_rows_changed_with_sqlite3(chained: Path, run_cli: Any, case: str):
    statement, seq, problem = TAMPER[case]
    before = {r[2]: r[0] for r in rows(chained)}
    sql(chained, statement)
    code, out, _err = run_cli("audit", "verify", "--db", chained)
    assert code == 1, out
    line = next(x for x in out.splitlines() if x.startswith("BROKEN"))
    assert f"#{seq}: event {uuid.UUID(before[seq])}" in line and problem in line, line
    data = json.loads(run_cli("audit", "verify", "--db", chained, "--format", "json")[1])
    broken = data["chains"][0]["broken"]
    assert not data["intact"] and broken["seq"] == seq and broken["problem"] == problem
    assert broken["id"] == str(uuid.UUID(before[seq])) and broken["time"].startswith("20")


def test_order_broken_when_an_event_is_replaced(chained: Path):
    """An event replaced by one with a consistent hash of its own (recomputed by whoever edits): the next
    event no longer follows it."""
    with open_project(chained) as project, project.session() as s:
        e = s.scalars(select(AuditEvent).where(AuditEvent.seq == 3)).one()
        fields = {c: getattr(e, c) for c in ("id", "time", "author", "role", "device_id", "action",
                                             "assessment_id", "criterion_code", "stage", "old", "new")}
        forged = event_hash(e.prev_hash, {**fields, "reason": "giả"})
    sql(chained, "UPDATE audit_event SET reason = 'giả', hash = ? WHERE seq = 3", forged)
    with open_project(chained) as project, project.session() as s:
        broken = verify_chains(s).broken
    assert [(b.seq, b.problem) for b in broken] == [(4, "order broken")]


def test_row_added_behind_the_programs_back(chained: Path, run_cli: Any):
    sql(chained, "INSERT INTO audit_event (id, time, action, author, role, device_id, reason) "
                 "VALUES ('00000000000000000000000000000001', '2024-01-01 00:00:00.000000', 'forged', "
                 "'', '', '', '')")
    code, out, _err = run_cli("audit", "verify", "--db", chained)
    assert code == 1 and "not chained" in out and "00000000-0000-0000-0000-000000000001" in out


def test_last_event_deleted_is_seen_only_against_a_recorded_head(chained: Path):
    """Removing the last event leaves a chain that links up: only the head recorded earlier (e.g. in signed
    minutes) shows it."""
    with open_project(chained) as project, project.session() as s:
        anchor = chain_heads(s)
    sql(chained, "DELETE FROM audit_event WHERE seq = 5")
    with open_project(chained) as project, project.session() as s:
        plain = verify_chains(s)
        anchored = verify_chains(s, anchor)
    assert plain.intact
    assert not anchored.intact and [a.extends for a in anchored.anchors] == [False]
    assert "no longer in the log" in anchored.anchors[0].detail and "HEAD LOST" in anchored.render()


def test_recorded_head_is_extended_by_later_events(chained: Path, mini_framework: Any):
    with open_project(chained) as project:
        with project.session() as s:
            anchor = chain_heads(s)
        with project.session(write=True) as s:
            a_id = s.scalars(select(Assessment.id)).one()
            s.add(AuditEvent(action="later", assessment_id=a_id))
        with project.session() as s:
            report = verify_chains(s, anchor)
    assert report.intact and report.anchors[0].extends and "1 event(s) since" in report.anchors[0].detail
    sql(chained, "UPDATE audit_event SET hash = ? WHERE seq = 5", "f" * 64)  # the recorded head replaced
    with open_project(chained) as project, project.session() as s:
        report = verify_chains(s, anchor)
    assert not report.anchors[0].extends and "replaced" in report.anchors[0].detail


# --- upgrade of an older project ------------------------------------------------------------------
def test_upgrade_chains_the_stored_events_per_device(chained: Path):
    command.downgrade(alembic_config(f"sqlite:///{chained}"), "0004")
    con = sqlite3.connect(chained)
    con.execute("UPDATE audit_event SET device_id = 'cli' WHERE action = 'stage.lock'")
    con.commit()
    before = con.execute("SELECT id, device_id, time FROM audit_event").fetchall()
    con.close()
    with open_project(chained) as project:
        assert project.upgraded_from == "0004"
        with project.session() as s:
            events = s.scalars(select(AuditEvent).order_by(AuditEvent.chain, AuditEvent.seq)).all()
            report = verify_chains(s)
            engine = sa.create_engine(f"sqlite:///{chained}")
            with engine.connect() as conn:
                assert schema_differences(conn) == []
            engine.dispose()
        assert {(e.chain, e.link) for e in events} == {("upgrade:cli", UPGRADE),
                                                        ("upgrade:laptop-1", UPGRADE)}
        laptop = [e for e in events if e.chain == "upgrade:laptop-1"]
        assert [e.seq for e in laptop] == [1, 2, 3, 4]
        assert laptop == sorted(laptop, key=lambda e: (e.time, e.id))
        assert report.intact and len(report.chains) == 2 and len(before) == 5
        assert "chained at the upgrade" in report.render()
        with project.session(write=True) as s:  # new events: this file's own chain, from #1
            s.add(AuditEvent(action="after", assessment_id=events[0].assessment_id))
        with project.session() as s:
            assert chain_heads(s)[this_device(project)][0] == 1 and verify_chains(s).intact


# --- team packages ----------------------------------------------------------------------------------
YEAR = 2024


def team_edit(db: Path, unit: str, leaf: str, done: bool) -> None:
    with open_project(db) as project:
        device = this_device(project)
        with project.session(write=True) as s:
            a_id = s.scalars(select(Assessment.id).join(Unit).join(Period)
                             .where(Unit.code == unit, Period.year == YEAR)).one()
            set_score(s, a_id, leaf, "self", value={"done": done}, author="Tổ 1", device_id=device,
                      reason="sửa")


def copy(demo_db: Path, folder: Path, name: str) -> Path:
    target = folder / f"{name}.db"
    shutil.copyfile(demo_db, target)
    shutil.copytree(demo_db.with_suffix(".evidence"), target.with_suffix(".evidence"))
    return target


def export(db: Path, out: Path, units: list[str]) -> Path:
    with open_project(db) as project:
        export_package(project, out, years=[YEAR], units=units, author="Tổ 1")
    return out


def package_data(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return json.loads(zf.read("data.json"))


def rewrite(path: Path, change: Any) -> Path:
    """The package with data.json changed and the manifest's hashes made to fit again (unsigned)."""
    from package_helpers import entries_of, rehashed, write_zip

    entries = entries_of(path)
    data = json.loads(entries["data.json"])
    change(data)
    out = path.with_name(f"changed-{path.name}")
    return write_zip(out, rehashed({**entries, "data.json": json.dumps(data).encode()}))


def own(data: dict[str, Any], device: str) -> list[dict[str, Any]]:
    return sorted((e for e in data["audit"] if e.get("chain") == device), key=lambda e: e["seq"])


def imported(db: Path, packages: list[Path]) -> Any:
    with open_project(db) as project:
        return import_packages(project, packages, author="Thư ký")


@pytest.fixture
def team(demo_db: Path, tmp_path: Path) -> dict[str, Any]:
    """A team's copy of the demo project with edits on two units, one package per unit (so each carries
    only part of the team's chain), and the committee's copy."""
    team_db = copy(demo_db, tmp_path, "team")
    for unit, leaf, done in (("SO01", "1.1.2", True), ("SO02", "1.7", False), ("SO01", "1.5.2", True),
                             ("SO02", "1.7", True)):
        team_edit(team_db, unit, leaf, done)
    with open_project(team_db) as project:
        device = this_device(project)
    return {"db": team_db, "device": device, "committee": copy(demo_db, tmp_path, "committee"),
            "so01": export(team_db, tmp_path / "so01.cchc", ["SO01"]),
            "so02": export(team_db, tmp_path / "so02.cchc", ["SO02"])}


@pytest.mark.slow
def test_packages_carry_the_chain_and_the_committee_keeps_it(team: dict[str, Any]):
    device = team["device"]
    assert [e["seq"] for e in own(package_data(team["so01"]), device)] == [1, 3]
    assert [e["seq"] for e in own(package_data(team["so02"]), device)] == [2, 4]
    committee = team["committee"]
    imported(committee, [team["so02"]])  # #1 and #3 not here yet: #2 and #4 arrive with gaps before them
    with open_project(committee) as project, project.session() as s:
        report = verify_chains(s)
        links = dict(s.execute(select(AuditEvent.seq, AuditEvent.link)
                               .where(AuditEvent.chain == device)).all())
    assert report.intact and links == {2: GAP, 4: GAP}
    state = next(c for c in report.chains if c.chain == device)
    assert state.missing == 2 and "2 earlier event(s) not received" in report.render()
    imported(committee, [team["so01"]])  # the holes are filled: one chain, every link checked
    with open_project(committee) as project, project.session() as s:
        report = verify_chains(s)
        links = dict(s.execute(select(AuditEvent.seq, AuditEvent.link)
                               .where(AuditEvent.chain == device)).all())
        team_rows = {r[0]: r[1:] for r in s.execute(
            select(AuditEvent.seq, AuditEvent.id, AuditEvent.hash).where(AuditEvent.chain == device))}
    assert report.intact and links == {1: "", 2: "", 3: "", 4: ""}
    with open_project(team["db"]) as project, project.session() as s:
        assert team_rows == {r[0]: r[1:] for r in s.execute(
            select(AuditEvent.seq, AuditEvent.id, AuditEvent.hash).where(AuditEvent.chain == device))}
    # a deleted imported event is found like a local one
    sql(committee, "DELETE FROM audit_event WHERE chain = ? AND seq = 2", device)
    with open_project(committee) as project, project.session() as s:
        broken = verify_chains(s).broken
    assert [(b.chain, b.seq, b.problem) for b in broken] == [(device, 3, "event missing")]


def test_package_with_a_changed_event_is_refused(team: dict[str, Any]):
    device = team["device"]

    def change(data: dict[str, Any]) -> None:
        own(data, device)[1]["reason"] = "sửa sau"

    bad = rewrite(team["so01"], change)
    index = next(i for i, e in enumerate(package_data(bad)["audit"])
                 if e.get("chain") == device and e["seq"] == 3)
    with pytest.raises(UserError,
                       match=rf"audit\[{index}\] \(audit event .*, chain {device} #3\): content changed"):
        imported(team["committee"], [bad])


@pytest.mark.parametrize("how", ["prev_hash", "seq"])
def test_package_whose_chain_does_not_link_is_refused(team: dict[str, Any], how: str):
    device = team["device"]

    def change(data: dict[str, Any]) -> None:
        events = own(data, device)
        if how == "prev_hash":  # the event claims another predecessor (its hash made to fit that claim)
            e = events[1]
            e["prev_hash"] = "a" * 64
        else:  # two events at one place
            e = events[1]
            e["seq"], e["prev_hash"] = events[0]["seq"], events[0]["prev_hash"]
        # its own hash made to fit, from the values as the importer reads them
        parsed = {**e, "id": uuid.UUID(e["id"]), "time": datetime.fromisoformat(e["time"]),
                  "assessment_id": uuid.UUID(e["assessment_id"]),
                  "old": loads_json(json.dumps(e["old"])), "new": loads_json(json.dumps(e["new"]))}
        e["hash"] = event_hash(e["prev_hash"], parsed)

    bad = rewrite(team["so01"], change)
    first = imported(team["committee"], [team["so02"]])  # #2 and #4 stored: #3 must follow #2
    assert first.audit_new
    with pytest.raises(UserError, match=rf"chain {device} #[13]\): order broken"):
        imported(team["committee"], [bad])


@pytest.mark.slow
def test_package_of_an_older_program_is_chained_on_arrival(team: dict[str, Any]):
    def strip(data: dict[str, Any]) -> None:
        for e in data["audit"]:
            for k in ("chain", "seq", "prev_hash", "hash"):
                e.pop(k, None)

    old = rewrite(team["so01"], strip)
    committee = team["committee"]
    report = imported(committee, [old])
    with open_project(committee) as project, project.session() as s:
        local = this_device(project)
        received = s.scalars(select(AuditEvent).where(AuditEvent.link == RECEIVED)).all()
        result = verify_chains(s)
    assert len(received) == 2 == report.audit_new and {e.chain for e in received} == {local}
    assert result.intact and "2 chained on arrival" in result.render()


def test_half_given_chain_fields_refused(team: dict[str, Any]):
    def half(data: dict[str, Any]) -> None:
        own(data, team["device"])[0].pop("hash")

    with pytest.raises(UserError, match=r"audit\[\d+\]: chain, seq, prev_hash and hash go together"):
        imported(team["committee"], [rewrite(team["so01"], half)])


def test_verify_speaks_vietnamese(chained: Path, run_cli: Any):
    """``--lang vi``: the lines and the findings in Vietnamese; the JSON keeps its fixed problem words."""
    before = {r[2]: r[0] for r in rows(chained)}
    code, out, _err = run_cli("--lang", "vi", "audit", "verify", "--db", chained)
    assert code == 0 and out.startswith("5 sự kiện trong 1 chuỗi, tất cả nguyên vẹn"), out
    sql(chained, "UPDATE audit_event SET author = 'Người khác' WHERE seq = 5")
    code, out, _err = run_cli("--lang", "vi", "audit", "verify", "--db", chained)
    assert code == 1 and out.startswith("5 sự kiện trong 1 chuỗi: 1 chuỗi bị đứt"), out
    line = next(x for x in out.splitlines() if x.startswith("BỊ ĐỨT "))
    assert f"#5: sự kiện {uuid.UUID(before[5])} lúc " in line and ": nội dung bị thay đổi: các trường" in line
    assert "event" not in out and "BROKEN" not in out
    data = json.loads(run_cli("--lang", "vi", "audit", "verify", "--db", chained, "--format", "json")[1])
    assert data["chains"][0]["broken"]["problem"] == "content changed"
    with open_project(chained) as project, project.session() as s:
        anchor = chain_heads(s)
    from evaluator import i18n
    saved = i18n.language()
    try:
        i18n.set_language("vi")
        with open_project(chained) as project, project.session() as s:
            anchored = verify_chains(s, anchor)
        assert anchored.anchors[0].detail == "chuỗi bị đứt ở #5, trước đầu chuỗi đã ghi lại"
        assert "MẤT ĐẦU CHUỖI: chuỗi " in anchored.render()
    finally:
        i18n.set_language(saved)
