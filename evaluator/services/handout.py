"""Copies for the teams (issue 12): the committee hands its project out as a package (a *handout*, the
same ``.cchc`` format as team packages), and a team's laptop starts its own copy from it.

A copy keeps the committee's project id, so the team's packages later import at the committee without the
"belongs to another project" refusal; later handouts (new units, the council's decisions, new document
settings) import into the copy with the ordinary merge rules (``exchange.import_packages``), their
document settings replacing the copy's own.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.exchange.package import PackageError, open_package
from evaluator.fields import FieldError, check_text
from evaluator.messages import Message
from evaluator.models import Project, ProjectInfo, Setting, Unit
from evaluator.services import audit
from evaluator.services.exchange import import_packages
from evaluator.services.exchange.export import ExportReport, Handout, export_package
from evaluator.services.exchange.merge.settings import TEAM_COPY_SETTING
from evaluator.services.exchange.reading import PURPOSE_HANDOUT
from evaluator.services.exchange.report import PackageImportReport
from evaluator.services.progress import Progress, no_progress
from evaluator.services.report_setup import DISTRICTS, MEETINGS, UNIT_TEXT_KEYS, report_setup
from evaluator.services.report_setup import SETTING as REPORTS_SETTING
from evaluator.services.team_scope import Scope
from evaluator.services.teams import record_handout, team_scope

ACTION_COPY = "handout.copy"
"""Audit action: this project was made from a handout."""


def export_handout(project: Project, out: Path | str, *, years: Sequence[int] | None = None,
                   units: Sequence[str] | None = None, team: str = "", author: str = "",
                   signer: Any = None, progress: Progress = no_progress,
                   district: str | None = None) -> ExportReport:
    """Write a handout for a team: the criteria sets and periods of ``years`` (default: all), the units
    ``units`` (default: all) and what is already scored for them (every stage, with evidence, history and
    decisions), and the document settings (the per-unit parts for those units only).

    ``district``: a district's council (years with districts) — the district and its communes, added to
    ``units``; its copy appraises the communes and sends them back in a team package like any team's."""
    try:
        check_text(team, "author")  # a team is named like the people in it
    except FieldError as exc:
        raise UserError("handout.team_refused", team=f"{team[:40]!r}", error=exc.message) from None
    with project.session() as session:
        setup = report_setup(session)
        scope = team_scope(session, team.strip()) if team.strip() else None
        if district:
            units = [*(units or []), *district_units(session, district)]
    if scope is not None and not units and scope.units:  # a team of some units gets those by default
        units = list(scope.units)
    if units:
        chosen = set(units)
        # another team's units (and districts) are not this team's business
        for key in ("representatives", *UNIT_TEXT_KEYS, MEETINGS, DISTRICTS):
            setup[key] = {code: v for code, v in setup[key].items() if code in chosen}
    report = export_package(project, out, years=years, units=units, author=author, signer=signer,
                            handout=Handout(team, {REPORTS_SETTING: setup},
                                            None if scope is None else scope.to_json()),
                            progress=progress)
    if scope is not None:  # the copy's packages name this handout: the committee finds the team by it
        with project.session(write=True) as session:
            record_handout(session, scope.team, report.package_id)
    report.scope = scope
    return report


def district_units(session: Session, district: str) -> list[str]:
    """The district ``district`` and its communes (units whose parent it is), by code."""
    kind = session.scalars(select(Unit.kind).where(Unit.code == district)).first()
    if kind != "district":
        known = sorted(session.scalars(select(Unit.code).where(Unit.kind == "district")))
        raise UserError("handout.not_a_district", code=district,
                        districts=", ".join(known) or Message("common.none"))
    children = session.scalars(select(Unit.code).where(Unit.parent_code == district).order_by(Unit.code))
    return [district, *children]


def team_copy(project: Project) -> dict[str, Any] | None:
    """What the project records of the handout it was made from (None: not a team copy)."""
    value = project.get_setting(TEAM_COPY_SETTING)
    return value if isinstance(value, dict) else None


@dataclass
class HandoutCopy:
    path: Path
    team: str
    committee: str
    """The committee's project name."""
    report: PackageImportReport


def create_from_handout(db: Path | str, package: Path | str, *, author: str = "",
                        trust_files: Sequence[Path | str] = (),
                        progress: Progress = no_progress) -> HandoutCopy:
    """Create the project ``db`` from a handout: the committee's project id, name and province, and the
    handout imported (its criteria sets accepted: making a copy from a handout is that choice). All or
    nothing: when anything is refused no project file is left behind. Returns the copy (closed)."""
    target = Path(db)
    if target.exists():
        raise UserError("projects.exists", target=target)
    manifest = _handout_manifest(Path(package))
    from evaluator.services.projects import create_project

    evidence = target.with_suffix(".evidence")
    evidence_existed = evidence.exists()
    project = create_project(target, [], name=manifest["project_name"])
    try:
        project_id = uuid.UUID(manifest["project_id"])
        team = manifest.get("team", "")
        with project.session(write=True) as session:
            session.execute(update(ProjectInfo).values(id=project_id, province=manifest["province"]))
            value = {"team": team, "project_id": str(project_id), "committee": manifest["project_name"],
                     "package_id": manifest["package_id"]}
            if manifest.get("team_scope") is not None:  # checked by _handout_manifest
                value["scope"] = manifest["team_scope"]
            session.merge(Setting(key=TEAM_COPY_SETTING, value=value))
            audit.record(session, ACTION_COPY, author=author, new=value)
        report = import_packages(project, [package], author=author, trust_files=trust_files,
                                 accept_sets=True, backup=False, progress=progress)
    except BaseException:
        project.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if not evidence_existed:
            shutil.rmtree(evidence, ignore_errors=True)
        raise
    project.close()
    return HandoutCopy(target, team, manifest["project_name"], report)


def is_handout(path: Path | str) -> bool:
    """Whether ``path`` is a committee's handout (False for a team package or a file that is not one):
    the GUI offers to start a team copy from a package double-clicked with no project open."""
    try:
        _handout_manifest(Path(path))
    except UserError:
        return False
    return True


def _handout_manifest(path: Path) -> dict[str, Any]:
    """The manifest of ``path`` when it is a handout (a ``UserError`` naming the file otherwise)."""
    try:
        package = open_package(path)
    except PackageError as exc:
        raise UserError.from_error(exc) from exc
    try:
        manifest = package.manifest
    finally:
        package.close()
    if manifest.get("purpose") != PURPOSE_HANDOUT:
        raise UserError("handout.not_handout", label=path.name)
    try:  # the import checks the rest; these go into the project row first
        uuid.UUID(manifest["project_id"])
        for key, rule in (("project_name", "project.name"), ("province", "project.province"),
                          ("team", "author")):
            manifest[key] = check_text(manifest.get(key, ""), rule)
        if "team_scope" in manifest:
            manifest["team_scope"] = Scope.from_json(manifest["team_scope"]).to_json()
    except (FieldError, ValueError) as exc:
        raise UserError("handout.bad_manifest", label=path.name, error=getattr(exc, "message", exc)) from None
    return manifest


__all__ = ["ACTION_COPY", "TEAM_COPY_SETTING", "HandoutCopy", "create_from_handout",
           "export_handout", "is_handout", "team_copy"]
