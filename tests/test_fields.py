"""The field rules shared by every importer and the GUI (evaluator/fields.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evaluator.fields import (
    FILE_NAME_BYTES,
    LIMITS,
    FieldError,
    check_text,
    check_year,
    file_name_problem,
    safe_file_name,
    strip_control,
    year_pair_problem,
)


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("../../../x.sh", "path separator"),
        ("..", "folder reference"),
        ("/etc/passwd", "path separator"),
        ("C:\\Windows\\x.dll", "path separator"),
        ("C:x.dll", "drive path"),
        ("a\x1bb.pdf", "control character (U+001B)"),
        ("a\nb.pdf", "control character (U+000A)"),
        ("\ud800.pdf", "lone surrogate"),
        ("", "empty"),
        ("x" * 256, "at most 255"),
    ],
)
def test_names_that_are_not_display_names_are_refused(name: str, problem: str) -> None:
    found = file_name_problem(name)
    assert found is not None and problem in found


@pytest.mark.parametrize("name", ["Báo cáo năm 2024.pdf", "QĐ 12-2024 (bản ký).docx", "CON.pdf", "a?b.txt"])
def test_plain_names_are_accepted(name: str) -> None:
    assert file_name_problem(name) is None


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../../x.sh", "x.sh"),
        ("C:\\Users\\a\\evil.bat", "evil.bat"),
        ("..", "tai-lieu"),
        ("CON.pdf", "_CON.pdf"),
        ("con", "_con"),
        ("LPT1.tar.gz", "_LPT1.tar.gz"),
        ('a<b>:"c|?*.pdf', "a_b___c___.pdf"),
        ("tên.  ", "tên"),
        ("a\x1b\x00b.pdf", "ab.pdf"),
        ("Báo cáo.pdf", "Báo cáo.pdf"),
    ],
)
def test_safe_file_names(name: str, safe: str) -> None:
    assert safe_file_name(name) == safe


def test_a_long_name_keeps_its_extension_within_the_byte_limit() -> None:
    safe = safe_file_name("Tài liệu kiểm chứng " * 30 + ".pdf")
    assert safe.endswith(".pdf") and len(safe.encode("utf-8")) <= FILE_NAME_BYTES


@given(st.text(max_size=400))
def test_any_name_becomes_one_safe_component(name: str) -> None:
    safe = safe_file_name(name)
    assert file_name_problem(safe) is None
    assert len(safe.encode("utf-8")) <= FILE_NAME_BYTES
    assert safe.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT1"}
    assert not safe.endswith((".", " "))
    assert safe_file_name(safe) == safe


def test_check_text() -> None:
    assert check_text("Thống nhất\nvới điểm tự chấm", "note") == "Thống nhất\nvới điểm tự chấm"
    with pytest.raises(FieldError, match="U\\+001B"):
        check_text("a\x1bb", "note")
    with pytest.raises(FieldError, match="U\\+000A"):
        check_text("a\nb", "unit.name")
    with pytest.raises(FieldError, match="453 characters, at most 300"):
        check_text("x" * 453, "unit.name")
    with pytest.raises(FieldError, match="expected text"):
        check_text(12, "unit.name")
    with pytest.raises(FieldError, match="empty"):
        check_text("  ", "unit.code", empty=False)
    assert set(LIMITS) >= {"unit.name", "note", "file_name"}


def test_strip_control() -> None:
    assert strip_control("a\x1bb\nc\ud800") == "ab\nc"
    assert strip_control("a\tb", multiline=False) == "ab"


def test_years() -> None:
    assert check_year(2024) == 2024
    for bad in (-1, 99999, 1999, 2101, True, "2024", 2024.0):
        with pytest.raises(FieldError, match="not a year from 2000 to 2100"):
            check_year(bad)
    assert year_pair_problem(2024, 2024) is None
    assert year_pair_problem(2025, 2024) == "the 2025 appraisal cannot use a criteria set for 2024"
