"""Criteria sets inside a project: stored once as loaded (canonical document + SHA-256), read back
exactly, never re-read from the file a set came from."""

from __future__ import annotations

import uuid
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import Framework
from evaluator.frameworks.registry import bundled_for_year
from evaluator.messages import labels
from evaluator.models import CriteriaSet, rebuild_framework


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
