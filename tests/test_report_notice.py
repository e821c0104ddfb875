"""The council's notice of the first appraisal (issue 15, ``evaluator report notice``): read back from real
PDFs of the demo — the header, number symbol and signature block, exactly the criteria whose round-1 score
differs from the unit's with the council's reasons, the totals, the deadline for explanations (the setting's,
else five working days), Decree 30 fonts and sizes, no internal code; the CLI's exit codes and bad input."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pki
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from test_report_authority import _text
from test_report_form import _check, _run, find, pieces

from evaluator.cli.main import main
from evaluator.errors import Problems, UserError
from evaluator.models import Assessment, Period, Score, ScoreRevision, Unit, open_project
from evaluator.reports import render
from evaluator.reports.pdf import read_attachment
from evaluator.services import documents
from evaluator.services.notice_data import FIRST_ROUND, explanation_deadline, notices, working_days_after
from evaluator.services.projects import open_existing
from evaluator.services.report_data import unit_documents
from evaluator.services.report_setup import normalise, report_setup, set_report_setup

DAY = date(2025, 2, 5)  # a Wednesday


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pki.copy_project(pki.demo_project(tmp_path_factory), tmp_path_factory.mktemp("notice"))


@pytest.fixture(scope="module")
def so01(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("notice-pdf") / "tb.pdf"
    code = main(["report", "notice", "--db", str(project), "--year", "2024", "--unit", "SO01",
                 "--out", str(out), "--date", DAY.isoformat()])
    assert code == 0 and out.is_file()
    return out


def _embedded(path: Path) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    with path.open("rb") as f:
        payload = read_attachment(PdfFileReader(f))
    assert payload is not None
    return payload


def _round1(project: Path, code: str) -> dict[str, dict[str, Score]]:
    """The unit's own stored values per leaf and stage (read straight from the tables)."""
    with open_project(project) as p, p.session() as s:
        rows = s.scalars(
            select(Score).join(Assessment, Assessment.id == Score.assessment_id)
            .join(Unit, Unit.id == Assessment.unit_id).join(Period, Period.id == Assessment.period_id)
            .where(Unit.code == code, Period.year == 2024)
        ).all()
        out: dict[str, dict[str, Score]] = {}
        for r in rows:
            s.expunge(r)
            out.setdefault(r.criterion_code, {})[r.stage] = r
    return out


def test_header_number_symbol_and_signature(so01: Path) -> None:
    lines = _text(so01)
    head = lines[:8]
    assert "UBND TỈNH AN KHÁNH" in head and any(line.startswith("HỘI ĐỒNG THẨM ĐỊNH") for line in head), head
    assert "Số: ……/TB-HĐTĐ" in head, head
    assert any(line.startswith("An Khánh, ngày 05 tháng 02 năm 2025") for line in head), head
    assert "THÔNG BÁO" in lines
    assert any("Kết quả thẩm định lần 1 Chỉ số cải cách hành chính năm 2024" in line for line in lines)
    pages = int(_run("pdfinfo", str(so01)).split("Pages:")[1].split()[0])
    last = _text(so01, pages, pages)
    assert "TM. HỘI ĐỒNG" in last and "CHỦ TỊCH" in last and "Nguyễn Văn Hùng" in last, last
    words = " ".join(lines)
    assert "Nơi nhận:" in words and "- Sở Nội vụ;" in words and "- Lưu: VT, HĐTĐ." in words
    assert "@" not in words and "par-" not in words and "sha256" not in words  # no internal code


