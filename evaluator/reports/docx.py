"""The Word draft (.docx) of any document, from the same story as its PDF.

``reports.story`` turns every kind of document into a ``Story`` — the reportlab flowables in reading order.
This module walks those flowables and writes the same paragraphs, tables, rules, signature blocks and
charts into a Word document, so a new kind of document gets its Word draft with no code of its own. The
office redrafts the text in Word before issuing; the PDF is what gets signed.

Why python-docx: a maintained, MIT-licensed, pure-Python writer of the Office Open XML that Word and
LibreOffice open, built on lxml (C, already fast and small), with a documented API for the parts used here
(runs, paragraph format, tables, sections, headers, pictures) and its XML underneath for the rest (borders,
shading, the PAGE field). Charts (reportlab ``Drawing``) are drawn to PDF by reportlab and rasterised by
pypdfium2 (PDFium, prebuilt for every Python and platform): reportlab's own bitmap renderer (rl_renderPM)
has no wheels for Python 3.13.

Layout rules kept: A4 with ``layout.MARGINS``, Times New Roman for every script (``rFonts`` ascii, hAnsi,
eastAsia and cs), each style's size, weight, alignment, spacing, leading and first-line indent; tables with
their column widths, spans, borders, shading, alignment and repeated header rows; landscape pages as
landscape sections; the page number centred at the top from page 2; no footer.
"""

from __future__ import annotations

import copy
import functools
import io
import re
import zipfile
from datetime import datetime
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Emu, Pt
from docx.table import _Cell
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_RIGHT
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepInFrame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus.flowables import HRFlowable

from evaluator.reports import docx_tables
from evaluator.reports.layout import (
    FRAME_WIDTH,
    LANDSCAPE,
    MARGINS,
    PAGE,
    RULE_GAP,
    WIDE_FRAME_WIDTH,
    FillIn,
    Rule,
    SignatureRow,
    Size,
)
from evaluator.reports.story import DocInfo, Story, story_of

FONT = "Times New Roman"
"""Decree 30's font, named in the file: Word uses the real one (every Windows laptop has it)."""
FIXED_TIME = datetime(2025, 1, 1)
"""The core properties' dates and the zip entries' times: the same data gives the same bytes."""
CHART_DPI = 200
SIGN_NOTE = "(Ký số, ghi rõ họ tên)"

_ALIGN = {
    TA_CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    TA_RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
    TA_JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
}
_CELL_ALIGN = {"CENTER": WD_ALIGN_PARAGRAPH.CENTER, "CENTRE": WD_ALIGN_PARAGRAPH.CENTER,
               "RIGHT": WD_ALIGN_PARAGRAPH.RIGHT, "DECIMAL": WD_ALIGN_PARAGRAPH.RIGHT}
_VALIGN = {"TOP": WD_CELL_VERTICAL_ALIGNMENT.TOP, "MIDDLE": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
           "BOTTOM": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM}
_TABLE_ALIGN = {"CENTER": WD_TABLE_ALIGNMENT.CENTER, "CENTRE": WD_TABLE_ALIGNMENT.CENTER,
                "RIGHT": WD_TABLE_ALIGNMENT.RIGHT, "LEFT": WD_TABLE_ALIGNMENT.LEFT}
_SPACES = re.compile(r"\s+")


class UnknownFlowable(TypeError):
    """A flowable this module has no Word form for: an internal error (a renderer used a new kind of
    flowable), never a silent drop of part of a document."""


def render_docx(document: Any) -> bytes:
    """The document (a renderer's data: ``UnitDocument``, ``Publication`` …) as Word draft bytes."""
    return docx_bytes(story_of(document))


def docx_bytes(story: Story) -> bytes:
    """The story's flowables as a .docx file's bytes."""
    writer = _Writer(story.info)
    writer.flowables(writer.doc, story.flowables, FRAME_WIDTH)
    buffer = io.BytesIO()
    writer.doc.save(buffer)
    return _fixed_zip(buffer.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same package with every entry dated ``FIXED_TIME`` (python-docx dates them now)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))
    return out.getvalue()


def _fit(text: str, limit: int = 255) -> str:
    """Office keeps a core property to 255 characters: the whole ``; ``-separated parts that fit (the PDF
    carries them all: a publication's keywords name every criteria set with its SHA-256)."""
    if len(text) <= limit:
        return text
    kept = ""
    for part in text.split("; "):
        joined = f"{kept}; {part}" if kept else part
        if len(joined) > limit:
            break
        kept = joined
    return kept or text[:limit]


