"""Fuzzing ``evaluator framework import``: a valid criteria set (with a declared unit kind, bonus and
penalty leaves, cap_total) with one value anywhere replaced by a hostile one (huge, negative, NaN, control
characters, 40 000 characters, wrong types, nesting), written as YAML, JSON or the flat JSON export.
Whatever happens: exit 0 with the set stored, or exit 1 with a message and the project byte for byte as it
was; never a traceback.

Each test is bounded (``EXAMPLES``); set FRAMEWORK_FUZZ_EXAMPLES for a longer campaign."""

from __future__ import annotations

import contextlib
import copy
import hashlib
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scoring_helpers import framework_doc, manual_leaf

from evaluator.cli.main import main
from evaluator.services.projects import create_project

EXAMPLES = int(os.environ.get("FRAMEWORK_FUZZ_EXAMPLES", "40"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

HOSTILE: list[Any] = [
    None, "", " ", True, 0, -1, -0.01, 0.001, 1e308, float("inf"), float("nan"), 10**30, "1e309", "NaN",
    "x" * 40_000, "a\x1bb", "\x00", "\ud800", "tab\there", [], {}, [[[[[]]]]], {"a": {"b": {"c": {}}}},
    ["district"], {"district": -5}, "Trung-Uong", "trung_uong", "2026", 2026, 1999, "area:9",
]


def base_doc() -> dict[str, Any]:
    nodes = [
        {"code": "1", "title": "Lĩnh vực 1", "max": 6,
         "children": [manual_leaf("1.1", 2), {
             "code": "1.2", "title": "Tiêu chí 1.2", "max": 4, "rule": {"kind": "options", "options": [
                 {"code": "co", "share": 1}, {"code": "khong", "points": 0}]}}]},
        {"code": "2", "title": "Lĩnh vực 2", "max": 4, "children": [
            {"code": "2.1", "title": "Tiêu chí 2.1", "max": 4, "rule": {"kind": "bands", "bands": [
                {"min": 80, "share": 1}, {"min": 0, "max": 80, "share": 0}]}}]},
        {**manual_leaf("T", 3), "role": "bonus"},
        {**manual_leaf("P", 2), "role": "penalty"},
    ]
    doc = framework_doc(nodes, kinds=("district", "tw_dong"), total_max=10, code="fuzz", year=2024,
                        cap_total=False)
    doc["unit_kind_labels"] = {"tw_dong": {"label": "Cơ quan Trung ương", "label_en": "Central agencies"}}
    return doc


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the document (a key of a mapping, an index of a list)."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*prefix, i))
    return out


def put(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> None:
    target: Any = doc
    for key in path[:-1]:
        target = target[key]
    if value is _DROP:
        del target[path[-1]]
    else:
        target[path[-1]] = value


_DROP = object()
PLACES = paths(base_doc())


def flat(doc: dict[str, Any]) -> dict[str, Any]:
    """The flat JSON form (``nodes`` listed with ``parent``), as ``framework export`` writes it."""
    out = dict(doc)
    listed: list[Any] = []

    def walk(nodes: Any, parent: Any) -> None:
        for n in nodes if isinstance(nodes, list) else []:
            if isinstance(n, dict):
                listed.append({**{k: v for k, v in n.items() if k != "children"}, "parent": parent})
                walk(n.get("children"), n.get("code"))
            else:
                listed.append(n)

    walk(doc.get("nodes"), None)
    out["nodes"] = listed
    return out


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("fw") / "p.db"
    create_project(path, [2024], name="Fuzz").close()
    return path


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(PLACES), st.sampled_from([*HOSTILE, _DROP])),
                        min_size=1, max_size=3),
       form=st.sampled_from(["yaml", "json", "flat"]))
def test_a_hostile_set_is_stored_whole_or_refused_with_a_message(template: Path, changes: list[Any],
                                                               form: str) -> None:
    doc = base_doc()
    for path, value in changes:
        with contextlib.suppress(KeyError, IndexError, TypeError):  # an earlier change removed the place
            put(doc, path, value if value is _DROP else copy.deepcopy(value))
    folder = Path(tempfile.mkdtemp(prefix="fwfuzz"))
    try:
        db = folder / "p.db"
        shutil.copy(template, db)
        if form == "yaml":
            file = folder / "set.yaml"
            try:
                file.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8",
                                errors="surrogatepass")
            except (yaml.YAMLError, UnicodeEncodeError):
                return
        else:
            file = folder / "set.json"
            file.write_text(json.dumps(flat(doc) if form == "flat" else doc, ensure_ascii=True),
                            encoding="utf-8")
        before = _sha(db)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["--lang", "en", "framework", "import", "--db", str(db), str(file)])
        assert code in (0, 1), err.getvalue()
        if code == 1:
            assert err.getvalue().startswith("error: ") and "Traceback" not in err.getvalue()
            assert len(err.getvalue()) < 100_000  # a hostile value is not repeated in full
            assert _sha(db) == before
        else:
            assert "fuzz" in out.getvalue() or "stored" in out.getvalue()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
