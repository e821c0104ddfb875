"""The common page layout: fonts, styles, Decree 30/2020 header, "Trang X/Y", signature blocks.

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
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from evaluator.resources import resource

PAGE = A4
MARGINS = {"left": 30 * mm, "right": 18 * mm, "top": 20 * mm, "bottom": 20 * mm}
FRAME_WIDTH = PAGE[0] - MARGINS["left"] - MARGINS["right"]

SERIF, SERIF_BOLD, SERIF_ITALIC = "EvDejaVuSerif", "EvDejaVuSerif-Bold", "EvDejaVuSerif-Italic"
COND, COND_BOLD = "EvDejaVuSerifCondensed", "EvDejaVuSerifCondensed-Bold"
FONT_FILES = {
    SERIF: "DejaVuSerif.ttf",
    SERIF_BOLD: "DejaVuSerif-Bold.ttf",
    SERIF_ITALIC: "DejaVuSerif-Italic.ttf",
    COND: "DejaVuSerifCondensed.ttf",
    COND_BOLD: "DejaVuSerifCondensed-Bold.ttf",
}
GRID = colors.Color(0.35, 0.35, 0.35)
SHADE = colors.Color(0.92, 0.92, 0.92)
AREA_SHADE = colors.Color(0.96, 0.96, 0.96)


@functools.cache
def register_fonts() -> None:
    """Register the bundled DejaVu fonts (full Vietnamese coverage) once per process."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping

    rl_config.useA85 = 0  # binary (compressed) streams: ASCII85 only makes files bigger and slower to write

    for name, file in FONT_FILES.items():
        path = resource("fonts", file)
        if not path.is_file():
            raise FileNotFoundError(f"the report font {path} is missing from the installation")
        pdfmetrics.registerFont(TTFont(name, str(path)))
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD)
    addMapping(COND, 0, 0, COND)
    addMapping(COND, 1, 0, COND_BOLD)
    addMapping(COND, 0, 1, COND)
    addMapping(COND, 1, 1, COND_BOLD)


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=SERIF, fontSize=11, leading=15, alignment=TA_JUSTIFY, spaceAfter=3)
    return {
        "body": base,
        "body_left": ParagraphStyle("body_left", parent=base, alignment=TA_LEFT),
        "heading": ParagraphStyle(
            "heading",
            parent=base,
            fontName=SERIF_BOLD,
            spaceBefore=8,
            spaceAfter=4,
            alignment=TA_LEFT,
            keepWithNext=1,
        ),
        "subheading": ParagraphStyle(
            "subheading",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=10.5,
            spaceBefore=5,
            spaceAfter=3,
            alignment=TA_LEFT,
            keepWithNext=1,
        ),
        "table_heading": ParagraphStyle(
            "table_heading",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=10.5,
            spaceBefore=5,
            spaceAfter=3,
            alignment=TA_LEFT,
        ),
        "title": ParagraphStyle(
            "title",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=13.5,
            leading=18,
            alignment=TA_CENTER,
            spaceBefore=10,
            spaceAfter=0,
        ),
        "subtitle": ParagraphStyle(
            "subtitle",
            parent=base,
            fontName=SERIF_BOLD,
            fontSize=11.5,
            leading=15,
            alignment=TA_CENTER,
            spaceAfter=10,
        ),
        "center": ParagraphStyle("center", parent=base, alignment=TA_CENTER, spaceAfter=0),
        "center_bold": ParagraphStyle(
            "center_bold",
            parent=base,
            fontName=SERIF_BOLD,
            alignment=TA_CENTER,
            spaceAfter=0,
            fontSize=10.5,
            leading=13,
        ),
        "center_italic": ParagraphStyle(
            "center_italic",
            parent=base,
            fontName=SERIF_ITALIC,
            alignment=TA_CENTER,
            spaceAfter=0,
            fontSize=10.5,
            leading=13,
        ),
        "small": ParagraphStyle(
            "small", parent=base, fontSize=9, leading=11, alignment=TA_LEFT, spaceAfter=0
        ),
        "note": ParagraphStyle(
            "note", parent=base, fontName=SERIF_ITALIC, fontSize=9, leading=11, alignment=TA_LEFT
        ),
        "cell": ParagraphStyle("cell", fontName=COND, fontSize=7.5, leading=9, alignment=TA_LEFT),
        "cell_bold": ParagraphStyle(
            "cell_bold", fontName=COND_BOLD, fontSize=7.5, leading=9, alignment=TA_LEFT
        ),
        "cell_center": ParagraphStyle(
            "cell_center", fontName=COND_BOLD, fontSize=7.5, leading=9, alignment=TA_CENTER
        ),
        "cell_right": ParagraphStyle(
            "cell_right", fontName=COND, fontSize=7.5, leading=9, alignment=TA_RIGHT
        ),
    }


