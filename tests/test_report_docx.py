"""The Word draft of every document (``report KIND --format docx``, ``reports.docx``): built from the demo
for every ``report`` kind of ``services.documents.KINDS`` (a kind added later is covered at once), opened
with python-docx and compared with the PDF of the same data: the Decree 30 header, the title, the signature
block with the signer's name, "Nơi nhận:", Times New Roman and the sizes of ``layout.Size``, the tables'
cell texts, landscape sections where the PDF has landscape pages, every word of the PDF's text; the page
set-up and the page number field; the same bytes for the same data. Then the faces: the CLI (a file, the
refusal to sign a draft, a batch) and the report dialog's format choice."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import docx
import pki
import pytest
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table

from evaluator.errors import UserError
from evaluator.models import open_project
from evaluator.reports.docx import FONT, P_PR, TBL_PR, TC_PR, UnknownFlowable, docx_bytes, render_docx
from evaluator.reports.layout import MARGINS, FillIn, SignatureRow, Size
from evaluator.reports.pdf import render
from evaluator.reports.story import DocInfo, Story, story_of
from evaluator.services import documents
from evaluator.services.documents import KINDS
from evaluator.ui.main_window import MainWindow
from evaluator.ui.report_dialog import ReportDialog

DAY = date(2025, 2, 5)
YEAR = 2024
UNIT = "SO01"
REPORT_KINDS = [k.key for k in KINDS.values() if k.command == "report"]
KIND_PARAMS = [k if k == "appraisal" else pytest.param(k, marks=pytest.mark.slow) for k in REPORT_KINDS]
"""The minutes in the quick run, every other kind in the full run (``dev.py test``)."""
EMU_PER_PT = 12700


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pki.demo_project(tmp_path_factory)


class Built:
    """A kind's document data, its story, its PDF (file and text) and its Word draft."""

    def __init__(self, data: Any, folder: Path, key: str):
        self.data = data
        self.story = story_of(data)
        self.pdf = folder / f"{key}.pdf"
        self.pdf.write_bytes(render(data).data)
        self.raw = render_docx(data)
        self.docx_path = folder / f"{key}.docx"
        self.docx_path.write_bytes(self.raw)
        self.doc: DocxDocument = docx.Document(io.BytesIO(self.raw))


