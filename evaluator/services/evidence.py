"""Evidence (tài liệu kiểm chứng) attached to a leaf: the bytes go to the project's content-addressed
store, a row to the ``evidence`` table, an event to the audit log. The same file attached twice to the
same leaf is stored and listed once.

A file's name is a display name only: a name added here (file dialog, drag and drop) is stored as
``fields.safe_file_name`` of the original, and the one path built from a name (``named_copy``) goes
through the store, which keeps it inside its folder. References and reasons obey ``fields.check_text``."""

from __future__ import annotations

import mimetypes
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.fields import safe_file_name
from evaluator.messages import Message
from evaluator.models import Assessment, Evidence, EvidenceError, EvidenceStore, hash_file
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.frameworks import framework_of
from evaluator.services.scores import checked_text, leaf_of

PREVIEWABLE_IMAGES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".webp")


@dataclass(frozen=True)
class EvidenceInfo:
    id: uuid.UUID
    criterion_code: str
    stage: str | None
    sha256: str
    file_name: str
    size: int
    media_type: str
    reference: str
    added_by: str
    added_at: datetime
    carried_from: int | None = None
    """The year this file was carried from (``new-year --carry-evidence``); None: added in its year."""
    carry_pending: bool = False
    """Carried and not confirmed yet: not this year's evidence (``evidence_required``) until confirmed."""

    @property
    def kind(self) -> str:
        """``pdf``, ``image`` or ``other`` — what the app can preview."""
        name = self.file_name.lower()
        if self.media_type == "application/pdf" or name.endswith(".pdf"):
            return "pdf"
        if self.media_type.startswith("image/") or name.endswith(PREVIEWABLE_IMAGES):
            return "image"
        return "other"


@dataclass(frozen=True)
class Attached:
    evidence: EvidenceInfo
    duplicate: bool
    """True when this leaf already had this file (nothing was added)."""
    change: Change


def _info(e: Evidence) -> EvidenceInfo:
    return EvidenceInfo(
        e.id,
        e.criterion_code,
        e.stage,
        e.sha256,
        e.file_name,
        e.size,
        e.media_type,
        e.reference,
        e.added_by,
        e.added_at,
        e.carried_from,
        bool(e.carry_pending),
    )


def list_evidence(session: Session, assessment_id: uuid.UUID, leaf: str | None = None) -> list[EvidenceInfo]:
    q = select(Evidence).where(Evidence.assessment_id == assessment_id)
    if leaf is not None:
        q = q.where(Evidence.criterion_code == leaf)
    return [_info(e) for e in session.scalars(q.order_by(Evidence.criterion_code, Evidence.added_at))]


def attach(
    session: Session,
    store: EvidenceStore,
    assessment_id: uuid.UUID,
    leaf: str,
    source: Path | str,
    *,
    stage: str | None = None,
    reference: str = "",
    author: str = "",
    role: str = "",
    device_id: str = "",
) -> Attached:
    """Attach the file at ``source`` to a leaf (listed under ``safe_file_name`` of its name)."""
    source = Path(source)
    name = safe_file_name(source.name)
    reference = checked_text(reference, "reference", Message("scores.place_evidence", {"name": name}))
    if not source.is_file():
        raise UserError("scores.not_a_file", path=source)
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise UserError("scores.no_assessment", id=assessment_id)
    leaf_of(framework_of(assessment.criteria_set), assessment.unit.kind, leaf)
    sha, _size = hash_file(source)
    existing = session.scalars(
        select(Evidence).where(
            Evidence.assessment_id == assessment_id, Evidence.criterion_code == leaf, Evidence.sha256 == sha
        )
    ).first()
    if existing is not None:
        if not store.verify(sha):  # a damaged or lost copy: store the bytes again
            store.put(source, name)
        if existing.carry_pending:  # attaching last year's file again says it is this year's evidence
            return Attached(_info(existing), True, confirm_evidence(session, existing.id, author=author,
                                                                    role=role, device_id=device_id))
        return Attached(_info(existing), True, Change())
    sha, size = store.put(source, name)
    media = mimetypes.guess_type(name)[0] or "application/octet-stream"
    row = Evidence(
        assessment_id=assessment_id,
        criterion_code=leaf,
        stage=stage,
        sha256=sha,
        file_name=name,
        size=size,
        media_type=media,
        reference=reference,
        added_by=author,
    )
    session.add(row)
    session.flush()
    audit.record(session, "evidence.add", author=author, role=role, device_id=device_id,
                 assessment_id=assessment_id, criterion_code=leaf, stage=stage, old=None,
                 new={"file_name": name, "sha256": sha, "size": size, "reference": reference})
    return Attached(
        _info(row),
        False,
        Change(
            assessments={assessment_id},
            leaves={(assessment_id, leaf)},
            audit=True,
            years={assessment.period.year},
        ),
    )


