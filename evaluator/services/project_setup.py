"""A new project with its units in one call (the new-project wizard, ``evaluator init --units``).

``set_up_project`` makes the project (``projects.create_project``: sets, periods, document settings) and
imports the province's unit list (``unit_sheets.import_units``) with the year's assessments, all or
nothing: a list that is refused — or anything that fails after the project file was made — leaves no
project file, no evidence folder and no backup behind, so a corrected retry is not refused as "exists".
No backup is taken before the units: there is nothing yet that one could bring back.

``check_unit_list`` is the same import as a dry run on an empty in-memory project with the year and sets
chosen: what the wizard shows before anything is made.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evaluator.frameworks.model import Framework
from evaluator.models import Project
from evaluator.services.frameworks import SetFile
from evaluator.services.projects import create_project
from evaluator.services.unit_sheets import UnitImportReport, import_units


@dataclass
class ProjectSetUp:
    project: Project
    """Open: the caller closes it."""
    units: UnitImportReport | None = None
    """What the unit list added (None: no list given)."""


def set_up_project(db: str | Path, year: int, *, name: str = "", province: str = "",
                   sets: Sequence[Framework | SetFile] | None = None, bundled: bool | None = None,
                   report_setup: dict[str, Any] | None = None, units: Path | str | None = None,
                   author: str = "", role: str = "", device_id: str = "") -> ProjectSetUp:
    """``create_project(db, [year], …)`` then, with ``units``, the unit list with each unit's assessment
    of ``year`` (audited as ``author``/``role``). All or nothing (see the module's text); ``UserError``
    with every problem of the list (file, sheet, row, column)."""
    target = Path(db) if "://" not in str(db) else None
    evidence = target.with_suffix(".evidence") if target is not None else None
    evidence_was_there = evidence is not None and evidence.exists()
    project = create_project(db, [year], name=name, province=province, sets=sets, bundled=bundled,
                             report_setup=report_setup, author=author, role=role, device_id=device_id)
    if units is None:
        return ProjectSetUp(project)
    try:
        report = import_units(project, Path(units), author=author, role=role or "committee", year=year,
                              backup=False)
    except BaseException:
        project.close()
        if target is not None:  # a server database has no file to remove: its project row stays
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
            if evidence is not None and not evidence_was_there and evidence.is_dir():
                shutil.rmtree(evidence, ignore_errors=True)
        raise
    return ProjectSetUp(project, report)


def check_unit_list(path: Path | str, year: int, sets: Sequence[Framework]) -> UnitImportReport:
    """The unit list's import as a dry run against an empty in-memory project holding only ``sets`` for
    ``year``: every problem (``UserError``) or what the import would add. Nothing is written anywhere."""
    project = create_project("sqlite://", [year], sets=list(sets), bundled=False)
    try:
        return import_units(project, Path(path), year=year, dry_run=True)
    finally:
        project.close()
