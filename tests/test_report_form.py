"""Decree 30/2020 form of every document, measured in the PDF: the fonts embedded (Times New Roman or the
bundled Liberation Serif, never DejaVu), the size and style of each part (poppler's pdftohtml -xml), the
rules under the issuing body, the motto and the summary (the page's drawing operators against the text's
boxes from pdftotext -bbox-layout), page numbers at the top from page 2, no footer (the set's identity and
hash in the metadata), two decimals, and the tie rule as the set ranks."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pki
import pytest

from evaluator.models import open_project
from evaluator.reports import fonts, render, text
from evaluator.reports.layout import MARGINS
from evaluator.resources import resource
from evaluator.scoring.ranking import rank
from evaluator.services.publication_data import publication
from evaluator.services.report_data import unit_documents

DAY = date(2025, 2, 5)
MM = 72 / 25.4


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing: install the Debian package poppler-utils")
    return path


def _run(*cmd: str) -> str:
    return subprocess.run([_tool(cmd[0]), *cmd[1:]], check=True, capture_output=True).stdout.decode("utf-8")


@dataclass
class Piece:
    """A run of text as pdftohtml sees it: one font and size, top-left origin, points."""

    page: int
    text: str
    size: int
    family: str
    top: float
    left: float
    width: float
    height: float
    page_width: float
    page_height: float

    @property
    def bold(self) -> bool:
        return "Bold" in self.family

    @property
    def italic(self) -> bool:
        return "Italic" in self.family


def pieces(path: Path) -> list[Piece]:
    root = ET.fromstring(_run("pdftohtml", "-xml", "-i", "-stdout", "-fontfullname", "-zoom", "1", str(path)))
    specs: dict[str, tuple[int, str]] = {}
    out = []
    for page in root.iter("page"):
        for spec in page.iter("fontspec"):
            specs[spec.get("id", "")] = (int(spec.get("size", "0")), spec.get("family", ""))
        for t in page.iter("text"):
            size, family = specs[t.get("font", "")]
            out.append(
                Piece(
                    int(page.get("number", "0")),
                    " ".join("".join(t.itertext()).split()),
                    size,
                    family,
                    float(t.get("top", "0")),
                    float(t.get("left", "0")),
                    float(t.get("width", "0")),
                    float(t.get("height", "0")),
                    float(page.get("width", "0")),
                    float(page.get("height", "0")),
                )
            )
    return out


def find(all_pieces: list[Piece], start: str, page: int | None = None) -> Piece:
    found = [p for p in all_pieces if p.text.startswith(start) and (page is None or p.page == page)]
    assert found, f"{start!r} not found"
    return found[0]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return pki.demo_project(tmp_path_factory)


@pytest.fixture(scope="module")
def docs(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("form")
    with open_project(demo_db) as project, project.session() as s:
        made = {
            "minutes": unit_documents(s, 2024, ["SO01"], "appraisal", DAY)[0],
            "self": unit_documents(s, 2024, ["X0101"], "self", DAY)[0],
            "publication": publication(s, 2024, DAY),
        }
    files = {}
    for name, doc in made.items():
        files[name] = out / f"{name}.pdf"
        files[name].write_bytes(render(doc).data)
    return files


@pytest.fixture(scope="module")
def measured(docs: dict[str, Path]) -> dict[str, list[Piece]]:
    return {name: pieces(path) for name, path in docs.items()}


# --- 1. font -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["minutes", "self", "publication"])
def test_every_font_is_times_new_roman_or_liberation_serif(
    docs: dict[str, Path], measured: dict[str, list[Piece]], name: str
) -> None:
    rows = [line for line in _run("pdffonts", str(docs[name])).splitlines()[2:] if line.strip()]
    assert rows, "no font embedded"
    for row in rows:
        assert re.match(r"[A-Z]{6}\+(TimesNewRoman|LiberationSerif)", row), row  # embedded subsets
        assert re.search(r"\byes\s+yes\s+yes\b", row), row
        assert "DejaVu" not in row
    families = {p.family.split("+")[-1] for p in measured[name]}
    assert families <= {
        f"{family}{style}"
        for family in ("LiberationSerif", "TimesNewRomanPSMT", "TimesNewRoman")
        for style in ("", "-Bold", "-Italic", "-BoldItalic", "PS-BoldMT", "PS-ItalicMT", "PS-BoldItalicMT")
    }, families


def _times_folder(folder: Path, names: dict[str, str]) -> Path:
    folder.mkdir(parents=True)
    for style, name in names.items():
        shutil.copyfile(resource("fonts", fonts.BUNDLED[style]), folder / name)
    return folder


WINDOWS_NAMES = {
    fonts.SERIF: "times.ttf",
    fonts.SERIF_BOLD: "timesbd.ttf",
    fonts.SERIF_ITALIC: "timesi.ttf",
    fonts.SERIF_BOLD_ITALIC: "timesbi.ttf",
}


def test_times_new_roman_is_looked_up_and_else_liberation_serif(tmp_path: Path) -> None:
    # Copies of the Liberation files under Times New Roman's names stand for the real font.
    windows = _times_folder(tmp_path / "Windows" / "Fonts", WINDOWS_NAMES)
    family, files = fonts.font_files([tmp_path / "nothing", windows])
    assert family == "Times New Roman"
    assert files == {style: windows / name for style, name in WINDOWS_NAMES.items()}
    # Debian's msttcorefonts keep it two folders down, under other names.
    debian = _times_folder(
        tmp_path / "share" / "fonts" / "truetype" / "msttcorefonts",
        {
            fonts.SERIF: "Times_New_Roman.ttf",
            fonts.SERIF_BOLD: "Times_New_Roman_Bold.ttf",
            fonts.SERIF_ITALIC: "Times_New_Roman_Italic.ttf",
            fonts.SERIF_BOLD_ITALIC: "Times_New_Roman_Bold_Italic.ttf",
        },
    )
    assert (
        fonts.font_files([tmp_path / "share" / "fonts"])[1][fonts.SERIF_BOLD]
        == debian / "Times_New_Roman_Bold.ttf"
    )
    # Three styles out of four are not the typeface: the bundled font, all four styles.
    (windows / "timesbi.ttf").unlink()
    family, files = fonts.font_files([windows])
    assert family == "Liberation Serif"
    assert files == {style: resource("fonts", file) for style, file in fonts.BUNDLED.items()}
    assert all(path.is_file() for path in files.values())
    assert resource("fonts", "LiberationSerif-LICENSE.txt").read_text("utf-8").count("SIL OPEN FONT LICENSE")


def test_the_font_found_is_the_one_registered_and_embedded(tmp_path: Path) -> None:
    """In a fresh process (the registration is once per process): the system folders pointed at a folder
    holding "Times New Roman", a document rendered, and the font reportlab embedded read from that file."""
    folder = _times_folder(tmp_path / "Fonts", WINDOWS_NAMES)
    script = f"""