def test_exactly_the_differing_criteria_with_reasons(so01: Path, project: Path) -> None:
    data = _embedded(so01)["data"]
    assert data["document"] == "notice" and data["unit"]["code"] == "SO01"
    shown = {d["code"]: d for d in data["differences"]}
    assert shown, "the demo's SO01 has criteria the council changed"
    stored = _round1(project, "SO01")
    words = " ".join(_text(so01))
    checked = 0
    for leaf, stages in stored.items():
        own, council = stages.get("self"), stages.get("appraisal1")
        if own is None or council is None or own.points is None or council.points is None:
            continue  # relative leaves (ranked among peers) and leaves the council did not score
        if own.not_applicable or council.not_applicable:
            continue
        checked += 1
        if Decimal(own.points) != Decimal(council.points):
            assert leaf in shown, leaf
            assert Decimal(str(shown[leaf]["appraised"])) == Decimal(council.points)  # round 1, not round 2
            assert shown[leaf]["reason"] == council.note
            assert council.note.split()[0] in words
        else:
            assert leaf not in shown, leaf  # nothing else
    assert checked > 20
    for code in shown:
        assert re.search(rf"(^|\s){re.escape(code)}\s", words), code
    assert data["explanation"] == {"deadline": "2025-02-12", "rule": "5 working days",
                                   "counted_from": "2025-02-05"}
    assert "trước ngày 12/02/2025" in words


@pytest.mark.slow
def test_the_notice_is_the_first_round_even_after_a_second(project: Path) -> None:
    from sqlalchemy.orm import aliased

    a1, a2, own = aliased(Score), aliased(Score), aliased(Score)
    with open_project(project) as p, p.session() as s:
        changed = s.execute(
            select(Unit.code, a2.criterion_code, own.points, a1.points, a2.points)
            .join(Assessment, Assessment.unit_id == Unit.id)
            .join(Period, (Period.id == Assessment.period_id) & (Period.year == 2024))
            .join(a2, (a2.assessment_id == Assessment.id) & (a2.stage == "appraisal2"))
            .join(a1, (a1.assessment_id == Assessment.id) & (a1.criterion_code == a2.criterion_code)
                  & (a1.stage == "appraisal1"))
            .join(own, (own.assessment_id == Assessment.id) & (own.criterion_code == a2.criterion_code)
                  & (own.stage == "self"))
            .where(a1.points.is_not(None), a2.points.is_not(None), own.points.is_not(None),
                   a1.points != a2.points, Unit.kind == "department")
        ).all()
        assert changed, "the demo has second-round changes"
        checked = 0
        for unit, leaf, mine, first, _second in changed[:4]:
            row = next((r for r in notices(s, 2024, [unit], DAY)[0].rows if r.code == leaf), None)
            if mine != first:
                assert row is not None and row.appraised == first, (unit, leaf)  # round 1's score
            else:
                assert row is None, (unit, leaf)  # round 1 agreed with the unit; round 2 is not told here
            checked += 1
        assert checked


def test_totals_are_shown_with_two_decimals(so01: Path) -> None:
    data = _embedded(so01)["data"]
    words = " ".join(_text(so01))
    totals = data["totals"]
    self_total = f"{Decimal(str(totals['self'])):.2f}".replace(".", ",")
    appraised = f"{Decimal(str(totals['appraised'])):.2f}".replace(".", ",")
    assert f"(phần tự chấm): {self_total}/" in words
    assert f"(gồm điểm điều tra xã hội học): {appraised}/" in words


def test_fonts_and_sizes(so01: Path) -> None:
    rows = [line for line in _run("pdffonts", str(so01)).splitlines()[2:] if line.strip()]
    assert rows and all(re.match(r"[A-Z]{6}\+(TimesNewRoman|LiberationSerif)", r) for r in rows), rows
    m = pieces(so01)
    _check(find(m, "UBND TỈNH AN KHÁNH", 1), range(12, 14), bold=False)
    _check(find(m, "Số:", 1), range(13, 15), bold=False)
    _check(find(m, "An Khánh, ngày 05 tháng 02 năm 2025", 1), range(13, 15), bold=False, italic=True)
    _check(find(m, "THÔNG BÁO", 1), range(13, 15), bold=True)
    _check(find(m, "Kết quả thẩm định lần 1", 1), range(13, 15), bold=True)
    _check(find(m, "Căn cứ", 1), range(13, 15), bold=False)
    _check(find(m, "Nơi nhận:"), range(12, 13), bold=True, italic=True)
    _check(find(m, "- Lưu: VT, HĐTĐ."), range(11, 12), bold=False)
    _check(find(m, "TM. HỘI ĐỒNG"), range(13, 15), bold=True)
    assert not [p for p in m if p.size < 11], "tables at least 11 pt"
    numbers = [p.text for p in m if re.fullmatch(r"[+−]?\d+,\d+", p.text)]
    assert numbers and all(re.fullmatch(r"[+−]?\d+,\d\d", n) for n in numbers), numbers


