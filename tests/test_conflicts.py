"""Revision chains and conflicts: the pure merge rules, and ``evaluator conflicts list|resolve``."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from exchange_helpers import copy as _copy
from exchange_helpers import edit_done
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, AuditEvent, Period, Score, Unit, open_project
from evaluator.services.conflicts import (
    Rev,
    conflict_id,
    derive_state,
    merge_base,
    resolve_conflict,
    unresolved_conflicts,
)
from evaluator.services.exchange import export_package, import_packages
from evaluator.services.scores import open_conflict

T0 = datetime(2024, 11, 1, tzinfo=UTC)


def rev(n: int, base: Rev | None, points: str | None, *, author: str = "", minutes: int = 0) -> Rev:
    return Rev(
        uuid.UUID(int=n),
        (base.revision + 1) if base else 1,
        base.id if base else None,
        None,
        None if points is None else Decimal(points),
        False,
        "",
        author,
        "",
        T0 + timedelta(minutes=minutes),
    )


def as_map(*revs: Rev) -> dict[uuid.UUID, Rev]:
    return {r.id: r for r in revs}


def test_fast_forward_and_conflict():
    r1 = rev(1, None, "1")
    r2 = rev(2, r1, "0.5")
    r3 = rev(3, r2, "0.75")
    state = derive_state(as_map(r1, r2, r3))
    assert not state.conflict and state.shown == r3 and state.score_fields()["revision"] == 3
    other = rev(4, r1, "0.25", minutes=-60)  # older, but still a conflict: never resolved by time
    state = derive_state(as_map(r1, r2, r3, other))
    assert state.conflict and state.base == r1 and state.shown == r1
    assert {h.id for h in state.heads} == {r3.id, other.id}
    assert merge_base(as_map(r1, r2, r3, other), state.heads) == r1


def test_every_order_gives_the_same_state():
    r1 = rev(1, None, "1")
    revs = [r1, rev(2, r1, "0.5"), rev(3, r1, "0.25"), rev(5, None, "0.75")]
    revs.append(rev(4, revs[1], "0.5"))
    results = set()
    for order in itertools.permutations(revs):
        state = derive_state(as_map(*order))
        results.add(
            (tuple(h.id for h in state.heads), state.base, tuple(sorted(state.score_fields().items())))
        )
    assert len(results) == 1


def test_same_value_on_both_sides_is_no_conflict():
    r1 = rev(1, None, "1")
    a, b = rev(2, r1, "0.5", author="A"), rev(3, r1, "0.5", author="B")
    state = derive_state(as_map(r1, a, b))
    assert not state.conflict and state.shown == a  # the lower id: the same whatever the order


def test_resolved_heads_are_superseded_and_no_common_base():
    a, b = rev(1, None, "1"), rev(2, None, "0")
    state = derive_state(as_map(a, b))
    assert state.conflict and state.base is None and state.score_fields()["points"] is None
    resolution = rev(3, a, "1")
    state = derive_state(as_map(a, b, resolution), superseded={a.id, b.id})
    assert not state.conflict and state.shown == resolution
    assert conflict_id(uuid.UUID(int=9), "1.1", "self", [a, b]) == conflict_id(
        uuid.UUID(int=9), "1.1", "self", [b, a]
    )


def test_revision_fields_are_the_value_columns_of_score_and_revision():
    """``REVISION_FIELDS`` (the one list of what a revision records) is every column ``score`` and
    ``score_revision`` share apart from the bookkeeping, and ``Rev`` carries them in that order."""
    import dataclasses

    from evaluator.models import ScoreRevision
    from evaluator.services.scores import REVISION_FIELDS

    shared = set(Score.__table__.c.keys()) & set(ScoreRevision.__table__.c.keys())
    assert set(REVISION_FIELDS) == shared - {"id", "revision", "base_revision_id"}
    assert [f.name for f in dataclasses.fields(Rev)] == ["id", "revision", "base", *REVISION_FIELDS, "time"]


def test_cycle_does_not_hang():
    a = Rev(uuid.UUID(int=1), 1, uuid.UUID(int=2), None, Decimal(1), False, "", "", "", T0)
    b = Rev(uuid.UUID(int=2), 1, uuid.UUID(int=1), None, Decimal(0), False, "", "", "", T0)
    state = derive_state(as_map(a, b))
    assert state.conflict and len(state.heads) == 2


# --- the command line ------------------------------------------------------------------------------
@pytest.fixture
def conflicted(demo_db: Path, tmp_path: Path) -> Path:
    """A committee project where the committee and a team both changed H01 1.7 (self)."""
    committee, team = _copy(demo_db, tmp_path, "committee"), _copy(demo_db, tmp_path, "team")
    edit_done(committee, "H01", "1.7", True, "Hội đồng")
    edit_done(team, "H01", "1.7", False, "Tổ 3")
    with open_project(team) as project:
        export_package(project, tmp_path / "team.cchc", years=[2024], units=["H01"])
    with open_project(committee) as project:
        assert import_packages(project, [tmp_path / "team.cchc"]).scores_conflicting == 1
    return committee


def test_conflicts_list_and_resolve(run_cli, conflicted: Path):
    code, out, _ = run_cli("conflicts", "list", "--db", conflicted, "--format", "json")
    assert code == 0
    items = json.loads(out)
    assert len(items) == 1
    item = items[0]
    assert list(item) == ["id", "year", "unit_code", "criterion_code", "stage", "values"]
    assert (item["year"], item["unit_code"], item["criterion_code"], item["stage"]) == (
        2024,
        "H01",
        "1.7",
        "self",
    )
    assert [list(v) for v in item["values"]] == [
        ["value_id", "points", "not_applicable", "author", "device", "time", "note"]
    ] * 2
    assert sorted(v["author"] for v in item["values"]) == ["Hội đồng", "Tổ 3"]
    code, out, _ = run_cli("conflicts", "list", "--db", conflicted)
    assert code == 0 and "H01" in out and "Tổ 3" in out and "1 conflict(s)" in out
    with open_project(conflicted) as project, project.session() as s:
        [open_one] = unresolved_conflicts(s, 2024)
        assert open_conflict(s, open_one.assessment_id, "1.7", "self") is not None
        assert open_conflict(s, open_one.assessment_id, "1.7", "appraisal1") is None

    code, _, err = run_cli(
        "conflicts", "resolve", "--db", conflicted, item["id"], "--take", "nope", "--reason", "x"
    )
    assert code == 1 and "is not one of the values" in err
    code, _, err = run_cli(
        "--lang", "vi", "conflicts", "resolve", "--db", conflicted, item["id"], "--points", "1,234",
        "--reason", "x")  # Vietnamese names what to give, never the flag
    assert code == 1 and "điểm '1,234' có quá hai chữ số thập phân" in err and "--" not in err
    with open_project(conflicted) as project, project.session() as s, pytest.raises(UserError) as caught:
        resolve_conflict(s, item["id"], reason="x")  # as the GUI calls it: the plain words
    assert caught.value.render("vi") == "Hãy chọn giá trị cần giữ hoặc nhập điểm, chỉ một trong hai"
    assert caught.value.render("en") == "give either the value to take (value) or the points (points)"
    code, _, err = run_cli(
        "conflicts", "resolve", "--db", conflicted, item["id"], "--points", "9", "--reason", "x"
    )
    assert code == 1 and "outside" in err
    code, _, err = run_cli(
        "conflicts", "resolve", "--db", conflicted, "deadbeef", "--points", "0", "--reason", "x"
    )
    assert code == 1 and "no conflict" in err
    team_value = next(v for v in item["values"] if v["author"] == "Tổ 3")
    code, out, _ = run_cli(
        "conflicts",
        "resolve",
        "--db",
        conflicted,
        item["id"],
        "--take",
        team_value["value_id"],
        "--reason",
        "Tổ 3 kiểm tra thực tế",
        "--author",
        "Chủ tịch",
    )
    assert code == 0 and "resolved" in out
    code, out, _ = run_cli("conflicts", "list", "--db", conflicted, "--format", "json")
    assert json.loads(out) == []
    code, out, _ = run_cli("conflicts", "list", "--db", conflicted, "--all", "--format", "json")
    assert json.loads(out)[0]["status"] == "resolved"
    with open_project(conflicted) as project, project.session() as s:
        assert unresolved_conflicts(s, 2024) == []
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "conflict.resolve")).one()
        assert (event.author, event.reason, event.criterion_code) == (
            "Chủ tịch",
            "Tổ 3 kiểm tra thực tế",
            "1.7",
        )
        score = s.scalars(
            select(Score)
            .join(Assessment, Assessment.id == Score.assessment_id)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
            .where(
                Unit.code == "H01", Period.year == 2024, Score.criterion_code == "1.7", Score.stage == "self"
            )
        ).one()
        assert score.points == Decimal(team_value["points"]).quantize(Decimal("0.01"))


def test_resolve_with_points(run_cli, conflicted: Path):
    _, out, _ = run_cli("conflicts", "list", "--db", conflicted, "--format", "json")
    ident = json.loads(out)[0]["id"]
    code, _, _ = run_cli(
        "conflicts",
        "resolve",
        "--db",
        conflicted,
        ident[:8],
        "--points",
        "0,5",
        "--reason",
        "quyết định của hội đồng",
    )
    assert code == 0
    with open_project(conflicted) as project, project.session() as s:
        assert unresolved_conflicts(s, 2024) == []


@pytest.mark.slow
def test_an_open_conflict_shows_in_results_blocks_documents_and_edits(run_cli, conflicted: Path,
                                                                       tmp_path: Path):
    code, out, _ = run_cli("results", "--db", conflicted, "--year", 2024, "--format", "json")
    assert code == 0
    flagged = {u["code"]: u["unresolved_conflicts"] for u in json.loads(out)["units"]}
    assert flagged["H01"] == 1 and sum(flagged.values()) == 1
    code, out, _ = run_cli("--lang", "vi", "results", "--db", conflicted, "--year", 2024,
                           "--kind", "district")
    assert "Chưa giải quyết xung đột" in out and "H01 (1)" in out

    minutes = tmp_path / "h01.pdf"
    code, _, err = run_cli("report", "appraisal", "--db", conflicted, "--year", 2024, "--unit", "H01",
                           "--out", minutes)
    assert code == 1 and "unresolved conflicts" in err and "H01: 1.7/self" in err and not minutes.exists()

    with pytest.raises(UserError, match="unresolved conflict"):
        edit_done(conflicted, "H01", "1.7", True, "Hội đồng")

    [item] = json.loads(run_cli("conflicts", "list", "--db", conflicted, "--format", "json")[1])
    take = next(v["value_id"] for v in item["values"] if v["author"] == "Tổ 3")
    assert run_cli("conflicts", "resolve", "--db", conflicted, item["id"], "--take", take,
                   "--reason", "Theo biên bản họp tổ")[0] == 0
    code, _, _ = run_cli("report", "appraisal", "--db", conflicted, "--year", 2024, "--unit", "H01",
                         "--out", minutes)
    assert code == 0 and minutes.read_bytes().startswith(b"%PDF-")
    edit_done(conflicted, "H01", "1.7", True, "Hội đồng")  # resolved: edits go through again


def test_import_and_verify_dispatch_team_packages(run_cli, demo_db: Path, tmp_path: Path):
    team = _copy(demo_db, tmp_path, "team")
    package = tmp_path / "team.cchc"
    assert run_cli("export", "--db", team, "--out", package, "--unit", "H01", "--year", 2024)[0] == 0
    code, out, _ = run_cli("verify", package)
    assert code == 0 and "OK" in out and "not signed" in out
    code, out, _ = run_cli("import", "--db", team, package, "--dry-run")
    assert code == 0 and "Dry run" in out and "0 new" in out
    sheet = tmp_path / "x.xlsx"
    sheet.write_bytes(b"")
    code, _, err = run_cli("import", "--db", team, package, sheet)
    assert code == 1 and "separate runs" in err
    damaged = tmp_path / "damaged.cchc"
    data = bytearray(package.read_bytes())
    data[len(data) // 2] ^= 0xFF
    damaged.write_bytes(bytes(data))
    code, out, err = run_cli("verify", damaged)
    assert code == 1
