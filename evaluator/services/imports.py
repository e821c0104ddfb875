"""Which importer takes which files — one dispatch for the CLI (``evaluator import``, ``verify``) and the
GUI's import centre and Verify dialog, so both faces refuse and accept the same things."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

from evaluator.errors import UserError
from evaluator.exchange.volumes import is_volume_name
from evaluator.messages import Message
from evaluator.models import Project
from evaluator.services.changes import Change
from evaluator.services.progress import Progress, no_progress

if TYPE_CHECKING:
    from evaluator.services.exchange.report import PackageImportReport
    from evaluator.services.external_import import ExternalReport
    from evaluator.services.survey_import import SurveyReport
    from evaluator.services.workbook_import import ImportReport


class ImportLog(Protocol):
    """What every import returns (Anki's ``ImportLogWithChanges``): the report for people and the
    ``Change`` it made for the views (empty for a preview, or when nothing was new)."""

    dry_run: bool
    change: Change

    def render(self) -> str: ...

    def summary(self) -> dict[str, Any]: ...


FilesResult: TypeAlias = "PackageImportReport | ImportReport"
SheetResult: TypeAlias = "SurveyReport | ExternalReport"
ImportResult: TypeAlias = "PackageImportReport | ImportReport | SurveyReport | ExternalReport"


def is_team_package(path: Path | str) -> bool:
    """A team package (.cchc): by name, or by content (a zip) whatever it is called."""
    if str(path).lower().endswith(".cchc") or is_volume_name(path):
        return True
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def one_per_package(files: Sequence[Path]) -> list[Path]:
    """The files, a package split in volumes once (by its first volume given: any volume reads all)."""
    seen: set[Path] = set()
    kept: list[Path] = []
    for f in files:
        key = f.with_name(f.name[:-4]) if is_volume_name(f) else f
        if key not in seen:
            seen.add(key)
            kept.append(f)
    return kept


def import_files(project: Project, paths: Sequence[Path | str], *, dry_run: bool = False, author: str = "",
                 trust_files: Sequence[Path | str] = (), merge_duplicates: bool = False,
                 accept_sets: bool = False, progress: Progress = no_progress) -> FilesResult:
    """Team packages (``exchange.import_packages``) or consolidated workbooks
    (``workbook_import.import_workbooks``): one kind per run, each run all-or-nothing.
    ``merge_duplicates``: merge units created on two laptops (packages only). ``progress``: see
    ``services.progress`` (raising from it cancels, and nothing is written). ``accept_sets``: packages may
    add criteria sets the project lacks (packages only)."""
    files = [Path(p) for p in paths]
    packages = one_per_package([f for f in files if f.suffix.lower() == ".cchc" or is_volume_name(f)])
    if packages and len(packages) != len(one_per_package(files)):
        raise UserError("import.mixed_kinds")
    if trust_files and not packages:
        raise UserError("import.trust_needs_package")
    if merge_duplicates and not packages:
        raise UserError("import.merge_needs_package")
    if accept_sets and not packages:
        raise UserError("handout.accept_needs_package")
    if packages:
        from evaluator.services.exchange import import_packages

        return import_packages(project, packages, dry_run=dry_run, author=author, trust_files=trust_files,
                               merge_duplicates=merge_duplicates, accept_sets=accept_sets,
                               progress=progress)
    from evaluator.services.workbook_import import import_workbooks

    return import_workbooks(project, files, dry_run=dry_run, author=author, progress=progress)


def import_sheet(project: Project, kind: str, paths: Sequence[Path | str], *, year: int, stage: str,
                 dry_run: bool = False, author: str = "", progress: Progress = no_progress) -> SheetResult:
    """Survey answers (``survey_import``) or external indices (``external_import``) from one workbook."""
    if len(paths) != 1:
        named = Message("import.kind_survey" if kind == "survey" else "import.kind_external")
        raise UserError("import.one_workbook", kind=named, count=len(paths))
    if kind == "survey":
        from evaluator.services.survey_import import import_survey

        return import_survey(project, paths[0], year=year, dry_run=dry_run, author=author, progress=progress)
    from evaluator.services.external_import import import_external

    return import_external(project, paths[0], year=year, stage=stage, dry_run=dry_run, author=author,
                           progress=progress)


def report_changed(report: Any) -> bool:
    """Whether an import (preview) brings anything new (workbook reports have no ``changed``; survey and
    external reports count their leaves by status)."""
    changed = getattr(report, "changed", None)
    if changed is not None:
        return bool(changed)
    count = getattr(report, "count", None)
    if callable(count):
        return bool(count("new") or count("updated"))
    return any(
        getattr(report, name, 0) for name in ("units_new", "assessments_new", "scores_new", "scores_updated")
    )
