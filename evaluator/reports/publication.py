"""The results publication of a year: ranking per unit kind, classes, component indices, vector charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    LongTable,
    NextPageTemplate,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
)
from reportlab.platypus import TableStyle as TS

from evaluator.reports import text
from evaluator.reports.document_data import KIND_LABELS, KindSection, Publication
from evaluator.reports.layout import (
    COND,
    COND_BOLD,
    FRAME_WIDTH,
    GRID,
    SHADE,
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
from evaluator.reports.story import DocInfo, Story, render_story, renders

CELL_LEADING = Size.CELL * 1.15

ROMAN = ("I", "II", "III", "IV", "V", "VI")
BAR = colors.Color(0.20, 0.38, 0.62)
BAR_LIGHT = colors.Color(0.55, 0.68, 0.85)
CLASS_COLOURS = [
    colors.Color(0.13, 0.47, 0.25),
    colors.Color(0.35, 0.62, 0.30),
    colors.Color(0.85, 0.65, 0.15),
    colors.Color(0.88, 0.45, 0.15),
    colors.Color(0.75, 0.18, 0.15),
    colors.Color(0.5, 0.5, 0.5),
]


@renders(Publication)
def publication_story(p: Publication) -> Story:
    register_fonts()
    st = styles()
    m = p.meta
    fields: list[FieldBox] = []
    kinds = ", ".join(dict.fromkeys(KIND_LABELS.get(s.kind, s.label) for s in p.sections))  # groups: one kind
    citations = list(dict.fromkeys(s.framework_citation for s in p.sections if s.framework_citation))
    basis = f"Căn cứ {'; '.join(esc(c) for c in citations)}, " if citations else ""
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date), fields),
        *title_block("BÁO CÁO", f"Công bố kết quả Chỉ số cải cách hành chính năm {p.year}<br/>{esc(kinds)}"),
        Paragraph(
            f"{basis}Hội đồng thẩm định công bố kết quả xác định Chỉ số cải cách hành chính "
            f"(Chỉ số CCHC) năm {p.year} của {esc(p.province) or 'tỉnh'} như sau. Chỉ số được tính bằng "
            "tổng điểm đạt được chia cho tổng điểm tối đa áp dụng, nhân 100; thay đổi hạng và điểm so với "
            "năm trước.",
            st["body"],
        ),
    ]
    if p.draft:  # not approved as final: the page says so above the title
        story.insert(1, Paragraph("DỰ THẢO", st["center_bold"]))
    numbers = [ROMAN[i] if i < len(ROMAN) else str(i + 1) for i in range(len(p.sections))]
    for number, s in zip(numbers, p.sections, strict=True):
        story += _section(number, s, p)
    story += [
        Spacer(1, 5 * mm),
        KeepTogether(
            [
                closing(
                    [
                        "Chủ tịch, các Phó Chủ tịch UBND tỉnh;",
                        "Các sở, ban, ngành; UBND cấp huyện, cấp xã;",
                        "Lưu: VT, HĐTĐ.",
                    ],
                    SignatureSlot(
                        "chair", ["TM. HỘI ĐỒNG THẨM ĐỊNH", "CHỦ TỊCH"], m.chair.name, m.chair.position
                    ),
                    fields,
                )
            ]
        ),
    ]
    for number, s in zip(numbers, p.sections, strict=True):
        story += _appendix(number, s, p)
    sets = dict.fromkeys(f"{s.framework_identity} sha256 {s.framework_sha256}" for s in p.sections)
    info = DocInfo(
        f"Công bố kết quả Chỉ số CCHC năm {p.year}",
        m.issuing_body[-1],
        f"Chỉ số CCHC {p.year}",
        f"{p.province}; {p.year}; " + "; ".join(sets),
    )
    return Story(story, info, fields, ("chair",))


def render_publication(p: Publication) -> tuple[bytes, list[FieldBox], int]:
    return render_story(publication_story(p))


def _section(number: str, s: KindSection, p: Publication) -> list[Any]:
    st = styles()
    classes = "; ".join(
        f"{esc(label)} {count} đơn vị ({text.index(share)}%)" for _c, label, count, share in s.classes
    )
    out: list[Any] = [
        CondPageBreak(60 * mm),
        Paragraph(f"{number}. KẾT QUẢ CỦA {esc(s.label.upper())}", st["heading"]),
        Paragraph(
            f"Số đơn vị: {len(s.rows)}; Chỉ số CCHC trung bình: "
            f"<b>{text.index(s.mean_index, p.index_decimals)}%</b>. Xếp loại: {classes}. "
            f"Xếp hạng: {esc(s.tie_rule or s.tie_policy)}.",
            st["body"],
        ),
        CondPageBreak(40 * mm),
        Paragraph("1. Bảng xếp hạng", st["table_heading"]),
        _ranking_table(s, p.index_decimals),
        Spacer(1, 3 * mm),
    ]
    for i, chart in enumerate(index_charts(s)):
        caption = "Biểu đồ 1. Chỉ số CCHC của từng đơn vị (%)" + (" (tiếp)" if i else "")
        out.append(KeepTogether([Paragraph(caption, st["note"]), chart]))
    out += [
        KeepTogether(
            [
                Paragraph("2. Số lượng và tỷ lệ đơn vị theo xếp loại", st["table_heading"]),
                class_table(s),
                Spacer(1, 2 * mm),
                class_chart(s),
            ]
        ),
        KeepTogether(
            [
                Paragraph("3. Chỉ số thành phần theo lĩnh vực (trung bình, %)", st["table_heading"]),
                area_mean_table(s, p.index_decimals),
                Spacer(1, 2 * mm),
                Paragraph("Biểu đồ 2. Chỉ số thành phần trung bình theo lĩnh vực (%)", st["note"]),
                area_chart(s),
            ]
        ),
        Paragraph(f"4. Chỉ số thành phần của từng đơn vị: Phụ lục {number} kèm theo.", st["table_heading"]),
    ]
    if s.changes:
        reorganised = (
            " Đơn vị đổi tên được so với đơn vị trước khi đổi tên; đơn vị hợp nhất được so với bình quân "
            "chỉ số (và điểm từng tiêu chí) của các đơn vị hợp nhất, không so thứ hạng; điểm bị trừ năm "
            "trước của từng đơn vị hợp nhất được theo dõi tiếp."
            if any(c.basis in ("renamed", "merged") for c in s.changes) else ""
        )
        out += [
            CondPageBreak(40 * mm),
            Paragraph("5. So với năm trước", st["table_heading"]),
            Paragraph(
                "Thay đổi chỉ số và thứ hạng; các tiêu chí tăng, giảm nhiều điểm nhất; "
                "các tiêu chí bị trừ điểm "
                "năm trước đã khắc phục, chưa khắc phục hoặc không còn trong bộ tiêu chí năm nay."
                + reorganised,
                st["body"],
            ),
            _change_table(s, p.index_decimals),
        ]
    return out


def _change_table(s: KindSection, decimals: int) -> LongTable:
    def leaves(items: tuple[tuple[str, Decimal], ...]) -> Paragraph:
        return Paragraph(esc("; ".join(f"{code} ({text.signed(v)})" for code, v in items)) or "–",
                         styles()["cell"])

    data: list[list[Any]] = [head(["Mã", "Đơn vị", "± Chỉ số", "Thứ hạng", "Tăng nhiều nhất",
                                    "Giảm nhiều nhất", "Đã / chưa khắc phục / không còn"])]
    for c in s.changes:
        versus = ", ".join(c.predecessors)  # what the unit is compared with, under its name
        versus = {"merged": f"so với bình quân {versus}", "renamed": f"so với {versus}"}.get(c.basis, "")
        data.append([
            c.code,
            Paragraph(esc(c.name) + (f"<br/><i>{esc(versus)}</i>" if versus else ""), styles()["cell"]),
            "–" if c.index_change is None else text.vn_number(c.index_change, decimals, sign=True),
            Paragraph(text.rank_change(c.rank_change, True, c.basis), styles()["cell"]),
            leaves(c.gained),
            leaves(c.lost),
            f"{c.fixed} / {c.not_fixed} / {c.dropped}",
        ])
    widths = [13, 38, 16, 18, 30, 30, 22]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(table_style([("ALIGN", (2, 1), (2, -1), "RIGHT"), ("ALIGN", (6, 1), (6, -1), "CENTER")]))
    return table


def _appendix(number: str, s: KindSection, p: Publication) -> list[Any]:
    """Decree 30: an appendix starts on a new page (here a landscape one: the table is as wide as the
    set has areas) with "Phụ lục", its title in capitals and what it goes with in italics."""
    st = styles()
    m = p.meta
    return [
        NextPageTemplate("landscape"),
        PageBreak(),
        Paragraph(f"Phụ lục {number}", st["center_bold"]),
        Paragraph(f"CHỈ SỐ THÀNH PHẦN CỦA TỪNG ĐƠN VỊ (%) — {esc(s.label.upper())}", st["center_bold"]),
        Paragraph(
            f"(Kèm theo Báo cáo số {esc(m.number)} ngày {m.date.day:02d} tháng {m.date.month:02d} năm "
            f"{m.date.year} của {esc(m.issuing_body[-1] if m.issuing_body else '')})",
            st["center_italic"],
        ),
        Spacer(1, 4 * mm),
        _component_table(s, p.index_decimals),
    ]


def table_style(extra: list[tuple[Any, ...]] | None = None) -> TS:
    return TS(
        [
            ("FONT", (0, 0), (-1, -1), COND, Size.CELL, CELL_LEADING),
            ("FONT", (0, 0), (-1, 0), COND_BOLD, Size.CELL, CELL_LEADING),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            *(extra or []),
        ]
    )


def head(titles: list[str]) -> list[Any]:
    return [Paragraph(t, styles()["cell_center"]) for t in titles]


def _ranking_table(s: KindSection, decimals: int) -> LongTable:
    data: list[list[Any]] = [head(list(text.RANKING_HEADER))]
    for r in s.rows:
        data.append(
            [
                r.rank or "",
                r.code,
                Paragraph(esc(r.name), styles()["cell"]),
                text.points(r.points),
                text.points(r.max),
                text.index(r.index, decimals),
                Paragraph(text.rank_change(r.rank_change, s.compared, r.basis), styles()["cell"]),
                text.signed(r.points_change) if r.points_change is not None else "–",
                Paragraph(esc(r.class_label), styles()["cell"]),
            ]
        )
    widths = [13, 13, 38, 16, 16, 16, 17, 16, 17]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("ALIGN", (3, 1), (5, -1), "RIGHT"),
                ("ALIGN", (7, 1), (7, -1), "RIGHT"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ]
        )
    )
    return table


def class_table(s: KindSection) -> Table:
    data: list[list[Any]] = [head(["Xếp loại", "Số đơn vị", "Tỷ lệ (%)"])]
    data += [[label, str(count), text.index(share)] for _c, label, count, share in s.classes]
    data.append(
        ["Cộng", str(sum(c[2] for c in s.classes)), text.index(sum((c[3] for c in s.classes), Decimal(0)))]
    )
    table = Table(data, colWidths=[50 * mm, 30 * mm, 30 * mm], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                ("FONT", (0, -1), (-1, -1), COND_BOLD, Size.CELL, CELL_LEADING),
            ]
        )
    )
    return table


def area_mean_table(s: KindSection, decimals: int) -> Table:
    data: list[list[Any]] = [head(["Lĩnh vực", "Nội dung", "Chỉ số trung bình (%)"])]
    data += [
        [code, Paragraph(esc(title), styles()["cell"]), text.index(mean, decimals)]
        for code, title, mean in s.areas
    ]
    table = Table(data, colWidths=[20 * mm, FRAME_WIDTH - 52 * mm, 32 * mm], repeatRows=1)
    table.setStyle(table_style([("ALIGN", (2, 1), (2, -1), "RIGHT"), ("ALIGN", (0, 1), (0, -1), "CENTER")]))
    return table


def _component_table(s: KindSection, decimals: int) -> LongTable:
    codes = [c for c, _t, _m in s.areas]
    data: list[list[Any]] = [head(["Mã", "Đơn vị", *[f"LV {c}" for c in codes], "Chỉ số"])]
    for r in s.rows:
        data.append(
            [
                r.code,
                Paragraph(esc(r.name), styles()["cell"]),
                *[text.index(r.areas.get(c), decimals) for c in codes],
                text.index(r.index, decimals),
            ]
        )
    data.append(
        [
            "",
            "Trung bình",
            *[text.index(m, decimals) for _c, _t, m in s.areas],
            text.index(s.mean_index, decimals),
        ]
    )
    fixed = 15 * mm
    value_w = max(17 * mm, stringWidth("100,00", COND, Size.CELL) + 8)
    name_w = max(WIDE_FRAME_WIDTH - fixed - value_w * (len(codes) + 1), 45 * mm)
    table = LongTable(data, colWidths=[fixed, name_w, *[value_w] * (len(codes) + 1)], repeatRows=1)
    table.setStyle(
        table_style(
            [
                ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
                ("FONT", (0, -1), (-1, -1), COND_BOLD, Size.CELL, CELL_LEADING),
            ]
        )
    )
    return table


# --- charts (reportlab graphics: vector drawings) --------------------------------------------------------
CHART_ROWS = 40
"""Units per index chart: one bar a line of ``Size.CHART`` text, so a chart fits a page; more units
continue in another chart."""
RED = colors.Color(0.8, 0.2, 0.1)


def fit(label: str, width: float) -> str:
    """``label`` cut with "…" to ``width`` points."""
    if stringWidth(label, COND, Size.CHART) <= width:
        return label
    while label and stringWidth(label + "…", COND, Size.CHART) > width:
        label = label[:-1]
    return label.rstrip() + "…"


def index_charts(s: KindSection) -> list[Drawing]:
    """The index of every unit as horizontal bars, labelled by the unit's short name (else its name),
    with the mean as a dashed line."""
    return [_index_chart(s, s.rows[i : i + CHART_ROWS]) for i in range(0, max(len(s.rows), 1), CHART_ROWS)]


def _index_chart(s: KindSection, rows: list[Any]) -> Drawing:
    step = Size.CHART * 1.45
    label_w = min(max((stringWidth(r.chart_label, COND, Size.CHART) for r in rows), default=40) + 6, 70 * mm)
    width, height = FRAME_WIDTH, step * max(len(rows), 1) + 28
    d = Drawing(width, height, initialFontName=COND, initialFontSize=Size.CHART)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = label_w, 18, width - label_w - 10, height - 24
    chart.data = [[float(r.index) if r.index is not None else 0.0 for r in rows]]
    chart.categoryAxis.categoryNames = [fit(r.chart_label, label_w - 6) for r in rows]
    chart.categoryAxis.reverseDirection = True  # the first ranked on top
    chart.categoryAxis.labels.fontName = COND
    chart.categoryAxis.labels.fontSize = Size.CHART
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 10
    chart.valueAxis.labels.fontName = COND
    chart.valueAxis.labels.fontSize = Size.CHART
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.labelTextFormat = lambda v: text.vn_number(v, 0)  # the scale: whole percent
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 0.5
    d.add(chart)
    if s.mean_index is not None:  # the mean as a dashed line across the bars
        x = chart.x + chart.width * float(s.mean_index) / 100
        d.add(
            Line(
                x,
                chart.y,
                x,
                chart.y + chart.height,
                strokeColor=RED,
                strokeDashArray=[3, 2],
                strokeWidth=0.8,
            )
        )
        d.add(
            String(
                x,
                chart.y + chart.height + 3,
                f"trung bình {text.index(s.mean_index)}",
                fontName=COND,
                fontSize=Size.CHART,
                textAnchor="middle",
                fillColor=RED,
            )
        )
    return d


def class_chart(s: KindSection) -> Drawing:
    label_w = max((stringWidth(c[1], COND, Size.CHART) for c in s.classes), default=40) + 8
    width, height = FRAME_WIDTH, Size.CHART * 1.8 * max(len(s.classes), 1) + 20
    d = Drawing(width, height, initialFontName=COND, initialFontSize=Size.CHART)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = label_w, 16, width - label_w - 30, height - 20
    chart.data = [[c[2] for c in s.classes]]
    chart.categoryAxis.categoryNames = [c[1] for c in s.classes]
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = COND
    chart.categoryAxis.labels.fontSize = Size.CHART
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = COND
    chart.valueAxis.labels.fontSize = Size.CHART
    chart.valueAxis.valueStep = max(1, (max([c[2] for c in s.classes] or [1]) + 4) // 5)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = COND
    chart.barLabels.fontSize = Size.CHART
    chart.barLabels.nudge = 8
    for i in range(len(s.classes)):
        chart.bars[(0, i)].fillColor = CLASS_COLOURS[i % len(CLASS_COLOURS)]
    chart.bars[0].strokeColor = None
    d.add(chart)
    return d


def area_chart(s: KindSection) -> Drawing:
    width, height = FRAME_WIDTH, 56 * mm
    d = Drawing(width, height, initialFontName=COND, initialFontSize=Size.CHART)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 30, 18, width - 40, height - 34
    chart.data = [[float(m) if m is not None else 0.0 for _c, _t, m in s.areas]]
    chart.categoryAxis.categoryNames = [f"LV {c}" for c, _t, _m in s.areas]
    chart.categoryAxis.labels.fontName = COND
    chart.categoryAxis.labels.fontSize = Size.CHART
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = COND
    chart.valueAxis.labels.fontSize = Size.CHART
    chart.valueAxis.labelTextFormat = lambda v: text.vn_number(v, 0)  # the scale: whole percent
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.bars[0].fillColor = BAR_LIGHT
    chart.bars[0].strokeColor = BAR
    chart.barLabelFormat = lambda v: text.vn_number(v, 2)
    chart.barLabels.fontName = COND
    chart.barLabels.fontSize = Size.CHART
    chart.barLabels.nudge = 7
    d.add(chart)
    return d
