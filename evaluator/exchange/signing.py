"""Detached CMS (PKCS#7) signatures over a package manifest.

A ``Signer`` turns bytes into a DER ``ContentInfo``/``SignedData`` with the content left out (detached),
SHA-256, signed attributes and the signer's certificate chain. ``Pkcs12Signer`` reads a ``.p12``/``.pfx``
file; ``PyHankoSigner`` adapts pyHanko's PKCS#12 and PKCS#11 (USB token) signers to the same two
members (``subject`` and ``sign_detached``).

``check_signature`` verifies such a signature with asn1crypto + cryptography, and optionally checks the
signer against trusted certificates (PEM or DER files, one or several certificates each).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7, pkcs12

from evaluator.errors import SigningError as SigningError  # one type, re-exported where it was
from evaluator.messages import say


class Signer(Protocol):
    @property
    def subject(self) -> str: ...

    def sign_detached(self, data: bytes) -> bytes:
        """A DER-encoded detached CMS signature of ``data``."""
        ...


class Pkcs12Signer:
    """Signs with the key and certificate of a PKCS#12 file (``.p12`` / ``.pfx``)."""

    def __init__(self, path: Path | str, password: str | bytes | None = None):
        self.path = Path(path)
        try:
            blob = self.path.read_bytes()
        except OSError as exc:
            raise SigningError("package.cert_unreadable", path=self.path, error=exc.strerror or exc) from exc
        secret = password.encode("utf-8") if isinstance(password, str) else password
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(blob, secret or None)
        except ValueError as exc:
            raise SigningError("package.cert_open", name=self.path.name) from exc
        if key is None or cert is None:
            raise SigningError("package.cert_no_key", name=self.path.name)
        if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
            raise SigningError("package.cert_key_type", name=self.path.name)
        self._key = key
        self.certificate = cert
        self.chain = list(extra or [])

    @property
    def subject(self) -> str:
        return self.certificate.subject.rfc4514_string()

    def sign_detached(self, data: bytes) -> bytes:
        builder = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(data)
            .add_signer(self.certificate, self._key, hashes.SHA256())
        )
        for cert in self.chain:
            builder = builder.add_certificate(cert)
        options = [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary]
        return builder.sign(serialization.Encoding.DER, options)


# --- verification -------------------------------------------------------------------------------------
_DIGESTS = {
    "sha256": (hashlib.sha256, hashes.SHA256),
    "sha384": (hashlib.sha384, hashes.SHA384),
    "sha512": (hashlib.sha512, hashes.SHA512),
}


@dataclass
class SignatureCheck:
    valid: bool
    """The signature matches the signed bytes and the signer's certificate."""
    problem: str = ""
    subject: str = ""
    """The signer certificate's subject (RFC 4514)."""
    trusted: bool | None = None
    """True/False when trusted certificates were given, None when trust was not checked."""
    notes: list[str] = field(default_factory=list)


def load_trusted(paths: Sequence[Path | str]) -> list[x509.Certificate]:
    """Certificates from PEM (one or several) or DER files."""
    found: list[x509.Certificate] = []
    for p in paths:
        path = Path(p)
        try:
            blob = path.read_bytes()
        except OSError as exc:
            raise SigningError("package.trust_unreadable", path=path, error=exc.strerror or exc) from exc
        try:
            if b"-----BEGIN" in blob:
                found.extend(x509.load_pem_x509_certificates(blob))
            else:
                found.append(x509.load_der_x509_certificate(blob))
        except ValueError as exc:
            raise SigningError("package.trust_not_cert", name=path.name) from exc
    return found


def trusted_from_pem(texts: Sequence[str], source: str) -> list[x509.Certificate]:
    """Certificates from PEM texts (e.g. a project's ``exchange.trust`` setting); ``source`` names where
    they come from in the message when one cannot be read."""
    found: list[x509.Certificate] = []
    for i, text in enumerate(texts):
        try:
            if not isinstance(text, str):
                raise ValueError("not text")
            certs = x509.load_pem_x509_certificates(text.encode("utf-8"))
        except (ValueError, UnicodeEncodeError) as exc:
            raise SigningError("package.trust_not_pem", source=source, index=i, error=exc) from exc
        found.extend(certs)
    return found


def _verify_with(cert: x509.Certificate, signature: bytes, signed: bytes, hash_cls: Any) -> None:
    key = cert.public_key()
    if isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, signed, padding.PKCS1v15(), hash_cls())
    elif isinstance(key, ec.EllipticCurvePublicKey):
        key.verify(signature, signed, ec.ECDSA(hash_cls()))
    else:
        raise InvalidSignature("unsupported key type")


def _issued_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
        return True
    except (ValueError, TypeError, InvalidSignature):
        return False


