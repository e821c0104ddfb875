"""Changes made to a signed document in a later incremental update (built for real with pyHanko's
``IncrementalPdfFileWriter``): only validation data (DSS/VRI) and the later signatures of the document's
own signature fields are accepted; a changed title, an added annotation or a changed page content is a
modification, named in the report, and ``verify`` fails."""

from __future__ import annotations

import io
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pki
import pytest

from evaluator.cli.main import main
from evaluator.models import open_project
from evaluator.reports import render
from evaluator.services.report_data import unit_documents
from evaluator.signing import pkcs12_signer, sign_bytes, verify_file
from evaluator.signing.verify import VerifyReport


@pytest.fixture(scope="module")
def ca(tmp_path_factory: pytest.TempPathFactory) -> tuple[pki.Identity, Path, Path, Path]:
    folder = tmp_path_factory.mktemp("tamper-pki")
    authority = pki.make_ca()
    return (
        authority,
        pki.write_pem(folder / "ca.pem", authority),
        pki.write_p12(folder / "thu-ky.p12", pki.make_signer(authority, "Lê Thị Thu Hà"), authority),
        pki.write_p12(folder / "chu-tich.p12", pki.make_signer(authority, "Nguyễn Văn Hùng"), authority),
    )


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory, ca: tuple[pki.Identity, Path, Path, Path]) -> bytes:
    """The minutes of a unit of the demo project, signed by the secretary."""
    db = pki.demo_project(tmp_path_factory)
    with open_project(db) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["SO01"], "appraisal", date(2025, 1, 5))[0]
    data, field = sign_bytes(render(doc).data, pkcs12_signer(ca[2], pki.PASSWORD))
    assert field == "secretary"
    return data


def _update(data: bytes, change: Callable[..., None]) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    assert len(out.getvalue()) > len(data) and out.getvalue().startswith(data)  # an incremental update
    return out.getvalue()


def _verify(data: bytes, tmp_path: Path, ca_pem: Path, name: str = "bb.pdf") -> tuple[VerifyReport, Path]:
    path = tmp_path / name
    path.write_bytes(data)
    return verify_file(path, [ca_pem]), path


def _refused(report: VerifyReport, path: Path, *names: str) -> None:
    assert not report.ok
    (sig,) = report.signatures
    assert sig.intact and sig.valid  # the signed bytes are untouched …
    assert sig.changed_after and not sig.changes_allowed  # … but something was changed after
    assert "NOT allowed" in sig.change and "validation data" not in sig.change
    for name in names:
        assert name in sig.change, sig.change
    assert "result: FAILED" in report.render()
    assert main(["verify", str(path)]) == 1


