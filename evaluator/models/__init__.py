"""Persistence: the project database (SQLAlchemy models, Alembic migrations) and the evidence store.

No Qt, no scoring: services build on ``open_project`` / ``Project.session()`` and the models below.
"""

from evaluator.models import audit_chain  # noqa: F401  (registers the hook that chains new audit events)
from evaluator.models.evidence_store import EvidenceError, EvidenceStore, hash_file
from evaluator.models.exchange_schema import CONFLICT_STATUSES, Conflict, Device, PackageImport
from evaluator.models.increment_schema import RECORD_KINDS, ExportedRecord, PackageExport
from evaluator.models.organisation_schema import Approval, StageReopening, StageSchedule, Submission
from evaluator.models.project import Project, alembic_config, backup_sqlite, head_revision, open_project
from evaluator.models.reorg_schema import PREDECESSOR_BASES, UnitPredecessor
from evaluator.models.schema import (
    ASSESSMENT_STATUSES,
    UNIT_KINDS,
    Assessment,
    AuditEvent,
    Base,
    CriteriaSet,
    CriteriaSetCorrupt,
    Evidence,
    ImportLog,
    Period,
    ProjectBusy,
    ProjectError,
    ProjectInfo,
    Score,
    ScoreRevision,
    Setting,
    Unit,
    decode_canonical_json,
    dumps_json,
    loads_json,
    rebuild_framework,
    utcnow,
)
from evaluator.models.team_schema import Team, TeamHandout
from evaluator.models.yearly_schema import MAPPING_METHODS, CriteriaMapping

__all__ = [
    "ASSESSMENT_STATUSES",
    "CONFLICT_STATUSES",
    "MAPPING_METHODS",
    "PREDECESSOR_BASES",
    "RECORD_KINDS",
    "UNIT_KINDS",
    "Approval",
    "Assessment",
    "AuditEvent",
    "Base",
    "Conflict",
    "CriteriaMapping",
    "CriteriaSet",
    "CriteriaSetCorrupt",
    "Device",
    "Evidence",
    "EvidenceError",
    "EvidenceStore",
    "ExportedRecord",
    "ImportLog",
    "PackageExport",
    "PackageImport",
    "Period",
    "Project",
    "ProjectBusy",
    "ProjectError",
    "ProjectInfo",
    "Score",
    "ScoreRevision",
    "Setting",
    "StageReopening",
    "StageSchedule",
    "Submission",
    "Team",
    "TeamHandout",
    "Unit",
    "UnitPredecessor",
    "alembic_config",
    "backup_sqlite",
    "decode_canonical_json",
    "dumps_json",
    "hash_file",
    "head_revision",
    "loads_json",
    "open_project",
    "rebuild_framework",
    "utcnow",
]
