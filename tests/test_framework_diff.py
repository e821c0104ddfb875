"""``frameworks.diff``: what changed between two criteria sets, node by node (pure), and the ``evaluator
framework diff`` command."""

from __future__ import annotations

import copy
import json
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.frameworks import Framework, Node, Rule, parse_framework
from evaluator.frameworks.canonical import plain_document
from evaluator.frameworks.diff import FrameworkDiff, NodeChange, diff_frameworks
from evaluator.frameworks.export import export_framework
from evaluator.frameworks.registry import find_bundled

DEPARTMENT = "par-department-2024"
BUNDLED_VERSION = 2  # the bundled department set is at version 2; the tests' edited copy is version 3


def _walk(nodes: list[dict[str, Any]]) -> Any:
    for node in nodes:
        yield node
        yield from _walk(node.get("children", []))


def department_v2() -> Framework:
    """The next version of the bundled department set: a title change (1.1.2), maxima changed (1.8 survey
    1 → 2,
    1.6 proportional 1.5 → 0.5), a rule change (1.5.2 binary → manual), a removed leaf (1.3.2) and an added
    one (1.3.3) in its place."""
    doc = copy.deepcopy(plain_document(find_bundled(DEPARTMENT)))
    doc["version"] = BUNDLED_VERSION + 1
    by_code = {n["code"]: n for n in _walk(doc["nodes"])}
    by_code["1.1.2"]["title"] = "Kế hoạch xác định đầy đủ nhiệm vụ, sản phẩm và thời hạn"
    by_code["1.8"]["max"] = 2
    by_code["1.6"]["max"] = 0.5
    by_code["1.5.2"]["rule"] = {"kind": "manual", "step": 0.25}
    parent = by_code["1.3"]
    parent["children"] = [c for c in parent["children"] if c["code"] != "1.3.2"]
    parent["children"].append({"code": "1.3.3", "title": "Công khai kết quả kiểm tra", "max": 0.75,
                               "rule": {"kind": "binary"}})
    return parse_framework(doc, "department v2")


def test_the_changes_of_a_new_version_node_by_node() -> None:
    diff = diff_frameworks(find_bundled(DEPARTMENT), department_v2())
    assert (diff.old, diff.new) == (f"{DEPARTMENT}@{BUNDLED_VERSION}", f"{DEPARTMENT}@{BUNDLED_VERSION + 1}")
    assert [c.code for c in diff.added] == ["1.3.3"]
    assert [c.code for c in diff.removed] == ["1.3.2"]
    changed = {c.code: set(c.fields) for c in diff.changed}
    assert changed == {"1.1.2": {"title"}, "1.5.2": {"rule"}, "1.6": {"max"}, "1.8": {"max"}}
    out = diff.to_json()
    assert out["changed"][2] == {"code": "1.6", "kind_of_node": "leaf",
                                 "fields": {"max": {"old": {"department": 1.5}, "new": {"department": 0.5}}}}
    rule = next(c for c in out["changed"] if c["code"] == "1.5.2")["fields"]["rule"]
    assert rule == {"old": {"kind": "binary"}, "new": {"kind": "manual", "step": 0.25}}
    added = out["added"][0]["fields"]
    assert added["max"] == {"old": None, "new": {"department": 0.75}}
    assert added["kind_of_node"]["new"] == "leaf"
    json.dumps(out)  # plain JSON all through


def test_the_same_set_read_from_another_format_has_no_difference(tmp_path: Path) -> None:
    """0.5 in YAML and 0.50 from a workbook, defaults written out or not: no change."""
    from evaluator.frameworks import load_framework

    fw = find_bundled(DEPARTMENT)
    export_framework(fw, tmp_path / "dep.xlsx")
    assert diff_frameworks(fw, load_framework(tmp_path / "dep.xlsx")).empty


# --- properties ---------------------------------------------------------------------------------------
BASE = find_bundled(DEPARTMENT)
CODES = list(BASE.nodes)
LEAVES = [c for c in CODES if BASE.nodes[c].is_leaf]


