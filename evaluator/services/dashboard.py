"""The results dashboard's data and its exports: the ranking table of a unit kind, per-area component
indices (each unit's and the kind's mean), and the table written as ``.xlsx`` or ``.csv``."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from evaluator.errors import UserError
from evaluator.services.results import YearResults

RANKING_HEADERS = (
    "Hạng",
    "Thay đổi hạng",
    "Mã",
    "Đơn vị",
    "Điểm",
    "Tối đa",
    "Chỉ số (%)",
    "Xếp loại",
    "Thay đổi điểm",
)
RANKING_KEYS = (
    "rank",
    "rank_change",
    "code",
    "name",
    "points",
    "max",
    "index",
    "class_label",
    "points_change",
)


@dataclass(frozen=True)
class AreaIndex:
    code: str
    title: str
    mean: float | None
    """Mean component index of the kind's units (percent, two decimals)."""
    unit: float | None = None
    """The selected unit's component index."""


def ranking(results: YearResults, kind: str) -> list[dict[str, Any]]:
    """The kind's units in rank order, as in ``evaluator results --format json``."""
    return list(results.to_json(kind)["units"])


def summary(results: YearResults, kind: str) -> dict[str, Any]:
    data = results.to_json(kind)["summary"]
    return data.get(kind, {"units": 0, "mean_index": None, "classes": {}})


def area_indices(results: YearResults, kind: str, unit_code: str | None = None) -> list[AreaIndex]:
    units = ranking(results, kind)
    per_area: dict[str, list[float]] = {}
    titles: dict[str, str] = {}
    mine: dict[str, float | None] = {}
    for u in units:
        for a in u["areas"]:
            titles[a["code"]] = a.get("title") or ""
            if a["index"] is not None:
                per_area.setdefault(a["code"], []).append(a["index"])
            if u["code"] == unit_code:
                mine[a["code"]] = a["index"]
    out = []
    for code, title in titles.items():
        values = per_area.get(code, [])
        mean = None
        if values:
            mean = float((Decimal(str(sum(values))) / len(values)).quantize(Decimal("0.01"), ROUND_HALF_UP))
        out.append(AreaIndex(code, title, mean, mine.get(code)))
    return out


def ranking_table(results: YearResults, kind: str) -> list[list[Any]]:
    return [[u[k] for k in RANKING_KEYS] for u in ranking(results, kind)]


def export_ranking(results: YearResults, kind: str, path: Path | str) -> Path:
    """Write the ranking of a kind as ``.xlsx`` (with the class shares on a second sheet) or ``.csv``."""
    path = Path(path)
    rows = ranking_table(results, kind)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open("w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads UTF-8
                writer = csv.writer(fh)
                writer.writerow(RANKING_HEADERS)
                writer.writerows(["" if v is None else v for v in row] for row in rows)
        elif suffix == ".xlsx":
            _xlsx(results, kind, rows, path)
        else:
            raise UserError("report.table_suffix", name=path.name)
    except OSError as exc:
        raise UserError("common.cannot_write", path=path, error=exc.strerror or exc) from exc
    return path


def _xlsx(results: YearResults, kind: str, rows: list[list[Any]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill

    from evaluator.reports.excel import put

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Xếp hạng"
    sheet.append([f"Kết quả Chỉ số CCHC năm {results.year}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append(list(RANKING_HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    fills = {"xuat_sac": "C8E6C9", "tot": "DCEDC8", "kha": "FFF9C4", "trung_binh": "FFE0B2", "yeu": "FFCDD2"}
    for u, row in zip(ranking(results, kind), rows, strict=True):
        line = sheet.max_row + 1
        for col, value in enumerate(row, 1):  # put(): a unit name "=…" stays text, not a formula
            put(sheet, line, col, value)
        fill = fills.get(u["class"])
        if fill:
            sheet.cell(sheet.max_row, 8).fill = PatternFill("solid", fgColor=fill)
        for col in (5, 6, 7, 9):
            sheet.cell(sheet.max_row, col).number_format = "0.00"
    for letter, width in zip("ABCDEFGHI", (7, 12, 10, 48, 9, 9, 11, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    shares = book.create_sheet("Xếp loại")
    s = summary(results, kind)
    shares.append(["Xếp loại", "Số đơn vị", "Tỷ lệ (%)"])
    for c in s["classes"].values():
        shares.append([c["label"], c["count"], c["share"]])
    shares.append(["Chỉ số trung bình", s["units"], s["mean_index"]])
    areas = book.create_sheet("Lĩnh vực")
    areas.append(["Mã", "Lĩnh vực", "Chỉ số thành phần trung bình (%)"])
    for a in area_indices(results, kind):
        areas.append([a.code, a.title, a.mean])
    book.save(path)
