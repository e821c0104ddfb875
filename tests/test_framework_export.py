"""Exporting criteria sets (YAML, flat JSON, XLSX) and reading them back with the same identity."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from evaluator.frameworks import Framework, FrameworkInvalid, Problem, load_framework, parse_framework
from evaluator.frameworks.canonical import plain_document
from evaluator.frameworks.export import export_framework, flat_document, to_yaml
from evaluator.frameworks.registry import bundled_frameworks, bundled_paths
from evaluator.frameworks.xlsx import (
    CLASS_SHEET,
    NODE_SHEET,
    SET_SHEET,
    SURVEY_SHEET,
    write_workbook,
)
from evaluator.frameworks.xlsx_read import read_workbook

MINI = Path(__file__).parent / "data" / "mini.yaml"
FORMATS = ("yaml", "json", "xlsx")


def mini_doc() -> dict[str, Any]:
    return yaml.safe_load(MINI.read_text(encoding="utf-8"))


def _find(nodes: list[dict[str, Any]], code: str) -> dict[str, Any]:
    for n in nodes:
        if n["code"] == code:
            return n
        if n.get("children"):
            try:
                return _find(n["children"], code)
            except KeyError:
                pass
    raise KeyError(code)


def varied_doc() -> dict[str, Any]:
    """The mini set with everything the simple one leaves out: kind-specific nodes and classes, English
    labels, guidance on several lines, tie-breakers, small fractions, ``without_survey: rescale``…"""
    doc = mini_doc()
    doc.update(title_en="Test set", issued_by="Quyết định 123/QĐ-UBND ngày 01/02/2024",
               ranking={"tie_policy": "ordinal", "tie_breakers": ["appraisal", "area:2"]},
               rounding={"index_decimals": 3, "classify_on": "raw", "rank_on": "raw"},
               shares={"method": "remainder_to_last"}, bonus_cap=1.5, penalty_cap=0.75)
    doc["survey"]["without_survey"] = "rescale"
    doc["survey"]["answer_weights"] = {"A": 1, "B": 0.65, "C": 0.1, "D": 0.05, "E": 0}
    district = [dict(b) for b in doc["classes"]]
    district[0]["label_en"] = "Excellent"
    doc["classes"] = {
        "district": district,
        "commune": [{"code": "dat", "label": "Đạt", "label_en": "Pass", "min": 75.5},
                    {"code": "khong_dat", "label": "Không đạt, cần khắc phục", "min": 0}],
    }
    nodes = doc["nodes"]
    _find(nodes, "1").update(title_en="Direction", guidance="Dòng một\nDòng hai: \"trích dẫn\", 'nháy'")
    _find(nodes, "2.5")["max"] = {"district": 2, "commune": 4}
    _find(nodes, "2.6").update(max={"district": 2}, rule={"kind": "manual", "step": 0.1})
    _find(nodes, "1.4.2")["rule"] = {"kind": "count", "per_item": 0.05, "mode": "deduct"}
    _find(nodes, "1.3")["rule"].update(input="value", zero_denominator="not_applicable")
    _find(nodes, "2.2")["rule"] = {"kind": "external", "index": "par766", "mapping": "bands", "scale": 10,
                                   "order": "asc", "bands": [{"min": 0, "max": 5.55, "share": 0},
                                                             {"min": 5.55, "points": {"district": 2,
                                                                                      "commune": 1.75}}]}
    _find(nodes, "2.4")["rule"]["order"] = "asc"
    _find(nodes, "2.5")["rule"] = {"kind": "minmax", "order": "asc"}
    _find(nodes, "1.2")["rule"]["options"].append({"code": "yes", "label": "on: 1, 2", "points": 0.33})
    return doc


def varied() -> Framework:
    return parse_framework(varied_doc(), "varied")


SETS: dict[str, Callable[[], Framework]] = {
    "mini": lambda: load_framework(MINI),
    "varied": varied,
}


def export_and_load(fw: Framework, tmp_path: Path, fmt: str) -> Framework:
    out = tmp_path / f"export.{fmt}"
    export_framework(fw, out)
    return load_framework(out)


# --- round trips -----------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", list(SETS))
def test_round_trip_keeps_identity(tmp_path: Path, name: str, fmt: str) -> None:
    fw = SETS[name]()
    again = export_and_load(fw, tmp_path, fmt)
    assert again.sha256 == fw.sha256
    assert again.document == fw.document
    # and once more, from the re-read set
    assert export_and_load(again, tmp_path, fmt).sha256 == fw.sha256


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", bundled_paths(), ids=lambda p: p.name)
def test_bundled_round_trip(tmp_path: Path, path: Path, fmt: str) -> None:
    fw = load_framework(path)
    assert export_and_load(fw, tmp_path, fmt).sha256 == fw.sha256


def test_bundled_frameworks_load() -> None:
    frameworks = bundled_frameworks()
    assert len(frameworks) == len(bundled_paths())
    assert len({(f.code, f.version) for f in frameworks}) == len(frameworks)
    for fw in frameworks:
        assert len(fw.sha256) == 64


def test_varied_set_is_really_varied() -> None:
    fw = varied()
    assert fw.classes["district"] != fw.classes["commune"]
    assert "commune" not in fw.nodes["2.6"].max
    assert fw.without_survey == "rescale" and fw.tie_breakers == ("appraisal", "area:2")


def test_export_rejects_other_suffixes(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"use a \.yaml, \.json or \.xlsx"):
        export_framework(load_framework(MINI), tmp_path / "set.csv")


# --- YAML ------------------------------------------------------------------------------------------
def test_yaml_export_is_the_canonical_document() -> None:
    fw = varied()
    text = to_yaml(fw)
    assert yaml.safe_load(text) == plain_document(fw)
    assert "Bộ tiêu chí thử nghiệm" in text  # Unicode kept, not escaped


# --- JSON ------------------------------------------------------------------------------------------
def test_json_export_shape(tmp_path: Path) -> None:
    fw = varied()
    out = tmp_path / "set.json"
    export_framework(fw, out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc == json.loads(json.dumps(flat_document(fw)))
    for key, kind in {"code": str, "version": int, "sha256": str, "year": int, "unit_kinds": list,
                      "nodes": list}.items():
        assert isinstance(doc[key], kind), key
    assert (doc["code"], doc["version"], doc["sha256"], doc["year"]) == ("test-mini", 1, fw.sha256, 2024)
    assert doc["unit_kinds"] == ["district", "commune"]
    assert [n["code"] for n in doc["nodes"]] == [n.code for n in fw]  # tree order
    for entry, node in zip(doc["nodes"], fw, strict=True):
        assert isinstance(entry["code"], str)
        assert entry["parent"] is None or isinstance(entry["parent"], str)
        assert isinstance(entry["title"], str)
        assert entry["source"] in ("appraisal", "survey")
        assert isinstance(entry["max"], dict)
        assert all(k in fw.unit_kinds and isinstance(v, int | float) for k, v in entry["max"].items())
        assert isinstance(entry["not_applicable_allowed"], bool)
        if node.is_leaf:
            assert isinstance(entry["rule"], dict) and isinstance(entry["rule"]["kind"], str)
        else:
            assert entry["rule"] is None
        assert entry["parent"] == node.parent and entry["source"] == node.source
    by_code = {n["code"]: n for n in doc["nodes"]}
    assert by_code["2.6"]["max"] == {"district": 2}  # does not apply to communes
    assert by_code["1.4.1"]["max"] == {"district": 1.5, "commune": 1.5}
    assert by_code["1.4.1"]["parent"] == "1.4" and by_code["1"]["parent"] is None
    assert by_code["1.2"]["rule"]["kind"] == "options" and len(by_code["1.2"]["rule"]["options"]) == 4
    assert by_code["2.3"]["source"] == "survey"
    assert by_code["1.3"]["not_applicable_allowed"] is True


def test_flat_json_with_unknown_parent_is_reported(tmp_path: Path) -> None:
    doc = flat_document(load_framework(MINI))
    doc["nodes"][1]["parent"] = "9"
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as info:
        load_framework(path)
    assert [str(p) for p in info.value.problems] == [
        str(Problem(str(path), "1.1", "parent", "parent '9' is not listed before this node"))]


def test_flat_json_edited_is_validated(tmp_path: Path) -> None:
    doc = flat_document(load_framework(MINI))
    next(n for n in doc["nodes"] if n["code"] == "1.1")["max"] = {"district": 3, "commune": 2}
    path = tmp_path / "flat.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as info:
        load_framework(path)
    assert any(p.node == "1" and p.field == "max.district" for p in info.value.problems)


# --- XLSX: layout ----------------------------------------------------------------------------------
@pytest.fixture
def workbook_path(tmp_path: Path) -> Path:
    out = tmp_path / "set.xlsx"
    write_workbook(varied(), out)
    return out


def header(ws: Any) -> list[str]:
    return [c.value for c in ws[1] if c.value is not None]


def row_of(ws: Any, code: str) -> int:
    codes = [c.value for c in ws["A"]]
    return codes.index(code) + 1


def column_of(ws: Any, key: str) -> int:
    return header(ws).index(key) + 1


def test_workbook_layout(workbook_path: Path) -> None:
    wb = openpyxl.load_workbook(workbook_path)
    assert wb.sheetnames[:4] == [SET_SHEET, NODE_SHEET, CLASS_SHEET, SURVEY_SHEET]
    for ws in (wb[s] for s in (SET_SHEET, NODE_SHEET, CLASS_SHEET, SURVEY_SHEET)):
        assert all(c.font.bold for c in ws[1] if c.value is not None), ws.title
        assert ws.freeze_panes in ("A3", "B3"), ws.title
        assert all(isinstance(c.value, str) and c.value for c in ws[2][: len(header(ws))])  # captions
        assert ws.column_dimensions["A"].width and ws.column_dimensions["A"].width > 5

    ws = wb[SET_SHEET]
    assert header(ws) == ["key", "value", "description"]
    fields = {r[0]: r[1] for r in ws.iter_rows(min_row=3, values_only=True)}
    for key in ("format", "format_version", "code", "version", "year", "title", "title_en", "issued_by",
                "unit_kinds", "total_max", "rounding.index_decimals", "rounding.classify_on",
                "rounding.rank_on", "ranking.tie_policy", "ranking.tie_breakers", "shares.method",
                "bonus_cap", "penalty_cap", "survey.without_survey"):
        assert key in fields, key
    assert fields["unit_kinds"] == "district, commune"
    assert fields["ranking.tie_breakers"] == "appraisal, area:2"
    assert fields["version"] == 1 and fields["total_max"] == 20 and fields["penalty_cap"] == 0.75

    ws = wb[NODE_SHEET]
    keys = header(ws)
    assert keys[:7] == ["code", "parent", "level", "title", "title_en", "source", "role"]
    for key in ("max_district", "max_commune", "not_applicable_allowed", "evidence_required", "cap_children",
                "rule_kind", "rule_params", "guidance", "step", "per_item", "mode"):
        assert key in keys, key
    codes = [r[0] for r in ws.iter_rows(min_row=3, values_only=True)]
    assert codes == [n.code for n in varied()]  # tree order
    r26 = row_of(ws, "2.6")
    assert ws.cell(r26, column_of(ws, "max_district")).value == 2
    assert ws.cell(r26, column_of(ws, "max_commune")).value is None  # does not apply
    assert ws.cell(r26, column_of(ws, "step")).value == 0.1
    r141 = row_of(ws, "1.4.1")
    assert ws.cell(r141, column_of(ws, "parent")).value == "1.4"
    assert ws.cell(r141, column_of(ws, "level")).value == 3
    assert ws.cell(r141, column_of(ws, "max_district")).value == 1.5
    params = yaml.safe_load(ws.cell(row_of(ws, "1.2"), column_of(ws, "rule_params")).value)
    assert [o["code"] for o in params["options"]] == ["on_time", "late", "none", "yes"]

    ws = wb[CLASS_SHEET]
    assert header(ws) == ["unit_kind", "code", "label", "label_en", "min", "max"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert ("commune", "dat", "Đạt", "Pass", 75.5, None) in rows
    assert ("district", "tot", "Tốt", None, 80, 90) in rows

    ws = wb[SURVEY_SHEET]
    assert header(ws) == ["type", "code", "weight", "label"]
    rows = list(ws.iter_rows(min_row=3, values_only=True))
    assert ("answer", "B", 0.65, None) in rows and ("group", "citizens", None, "Người dân") in rows


def test_mini_classes_shared_by_every_kind(tmp_path: Path) -> None:
    out = tmp_path / "mini.xlsx"
    write_workbook(load_framework(MINI), out)
    ws = openpyxl.load_workbook(out)[CLASS_SHEET]
    assert {r[0] for r in ws.iter_rows(min_row=3, values_only=True)} == {"*"}


def test_read_workbook_gives_a_plain_document(workbook_path: Path) -> None:
    doc = read_workbook(workbook_path)
    assert json.loads(json.dumps(doc)) == doc  # plain values only
    assert parse_framework(doc).sha256 == varied().sha256


# --- XLSX: hand edits ------------------------------------------------------------------------------
def edit(path: Path, sheet: str, change: Callable[[Any], None]) -> None:
    wb = openpyxl.load_workbook(path)
    change(wb[sheet])
    wb.save(path)


def set_cell(code: str, key: str, value: Any) -> Callable[[Any], None]:
    return lambda ws: setattr(ws.cell(row_of(ws, code), column_of(ws, key)), "value", value)


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(FrameworkInvalid) as info:
        load_framework(path)
    assert str(path) in str(info.value)
    return info.value.problems


def test_hand_edited_max_that_does_not_add_up(workbook_path: Path) -> None:
    edit(workbook_path, NODE_SHEET, set_cell("1.1", "max_district", 3))
    problems = problems_of(workbook_path)
    assert any(p.node == "1" and p.field == "max.district" and "children add up to 9" in p.message
               for p in problems), problems


def test_hand_edited_max_changes_identity(workbook_path: Path) -> None:
    edit(workbook_path, NODE_SHEET, lambda ws: (set_cell("1.4.1", "max_district", 1.25)(ws),
                                                set_cell("1.4.1", "max_commune", 1.25)(ws)))
    fw = load_framework(workbook_path)
    assert fw.sha256 != varied().sha256
    assert str(fw.nodes["1.4.1"].max["district"]) == "1.25"


def test_human_typing_is_tolerated(workbook_path: Path) -> None:
    """Codes typed as numbers, decimal commas, yes/no words, no caption row: still the same set."""
    def change(ws: Any) -> None:
        set_cell("2", "code", 2)(ws)
        for code in ("2.1", "2.2", "2.3", "2.4", "2.5", "2.6"):
            set_cell(code, "parent", 2)(ws)
        set_cell("1.4.1", "max_district", "1,5")(ws)
        set_cell("1.1", "evidence_required", "x")(ws)
        set_cell("1.2", "evidence_required", "không")(ws)
        set_cell("1.3", "level", None)(ws)
        ws.delete_rows(2)  # the Vietnamese caption row

    edit(workbook_path, NODE_SHEET, change)
    edit(workbook_path, NODE_SHEET, lambda ws: ws.cell(1, len(header(ws)) + 1, "# ghi chú"))
    assert load_framework(workbook_path).sha256 == varied().sha256


def test_float_noise_from_excel_is_canonicalised(workbook_path: Path) -> None:
    edit(workbook_path, NODE_SHEET, set_cell("2.6", "step", 0.1 + 0.2 - 0.2))  # 0.10000000000000003
    assert load_framework(workbook_path).sha256 == varied().sha256


@pytest.mark.parametrize(("sheet", "code", "key", "value", "field", "fragment"), [
    (NODE_SHEET, "1.1", "max_district", "hai", "max_district", "'hai' is not a number"),
    (NODE_SHEET, "1.2", "rule_params", "options: [ {code: a", "rule_params", "is not valid YAML"),
    (NODE_SHEET, "1.2", "rule_params", "- a\n- b", "rule_params", "must be YAML fields"),
    (NODE_SHEET, "1.3", "not_applicable_allowed", "maybe", "not_applicable_allowed", "not yes/no"),
    (NODE_SHEET, "1.4.1", "parent", "9", "parent", "'9' is not the code of an earlier row"),
    (NODE_SHEET, "1.4.1", "level", 2, "level", "says level 2"),
    (NODE_SHEET, "1.4.2", "per_item", "0.25", "per_item", "given both here and in column rule_params"),
])
def test_bad_cells_are_named(workbook_path: Path, sheet: str, code: str, key: str, value: Any, field: str,
                             fragment: str) -> None:
    if key == "per_item":  # also in rule_params
        edit(workbook_path, sheet, set_cell(code, "rule_params", "per_item: 0.5"))
    edit(workbook_path, sheet, set_cell(code, key, value))
    ws = openpyxl.load_workbook(workbook_path)[sheet]
    where = f"{sheet}!row {row_of(ws, code)} column {field}"
    problems = problems_of(workbook_path)
    assert any(p.node == code and p.field == where and fragment in p.message for p in problems), problems
    assert any(f"node {code}: field '{where}'" in str(p) for p in problems)


def test_bad_set_field_is_named(workbook_path: Path) -> None:
    def change(ws: Any) -> None:
        ws.cell(row_of(ws, "version"), 2).value = 1.5
        ws.cell(row_of(ws, "year"), 2).value = "năm nay"
        ws.cell(ws.max_row + 1, 1).value = "colour"

    edit(workbook_path, SET_SHEET, change)
    ws = openpyxl.load_workbook(workbook_path)[SET_SHEET]
    problems = problems_of(workbook_path)
    fields = {p.field: p.message for p in problems}
    assert "is not a whole number" in fields[f"{SET_SHEET}!row {row_of(ws, 'version')} column value"]
    assert "is not a number" in fields[f"{SET_SHEET}!row {row_of(ws, 'year')} column value"]
    assert "unknown field 'colour'" in fields[f"{SET_SHEET}!row {ws.max_row} column key"]


def test_unknown_column_is_reported(workbook_path: Path) -> None:
    edit(workbook_path, NODE_SHEET, lambda ws: setattr(ws.cell(1, column_of(ws, "rule_kind")), "value",
                                                       "rule_kid"))
    problems = problems_of(workbook_path)
    assert any(p.field.startswith(f"{NODE_SHEET}!row 1 column ") and "unknown column 'rule_kid'" in p.message
               for p in problems)


def test_unknown_kind_column_reaches_the_loader(workbook_path: Path) -> None:
    edit(workbook_path, NODE_SHEET, lambda ws: (ws.cell(1, len(header(ws)) + 1, "max_province"),
                                                set_cell("1.1", "max_province", 2)(ws)))
    problems = problems_of(workbook_path)
    assert any(p.node == "1.1" and p.field == "max.province" and "unknown unit kind" in p.message
               for p in problems)


def test_bad_survey_and_class_rows_are_named(workbook_path: Path) -> None:
    edit(workbook_path, SURVEY_SHEET, lambda ws: (ws.cell(3, 1, "answr"), ws.cell(4, 3, "nhiều")))
    edit(workbook_path, CLASS_SHEET, lambda ws: ws.cell(3, 5, "chín mươi"))
    fields = {p.field for p in problems_of(workbook_path)}
    assert {f"{SURVEY_SHEET}!row 3 column type", f"{SURVEY_SHEET}!row 4 column weight",
            f"{CLASS_SHEET}!row 3 column min"} <= fields


def test_class_band_edit_is_validated(workbook_path: Path) -> None:
    edit(workbook_path, CLASS_SHEET, lambda ws: ws.cell(4, 6, 95))  # district 'tot' now [80, 95)
    problems = problems_of(workbook_path)
    assert any(p.field == "classes.district" and "overlap" in p.message for p in problems), problems


# --- XLSX: files that are not criteria-set workbooks -----------------------------------------------
def test_not_a_workbook(tmp_path: Path) -> None:
    for name, content in (("text.xlsx", b"hello, not a workbook"), ("empty.xlsx", b""),
                          ("yaml.xlsx", MINI.read_bytes()), ("zip.xlsx", b"PK\x03\x04broken zip")):
        path = tmp_path / name
        path.write_bytes(content)
        problems = problems_of(path)
        assert len(problems) == 1
        assert problems[0].field == "(file)" and "not an Excel workbook" in problems[0].message
        assert str(problems[0]).startswith(f"{path}: set: field '(file)'")


def test_read_workbook_on_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FrameworkInvalid, match=r"(no such file|not an Excel workbook)"):
        read_workbook(tmp_path / "absent.xlsx")


@pytest.mark.parametrize("sheet", [SET_SHEET, NODE_SHEET, CLASS_SHEET])
def test_missing_sheet(workbook_path: Path, sheet: str) -> None:
    wb = openpyxl.load_workbook(workbook_path)
    del wb[sheet]
    wb.save(workbook_path)
    problems = problems_of(workbook_path)
    assert len(problems) == 1 and problems[0].field == "(workbook)"
    assert f"no sheet {sheet}" in problems[0].message


def test_other_workbook(tmp_path: Path) -> None:
    path = tmp_path / "budget.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Sheet1"
    wb.save(path)
    (problem,) = problems_of(path)
    assert "no sheet bo_tieu_chi, tieu_chi, xep_loai" in problem.message
    assert "found: Sheet1" in problem.message


def test_empty_node_sheet(workbook_path: Path) -> None:
    wb = openpyxl.load_workbook(workbook_path)
    del wb[NODE_SHEET]
    wb.create_sheet(NODE_SHEET)
    wb.save(workbook_path)
    problems = problems_of(workbook_path)
    assert any(p.field == f"{NODE_SHEET}!row 1" and "empty" in p.message for p in problems)


def test_survey_sheet_is_optional_without_survey_leaves(tmp_path: Path) -> None:
    doc = mini_doc()
    doc.pop("survey")
    area = _find(doc["nodes"], "2")
    area["children"] = [c for c in area["children"] if c["code"] != "2.3"]
    _find(doc["nodes"], "2.6")["max"] = 5
    fw = parse_framework(doc)
    out = tmp_path / "no-survey.xlsx"
    write_workbook(fw, out)
    wb = openpyxl.load_workbook(out)
    del wb[SURVEY_SHEET]
    wb.save(out)
    assert load_framework(out).sha256 == fw.sha256


# --- random sets: the round trip holds for sets nobody wrote by hand -------------------------------
TRICKY = [
    "yes", "null", "on", "1e3", "0012", "1.10", "a: b", "# không", "- x", "'quoted'", '"dq"', "tab\there",
    "dòng 1\ndòng 2", "cr\r\nlf", "lit _x0041_", "bell\x07", "trailing ", "Đánh giá, xếp loại", "[x]", "{y}",
    "=SUM(A1)", "@home", "~", "%", "*",
]


def random_document(seed: int) -> dict[str, Any]:
    import random
    from decimal import Decimal

    rnd = random.Random(seed)
    kinds = rnd.sample(["department", "district", "commune"], rnd.randint(1, 3))

    def text(prefix: str) -> str:
        draw = rnd.random()
        if draw < 0.5:
            return prefix
        return rnd.choice(TRICKY) if draw < 0.6 else f"{prefix} {rnd.choice(TRICKY)}"

    def split(total: int, parts: int) -> list[int]:
        """Split ``total`` cents into ``parts`` positive amounts."""
        cuts = sorted(rnd.sample(range(1, total), parts - 1)) if parts > 1 else []
        return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]

    def cents(n: int) -> float | int:
        d = Decimal(n) / 100
        return int(d) if d == int(d) else float(d)

    def share() -> float | int:
        return rnd.choice([0, 1, 0.5, 0.25, 0.1, 0.05, 0.333, 0.6, 0.75])

    def bands(with_points: bool, kind_max: dict[str, int]) -> list[dict[str, Any]]:
        cuts = sorted(rnd.sample([5, 10, 12.5, 33.3, 50, 66.67, 80, 90, 99.99, 100], rnd.randint(1, 4)))
        out = []
        for lo, hi in zip([0, *cuts], [*cuts, None], strict=True):
            band: dict[str, Any] = {"min": lo}
            if hi is not None and rnd.random() < 0.7:
                band["max"] = hi
            if with_points and rnd.random() < 0.3:
                band["points"] = {k: cents(rnd.randint(0, m)) for k, m in kind_max.items()}
            else:
                band["share"] = share()
            out.append(band)
        rnd.shuffle(out)
        return out

    def rule(kind_max: dict[str, int], source: str) -> dict[str, Any]:
        if source == "survey":
            choice = rnd.choice(["survey", "external", "manual"])
        else:
            choice = rnd.choice(["manual", "binary", "options", "bands", "proportional", "count", "external",
                                 "rank", "minmax"])
        r: dict[str, Any] = {"kind": choice}
        if choice == "manual" and rnd.random() < 0.5:
            r["step"] = rnd.choice([0.25, 0.5, 0.1, 1, 0.05])
        elif choice == "options":
            r["options"] = [
                {"code": rnd.choice(["a", "b", "1.10", "yes", "null"]) + str(i), "label": text(f"mức {i}"),
                 **({"share": share()} if rnd.random() < 0.5 else
                    {"points": {k: cents(rnd.randint(0, m)) for k, m in kind_max.items()}})}
                for i in range(rnd.randint(2, 5))]
        elif choice == "bands":
            r["bands"] = bands(True, kind_max)
            r["input"] = rnd.choice(["ratio", "value"])
        elif choice == "proportional":
            floor = rnd.choice([None, 0, 20, 50.5])
            if floor is not None:
                r["floor"] = floor
            if rnd.random() < 0.6:
                r["target"] = rnd.choice([60, 90, 100, 99.5])
                if floor is not None and floor >= r["target"]:
                    r.pop("floor")
            r["zero_denominator"] = rnd.choice(["full", "zero", "not_applicable"])
        elif choice == "count":
            r["per_item"] = rnd.choice([0.25, 0.5, 0.05, 1, 0.1])
            r["mode"] = rnd.choice(["add", "deduct"])
        elif choice == "survey":
            qs = [{"code": f"Q{i}", "group": rnd.choice(["dan", "dn"])} for i in range(rnd.randint(1, 4))]
            if rnd.random() < 0.5:
                qs[0]["label"] = text("Câu hỏi")
            r["questions"] = qs
            if rnd.random() < 0.5:
                r["group_weights"] = {"dan": 0.7, "dn": 0.3}
        elif choice == "external":
            r["index"] = rnd.choice(["sipas", "par766", "ddci"])
            r["mapping"] = rnd.choice(["proportional", "bands", "minmax"])
            r["scale"] = rnd.choice([100, 10, 7.5])
            if r["mapping"] == "bands":
                r["bands"] = bands(True, kind_max)
        elif choice == "rank":
            r["ranks"] = [{"upto": u, "share": s} for u, s in ((1, 1), (3, 0.75), (10, 0.333), (999, 0))]
            r["order"] = rnd.choice(["asc", "desc"])
        elif choice == "minmax":
            r["order"] = rnd.choice(["asc", "desc"])
        return r

    has_survey = False

    def node(code: str, kind_max: dict[str, int], depth: int, source: str) -> dict[str, Any]:
        nonlocal has_survey
        n: dict[str, Any] = {"code": code, "title": text(f"Tiêu chí {code}")}
        values = {cents(v) for v in kind_max.values()}
        one_number = len(values) == 1 and len(kind_max) == len(kinds) and rnd.random() < 0.5
        n["max"] = next(iter(values)) if one_number else {k: cents(v) for k, v in kind_max.items()}
        if depth > 0 and rnd.random() < 0.2:
            source = "survey" if source == "appraisal" else "appraisal"
            n["source"] = source
        for flag in ("not_applicable_allowed", "evidence_required"):
            if rnd.random() < 0.2:
                n[flag] = True
        if rnd.random() < 0.2:
            n["title_en"] = text("Criterion")
        if rnd.random() < 0.2:
            n["guidance"] = text("Hướng dẫn:\n- TLKC")
        smallest = min(kind_max.values())
        if depth < 2 and smallest >= 4 and rnd.random() < 0.6:
            parts = rnd.randint(2, min(4, smallest))
            per_kind = {k: split(v, parts) for k, v in kind_max.items()}
            n["children"] = [node(f"{code}.{i + 1}", {k: per_kind[k][i] for k in kind_max}, depth + 1, source)
                             for i in range(parts)]
            # some children do not apply to one kind: the parent is then capped
            if len(kind_max) > 1 and rnd.random() < 0.3:
                child = n["children"][-1]
                dropped = rnd.choice(list(kind_max))
                child_max = {k: v for k, v in per_kind.items() if k != dropped}
                child["max"] = {k: cents(v[-1]) for k, v in child_max.items()}
                n["children"][0]["max"] = {k: cents(per_kind[k][0] + (per_kind[k][-1] if k == dropped else 0))
                                           for k in kind_max}
                for changed in (n["children"][0], child):  # their subtrees no longer add up: make leaves
                    changed.pop("children", None)
                    changed["rule"] = {"kind": "manual"}
        else:
            n["rule"] = rule(kind_max, source)
            has_survey = has_survey or n["rule"]["kind"] == "survey"
        return n

    total = rnd.choice([10000, 2000, 1000])
    areas = rnd.randint(2, 5)
    area_max = split(total, areas)
    doc: dict[str, Any] = {
        "format": "evaluator-framework", "format_version": 1, "code": f"rnd-{seed}",
        "version": rnd.randint(1, 9),
        "year": rnd.randint(2019, 2030), "title": text("Bộ tiêu chí"), "unit_kinds": kinds,
        "total_max": cents(total),
        "ranking": {"tie_policy": rnd.choice(["min", "dense", "ordinal"]),
                    "tie_breakers": rnd.sample(["appraisal", "survey", "area:1"], rnd.randint(0, 2))},
        "rounding": {"index_decimals": rnd.randint(0, 4), "classify_on": rnd.choice(["raw", "rounded"])},
        "classes": [{"code": "a", "label": text("Xuất sắc"), "min": 90},
                    {"code": "b", "label": "Tốt", "min": 0}],
        "nodes": [node(str(i + 1), dict.fromkeys(kinds, m), 0, "appraisal") for i, m in enumerate(area_max)],
    }
    if rnd.random() < 0.5:
        doc["classes"] = {k: [{"code": "x", "label": text("Nhóm"), "label_en": text("Group"), "min": 75.25},
                              {"code": f"y{k}", "label": "Dưới", "min": 0, "max": 75.25}] for k in kinds}
    if rnd.random() < 0.5:
        doc["nodes"].append({"code": "T", "title": "Thưởng", "role": "bonus", "max": 2.5,
                             "rule": {"kind": "count", "per_item": 0.5}})
        doc["bonus_cap"] = rnd.choice([2.5, 1, 0.25])
    if has_survey or rnd.random() < 0.3:
        doc["survey"] = {"answer_weights": {"A": 1, "B": 0.6, "C": 0.2, "D": 0},
                         "groups": {"dan": text("Người dân"), "dn": "Doanh nghiệp"},
                         "without_survey": rnd.choice(["zero", "rescale"])}
    elif rnd.random() < 0.3:
        doc["survey"] = {"without_survey": "rescale"}
    return doc


@pytest.mark.parametrize("seed", range(30))
def test_random_sets_round_trip(tmp_path: Path, seed: int) -> None:
    fw = parse_framework(random_document(seed), f"random {seed}")
    for fmt in FORMATS:
        assert export_and_load(fw, tmp_path, fmt).sha256 == fw.sha256, fmt