@pytest.fixture(scope="module")
def built(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    folder = tmp_path_factory.mktemp("docx")
    cache: dict[str, Built] = {}

    def get(key: str) -> Built:
        if key not in cache:
            kind = KINDS[key]
            with open_project(demo) as project:
                try:
                    data = documents.gather(project, kind, YEAR, [UNIT] if kind.per_unit else None, DAY)
                except UserError:  # a whole-year document before every result is approved: its draft
                    data = documents.gather(project, kind, YEAR, [UNIT] if kind.per_unit else None, DAY,
                                            draft=True)
            cache[key] = Built(data[0], folder, key)
        return cache[key]

    yield get


# --- reading a Word file ---------------------------------------------------------------------------------
def norm(text: str) -> str:
    return " ".join(text.split())


def paragraphs(container: Any) -> Iterator[Any]:
    """Every paragraph of a document or cell in reading order, inside tables too."""
    for block in container.iter_inner_content():
        if isinstance(block, docx.table.Table):
            for row in block.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    yield from paragraphs(cell)
        else:
            yield block


def tables(container: Any) -> Iterator[Any]:
    for block in container.iter_inner_content():
        if isinstance(block, docx.table.Table):
            yield block
            for row in block.rows:
                for cell in row.cells:
                    yield from tables(cell)


def size(p: Any) -> float:
    sizes = {r.font.size.pt for r in p.runs if r.text.strip() and r.font.size is not None}
    assert len(sizes) == 1, (p.text, sizes)
    return sizes.pop()


def bold(p: Any) -> bool:
    return all(r.font.bold for r in p.runs if r.text.strip())


def italic(p: Any) -> bool:
    return all(r.font.italic for r in p.runs if r.text.strip())


def find(doc: Any, start: str) -> Any:
    found = [p for p in paragraphs(doc) if norm(p.text).startswith(start)]
    assert found, f"{start!r} not in the Word draft"
    return found[0]


def docx_words(doc: Any) -> set[str]:
    return {w for p in paragraphs(doc) for w in p.text.split()}


def pdf_text(path: Path, first: int | None = None, last: int | None = None) -> str:
    pages = ["-f", str(first), "-l", str(last)] if first else []
    return subprocess.run(["pdftotext", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def pdf_page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "999", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", info)]


def walk(items: list[Any]) -> Iterator[Any]:
    """Every flowable of a story, into KeepTogether blocks and table cells."""
    for f in items:
        yield f
        if isinstance(f, KeepTogether):
            yield from walk(list(f._content))
        elif isinstance(f, FillIn):
            yield f.paragraph
        elif isinstance(f, Table):
            for row in f._cellvalues:
                for value in row:
                    if isinstance(value, list | tuple):
                        yield from walk(list(value))
                    elif isinstance(value, Flowable):
                        yield from walk([value])


# --- every kind -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", KIND_PARAMS)
def test_the_header_title_and_signature_are_the_pdfs_in_decree_30_form(built: Any, key: str) -> None:
    b = built(key)
    doc = b.doc
    pdf = norm(pdf_text(b.pdf, 1, 1))
    header = doc.tables[0]
    left, right = header.rows[0].cells
    left_ps = [p for p in left.paragraphs if p.text.strip()]
    right_ps = [p for p in right.paragraphs if p.text.strip()]
    # issuing body (parent, then the body in bold, capitals, 12 pt) and "Số: …" (13 pt)
    *issuer, number = left_ps
    assert issuer and all(p.text.isupper() and size(p) == Size.ISSUER for p in issuer)
    assert bold(issuer[-1])
    assert number.text.startswith("Số: ") and size(number) == Size.NUMBER
    for p in left_ps:
        assert norm(p.text) in pdf
    # national name, motto, place and date, in the PDF's words
    national, motto, place_date = right_ps
    assert national.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" and bold(national)
    assert size(national) == Size.NATIONAL_NAME
    assert motto.text == "Độc lập - Tự do - Hạnh phúc" and bold(motto) and size(motto) == Size.MOTTO
    assert re.search(r", ngày \d\d tháng \d\d năm \d{4}$", place_date.text), place_date.text
    assert italic(place_date) and size(place_date) == Size.PLACE_DATE and norm(place_date.text) in pdf
    # the rules under the issuing body and the motto: bottom borders of short centred paragraphs
    ruled = [p for p in paragraphs(header.rows[0].cells[0]) if p._p.find(".//" + qn("w:pBdr")) is not None]
    assert len(ruled) == 1 and ruled[0].paragraph_format.left_indent.pt > 20
    assert any(p._p.find(".//" + qn("w:pBdr")) is not None for p in right.paragraphs)
    # the title: the kind of document, bold capitals, 14 pt, centred, as on the PDF's first page
    first = [p for p in doc.paragraphs if p.text.strip()][:3]  # a draft says DỰ THẢO above the title
    title = next(p for p in first if p.text.isupper() and size(p) == Size.TITLE)
    assert bold(title)
    assert title.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.text in pdf
    # the signature blocks: heading lines bold 13 pt, room for the signature, the signer's name bold
    slots = [s for f in walk(b.story.flowables) if isinstance(f, SignatureRow) for s in f.slots]
    assert slots
    texts = [norm(p.text) for p in paragraphs(doc)]
    all_ps = list(paragraphs(doc))
    for slot in slots:
        for line in slot.heading:
            p = all_ps[texts.index(line)]
            assert bold(p) and size(p) == Size.SIGNER
        assert slot.name, "the demo names every signer"
        p = all_ps[texts.index(slot.name)]
        assert bold(p) and size(p) == Size.SIGNER
    # "Nơi nhận:" 12 pt bold italic and its list 11 pt, where the PDF has recipients
    if "Nơi nhận:" in norm(pdf_text(b.pdf)):
        head = find(doc, "Nơi nhận:")
        assert bold(head) and italic(head) and size(head) == Size.RECIPIENTS_HEAD
        following = all_ps[texts.index(norm(head.text)) + 1]
        assert following.text.startswith("- ") and size(following) == Size.RECIPIENTS


@pytest.mark.parametrize("key", KIND_PARAMS)
def test_every_run_is_times_new_roman_for_every_script(built: Any, key: str) -> None:
    doc = built(key).doc
    normal = doc.styles["Normal"].element.rPr.rFonts
    runs = doc.element.body.iter(qn("w:r"))
    for element in [normal, *(r.find(qn("w:rPr")).find(qn("w:rFonts")) for r in runs)]:
        assert element is not None
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            assert element.get(qn(attr)) == FONT


@pytest.mark.parametrize("key", KIND_PARAMS)
def test_properties_are_in_the_schemas_order(built: Any, key: str) -> None:
    """Word refuses a file whose paragraph, cell or table properties are out of order (LibreOffice does not
    mind, so this is checked here)."""
    body = built(key).doc.element.body
    for tag, order in (("w:pPr", P_PR), ("w:tcPr", TC_PR), ("w:tblPr", TBL_PR)):
        rank = {qn(t): i for i, t in enumerate(order)}
        for props in body.iter(qn(tag)):
            seen = [rank[c.tag] for c in props if c.tag in rank]
            assert seen == sorted(seen), (tag, [c.tag.split("}")[1] for c in props])
            assert all(c.tag in rank for c in props), [c.tag for c in props if c.tag not in rank]


@pytest.mark.parametrize("key", KIND_PARAMS)
def test_tables_have_the_pdfs_cell_texts_and_landscape_pages_are_landscape_sections(
    built: Any, key: str
) -> None:
    b = built(key)
    story_tables = [f for f in walk(b.story.flowables) if isinstance(f, Table)]
    word_tables = list(tables(b.doc))
    side_by_side = sum(1 for f in walk(b.story.flowables) if isinstance(f, SignatureRow) and len(f.slots) > 1)
    assert len(word_tables) == len(story_tables) + side_by_side
    for st, wt in zip(story_tables, word_tables, strict=False):
        word_cells = {norm(c.text) for row in wt.rows for c in row.cells}
        for row in st._cellvalues:
            for value in row:
                if isinstance(value, str | int | float) and norm(str(value)):
                    assert norm(str(value)) in word_cells, (value, key)
                elif isinstance(value, Paragraph):
                    assert norm(value.getPlainText()) in word_cells
        assert len(wt.rows) == len(st._cellvalues)
        header_rows = st.repeatRows if isinstance(st.repeatRows, int) else len(st.repeatRows)
        for i, row in enumerate(wt.rows[:header_rows]):
            assert row._tr.trPr.find(qn("w:tblHeader")) is not None, i
    landscape_pages = sum(1 for w, h in pdf_page_sizes(b.pdf) if w > h)
    landscape_sections = [s for s in b.doc.sections if s.orientation == WD_ORIENT.LANDSCAPE]
    assert bool(landscape_pages) == bool(landscape_sections)
    assert len(landscape_sections) <= landscape_pages
    for s in landscape_sections:
        assert s.page_width > s.page_height


@pytest.mark.parametrize("key", KIND_PARAMS)
def test_every_word_of_the_pdf_is_in_the_word_draft(built: Any, key: str) -> None:
    b = built(key)
    pages = len(pdf_page_sizes(b.pdf))
    pdf_words = set(pdf_text(b.pdf).split())
    chart_words: set[str] = set()  # the charts are pictures in Word: their labels are not its text
    for f in walk(b.story.flowables):
        if isinstance(f, Drawing):
            chart = b.pdf.with_name("chart.pdf")
            chart.write_bytes(renderPDF.drawToString(f))
            chart_words |= set(pdf_text(chart).split())
    page_numbers = {str(n) for n in range(2, pages + 1)}
    # pdftotext joins words set close together ("8 / 3 / 2" → "8/3/2"): those are found without spaces
    compact = "".join("".join(p.text.split()) for p in paragraphs(b.doc))
    missing = {w for w in pdf_words - docx_words(b.doc) - chart_words - page_numbers if w not in compact}
    assert not missing, sorted(missing)[:30]
    # the pictures: one per chart, at the chart's size (with what reaches past its box: a label above it)
    drawings = [f for f in walk(b.story.flowables) if isinstance(f, Drawing)]
    shapes = b.doc.inline_shapes
    assert len(shapes) == len(drawings)
    for shape, d in zip(shapes, drawings, strict=True):
        x0, y0, x1, y1 = d.getBounds()
        width, height = max(d.width, x1) - min(0, x0), max(d.height, y1) - min(0, y0)
        assert abs(shape.width / EMU_PER_PT - width) < 1 and abs(shape.height / EMU_PER_PT - height) < 1
        assert d.width <= width < d.width + 20 and d.height <= height < d.height + 20


def test_page_set_up_page_numbers_and_properties(built: Any) -> None:
    b = built(REPORT_KINDS[0])
    section = b.doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for side in ("left", "right", "top", "bottom"):
        assert abs(getattr(section, f"{side}_margin") / EMU_PER_PT - MARGINS[side]) < 0.1
    # the page number: a PAGE field centred at the top, none on page 1, no footer
    assert section.different_first_page_header_footer
    header = section.header.paragraphs[0]
    assert header.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert "PAGE" in "".join(t.text for t in header._p.iter(qn("w:instrText")))
    assert not "".join(p.text for p in section.first_page_header.paragraphs).strip()
    assert not "".join(p.text for p in section.footer.paragraphs).strip()
    for later in b.doc.sections[1:]:  # a landscape appendix is numbered from its first page
        assert not later.different_first_page_header_footer
    props = b.doc.core_properties
    assert props.title == b.story.info.title and props.author == b.story.info.author
    assert props.created == props.modified and props.created.year == 2025
    assert props.keywords == b.story.info.keywords  # the minutes' are short: all of them


def test_the_same_data_gives_the_same_bytes(built: Any) -> None:
    b = built("appraisal")
    assert render_docx(b.data) == b.raw
    with zipfile.ZipFile(io.BytesIO(b.raw)) as z:
        assert {i.date_time for i in z.infolist()} == {(2025, 1, 1, 0, 0, 0)}


def test_long_core_properties_keep_their_whole_parts() -> None:
    sets = "; ".join(f"par-{i}-2024@1 sha256 {'ab' * 32}" for i in range(4))
    info = DocInfo("Báo cáo", "Sở Nội vụ", "Chỉ số", f"Tỉnh An Khánh; 2024; {sets}")
    props = docx.Document(io.BytesIO(docx_bytes(Story([Paragraph("x")], info)))).core_properties
    assert len(props.keywords) <= 255
    assert props.keywords.startswith("Tỉnh An Khánh; 2024; par-0-2024@1 sha256")
    assert info.keywords.startswith(props.keywords) and props.keywords.endswith("ab")


def test_an_unknown_flowable_is_an_error_not_a_silent_drop() -> None:
    class Stamp(Flowable):
        def draw(self) -> None:  # pragma: no cover - never laid out
            pass

    info = DocInfo("t", "a", "s", "k")
    with pytest.raises(UnknownFlowable, match="Stamp"):
        docx_bytes(Story([Paragraph("x"), Stamp()], info))
    with pytest.raises(UnknownFlowable, match="Stamp"):
        docx_bytes(Story([Table([[[Stamp()]]])], info))


# --- the faces ----------------------------------------------------------------------------------------------
def test_cli_writes_a_word_draft_and_refuses_to_sign_one(demo: Path, tmp_path: Path, run_cli: Any) -> None:
    out = tmp_path / "bien-ban.docx"
    code, stdout, _ = run_cli("report", "appraisal", "--db", demo, "--year", YEAR, "--unit", UNIT,
                              "--date", DAY.isoformat(), "--out", out, "--format", "docx")
    assert code == 0 and str(out) in stdout
    doc = docx.Document(str(out))
    assert find(doc, "BIÊN BẢN") and doc.tables
    # a Word draft is not signed: the PDF is; nothing is written
    refused = tmp_path / "signed.docx"
    for option in (["--p12", tmp_path / "k.p12"], ["--sign"], ["--timestamp-url", "http://tsa"]):
        code, _, stderr = run_cli("report", "appraisal", "--db", demo, "--year", YEAR, "--unit", UNIT,
                                  "--out", refused, "--format", "docx", *option)
        assert code != 0 and f"{option[0]}: " in stderr and "(--format docx)" in stderr
    assert not refused.exists()
    code, _, stderr = run_cli("report", "publication", "--db", demo, "--year", YEAR, "--draft",
                              "--out", tmp_path / "cong-bo.pdf", "--format", "docx")
    assert code != 0 and ".docx" in stderr


@pytest.mark.slow
def test_a_batch_of_units_writes_word_drafts(demo: Path, tmp_path: Path) -> None:
    codes = ["SO01", "SO02", "H01"]
    with open_project(demo) as project:
        produced = documents.produce(project, "self", YEAR, codes, tmp_path / "out", on=DAY, batch=True,
                                     workers=2, fmt="docx")
    assert [p.name for p in produced.files] == [f"bao-cao-tu-danh-gia-2024-{c}.docx" for c in codes]
    for path in produced.files:
        assert "BÁO CÁO" in {p.text for p in docx.Document(str(path)).paragraphs}
    with open_project(demo) as project, pytest.raises(UserError) as refused:
        documents.produce(project, "self", YEAR, codes[:1], tmp_path / "x.docx", fmt="docx",
                          signing=documents.Signing(documents.KeyChoice("p12", p12="k.p12")))
    assert refused.value.code == "scores.docx_not_signed" and not (tmp_path / "x.docx").exists()
    with open_project(demo) as project, pytest.raises(UserError) as refused:
        documents.produce(project, "results_xlsx", YEAR, None, tmp_path / "x.docx", fmt="docx")
    assert refused.value.code == "scores.docx_not_for"
    assert KINDS["appraisal"].file_name(2024, "SO01", "docx") == "bien-ban-tham-dinh-2024-SO01.docx"
    assert KINDS["appraisal"].file_name(2024, "SO01") == "bien-ban-tham-dinh-2024-SO01.pdf"


@pytest.mark.slow
def test_the_report_dialog_writes_a_word_draft(
    window: MainWindow, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = window.report_dialog("appraisal", 2024, ["SO01"])
    qtbot.addWidget(dialog)
    assert isinstance(dialog, ReportDialog) and dialog.fmt() == "pdf" and dialog.sign.isEnabled()
    dialog.file_format.setCurrentIndex(dialog.file_format.findData("docx"))
    assert dialog.fmt() == "docx" and dialog.out.text().endswith("bien-ban-tham-dinh-2024-SO01.docx")
    assert not dialog.sign.isEnabled() and not dialog.field.isEnabled()  # the draft is not signed
    filters: list[str] = []  # the file dialog's filter follows the format
    monkeypatch.setattr("evaluator.ui.report_dialog.save_file",
                        lambda _parent, _title, _start, pattern: filters.append(pattern) or "")
    dialog._pick_out()
    assert filters == ["*.docx"]
    out = tmp_path / "bien-ban.docx"
    dialog.out.setText(str(out))
    with qtbot.waitSignals([dialog.produced], timeout=60_000):
        assert dialog.produce() is not None
    assert "BIÊN BẢN" in {p.text for p in docx.Document(str(out)).paragraphs}
    assert "bản thảo Word" in dialog.status.text() and not dialog.sign_button.isEnabled()
    # an Excel workbook has no format choice; back to a PDF kind, the PDF suffix returns
    dialog.document.setCurrentIndex(dialog.document.findData("results_xlsx"))
    assert dialog.file_format.isHidden() and dialog.fmt() == "pdf"
    dialog.document.setCurrentIndex(dialog.document.findData("self"))
    dialog.file_format.setCurrentIndex(dialog.file_format.findData("pdf"))
    assert dialog.out.text().endswith(".pdf") and dialog.sign.isEnabled()