# --- small XML helpers ---------------------------------------------------------------------------------
def _set_fonts(rpr: Any) -> None:
    """Times New Roman for every script of a run or style: Vietnamese letters fall in several ranges."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), FONT)


def _hex(color: Any) -> str | None:
    if color is None:
        return None
    c = colors.toColor(color)
    return "".join(f"{round(v * 255):02X}" for v in (c.red, c.green, c.blue))


# The order of the children of the properties this module writes itself (ECMA-376 part 1, 17.3.1.26,
# 17.4.60, 17.4.70): Word refuses a file whose children are out of order.
P_PR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
        "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs", "w:suppressAutoHyphens",
        "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN",
        "w:bidi", "w:adjustRightInd", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
        "w:mirrorIndents", "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment",
        "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
TC_PR = ("w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd", "w:noWrap",
         "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark", "w:headers", "w:cellIns",
         "w:cellDel", "w:cellMerge", "w:tcPrChange")
TBL_PR = ("w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
          "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd", "w:tblBorders", "w:shd",
          "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
BORDERS = ("w:top", "w:left", "w:start", "w:bottom", "w:right", "w:end", "w:between", "w:bar", "w:insideH",
           "w:insideV")


def _child(parent: Any, tag: str, order: tuple[str, ...] = ()) -> Any:
    """``parent``'s ``tag`` child, made if missing: in its place in ``order`` (the schema's sequence of
    ``parent``'s children), else appended."""
    found = parent.find(qn(tag))
    if found is not None:
        return found
    found = OxmlElement(tag)
    later = {qn(t) for t in order[order.index(tag) + 1 :]} if tag in order else set()
    for i, child in enumerate(parent):
        if child.tag in later:
            parent.insert(i, found)
            return found
    parent.append(found)
    return found


def _bold_italic(font_name: str) -> tuple[bool, bool]:
    return "Bold" in font_name, "Italic" in font_name or "Oblique" in font_name


def _font(run: Any, font_name: str, size: float, color: Any = None, underline: bool = False) -> None:
    """Times New Roman at ``size`` in the weight and slant of ``font_name`` (``EvSerif-BoldItalic``)."""
    bold, italic = _bold_italic(font_name)
    value = _hex(color)
    key = (bold, italic, round(size * 2), None if value == "000000" else value, underline)
    run._r.insert(0, copy.deepcopy(_run_properties(key)))


@functools.cache
def _run_properties(key: tuple[bool, bool, int, str | None, bool]) -> Any:
    """A run's properties, built once per look (python-docx's setters are slow on thousands of runs)."""
    bold, italic, half_points, color, underline = key
    rpr = OxmlElement("w:rPr")
    _set_fonts(rpr)
    for on, tag in ((bold, "w:b"), (bold, "w:bCs"), (italic, "w:i"), (italic, "w:iCs")):
        if on:
            rpr.append(OxmlElement(tag))
    if color:
        el = OxmlElement("w:color")
        el.set(qn("w:val"), color)
        rpr.append(el)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), str(half_points))
        rpr.append(el)
    if underline:
        el = OxmlElement("w:u")
        el.set(qn("w:val"), "single")
        rpr.append(el)
    return rpr


def _border(parent: Any, side: str, weight: float, color: Any) -> None:
    el = _child(parent, f"w:{side}", BORDERS)
    el.set(qn("w:val"), "single")
    el.set(qn("w:sz"), str(max(2, round(weight * 8))))  # eighths of a point
    el.set(qn("w:space"), "0")
    el.set(qn("w:color"), _hex(color) or "000000")


