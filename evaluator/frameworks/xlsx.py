"""A criteria set as an Excel workbook: what the Department of Home Affairs edits by hand.

Sheets (row 1 holds machine-readable keys, row 2 a Vietnamese caption, data from row 3):

* ``bo_tieu_chi`` — set-level fields as ``key`` / ``value`` rows (dotted keys such as ``rounding.rank_on``);
* ``tieu_chi`` — one row per node in tree order: ``code``, ``parent``, ``level``, titles, ``source``,
  ``role``, one ``max_<kind>`` column per unit kind (blank = the node does not apply to that kind), flags,
  the rule (``rule_kind``, simple parameters in their own columns, the rest as YAML in ``rule_params``),
  ``guidance``;
* ``xep_loai`` — classes (``unit_kind`` ``*`` = every kind);
* ``khao_sat`` — survey answer weights and respondent groups (optional sheet).

``xlsx_read.read_workbook`` returns a plain document (the shape of a parsed YAML file);
``parse_framework`` validates it. Numbers are canonicalised on the way in (``0.1`` stays ``0.1``), so an
exported workbook read back gives the same SHA-256 as the set it came from. Reading errors name the
sheet, row and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.frameworks.canonical import decimal_to_plain, plain_document
from evaluator.frameworks.model import RULE_KINDS, Framework
from evaluator.messages import labels

SET_SHEET = "bo_tieu_chi"
NODE_SHEET = "tieu_chi"
CLASS_SHEET = "xep_loai"
SURVEY_SHEET = "khao_sat"
HELP_SHEET = "huong_dan"
REQUIRED_SHEETS = (SET_SHEET, NODE_SHEET, CLASS_SHEET)
FIRST_DATA_ROW = 3  # row 1: keys, row 2: Vietnamese captions

# Cell types: text, int, number, list (comma-separated), bool, yaml.
SET_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("format", "text", "Định dạng tệp (luôn là evaluator-framework)"),
    ("format_version", "int", "Phiên bản định dạng (1)"),
    ("code", "text", "Mã bộ tiêu chí"),
    ("version", "int", "Phiên bản bộ tiêu chí (số nguyên ≥ 1; sửa nội dung thì tăng phiên bản)"),
    ("year", "int", "Năm đánh giá"),
    ("title", "note", "Tên bộ tiêu chí"),
    ("title_en", "note", "Tên tiếng Anh"),
    ("issued_by", "note", "Văn bản ban hành"),
    ("unit_kinds", "list", "Các loại đơn vị, cách nhau bởi dấu phẩy (department, district, commune)"),
    ("total_max", "number", "Tổng điểm tối đa của các lĩnh vực"),
    ("rounding.index_decimals", "int", "Số chữ số thập phân của chỉ số"),
    ("rounding.classify_on", "text", "Xếp loại theo chỉ số: rounded (đã làm tròn) / raw (chưa làm tròn)"),
    ("rounding.rank_on", "text", "Xếp hạng theo chỉ số: rounded / raw"),
    ("ranking.tie_policy", "text", "Đồng hạng: min (1-2-2-4) / dense (1-2-2-3) / ordinal (1-2-3-4)"),
    ("ranking.tie_breakers", "list", "Tiêu chí phân định khi đồng điểm: appraisal, survey, area:MÃ"),
    ("ranking.scope", "text", "Phạm vi xếp hạng: kind (cả tỉnh, theo loại đơn vị; để trống) / parent (trong "
     "đơn vị cấp trên, ví dụ xã trong huyện) / kind_and_parent (cả hai)"),
    ("shares.method", "text", "Cách làm tròn tỷ lệ xếp loại: largest_remainder / remainder_to_last"),
    ("bonus_cap", "number", "Tổng điểm thưởng tối đa (để trống: không giới hạn)"),
    ("penalty_cap", "number", "Tổng điểm trừ tối đa (để trống: không giới hạn)"),
    ("survey.without_survey", "text", "Khi không có điều tra XHH: zero (tính 0 điểm) / rescale (quy đổi)"),
    ("cap_total", "bool", "Chỉ số tối đa 100 sau khi cộng điểm thưởng (để trống: có)"),
    ("unit_kind_labels", "yaml", "Tên các loại đơn vị thêm (YAML), mỗi loại một dòng, ví dụ: "
     "tw_dong: {label: Cơ quan Trung ương, label_en: Central agencies}"),
)
SET_FIELD_TYPES = {key: kind for key, kind, _ in SET_FIELDS}
SET_COLUMNS_SPEC: tuple[tuple[str, str, str], ...] = (
    ("key", "text", "Trường"), ("value", "note", "Giá trị"), ("description", "note", "Ý nghĩa"))

SIMPLE_RULE_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("step", "number", "Bước điểm (manual)"),
    ("per_item", "number", "Điểm mỗi mục (count)"),
    ("mode", "text", "add: cộng / deduct: trừ (count)"),
    ("input", "text", "ratio: tỷ lệ / value: giá trị %"),
    ("zero_denominator", "text", "Mẫu số bằng 0: full / zero / not_applicable"),
    ("floor", "number", "Ngưỡng tối thiểu % (proportional)"),
    ("target", "number", "Mục tiêu % đạt điểm tối đa"),
    ("index", "text", "Chỉ số ngoài (sipas, par766, ddci…)"),
    ("mapping", "text", "Quy đổi: proportional / bands / minmax"),
    ("scale", "number", "Giá trị ứng với điểm tối đa (mặc định 100)"),
    ("order", "text", "desc: cao là tốt / asc: thấp là tốt"),
)
SIMPLE_RULE_TYPES = {key: kind for key, kind, _ in SIMPLE_RULE_FIELDS}

NODE_FLAGS = ("not_applicable_allowed", "evidence_required", "cap_children")

KIND_LABELS = {"department": "cấp sở", "district": "cấp huyện", "commune": "cấp xã"}

CLASS_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("unit_kind", "text", "Loại đơn vị (* = tất cả)"),
    ("code", "text", "Mã xếp loại"),
    ("label", "note", "Tên xếp loại"),
    ("label_en", "note", "Tên tiếng Anh"),
    ("min", "number", "Từ (≥)"),
    ("max", "number", "Đến dưới (<); để trống ở loại cao nhất"),
)
SURVEY_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("type", "text", "answer: đáp án / group: nhóm đối tượng"),
    ("code", "text", "Mã"),
    ("weight", "number", "Trọng số đáp án (phần của điểm câu hỏi, 0–1)"),
    ("label", "note", "Tên nhóm đối tượng"),
)

TRUE_WORDS = frozenset({"true", "x", "yes", "y", "1", "có", "co", "đúng", "dung"})
FALSE_WORDS = frozenset({"false", "no", "n", "0", "không", "khong", "sai", "-"})

BOLD = Font(bold=True)
CAPTION_FONT = Font(italic=True, color="555555")
CAPTION_FILL = PatternFill("solid", fgColor="EEEEEE")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
AREA_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")


# --- writing -----------------------------------------------------------------------------------
def node_columns(kinds: Iterable[str]) -> list[tuple[str, str, str]]:
    """The ``tieu_chi`` columns for a set with these unit kinds: (key, type, Vietnamese caption)."""
    return [
        ("code", "text", "Mã"),
        ("parent", "text", "Mã cấp trên"),
        ("level", "int", "Cấp: 1 lĩnh vực, 2 tiêu chí, 3 TCTP"),
        ("title", "note", "Tên tiêu chí"),
        ("title_en", "note", "Tên tiếng Anh"),
        ("source", "text", "Nguồn điểm: appraisal (thẩm định) / survey (điều tra XHH)"),
        ("role", "text", "scored / bonus (thưởng) / penalty (trừ)"),
        *((f"max_{k}", "number",
           f"Điểm tối đa {KIND_LABELS.get(k) or labels.label('kind', k, 'vi')} (trống: không áp dụng)")
          for k in kinds),
        ("not_applicable_allowed", "bool", "Được “không đánh giá”"),
        ("evidence_required", "bool", "Bắt buộc TLKC"),
        ("cap_children", "bool", "Tổng tiêu chí con được vượt, lấy tối đa"),
        ("rule_kind", "text", "Cách chấm: " + ", ".join(RULE_KINDS)),
        *SIMPLE_RULE_FIELDS,
        ("rule_params", "yaml", "Tham số khác (YAML): options, bands, questions, group_weights, ranks"),
        ("guidance", "note", "Hướng dẫn chấm, TLKC"),
    ]


COLUMN_WIDTHS = {
    "code": 10, "parent": 9, "level": 6, "title": 60, "title_en": 40, "source": 11, "role": 9,
    "not_applicable_allowed": 12, "evidence_required": 12, "cap_children": 12, "rule_kind": 13,
    "rule_params": 70, "guidance": 60, "key": 26, "value": 50, "description": 70, "unit_kind": 12,
    "label": 30, "label_en": 30, "min": 9, "max": 9, "type": 10, "weight": 10, "index": 10, "mapping": 13,
    "zero_denominator": 16,
}
WRAPPED = frozenset({"title", "title_en", "rule_params", "guidance", "value", "description"})


_LITERAL_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b-\x1f]")  # includes \r, which XML turns into \n


def excel_text(text: str) -> str:
    """Text as stored in a cell, with the OOXML escapes Excel (and calamine) read back exactly:
    ``\r`` and other control characters become ``_xHHHH_``; a literal ``_xHHHH_`` is protected."""
    text = _LITERAL_ESCAPE.sub(lambda m: "_x005F" + m.group(0), text)
    return _NOT_IN_XML.sub(lambda m: f"_x{ord(m.group(0)):04X}_", text)


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return decimal_to_plain(value)
    if isinstance(value, str):
        return excel_text(value)
    return value


def _put(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Write a value; text is always text (a title starting with ``=`` is not a formula)."""
    cell = ws.cell(row=row, column=column, value=_cell_value(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _flow(value: Any) -> str:
    return str(yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, sort_keys=False,
                              width=1_000_000)).strip()


def dump_params(params: Mapping[str, Any]) -> str:
    """Rule parameters as YAML that reads well in a cell: one line per option, band, question or step."""
    lines: list[str] = []
    for key, value in params.items():
        if isinstance(value, list | tuple) and value:
            lines.append(f"{key}:")
            lines.extend(f"- {_flow(item)}" for item in value)
        else:
            dumped = yaml.safe_dump({key: value}, default_flow_style=None, allow_unicode=True,
                                    sort_keys=False, width=1_000_000)
            lines.append(str(dumped).strip())
    return "\n".join(lines)


def _header(ws: Worksheet, columns: list[tuple[str, str, str]] | tuple[tuple[str, str, str], ...],
            freeze: str = "A3") -> None:
    for col, (key, _kind, caption) in enumerate(columns, start=1):
        top = ws.cell(row=1, column=col, value=key)
        top.font = BOLD
        top.fill = HEADER_FILL
        cap = ws.cell(row=2, column=col, value=caption)
        cap.font = CAPTION_FONT
        cap.fill = CAPTION_FILL
        cap.alignment = Alignment(wrap_text=True, vertical="top")
        width = COLUMN_WIDTHS.get(key, 14 if key.startswith("max_") else 11)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.row_dimensions[2].height = 45
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}1"


