"""The PKCS#11 token path for real, against a SoftHSM2 token (Debian package softhsm2; `python3 dev.py test`
installs it — a missing SoftHSM2 fails these tests instead of skipping them)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pki
import pytest

from evaluator.cli.main import main
from evaluator.models import open_project
from evaluator.reports import render
from evaluator.services.report_compare import verify_file  # signatures via signing, data via the project
from evaluator.services.report_data import unit_documents


@pytest.fixture(scope="module")
def token(tmp_path_factory: pytest.TempPathFactory) -> tuple[pki.Token, Path]:
    folder = tmp_path_factory.mktemp("softhsm")
    ca = pki.make_ca()
    token = pki.make_token(folder, pki.make_signer(ca, "Nguyễn Văn Hùng (token)"))
    return token, pki.write_pem(folder / "ca.pem", ca)


@pytest.fixture(scope="module")
def minutes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    db = pki.demo_project(tmp_path_factory)
    with open_project(db) as project, project.session() as s:
        doc = unit_documents(s, 2024, ["H02"], "appraisal", date(2025, 1, 5))[0]
    return render(doc).data


def test_sign_with_token_and_verify(
    token: tuple[pki.Token, Path],
    minutes: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    tok, ca_pem = token
    path = tmp_path / "bb.pdf"
    path.write_bytes(minutes)
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    assert (
        main(
            [
                "sign",
                str(path),
                "--field",
                "chair",
                "--pkcs11-lib",
                tok.lib,
                "--token-label",
                tok.label,
                "--key-label",
                tok.key_label,
                "--password-env",
                "TOKEN_PIN",
            ]
        )
        == 0
    )
    # Without --key-label the token's only key is used.
    assert (
        main(
            [
                "sign",
                str(path),
                "--pkcs11-lib",
                tok.lib,
                "--token-label",
                tok.label,
                "--password-env",
                "TOKEN_PIN",
            ]
        )
        == 0
    )
    assert "signed in field 'secretary'" in capsys.readouterr().out
    report = verify_file(path, [ca_pem])
    assert report.ok, report.render()
    assert [s.field for s in report.signatures] == ["chair", "secretary"]
    assert all(
        s.signer == "Nguyễn Văn Hùng (token)" and s.trust.startswith("trusted") for s in report.signatures
    )


@pytest.mark.parametrize(
    ("extra", "pin", "message"),
    [
        (["--key-label", "khong-co"], pki.PIN, "no private key labelled 'khong-co'"),
        ([], "0000", "wrong PIN"),
        (["--token-label", "token-khac"], pki.PIN, "cannot open the token 'token-khac'"),
    ],
)
def test_token_problems_give_clear_errors_and_no_file(
    token: tuple[pki.Token, Path],
    minutes: bytes,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    pin: str,
    message: str,
) -> None:
    tok, _ca = token
    source = tmp_path / "in.pdf"
    source.write_bytes(minutes)
    out = tmp_path / "out.pdf"
    monkeypatch.setenv("TOKEN_PIN", pin)
    label = [] if "--token-label" in extra else ["--token-label", tok.label]
    assert (
        main(
            [
                "sign",
                str(source),
                "--out",
                str(out),
                "--pkcs11-lib",
                tok.lib,
                *label,
                *extra,
                "--password-env",
                "TOKEN_PIN",
            ]
        )
        == 1
    )
    assert message in capsys.readouterr().err
    assert not out.exists() and source.read_bytes() == minutes


def test_missing_library(
    tmp_path: Path, minutes: bytes, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "in.pdf"
    source.write_bytes(minutes)
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    assert (
        main(
            [
                "sign",
                str(source),
                "--pkcs11-lib",
                str(tmp_path / "none.so"),
                "--token-label",
                "x",
                "--password-env",
                "TOKEN_PIN",
            ]
        )
        == 1
    )
    assert "no PKCS#11 library" in capsys.readouterr().err


@pytest.mark.slow
def test_report_signed_with_token(
    token: tuple[pki.Token, Path],
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    tok, ca_pem = token
    db = pki.demo_project(tmp_path_factory)
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    folder = tmp_path / "self"
    assert (
        main(
            [
                "report",
                "self",
                "--db",
                str(db),
                "--year",
                "2024",
                "--all",
                "--out",
                str(folder),
                "--sign",
                "--pkcs11-lib",
                tok.lib,
                "--token-label",
                tok.label,
                "--password-env",
                "TOKEN_PIN",
            ]
        )
        == 0
    )
    files = sorted(folder.glob("*.pdf"))
    assert len(files) == 70
    report = verify_file(files[0], [ca_pem], str(db))
    assert report.ok and report.data == "matches" and [s.field for s in report.signatures] == ["unit_head"]


def test_a_token_whose_keys_have_no_label_or_id_signs_with_the_key_of_its_certificate(
    token: tuple[pki.Token, Path], minutes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Viettel-CA layout reported against pyHanko (#456/#457): keys without CKA_LABEL and CKA_ID, so a
    look-up by label or ID finds nothing; two keys, one certificate: the key is found by its public key."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass

    ca = pki.make_ca()
    who = pki.make_signer(ca, "Hoàng Thị Lan (Viettel-CA)")
    # in the module token's folder: SoftHSM2 reads its configuration once per process
    tok = pki.make_unlabelled_token(token[1].parent, who, pki.make_signer(ca, "Khóa không có chứng thư"))
    with pkcs11.lib(tok.lib).get_token(token_label=tok.label).open(user_pin=pki.PIN) as session:
        keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
        assert len(keys) == 2 and all(not k[Attribute.LABEL] and not k[Attribute.ID] for k in keys)
    path = tmp_path / "bb.pdf"
    path.write_bytes(minutes)
    monkeypatch.setenv("TOKEN_PIN", pki.PIN)
    assert main(["sign", str(path), "--field", "chair", "--pkcs11-lib", tok.lib, "--token-label", tok.label,
                 "--password-env", "TOKEN_PIN"]) == 0
    report = verify_file(path, [pki.write_pem(tmp_path / "ca.pem", ca)])
    (sig,) = report.signatures
    assert sig.signer == "Hoàng Thị Lan (Viettel-CA)" and sig.intact and sig.valid
    assert not sig.untrusted
