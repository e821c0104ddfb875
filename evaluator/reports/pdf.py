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
    from evaluator.reports.story import render_story, story_of

    raw, fields, pages = render_story(story_of(document))
    texts = [f for f in fields if f.kind == "text"]
    fields = [f for f in fields if f.kind == "signature"]
    payload = attachment(document)
    payload["signature_fields"] = [f.name for f in fields]
    payload["fill_in"] = fill_in_spec(document, texts)
    return prepare(raw, fields, payload, texts), fields, pages


ORGANISATION_FIELD = "organisation"
"""The organisation's signature (its seal), applied by the clerk after the person with authority signed."""
AUTHORITY_FIELDS = ("chair", "unit_head", "director")
"""The fields of the person with authority, over whose stamp the seal goes (its left third)."""
SEAL_SIZE = 34 * 72 / 25.4
"""The seal's box: 34 mm, about the size of an office's round seal (Decree 99/2016: 32–42 mm)."""


def fill_in_spec(document: UnitDocument | Publication, texts: list[FieldBox]) -> dict[str, Any]:
    """What the clerk's fill-in shows around the number and date: the number's symbol (after the "/") and
    the place, so ``signing.seal`` writes "Số: 15/BB-HĐTĐ" and "An Khánh, ngày 05 tháng 02 năm 2025"."""
    from evaluator.reports.layout import DATE_FIELD, NUMBER_FIELD

    meta = document.meta
    names = {t.name for t in texts}
    symbol = meta.number.split("/", 1)[1] if "/" in meta.number else ""
    spec: dict[str, Any] = {}
    if NUMBER_FIELD in names:
        spec[NUMBER_FIELD] = {"symbol": symbol, "printed": meta.number}
    if DATE_FIELD in names:
        spec[DATE_FIELD] = {"place": meta.place, "printed": meta.date.isoformat()}
    return spec


def seal_box(box: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    """A square of ``SEAL_SIZE`` centred on the left third of a signature box (Decree 30: the seal covers
    the left third of the signer's appearance)."""
    x1, y1, x2, y2 = box
    cx, cy = x1 + (x2 - x1) / 6, (y1 + y2) / 2
    half = SEAL_SIZE / 2
    return round(cx - half), round(cy - half), round(cx + half), round(cy + half)


def prepare(raw: bytes, fields: list[FieldBox], payload: dict[str, Any],
            texts: list[FieldBox] | None = None) -> Any:
    from pyhanko.pdf_utils import embed, generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign.fields import SigFieldSpec, append_signature_field

    writer = IncrementalPdfFileWriter(io.BytesIO(raw))
    for f in fields:
        append_signature_field(writer, SigFieldSpec(sig_field_name=f.name, on_page=f.page, box=f.box))
    authority = next((f for f in fields if f.name in AUTHORITY_FIELDS), None)
    if authority is not None and texts:
        # the organisation's field exists, empty, before anyone signs: sealing then fills an existing field
        append_signature_field(writer, SigFieldSpec(sig_field_name=ORGANISATION_FIELD, on_page=authority.page,
                                                    box=seal_box(authority.box)))
    for t in texts or []:
        _append_text_field(writer, t)
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


def _append_text_field(writer: Any, f: FieldBox) -> None:
    """An empty, read-only text field (merged with its widget) over the box of ``f``: no appearance, so
    the printed placeholder shows until the clerk fills it in."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string

    page_ref = writer.find_page_for_modification(f.page)[0]
    field = generic.DictionaryObject({
        pdf_name("/FT"): pdf_name("/Tx"),
        pdf_name("/T"): pdf_string(f.name),
        pdf_name("/Ff"): generic.NumberObject(1),  # read-only: a viewer does not let anyone type in it
        pdf_name("/DA"): pdf_string("/Helv 0 Tf 0 g"),
        pdf_name("/Type"): pdf_name("/Annot"),
        pdf_name("/Subtype"): pdf_name("/Widget"),
        pdf_name("/F"): generic.NumberObject(4),  # printed
        pdf_name("/Rect"): generic.ArrayObject(generic.FloatObject(v) for v in f.box),
        pdf_name("/P"): page_ref,
    })
    ref = writer.add_object(field)
    form = writer.root["/AcroForm"]
    form["/Fields"].append(ref)
    writer.update_container(form["/Fields"])
    writer.register_annotation(page_ref, ref)


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
