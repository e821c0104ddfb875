"""The documents' content as plain data: what a unit's minutes or self-assessment report and the year's
results publication show, and ``data()``, the JSON embedded in each PDF.

The reports layer renders these; ``services.report_data`` and ``services.publication_data`` build them
from a project. They live here, below services, so rendering needs nothing from the layers above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from evaluator.messages import labels

REPORT_FORMAT = "evaluator-report"
REPORT_FORMAT_VERSION = 2
DOCUMENT_KINDS = ("appraisal", "self", "publication", "decision", "analysis")
KIND_LABELS = {"department": "Sở, ban, ngành", "district": "UBND cấp huyện", "commune": "UBND cấp xã"}
ZERO = Decimal(0)


@dataclass(frozen=True)
class Person:
    name: str = ""
    position: str = ""
    role: str = ""
    address: str = ""
    """The form of address, "Ông" or "Bà" ('' = unknown: the minutes write "Ông/Bà")."""

    @classmethod
    def of(cls, value: Any) -> Person:
        if isinstance(value, dict):
            return cls(str(value.get("name", "")), str(value.get("position", "")), str(value.get("role", "")),
                       str(value.get("address", "")))
        return cls(str(value or ""))

    @property
    def salutation(self) -> str:
        return self.address if self.address in ("Ông", "Bà") else "Ông/Bà"


@dataclass(frozen=True)
class Meeting:
    """The appraisal meeting the minutes record (the ``reports`` setting's ``meeting``/``meetings``)."""

    start: datetime | None = None
    end: datetime | None = None
    """The end; its date is 1900-01-01 when only a time was given (the same day as the start)."""
    place: str = ""

    def merged(self, other: Meeting) -> Meeting:
        """``other``'s values where it has them, else these (a unit's meeting over its council's)."""
        return Meeting(other.start or self.start, other.end or self.end, other.place or self.place)

    def data(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(timespec="minutes") if self.start else None,
                "end": self.end.strftime("%H:%M") if self.end and self.end.year == 1900
                else self.end.isoformat(timespec="minutes") if self.end else None,
                "place": self.place}


@dataclass(frozen=True)
class EvidenceItem:
    criterion: str
    file_name: str
    sha256: str
    reference: str = ""
    carried_from: int | None = None
    """The year the file was carried from (``new-year --carry-evidence``): the documents say so."""

    @property
    def label(self) -> str:
        text = f"{self.file_name} ({self.reference})" if self.reference else self.file_name
        return f"{text} — từ năm {self.carried_from}" if self.carried_from is not None else text


@dataclass
class CriterionRow:
    """One node of the set as the documents show it (areas, criteria and leaves, in tree order)."""

    code: str
    title: str
    depth: int
    is_leaf: bool
    role: str
    source: str
    max: Decimal
    self_points: Decimal | None
    appraised: Decimal | None
    not_applicable: bool = False
    reason: str = ""
    """The council's note on the final appraisal stage (why the score changed)."""
    unit_note: str = ""
    """The unit's own note (self-assessment, explanation)."""
    evidence: list[EvidenceItem] = field(default_factory=list)
    self_claimed: Decimal | None = None
    """The points the unit entered, when the scoring rules did not count them (an evidence-required leaf
    without evidence scores 0)."""

    @property
    def difference(self) -> Decimal | None:
        if self.self_points is None or self.appraised is None:
            return None
        return self.appraised - self.self_points


@dataclass
class AreaTotal:
    code: str
    title: str
    max: Decimal
    self_points: Decimal
    appraised: Decimal
    index: Decimal | None
    self_max: Decimal = ZERO
    """The area's max in the self-assessment (without the survey leaves, which units do not score)."""


@dataclass
class DocumentMeta:
    """Header and signatures: the project's ``reports`` setting with defaults."""

    issuing_body: list[str]
    place: str
    number: str
    date: date
    chair: Person
    secretary: Person
    council: list[Person]
    audit_heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    """The audit log's chain heads when the document's data was read (``models.audit_chain.chain_heads``):
    embedded beside the data, so ``verify --db`` can say whether the log still extends them."""
    council_name: str = "Hội đồng thẩm định Chỉ số cải cách hành chính"
    """The council as the text names it ("… huyện Đức Trọng" for a district's council, "… tỉnh …" for the
    provincial council appraising a commune in a year with districts)."""
    council_district: str = ""
    """The district whose council issues the document ('' = the provincial council)."""
    meeting: Meeting = field(default_factory=Meeting)
    """The council's meeting (each unit's ``UnitDocument.meeting`` may say otherwise)."""

    def council_json(self) -> dict[str, Any]:
        return {"name": self.council_name, "district": self.council_district or None}


@dataclass
class UnitDocument:
    """Content of the minutes (``kind='appraisal'``) or the self-assessment report (``kind='self'``)."""

    kind: str
    project_id: str
    project_name: str
    province: str
    year: int
    unit_code: str
    unit_name: str
    unit_kind: str
    framework_identity: str
    framework_title: str
    framework_sha256: str
    framework_issued_by: str
    status: str
    rows: list[CriterionRow]
    areas: list[AreaTotal]
    self_total: Decimal
    self_max: Decimal
    self_index: Decimal | None
    bonus: Decimal
    penalty: Decimal
    total: Decimal
    total_max: Decimal
    index: Decimal | None
    index_decimals: int
    class_label: str
    evidence: list[EvidenceItem]
    meta: DocumentMeta
    representatives: list[Person]
    conclusions: str = ""
    unit_opinion: str = ""
    self_bonus: Decimal = ZERO
    self_penalty: Decimal = ZERO
    unit_head_title: str = ""
    meeting: Meeting = field(default_factory=Meeting)
    """The appraisal meeting of this unit (the minutes)."""
    """``Unit.head_title`` ("Giám đốc"): the authority the self-assessment is signed with."""

    @property
    def kind_label(self) -> str:
        # a kind a criteria set declares: its Vietnamese label (the documents are in Vietnamese)
        return KIND_LABELS.get(self.unit_kind) or labels.label("kind", self.unit_kind, "vi")

    def data(self) -> dict[str, Any]:
        """The embedded JSON: every value the document prints (but the date, chosen when it is written),
        checkable against the project."""
        appraisal = self.kind == "appraisal"
        out: dict[str, Any] = {
            "document": self.kind,
            "project": {"id": self.project_id, "name": self.project_name, "province": self.province},
            "year": self.year,
            "header": header_json(self.meta),
            "unit": {"code": self.unit_code, "name": self.unit_name, "kind": self.unit_kind},
            "criteria_set": {
                "identity": self.framework_identity,
                "sha256": self.framework_sha256,
                "title": self.framework_title,
                "issued_by": self.framework_issued_by,
            },
            "scores": [row_json(r, self.kind) for r in self.rows if r.is_leaf],
            "groups": [
                {
                    "code": r.code,
                    "title": r.title,
                    "max": num(r.max) if r.role == "scored" else None,
                    "self": num(r.self_points),
                    **({"appraised": num(r.appraised)} if appraisal else {}),
                }
                for r in self.rows
                if not r.is_leaf
            ],
            "areas": [
                {
                    "code": a.code,
                    "title": a.title,
                    "max": num(a.max if self.kind == "appraisal" else a.self_max),
                    "self": num(a.self_points),
                    **(
                        {"appraised": num(a.appraised), "index": num(a.index)}
                        if self.kind == "appraisal"
                        else {}
                    ),
                }
                for a in self.areas
            ],
            "totals": {
                "self": num(self.self_total),
                "self_max": num(self.self_max),
                "self_bonus": num(self.self_bonus),
                "self_penalty": num(self.self_penalty),
            },
            "evidence": [
                {
                    "criterion": e.criterion,
                    "file_name": e.file_name,
                    "sha256": e.sha256,
                    "reference": e.reference,
                }
                for e in self.evidence
            ],
        }
        if not appraisal:
            out["totals"]["self_index"] = num(self.self_index)
        else:
            out["council"] = {
                "chair": person_json(self.meta.chair),
                "secretary": person_json(self.meta.secretary),
                "members": [person_json(p) for p in self.meta.council],
                **self.meta.council_json(),  # which council: a district's (issue 14) or the province's
            }
            out["representatives"] = [person_json(p) for p in self.representatives]
            out["conclusions"] = self.conclusions
            if self.meeting != Meeting():  # only when set: the data of minutes without it stays as it was
                out["meeting"] = self.meeting.data()
            out["unit_opinion"] = self.unit_opinion
            out["totals"].update(
                {
                    "bonus": num(self.bonus),
                    "penalty": num(self.penalty),
                    "points": num(self.total),
                    "max": num(self.total_max),
                    "index": num(self.index),
                    "class": self.class_label,
                }
            )
        return out


def header_json(meta: DocumentMeta, lines: int | None = None) -> dict[str, Any]:
    """The issuing body (the first ``lines`` lines: the self-assessment prints one), place and number."""
    return {"issuing_body": meta.issuing_body[:lines], "place": meta.place, "number": meta.number}


def person_json(p: Person) -> dict[str, str]:
    out = {"name": p.name, "position": p.position, "role": p.role}
    return {**out, "address": p.address} if p.address else out


def row_json(row: CriterionRow, kind: str) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": row.code,
        "title": row.title,
        "max": num(row.max),
        "self": num(row.self_points),
        "not_applicable": row.not_applicable,
    }
    if row.self_claimed is not None:
        out["self_claimed"] = num(row.self_claimed)
    if kind == "appraisal":
        out["appraised"] = num(row.appraised)
        out["reason"] = row.reason
    else:
        out["unit_note"] = row.unit_note
    return out