def test_deadline_from_the_setting_and_working_days() -> None:
    assert working_days_after(date(2025, 2, 5), 5) == date(2025, 2, 12)  # Wed → next Wed
    assert working_days_after(date(2025, 2, 7), 1) == date(2025, 2, 10)  # Friday → Monday
    assert explanation_deadline({"explanation_days": 3, "deadline": ""}, DAY) == (date(2025, 2, 10),
                                                                                 "3 working days")
    assert explanation_deadline({"explanation_days": None, "deadline": "2025-02-20"}, DAY) == (
        date(2025, 2, 20), "date")
    with pytest.raises(UserError) as exc:
        explanation_deadline({"explanation_days": None, "deadline": "2025-02-01"}, DAY)
    assert "2025-02-01" in str(exc.value)


def test_working_days_skip_public_holidays_and_the_provinces_days_off() -> None:
    """Tết 2027 falls on 4–10 February (lunar calendar): five working days from Wednesday 3 February end
    on the 17th, not on the 10th; 30 April, 1 May and the 2 May 2025 day off are skipped, and a day the
    province gives (5 May) too."""
    assert working_days_after(date(2027, 2, 3), 5) == date(2027, 2, 17)
    assert working_days_after(date(2025, 4, 28), 3) == date(2025, 5, 6)
    assert working_days_after(date(2025, 4, 28), 3, ["2025-05-05"]) == date(2025, 5, 7)
    assert working_days_after(date(2025, 9, 1), 1) == date(2025, 9, 3)  # National Day, 1–2 September
    setting = {"explanation_days": 5, "deadline": "", "days_off": ["2027-02-17"]}
    assert explanation_deadline(setting, date(2027, 2, 3)) == (date(2027, 2, 18), "5 working days")


def test_the_provinces_days_off_are_kept_and_checked(project: Path) -> None:
    with open_existing(str(project)) as p, p.session(write=True) as s:
        before = report_setup(s)
        days_off = ["2025-05-05", "2025-05-05", "2025-01-02"]
        set_report_setup(s, {**before, "notice": {"explanation_days": 5, "days_off": days_off}})
        assert report_setup(s)["notice"]["days_off"] == ["2025-01-02", "2025-05-05"]


@pytest.mark.parametrize(("notice", "place"), [
    ({"days_off": "2025-05-05"}, "notice.days_off"),
    ({"days_off": ["2025-05-05", "5/5/2025"]}, "notice.days_off[1]"),
    ({"days_off": [20250505]}, "notice.days_off[0]"),
    ({"days_off": ["2025-01-01"] * 367}, "notice.days_off"),
    ({"explanation_days": "5"}, "notice.explanation_days"),
    ({"explanation_days": 0}, "notice.explanation_days"),
    ({"explanation_days": True}, "notice.explanation_days"),
    ({"explanation_days": 61}, "notice.explanation_days"),
    ({"deadline": "20/02/2025"}, "notice.deadline"),
    ({"deadline": "2025-02-30"}, "notice.deadline"),
    ({"deadline": 20250220}, "notice.deadline"),
    ({"deadlines": "2025-02-20"}, "notice.deadlines"),
    ("2025-02-20", "notice"),
])
def test_a_bad_notice_setting_is_refused_with_its_place(project: Path, notice: object, place: str) -> None:
    with open_existing(str(project)) as p, p.session(write=True) as s:
        before = report_setup(s)
        with pytest.raises(UserError) as exc:
            set_report_setup(s, {**before, "notice": notice})
        assert place in str(exc.value)
        assert report_setup(s) == before  # nothing stored


