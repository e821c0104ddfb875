"""Criteria sets inside a project: stored once as loaded (canonical document + SHA-256), read back
exactly, never re-read from the file a set came from."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.fields import year_pair_problem
from evaluator.frameworks.files import load_framework, text_problems
from evaluator.frameworks.loader import FrameworkInvalid, Problem
from evaluator.frameworks.model import Framework
from evaluator.frameworks.registry import bundled_for_year
from evaluator.messages import labels
from evaluator.models import Assessment, CriteriaSet, rebuild_framework
from evaluator.services import audit
from evaluator.services.changes import Change

IMPORT_ACTION = "framework.import"


class Actor(Protocol):
    """Who acts (``services.users.Actor``; not imported: users -> scores -> frameworks would be a loop)."""

    @property
    def author(self) -> str: ...

    @property
    def role(self) -> str: ...

    @property
    def device_id(self) -> str: ...


def store_framework(session: Session, fw: Framework) -> CriteriaSet:
    """The stored row for ``fw``, inserting it when new. A different set under the same code and version
    is refused: a changed set must get a new version, so old assessments are never re-scored silently."""
    row = session.scalars(select(CriteriaSet).where(CriteriaSet.code == fw.code,
                                                    CriteriaSet.version == fw.version)).first()
    if row is not None:
        if row.sha256 != fw.sha256:
            raise UserError("frameworks.fingerprint", identity=fw.identity, stored=row.sha256[:12],
                            given=fw.sha256[:12])
        return row
    row = CriteriaSet.from_framework(fw)
    session.add(row)
    session.flush()
    return row


def store_bundled(session: Session, year: int) -> list[CriteriaSet]:
    sets = bundled_for_year(year)
    if not sets:
        raise UserError("frameworks.none_bundled", year=year)
    return [store_framework(session, fw) for fw in sets]


# --- the province's own sets ------------------------------------------------------------------------
@dataclass(frozen=True)
class SetFile:
    """A criteria set read from a file, and whether importing it added it to the project."""

    path: Path
    framework: Framework
    new: bool = True


def read_sets(paths: Iterable[Path | str]) -> list[SetFile]:
    """Every file read and checked before anything is stored: one ``FrameworkInvalid`` listing every
    problem of every file (file, sheet, row, node, field), or the sets. The same set given twice is kept
    once; the same code and version with other content in two files is refused."""
    problems: list[Problem] = []
    found: list[SetFile] = []
    by_identity: dict[str, SetFile] = {}
    for raw in paths:
        path = Path(raw)
        try:
            fw = load_framework(path)
        except FrameworkInvalid as exc:
            problems.extend(exc.problems)
            continue
        found_text = text_problems(fw, str(path))
        if found_text:
            problems.extend(found_text)
            continue
        earlier = by_identity.get(fw.identity)
        if earlier is not None:
            if earlier.framework.sha256 != fw.sha256:
                raise UserError("frameworks.two_files_one_identity", identity=fw.identity,
                                first=earlier.path, second=path)
            continue
        by_identity[fw.identity] = SetFile(path, fw)
        found.append(by_identity[fw.identity])
    if problems:
        raise FrameworkInvalid(problems)
    return found


def import_sets(session: Session, sets: Sequence[SetFile], actor: Actor,
                period_years: Iterable[int] = ()) -> tuple[Change, list[SetFile]]:
    """Store checked sets in the project (in the caller's transaction: all or nothing). A set already in
    the project is reported (``new=False``), not an error; the same code and version with other content
    is refused (``store_framework``). ``period_years``: years the sets must serve (a new project's), each
    set's year checked against them as the team packages and workbooks are."""
    years = set(period_years)
    for item in sets:
        for year in sorted(years):
            if year_pair_problem(year, item.framework.year) is not None:
                raise UserError("frameworks.set_for_other_year", file=item.path.name,
                                identity=item.framework.identity, set_year=item.framework.year, year=year)
    done: list[SetFile] = []
    change = Change()
    for item in sets:
        fw = item.framework
        known = session.scalars(select(CriteriaSet.id).where(CriteriaSet.code == fw.code,
                                                             CriteriaSet.version == fw.version)).first()
        store_framework(session, fw)  # refuses other content under a stored code and version
        if known is not None:
            done.append(SetFile(item.path, fw, new=False))
            continue
        audit.record(session, IMPORT_ACTION, author=actor.author, role=actor.role, device_id=actor.device_id,
                     new={"code": fw.code, "version": fw.version, "year": fw.year, "sha256": fw.sha256,
                          "file": item.path.name})
        done.append(item)
        change.frameworks = change.audit = True
        change.years.add(fw.year)
    return change, done


@dataclass(frozen=True)
class StoredSet:
    """A row of ``evaluator framework list --db``."""

    framework: Framework
    assessments: int

    def to_json(self) -> dict[str, object]:
        fw = self.framework
        return {"code": fw.code, "version": fw.version, "year": fw.year, "title": fw.title,
                "unit_kinds": list(fw.unit_kinds), "sha256": fw.sha256, "assessments": self.assessments,
                "kind_labels": {k: {"label": vi, "label_en": en} for k, (vi, en) in fw.kind_labels.items()}}


def list_sets(session: Session, year: int | None = None) -> list[StoredSet]:
    """The project's sets (of ``year``, or all), by year, code and version, each with how many assessments
    use it."""
    query = select(CriteriaSet).order_by(CriteriaSet.year, CriteriaSet.code, CriteriaSet.version)
    if year is not None:
        query = query.where(CriteriaSet.year == year)
    counts = dict(session.execute(select(Assessment.criteria_set_id, func.count())
                                  .group_by(Assessment.criteria_set_id)).all())
    return [StoredSet(framework_of(row), counts.get(row.id, 0)) for row in session.scalars(query)]


@lru_cache(maxsize=64)
def _rebuild(document: str, sha256: str, label: str) -> Framework:
    return rebuild_framework(document, sha256, source=label)


def framework_of(row: CriteriaSet) -> Framework:
    """The ``Framework`` of a stored set (parsed once per process, checked against its SHA-256)."""
    return _rebuild(row.document, row.sha256, f"criteria set {row.identity} in the project")


def frameworks_for_year(session: Session, year: int) -> dict[uuid.UUID, Framework]:
    rows = session.scalars(select(CriteriaSet).where(CriteriaSet.year == year)).all()
    return {r.id: framework_of(r) for r in rows}


def framework_for_kind(session: Session, year: int, kind: str) -> CriteriaSet:
    """The project's set for a unit kind and year (the newest version if several)."""
    rows = session.scalars(select(CriteriaSet).where(CriteriaSet.year == year)
                           .order_by(CriteriaSet.version.desc())).all()
    for row in rows:
        if kind in framework_of(row).unit_kinds:
            return row
    raise UserError("frameworks.no_set_for_kind", kind=labels.kind(kind), year=year)

