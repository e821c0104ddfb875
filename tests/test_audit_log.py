"""The audit log filtered by unit, person, a range of days and action, and exported to xlsx
(``services.audit_log``, ``evaluator audit export``): the workbook holds exactly the events the filters
select (read back with openpyxl), in the user's language, user text never as a formula."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, Unit
from evaluator.services import audit, audit_log
from evaluator.services.audit_log import AuditFilter
from evaluator.services.projects import open_existing

COMMITTEE = "Hội đồng thẩm định"  # one of the demo's authors


def all_events(db: Path, **filters: Any) -> list[audit.AuditRow]:
    with open_existing(db) as project, project.session() as s:
        return audit.query_audit(s, limit=None, **filters)


def read_back(path: Path) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def local_day(event: audit.AuditRow) -> date:
    return event.time.astimezone().date()


def test_the_filters_select_what_they_name(demo_db: Path) -> None:
    """Each filter, checked against the unit's whole log filtered here in Python (not by the query)."""
    unit_events = all_events(demo_db, unit_code="SO01")
    assert unit_events and all(e.unit_code == "SO01" for e in unit_events)
    days = sorted({local_day(e) for e in unit_events})
    since, until = days[1], days[-2]
    wanted = AuditFilter(unit_code="SO01", person=COMMITTEE, since=since, until=until, action="score.set")
    expected = [e for e in unit_events
                if e.author == COMMITTEE and since <= local_day(e) <= until and e.action == "score.set"]
    with open_existing(demo_db) as project, project.session() as s:
        got = audit_log.rows(s, wanted)
        assert audit_log.count(s, wanted) == len(got)
        assert COMMITTEE in audit_log.people(s)
        assert ("SO01", unit_events[0].unit_name) in audit_log.units(s)
    assert expected and [e.id for e in got] == [e.id for e in expected]
    # a range of one day holds only that day's events, that day included
    one = AuditFilter(unit_code="SO01", since=days[0], until=days[0])
    with open_existing(demo_db) as project, project.session() as s:
        first_day = audit_log.rows(s, one)
    assert first_day and {local_day(e) for e in first_day} == {days[0]}
    assert len(first_day) == sum(local_day(e) == days[0] for e in unit_events)


def test_a_range_of_days_includes_its_last_day_to_midnight(demo_copy: Path) -> None:
    """``until`` is a day of the user's calendar, included whole: an event a minute before its local
    midnight is in, one at midnight is not."""
    day = date(2026, 3, 10)
    late = datetime.combine(day, time(23, 59)).astimezone()
    next_day = datetime.combine(day + timedelta(days=1), time.min).astimezone()
    with open_existing(demo_copy) as project, project.session(write=True) as s:
        a_id = s.scalars(select(Assessment.id).join(Unit).where(Unit.code == "SO02")).first()
        audit.record(s, "score.set", author="Người Muộn", role="member", assessment_id=a_id,
                     criterion_code="1.1", time=late)
        audit.record(s, "score.set", author="Người Muộn", role="member", assessment_id=a_id,
                     criterion_code="1.2", time=next_day)
    with open_existing(demo_copy) as project, project.session() as s:
        got = audit_log.rows(s, AuditFilter(person="Người Muộn", until=day))
        after = audit_log.rows(s, AuditFilter(person="Người Muộn", since=day + timedelta(days=1)))
    assert [e.criterion_code for e in got] == ["1.1"]
    assert [e.criterion_code for e in after] == ["1.2"]


def test_a_reversed_range_is_refused_with_both_days() -> None:
    with pytest.raises(UserError) as caught:
        AuditFilter(since=date(2026, 5, 2), until=date(2026, 5, 1)).query()
    assert caught.value.code == "auditlog.range_reversed"
    assert "02/05/2026" in str(caught.value) and "01/05/2026" in str(caught.value)