def test_changed_info_title_is_a_modification(signed: bytes, ca: tuple, tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic

    def retitle(writer: object) -> None:
        ref = writer.trailer.raw_get("/Info")  # type: ignore[attr-defined]
        ref.get_object()[generic.NameObject("/Title")] = generic.TextStringObject("Biên bản đã sửa")
        writer.mark_update(ref)  # type: ignore[attr-defined]

    report, path = _verify(_update(signed, retitle), tmp_path, ca[1])
    _refused(report, path, "document properties", "/Title")


def test_changed_title_through_the_metadata_is_a_modification(
    signed: bytes, ca: tuple, tmp_path: Path
) -> None:
    """pyHanko's own metadata API: the title goes into /Info and into the XMP packet."""

    def retitle(writer: object) -> None:
        writer.document_meta.title = "Biên bản đã sửa"  # type: ignore[attr-defined]
        writer.update_root()  # type: ignore[attr-defined]  # something to write: pyHanko skips empty updates

    report, path = _verify(_update(signed, retitle), tmp_path, ca[1])
    _refused(report, path, "/Title", "XMP metadata (title)")


def test_added_annotation_is_a_modification(signed: bytes, ca: tuple, tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic

    def annotate(writer: object) -> None:
        name = generic.NameObject
        page_ref = writer.find_page_for_modification(0)[0]  # type: ignore[attr-defined]
        page = page_ref.get_object()
        note = writer.add_object(  # type: ignore[attr-defined]
            generic.DictionaryObject(
                {
                    name("/Type"): name("/Annot"),
                    name("/Subtype"): name("/Text"),
                    name("/Rect"): generic.ArrayObject([generic.NumberObject(n) for n in (90, 90, 110, 110)]),
                    name("/Contents"): generic.TextStringObject("Điểm 1.1.1 sửa thành 2"),
                }
            )
        )
        annots = page.raw_get("/Annots") if "/Annots" in page else None
        if isinstance(annots, generic.IndirectObject):
            annots.get_object().append(note)
            writer.mark_update(annots)  # type: ignore[attr-defined]
        else:
            page[name("/Annots")] = generic.ArrayObject([*(annots or []), note])
            writer.mark_update(page_ref)  # type: ignore[attr-defined]

    report, path = _verify(_update(signed, annotate), tmp_path, ca[1])
    _refused(report, path, "annotations of page 1", "1 added")


def test_changed_page_content_is_a_modification(signed: bytes, ca: tuple, tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic

    def overwrite(writer: object) -> None:
        page_ref = writer.find_page_for_modification(0)[0]  # type: ignore[attr-defined]
        contents = page_ref.get_object().raw_get("/Contents")
        if isinstance(contents, generic.ArrayObject):
            contents = contents[0] if isinstance(contents[0], generic.IndirectObject) else contents.raw_get(0)
        stream = contents.get_object()
        extra = b"\nq 1 1 1 rg 300 500 60 14 re f Q BT /F1 10 Tf 302 503 Td (9,50) Tj ET\n"
        replacement = generic.StreamObject(
            {k: v for k, v in stream.items() if k not in ("/Filter", "/DecodeParms", "/Length")},
            stream_data=stream.data + extra,
        )
        writer.objects[(contents.generation, contents.idnum)] = replacement  # type: ignore[attr-defined]

    report, path = _verify(_update(signed, overwrite), tmp_path, ca[1])
    _refused(report, path, "content of page 1")


def test_a_second_signer_later_stays_accepted(signed: bytes, ca: tuple, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    time.sleep(1.1)  # a later signature: pyHanko rewrites /ModDate, /Producer and the XMP modify date
    second, field = sign_bytes(signed, pkcs12_signer(ca[3], pki.PASSWORD))
    assert field == "chair"
    reader = PdfFileReader(io.BytesIO(second), strict=False)
    updated = {r.idnum for r in reader.get_historical_resolver(reader.total_revisions - 1)
               .explicit_refs_in_revision()}
    assert reader.trailer_view.raw_get("/Info").idnum in updated  # the bookkeeping really changed
    report, path = _verify(second, tmp_path, ca[1])
    assert report.ok, report.render()
    first, last = report.signatures
    assert first.changed_after and first.changes_allowed and "later signatures" in first.change
    assert not last.changed_after
    assert main(["verify", str(path), "--trust", str(ca[1])]) == 0


def test_added_validation_data_stays_accepted(signed: bytes, ca: tuple, tmp_path: Path) -> None:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import add_validation_info
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(ca[0].cert.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(io.BytesIO(signed), strict=False)
    context = ValidationContext(trust_roots=[root], allow_fetching=False, revocation_mode="soft-fail")
    time.sleep(1.1)
    out = add_validation_info(reader.embedded_signatures[0], context)
    data = out.getvalue()
    assert len(data) > len(signed) and b"/DSS" in data[len(signed):] and b"/VRI" in data[len(signed):]
    report, path = _verify(data, tmp_path, ca[1])
    assert report.ok, report.render()
    (sig,) = report.signatures
    assert sig.changed_after and sig.changes_allowed and "validation data only" in sig.change
    assert main(["verify", str(path)]) == 0


def test_a_document_timestamp_stays_accepted_and_is_checked(signed: bytes, ca: tuple, tmp_path: Path) -> None:
    """A document timestamp (PAdES-LTA, an invisible /DocTimeStamp in a new field) after the signature:
    allowed for the signature, and itself reported as a timestamp of the authority."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers import PdfTimeStamper
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    tsa = pki.make_tsa(ca[0])
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
    )
    time.sleep(1.1)
    writer = IncrementalPdfFileWriter(io.BytesIO(signed), strict=False)
    data = PdfTimeStamper(stamper).timestamp_pdf(writer, "sha256").getvalue()
    report, path = _verify(data, tmp_path, ca[1])
    assert report.ok, report.render()
    sig, stamp = report.signatures
    assert sig.changed_after and sig.changes_allowed and "validation data only" in sig.change
    assert stamp.signer == "Máy chủ dấu thời gian An Khánh" and stamp.time_source == "timestamp"
    assert stamp.intact and stamp.trust.startswith("trusted") and not stamp.changed_after
    assert main(["verify", str(path), "--trust", str(ca[1])]) == 0


def test_verification_gets_the_current_data_through_a_callable(
    signed: bytes, ca: tuple, tmp_path: Path
) -> None:
    """signing opens no database: the caller's ``current`` receives the embedded data (format version and
    recorded audit-log heads checked and parsed) and what it answers is the report's data verdict."""
    from evaluator.reports.document_data import REPORT_FORMAT_VERSION
    from evaluator.signing.verify import CurrentData, Embedded

    path = tmp_path / "bb.pdf"
    path.write_bytes(signed)
    seen: list[Embedded] = []

    def same(embedded: Embedded) -> CurrentData:
        seen.append(embedded)
        return CurrentData([], audit_log="extends")

    report = verify_file(path, [ca[1]], same)
    assert report.ok and report.data == "matches" and report.audit_log == "extends", report.render()
    (embedded,) = seen
    assert embedded.format_version == REPORT_FORMAT_VERSION and report.data_format == REPORT_FORMAT_VERSION
    assert embedded.data["unit"]["code"] == "SO01" and embedded.data["document"] == "appraisal"
    assert embedded.audit_heads and all(
        isinstance(seq, int) and len(digest) == 64 for seq, digest in embedded.audit_heads.values()
    )

    def changed(embedded: Embedded) -> CurrentData:
        return CurrentData(["data/unit/name: changed"], ["data/council"], "broken", ["chain x: gone"])

    report = verify_file(path, [ca[1]], changed)
    assert not report.ok and report.data == "differs" and report.audit_log == "broken"
    found = report.as_json()
    assert found["data_differences"] == ["data/unit/name: changed"]
    assert found["data_not_compared"] == ["data/council"] and found["audit_log_details"] == ["chain x: gone"]
    assert verify_file(path, [ca[1]]).data == "not checked"  # no callable: the data is not checked

    unsigned = tmp_path / "plain.pdf"
    unsigned.write_bytes(render_blank())
    report = verify_file(unsigned, None, changed)
    assert report.data == "absent" and "carries no evaluator data" in report.render()


def render_blank() -> bytes:
    """A PDF without the evaluator attachment."""
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(100, 700, "no data")
    canvas.save()
    return out.getvalue()


def test_the_report_speaks_vietnamese_and_an_untrusted_signature_still_fails(
    signed: bytes, ca: tuple, tmp_path: Path
) -> None:
    """The findings and the report's lines follow the language; whether a signature is trusted is a flag,
    not read back from its (translated) words."""
    from evaluator import i18n
    from evaluator.signing.verify import CurrentData, Embedded

    def changed(embedded: Embedded) -> CurrentData:
        return CurrentData(["data/unit/name: …"], ["data/council"], "broken", ["chuỗi x: …"])

    other = pki.write_pem(tmp_path / "other.pem", pki.make_ca("CA khác"))
    before = i18n.language()
    try:
        i18n.set_language("vi")
        path = tmp_path / "bb.pdf"
        path.write_bytes(signed)
        report = verify_file(path, [other], changed)
        (sig,) = report.signatures
        assert sig.untrusted and sig.trust.startswith("KHÔNG tin cậy: ") and not report.ok
        lines = report.render().splitlines()
        assert lines[0] == f"{path}: PDF, 1 chữ ký"
        assert lines[1] == "chữ ký 1: ô 'secretary'"
        assert "  nguyên vẹn:    có" in lines and "  sửa sau khi ký: không" in lines
        assert "dữ liệu: dữ liệu trong tài liệu KHÁC với dự án:" in lines
        assert "nhật ký: ĐÃ THAY ĐỔI từ khi tài liệu được lập:" in lines
        assert lines[-1] == "kết quả: KHÔNG HỢP LỆ"
        assert not any("--trust" in line or "signature" in line for line in lines)
        report, _ = _verify(_update(signed, _retitle), tmp_path, ca[1], "sửa.pdf")
        assert report.signatures[0].change.startswith("những thay đổi KHÔNG được phép sau khi ký: ")
        assert not report.ok
        i18n.set_language("en")
        report = verify_file(path, [other])
        assert report.signatures[0].trust.startswith("not trusted: ") and not report.ok
        assert report.render().splitlines()[-1] == "result: FAILED"
    finally:
        i18n.set_language(before)


def _retitle(writer: object) -> None:
    from pyhanko.pdf_utils import generic

    ref = writer.trailer.raw_get("/Info")  # type: ignore[attr-defined]
    ref.get_object()[generic.NameObject("/Title")] = generic.TextStringObject("Biên bản đã sửa")
    writer.mark_update(ref)  # type: ignore[attr-defined]