def num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass
class RankingRow:
    code: str
    name: str
    points: Decimal
    max: Decimal
    index: Decimal | None
    rank: int | None
    rank_change: int | None
    points_change: Decimal | None
    class_label: str
    areas: dict[str, Decimal | None]
    short_name: str = ""
    """The unit's short name for charts (not embedded: the name is)."""
    basis: str = ""
    """What last year's figures compare with: ``same``, ``renamed``, ``merged``, ``new`` ('' unknown)."""

    @property
    def chart_label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class ChangeRow:
    """One unit against last year in the publication (``services.shortcomings.UnitChanges``, condensed)."""

    code: str
    name: str
    index_change: Decimal | None
    rank_change: int | None
    gained: tuple[tuple[str, Decimal], ...]
    """(leaf code, points gained) of the leaves that gained the most."""
    lost: tuple[tuple[str, Decimal], ...]
    fixed: int
    not_fixed: int
    dropped: int
    basis: str = "same"
    """``renamed``: against its predecessor; ``merged``: against its predecessors' mean index."""
    predecessors: tuple[str, ...] = ()

    def data(self) -> dict[str, Any]:
        return {"index_change": num(self.index_change), "rank_change": self.rank_change,
                "gained": [{"code": c, "change": num(v)} for c, v in self.gained],
                "lost": [{"code": c, "change": num(v)} for c, v in self.lost],
                "shortcomings": {"fixed": self.fixed, "not_fixed": self.not_fixed, "dropped": self.dropped},
                "previous_basis": self.basis, "predecessors": list(self.predecessors)}


