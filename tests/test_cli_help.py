"""The command line's help and usage errors speak the chosen language (``--lang``, else the desktop app's
saved language, else English), and every help text has its English translation."""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from evaluator import i18n
from evaluator.cli import help as cli_help
from evaluator.cli.main import _lang_everywhere, _parser, main

# Letters only Vietnamese uses (a text holding one is Vietnamese, not English).
VIETNAMESE = re.compile(r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]",
                        re.IGNORECASE)
# Vietnamese names the English help keeps on purpose: the documents' and the workbook's own titles.
KEPT_NAMES = ("biên bản thẩm định", "báo cáo tự đánh giá", "công bố kết quả", "Tiêu chí", "Điểm tối đa",
              "Điểm tự chấm", "Điểm thẩm định", "Ghi chú của đơn vị", "Ghi chú của thẩm định", "Chỉ số CCHC",
              "Thẩm định")


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[
        tuple[tuple[str, ...], argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for name, sub in action.choices.items():
                if id(sub) not in seen:
                    seen.add(id(sub))
                    yield from _parsers(sub, (*path, name))


def _all_parsers() -> list[tuple[tuple[str, ...], argparse.ArgumentParser]]:
    parser = _parser()
    _lang_everywhere(parser)
    return list(_parsers(parser))


def test_every_help_text_is_a_vietnamese_source_with_its_english_translation() -> None:
    missing = []
    for path, parser in _all_parsers():
        texts = [parser.description] + [a.help for a in parser._actions]
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                texts += [c.help for c in action._choices_actions]
        for text in texts:
            if not text or text is argparse.SUPPRESS or text in cli_help.ARGPARSE_TEXTS:
                continue
            if i18n.translated(text, "en") is None:
                missing.append((" ".join(path), text))
    assert missing == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_command_help_speaks_the_language(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert len(_all_parsers()) > 30  # every command and sub-command below
    for path, _parser_of in _all_parsers():
        with pytest.raises(SystemExit) as done:
            main([*path, "--lang", language, "--help"])
        assert done.value.code == 0
        out = capsys.readouterr().out
        where = " ".join(path) or "evaluator"
        if language == "vi":
            assert out.startswith("cách dùng: "), where
            assert "tuỳ chọn:" in out and "show this help" not in out, where
        else:
            assert out.startswith("usage: "), where
            english = " ".join(out.split())  # a name may be wrapped over two lines
            for name in KEPT_NAMES:
                english = english.replace(name, "")
            assert not VIETNAMESE.search(english), (where, VIETNAMESE.findall(english)[:5], out)


def test_help_follows_the_saved_language_without_lang(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("EVALUATOR_CONFIG_DIR", str(tmp_path / "cfg"))
    with pytest.raises(SystemExit):
        main(["units", "--help"])
    assert "the units (retired ones with --all)" in capsys.readouterr().out  # no setting: English
    (tmp_path / "cfg").mkdir()
    (tmp_path / "cfg" / "settings.json").write_text(json.dumps({"language": "vi"}), encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["units", "--help"])
    assert "các đơn vị (cả đơn vị đã ngừng theo dõi với --all)" in capsys.readouterr().out
    with pytest.raises(SystemExit):  # --lang, before or after the command, wins over the setting
        main(["units", "list", "--help", "--lang", "en"])
    assert "also the retired units" in capsys.readouterr().out
    assert i18n.language() == "en"  # the caller's language is back


@pytest.mark.parametrize(("language", "expected"), [
    ("vi", "evaluator results: lỗi: thiếu các tham số bắt buộc: --year"),
    ("en", "evaluator results: error: the following arguments are required: --year"),
])
def test_usage_errors_speak_the_language(language: str, expected: str,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--lang", language, "results", "--db", "x.db"])
    assert done.value.code == 2
    assert expected in capsys.readouterr().err


def test_an_invalid_choice_names_the_value_and_the_choices_in_vietnamese(
        capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["results", "--db", "x.db", "--year", "2024", "--format", "xml", "--lang=vi"])
    err = capsys.readouterr().err
    assert "tham số --format: giá trị không hợp lệ: 'xml' (chọn một trong 'table', 'csv', 'json')" in err


def test_language_in_reads_the_last_lang_before_a_double_dash() -> None:
    assert cli_help.language_in(["--lang", "vi", "units", "--lang=en"]) == "en"
    assert cli_help.language_in(["units", "--", "--lang", "vi"]) is None
    assert cli_help.language_in(["--lang", "fr"]) is None
    assert cli_help.language_in(["--lang"]) is None