@st.composite
def variants(draw: st.DrawFn) -> Framework:
    """The department set with leaves removed, titles, maxima and rules changed and nodes added (not a valid
    set — its sums may not add up — but the diff reads only the nodes)."""
    nodes: dict[str, Node] = dict(BASE.nodes)
    for code in draw(st.sets(st.sampled_from(LEAVES), max_size=6)):
        del nodes[code]
    for code in draw(st.sets(st.sampled_from(CODES), max_size=6)):
        if code in nodes:
            nodes[code] = replace(nodes[code], title=draw(st.text(min_size=1, max_size=12)))
    for code in draw(st.sets(st.sampled_from(LEAVES), max_size=6)):
        if code in nodes:
            step = draw(st.integers(1, 8))
            nodes[code] = replace(nodes[code], max={"department": Decimal(step) / 4})
    for code in draw(st.sets(st.sampled_from(LEAVES), max_size=4)):
        if code in nodes:
            nodes[code] = replace(nodes[code], rule=Rule("binary"),
                                  not_applicable_allowed=draw(st.booleans()))
    for i in range(draw(st.integers(0, 3))):
        code = f"N{i}"
        nodes[code] = Node(code=code, title=draw(st.text(min_size=1, max_size=12)), parent=None, depth=0,
                           max={"department": Decimal(1)}, rule=Rule("binary"))
    return replace(BASE, nodes=nodes, version=draw(st.integers(BUNDLED_VERSION + 1, 9)))


def _swapped(change: NodeChange) -> tuple[str, dict[str, tuple[Any, Any]]]:
    return change.code, {n: (f.new, f.old) for n, f in change.fields.items()}


def _plain(changes: tuple[NodeChange, ...]) -> list[tuple[str, dict[str, tuple[Any, Any]]]]:
    return [(c.code, {n: (f.old, f.new) for n, f in c.fields.items()}) for c in changes]


PROPERTIES = settings(max_examples=60, deadline=None, database=None,
                      suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(variants())
def test_a_set_against_itself_has_no_difference(fw: Framework) -> None:
    assert diff_frameworks(fw, fw).empty
    assert diff_frameworks(fw, fw) == FrameworkDiff(fw.identity, fw.identity)


@PROPERTIES
@given(variants(), variants())
def test_swapping_the_sets_swaps_added_and_removed(a: Framework, b: Framework) -> None:
    forward, backward = diff_frameworks(a, b), diff_frameworks(b, a)
    assert {c.code for c in forward.added} == set(b.nodes) - set(a.nodes)
    assert {c.code for c in forward.removed} == set(a.nodes) - set(b.nodes)
    assert sorted(map(_swapped, forward.added)) == sorted(_plain(backward.removed))
    assert sorted(map(_swapped, forward.removed)) == sorted(_plain(backward.added))
    assert sorted(map(_swapped, forward.changed)) == sorted(_plain(backward.changed))
    for change in forward.changed:  # only what differs is listed
        assert change.fields and all(f.old != f.new for f in change.fields.values())


# --- the command ------------------------------------------------------------------------------------------
def test_the_command_compares_files_as_json_and_as_a_table(tmp_path: Path, run_cli) -> None:
    old, new = tmp_path / "v1.json", tmp_path / "v2.yaml"
    export_framework(find_bundled(DEPARTMENT), old)
    export_framework(department_v2(), new)
    code, out, err = run_cli("framework", "diff", old, new, "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert [c["code"] for c in data["removed"]] == ["1.3.2"]
    assert data["changed"][0]["fields"]["title"]["new"].startswith("Kế hoạch xác định")
    code, out, err = run_cli("framework", "diff", old, new, "--lang", "en")
    assert code == 0, err
    assert "1 added, 1 removed, 4 changed" in out
    assert "removed" in out and "1.3.2" in out and "department: 1.5" in out and "department: 0.5" in out
    code, out, _ = run_cli("framework", "diff", old, new, "--lang", "vi")
    assert "thêm 1, bỏ 1, sửa 4 nút" in out and "điểm tối đa" in out
    code, out, _ = run_cli("framework", "diff", old, old, "--lang", "en")
    assert code == 0 and "the same in every node" in out


def test_the_command_refuses_a_stored_set_without_a_project(run_cli) -> None:
    code, _, err = run_cli("framework", "diff", f"{DEPARTMENT}@1", f"{DEPARTMENT}@3", "--lang", "en")
    assert code == 1
    assert f"“{DEPARTMENT}@1”: a project is needed" in err
    code, _, err = run_cli("framework", "diff", "missing.yaml", "other.yaml", "--lang", "en")
    assert code == 1 and "missing.yaml" in err and "no such file" in err