def wrap(text: str, font: str, size: float, width: float) -> str:
    """``text`` broken into lines that fit ``width`` points (for plain table cells; much cheaper than a
    Paragraph). Over-long words are split too."""
    from reportlab.lib.utils import simpleSplit

    return "\n".join(simpleSplit(text, font, size, width))


def esc(text: str) -> str:
    """Text for a Paragraph (its mini-markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- Decree 30 header ------------------------------------------------------------------------------
class Rule(Flowable):
    """A short centred line (under the issuing body's name and under the national motto)."""

    def __init__(self, width: float, line: float):
        super().__init__()
        self.width, self.line, self.height = width, line, 4

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        x = (self.width - self.line) / 2
        self.canv.setLineWidth(0.6)
        self.canv.line(x, self.height - 1, x + self.line, self.height - 1)


def header(issuing_body: list[str], number: str, place_date: str) -> Table:
    st = styles()
    left_w, right_w = 68 * mm, FRAME_WIDTH - 68 * mm
    lines = [s for s in issuing_body if s]
    left: list[Any] = [
        Paragraph(esc(s.upper()), ParagraphStyle("ib", parent=st["center"], fontSize=10.5, leading=13))
        for s in lines[:-1]
    ]
    left.append(Paragraph(esc(lines[-1].upper()) if lines else "", st["center_bold"]))
    left.append(Rule(left_w - 12, 28 * mm))
    left.append(
        Paragraph(
            f"Số: {esc(number)}",
            ParagraphStyle("num", parent=st["center"], fontSize=10.5, leading=13, spaceBefore=3),
        )
    )
    right: list[Any] = [
        Paragraph(
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ParagraphStyle("qh", parent=st["center_bold"], fontSize=10)
        ),
        Paragraph(
            "Độc lập - Tự do - Hạnh phúc", ParagraphStyle("tn", parent=st["center_bold"], fontSize=10.5)
        ),
        Rule(right_w - 12, 46 * mm),
        Paragraph(esc(place_date), ParagraphStyle("date", parent=st["center_italic"], spaceBefore=3)),
    ]
    table = Table([[left, right]], colWidths=[left_w, right_w])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return table


# --- page numbers ----------------------------------------------------------------------------------
class NumberedCanvas(Canvas):
    """Writes "Trang X/Y" at the foot of every page once the page count is known."""

    footer_text = ""

    def __init__(self, *args: Any, **kwargs: Any):
        kwargs["initialFontName"] = kwargs.get("initialFontName") or SERIF  # else Helvetica, not embedded
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self._draw_footer(total)
            super().showPage()
        super().save()

    def _draw_footer(self, total: int) -> None:
        self.saveState()
        self.setFont(SERIF, 9)
        self.setFillColor(colors.Color(0.25, 0.25, 0.25))
        self.drawRightString(PAGE[0] - MARGINS["right"], 11 * mm, f"Trang {self._pageNumber}/{total}")
        if self.footer_text:
            self.setFont(SERIF_ITALIC, 7)
            self.drawString(MARGINS["left"], 11 * mm, self.footer_text)
        self.restoreState()


# --- signature blocks --------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldBox:
    """An empty signature field to create: name, page index (0-based), box in PDF points."""

    name: str
    page: int
    box: tuple[int, int, int, int]
    label: str = ""


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

    def __init__(self, slots: list[SignatureSlot], fields: list[FieldBox], width: float = FRAME_WIDTH):
        super().__init__()
        self.slots, self.fields, self.width = slots, fields, width
        self.head_lines = max(len(s.heading) for s in slots)
        self.height = self.head_lines * 13 + self.BOX_H + 30

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        col = self.width / len(self.slots)
        for i, slot in enumerate(self.slots):
            cx = col * i + col / 2
            y = self.height - 11
            offset = self.head_lines - len(slot.heading)
            y -= offset * 13
            for line in slot.heading:
                c.setFont(SERIF_BOLD, 10.5)
                c.drawCentredString(cx, y, line)
                y -= 13
            c.setFont(SERIF_ITALIC, 8.5)
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
            c.setFont(SERIF_BOLD, 10.5)
            c.drawCentredString(cx, bottom - 12, slot.name or "……………………………")
            if slot.position:
                c.setFont(SERIF, 8.5)
                c.drawCentredString(cx, bottom - 23, slot.position)


def closing(recipients: list[str], slot: SignatureSlot, fields: list[FieldBox]) -> Table:
    """Decree 30 closing: "Nơi nhận" (recipients) bottom left, the signature block bottom right."""
    st = styles()
    left = Paragraph(
        "<b><i>Nơi nhận:</i></b><br/>" + "<br/>".join(f"- {esc(r)}" for r in recipients),
        ParagraphStyle("recipients", parent=st["small"], fontSize=8.5, leading=10.5),
    )
    half = FRAME_WIDTH / 2
    table = Table([[left, SignatureRow([slot], fields, width=half)]], colWidths=[half, half])
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), SERIF, 10),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, 0), 14),
            ]
        )
    )
    return table
