"""``--kind`` takes every unit kind the year's criteria sets declare (a province's set may add its own),
and an unknown kind is refused with the known ones listed (``results``, ``units list``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from test_framework_sets_data import kinds_doc

YEAR = 2024


@pytest.fixture
def province(tmp_path: Path, run_cli) -> Path:
    """A project whose only set declares two kinds of its own (``tw_dong``, ``su_nghiep``)."""
    sets = tmp_path / "rieng.yaml"
    sets.write_text(yaml.safe_dump(kinds_doc(), allow_unicode=True), encoding="utf-8")
    db = tmp_path / "p.db"
    code, _out, err = run_cli("init", db, "--year", YEAR, "--no-bundled", "--sets", sets)
    assert code == 0, err
    for unit, kind in (("SN01", "su_nghiep"), ("SO01", "department")):
        code, _out, err = run_cli("units", "add", "--db", db, "--code", unit, "--name", f"Đơn vị {unit}",
                                  "--kind", kind, "--year", YEAR)
        assert code == 0, err
    return db


def test_results_take_a_kind_the_years_set_declares(province: Path, run_cli):
    code, out, err = run_cli("results", "--db", province, "--year", YEAR, "--kind", "su_nghiep",
                             "--format", "json")
    assert code == 0, err
    assert [(u["code"], u["kind"]) for u in json.loads(out)["units"]] == [("SN01", "su_nghiep")]
    code, out, err = run_cli("results", "--db", province, "--year", YEAR, "--kind", "department")
    assert code == 0 and "SO01" in out and "SN01" not in out, err


def test_an_unknown_kind_lists_the_known_ones(province: Path, run_cli):
    code, out, err = run_cli("results", "--db", province, "--year", YEAR, "--kind", "district",
                             "--lang", "en")
    assert (code, out) == (1, "")
    assert "criteria sets of 2024 have no unit kind district" in err
    assert "department, tw_dong, su_nghiep" in err and "Public service units" in err
    code, _out, err = run_cli("results", "--db", province, "--year", YEAR, "--kind", "xa", "--lang", "vi")
    assert code == 1 and "loại đơn vị xa" in err and "Đơn vị sự nghiệp" in err and "--" not in err

    code, out, err = run_cli("units", "list", "--db", province, "--kind", "su_nghiep", "--format", "json")
    assert code == 0 and [u["code"] for u in json.loads(out)] == ["SN01"]
    code, _out, err = run_cli("units", "list", "--db", province, "--kind", "commune", "--lang", "en")
    assert code == 1 and "no unit kind commune" in err and "department, tw_dong, su_nghiep" in err
