"""Messages as a code plus parameters, rendered in the user's language.

Services raise ``UserError("area.what", name=…, …)``; the code names a Vietnamese template here (the
source language), its English is in the gettext catalogue (``resources/translations/en/…/evaluator.po``,
kept complete by ``tests/test_messages.py``), and the face that shows the message renders it in its
language: the GUI in the user's, the CLI in ``--lang``'s. Templates use ``str.format`` fields, ``{name}``; a
field's value is shown as given (a file name, a code, a number), or rendered in the same language when it is
itself a :class:`Message`.

One module per area keeps each list short; a code's area is its first part. Vietnamese templates never name a
command-line flag or command: the GUI shows them too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from evaluator import i18n
from evaluator.messages import (
    backup,
    cli,
    common,
    conflicts,
    criteria,
    exchange,
    fields,
    frameworks,
    imports,
    merge,
    package,
    project,
    projects,
    reports,
    rules,
    scores,
    scoring,
    signing,
    workbook,
)

CODE = re.compile(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+")
"""What a code looks like; an English sentence never does (it has spaces)."""


def _catalogue() -> dict[str, str]:
    merged: dict[str, str] = {}
    for area in (backup, cli, common, conflicts, criteria, exchange, fields, frameworks, imports, merge,
                 package, project, projects, reports, rules, scores, scoring, signing, workbook):
        for code, template in area.MESSAGES.items():
            if code in merged:
                raise RuntimeError(f"message code {code} is defined twice")
            merged[code] = template
    return merged


CATALOGUE: dict[str, str] = _catalogue()
"""code → Vietnamese template."""


@dataclass(frozen=True)
class Message:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.code not in CATALOGUE:  # a programming error: tests/test_messages.py walks every code used
            raise KeyError(f"unknown message code {self.code!r}")

    def render(self, language: str | None = None) -> str:
        lang = language or i18n.language()
        template = i18n.text(CATALOGUE[self.code], lang)
        # a Message or a labels.Term parameter speaks the same language
        values = {k: v.render(lang) if hasattr(v, "render") else v for k, v in self.params.items()}
        return template.format(**values)

    def __str__(self) -> str:
        return self.render()


def message(text_or_code: str, params: Mapping[str, Any] | None = None) -> Message | str:
    """A :class:`Message` when ``text_or_code`` is a code, else the text as it is (messages not yet given a
    code are English sentences)."""
    if CODE.fullmatch(text_or_code):
        return Message(text_or_code, dict(params or {}))
    return text_or_code


def render(item: Message | str, language: str | None = None) -> str:
    return item.render(language) if isinstance(item, Message) else item


def say(code: str, **params: Any) -> str:
    """A message rendered now, in the current language: for texts kept as plain strings (a report's list of
    problems, a JSON field, a piece of a larger sentence)."""
    return Message(code, params).render()
