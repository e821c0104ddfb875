"""Errors meant for people: the CLI prints the message and exits 1; the GUI shows it in a dialog."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request that cannot be done; the message names the file/row/column or record."""

    def __init__(self, message: str, details: list[str] | None = None):
        self.details = details or []
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        return head if not self.details else head + "\n" + "\n".join(f"  - {d}" for d in self.details)
