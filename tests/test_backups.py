"""Backups: written and checked, kept by the retention rule (a fake clock), listed, restored (CLI)."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import project_fingerprint
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.services import backups as service
from evaluator.services.backups import Retention, retained

LIMITS = Retention()


def _newest_per(times: list[datetime], key, count: int) -> set[datetime]:
    """The newest time of each of the ``count`` latest buckets (spelled out independently)."""
    buckets: dict[object, datetime] = {}
    for t in times:
        buckets[key(t)] = max(buckets.get(key(t), t), t)
    latest = sorted(buckets.values(), reverse=True)[:count]
    return set(latest)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2026, 12, 31)), max_size=80))
def test_retention_keeps_the_last_10_and_one_per_day_week_month(times: list[datetime]) -> None:
    kept = retained(times, LIMITS)
    newest = set(sorted(set(times), reverse=True)[:LIMITS.last])
    daily = _newest_per(times, lambda t: t.date(), LIMITS.daily)
    weekly = _newest_per(times, lambda t: t.isocalendar()[:2], LIMITS.weekly)
    monthly = _newest_per(times, lambda t: (t.year, t.month), LIMITS.monthly)
    # exactly these: nothing kept without a reason, nothing the rule names removed
    assert kept == newest | daily | weekly | monthly
    assert len(kept) <= LIMITS.last + LIMITS.daily + LIMITS.weekly + LIMITS.monthly


def _project(path: Path) -> Path:
    from evaluator.models import open_project

    with open_project(path, create=True, name="Thử") as project:
        project.set_setting("marker", 0)
    return path


class Clock:
    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now


def test_automatic_backups_over_months_follow_retention_and_never_lose_the_new_or_pre_upgrade(
        tmp_path: Path, monkeypatch) -> None:
    db = _project(tmp_path / "p.db")
    upgrade_copy = tmp_path / "p.db.bak-0001"  # what an upgrade leaves beside the file
    upgrade_copy.write_bytes((tmp_path / "p.db").read_bytes())
    clock = Clock(datetime(2024, 1, 1, 8, tzinfo=UTC))
    monkeypatch.setattr(service, "utcnow", clock)
    made = []
    for step in range(70):  # every ~20 hours, several reasons
        clock.now += timedelta(hours=20, minutes=step)
        backup = service.backup_file(db, ("close", "import", "periodic", "manual")[step % 4])
        made.append(backup)
        assert backup.path.is_file()  # never removed by the retention it triggers
    left = service.list_backups(db)
    assert upgrade_copy.is_file() and [b.reason for b in left].count("upgrade") == 1
    local = {b.created.astimezone(): b.id for b in made}
    assert {b.id for b in left if b.reason != "upgrade"} == {local[t] for t in retained(local, LIMITS)}
    # a clock set back (another time zone, a fixed BIOS clock): the new backup is older than the rest,
    # and kept all the same
    clock.now = datetime(2023, 6, 1, tzinfo=UTC)
    early = service.backup_file(db, "manual")
    assert early.path.is_file() and early.id in {b.id for b in service.list_backups(db)}


def test_a_backup_is_one_checked_sqlite_file(tmp_path: Path) -> None:
    db = _project(tmp_path / "p.db")
    made = service.backup_file(db, "manual")
    assert made.path.name.startswith("p.db.bak-") and made.path.name.endswith("-manual")
    assert not Path(f"{made.path}-wal").exists() and not Path(f"{made.path}-journal").exists()
    con = sqlite3.connect(made.path)
    try:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def test_periodic_backup_due_only_after_edits_and_n_minutes(tmp_path: Path, monkeypatch) -> None:
    db = _project(tmp_path / "p.db")
    start = datetime(2024, 3, 1, 9, tzinfo=UTC)
    assert not service.periodic_backup_due(db, edited=False, now=start)
    assert service.periodic_backup_due(db, edited=True, now=start)  # none yet
    monkeypatch.setattr(service, "utcnow", Clock(start))
    service.backup_file(db, "periodic")
    assert not service.periodic_backup_due(db, edited=True, now=start + timedelta(minutes=29))
    assert service.periodic_backup_due(db, edited=True, now=start + timedelta(minutes=30))
    assert not service.periodic_backup_due(db, edited=True, now=start + timedelta(minutes=10), minutes=15)
    assert not service.periodic_backup_due(None, edited=True, now=start)


@pytest.mark.slow
def test_cli_create_list_and_restore_into_a_new_file_with_its_evidence(demo_copy: Path, tmp_path: Path,
                                                                        run_cli) -> None:
    code, out, err = run_cli("backup", "create", "--db", demo_copy)
    assert code == 0, err
    assert "integrity checked" in out
    code, out, err = run_cli("backup", "list", "--db", demo_copy, "--format", "json")
    assert code == 0, err
    [entry] = json.loads(out)
    assert set(entry) == {"id", "created", "reason", "size"} and entry["reason"] == "manual"
    assert datetime.fromisoformat(entry["created"]).tzinfo is not None and entry["size"] > 0
    code, table, err = run_cli("backup", "list", "--db", demo_copy)
    assert code == 0 and entry["id"] in table and "manual" in table

    new = tmp_path / "restored" / "copy.db"
    new.parent.mkdir()
    code, out, err = run_cli("backup", "restore", "--db", demo_copy, entry["id"][:10], "--to", new)
    assert code == 0, err
    assert f"to {new}" in out and "evidence file(s) copied" in out and "missing" not in out
    assert sorted(p.name for p in new.parent.iterdir()) == ["copy.db", "copy.evidence"]  # no -wal, -shm
    assert project_fingerprint(new)[0] == project_fingerprint(demo_copy)[0]
    assert project_fingerprint(new)[1] == project_fingerprint(demo_copy)[1]  # the same evidence files
    code, out, err = run_cli("backup", "restore", "--db", demo_copy, entry["id"], "--to", new)
    assert code == 1 and "already exists" in err
    code, out, err = run_cli("backup", "restore", "--db", demo_copy, "1999")
    assert code == 1 and "no backup '1999'" in err


@pytest.mark.slow
def test_cli_restore_over_the_project_backs_up_its_current_state_first(demo_copy: Path, run_cli) -> None:
    from sqlalchemy import update

    from evaluator.models import Score, open_project

    before = project_fingerprint(demo_copy)
    code, out, err = run_cli("backup", "create", "--db", demo_copy)
    assert code == 0, err
    [made] = service.list_backups(demo_copy)
    with open_project(demo_copy) as project, project.session(write=True) as s:
        s.execute(update(Score).where(Score.stage == "appraisal2").values(note="sửa sau khi sao lưu"))
    changed = project_fingerprint(demo_copy)
    assert changed != before

    code, out, err = run_cli("backup", "restore", "--db", demo_copy, made.id)
    assert code == 0, err
    assert project_fingerprint(demo_copy) == before
    [current, again] = service.list_backups(demo_copy)
    assert again.id == made.id and current.reason == "restore"
    assert f"kept as backup {current.id}" in out
    assert project_fingerprint(current.path)[0] == changed[0]  # nothing is lost: the edit is in a backup


@pytest.mark.slow
def test_restore_names_evidence_files_that_are_missing(demo_copy: Path, tmp_path: Path) -> None:
    made = service.backup_file(demo_copy)
    victim = next(p for p in demo_copy.with_suffix(".evidence").rglob("*") if p.is_file())
    victim.unlink()  # deleted by hand
    done = service.restore_backup(demo_copy, made.id, to=tmp_path / "new.db")
    assert done.missing_evidence and all(victim.name[:12] in m for m in done.missing_evidence)
    assert "warning" in done.render() and victim.name[:12] in done.render()


def test_list_and_restore_when_the_project_file_is_gone(tmp_path: Path, run_cli) -> None:
    db = _project(tmp_path / "p.db")
    made = service.backup_file(db)
    for extra in ("", "-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    code, out, err = run_cli("backup", "list", "--db", db, "--format", "json")
    assert code == 0 and [e["id"] for e in json.loads(out)] == [made.id]
    code, out, err = run_cli("backup", "restore", "--db", db, made.id)
    assert code == 0, err
    assert "kept as backup" not in out  # there was nothing to keep
    from evaluator.models import open_project

    with open_project(db) as project:
        assert project.get_setting("marker") == 0


def test_backup_commands_speak_the_chosen_language(tmp_path: Path, run_cli) -> None:
    db = _project(tmp_path / "p.db")
    code, out, err = run_cli("--lang", "vi", "backup", "create", "--db", db)
    assert code == 0 and out.startswith("đã ghi bản sao lưu ") and "đã kiểm tra toàn vẹn" in out, err
    [made] = service.list_backups(db)
    code, out, err = run_cli("--lang", "vi", "backup", "list", "--db", db)
    assert code == 0 and out.splitlines()[0].split() == ["Mã", "(id)", "Thời", "điểm", "(UTC)", "Lý", "do",
                                                         "Cỡ", "(byte)"], out
    code, out, err = run_cli("backup", "list", "--db", db)
    assert code == 0 and out.splitlines()[0].split() == ["Id", "Time", "(UTC)", "Reason", "Size", "(bytes)"]
    code, out, err = run_cli("--lang", "vi", "backup", "restore", "--db", db, made.id)
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith(f"đã khôi phục bản sao lưu {made.id} (")
    assert lines[0].endswith(f", manual) vào {db}")
    assert lines[1].startswith("  dự án như trước khi khôi phục được giữ thành bản sao lưu ")
