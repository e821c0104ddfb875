"""Digital signatures on the documents (pyHanko, PAdES): keys from PKCS#12 files or PKCS#11 tokens,
signing in turn into the documents' signature fields, and verification.

Offline by default: no timestamp server, no revocation fetching, unless a timestamp URL is given.
"""

from evaluator.signing.keys import SecretSource, SigningError, check_validity, pkcs11_signer, pkcs12_signer
from evaluator.signing.sign import sign_bytes, signature_fields, write_atomically
from evaluator.signing.verify import VerifyReport, verify_file

__all__ = [
    "SecretSource",
    "SigningError",
    "VerifyReport",
    "check_validity",
    "pkcs11_signer",
    "pkcs12_signer",
    "sign_bytes",
    "signature_fields",
    "verify_file",
    "write_atomically",
]