@dataclass
class KindSection:
    kind: str
    label: str
    framework_identity: str
    framework_sha256: str
    tie_policy: str
    rows: list[RankingRow]
    mean_index: Decimal | None
    classes: list[tuple[str, str, int, Decimal]]
    """(code, label, count, share %) highest class first."""
    areas: list[tuple[str, str, Decimal | None]]
    """(code, title, mean component index) per area."""
    compared: bool
    """Whether last year's results exist to compare with."""
    group: str = ""
    """The ranking group ranked in this section ('' = the kind's main group; a kind's other groups, e.g.
    special bodies, are ranked apart in sections of their own)."""
    tie_rule: str = ""
    """How the set ranks units of equal index, in words (``text.tie_rule``: its tie-breakers, then its
    tie policy); derived from the set, which the data identifies by its SHA-256."""
    changes: list[ChangeRow] = field(default_factory=list)
    """The units assessed last year too, against last year (empty in a project's first year)."""
    framework_citation: str = ""
    """How the page cites the set (``authority.criteria_citation``: its issuing decision, else its title);
    not embedded: the data names the set by identity and SHA-256."""


@dataclass
class Publication:
    project_id: str
    project_name: str
    province: str
    year: int
    sections: list[KindSection]
    meta: DocumentMeta
    index_decimals: int = 2
    draft: bool = False
    """A draft (DỰ THẢO): written without every unit's result approved."""

    def data(self) -> dict[str, Any]:
        out = self._data()
        if self.draft:  # only drafts carry the key: a final publication's data stays as it was
            out["draft"] = True
        changed = {(s.kind, c.code): c for s in self.sections for c in s.changes}
        if changed:  # only when last year exists: a first year's data stays as it was
            for unit in out["units"]:
                row = changed.get((unit["kind"], unit["code"]))
                unit["changes"] = None if row is None else row.data()
        groups = [s for s in self.sections if s.group]
        if groups:  # only when some units are ranked apart: the usual data stays as it was
            owners = [s for s in self.sections for _r in s.rows]
            for unit, owner in zip(out["units"], owners, strict=True):
                unit["group"] = owner.group
            out["groups"] = {}
            for s in groups:
                out["groups"].setdefault(s.kind, {})[s.group] = _section_summary(s)
        return out

    def _data(self) -> dict[str, Any]:
        main = [s for s in self.sections if not s.group]
        return {
            "document": "publication",
            "project": {"id": self.project_id, "name": self.project_name, "province": self.province},
            "year": self.year,
            "header": header_json(self.meta),
            "chair": {"name": self.meta.chair.name, "position": self.meta.chair.position},
            "criteria_sets": [
                {
                    "kind": s.kind,
                    "identity": s.framework_identity,
                    "sha256": s.framework_sha256,
                    "tie_policy": s.tie_policy,
                }
                for s in main
            ],
            "units": [
                {
                    "code": r.code,
                    "name": r.name,
                    "kind": s.kind,
                    "points": num(r.points),
                    "max": num(r.max),
                    "index": num(r.index),
                    "rank": r.rank,
                    "rank_change": r.rank_change,
                    "points_change": num(r.points_change),
                    "class": r.class_label,
                    "areas": {k: num(v) for k, v in r.areas.items()},
                }
                for s in self.sections
                for r in s.rows
            ],
            "summary": {s.kind: _section_summary(s) for s in main},
        }


def _section_summary(s: KindSection) -> dict[str, Any]:
    return {
        "mean_index": num(s.mean_index),
        "classes": {c: {"label": label, "count": n, "share": num(sh)} for c, label, n, sh in s.classes},
        "area_means": [{"code": c, "title": t, "mean": num(m)} for c, t, m in s.areas],
    }
