"""Who issues and signs each document (issue 15, "Form"): the header of a People's Committee in full and
a department's under its parent, the issuer's place in the date line, a number symbol per kind and issuer,
and signature blocks by authority with the signer's name — measured in the rendered PDFs (pdftotext)."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pki
import pytest

from evaluator.models import Unit, open_project
from evaluator.reports import authority, render
from evaluator.services.publication_data import publication
from evaluator.services.report_data import unit_documents

DAY = date(2025, 2, 5)


def _text(path: Path, first: int = 1, last: int | None = None) -> list[str]:
    """The page's lines, words single-spaced (pdftotext -layout keeps the header's two columns apart)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is missing: install the Debian package poppler-utils"
    cmd = [tool, "-raw", "-enc", "UTF-8", "-f", str(first)]
    if last:
        cmd += ["-l", str(last)]
    out = subprocess.run([*cmd, str(path), "-"], check=True, capture_output=True).stdout.decode("utf-8")
    return [" ".join(line.split()) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = pki.copy_project(pki.demo_project(tmp_path_factory), tmp_path_factory.mktemp("authority"))
    with open_project(db) as p, p.session() as s:
        so01 = s.query(Unit).filter_by(code="SO01").one()
        so01.abbreviation, so01.head_title = "SNV", "Giám đốc"
        s.commit()
        settings = dict(pki.REPORT_SETTINGS)
        settings["representatives"] = {
            "SO01": [{"name": "Đỗ Thị Hồng Nhung", "position": "Phó Giám đốc Sở Nội vụ"}],
            "X0101": [{"name": "Vũ Văn Khoa", "position": "Chủ tịch UBND xã Tân Lập"}],
        }
        p.set_setting("reports", settings)
    return db


@pytest.fixture(scope="module")
def docs(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("authority-docs")
    with open_project(project) as p, p.session() as s:
        made = {
            "minutes": unit_documents(s, 2024, ["SO01"], "appraisal", DAY)[0],
            "self-department": unit_documents(s, 2024, ["SO01"], "self", DAY)[0],
            "self-commune": unit_documents(s, 2024, ["X0101"], "self", DAY)[0],
            "publication": publication(s, 2024, DAY),
        }
    paths = {}
    for name, document in made.items():
        paths[name] = out / f"{name}.pdf"
        paths[name].write_bytes(render(document).data)
    return paths


def test_a_communes_own_header_is_its_peoples_committee_in_full(docs: dict[str, Path]) -> None:
    lines = _text(docs["self-commune"], 1, 1)
    head = lines[:6]
    assert "ỦY BAN NHÂN DÂN" in head and "XÃ TÂN LẬP" in head, head
    assert not any(line.startswith("UBND") for line in head), head  # no parent body above it
    assert "Số: ……/BC-UBND" in head, head
    assert any(line.startswith("Tân Lập, ngày 05 tháng 02 năm 2025") for line in lines[:8]), lines[:8]


def test_a_departments_header_has_its_parent_and_its_own_symbol(docs: dict[str, Path]) -> None:
    lines = _text(docs["self-department"], 1, 1)
    head = lines[:6]
    assert "UBND TỈNH AN KHÁNH" in head and "SỞ NỘI VỤ" in head, head
    assert head.index("UBND TỈNH AN KHÁNH") < head.index("SỞ NỘI VỤ")
    assert "Số: ……/BC-SNV" in head, head  # Unit.abbreviation
    assert any(line.startswith("An Khánh, ngày 05 tháng 02 năm 2025") for line in lines[:8])


@pytest.mark.parametrize(("name", "symbol"), [("minutes", "BB-HĐTĐ"), ("publication", "BC-HĐTĐ")])
def test_the_councils_documents_carry_their_kinds_symbol(
    docs: dict[str, Path], name: str, symbol: str
) -> None:
    assert f"Số: ……/{symbol}" in _text(docs[name], 1, 1)[:6]


def test_number_symbols_are_one_table_one_symbol_per_kind() -> None:
    symbols = [authority.number_symbol(k, "SKHCN") for k in authority.NUMBER_SYMBOLS]
    assert symbols == ["BB-HĐTĐ", "BC-SKHCN", "BC-HĐTĐ", "TB-HĐTĐ", "TTr-SNV", "QĐ-UBND", "BC-SNV"]
    assert authority.abbreviation_of("Sở Khoa học và Công nghệ") == "SKHCN"
    assert authority.abbreviation_of("UBND xã Tân Lập") == "UBND"
    assert authority.abbreviation_of("Sở Giáo dục và Đào tạo") == "SGDĐT"


def test_an_unabbreviated_department_takes_its_initials(project: Path, tmp_path: Path) -> None:
    with open_project(project) as p, p.session() as s:
        unit = s.query(Unit).filter_by(code="SO02").one()
        expected = authority.abbreviation_of(unit.name)
        assert unit.abbreviation == "" and expected
        d = unit_documents(s, 2024, ["SO02"], "self", DAY)[0]
    assert d.meta.number == f"……/BC-{expected}"


def test_the_self_report_is_signed_with_the_units_authority_and_name(docs: dict[str, Path]) -> None:
    department = " ".join(_text(docs["self-department"])[-30:])
    assert "KT. GIÁM ĐỐC PHÓ GIÁM ĐỐC" in department, department  # a deputy signs for the director
    assert "Đỗ Thị Hồng Nhung" in department
    commune = " ".join(_text(docs["self-commune"])[-30:])
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in commune and "Vũ Văn Khoa" in commune, commune
    for path in docs.values():
        assert "THỦ TRƯỞNG ĐƠN VỊ" not in " ".join(_text(path))
    for name in ("self-department", "self-commune", "publication"):
        assert "Nơi nhận:" in " ".join(_text(docs[name])), name


def test_signature_headings_by_authority() -> None:
    assert authority.unit_signer_heading("department", "Giám đốc", "Giám đốc Sở") == ["GIÁM ĐỐC"]
    assert authority.unit_signer_heading("department", "", "Phó Giám đốc") == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert authority.unit_signer_heading("commune", "", "Chủ tịch") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert authority.unit_signer_heading("district", "", "Phó Chủ tịch") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert authority.council_signer_heading("Giám đốc Sở Nội vụ") == ["TM. HỘI ĐỒNG", "CHỦ TỊCH"]
    people = [("A", "Chánh Văn phòng"), ("B", "Phó Giám đốc")]
    assert authority.choose_signer(people, "department", "Giám đốc") == 1
    assert authority.choose_signer([], "department", "Giám đốc") is None


@pytest.mark.parametrize("name", ["minutes", "self-department", "self-commune", "publication"])
def test_the_set_is_cited_by_its_decision_never_by_its_identity(docs: dict[str, Path], name: str) -> None:
    page = " ".join(_text(docs[name]))
    assert "Quyết định số 1987/QĐ-UBND ngày 22/12/2023" in page  # the bundled sets' issued_by
    assert "@" not in page and "par-department" not in page and "par-commune" not in page
    assert "bộ tiêu chí của năm" not in page


def test_a_set_without_a_decision_is_cited_by_its_title() -> None:
    assert authority.criteria_citation("Bộ tiêu chí năm 2024", "") == "Bộ tiêu chí năm 2024"
    cited = authority.criteria_citation("Bộ tiêu chí", " Quyết định số 1/QĐ-UBND ")
    assert cited == "Quyết định số 1/QĐ-UBND"


# --- the minutes' content: meeting times and place, forms of address, no "lập thành 03 bản" -------------
def _minutes_text(project: Path, setting: dict[str, object], tmp_path: Path) -> str:
    from evaluator.services.report_setup import set_report_setup

    db = pki.copy_project(project, tmp_path)
    with open_project(db) as p, p.session() as s:
        set_report_setup(s, setting)
        s.commit()
        d = unit_documents(s, 2024, ["SO01"], "appraisal", DAY)[0]
    path = tmp_path / "minutes.pdf"
    path.write_bytes(render(d).data)
    return " ".join(_text(path))


def test_minutes_take_time_place_and_address_from_the_setting(project: Path, tmp_path: Path) -> None:
    setting = dict(pki.REPORT_SETTINGS)
    setting["chair"] = {"name": "Nguyễn Văn Hùng", "position": "Giám đốc Sở Nội vụ", "address": "Ông"}
    setting["secretary"] = {"name": "Lê Thị Thu Hà", "position": "Chuyên viên", "address": "Bà"}
    setting["meeting"] = {"place": "Phòng họp số 2, Sở Nội vụ"}
    setting["meetings"] = {"SO01": {"start": "2025-01-10 08:00", "end": "11:30"}}
    text = _minutes_text(project, setting, tmp_path)
    assert "Vào hồi 08 giờ 00 ngày 10 tháng 01 năm 2025, tại Phòng họp số 2, Sở Nội vụ," in text
    assert "kết thúc vào hồi 11 giờ 30 cùng ngày" in text
    assert "- Ông Nguyễn Văn Hùng" in text and "- Bà Lê Thị Thu Hà" in text
    assert "- Ông/Bà Phạm Quốc Đạt" in text  # unknown: both
    assert "lập thành" not in text and "03 bản" not in text
    assert "……" not in text.split("I. THỜI GIAN")[1].split("II. THÀNH PHẦN")[0]  # nothing left to fill in


def test_minutes_without_a_meeting_leave_dotted_lines(docs: dict[str, Path]) -> None:
    text = " ".join(_text(docs["minutes"]))
    assert "Vào hồi …… giờ …… ngày …… tháng …… năm ……" in text
    assert "lập thành" not in text


@pytest.mark.parametrize(("setting", "message"), [
    ({"meetings": {"SO01": {"start": "10/01/2025 8h"}}}, "meetings.SO01.start: \"10/01/2025 8h\""),
    ({"meeting": {"end": "25:00"}}, "meeting.end: \"25:00\""),
    ({"meeting": {"room": "A"}}, "meeting.room"),
    ({"meeting": "sáng mai"}, "meeting: "),
    ({"chair": {"name": "A", "address": "Anh"}}, "chair.address: \"Anh\""),
    ({"meetings": {"SO99": {"place": "A"}}}, "SO99"),
])
def test_bad_meeting_or_address_is_refused_and_nothing_stored(
    project: Path, tmp_path: Path, setting: dict[str, object], message: str
) -> None:
    from evaluator.errors import UserError
    from evaluator.services.report_setup import report_setup, set_report_setup

    db = pki.copy_project(project, tmp_path)
    with open_project(db) as p, p.session() as s:
        before = report_setup(s)
        with pytest.raises(UserError) as err:
            set_report_setup(s, setting)
        s.rollback()
        assert message in str(err.value)
        assert report_setup(s) == before
