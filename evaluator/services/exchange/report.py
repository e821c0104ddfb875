"""What an import of team packages found and did (the preview and the import log)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluator.errors import MAX_LISTED
from evaluator.services.changes import Change


# --- the import report ------------------------------------------------------------------------------
@dataclass
class PackageImportReport:
    files: list[str]
    dry_run: bool
    signatures: dict[str, str] = field(default_factory=dict)
    """file → signer subject ('' when not signed)."""
    units_new: int = 0
    assessments_new: int = 0
    scores_new: int = 0
    scores_updated: int = 0
    scores_identical: int = 0
    scores_conflicting: int = 0
    revisions_new: int = 0
    evidence_new: int = 0
    evidence_identical: int = 0
    evidence_files_new: int = 0
    audit_new: int = 0
    duplicates: list[str] = field(default_factory=list)
    """Probable duplicates: the same unit code with another UUID (not imported)."""
    merged_units: list[str] = field(default_factory=list)
    """Probable duplicates merged into the project's unit of the same code (``merge_duplicates``)."""
    skipped: int = 0
    """Records of probable-duplicate units that were not imported."""
    conflicts: list[str] = field(default_factory=list)
    """New conflicts: unit, year, leaf and stage."""
    conflicts_resolved: int = 0
    """Conflicts the packages bring resolved that the project had open or did not have."""
    changes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    backup: str = ""
    years: set[int] = field(default_factory=set)
    already_imported: list[str] = field(default_factory=list)
    change: Change = field(default_factory=Change)
    """What the import changed (``exchange.import_packages`` fills it once the merge committed; empty
    for a dry run or when nothing was new)."""

    @property
    def changed(self) -> bool:
        return bool(
            self.units_new
            or self.merged_units  # even without new records: the alias is worth remembering
            or self.assessments_new
            or self.revisions_new
            or self.evidence_new
            or self.audit_new
            or self.conflicts_resolved  # a decision alone (on revisions the project has) is worth writing
        )

    def summary(self) -> dict[str, Any]:
        return {
            "kind": "team-package",
            "files": self.files,
            "dry_run": self.dry_run,
            "signatures": self.signatures,
            "years": sorted(self.years),
            "units_new": self.units_new,
            "assessments_new": self.assessments_new,
            "scores_new": self.scores_new,
            "scores_updated": self.scores_updated,
            "scores_identical": self.scores_identical,
            "scores_conflicting": self.scores_conflicting,
            "revisions_new": self.revisions_new,
            "evidence_new": self.evidence_new,
            "evidence_identical": self.evidence_identical,
            "audit_new": self.audit_new,
            "duplicates": self.duplicates,
            "merged_units": self.merged_units,
            "skipped": self.skipped,
            "conflicts": self.conflicts,
            "conflicts_resolved": self.conflicts_resolved,
            "changes": self.changes[:1000],
            "warnings": self.warnings,
            "backup": self.backup,
            "already_imported": self.already_imported,
        }

    def render(self) -> str:
        head = (
            "Dry run — nothing was written."
            if self.dry_run
            else ("Imported." if self.changed else "Nothing new: the project already had everything.")
        )
        lines = [head, f"  packages: {', '.join(self.files)}"]
        for name, who in self.signatures.items():
            lines.append(f"    {name}: {'signed by ' + who if who else 'not signed'}")
        merged = f", {len(self.merged_units)} merged" if self.merged_units else ""
        lines += [
            f"  units: {self.units_new} new, {len(self.duplicates)} probable duplicate(s){merged}",
            f"  assessments: {self.assessments_new} new",
            f"  scores: {self.scores_new} new, {self.scores_updated} updated, {self.scores_identical} "
            f"identical, {self.scores_conflicting} conflicting ({self.revisions_new} new revision(s))",
            f"  evidence: {self.evidence_new} new, {self.evidence_identical} identical; "
            f"audit events: {self.audit_new} new",
        ]
        if self.conflicts_resolved:
            lines.append(f"  conflicts resolved by the packages' decisions: {self.conflicts_resolved}")
        if self.backup:
            lines.append(f"  backup of the project before the import: {self.backup}")
        for title, items in (
            (
                "probable duplicates (not imported; import again with --merge-duplicates to merge them)",
                self.duplicates,
            ),
            ("units merged into the project's unit of the same code", self.merged_units),
            ("conflicts (see `evaluator conflicts list`)", self.conflicts),
            ("changes", self.changes),
            ("warnings", self.warnings),
        ):
            if items:
                lines.append(f"  {title} ({len(items)}):")
                lines += [f"    - {x}" for x in items[:MAX_LISTED]]
                if len(items) > MAX_LISTED:
                    lines.append(f"    … and {len(items) - MAX_LISTED} more (see the import log)")
        return "\n".join(lines)