def check_signature(
    data: bytes,
    signature_der: bytes,
    trusted: Sequence[x509.Certificate] | None = None,
    *,
    at: datetime | None = None,
) -> SignatureCheck:
    """Check a detached CMS signature of ``data``; never raises for a bad signature (see ``valid``)."""
    _load_attribute_names()
    from asn1crypto import cms

    try:
        info = cms.ContentInfo.load(signature_der, strict=True)
        if info["content_type"].native != "signed_data":
            return SignatureCheck(False, say("package.sig_not_cms"))
        sd = info["content"]
        signer_infos = sd["signer_infos"]
        if len(signer_infos) != 1:
            return SignatureCheck(False, say("package.sig_signers", count=len(signer_infos)))
        si = signer_infos[0]
        certs = [
            x509.load_der_x509_certificate(c.chosen.dump())
            for c in (sd["certificates"] or [])
            if c.name == "certificate"
        ]
        sid = si["sid"]
        signer_cert = None
        for cert in certs:
            if sid.name == "issuer_and_serial_number":
                if (
                    cert.serial_number == sid.chosen["serial_number"].native
                    and cert.issuer.public_bytes() == sid.chosen["issuer"].dump()
                ):
                    signer_cert = cert
                    break
            else:
                try:
                    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value.digest
                except x509.ExtensionNotFound:
                    continue
                if ski == sid.chosen.native:
                    signer_cert = cert
                    break
        if signer_cert is None:
            return SignatureCheck(False, say("package.sig_no_cert"))
        subject = signer_cert.subject.rfc4514_string()
        algo = si["digest_algorithm"]["algorithm"].native
        if algo not in _DIGESTS:
            return SignatureCheck(False, say("package.sig_digest_algorithm", algorithm=algo), subject)
        hash_fn, hash_cls = _DIGESTS[algo]
        digest = hash_fn(data).digest()
        attrs = si["signed_attrs"]
        if attrs.native is None or len(attrs) == 0:
            signed = data
        else:
            found = {a["type"].native: a["values"][0].native for a in attrs}
            if found.get("message_digest") != digest:
                return SignatureCheck(False, say("package.sig_digest"), subject)
            if found.get("content_type") not in (None, "data"):
                return SignatureCheck(False, say("package.sig_content_type"), subject)
            raw = attrs.dump()
            signed = b"\x31" + raw[1:]  # signed attributes are signed as a SET OF, not [0] IMPLICIT
        try:
            _verify_with(signer_cert, si["signature"].native, signed, hash_cls)
        except InvalidSignature:
            return SignatureCheck(False, say("package.sig_mismatch"), subject)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
        return SignatureCheck(False, say("package.sig_unreadable", error=exc))
    check = SignatureCheck(True, "", subject)
    moment = at or datetime.now(UTC)
    if not (signer_cert.not_valid_before_utc <= moment <= signer_cert.not_valid_after_utc):
        check.notes.append(say("package.sig_cert_expired", moment=f"{moment:%Y-%m-%d %H:%M}",
                               start=f"{signer_cert.not_valid_before_utc:%Y-%m-%d}",
                               end=f"{signer_cert.not_valid_after_utc:%Y-%m-%d}"))
    if trusted is not None:
        check.trusted = _chains_to(signer_cert, certs, list(trusted))
        if not check.trusted:
            check.notes.append(say("package.sig_untrusted_note"))
    return check


def _load_attribute_names() -> None:
    """asn1crypto builds its name → OID table of CMS attributes once, on first use; modules that add names
    later (asn1crypto.tsp, pyHanko's CAdES attributes) are then unknown to it and pyHanko cannot sign in
    this process any more. Load them all before the first lookup."""
    import contextlib

    from asn1crypto import tsp  # noqa: F401

    with contextlib.suppress(ImportError):
        import pyhanko.sign.ades.cades_asn1  # noqa: F401


def _chains_to(cert: x509.Certificate, pool: list[x509.Certificate], trusted: list[x509.Certificate]) -> bool:
    current = cert
    for _ in range(8):
        if any(current == t for t in trusted) or any(_issued_by(current, t) for t in trusted):
            return True
        parents = [c for c in pool if c != current and c.subject == current.issuer and _issued_by(current, c)]
        if not parents:
            return False
        current = parents[0]
    return False


class PyHankoSigner:
    """Adapts a pyHanko ``Signer`` (``evaluator.signing.keys.pkcs12_signer`` / ``pkcs11_signer``, i.e. a
    PKCS#11 token) to the ``Signer`` protocol: a detached CMS signature with SHA-256."""

    def __init__(self, signer: Any):
        self._signer = signer

    @property
    def subject(self) -> str:
        cert = self._signer.signing_cert
        return str(cert.subject.human_friendly) if cert is not None else ""

    def sign_detached(self, data: bytes) -> bytes:
        import asyncio

        signed = asyncio.run(self._signer.async_sign_general_data(data, "sha256", detached=True))
        return bytes(signed.dump())
