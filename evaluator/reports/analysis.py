"""The analysis of the year's PAR Index (Báo cáo phân tích, đánh giá kết quả Chỉ số CCHC), issued by the
Department of Home Affairs (BC-SNV): per unit kind the classes and their shares, component indices per
area with the province's averages, the best and weakest units, the biggest rank movers against last year,
the criteria most units lost points on, charts; one landscape appendix per kind with each unit's lost
points, what its remedial plan (kế hoạch khắc phục) takes up.

The department issues it, not the council: the council's work ends with the appraisal; analysing the
results and following the units' remedies is the department's as the standing body for administrative
reform, and the analysis goes with its submission (Tờ trình) to the provincial People's Committee."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.shapes import Drawing
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

from evaluator.reports import text
from evaluator.reports.authority import province_name
from evaluator.reports.decision import kinds_text, numbers
from evaluator.reports.decision_data import Analysis, KindAnalysis, Mover
from evaluator.reports.layout import (
    COND,
    FRAME_WIDTH,
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
from evaluator.reports.publication import (
    BAR,
    RED,
    area_chart,
    area_mean_table,
    class_chart,
    class_table,
    fit,
    head,
    index_charts,
    table_style,
)
from evaluator.reports.story import DocInfo, Story, renders

RECIPIENTS = [
    "UBND tỉnh (để báo cáo);",
    "Hội đồng thẩm định Chỉ số CCHC tỉnh;",
    "Các sở, ban, ngành; UBND cấp huyện, cấp xã;",
    "Lưu: VT, CCHC.",
]
ISSUER = "Sở Nội vụ"
GREEN = colors.Color(0.20, 0.55, 0.30)


@renders(Analysis)
def analysis_story(a: Analysis) -> Story:
    register_fonts()
    st = styles()
    m = a.meta
    fields: list[FieldBox] = []
    kinds = kinds_text([k.section for k in a.kinds])
    basis = "; ".join(esc(c) for c in a.citations)
    story: list[Any] = [
        header(m.issuing_body, m.number, text.vn_date(m.place, m.date), fields),
        *title_block("BÁO CÁO", f"Phân tích, đánh giá kết quả Chỉ số cải cách hành chính năm {a.year}<br/>"
                                f"của {esc(kinds)}"),
        Paragraph(
            (f"Căn cứ {basis}; " if basis else "")
            + "trên cơ sở kết quả thẩm định của Hội đồng thẩm định, Sở Nội vụ báo cáo phân tích, đánh giá "
            f"kết quả xác định Chỉ số cải cách hành chính (Chỉ số CCHC) năm {a.year} của "
            f"{esc(province_name(a.province))} như sau:",
            st["body"],
        ),
    ]
    if a.draft:
        story.insert(1, Paragraph("DỰ THẢO", st["center_bold"]))
    parts = numbers(len(a.kinds) + 2)
    story += [Paragraph(f"{parts[0]}. KHÁI QUÁT KẾT QUẢ", st["heading"]), _overview(a)]
    appendices = numbers(len(a.kinds))
    for part, appendix_number, k in zip(parts[1:], appendices, a.kinds, strict=False):
        story += _kind(part, appendix_number, k, a)
    story += [
        CondPageBreak(50 * mm),
        Paragraph(f"{parts[len(a.kinds) + 1]}. ĐỀ XUẤT, KIẾN NGHỊ", st["heading"]),
        Paragraph(
            "1. Các cơ quan, đơn vị căn cứ các tiêu chí, tiêu chí thành phần bị trừ điểm (các Phụ lục "
            "kèm theo) xây dựng kế hoạch khắc phục tồn tại, hạn chế, gửi Sở Nội vụ để theo dõi; tập trung "
            "vào các tiêu chí nhiều đơn vị bị trừ điểm nêu tại báo cáo này.",
            st["body"],
        ),
        Paragraph(
            "2. Sở Nội vụ theo dõi, đôn đốc việc khắc phục và đánh giá kết quả khắc phục khi xác định Chỉ số "
            f"CCHC năm {a.year + 1}.",
            st["body"],
        ),
        Spacer(1, 5 * mm),
        KeepTogether([closing(RECIPIENTS, SignatureSlot("director", a.signer_heading, a.signer.name),
                              fields)]),
    ]
    for number, k in zip(appendices, a.kinds, strict=True):
        story += _appendix(number, k, a)
    sets = "; ".join(f"{c['identity']} sha256 {c['sha256']}" for c in a.criteria_sets)
    info = DocInfo(f"Báo cáo phân tích, đánh giá kết quả Chỉ số CCHC năm {a.year}",
                   m.issuing_body[-1] if m.issuing_body else "", f"Chỉ số CCHC {a.year}",
                   f"{a.province}; {a.year}; {sets}")
    return Story(story, info, fields, ("director",))


def _change(now: Decimal | None, before: Decimal | None, decimals: int) -> str:
    if now is None or before is None:
        return "–"
    return text.vn_number(now - before, decimals, sign=True)


def _overview(a: Analysis) -> Table:
    d = a.index_decimals
    data: list[list[Any]] = [head(["Khối", "Số đơn vị", f"Chỉ số trung bình {a.year} (%)",
                                    f"Năm {a.year - 1} (%)", "Tăng, giảm", "Cao nhất (%)", "Thấp nhất (%)"])]
    cell = styles()["cell"]
    for k in a.kinds:
        s = k.section
        values = [r.index for r in s.rows if r.index is not None]
        data.append([
            Paragraph(esc(s.label), cell), str(len(s.rows)), text.index(s.mean_index, d),
            text.index(k.previous_mean, d) or "–", _change(s.mean_index, k.previous_mean, d),
            text.index(max(values), d) if values else "–", text.index(min(values), d) if values else "–",
        ])
    widths = [44, 17, 24, 20, 19, 20, 20]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    table = Table(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(table_style([("ALIGN", (1, 1), (-1, -1), "RIGHT")]))
    return table


def _kind(part: str, appendix_number: str, k: KindAnalysis, a: Analysis) -> list[Any]:
    st = styles()
    s = k.section
    d = a.index_decimals
    out: list[Any] = [
        CondPageBreak(60 * mm),
        Paragraph(f"{part}. {esc(s.label.upper())}", st["heading"]),
        Paragraph("1. Xếp loại", st["subheading"]),
        Paragraph(
            f"{len(s.rows)} đơn vị, Chỉ số CCHC trung bình {text.index(s.mean_index, d)}%"
            + (f" (năm {a.year - 1}: {text.index(k.previous_mean, d)}%, "
               f"{_change(s.mean_index, k.previous_mean, d)} điểm phần trăm)" if k.previous_mean is not None
               else "")
            + ". " + "; ".join(f"{esc(label)}: {n} đơn vị, {text.index(share)}%"
                               for _c, label, n, share in s.classes) + ".",
            st["body"],
        ),
        KeepTogether([class_table(s), Spacer(1, 2 * mm), Paragraph("Biểu đồ 1. Số đơn vị theo xếp loại",
                                                                    st["note"]), class_chart(s)]),
    ]
    areas = [(c, t, m) for c, t, m in s.areas if m is not None]
    high = max(areas, key=lambda x: x[2]) if areas else None
    low = min(areas, key=lambda x: x[2]) if areas else None
    out += [
        Paragraph("2. Chỉ số thành phần theo lĩnh vực (trung bình của tỉnh)", st["subheading"]),
        *([Paragraph(
            f"Lĩnh vực có chỉ số trung bình cao nhất: {esc(high[1])} ({text.index(high[2], d)}%); thấp nhất: "
            f"{esc(low[1])} ({text.index(low[2], d)}%).", st["body"])] if high and low else []),
        KeepTogether([area_mean_table(s, d), Spacer(1, 2 * mm),
                      Paragraph("Biểu đồ 2. Chỉ số thành phần trung bình theo lĩnh vực (%)", st["note"]),
                      area_chart(s)]),
        Paragraph("3. Đơn vị dẫn đầu và đơn vị có chỉ số thấp nhất", st["subheading"]),
        Paragraph("Dẫn đầu: " + "; ".join(_unit(r, d) for r in k.best) + ".", st["body"]),
    ]
    if k.weakest:
        out.append(Paragraph("Thấp nhất: " + "; ".join(_unit(r, d) for r in k.weakest) + ".", st["body"]))
    for i, chart in enumerate(index_charts(s)):
        caption = "Biểu đồ 3. Chỉ số CCHC của từng đơn vị (%)" + (" (tiếp)" if i else "")
        out.append(KeepTogether([Paragraph(caption, st["note"]), chart]))
    out.append(Paragraph(f"4. Thay đổi thứ hạng so với năm {a.year - 1}", st["subheading"]))
    if k.risers or k.fallers:
        out += [_movers_table(k, d), Spacer(1, 2 * mm),
                KeepTogether([Paragraph("Biểu đồ 4. Đơn vị tăng, giảm nhiều bậc nhất", st["note"]),
                              _movers_chart(k.risers + k.fallers)])]
    else:
        out.append(Paragraph(f"Không có đơn vị nào thay đổi thứ hạng so với năm {a.year - 1}." if s.compared
                             else f"Chưa có kết quả năm {a.year - 1} để so sánh.", st["body"]))
    out.append(Paragraph("5. Các tiêu chí nhiều đơn vị bị trừ điểm", st["subheading"]))
    if k.criteria:
        out.append(_criteria_table(k))
    else:
        out.append(Paragraph("Không có tiêu chí nào bị trừ điểm.", st["body"]))
    out.append(Paragraph(f"Điểm bị trừ của từng đơn vị: Phụ lục {appendix_number} kèm theo.", st["body"]))
    return out


def _unit(r: Any, decimals: int) -> str:
    return f"{esc(r.name)} ({text.index(r.index, decimals)}%, hạng {r.rank})"


def _movers_table(k: KindAnalysis, decimals: int) -> LongTable:
    cell = styles()["cell"]
    data: list[list[Any]] = [head(["Đơn vị", "Hạng", "Thay đổi hạng", "Chỉ số (%)", "± Chỉ số"])]
    for mv in k.risers + k.fallers:
        change = "–" if mv.index_change is None else text.vn_number(mv.index_change, decimals, sign=True)
        data.append([Paragraph(esc(mv.name), cell), mv.rank or "",
                     Paragraph(text.rank_change(mv.rank_change, True), cell), text.index(mv.index, decimals),
                     change])
    widths = [70, 14, 30, 22, 22]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(table_style([("ALIGN", (1, 1), (1, -1), "CENTER"), ("ALIGN", (3, 1), (-1, -1), "RIGHT")]))
    return table


def _movers_chart(movers: list[Mover]) -> Drawing:
    """Places gained (green, right) or lost (red, left) per unit, labelled by the unit's short name."""
    labels = [mv.short_name or mv.name for mv in movers]
    label_w = min(max((stringWidth(t, COND, Size.CHART) for t in labels), default=40) + 6, 70 * mm)
    step = Size.CHART * 1.6
    width, height = FRAME_WIDTH, step * max(len(movers), 1) + 26
    d = Drawing(width, height, initialFontName=COND, initialFontSize=Size.CHART)
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = label_w, 18, width - label_w - 10, height - 24
    chart.data = [[mv.rank_change for mv in movers]]
    chart.categoryAxis.categoryNames = [fit(t, label_w - 6) for t in labels]
    chart.categoryAxis.reverseDirection = True
    chart.categoryAxis.labels.fontName = COND
    chart.categoryAxis.labels.fontSize = Size.CHART
    chart.categoryAxis.visibleTicks = False
    chart.categoryAxis.labelAxisMode = "low"  # the names left of the chart, clear of the bars that go left
    span = max((abs(mv.rank_change) for mv in movers), default=1)
    room = span + max(2, span // 3)  # the bar labels stay clear of the unit names
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = -room, room
    chart.valueAxis.valueStep = max(1, (2 * room) // 8)
    chart.valueAxis.labels.fontName = COND
    chart.valueAxis.labels.fontSize = Size.CHART
    chart.valueAxis.labelTextFormat = lambda v: text.vn_number(v, 0, sign=True)
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.bars[0].strokeColor = None
    chart.bars[0].fillColor = BAR
    for i, mv in enumerate(movers):
        chart.bars[(0, i)].fillColor = GREEN if mv.rank_change > 0 else RED
    chart.barLabelFormat = lambda v: text.vn_number(v, 0, sign=True)
    chart.barLabels.fontName = COND
    chart.barLabels.fontSize = Size.CHART
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    d.add(chart)
    return d


def _criteria_table(k: KindAnalysis) -> LongTable:
    cell = styles()["cell"]
    data: list[list[Any]] = [head(["Tiêu chí", "Nội dung", "Lĩnh vực", "Số đơn vị bị trừ điểm",
                                    "Tổng điểm bị trừ"])]
    for c in k.criteria:
        data.append([c.code, Paragraph(esc(c.title), cell), c.area, f"{c.units}/{c.of}", text.points(c.lost)])
    widths = [16, 86, 16, 24, 22]
    scale = FRAME_WIDTH / (sum(widths) * mm)
    table = LongTable(data, colWidths=[w * mm * scale for w in widths], repeatRows=1)
    table.setStyle(table_style([("ALIGN", (2, 1), (3, -1), "CENTER"), ("ALIGN", (4, 1), (4, -1), "RIGHT")]))
    return table


def _appendix(number: str, k: KindAnalysis, a: Analysis) -> list[Any]:
    """Each unit's lost points (criterion and points lost, the area's order), for its remedial plan."""
    st = styles()
    m = a.meta
    cell = styles()["cell"]
    data: list[list[Any]] = [head(["Hạng", "Đơn vị", "Tổng điểm bị trừ",
                                    "Tiêu chí, tiêu chí thành phần bị trừ điểm (điểm bị trừ)"])]
    ranks = {r.code: r.rank for r in k.section.rows}
    for u in k.losses:
        listed = "; ".join(f"{p.code} ({text.vn_number(-p.lost, 2)})" for p in u.points) or "–"
        data.append([ranks.get(u.code) or "", Paragraph(esc(u.name), cell), text.points(u.total),
                     Paragraph(esc(listed), cell)])
    fixed = [16 * mm, 62 * mm, 28 * mm]
    table = LongTable(data, colWidths=[*fixed, WIDE_FRAME_WIDTH - sum(fixed)], repeatRows=1)
    table.setStyle(table_style([("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (2, 1), (2, -1), "RIGHT"),
                                 ("VALIGN", (0, 1), (-1, -1), "TOP")]))
    return [
        NextPageTemplate("landscape"),
        PageBreak(),
        Paragraph(f"Phụ lục {number}", st["center_bold"]),
        Paragraph(f"ĐIỂM BỊ TRỪ CỦA TỪNG ĐƠN VỊ NĂM {a.year} — {esc(k.section.label.upper())}",
                  st["center_bold"]),
        Paragraph(
            f"(Kèm theo Báo cáo số {esc(m.number)} ngày {m.date.day:02d} tháng {m.date.month:02d} năm "
            f"{m.date.year} của {ISSUER})",
            st["center_italic"],
        ),
        Spacer(1, 4 * mm),
        table,
        Spacer(1, 2 * mm),
        Paragraph("Lý do trừ điểm của từng tiêu chí: biên bản thẩm định của từng đơn vị.", st["note"]),
    ]
