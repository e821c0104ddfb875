"""The services' and the command line's refusals in Vietnamese and English: each provoked by real input, its
English as the command line always printed it, its Vietnamese naming no flag (test_messages.py checks that
for every code)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evaluator.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(list(args))
    return code, capsys.readouterr().err


def test_cli_refusals_speak_the_chosen_language_and_name_flags_only_in_english(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    missing = tmp_path / "none.json"
    pdf, out = str(tmp_path / "x.pdf"), str(tmp_path / "no/x.pdf")
    for lang, wanted in (("en", f"error: cannot read {missing}: No such file or directory"),
                         ("vi", f"Không đọc được {missing}: No such file or directory")):
        code, err = run(capsys, "--lang", lang, "report-setup", "--db", str(tmp_path / "p.db"), "--set",
                        str(missing))
        assert code == 1 and wanted in err
    code, err = run(capsys, "--lang", "en", "sign", pdf, "--out", out)
    assert code == 1 and "cannot read" in err
    (tmp_path / "x.pdf").write_bytes(b"%PDF-1.4\n")
    code, err = run(capsys, "--lang", "en", "sign", pdf, "--out", out)
    assert code == 1 and f"--out {tmp_path / 'no/x.pdf'}: the folder {tmp_path / 'no'} does not exist" in err
    code, err = run(capsys, "--lang", "vi", "sign", pdf, "--out", out)
    assert code == 1 and f"{tmp_path / 'no/x.pdf'}: thư mục {tmp_path / 'no'} không tồn tại" in err
    assert "--out" not in err
    code, err = run(capsys, "--lang", "vi", "sign", pdf)
    assert code == 1 and "Ký số cần có khóa" in err and "--p12" not in err
    code, err = run(capsys, "--lang", "en", "sign", pdf)
    assert code == 1 and "signing needs a key: --p12 FILE or --pkcs11-lib LIB --token-label L" in err
    # a server project is backed up too (issue 17); one that cannot be reached is named, in the language
    code, err = run(capsys, "--lang", "vi", "backup", "create", "--db", "postgresql://h/db")
    assert code == 1 and "Không mở được postgresql://h/db" in err


def test_service_refusals_in_both_languages(tmp_path: Path) -> None:
    from evaluator.errors import UserError
    from evaluator.services.imports import import_sheet
    from evaluator.services.projects import create_project
    from evaluator.services.report_setup import set_report_setup
    from evaluator.services.results import compute_year

    with create_project(tmp_path / "p.db", [2024]) as project:
        with project.session() as session, pytest.raises(UserError) as no_year:
            compute_year(session, 2031)
        assert no_year.value.render("en") == "the project has no data for 2031; years in the project: 2024"
        assert no_year.value.render("vi") == "Dự án không có dữ liệu năm 2031; các năm có trong dự án: 2024"
        with pytest.raises(UserError) as two:
            import_sheet(project, "survey", [tmp_path / "a.xlsx", tmp_path / "b.xlsx"], year=2024,
                         stage="survey")
        assert two.value.render("en") == ("choose exactly one workbook (.xlsx) for a survey import; "
                                          "2 are in the list")
        assert two.value.render("vi") == ("Hãy chọn đúng một bảng tính (.xlsx) để nhập kết quả điều tra "
                                          "xã hội học; danh sách đang có 2 tệp")
        with project.session() as session, pytest.raises(UserError) as refused:
            set_report_setup(session, {"place": 5})
        head = refused.value.render("en").splitlines()[0]
        assert head == "the report setting was not stored (1 problem(s)):"
        assert refused.value.render("vi").splitlines() == ["Chưa lưu thiết lập báo cáo (có 1 lỗi):",
                                                           "  - place: phải là văn bản, không phải một số"]
        assert refused.value.render("en").splitlines()[1] == "  - place: must be text, not a number"
    with pytest.raises(UserError) as exists:
        create_project(tmp_path / "p.db", [2024])
    assert exists.value.render("vi") == (f"{tmp_path / 'p.db'} đã có: hãy chọn tên tệp khác hoặc xóa tệp "
                                         "đó trước")


def test_exchange_refusals_in_both_languages(tmp_path: Path) -> None:
    from evaluator.errors import UserError
    from evaluator.services.exchange import export_package
    from evaluator.services.projects import create_project

    with create_project(tmp_path / "p.db", [2024]) as project:
        with pytest.raises(UserError) as suffix:
            export_package(project, tmp_path / "goi.zip")
        assert suffix.value.render("en") == "goi.zip: a team package file name ends with .cchc"
        assert suffix.value.render("vi") == "goi.zip: tên tệp gói dữ liệu tổ thẩm định phải có đuôi .cchc"
        with pytest.raises(UserError) as author:
            export_package(project, tmp_path / "goi.cchc", author="a\x07b")
        assert author.value.render("en") == ("the author 'a\\x07b': contains a control character (U+0007) at "
                                             "character 2")
        assert author.value.render("vi") == ("Họ tên người thực hiện 'a\\x07b': chứa một ký tự điều khiển "
                                             "(U+0007) ở ký tự thứ 2")
        with pytest.raises(UserError) as nothing:
            export_package(project, tmp_path / "goi.cchc")
        assert nothing.value.render("vi") == "Không có gì để xuất: không có phiếu đánh giá nào phù hợp"
        assert not (tmp_path / "goi.cchc").exists()


def test_a_workbook_read_for_an_import_is_refused_in_both_languages(tmp_path: Path) -> None:
    """One check for every imported workbook (exchange_sheets.open_xlsx): the survey/external sheets and the
    consolidated workbook say the same in either language."""
    from openpyxl import Workbook

    from evaluator.errors import Problems
    from evaluator.messages import render
    from evaluator.services.exchange_sheets import read_table
    from evaluator.services.workbook_read import read_workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "khac"
    wb.save(tmp_path / "ks.xlsx")
    (tmp_path / "hong.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    problems = Problems()
    assert read_table(tmp_path / "ks.xlsx", "survey", ["unit_code"], problems) is None
    assert read_table(tmp_path / "none.xlsx", "survey", ["unit_code"], problems) is None
    assert read_workbook(tmp_path / "ks.xlsx", problems) is None
    assert read_workbook(tmp_path / "hong.xlsx", problems) is None
    en = [render(p, "en") for p in problems.items]
    vi = [render(p, "vi") for p in problems.items]
    assert en[0] == "ks.xlsx: wrong sheets: there is no sheet 'survey' (found: khac)"
    assert vi[0] == "ks.xlsx: sai trang tính: không có trang tính 'survey' (các trang tính có: khac)"
    assert en[1] == "none.xlsx: cannot be read: No such file or directory"
    assert vi[1] == "none.xlsx: không đọc được: No such file or directory"
    assert en[2] == ("ks.xlsx: missing sheet(s) meta, units, scores; a consolidated workbook has sheets "
                     "meta, units, scores")
    assert vi[2].startswith("ks.xlsx: thiếu trang tính meta, units, scores; bảng tổng hợp có")
    assert en[3].startswith("hong.xlsx: not an Excel workbook (.xlsx) that can be read")
    assert vi[3].startswith("hong.xlsx: không phải bảng tính Excel (.xlsx) đọc được")


def test_a_package_revision_problem_in_both_languages() -> None:
    """merge/scores.py says why a package's revision is refused as a Message (it was an English sentence)."""
    import uuid
    from datetime import UTC, datetime
    from decimal import Decimal

    from scoring_helpers import MINI

    from evaluator.frameworks import load_framework
    from evaluator.services.conflicts import Rev
    from evaluator.services.exchange.merge.scores import revision_problem

    node = load_framework(MINI).nodes["1.3"]
    rev = Rev(uuid.uuid4(), 1, None, {"numerator": 5, "denominator": 10}, Decimal("0.01"), False, "", "", "",
              datetime.now(UTC))
    wrong = revision_problem(node, "district", rev)
    assert wrong is not None
    assert wrong.render("en").startswith("its value gives ")
    assert wrong.render("en").endswith("under the criteria set's rule, the package says 0.01 points")
    assert wrong.render("vi").startswith("theo quy tắc của bộ tiêu chí, giá trị cho ")
    assert wrong.render("vi").endswith("gói dữ liệu ghi 0.01 điểm")


def test_a_consolidated_workbook_cell_is_named_in_both_languages(tmp_path: Path) -> None:
    from openpyxl import Workbook

    from evaluator.errors import Problems
    from evaluator.messages import render
    from evaluator.services.workbook_read import SHEETS, read_workbook

    wb = Workbook()
    for n, (sheet, columns) in enumerate(SHEETS.items()):
        ws = wb.active if n == 0 else wb.create_sheet()
        assert ws is not None
        ws.title = sheet
        ws.append(list(columns))
    meta = wb["meta"]
    for row in (("format", "evaluator-other"), ("format_version", 1), ("year", 2024)):
        meta.append(list(row))
    wb.save(tmp_path / "th.xlsx")
    problems = Problems()
    assert read_workbook(tmp_path / "th.xlsx", problems) is None
    [problem] = problems.items
    assert render(problem, "en") == ("th.xlsx: sheet meta, key format: expected 'evaluator-consolidated', "
                                     "got 'evaluator-other'")
    assert render(problem, "vi") == ("th.xlsx: trang tính meta, khóa format: cần 'evaluator-consolidated', "
                                     "nhưng có 'evaluator-other'")
