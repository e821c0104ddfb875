"""A throw-away PKI for the signing tests: a CA, signer certificates (valid, expired, not yet valid),
PKCS#12 files, and a SoftHSM2 token holding a key and its certificate."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import project_helpers
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | dsa.DSAPrivateKey
PASSWORD = "mật-khẩu 123"
PIN = "1234"
SO_PIN = "5678"
SOFTHSM_LIBS = (
    "/usr/lib/softhsm/libsofthsm2.so",
    "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so",
    "/usr/local/lib/softhsm/libsofthsm2.so",
)


KeyKind = str
"""``rsa`` (2048 bits), ``p256``, ``p384``, ``p521`` (ECDSA), ``ed25519`` or ``dsa`` (the last two are keys a
token may hold that evaluator does not sign with)."""
_CURVES = {"p256": ec.SECP256R1, "p384": ec.SECP384R1, "p521": ec.SECP521R1}


def _key(kind: KeyKind = "rsa") -> PrivateKey:
    if kind in _CURVES:
        return ec.generate_private_key(_CURVES[kind]())
    if kind == "ed25519":
        return ed25519.Ed25519PrivateKey.generate()
    if kind == "dsa":
        return dsa.generate_private_key(key_size=2048)
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(cn: str, org: str = "Sở Nội vụ tỉnh An Khánh") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


@dataclass
class Identity:
    key: PrivateKey
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def make_ca(cn: str = "Test CA An Khánh") -> Identity:
    key = _key()
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(_name(cn))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=30))
        .not_valid_after(now + timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return Identity(key, cert)


def _issued(ca: Identity, cn: str, extensions: list[tuple[x509.ExtensionType, bool]], *,
            not_before: datetime | None = None, not_after: datetime | None = None,
            key_kind: KeyKind = "rsa") -> Identity:
    """An end-entity certificate of ``ca`` with these (extension, critical) pairs."""
    key = _key(key_kind)
    now = datetime.now(UTC)
    builder = (
        x509.CertificateBuilder()
        .subject_name(_name(cn))
        .issuer_name(ca.cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
    )
    for extension, critical in extensions:
        builder = builder.add_extension(extension, critical=critical)
    builder = builder.add_extension(
        x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
    )
    return Identity(key, builder.sign(ca.key, hashes.SHA256()))


def make_signer(
    ca: Identity, cn: str, *, not_before: datetime | None = None, not_after: datetime | None = None,
    key_kind: KeyKind = "rsa",
) -> Identity:
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    email = x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION])
    return _issued(ca, cn, [(usage, True), (email, False)], not_before=not_before, not_after=not_after,
                   key_kind=key_kind)


def make_tsa(ca: Identity, cn: str = "Máy chủ dấu thời gian An Khánh") -> Identity:
    """A timestamp authority's certificate (extended key usage timeStamping, critical, as RFC 3161 wants)."""
    return _issued(ca, cn, [(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), True)])


def expired(ca: Identity, cn: str = "Người Hết Hạn") -> Identity:
    now = datetime.now(UTC)
    return make_signer(ca, cn, not_before=now - timedelta(days=400), not_after=now - timedelta(days=10))


def not_yet_valid(ca: Identity, cn: str = "Người Chưa Hiệu Lực") -> Identity:
    now = datetime.now(UTC)
    return make_signer(ca, cn, not_before=now + timedelta(days=10), not_after=now + timedelta(days=400))


def write_p12(path: Path, who: Identity, ca: Identity, password: str = PASSWORD) -> Path:
    data = pkcs12.serialize_key_and_certificates(
        b"signer",
        who.key,
        who.cert,
        [ca.cert],
        serialization.BestAvailableEncryption(password.encode("utf-8")),
    )
    path.write_bytes(data)
    return path


def write_pem(path: Path, who: Identity) -> Path:
    path.write_bytes(who.pem())
    return path


# --- SoftHSM2 --------------------------------------------------------------------------------------
def softhsm_lib() -> str:
    for candidate in SOFTHSM_LIBS:
        if Path(candidate).is_file():
            return candidate
    raise RuntimeError("SoftHSM2 is not installed (Debian package softhsm2): the token tests need it")


@dataclass
class Token:
    lib: str
    label: str
    key_label: str
    env: dict[str, str]


