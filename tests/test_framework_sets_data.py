"""A criteria set's own data: ``cap_total`` (the index capped at 100 after bonus points) and unit kinds
beyond the program's three, declared with their labels (``unit_kind_labels``)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_helpers import E, build, framework_doc, manual_leaf, score_both

from evaluator.frameworks import FrameworkInvalid, load_framework
from evaluator.frameworks.export import export_framework
from evaluator.frameworks.registry import bundled_frameworks
from evaluator.messages import Message, labels
from evaluator.models.schema import KIND_ORDER

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def bonus_doc(cap_total: bool | None) -> dict[str, Any]:
    nodes = [
        {"code": "1", "title": "Lĩnh vực 1", "max": 6,
         "children": [manual_leaf("1.1", 2), manual_leaf("1.2", 4)]},
        {"code": "2", "title": "Lĩnh vực 2", "max": 4, "children": [manual_leaf("2.1", 4)]},
        {**manual_leaf("T", 3), "role": "bonus"},
        {**manual_leaf("P", 2), "role": "penalty"},
    ]
    extra = {} if cap_total is None else {"cap_total": cap_total}
    return framework_doc(nodes, total_max=10, **extra)


cents = st.integers(min_value=0, max_value=400).map(lambda c: Decimal(c).scaleb(-2))


@SETTINGS
@given(points=st.tuples(cents, cents, cents, cents, cents), cap=st.sampled_from([None, True, False]))
def test_the_index_never_exceeds_100_when_capped_and_is_the_plain_sum_when_not(
        points: tuple[Decimal, ...], cap: bool | None) -> None:
    fw = build(bonus_doc(cap))
    codes = ("1.1", "1.2", "2.1", "T", "P")
    entries = {"u": [E(code, "self", p) for code, p in zip(codes, points, strict=True)]}
    s = score_both(fw, {"u": "district"}, entries).unit("u")  # both scoring paths, agreeing
    plain = max(s.scored + s.bonus - s.penalty, Decimal(0))
    if cap is False:
        assert s.points == plain
    else:  # absent = capped
        assert s.points == min(plain, s.max)
        assert s.index is not None and s.index <= 100


def test_all_at_max_plus_bonus_is_100_capped_and_above_when_not() -> None:
    entries = {"u": [E("1.1", "self", 2), E("1.2", "self", 4), E("2.1", "self", 4), E("T", "self", "1.5")]}
    capped, uncapped = build(bonus_doc(None)), build(bonus_doc(False))
    assert score_both(capped, {"u": "district"}, entries).unit("u").index == Decimal("100.00")
    assert score_both(uncapped, {"u": "district"}, entries).unit("u").index == Decimal("115.00")


def test_cap_total_keeps_old_identities_and_changes_the_new_one() -> None:
    absent, true, false = build(bonus_doc(None)), build(bonus_doc(True)), build(bonus_doc(False))
    assert absent.sha256 == true.sha256 != false.sha256
    assert "cap_total" not in absent.document and false.document["cap_total"] is False
    for fw in bundled_frameworks():  # written only when not the default: the bundled sets' identity stays
        assert "cap_total" not in fw.document and "unit_kind_labels" not in fw.document


def test_cap_total_must_be_true_or_false() -> None:
    with pytest.raises(FrameworkInvalid) as exc:
        build(bonus_doc("yes"))  # type: ignore[arg-type]
    assert [str(p) for p in exc.value.problems] == [
        "test: set: field 'cap_total': must be true or false, got 'yes'"]


# --- unit kinds as data --------------------------------------------------------------------------------
def kinds_doc(**labels_given: Any) -> dict[str, Any]:
    nodes = [{"code": "1", "title": "Lĩnh vực 1", "max": 10, "children": [manual_leaf("1.1", 10)]}]
    doc = framework_doc(nodes, kinds=("department", "tw_dong", "su_nghiep"), total_max=10, code="rieng")
    doc["unit_kind_labels"] = labels_given or {
        "su_nghiep": {"label": "Đơn vị sự nghiệp", "label_en": "Public service units"},
        "tw_dong": {"label": "Cơ quan Trung ương đóng trên địa bàn", "label_en": "Central agencies"},
    }
    return doc


def test_declared_kinds_have_labels_in_both_languages_and_sort_after_the_three(tmp_path: Path) -> None:
    fw = build(kinds_doc())
    assert fw.unit_kinds == ("department", "tw_dong", "su_nghiep")
    assert list(fw.kind_labels) == ["tw_dong", "su_nghiep"]  # the set's order
    assert labels.label("kind", "tw_dong", "vi") == "Cơ quan Trung ương đóng trên địa bàn"
    assert labels.label("kind", "tw_dong", "en") == "Central agencies"
    assert labels.kind("su_nghiep").render("en") == "Public service units"
    assert labels.kind("department").render("en") == "department"  # the three as before
    message = Message("frameworks.no_set_for_kind", {"kind": labels.kind("su_nghiep"), "year": 2024})
    assert "Đơn vị sự nghiệp" in message.render("vi") and "Public service units" in message.render("en")
    order = sorted(["su_nghiep", "commune", "tw_dong", "department"], key=lambda k: KIND_ORDER.get(k, 99))
    assert order[:2] == ["department", "commune"]
    declared = labels.declared_kinds()  # in the order first read (another test may have read them first)
    assert order[2:] == sorted(["tw_dong", "su_nghiep"], key=declared.index)
    # every format keeps them: YAML, JSON, the Excel template
    for suffix in (".yaml", ".json", ".xlsx"):
        out = tmp_path / f"set{suffix}"
        export_framework(fw, out)
        again = load_framework(out)
        assert (again.sha256, dict(again.kind_labels)) == (fw.sha256, dict(fw.kind_labels)), suffix


@pytest.mark.parametrize(("change", "expected"), [
    (lambda d: d["unit_kind_labels"].pop("tw_dong"),
     "test: set: field 'unit_kind_labels': unit kind 'tw_dong' is not one of department, district, commune: "
     "give its label and label_en"),
    (lambda d: d["unit_kind_labels"]["tw_dong"].pop("label_en"),
     "test: set: field 'unit_kind_labels.tw_dong.label_en': "),
    (lambda d: d["unit_kind_labels"].update(department={"label": "Sở", "label_en": "Dept"}),
     "test: set: field 'unit_kind_labels.department': 'department' has the program's own labels; label only "
     "kinds you add"),
    (lambda d: d["unit_kind_labels"].update(xa={"label": "Xã", "label_en": "Commune"}),
     "test: set: field 'unit_kind_labels.xa': unknown unit kind 'xa'"),
    (lambda d: d["unit_kind_labels"]["tw_dong"].update(lable="x"),
     "test: set: field 'unit_kind_labels.tw_dong.lable': unknown field"),
    (lambda d: d.update(unit_kinds=["department", "Trung-Uong"]),
     "test: set: field 'unit_kinds': unit kind 'Trung-Uong': a code has lower-case letters a-z, digits and "
     "'_', and starts with a letter"),
    (lambda d: d.update(unit_kinds=["department", "k" * 40]),
     "test: set: field 'unit_kinds': unit kind '" + "k" * 40 + "': "),
])
def test_a_declared_kind_is_checked(change: Any, expected: str) -> None:
    doc = copy.deepcopy(kinds_doc())
    change(doc)
    with pytest.raises(FrameworkInvalid) as exc:
        build(doc)
    assert any(str(p).startswith(expected) for p in exc.value.problems), [str(p) for p in exc.value.problems]


def test_kind_labels_in_a_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "rieng.yaml"
    path.write_text(yaml.safe_dump(kinds_doc(), allow_unicode=True), encoding="utf-8")
    fw = load_framework(path)
    assert fw.kind_labels["tw_dong"] == ("Cơ quan Trung ương đóng trên địa bàn", "Central agencies")



def test_a_set_s_problems_read_in_vietnamese_and_english_as_before() -> None:
    doc = bonus_doc(None)
    doc["total_max"] = 12
    doc["nodes"][0]["max"] = 7
    with pytest.raises(FrameworkInvalid) as exc:
        build(doc)
    by_field = {p.field: p for p in exc.value.problems}
    area, total = by_field["max.district"], by_field["total_max"]
    assert area.render("en") == ("test: node 1: field 'max.district': children add up to 6 but the node's "
                                 "max is 7 (set cap_children: true to cap a larger sum)")
    assert area.render("vi") == ("test: tiêu chí 1: trường 'max.district': tổng điểm tối đa các tiêu chí con "
                                 "là 6 nhưng điểm tối đa của tiêu chí là 7 (ghi cap_children: true để "
                                 "lấy tối đa khi tổng lớn hơn)")
    assert total.render("en") == "test: set: field 'total_max': areas add up to 11 for district, not 12"
    assert total.render("vi") == ("test: bộ tiêu chí: trường 'total_max': tổng điểm tối đa các lĩnh vực của "
                                  "UBND cấp huyện là 11, không phải 12")


def test_a_workbook_s_problems_name_the_sheet_and_row(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from evaluator.frameworks.xlsx import NODE_SHEET, SET_SHEET

    path = tmp_path / "set.xlsx"
    export_framework(build(bonus_doc(None)), path)
    wb = load_workbook(path)
    nodes, top = wb[NODE_SHEET], wb[SET_SHEET]
    header = [c.value for c in nodes[1]]
    row_of = {nodes.cell(row=r, column=1).value: r for r in range(3, nodes.max_row + 1)}
    nodes.cell(row=row_of["1"], column=header.index("max_district") + 1, value=7)   # children add up to 6
    keys = {top.cell(row=r, column=1).value: r for r in range(3, top.max_row + 1)}
    top.cell(row=keys["rounding.index_decimals"], column=2, value=9)
    wb.save(path)
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(path)
    rendered = {p.field: (p.render("en"), p.render("vi")) for p in exc.value.problems}
    en, vi = rendered["max.district"]
    assert en.startswith(f"{path}, sheet {NODE_SHEET}, row {row_of['1']}: node 1: field 'max.district': "
                         "children add up to 6")
    assert vi.startswith(f"{path}, trang {NODE_SHEET}, dòng {row_of['1']}: tiêu chí 1: trường 'max.district'")
    en, _vi = rendered["rounding.index_decimals"]
    assert en == (f"{path}, sheet {SET_SHEET}, row {keys['rounding.index_decimals']}: set: "
                  "field 'rounding.index_decimals': must be 0 to 4, got 9")


@pytest.mark.parametrize(("change", "field", "expected"), [
    # each crashed the loader with decimal.InvalidOperation before (found by tests/test_framework_import_fuzz)
    (lambda d: d["nodes"][2].update(max=1e308), "max", "1e+308 is too large: every number in a criteria set "
                                                       "is below 1000000000"),
    (lambda d: d["classes"][2].update(min="NaN"), "classes[2].min", "'NaN' is not a finite number"),
    (lambda d: d["nodes"][0]["children"][0].update(
        rule={"kind": "options", "options": [{"code": "a", "share": "NaN"}, {"code": "b", "share": 0}]}),
     "rule.options[0].share", "a share must be between 0 and 1, got 'NaN'"),
])
def test_hostile_values_are_problems_not_crashes(change: Any, field: str, expected: str) -> None:
    doc = bonus_doc(None)
    change(doc)
    with pytest.raises(FrameworkInvalid) as exc:
        build(doc)
    found = [p.message for p in exc.value.problems if p.field == field]
    assert any(expected in m for m in found), [str(p) for p in exc.value.problems]


@pytest.mark.parametrize(("change", "node", "field", "expected"), [
    (lambda d: d.update(title="Bộ\x1b[2J tiêu chí"), None, "title", "contains a control character (U+001B)"),
    (lambda d: d["nodes"][0].update(title="x" * 10_001), "1", "title",
     "10001 characters, at most 10000 allowed"),
    (lambda d: d["nodes"][0].update(code="1" * 65), "1" * 65, "code", "65 characters, at most 64 allowed"),
])
def test_text_from_outside_is_checked_on_import(tmp_path: Path, change: Any, node: str | None, field: str,
                                                expected: str) -> None:
    """A set's texts read from a file to import (or validate) are checked as every text from outside; a set
    stored in a project is read back as stored (so the parser itself stays as lenient as it was)."""
    from evaluator.services.frameworks import read_sets

    doc = bonus_doc(None)
    change(doc)
    build(doc)  # parses
    path = tmp_path / "set.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as exc:
        read_sets([path])
    assert [(p.node, p.field) for p in exc.value.problems] == [(node, field)]
    assert expected in exc.value.problems[0].message


def test_a_huge_yaml_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("w", encoding="utf-8") as out:
        out.write("title: '" + "x" * (21 * 1024 * 1024) + "'\n")
    with pytest.raises(FrameworkInvalid) as exc:
        load_framework(path)
    assert [p.message for p in exc.value.problems] == [
        f"the file has {path.stat().st_size} bytes, more than the 20971520 bytes a criteria set may have"]


@pytest.mark.parametrize("form", ["yaml", "json"])
def test_a_lone_surrogate_escape_is_a_problem_not_a_crash(tmp_path: Path, form: str) -> None:
    """'\\ud800' written as an escape reads as a lone surrogate, which UTF-8 cannot encode: the set's hash
    raised UnicodeEncodeError (found by the framework-import fuzz test)."""
    import json

    doc = kinds_doc()
    doc["code"] = "bad\ud800code"
    file = tmp_path / f"set.{form}"
    text = yaml.safe_dump(doc, allow_unicode=False) if form == "yaml" else json.dumps(doc, default=str)
    file.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkInvalid) as caught:
        load_framework(file)
    assert any("lone UTF-16 surrogate" in str(p) for p in caught.value.problems)
