"""What this project file exported (issue 17): every team package written, and which records each carried
first, so that ``export --since-last`` writes only what is new and names the packages it builds on.

Own module (as ``exchange_schema``): ``evaluator.models`` imports it, so the tables are in
``Base.metadata`` (migration 0011)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from evaluator.models.schema import Base, JSONText, _id, _text, _time

RECORD_KINDS: tuple[str, ...] = ("revision", "evidence", "audit", "conflict", "confirm")
"""What ``ExportedRecord.kind`` names: a score revision, an evidence record, an audit event, a resolved
conflict, or the confirmation of a carried evidence record (``record_id``: the evidence id)."""


class PackageExport(Base):
    """A team package this project file wrote (handouts are not recorded: they start no chain)."""

    __tablename__ = "package_export"

    id: Mapped[uuid.UUID] = _id()
    package_id: Mapped[uuid.UUID] = mapped_column(Uuid, nullable=False, unique=True)
    manifest_sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = _time()
    file_name: Mapped[str] = _text()
    author: Mapped[str] = _text(200)
    full: Mapped[bool] = mapped_column(Boolean, nullable=False)
    """Everything of its scope (True), or only what was new since the packages it builds on."""
    whole: Mapped[bool] = mapped_column(Boolean, nullable=False)
    """Full and of every assessment of the project: a chain starts again after it."""
    builds_on: Mapped[Any] = mapped_column(JSONText, nullable=False)
    """The package ids (strings) an incremental package names as its predecessors; [] for a full one."""


class ExportedRecord(Base):
    """A record some package of this file carried already (the first package that did)."""

    __tablename__ = "exported_record"

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    record_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    export_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("package_export.id"), nullable=False)
