"""The province's own criteria sets in a project: ``evaluator framework import|list --db`` and
``evaluator init --sets/--no-bundled`` (services/frameworks.py: read_sets, import_sets, list_sets)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from evaluator.frameworks.export import export_framework
from evaluator.frameworks.registry import find_bundled
from evaluator.models import AuditEvent, CriteriaSet, open_project


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def own_set(tmp_path: Path, name: str = "tinh.yaml", *, year: int = 2026, version: int = 1,
            title: str = "Bộ tiêu chí của tỉnh", **change: Any) -> Path:
    """The bundled district set made the province's own: another code, year and title."""
    base = find_bundled("par-district-2024")
    assert base is not None
    export_framework(base, tmp_path / "base.yaml")
    doc = yaml.safe_load((tmp_path / "base.yaml").read_text(encoding="utf-8"))
    doc.update(code="tinh-huyen", year=year, version=version, title=title, **change)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def stored(db: Path) -> list[tuple[str, int, int]]:
    with open_project(db) as project, project.session() as session:
        return sorted((r.code, r.version, r.year) for r in session.scalars(select(CriteriaSet)))


def test_init_without_a_bundled_set_is_refused_and_leaves_nothing(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "p.db"
    code, out, err = run_cli("--lang", "en", "init", db, "--year", 2026)
    assert (code, out) == (1, "")
    assert err == ("error: no bundled criteria sets for 2026: give the province's own criteria-set "
                   "files (.yaml, .json, .xlsx), or create the project without criteria sets and import them "
                   "later\n")
    assert list(tmp_path.iterdir()) == []


def test_init_with_no_set_then_import_then_list(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "p.db"
    code, out, err = run_cli("init", db, "--year", 2026, "--no-bundled")
    assert code == 0, err
    assert "none (import them later)" in out and stored(db) == []
    own, xlsx = own_set(tmp_path), tmp_path / "tinh.xlsx"
    export_framework(find_bundled("par-commune-2024"), xlsx)  # type: ignore[arg-type]
    code, out, err = run_cli("--lang", "en", "framework", "import", "--db", db, own, xlsx)
    assert code == 0, err
    lines = out.splitlines()
    assert "tinh.yaml" in lines[2] and "tinh-huyen" in lines[2] and lines[2].endswith("stored")
    assert "par-commune-2024" in lines[3] and lines[3].endswith("stored")
    assert stored(db) == [("par-commune-2024", 1, 2024), ("tinh-huyen", 1, 2026)]
    with open_project(db) as project, project.session() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "framework.import")).all()
        assert sorted(e.new["code"] for e in events) == ["par-commune-2024", "tinh-huyen"]
    # the same again: reported, not an error, nothing written
    before = _sha(db)
    code, out, err = run_cli("--lang", "en", "framework", "import", "--db", db, own, "--format", "json")
    assert code == 0, err
    assert [(d["code"], d["stored"]) for d in json.loads(out)] == [("tinh-huyen", False)]
    code, out, err = run_cli("--lang", "en", "framework", "import", "--db", db, own)
    assert out.splitlines()[2].endswith("already in the project")
    assert _sha(db) == before
    # list: the project's sets
    code, out, err = run_cli("framework", "list", "--db", db, "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [(r["code"], r["year"], r["assessments"]) for r in rows] == [("par-commune-2024", 2024, 0),
                                                                        ("tinh-huyen", 2026, 0)]
    assert rows[1]["unit_kinds"] == ["district"] and len(rows[1]["sha256"]) == 64
    code, out, err = run_cli("framework", "list", "--db", db, "--year", 2026)
    assert code == 0 and "tinh-huyen" in out and "par-commune-2024" not in out
    assert out.splitlines()[0].split() == ["Mã", "Phiên", "bản", "Năm", "Loại", "đơn", "vị", "Số", "tiêu",
                                           "chí", "SHA-256", "Số", "đánh", "giá", "Tên"]