class _Writer:
    """Writes flowables into a python-docx document; ``box`` is the document or a table cell."""

    def __init__(self, info: DocInfo):
        self.doc = Document()
        self.template = "page"
        self.pending_template: str | None = None
        self.page_break = False
        self._setup(info)

    # --- the document --------------------------------------------------------------------------------
    def _setup(self, info: DocInfo) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(Size.BODY)
        _set_fonts(normal.element.get_or_add_rPr())
        normal.paragraph_format.space_after = Pt(0)
        props = self.doc.core_properties
        props.title, props.author, props.subject = (_fit(v) for v in (info.title, info.author, info.subject))
        props.keywords = _fit(info.keywords)
        props.comments = "Bản thảo Word (evaluator); văn bản được ký là tệp PDF."
        props.last_modified_by = "evaluator"
        props.revision = 1
        props.created = props.modified = props.last_printed = FIXED_TIME
        section = self.doc.sections[0]
        self._page(section, "page")
        # Decree 30: the page number centred in the top margin from page 2 on, nothing on page 1
        section.different_first_page_header_footer = True
        p = section.header.paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._page_field(p)

    @staticmethod
    def _page(section: Any, template: str) -> None:
        width, height = LANDSCAPE if template == "landscape" else PAGE
        section.orientation = WD_ORIENT.LANDSCAPE if template == "landscape" else WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Emu(round(width * 12700)), Emu(round(height * 12700))
        section.left_margin = Emu(round(MARGINS["left"] * 12700))
        section.right_margin = Emu(round(MARGINS["right"] * 12700))
        section.top_margin = Emu(round(MARGINS["top"] * 12700))
        section.bottom_margin = Emu(round(MARGINS["bottom"] * 12700))
        section.header_distance = Pt(22)  # the number's line about 12 mm from the top, as in the PDF
        section.footer_distance = Pt(22)

    @staticmethod
    def _page_field(p: Any) -> None:
        def run(*children: Any) -> None:
            r = p.add_run()
            _font(r, "", Size.PAGE_NUMBER)
            for child in children:
                r._r.append(child)

        begin, separate, end = (OxmlElement("w:fldChar") for _ in range(3))
        begin.set(qn("w:fldCharType"), "begin")
        separate.set(qn("w:fldCharType"), "separate")
        end.set(qn("w:fldCharType"), "end")
        instr = OxmlElement("w:instrText")
        instr.set(qn("xml:space"), "preserve")
        instr.text = " PAGE "
        shown = OxmlElement("w:t")
        shown.text = "2"
        run(begin)
        run(instr)
        run(separate)
        run(shown)
        run(end)

    def _new_section(self, template: str) -> None:
        section = self.doc.add_section(WD_SECTION.NEW_PAGE)
        section.different_first_page_header_footer = False  # numbered from its first page
        self._page(section, template)
        self.template = template

    def width(self) -> float:
        return WIDE_FRAME_WIDTH if self.template == "landscape" else FRAME_WIDTH

    # --- paragraphs --------------------------------------------------------------------------------------
    @staticmethod
    def _fresh(cell: _Cell) -> Any:
        """A cell's first paragraph while nothing has been written in it (a new cell holds one)."""
        children = [el for el in cell._tc if el.tag != qn("w:tcPr")]
        if len(children) == 1 and children[0].tag == qn("w:p") and len(children[0]) == 0:
            return cell.paragraphs[0]
        return None

    def _paragraph_in(self, box: Any) -> Any:
        """A new paragraph in ``box``: a cell's first, empty paragraph is used first."""
        if isinstance(box, _Cell):
            return self._fresh(box) or box.add_paragraph()
        p = box.add_paragraph()
        if self.page_break:
            p.paragraph_format.page_break_before = True
            self.page_break = False
        return p

    def _format(self, p: Any, style: Any) -> None:
        fmt = p.paragraph_format
        fmt.alignment = _ALIGN.get(style.alignment, WD_ALIGN_PARAGRAPH.LEFT)
        fmt.space_before = Pt(style.spaceBefore)
        fmt.space_after = Pt(style.spaceAfter)
        fmt.line_spacing = Pt(style.leading)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST  # the leading, never clipping a diacritic
        fmt.first_line_indent = Pt(style.firstLineIndent)
        fmt.left_indent = Pt(style.leftIndent)
        fmt.right_indent = Pt(style.rightIndent)
        if getattr(style, "keepWithNext", 0):
            fmt.keep_with_next = True

    def paragraph(self, box: Any, para: Paragraph) -> Any:
        p = self._paragraph_in(box)
        style = para.style
        self._format(p, style)
        frags = getattr(para, "frags", None) or []
        first = True
        for frag in frags:
            if getattr(frag, "lineBreak", False):
                (p.runs[-1] if p.runs else p.add_run()).add_break()
                first = True
                continue
            text = _SPACES.sub(" ", getattr(frag, "text", "") or "")
            if first:
                text = text.lstrip()
            if not text:
                continue
            first = False
            run = p.add_run(text)
            _font(run, frag.fontName, frag.fontSize, getattr(frag, "textColor", None),
                  bool(getattr(frag, "us_lines", None) or getattr(frag, "underline", False)))
        return p

    def text(self, box: Any, text: str, font_name: str, size: float, *, leading: float | None = None,
             align: Any = WD_ALIGN_PARAGRAPH.CENTER, color: Any = None) -> Any:
        """Plain text (a table cell's string, a signature block's line): its lines broken as given."""
        p = self._paragraph_in(box)
        fmt = p.paragraph_format
        fmt.alignment = align
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(leading or size * 1.2)
        fmt.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        for i, line in enumerate(text.split("\n")):
            run = p.add_run()
            _font(run, font_name, size, color)
            if i:
                run.add_break()
            run.add_text(line)
        return p

    def gap(self, box: Any, height: float) -> None:
        """Blank vertical space of ``height`` points (a Spacer, the room for a signature)."""
        if height <= 0:
            return
        p = self._paragraph_in(box)
        fmt = p.paragraph_format
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.line_spacing = Pt(max(height, 1))
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        _font(p.add_run(), "", 1)

    def rule(self, box: Any, width: float, line: float, weight: float = 0.6, color: Any = None) -> None:
        """A short centred rule: an empty paragraph's bottom border, indented to ``line`` points."""
        p = self._paragraph_in(box)
        fmt = p.paragraph_format
        side = max(0.0, (width - line) / 2)
        fmt.left_indent = fmt.right_indent = Pt(side)
        fmt.first_line_indent = Pt(0)
        fmt.space_before, fmt.space_after = Pt(0), Pt(2)
        fmt.line_spacing = Pt(RULE_GAP)  # the border at its bottom: under the descenders, as in the PDF
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        run = p.add_run()
        _font(run, "", 1)
        borders = _child(p._p.get_or_add_pPr(), "w:pBdr", P_PR)
        _border(borders, "bottom", weight, color)

    # --- the walk ----------------------------------------------------------------------------------------
    def flowables(self, box: Any, items: list[Any], width: float) -> None:
        for item in items:
            self.flowable(box, item, width)

    def flowable(self, box: Any, f: Any, width: float) -> None:
        in_body = not isinstance(box, _Cell)
        if isinstance(f, Paragraph):
            self.paragraph(box, f)
        elif isinstance(f, FillIn):
            # the clerk fills the number and date in Word: the placeholder paragraph as it is printed
            self.paragraph(box, f.paragraph)
        elif isinstance(f, Table):
            self.table(box, f, width)
        elif isinstance(f, Rule):
            self.rule(box, min(f.width, width), f.line)
        elif isinstance(f, SignatureRow):
            self.signatures(box, f, width)
        elif isinstance(f, KeepTogether):
            self.keep_together(box, f._content, width)
        elif isinstance(f, KeepInFrame):
            self.flowables(box, list(f._content), width)
        elif isinstance(f, CondPageBreak):  # a Spacer: before it
            pass  # Word moves what does not fit to the next page itself
        elif isinstance(f, Spacer):
            self.gap(box, float(f.height))
        elif isinstance(f, NextPageTemplate):
            self.pending_template = str(f.action[1])
        elif isinstance(f, PageBreak):
            self.break_page(in_body)
        elif isinstance(f, Drawing):
            self.drawing(box, f)
        elif isinstance(f, HRFlowable):
            w = f.width if isinstance(f.width, int | float) else width * float(str(f.width).rstrip("%")) / 100
            self.rule(box, width, min(w, width), float(f.lineWidth), f.color)
        elif isinstance(f, Flowable):
            raise UnknownFlowable(f"no Word form for the flowable {type(f).__name__}")
        else:
            raise UnknownFlowable(f"not a flowable: {type(f).__name__}")

    def break_page(self, in_body: bool) -> None:
        if not in_body:
            return
        if self.pending_template is not None and self.pending_template != self.template:
            self._new_section(self.pending_template)
        else:
            self.page_break = True
        self.pending_template = None

    def keep_together(self, box: Any, content: list[Any], width: float) -> None:
        """Everything but the last paragraph kept with the next (Word's form of keeping a block on a page)."""
        parent = box._tc if isinstance(box, _Cell) else self.doc.element.body
        fresh = self._fresh(box) if isinstance(box, _Cell) else None
        old = set(parent) - ({fresh._p} if fresh is not None else set())  # held: lxml keeps the proxies
        self.flowables(box, list(content), width)
        added = [el for el in parent if el not in old]
        paragraphs = [el for item in added
                      for el in ([item] if item.tag == qn("w:p") else item.iter(qn("w:p")))]
        for p in paragraphs[:-1]:
            _child(p.get_or_add_pPr(), "w:keepNext", P_PR)

    def drawing(self, box: Any, d: Drawing) -> None:
        p = self._paragraph_in(box)
        fmt = p.paragraph_format
        fmt.alignment = _CELL_ALIGN.get(str(getattr(d, "hAlign", "LEFT")).upper(), WD_ALIGN_PARAGRAPH.LEFT)
        fmt.space_before = fmt.space_after = Pt(0)
        run = p.add_run()
        _font(run, "", Size.BODY)
        png, width, height = chart_png(d)
        run.add_picture(io.BytesIO(png), width=Pt(width), height=Pt(height))

    def signatures(self, box: Any, row: SignatureRow, width: float) -> None:
        """Each signature block: its heading lines bold, the note, room for the signature, the name bold."""
        slots = row.slots
        if len(slots) == 1:
            self._slot(box, slots[0], row.head_lines)
            return
        cells = self._plain_table(box, [min(row.width, width) / len(slots)] * len(slots))
        for cell, slot in zip(cells, slots, strict=True):
            self._slot(cell, slot, row.head_lines)

    def _slot(self, box: Any, slot: Any, head_lines: int) -> None:
        line = SignatureRow.LINE
        for _ in range(head_lines - len(slot.heading)):
            self.gap(box, line)
        for text in slot.heading:
            self.text(box, text, "Bold", Size.SIGNER, leading=line)
        self.text(box, SIGN_NOTE, "Italic", Size.NOTE, leading=line)
        self.gap(box, SignatureRow.BOX_H)
        self.text(box, slot.name or "……………………………", "Bold", Size.SIGNER, leading=line)
        if slot.position:
            self.text(box, slot.position, "", Size.SIGNER, leading=line)

    def _plain_table(self, box: Any, widths: list[float]) -> list[_Cell]:
        """A one-row table with no borders (signature blocks side by side)."""
        table = self._add_table(box, 1, len(widths), sum(widths))
        self._widths(table, widths)
        return [_Cell(tc, table) for tc in table._tbl.tr_lst[0].tc_lst]

    def _add_table(self, box: Any, rows: int, cols: int, width: float) -> Any:
        if isinstance(box, _Cell):
            table = box.add_table(rows, cols)
        else:
            if self.page_break:  # a table cannot break the page before itself: a paragraph does
                self._paragraph_in(box).add_run().add_break(WD_BREAK.PAGE)
            table = self.doc.add_table(rows, cols)
        table.autofit = False
        layout = _child(table._tbl.tblPr, "w:tblLayout", TBL_PR)
        layout.set(qn("w:type"), "fixed")
        return table

    @staticmethod
    def _widths(table: Any, widths: list[float]) -> None:
        for col, w in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
            col.w = Emu(round(w * 12700))
        for tr in table._tbl.tr_lst:
            for tc, w in zip(tr.tc_lst, widths, strict=True):
                tc.width = Emu(round(w * 12700))

    # --- tables ------------------------------------------------------------------------------------------
    def table(self, box: Any, t: Table, width: float) -> None:
        rows: list[list[Any]] = t._cellvalues
        nrows, ncols = len(rows), t._ncols
        if not nrows or not ncols:
            return
        widths = docx_tables.col_widths(t, width)
        table = self._add_table(box, nrows, ncols, sum(widths))
        self._widths(table, widths)
        table.alignment = _TABLE_ALIGN.get(str(t.hAlign).upper(), WD_TABLE_ALIGNMENT.CENTER)
        tcs = [tr.tc_lst for tr in table._tbl.tr_lst]
        spans = docx_tables.spans(t, nrows, ncols)
        hidden = {(r, c) for (sr, sc), (er, ec) in spans.items() for r in range(sr, er + 1)
                  for c in range(sc, ec + 1) if (r, c) != (sr, sc)}
        borders = docx_tables.borders(t, nrows, ncols)
        shades = docx_tables.shades(t, nrows, ncols)
        for r, row in enumerate(rows):
            tr = table._tbl.tr_lst[r]
            trpr = tr.get_or_add_trPr()
            _child(trpr, "w:cantSplit")  # reportlab never splits a row over two pages
            if r in docx_tables.header_rows(t.repeatRows):
                _child(trpr, "w:tblHeader")
            for c, value in enumerate(row):
                if (r, c) in hidden:
                    continue
                end = spans.get((r, c), (r, c))
                cell = _Cell(tcs[r][c], table)
                cs = t._cellStyles[r][c]
                self._cell_props(cell, cs, borders, (r, c), end, shades.get((r, c)))
                inner = sum(widths[c : end[1] + 1]) - cs.leftPadding - cs.rightPadding
                self._cell_content(cell, value, cs, inner)
        for (sr, sc), (er, ec) in spans.items():
            if (sr, sc) != (er, ec):
                _Cell(tcs[sr][sc], table).merge(_Cell(tcs[er][ec], table))

    def _cell_props(self, cell: _Cell, cs: Any, borders: dict[tuple[int, int], dict[str, Any]],
                    start: tuple[int, int], end: tuple[int, int], shade: Any) -> None:
        cell.vertical_alignment = _VALIGN.get(str(cs.valign).upper(), WD_CELL_VERTICAL_ALIGNMENT.TOP)
        tcpr = cell._tc.get_or_add_tcPr()
        # a merged cell takes its outer sides from the cells at its edges
        sides = {"top": borders.get(start, {}).get("top"), "left": borders.get(start, {}).get("left"),
                 "right": borders.get((start[0], end[1]), {}).get("right"),
                 "bottom": borders.get((end[0], start[1]), {}).get("bottom")}
        if any(sides.values()):
            tcb = _child(tcpr, "w:tcBorders", TC_PR)
            for side in ("top", "left", "bottom", "right"):
                line = sides[side]
                if line is not None:
                    _border(tcb, side, line[0], line[1])
        if shade is not None:
            shd = _child(tcpr, "w:shd", TC_PR)
            shd.set(qn("w:val"), "clear")
            shd.set(qn("w:color"), "auto")
            shd.set(qn("w:fill"), _hex(shade) or "FFFFFF")
        mar = _child(tcpr, "w:tcMar", TC_PR)
        for side, pad in (("top", cs.topPadding), ("left", cs.leftPadding), ("bottom", cs.bottomPadding),
                          ("right", cs.rightPadding)):
            el = _child(mar, f"w:{side}", BORDERS)
            el.set(qn("w:w"), str(round(pad * 20)))
            el.set(qn("w:type"), "dxa")

    def _cell_content(self, cell: _Cell, value: Any, cs: Any, width: float) -> None:
        if isinstance(value, list | tuple):
            self.flowables(cell, list(value), width)
        elif isinstance(value, Flowable | Drawing):
            self.flowable(cell, value, width)
        elif value is not None and value != "":
            align = _CELL_ALIGN.get(str(cs.alignment).upper(), WD_ALIGN_PARAGRAPH.LEFT)
            self.text(cell, str(value), cs.fontname, cs.fontsize, leading=cs.leading, align=align,
                      color=cs.color)
        if not cell.paragraphs or cell._tc[-1].tag != qn("w:p"):
            cell.add_paragraph()  # Word wants a cell to end with a paragraph


