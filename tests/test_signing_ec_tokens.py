"""EC keys on PKCS#11 tokens, for real against SoftHSM2: ECDSA P-256 and P-384 keys with a label and ID, and
keys without either (found by proving with a test signature that the key is the certificate's), sign the
minutes and the organisation's seal; pyHanko validates the ECDSA signatures. SoftHSM2 offers only the raw
CKM_ECDSA (no CKM_ECDSA_SHA256), as many USB tokens do: pyHanko's default mechanism fails there. A key of a
kind evaluator does not sign with (DSA, Ed25519) is refused with a message naming it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pki
import pytest
from test_signing_seal import seal_png

from evaluator.cli.main import main
from evaluator.models import open_project
from evaluator.reports import render
from evaluator.services.report_data import unit_documents
from evaluator.signing import verify_file


@dataclass
class Tokens:
    folder: Path
    ca: pki.Identity
    ca_pem: Path
    lib: str
    made: dict[str, pki.Token]


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Tokens]:
    import pkcs11

    # SoftHSM reads SOFTHSM2_CONF when the library is initialised, once per process: unload the library
    # another module loaded so that it sees this module's token folder (and afterwards, for the next one)
    pkcs11.unload(pki.softhsm_lib())
    folder = tmp_path_factory.mktemp("softhsm")
    ca = pki.make_ca()
    try:
        yield Tokens(folder, ca, pki.write_pem(folder / "ca.pem", ca), pki.softhsm_lib(), {})
    finally:
        pkcs11.unload(pki.softhsm_lib())


def token(tokens: Tokens, name: str, kind: str, labelled: bool) -> pki.Token:
    """A token called ``name`` holding a ``kind`` key of "<name> signer": with label and ID, or (as the
    Viettel-CA token) two keys without label or ID, only one of which has a certificate (without either)."""
    if name not in tokens.made:
        who = pki.make_signer(tokens.ca, f"{name} signer", key_kind=kind)
        if labelled:
            tokens.made[name] = pki.make_token(tokens.folder, who, label=name, key_label=f"{name}-key")
        else:
            other = pki.make_signer(tokens.ca, "Khóa không có chứng thư", key_kind=kind)
            tokens.made[name] = pki.make_unlabelled_token(tokens.folder, who, other, label=name)
    return tokens.made[name]


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    with open_project(pki.demo_project(tmp_path_factory)) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["SO01"], "appraisal", date(2025, 1, 5))[0]
    return render(doc).data


def sign(path: Path, tok: pki.Token, *extra: str) -> int:
    key = ["--key-label", tok.key_label] if tok.key_label else []
    return main(["sign", str(path), *extra, "--pkcs11-lib", tok.lib, "--token-label", tok.label, *key,
                 "--password-env", "TOKEN_PIN"])


def ecdsa_signatures(data: bytes) -> list[tuple[str, str, str]]:
    """(field, signature algorithm, curve) of every signature, as pyHanko reads them."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    found = []
    for sig in PdfFileReader(io.BytesIO(data)).embedded_signatures:
        algorithm = sig.signer_info["signature_algorithm"]["algorithm"].native
        found.append((sig.field_name, algorithm, str(sig.signer_cert.public_key.curve[1])))
    return found


@pytest.mark.parametrize(("kind", "curve"),
                         [("p256", "secp256r1"), ("p384", "secp384r1"), ("p521", "secp521r1")])
@pytest.mark.parametrize("labelled", [True, False], ids=["labelled", "no-label-no-id"])
def test_ec_token_signs_and_pyhanko_validates(tokens: Tokens, minutes: bytes, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch, kind: str, curve: str,
                                              labelled: bool) -> None:
    name = f"ec-{kind}-{'l' if labelled else 'u'}"
    tok = token(tokens, name, kind, labelled)
    path = tmp_path / "bb.pdf"
    path.write_bytes(minutes)
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    assert sign(path, tok, "--field", "chair") == 0
    report = verify_file(path, [tokens.ca_pem])
    assert report.ok, report.render()
    (sig,) = report.signatures
    assert sig.field == "chair" and sig.signer == f"{name} signer"
    assert sig.intact and sig.valid and sig.trust.startswith("trusted") and not sig.untrusted
    assert ecdsa_signatures(path.read_bytes()) == [("chair", "sha256_ecdsa", curve)]


