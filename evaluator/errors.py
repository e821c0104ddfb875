"""Errors meant for people, at the bottom of the layers so that every layer can raise them without importing
a higher one: the CLI prints the message and exits 1; the GUI shows it in a dialog."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request that cannot be done; the message names the file/row/column or record."""

    def __init__(self, message: str, details: list[str] | None = None):
        self.details = details or []
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        return head if not self.details else head + "\n" + "\n".join(f"  - {d}" for d in self.details)


class SigningError(UserError):
    """A document or package cannot be signed, or a signer cannot be set up (key, password, certificate,
    field); no file is written. One type for PDF signing (``signing``) and package signing (``exchange``)."""


MAX_LISTED = 50
"""How many problems an error message lists before "… and N more"."""


class Problems:
    """Every problem an import finds, collected before anything is written (imports are all-or-nothing)."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, message: str) -> None:
        self.items.append(message)

    def raise_if_any(self) -> None:
        if self.items:
            shown = self.items[:MAX_LISTED]
            more = len(self.items) - len(shown)
            raise UserError(f"import refused, nothing was written ({len(self.items)} problem(s)):",
                            shown + ([f"… and {more} more"] if more else []))
