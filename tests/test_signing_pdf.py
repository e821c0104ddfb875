"""Signing documents with PKCS#12 keys and verifying them: every signature validates with pyHanko, two
signers in turn, tampering (a changed byte, an appended page) is reported, key and certificate problems
give a clear error and no output file, trust and the embedded data are checked; a timestamp from a real
RFC 3161 server on localhost."""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pki
import pytest

from evaluator.cli.main import main
from evaluator.models import open_project
from evaluator.reports import render
from evaluator.services.report_compare import verify_file  # signatures via signing, data via the project
from evaluator.services.report_data import unit_documents
from evaluator.signing import SigningError, pkcs12_signer, sign_bytes


@dataclass
class Keys:
    ca: pki.Identity
    ca_pem: Path
    other_ca_pem: Path
    secretary: Path
    chair: Path
    representative: Path
    expired: Path
    not_yet_valid: Path
    no_key: Path


@pytest.fixture(scope="session")
def keys(tmp_path_factory: pytest.TempPathFactory) -> Keys:
    folder = tmp_path_factory.mktemp("pki")
    ca = pki.make_ca()
    other = pki.make_ca("Một CA khác")
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    no_key = folder / "no-key.p12"
    no_key.write_bytes(
        pkcs12.serialize_key_and_certificates(
            b"cert-only", None, None, [ca.cert], serialization.BestAvailableEncryption(pki.PASSWORD.encode())
        )
    )
    return Keys(
        ca=ca,
        ca_pem=pki.write_pem(folder / "ca.pem", ca),
        other_ca_pem=pki.write_pem(folder / "other.pem", other),
        secretary=pki.write_p12(folder / "thu-ky.p12", pki.make_signer(ca, "Lê Thị Thu Hà"), ca),
        chair=pki.write_p12(folder / "chu-tich.p12", pki.make_signer(ca, "Nguyễn Văn Hùng"), ca),
        representative=pki.write_p12(folder / "dai-dien.p12", pki.make_signer(ca, "Đỗ Thị Hồng Nhung"), ca),
        expired=pki.write_p12(folder / "expired.p12", pki.expired(ca), ca),
        not_yet_valid=pki.write_p12(folder / "future.p12", pki.not_yet_valid(ca), ca),
        no_key=no_key,
    )


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pki.demo_project(tmp_path_factory)


@pytest.fixture(scope="session")
def minutes(demo_db: Path) -> bytes:
    with open_project(demo_db) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["SO01"], "appraisal", date(2025, 1, 5))[0]
    return render(doc).data


@pytest.fixture(scope="session")
def signed_twice(minutes: bytes, keys: Keys) -> bytes:
    first, f1 = sign_bytes(minutes, pkcs12_signer(keys.secretary, pki.PASSWORD))
    second, f2 = sign_bytes(first, pkcs12_signer(keys.chair, pki.PASSWORD))
    assert (f1, f2) == ("secretary", "chair")
    return second


def _pyhanko_statuses(data: bytes, ca: pki.Identity) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))
    context = ValidationContext(trust_roots=[root], allow_fetching=False)
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    return [validate_pdf_signature(sig, context) for sig in reader.embedded_signatures]


def test_two_signers_both_validate_with_pyhanko(signed_twice: bytes, keys: Keys) -> None:
    statuses = _pyhanko_statuses(signed_twice, keys.ca)
    assert len(statuses) == 2
    for status in statuses:
        assert status.intact and status.valid and status.trusted and status.bottom_line
    names = [s.signing_cert.subject.native["common_name"] for s in statuses]
    assert names == ["Lê Thị Thu Hà", "Nguyễn Văn Hùng"]


