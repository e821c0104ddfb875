"""Lists cut into batches for ``IN (…)`` queries and bulk inserts: one statement per batch keeps under
SQLite's and PostgreSQL's limits on bound parameters, and a province's rows (hundreds of thousands) under
one statement's memory."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def chunks(items: Sequence[Any], size: int) -> list[Sequence[Any]]:
    """``items`` in slices of at most ``size``; an empty list gives one empty slice (a query that finds
    nothing rather than none run)."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items]
