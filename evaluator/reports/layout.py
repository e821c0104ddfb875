"""The common page layout: styles and sizes, Decree 30/2020 header, page numbers, signature blocks.

Decree 30/2020/NĐ-CP, appendix I: A4, margins top/bottom 20–25 mm, left 30–35 mm, right 15–20 mm; the
issuing body top left with the document number under it, the national motto top right with the place and
date under it, the title centred, the signature block bottom right.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from evaluator.reports import fonts
from evaluator.reports.authority import PEOPLES_COMMITTEE
from evaluator.reports.fonts import SERIF, SERIF_BOLD, SERIF_BOLD_ITALIC, SERIF_ITALIC

PAGE = A4
LANDSCAPE = (A4[1], A4[0])
MARGINS = {"left": 30 * mm, "right": 18 * mm, "top": 20 * mm, "bottom": 20 * mm}
FRAME_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]
WIDE_FRAME_WIDTH = LANDSCAPE[0] - MARGINS["left"] - MARGINS["right"]

# One serif family in four styles (reports/fonts.py: Times New Roman or Liberation Serif). COND and
# COND_BOLD are kept as names for the tables and the signature stamp; the family has no condensed cut.
COND, COND_BOLD = SERIF, SERIF_BOLD
GRID = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.92, 0.92, 0.92)
AREA_SHADE = colors.Color(0.96, 0.96, 0.96)


class Size:
    """Decree 30/2020, appendix I: the size of each part of a document, in points."""

    NATIONAL_NAME = 12  # quốc hiệu, 12–13, bold capitals
    MOTTO = 13  # tiêu ngữ, 13–14, bold
    ISSUER = 12  # issuing body (and its parent), 12–13
    NUMBER = 13  # "Số: …"
    PLACE_DATE = 13  # 13–14, italic
    TITLE = 14  # the kind of document, 13–14, bold
    SUMMARY = 14  # trích yếu, 13–14, bold
    BODY = 13  # 13–14
    SIGNER = 13  # title, authority and name of the signer, 13–14, bold
    RECIPIENTS_HEAD = 12  # "Nơi nhận:", bold italic
    RECIPIENTS = 11
    CELL = 11  # tables: at least 11
    NOTE = 12  # notes under tables, italic
    PAGE_NUMBER = 13  # 13–14, top centre from page 2
    CHART = 10  # chart labels


def register_fonts() -> str:
    """Register the documents' font (Times New Roman or the bundled Liberation Serif); the family."""
    return fonts.register_fonts()


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle(
        "body",
        fontName=SERIF,
        fontSize=Size.BODY,
        leading=Size.BODY * 1.3,
        alignment=TA_JUSTIFY,
        spaceAfter=6,
        firstLineIndent=10 * mm,  # Decree 30: first-line indent 1–1.27 cm
    )
    flush = ParagraphStyle("body_left", parent=base, alignment=TA_LEFT, firstLineIndent=0, spaceAfter=3)
    cell = ParagraphStyle(
        "cell", fontName=SERIF, fontSize=Size.CELL, leading=Size.CELL * 1.15, alignment=TA_LEFT
    )
    return {
        "body": base,
        "body_left": flush,
        "heading": ParagraphStyle(
            "heading", parent=flush, fontName=SERIF_BOLD, spaceBefore=8, spaceAfter=4, keepWithNext=1
        ),
        "subheading": ParagraphStyle(
            "subheading", parent=flush, fontName=SERIF_BOLD, spaceBefore=5, spaceAfter=3, keepWithNext=1
        ),
        "table_heading": ParagraphStyle(
            "table_heading", parent=flush, fontName=SERIF_BOLD, spaceBefore=5, spaceAfter=3
        ),
        "title": ParagraphStyle(
            "title",
            parent=flush,
            fontName=SERIF_BOLD,
            fontSize=Size.TITLE,
            leading=Size.TITLE * 1.3,
            alignment=TA_CENTER,
            spaceBefore=14,
            spaceAfter=0,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=flush,
            fontName=SERIF_BOLD,
            fontSize=Size.SUMMARY,
            leading=Size.SUMMARY * 1.25,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        "center": ParagraphStyle("center", parent=flush, alignment=TA_CENTER, spaceAfter=0),
        "center_bold": ParagraphStyle(
            "center_bold", parent=flush, fontName=SERIF_BOLD, alignment=TA_CENTER, spaceAfter=0
        ),
        "center_italic": ParagraphStyle(
            "center_italic", parent=flush, fontName=SERIF_ITALIC, alignment=TA_CENTER, spaceAfter=0
        ),
        "small": ParagraphStyle(
            "small", parent=flush, fontSize=Size.RECIPIENTS, leading=Size.RECIPIENTS * 1.2, spaceAfter=0
        ),
        "note": ParagraphStyle(
            "note", parent=flush, fontName=SERIF_ITALIC, fontSize=Size.NOTE, leading=Size.NOTE * 1.2
        ),
        "cell": cell,
        "cell_bold": ParagraphStyle("cell_bold", parent=cell, fontName=SERIF_BOLD),
        "cell_center": ParagraphStyle("cell_center", parent=cell, fontName=SERIF_BOLD, alignment=TA_CENTER),
        "cell_right": ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
    }


def wrap(text: str, font: str, size: float, width: float) -> str:
    """``text`` broken into lines that fit ``width`` points (for plain table cells; much cheaper than a
    Paragraph). Over-long words are split too."""
    return "\n".join(simpleSplit(text, font, size, width))


def esc(text: str) -> str:
    """Text for a Paragraph (its mini-markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Decree 30 header ------------------------------------------------------------------------------
RULE_GAP = 4.0
"""Points between the bottom of the line above and a rule: the line's descenders (and the dot below of
Ộ, Ị, Ạ) reach about 0.22 em under the baseline, the paragraph's box ends 0.2 em under it."""


