"""The import and export reports speak the reader's language: English exactly as the command line always
printed it (the committee's scripts read it), Vietnamese in the GUI, with stages by their labels and no
command-line flag or command named."""

from __future__ import annotations

from pathlib import Path

from evaluator.messages import Message
from evaluator.messages.labels import stage
from evaluator.services.exchange.export import ExportReport
from evaluator.services.exchange.report import PackageImportReport


def a_report() -> PackageImportReport:
    score = Message("report.score", {"unit": "SO01", "year": 2024, "leaf": "1.1.2",
                                     "stage": stage("appraisal1")})
    return PackageImportReport(
        files=["a.cchc"], dry_run=True, signatures={"a.cchc": "CN=Tổ 1", "b.cchc": ""}, units_new=1,
        scores_new=1, scores_conflicting=1, revisions_new=3,
        duplicates=[Message("report.duplicate_unit", {"package": "b.cchc", "code": "SO02", "name": "Sở",
                                                       "id": "u1", "other": "u2"})],
        conflicts=[Message("report.conflict_values", {"score": score, "values": "1 (A) / 2 (B)"})],
        changes=[Message("report.change_new", {"score": score}), Message("report.change_conflict",
                                                                            {"score": score})],
        warnings=["a sentence not yet given a code"],
    )


def test_the_package_import_report_in_english_as_before() -> None:
    assert a_report().render("en").splitlines() == [
        "Dry run — nothing was written.",
        "  packages: a.cchc",
        "    a.cchc: signed by CN=Tổ 1",
        "    b.cchc: not signed",
        "  units: 1 new, 1 probable duplicate(s)",
        "  assessments: 0 new",
        "  scores: 1 new, 0 updated, 0 identical, 1 conflicting (3 new revision(s))",
        "  evidence: 0 new, 0 identical; audit events: 0 new",
        "  probable duplicates (not imported; import again with --merge-duplicates to merge them) (1):",
        "    - b.cchc: unit SO02 (Sở) has id u1, but the project has unit SO02 with id u2: probably the same "
        "unit created on two laptops; its records were not imported (import again with --merge-duplicates "
        "to merge them into that unit)",
        "  conflicts (1):",
        "    - SO01 2024 1.1.2 appraisal1: 1 (A) / 2 (B)",
        "  changes (2):",
        "    - new: SO01 2024 1.1.2 appraisal1",
        "    - conflict: SO01 2024 1.1.2 appraisal1",
        "  warnings (1):",
        "    - a sentence not yet given a code",
    ]


def test_the_package_import_report_in_vietnamese() -> None:
    text = a_report().render("vi")
    assert text.splitlines()[:3] == ["Xem trước — chưa ghi gì.", "  Gói dữ liệu: a.cchc",
                                     "    a.cchc: ký số bởi CN=Tổ 1"]
    assert "    - Điểm mới: SO01 2024 1.1.2 (Thẩm định vòng 1)" in text.splitlines()
    assert "    - Xung đột: SO01 2024 1.1.2 (Thẩm định vòng 1)" in text.splitlines()
    assert "appraisal1" not in text and "--" not in text and "evaluator " not in text


def test_the_summary_holds_strings_in_the_current_language() -> None:
    summary = a_report().summary()
    assert summary["changes"] == ["new: SO01 2024 1.1.2 appraisal1", "conflict: SO01 2024 1.1.2 appraisal1"]
    assert summary["warnings"] == ["a sentence not yet given a code"]
    assert all(isinstance(x, str) for x in summary["duplicates"] + summary["conflicts"])


def test_the_export_report_in_both_languages() -> None:
    report = ExportReport(path=Path("/x/t.cchc"), package_id="p1", units=["SO01"], years=[2024], scores=2,
                          size=12345, signed_by="CN=Tổ 1")
    assert report.render("en").splitlines() == [
        "Team package written: /x/t.cchc (12,345 bytes)",
        "  package p1; years 2024; 1 unit(s): SO01",
        "  0 assessment(s), 2 score(s) with 0 revision(s), 0 evidence record(s) (0 file(s)), "
        "0 audit event(s)",
        "  signed by CN=Tổ 1",
    ]
    assert report.render("vi").splitlines()[-1] == "  Ký số bởi CN=Tổ 1"