def test_an_explicit_deadline_is_printed_and_a_past_one_refused(project: Path, tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    with open_existing(str(project)) as p:
        with p.session(write=True) as s:
            before = report_setup(s)
            set_report_setup(s, {**before, "notice": {"deadline": "2025-02-20"}})
        try:
            with p.session() as s:
                doc = notices(s, 2024, ["SO02"], DAY)[0]
            out = tmp_path / "tb.pdf"
            out.write_bytes(render(doc).data)
            assert "trước ngày 20/02/2025" in " ".join(_text(out))
            code = main(["report", "notice", "--db", str(project), "--year", "2024", "--unit", "SO02",
                         "--out", str(tmp_path / "late.pdf"), "--date", "2025-03-01"])
            assert code == 1 and not (tmp_path / "late.pdf").exists()
            assert "2025-02-20" in capsys.readouterr().err
        finally:
            with p.session(write=True) as s:
                set_report_setup(s, before)


def test_a_unit_without_differences_is_told_so(project: Path, tmp_path: Path) -> None:
    copy = pki.copy_project(project, tmp_path / "copy")
    with open_project(copy) as p, p.session() as s:
        districts = (select(Assessment.id).join(Unit, Unit.id == Assessment.unit_id)
                     .where(Unit.kind == "district"))
        # no council round for any district: every district's appraised score is its own
        council = select(Score.id).where(Score.assessment_id.in_(districts),
                                         Score.stage.in_(("appraisal1", "appraisal2", "explanation")))
        s.execute(delete(ScoreRevision).where(ScoreRevision.score_id.in_(council)))
        s.execute(delete(Score).where(Score.id.in_(council)))
        s.commit()
    out = tmp_path / "h01.pdf"
    assert main(["report", "notice", "--db", str(copy), "--year", "2024", "--unit", "H01", "--out", str(out),
                 "--date", DAY.isoformat()]) == 0
    words = " ".join(_text(out))
    assert "không điều chỉnh điểm tiêu chí nào" in words
    assert _embedded(out)["data"]["differences"] == []
    assert "Lý do điều chỉnh" not in words  # no empty table


def test_notices_are_batched_one_file_per_unit(project: Path, tmp_path: Path) -> None:
    with open_existing(str(project)) as p:
        # two worker processes: each loads the notice's renderer (they import two renderers ahead)
        produced = documents.produce(p, "notice", 2024, ["SO03", "X0101"], tmp_path / "out", on=DAY,
                                     workers=2)
    names = sorted(f.name for f in produced.files)
    assert names == ["thong-bao-ket-qua-tham-dinh-2024-SO03.pdf",
                     "thong-bao-ket-qua-tham-dinh-2024-X0101.pdf"]
    assert all(f.is_file() for f in produced.files)
    assert _embedded(produced.files[1])["data"]["unit"]["code"] == "X0101"
    assert _embedded(produced.files[1])["signature_fields"] == ["chair"]


def test_cli_bad_input(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "notice", "--db", str(project), "--year", "2024", "--unit", "SO99",
                 "--out", str(out)]) == 1
    assert "SO99" in capsys.readouterr().err and not out.exists()
    assert main(["report", "notice", "--db", str(project), "--year", "2019", "--unit", "SO01",
                 "--out", str(out)]) == 1
    assert "2019" in capsys.readouterr().err and not out.exists()
    assert main(["report", "notice", "--db", str(project), "--year", "2024", "--out", str(out)]) == 1
    assert not out.exists()  # a notice is per unit: --unit or --all
    assert json.loads(json.dumps(documents.KINDS["notice"].fields)) == ["chair"]


def test_verify_compares_the_notice_with_the_project(so01: Path, project: Path, tmp_path: Path) -> None:
    from evaluator.services.report_compare import project_check
    from evaluator.signing.verify import Embedded

    data = _embedded(so01)["data"]
    assert data["explanation"]["counted_from"] == DAY.isoformat()
    assert project_check(str(project))(Embedded(data, 2, None)).differences == []
    copy = pki.copy_project(project, tmp_path / "changed")
    leaf = data["differences"][0]["code"]
    with open_project(copy) as p, p.session() as s:
        score = s.scalars(
            select(Score).join(Assessment, Assessment.id == Score.assessment_id)
            .join(Unit, Unit.id == Assessment.unit_id).join(Period, Period.id == Assessment.period_id)
            .where(Unit.code == "SO01", Period.year == 2024, Score.criterion_code == leaf,
                   Score.stage == "appraisal1")
        ).one()
        score.note = "Lý do đã sửa sau khi thông báo"
        s.commit()
    found = project_check(str(copy))(Embedded(data, 2, None)).differences
    assert any(f"differences[{leaf}]/reason" in d or "/reason" in d for d in found), found


