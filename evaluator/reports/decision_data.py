"""What the provincial People's Committee's decision publishing the results (Quyết định phê duyệt và công
bố Chỉ số CCHC) and the Department of Home Affairs' analysis of them (Báo cáo phân tích kết quả Chỉ số
CCHC) show, as plain data, and ``data()``: the JSON embedded in each PDF.

Both stand on the year's results as the publication gathers them (``document_data.Publication``: the
ranking per unit kind and group, classes, component indices); ``services.decision_data`` builds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from evaluator.reports.document_data import DocumentMeta, KindSection, Person, Publication, num, person_json


@dataclass
class Decision:
    """The Quyết định: the Căn cứ lines, the articles, the committee's signer; the appendices are the
    results' sections (ranking and component indices per unit kind)."""

    results: Publication
    meta: DocumentMeta
    """The committee's header ("ỦY BAN NHÂN DÂN" / "TỈNH …"), place, number (…/QĐ-UBND) and date."""
    signer: Person
    signer_heading: list[str]
    """"TM. ỦY BAN NHÂN DÂN" / "CHỦ TỊCH", or "KT. CHỦ TỊCH" / "PHÓ CHỦ TỊCH"."""
    province: str
    """The province as the text names it ("tỉnh An Khánh")."""
    basis: list[str]
    """The "Căn cứ …" lines after the laws: the programme, the sets' issuing decisions."""
    laws: list[str] = field(default_factory=list)
    """The first "Căn cứ" lines: the law on local government in force on the decision's date (not
    embedded, as the date is not: ``verify --db`` rebuilds the data without it)."""
    submission: str = ""
    """The submission it answers ("45/TTr-SNV ngày 20/01/2025"; '' = dotted)."""
    draft: bool = False

    @property
    def year(self) -> int:
        return self.results.year

    @property
    def sections(self) -> list[KindSection]:
        return self.results.sections

    def data(self) -> dict[str, Any]:
        out = self.results.data()
        out.pop("draft", None)
        out.pop("chair", None)  # the council's chair does not sign the decision
        out["document"] = "decision"
        out["header"] = {"issuing_body": self.meta.issuing_body, "place": self.meta.place,
                         "number": self.meta.number}
        out["signer"] = {**person_json(self.signer), "heading": self.signer_heading}
        out["basis"] = list(self.basis)
        out["submission"] = self.submission
        if self.draft:
            out["draft"] = True
        return out


@dataclass(frozen=True)
class Mover:
    """A unit whose rank changed against last year (``rank_change`` > 0: up)."""

    code: str
    name: str
    short_name: str
    rank: int | None
    rank_change: int
    index: Decimal | None
    index_change: Decimal | None

    def data(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "rank": self.rank, "rank_change": self.rank_change,
                "index": num(self.index), "index_change": num(self.index_change)}


@dataclass(frozen=True)
class LostCriterion:
    """A criterion (scored leaf) of a kind's set and how many of the kind's units lost points on it."""

    code: str
    title: str
    area: str
    units: int
    """Units below the maximum."""
    of: int
    """Units assessed on it (not marked "không đánh giá")."""
    lost: Decimal
    """Points lost, all those units together."""
    max: Decimal

    def data(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "area": self.area, "units": self.units,
                "of": self.of, "lost": num(self.lost), "max": num(self.max)}


@dataclass(frozen=True)
class LostPoint:
    """One criterion a unit lost points on: what its remedial plan (kế hoạch khắc phục) takes up."""

    code: str
    title: str
    points: Decimal
    max: Decimal
    note: str = ""

    @property
    def lost(self) -> Decimal:
        return self.max - self.points

    def data(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "points": num(self.points), "max": num(self.max),
                "lost": num(self.lost), "note": self.note}


@dataclass
class UnitLosses:
    code: str
    name: str
    points: list[LostPoint]

    @property
    def total(self) -> Decimal:
        return sum((p.lost for p in self.points), Decimal(0))

    def data(self) -> dict[str, Any]:
        return {"code": self.code, "name": self.name, "lost": num(self.total),
                "criteria": [p.data() for p in self.points]}


@dataclass
class KindAnalysis:
    """One unit kind (and ranking group): its results and what the analysis draws from them."""

    section: KindSection
    previous_mean: Decimal | None
    """Last year's mean index of the kind (None: no last year)."""
    risers: list[Mover]
    fallers: list[Mover]
    criteria: list[LostCriterion]
    """The criteria most units lost points on, most first."""
    losses: list[UnitLosses]
    """Every unit's lost points, in ranking order."""

    @property
    def best(self) -> list[Any]:
        return [r for r in self.section.rows if r.rank is not None][:TOP_UNITS]

    @property
    def weakest(self) -> list[Any]:
        ranked = [r for r in self.section.rows if r.rank is not None]
        return list(reversed(ranked[-TOP_UNITS:])) if len(ranked) > TOP_UNITS else []

    def data(self) -> dict[str, Any]:
        s = self.section
        return {
            "kind": s.kind,
            "group": s.group,
            "label": s.label,
            "units": len(s.rows),
            "mean_index": num(s.mean_index),
            "previous_mean_index": num(self.previous_mean),
            "classes": [{"code": c, "label": label, "count": n, "share": num(share)}
                        for c, label, n, share in s.classes],
            "area_means": [{"code": c, "title": t, "mean": num(m)} for c, t, m in s.areas],
            "best": [r.code for r in self.best],
            "weakest": [r.code for r in self.weakest],
            "risers": [m.data() for m in self.risers],
            "fallers": [m.data() for m in self.fallers],
            "criteria_lost": [c.data() for c in self.criteria],
            "unit_losses": [u.data() for u in self.losses],
        }


TOP_UNITS = 3
"""How many of the best and the weakest units the analysis names."""
TOP_MOVERS = 5
TOP_CRITERIA = 10


@dataclass
class Analysis:
    """The Báo cáo phân tích: per unit kind, classes and shares, component indices with the province's
    averages, the best and weakest units, the biggest movers, the criteria most units lost points on,
    charts; an appendix with every unit's lost points for its remedial plan."""

    project_id: str
    project_name: str
    province: str
    year: int
    meta: DocumentMeta
    signer: Person
    signer_heading: list[str]
    kinds: list[KindAnalysis]
    index_decimals: int = 2
    citations: list[str] = field(default_factory=list)
    """The sets' issuing decisions (how the text cites them)."""
    criteria_sets: list[dict[str, Any]] = field(default_factory=list)
    """kind, identity, sha256 of each set (the PDF's keywords and the data, never the page face)."""
    draft: bool = False

    @property
    def sections(self) -> list[KindSection]:
        return [k.section for k in self.kinds]

    def data(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "document": "analysis",
            "project": {"id": self.project_id, "name": self.project_name, "province": self.province},
            "year": self.year,
            "header": {"issuing_body": self.meta.issuing_body, "place": self.meta.place,
                       "number": self.meta.number},
            "signer": {**person_json(self.signer), "heading": self.signer_heading},
            "criteria_sets": self.criteria_sets,
            "kinds": [k.data() for k in self.kinds],
        }
        if self.draft:
            out["draft"] = True
        return out
