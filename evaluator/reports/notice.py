"""The council's notice of the first appraisal to a unit (thông báo kết quả thẩm định lần 1): where the
council's score differs from the unit's, with its reasons, the totals, and the deadline for explanations."""

from __future__ import annotations

from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, Paragraph, Spacer
from reportlab.platypus import TableStyle as TS

from evaluator.reports import text
from evaluator.reports.authority import council_signer_heading
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
from evaluator.reports.notice_data import NoticeDocument, NoticeRow
from evaluator.reports.story import DocInfo, Story, renders

CELL_LEADING = Size.CELL * 1.15
NOTICE_FIELDS = ("chair",)


def _day(d: Any) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


@renders(NoticeDocument)
def notice_story(n: NoticeDocument) -> Story:
    register_fonts()
    st = styles()
    m = n.meta
    fields: list[FieldBox] = []
    unit = esc(n.unit_name)
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date), fields),
        *title_block(
            "THÔNG BÁO",
            f"Kết quả thẩm định lần 1 Chỉ số cải cách hành chính năm {n.year}<br/>của {unit}",
        ),
        Paragraph(
            f"Căn cứ {esc(n.framework_citation)}; căn cứ kết quả tự đánh giá, chấm điểm của {unit} và tài "
            f"liệu kiểm chứng kèm theo, {esc(m.council_name)} thông báo kết quả thẩm định lần 1 Chỉ số cải "
            f"cách hành chính năm {n.year} của {unit} như sau:",
            st["body"],
        ),
        Paragraph("1. Kết quả chung", st["heading"]),
        Paragraph(
            f"- Tổng điểm đơn vị tự đánh giá (phần tự chấm): <b>{text.points(n.self_total)}</b>/"
            f"{text.points(n.self_max)} điểm.",
            st["body"],
        ),
        Paragraph(
            f"- Tổng điểm thẩm định lần 1 (gồm điểm điều tra xã hội học): <b>{text.points(n.appraised_total)}"
            f"</b>/{text.points(n.appraised_max)} điểm"
            + (f"; Chỉ số: <b>{text.index(n.index, n.index_decimals)}%</b>" if n.index is not None else "")
            + ".",
            st["body"],
        ),
    ]
    if n.rows:
        story += [
            CondPageBreak(40 * mm),
            Paragraph("2. Các tiêu chí có điểm thẩm định khác điểm tự đánh giá", st["heading"]),
            Paragraph(
                f"Hội đồng thẩm định điều chỉnh điểm {len(n.rows)} tiêu chí so với kết quả tự đánh giá của "
                "đơn vị, lý do từng tiêu chí như sau:",
                st["body"],
            ),
            _table(n.rows),
        ]
        if any(r.self_claimed is not None for r in n.rows):
            story.append(Paragraph(
                "(*) Tiêu chí bắt buộc có tài liệu kiểm chứng nhưng đơn vị chưa gửi: điểm tự đánh giá được "
                "tính 0; trong ngoặc là điểm đơn vị đã tự chấm.",
                st["note"],
            ))
    else:
        story += [
            Paragraph("2. Các tiêu chí có điểm thẩm định khác điểm tự đánh giá", st["heading"]),
            Paragraph(
                "Hội đồng thẩm định không điều chỉnh điểm tiêu chí nào: điểm thẩm định lần 1 của mọi tiêu "
                "chí đơn vị tự chấm bằng điểm đơn vị tự đánh giá.",
                st["body"],
            ),
        ]
    deadline = f"ngày {_day(n.deadline)}"
    story += [
        Paragraph("3. Giải trình", st["heading"]),
        Paragraph(
            f"Đề nghị {unit} rà soát kết quả thẩm định lần 1; trường hợp không thống nhất, gửi văn bản giải "
            "trình kèm tài liệu kiểm chứng bổ sung (nếu có) về Hội đồng thẩm định (qua Sở Nội vụ) "
            f"<b>trước {deadline}</b>. Quá thời hạn trên, đơn vị không có ý kiến giải trình thì Hội đồng "
            "thẩm định sử dụng kết quả thẩm định lần 1 để tổng hợp, xác định Chỉ số cải cách hành chính.",
            st["body"],
        ),
        Spacer(1, 5 * mm),
        KeepTogether([
            closing(
                [f"{n.unit_name};", "Lưu: VT, HĐTĐ."],
                SignatureSlot("chair", council_signer_heading(m.chair.position), m.chair.name,
                              m.chair.position),
                fields,
            )
        ]),
    ]
    info = DocInfo(
        f"Thông báo kết quả thẩm định lần 1 Chỉ số CCHC năm {n.year} — {n.unit_name}",
        m.issuing_body[-1] if m.issuing_body else "",
        f"Chỉ số CCHC {n.year}",
        f"{n.unit_code}; {n.framework_identity}; sha256 {n.framework_sha256}",
    )
    return Story(story, info, fields, NOTICE_FIELDS)


def _table(rows: list[NoticeRow]) -> LongTable:
    st = styles()
    head = ["Mã", "Tiêu chí", "Điểm tự đánh giá", "Điểm thẩm định", "Chênh lệch", "Lý do điều chỉnh"]
    widths = [13, 52, 17, 17, 17, 48]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    data: list[list[Any]] = [[Paragraph(h, st["cell_center"]) for h in head]]
    for r in rows:
        unit = text.points(r.self_points) if r.self_points is not None else "–"
        if r.self_claimed is not None:
            unit += f"*\n({text.points(r.self_claimed)})"
        appraised = "–" if r.appraised is None else text.points(r.appraised)
        if r.not_applicable:
            appraised = "KĐG"
        diff = r.difference
        data.append([
            r.code,
            Paragraph(esc(r.title), st["cell"]),
            unit,
            appraised,
            "" if diff is None else text.signed(diff),
            Paragraph(esc(r.reason) or "–", st["cell"]),
        ])
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1, splitByRow=1)
    table.setStyle(TS([
        ("FONT", (0, 0), (-1, -1), COND, Size.CELL, CELL_LEADING),
        ("FONT", (0, 0), (-1, 0), COND_BOLD, Size.CELL, CELL_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("ALIGN", (2, 1), (4, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]))
    return table
