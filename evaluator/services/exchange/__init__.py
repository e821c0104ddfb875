"""Team packages: export from a laptop, committee import and merge (issue 5).

Export (``export_package``) writes everything a team typed for the chosen units and years: units,
assessments, every score with its whole revision history, evidence metadata and files, audit events, and
the conflicts it resolved (the decision supersedes the competing values only through that record).

Import (``import_packages``) follows the lessons in ``docs/exchange.md``: read and check every package
first (structure, hashes, signature, project, criteria-set identities, every record); then a preview
(new, updated, identical, conflicting, probable duplicates); then, unless it is a dry run, an automatic
backup and one atomic transaction; then an import log stored in the project. Records are matched by
UUID and natural key; scores merge by their revision chains (see ``services.conflicts``): importing the
same package twice changes nothing, and packages give the same project in any order; decisions on
conflicts that a package brings supersede the same heads here as there. A unit created on two
laptops (same code, another UUID) is skipped as a probable duplicate unless ``merge_duplicates`` maps it
onto the project's unit; the merge is remembered in ``unit_alias`` for that laptop's later packages.
A criteria set the project lacks is added only when the import accepts new sets (``accept_sets``) or the
package is signed by the project's trust list; the report lists each new set either way.

The committee's *handout* (``services.handout``) is the same format marked ``"purpose": "handout"``: a
team's laptop starts its copy from it (the committee's project id), and later handouts merge into that
copy by the same rules, their document settings replacing the copy's.
"""

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from evaluator.models import ASSESSMENT_STATUSES, Assessment, Period, Project
from evaluator.services.changes import Change
from evaluator.services.exchange import merge as _merge
from evaluator.services.exchange.export import ExportReport, export_package
from evaluator.services.exchange.identity import (
    TRUST_SETTING,
    device_in,
    set_trust,
    this_device,
    trust_setting,
)
from evaluator.services.exchange.merge import bulk_insert
from evaluator.services.exchange.reading import read_packages
from evaluator.services.exchange.report import PackageImportReport
from evaluator.services.progress import Progress, no_progress


def import_packages(project: Project, paths: Sequence[Path | str], *, dry_run: bool = False, author: str = "",
                    trust_files: Sequence[Path | str] = (), merge_duplicates: bool = False,
                    accept_sets: bool = False, backup: bool = True,
                    progress: Progress = no_progress) -> PackageImportReport:
    """``merge.import_packages`` (see there), its report carrying the ``Change`` it made."""
    report = _merge.import_packages(project, paths, dry_run=dry_run, author=author, trust_files=trust_files,
                                    merge_duplicates=merge_duplicates, accept_sets=accept_sets,
                                    backup=backup, progress=progress)
    if not report.dry_run and report.changed:
        report.change = package_change(project, report)
    return report


def package_change(project: Project, report: PackageImportReport) -> Change:
    """What a committed package import changed, from its report (read after the merge committed; the
    merge does not keep the ids it touched): every assessment of the years the packages bring — new
    units, revisions and decisions may be anywhere in them —, units and the audit log."""
    query = select(Assessment.id).join(Period, Period.id == Assessment.period_id)
    if report.years:
        query = query.where(Period.year.in_(report.years))
    with project.session() as session:
        ids = set(session.scalars(query))
    return Change(assessments=ids, units=True, audit=True, years=set(report.years))


STATES = ASSESSMENT_STATUSES
"""The assessment statuses a package may carry: the models' list (kept under this name for callers)."""

__all__ = [
    "STATES",
    "TRUST_SETTING",
    "ExportReport",
    "PackageImportReport",
    "bulk_insert",
    "device_in",
    "export_package",
    "import_packages",
    "package_change",
    "read_packages",
    "set_trust",
    "this_device",
    "trust_setting",
]
