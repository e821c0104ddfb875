"""Excel exports: the appraisal sheet's columns, the results tables, and user text that looks like a formula
written as text."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pki
import pytest
from openpyxl import load_workbook

from evaluator.cli.main import main
from evaluator.reports.excel import APPRAISAL_COLUMNS


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    demo = pki.demo_project(tmp_path_factory)
    copy = pki.copy_project(demo, tmp_path_factory.mktemp("excel"))
    with sqlite3.connect(copy) as conn:  # notes typed by people that Excel would take for formulas
        where = (
            "assessment_id IN (SELECT a.id FROM assessment a JOIN unit u ON u.id = a.unit_id JOIN period p "
            "ON p.id = a.period_id WHERE u.code = 'SO01' AND p.year = 2024)"
        )
        conn.execute(
            f"UPDATE score SET note = '=HYPERLINK(\"http://x\",\"bấm\")' WHERE criterion_code = '1.1.1' "
            f"AND stage = 'self' AND {where}"
        )
        conn.execute(
            f"UPDATE score SET note = '+84 912 345 678' WHERE criterion_code = '1.1.2' AND stage = 'self' "
            f"AND {where}"
        )
        conn.execute(
            f"UPDATE score SET note = '-1 điểm do nộp muộn' WHERE criterion_code = '1.1.3' "
            f"AND stage = 'appraisal1' AND {where}"
        )
        conn.execute(
            f"UPDATE score SET note = '@SUM(A1)' WHERE criterion_code = '1.2' AND stage = 'self' AND {where}"
        )
    return copy


def test_appraisal_sheet(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "tham-dinh.xlsx"
    assert (
        main(
            [
                "export-xlsx",
                "appraisal",
                "--db",
                str(db),
                "--year",
                "2024",
                "--unit",
                "SO01",
                "--unit",
                "H01",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    wb = load_workbook(out)
    assert wb.sheetnames == ["SO01", "H01"]
    ws = wb["SO01"]
    assert [c.value for c in ws[5]] == list(APPRAISAL_COLUMNS)
    assert list(APPRAISAL_COLUMNS) == [
        "STT",
        "Tiêu chí",
        "Điểm tối đa",
        "Điểm tự chấm",
        "Điểm thẩm định",
        "Ghi chú của đơn vị",
        "Ghi chú của thẩm định",
    ]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=6) if r[0].value}
    assert rows["1"][1].value == "Công tác chỉ đạo, điều hành CCHC"
    assert rows["1.1.1"][2].value == 0.5 and isinstance(rows["1.1.1"][3].value, float)
    assert "Đơn vị: Sở Nội vụ (SO01)" in ws["A2"].value
    texts = {rows["1.1.1"][5].value, rows["1.1.2"][5].value, rows["1.1.3"][6].value, rows["1.2"][5].value}
    assert texts == {'=HYPERLINK("http://x","bấm")', "+84 912 345 678", "-1 điểm do nộp muộn", "@SUM(A1)"}
    for cell in (rows["1.1.1"][5], rows["1.1.2"][5], rows["1.1.3"][6], rows["1.2"][5]):
        assert cell.data_type == "s" and cell.quotePrefix
    with zipfile.ZipFile(out) as z:  # no formula anywhere in the file
        assert all(
            b"<f>" not in z.read(n) and b"<f " not in z.read(n)
            for n in z.namelist()
            if n.startswith("xl/worksheets/")
        )


def test_results_workbook(db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ket-qua.xlsx"
    assert main(["export-xlsx", "results", "--db", str(db), "--year", "2024", "--out", str(out)]) == 0
    wb = load_workbook(out)
    assert wb.sheetnames == ["Tổng hợp", "Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"]
    ws = wb["Sở, ban, ngành"]
    assert [c.value for c in ws[4]][:9] == [
        "Hạng",
        "Mã",
        "Đơn vị",
        "Tổng điểm",
        "Điểm tối đa",
        "Chỉ số (%)",
        "Thay đổi hạng",
        "Thay đổi điểm",
        "Xếp loại",
    ]
    from evaluator.models import open_project
    from evaluator.reports.text import rank_change
    from evaluator.services.publication_data import publication

    with open_project(db) as project, project.session() as s:
        departments = publication(s, 2024).sections[0]
    first = departments.rows[0]
    assert [c.value for c in ws[5]][:6] == [
        1,
        first.code,
        first.name,
        float(first.points),
        float(first.max),
        float(first.index or 0),
    ]
    assert ws.cell(5, 7).value == rank_change(first.rank_change, departments.compared)
    summary = wb["Tổng hợp"]
    assert summary.cell(4, 1).value == "Sở, ban, ngành"
    assert summary.cell(4, 3).value == float(departments.mean_index)  # type: ignore[arg-type]


def test_export_errors(db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(
            ["export-xlsx", "appraisal", "--db", str(db), "--year", "2024", "--out", str(tmp_path / "a.xlsx")]
        )
        == 1
    )
    assert "needs --unit CODE" in capsys.readouterr().err
    assert (
        main(["export-xlsx", "results", "--db", str(db), "--year", "2024", "--out", str(tmp_path / "a.csv")])
        == 1
    )
    assert not list(tmp_path.iterdir())


@pytest.fixture(scope="module")
def older_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project where an older version stored control characters: an ESC sequence in a note, a bell in a
    unit's name and code (what openpyxl refuses to write)."""
    demo = pki.demo_project(tmp_path_factory)
    copy = pki.copy_project(demo, tmp_path_factory.mktemp("older"))
    with sqlite3.connect(copy) as conn:
        where = (
            "assessment_id IN (SELECT a.id FROM assessment a JOIN unit u ON u.id = a.unit_id JOIN period p "
            "ON p.id = a.period_id WHERE u.code = 'H01' AND p.year = 2024)"
        )
        changed = conn.execute(
            f"UPDATE score SET note = ? WHERE criterion_code = '1.1.1' AND stage = 'self' AND {where}",
            ("trừ\x1b[31m điểm\x00\x0b",),
        ).rowcount
        assert changed == 1
        conn.execute("UPDATE unit SET name = ?, code = ? WHERE code = 'H01'",
                     ("UBND huyện\x07 Đông Sơn", "H01\x1f"))
    return copy


