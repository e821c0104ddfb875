"""What the council's notice of the first appraisal (thông báo kết quả thẩm định lần 1) and the Department
of Home Affairs' submission (tờ trình) show, as plain data, and ``data()``: the JSON embedded in each PDF.

``services.notice_data`` builds them from a project; ``reports.notice`` and ``reports.submission`` render
them. Like ``document_data`` they live below services, so rendering needs nothing from above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from evaluator.reports.document_data import DocumentMeta, Person, header_json, num, person_json


# --- the notice -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NoticeRow:
    """A leaf whose first-round appraised score differs from the unit's self-assessment."""

    code: str
    title: str
    max: Decimal
    self_points: Decimal | None
    """The self score as counted (an evidence-required leaf without evidence counts 0)."""
    appraised: Decimal | None
    reason: str
    """The council's reason, as entered on the first appraisal."""
    not_applicable: bool = False
    """The council found the leaf not applicable to the unit (KĐG)."""
    self_claimed: Decimal | None = None
    """What the unit entered when the scoring rules did not count it (no evidence)."""

    @property
    def difference(self) -> Decimal | None:
        if self.not_applicable:
            return None
        unit = self.self_claimed if self.self_claimed is not None else self.self_points
        if unit is None or self.appraised is None:
            return None
        return self.appraised - unit

    def data(self) -> dict[str, Any]:
        out = {"code": self.code, "title": self.title, "max": num(self.max), "self": num(self.self_points),
               "appraised": num(self.appraised), "not_applicable": self.not_applicable, "reason": self.reason}
        if self.self_claimed is not None:
            out["self_claimed"] = num(self.self_claimed)
        return out


@dataclass
class NoticeDocument:
    """The notice of the first appraisal to one unit: the leaves where the council's score differs from
    the unit's, both totals and the deadline for the unit's explanations."""

    project_id: str
    project_name: str
    province: str
    year: int
    unit_code: str
    unit_name: str
    unit_kind: str
    framework_identity: str
    framework_sha256: str
    framework_citation: str
    """How the page cites the set (its issuing decision, else its title)."""
    rows: list[NoticeRow]
    self_total: Decimal
    self_max: Decimal
    appraised_total: Decimal
    appraised_max: Decimal
    index: Decimal | None
    index_decimals: int
    deadline: date
    deadline_rule: str
    """How the deadline was set: ``date`` (the setting's date) or ``<n> working days`` after the notice."""
    meta: DocumentMeta

    def data(self) -> dict[str, Any]:
        return {
            "document": "notice",
            "project": {"id": self.project_id, "name": self.project_name, "province": self.province},
            "year": self.year,
            "header": header_json(self.meta),
            "council": {"chair": person_json(self.meta.chair), **self.meta.council_json()},
            "unit": {"code": self.unit_code, "name": self.unit_name, "kind": self.unit_kind},
            "criteria_set": {"identity": self.framework_identity, "sha256": self.framework_sha256,
                             "issued_by": self.framework_citation},
            "differences": [r.data() for r in self.rows],
            "totals": {"self": num(self.self_total), "self_max": num(self.self_max),
                       "appraised": num(self.appraised_total), "max": num(self.appraised_max),
                       "index": num(self.index)},
            # the deadline is counted from the notice's date: kept, so verify --db counts it the same way
            "explanation": {"deadline": self.deadline.isoformat(), "rule": self.deadline_rule,
                            "counted_from": self.meta.date.isoformat()},
        }


# --- the submission ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UnitIndex:
    """A unit named with its index (the highest or lowest of a kind)."""

    code: str
    name: str
    index: Decimal | None

    def data(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "index": num(self.index)}


@dataclass
class SubmissionSection:
    """One unit kind (or ranking group) of the year in the submission's summary."""

    kind: str
    label: str
    units: int
    mean_index: Decimal | None
    highest: list[UnitIndex]
    """The units with the highest index (several when tied)."""
    lowest: list[UnitIndex]
    classes: list[tuple[str, str, int, Decimal]]
    """(code, label, count, share %), highest class first."""
    group: str = ""

    def data(self) -> dict[str, Any]:
        return {
            "kind": self.kind, "group": self.group or None, "label": self.label, "units": self.units,
            "mean_index": num(self.mean_index),
            "highest": [u.data() for u in self.highest], "lowest": [u.data() for u in self.lowest],
            "classes": {c: {"label": label, "count": n, "share": num(sh)}
                        for c, label, n, sh in self.classes},
        }


@dataclass
class Submission:
    """The Department of Home Affairs' submission to the provincial People's Committee proposing to
    approve and publish the year's PAR Index."""

    project_id: str
    project_name: str
    province: str
    year: int
    sections: list[SubmissionSection]
    citations: list[str]
    """The criteria sets' issuing decisions (or titles), each once."""
    criteria_sets: list[dict[str, str]]
    """(kind, identity, sha256) of each set: in the data and the PDF's keywords, not on the page."""
    survey: bool
    """Whether the sets score survey (XHH) leaves: the process paragraph names the surveys."""
    signer: Person
    meta: DocumentMeta
    index_decimals: int = 2
    draft: bool = False
    units: int = field(default=0)

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "document": "submission",
            "project": {"id": self.project_id, "name": self.project_name, "province": self.province},
            "year": self.year,
            "header": header_json(self.meta),
            "signer": person_json(self.signer),
            "criteria_sets": self.criteria_sets,
            "citations": self.citations,
            "units": self.units,
            "summary": [s.data() for s in self.sections],
        }
        if self.draft:
            out["draft"] = True
        return out