def chart_png(d: Drawing, dpi: int = CHART_DPI) -> tuple[bytes, float, float]:
    """A chart as PNG and its size in points: reportlab draws it as a one-page PDF (the documents' fonts),
    PDFium rasterises it. The page takes in what reaches past the drawing's box (the mean's label above
    the bars), which the PDF shows in the space around it; 64 colours keep a chart near 40 KB."""
    import pypdfium2
    from PIL import Image
    from reportlab.graphics import renderPDF

    x0, y0, x1, y1 = d.getBounds()
    left, bottom = min(0.0, x0), min(0.0, y0)
    width, height = max(float(d.width), x1) - left, max(float(d.height), y1) - bottom
    page = Drawing(width, height)
    page.add(Group(*d.contents, transform=(1, 0, 0, 1, -left, -bottom)))
    for attr in ("initialFontName", "initialFontSize", "initialFontLeading"):
        if getattr(d, attr, None) is not None:
            setattr(page, attr, getattr(d, attr))
    pdf = pypdfium2.PdfDocument(renderPDF.drawToString(page))
    try:
        image = pdf[0].render(scale=dpi / 72).to_pil()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.convert("RGB").quantize(colors=64, method=Image.Quantize.FASTOCTREE).save(out, "PNG")
    return out.getvalue(), width, height
