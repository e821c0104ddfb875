"""Finished PDF bytes: the reportlab rendering plus, in one incremental update, the empty signature fields
of the signature blocks and the JSON attachment with the data the document shows."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from evaluator import __version__
from evaluator.reports.document_data import REPORT_FORMAT, REPORT_FORMAT_VERSION, Publication, UnitDocument
from evaluator.reports.layout import FieldBox

ATTACHMENT_NAME = "evaluator-report.json"
ATTACHMENT_DESCRIPTION = "Dữ liệu của báo cáo (evaluator) — data shown in this document"


@dataclass
class RenderedPdf:
    data: bytes
    fields: list[FieldBox] = field(default_factory=list)
    """The empty signature fields, in signing order."""
    pages: int = 0


def attachment(document: UnitDocument | Publication) -> dict[str, Any]:
    meta = document.meta
    return {
        "format": REPORT_FORMAT,
        "format_version": REPORT_FORMAT_VERSION,
        "generator": f"evaluator {__version__}",
        "generated_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "number": meta.number,
        "date": meta.date.isoformat(),
        "signature_fields": [],
        "data": document.data(),
        # beside the data, not in it: the log goes on after the document; verify --db checks it extends these
        "audit_heads": {chain: [seq, h] for chain, (seq, h) in sorted(meta.audit_heads.items())},
    }


def render(document: UnitDocument | Publication) -> RenderedPdf:
    """The document as finished, unsigned PDF bytes."""
    writer, fields, pages = render_writer(document)
    out = io.BytesIO()
    writer.write(out)
    return RenderedPdf(out.getvalue(), fields, pages)


def render_writer(document: UnitDocument | Publication) -> tuple[Any, list[FieldBox], int]:
    """The rendered document with its signature fields and attachment as a pending pyHanko update (an
    ``IncrementalPdfFileWriter``): written as is, or signed at once (``evaluator.signing.sign_writer``) so
    the fields, the attachment and the first signature share one update and the file is parsed once."""
    from evaluator.reports.publication import render_publication
    from evaluator.reports.unit_reports import render_unit_document

    if isinstance(document, Publication):
        raw, fields, pages = render_publication(document)
    else:
        raw, fields, pages = render_unit_document(document)
    payload = attachment(document)
    payload["signature_fields"] = [f.name for f in fields]
    return prepare(raw, fields, payload), fields, pages


def prepare(raw: bytes, fields: list[FieldBox], payload: dict[str, Any]) -> Any:
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(raw))
    for f in fields:
        append_signature_field(writer, SigFieldSpec(sig_field_name=f.name, on_page=f.page, box=f.box))
    body = json.dumps(payload, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    spec = embed.FileSpec(
        file_spec_string=ATTACHMENT_NAME,
        file_name=ATTACHMENT_NAME,
        embedded_data=embed.EmbeddedFileObject.from_file_data(
            writer,
            data=body,
            mime_type="application/json",
            params=embed.EmbeddedFileParams(embed_size=True, embed_checksum=True),
        ),
        description=ATTACHMENT_DESCRIPTION,
        af_relationship=generic.NameObject("/Data"),
    )
    embed.embed_file(writer, spec)
    return writer


def read_attachment(reader: Any) -> dict[str, Any] | None:
    """The evaluator JSON embedded in a PDF (a pyHanko ``PdfFileReader``), or None if there is none."""
    from pyhanko.pdf_utils import generic

    try:
        names = reader.root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) != ATTACHMENT_NAME:
            continue
        spec = names[i + 1].get_object()
        stream = spec["/EF"]["/F"].get_object()
        if not isinstance(stream, generic.StreamObject):
            return None
        try:
            value = json.loads(stream.data.decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return None
        return value if isinstance(value, dict) else None
    return None
