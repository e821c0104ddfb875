"""District councils (issue 14, years with districts): the ``reports`` setting holds one council per
district, checked as a whole; a commune's minutes are headed and signed by its district's council, or by
the provincial council (named as such) when the district has none; nothing changes without districts."""

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
from evaluator.models import Assessment, Period, Setting, Unit, open_project
from evaluator.services.report_data import unit_documents
from evaluator.services.report_setup import (
    DISTRICTS,
    empty_council,
    empty_setup,
    normalise,
    report_setup,
    set_report_setup,
)

H01 = {
    "chair": {"name": "Nguyễn Văn Hùng", "position": "Chủ tịch UBND thành phố"},
    "secretary": {"name": "Trần Thị Mai", "position": "Chuyên viên Phòng Nội vụ"},
    "council": [{"name": "Lê Văn Bình", "position": "Trưởng phòng Nội vụ", "role": "Phó Chủ tịch Hội đồng"}],
}
SETUP: dict[str, Any] = {
    "chair": {"name": "Phạm Quốc Trung", "position": "Giám đốc Sở Nội vụ"},
    DISTRICTS: {"H01": H01, "H02": {}},
}


def stored(db: Path) -> Any:
    with open_project(db) as project, project.session() as s:
        row = s.get(Setting, "reports")
        return None if row is None else row.value


def store(db: Path, setup: Any) -> None:
    with open_project(db) as project, project.session(write=True) as s:
        set_report_setup(s, setup, author="Thư ký")


def test_district_councils_are_stored_in_normal_form(demo_copy: Path):
    store(demo_copy, SETUP)
    value = stored(demo_copy)
    assert value[DISTRICTS] == {"H01": {**empty_council(), **H01}}  # the empty H02 council is not kept
    assert value["chair"] == SETUP["chair"]
    with open_project(demo_copy) as project, project.session(write=True) as s:
        assert set_report_setup(s, json.loads(json.dumps(value))).empty  # stable


def test_a_project_without_districts_takes_no_district_council(demo_copy: Path):
    with open_project(demo_copy) as project, project.session(write=True) as s:
        for unit in s.scalars(select(Unit).where(Unit.kind == "district")):
            unit.kind = "department"  # (as a year after the districts were abolished would leave them)
    with pytest.raises(UserError) as caught:
        store(demo_copy, {DISTRICTS: {"SO01": H01}})
    assert "district_councils.SO01: this unit is not a district" in str(caught.value)
    assert stored(demo_copy) is None


def test_an_old_setting_without_district_councils_stays_valid(demo_copy: Path):
    old = {k: v for k, v in empty_setup().items() if k != DISTRICTS}
    old["chair"] = {"name": "A", "position": ""}
    with open_project(demo_copy) as project:
        project.set_setting("reports", old)
        with project.session() as s:
            setup = report_setup(s)
        with project.session(write=True) as s:
            assert set_report_setup(s, old).empty  # its normal form is what is stored already, in effect
    assert setup[DISTRICTS] == {} and setup["chair"] == {"name": "A", "position": ""}


@pytest.mark.parametrize(("setup", "problem"), [
    ({DISTRICTS: {"SO01": H01}}, "district_councils.SO01: this unit is not a district"),
    ({DISTRICTS: {"X0101": H01}}, "district_councils.X0101: this unit is not a district"),
    ({DISTRICTS: {"H99": H01}}, "district_councils: unit(s) 'H99' not in the project"),
    ({DISTRICTS: ["H01"]}, "district_councils: must be an object keyed by unit code, not a list"),
    ({DISTRICTS: {"H01": "Nguyễn Văn Hùng"}},
     "district_councils.H01: must be a council (an object with keys "
     "issuing_body, place, number_suffix, chair, secretary, council, meeting)"),
    ({DISTRICTS: {"H01": {"chairman": "A"}}}, "district_councils.H01.chairman: unknown key"),
    ({DISTRICTS: {"H01": {"council": [{"name": 1}]}}},
     "district_councils.H01.council[0].name: must be text, not a number"),
    ({DISTRICTS: {"H01": {"council": {"name": "A"}}}},
     "district_councils.H01.council: must be a list of people, not an object"),
    ({DISTRICTS: {"H01": {"issuing_body": 3}}},
     "district_councils.H01.issuing_body: must be a list of lines, not a number"),
    ({DISTRICTS: {"H01": {"chair": {"name": "A", "title": "B"}}}},
     "district_councils.H01.chair.title: unknown key"),
])
def test_a_bad_district_council_is_named_and_nothing_is_stored(demo_copy: Path, setup: Any, problem: str):
    store(demo_copy, SETUP)
    before = stored(demo_copy)
    with pytest.raises(UserError) as caught:
        store(demo_copy, {**SETUP, **setup})
    assert str(caught.value).startswith("the report setting was not stored (1 problem(s)):")
    assert problem in str(caught.value)
    assert stored(demo_copy) == before


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=3)
                       | st.dictionaries(st.sampled_from(["name", "position", "chair", "council", "H01",
                                                          "SO01", "issuing_body", "place", "x"]),
                                         inner, max_size=3),
                       max_leaves=14)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(["H01", "SO01", "H99"]), JSONISH, max_size=3) | JSONISH)
