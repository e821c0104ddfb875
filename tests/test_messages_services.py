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
    code, err = run(capsys, "--lang", "vi", "backup", "create", "--db", "postgresql://h/db")
    assert code == 1 and "chỉ sao lưu được tệp dự án (SQLite)" in err