class Rule(Flowable):
    """A solid rule of ``line`` points centred in ``width``, just under the text line above it."""

    def __init__(self, width: float, line: float):
        super().__init__()
        self.width, self.line, self.height = width, line, RULE_GAP + 2

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x = (self.width - self.line) / 2
        self.canv.setLineWidth(0.6)
        y = self.height - RULE_GAP
        self.canv.line(x, y, x + self.line, y)


def line_width(text: str, font: str, size: float, width: float) -> float:
    """The width of the widest line ``text`` takes when set in ``width`` points."""
    return max((stringWidth(line, font, size) for line in simpleSplit(text, font, size, width)), default=0.0)


HEADER_LEFT = 66 * mm


NUMBER_FIELD, DATE_FIELD = "doc_number", "doc_date"
"""The form fields over "Số: …" and the place and date: the clerk (văn thư) fills them in when applying
the organisation's signature, after the person with authority signed (``signing.seal``)."""


class FillIn(Flowable):
    """A paragraph whose box is recorded (page, absolute box) in ``fields`` as the text field ``name``
    when drawn: the clerk's fill-in covers it (an opaque appearance with the filled-in text)."""

    def __init__(self, paragraph: Paragraph, name: str, fields: list[FieldBox]):
        super().__init__()
        self.paragraph, self.name, self.fields = paragraph, name, fields

    def getSpaceBefore(self) -> float:
        return float(self.paragraph.getSpaceBefore())

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        _w, self.height = self.paragraph.wrap(available_width, available_height)
        return self.width, self.height

    def draw(self) -> None:
        self.paragraph.drawOn(self.canv, 0, 0)
        ax, ay = self.canv.absolutePosition(0, 0)
        bx, by = self.canv.absolutePosition(self.width, self.height)
        # a point of margin below for the descenders (the appearance is opaque)
        box = (round(ax), round(ay) - 2, round(bx), round(by))
        self.fields.append(FieldBox(self.name, self.canv.getPageNumber() - 1, box, kind="text"))


