"""The private keys of a PKCS#11 token: which kind they are (RSA, or ECDSA on P-256/P-384/P-521; anything
else is refused with a message naming it), which certificate goes with a key that has no label or ID, and
the pyHanko signer with a signature mechanism the token offers.

Tokens differ: SoftHSM2 and many USB tokens offer only the raw ``CKM_ECDSA`` (the data hashed by the
caller), others only the hashed ``CKM_ECDSA_SHA256``; a few offer only the raw ``CKM_RSA_PKCS``."""

from __future__ import annotations

import hashlib
import os
from typing import Any

from evaluator.errors import SigningError

CURVES = {"1.2.840.10045.3.1.7": "P-256", "1.3.132.0.34": "P-384", "1.3.132.0.35": "P-521"}
"""The named curves evaluator signs with (the OIDs of CKA_EC_PARAMS / the certificate's parameters)."""
SUPPORTED = "RSA, ECDSA P-256, P-384, P-521"
_OTHER_CURVES = {"1.3.132.0.10": "secp256k1", "1.3.101.112": "Ed25519", "1.3.101.113": "Ed448",
                 "1.3.36.3.3.2.8.1.1.7": "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.11": "brainpoolP384r1"}


def attribute(obj: Any, attr: Any, default: Any = None) -> Any:
    """An attribute of a PKCS#11 object, ``default`` when the token does not have it."""
    try:
        value = obj[attr]
    except Exception:  # AttributeTypeInvalid, AttributeSensitive …: a token's own choice
        return default
    return default if value is None else value


def key_name(key: Any) -> str:
    """How a message names a key: its label, else its ID in hexadecimal, else "(no label)"."""
    from pkcs11 import Attribute

    label = attribute(key, Attribute.LABEL, "")
    if label:
        return repr(str(label))
    key_id = attribute(key, Attribute.ID, b"")
    return f"ID {bytes(key_id).hex()}" if key_id else "(—)"


def curve_oid(params: bytes | None) -> str | None:
    """The named curve's OID of a DER ``ECParameters`` (or ``edwards25519``-style printable name)."""
    from asn1crypto import core, keys

    if not params:
        return None
    try:
        chosen = keys.ECDomainParameters.load(bytes(params))
        if chosen.name == "named":
            return str(chosen.chosen.dotted)
    except Exception:  # not an ECParameters choice: EdDSA tokens store a PrintableString
        try:
            return str(core.PrintableString.load(bytes(params)).native)
        except Exception:
            return None
    return None


def key_kind(key: Any) -> tuple[str, str | None]:
    """(what the key is, for people, e.g. "EC P-384" or "DSA"; the curve's OID when it is a supported EC
    key, "rsa" for RSA, None for a key evaluator does not sign with)."""
    from pkcs11 import Attribute, KeyType

    kind = attribute(key, Attribute.KEY_TYPE)
    if kind == KeyType.RSA:
        modulus = attribute(key, Attribute.MODULUS)
        return (f"RSA {len(bytes(modulus)) * 8}" if modulus else "RSA"), "rsa"
    if kind == KeyType.EC:
        oid = curve_oid(attribute(key, Attribute.EC_PARAMS))
        if oid in CURVES:
            return f"EC {CURVES[oid]}", oid
        return f"EC {_OTHER_CURVES.get(oid or '', oid or '?')}", None
    if kind == KeyType.EC_EDWARDS:
        oid = curve_oid(attribute(key, Attribute.EC_PARAMS))
        return {"1.3.101.113": "Ed448", "edwards448": "Ed448"}.get(oid or "", "Ed25519 (EdDSA)"), None
    names = {KeyType.DSA: "DSA", KeyType.DH: "DH", KeyType.X9_42_DH: "DH", KeyType.GOSTR3410: "GOST R 34.10"}
    name = names.get(kind) or getattr(kind, "name", None) or str(kind)
    return str(name), None


def check_supported(key: Any, token: str) -> str:
    """The key's kind tag (``key_kind``); a ``SigningError`` naming the key when evaluator cannot use it."""
    described, tag = key_kind(key)
    if tag is None:
        raise SigningError("signing.key_unsupported", key=key_name(key), token=token, kind=described,
                           supported=SUPPORTED)
    return tag


def cert_kind(cert: Any) -> tuple[str, str | None]:
    """As ``key_kind`` for an asn1crypto certificate's public key."""
    info = cert.public_key
    algorithm = info.algorithm
    if algorithm == "rsa":
        return f"RSA {info.bit_size}", "rsa"
    if algorithm == "ec":
        params = info["algorithm"]["parameters"]
        oid = str(params.chosen.dotted) if params.name == "named" else None
        if oid in CURVES:
            return f"EC {CURVES[oid]}", oid
        return f"EC {_OTHER_CURVES.get(oid or '', oid or '?')}", None
    return {"ed25519": "Ed25519 (EdDSA)", "ed448": "Ed448", "dsa": "DSA"}.get(algorithm, str(algorithm)), None


