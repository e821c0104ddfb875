"""What a team appraises (issue 14): its areas per unit kind (or for every kind) and optionally its units.

Pure: the committee's teams (``services.teams``), a handout's manifest, a team copy's read-only leaves
(``services.scores``), the workspace's "my areas" filter and the committee's import of a team package
(``services.exchange.merge``) all ask the same ``Scope``. Only the appraisal stages are a team's: the
unit's own stages (self-assessment, explanation) and the survey are not limited by it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluator.frameworks.model import Framework
from evaluator.models.team_schema import EVERY_KIND

SCOPED_STAGES = frozenset({"appraisal1", "appraisal2"})
"""The stages a team's scope limits."""


def area_of(fw: Framework, code: str) -> str:
    """The area (top-level node) a node of ``fw`` belongs to ('' for a code the set lacks)."""
    node = fw.nodes.get(code)
    seen = 0
    while node is not None and node.parent is not None and seen < 50:
        node = fw.nodes.get(node.parent)
        seen += 1
    return "" if node is None else node.code


@dataclass(frozen=True)
class Scope:
    team: str
    department: str = ""
    areas: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Unit kind (or ``EVERY_KIND``) → area codes."""
    units: tuple[str, ...] = ()
    """Unit codes (empty: every unit)."""

    def areas_for(self, kind: str) -> frozenset[str]:
        return frozenset(self.areas.get(EVERY_KIND, ())) | frozenset(self.areas.get(kind, ()))

    def has_unit(self, unit: str) -> bool:
        return not self.units or unit in self.units

    def covers_area(self, kind: str, unit: str, area: str) -> bool:
        return self.has_unit(unit) and area in self.areas_for(kind)

    def covers(self, fw: Framework, kind: str, unit: str, leaf: str, stage: str) -> bool:
        """Whether the team may write ``stage`` of ``leaf`` for ``unit`` (of ``kind``)."""
        if stage not in SCOPED_STAGES:
            return True
        return self.covers_area(kind, unit, area_of(fw, leaf))

    def describe(self) -> str:
        """``*: 2, 3; district: 6 — H01, H02`` (kinds by code: the same in every language)."""
        areas = "; ".join(f"{k}: {', '.join(v)}" for k, v in sorted(self.areas.items()))
        return areas + (f" — {', '.join(self.units)}" if self.units else "")

    def to_json(self) -> dict[str, Any]:
        return {"team": self.team, "department": self.department,
                "areas": {k: list(v) for k, v in sorted(self.areas.items())}, "units": list(self.units)}

    @classmethod
    def from_json(cls, value: Any) -> Scope:
        """A scope from a manifest or a setting; ``ValueError`` naming what is wrong."""
        if not isinstance(value, dict):
            raise ValueError("not an object")
        team, department = value.get("team"), value.get("department", "")
        areas, units = value.get("areas"), value.get("units", [])
        if not isinstance(team, str) or not team or not isinstance(department, str):
            raise ValueError("team: not a name")
        if not isinstance(areas, dict) or not all(
                isinstance(k, str) and isinstance(v, list) and all(isinstance(c, str) and c for c in v)
                for k, v in areas.items()):
            raise ValueError("areas: not a map of kinds to area codes")
        if not isinstance(units, list) or not all(isinstance(c, str) and c for c in units):
            raise ValueError("units: not a list of unit codes")
        if len(team) > 200 or len(department) > 200 or len(units) > 100_000 or len(areas) > 100:
            raise ValueError("too long")
        return cls(team, department, {k: tuple(v) for k, v in areas.items()}, tuple(units))


COPY_SETTING = "handout.copy"
"""Project setting of a team copy (``exchange.merge.settings.TEAM_COPY_SETTING`` is this key): the handout
it was made from, and under ``"scope"`` the team's scope that handout carried."""


def copy_scope(session: Any) -> Scope | None:
    """The scope of this project when it is a team copy made from a handout for a team with a scope (None:
    the committee's project, or a copy whose team has none — nothing is read-only then)."""
    from evaluator.models import Setting

    row = session.get(Setting, COPY_SETTING)
    value = row.value.get("scope") if row is not None and isinstance(row.value, dict) else None
    if value is None:
        return None
    try:
        return Scope.from_json(value)
    except ValueError:
        return None


def read_only_reason(scope: Scope | None, fw: Framework, kind: str, unit: str, leaf: str,
                     stage: str) -> Any:
    """Why ``stage`` of ``leaf`` is read-only on this team copy (a ``Message``), or None."""
    if scope is None or scope.covers(fw, kind, unit, leaf, stage):
        return None
    from evaluator.messages import Message

    return Message("teams.out_of_scope_reason", {"team": scope.team})