def test_the_export_holds_exactly_the_filtered_events(demo_copy: Path, tmp_path: Path) -> None:
    """Every column of every filtered event, newest first; labels in the language asked for; a reason
    that Excel would take for a formula stays text."""
    with open_existing(demo_copy) as project, project.session(write=True) as s:
        a_id = s.scalars(select(Assessment.id).join(Unit).where(Unit.code == "SO01")).first()
        audit.record(s, "score.set", author="Trần Văn Bình", role="member", assessment_id=a_id,
                     criterion_code="2.1.1", stage="appraisal1", old={"points": 0.5}, new={"points": 1},
                     reason="=HYPERLINK(\"http://x\")")
    wanted = AuditFilter(unit_code="SO01", person="Trần Văn Bình")
    out = tmp_path / "nhat-ky.xlsx"
    with open_existing(demo_copy) as project, project.session() as s:
        assert audit_log.export_xlsx(s, wanted, out, language="vi") == 1
    sheet = read_back(out)
    assert sheet[0] == ["Thời gian", "Người thực hiện", "Vai trò", "Thao tác", "Đơn vị", "Tiêu chí",
                        "Chi tiết"]
    (row,) = sheet[1:]
    assert isinstance(row[0], datetime)
    assert row[1:6] == ["Trần Văn Bình", "Thành viên tổ thẩm định", "Ghi điểm", row[4], "2.1.1"]
    assert row[4].startswith("SO01 ")
    assert row[6] == "Thẩm định vòng 1; 0.5 → 1; lý do: =HYPERLINK(\"http://x\")"
    cell = openpyxl.load_workbook(out).worksheets[0]["G2"]
    assert cell.data_type == "s"  # text, not a formula

    # the same filter in English, and a wider one: exactly the query's events, in its order
    wide = AuditFilter(unit_code="SO01", person=COMMITTEE)
    with open_existing(demo_copy) as project, project.session() as s:
        n = audit_log.export_xlsx(s, wide, out, language="en")
        expected = audit_log.rows(s, wide)
    sheet = read_back(out)
    assert sheet[0] == ["Time", "By", "Role", "Action", "Unit", "Criterion", "Details"]
    assert n == len(expected) == len(sheet) - 1 > 1
    assert [r[5] for r in sheet[1:]] == [e.criterion_code for e in expected]
    assert {r[1] for r in sheet[1:]} == {COMMITTEE} and {r[3] for r in sheet[1:]} == {"Score set"}
    # local times (Excel has no time zones), to Excel's millisecond
    assert all(abs(r[0] - e.time.astimezone().replace(tzinfo=None)) < timedelta(milliseconds=1)
               for e, r in zip(expected, sheet[1:], strict=True))


def test_the_export_refuses_another_format_and_leaves_nothing(demo_db: Path, tmp_path: Path) -> None:
    with open_existing(demo_db) as project, project.session() as s, pytest.raises(UserError) as caught:
        audit_log.export_xlsx(s, AuditFilter(), tmp_path / "log.csv")
    assert caught.value.code == "auditlog.not_xlsx" and "log.csv" in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_cli_export(demo_db: Path, tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "log.xlsx"
    days = sorted({local_day(e) for e in all_events(demo_db, unit_code="SO03")})
    code, stdout, _ = run_cli("audit", "export", "--db", demo_db, "--out", out, "--unit", "SO03",
                              "--person", COMMITTEE, "--since", days[-1].isoformat(),
                              "--until", days[-1].isoformat(), "--action", "score.set")
    expected = [e for e in all_events(demo_db, unit_code="SO03", author=COMMITTEE)
                if local_day(e) == days[-1]]
    assert code == 0 and f"{len(expected)} audit events" in stdout and str(out) in stdout
    sheet = read_back(out)
    assert len(sheet) - 1 == len(expected) > 0
    assert all(r[4].startswith("SO03 ") and r[1] == COMMITTEE for r in sheet[1:])


@pytest.mark.parametrize(("args", "words"), [
    (("--since", "2026-13-01"), "2026-13-01"),
    (("--since", "2026-05-02", "--until", "2026-05-01"), "02/05/2026"),
    (("--out-of-format",), None),
])
def test_cli_export_bad_input(demo_db: Path, tmp_path: Path, run_cli: Any, args: tuple[str, ...],
                              words: str | None) -> None:
    out = tmp_path / "log.xlsx"
    if words is None:
        with pytest.raises(SystemExit):
            run_cli("audit", "export", "--db", demo_db, "--out", out, *args)
    else:
        code, _, stderr = run_cli("audit", "export", "--db", demo_db, "--out", out, *args)
        assert code != 0 and words in stderr
    assert not out.exists()
