"""Excel exports (openpyxl): per-unit appraisal sheets with the columns real tools use, and the year's
results tables.

Text from users (titles, notes, names) that begins with ``=``, ``+``, ``-`` or ``@`` is written as text
with Excel's quote prefix, never as a formula (CSV/formula injection). Control characters are left out
(``fields.strip_control``): an older version stored them, and openpyxl refuses to write them, which lost
the whole export.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.errors import UserError
from evaluator.fields import strip_control
from evaluator.reports.document_data import Publication, UnitDocument
from evaluator.reports.text import RANKING_HEADER, rank_change

APPRAISAL_COLUMNS = (
    "STT",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm tự chấm",
    "Điểm thẩm định",
    "Ghi chú của đơn vị",
    "Ghi chú của thẩm định",
)
FORMULA_STARTS = ("=", "+", "-", "@")
POINTS_FORMAT = "0.00"
THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E6E6E6")
AREA_FILL = PatternFill("solid", fgColor="F4F4F4")
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False, number: bool = False) -> Any:
    """Write one cell; user text that Excel would read as a formula stays text, without control characters."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, Decimal):
        value = float(value)
    elif isinstance(value, str):
        value = strip_control(value)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True
    if number:
        cell.number_format = POINTS_FORMAT
    if bold:
        cell.font = BOLD
    return cell


def _header(ws: Worksheet, row: int, titles: Sequence[str]) -> None:
    for col, title in enumerate(titles, 1):
        cell = put(ws, row, col, title, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BORDER
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")


def _widths(ws: Worksheet, widths: Sequence[float]) -> None:
    for col, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(col)].width = w


def _sheet_name(code: str, used: set[str]) -> str:
    clean = strip_control(code, multiline=False)
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in clean)[:31] or "Sheet"
    name, n = base, 2
    while name in used:
        name = f"{base[:28]}-{n}"
        n += 1
    used.add(name)
    return name


def appraisal_sheet(ws: Worksheet, d: UnitDocument) -> None:
    put(ws, 1, 1, f"BẢNG THẨM ĐỊNH CHỈ SỐ CCHC NĂM {d.year}", bold=True)
    put(ws, 2, 1, f"Đơn vị: {d.unit_name} ({d.unit_code})", bold=True)
    put(
        ws,
        3,
        1,
        f"Bộ tiêu chí: {d.framework_title} — {d.framework_identity} (sha256 {d.framework_sha256[:12]}…)",
    )
    head = 5
    _header(ws, head, APPRAISAL_COLUMNS)
    row = head + 1
    for r in d.rows:
        group = not r.is_leaf
        put(ws, row, 1, r.code, bold=group)
        put(ws, row, 2, r.title + (" (XHH)" if r.is_leaf and r.source == "survey" else ""), bold=group)
        put(ws, row, 3, r.max if r.role == "scored" or r.is_leaf else None, bold=group, number=True)
        put(ws, row, 4, r.self_points, bold=group, number=True)
        put(ws, row, 5, "KĐG" if r.not_applicable else r.appraised, bold=group, number=True)
        put(ws, row, 6, r.unit_note or None)
        put(ws, row, 7, r.reason or None)
        for col in range(1, 8):
            cell = ws.cell(row=row, column=col)
            cell.border = BORDER
            cell.alignment = WRAP
            if group and r.depth == 0:
                cell.fill = AREA_FILL
        row += 1
    put(ws, row, 2, "Tổng điểm", bold=True)
    put(ws, row, 3, d.total_max, bold=True, number=True)
    put(ws, row, 4, d.self_total, bold=True, number=True)
    put(ws, row, 5, d.total, bold=True, number=True)
    put(ws, row + 1, 2, "Chỉ số CCHC (%)", bold=True)
    put(ws, row + 1, 5, d.index, bold=True, number=True)
    put(ws, row + 2, 2, "Xếp loại", bold=True)
    put(ws, row + 2, 5, d.class_label, bold=True)
    _widths(ws, (9, 60, 10, 10, 11, 34, 34))
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.print_title_rows = f"{head}:{head}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def write_appraisal_sheets(documents: Sequence[UnitDocument], out: Path) -> None:
    wb = Workbook()
    used: set[str] = set()
    for i, d in enumerate(documents):
        ws = wb.active if i == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = _sheet_name(d.unit_code, used)
        appraisal_sheet(ws, d)
    save_workbook(wb, out)


def write_results(p: Publication, out: Path) -> None:
    wb = Workbook()
    summary = wb.active
    assert summary is not None
    summary.title = "Tổng hợp"
    put(summary, 1, 1, f"KẾT QUẢ CHỈ SỐ CCHC NĂM {p.year} — {p.province}", bold=True)
    _header(
        summary,
        3,
        ("Loại đơn vị", "Số đơn vị", "Chỉ số trung bình (%)", "Xếp loại", "Số đơn vị", "Tỷ lệ (%)"),
    )
    row = 4
    for s in p.sections:
        for i, (_code, label, count, share) in enumerate(s.classes):
            if i == 0:
                put(summary, row, 1, s.label, bold=True)
                put(summary, row, 2, len(s.rows))
                put(summary, row, 3, s.mean_index, number=True)
            put(summary, row, 4, label)
            put(summary, row, 5, count)
            put(summary, row, 6, share, number=True)
            row += 1
    _widths(summary, (22, 10, 14, 14, 10, 10))
    used = {summary.title}
    for s in p.sections:
        ws = wb.create_sheet(_sheet_name(s.label, used))
        area_codes = [code for code, _t, _m in s.areas]
        put(ws, 1, 1, f"Xếp hạng Chỉ số CCHC năm {p.year}: {s.label} ({s.framework_identity})", bold=True)
        put(ws, 2, 1, f"Quy tắc xếp hạng: {s.tie_policy}")
        head = [*RANKING_HEADER, *[f"Lĩnh vực {c} (%)" for c in area_codes]]
        _header(ws, 4, head)
        for i, r in enumerate(s.rows, 5):
            values: list[Any] = [
                r.rank,
                r.code,
                r.name,
                r.points,
                r.max,
                r.index,
                rank_change(r.rank_change, s.compared, r.basis),
                r.points_change,
                r.class_label,
                *[r.areas.get(c) for c in area_codes],
            ]
            for col, v in enumerate(values, 1):
                cell = put(ws, i, col, v, number=col in (4, 5, 6, 8) or col > 9)
                cell.border = BORDER
        end = 5 + len(s.rows)
        put(ws, end, 3, "Trung bình", bold=True)
        put(ws, end, 6, s.mean_index, bold=True, number=True)
        for j, (_code, _title, mean) in enumerate(s.areas):
            put(ws, end, 10 + j, mean, bold=True, number=True)
        for j, (code, title, _mean) in enumerate(s.areas):
            put(ws, end + 2 + j, 2, f"Lĩnh vực {code}")
            put(ws, end + 2 + j, 3, title)
        _widths(ws, (7, 9, 44, 10, 10, 10, 14, 10, 12, *[11] * len(area_codes)))
        ws.freeze_panes = "D5"
    save_workbook(wb, out)


def save_workbook(wb: Workbook, out: Path) -> None:
    """Write ``wb`` to ``out`` whole or not at all (a temporary file beside it, then renamed)."""
    tmp = out.with_name(f".{out.name}.tmp")
    try:
        wb.save(tmp)
        tmp.replace(out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError("common.cannot_write", path=out, error=exc.strerror or exc) from exc