def test_two_step_seal_with_ec_tokens(tokens: Tokens, minutes: bytes, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    """The people sign with a labelled P-256 token, the clerk seals with a P-384 token without labels."""
    person = token(tokens, "ec-p256-l", "p256", True)
    organisation = token(tokens, "ec-p384-u", "p384", False)
    path = tmp_path / "bb.pdf"
    path.write_bytes(minutes)
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    for field in ("secretary", "chair", "unit_representative"):
        assert sign(path, person, "--field", field) == 0
    seal = seal_png(tmp_path / "con-dau.png")
    assert sign(path, organisation, "--as", "organisation", "--seal-image", str(seal), "--number", "7",
                "--date", "2025-02-07") == 0
    assert "07/BB-HĐTĐ" in capsys.readouterr().out
    report = verify_file(path, [tokens.ca_pem])
    assert report.ok, report.render()
    fields = ["secretary", "chair", "unit_representative", "organisation"]
    assert [s.field for s in report.signatures] == fields
    assert all(s.intact and s.valid for s in report.signatures)
    assert [f.value for f in report.filled] == ["07/BB-HĐTĐ", "2025-02-07"]
    assert ecdsa_signatures(path.read_bytes())[-1] == ("organisation", "sha256_ecdsa", "secp384r1")


@pytest.mark.parametrize(("kind", "described"), [("dsa", "DSA"), ("ed25519", "Ed25519")])
@pytest.mark.parametrize("labelled", [True, False], ids=["labelled", "no-label-no-id"])
def test_unsupported_key_kinds_are_refused_naming_the_key(
    tokens: Tokens, minutes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], kind: str, described: str, labelled: bool,
) -> None:
    name = f"{kind}-{'l' if labelled else 'u'}"
    tok = token(tokens, name, kind, labelled)
    source = tmp_path / "in.pdf"
    source.write_bytes(minutes)
    out = tmp_path / "out.pdf"
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    assert sign(source, tok, "--out", str(out)) == 1
    err = capsys.readouterr().err
    key = f"'{name}-key'" if labelled else f"'{name} signer'"
    assert f"The key {key} on the token '{name}' is a {described}" in err, err
    assert "RSA, ECDSA P-256, P-384, P-521" in err
    assert not out.exists() and source.read_bytes() == minutes


def test_the_unsupported_message_is_vietnamese_too(tokens: Tokens, minutes: bytes, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from evaluator.errors import SigningError
    from evaluator.signing import pkcs11_signer

    tok = token(tokens, "dsa-l", "dsa", True)
    with pytest.raises(SigningError) as caught, pkcs11_signer(tok.lib, tok.label, None, pki.PIN):
        pass
    assert caught.value.code == "signing.key_unsupported"
    assert "Khóa 'dsa-l-key' trên thiết bị ký 'dsa-l' là khóa DSA" in caught.value.render("vi")


@pytest.mark.slow
def test_a_team_package_signed_with_an_ec_token_without_labels(tokens: Tokens, demo_copy: Path,
                                                                tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """The appraisal team's package (``evaluator export``) signs through the same token code."""
    from evaluator.exchange import verify_package

    tok = token(tokens, "ec-p384-u", "p384", False)
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    out = tmp_path / "team.cchc"
    assert main(["export", "--db", str(demo_copy), "--out", str(out), "--year", "2024", "--unit", "SO01",
                 "--pkcs11-lib", tok.lib, "--token-label", tok.label, "--password-env", "TOKEN_PIN"]) == 0
    report = verify_package(out, [tokens.ca_pem])
    assert report.ok and report.signature is not None and report.signature.trusted
    assert "ec-p384-u signer" in report.signature.subject


class _Slot:
    def __init__(self, mechanisms: set[Any] | None):
        self.mechanisms = mechanisms

    def get_mechanisms(self) -> set[Any]:
        if self.mechanisms is None:
            raise RuntimeError("CKR_FUNCTION_NOT_SUPPORTED")
        return self.mechanisms


class _Session:
    """Only what choosing a mechanism reads: the token's slot and its mechanism list (SoftHSM2 offers no
    hashed ECDSA mechanism, so the hashed path is checked on this list)."""

    def __init__(self, mechanisms: set[Any] | None):
        self.token = type("Token", (), {"slot": _Slot(mechanisms)})()


def test_the_mechanism_is_the_one_the_token_offers() -> None:
    from pkcs11 import Mechanism

    from evaluator.errors import SigningError
    from evaluator.signing.token_keys import use_raw_mechanism

    ec_oid = "1.2.840.10045.3.1.7"
    assert not use_raw_mechanism(_Session({Mechanism.ECDSA, Mechanism.ECDSA_SHA256}), ec_oid, "t", None)
    assert use_raw_mechanism(_Session({Mechanism.ECDSA}), ec_oid, "t", None)
    assert use_raw_mechanism(_Session(None), ec_oid, "t", None)  # no list: every EC token has CKM_ECDSA
    assert not use_raw_mechanism(_Session({Mechanism.SHA256_RSA_PKCS, Mechanism.RSA_PKCS}), "rsa", "t", None)
    assert use_raw_mechanism(_Session({Mechanism.RSA_PKCS}), "rsa", "t", None)
    assert not use_raw_mechanism(_Session(None), "rsa", "t", None)
    with pytest.raises(SigningError) as caught:
        use_raw_mechanism(_Session({Mechanism.RSA_PKCS}), ec_oid, "VNPT-CA", None)
    assert caught.value.render("en") == ("The token 'VNPT-CA' offers no ECDSA signing mechanism for the key "
                                         "(—)")