from pathlib import Path
from reportlab.pdfbase import pdfmetrics
from evaluator.reports import fonts
from evaluator.reports.layout import header
from reportlab.platypus import SimpleDocTemplate
fonts.font_folders = lambda: [Path({str(folder)!r})]
print(fonts.register_fonts())
for style in fonts.STYLES:
    print(pdfmetrics.getFont(style).face.filename)
SimpleDocTemplate({str(tmp_path / "h.pdf")!r}).build([header(["SỞ NỘI VỤ"], "01/BC-SNV", "Lâm Đồng")])
"""
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    lines = out.split()
    assert lines[0:3] == ["Times", "New", "Roman"]
    assert sorted(lines[3:]) == sorted(str(folder / name) for name in WINDOWS_NAMES.values())
    assert "LiberationSerif" in _run("pdffonts", str(tmp_path / "h.pdf"))  # the copies' own name
    # and without a Times New Roman, the bundled font
    script = script.replace(f"Path({str(folder)!r})", f"Path({str(tmp_path / 'none')!r})")
    out = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True).stdout
    assert out.startswith("Liberation Serif") and str(resource("fonts")) in out


# --- 2. sizes ------------------------------------------------------------------------------------------
def _check(p: Piece, sizes: range, bold: bool, italic: bool = False) -> None:
    assert p.size in sizes, (p.text, p.size)
    assert p.bold == bold and p.italic == italic, (p.text, p.family)


def test_sizes_of_the_header_title_body_and_signatures(measured: dict[str, list[Piece]]) -> None:
    m = measured["minutes"]
    _check(find(m, "UBND TỈNH AN KHÁNH", 1), range(12, 14), bold=False)  # parent body
    _check(find(m, "HỘI ĐỒNG THẨM ĐỊNH", 1), range(12, 14), bold=True)  # issuing body
    _check(find(m, "Số:", 1), range(13, 15), bold=False)
    _check(find(m, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 1), range(12, 14), bold=True)  # quốc hiệu
    _check(find(m, "Độc lập - Tự do - Hạnh phúc", 1), range(13, 15), bold=True)  # tiêu ngữ
    _check(find(m, "An Khánh, ngày 05 tháng 02 năm 2025", 1), range(13, 15), bold=False, italic=True)
    _check(find(m, "BIÊN BẢN", 1), range(13, 15), bold=True)  # kind
    _check(find(m, "Thẩm định kết quả tự đánh giá", 1), range(13, 15), bold=True)  # trích yếu
    _check(find(m, "I. THỜI GIAN, ĐỊA ĐIỂM", 1), range(13, 15), bold=True)
    _check(find(m, "Vào hồi", 1), range(13, 15), bold=False)  # body
    last = max(p.page for p in m)
    for line in ("ĐẠI DIỆN ĐƠN VỊ", "THƯ KÝ", "TM. HỘI ĐỒNG", "CHỦ TỊCH", "Nguyễn Văn Hùng", "Lê Thị Thu Hà"):
        _check(find(m, line, last), range(13, 15), bold=True)  # signer's title and name
    s = measured["self"]
    _check(find(s, "Nơi nhận:"), range(12, 13), bold=True, italic=True)
    _check(find(s, "- Hội đồng thẩm định"), range(11, 12), bold=False)
    _check(find(s, "- Lưu: VT."), range(11, 12), bold=False)
    _check(find(s, "TM. ỦY BAN NHÂN DÂN"), range(13, 15), bold=True)
    p = measured["publication"]
    _check(find(p, "Nơi nhận:"), range(12, 13), bold=True, italic=True)
    _check(find(p, "TM. HỘI ĐỒNG THẨM ĐỊNH"), range(13, 15), bold=True)


@pytest.mark.parametrize("name", ["minutes", "self", "publication"])
def test_tables_are_at_least_11_points_and_charts_10(measured: dict[str, list[Piece]], name: str) -> None:
    m = measured[name]
    small = [(p.page, p.text, p.size) for p in m if p.size < 11]
    if name != "publication":
        assert not small, small[:5]  # every table cell and note
        return
    # the publication: table cells (units' codes and names) 11 points; only chart labels at 10
    _check(find(m, "SO18"), range(11, 13), bold=False)
    assert {p.size for p in m if p.text == "Văn phòng UBND tỉnh"} == {10, 11}  # the chart's label, the cell
    assert small and all(size == 10 for _page, _text, size in small), small[:5]


def test_charts_name_units_by_short_name_else_name(docs: dict[str, Path], demo_db: Path) -> None:
    from evaluator.models.schema import Unit

    chart_words = {p.text for p in pieces(docs["publication"]) if p.size == 10}
    # the demo's units have short names ("Sở Nội vụ" → "Nội vụ"): the charts use them, never the code
    assert "Nội vụ" in chart_words and "Sở Nội vụ" not in chart_words and "SO01" not in chart_words
    with open_project(demo_db) as project, project.session() as s:
        s.query(Unit).filter(Unit.code == "SO01").one().short_name = ""
        s.commit()
        pub = publication(s, 2024, DAY)
    try:
        row = next(r for r in pub.sections[0].rows if r.code == "SO01")
        assert row.short_name == "" and row.chart_label == "Sở Nội vụ"  # no short name: the name
    finally:
        with open_project(demo_db) as project, project.session() as s:
            s.query(Unit).filter(Unit.code == "SO01").one().short_name = "Nội vụ"
            s.commit()


# --- 3. rules, page numbers, no footer ------------------------------------------------------------------
_TOKEN = re.compile(
    rb"\((?:\\.|[^\\()])*\)|<[0-9A-Fa-f\s]*>|/[^\s/\[\]()<>]+|[-+]?(?:\d+\.?\d*|\.\d+)|[A-Za-z*'\"]+|[\[\]]"
)


def horizontal_rules(path: Path, page: int) -> list[tuple[float, float, float]]:
    """(x0, x1, y from the top) of every horizontal line the page draws, from its content stream
    (reportlab only translates, so the transformation matrix is tracked as a stack of offsets)."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    with path.open("rb") as f:
        reader = PdfFileReader(f)
        obj = reader.root["/Pages"]["/Kids"][page - 1].get_object()
        height = float(obj["/MediaBox"][3])
        contents = obj["/Contents"].get_object()
        data = (
            b"".join(c.get_object().data for c in contents) if isinstance(contents, list) else contents.data
        )
    stack: list[Any] = [(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)]
    operands: list[bytes] = []
    start = (0.0, 0.0)
    out = []
    for token in _TOKEN.findall(data):
        if re.fullmatch(rb"[-+]?(?:\d+\.?\d*|\.\d+)", token) or token[:1] in b"(</[]":
            operands.append(token)
            continue
        op = token.decode()
        nums = [float(x) for x in operands if re.fullmatch(rb"[-+]?(?:\d+\.?\d*|\.\d+)", x)]
        operands = []
        a, b, c, d, e, f0 = stack[-1]
        if op == "q":
            stack.append(stack[-1])
        elif op == "Q":
            stack.pop()
        elif op == "cm":
            a2, b2, c2, d2, e2, f2 = nums[-6:]
            stack[-1] = (
                a2 * a + b2 * c,
                a2 * b + b2 * d,
                c2 * a + d2 * c,
                c2 * b + d2 * d,
                e2 * a + f2 * c + e,
                e2 * b + f2 * d + f0,
            )
        elif op == "m":
            start = (a * nums[-2] + c * nums[-1] + e, b * nums[-2] + d * nums[-1] + f0)
        elif op == "l":
            end = (a * nums[-2] + c * nums[-1] + e, b * nums[-2] + d * nums[-1] + f0)
            if abs(end[1] - start[1]) < 0.01 and abs(end[0] - start[0]) > 1:
                out.append((min(start[0], end[0]), max(start[0], end[0]), height - start[1]))
    return out


