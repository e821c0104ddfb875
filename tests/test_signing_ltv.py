"""Long-term validation: PAdES B-LT puts the CRL of the signers' CA (from a file: offline) in the
document's DSS; B-LTA adds a document timestamp (pyHanko's in-process timestamp authority, no network);
offline without files adds nothing and says so; a damaged CRL file is refused with its name."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pki
import pytest

from evaluator.cli.main import main
from evaluator.models import open_project
from evaluator.reports import render
from evaluator.services.report_data import unit_documents
from evaluator.signing import SigningError, pkcs12_signer, sign_bytes, verify_file
from evaluator.signing.ltv import add_long_term, load_revocation


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("ltv")
    ca = pki.make_ca()
    with open_project(pki.demo_project(tmp_path_factory)) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["SO01"], "self", date(2025, 1, 5))[0]
    p12 = pki.write_p12(folder / "thu-truong.p12", pki.make_signer(ca, "Trần Văn Bình"), ca)
    unsigned = render(doc).data
    signed, _ = sign_bytes(unsigned, pkcs12_signer(p12, pki.PASSWORD))
    crl = folder / "ca.crl"
    crl.write_bytes(pki.make_crl(ca))
    return {"ca": ca, "ca_pem": pki.write_pem(folder / "ca.pem", ca), "p12": p12, "signed": signed,
            "unsigned": unsigned, "crl": crl, "folder": folder}


def _dss(data: bytes) -> dict:
    from pyhanko.pdf_utils.reader import PdfFileReader

    root = PdfFileReader(io.BytesIO(data), strict=False).root
    # indexing resolves the indirect reference (``get`` would not)
    return root["/DSS"] if "/DSS" in root else {}  # noqa: SIM401


def test_b_lt_has_a_dss_with_the_crl(setup: dict, tmp_path: Path) -> None:
    from asn1crypto import crl as asn1_crl

    crls, ocsps = load_revocation([setup["crl"]], [])
    data, result = add_long_term(setup["signed"], crls=crls, ocsps=ocsps)
    assert result.level == "B-LT" and result.crls == 1 and result.certs >= 2
    dss = _dss(data)
    (stream,) = list(dss["/CRLs"])
    assert asn1_crl.CertificateList.load(stream.get_object().data).dump() == setup["crl"].read_bytes()
    path = tmp_path / "bc.pdf"
    path.write_bytes(data)
    report = verify_file(path, [setup["ca_pem"]])
    assert report.ok, report.render()
    assert report.validation_data == {"certs": result.certs, "crls": 1, "ocsps": 0}
    assert report.signatures[0].changes_allowed  # the DSS is validation data for the signature


def test_b_lta_adds_a_document_timestamp(setup: dict, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_timestamp
    from pyhanko_certvalidator import ValidationContext

    crls, _ = load_revocation([setup["crl"]], [])
    data, result = add_long_term(setup["signed"], crls=crls, timestamper=pki.dummy_timestamper(setup["ca"]))
    assert result.level == "B-LTA"
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    kinds = [s.sig_object_type for s in reader.embedded_signatures]
    assert kinds == ["/Sig", "/DocTimeStamp"]
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization

    root = asn1_x509.Certificate.load(setup["ca"].cert.public_bytes(serialization.Encoding.DER))
    status = validate_pdf_timestamp(reader.embedded_signatures[1],
                                    ValidationContext(trust_roots=[root], allow_fetching=False))
    assert status.intact and status.valid and status.trusted
    path = tmp_path / "bc.pdf"
    path.write_bytes(data)
    report = verify_file(path, [setup["ca_pem"]])
    assert report.ok, report.render()
    assert [s.time_source for s in report.signatures] == ["signer", "timestamp"]


def test_offline_without_files_adds_nothing_and_says_so(setup: dict, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    data, result = add_long_term(setup["signed"])
    assert data == setup["signed"] and result.level == "B-B"
    path = tmp_path / "bc.pdf"
    path.write_bytes(setup["unsigned"])
    monkeypatch.setenv("P12_PASSWORD", pki.PASSWORD)
    assert main(["sign", str(path), "--p12", str(setup["p12"]), "--password-env", "P12_PASSWORD"]) == 0
    out = capsys.readouterr().out
    assert "B-B" in out and ("ngoại tuyến" in out or "offline" in out)  # in the language of the run
    assert "/DSS" not in str(_dss(path.read_bytes()))


def test_cli_b_lt_from_a_crl_file(setup: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bc.pdf"
    path.write_bytes(setup["unsigned"])
    monkeypatch.setenv("P12_PASSWORD", pki.PASSWORD)
    assert main(["sign", str(path), "--p12", str(setup["p12"]), "--password-env", "P12_PASSWORD",
                 "--crl", str(setup["crl"])]) == 0
    assert "B-LT" in capsys.readouterr().out
    assert len(_dss(path.read_bytes())["/CRLs"]) == 1


def test_damaged_revocation_files_are_refused(setup: dict, tmp_path: Path) -> None:
    bad = tmp_path / "hong.crl"
    bad.write_bytes(b"not a CRL at all")
    with pytest.raises(SigningError) as err:
        load_revocation([bad], [])
    assert "hong.crl" in str(err.value) and "CRL" in str(err.value)
    with pytest.raises(SigningError) as err:
        load_revocation([], [bad])
    assert "OCSP" in str(err.value)
    with pytest.raises(SigningError):
        load_revocation([tmp_path / "missing.crl"], [])


@pytest.fixture(scope="module")
def tsa_url(setup: dict) -> Iterator[str]:
    """An RFC 3161 server on localhost (what ``--tsa`` talks to), answering with pyHanko's in-process
    timestamp authority: the document timestamp goes through HTTP as with a real authority."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import tsp

    stamper: Any = pki.dummy_timestamper(setup["ca"])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
    finally:
        server.shutdown()
        server.server_close()


def test_cli_b_lta_with_a_timestamp_server(setup: dict, tsa_url: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bc.pdf"
    path.write_bytes(setup["unsigned"])
    monkeypatch.setenv("P12_PASSWORD", pki.PASSWORD)
    assert main(["sign", str(path), "--p12", str(setup["p12"]), "--password-env", "P12_PASSWORD",
                 "--crl", str(setup["crl"]), "--tsa", tsa_url]) == 0
    assert "B-LTA" in capsys.readouterr().out
    report = verify_file(path, [setup["ca_pem"]])
    assert report.ok, report.render()
    assert [s.time_source for s in report.signatures] == ["signer", "timestamp"]
    assert report.validation_data["crls"] == 1
