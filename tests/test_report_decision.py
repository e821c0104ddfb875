"""The provincial People's Committee's decision publishing the results (issue 15), from the demo as real
PDFs: the committee's header in full, QĐ-UBND, the Căn cứ lines, Điều 1–3, "TM. ỦY BAN NHÂN DÂN / CHỦ
TỊCH" with the name from the setting, Nơi nhận; one landscape appendix per unit kind with every unit and
the figures of ``services.results``; Decree 30 sizes; no internal code; approval required unless a draft;
the final decision records the publication."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pki
import pytest
from test_report_form import Piece, find, pieces

from evaluator.errors import UserError
from evaluator.models import open_project
from evaluator.reports import read_attachment, text
from evaluator.reports.authority import committee_issuer, committee_signer_heading
from evaluator.services.report_setup import set_report_setup

DAY = date(2025, 2, 5)
CHAIR = {"name": "Trần Quốc Nam", "position": "Chủ tịch UBND tỉnh"}
ROMAN = ("I", "II", "III")


def pdftext(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def page_count(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def with_signers(db: Path, **extra: Any) -> None:
    with open_project(db) as project, project.session(write=True) as s:
        set_report_setup(s, {**pki.REPORT_SETTINGS, "committee_chair": CHAIR,
                             "submission_ref": "45/TTr-SNV ngày 20/01/2025", **extra})


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = pki.copy_project(pki.demo_project(tmp_path_factory), tmp_path_factory.mktemp("decision"))
    with_signers(db)
    return db


@pytest.fixture(scope="module")
def draft(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    from evaluator.cli.main import main

    out = tmp_path_factory.mktemp("decision-pdf") / "qd.pdf"
    assert main(["report", "decision", "--db", str(project), "--year", "2024", "--draft", "--date",
                 DAY.isoformat(), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def results(project: Path) -> Any:
    from evaluator.services.results import compute_year

    with open_project(project) as p, p.session() as s:
        return compute_year(s, 2024)


@pytest.fixture(scope="module")
def measured(draft: Path) -> list[Piece]:
    return pieces(draft)


def test_header_basis_articles_and_signature(draft: Path) -> None:
    first = pdftext(draft, 1)
    assert "ỦY BAN NHÂN DÂN" in first and "TỈNH AN KHÁNH" in first
    assert "UBND TỈNH" not in first and "HỘI ĐỒNG THẨM ĐỊNH" not in first  # in full, no parent body
    assert "Số: ……/QĐ-UBND" in first and "An Khánh, ngày 05 tháng 02 năm 2025" in first
    assert "DỰ THẢO" in first and "QUYẾT ĐỊNH" in first
    assert "Phê duyệt và công bố Chỉ số cải cách hành chính năm 2024" in first
    flat = " ".join(pdftext(draft).split())
    for line in (
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",  # the law on 05/02/2025
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021",
        "Căn cứ Quyết định số 1987/QĐ-UBND ngày 22/12/2023 của UBND tỉnh ban hành Bộ tiêu chí",
        "Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số 45/TTr-SNV ngày 20/01/2025.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Phê duyệt và công bố Chỉ số cải cách hành chính (Chỉ số CCHC) năm 2024",
        "Điều 2. Tổ chức thực hiện",
        "xây dựng kế hoạch khắc phục",
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký.",
        "Nơi nhận:", "- Như Điều 3;", "- Bộ Nội vụ;", "- TT Tỉnh ủy, TT HĐND tỉnh;", "- Lưu: VT, NC.",
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Trần Quốc Nam",
    ):
        assert line in flat, line
    assert flat.count("Căn cứ Quyết định số 1987/QĐ-UBND") == 1  # one set's decision cited once


def test_law_by_date_and_signer_by_position() -> None:
    from evaluator.services.decision_data import local_government_law

    assert local_government_law(date(2025, 2, 28))[0].endswith("ngày 19 tháng 6 năm 2015")
    assert local_government_law(date(2025, 3, 1)) == ["Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 "
                                                      "năm 2025"]
    assert local_government_law(date(2026, 1, 10)) == ["Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 "
                                                       "năm 2025"]
    assert committee_signer_heading("Chủ tịch UBND tỉnh") == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert committee_signer_heading("Phó Chủ tịch UBND tỉnh") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert committee_issuer("An Khánh") == ["ỦY BAN NHÂN DÂN", "TỈNH AN KHÁNH"]
    assert committee_issuer("Thành phố Cần Thơ") == ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ"]


def test_appendices_per_kind_on_landscape_pages_with_every_unit(draft: Path, results: Any,
                                                                measured: list[Piece]) -> None:
    kinds = results.kinds()
    starts = {number: min(p.page for p in measured if p.text == f"Phụ lục {number}")
              for number in ROMAN[: len(kinds)]}
    assert list(starts) == list(ROMAN[: len(kinds)]), starts
    landscape = {p.page for p in measured if p.page_width > p.page_height}
    assert min(landscape) == starts["I"] and max(landscape) == page_count(draft)
    assert not {p.page for p in measured if p.page < starts["I"]} & landscape  # the decision is portrait
    appendix = "\n".join(pdftext(draft, page) for page in range(starts["I"], page_count(draft) + 1))
    assert appendix.count("(Kèm theo Quyết định số ……/QĐ-UBND ngày 05 tháng 02 năm 2025 của Ủy ban nhân dân "
                          "tỉnh An Khánh)") == len(kinds)
    lines = appendix.splitlines()
    for kind in kinds:
        ranking = results.ranking(kind)
        decimals = results.frameworks[kind].index_decimals
        for r in ranking.itertuples(index=False):
            rows = [line for line in lines if f" {r.name} " in f" {line} "]
            assert len(rows) == 2, (r.name, rows)  # the ranking, then the component table
            points = text.points(Decimal(int(r.points_c)).scaleb(-2))
            index = text.index(Decimal(int(r.index_scaled)).scaleb(-decimals), decimals)
            rank_row, component_row = rows
            assert points in rank_row and index in rank_row and str(r.class_label) in rank_row
            assert rank_row.split()[0] == str(int(r.rank))
            change = text.rank_change(None if pd.isna(r.rank_change) else int(r.rank_change), True)
            assert change in rank_row, (r.name, change, rank_row)
            areas = results.areas[results.areas["assessment"] == r.assessment]
            for a in areas.itertuples(index=False):
                assert text.index(Decimal(int(a.index_scaled)).scaleb(-decimals), decimals) in component_row


def test_form_sizes_and_no_internal_code(draft: Path, measured: list[Piece], results: Any) -> None:
    def check(p: Piece, sizes: range, bold: bool, italic: bool = False) -> None:
        assert p.size in sizes and p.bold == bold and p.italic == italic, (p.text, p.size, p.family)

    check(find(measured, "ỦY BAN NHÂN DÂN", 1), range(12, 14), bold=True)
    check(find(measured, "TỈNH AN KHÁNH", 1), range(12, 14), bold=True)
    check(find(measured, "Số:", 1), range(13, 15), bold=False)
    check(find(measured, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1), range(12, 14), bold=True)
    check(find(measured, "Độc lập - Tự do - Hạnh phúc", 1), range(13, 15), bold=True)
    check(find(measured, "An Khánh, ngày 05 tháng 02 năm 2025", 1), range(13, 15), bold=False, italic=True)
    check(find(measured, "QUYẾT ĐỊNH", 1), range(13, 15), bold=True)
    check(find(measured, "Căn cứ Luật", 1), range(13, 15), bold=False, italic=True)
    check(find(measured, "Nơi nhận:"), range(12, 13), bold=True, italic=True)
    check(find(measured, "- Bộ Nội vụ;"), range(11, 12), bold=False)
    for line in ("TM. ỦY BAN NHÂN DÂN", "Trần Quốc Nam"):
        check(find(measured, line), range(13, 15), bold=True)
    assert not [p for p in measured if p.size < 11]  # every table cell 11 pt or more
    rows = [line for line in subprocess.run(["pdffonts", str(draft)], capture_output=True, text=True,
                                            check=True).stdout.splitlines()[2:] if line.strip()]
    assert rows and all("LiberationSerif" in r or "TimesNewRoman" in r for r in rows)
    words = set(pdftext(draft).split())
    codes = set(results.units["code"])
    assert not words & codes, sorted(words & codes)[:5]
    assert "@" not in pdftext(draft) and "sha256" not in pdftext(draft).lower()
    for kind in results.kinds():
        assert results.frameworks[kind].identity not in pdftext(draft)


def test_attachment_carries_the_data_and_verify_rebuilds_it(draft: Path, project: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from evaluator.services.report_compare import current_data

    with open(draft, "rb") as fh:
        payload = read_attachment(PdfFileReader(fh, strict=False))
    assert payload is not None
    data = payload["data"]
    assert data["document"] == "decision" and data["draft"] is True and data["year"] == 2024
    assert data["header"]["issuing_body"] == ["ỦY BAN NHÂN DÂN", "TỈNH AN KHÁNH"]
    assert data["signer"]["name"] == "Trần Quốc Nam"
    assert data["signer"]["heading"] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH"]
    assert data["submission"] == "45/TTr-SNV ngày 20/01/2025" and len(data["basis"]) == 2
    assert payload["signature_fields"] == ["chair"]
    with open_project(project) as p, p.session() as s:
        assert json.loads(json.dumps(current_data(s, data))) == data


@pytest.mark.slow
def test_unapproved_refused_naming_units_then_final_records_the_publication(
        project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from evaluator.cli.main import main
    from evaluator.services.approval import approve, unit_statuses
    from evaluator.services.documents import produce

    db = pki.copy_project(project, tmp_path / "approved")
    out = tmp_path / "qd.pdf"
    assert main(["report", "decision", "--db", str(db), "--year", "2024", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "SO01" in err and "X0101" in err and not out.exists()  # every unit named, nothing written
    with open_project(db) as p:
        with p.session(write=True) as s:
            codes = sorted(unit_statuses(s, 2024))
            for code in codes:
                approve(s, 2024, code, author="Chủ tịch Hội đồng", role="committee")
        made = produce(p, "decision", 2024, None, out, on=DAY, author="Văn thư", role="committee")
        assert made.files == [out] and made.pages == page_count(out)
        with p.session() as s:
            assert set(unit_statuses(s, 2024).values()) == {"published"}
    assert "DỰ THẢO" not in pdftext(out, 1)


def test_settings_of_the_signers_are_checked(project: Path, tmp_path: Path) -> None:
    db = pki.copy_project(project, tmp_path / "settings")
    with pytest.raises(UserError) as refused:
        with_signers(db, committee_chair={"name": 7}, home_affairs_director={"nam": "x"}, submission_ref=[1])
    message = str(refused.value)
    assert "committee_chair.name" in message and "home_affairs_director" in message
    assert "submission_ref" in message
    with open_project(db) as p, p.session() as s:  # nothing stored
        from evaluator.services.report_setup import report_setup

        assert report_setup(s)["committee_chair"] == CHAIR


@pytest.mark.slow
def test_the_chair_signs_and_the_clerk_seals_the_decision(draft: Path, tmp_path: Path) -> None:
    """Decree 30's two steps on the decision: the committee's chair signs "chair", then the clerk fills in
    the number (…/QĐ-UBND) and date and applies the organisation's signature with the seal; both verify."""
    from test_signing_seal import seal_png

    from evaluator.signing.keys import pkcs12_signer
    from evaluator.signing.seal import load_seal_image, seal_bytes
    from evaluator.signing.sign import sign_bytes
    from evaluator.signing.verify import verify_file

    ca = pki.make_ca()
    chair = pki.write_p12(tmp_path / "chu-tich.p12", pki.make_signer(ca, "Trần Quốc Nam"), ca)
    office = pki.write_p12(tmp_path / "ubnd.p12", pki.make_signer(ca, "ỦY BAN NHÂN DÂN TỈNH AN KHÁNH"), ca)
    data, used = sign_bytes(draft.read_bytes(), pkcs12_signer(chair, pki.PASSWORD))
    assert used == "chair"
    data, filled = seal_bytes(data, pkcs12_signer(office, pki.PASSWORD),
                              load_seal_image(seal_png(tmp_path / "con-dau.png")), number="15", on=DAY)
    assert filled.number == "15/QĐ-UBND"
    out = tmp_path / "qd-signed.pdf"
    out.write_bytes(data)
    report = verify_file(out, [pki.write_pem(tmp_path / "ca.pem", ca)])
    assert report.ok and [s.field for s in report.signatures] == ["chair", "organisation"]
