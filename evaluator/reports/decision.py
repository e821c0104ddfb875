"""The provincial People's Committee's decision approving and publishing the year's PAR Index (Quyết định
phê duyệt và công bố Chỉ số CCHC): Căn cứ lines, three articles, the committee's signature; one landscape
appendix per unit kind (and ranking group) with the ranking and every unit's component indices.

Provinces publish the results by such a decision (Khánh Hòa's QĐ 141/QĐ-UBND of 2021 is one), not by the
council's report: in the GUI it is the publication (``services.documents.produce`` records it so)."""

from __future__ import annotations

from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
)

from evaluator.reports import text
from evaluator.reports.decision_data import Decision
from evaluator.reports.document_data import KIND_LABELS, KindSection
from evaluator.reports.fonts import SERIF_ITALIC
from evaluator.reports.layout import (
    COND,
    COND_BOLD,
    WIDE_FRAME_WIDTH,
    FieldBox,
    SignatureSlot,
    Size,
    closing,
    esc,
    header,
    register_fonts,
    styles,
    title_block,
)
from evaluator.reports.publication import CELL_LEADING, ROMAN, head, table_style
from evaluator.reports.story import DocInfo, Story, renders

RECIPIENTS = [
    "Như Điều 3;",
    "Bộ Nội vụ;",
    "TT Tỉnh ủy, TT HĐND tỉnh;",
    "Chủ tịch, các PCT UBND tỉnh;",
    "Cổng thông tin điện tử tỉnh;",
    "Lưu: VT, NC.",
]


def numbers(count: int) -> list[str]:
    """Phụ lục I, II, …"""
    return [ROMAN[i] if i < len(ROMAN) else str(i + 1) for i in range(count)]


def kinds_text(sections: list[KindSection]) -> str:
    return ", ".join(dict.fromkeys(KIND_LABELS.get(s.kind, s.label) for s in sections))


@renders(Decision)
def decision_story(d: Decision) -> Story:
    register_fonts()
    st = styles()
    m = d.meta
    fields: list[FieldBox] = []
    committee = f"Ủy ban nhân dân {d.province}"
    year = d.year
    parts = numbers(len(d.sections))
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date), fields),
        *title_block("QUYẾT ĐỊNH", f"Phê duyệt và công bố Chỉ số cải cách hành chính năm {year}<br/>"
                                  f"của {esc(kinds_text(d.sections))}"),
        Paragraph(esc(committee.upper()), st["center_bold"]),
        Spacer(1, 6),
    ]
    if d.draft:  # not approved as final: the page says so above the title
        story.insert(1, Paragraph("DỰ THẢO", st["center_bold"]))
    basis = basis_style()
    for line in (*d.laws, *d.basis):
        story.append(Paragraph(f"Căn cứ {esc(line)};", basis))
    submission = esc(d.submission) if d.submission else "……/TTr-SNV ngày …/…/……"
    story += [
        Paragraph(f"Xét đề nghị của Giám đốc Sở Nội vụ tại Tờ trình số {submission}.", basis),
        Spacer(1, 4),
        Paragraph("QUYẾT ĐỊNH:", st["center_bold"]),
        Spacer(1, 6),
        Paragraph(
            f"<b>Điều 1.</b> Phê duyệt và công bố Chỉ số cải cách hành chính (Chỉ số CCHC) năm {year} của "
            f"{esc(kinds_text(d.sections))} {esc(d.province)}, chi tiết tại các Phụ lục kèm theo Quyết định "
            "này, như sau:",
            st["body"],
        ),
    ]
    for i, (number, s) in enumerate(zip(parts, d.sections, strict=True), start=1):
        classes = "; ".join(f"{esc(label)}: {count} đơn vị ({text.index(share)}%)"
                            for _c, label, count, share in s.classes if count)
        story.append(Paragraph(
            f"{i}. {esc(s.label)}: {len(s.rows)} đơn vị, Chỉ số CCHC trung bình "
            f"{text.index(s.mean_index, d.results.index_decimals)}%; {classes or 'chưa xếp loại'} "
            f"(Phụ lục {number}).",
            st["body"],
        ))
    story += [
        Paragraph(
            "<b>Điều 2.</b> Tổ chức thực hiện",
            st["body"],
        ),
        Paragraph(
            "1. Sở Nội vụ thông báo kết quả đến các cơ quan, đơn vị; đăng tải trên Cổng thông tin điện tử "
            "của tỉnh; theo dõi, đôn đốc các cơ quan, đơn vị khắc phục tồn tại, hạn chế và tổng hợp, báo cáo "
            "Ủy ban nhân dân tỉnh.",
            st["body"],
        ),
        Paragraph(
            f"2. Các cơ quan, đơn vị được xác định Chỉ số CCHC năm {year} căn cứ kết quả được công bố, phân "
            "tích các tiêu chí, tiêu chí thành phần bị trừ điểm, xây dựng kế hoạch khắc phục tồn tại, hạn "
            "chế và gửi Sở Nội vụ để theo dõi; người đứng đầu chịu trách nhiệm về kết quả cải cách hành "
            "chính của cơ quan, đơn vị mình.",
            st["body"],
        ),
        Paragraph(
            "<b>Điều 3.</b> Quyết định này có hiệu lực kể từ ngày ký. Chánh Văn phòng Ủy ban nhân dân tỉnh, "
            "Giám đốc Sở Nội vụ, Thủ trưởng các sở, ban, ngành; Chủ tịch Ủy ban nhân dân các cấp và các cơ "
            "quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
            st["body"],
        ),
        Spacer(1, 5 * mm),
        KeepTogether([closing(RECIPIENTS, SignatureSlot("chair", d.signer_heading, d.signer.name), fields)]),
    ]
    issuer = f"Ủy ban nhân dân {d.province}"
    for number, s in zip(parts, d.sections, strict=True):
        story += appendix(number, s, d, issuer)
    sets = dict.fromkeys(f"{s.framework_identity} sha256 {s.framework_sha256}" for s in d.sections)
    info = DocInfo(
        f"Quyết định phê duyệt và công bố Chỉ số CCHC năm {year}",
        m.issuing_body[-1] if m.issuing_body else "",
        f"Chỉ số CCHC {year}",
        f"{d.results.province}; {year}; " + "; ".join(sets),
    )
    return Story(story, info, fields, ("chair",))


