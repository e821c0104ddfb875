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
"""

from evaluator.models import ASSESSMENT_STATUSES
from evaluator.services.exchange.export import ExportReport, export_package
from evaluator.services.exchange.identity import (
    TRUST_SETTING,
    device_in,
    set_trust,
    this_device,
    trust_setting,
)
from evaluator.services.exchange.merge import bulk_insert, import_packages
from evaluator.services.exchange.reading import read_packages
from evaluator.services.exchange.report import PackageImportReport

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
    "read_packages",
    "set_trust",
    "this_device",
    "trust_setting",
]