def test_verify_reports_each_signature(signed_twice: bytes, keys: Keys, tmp_path: Path) -> None:
    path = tmp_path / "bb.pdf"
    path.write_bytes(signed_twice)
    report = verify_file(path, [keys.ca_pem])
    assert report.ok, report.render()
    first, second = report.signatures
    assert (first.field, first.signer, first.issuer) == ("secretary", "Lê Thị Thu Hà", "Test CA An Khánh")
    assert first.intact and first.revision == 3 and first.revisions == 4 and first.changed_after
    assert "later signatures" in first.change and first.changes_allowed
    assert second.field == "chair" and second.revision == 4 and not second.changed_after
    assert first.time is not None and first.time_source == "signer"
    assert first.trust.startswith("trusted")
    assert report.empty_fields == ["unit_representative", "organisation"]
    text = report.render()
    assert "signer:        Nguyễn Văn Hùng" in text and "result: OK" in text


def test_three_signers_in_turn_via_cli(
    minutes: bytes,
    keys: Keys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "bb.pdf"
    path.write_bytes(minutes)
    monkeypatch.setenv("P12_PASSWORD", pki.PASSWORD)
    for key, field in ((keys.secretary, None), (keys.chair, "chair"), (keys.representative, None)):
        args = ["sign", str(path), "--p12", str(key), "--password-env", "P12_PASSWORD"]
        assert main(args + (["--field", field] if field else [])) == 0
    out = capsys.readouterr().out
    assert "signed in field 'secretary'" in out and "signed in field 'unit_representative'" in out
    assert main(["verify", str(path), "--trust", str(keys.ca_pem)]) == 0
    assert all(s.bottom_line for s in _pyhanko_statuses(path.read_bytes(), keys.ca))
    assert main(["sign", str(path), "--p12", str(keys.chair), "--password-env", "P12_PASSWORD"]) == 1
    assert "no empty signature field left" in capsys.readouterr().err


def test_changed_byte_is_reported(signed_twice: bytes, keys: Keys, tmp_path: Path) -> None:
    data = bytearray(signed_twice)
    at = data.index(b"stream", len(data) // 4) + 40  # inside a page content stream of the first revision
    data[at] ^= 0x01
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(data))
    report = verify_file(path, [keys.ca_pem])
    assert not report.ok
    assert len(report.signatures) == 2 and not any(s.intact for s in report.signatures)
    assert "intact:        NO" in report.render()
    assert main(["verify", str(path)]) == 1


def test_appended_page_is_reported(signed_twice: bytes, keys: Keys, tmp_path: Path) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(signed_twice), strict=False)
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (0, 0, 595, 842)]
            ),
            generic.NameObject("/Resources"): generic.DictionaryObject(),
            generic.NameObject("/Contents"): writer.add_object(
                generic.StreamObject(stream_data=b"0 0 m 100 100 l S")
            ),
        }
    )
    writer.insert_page(page)
    out = io.BytesIO()
    writer.write(out)
    path = tmp_path / "appended.pdf"
    path.write_bytes(out.getvalue())
    report = verify_file(path, [keys.ca_pem])
    assert not report.ok
    for s in report.signatures:
        assert s.intact  # the signed bytes are untouched …
        assert (
            s.changed_after and not s.changes_allowed and "NOT allowed" in s.change
        )  # … but a page was added
    assert "result: FAILED" in report.render()


