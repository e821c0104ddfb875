"""Which leaf of year Y each leaf of year Y-1 became."""

# placeholder: y-newyear replaces this module

from __future__ import annotations

from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.services.frameworks import framework_for_kind, framework_of


def leaf_mapping(session: Session, year: int, kind: str) -> dict[str, str | None]:
    """Y-1 leaf code → Y leaf code (or None) for a unit kind: a Y-1 leaf whose code exists among the leaves
    of Y's set for that kind maps to it, every other one to None. Empty when either year has no set for
    the kind."""
    try:
        old = framework_of(framework_for_kind(session, year - 1, kind))
        new = framework_of(framework_for_kind(session, year, kind))
    except UserError:
        return {}
    codes = {n.code for n in new.leaves(kind)}
    return {n.code: (n.code if n.code in codes else None) for n in old.leaves(kind)}
