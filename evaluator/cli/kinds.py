"""A ``--kind`` option checked against the kinds the project's criteria sets declare (a province's set may
add kinds of its own, so a fixed list of choices would refuse them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from evaluator.errors import UserError
from evaluator.messages import labels, say


def year_kinds(session: Any, year: int) -> list[str]:
    """The unit kinds the criteria sets of ``year`` declare, in the usual order (as ``units list``'s)."""
    from evaluator.models.schema import KIND_ORDER
    from evaluator.services.frameworks import frameworks_for_year

    kinds = {k for fw in frameworks_for_year(session, year).values() for k in fw.unit_kinds}
    return sorted(kinds, key=lambda k: (KIND_ORDER.get(k, len(KIND_ORDER)), k))


def check_kind(kind: str, known: Sequence[str], *, year: int | None = None) -> None:
    """A kind the project's sets (of ``year``) do not declare: a ``UserError`` listing those they do."""
    if kind in known:
        return
    listed = ", ".join(known) or say("common.none")
    names = labels.Terms("kind", tuple(known))
    if year is None:
        raise UserError("kinds.unknown", kind=kind, known=listed, names=names)
    raise UserError("kinds.unknown_in_year", kind=kind, year=year, known=listed, names=names)
