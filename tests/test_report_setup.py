"""The people and places of the documents (project setting ``reports``): checked as a whole, stored in its
normal form, audited, and what the minutes print; through the service and ``evaluator report-setup``."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from evaluator.errors import Problems, UserError
from evaluator.models import AuditEvent, Setting, open_project
from evaluator.services.report_setup import MAX_TEXT, empty_setup, normalise, report_setup, set_report_setup

SETUP: dict[str, Any] = {
    "issuing_body": ["UBND TỈNH AN KHÁNH", "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC"],
    "place": "An Khánh",
    "chair": {"name": "Nguyễn Văn Hùng", "position": "Giám đốc Sở Nội vụ"},
    "secretary": {"name": "Lê Thị Thu Hà", "position": "Chuyên viên"},
    "council": [{"name": "Trần Quốc Bảo", "position": "Phó Giám đốc Sở Tư pháp", "role": "Thành viên"},
                {"name": "", "position": "", "role": ""}],
    "representatives": {"SO01": [{"name": "Phạm Minh Đức", "position": "Phó Giám đốc"}]},
    "conclusions": {"SO01": "Đơn vị thực hiện đầy đủ các nhiệm vụ CCHC năm 2024."},
}


def stored(db: Path) -> Any:
    with open_project(db) as project, project.session() as s:
        row = s.get(Setting, "reports")
        return None if row is None else row.value


def audit(db: Path) -> list[AuditEvent]:
    with open_project(db) as project, project.session() as s:
        return list(s.scalars(select(AuditEvent).where(AuditEvent.action == "settings.reports")
                              .order_by(AuditEvent.time)))


def test_stored_in_normal_form_audited_and_idempotent(demo_copy: Path):
    with open_project(demo_copy) as project, project.session(write=True) as s:
        change = set_report_setup(s, SETUP, author="Thư ký", role="secretary", device_id="d1")
    assert change.audit
    value = stored(demo_copy)
    assert value == {**empty_setup(), **SETUP, "council": SETUP["council"][:1]}  # the empty member dropped
    events = audit(demo_copy)
    assert [(e.author, e.role) for e in events] == [("Thư ký", "secretary")]
    assert events[0].new["chair"] == SETUP["chair"] and events[0].old["chair"] == {"name": "", "position": ""}
    assert "place" in events[0].new and "number_suffix" not in events[0].new  # only what changed
    with open_project(demo_copy) as project, project.session(write=True) as s:
        assert set_report_setup(s, json.loads(json.dumps(value)), author="Thư ký").empty  # same again
    assert len(audit(demo_copy)) == 1


@pytest.mark.parametrize(("setup", "problem"), [
    ([], "the setting must be an object with keys issuing_body, place"),
    ({"counsil": []}, "counsil: unknown key; the keys are issuing_body, place, number_suffix, chair"),
    ({"chair": {"name": "A", "title": "B"}}, "chair.title: unknown key; a person has name, position"),
    ({"chair": 7}, 'chair: must be a person {"name", "position"}, not a number'),
    ({"council": {"name": "A"}}, "council: must be a list of people, not an object"),
    ({"council": [{"name": 1}]}, "council[0].name: must be text, not a number"),
    ({"issuing_body": 3}, "issuing_body: must be a list of lines, not a number"),
    ({"representatives": {"SO99": [{"name": "A"}]}}, "representatives: unit(s) 'SO99' not in the project"),
    ({"conclusions": {"SO01": "x" * (MAX_TEXT + 1)}},
     f"conclusions.SO01: {MAX_TEXT + 1} characters, at most"),
    ({"unit_opinions": ["SO01"]}, "unit_opinions: must be an object keyed by unit code, not a list"),
])
def test_a_bad_setting_names_its_problem_and_stores_nothing(demo_copy: Path, setup: Any, problem: str):
    with open_project(demo_copy) as project, project.session(write=True) as s:
        set_report_setup(s, SETUP)
    before, events = stored(demo_copy), len(audit(demo_copy))
    with pytest.raises(UserError) as caught, open_project(demo_copy) as project, \
            project.session(write=True) as s:
        set_report_setup(s, setup)
    assert str(caught.value).startswith("the report setting was not stored (1 problem(s)):")
    assert problem in str(caught.value)
    assert stored(demo_copy) == before and len(audit(demo_copy)) == events


def test_lenient_forms_are_normalised(demo_copy: Path):
    with open_project(demo_copy) as project, project.session(write=True) as s:
        set_report_setup(s, {"issuing_body": "  UBND TỈNH AN KHÁNH ", "chair": "Nguyễn Văn Hùng",
                             "representatives": {"SO01": {"name": "Phạm Minh Đức"}}})
        setup = report_setup(s)
    assert setup["issuing_body"] == ["UBND TỈNH AN KHÁNH"]
    assert setup["chair"] == {"name": "Nguyễn Văn Hùng", "position": ""}
    assert setup["representatives"] == {"SO01": [{"name": "Phạm Minh Đức", "position": ""}]}


def test_a_hand_written_setting_is_read_leniently(demo_copy: Path):
    with open_project(demo_copy) as project:
        project.set_setting("reports", {"chair": {"name": "A"}, "council": "not a list", "x": 1})
        with project.session() as s:
            setup = report_setup(s)
    assert setup["chair"] == {"name": "A", "position": ""} and setup["council"] == []


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(["name", "position", "role", "SO01", "x"]), inner,
                                         max_size=3), max_leaves=12)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["issuing_body", "place", "chair", "council", "representatives",
                                        "conclusions", "counsil"]), JSONISH, max_size=4))
@pytest.mark.slow
def test_any_json_is_either_refused_with_problems_or_normal(setup: dict[str, Any]):
    problems = Problems()
    out = normalise(setup, problems, {"SO01"})
    assert set(out) == set(empty_setup())
    if not problems.items:  # accepted: normal form, stable
        again = Problems()
        assert normalise(out, again, {"SO01"}) == out and not again.items


def test_cli_prints_and_stores_and_the_minutes_print_it(demo_copy: Path, tmp_path: Path, run_cli):
    code, out, _ = run_cli("report-setup", "--db", str(demo_copy))
    assert code == 0 and json.loads(out) == empty_setup()
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({**SETUP, "council": [{"name": 5}], "conclusions": {"SO99": "?"}}), "utf-8")
    code, _, err = run_cli("report-setup", "--db", str(demo_copy), "--set", str(bad))
    assert code == 1
    assert err.splitlines() == ["error: the report setting was not stored (2 problem(s)):",
                                "  - council[0].name: must be text, not a number",
                                "  - conclusions: unit(s) 'SO99' not in the project"]
    assert stored(demo_copy) is None
    broken = tmp_path / "broken.json"
    broken.write_text("{", "utf-8")
    code, _, err = run_cli("report-setup", "--db", str(demo_copy), "--set", str(broken))
    assert code == 1 and f"error: {broken} is not JSON text (UTF-8)" in err
    good = tmp_path / "setup.json"
    good.write_text(json.dumps(SETUP, ensure_ascii=False), "utf-8")
    code, out, _ = run_cli("report-setup", "--db", str(demo_copy), "--set", str(good), "--author", "Thư ký")
    assert (code, out.strip()) == (0, "report setting stored")
    code, out, _ = run_cli("report-setup", "--db", str(demo_copy), "--set", str(good))
    assert (code, out.strip()) == (0, "report setting unchanged")
    assert [e.author for e in audit(demo_copy)] == ["Thư ký"]

    pdf = tmp_path / "bb.pdf"
    code, _, err = run_cli("report", "appraisal", "--db", str(demo_copy), "--year", "2024", "--unit", "SO01",
                           "--out", str(pdf))
    assert code == 0, err
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # a wrapped line reads as one
    for name in ("Nguyễn Văn Hùng", "Lê Thị Thu Hà", "Trần Quốc Bảo", "Phạm Minh Đức",
                 "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC", "Đơn vị thực hiện đầy đủ các nhiệm vụ CCHC năm 2024."):
        assert name in text, name


TIMES = st.one_of(st.sampled_from(["2025-01-10 08:00", "11:30", "24:00", "2025-02-30 08:00", " 08:00 ", ""]),
                  st.text(max_size=20), st.integers(), st.none())
MEETINGS = st.fixed_dictionaries({}, optional={"start": TIMES, "end": TIMES, "place": TIMES, "room": TIMES})


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(["meeting", "meetings", "chair"]),
                       st.one_of(MEETINGS, st.dictionaries(st.sampled_from(["SO01", "SO99"]), MEETINGS,
                                                           max_size=2),
                                 st.fixed_dictionaries({"name": st.just("A"), "address": TIMES}), JSONISH),
                       max_size=3))
def test_any_meeting_or_address_is_refused_with_problems_or_normal(setup: dict[str, Any]):
    from evaluator.services.report_data import meeting_of
    from evaluator.services.report_setup import DAY_TIME, meeting_time

    problems = Problems()
    out = normalise(setup, problems, {"SO01"})
    assert set(out) == set(empty_setup())
    if not problems.items:  # accepted: normal form, stable, every time readable as the minutes read it
        again = Problems()
        assert normalise(out, again, {"SO01"}) == out and not again.items
        for meeting in [out["meeting"], *out["meetings"].values()]:
            read = meeting_of(meeting)
            assert (read.start is None) == (not meeting["start"])
            assert (read.end is None) == (not meeting["end"])
            assert not meeting["start"] or meeting_time(meeting["start"], (DAY_TIME,)) is not None
        assert out["chair"].get("address", "Ông") in ("Ông", "Bà")
