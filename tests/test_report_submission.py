"""The Department of Home Affairs' submission (issue 15, ``evaluator report submission``): read back from real
PDFs of the demo — the department's header under its parent, TTr-SNV, "Kính gửi" and "Kính trình" the
provincial People's Committee, the sets cited by decision, the summary per unit kind against the results, the
director's (or a deputy's) signature block with the name from the setting; refused while units are not
approved (named), a draft says DỰ THẢO; fonts and sizes; the CLI's exit codes and bad input."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pki
import pytest
from test_report_authority import _text
from test_report_form import _check, _run, find, pieces
from test_report_notice import _embedded

from evaluator.cli.main import main
from evaluator.errors import UserError
from evaluator.models import open_project
from evaluator.services.approval import approve
from evaluator.services.projects import open_existing
from evaluator.services.publication_data import publication
from evaluator.services.report_data import unit_codes
from evaluator.services.report_setup import report_setup, set_report_setup

DAY = date(2025, 2, 5)
DIRECTOR = {"name": "Trần Thị Mai", "position": "Giám đốc Sở Nội vụ"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = pki.copy_project(pki.demo_project(tmp_path_factory), tmp_path_factory.mktemp("submission"))
    with open_existing(str(db)) as p, p.session(write=True) as s:
        set_report_setup(s, {**report_setup(s), "home_affairs_director": DIRECTOR})
    return db


@pytest.fixture(scope="module")
def draft(project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("submission-pdf") / "ttr.pdf"
    assert main(["report", "submission", "--db", str(project), "--year", "2024", "--out", str(out),
                 "--date", DAY.isoformat(), "--draft"]) == 0
    return out


def _pages(path: Path) -> int:
    return int(_run("pdfinfo", str(path)).split("Pages:")[1].split()[0])


def test_refused_while_units_are_not_approved_naming_them(project: Path, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "ttr.pdf"
    assert main(["report", "submission", "--db", str(project), "--year", "2024", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "SO01" in err and "X0805" in err and "Traceback" not in err
    assert not out.exists()


def test_header_symbol_and_addressee(draft: Path) -> None:
    lines = _text(draft, 1, 1)
    head = lines[:8]
    assert head.index("UBND TỈNH AN KHÁNH") < head.index("SỞ NỘI VỤ"), head
    assert "Số: ……/TTr-SNV" in head, head
    assert any(line.startswith("An Khánh, ngày 05 tháng 02 năm 2025") for line in head), head
    assert "DỰ THẢO" in lines[:10]
    assert "TỜ TRÌNH" in lines
    words = " ".join(lines)
    assert "Về việc đề nghị phê duyệt và công bố Chỉ số cải cách hành chính năm 2024" in words
    assert "Kính gửi: Ủy ban nhân dân tỉnh An Khánh." in words
    assert "Căn cứ Quyết định số 1987/QĐ-UBND" in words  # the set cited by its decision
    everything = " ".join(_text(draft))
    assert "Kính trình Ủy ban nhân dân tỉnh An Khánh xem xét, quyết định./." in everything
    assert "par-" not in everything and "@" not in everything and "sha256" not in everything


def test_signed_by_the_director_named_in_the_setting(draft: Path) -> None:
    last = _text(draft, _pages(draft), _pages(draft))
    assert "GIÁM ĐỐC" in last and "Trần Thị Mai" in last, last
    assert "KT. GIÁM ĐỐC" not in last
    words = " ".join(last)
    assert "Nơi nhận:" in words and "- UBND tỉnh;" in words and "- Lưu: VT." in words
    assert _embedded(draft)["signature_fields"] == ["director"]


def test_summary_per_kind_matches_the_results(draft: Path, project: Path) -> None:
    data = _embedded(draft)["data"]
    assert data["document"] == "submission" and data["draft"] is True
    with open_project(project) as p, p.session() as s:
        pub = publication(s, 2024, DAY)
    words = " ".join(_text(draft))
    assert len(data["summary"]) == len(pub.sections)
    for shown, section in zip(data["summary"], pub.sections, strict=True):
        indices = [r.index for r in section.rows if r.index is not None]
        assert shown["units"] == len(section.rows)
        assert Decimal(str(shown["mean_index"])) == section.mean_index
        assert {Decimal(str(u["index"])) for u in shown["highest"]} == {max(indices)}
        assert {Decimal(str(u["index"])) for u in shown["lowest"]} == {min(indices)}
        best = next(r for r in section.rows if r.index == max(indices))
        assert f"cao nhất: {best.name} ({f'{max(indices):.2f}'.replace('.', ',')}%)" in words
        mean = f"{section.mean_index:.2f}".replace(".", ",")
        assert f"{section.label}: {len(section.rows)} đơn vị; Chỉ số trung bình {mean}%" in words
    assert data["units"] == sum(len(s.rows) for s in pub.sections) == 70


def test_fonts_and_sizes(draft: Path) -> None:
    rows = [line for line in _run("pdffonts", str(draft)).splitlines()[2:] if line.strip()]
    assert rows and all(re.match(r"[A-Z]{6}\+(TimesNewRoman|LiberationSerif)", r) for r in rows), rows
    m = pieces(draft)
    _check(find(m, "UBND TỈNH AN KHÁNH", 1), range(12, 14), bold=False)
    _check(find(m, "SỞ NỘI VỤ", 1), range(12, 14), bold=True)
    _check(find(m, "Số:", 1), range(13, 15), bold=False)
    _check(find(m, "TỜ TRÌNH", 1), range(13, 15), bold=True)
    _check(find(m, "Về việc đề nghị", 1), range(13, 15), bold=True)
    _check(find(m, "Căn cứ", 1), range(13, 15), bold=False)
    _check(find(m, "Nơi nhận:"), range(12, 13), bold=True, italic=True)
    _check(find(m, "GIÁM ĐỐC"), range(13, 15), bold=True)
    _check(find(m, "Trần Thị Mai"), range(13, 15), bold=True)
    assert not [p for p in m if p.size < 11], "tables at least 11 pt"
    numbers = [p.text for p in m if re.fullmatch(r"\d+,\d+", p.text)]
    assert numbers and all(re.fullmatch(r"\d+,\d\d", n) for n in numbers), numbers


@pytest.mark.slow
def test_a_deputy_signs_for_the_director(project: Path, tmp_path: Path) -> None:
    copy = pki.copy_project(project, tmp_path / "deputy")
    with open_existing(str(copy)) as p, p.session(write=True) as s:
        deputy = {"name": "Lê Văn Bình", "position": "Phó Giám đốc Sở Nội vụ"}
        set_report_setup(s, {**report_setup(s), "home_affairs_director": deputy})
    out = tmp_path / "ttr.pdf"
    assert main(["report", "submission", "--db", str(copy), "--year", "2024", "--out", str(out),
                 "--draft"]) == 0
    last = _text(out, _pages(out), _pages(out))
    assert "KT. GIÁM ĐỐC" in last and "PHÓ GIÁM ĐỐC" in last and "Lê Văn Bình" in last, last


@pytest.mark.slow
def test_final_once_every_unit_is_approved(project: Path, tmp_path: Path) -> None:
    copy = pki.copy_project(project, tmp_path / "approved")
    with open_existing(str(copy)) as p, p.session(write=True) as s:
        for code in unit_codes(s, 2024):
            approve(s, 2024, code, author="Chủ tịch", role="committee")
    out = tmp_path / "ttr.pdf"
    assert main(["report", "submission", "--db", str(copy), "--year", "2024", "--out", str(out)]) == 0
    assert "DỰ THẢO" not in _text(out, 1, 1)
    assert "draft" not in _embedded(out)["data"]


@pytest.mark.parametrize(("value", "place"), [
    (5, "home_affairs_director"),
    ({"name": "A", "title": "B"}, "home_affairs_director"),
    (["A"], "home_affairs_director"),
])
def test_a_bad_home_affairs_setting_is_refused(project: Path, value: object, place: str) -> None:
    with open_existing(str(project)) as p, p.session(write=True) as s:
        before = report_setup(s)
        with pytest.raises(UserError) as exc:
            set_report_setup(s, {**before, "home_affairs_director": value})
        assert place in str(exc.value)
        assert report_setup(s) == before


def test_cli_bad_input(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.pdf"
    assert main(["report", "submission", "--db", str(project), "--year", "2019", "--out", str(out),
                 "--draft"]) == 1
    assert "2019" in capsys.readouterr().err and not out.exists()
    assert main(["report", "submission", "--db", str(project), "--year", "2024", "--unit", "SO01",
                 "--out", str(out), "--draft"]) == 1  # the whole year: no unit
    assert not out.exists()
    assert main(["report", "submission", "--db", str(project), "--year", "2024", "--out",
                 str(tmp_path / "x.txt"), "--draft"]) == 1


def test_verify_compares_the_submission_with_the_project(draft: Path, project: Path) -> None:
    from evaluator.services.report_compare import project_check
    from evaluator.signing.verify import Embedded

    data = _embedded(draft)["data"]
    assert project_check(str(project))(Embedded(data, 2, None)).differences == []
    changed = {**data, "units": 71}
    assert project_check(str(project))(Embedded(changed, 2, None)).differences


def test_the_director_and_the_organisation_have_their_fields(draft: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from evaluator.signing.sign import signature_fields

    with draft.open("rb") as fh:
        fields = [n for n, _signed in signature_fields(PdfFileReader(fh, strict=False))]
    assert fields == ["director", "organisation"]  # the clerk's seal goes over the director's signature


@pytest.mark.slow
def test_the_director_signs_then_the_clerk_seals(draft: Path, tmp_path: Path) -> None:
    """Decree 30's two steps on the submission: the director signs, the clerk fills in the number and date
    and applies the department's signature with its seal; both validate in pyHanko."""
    import io

    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from test_signing_seal import seal_png

    from evaluator.signing import pkcs12_signer, sign_bytes
    from evaluator.signing.seal import load_seal_image, seal_bytes

    ca = pki.make_ca()
    director = pki.write_p12(tmp_path / "gd.p12", pki.make_signer(ca, "Trần Thị Mai"), ca)
    office = pki.write_p12(tmp_path / "snv.p12", pki.make_signer(ca, "SỞ NỘI VỤ TỈNH AN KHÁNH"), ca)
    data, used = sign_bytes(draft.read_bytes(), pkcs12_signer(director, pki.PASSWORD))
    assert used == "director"
    seal = load_seal_image(seal_png(tmp_path / "seal.png"))
    data, filled = seal_bytes(data, pkcs12_signer(office, pki.PASSWORD), seal, number="12",
                              on=date(2025, 2, 6))
    assert filled.number == "12/TTr-SNV"
    root = asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    statuses = [validate_pdf_signature(s, ValidationContext(trust_roots=[root], allow_fetching=False))
                for s in reader.embedded_signatures]
    assert [s.signing_cert.subject.native["common_name"] for s in statuses] == ["Trần Thị Mai",
                                                                                 "SỞ NỘI VỤ TỈNH AN KHÁNH"]
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    assert {"doc_number", "doc_date", "organisation"} <= set(statuses[0].diff_result.changed_form_fields)