def header(issuing_body: list[str], number: str, place_date: str,
           fields: list[FieldBox] | None = None) -> Table:
    """Issuing body (parent, then the body in bold, a rule of half its line) and "Số: …" top left; the
    national name, the motto (a rule as long as it) and place and date top right. With ``fields``, the
    number and the place and date are recorded there as the text fields the clerk fills in."""
    st = styles()
    left_w, right_w = HEADER_LEFT, FRAME_WIDTH - HEADER_LEFT
    lines = [s.upper() for s in issuing_body if s]
    issuer = ParagraphStyle("ib", parent=st["center"], fontSize=Size.ISSUER, leading=Size.ISSUER * 1.2)
    bold = ParagraphStyle("ib_bold", parent=issuer, fontName=SERIF_BOLD)
    # a People's Committee is written in full over two bold lines, with no parent body above it
    parents = 0 if lines[:1] == [PEOPLES_COMMITTEE] else len(lines) - 1
    left: list[Any] = [Paragraph(esc(s), issuer if i < parents else bold) for i, s in enumerate(lines[:-1])]
    body = lines[-1] if lines else ""
    left.append(Paragraph(esc(body), bold))
    last = simpleSplit(body, SERIF_BOLD, Size.ISSUER, left_w)[-1:] or [""]
    left.append(Rule(left_w, stringWidth(last[0], SERIF_BOLD, Size.ISSUER) / 2))  # half the line above
    number_par = Paragraph(
        f"Số: {esc(number)}",
        ParagraphStyle("num", parent=st["center"], fontSize=Size.NUMBER, leading=Size.NUMBER * 1.2),
    )
    left.append(number_par if fields is None else FillIn(number_par, NUMBER_FIELD, fields))
    national, motto = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"
    right: list[Any] = [
        Paragraph(
            national,
            ParagraphStyle(
                "qh", parent=st["center_bold"], fontSize=Size.NATIONAL_NAME, leading=Size.NATIONAL_NAME * 1.2
            ),
        ),
        Paragraph(
            motto,
            ParagraphStyle("tn", parent=st["center_bold"], fontSize=Size.MOTTO, leading=Size.MOTTO * 1.2),
        ),
        Rule(right_w, stringWidth(motto, SERIF_BOLD, Size.MOTTO)),
    ]
    date_par = Paragraph(
        esc(place_date),
        ParagraphStyle(
            "date",
            parent=st["center_italic"],
            fontSize=Size.PLACE_DATE,
            leading=Size.PLACE_DATE * 1.2,
            spaceBefore=4,
        ),
    )
    right.append(date_par if fields is None else FillIn(date_par, DATE_FIELD, fields))
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, Size.BODY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


def title_block(kind: str, summary: str) -> list[Any]:
    """The kind of document (``BIÊN BẢN``) and its summary (trích yếu, may hold ``<br/>``), both bold
    and centred, with a short rule under the summary (a third of its longest line)."""
    st = styles()
    widest = max(
        (line_width(part, SERIF_BOLD, Size.SUMMARY, FRAME_WIDTH) for part in summary.split("<br/>")),
        default=0.0,
    )
    return [
        Paragraph(kind, st["title"]),
        Paragraph(summary, st["subtitle"]),
        Rule(FRAME_WIDTH, widest / 3),  # 1/3–1/2 of the line
        Spacer(1, 8),
    ]


# --- page numbers ----------------------------------------------------------------------------------
class NumberedCanvas(Canvas):
    """Decree 30: the page number, Arabic, centred in the top margin, from page 2 on (none on page 1).
    Nothing else on the page face: the document's identity and hashes are in its metadata and data."""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs["initialFontName"] = kwargs.get("initialFontName") or SERIF  # else Helvetica, not embedded
        super().__init__(*args, **kwargs)

    def showPage(self) -> None:
        if self._pageNumber > 1:
            width, height = self._pagesize
            self.saveState()
            self.setFont(SERIF, Size.PAGE_NUMBER)
            self.drawCentredString(width / 2, height - 12 * mm, str(self._pageNumber))
            self.restoreState()
        super().showPage()


