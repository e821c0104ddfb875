"""What people type into ``evaluator conflicts``: the ids the listing prints (unique, accepted by
``--take`` as printed, even when two values were made in the same minute and share their first digits),
and hostile ``--points``/``--reason``/``--author`` (a clear refusal, nothing written)."""

from __future__ import annotations

import json
import re
import sqlite3
import uuid
from pathlib import Path

import pytest
from conftest import copy_project, project_fingerprint
from exchange_helpers import copy as _copy
from exchange_helpers import edit_done

from evaluator.models import open_project
from evaluator.services.conflicts import short_ids, unresolved_conflicts
from evaluator.services.exchange import export_package, import_packages

# two revision ids with the same first 10 hex digits (as version-7 ids made in the same minute have)
COMMITTEE_REV = uuid.UUID("01a23654-ab12-7000-8000-00000000c0de")
TEAM_REV = uuid.UUID("01a23654-ab34-7000-8000-00000000beef")


def _rename_last_revision(db: Path, author: str, new: uuid.UUID) -> None:
    """Give the revision ``author`` just made the id ``new`` (nothing refers to a fresh head yet)."""
    con = sqlite3.connect(db)
    try:
        with con:
            changed = con.execute(
                "UPDATE score_revision SET id = ? WHERE author = ? AND revision = "
                "(SELECT max(revision) FROM score_revision WHERE author = ?)",
                (new.hex, author, author),
            ).rowcount
        assert changed == 1
    finally:
        con.close()