@pytest.mark.slow
def test_any_district_councils_json_is_refused_with_problems_or_normal(value: Any):
    problems = Problems()
    out = normalise({DISTRICTS: value}, problems, {"H01", "SO01"}, {"H01"})
    assert set(out) == set(empty_setup())
    assert set(out[DISTRICTS]) <= {"H01"}
    if not problems.items:
        again = Problems()
        assert normalise(out, again, {"H01", "SO01"}, {"H01"}) == out and not again.items


def test_commune_minutes_are_the_district_councils_and_fall_back_to_the_province(demo_copy: Path):
    store(demo_copy, SETUP)
    with open_project(demo_copy) as project, project.session() as s:
        docs = unit_documents(s, 2024, ["X0101", "X0201", "SO01", "H01"])
    by_district, fallback, department, district = docs
    m = by_district.meta
    assert m.issuing_body == ["UBND THÀNH PHỐ AN KHÁNH", "HỘI ĐỒNG THẨM ĐỊNH"]  # H01: UBND thành phố An Khánh
    assert (m.place, m.number) == ("An Khánh", "……/BB-HĐTĐ")
    assert (m.chair.name, m.secretary.name, [p.name for p in m.council]) == (
        "Nguyễn Văn Hùng", "Trần Thị Mai", ["Lê Văn Bình"])
    council = by_district.data()["council"]
    assert council["district"] == "H01"
    assert council["name"] == "Hội đồng thẩm định Chỉ số cải cách hành chính thành phố An Khánh"
    assert council["chair"]["name"] == "Nguyễn Văn Hùng"
    # H02 has no council: the provincial council, named as the province's
    f = fallback.data()["council"]
    assert f["district"] is None
    assert f["name"] == "Hội đồng thẩm định Chỉ số cải cách hành chính tỉnh An Khánh"
    assert fallback.meta.chair.name == "Phạm Quốc Trung"
    assert fallback.meta.issuing_body == department.meta.issuing_body
    # departments and districts: the provincial council, as before
    for doc in (department, district):
        assert doc.data()["council"]["district"] is None and doc.meta.chair.name == "Phạm Quốc Trung"
        assert doc.meta.council_name == "Hội đồng thẩm định Chỉ số cải cách hành chính"
    # the self-assessment report is the commune's own: no council
    (own,) = _self(demo_copy)
    assert own.meta.council_district == ""


def _self(db: Path) -> list[Any]:
    with open_project(db) as project, project.session() as s:
        return unit_documents(s, 2024, ["X0101"], kind="self")


def test_a_year_without_districts_keeps_the_provincial_council(demo_copy: Path):
    store(demo_copy, SETUP)
    with open_project(demo_copy) as project, project.session(write=True) as s:
        period = s.scalars(select(Period).where(Period.year == 2024)).one()
        elsewhere = Period(year=2099, title="2099")
        s.add(elsewhere)
        s.flush()
        for a in s.scalars(select(Assessment).join(Unit).where(Assessment.period_id == period.id,
                                                                Unit.kind == "district")).all():
            a.period_id = elsewhere.id  # 2024 assesses no district now: its communes answer to the province
    with open_project(demo_copy) as project, project.session() as s:
        (doc,) = unit_documents(s, 2024, ["X0101"])
    assert doc.meta.chair.name == "Phạm Quốc Trung" and doc.meta.issuing_body[0] == "UBND TỈNH AN KHÁNH"
    assert doc.data()["council"]["district"] is None
    assert doc.meta.council_name == "Hội đồng thẩm định Chỉ số cải cách hành chính"