# --- signature blocks --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldBox:
    """An empty form field to create: name, page index (0-based), box in PDF points; ``kind`` is
    ``signature`` or ``text`` (the number and date the clerk fills in)."""

    name: str
    page: int
    box: tuple[int, int, int, int]
    label: str = ""
    kind: str = "signature"


@dataclass(frozen=True)
class SignatureSlot:
    field: str
    heading: list[str]
    """Bold lines above the signature (``TM. HỘI ĐỒNG``, ``CHỦ TỊCH``)."""
    name: str = ""
    position: str = ""


class SignatureRow(Flowable):
    """Signature blocks side by side; each leaves a framed-free space where the visible signature goes
    and records that space (page and box) in ``fields`` when drawn."""

    BOX_H = 24 * mm
    LINE = Size.SIGNER * 1.25

    def __init__(self, slots: list[SignatureSlot], fields: list[FieldBox], width: float = FRAME_WIDTH):
        super().__init__()
        self.slots, self.fields, self.width = slots, fields, width
        self.head_lines = max(len(s.heading) for s in slots)
        self.height = self.head_lines * self.LINE + self.BOX_H + 14 + 2 * self.LINE

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        col = self.width / len(self.slots)
        for i, slot in enumerate(self.slots):
            cx = col * i + col / 2
            y = self.height - Size.SIGNER
            y -= (self.head_lines - len(slot.heading)) * self.LINE
            c.setFont(SERIF_BOLD, Size.SIGNER)
            for line in slot.heading:
                c.drawCentredString(cx, y, line)
                y -= self.LINE
            c.setFont(SERIF_ITALIC, Size.NOTE)
            c.drawCentredString(cx, y + 2, "(Ký số, ghi rõ họ tên)")
            box_w = min(col - 8, 62 * mm)
            top = y - 4
            bottom = top - self.BOX_H
            x0 = cx - box_w / 2
            ax, ay = c.absolutePosition(x0, bottom)
            bx, by = c.absolutePosition(x0 + box_w, top)
            self.fields.append(
                FieldBox(
                    slot.field,
                    c.getPageNumber() - 1,
                    (round(ax), round(ay), round(bx), round(by)),
                    " ".join(slot.heading),
                )
            )
            c.setFont(SERIF_BOLD, Size.SIGNER)
            c.drawCentredString(cx, bottom - Size.SIGNER, slot.name or "……………………………")
            if slot.position:
                c.setFont(SERIF, Size.SIGNER)
                c.drawCentredString(cx, bottom - Size.SIGNER - self.LINE, slot.position)


def closing(recipients: list[str], slot: SignatureSlot, fields: list[FieldBox]) -> Table:
    """Decree 30 closing: "Nơi nhận:" (12 pt bold italic) and its list (11 pt, "- …;", the last
    "- Lưu: …") bottom left, the signature block bottom right."""
    st = styles()
    head = ParagraphStyle(
        "recipients_head",
        parent=st["small"],
        fontName=SERIF_BOLD_ITALIC,
        fontSize=Size.RECIPIENTS_HEAD,
        leading=Size.RECIPIENTS_HEAD * 1.25,
    )
    left: list[Any] = [Paragraph("Nơi nhận:", head)]
    left += [Paragraph(f"- {esc(r)}", st["small"]) for r in recipients]
    half = FRAME_WIDTH / 2
    table = Table(
        [[left, SignatureRow([slot], fields, width=half + 10 * mm)]],
        colWidths=[half - 10 * mm, half + 10 * mm],
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, Size.BODY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, 0), 0),  # "Nơi nhận:" level with the authority line
            ]
        )
    )
    return table
