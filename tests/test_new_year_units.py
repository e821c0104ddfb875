"""The new year with the units' new shape (the wizard's unit step): ``plan_new_year(reorganise=…)`` lists
the changes and writes nothing; ``create_new_year`` applies them in the same transaction as the year (units
merged, renamed, a kind retired, a unit added; predecessors recorded; the successors assessed, the old
units not; their files carried to the successor); a bad change is refused and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import project_fingerprint
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, Evidence, Period, Unit, UnitPredecessor
from evaluator.services.new_year import create_new_year, plan_new_year
from evaluator.services.projects import open_existing
from evaluator.services.reorganisation import UnitChange

CHANGES = [
    UnitChange("merge", "SO30", "Sở Xây dựng", ("SO07", "SO08")),
    UnitChange("rename", "SO24", "Sở Dân tộc và Tôn giáo", ("SO19",)),
    UnitChange("retire-kind", kind="district"),
    UnitChange("merge", "X2501", "UBND phường An Khánh", ("X0101", "X0102", "X0103")),
    UnitChange("add", "SO31", "Sở Ngoại vụ và Hợp tác", kind="department"),
    UnitChange("merge", "SO03", "Sở Tài chính", ("SO04",)),  # finance absorbs planning and investment
]


def _assessed(session, year: int) -> set[str]:
    return set(session.scalars(select(Unit.code).join(Assessment).join(Period).where(Period.year == year)))


@pytest.mark.slow
def test_new_year_with_unit_changes(demo_copy: Path) -> None:
    before = project_fingerprint(demo_copy)
    with open_existing(demo_copy) as project:
        with project.session() as s:
            plan = plan_new_year(s, 2025, carry_evidence=True, reorganise=CHANGES)
        codes = {u.code for u in plan.units}
        assert {"SO30", "SO24", "SO31", "X2501"} <= codes
        assert not {"SO07", "SO08", "SO19", "X0101", "X0102", "X0103", "H01"} & codes
        assert {"SO07", "SO08", "SO19", "X0101"} <= {u.code for u in plan.retired}
        assert [r.action for r in plan.unit_changes] == ["retire-kind", "rename", "merge", "merge", "merge",
                                                         "add"]
        assert "SO03" in codes and "SO04" not in codes
        assert all(r.dry_run for r in plan.unit_changes)
        shown = plan.render()
        assert "units merge SO30" in shown and "SO07" in shown and "units add SO31" in shown
        assert plan.to_json()["unit_changes"][2]["predecessors"] == [
            {"code": "SO07", "basis": "merged"}, {"code": "SO08", "basis": "merged"}]
    assert project_fingerprint(demo_copy) == before  # the plan (the dry run) wrote nothing

    with open_existing(demo_copy) as project:
        create_new_year(project, plan, author="Tester")
        with project.session() as s:
            assessed = _assessed(s, 2025)
            assert {"SO30", "SO24", "SO31", "X2501"} <= assessed
            assert not {"SO07", "SO08", "SO19", "X0101", "H01"} & assessed
            preds = {(u, p, b) for u, p, b in s.execute(
                select(Unit.code, UnitPredecessor.predecessor_id, UnitPredecessor.basis)
                .join(UnitPredecessor, UnitPredecessor.unit_id == Unit.id)
                .where(UnitPredecessor.from_year == 2025))}
            by_id = {u.id: u.code for u in s.scalars(select(Unit))}
            assert {(u, by_id[p], b) for u, p, b in preds} == {
                ("SO30", "SO07", "merged"), ("SO30", "SO08", "merged"), ("SO24", "SO19", "renamed"),
                ("X2501", "X0101", "merged"), ("X2501", "X0102", "merged"), ("X2501", "X0103", "merged"),
                ("SO03", "SO03", "same"), ("SO03", "SO04", "merged")}
            assert "SO03" in assessed and "SO04" not in assessed
            units = {u.code: u for u in s.scalars(select(Unit))}
            assert units["SO07"].retired_at is not None and units["SO07"].retired_at.year == 2025
            assert units["H03"].retired_at is not None and units["SO31"].retired_at is None
            assert units["X2501"].parent_code is None  # its district is retired from 2025
            # the predecessors' files are carried to the successor, pending confirmation
            so30 = s.scalars(select(Assessment).join(Unit).join(Period)
                             .where(Unit.code == "SO30", Period.year == 2025)).one()
            carried = s.scalars(select(Evidence).where(Evidence.assessment_id == so30.id)).all()
            old_files = s.scalars(select(Evidence).join(Assessment).join(Unit).join(Period)
                                  .where(Unit.code.in_(["SO07", "SO08"]), Period.year == 2024)).all()
            assert carried and all(e.carried_from == 2024 and e.carry_pending for e in carried)
            assert {e.sha256 for e in carried} <= {e.sha256 for e in old_files}
            assert not s.scalars(select(Assessment).join(Unit).join(Period)
                                 .where(Unit.code == "SO31", Period.year == 2024)).first()


def test_bad_unit_change_refused_nothing_written(demo_copy: Path) -> None:
    before = project_fingerprint(demo_copy)
    with open_existing(demo_copy) as project:
        with project.session() as s:
            with pytest.raises(UserError) as exc:  # a unit in two changes
                plan_new_year(s, 2025, reorganise=[UnitChange("rename", "SO40", "", ("SO02",)),
                                                   UnitChange("merge", "SO41", "Sở A", ("SO02", "SO05"))])
            assert "SO02" in str(exc.value)
            with pytest.raises(UserError) as exc:  # merging a department with a commune
                plan_new_year(s, 2025, reorganise=[UnitChange("merge", "SO41", "Sở A", ("SO02", "X0201"))])
            assert "X0201" in str(exc.value)
            plan = plan_new_year(s, 2025, reorganise=[UnitChange("add", "SO41", "Sở A", kind="department")])
        # the project changed after the plan: the unit is there now, the whole year is refused
        with project.session(write=True) as s:
            s.add(Unit(code="SO41", name="Sở A", kind="department"))
        mid = project_fingerprint(demo_copy)
        with pytest.raises(UserError) as exc:
            create_new_year(project, plan, author="Tester")
        assert "SO41" in str(exc.value)
        with project.session() as s:
            assert not _assessed(s, 2025)
    assert project_fingerprint(demo_copy)[0] == mid[0]
    assert before != mid


def test_same_file_of_two_merged_units_is_carried_once(demo_copy: Path, tmp_path: Path) -> None:
    from evaluator.services.evidence import attach

    shared = tmp_path / "ke-hoach-chung.pdf"
    shared.write_bytes(b"%PDF-1.4 ke hoach CCHC chung cua hai so")
    with open_existing(demo_copy) as project:
        with project.session(write=True) as s:
            for code in ("SO07", "SO08"):  # the same plan filed by both departments on one leaf
                a = s.scalars(select(Assessment).join(Unit).join(Period)
                              .where(Unit.code == code, Period.year == 2024)).one()
                attach(s, project.evidence, a.id, "1.1.1", shared, author="Tester")
        with project.session() as s:
            plan = plan_new_year(s, 2025, carry_evidence=True,
                                 reorganise=[UnitChange("merge", "SO30", "Sở Xây dựng", ("SO07", "SO08"))])
        create_new_year(project, plan, author="Tester")
        with project.session() as s:
            so30 = s.scalars(select(Assessment).join(Unit).join(Period)
                             .where(Unit.code == "SO30", Period.year == 2025)).one()
            target = plan.mappings["department"].as_dict()["1.1.1"]
            rows = s.scalars(select(Evidence).where(Evidence.assessment_id == so30.id,
                                                    Evidence.criterion_code == target)).all()
            assert [e.file_name for e in rows].count("ke-hoach-chung.pdf") == 1


# --- the same from the command line: new-year --changes FILE.json ----------------------------------------
@pytest.mark.slow
def test_new_year_changes_file_on_the_command_line(demo_copy: Path, tmp_path: Path, run_cli) -> None:
    """The wizard's unit step for a batch: the file is the plan's own ``reorganise`` list; the dry run
    writes nothing, the real run applies the changes with the year."""
    changes = tmp_path / "thay-doi.json"
    changes.write_text(json.dumps([c.to_json() for c in CHANGES], ensure_ascii=False), encoding="utf-8")
    before = project_fingerprint(demo_copy)
    code, out, err = run_cli("new-year", "--db", demo_copy, "--year", "2025", "--changes", changes,
                             "--dry-run", "--format", "json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["reorganise"] == [c.to_json() for c in CHANGES]
    assert [r["action"] for r in plan["unit_changes"]] == ["retire-kind", "rename", "merge", "merge",
                                                             "merge", "add"]
    assert project_fingerprint(demo_copy) == before
    code, out, err = run_cli("new-year", "--db", demo_copy, "--year", "2025", "--changes", changes)
    assert code == 0, err
    with open_existing(demo_copy) as project, project.session() as s:
        assessed = _assessed(s, 2025)
    assert {"SO30", "SO24", "SO31", "X2501"} <= assessed and not {"SO07", "SO19", "H01"} & assessed


@pytest.mark.parametrize(("content", "expected"), [
    (b"{not json", "JSON"),
    (b'{"action": "merge"}', "10000"),
    (b'[{"action": "merge", "code": "SO30", "old_codes": "SO07"}]', "changes[0].old_codes"),
    (b'[{"action": "split", "code": "SO30"}]', "split"),
    (b'[{"action": "add", "code": "X\\u0000Y", "kind": "commune", "name": "A"}]', "changes[0].code"),
    (b'[{"action": "rename", "code": "SO24", "old_codes": ["SO19"], "extra": 1}]', "changes[0].extra"),
    (b'[{"action": "add", "code": "SO31", "name": "' + b"x" * 400 + b'", "kind": "department"}]',
     "changes[0].name"),
    (b'[1, 2]', "changes[1]"),
    (b'[{"action": "add", "code": NaN}]', "JSON"),
    (b"\xff\xfe[]", "JSON"),
])
def test_a_hostile_changes_file_is_refused_with_its_place(demo_copy: Path, tmp_path: Path, run_cli,
                                                         content: bytes, expected: str) -> None:
    changes = tmp_path / "changes.json"
    changes.write_bytes(content)
    before = project_fingerprint(demo_copy)
    code, _out, err = run_cli("new-year", "--db", demo_copy, "--year", "2025", "--changes", changes)
    assert code != 0 and expected in err, err
    assert project_fingerprint(demo_copy) == before


def test_a_changes_file_too_big_is_not_read(demo_copy: Path, tmp_path: Path, run_cli,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.services import unit_changes_file

    monkeypatch.setattr(unit_changes_file, "MAX_BYTES", 1000)
    changes = tmp_path / "changes.json"
    changes.write_text("[" + ",".join(['{"action": "retire-kind", "kind": "district"}'] * 100) + "]")
    code, _out, err = run_cli("new-year", "--db", demo_copy, "--year", "2025", "--changes", changes)
    assert code != 0 and "changes.json" in err and "MB" in err, err