def set_reference(
    session: Session,
    evidence_id: uuid.UUID,
    reference: str,
    *,
    author: str = "",
    role: str = "",
    device_id: str = "",
) -> Change:
    """Change the page/section reference of an attached file (audited)."""
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise UserError("scores.no_evidence", id=evidence_id)
    place = Message("scores.place_evidence", {"name": repr(row.file_name)})
    reference = checked_text(reference, "reference", place)
    old = row.reference
    row.reference = reference
    audit.record(session, "evidence.reference", author=author, role=role, device_id=device_id,
                 assessment_id=row.assessment_id, criterion_code=row.criterion_code, stage=row.stage,
                 old={"reference": old}, new={"reference": reference})
    return Change(
        assessments={row.assessment_id}, leaves={(row.assessment_id, row.criterion_code)}, audit=True
    )


def remove(
    session: Session,
    evidence_id: uuid.UUID,
    *,
    author: str = "",
    role: str = "",
    device_id: str = "",
    reason: str = "",
) -> Change:
    """Detach a file from a leaf (the bytes stay in the store: other leaves or history may use them)."""
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise UserError("scores.no_evidence", id=evidence_id)
    reason = checked_text(reason, "reason", Message("scores.place_evidence", {"name": repr(row.file_name)}))
    a_id, code = row.assessment_id, row.criterion_code
    audit.record(session, "evidence.remove", author=author, role=role, device_id=device_id,
                 assessment_id=a_id, criterion_code=code, stage=row.stage,
                 old={"file_name": row.file_name, "sha256": row.sha256, "size": row.size}, new=None,
                 reason=reason)
    session.delete(row)
    return Change(assessments={a_id}, leaves={(a_id, code)}, audit=True)


def confirm_evidence(
    session: Session,
    evidence_id: uuid.UUID,
    *,
    author: str = "",
    role: str = "",
    device_id: str = "",
) -> Change:
    """Confirm a file carried from last year as this year's evidence (audited): from now on it counts for
    ``evidence_required``. A file that is not waiting for confirmation is refused."""
    row = session.get(Evidence, evidence_id)
    if row is None:
        raise UserError("scores.no_evidence", id=evidence_id)
    if not row.carry_pending:
        raise UserError("yearly.not_pending", name=repr(row.file_name))
    row.carry_pending = False
    audit.record(session, "evidence.confirm", author=author, role=role, device_id=device_id,
                 assessment_id=row.assessment_id, criterion_code=row.criterion_code, stage=row.stage,
                 old={"carried_from": row.carried_from, "pending": True},
                 new={"file_name": row.file_name, "sha256": row.sha256, "pending": False})
    return Change(
        assessments={row.assessment_id}, leaves={(row.assessment_id, row.criterion_code)}, audit=True
    )


def find(session: Session, assessment_id: uuid.UUID, leaf: str, sha256: str) -> Evidence | None:
    """The row of a file attached to a leaf (a leaf lists a file once)."""
    return session.scalars(
        select(Evidence).where(Evidence.assessment_id == assessment_id, Evidence.criterion_code == leaf,
                               Evidence.sha256 == sha256)
    ).first()


def reattach(
    session: Session,
    store: EvidenceStore,
    assessment_id: uuid.UUID,
    leaf: str,
    sha256: str,
    file_name: str,
    *,
    stage: str | None = None,
    reference: str = "",
    author: str = "",
    role: str = "",
    device_id: str = "",
) -> Change:
    """Attach again a file the store still holds (the undo of a removal, the redo of an attachment): the
    same bytes, name and reference. The orphan sweep keeps every file an audit event names, so the bytes of
    a removed file are still there unless the store was damaged; then nothing is written."""
    if find(session, assessment_id, leaf, sha256) is not None:
        return Change()
    assessment = session.get(Assessment, assessment_id)
    if assessment is None:
        raise UserError("scores.no_assessment", id=assessment_id)
    if not store.verify(sha256):
        raise UserError("scores.evidence_missing", name=file_name, sha=sha256[:12], root=store.root)
    size = store.path(sha256).stat().st_size
    media = mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    row = Evidence(assessment_id=assessment_id, criterion_code=leaf, stage=stage, sha256=sha256,
                   file_name=file_name, size=size, media_type=media, reference=reference, added_by=author)
    session.add(row)
    session.flush()
    audit.record(session, "evidence.add", author=author, role=role, device_id=device_id,
                 assessment_id=assessment_id, criterion_code=leaf, stage=stage, old=None,
                 new={"file_name": file_name, "sha256": sha256, "size": size, "reference": reference})
    return Change(assessments={assessment_id}, leaves={(assessment_id, leaf)}, audit=True,
                  years={assessment.period.year})


def file_path(store: EvidenceStore, info: EvidenceInfo) -> Path:
    """Where the stored copy is (for previews and the system viewer); raises if it is missing."""
    path = store.path(info.sha256)
    if not path.is_file():
        raise UserError("scores.evidence_missing", name=info.file_name, sha=info.sha256[:12], root=store.root)
    return path


def named_copy(store: EvidenceStore, info: EvidenceInfo, folder: Path | str) -> Path:
    """A copy of an attached file under its (made safe) display name inside ``folder``, for the system
    viewer: the stored copy is named by its hash, a viewer needs the extension."""
    file_path(store, info)
    try:
        return store.named_copy(info.sha256, info.file_name, folder)
    except EvidenceError as exc:
        raise UserError.from_error(exc) from exc
