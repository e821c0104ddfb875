"""A unit's parent is of the right kind (issue 12's review): a commune's parent is a district (in the years
with districts; from 2025 a commune has none), a department or a district has none. Enforced when a unit
is added, edited or imported, the message naming the field, or the sheet's row and column."""

from __future__ import annotations

from pathlib import Path

from test_units_import import book, db, empty_db, run, units_of  # noqa: F401  (fixtures)

HEADER = ["unit_code", "unit_name", "unit_kind", "parent_code"]


def _add(db: Path, code: str, kind: str, *parent: str) -> tuple[int, str, str]:  # noqa: F811
    extra = ["--parent", parent[0]] if parent else []
    return run("units", "add", "--db", db, "--code", code, "--name", f"Đơn vị {code}", "--kind", kind, *extra,
               "--lang", "en")


def test_add_and_edit_check_the_parents_kind(db: Path) -> None:  # noqa: F811
    assert _add(db, "H01", "district")[0] == 0
    assert _add(db, "SO01", "department")[0] == 0
    assert _add(db, "X01", "commune", "H01")[0] == 0  # a commune under its district
    assert _add(db, "X02", "commune")[0] == 0  # a commune with no district (from 2025)
    code, _out, err = _add(db, "X03", "commune", "SO01")
    assert code == 1 and "parent_code: the parent of a unit of kind commune must be a district; SO01 is a " \
        "department" in err, err
    code, _out, err = _add(db, "SO02", "department", "H01")
    assert code == 1 and "kind department is directly under the province and has no parent unit" in err, err
    code, _out, err = _add(db, "H02", "district", "H01")
    assert code == 1 and "kind district is directly under the province" in err, err
    code, _out, err = run("units", "edit", "--db", db, "X02", "--parent", "X01", "--lang", "vi")
    assert code == 1 and "parent_code: đơn vị cấp trên của đơn vị loại" in err and "X01 là" in err, err
    assert [u[4] for u in units_of(db) if u[0] == "X02"] == [""]
    assert run("units", "edit", "--db", db, "X02", "--parent", "H01")[0] == 0


def test_an_imported_list_names_the_row_and_column(db: Path, tmp_path: Path) -> None:  # noqa: F811
    sheet = book(tmp_path / "units.xlsx", [HEADER,
                                           ["H01", "Huyện Một", "district", ""],
                                           ["SO01", "Sở Một", "department", "H01"],
                                           ["X01", "Xã Một", "commune", "SO01"],
                                           ["X02", "Xã Hai", "commune", "H01"]])
    code, _out, err = run("units", "import", "--db", db, sheet, "--lang", "en")
    assert code == 1 and "(2 problem(s))" in err, err
    assert "row 3, column parent_code: a unit of kind department is directly under the province" in err
    assert "row 4, column parent_code: the parent of a unit of kind commune must be a district; SO01 is a " \
        "department" in err
    assert units_of(db) == []