def test_unsigned_pdf_fails_verify(
    minutes: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "unsigned.pdf"
    path.write_bytes(minutes)
    assert main(["verify", str(path)]) == 1
    out = capsys.readouterr().out
    assert "the document is not signed" in out and "empty signature fields: secretary, chair" in out


def test_trust(signed_twice: bytes, keys: Keys, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bb.pdf"
    path.write_bytes(signed_twice)
    assert main(["verify", str(path)]) == 0  # trust not checked: reported, not a failure
    assert "trust: not checked" in capsys.readouterr().out
    assert main(["verify", str(path), "--trust", str(keys.other_ca_pem)]) == 1
    assert "not trusted" in capsys.readouterr().out
    assert main(["verify", str(path), "--trust", str(tmp_path / "missing.pem")]) == 1
    assert "cannot read trusted certificates" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("which", "message"),
    [
        ("wrong_password", "wrong password"),
        ("expired", "expired on"),
        ("not_yet_valid", "is not valid yet"),
        ("no_key", "holds no private key"),
        ("missing_file", "cannot read the certificate file"),
    ],
)
def test_key_problems_give_clear_errors_and_no_file(
    which: str,
    message: str,
    minutes: bytes,
    keys: Keys,
    demo_db: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(minutes)
    key = {
        "wrong_password": keys.secretary,
        "expired": keys.expired,
        "not_yet_valid": keys.not_yet_valid,
        "no_key": keys.no_key,
        "missing_file": tmp_path / "nope.p12",
    }[which]
    monkeypatch.setenv("PW", "sai mật khẩu" if which == "wrong_password" else pki.PASSWORD)
    out = tmp_path / "out.pdf"
    assert main(["sign", str(source), "--p12", str(key), "--password-env", "PW", "--out", str(out)]) == 1
    assert message in capsys.readouterr().err
    assert not out.exists() and source.read_bytes() == minutes
    assert main(["sign", str(source), "--p12", str(key), "--password-env", "PW"]) == 1  # in place
    assert source.read_bytes() == minutes
    report_out = tmp_path / "report.pdf"
    assert (
        main(
            [
                "report",
                "appraisal",
                "--db",
                str(demo_db),
                "--year",
                "2024",
                "--unit",
                "SO01",
                "--out",
                str(report_out),
                "--sign",
                "--p12",
                str(key),
                "--password-env",
                "PW",
            ]
        )
        == 1
    )
    assert not report_out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.pdf"]  # no temporary files left either


def test_signing_errors_in_the_api(minutes: bytes, keys: Keys) -> None:
    signer = pkcs12_signer(keys.secretary, pki.PASSWORD)
    with pytest.raises(SigningError, match="no signature field 'treasurer'"):
        sign_bytes(minutes, signer, "treasurer")
    with pytest.raises(SigningError, match="not a readable PDF"):
        sign_bytes(b"not a pdf", signer)
    with pytest.raises(SigningError, match="signing failed"):  # a timestamp server that does not answer
        sign_bytes(minutes, signer, timestamp_url="http://127.0.0.1:9/tsa")


def test_password_from_stdin_and_env_never_argument(
    minutes: bytes, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "bb.pdf"
    path.write_bytes(minutes)
    monkeypatch.setattr("sys.stdin", io.StringIO(pki.PASSWORD + "\n"))
    assert main(["sign", str(path), "--p12", str(keys.secretary), "--password-stdin"]) == 0
    with pytest.raises(SystemExit):
        main(["sign", str(path), "--p12", str(keys.chair), "--password", pki.PASSWORD])
    monkeypatch.delenv("UNSET_VAR", raising=False)
    assert main(["sign", str(path), "--p12", str(keys.chair), "--password-env", "UNSET_VAR"]) == 1


@pytest.mark.slow
def test_report_signed_at_render_and_checked_against_the_project(
    demo_db: Path,
    keys: Keys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = pki.copy_project(demo_db, tmp_path / "copy")
    out = tmp_path / "bb.pdf"
    monkeypatch.setenv("PW", pki.PASSWORD)
    assert (
        main(
            [
                "report",
                "appraisal",
                "--db",
                str(db),
                "--year",
                "2024",
                "--unit",
                "SO01",
                "--out",
                str(out),
                "--sign",
                "--p12",
                str(keys.secretary),
                "--password-env",
                "PW",
            ]
        )
        == 0
    )
    assert main(["verify", str(out), "--db", str(db), "--trust", str(keys.ca_pem)]) == 0
    assert "data: the embedded data matches the project" in capsys.readouterr().out
    with sqlite3.connect(db) as conn:  # the council changes a score after the minutes were signed
        conn.execute(
            "UPDATE score SET points = 0 WHERE criterion_code = '1.1.1' AND stage = 'appraisal1' AND "
            "assessment_id IN (SELECT a.id FROM assessment a JOIN unit u ON u.id = a.unit_id "
            "JOIN period p ON p.id = a.period_id WHERE u.code = 'SO01' AND p.year = 2024)"
        )
    assert main(["verify", str(out), "--db", str(db), "--format", "json"]) == 1
    import json

    found = json.loads(capsys.readouterr().out)
    assert found["data"] == "differs" and found["signatures"][0]["ok"]
    assert any("1.1.1" in d for d in found["data_differences"])


def test_batch_signed_with_both_cores(
    demo_db: Path, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evaluator.services.batch import P12Key, run_batch

    with open_project(demo_db) as project, project.session() as s:
        docs = unit_documents(s, 2024, ["SO02", "H03", "X0201", "X0305"])
    targets = [tmp_path / f"{d.unit_code}.pdf" for d in docs]
    seen: list[int] = []
    run_batch(
        docs,
        targets,
        key=P12Key(keys.chair, pki.PASSWORD, "chair"),
        workers=2,
        progress=lambda done, total, code: seen.append(done),
    )
    assert seen == [1, 2, 3, 4]
    for target in targets:
        report = verify_file(target, [keys.ca_pem])
        assert report.ok and [s.field for s in report.signatures] == ["chair"]


def test_visible_stamp_keeps_vietnamese(tmp_path: Path) -> None:
    import subprocess

    from evaluator.signing.stamp import stamp_pdf

    path = tmp_path / "stamp.pdf"
    path.write_bytes(stamp_pdf("Nguyễn Văn Hùng", "Test CA An Khánh", "05/01/2025 09:12 (UTC+7)", 170, 68))
    text = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True).stdout.decode()
    for expected in (
        "Đã ký số bởi:",
        "Nguyễn Văn Hùng",
        "Chứng thư số: Test CA An Khánh",
        "Thời gian: 05/01/2025 09:12 (UTC+7)",
    ):
        assert expected in text


@pytest.mark.slow
def test_signed_publication_matches_the_project(
    demo_db: Path, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "cong-bo.pdf"
    monkeypatch.setenv("PW", pki.PASSWORD)
    assert (
        main(
            [
                "report",
                "publication",
                "--db",
                str(demo_db),
                "--year",
                "2024",
                "--out",
                str(out),
                "--sign",
                "--p12",
                str(keys.chair),
                "--password-env",
                "PW",
                "--reason",
                "Công bố kết quả",
                "--location",
                "An Khánh",
            ]
        )
        == 0
    )
    report = verify_file(out, [keys.ca_pem], str(demo_db))
    assert report.ok and report.data == "matches", report.render()
    assert [s.field for s in report.signatures] == ["chair"]


def test_batch_can_be_cancelled(demo_db: Path, tmp_path: Path) -> None:
    from evaluator.services.batch import run_batch

    with open_project(demo_db) as project, project.session() as s:
        docs = unit_documents(
            s, 2024, ["X0101", "X0102", "X0103", "X0104", "X0105", "X0201", "X0202", "X0203"]
        )
    targets = [tmp_path / f"{d.unit_code}.pdf" for d in docs]
    done = run_batch(docs, targets, workers=2, cancelled=lambda: True)
    assert done == 1
    written = [t for t in targets if t.exists()]
    assert 1 <= len(written) < len(targets)  # a worker may have finished the document it had started
    assert all(t.read_bytes().startswith(b"%PDF-") for t in written)


@pytest.fixture(scope="module")
def tsa_url(keys: Keys) -> Iterator[str]:
    """A real RFC 3161 timestamp server on localhost (HTTP POST of a TimeStampReq, reply
    application/timestamp-reply), answering with pyHanko's in-process stamper and a TSA certificate of the
    test CA — what ``--timestamp-url`` talks to at a real authority."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from asn1crypto import keys as asn1_keys
    from asn1crypto import tsp
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    tsa = pki.make_tsa(keys.ca)
    stamper = DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
    )

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # http.server's name
            body = self.rfile.read(int(self.headers["Content-Length"]))
            assert self.headers["Content-Type"] == "application/timestamp-query"
            reply = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)
            Handler.requests += 1

        def log_message(self, *_args: object) -> None:
            pass

        requests = 0

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa"
        assert Handler.requests > 0
    finally:
        server.shutdown()
        server.server_close()


def test_a_timestamp_from_a_timestamp_server(minutes: bytes, keys: Keys, tsa_url: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    from datetime import UTC, datetime, timedelta

    path = tmp_path / "bb.pdf"
    path.write_bytes(minutes)
    monkeypatch.setenv("P12_PASSWORD", pki.PASSWORD)
    before = datetime.now(UTC)
    assert main(["sign", str(path), "--p12", str(keys.secretary), "--password-env", "P12_PASSWORD",
                 "--timestamp-url", tsa_url]) == 0
    report = verify_file(path, [keys.ca_pem])
    assert report.ok, report.render()
    (sig,) = report.signatures
    assert sig.time_source == "timestamp" and sig.time is not None
    assert before - timedelta(seconds=5) <= sig.time <= datetime.now(UTC) + timedelta(seconds=5)
    capsys.readouterr()
    assert main(["verify", str(path), "--trust", str(keys.ca_pem)]) == 0
    assert "(timestamp authority)" in capsys.readouterr().out
    # the timestamp token is really in the signature, and pyHanko validates it against the CA
    (status,) = _pyhanko_statuses(path.read_bytes(), keys.ca)
    assert status.bottom_line and status.timestamp_validity is not None
    assert status.timestamp_validity.intact and status.timestamp_validity.valid


# --- verify --db compares every printed value -------------------------------------------------------------
def _score_note(stage: str, criterion: str = "1.1.1", unit: str = "SO01") -> str:
    return (
        f"UPDATE score SET note = 'Lý do đã bị sửa sau khi ký' WHERE criterion_code = '{criterion}' AND "
        f"stage = '{stage}' AND assessment_id IN (SELECT a.id FROM assessment a JOIN unit u ON "
        f"u.id = a.unit_id JOIN period p ON p.id = a.period_id WHERE u.code = '{unit}' AND p.year = 2024)"
    )


def _setting(change: Callable[[dict], None]) -> Callable[[Path, Path], None]:
    """A change of the report setting made as the committee makes it (``report-setup --set``)."""

    def apply(db: Path, folder: Path) -> None:
        import copy
        import json

        setting = copy.deepcopy(pki.REPORT_SETTINGS)
        change(setting)
        path = folder / "setting.json"
        path.write_text(json.dumps(setting, ensure_ascii=False), "utf-8")
        assert main(["report-setup", "--db", str(db), "--set", str(path)]) == 0

    return apply


def _sql(statement: str) -> Callable[[Path, Path], None]:
    def apply(db: Path, _folder: Path) -> None:
        with sqlite3.connect(db) as conn:
            assert conn.execute(statement).rowcount >= 1

    return apply


PRINTED_CHANGES = {
    "minutes: the council's reason": (
        "appraisal",
        _sql(_score_note("appraisal1")),
        "data/scores[1.1.1]/reason",
        "Lý do đã bị sửa sau khi ký",
    ),
    "minutes: a council member's name": (
        "appraisal",
        _setting(lambda s: s["council"][0].update(name="Phạm Quốc Đạo")),
        "data/council/members[0]/name",
        "Phạm Quốc Đạo",
    ),
    "minutes: the unit's representative": (
        "appraisal",
        _setting(lambda s: s["representatives"]["SO01"][0].update(position="Giám đốc Sở Nội vụ")),
        "data/representatives[0]/position",
        "Giám đốc Sở Nội vụ",
    ),
    "minutes: the conclusions": (
        "appraisal",
        _setting(lambda s: s["conclusions"].update(SO01="Kết luận khác.")),
        "data/conclusions",
        "Kết luận khác.",
    ),
    "self-assessment: the unit's note": (
        "self",
        _sql(_score_note("self")),
        "data/scores[1.1.1]/unit_note",
        "Lý do đã bị sửa sau khi ký",
    ),
    "self-assessment: a score": (
        "self",
        _sql(
            "UPDATE score SET points = 0 WHERE criterion_code = '1.1.1' AND stage = 'self' AND assessment_id "
            "IN (SELECT a.id FROM assessment a JOIN unit u ON u.id = a.unit_id JOIN period p ON "
            "p.id = a.period_id WHERE u.code = 'SO01' AND p.year = 2024)"
        ),
        "data/scores[1.1.1]/self",
        "0.0",
    ),
    "publication: a unit's name": (
        "publication",
        _sql("UPDATE unit SET name = 'Sở Tư pháp (tên mới)' WHERE code = 'SO02'"),
        "data/units[SO02]/name",
        "Sở Tư pháp (tên mới)",
    ),
    "publication: the chair": (
        "publication",
        _setting(lambda s: s["chair"].update(name="Trần Văn Khác")),
        "data/chair/name",
        "Trần Văn Khác",
    ),
}


@pytest.mark.parametrize("case", list(PRINTED_CHANGES))
@pytest.mark.slow
def test_verify_db_names_every_changed_printed_value(
    case: str,
    demo_db: Path,
    keys: Keys,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    document, change, where, new_value = PRINTED_CHANGES[case]
    db = pki.copy_project(demo_db, tmp_path / "copy")
    out = tmp_path / f"{document}.pdf"
    monkeypatch.setenv("PW", pki.PASSWORD)
    unit = [] if document == "publication" else ["--unit", "SO01"]
    key = keys.chair if document == "publication" else keys.secretary
    assert main(["report", document, "--db", str(db), "--year", "2024", *unit, "--out", str(out),
                 "--sign", "--p12", str(key), "--password-env", "PW"]) == 0
    capsys.readouterr()
    assert main(["verify", str(out), "--db", str(db)]) == 0  # unchanged: it matches
    assert "data: the embedded data matches the project" in capsys.readouterr().out
    change(db, tmp_path)
    capsys.readouterr()
    assert main(["verify", str(out), "--db", str(db), "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found["data"] == "differs" and found["signatures"][0]["ok"] and found["data_not_compared"] == []
    named = [d for d in found["data_differences"] if d.startswith(where + ":")]
    assert named and new_value in named[0], found["data_differences"]
    assert main(["verify", str(out), "--db", str(db)]) == 1
    text = capsys.readouterr().out
    assert "data: the embedded data DIFFERS from the project:" in text and where in text


@pytest.mark.slow
def test_an_older_document_is_compared_on_what_it_carries(
    demo_db: Path, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A minutes written by a version that embedded format 1 (scores, no names or notes) still verifies
    against the project; the report says which printed values it could not compare."""
    import fnmatch
    import json

    from evaluator.reports import pdf
    from evaluator.services.report_compare import ADDED_IN_VERSION_2

    def strip(value: object, where: str = "") -> object:
        """The data as format 1 embedded it: without the places added in format 2."""
        if isinstance(value, dict):
            return {
                k: strip(v, f"{where}/{k}")
                for k, v in value.items()
                if not any(fnmatch.fnmatchcase(f"{where}/{k}", p) for p in ADDED_IN_VERSION_2)
            }
        if isinstance(value, list):
            return [strip(v, f"{where}[]") for v in value]
        return value

    real = pdf.attachment

    def version_1(document: object) -> dict:
        payload = real(document)  # type: ignore[arg-type]
        return {**payload, "format_version": 1, "data": strip(payload["data"])}

    monkeypatch.setattr(pdf, "attachment", version_1)
    db = pki.copy_project(demo_db, tmp_path / "copy")
    with open_project(db) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["SO01"], "appraisal", date(2025, 1, 5))[0]
    signed, _ = sign_bytes(render(doc).data, pkcs12_signer(keys.secretary, pki.PASSWORD))
    path = tmp_path / "bb-v1.pdf"
    path.write_bytes(signed)
    report = verify_file(path, None, str(db))
    assert report.ok and report.data == "matches", report.render()
    assert report.data_format == 1
    assert {"data/scores[]/reason", "data/council", "data/header"} <= set(report.data_not_compared)
    assert "data/unit/name" not in report.data_not_compared  # format 1 did embed the unit's name
    assert "does not carry every printed value; not compared: " in report.render()
    _sql(_score_note("appraisal1"))(db, tmp_path)  # not embedded in format 1: still matches, and says so
    assert verify_file(path, None, str(db)).data == "matches"
    _sql("UPDATE unit SET name = 'Sở Nội vụ (tên mới)' WHERE code = 'SO01'")(db, tmp_path)
    capsys.readouterr()
    assert main(["verify", str(path), "--db", str(db), "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert found["data_differences"] == [
        "data/unit/name: document 'Sở Nội vụ', project now 'Sở Nội vụ (tên mới)'"
    ]
    # the publication of format 1 as well: every place added since is skipped, none is a difference
    from evaluator.services.publication_data import publication
    from evaluator.services.report_compare import differences

    with open_project(db) as project, project.session() as s:
        now = publication(s, 2024).data()
    skipped: list[str] = []
    assert differences(strip(now), now, "data", ADDED_IN_VERSION_2, skipped) == []
    assert {"data/units[]/name", "data/chair", "data/summary/department/classes/xuat_sac/label",
            "data/summary/commune/area_means", "data/criteria_sets[]/tie_policy"} <= set(skipped), skipped


# --- signed minutes carry the audit log's chain heads ------------------------------------------------------
@pytest.mark.slow
def test_signed_minutes_record_the_audit_heads_and_verify_says_whether_the_log_extends_them(
    demo_db: Path, keys: Keys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json
    import sqlite3

    from exchange_helpers import edit

    db = pki.copy_project(demo_db, tmp_path / "copy")
    out = tmp_path / "minutes.pdf"
    monkeypatch.setenv("PW", pki.PASSWORD)
    assert main(["report", "appraisal", "--db", str(db), "--year", "2024", "--unit", "SO02", "--out",
                 str(out), "--sign", "--p12", str(keys.secretary), "--password-env", "PW"]) == 0

    def verify() -> dict:
        capsys.readouterr()
        code = main(["verify", str(out), "--db", str(db), "--format", "json"])
        found = json.loads(capsys.readouterr().out)
        assert code == (0 if found["ok"] else 1)
        return found

    assert verify()["audit_log"] == "extends"
    con = sqlite3.connect(db)
    chain, head = con.execute("SELECT chain, max(seq) FROM audit_event WHERE seq > 0 "
                              "GROUP BY chain ORDER BY max(seq) DESC").fetchone()
    con.close()
    edit(db, "SO01", "1.1.1", {"option": "cham"}, "Tổ 1")  # the log goes on
    found = verify()
    assert found["audit_log"] == "extends" and found["ok"]
    # the last event the document saw is removed behind the program's back: the chain is still whole
    # from its first event, only the recorded head tells
    con = sqlite3.connect(db)
    con.execute("DELETE FROM audit_event WHERE chain = ? AND seq >= ?", (chain, head))
    con.commit()
    con.close()
    found = verify()
    assert found["audit_log"] == "broken" and not found["ok"] and found["data"] == "matches"
    assert any(d.startswith("recorded head") for d in found["audit_log_details"]), found
    capsys.readouterr()
    assert main(["verify", str(out), "--db", str(db)]) == 1
    assert "audit log: CHANGED since the document was made:" in capsys.readouterr().out


def test_a_document_without_audit_heads_is_reported_as_such(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    from evaluator.reports import pdf

    real = pdf.attachment
    monkeypatch.setattr(pdf, "attachment", lambda d: {k: v for k, v in real(d).items() if k != "audit_heads"})
    db = pki.copy_project(demo_db, tmp_path / "copy")
    out = tmp_path / "minutes.pdf"
    assert main(["report", "appraisal", "--db", str(db), "--year", "2024", "--unit", "SO01", "--out",
                 str(out)]) == 0
    capsys.readouterr()
    main(["verify", str(out), "--db", str(db), "--format", "json"])
    assert json.loads(capsys.readouterr().out)["audit_log"] == "absent"