def use_raw_mechanism(session: Any, tag: str, token: str, key: Any) -> bool:
    """Whether to sign with the raw mechanism (``CKM_ECDSA`` / ``CKM_RSA_PKCS`` on a digest made here)
    because the token does not offer the hashed one (``CKM_ECDSA_SHA256`` / ``CKM_SHA256_RSA_PKCS``)."""
    from pkcs11 import Mechanism

    ec = tag != "rsa"
    hashed, raw = ((Mechanism.ECDSA_SHA256, Mechanism.ECDSA) if ec
                   else (Mechanism.SHA256_RSA_PKCS, Mechanism.RSA_PKCS))
    try:
        mechanisms = set(session.token.slot.get_mechanisms())
    except Exception:  # a token that does not list them: every EC token has the raw one
        return ec
    if hashed in mechanisms:
        return False
    if raw in mechanisms:
        return True
    raise SigningError("signing.token_no_mechanism", token=token, key=key_name(key),
                       mechanism="ECDSA" if ec else "RSA PKCS#1 v1.5")


def token_signer(session: Any, key: Any, tag: str, token: str, *, key_id: bytes | None = None,
                 cert: Any = None) -> Any:
    """A pyHanko ``PKCS11Signer`` for ``key``: by ``key_id`` (the key and its certificate share the ID), or
    with the key handle and certificate ``cert`` found by matching."""
    from pyhanko.sign.pkcs11 import PKCS11Signer

    raw = use_raw_mechanism(session, tag, token, key)
    if cert is None:
        return PKCS11Signer(session, key_id=key_id, cert_id=key_id, use_raw_mechanism=raw)

    class MatchedKeySigner(PKCS11Signer):
        """``PKCS11Signer`` with the key handle found by matching (pyHanko looks keys up by label/ID)."""

        def _pull_signing_key_handle(self) -> Any:
            return key

    return MatchedKeySigner(session, signing_cert=cert, other_certs_to_pull=None, use_raw_mechanism=raw)


def matched_pair(session: Any, keys: list[Any], token: str) -> tuple[Any, Any, str]:
    """(private key, certificate, kind tag) of the one pair on the token whose public keys are equal: RSA by
    modulus and exponent; EC by the curve, then by a test signature that the certificate's EC point verifies
    (a private key object carries no EC point). An error naming what was found when there is not one pair,
    or naming the key kind when the only certificates are of a kind evaluator does not sign with."""
    from asn1crypto import x509
    from pkcs11 import Attribute, ObjectClass

    certs, unsupported = [], []
    for obj in session.get_objects({Attribute.CLASS: ObjectClass.CERTIFICATE}):
        try:
            cert = x509.Certificate.load(bytes(obj[Attribute.VALUE]))
            described, tag = cert_kind(cert)
        except Exception:  # a damaged certificate on the token: not a candidate
            continue
        if tag is None:
            unsupported.append((cert, described))
        else:
            certs.append((cert, tag))
    pairs = []
    for key in keys:
        described, tag = key_kind(key)
        if tag is None:
            continue
        for cert, cert_tag in certs:
            if cert_tag == tag and _same_public_key(session, key, tag, cert, token):
                pairs.append((key, cert, tag))
    if not pairs and unsupported and not certs:
        cert, described = unsupported[0]
        subject = cert.subject.native.get("common_name") or cert.subject.human_friendly
        raise SigningError("signing.key_unsupported", key=repr(str(subject)), token=token,
                           kind=described, supported=SUPPORTED)
    if len(pairs) != 1:
        raise SigningError("signing.token_no_match", token=token, keys=len(keys), certs=len(certs),
                           pairs=len(pairs))
    return pairs[0]


def _same_public_key(session: Any, key: Any, tag: str, cert: Any, token: str) -> bool:
    from pkcs11 import Attribute

    if tag == "rsa":
        modulus, exponent = attribute(key, Attribute.MODULUS), attribute(key, Attribute.PUBLIC_EXPONENT)
        if not modulus or not exponent:
            return False
        numbers = cert.public_key["public_key"].parsed
        return (int.from_bytes(bytes(modulus), "big") == int(numbers["modulus"].native)
                and int.from_bytes(bytes(exponent), "big") == int(numbers["public_exponent"].native))
    point = attribute(key, Attribute.EC_POINT)  # some tokens keep it on the private key too
    if point:
        return _unwrap_point(bytes(point)) == bytes(cert.public_key["public_key"])
    return _verifies(session, key, tag, cert, token)


def _unwrap_point(point: bytes) -> bytes:
    """CKA_EC_POINT is a DER OCTET STRING around the point (some tokens store the bare point)."""
    from asn1crypto import core

    try:
        return bytes(core.OctetString.load(point).native)
    except Exception:
        return point


def _verifies(session: Any, key: Any, tag: str, cert: Any, token: str) -> bool:
    """Whether a signature by ``key`` of random data verifies with ``cert``'s EC public key."""
    import pkcs11
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, utils
    from pkcs11 import Mechanism
    from pkcs11.util.ec import encode_ecdsa_signature

    data = os.urandom(32)
    try:
        if use_raw_mechanism(session, tag, token, key):
            data = hashlib.sha256(data).digest()
            signature = key.sign(data, mechanism=Mechanism.ECDSA)
            algorithm = ec.ECDSA(utils.Prehashed(hashes.SHA256()))
        else:
            signature = key.sign(data, mechanism=Mechanism.ECDSA_SHA256)
            algorithm = ec.ECDSA(hashes.SHA256())
    except pkcs11.exceptions.PKCS11Error:  # the token refused this key for signing: not the one
        return False
    public = serialization.load_der_public_key(cert.public_key.dump())
    if not isinstance(public, ec.EllipticCurvePublicKey):
        return False
    try:
        public.verify(encode_ecdsa_signature(signature), data, algorithm)
    except InvalidSignature:
        return False
    return True