def text_lines(path: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(text, x0, x1, y top, y bottom) of each line pdftotext sees: the bottom takes in the descenders."""
    root = ET.fromstring(
        re.sub(
            r"<!DOCTYPE[^>]*>|xmlns=\"[^\"]*\"",
            "",
            _run("pdftotext", "-bbox-layout", "-f", str(page), "-l", str(page), str(path), "-"),
        )
    )
    out = []
    for line in root.iter("line"):
        words = list(line.iter("word"))
        out.append(
            (
                " ".join(w.text or "" for w in words),
                min(float(w.get("xMin", "0")) for w in words),
                max(float(w.get("xMax", "0")) for w in words),
                min(float(w.get("yMin", "0")) for w in words),
                max(float(w.get("yMax", "0")) for w in words),
            )
        )
    return out


@pytest.mark.parametrize("name", ["minutes", "self", "publication"])
def test_rules_sit_under_the_text_centred(docs: dict[str, Path], name: str) -> None:
    """Decree 30: the motto's rule as long as the motto, the issuing body's a third to a half of its
    line; both centred under their line and below its descenders (the dot under Ộ, Ị)."""
    path = docs[name]
    lines = text_lines(path, 1)
    title = next(t for t in lines if t[0] in ("BIÊN BẢN", "BÁO CÁO"))
    rules = [r for r in horizontal_rules(path, 1) if r[2] < title[3]]
    assert len(rules) == 2, rules  # the header's two, nothing else above the title
    seen = set()
    for r0, r1, ry in rules:
        middle = (r0 + r1) / 2
        above = max((t for t in lines if t[4] < ry and t[1] <= middle <= t[2]), key=lambda t: t[4])
        text_line, x0, x1, _top, bottom = above
        assert bottom + 0.5 < ry < bottom + 8, (text_line, bottom, ry)  # under the descenders, close by
        assert abs(middle - (x0 + x1) / 2) < 1.5, (text_line, (r0, r1), (x0, x1))  # centred
        width = x1 - x0
        share = (1.0, 1.0) if text_line == "Độc lập - Tự do - Hạnh phúc" else (1 / 3, 1 / 2)
        assert share[0] * width - 1.5 <= r1 - r0 <= share[1] * width + 1.5, (text_line, r1 - r0, width)
        seen.add("motto" if share[0] == 1.0 else "issuer")
    assert seen == {"motto", "issuer"}


@pytest.mark.parametrize("name", ["minutes", "self", "publication"])
def test_page_numbers_at_the_top_from_page_two_and_no_footer(
    docs: dict[str, Path], measured: dict[str, list[Piece]], name: str
) -> None:
    m = measured[name]
    last = max(p.page for p in m)
    assert last >= 2
    for page in range(1, last + 1):
        on_page = [p for p in m if p.page == page]
        top = [p for p in on_page if p.top + p.height < MARGINS["top"]]
        if page == 1:
            assert not top, top
        else:
            assert [p.text for p in top] == [str(page)], (page, top)
            number = top[0]
            assert abs(number.left + number.width / 2 - number.page_width / 2) < 2  # centred
            assert number.size in range(13, 15) and not number.bold
        foot = [p for p in on_page if p.top > p.page_height - MARGINS["bottom"]]
        assert not foot, foot  # nothing under the text area: no technical footer
    words = " ".join(p.text for p in m)
    assert "sha256" not in words and "@1" not in words  # the set's identity and hash: in the metadata
    assert not re.search(r"Trang \d+/\d+", words)  # the old footer


def test_set_identity_and_hash_are_in_the_metadata(docs: dict[str, Path], demo_db: Path) -> None:
    with open_project(demo_db) as project, project.session() as s:
        minutes = unit_documents(s, 2024, ["SO01"], "appraisal", DAY)[0]
        pub = publication(s, 2024, DAY)
    info = _run("pdfinfo", str(docs["minutes"]))
    assert re.search(
        rf"Keywords:\s+SO01; {re.escape(minutes.framework_identity)}; sha256 {minutes.framework_sha256}", info
    )
    info = " ".join(_run("pdfinfo", str(docs["publication"])).split())
    for section in pub.sections:
        assert f"{section.framework_identity} sha256 {section.framework_sha256}" in info


# --- 4. numbers ----------------------------------------------------------------------------------------
def test_points_always_with_two_decimals() -> None:
    assert text.points(Decimal("89.4")) == "89,40"
    assert text.points(Decimal("1")) == "1,00"
    assert text.points(Decimal("1234.5")) == "1.234,50"
    assert text.signed(Decimal("0.5")) == "+0,50" and text.signed(Decimal("-0.25")) == "−0,25"
    assert text.points(None) == ""


@pytest.mark.parametrize("name", ["minutes", "self", "publication"])
def test_no_number_with_fewer_than_two_decimals(measured: dict[str, list[Piece]], name: str) -> None:
    words = [p.text for p in measured[name] if p.size >= 11]  # text and tables (chart scales are whole %)
    one_decimal = [w for w in words if re.search(r"(?<![\d.,])\d{1,3}(?:\.\d{3})*,\d(?![\d])", w)]
    assert not one_decimal, one_decimal[:5]
    # point columns: a number cell never stands without its decimals
    cells = [w for w in words if re.fullmatch(r"[+−]?\d+(?:,\d+)?\*?", w)]
    assert any("," in c for c in cells)


# --- 5. the tie rule -------------------------------------------------------------------------------------
def test_tie_rule_follows_the_set() -> None:
    standard = text.tie_rule("min", ("appraisal",))
    assert "tổng điểm thẩm định" in standard and standard.index("thẩm định") < standard.index("1-2-2-4")
    dense = text.tie_rule("dense", ())
    assert "1-2-2-3" in dense and "1-2-2-4" not in dense and "thẩm định" not in dense
    assert "1-2-3-4" in text.tie_rule("ordinal", ())
    # what the words say is what the ranking does
    codes = np.array(["A", "B", "C", "D"])
    index, appraisal = np.array([90.0, 90.0, 90.0, 80.0]), np.array([50.0, 40.0, 45.0, 30.0])
    assert rank([index, appraisal], codes, "min").tolist() == [1, 3, 2, 4]  # the tie-breaker decides
    assert rank([index, np.array([40.0, 40.0, 45.0, 30.0])], codes, "min").tolist() == [2, 2, 1, 4]
    assert rank([index], codes, "dense").tolist() == [1, 1, 1, 2]
    by_area = text.tie_rule("min", ("area:3", "survey"), {"3": "Cải cách thủ tục hành chính"})
    assert "lĩnh vực 3 (Cải cách thủ tục hành chính), rồi theo điểm điều tra xã hội học" in by_area


@pytest.mark.slow
def test_publication_states_the_sets_own_tie_rule(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The bundled sets break ties on the appraisal points (equal indices get 1-2-3-4 unless the points
    are equal too), a dense set without tie-breakers gives 1-2-2-3: the publication says which, from the
    set it ranked with."""
    from evaluator.services import results

    with open_project(demo_db) as project, project.session() as s:
        standard = publication(s, 2024, DAY)
    body = _render_text(standard, tmp_path / "standard.pdf")
    assert (
        "các đơn vị bằng Chỉ số được xếp theo tổng điểm thẩm định (không kể điểm điều tra xã hội học)" in body
    )
    assert "đồng hạng, bỏ qua hạng kế tiếp (1-2-2-4)" not in body  # the old wording, whatever the set

    compute_year = results.compute_year

    def dense_sets(*args: Any, **kwargs: Any) -> Any:
        year = compute_year(*args, **kwargs)
        for kind, fw in list(year.frameworks.items()):
            year.frameworks[kind] = dataclasses.replace(fw, tie_policy="dense", tie_breakers=())
        return year

    monkeypatch.setattr(results, "compute_year", dense_sets)
    with open_project(demo_db) as project, project.session() as s:
        dense = publication(s, 2024, DAY)
    body = _render_text(dense, tmp_path / "dense.pdf")
    assert "Xếp hạng: các đơn vị bằng Chỉ số cùng hạng, hạng kế tiếp liền sau (ví dụ 1-2-2-3)." in body
    assert "1-2-2-4" not in body and "điểm thẩm định (không kể" not in body


def _render_text(document: Any, path: Path) -> str:
    path.write_bytes(render(document).data)
    return " ".join(_run("pdftotext", "-enc", "UTF-8", str(path), "-").split())
