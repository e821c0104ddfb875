"""The appraisal minutes (biên bản thẩm định) and the self-assessment report (báo cáo tự đánh giá)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    LongTable,
    Paragraph,
    Spacer,
)
from reportlab.platypus import TableStyle as TS

from evaluator.reports import text
from evaluator.reports.authority import (
    choose_signer,
    council_signer_heading,
    criteria_citation,
    unit_signer_heading,
)
from evaluator.reports.document_data import CriterionRow, Meeting, Person, UnitDocument
from evaluator.reports.layout import (
    AREA_SHADE,
    COND,
    COND_BOLD,
    FRAME_WIDTH,
    GRID,
    SHADE,
    FieldBox,
    SignatureRow,
    SignatureSlot,
    Size,
    closing,
    esc,
    header,
    styles,
    title_block,
    wrap,
)
from evaluator.reports.story import DocInfo, Story, render_story, renders

DOTS = "…" * 40
CELL_LEADING = Size.CELL * 1.15
MINUTES_FIELDS = ("secretary", "chair", "unit_representative")
SELF_FIELDS = ("unit_head",)


@renders(UnitDocument)
def unit_story(d: UnitDocument) -> Story:
    fields: list[FieldBox] = []
    flowables = _minutes(d, fields) if d.kind == "appraisal" else _self_report(d, fields)
    title = (
        "Biên bản thẩm định" if d.kind == "appraisal" else "Báo cáo tự đánh giá"
    ) + f" Chỉ số CCHC năm {d.year} — {d.unit_name}"
    info = DocInfo(
        title,
        d.meta.issuing_body[-1] if d.kind == "appraisal" else d.unit_name,
        f"Chỉ số CCHC {d.year}",
        f"{d.unit_code}; {d.framework_identity}; sha256 {d.framework_sha256}",
    )
    return Story(flowables, info, fields, MINUTES_FIELDS if d.kind == "appraisal" else SELF_FIELDS)


def render_unit_document(d: UnitDocument) -> tuple[bytes, list[FieldBox], int]:
    return render_story(unit_story(d))


# --- minutes -----------------------------------------------------------------------------------------
def _persons(people: list[Person], fallback_lines: int) -> list[Any]:
    st = styles()
    if not people:
        return [
            Paragraph(f"- Ông/Bà: {DOTS[:12]} Chức vụ: {DOTS[:10]}", st["body_left"])
            for _ in range(fallback_lines)
        ]
    out = []
    for p in people:
        line = f"- {p.salutation} <b>{esc(p.name)}</b>"
        if p.position:
            line += f", {esc(p.position)}"
        if p.role:
            line += f" — {esc(p.role)}"
        out.append(Paragraph(line + ";", st["body_left"]))
    return out


def _minutes(d: UnitDocument, fields: list[FieldBox]) -> list[Any]:
    st = styles()
    m = d.meta
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date), fields),
        *title_block(
            "BIÊN BẢN",
            f"Thẩm định kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính<br/>"
            f"năm {d.year} của {esc(d.unit_name)}",
        ),
        Paragraph("I. THỜI GIAN, ĐỊA ĐIỂM", st["heading"]),
        Paragraph(
            f"Vào hồi {_when(d.meeting.start)}, tại {esc(d.meeting.place) or DOTS[:20]}, "
            f"{esc(m.council_name)} "
            f"tiến hành thẩm định kết quả tự đánh giá, chấm điểm của "
            f"{esc(d.unit_name)}.",
            st["body_left"],
        ),
        Paragraph("II. THÀNH PHẦN", st["heading"]),
        Paragraph("1. Hội đồng thẩm định", st["subheading"]),
    ]
    council = [replace(m.chair, role="Chủ tịch Hội đồng")] if m.chair.name else []
    council += m.council
    if m.secretary.name:
        council.append(replace(m.secretary, role="Thư ký Hội đồng"))
    story += _persons(council, 3)
    story.append(Paragraph(f"2. Đại diện {esc(d.unit_name)}", st["subheading"]))
    story += _persons(d.representatives, 2)
    story += [
        Paragraph("III. NỘI DUNG THẨM ĐỊNH", st["heading"]),
        Paragraph(
            f"Căn cứ {esc(criteria_citation(d.framework_title, d.framework_issued_by))}, "
            "Hội đồng thẩm định đã xem xét tài liệu kiểm chứng và thống nhất kết quả thẩm định từng tiêu chí "
            "như sau:",
            st["body"],
        ),
        *_table_heading("1. Kết quả thẩm định chi tiết"),
        _leaf_table(d, appraisal=True),
        *_self_note(d),
        *_table_heading("2. Tổng hợp theo lĩnh vực"),
        _area_table(d),
        Paragraph("3. Kết quả chung", st["subheading"]),
    ]
    story += _totals(d)
    story += [
        Paragraph("IV. KẾT LUẬN CỦA HỘI ĐỒNG THẨM ĐỊNH", st["heading"]),
        *_free_text(d.conclusions),
        Paragraph("V. Ý KIẾN CỦA ĐƠN VỊ", st["heading"]),
        *_free_text(d.unit_opinion),
    ]
    # signed digitally: one original, no "lập thành 03 bản" (copies of a digital original are the file)
    ending = Paragraph(
        f"Biên bản kết thúc vào hồi {_end(d.meeting)}; các thành phần tham dự đã thống nhất nội dung và "
        "ký số dưới đây.",
        st["body"],
    )
    rep = d.representatives[0] if d.representatives else Person()
    row = SignatureRow(
        [
            SignatureSlot("unit_representative", ["ĐẠI DIỆN ĐƠN VỊ"], rep.name, rep.position),
            SignatureSlot("secretary", ["THƯ KÝ"], m.secretary.name, m.secretary.position),
            SignatureSlot("chair", council_signer_heading(m.chair.position), m.chair.name, m.chair.position),
        ],
        fields,
    )
    story.append(KeepTogether([ending, Spacer(1, 6 * mm), row]))  # never a signature block alone on a page
    return story


def _when(at: datetime | None) -> str:
    """"08 giờ 00 ngày 10 tháng 01 năm 2025", dotted where the setting has no start."""
    if at is None:
        return "…… giờ …… ngày …… tháng …… năm ……"
    return f"{at:%H} giờ {at:%M} ngày {at:%d} tháng {at:%m} năm {at.year}"


def _end(meeting: Meeting) -> str:
    """The end: "11 giờ 30 cùng ngày" (a time, or the start's day), else with its own date."""
    end = meeting.end
    if end is None:
        return "…… giờ …… cùng ngày"
    if end.year == 1900 or (meeting.start is not None and end.date() == meeting.start.date()):
        return f"{end:%H} giờ {end:%M} cùng ngày"
    return _when(end)


def _table_heading(title: str) -> list[Any]:
    """A heading that stays with the first rows of its table (the table itself may break)."""
    return [CondPageBreak(35 * mm), Paragraph(title, styles()["table_heading"])]


def _free_text(value: str) -> list[Any]:
    st = styles()
    if value.strip():
        return [Paragraph(esc(p), st["body"]) for p in value.split("\n") if p.strip()]
    return [Paragraph(DOTS[:34], st["body_left"]) for _ in range(3)]


def _totals(d: UnitDocument) -> list[Any]:
    st = styles()
    lines = [
        f"- Tổng điểm đơn vị tự đánh giá (phần tự chấm): <b>{text.points(d.self_total)}</b>/"
        f"{text.points(d.self_max)} điểm.",
        f"- Tổng điểm sau thẩm định (gồm điểm điều tra xã hội học): <b>{text.points(d.total)}</b> điểm; "
        f"điểm tối đa áp dụng: {text.points(d.total_max)} điểm"
        + (f"; điểm thưởng {text.points(d.bonus)}" if d.bonus else "")
        + (f"; điểm trừ {text.points(d.penalty)}" if d.penalty else "")
        + ".",
        f"- Chỉ số cải cách hành chính: <b>{text.index(d.index, d.index_decimals)}%</b>.",
        f"- Xếp loại: <b>{esc(d.class_label) or '…'}</b>.",
    ]
    return [Paragraph(line, st["body_left"]) for line in lines]


# --- self-assessment report ----------------------------------------------------------------------------
def _self_report(d: UnitDocument, fields: list[FieldBox]) -> list[Any]:
    st = styles()
    m = d.meta
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date), fields),
        *title_block(
            "BÁO CÁO",
            f"Kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính<br/>"
            f"năm {d.year} của {esc(d.unit_name)}",
        ),
        Paragraph(
            f"Thực hiện {esc(criteria_citation(d.framework_title, d.framework_issued_by))}, "
            f"{esc(d.unit_name)} báo cáo kết quả tự đánh giá, chấm điểm Chỉ số cải cách hành chính như sau:",
            st["body"],
        ),
        Paragraph("I. KẾT QUẢ TỰ ĐÁNH GIÁ, CHẤM ĐIỂM", st["heading"]),
        *_table_heading("1. Kết quả chi tiết theo tiêu chí"),
        _leaf_table(d, appraisal=False),
        *_self_note(d),
        *_table_heading("2. Tổng hợp theo lĩnh vực"),
        _area_table(d, appraisal=False),
        Paragraph("II. TỔNG HỢP", st["heading"]),
        Paragraph(
            f"Tổng điểm tự đánh giá: <b>{text.points(d.self_total)}</b>/{text.points(d.self_max)} điểm "
            f"(tỷ lệ {text.index(d.self_index, d.index_decimals)}%). Các tiêu chí đánh giá qua điều tra xã "
            "hội học (XHH) do Hội đồng thẩm định tổng hợp, không thuộc phần tự chấm. Số tài liệu kiểm "
            f"chứng kèm theo: {len(d.evidence)}.",
            st["body"],
        ),
    ]
    story.append(
        KeepTogether(
            [
                Paragraph(
                    f"{esc(d.unit_name)} cam kết kết quả tự đánh giá và tài liệu kiểm chứng nêu trên là đúng "
                    "sự thật./.",
                    st["body"],
                ),
                Spacer(1, 4 * mm),
                closing(
                    ["Hội đồng thẩm định (Sở Nội vụ);", "Lưu: VT."],
                    _unit_head_slot(d),
                    fields,
                ),
            ]
        )
    )
    return story


