"""Long-term validation (PAdES B-LT and B-LTA) after signing: the certificates and revocation information
of every signature in the document's DSS, then, when a timestamp server is given, a document timestamp
over it all (B-LTA), so the document can be checked after the certificates expire.

Offline is the default: revocation information comes from the files given (``--crl``, ``--ocsp``; a
Vietnamese CA publishes its CRLs, which an office can download once a day) and is fetched from the
certificates' CRL/OCSP addresses only when asked (``fetch``). Both go into one incremental update; the
document timestamp is a second one. Neither changes what the signatures cover (the difference analysis
counts them as validation data).
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evaluator.signing.keys import SigningError

MAX_REVOCATION_FILE = 32 * 1024 * 1024
"""A CRL of a national CA is a few megabytes; anything far bigger is not one."""


@dataclass
class LongTerm:
    """What the long-term step added: counts in the DSS, whether a document timestamp was added."""

    level: str
    """``B-B`` (no revocation information: offline, no files), ``B-LT``, ``B-LTA``, or ``B-T`` (a document
    timestamp but no revocation information)."""
    certs: int = 0
    crls: int = 0
    ocsps: int = 0
    notes: list[str] = field(default_factory=list)


def load_revocation(crl_files: list[Path], ocsp_files: list[Path]) -> tuple[list[Any], list[Any]]:
    """CRLs (DER or PEM) and OCSP responses (DER) from files, each checked to parse."""
    from asn1crypto import crl, ocsp, pem

    def read(path: Path, kind: str) -> bytes:
        try:
            if Path(path).stat().st_size > MAX_REVOCATION_FILE:
                raise SigningError("signing.ltv_unreadable", path=path, kind=kind, error="> 32 MB")
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SigningError("signing.ltv_unreadable", path=path, kind=kind,
                               error=exc.strerror or exc) from exc
        if pem.detect(data):
            try:
                _type, _headers, data = pem.unarmor(data)
            except ValueError as exc:
                raise SigningError("signing.ltv_unreadable", path=path, kind=kind, error=exc) from exc
        return data

    crls, ocsps = [], []
    for path in crl_files:
        try:
            item = crl.CertificateList.load(read(path, "CRL"))
            _ = item["tbs_cert_list"]["issuer"].native  # parse now: a damaged file fails here
        except SigningError:
            raise
        except Exception as exc:
            raise SigningError("signing.ltv_unreadable", path=path, kind="CRL", error=exc) from exc
        crls.append(item)
    for path in ocsp_files:
        try:
            item = ocsp.OCSPResponse.load(read(path, "OCSP"))
            _ = item["response_status"].native
            _ = item.basic_ocsp_response["tbs_response_data"].native
        except SigningError:
            raise
        except Exception as exc:
            raise SigningError("signing.ltv_unreadable", path=path, kind="OCSP", error=exc) from exc
        ocsps.append(item)
    return crls, ocsps


def _roots(sig: Any) -> list[Any]:
    """The self-signed certificates a signature carries: the anchors for collecting its chain's
    revocation information (trust itself is checked by ``verify --trust``, not here)."""
    certs = [sig.signer_cert, *sig.other_embedded_certs]
    return [c for c in certs if c.self_signed in ("maybe", "yes")]


def add_long_term(
    data: bytes,
    *,
    crls: list[Any] | None = None,
    ocsps: list[Any] | None = None,
    fetch: bool = False,
    timestamper: Any = None,
    extra_roots: list[Any] | None = None,
) -> tuple[bytes, LongTerm]:
    """``data`` (a signed PDF) with a DSS for every signature (B-LT) and, with ``timestamper``, a document
    timestamp (B-LTA). Without revocation information (no files, no fetching) nothing is added: the
    document stays B-B, and the result says so."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.dss import DocumentSecurityStore, collect_validation_info
    from pyhanko_certvalidator import ValidationContext

    crls, ocsps = list(crls or []), list(ocsps or [])
    if not (crls or ocsps or fetch or timestamper):
        return data, LongTerm("B-B")
    reader = PdfFileReader(io.BytesIO(data), strict=False)
    sigs = [s for s in reader.embedded_signatures if s.sig_object_type != "/DocTimeStamp"]
    roots = list(extra_roots or [])
    for sig in sigs:
        roots += [r for r in _roots(sig) if r not in roots]
    context = ValidationContext(trust_roots=roots, crls=crls, ocsps=ocsps, allow_fetching=fetch,
                                revocation_mode="soft-fail")
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    try:
        for sig in sigs:
            paths = asyncio.run(collect_validation_info(sig, context))
            DocumentSecurityStore.supply_dss_in_writer(writer, sig.pkcs7_content, paths=paths,
                                                       validation_context=context)
        out = io.BytesIO()
        writer.write(out)
    except Exception as exc:  # no chain to a root in the signature, a revocation source that failed …
        raise SigningError("signing.ltv_failed", error=exc) from exc
    result = out.getvalue()
    if timestamper is not None:
        result = _document_timestamp(result, timestamper, context)
    counts = _dss_counts(result)
    revocation = bool(counts.get("crls") or counts.get("ocsps"))
    # without revocation information the document is not long-term validatable: the level says it
    levels = {(True, True): "B-LTA", (True, False): "B-T", (False, True): "B-LT", (False, False): "B-B"}
    level = levels[(timestamper is not None, revocation)]
    return result, LongTerm(level, counts.get("certs", 0), counts.get("crls", 0), counts.get("ocsps", 0))


def _document_timestamp(data: bytes, timestamper: Any, context: Any) -> bytes:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.signers import PdfTimeStamper

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    out = io.BytesIO()
    try:
        PdfTimeStamper(timestamper).timestamp_pdf(writer, "sha256", validation_context=context, output=out)
    except Exception as exc:
        raise SigningError("signing.ltv_failed", error=exc) from exc
    return out.getvalue()


def _dss_counts(data: bytes) -> dict[str, int]:
    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(data), strict=False)
    if "/DSS" not in reader.root:
        return {}
    dss = reader.root["/DSS"]
    return {name: len(dss[key]) if key in dss else 0
            for key, name in (("/Certs", "certs"), ("/CRLs", "crls"), ("/OCSPs", "ocsps"))}


def http_timestamper(url: str) -> Any:
    from pyhanko.sign.timestamps import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=20)
