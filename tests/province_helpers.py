"""What a real province brings on its first day: its own criteria sets as Excel workbooks (made, as a Sở Nội
vụ would, from the template the program exports, then changed) and its unit list as an Excel workbook. Used
by the end-to-end tests of a province's first year (issue #12's proof)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import openpyxl

YEAR = 2026
PROVINCE = "Tỉnh Khánh Hòa"
# Khánh Hòa's four classes (no "Xuất sắc"), from the top
CLASSES = [("tot", "Tốt", "Good", 85), ("kha", "Khá", "Fair", 70),
           ("trung_binh", "Trung bình", "Average", 50), ("yeu", "Yếu", "Weak", 0)]
DEPARTMENTS = [
    ("KH-SNV", "Sở Nội vụ", "Nội vụ", "SNV", "Giám đốc"),
    ("KH-STP", "Sở Tư pháp", "Tư pháp", "STP", "Giám đốc"),
    ("KH-STC", "Sở Tài chính", "Tài chính", "STC", "Giám đốc"),
    ("KH-SKHCN", "Sở Khoa học và Công nghệ", "KH&CN", "SKHCN", "Giám đốc"),
    ("KH-SXD", "Sở Xây dựng", "Xây dựng", "SXD", "Giám đốc"),
    ("KH-SNNMT", "Sở Nông nghiệp và Môi trường", "NN&MT", "SNNMT", "Giám đốc"),
    ("KH-SYT", "Sở Y tế", "Y tế", "SYT", "Giám đốc"),
    ("KH-SGDDT", "Sở Giáo dục và Đào tạo", "GD&ĐT", "SGDĐT", "Giám đốc"),
    ("KH-BQLKKT", "Ban Quản lý Khu kinh tế Vân Phong", "BQL KKT", "BQLKKT", "Trưởng ban"),
]
COMMUNES = [
    ("KH-X01", "UBND phường Nha Trang", "Nha Trang", "UBND", "Chủ tịch"),
    ("KH-X02", "UBND phường Cam Ranh", "Cam Ranh", "UBND", "Chủ tịch"),
    ("KH-X03", "UBND xã Vạn Ninh", "Vạn Ninh", "UBND", "Chủ tịch"),
    ("KH-X04", "UBND xã Khánh Vĩnh", "Khánh Vĩnh", "UBND", "Chủ tịch"),
]


def _export(code: str, out: Path) -> Path:
    done = subprocess.run([sys.executable, "-m", "evaluator", "framework", "export", code, "--out", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


def _recode(code: str | None) -> str | None:
    """The province numbers its areas "LV1"…: every code changes (1.2.3 → LV1.2.3); bonus and penalty too."""
    if code is None:
        return None
    return "KH" + code if re.match(r"[TP]\d", code) else "LV" + code


def department_set(folder: Path) -> Path:
    """The 2025 department set exported to the template and changed into the province's 2026 set: other code
    and year, other codes and titles, seven areas (the eighth folded into the seventh), four classes, ties
    ranked 1-2-2-3 and the class shares rounded with the remainder to the last class."""
    wb = openpyxl.load_workbook(_export("par-department-2025", folder / "template-department.xlsx"))
    meta = wb["bo_tieu_chi"]
    values = {"code": "kh-so-nganh", "year": YEAR, "version": 1,
              "title": "Bộ chỉ số CCHC các sở, ban, ngành tỉnh Khánh Hòa năm 2026",
              "title_en": "Khánh Hòa PAR Index criteria for departments, 2026",
              "ranking.tie_policy": "dense", "shares.method": "remainder_to_last"}
    for row in meta.iter_rows(min_row=3):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    sheet = wb["tieu_chi"]
    rows = list(sheet.iter_rows(min_row=3))
    area8 = next(r for r in rows if r[0].value == "8")
    area7 = next(r for r in rows if r[0].value == "7")
    area7[7].value = area7[7].value + area8[7].value
    area7[3].value = "Chính quyền số và tác động của CCHC đến người dân, tổ chức"
    for r in rows:
        if r[1].value == "8":  # the eighth area's criteria move under the seventh
            r[1].value = "7"
    sheet.delete_rows(area8[0].row)
    for r in sheet.iter_rows(min_row=3):
        r[0].value, r[1].value = _recode(r[0].value), _recode(r[1].value)
        if r[2].value == 3 and isinstance(r[3].value, str):
            r[3].value = r[3].value.replace("CCHC", "cải cách hành chính", 1)
    _four_classes(wb)
    out = folder / "khanh-hoa-so-nganh-2026.xlsx"
    wb.save(out)
    return out


def commune_set(folder: Path) -> Path:
    """The 2025 commune set as the province's 2026 commune set (code, year and classes changed)."""
    wb = openpyxl.load_workbook(_export("par-commune-2025", folder / "template-commune.xlsx"))
    values = {"code": "kh-xa-phuong", "year": YEAR, "version": 1,
              "title": "Bộ chỉ số CCHC UBND các xã, phường tỉnh Khánh Hòa năm 2026",
              "ranking.tie_policy": "dense", "shares.method": "remainder_to_last"}
    for row in wb["bo_tieu_chi"].iter_rows(min_row=3):
        if row[0].value in values:
            row[1].value = values[row[0].value]
    _four_classes(wb)
    out = folder / "khanh-hoa-xa-phuong-2026.xlsx"
    wb.save(out)
    return out


def _four_classes(wb: openpyxl.Workbook) -> None:
    sheet = wb["xep_loai"]
    sheet.delete_rows(3, sheet.max_row)
    upper = None
    for code, label, label_en, low in CLASSES:
        sheet.append(["*", code, label, label_en, low, upper])
        upper = low


def unit_list(folder: Path) -> Path:
    """The province's units as the sheet ``units`` that ``evaluator units import`` reads."""
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "units"
    sheet.append(["unit_code", "unit_name", "unit_kind", "short_name", "abbreviation", "head_title",
                  "ranking_group"])
    for code, name, short, abbreviation, head in DEPARTMENTS:
        group = "dac_thu" if code == "KH-BQLKKT" else ""
        sheet.append([code, name, "department", short, abbreviation, head, group])
    for code, name, short, abbreviation, head in COMMUNES:
        sheet.append([code, name, "commune", short, abbreviation, head, ""])
    out = folder / "don-vi-khanh-hoa.xlsx"
    wb.save(out)
    return out
