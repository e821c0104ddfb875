"""The command line's help in the user's language.

The help texts in the CLI modules are Vietnamese sources marked ``N_("…")`` (the app's source language,
translated to English by the same gettext catalogue as every other text). argparse keeps them as given and
this parser class renders them when help is printed, so the language chosen with ``--lang`` (or saved by the
desktop app) applies to ``--help`` too. argparse's own words (``usage:``, section headings, usage errors)
have English sources in the standard library; they are mapped to Vietnamese sources here so that they go
through the same catalogue.
"""

from __future__ import annotations

import argparse
from typing import Any

from evaluator import i18n
from evaluator.i18n import N_

# argparse's own texts (the standard library's English, Python 3.11–3.13) → the app's Vietnamese sources.
ARGPARSE_TEXTS: dict[str, str] = {
    "usage: ": N_("cách dùng: "),
    "positional arguments": N_("tham số vị trí"),
    "options": N_("tuỳ chọn"),
    "optional arguments": N_("tuỳ chọn"),
    "show this help message and exit": N_("hiện phần trợ giúp này rồi thoát"),
    "show program's version number and exit": N_("hiện phiên bản chương trình rồi thoát"),
    "%(prog)s: error: %(message)s\n": N_("%(prog)s: lỗi: %(message)s\n"),
    "the following arguments are required: %s": N_("thiếu các tham số bắt buộc: %s"),
    "one of the arguments %s is required": N_("cần một trong các tham số %s"),
    "argument %(argument_name)s: %(message)s": N_("tham số %(argument_name)s: %(message)s"),
    "invalid choice: %(value)r (choose from %(choices)s)": N_("giá trị không hợp lệ: %(value)r (chọn một "
                                                               "trong %(choices)s)"),
    "invalid %(type)s value: %(value)r": N_("giá trị %(type)s không hợp lệ: %(value)r"),
    "unrecognized arguments: %s": N_("tham số không nhận ra: %s"),
    "expected one argument": N_("cần một giá trị"),
    "expected at least one argument": N_("cần ít nhất một giá trị"),
    "expected at most one argument": N_("cần nhiều nhất một giá trị"),
    "not allowed with argument %s": N_("không dùng cùng tham số %s"),
    "ambiguous option: %(option)s could match %(matches)s": N_("tuỳ chọn không rõ: %(option)s có thể là "
                                                                "%(matches)s"),
}


def _argparse_text(message: str) -> str:
    source = ARGPARSE_TEXTS.get(message)
    return i18n.text(source) if source else message


# argparse looks its own texts up through its module's ``_`` (gettext) each time it prints one: routing that
# through the app's catalogue gives usage errors and headings in the chosen language too.
if callable(getattr(argparse, "_", None)):
    argparse._ = _argparse_text  # type: ignore[attr-defined]


def say(source: str | None) -> str | None:
    """A help text (its Vietnamese source) in the current language."""
    if not source:
        return source
    return i18n.text(source)


class _Translating(argparse.HelpFormatter):
    def _get_help_string(self, action: argparse.Action) -> str | None:
        return say(action.help)

    def add_text(self, text: str | None) -> None:  # descriptions and epilogs
        if text is not argparse.SUPPRESS:
            text = say(text)
        super().add_text(text)


class HelpFormatter(_Translating):
    pass


class RawDescriptionHelpFormatter(_Translating, argparse.RawDescriptionHelpFormatter):
    """For descriptions laid out by hand (examples, JSON shapes): kept as written, only translated."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose help speaks the current language; its sub-parsers are Parsers too
    (argparse makes sub-parsers of the parent's class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)


def language_in(argv: list[str]) -> str | None:
    """The ``--lang`` given anywhere in ``argv`` (the last one), before argparse has read it: help and usage
    errors are printed while parsing, so the language must be known first."""
    found = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            found = argv[i + 1]
        elif arg.startswith("--lang="):
            found = arg.split("=", 1)[1]
    return found if found in i18n.LANGUAGES else None
