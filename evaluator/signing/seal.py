"""The second step of an electronic document (Decree 30/2020, appendix I): after the person with authority
signed, the clerk (văn thư) fills in the number and the date and applies the ORGANISATION's signature,
whose appearance is the seal's image over the left third of the signer's stamp.

Why the first signature stays valid: the document is rendered with the number and date as empty,
read-only text fields (``doc_number``, ``doc_date``) and an empty ``organisation`` signature field, so
every person's signature already covers them. The clerk's update only fills those fields (a value and an
opaque appearance) and signs the existing organisation field; the difference analysis
(``signing.changes.strict_policy``) accepts exactly that, once per field, and nothing else. The first
signature stays an approval signature: a certification (DocMDP) signature would also allow form filling,
but it must be the first signature in the file and would lock out the secretary's and chair's turns.

The seal image is outside input: a PNG only, at most ``MAX_BYTES``, between ``MIN_PIXELS`` and
``MAX_PIXELS`` on each side, decoded fully (so a truncated or bomb file is refused) and re-encoded before
it goes into the document.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from evaluator.signing.keys import SigningError
from evaluator.signing.stamp import VIETNAM

NUMBER_FIELD, DATE_FIELD, ORGANISATION_FIELD = "doc_number", "doc_date", "organisation"
MAX_BYTES = 2 * 1024 * 1024
MIN_PIXELS, MAX_PIXELS = 64, 4096
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
NUMBER_RE = re.compile(r"[0-9]{1,6}[A-Za-z]?")


@dataclass(frozen=True)
class SealImage:
    png: bytes
    width: int
    height: int


def load_seal_image(path: Path) -> SealImage:
    """The seal image at ``path``, checked (type, size, dimensions) and re-encoded as RGBA PNG."""
    from PIL import Image

    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise SigningError("signing.seal_too_big", path=path, size=size, limit=MAX_BYTES)
        with open(path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SigningError("signing.seal_unreadable", path=path, error=exc.strerror or exc) from exc
    if not raw.startswith(PNG_MAGIC):
        raise SigningError("signing.seal_not_png", path=path)
    try:
        with Image.open(io.BytesIO(raw)) as probe:
            width, height = probe.size  # from the header, before decoding anything
            if probe.format != "PNG":
                raise SigningError("signing.seal_not_png", path=path)
            if not (MIN_PIXELS <= width <= MAX_PIXELS and MIN_PIXELS <= height <= MAX_PIXELS):
                raise SigningError("signing.seal_dimensions", path=path, width=width, height=height,
                                   low=MIN_PIXELS, high=MAX_PIXELS)
            probe.load()  # decodes every row: a truncated or damaged file fails here
            image = probe.convert("RGBA")
    except SigningError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as exc:
        raise SigningError("signing.seal_damaged", path=path, error=exc) from exc
    alpha = image.getchannel("A").getextrema()
    if isinstance(alpha, tuple) and alpha[1] == 0:
        raise SigningError("signing.seal_invisible", path=path)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SealImage(out.getvalue(), width, height)


def clean_number(number: str) -> str:
    """The document's number as the clerk gives it: digits (and one letter, "15a"); below 10 with a leading
    zero (Decree 30: "Số: 05/…")."""
    text = number.strip()
    if not NUMBER_RE.fullmatch(text):
        raise SigningError("signing.bad_number", number=text[:40])
    digits = text.rstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    return f"{int(digits):02d}" + text[len(digits):]


def vn_date_line(place: str, on: date) -> str:
    from evaluator.reports.text import vn_date

    return vn_date(place, on) if place else vn_date("", on).lstrip(", ").capitalize()


@dataclass(frozen=True)
class FillIn:
    """What the clerk filled in: ``number`` as shown after "Số:" (None: left as rendered), ``date``."""

    number: str | None
    date: date | None


def seal_bytes(
    data: bytes,
    signer: Any,
    seal: SealImage,
    *,
    number: str | None = None,
    on: date | None = None,
    timestamp_url: str | None = None,
    reason: str = "",
    location: str = "",
) -> tuple[bytes, FillIn]:
    """Fill in the number (if given) and the date (default: today, Vietnam time) and sign the
    ``organisation`` field with the seal, all in one incremental update. The person with authority must
    have signed already (the seal certifies an issued document, not a draft)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfReadError

    from evaluator.reports.pdf import AUTHORITY_FIELDS, read_attachment
    from evaluator.signing.sign import sign_writer, signature_fields

    try:
        writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    except (PdfReadError, ValueError) as exc:
        raise SigningError("signing.not_a_pdf", error=exc) from exc
    fields = dict(signature_fields(writer))
    if ORGANISATION_FIELD not in fields:
        raise SigningError("signing.no_seal_field", field=ORGANISATION_FIELD)
    if fields[ORGANISATION_FIELD]:
        raise SigningError("signing.field_signed", field=ORGANISATION_FIELD)
    authority = [name for name in AUTHORITY_FIELDS if name in fields]
    if authority and not all(fields[name] for name in authority):
        raise SigningError("signing.seal_before_authority", field=", ".join(authority))
    spec = (read_attachment(writer) or {}).get("fill_in")
    spec = spec if isinstance(spec, dict) else {}
    texts = _text_fields(writer)
    filled_number = None
    if number is not None:
        if NUMBER_FIELD not in texts:
            raise SigningError("signing.no_fill_field", field=NUMBER_FIELD)
        symbol = _spec_text(spec, NUMBER_FIELD, "symbol")
        filled_number = clean_number(number) + (f"/{symbol}" if symbol else "")
        _fill(writer, texts[NUMBER_FIELD], filled_number, f"Số: {filled_number}", italic=False)
    on = on or datetime.now(VIETNAM).date()
    filled_date = None
    if DATE_FIELD in texts:
        place = _spec_text(spec, DATE_FIELD, "place")
        _fill(writer, texts[DATE_FIELD], on.isoformat(), vn_date_line(place, on), italic=True)
        filled_date = on
    from evaluator.signing.stamp import seal_style

    signed, _field = sign_writer(writer, signer, ORGANISATION_FIELD, timestamp_url=timestamp_url,
                                 reason=reason, location=location,
                                 style=lambda box: seal_style(seal, box))
    return signed, FillIn(filled_number, filled_date)