def test_import_is_all_or_nothing_with_every_problem(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "p.db"
    assert run_cli("init", db, "--year", 2026, "--no-bundled")[0] == 0
    good = own_set(tmp_path)
    bad = own_set(tmp_path, "hong.yaml", total_max=99, rounding={"index_decimals": 9})
    before = _sha(db)
    code, out, err = run_cli("--lang", "en", "framework", "import", "--db", db, good, bad,
                             tmp_path / "missing.yaml")
    assert (code, out) == (1, "")
    assert f"{bad}: set: field 'rounding.index_decimals': must be 0 to 4, got 9" in err
    assert f"{bad}: set: field 'total_max': areas add up to 100 for district, not 99" in err
    assert f"{tmp_path / 'missing.yaml'}: set: field '(file)': no such file" in err
    assert stored(db) == [] and _sha(db) == before


def test_same_code_and_version_with_other_content_is_refused(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "p.db"
    assert run_cli("init", db, "--year", 2026, "--sets", own_set(tmp_path), "--no-bundled")[0] == 0
    changed = own_set(tmp_path, "doi.yaml", title="Bộ tiêu chí của tỉnh (sửa)")
    code, _out, err = run_cli("--lang", "en", "framework", "import", "--db", db, changed)
    assert code == 1
    assert err.startswith("error: criteria set tinh-huyen@1 in this project has fingerprint ")
    assert err.endswith("the set was changed without a new version number\n")
    assert stored(db) == [("tinh-huyen", 1, 2026)]
    # two files of one batch that disagree: refused before anything is stored
    v2a = own_set(tmp_path, "a.yaml", version=2)
    v2b = own_set(tmp_path, "b.yaml", version=2, title="Khác")
    code, _out, err = run_cli("--lang", "en", "framework", "import", "--db", db, v2a, v2b)
    assert code == 1
    assert err == (f"error: criteria set tinh-huyen@2 is in two files with different content: {v2a} and "
                   f"{v2b}; changed content needs a new version number\n")
    assert stored(db) == [("tinh-huyen", 1, 2026)]


def test_init_with_sets_beside_the_bundled_ones(tmp_path: Path, run_cli) -> None:
    db = tmp_path / "p.db"
    own = own_set(tmp_path, year=2024)
    code, _out, err = run_cli("init", db, "--year", 2024, "--sets", own)
    assert code == 0, err
    assert [c for c, _v, _y in stored(db)] == ["par-commune-2024", "par-department-2024",
                                              "par-district-2024", "tinh-huyen"]
    db2 = tmp_path / "q.db"
    code, _out, err = run_cli("init", db2, "--year", 2026, "--sets", own_set(tmp_path, "t26.yaml"))
    assert code == 0, err  # no bundled set for 2026, but the province gave its own
    assert stored(db2) == [("tinh-huyen", 1, 2026)]


def test_init_refusals_leave_nothing_on_disk(tmp_path: Path, run_cli) -> None:
    work = tmp_path / "work"
    work.mkdir()
    bad = own_set(work, "hong.yaml", total_max=99)
    other_year = own_set(work, "y2025.yaml", year=2025)
    before = sorted(work.iterdir())
    code, _out, err = run_cli("--lang", "en", "init", work / "p.db", "--year", 2026, "--sets", bad)
    assert code == 1 and "total_max" in err
    code, _out, err = run_cli("--lang", "en", "init", work / "p.db", "--year", 2026, "--sets", other_year)
    assert code == 1
    assert "error: y2025.yaml: criteria set tinh-huyen@1 is made for 2025 and cannot serve 2026" in err
    assert sorted(work.iterdir()) == before


def test_a_province_set_with_its_own_kind_scores_and_shows_the_label(tmp_path: Path, run_cli) -> None:
    """From nothing but the province's files: a set declaring a kind of its own, a workbook of units of
    that kind, the results labelled in both languages (and the index capped at 100 by default)."""
    from workbook_helpers import consolidated, write_sheets

    doc = {
        "format": "evaluator-framework", "format_version": 1, "code": "tinh-tw", "version": 1, "year": 2026,
        "title": "Bộ tiêu chí cơ quan Trung ương", "unit_kinds": ["tw_dong"], "total_max": 10,
        "unit_kind_labels": {"tw_dong": {"label": "Cơ quan Trung ương đóng trên địa bàn",
                                         "label_en": "Central agencies in the province"}},
        "classes": [{"code": "tot", "label": "Tốt", "min": 80}, {"code": "kha", "label": "Khá", "min": 0}],
        "nodes": [{"code": "1", "title": "Lĩnh vực 1", "max": 10,
                   "children": [{"code": "1.1", "title": "Tiêu chí 1.1", "max": 10,
                                 "rule": {"kind": "manual"}}]},
                  {"code": "T", "title": "Thưởng", "max": 2, "role": "bonus", "rule": {"kind": "manual"}}],
    }
    own = tmp_path / "tw.json"
    own.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    db = tmp_path / "p.db"
    code, out, err = run_cli("init", db, "--year", 2026, "--sets", own)
    assert code == 0, err
    assert "tinh-tw@1" in out
    book = write_sheets(tmp_path / "2026.xlsx", consolidated(
        2026, [["TW1", "Cục Thuế tỉnh", "tw_dong", "tinh-tw"]],
        [["TW1", "1.1", "appraisal2", 10], ["TW1", "T", "appraisal2", 2]]))
    code, out, err = run_cli("import", "--db", db, book)
    assert code == 0, err
    code, out, err = run_cli("--lang", "vi", "results", "--db", db, "--year", 2026)
    assert code == 0, err
    assert "Cơ quan Trung ương đóng trên địa bàn (1 đơn vị)" in out
    code, out, err = run_cli("results", "--db", db, "--year", 2026, "--format", "json")
    unit = json.loads(out)["units"][0]
    assert (unit["kind"], unit["index"]) == ("tw_dong", 100.0)  # 10 + 2 bonus of 10, capped
    code, out, err = run_cli("framework", "list", "--db", db, "--format", "json")
    assert json.loads(out)[0]["assessments"] == 1
    assert json.loads(out)[0]["kind_labels"] == doc["unit_kind_labels"]
