"""Hostile mapping workbooks (``criteria_mapping.read_mapping_xlsx``): whatever the cells hold, the reader
either returns pairs of real leaves, each used once, or refuses with a ``UserError`` naming the file; it
never raises anything else."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from evaluator.errors import UserError
from evaluator.frameworks.files import load_framework
from evaluator.resources import resource
from evaluator.services.criteria_mapping import propose, read_mapping_xlsx

FRAMEWORKS = resource("frameworks")
OLD = load_framework(FRAMEWORKS / "par-commune-2023.yaml")
NEW = load_framework(FRAMEWORKS / "par-commune-2024.yaml")
CODES = sorted({n.code for n in OLD.leaves("commune")} | {n.code for n in NEW.leaves("commune")})[:30]

# openpyxl refuses control characters in cells: the strings a spreadsheet program could save
texts = st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=80)
cells = st.one_of(st.none(), st.sampled_from(CODES), st.sampled_from(["commune", "department", "ward", ""]),
                  texts, st.integers(-10, 10**6), st.floats(allow_nan=True, allow_infinity=True),
                  st.booleans())
headers = st.one_of(st.just(["old_code", "new_code", "unit_kind"]),
                    st.permutations(["old_code", "new_code", "unit_kind", "old_title"]),
                    st.lists(st.sampled_from(["old_code", "new_code", "unit_kind", "x", "", None]),
                             max_size=5))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(header=headers, rows=st.lists(st.lists(cells, min_size=0, max_size=5), max_size=12),
       sheet=st.sampled_from(["mapping", "mapping", "Sheet1"]))
def test_hostile_workbooks(header: list[Any], rows: list[list[Any]], sheet: str) -> None:
    mappings = {"commune": propose(OLD, NEW, "commune")}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzz.xlsx"
        wb = Workbook()
        ws = wb.active
        assert ws is not None
        ws.title = sheet
        ws.append(header)
        for r in rows:
            ws.append(r)
        wb.save(path)
        try:
            got = read_mapping_xlsx(path, mappings)
        except UserError as exc:
            assert "fuzz.xlsx" in exc.render()
            return
    old_codes = {n.code for n in OLD.leaves("commune")}
    new_codes = {n.code for n in NEW.leaves("commune")}
    assert set(got) == {"commune"}
    used = [n for n in got["commune"].values() if n is not None]
    assert set(got["commune"]) <= old_codes and set(used) <= new_codes and len(used) == len(set(used))


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=2000))
def test_bytes_that_are_no_workbook(data: bytes) -> None:
    mappings = {"commune": propose(OLD, NEW, "commune")}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.xlsx"
        path.write_bytes(b"PK\x03\x04" + data)
        try:
            read_mapping_xlsx(path, mappings)
        except UserError as exc:
            assert "junk.xlsx" in exc.render()
        else:
            raise AssertionError("junk was read as a mapping")