_JSON = st.recursive(st.none() | st.booleans() | st.integers(-100, 100) | st.text(max_size=12)
                     | st.sampled_from(["2025-02-20", "2025-13-01", "Giám đốc", "Phó Giám đốc Sở Nội vụ"]),
                     lambda inner: st.lists(inner, max_size=3)
                     | st.dictionaries(st.sampled_from(["explanation_days", "deadline", "director", "name",
                                                        "position", "address", "x"]), inner, max_size=3),
                     max_leaves=10)


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.dictionaries(st.sampled_from(["notice", "home_affairs_director"]), _JSON, max_size=2))
def test_any_notice_or_home_affairs_json_is_refused_or_normal(setup: dict) -> None:
    """The setting comes from outside (``report-setup --set FILE``): whatever it holds is either refused with
    its problems or stored in a normal form that reads back the same and gives a deadline."""
    problems = Problems()
    out = normalise(setup, problems, {"SO01"})
    if problems.items:
        return
    again = Problems()
    assert normalise(out, again, {"SO01"}) == out and not again.items
    days = out["notice"]["explanation_days"]
    assert days is None or (isinstance(days, int) and 1 <= days <= 60)
    try:
        deadline, _rule = explanation_deadline(out["notice"], DAY)
        assert deadline > DAY
    except UserError as exc:  # an explicit date before the notice's: refused in words
        assert out["notice"]["deadline"] < DAY.isoformat(), exc
    assert set(out["home_affairs_director"]) >= {"name", "position"}


def test_not_applicable_and_unevidenced_leaves(project: Path, tmp_path: Path) -> None:
    """A leaf the council found not applicable (KĐG) is a change only when the unit claimed points; an
    evidence-required leaf without evidence is a change against what the unit entered (starred)."""
    import dataclasses

    from evaluator.reports.document_data import CriterionRow
    from evaluator.services.notice_data import notice_rows

    def dec(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    def leaf(code: str, own: str | None, council: str | None, *, na: bool = False,
             claimed: str | None = None, source: str = "appraisal") -> CriterionRow:
        return CriterionRow(code, f"Tiêu chí {code}", 1, True, "scored", source, Decimal(2), dec(own),
                            dec(council), na, reason=f"Lý do {code}", self_claimed=dec(claimed))

    with open_project(project) as p, p.session() as s:
        doc = notices(s, 2024, ["SO01"], DAY)[0]
        base = unit_documents(s, 2024, ["SO01"], "appraisal", DAY, stages=FIRST_ROUND)[0]
    rows = [
        leaf("9.1", "1", "1"),  # equal: not listed
        leaf("9.2", "1", "0.5"),  # changed
        leaf("9.3", "1", "0", na=True),  # KĐG against the unit's point: listed
        leaf("9.4", "0", "0", na=True),  # KĐG where the unit claimed nothing: not listed
        leaf("9.5", "0", "0", claimed="2"),  # no evidence: the unit's 2 counted 0, the council 0: listed
        leaf("9.6", None, "1.5", source="survey"),  # the council's alone: never listed
    ]
    shown = notice_rows(dataclasses.replace(base, rows=rows))
    assert [r.code for r in shown] == ["9.2", "9.3", "9.5"]
    assert shown[2].difference == Decimal(-2) and shown[1].difference is None
    out = tmp_path / "kdg.pdf"
    out.write_bytes(render(dataclasses.replace(doc, rows=shown)).data)
    words = " ".join(_text(out))
    assert "KĐG" in words and "0,00* (2,00)" in words
    assert "(*) Tiêu chí bắt buộc có tài liệu kiểm chứng" in words
    assert "−2,00" in words and "Lý do 9.3" in words