def make_token(folder: Path, who: Identity, label: str = "evaluator-test", key_label: str = "ky-so") -> Token:
    """A SoftHSM2 token in ``folder`` holding ``who``'s key and certificate (same ID, same label).

    Sets ``SOFTHSM2_CONF`` in this process's environment (SoftHSM reads it when the library loads)."""
    lib = softhsm_lib()
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n")
    os.environ["SOFTHSM2_CONF"] = str(conf)
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    util = shutil.which("softhsm2-util")
    if util is None:
        raise RuntimeError("softhsm2-util is missing (Debian package softhsm2)")
    subprocess.run(
        [util, "--init-token", "--free", "--label", label, "--pin", PIN, "--so-pin", SO_PIN],
        check=True,
        env=env,
        capture_output=True,
    )
    key_file = folder / "key.pem"
    key_file.write_bytes(
        who.key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    subprocess.run(
        [
            util,
            "--import",
            str(key_file),
            "--token",
            label,
            "--label",
            key_label,
            "--id",
            "a1b2",
            "--pin",
            PIN,
        ],
        check=True,
        env=env,
        capture_output=True,
    )
    key_file.unlink()
    _import_cert(lib, label, key_label, who.cert)
    return Token(lib, label, key_label, env)


def _import_cert(lib: str, token_label: str, label: str, cert: x509.Certificate) -> None:
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    loaded = pkcs11.lib(lib)
    loaded.reinitialize()  # SoftHSM2 lists its tokens when initialised: see one made since
    token = loaded.get_token(token_label=token_label)
    with token.open(rw=True, user_pin=PIN) as session:
        session.create_object(
            {
                Attribute.CLASS: ObjectClass.CERTIFICATE,
                Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                Attribute.TOKEN: True,
                Attribute.LABEL: label,
                Attribute.ID: bytes.fromhex("a1b2"),
                Attribute.SUBJECT: cert.subject.public_bytes(),
                Attribute.ISSUER: cert.issuer.public_bytes(),
                Attribute.SERIAL_NUMBER: cert.serial_number.to_bytes(20, "big").lstrip(b"\0"),
                Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
            }
        )


def make_unlabelled_token(folder: Path, who: Identity, other: Identity,
                          label: str = "viettel-like") -> Token:
    """A SoftHSM2 token as a Viettel-CA token was reported (pyHanko #456/#457): two private keys with no
    label and no ID, and ``who``'s certificate, also without label or ID; ``other`` has no certificate. Only
    comparing public keys tells which key goes with the certificate."""
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    token = make_token(folder, other, label=label, key_label="tmp-other")
    lib = token.lib
    key_file = folder / "key2.pem"
    key_file.write_bytes(who.key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    subprocess.run([shutil.which("softhsm2-util") or "softhsm2-util", "--import", str(key_file), "--token",
                    label, "--label", "tmp-who", "--id", "c3d4", "--pin", PIN],
                   check=True, env=token.env, capture_output=True)
    key_file.unlink()
    loaded = pkcs11.lib(lib)
    loaded.reinitialize()
    with loaded.get_token(token_label=label).open(rw=True, user_pin=PIN) as session:
        for obj in list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE})):
            obj.destroy()  # ``other``'s certificate: that key stays without one
        for cls in (ObjectClass.PRIVATE_KEY, ObjectClass.PUBLIC_KEY):
            for obj in list(session.get_objects({Attribute.CLASS: cls})):
                obj[Attribute.LABEL] = ""
                obj[Attribute.ID] = b""
        session.create_object({
            Attribute.CLASS: ObjectClass.CERTIFICATE,
            Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
            Attribute.TOKEN: True,
            Attribute.SUBJECT: who.cert.subject.public_bytes(),
            Attribute.VALUE: who.cert.public_bytes(serialization.Encoding.DER),
        })
    return Token(lib, label, "", token.env)


# --- the demo project shared by the report and signing tests -------------------------------------------
REPORT_SETTINGS = {
    "issuing_body": ["UBND TỈNH AN KHÁNH", "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC"],
    "chair": {"name": "Nguyễn Văn Hùng", "position": "Giám đốc Sở Nội vụ"},
    "secretary": {"name": "Lê Thị Thu Hà", "position": "Chuyên viên Sở Nội vụ"},
    "council": [
        {"name": "Phạm Quốc Đạt", "position": "Phó Giám đốc Sở Tư pháp", "role": "Thành viên"},
        {"name": "Trần Minh Đức", "position": "Phó Chánh Văn phòng UBND tỉnh", "role": "Thành viên"},
    ],
    "representatives": {"SO01": [{"name": "Đỗ Thị Hồng Nhung", "position": "Phó Giám đốc Sở Nội vụ"}]},
    "conclusions": {"SO01": "Sở Nội vụ đã triển khai đầy đủ các nhiệm vụ cải cách hành chính năm 2024."},
    # the province's own documents (the submission, the decision, the analysis) name their signers too
    "committee_chair": {"name": "Hoàng Văn Thái", "position": "Chủ tịch UBND tỉnh"},
    "home_affairs_director": {"name": "Trần Thị Mai", "position": "Giám đốc Sở Nội vụ"},
}
_demo: dict[Path, Path] = {}


def demo_project(factory: pytest.TempPathFactory) -> Path:
    """The demo project with the ``reports`` setting: a copy of the session's demo project
    (``project_helpers.shared_demo``), made once per test session. Read it only."""
    base = factory.getbasetemp()
    if base not in _demo:
        from evaluator.models import open_project

        db = project_helpers.copy_project(project_helpers.shared_demo(factory),
                                          factory.mktemp("report-demo") / "demo.db")
        with open_project(db) as project:
            project.set_setting("reports", REPORT_SETTINGS)
        _demo[base] = db
    return _demo[base]


def copy_project(db: Path, target_dir: Path) -> Path:
    """A private copy of a (closed) project file and its evidence folder, in ``target_dir``."""
    target_dir.mkdir(parents=True, exist_ok=True)
    return project_helpers.copy_project(db, target_dir / db.name)


def make_crl(ca: Identity, revoked: list[x509.Certificate] | None = None) -> bytes:
    """A CRL of ``ca`` (DER), valid from an hour ago for a week, revoking ``revoked``."""
    now = datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(ca.cert.subject)
        .last_update(now - timedelta(hours=1))
        .next_update(now + timedelta(days=7))
        .add_extension(x509.CRLNumber(1), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()),
                       critical=False)
    )
    for cert in revoked or []:
        builder = builder.add_revoked_certificate(
            x509.RevokedCertificateBuilder().serial_number(cert.serial_number)
            .revocation_date(now - timedelta(minutes=30)).build()
        )
    return builder.sign(ca.key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def dummy_timestamper(ca: Identity) -> object:
    """pyHanko's in-process timestamp authority with a TSA certificate of ``ca`` (no network)."""
    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    tsa = make_tsa(ca)
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(tsa.cert.public_bytes(serialization.Encoding.DER)),
        tsa_key=asn1_keys.PrivateKeyInfo.load(tsa.key.private_bytes(
            serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())),
        certs_to_embed=[asn1_x509.Certificate.load(ca.cert.public_bytes(serialization.Encoding.DER))],
    )
