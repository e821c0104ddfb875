"""What is wrong with a criteria set: one ``Problem`` per finding (file, node, field, a ``criteria.*``
message), all of them in ``FrameworkInvalid``; a value from the file is shown shortened in a message."""

from __future__ import annotations

import reprlib
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from evaluator import messages
from evaluator.messages import Message


@dataclass(frozen=True)
class Problem:
    """One problem of a set: its file, node (None: the set itself) and field, and what is wrong: a
    ``criteria.*`` message (or, from readers not yet given codes, an English sentence)."""

    file: str
    node: str | None
    field: str
    detail: Message | str
    place: Message | None = None
    """Where in a workbook (sheet, row), when the set came from one."""

    @property
    def message(self) -> str:
        """What is wrong, in the current language (without the place)."""
        return messages.render(self.detail)

    def render(self, language: str | None = None) -> str:
        where = "criteria.at_node" if self.node else "criteria.at_set"
        file: Message | str = self.file
        if self.place is not None:
            file = Message("criteria.in_place", {"file": self.file, "place": self.place})
        return Message(where, {"file": file, "node": self.node, "field": self.field,
                               "message": self.detail if isinstance(self.detail, Message)
                               else _Plain(self.detail)}).render(language)

    def __str__(self) -> str:
        return self.render()


@dataclass(frozen=True)
class _Plain:
    """A sentence without a code as a message parameter (shown as it is, in either language)."""

    text: str

    def render(self, language: str | None = None) -> str:
        return self.text


class FrameworkInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxdict = 3, 200, 200, 10, 10


class _Shown:
    """A value from the file in a message, shortened (``reprlib``)."""

    def __init__(self, value: Any):
        self.text = _REPR.repr(value)

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def shown(value: Any) -> Any:
    if isinstance(value, bool | int | Decimal | Message) or hasattr(value, "render") or value is None:
        return value
    if isinstance(value, str) and len(value) <= 200:
        return value
    return _Shown(value)


