"""Where signing keys come from: a PKCS#12 file or a PKCS#11 token (the USB tokens of VNPT-CA, Viettel-CA,
BKAV-CA …). Passwords and PINs are never command-line arguments: they come from a prompt, an
environment variable or stdin (see ``read_secret``)."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from evaluator.errors import SigningError as SigningError  # one type, re-exported where it was
from evaluator.messages import Message
from evaluator.signing import token_keys


@dataclass(frozen=True)
class SecretSource:
    """How to get a password or PIN: ``env`` names a variable; ``stdin`` reads one line; else prompt."""

    env: str | None = None
    stdin: bool = False


def read_secret(source: SecretSource, prompt: str, stream: TextIO | None = None) -> str:
    if source.env:
        value = os.environ.get(source.env)
        if value is None:
            raise SigningError("signing.env_not_set", name=source.env)
        return value
    if source.stdin:
        line = (stream or sys.stdin).readline()
        if not line:
            raise SigningError("signing.no_stdin_password")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise SigningError("signing.no_terminal")
    return getpass.getpass(prompt)


def check_validity(cert: Any, now: datetime | None = None) -> None:
    """Refuse an expired or not-yet-valid certificate (an asn1crypto ``x509.Certificate``)."""
    now = now or datetime.now(UTC)
    subject = cert.subject.human_friendly
    start, end = cert.not_valid_before, cert.not_valid_after
    if now < start:
        raise SigningError("signing.cert_not_yet_valid", subject=subject, start=f"{start:%Y-%m-%d %H:%M}",
                           end=f"{end:%Y-%m-%d %H:%M}")
    if now > end:
        raise SigningError("signing.cert_expired", subject=subject, end=f"{end:%Y-%m-%d %H:%M}")


def pkcs12_signer(path: Path, password: str) -> Any:
    """A pyHanko signer from a PKCS#12 (.p12/.pfx) file (the key stays loaded: signing many documents
    does not parse it again)."""
    from cryptography.hazmat.primitives.serialization import pkcs12

    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise SigningError("signing.cert_unreadable", path=path, error=exc.strerror or exc) from exc
    try:
        key, cert, others = pkcs12.load_key_and_certificates(data, password.encode("utf-8") or None)
    except ValueError as exc:
        raise SigningError("signing.cert_open", path=path) from exc
    if key is None or cert is None:
        raise SigningError("signing.cert_no_key", path=path)
    signer = _loaded_signer(key, cert, others)
    check_validity(signer.signing_cert)
    return signer


def _loaded_signer(key: Any, cert: Any, others: list[Any]) -> Any:
    from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
    from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
    from pyhanko.keys.internal import (
        translate_pyca_cryptography_cert_to_asn1,
        translate_pyca_cryptography_key_to_asn1,
    )
    from pyhanko.sign.general import get_pyca_cryptography_hash
    from pyhanko.sign.signers import SimpleSigner
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    class LoadedKeySigner(SimpleSigner):
        """pyHanko's ``SimpleSigner`` re-parses (and re-checks) the private key for every signature, which
        costs more than rendering a document; this one keeps the parsed RSA key."""

        def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
            mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
            if isinstance(key, RSAPrivateKey) and mechanism.signature_algo == "rsassa_pkcs1v15":
                return key.sign(data, PKCS1v15(), get_pyca_cryptography_hash(digest_algorithm))
            return super().sign_raw(data, digest_algorithm)

    store = SimpleCertificateStore()
    store.register_multiple({translate_pyca_cryptography_cert_to_asn1(c) for c in others})
    return LoadedKeySigner(
        signing_cert=translate_pyca_cryptography_cert_to_asn1(cert),
        signing_key=translate_pyca_cryptography_key_to_asn1(key),
        cert_registry=store,
    )


@contextmanager
def pkcs11_signer(lib: str, token_label: str, key_label: str | None, pin: str) -> Iterator[Any]:
    """A pyHanko ``PKCS11Signer`` on the token ``token_label`` (the session stays open in the block).

    Without ``key_label`` the token's only private key is used (an error if it has several)."""
    import pkcs11
    from pkcs11 import Attribute, ObjectClass
    from pyhanko.config.pkcs11 import TokenCriteria
    from pyhanko.sign.pkcs11 import open_pkcs11_session

    if not Path(lib).is_file():
        raise SigningError("signing.no_library", lib=lib)
    try:
        session = open_pkcs11_session(lib, token_criteria=TokenCriteria(label=token_label), user_pin=pin)
    except pkcs11.exceptions.PinIncorrect as exc:
        raise SigningError("signing.wrong_pin", token=token_label) from exc
    except pkcs11.exceptions.PinLocked as exc:
        raise SigningError("signing.token_locked", token=token_label) from exc
    except pkcs11.exceptions.PKCS11Error as exc:
        raise SigningError("signing.token_open", token=token_label, lib=lib,
                           error=type(exc).__name__) from exc
    except Exception as exc:  # pyHanko raises a plain PKCS11Error-like error when no token matches
        raise SigningError("signing.token_open", token=token_label, lib=lib, error=exc) from exc
    try:
        keys = list(session.get_objects({Attribute.CLASS: ObjectClass.PRIVATE_KEY}))
        labels = [_attribute(k, Attribute.LABEL, "") for k in keys]
        if key_label is None and not _linked_by_id(session, keys):
            # a token whose keys carry no ID (or no certificate of that ID): the key whose public key is
            # the certificate's (a Viettel-CA token, reported against pyHanko as "key not found")
            key, cert, tag = token_keys.matched_pair(session, keys, token_label)
            signer = token_keys.token_signer(session, key, tag, token_label, cert=cert)
            check_validity(signer.signing_cert)
            yield signer
            return
        if key_label is None:
            if len(keys) != 1:
                raise SigningError("signing.token_keys", token=token_label, count=len(keys),
                                   labels=", ".join(labels) or "—")
            key = keys[0]
        elif key_label not in labels:
            raise SigningError("signing.no_key_label", key=key_label, token=token_label,
                               keys=", ".join(labels) or Message("common.none"))
        else:
            key = next(k for k in keys if str(k[Attribute.LABEL]) == key_label)
        tag = token_keys.check_supported(key, token_label)
        key_id = bytes(_attribute(key, Attribute.ID, b""))
        if not key_id:  # a labelled key without ID: its certificate by matching
            key, cert, tag = token_keys.matched_pair(session, [key], token_label)
            signer = token_keys.token_signer(session, key, tag, token_label, cert=cert)
            check_validity(signer.signing_cert)
            yield signer
            return
        certs = list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.ID: key_id}))
        if not certs:
            raise SigningError("signing.token_no_cert", token=token_label, key=key_label or labels[0])
        signer = token_keys.token_signer(session, key, tag, token_label, key_id=key_id)
        try:
            cert = signer.signing_cert
        except Exception as exc:
            raise SigningError("signing.token_cert_unreadable", token=token_label, error=exc) from exc
        check_validity(cert)
        yield signer
    finally:
        session.close()


_attribute = token_keys.attribute


def _linked_by_id(session: Any, keys: list[Any]) -> bool:
    """Whether the token's only key has an ID and a certificate of that ID (the usual layout)."""
    from pkcs11 import Attribute, ObjectClass

    if len(keys) != 1:
        # several keys: by label, else by matching when none has an ID (else the "choose a key" error)
        return any(_attribute(k, Attribute.ID, b"") for k in keys)
    key_id = _attribute(keys[0], Attribute.ID, b"")
    if not key_id:
        return False
    return bool(list(session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.ID: key_id})))
