"""Exchanging work between laptops: the ``.cchc`` team package (format, signing, verification).

The database side (export from a project, committee import and merge, conflicts) lives in
``evaluator.services.exchange`` and ``evaluator.services.conflicts``.
"""

from evaluator.exchange.package import FORMAT, FORMAT_VERSION, SUFFIX, Package, PackageError, open_package
from evaluator.exchange.signing import Pkcs12Signer, SignatureCheck, Signer, SigningError, check_signature
from evaluator.exchange.verify import PackageVerification, verify_package

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "SUFFIX",
    "Package",
    "PackageError",
    "PackageVerification",
    "Pkcs12Signer",
    "SignatureCheck",
    "Signer",
    "SigningError",
    "check_signature",
    "open_package",
    "verify_package",
]
