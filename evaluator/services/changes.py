"""What a service call changed (Anki's "operations"): open views refresh only what it names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field


@dataclass
class Change:
    assessments: set[uuid.UUID] = field(default_factory=set)
    """Assessments whose scores, evidence or status changed (their totals need recomputing)."""
    leaves: set[tuple[uuid.UUID, str]] = field(default_factory=set)
    """(assessment, criterion code) pairs whose stage values or evidence changed."""
    units: bool = False
    """Units were created or renamed."""
    frameworks: bool = False
    audit: bool = False
    years: set[int] = field(default_factory=set)

    def merge(self, other: Change) -> Change:
        self.assessments |= other.assessments
        self.leaves |= other.leaves
        self.units = self.units or other.units
        self.frameworks = self.frameworks or other.frameworks
        self.audit = self.audit or other.audit
        self.years |= other.years
        return self

    @property
    def empty(self) -> bool:
        return not (self.assessments or self.leaves or self.units or self.frameworks or self.audit)