def _unit_head_slot(d: UnitDocument) -> SignatureSlot:
    """The unit's head (or deputy) signing with the unit's authority: the representative from the report
    setting whose position names the head (``Unit.head_title``) or a deputy, else the first one."""
    people = [(p.name, p.position) for p in d.representatives]
    i = choose_signer(people, d.unit_kind, d.unit_head_title)
    signer = d.representatives[i] if i is not None else Person()
    heading = unit_signer_heading(d.unit_kind, d.unit_head_title, signer.position)
    return SignatureSlot("unit_head", heading, signer.name)


# --- tables ---------------------------------------------------------------------------------------------
def _leaf_table(d: UnitDocument, appraisal: bool) -> LongTable:
    st = styles()
    if appraisal:
        head = [
            "Mã",
            "Tiêu chí",
            "Điểm tối đa",
            "Điểm tự chấm",
            "Điểm thẩm định",
            "Chênh lệch",
            "Lý do điều chỉnh",
            "Tài liệu kiểm chứng",
        ]
        widths = [12, 46, 12, 12, 12.5, 14.5, 28, 25]
    else:
        head = ["Mã", "Tiêu chí", "Điểm tối đa", "Điểm tự chấm", "Ghi chú của đơn vị", "Tài liệu kiểm chứng"]
        widths = [12, 60, 14, 14, 32, 30]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    col_widths = [w * mm * scale for w in widths]
    data: list[list[Any]] = [[Paragraph(h, st["cell_center"]) for h in head]]
    style: list[tuple[Any, ...]] = [
        ("FONT", (0, 0), (-1, -1), COND, Size.CELL, CELL_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("ALIGN", (2, 1), (5 if appraisal else 3, -1), "RIGHT"),
        ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    # Cells are pre-wrapped plain strings, not Paragraphs: a minutes file has ~100 rows of several text
    # cells and Paragraph parsing and wrapping would take most of the rendering time.
    pad = 5.0

    def fit(value: str, col: int, font: str = COND) -> str:
        return wrap(value, font, Size.CELL, col_widths[col] - pad) if value else ""

    for row in d.rows:
        i = len(data)
        if not row.is_leaf:
            values = _group_row(row, appraisal)
            if row.depth == 0:
                style += [
                    ("BACKGROUND", (0, i), (-1, i), AREA_SHADE),
                    ("FONT", (0, i), (-1, i), COND_BOLD, Size.CELL, CELL_LEADING),
                ]
            else:
                style.append(("FONT", (0, i), (-1, i), COND_BOLD, Size.CELL, CELL_LEADING))
            data.append([row.code, fit(row.title, 1, COND_BOLD), *values])
            continue
        title = row.title
        if row.source == "survey":
            title += " (XHH)"
        if row.role == "bonus":
            title += " (điểm thưởng)"
        elif row.role == "penalty":
            title += " (điểm trừ)"
        evidence_col = 7 if appraisal else 5
        evidence = "\n".join(fit(e.label, evidence_col) for e in row.evidence)
        self_text = (
            "KĐG"
            if row.not_applicable and row.self_points is not None and row.self_points == 0
            else text.points(row.self_points)
            if row.self_points is not None
            else ("–" if row.source == "survey" else "")
        )
        if row.self_claimed is not None:
            self_text += f"*\n({text.points(row.self_claimed)})"
        if appraisal:
            appraised = "KĐG" if row.not_applicable else text.points(row.appraised)
            diff = row.difference
            diff_text = "" if diff is None or diff == 0 or row.not_applicable else text.signed(diff)
            data.append(
                [
                    row.code,
                    fit(title, 1),
                    text.points(row.max),
                    self_text,
                    appraised,
                    diff_text,
                    fit(row.reason, 6),
                    evidence,
                ]
            )
        else:
            data.append(
                [row.code, fit(title, 1), text.points(row.max), self_text, fit(row.unit_note, 4), evidence]
            )
    table = LongTable(data, colWidths=col_widths, repeatRows=1, splitByRow=1)
    table.setStyle(TS(style))
    return table


def _self_note(d: UnitDocument) -> list[Any]:
    """The legend of the starred self scores, when there are any."""
    if not any(r.self_claimed is not None for r in d.rows):
        return []
    return [
        Paragraph(
            "(*) Tiêu chí bắt buộc có tài liệu kiểm chứng nhưng đơn vị chưa gửi: điểm tự chấm được "
            "tính 0; trong ngoặc là điểm đơn vị đã tự chấm.",
            styles()["note"],
        )
    ]


def _group_row(row: CriterionRow, appraisal: bool) -> list[str]:
    mx = text.points(row.max)
    self_points = "" if row.self_points is None else text.points(row.self_points)
    if row.role != "scored":
        mx = ""
    if appraisal:
        appraised = "" if row.appraised is None else text.points(row.appraised)
        return [mx, self_points, appraised, "", "", ""]
    return [mx, self_points, "", ""]


def _area_table(d: UnitDocument, appraisal: bool = True) -> LongTable:
    st = styles()
    if appraisal:
        head = ["STT", "Lĩnh vực", "Điểm tối đa", "Điểm tự chấm", "Điểm thẩm định", "Chỉ số thành phần (%)"]
        widths = [13, 81, 16, 16, 16, 20]
    else:
        head = ["STT", "Lĩnh vực", "Điểm tối đa (phần tự chấm)", "Điểm tự chấm"]
        widths = [13, 109, 20, 20]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    data: list[list[Any]] = [[Paragraph(h, st["cell_center"]) for h in head]]
    for a in d.areas:
        values: list[Any] = [
            a.code,
            Paragraph(esc(a.title), st["cell"]),
            text.points(a.max if appraisal else a.self_max),
            text.points(a.self_points),
        ]
        if appraisal:
            values += [text.points(a.appraised), text.index(a.index, d.index_decimals)]
        data.append(values)
    total: list[Any] = [
        "",
        Paragraph("<b>Cộng</b>", st["cell"]),
        text.points(sum(((a.max if appraisal else a.self_max) for a in d.areas), Decimal(0))),
        text.points(sum((a.self_points for a in d.areas), Decimal(0))),
    ]
    if appraisal:
        total += [text.points(sum((a.appraised for a in d.areas), Decimal(0))), ""]
    data.append(total)
    tail = 1
    if d.self_bonus or d.self_penalty or d.bonus or d.penalty:  # outside the 100 points
        for label, own, appraised in (
            ("Điểm thưởng", d.self_bonus, d.bonus),
            ("Điểm trừ", d.self_penalty, d.penalty),
        ):
            row: list[Any] = ["", label, "", text.points(own)]
            data.append(row + ([text.points(appraised), ""] if appraisal else []))
        last: list[Any] = ["", Paragraph("<b>Tổng điểm</b>", st["cell"]), "", text.points(d.self_total)]
        data.append(
            last + ([text.points(d.total), text.index(d.index, d.index_decimals)] if appraisal else [])
        )
        tail = 4
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(
        TS(
            [
                ("FONT", (0, 0), (-1, -1), COND, Size.CELL, CELL_LEADING),
                ("FONT", (0, -tail), (-1, -tail), COND_BOLD, Size.CELL, CELL_LEADING),
                ("FONT", (0, -1), (-1, -1), COND_BOLD, Size.CELL, CELL_LEADING),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ]
        )
    )
    return table
