"""What an import of team packages found and did (the preview and the import log)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from evaluator.errors import MAX_LISTED
from evaluator.messages import Message, render
from evaluator.services.changes import Change

Line = Message | str
"""A line of the report: a :class:`Message` in the reader's language (or a sentence not yet given a code)."""


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
    confirmations: int = 0
    """Carried evidence the packages confirmed for this year that was waiting here (applied)."""
    confirm_removed: list[Line] = field(default_factory=list)
    """Confirmations of evidence the committee had removed (not attached again)."""
    duplicates: list[Line] = field(default_factory=list)
    """Probable duplicates: the same unit code with another UUID (not imported)."""
    merged_units: list[Line] = field(default_factory=list)
    """Probable duplicates merged into the project's unit of the same code (``merge_duplicates``)."""
    skipped: int = 0
    """Records of probable-duplicate units that were not imported."""
    conflicts: list[Line] = field(default_factory=list)
    """New conflicts: unit, year, leaf and stage."""
    conflicts_resolved: int = 0
    """Conflicts the packages bring resolved that the project had open or did not have."""
    changes: list[Line] = field(default_factory=list)
    out_of_scope: list[Line] = field(default_factory=list)
    """Edits outside the scope of the package's team (not imported): file, team, unit, leaf and stage."""
    warnings: list[Line] = field(default_factory=list)
    new_sets: list[dict[str, Any]] = field(default_factory=list)
    """Criteria sets the packages bring that the project lacks: file, code, version, year, title, sha256,
    accepted (by the import's choice or a signature of the project's trust list) and signed_by."""
    settings_replaced: list[str] = field(default_factory=list)
    """Project settings a handout replaced (e.g. ``reports``, the document settings)."""
    sets_moved: list[dict[str, Any]] = field(default_factory=list)
    """Assessments a handout moved to a newer version of their set (a team copy following the
    committee): unit, year, old and new identity."""
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
            or self.confirmations
            or self.conflicts_resolved  # a decision alone (on revisions the project has) is worth writing
            or any(s["accepted"] for s in self.new_sets)  # a later handout may bring only a set
            or self.settings_replaced
            or self.sets_moved
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
            "confirmations": self.confirmations,
            "confirm_removed": texts(self.confirm_removed),
            "duplicates": texts(self.duplicates),
            "merged_units": texts(self.merged_units),
            "skipped": self.skipped,
            "conflicts": texts(self.conflicts),
            "conflicts_resolved": self.conflicts_resolved,
            "changes": texts(self.changes[:1000]),
            "out_of_scope": texts(self.out_of_scope),
            "warnings": texts(self.warnings),
            "backup": self.backup,
            "already_imported": self.already_imported,
            "new_sets": self.new_sets,
            "settings_replaced": self.settings_replaced,
            "sets_moved": self.sets_moved,
        }

    def render(self, language: str | None = None) -> str:
        """The import log in ``language`` (default: the current one); English as the CLI always printed."""

        def say(code: str, **params: Any) -> str:
            return Message(code, params).render(language)

        done = "report.imported" if self.changed else "report.nothing_new"
        head = "report.dry_run" if self.dry_run else done
        lines = [say(head), "  " + say("report.packages", files=", ".join(self.files))]
        for name, who in self.signatures.items():
            lines.append("    " + (say("report.signed_by", name=name, who=who) if who
                                   else say("report.not_signed", name=name)))
        new, duplicates = self.units_new, len(self.duplicates)
        lines += [
            "  " + (say("report.units_merged", new=new, duplicates=duplicates, merged=len(self.merged_units))
                    if self.merged_units else say("report.units", new=new, duplicates=duplicates)),
            "  " + say("report.assessments", new=self.assessments_new),
            "  " + say("report.scores", new=self.scores_new, updated=self.scores_updated,
                       identical=self.scores_identical, conflicting=self.scores_conflicting,
                       revisions=self.revisions_new),
            "  " + say("report.evidence", new=self.evidence_new, identical=self.evidence_identical,
                       audit=self.audit_new),
        ]
        if self.conflicts_resolved:
            lines.append("  " + say("report.resolved", count=self.conflicts_resolved))
        for s in self.new_sets:
            state = "handout.set_accepted" if s["accepted"] else "handout.set_to_accept"
            lines.append("  " + say(state, identity=f"{s['code']}@{s['version']}", year=s["year"],
                                    sha=s["sha256"], file=s["file"]))
        if self.settings_replaced:
            lines.append("  " + say("handout.settings_replaced", keys=", ".join(self.settings_replaced)))
        for m in self.sets_moved:
            lines.append("  " + say("copyset.moved", **m))
        if self.backup:
            lines.append("  " + say("report.backup", path=self.backup))
        for title, items in (
            ("report.duplicates", self.duplicates),
            ("report.merged", self.merged_units),
            ("report.conflicts", self.conflicts),
            ("teams.report_out_of_scope", self.out_of_scope),
            ("increments.report_removed", self.confirm_removed),
            ("report.changes", self.changes),
            ("report.warnings", self.warnings),
        ):
            if items:
                lines.append("  " + say(title, count=len(items)))
                lines += [f"    - {render(x, language)}" for x in items[:MAX_LISTED]]
                if len(items) > MAX_LISTED:
                    lines.append("    " + say("report.more", count=len(items) - MAX_LISTED))
        return "\n".join(lines)


def texts(items: list[Line]) -> list[str]:
    """The lines rendered in the current language: a JSON field, the import log's summary."""
    return [render(x) for x in items]
