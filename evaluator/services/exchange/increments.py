"""Incremental team packages (issue 17): ``export --since-last`` writes only what this project file has not
carried in a package before, and names in its signed manifest the packages it builds on (``builds_on``);
the committee takes it only once it has imported each of them (or takes them in the same run).

What "new" means does not depend on any clock: every package written records which records it carried
first (``models.increment_schema``): score revisions, evidence records, audit events, resolved conflicts and
confirmations of carried evidence. Units, periods, criteria sets and assessments are small and always
travel whole (the merge finds them identical). A chain starts again after a full package of the whole
project (every assessment it holds): an incremental names every package since that one, that one
included, so the committee lacking any of them is told which."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from evaluator.errors import Problems
from evaluator.exchange.chain import Predecessor
from evaluator.exchange.package import sha256_hex
from evaluator.messages import Message
from evaluator.models import RECORD_KINDS, ExportedRecord, PackageExport, PackageImport


# --- the exporting side -----------------------------------------------------------------------------
def chain_of(session: Session) -> list[PackageExport]:
    """The packages a new incremental builds on: every package since the last full package of the whole
    project, that one included (all of them when there is none); [] when this file exported nothing."""
    rows = list(session.scalars(select(PackageExport).order_by(PackageExport.created_at, PackageExport.id)))
    start = max((i for i, r in enumerate(rows) if r.whole), default=0)
    return rows[start:]


def last_export(session: Session) -> PackageExport | None:
    """The latest package this file wrote (None: none yet); the GUI says what a new one builds on."""
    return session.scalars(select(PackageExport).order_by(PackageExport.created_at.desc(),
                                                          PackageExport.id.desc())).first()


def last_described(session: Session) -> Message | None:
    """The latest package this file wrote, described (file, id, date, who), or None: the export dialog
    says what "only what is new" builds on."""
    from evaluator.models.audit_chain import local_device

    row = last_export(session)
    if row is None:
        return None
    return Predecessor(str(row.package_id), row.manifest_sha256, row.created_at.isoformat(), row.author,
                       local_device(session.connection()), "", row.file_name).describe()


def carried_query(kind: str) -> Any:
    """The ids of the records of ``kind`` some package carried already (a subquery)."""
    return select(ExportedRecord.record_id).where(ExportedRecord.kind == kind)


def exported_ids(session: Session, kinds: Sequence[str] = RECORD_KINDS) -> dict[str, set[uuid.UUID]]:
    """Kind → the ids of the records (of ``kinds``) some package of this file carried already."""
    found: dict[str, set[uuid.UUID]] = {k: set() for k in RECORD_KINDS}
    for kind, rid in session.execute(select(ExportedRecord.kind, ExportedRecord.record_id)
                                     .where(ExportedRecord.kind.in_(list(kinds)))):
        found.setdefault(kind, set()).add(rid)
    return found


def predecessors(chain: Sequence[PackageExport], device_id: str, team: str) -> list[dict[str, str]]:
    return [Predecessor(str(r.package_id), r.manifest_sha256, r.created_at.isoformat(), r.author, device_id,
                        team, r.file_name).to_json() for r in chain]


def record_export(session: Session, *, package_id: str, manifest: bytes, file_name: str, author: str,
                  created: datetime, full: bool, whole: bool, builds_on: Sequence[str],
                  carried: dict[str, Iterable[uuid.UUID]],
                  known: dict[str, set[uuid.UUID]] | None = None) -> None:
    """Remember a written package and the records it carried that no package of this file carried before
    (in ``session``, committed by the caller)."""
    row = PackageExport(package_id=uuid.UUID(package_id), manifest_sha256=sha256_hex(manifest),
                        created_at=created, file_name=file_name[:1000], author=author, full=full,
                        whole=whole, builds_on=list(builds_on))
    session.add(row)
    session.flush()
    have = exported_ids(session) if known is None else known  # an incremental's: what it left out
    rows = [{"kind": kind, "record_id": rid, "export_id": row.id}
            for kind, ids in carried.items() for rid in sorted(set(ids) - have.get(kind, set()))]
    for start in range(0, len(rows), 20_000):
        session.execute(insert(ExportedRecord), rows[start:start + 20_000])


# --- the importing side -----------------------------------------------------------------------------
LISTED = 10
"""Missing predecessors named one by one (then a count)."""


def check_chains(session: Session, incoming: Sequence[Any], problems: Problems) -> None:
    """Refuse every incremental package whose predecessors the project has not imported and this run does
    not bring (taken in the run only when they are themselves taken: a cycle is never taken). A package
    imported before (``already``) was checked then."""
    imported = {(str(pid), sha) for pid, sha in session.execute(
        select(PackageImport.package_id, PackageImport.manifest_sha256))}
    batch = {(str(uuid.UUID(i.package.manifest["package_id"])), i.package.manifest_sha256): i
             for i in incoming}
    state: dict[tuple[str, str], bool] = {}

    def takes(key: tuple[str, str], path: set[tuple[str, str]]) -> bool:
        """Whether the package ``key`` of this run can be taken (its predecessors all can)."""
        if key in state:
            return state[key]
        if key in path:
            return False  # a cycle: none of its packages ever had all of its predecessors
        inc = batch[key]
        path.add(key)
        ok = all(p in imported or (p in batch and takes(p, path))
                 for p in ((q.package_id, q.manifest_sha256) for q in inc.builds_on))
        path.discard(key)
        state[key] = ok
        return ok

    for key, inc in batch.items():
        if inc.already or not inc.builds_on or takes(key, set()):
            continue
        missing = [p for p in inc.builds_on if (p.package_id, p.manifest_sha256) not in imported
                   and not ((p.package_id, p.manifest_sha256) in batch and state.get((p.package_id,
                                                                                     p.manifest_sha256)))]
        # what is imported here but lacks its own predecessors is named by its own line
        for p in missing[:LISTED]:
            problems.add("increments.missing", label=inc.label, package=p.describe())
        if len(missing) > LISTED:
            problems.add("increments.missing_more", label=inc.label, count=len(missing) - LISTED)
