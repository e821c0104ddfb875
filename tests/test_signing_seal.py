"""The two steps of an electronic document: the person with authority signs, then the clerk fills in the
number and date and applies the organisation's signature with the seal. pyHanko validates both
signatures and its difference analysis says form filling only; anything else changed after the first
signature is flagged; the seal image is checked before use."""

from __future__ import annotations

import io
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pki
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from evaluator.cli.main import main
from evaluator.models import open_project
from evaluator.reports import render
from evaluator.services.report_data import unit_documents
from evaluator.signing import SigningError, pkcs12_signer, sign_bytes, verify_file
from evaluator.signing.seal import load_seal_image, seal_bytes


@dataclass
class Keys:
    ca: pki.Identity
    ca_pem: Path
    secretary: Path
    chair: Path
    representative: Path
    organisation: Path
    seal: Path


def seal_png(path: Path, size: int = 400) -> Path:
    """A red round seal on a transparent background, as offices scan theirs."""
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    red = (210, 20, 20, 255)
    draw.ellipse((8, 8, size - 8, size - 8), outline=red, width=size // 22)
    draw.ellipse((size // 5, size // 5, size - size // 5, size - size // 5), outline=red, width=size // 50)
    draw.regular_polygon((size // 2, size // 2, size // 8), 5, fill=red)
    image.save(path)
    return path


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("seal-pki")
    ca = pki.make_ca()
    return Keys(
        ca=ca,
        ca_pem=pki.write_pem(folder / "ca.pem", ca),
        secretary=pki.write_p12(folder / "thu-ky.p12", pki.make_signer(ca, "Lê Thị Thu Hà"), ca),
        chair=pki.write_p12(folder / "chu-tich.p12", pki.make_signer(ca, "Nguyễn Văn Hùng"), ca),
        representative=pki.write_p12(folder / "dai-dien.p12", pki.make_signer(ca, "Đỗ Thị Hồng Nhung"), ca),
        organisation=pki.write_p12(folder / "co-quan.p12", pki.make_signer(ca, "SỞ NỘI VỤ TỈNH AN KHÁNH"),
                                   ca),
        seal=seal_png(folder / "con-dau.png"),
    )


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    with open_project(pki.demo_project(tmp_path_factory)) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["SO01"], "appraisal", date(2025, 1, 5))[0]
    return render(doc).data


@pytest.fixture(scope="module")
def signed(minutes: bytes, keys: Keys) -> bytes:
    """Signed by the secretary, the chair and the unit's representative, in turn."""
    data = minutes
    for p12 in (keys.secretary, keys.chair, keys.representative):
        data, _field = sign_bytes(data, pkcs12_signer(p12, pki.PASSWORD))
    return data


@pytest.fixture(scope="module")
def sealed(signed: bytes, keys: Keys) -> bytes:
    data, filled = seal_bytes(signed, pkcs12_signer(keys.organisation, pki.PASSWORD),
                              load_seal_image(keys.seal), number="5", on=date(2025, 2, 5))
    assert filled.number == "05/BB-HĐTĐ" and filled.date == date(2025, 2, 5)
    return data


def _statuses(data: bytes, ca: pki.Identity) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return [validate_pdf_signature(sig, ValidationContext(trust_roots=[root], allow_fetching=False))
            for sig in reader.embedded_signatures]


def test_every_signature_validates_in_pyhanko_and_the_clerk_only_filled_in(sealed: bytes, keys: Keys) -> None:
    from pyhanko.sign.diff_analysis import ModificationLevel

    statuses = _statuses(sealed, keys.ca)
    assert len(statuses) == 4
    assert all(s.intact and s.valid and s.trusted for s in statuses)
    names = [s.signing_cert.subject.native["common_name"] for s in statuses]
    assert names == ["Lê Thị Thu Hà", "Nguyễn Văn Hùng", "Đỗ Thị Hồng Nhung", "SỞ NỘI VỤ TỈNH AN KHÁNH"]
    # pyHanko's own (default) policy: what came after the people's signatures is form filling
    for status in statuses[:3]:
        assert status.modification_level == ModificationLevel.FORM_FILLING
        assert status.docmdp_ok
    chair = statuses[1]
    assert {"doc_number", "doc_date", "organisation"} <= set(chair.diff_result.changed_form_fields)


def test_verify_shows_both_signatures_and_what_was_filled_in(sealed: bytes, keys: Keys, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bb.pdf"
    path.write_bytes(sealed)
    report = verify_file(path, [keys.ca_pem])
    assert report.ok, report.render()
    chair, organisation = report.signatures[1], report.signatures[3]
    assert (chair.field, chair.signer) == ("chair", "Nguyễn Văn Hùng")
    assert (organisation.field, organisation.signer) == ("organisation", "SỞ NỘI VỤ TỈNH AN KHÁNH")
    assert chair.changed_after and chair.changes_allowed
    assert [(f.field, f.value, f.revision) for f in report.filled] == [
        ("doc_number", "05/BB-HĐTĐ", 6), ("doc_date", "2025-02-05", 6)]
    assert main(["verify", str(path), "--trust", str(keys.ca_pem), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert '"doc_number"' in out and "05/BB-HĐTĐ" in out
    assert main(["verify", str(path), "--trust", str(keys.ca_pem)]) == 0
    text = capsys.readouterr().out
    assert "05/BB-HĐTĐ" in text and "2025-02-05" in text


def test_the_sealed_page_shows_number_date_and_seal(sealed: bytes, tmp_path: Path) -> None:
    path = tmp_path / "bb.pdf"
    path.write_bytes(sealed)
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout
    assert "Số: 05/BB-HĐTĐ" in text
    assert "tháng 02" in text  # the fill-in (the printed date placeholder is the render date, 05/01)
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    subprocess.run(["pdftoppm", "-r", "80", "-png", "-f", str(pages), "-l", str(pages), "-singlefile",
                    str(path), str(tmp_path / "last")], check=True)
    with Image.open(tmp_path / "last.png") as image:
        rgb = image.convert("RGB")
        width, height = rgb.size
        # the seal's ring is drawn over the chair's stamp (the right column): strong red there
        reds = [(x, y) for x in range(0, width, 2) for y in range(0, height, 2)
                if (lambda p: p[0] > 150 and p[1] < 60 and p[2] < 60)(rgb.getpixel((x, y)))]
    assert len(reds) > 200
    assert min(x for x, _ in reds if x > width * 0.6) < width * 0.75


def test_a_change_beyond_the_fill_in_is_flagged(signed: bytes, keys: Keys, tmp_path: Path) -> None:
    """The clerk's update also changes the title in the document properties: every earlier signature
    reports a change that is not allowed."""
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    writer.set_info(None)
    info = writer.trailer["/Info"].get_object()
    info["/Title"] = pdf_string("Biên bản đã sửa")
    writer.update_container(info)
    out = io.BytesIO()
    writer.write(out)
    tampered, _ = seal_bytes(out.getvalue(), pkcs12_signer(keys.organisation, pki.PASSWORD),
                             load_seal_image(keys.seal), number="6")
    path = tmp_path / "bb.pdf"
    path.write_bytes(tampered)
    report = verify_file(path, [keys.ca_pem])
    assert not report.ok
    assert not report.signatures[1].changes_allowed
    assert "/Title" in report.signatures[1].change


def test_filling_a_number_twice_is_refused_and_a_refilled_number_is_flagged(
        sealed: bytes, keys: Keys, tmp_path: Path) -> None:
    with pytest.raises(SigningError) as err:
        seal_bytes(sealed, pkcs12_signer(keys.organisation, pki.PASSWORD), load_seal_image(keys.seal))
    assert "organisation" in str(err.value)
    # someone rewrites the number after the seal: the seal (and every signature before) flags it
    from pyhanko.pdf_utils.generic import pdf_string
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(sealed), strict=False)
    for ref in writer.root["/AcroForm"]["/Fields"]:
        field = ref.get_object()
        if str(field.get("/T")) == "doc_number":
            field["/V"] = pdf_string("99/BB-HĐTĐ")
            writer.update_container(field)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "bb.pdf"
    path.write_bytes(out.getvalue())
    report = verify_file(path, [keys.ca_pem])
    assert not report.ok
    assert all(not s.changes_allowed for s in report.signatures)


def test_the_seal_needs_the_authority_first(minutes: bytes, keys: Keys) -> None:
    with pytest.raises(SigningError) as err:
        seal_bytes(minutes, pkcs12_signer(keys.organisation, pki.PASSWORD), load_seal_image(keys.seal))
    assert "chair" in str(err.value)


def test_plain_signing_never_takes_the_organisation_field(signed: bytes, keys: Keys) -> None:
    with pytest.raises(SigningError):
        sign_bytes(signed, pkcs12_signer(keys.secretary, pki.PASSWORD))


def test_cli_two_steps(signed: bytes, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                       capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bb.pdf"
    path.write_bytes(signed)
    monkeypatch.setenv("P12_PASSWORD", pki.PASSWORD)
    assert main(["sign", str(path), "--as", "organisation", "--seal-image", str(keys.seal), "--number", "12",
                 "--date", "2025-02-07", "--p12", str(keys.organisation), "--password-env",
                 "P12_PASSWORD"]) == 0
    out = capsys.readouterr().out
    assert "12/BB-HĐTĐ" in out
    report = verify_file(path, [keys.ca_pem])
    assert report.ok, report.render()
    assert [f.value for f in report.filled] == ["12/BB-HĐTĐ", "2025-02-07"]


# --- the seal image is outside input ---------------------------------------------------------------------
def test_bad_seal_images_are_refused_with_a_reason(tmp_path: Path) -> None:
    jpeg = tmp_path / "seal.jpg"
    Image.new("RGB", (200, 200), "red").save(jpeg, format="JPEG")
    tiny = tmp_path / "tiny.png"
    Image.new("RGBA", (20, 20), "red").save(tiny)
    huge = tmp_path / "huge.png"
    Image.new("1", (5000, 300)).save(huge)
    blank = tmp_path / "blank.png"
    Image.new("RGBA", (200, 200), (0, 0, 0, 0)).save(blank)
    cut = tmp_path / "cut.png"
    good = seal_png(tmp_path / "good.png")
    cut.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    big = tmp_path / "big.png"
    big.write_bytes(good.read_bytes() + b"\0" * (3 * 1024 * 1024))
    expected = {jpeg: "PNG", tiny: "20", huge: "5000", blank: "trong suốt", cut: "cut.png",
                big: "big.png", tmp_path / "missing.png": "missing.png"}
    for path, word in expected.items():
        with pytest.raises(SigningError) as err:
            load_seal_image(path)
        assert word in err.value.render("vi") and str(path.name) in err.value.render("vi"), path
    assert load_seal_image(good).width == 400


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600), st.integers(min_value=0, max_value=2000))
def test_fuzzed_seal_images_are_refused_or_clean(tmp_path: Path, noise: bytes, at: int) -> None:
    good = seal_png(tmp_path / "base.png", 96).read_bytes()
    at = min(at, len(good))
    path = tmp_path / "fuzz.png"
    path.write_bytes(good[:at] + noise + good[at + len(noise):])
    try:
        seal = load_seal_image(path)
    except SigningError:
        return
    with Image.open(io.BytesIO(seal.png)) as image:
        assert image.format == "PNG" and image.mode == "RGBA"

