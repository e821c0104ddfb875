"""Tables for exchanging work between laptops (issue 5): devices, imported team packages, conflicts.

They live in their own module so that the core schema stays small; ``evaluator.models`` imports this
module, so the tables are part of ``Base.metadata`` (and of the Alembic head, migration 0003).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column, relationship

from evaluator.models.schema import Assessment, Base, JSONText, UTCDateTime, _id, _text, _time

CONFLICT_STATUSES: tuple[str, ...] = ("open", "resolved")


class Device(Base):
    """A laptop (more exactly: one project file on one computer) that wrote revisions.

    The row with ``local_key`` set is this computer's own device for this project file; the others
    were seen in imported packages.
    """

    __tablename__ = "device"

    id: Mapped[uuid.UUID] = _id()
    device_id: Mapped[str] = mapped_column(String(100), nullable=False, unique=True)
    """The id written into ``score.device_id`` / ``score_revision.device_id`` / ``audit_event.device_id``."""
    local_key: Mapped[str] = _text(500)
    """``host:path`` of the project file for this computer's own device; '' for devices seen in packages."""
    label: Mapped[str] = _text(200)
    """Who used it (the last package author) or the host name."""
    first_seen: Mapped[datetime] = _time()
    last_seen: Mapped[datetime] = _time()


class PackageImport(Base):
    """A team package (``.cchc``) that was imported (dry runs are not recorded)."""

    __tablename__ = "package_import"

    id: Mapped[uuid.UUID] = _id()
    package_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False)
    manifest_sha256: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    device_id: Mapped[str] = _text(100)
    author: Mapped[str] = _text(200)
    created_at: Mapped[datetime] = _time()
    """When the package was made (from its manifest)."""
    imported_at: Mapped[datetime] = _time()
    file_name: Mapped[str] = _text()
    signed_by: Mapped[str] = _text()
    """The signer's certificate subject when the package was signed, else ''."""
    import_log_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("import_log.id"))
    summary: Mapped[Any] = mapped_column(JSONText, nullable=True)


class Conflict(Base):
    """Two or more edits of the same leaf and stage that do not know each other.

    ``head_ids`` are the ids of the concurrent ``ScoreRevision`` rows (sorted); the id of an open
    conflict is derived from them (uuid5), so importing packages in any order gives the same conflicts.
    Resolving writes a new revision (``resolution_revision_id``) and sets ``status = 'resolved'``; the
    revisions named in ``head_ids`` are then superseded.
    """

    __tablename__ = "score_conflict"
    __table_args__ = (Index(None, "assessment_id", "criterion_code", "stage"),)

    id: Mapped[uuid.UUID] = _id()
    assessment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("assessment.id"), nullable=False)
    criterion_code: Mapped[str] = mapped_column(String(64), nullable=False)
    stage: Mapped[str] = mapped_column(String(32), nullable=False)
    head_ids: Mapped[Any] = mapped_column(JSONText, nullable=False)
    """Sorted list of the conflicting revision ids (strings)."""
    base_revision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    """The last revision every side knew (the merge base), if any."""
    status: Mapped[str] = mapped_column(String(16), nullable=False, default="open", server_default="open")
    detected_at: Mapped[datetime] = _time()
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by: Mapped[str] = _text(200)
    reason: Mapped[str] = _text()
    resolution_revision_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)

    assessment: Mapped[Assessment] = relationship()