def test_the_rendered_minutes_carry_the_district_councils_header_and_signature(
        demo_copy: Path, tmp_path: Path, run_cli):
    good = tmp_path / "setup.json"
    good.write_text(json.dumps(SETUP, ensure_ascii=False), "utf-8")
    assert run_cli("report-setup", "--db", str(demo_copy), "--set", str(good))[0] == 0
    pdf = tmp_path / "bb.pdf"
    code, _, err = run_cli("report", "appraisal", "--db", str(demo_copy), "--year", "2024", "--unit", "X0101",
                           "--out", str(pdf), "--date", "2025-02-05")
    assert code == 0, err
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    head = raw.splitlines()[:3]
    assert head[0].split()[:4] == ["UBND", "THÀNH", "PHỐ", "AN"] and "HỘI ĐỒNG THẨM ĐỊNH" in head[1]
    assert "Số: ……/BB-HĐTĐ" in head[2] and "An Khánh, ngày 05 tháng 02 năm 2025" in head[2]
    text = " ".join(raw.split())
    assert "Hội đồng thẩm định Chỉ số cải cách hành chính thành phố An Khánh tiến hành" in text
    plain = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    tail = " ".join(plain[plain.rindex("TM. HỘI ĐỒNG"):].split())
    assert tail.startswith("TM. HỘI ĐỒNG CHỦ TỊCH") and "Nguyễn Văn Hùng" in tail and "Trần Thị Mai" in tail
    assert "Phạm Quốc Trung" not in text
    code, out, _ = run_cli("verify", str(pdf), "--db", str(demo_copy))
    assert "data: the embedded data matches the project" in out


# --- a district's council: handout → its communes appraised → package → the province -------------------
def _units(db: Path) -> list[str]:
    with open_project(db) as project, project.session() as s:
        return sorted(s.scalars(select(Unit.code)))


@pytest.mark.slow
def test_a_district_council_round_trip_with_real_packages(demo_db: Path, tmp_path: Path, run_cli):
    from exchange_helpers import copy, edit, score_of

    province = copy(demo_db, tmp_path, "province")
    reps = {"X0101": [{"name": "Đỗ Văn Nam"}], "SO01": [{"name": "B"}]}
    store(province, {**SETUP, "representatives": reps})
    handout = tmp_path / "h01.cchc"
    code, out, err = run_cli("handout", "--db", province, "--out", handout, "--year", "2024",
                             "--district", "H01", "--team", "Hội đồng huyện H01", "--format", "json")
    assert code == 0, err
    communes = [f"X01{c:02d}" for c in range(1, 6)]
    assert json.loads(out)["units"] == ["H01", *communes]

    copy_db = tmp_path / "h01.db"
    code, out, err = run_cli("init", copy_db, "--from-package", handout)
    assert code == 0, err
    assert _units(copy_db) == ["H01", *communes]
    with open_project(copy_db) as project, project.session() as s:
        setup = report_setup(s)
        # its own council and its own units' parts came along; the other districts' and units' did not
        assert setup[DISTRICTS] == {"H01": {**empty_council(), **H01}}
        assert set(setup["representatives"]) == {"X0101"}
        (minutes,) = unit_documents(s, 2024, ["X0102"])
    assert minutes.meta.chair.name == "Nguyễn Văn Hùng" and minutes.data()["council"]["district"] == "H01"

    # the district's council appraises a commune and sends its communes back
    edit(copy_db, "X0102", "1.1.1", {"option": "khong"}, "Thư ký huyện H01", stage="appraisal1")
    package = tmp_path / "h01-back.cchc"
    code, out, err = run_cli("export", "--db", copy_db, "--out", package, "--year", "2024",
                             "--unit", *communes, "--author", "Hội đồng huyện H01")
    assert code == 0, err
    leaf = ("X0102", "1.1.1", "appraisal1")
    assert score_of(province, *leaf) != score_of(copy_db, *leaf)
    code, out, err = run_cli("import", "--db", province, package)
    assert code == 0, err
    assert "updated: X0102 2024 1.1.1 appraisal1" in out
    assert score_of(province, *leaf) == score_of(copy_db, *leaf)


def test_handout_district_must_be_a_district(demo_copy: Path, tmp_path: Path, run_cli):
    out_file = tmp_path / "x.cchc"
    for code in ("SO01", "H99"):
        rc, _out, err = run_cli("handout", "--db", demo_copy, "--out", out_file, "--district", code)
        assert rc == 1
        assert f"{code} is not a district of the project; the districts: H01, H02" in err
    assert not out_file.exists()


def test_minutes_made_before_district_councils_still_verify(demo_copy: Path):
    """A format 2 document made before this change does not say which council issued it: it is compared on
    the rest (and says what it could not compare), while a council's changed chair is still a difference."""
    from evaluator.services.report_compare import project_check
    from evaluator.signing.verify import Embedded

    with open_project(demo_copy) as project, project.session() as s:
        data = json.loads(json.dumps(unit_documents(s, 2024, ["X0101"])[0].data()))
    older = json.loads(json.dumps(data))
    del older["council"]["name"], older["council"]["district"]
    check = project_check(str(demo_copy))
    assert check(Embedded(data, 2, None)).differences == []
    found = check(Embedded(older, 2, None))
    assert found.differences == [] and found.not_compared == ["data/council/district", "data/council/name"]
    store(demo_copy, SETUP)  # now X0101 is its district's council's: the chair differs
    assert any("data/council/chair/name" in d for d in check(Embedded(older, 2, None)).differences)
