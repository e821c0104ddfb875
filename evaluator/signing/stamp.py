"""The visible signature: a small PDF drawn with the documents' font (so Vietnamese names keep their
diacritics), placed by pyHanko in the signature field's box.

pyHanko's own text stamps use a base-14 font without Vietnamese glyphs. The stamp shows the signer, the
certificate's issuer and the signing time to the minute (Vietnam time, UTC+7); the exact time is in the
signature itself. Stamps are cached per signer, box and minute, so a batch reuses them.
"""

from __future__ import annotations

import binascii
import functools
import io
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

VIETNAM = timezone(timedelta(hours=7))


@functools.lru_cache(maxsize=64)
def stamp_pdf(name: str, issuer: str, when: str, width: int, height: int) -> bytes:
    """A one-page PDF of ``width`` × ``height`` points holding the stamp text."""
    from reportlab.lib import colors
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    from evaluator.reports.layout import COND, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), initialFontName=COND, invariant=1)
    red = colors.Color(0.75, 0.1, 0.1)
    c.setStrokeColor(red)
    c.setLineWidth(0.8)
    c.roundRect(1, 1, width - 2, height - 2, 4)
    # One font only (each embedded subset makes every signature bigger and slower); the name is set
    # bold by stroking the glyph outlines as well as filling them.
    lines = [
        ("Đã ký số bởi:", 7.5, False),
        (name, 10, True),
        (f"Chứng thư số: {issuer}", 7, False),
        (f"Thời gian: {when}", 7.5, False),
    ]
    step = (height - 8) / len(lines)
    y = height - 4 - step * 0.75
    c.setFillColor(red)
    c.setLineWidth(0.35)
    for text, size, bold in lines:
        while size > 4 and stringWidth(text, COND, size) > width - 10:
            size -= 0.5
        c.saveState()  # the text render mode outlives the text object
        t = c.beginText()
        t.setFont(COND, size)
        t.setTextRenderMode(2 if bold else 0)
        t.setTextOrigin((width - stringWidth(text, COND, size)) / 2, y)
        t.textOut(text)
        c.drawText(t)
        c.restoreState()
        y -= step
    c.showPage()
    c.save()
    return buffer.getvalue()


@functools.lru_cache(maxsize=8)
def _reader(data: bytes) -> Any:
    """The parsed stamp (read-only; parsed once per stamp, not once per signature)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return PdfFileReader(io.BytesIO(data))


def stamp_style(signer_name: str, issuer: str, box: tuple[float, float], now: datetime | None = None) -> Any:
    """A pyHanko stamp style drawing our stamp for a field box of (width, height) points."""
    when = (now or datetime.now(VIETNAM)).astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M (UTC+7)")
    width, height = max(20, round(box[0])), max(20, round(box[1]))
    return pdf_page_style(stamp_pdf(signer_name, issuer, when, width, height))


@functools.lru_cache(maxsize=8)
def seal_pdf(png: bytes, width: int, height: int) -> bytes:
    """A one-page PDF of ``width`` × ``height`` points with the seal image (its transparency kept: the
    signer's stamp shows through) fitted and centred; nothing else (the organisation's name and the
    signing time are in the signature)."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    image = ImageReader(io.BytesIO(png))
    iw, ih = image.getSize()
    scale = min(width / iw, height / ih)
    w, h = iw * scale, ih * scale
    buffer = io.BytesIO()
    c = Canvas(buffer, pagesize=(width, height), invariant=1)
    c.drawImage(image, (width - w) / 2, (height - h) / 2, w, h, mask="auto")
    c.showPage()
    c.save()
    return buffer.getvalue()


def seal_style(seal: Any, box: tuple[float, float] = (96.0, 96.0)) -> Any:
    """A pyHanko stamp style drawing the organisation's seal (a ``seal.SealImage``) in a field box."""
    return pdf_page_style(seal_pdf(seal.png, max(20, round(box[0])), max(20, round(box[1]))))


def pdf_page_style(data: bytes) -> Any:
    """A pyHanko stamp style whose appearance is the first page of the PDF ``data``."""
    from pyhanko.pdf_utils.content import ImportedPdfPage
    from pyhanko.pdf_utils.layout import BoxConstraints
    from pyhanko.stamp import StaticStampStyle

    class PdfBytesPage(ImportedPdfPage):
        """``ImportedPdfPage`` that reads from memory instead of a file."""

        def render(self) -> bytes:
            writer = self._ensure_writer
            xobj = writer.import_page_as_xobject(_reader(data), page_ix=0)
            name = b"/Import" + binascii.hexlify(uuid.uuid4().bytes)
            self.resources.xobject[name.decode("ascii")] = xobj
            x1, y1, x2, y2 = xobj.get_object()["/BBox"]
            self.box = BoxConstraints(width=abs(x1 - x2), height=abs(y1 - y2))
            return name + b" Do"

    return StaticStampStyle(background=PdfBytesPage("<memory>"), background_opacity=1.0, border_width=0)