def basis_style() -> ParagraphStyle:
    """The "Căn cứ …" lines: body text in italics (Decree 30, appendix I)."""
    return ParagraphStyle("basis", parent=styles()["body"], fontName=SERIF_ITALIC, spaceAfter=3)


def appendix(number: str, s: KindSection, d: Decision, issuer: str) -> list[Any]:
    """Decree 30: an appendix starts on a new page (landscape: the tables are wide) with "Phụ lục", its
    title in capitals and what it goes with in italics."""
    st = styles()
    m = d.meta
    decimals = d.results.index_decimals
    return [
        NextPageTemplate("landscape"),
        PageBreak(),
        Paragraph(f"Phụ lục {number}", st["center_bold"]),
        Paragraph(f"KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {d.year} — {esc(s.label.upper())}",
                  st["center_bold"]),
        Paragraph(
            f"(Kèm theo Quyết định số {esc(m.number)} ngày {m.date.day:02d} tháng {m.date.month:02d} năm "
            f"{m.date.year} của {esc(issuer)})",
            st["center_italic"],
        ),
        Spacer(1, 4 * mm),
        Paragraph("1. Xếp hạng, xếp loại", st["table_heading"]),
        ranking_table(s, decimals),
        Spacer(1, 3 * mm),
        Paragraph(f"Xếp hạng: {esc(s.tie_rule or s.tie_policy)}.", st["note"]),
        Spacer(1, 4 * mm),
        Paragraph("2. Chỉ số thành phần theo lĩnh vực (%)", st["table_heading"]),
        component_table(s, decimals),
        Spacer(1, 2 * mm),
        *[Paragraph(f"LV {esc(code)}: {esc(title)}", st["note"]) for code, title, _m in s.areas],
    ]


def ranking_table(s: KindSection, decimals: int) -> LongTable:
    """Rank, unit, points, maximum, index, class and rank change: every unit of the section, no codes."""
    data: list[list[Any]] = [head(["Hạng", "Đơn vị", "Tổng điểm", "Điểm tối đa", "Chỉ số (%)", "Xếp loại",
                                    "Thay đổi hạng so với năm trước"])]
    cell = styles()["cell"]
    for r in s.rows:
        data.append([
            r.rank or "",
            Paragraph(esc(r.name), cell),
            text.points(r.points),
            text.points(r.max),
            text.index(r.index, decimals),
            Paragraph(esc(r.class_label), cell),
            Paragraph(text.rank_change(r.rank_change, s.compared), cell),
        ])
    fixed = [16 * mm, 26 * mm, 26 * mm, 24 * mm, 30 * mm, 40 * mm]
    widths = [fixed[0], WIDE_FRAME_WIDTH - sum(fixed), *fixed[1:]]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(table_style([("ALIGN", (2, 1), (4, -1), "RIGHT"), ("ALIGN", (0, 1), (0, -1), "CENTER")]))
    return table


def component_table(s: KindSection, decimals: int) -> LongTable:
    """Every unit's component index per area and its index, the averages last."""
    codes = [c for c, _t, _m in s.areas]
    data: list[list[Any]] = [head(["Hạng", "Đơn vị", *[f"LV {c}" for c in codes], "Chỉ số"])]
    cell = styles()["cell"]
    for r in s.rows:
        data.append([r.rank or "", Paragraph(esc(r.name), cell),
                     *[text.index(r.areas.get(c), decimals) for c in codes], text.index(r.index, decimals)])
    data.append(["", "Trung bình", *[text.index(m, decimals) for _c, _t, m in s.areas],
                 text.index(s.mean_index, decimals)])
    rank_w = 16 * mm
    value_w = max(17 * mm, stringWidth("100,00", COND, Size.CELL) + 8)
    name_w = max(WIDE_FRAME_WIDTH - rank_w - value_w * (len(codes) + 1), 45 * mm)
    table = LongTable(data, colWidths=[rank_w, name_w, *[value_w] * (len(codes) + 1)], repeatRows=1)
    table.setStyle(table_style([
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("FONT", (0, -1), (-1, -1), COND_BOLD, Size.CELL, CELL_LEADING),
    ]))
    return table
