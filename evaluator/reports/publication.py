"""The results publication of a year: ranking per unit kind, classes, component indices, vector charts."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, LongTable, Paragraph, Spacer, Table
from reportlab.platypus import TableStyle as TS

from evaluator.reports import text
from evaluator.reports.document_data import KIND_LABELS, KindSection, Publication
from evaluator.reports.layout import (
    COND,
    COND_BOLD,
    FRAME_WIDTH,
    GRID,
    SHADE,
    FieldBox,
    SignatureSlot,
    closing,
    esc,
    header,
    register_fonts,
    styles,
)
from evaluator.reports.unit_reports import build

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


def render_publication(p: Publication) -> tuple[bytes, list[FieldBox], int]:
    register_fonts()
    st = styles()
    m = p.meta
    kinds = ", ".join(dict.fromkeys(KIND_LABELS.get(s.kind, s.label) for s in p.sections))  # groups: one kind
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date)),
        Paragraph("BÁO CÁO", st["title"]),
        Paragraph(
            f"Công bố kết quả Chỉ số cải cách hành chính năm {p.year}<br/>{esc(kinds)}", st["subtitle"]
        ),
        Paragraph(
            f"Hội đồng thẩm định công bố kết quả xác định Chỉ số cải cách hành chính (Chỉ số CCHC) năm "
            f"{p.year} của {esc(p.province) or 'tỉnh'} như sau. Chỉ số được tính bằng tổng điểm đạt được "
            "chia cho tổng điểm tối đa áp dụng, nhân 100; thay đổi hạng và điểm so với năm trước.",
            st["body"],
        ),
    ]
    for i, s in enumerate(p.sections):
        story += _section(ROMAN[i] if i < len(ROMAN) else str(i + 1), s, p)
    fields: list[FieldBox] = []
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
    raw, pages = build(
        story,
        f"Công bố kết quả Chỉ số CCHC năm {p.year}",
        m.issuing_body[-1],
        f"Chỉ số CCHC {p.year}",
        f"{p.province} · {p.year} · " + ", ".join(dict.fromkeys(s.framework_identity for s in p.sections)),
    )
    return raw, fields, pages


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
            f"Bộ tiêu chí: {esc(s.framework_identity)}; quy tắc xếp hạng khi "
            f"bằng điểm: {esc(s.tie_policy)}.",
            st["body"],
        ),
        CondPageBreak(40 * mm),
        Paragraph("1. Bảng xếp hạng", st["table_heading"]),
        _ranking_table(s, p.index_decimals),
        Spacer(1, 3 * mm),
        KeepTogether([Paragraph("Biểu đồ 1. Chỉ số CCHC của từng đơn vị (%)", st["note"]), _index_chart(s)]),
        KeepTogether(
            [
                Paragraph("2. Số lượng và tỷ lệ đơn vị theo xếp loại", st["table_heading"]),
                Table(
                    [[_class_table(s), _class_chart(s)]],
                    colWidths=[FRAME_WIDTH * 0.45, FRAME_WIDTH * 0.55],
                    style=TS(
                        [
                            ("FONT", (0, 0), (-1, -1), COND, 8),
                            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                            ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ]
                    ),
                ),
            ]
        ),
        KeepTogether(
            [
                Paragraph("3. Chỉ số thành phần theo lĩnh vực (trung bình, %)", st["table_heading"]),
                _area_mean_table(s, p.index_decimals),
                Spacer(1, 2 * mm),
                _area_chart(s),
            ]
        ),
        CondPageBreak(40 * mm),
        Paragraph("4. Chỉ số thành phần của từng đơn vị (%)", st["table_heading"]),
        _component_table(s, p.index_decimals),
    ]
    return out


def _table_style(extra: list[tuple[Any, ...]] | None = None) -> TS:
    return TS(
        [
            ("FONT", (0, 0), (-1, -1), COND, 7.5, 9),
            ("FONT", (0, 0), (-1, 0), COND_BOLD, 7.5, 9),
            ("GRID", (0, 0), (-1, -1), 0.4, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            *(extra or []),
        ]
    )


def _head(titles: list[str]) -> list[Any]:
    return [Paragraph(t, styles()["cell_center"]) for t in titles]


def _ranking_table(s: KindSection, decimals: int) -> LongTable:
    data: list[list[Any]] = [_head(list(text.RANKING_HEADER))]
    for r in s.rows:
        data.append(
            [
                r.rank or "",
                r.code,
                Paragraph(esc(r.name), styles()["cell"]),
                text.points(r.points),
                text.points(r.max),
                text.index(r.index, decimals),
                text.rank_change(r.rank_change, s.compared),
                text.vn_number(r.points_change, 2, sign=True) if r.points_change is not None else "–",
                r.class_label,
            ]
        )
    widths = [13, 13, 49, 15, 15, 15, 20, 16, 18]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(
        _table_style(
            [
                ("ALIGN", (3, 1), (5, -1), "RIGHT"),
                ("ALIGN", (7, 1), (7, -1), "RIGHT"),
                ("ALIGN", (0, 1), (0, -1), "CENTER"),
            ]
        )
    )
    return table


def _class_table(s: KindSection) -> Table:
    data: list[list[Any]] = [_head(["Xếp loại", "Số đơn vị", "Tỷ lệ (%)"])]
    data += [[label, str(count), text.index(share)] for _c, label, count, share in s.classes]
    data.append(
        ["Cộng", str(sum(c[2] for c in s.classes)), text.index(sum((c[3] for c in s.classes), Decimal(0)))]
    )
    table = Table(data, colWidths=[30 * mm, 18 * mm, 18 * mm])
    table.setStyle(
        _table_style([("ALIGN", (1, 1), (-1, -1), "RIGHT"), ("FONT", (0, -1), (-1, -1), COND_BOLD, 7.5, 9)])
    )
    return table


def _area_mean_table(s: KindSection, decimals: int) -> Table:
    data: list[list[Any]] = [_head(["Lĩnh vực", "Nội dung", "Chỉ số trung bình (%)"])]
    data += [
        [code, Paragraph(esc(title), styles()["cell"]), text.index(mean, decimals)]
        for code, title, mean in s.areas
    ]
    table = Table(data, colWidths=[16 * mm, FRAME_WIDTH - 46 * mm, 30 * mm], repeatRows=1)
    table.setStyle(_table_style([("ALIGN", (2, 1), (2, -1), "RIGHT"), ("ALIGN", (0, 1), (0, -1), "CENTER")]))
    return table


def _component_table(s: KindSection, decimals: int) -> LongTable:
    codes = [c for c, _t, _m in s.areas]
    data: list[list[Any]] = [_head(["Mã", "Đơn vị", *[f"LV {c}" for c in codes], "Chỉ số"])]
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
    fixed = 13 * mm
    value_w = 13 * mm
    name_w = FRAME_WIDTH - fixed - value_w * (len(codes) + 1)
    table = LongTable(data, colWidths=[fixed, name_w, *[value_w] * (len(codes) + 1)], repeatRows=1)
    table.setStyle(
        _table_style([("ALIGN", (2, 1), (-1, -1), "RIGHT"), ("FONT", (0, -1), (-1, -1), COND_BOLD, 7.5, 9)])
    )
    return table


# --- charts (reportlab graphics: vector drawings) --------------------------------------------------------
def _index_chart(s: KindSection) -> Drawing:
    width, height = FRAME_WIDTH, 62 * mm
    d = Drawing(width, height, initialFontName=COND, initialFontSize=7)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 30, width - 40, height - 42
    values = [float(r.index) if r.index is not None else 0.0 for r in s.rows]
    chart.data = [values]
    chart.categoryAxis.categoryNames = [r.code for r in s.rows]
    chart.categoryAxis.labels.fontName = COND
    chart.categoryAxis.labels.fontSize = 5.5 if len(s.rows) > 25 else 6.5
    chart.categoryAxis.labels.angle = 90
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dy = -2
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 10
    chart.valueAxis.labels.fontName = COND
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.valueAxis.labelTextFormat = lambda v: text.vn_number(v, 0)
    chart.bars[0].fillColor = BAR
    chart.bars[0].strokeColor = None
    chart.barSpacing = 0.5
    d.add(chart)
    if s.mean_index is not None:  # the mean as a dashed line across the bars
        y = chart.y + chart.height * float(s.mean_index) / 100
        d.add(
            Line(
                chart.x,
                y,
                chart.x + chart.width,
                y,
                strokeColor=colors.Color(0.8, 0.2, 0.1),
                strokeDashArray=[3, 2],
                strokeWidth=0.8,
            )
        )
        d.add(
            String(
                chart.x + chart.width - 2,
                y + 2,
                f"trung bình {text.index(s.mean_index)}",
                fontName=COND,
                fontSize=6.5,
                textAnchor="end",
                fillColor=colors.Color(0.8, 0.2, 0.1),
            )
        )
    return d


def _class_chart(s: KindSection) -> Drawing:
    width, height = FRAME_WIDTH * 0.55, 36 * mm
    d = Drawing(width, height, initialFontName=COND, initialFontSize=7)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 50, 8, width - 70, height - 14
    chart.data = [[c[2] for c in s.classes]]
    chart.categoryAxis.categoryNames = [c[1] for c in s.classes]
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = COND
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontName = COND
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.valueStep = max(1, (max([c[2] for c in s.classes] or [1]) + 4) // 5)
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = COND
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 6
    for i in range(len(s.classes)):
        chart.bars[(0, i)].fillColor = CLASS_COLOURS[i % len(CLASS_COLOURS)]
    chart.bars[0].strokeColor = None
    d.add(chart)
    return d


def _area_chart(s: KindSection) -> Drawing:
    width, height = FRAME_WIDTH, 44 * mm
    d = Drawing(width, height, initialFontName=COND, initialFontSize=7)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 28, 16, width - 40, height - 36
    chart.data = [[float(m) if m is not None else 0.0 for _c, _t, m in s.areas]]
    chart.categoryAxis.categoryNames = [f"LV {c}" for c, _t, _m in s.areas]
    chart.categoryAxis.labels.fontName = COND
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = COND
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.labelTextFormat = lambda v: text.vn_number(v, 0)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.bars[0].fillColor = BAR_LIGHT
    chart.bars[0].strokeColor = BAR
    chart.barLabelFormat = lambda v: text.vn_number(v, 1)
    chart.barLabels.fontName = COND
    chart.barLabels.fontSize = 6.5
    chart.barLabels.nudge = 5
    d.add(chart)
    d.add(
        String(
            2,
            height - 8,
            "Biểu đồ 2. Chỉ số thành phần trung bình theo lĩnh vực (%)",
            fontName=COND,
            fontSize=7.5,
        )
    )
    return d
