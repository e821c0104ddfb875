"""Services behind the desktop workspace, without Qt: unit list, unit sheet and live totals, reasons and
roles in ``set_score``, undo/redo, evidence, locks, audit queries, user settings, dashboard exports."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from evaluator.errors import UserError
from evaluator.models import AuditEvent, Evidence, Project, open_project
from evaluator.services import audit, dashboard, evidence, history, locks, users
from evaluator.services import workspace as ws
from evaluator.services.results import compute_year
from evaluator.services.scores import ReasonRequired, editable_stages, set_score


@pytest.fixture
def proj(demo_copy: Path) -> Iterator[Project]:
    p = open_project(demo_copy)
    yield p
    p.close()


def _unit(p: Project, code: str = "SO01") -> ws.UnitProgress:
    with p.session() as s:
        return next(u for u in ws.list_units(s, 2024) if u.code == code)


def _leaf(sheet: ws.UnitSheet, kind: str, *, source: str = "appraisal") -> str:
    return next(r.code for r in sheet.leaves() if sheet.node(r.code).rule.kind == kind and r.source == source)  # type: ignore[union-attr]


def test_unit_list_progress_and_kinds(proj: Project) -> None:
    with proj.session() as s:
        assert ws.years(s) == [2024, 2023]
        assert ws.kinds(s, 2024) == ["department", "district", "commune"]
        units = ws.list_units(s, 2024)
        depts = ws.list_units(s, 2024, "department")
    assert len(units) == 70 and len(depts) == 22
    assert [u.code for u in depts][:2] == ["SO01", "SO02"]
    so01 = depts[0]
    assert so01.stage == "appraisal2" and 0 < so01.scored <= so01.total
    with proj.session() as s:
        self_stage = ws.list_units(s, 2024, "department", stage="self")[0]
    assert self_stage.scored <= self_stage.total


def test_sheet_totals_agree_with_batch_results(proj: Project) -> None:
    with proj.session() as s:
        results = compute_year(s, 2024)
        for code in ("SO01", "H03", "X0101"):
            unit = next(u for u in ws.list_units(s, 2024) if u.code == code)
            sheet = ws.load_unit(s, unit.assessment_id)
            row = results.units[results.units["code"] == code].iloc[0]
            assert sheet.score is not None and sheet.score.index is not None
            expected = Decimal(int(row["index_scaled"])).scaleb(-int(row["decimals"]))
            assert sheet.score.index == expected, code
            assert sheet.score.class_code == row["class_code"]
    assert sheet.rule_text(sheet.leaves()[0].code)
    assert {r.mark for r in sheet.leaves()} <= {"empty", "scored", "changed", "no_evidence", "na"}


def test_edit_then_refresh_changes_index(proj: Project) -> None:
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    before = sheet.score.points  # type: ignore[union-attr]
    leaf = _leaf(sheet, "binary")
    leaf_points = sheet.rows[leaf].points
    with proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "appraisal2", value={"done": False}, reason="Không có TLKC")
    with proj.session() as s:
        ws.refresh_leaves(s, sheet, {leaf})
    assert sheet.rows[leaf].final_stage == "appraisal2"
    assert sheet.rows[leaf].points == 0
    assert sheet.score.points == before - leaf_points  # type: ignore[union-attr]
    assert sheet.rows[leaf].mark in ("changed", "scored")


def test_reason_required_when_appraisal_differs(proj: Project) -> None:
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    leaf = next(
        r.code
        for r in sheet.leaves()
        if sheet.node(r.code).rule.kind == "binary"
        and r.stages.get("self")  # type: ignore[union-attr]
        and r.stages["self"].points == r.max
    )
    with pytest.raises(ReasonRequired), proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "appraisal1", value={"done": False})
    with proj.session() as s:  # same as self: no reason needed
        set_score(s, unit.assessment_id, leaf, "appraisal1", value={"done": True})
    with proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "appraisal1", value={"done": False}, reason="Thiếu kế hoạch")
        event = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.criterion_code == leaf, AuditEvent.assessment_id == unit.assessment_id)
            .order_by(AuditEvent.time.desc())
        ).first()
    assert event is not None and event.reason == "Thiếu kế hoạch"


def test_roles_decide_editable_stages(proj: Project) -> None:
    assert editable_stages("member") == {"appraisal1", "appraisal2"}
    assert "self" in editable_stages("assessor") and "appraisal1" not in editable_stages("assessor")
    assert editable_stages("") >= {"self", "survey"}
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    leaf = _leaf(sheet, "binary")
    with pytest.raises(UserError, match="cannot edit"), proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "self", value={"done": True}, role="member")
    with pytest.raises(UserError, match="unknown role"), proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "self", value={"done": True}, role="boss")


def test_undo_redo_are_audited_edits(proj: Project) -> None:
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    leaf = _leaf(sheet, "options")
    node = sheet.node(leaf)
    last = node.rule.levels[-1].code  # type: ignore[union-attr]
    h = history.History()
    with proj.session() as s:
        before = history.current_state(s, unit.assessment_id, leaf, "appraisal2")
        h.edit(s, unit.assessment_id, leaf, "appraisal2", value={"option": last}, reason="r", author="A")
    with proj.session() as s:
        assert history.current_state(s, unit.assessment_id, leaf, "appraisal2")["value"] == {"option": last}
        change = h.undo(s, author="A")
    assert (unit.assessment_id, leaf) in change.leaves
    with proj.session() as s:
        now = history.current_state(s, unit.assessment_id, leaf, "appraisal2")
        assert (now or {}).get("points") == (before or {}).get("points")
        assert h.can_redo and not h.can_undo
        h.redo(s, author="A")
    with proj.session() as s:
        assert history.current_state(s, unit.assessment_id, leaf, "appraisal2")["value"] == {"option": last}
        actions = s.scalars(
            select(AuditEvent.reason).where(
                AuditEvent.criterion_code == leaf,
                AuditEvent.assessment_id == unit.assessment_id,
                AuditEvent.author == "A",
            )
        ).all()
    assert "Hoàn tác (undo)" in actions and "Làm lại (redo)" in actions


def test_clear_stage_falls_back_to_previous(proj: Project) -> None:
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    leaf = _leaf(sheet, "binary")
    with proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "appraisal2", value={"done": True}, reason="x")
        set_score(s, unit.assessment_id, leaf, "appraisal2", clear=True)
    with proj.session() as s:
        ws.refresh_leaves(s, sheet, {leaf})
        kinds = s.scalars(
            select(AuditEvent.action).where(
                AuditEvent.criterion_code == leaf, AuditEvent.assessment_id == unit.assessment_id
            )
        ).all()
    assert sheet.rows[leaf].final_stage in ("appraisal1", "explanation", "self")
    assert "score.clear" in kinds


def test_evidence_attach_dedup_and_audit(proj: Project, tmp_path: Path) -> None:
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    leaf = sheet.leaves()[0].code
    f = tmp_path / "bien-ban.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + b"x" * 100)
    with proj.session() as s:
        first = evidence.attach(
            s, proj.evidence, unit.assessment_id, leaf, f, reference="Trang 2", author="B"
        )
    with proj.session() as s:
        again = evidence.attach(s, proj.evidence, unit.assessment_id, leaf, f, author="B")
    assert not first.duplicate and again.duplicate and again.change.empty
    assert first.evidence.kind == "image" and first.evidence.media_type == "image/png"
    assert proj.evidence.verify(first.evidence.sha256)
    with proj.session() as s:
        rows = s.scalars(select(Evidence).where(Evidence.sha256 == first.evidence.sha256)).all()
        assert len(rows) == 1
        listed = evidence.list_evidence(s, unit.assessment_id, leaf)
        assert first.evidence.id in {e.id for e in listed}
        found = audit.query_audit(s, assessment_id=unit.assessment_id, action="evidence.add")
    assert found and found[0].new["file_name"] == "bien-ban.png"
    assert evidence.file_path(proj.evidence, first.evidence).read_bytes() == f.read_bytes()
    with proj.session() as s:
        evidence.remove(s, first.evidence.id, author="B", reason="nhầm tệp")
    with proj.session() as s:
        assert not evidence.list_evidence(s, unit.assessment_id, leaf) or first.evidence.id not in {
            e.id for e in evidence.list_evidence(s, unit.assessment_id, leaf)
        }


def test_locks_are_audited_and_unlock_is_committee_only(proj: Project) -> None:
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    leaf = _leaf(sheet, "binary")
    with proj.session() as s:
        locks.lock_stage(s, unit.assessment_id, "appraisal2", author="C", role="leader")
    with pytest.raises(UserError, match="locked"), proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "appraisal2", value={"done": True}, reason="x")
    with pytest.raises(UserError, match="committee"), proj.session() as s:
        locks.unlock_stage(s, unit.assessment_id, "appraisal2", role="leader", reason="sửa")
    with pytest.raises(UserError, match="reason"), proj.session() as s:
        locks.unlock_stage(s, unit.assessment_id, "appraisal2", role="committee")
    with proj.session() as s:
        locks.unlock_stage(
            s, unit.assessment_id, "appraisal2", role="committee", reason="sửa sai", author="D"
        )
        set_score(s, unit.assessment_id, leaf, "appraisal2", value={"done": True}, reason="x")
    with proj.session() as s:
        events = audit.query_audit(s, assessment_id=unit.assessment_id, action="stage.")
    assert [e.action for e in events] == ["stage.unlock", "stage.lock"]
    assert events[0].reason == "sửa sai" and audit.describe_state(events[1].new) == "appraisal2"


def test_audit_filters(proj: Project) -> None:
    with proj.session() as s:
        all_rows = audit.query_audit(s, limit=50)
        by_text = audit.query_audit(s, text="Sở Nội vụ", limit=50)
        by_leaf = audit.query_audit(s, criterion_code="1.1.1", year=2024, limit=50)
        assert "score.set" in audit.actions(s)
    assert len(all_rows) == 50
    assert by_text and all(r.unit_code == "SO01" for r in by_text)
    assert by_leaf and all(r.criterion_code == "1.1.1" and r.year == 2024 for r in by_leaf)
    assert all_rows[0].time >= all_rows[-1].time


def test_user_settings_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    s = users.load_settings()
    assert not s.configured and s.language == "vi" and s.device_id
    users.set_user(s, "  Trần Văn Bình ", "secretary")
    project = tmp_path / "p.db"
    project.write_bytes(b"")
    s.remember(project)
    users.save_settings(s)
    again = users.load_settings()
    assert again.name == "Trần Văn Bình" and again.role == "secretary" and again.configured
    assert again.last_project == str(project.resolve()) and again.device_id == s.device_id
    with pytest.raises(UserError):
        users.set_user(again, "X", "boss")
    (tmp_path / "cfg" / "settings.json").write_text("{broken", encoding="utf-8")
    assert users.load_settings().name == ""


def test_dashboard_exports(demo_db: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    p = open_project(demo_db)
    try:
        with p.session() as s:
            results = compute_year(s, 2024)
    finally:
        p.close()
    rows = dashboard.ranking(results, "department")
    assert len(rows) == 22 and rows[0]["rank"] == 1
    areas = dashboard.area_indices(results, "department", rows[0]["code"])
    assert areas and all(a.mean is not None and 0 <= a.mean <= 100 for a in areas)
    assert areas[0].unit == rows[0]["areas"][0]["index"]
    xlsx = dashboard.export_ranking(results, "department", tmp_path / "r.xlsx")
    book = load_workbook(xlsx)
    sheet = book["Xếp hạng"]
    assert [c.value for c in sheet[2]][:4] == ["Hạng", "Thay đổi hạng", "Mã", "Đơn vị"]
    assert sheet.cell(3, 3).value == rows[0]["code"] and sheet.cell(3, 7).value == rows[0]["index"]
    assert sheet.max_row == 2 + 22
    assert sum(r[2].value for r in book["Xếp loại"].iter_rows(min_row=2, max_row=6)) == pytest.approx(100)
    out = dashboard.export_ranking(results, "commune", tmp_path / "r.csv")
    with out.open(encoding="utf-8-sig") as fh:
        table = list(csv.reader(fh))
    assert table[0][0] == "Hạng" and len(table) == 1 + 40
    with pytest.raises(UserError):
        dashboard.export_ranking(results, "commune", tmp_path / "r.pdf")


def test_a_changed_value_needs_its_own_reason(proj: Project) -> None:
    """The note stored with a value is that value's reason: passing it again with a changed value (as the
    detail pane once did) is no reason, for any caller."""
    def agreed_at_075(code: str) -> tuple[Any, Any] | None:
        """The unit and its first points leaf whose appraisal 1 agreed with a self score of 0,75."""
        unit = _unit(proj, code)
        with proj.session() as s:
            sheet = ws.load_unit(s, unit.assessment_id)
        for r in sheet.leaves():
            own, first = r.stages.get("self"), r.stages.get("appraisal1")
            if (sheet.node(r.code).rule.kind == "manual"  # type: ignore[union-attr]
                    and own is not None and first is not None
                    and own.points == first.points == Decimal("0.75")
                    and first.note == "Thống nhất với điểm tự chấm"):
                return unit, r
        return None

    unit, row = next(found for c in (f"SO{i:02d}" for i in range(1, 23)) if (found := agreed_at_075(c)))
    first, own = row.stages["appraisal1"], row.stages["self"]
    assert first is not None and own is not None and first.points == own.points == Decimal("0.75")
    agreed = first.note
    assert agreed == "Thống nhất với điểm tự chấm"

    def events() -> list[AuditEvent]:
        with proj.session() as s:
            return list(s.scalars(select(AuditEvent).where(
                AuditEvent.assessment_id == unit.assessment_id, AuditEvent.criterion_code == row.code,
                AuditEvent.stage == "appraisal1").order_by(AuditEvent.time)))

    before = len(events())
    with pytest.raises(ReasonRequired, match="was given for the previous value"), proj.session() as s:
        set_score(s, unit.assessment_id, row.code, "appraisal1", points=Decimal("0"), note=agreed)
    assert len(events()) == before
    with proj.session() as s:  # the same value again with its own note: no change, no reason asked
        set_score(s, unit.assessment_id, row.code, "appraisal1", points=Decimal("0.75"), note=agreed)
    with proj.session() as s:  # a note of its own is a reason
        set_score(s, unit.assessment_id, row.code, "appraisal1", points=Decimal("0"), note="Thiếu TLKC")
    with pytest.raises(ReasonRequired), proj.session() as s:  # 0 → 0,25: "Thiếu TLKC" was for 0
        set_score(s, unit.assessment_id, row.code, "appraisal1", points=Decimal("0.25"), note="Thiếu TLKC")
    with proj.session() as s:  # an explicit reason is one, the note kept as the user chose
        set_score(s, unit.assessment_id, row.code, "appraisal1", points=Decimal("0.25"), note="Thiếu TLKC",
                  reason="Bổ sung một phần")
    new = events()[before:]
    assert [e.reason for e in new] == [agreed, "Thiếu TLKC", "Bổ sung một phần"]
    # back to the self score needs no reason; the note kept from 0,25 is not recorded as one
    with proj.session() as s:
        set_score(s, unit.assessment_id, row.code, "appraisal1", points=Decimal("0.75"), note="Thiếu TLKC")
    assert events()[-1].reason == ""


@pytest.mark.parametrize(("field", "text", "problem"), [
    ("note", "Thiếu\x1b[31m TLKC", "note refused: contains a control character (U+001B) at character 6"),
    ("reason", "nhầm\x00", "reason refused: contains a control character (U+0000)"),
    ("note", "\ud800", "note refused: contains a lone surrogate"),
    ("reason", "x" * 10_001, "reason refused: 10001 characters, at most 10000 allowed"),
])
def test_notes_and_reasons_obey_the_field_rules(proj: Project, field: str, text: str, problem: str) -> None:
    unit = _unit(proj)
    with proj.session() as s:
        sheet = ws.load_unit(s, unit.assessment_id)
    leaf = _leaf(sheet, "binary")
    with proj.session() as s:
        count = s.scalar(select(func.count()).select_from(AuditEvent))
    with pytest.raises(UserError, match=re.escape(f"criterion {leaf} (appraisal2): {problem}")), \
            proj.session() as s:
        set_score(s, unit.assessment_id, leaf, "appraisal2", value={"done": True}, **{field: text})
    with proj.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEvent)) == count
    with proj.session() as s:  # line breaks are ordinary text in a note
        set_score(s, unit.assessment_id, leaf, "appraisal2", value={"done": True}, note="Dòng 1\nDòng 2\tA",
                  reason="r")
