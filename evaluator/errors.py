"""Errors meant for people, at the bottom of the layers so that every layer can raise them without importing
a higher one: the CLI prints the message and exits 1; the GUI shows it in a dialog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evaluator import messages
from evaluator.messages import Message


class Coded(Exception):
    """An error whose message is a code plus parameters (``evaluator.messages``), shown in the user's language
    wherever it is printed: ``str(error)`` renders it in the current language (``evaluator.i18n``),
    ``error.render("en")`` in a given one. ``Coded("area.what", name=value, …)``; a plain sentence instead of
    a code is shown as it is (the messages not yet given a code). ``details`` lists what it refers to, each a
    text or a ``Message``. Lower layers' own error types (project files, fields, packages) derive from it too,
    so that what they say reaches the user in the same way."""

    def __init__(self, message: str, details: Sequence[Message | str] | None = None, **params: Any):
        self.message = messages.message(message, params)
        self.details = list(details or [])
        super().__init__(message)

    @property
    def code(self) -> str | None:
        return self.message.code if isinstance(self.message, Message) else None

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.message.params) if isinstance(self.message, Message) else {}

    def render(self, language: str | None = None) -> str:
        head = messages.render(self.message, language)
        if not self.details:
            return head
        return head + "\n" + "\n".join(f"  - {messages.render(d, language)}" for d in self.details)

    def __str__(self) -> str:
        return self.render()

    def __reduce__(self) -> tuple[Any, ...]:
        # an error raised in a worker process (report batches) crosses back pickled: keep its parameters,
        # which ``Exception``'s own pickling (``args`` only) would drop
        return (_rebuild, (type(self), self.args[0] if self.args else "", self.details, self.params),
                self.__dict__)


def _rebuild(cls: type[Coded], message: str, details: list[Message | str], params: dict[str, Any]) -> Coded:
    return cls(message, details, **params)


class UserError(Coded):
    """Bad input or a request that cannot be done; the message names the file/row/column or record. The CLI
    prints it and exits 1; the GUI shows it in a dialog."""

    @classmethod
    def from_error(cls, exc: BaseException) -> UserError:
        """A lower layer's error passed up to the faces: a coded one keeps its code, parameters and details
        (so it is still rendered in the language of whoever reads it); any other is shown as its text."""
        if isinstance(exc, Coded):
            if exc.code:
                return cls(exc.code, exc.details, **exc.params)
            return cls(messages.render(exc.message), exc.details)
        return cls(str(exc))


class SigningError(UserError):
    """A document or package cannot be signed, or a signer cannot be set up (key, password, certificate,
    field); no file is written. One type for PDF signing (``signing``) and package signing (``exchange``)."""


MAX_LISTED = 50
"""How many problems an error message lists before "… and N more"."""


class Problems:
    """Every problem an import finds, collected before anything is written (imports are all-or-nothing)."""

    def __init__(self) -> None:
        self.items: list[Message | str] = []

    def add(self, message: str, **params: Any) -> None:
        """A problem by its code and parameters (or, until it has a code, an English sentence)."""
        self.items.append(messages.message(message, params))

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_LISTED]
            more = len(self.items) - len(shown)
            tail: list[Message | str] = [Message("import.more", {"count": more})] if more else []
            raise UserError("import.refused", shown + tail, count=len(self.items))
