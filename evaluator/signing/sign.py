"""PAdES signatures into the empty signature fields of a document, each in its own incremental update so
that earlier signatures stay valid (secretary, then chair, then the unit's representative)."""

from __future__ import annotations

import contextlib
import glob
import io
import os
import tempfile
from pathlib import Path
from typing import Any

from evaluator.messages import Message
from evaluator.signing.keys import SigningError
from evaluator.signing.stamp import stamp_style

ORGANISATION_FIELD = "organisation"
"""The organisation's signature field (``reports.pdf`` creates it; ``seal`` signs it)."""


def reserved_bytes(signer: Any, timestamped: bool) -> int:
    """Room for the CMS signature: the certificates it embeds, a signature of up to 8192 bits and the
    signed attributes, with a margin (a timestamp token adds its own certificates). Computed so that pyHanko
    does not make a trial signature to measure it, which would double the signing cost."""
    certs = [signer.signing_cert, *(getattr(signer, "cert_registry", None) or [])]
    size = sum(len(c.dump()) for c in certs if c is not None) + 1024 + 3072
    if timestamped:
        size += 12_288
    return (size // 1024 + 1) * 1024


def signature_fields(reader: Any) -> list[tuple[str, bool]]:
    """(name, signed) of every signature field of a document, in document order."""
    from pyhanko.sign.fields import enumerate_sig_fields

    return [(str(name), value is not None) for name, value, _ref in enumerate_sig_fields(reader)]


def sign_bytes(
    data: bytes,
    signer: Any,
    field: str | None = None,
    *,
    timestamp_url: str | None = None,
    reason: str = "",
    location: str = "",
) -> tuple[bytes, str]:
    """Sign ``data`` (a PDF) in ``field`` (default: the first empty signature field); return the new bytes
    and the field used. Raises ``SigningError`` with a message for people."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise SigningError("signing.not_a_pdf", error=exc) from exc
    return sign_writer(writer, signer, field, timestamp_url=timestamp_url, reason=reason, location=location)


def sign_writer(
    writer: Any,
    signer: Any,
    field: str | None = None,
    *,
    timestamp_url: str | None = None,
    reason: str = "",
    location: str = "",
    style: Any = None,
) -> tuple[bytes, str]:
    """Sign the document held by a pyHanko ``IncrementalPdfFileWriter`` (with any pending changes, which
    go into the same update as the signature); as ``sign_bytes``. ``style``: a function of the field's
    (width, height) giving the pyHanko stamp style (default: the signer's stamp)."""
    from pyhanko.sign import signers
    from pyhanko.sign.fields import SigSeedSubFilter

    fields = signature_fields(writer)
    # the organisation's field is the clerk's (``seal``): never taken by default
    empty = [name for name, signed in fields if not signed and name != ORGANISATION_FIELD]
    if field is None:
        if not empty:
            listed = ", ".join(n for n, _ in fields)
            signed = Message("signing.signed_fields", {"fields": listed}) if fields else ""
            raise SigningError("signing.no_empty_field", signed=signed)
        field = empty[0]
    elif field not in {n for n, _ in fields}:
        raise SigningError("signing.no_field", field=field,
                           fields=", ".join(n for n, _ in fields) or Message("common.none"))
    elif (field not in empty and field != ORGANISATION_FIELD) or dict(fields)[field]:
        raise SigningError("signing.field_signed", field=field)
    timestamper = None
    if timestamp_url:
        from pyhanko.sign.timestamps import HTTPTimeStamper

        timestamper = HTTPTimeStamper(timestamp_url, timeout=20)
    cert = signer.signing_cert
    meta = signers.PdfSignatureMetadata(
        field_name=field,
        subfilter=SigSeedSubFilter.PADES,
        reason=reason or None,
        location=location or None,
        md_algorithm="sha256",
    )
    box = _field_size(writer, field)
    stamp = style(box) if style else stamp_style(_common_name(cert.subject), _common_name(cert.issuer), box)
    pdf_signer = signers.PdfSigner(meta, signer=signer, timestamper=timestamper, stamp_style=stamp)
    out = io.BytesIO()
    try:
        pdf_signer.sign_pdf(
            writer,
            output=out,
            bytes_reserved=reserved_bytes(signer, timestamper is not None),
        )
    except SigningError:
        raise
    except Exception as exc:
        raise SigningError("signing.failed", error=exc) from exc
    return out.getvalue(), field


def _common_name(name: Any) -> str:
    """The common name of an asn1crypto ``Name`` (else the whole name)."""
    try:
        return str(name.native.get("common_name") or name.human_friendly)
    except (AttributeError, ValueError):
        return "?"


def _field_size(reader: Any, field: str) -> tuple[float, float]:
    """Width and height of the (first) widget of signature field ``field``."""
    from pyhanko.sign.fields import enumerate_sig_fields

    for name, _value, ref in enumerate_sig_fields(reader, with_name=field):
        if str(name) != field:
            continue
        obj = ref.get_object()
        rect = obj.get("/Rect")
        if rect is None and "/Kids" in obj:
            rect = obj["/Kids"][0].get_object().get("/Rect")
        if rect is not None:
            x1, y1, x2, y2 = (float(v) for v in rect)
            return abs(x2 - x1), abs(y2 - y1)
    return 160.0, 60.0


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder (no half-written file)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or Path("."))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    # what a program killed while writing this very file left beside it: the file is whole now
    for stale in (path.parent or Path(".")).glob(f".{glob.escape(path.name)}.*.tmp"):
        with contextlib.suppress(OSError):
            stale.unlink()