@pytest.fixture(scope="module")
def twins_once(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A committee project with one open conflict whose two values share their first 10 hex digits."""
    tmp_path = tmp_path_factory.mktemp("twins")
    committee, team = _copy(demo_db, tmp_path, "committee"), _copy(demo_db, tmp_path, "team")
    edit_done(committee, "H01", "1.7", True, "Hội đồng")
    _rename_last_revision(committee, "Hội đồng", COMMITTEE_REV)
    edit_done(team, "H01", "1.7", False, "Tổ 3")
    _rename_last_revision(team, "Tổ 3", TEAM_REV)
    with open_project(team) as project:
        export_package(project, tmp_path / "team.cchc", years=[2024], units=["H01"])
    with open_project(committee) as project:
        assert import_packages(project, [tmp_path / "team.cchc"]).scores_conflicting == 1
    return committee


@pytest.fixture
def twins(twins_once: Path, tmp_path: Path) -> Path:
    """A private copy of ``twins_once`` that a test may change."""
    return copy_project(twins_once, tmp_path / "committee.db")


def test_short_ids_are_unique_prefixes_of_at_least_eight_digits():
    ids = [str(COMMITTEE_REV), str(TEAM_REV), "9f000000-0000-4000-8000-000000000000",
           "01a23654-ab12-7000-8000-00000000c0df"]
    short = short_ids(ids)
    assert short[ids[2]] == "9f000000"  # nobody shares it: 8 digits
    assert short[ids[1]] == "01a23654-ab3"  # shares 10 digits with the others: one more
    assert short[ids[0]] == "01a23654-ab12-7000-8000-00000000c0de"  # differs in the last digit only
    assert short[ids[3]] == ids[3]
    for full, prefix in short.items():
        assert full.startswith(prefix) and [i for i in ids if i.startswith(prefix)] == [full]
    assert short_ids([str(TEAM_REV)]) == {str(TEAM_REV): "01a23654"}


def test_listed_value_ids_are_unique_and_accepted_by_take(run_cli, twins: Path):
    code, out, _ = run_cli("conflicts", "list", "--db", twins, "--format", "json")
    [item] = json.loads(out)
    assert sorted(v["value_id"] for v in item["values"]) == sorted([str(COMMITTEE_REV), str(TEAM_REV)])
    code, table, _ = run_cli("conflicts", "list", "--db", twins)
    assert code == 0
    printed = [w for w in table.split() if w.startswith("01a23654")]
    assert sorted(printed) == ["01a23654-ab1", "01a23654-ab3"]  # not "01a23654" twice
    conflict_short = next(w for w in table.split() if item["id"].startswith(w) and len(w) >= 8)

    before = project_fingerprint(twins)
    code, _, err = run_cli("conflicts", "resolve", "--db", twins, conflict_short, "--take", "01a23654",
                           "--reason", "x")
    assert code == 1 and "ambiguous" in err and str(COMMITTEE_REV) in err and str(TEAM_REV) in err
    code, _, err = run_cli("conflicts", "resolve", "--db", twins, conflict_short, "--take", "01a23654-ab",
                           "--reason", "x")
    assert code == 1 and "ambiguous" in err and "Traceback" not in err
    assert project_fingerprint(twins) == before

    code, out, err = run_cli("conflicts", "resolve", "--db", twins, conflict_short, "--take", "01a23654-ab3",
                             "--reason", "Tổ 3 kiểm tra thực tế")
    assert (code, err) == (0, "") and "resolved" in out
    with open_project(twins) as project, project.session() as s:
        assert unresolved_conflicts(s, 2024) == []
    _, out, _ = run_cli("conflicts", "list", "--db", twins, "--all", "--format", "json")
    assert json.loads(out)[0]["status"] == "resolved"


@pytest.mark.parametrize("take", [str(TEAM_REV), TEAM_REV.hex, str(TEAM_REV).upper(), " 01A23654AB34 "])
def test_take_accepts_the_full_id_or_a_unique_prefix(run_cli, twins: Path, take: str):
    [item] = json.loads(run_cli("conflicts", "list", "--db", twins, "--format", "json")[1])
    code, _, err = run_cli("conflicts", "resolve", "--db", twins, item["id"], "--take", take, "--reason", "r")
    assert (code, err) == (0, "")
    with open_project(twins) as project, project.session() as s:
        assert unresolved_conflicts(s, 2024) == []


HOSTILE_POINTS = ["1e308", "10" + "0" * 30, "1e-400", "inf", "-inf", "nan", "sNaN", "1e999999999",
                  "-1", "0.001", "9" * 5000, "\udcff", "1\x1b", "", "1,2,3"]


def test_hostile_points_are_refused_cleanly(run_cli, twins: Path):
    [item] = json.loads(run_cli("conflicts", "list", "--db", twins, "--format", "json")[1])
    before = project_fingerprint(twins)  # once for all cases: the DB is 21 MB
    for points in HOSTILE_POINTS:
        code, out, err = run_cli("conflicts", "resolve", "--db", twins, item["id"], f"--points={points}",
                                 "--reason", "hội đồng quyết định")
        assert code == 1 and out == "" and "Traceback" not in err, points
        shown = repr(points if len(points) <= 40 else points[:40] + "…")
        assert err.startswith(f"error: --points {shown} "), err  # the place and the value, escaped, cut
    assert project_fingerprint(twins) == before


HOSTILE_TEXT = [
    ("--reason", "lý do\x1b[31m", r"--reason: contains a control character \(U\+001B\) at character 6"),
    ("--reason", "lý do \udcff", r"--reason: contains a lone surrogate \(U\+DCFF\)"),
    ("--reason", "x" * 10_001, r"--reason: 10001 characters, at most 10000"),
    ("--reason", "   ", r"give the reason"),
    ("--author", "Chủ\x00tịch", r"--author: contains a control character \(U\+0000\)"),
    ("--author", "Chủ tịch\n", r"--author: contains a control character \(U\+000A\)"),
    ("--author", "A" * 201, r"--author: 201 characters, at most 200"),
]


def test_hostile_reason_and_author_are_refused(run_cli, twins: Path):
    [item] = json.loads(run_cli("conflicts", "list", "--db", twins, "--format", "json")[1])
    take = item["values"][0]["value_id"]
    before = project_fingerprint(twins)
    for option, text, message in HOSTILE_TEXT:
        args = {"--reason": "lý do", "--author": "Chủ tịch", option: text}
        code, out, err = run_cli("conflicts", "resolve", "--db", twins, item["id"], "--take", take,
                                 *(f"{k}={v}" for k, v in args.items()))
        assert code == 1 and out == "" and "Traceback" not in err
        assert re.search(message, err), err
    assert project_fingerprint(twins) == before


def test_a_multiline_reason_is_kept(run_cli, twins: Path):
    [item] = json.loads(run_cli("conflicts", "list", "--db", twins, "--format", "json")[1])
    code, _, err = run_cli("conflicts", "resolve", "--db", twins, item["id"], "--points", "0,5",
                           "--reason", "Biên bản họp:\n\tgiữ 0,5 điểm")
    assert (code, err) == (0, "")
    _, out, _ = run_cli("conflicts", "list", "--db", twins, "--all", "--format", "json")
    assert json.loads(out)[0]["status"] == "resolved"


def test_stored_control_characters_do_not_reach_the_terminal(run_cli, twins: Path):
    """A note written by an older version (before the text rules) is shown without its escapes."""
    con = sqlite3.connect(twins)
    with con:
        con.execute("UPDATE score_revision SET note = ?, author = ? WHERE id = ?",
                    ("xoá\x1b[2Jmàn hình\nhai dòng", "Tổ\x073", TEAM_REV.hex))
    con.close()
    code, out, _ = run_cli("conflicts", "list", "--db", twins)
    assert code == 0 and "xoá[2Jmàn hìnhhai dòng" in out and "Tổ3" in out
    assert not re.search(r"[\x00-\x09\x0b-\x1f\x7f]", out)
    _, out, _ = run_cli("conflicts", "list", "--db", twins, "--format", "json")  # JSON keeps it, escaped
    assert "\\u001b" in out and "\x1b" not in out


def test_the_conflict_view_shows_the_ids_the_listing_prints(twins: Path, qtbot, monkeypatch, tmp_path: Path,
                                                           run_cli):
    """The GUI shows each value's code as `conflicts list` prints it: two values made in the same minute
    no longer both read 01a23654."""
    from PySide6.QtWidgets import QLabel
    from ui_helpers import open_window

    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "config"))
    window = open_window(twins, qtbot, "Thư ký", "secretary")
    window.show_view("conflicts")
    view = window.conflicts
    qtbot.waitUntil(lambda: view.detail is not None, timeout=10_000)
    codes = {label.text() for label in view.sides.findChildren(QLabel) if label.text().startswith("<code>")}
    assert codes == {"<code>01a23654-ab1</code>", "<code>01a23654-ab3</code>"}
    _, out, _ = run_cli("conflicts", "list", "--db", twins)
    assert "01a23654-ab1" in out and "01a23654-ab3" in out
    window.close()