@pytest.mark.slow
def test_text_stored_with_control_characters_is_exported_without_them(older_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "tat-ca.xlsx"
    assert main(["export-xlsx", "appraisal", "--db", str(older_db), "--year", "2024", "--all", "--out",
                 str(out)]) == 0
    wb = load_workbook(out)
    assert "H01" in wb.sheetnames
    ws = wb["H01"]
    assert ws["A2"].value == "Đơn vị: UBND huyện Đông Sơn (H01)"
    rows = {r[0].value: r for r in ws.iter_rows(min_row=6) if r[0].value}
    assert rows["1.1.1"][5].value == "trừ[31m điểm"

    results = tmp_path / "ket-qua.xlsx"
    assert main(["export-xlsx", "results", "--db", str(older_db), "--year", "2024",
                 "--out", str(results)]) == 0
    texts = [c.value for ws in load_workbook(results) for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]
    assert "UBND huyện Đông Sơn" in texts and "H01" in texts


def test_the_ranking_export_leaves_control_characters_out(older_db: Path, tmp_path: Path) -> None:
    from evaluator.models import open_project
    from evaluator.services.dashboard import export_ranking
    from evaluator.services.results import compute_year

    with open_project(older_db) as project, project.session() as s:
        results = compute_year(s, 2024)
    out = export_ranking(results, "district", tmp_path / "xep-hang.xlsx")
    values = [c.value for row in load_workbook(out)["Xếp hạng"].iter_rows() for c in row]
    assert "UBND huyện Đông Sơn" in values and "H01" in values


def test_the_ranking_export_writes_formula_like_names_as_text(demo_copy: Path, tmp_path: Path) -> None:
    import sqlite3

    from evaluator.models import open_project
    from evaluator.services.dashboard import export_ranking
    from evaluator.services.results import compute_year

    con = sqlite3.connect(demo_copy)
    con.execute("UPDATE unit SET name = '=HYPERLINK(\"http://x\",\"bấm\")' WHERE code = 'H01'")
    con.commit()
    con.close()
    with open_project(demo_copy) as project, project.session() as s:
        results = compute_year(s, 2024)
    out = export_ranking(results, "district", tmp_path / "xep-hang.xlsx")
    cells = [c for row in load_workbook(out)["Xếp hạng"].iter_rows() for c in row
             if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert len(cells) == 1 and cells[0].data_type == "s" and cells[0].quotePrefix