def _text_format(ws: Worksheet, columns: list[tuple[str, str, str]] | tuple[tuple[str, str, str], ...],
                 keys: Iterable[str], rows: int) -> None:
    """Codes are text: keep Excel from turning ``1.10`` into the number 1.1 when someone types it."""
    for col, (key, _kind, _caption) in enumerate(columns, start=1):
        if key in keys:
            ws.column_dimensions[get_column_letter(col)].number_format = "@"  # rows typed later
            for row in range(FIRST_DATA_ROW, FIRST_DATA_ROW + rows):
                ws.cell(row=row, column=col).number_format = "@"


def _choices(ws: Worksheet, columns: list[tuple[str, str, str]], key: str, values: Iterable[str]) -> None:
    keys = [c[0] for c in columns]
    if key not in keys:
        return
    letter = get_column_letter(keys.index(key) + 1)
    dv = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True)
    dv.error = "Giá trị không hợp lệ"
    dv.showErrorMessage = True
    ws.add_data_validation(dv)
    dv.add(f"{letter}{FIRST_DATA_ROW}:{letter}1048576")


def _walk(nodes: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for n in nodes:
        yield n
        yield from _walk(n.get("children", []))


def _dotted(doc: Mapping[str, Any], key: str) -> Any:
    value: Any = doc
    for part in key.split("."):
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def write_workbook(fw: Framework, out: Path) -> None:
    """Write ``fw`` as an editable workbook (see the module docstring for the layout)."""
    doc = plain_document(fw)
    wb = Workbook()

    # bo_tieu_chi ----------------------------------------------------------------------------
    ws = wb.active
    assert ws is not None
    ws.title = SET_SHEET
    _header(ws, SET_COLUMNS_SPEC, freeze="B3")
    for row, (key, kind, caption) in enumerate(SET_FIELDS, start=FIRST_DATA_ROW):
        value = _dotted(doc, key)
        if kind == "list":
            value = ", ".join(str(v) for v in value or [])
        elif kind == "yaml":
            value = "\n".join(f"{k}: {_flow(v)}" for k, v in (value or {}).items())
        ws.cell(row=row, column=1, value=key).font = BOLD
        cell = _put(ws, row, 2, value if value != "" else None)
        cell.alignment = WRAP
        if kind in ("text", "note", "list"):
            cell.number_format = "@"
        ws.cell(row=row, column=3, value=caption).alignment = WRAP

    # tieu_chi -------------------------------------------------------------------------------
    ws = wb.create_sheet(NODE_SHEET)
    cols = node_columns(fw.unit_kinds)
    keys = [c[0] for c in cols]
    _header(ws, cols, freeze="B3")
    _text_format(ws, cols, ("code", "parent"), len(fw.nodes))
    for row, (node, plain) in enumerate(zip(fw, _walk(doc["nodes"]), strict=True), start=FIRST_DATA_ROW):
        rule = dict(plain.get("rule") or {})
        values: dict[str, Any] = {
            "code": node.code, "parent": node.parent, "level": node.depth + 1, "title": node.title,
            "title_en": node.title_en or None, "source": node.source, "role": node.role,
            **{f"max_{k}": decimal_to_plain(node.max[k]) if k in node.max else None for k in fw.unit_kinds},
            **{flag: getattr(node, flag) for flag in NODE_FLAGS},
            "rule_kind": rule.pop("kind", None),
            "guidance": node.guidance or None,
        }
        for key in SIMPLE_RULE_TYPES:
            values[key] = rule.pop(key, None)
        values["rule_params"] = dump_params(rule) if rule else None
        for col, key in enumerate(keys, start=1):
            cell = _put(ws, row, col, values.get(key))
            cell.alignment = WRAP if key in WRAPPED else TOP
            if node.depth == 0:
                cell.fill = AREA_FILL
                cell.font = BOLD
        ws.cell(row=row, column=keys.index("title") + 1).alignment = Alignment(
            wrap_text=True, vertical="top", indent=2 * node.depth)
    _choices(ws, cols, "source", ("appraisal", "survey"))
    _choices(ws, cols, "role", ("scored", "bonus", "penalty"))
    _choices(ws, cols, "rule_kind", RULE_KINDS)
    _choices(ws, cols, "mode", ("add", "deduct"))
    _choices(ws, cols, "input", ("ratio", "value"))
    _choices(ws, cols, "zero_denominator", ("full", "zero", "not_applicable"))
    _choices(ws, cols, "mapping", ("proportional", "bands", "minmax"))
    _choices(ws, cols, "order", ("desc", "asc"))
    for flag in NODE_FLAGS:
        _choices(ws, cols, flag, ("TRUE", "FALSE"))

    # xep_loai -------------------------------------------------------------------------------
    ws = wb.create_sheet(CLASS_SHEET)
    class_cols = list(CLASS_COLUMNS)
    _header(ws, class_cols)
    classes = doc["classes"]
    grouped = [("*", classes)] if isinstance(classes, list) else list(classes.items())
    row = FIRST_DATA_ROW
    for kind, bands in grouped:
        for band in bands:
            values = {"unit_kind": kind, **band}
            for col, (key, _t, _c) in enumerate(class_cols, start=1):
                _put(ws, row, col, values.get(key))
            row += 1
    _text_format(ws, class_cols, ("code",), row - FIRST_DATA_ROW)

    # khao_sat -------------------------------------------------------------------------------
    ws = wb.create_sheet(SURVEY_SHEET)
    survey_cols = list(SURVEY_COLUMNS)
    _header(ws, survey_cols)
    survey = doc.get("survey") or {}
    row = FIRST_DATA_ROW
    for answer, weight in (survey.get("answer_weights") or {}).items():
        for col, value in enumerate(("answer", answer, weight, None), start=1):
            _put(ws, row, col, value)
        row += 1
    for group, label in (survey.get("groups") or {}).items():
        for col, value in enumerate(("group", group, None, label), start=1):
            _put(ws, row, col, value)
        row += 1
    _text_format(ws, survey_cols, ("code",), row - FIRST_DATA_ROW)
    _choices(ws, survey_cols, "type", ("answer", "group"))

    _help_sheet(wb, fw)
    wb.save(out)


HELP_TEXT = (
    "Hướng dẫn sửa bộ tiêu chí trong Excel",
    "",
    "• Dòng 1 của mỗi trang là tên trường máy đọc — không sửa. Dòng 2 là chú thích tiếng Việt.",
    "• bo_tieu_chi: các thông tin chung của bộ tiêu chí (mỗi dòng một trường).",
    "• tieu_chi: mỗi dòng một lĩnh vực / tiêu chí / tiêu chí thành phần, theo thứ tự cây; cột parent ghi mã "
    "cấp trên (dòng của cấp trên phải đứng trước).",
    "• Cột max_<loại đơn vị>: điểm tối đa; để trống nghĩa là tiêu chí không áp dụng cho loại đơn vị đó. "
    "Tối đa hai chữ số thập phân.",
    "• Tiêu chí con phải cộng lại bằng điểm tối đa của tiêu chí cha (trừ khi cap_children = TRUE); "
    "các lĩnh vực cộng lại bằng total_max.",
    "• Tiêu chí lá phải có rule_kind. Các tham số phức tạp (options, bands, questions, group_weights, ranks) "
    "ghi dạng YAML ở cột rule_params.",
    "• xep_loai: các khoảng xếp loại [min, max); loại cao nhất để trống max. unit_kind = * áp dụng cho mọi "
    "loại đơn vị.",
    "• khao_sat: trọng số đáp án điều tra XHH (type = answer) và các nhóm đối tượng (type = group).",
    "• Sửa nội dung thì phải tăng version: mỗi kết quả chấm lưu mã, phiên bản và dấu SHA-256 "
    "của bộ tiêu chí.",
    "• Kiểm tra tệp sau khi sửa: evaluator framework validate TÊN_TỆP.xlsx",
)


def _help_sheet(wb: Workbook, fw: Framework) -> None:
    ws = wb.create_sheet(HELP_SHEET)
    ws.column_dimensions["A"].width = 120
    for row, line in enumerate(HELP_TEXT, start=1):
        ws.cell(row=row, column=1, value=line).alignment = Alignment(wrap_text=True)
    ws.cell(row=1, column=1).font = Font(bold=True, size=13)
    stamp = ws.cell(row=len(HELP_TEXT) + 2, column=1, value=f"{fw.identity} — SHA-256 {fw.sha256}")
    stamp.font = CAPTION_FONT