def _spec_text(spec: dict[str, Any], field: str, key: str) -> str:
    entry = spec.get(field)
    value = entry.get(key) if isinstance(entry, dict) else None
    return value[:200] if isinstance(value, str) else ""


def _text_fields(writer: Any) -> dict[str, Any]:
    """The document's top-level text fields by name (their references)."""
    try:
        refs = writer.root["/AcroForm"]["/Fields"]
    except (KeyError, TypeError):
        return {}
    out = {}
    for ref in refs:
        obj = ref.get_object()
        if obj.get("/FT") == "/Tx" and "/T" in obj:
            out[str(obj["/T"])] = ref
    return out


def _fill(writer: Any, ref: Any, value: str, shown: str, *, italic: bool) -> None:
    """Set a text field's value and an opaque appearance showing ``shown`` over the printed placeholder.
    A field filled already is refused: the number and date are filled once."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.generic import pdf_name, pdf_string

    field = ref.get_object()
    name = str(field.get("/T"))
    old = field.get("/V")
    if old is not None and str(old):
        raise SigningError("signing.field_filled", field=name, value=str(old)[:80])
    x1, y1, x2, y2 = (float(v) for v in field["/Rect"])
    appearance = _appearance(writer, shown, abs(x2 - x1), abs(y2 - y1), italic)
    field[pdf_name("/V")] = pdf_string(value)
    field[pdf_name("/AP")] = generic.DictionaryObject({pdf_name("/N"): appearance})
    writer.update_container(field)


def _appearance(writer: Any, text: str, width: float, height: float, italic: bool) -> Any:
    """A form XObject of ``width`` × ``height``: white, then ``text`` centred in the documents' font."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from evaluator.reports.layout import SERIF, SERIF_ITALIC, Size, register_fonts

    register_fonts()
    font = SERIF_ITALIC if italic else SERIF
    size = float(Size.PLACE_DATE if italic else Size.NUMBER)
    while size > 6 and stringWidth(text, font, size) > width - 2:
        size -= 0.5
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), invariant=1)
    c.setFillColor(colors.white)
    c.rect(0, 0, width, height, stroke=0, fill=1)
    c.setFillColor(colors.black)
    c.setFont(font, size)
    # the baseline where the rendered paragraph had it: the box is the paragraph's (leading 1.2) + 2 pt
    c.drawCentredString(width / 2, 2 + size * 0.2 + (height - 2 - size * 1.2) / 2 + 0.5, text)
    c.showPage()
    c.save()
    reader = PdfFileReader(io.BytesIO(buffer.getvalue()))
    return writer.import_page_as_xobject(reader, page_ix=0)
