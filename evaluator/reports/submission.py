"""The Department of Home Affairs' submission (tờ trình) to the provincial People's Committee proposing to
approve and publish the year's PAR Index: the basis, the process, a summary per unit kind, the proposal."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, Paragraph, Spacer
from reportlab.platypus import TableStyle as TS

from evaluator.reports import text
from evaluator.reports.authority import place_name, unit_signer_heading
from evaluator.reports.layout import (
    COND,
    COND_BOLD,
    FRAME_WIDTH,
    GRID,
    SHADE,
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
from evaluator.reports.notice_data import Submission, SubmissionSection, UnitIndex
from evaluator.reports.story import DocInfo, Story, renders

CELL_LEADING = Size.CELL * 1.15
SUBMISSION_FIELDS = ("director",)


def provincial_committee(province: str) -> str:
    """"Tỉnh An Khánh" → "Ủy ban nhân dân tỉnh An Khánh" (a city under the centre keeps "thành phố")."""
    lowered = province.lower()
    if lowered.startswith(("thành phố ", "tp. ")):
        return f"Ủy ban nhân dân thành phố {place_name(province)}"
    return f"Ủy ban nhân dân tỉnh {place_name(province)}" if province else "Ủy ban nhân dân tỉnh"


def _units(units: list[UnitIndex], decimals: int) -> str:
    return "; ".join(f"{esc(u.name)} ({text.index(u.index, decimals)}%)" for u in units) or "–"


@renders(Submission)
def submission_story(s: Submission) -> Story:
    register_fonts()
    st = styles()
    m = s.meta
    fields: list[FieldBox] = []
    committee = provincial_committee(s.province)
    kinds = "; ".join(dict.fromkeys(sec.label.split(" — ")[0] for sec in s.sections))
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date), fields),
        *title_block(
            "TỜ TRÌNH",
            f"Về việc đề nghị phê duyệt và công bố Chỉ số cải cách hành chính năm {s.year}<br/>"
            f"của các {esc(kinds.lower().replace('ubnd', 'UBND'))}",
        ),
        Paragraph(f"Kính gửi: {esc(committee)}.", st["center"]),
        Spacer(1, 4 * mm),
        Paragraph("I. CĂN CỨ", st["heading"]),
        *[Paragraph(f"Căn cứ {esc(c)};", st["body"]) for c in s.citations],
        Paragraph(
            "Căn cứ kết quả thẩm định của Hội đồng thẩm định Chỉ số cải cách hành chính và kết quả điều tra "
            "xã hội học." if s.survey else "Căn cứ kết quả thẩm định của Hội đồng thẩm định Chỉ số cải cách "
            "hành chính.",
            st["body"],
        ),
        Paragraph(
            f"Sở Nội vụ kính trình {esc(committee)} xem xét, phê duyệt và công bố Chỉ số cải cách hành chính "
            f"năm {s.year} như sau:",
            st["body"],
        ),
        Paragraph("II. QUÁ TRÌNH TRIỂN KHAI", st["heading"]),
        Paragraph(
            f"1. Tự đánh giá: {s.units} đơn vị tự đánh giá, chấm điểm theo bộ tiêu chí và gửi báo cáo kèm "
            "tài liệu kiểm chứng về Hội đồng thẩm định.",
            st["body"],
        ),
        Paragraph(
            "2. Thẩm định: Hội đồng thẩm định xem xét tài liệu kiểm chứng, thẩm định kết quả tự đánh giá của "
            "từng đơn vị, thông báo kết quả thẩm định lần 1 để đơn vị giải trình, bổ sung và thẩm định lại "
            "các tiêu chí đơn vị giải trình.",
            st["body"],
        ),
    ]
    if s.survey:
        story.append(Paragraph(
            "3. Điều tra xã hội học: kết quả điều tra xã hội học được tổng hợp và tính vào điểm của các tiêu "
            "chí đánh giá qua điều tra theo bộ tiêu chí.",
            st["body"],
        ))
    story += [
        CondPageBreak(50 * mm),
        Paragraph("III. KẾT QUẢ", st["heading"]),
        Paragraph(
            "Chỉ số cải cách hành chính của đơn vị được tính bằng tổng điểm đạt được chia cho tổng điểm tối "
            "đa áp dụng, nhân 100. Tóm tắt kết quả theo loại đơn vị:",
            st["body"],
        ),
        _summary_table(s),
        Spacer(1, 3 * mm),
    ]
    for i, sec in enumerate(s.sections, 1):
        story.append(_section(i, sec, s.index_decimals))
    if s.draft:  # not approved as final: the page says so above the title
        story.insert(1, Paragraph("DỰ THẢO", st["center_bold"]))
    story += [
        Paragraph("IV. ĐỀ XUẤT", st["heading"]),
        Paragraph(
            f"Sở Nội vụ kính trình {esc(committee)} xem xét, ban hành Quyết định phê duyệt và công bố Chỉ số "
            f"cải cách hành chính năm {s.year} của các {esc(kinds.lower().replace('ubnd', 'UBND'))} "
            "(dự thảo Quyết định kèm theo).",
            st["body"],
        ),
        Paragraph(f"Kính trình {esc(committee)} xem xét, quyết định./.", st["body"]),
        Spacer(1, 5 * mm),
        KeepTogether([
            closing(
                ["UBND tỉnh;", "Lưu: VT."],
                SignatureSlot("director", unit_signer_heading("department", "Giám đốc", s.signer.position),
                              s.signer.name, s.signer.position),
                fields,
            )
        ]),
    ]
    sets = "; ".join(f"{c['identity']} sha256 {c['sha256']}" for c in s.criteria_sets)
    info = DocInfo(
        f"Tờ trình đề nghị phê duyệt và công bố Chỉ số CCHC năm {s.year}",
        m.issuing_body[-1] if m.issuing_body else "",
        f"Chỉ số CCHC {s.year}",
        f"{s.province}; {s.year}; {sets}",
    )
    return Story(story, info, fields, SUBMISSION_FIELDS)


def _section(number: int, sec: SubmissionSection, decimals: int) -> Paragraph:
    classes = "; ".join(f"{esc(label)} {n} đơn vị ({text.index(share)}%)"
                        for _c, label, n, share in sec.classes)
    return Paragraph(
        f"{number}. {esc(sec.label)}: {sec.units} đơn vị; Chỉ số trung bình "
        f"<b>{text.index(sec.mean_index, decimals)}%</b>; cao nhất: {_units(sec.highest, decimals)}; thấp "
        f"nhất: {_units(sec.lowest, decimals)}. Xếp loại: {classes or '–'}.",
        styles()["body"],
    )


def _summary_table(s: Submission) -> LongTable:
    st = styles()
    head = ["Loại đơn vị", "Số đơn vị", "Cao nhất (%)", "Thấp nhất (%)", "Trung bình (%)",
            "Xếp loại (số đơn vị)"]
    widths = [38, 16, 19, 19, 21, 52]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    data: list[list[Any]] = [[Paragraph(h, st["cell_center"]) for h in head]]
    d = s.index_decimals
    for sec in s.sections:
        data.append([
            Paragraph(esc(sec.label), st["cell"]),
            str(sec.units),
            text.index(sec.highest[0].index, d) if sec.highest else "–",
            text.index(sec.lowest[0].index, d) if sec.lowest else "–",
            text.index(sec.mean_index, d) if sec.mean_index is not None else "–",
            Paragraph(esc("; ".join(f"{label}: {n}" for _c, label, n, _sh in sec.classes)) or "–",
                      st["cell"]),
        ])
    data.append([Paragraph("<b>Cộng</b>", st["cell"]), str(s.units), "", "", "", ""])
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(TS([
        ("FONT", (0, 0), (-1, -1), COND, Size.CELL, CELL_LEADING),
        ("FONT", (0, -1), (-1, -1), COND_BOLD, Size.CELL, CELL_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 1), (4, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table
