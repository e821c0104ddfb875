"""What the decision publishing the results and the analysis of them show, gathered from a project (issue
15): the year's results as the publication gathers them, the provincial People's Committee's and the
Department of Home Affairs' header and signer (the ``reports`` setting), last year's comparison
(``results.YearResults.changes``: units matched across a rename as the results match them) and each
unit's lost points (``shortcomings.year_leaves``). Pure data: ``reports.decision`` and ``reports.analysis``
render it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.models import Period
from evaluator.models.audit_chain import chain_heads
from evaluator.reports.authority import (
    committee_issuer,
    committee_signer_heading,
    director_signer_heading,
    number_symbol,
    province_committee,
    province_name,
)
from evaluator.reports.decision_data import (
    TOP_CRITERIA,
    TOP_MOVERS,
    Analysis,
    Decision,
    KindAnalysis,
    LostCriterion,
    LostPoint,
    Mover,
    UnitLosses,
)
from evaluator.reports.document_data import DocumentMeta, KindSection, Person, Publication
from evaluator.services.publication_data import publication
from evaluator.services.report_data import place_of, project_row
from evaluator.services.report_setup import report_setup

PROGRAMME = ("Nghị quyết số 76/NQ-CP ngày 15 tháng 7 năm 2021 của Chính phủ ban hành Chương trình tổng thể "
             "cải cách hành chính nhà nước giai đoạn 2021 - 2030")
LOCAL_GOVERNMENT_LAWS = (
    # (in force from, the law as a decision cites it): the law the committee acts under on the decision's date
    (date(2025, 7, 1), ["Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025"]),
    (date(2025, 3, 1), ["Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025"]),
    (date(2016, 1, 1), ["Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015",
                        "Luật sửa đổi, bổ sung một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính "
                        "quyền địa phương ngày 22 tháng 11 năm 2019"]),
)


def local_government_law(on: date) -> list[str]:
    """The law(s) on the organisation of local government in force on ``on``."""
    for start, laws in LOCAL_GOVERNMENT_LAWS:
        if on >= start:
            return list(laws)
    return list(LOCAL_GOVERNMENT_LAWS[-1][1])


def _meta(session: Session, issuing_body: list[str], place: str, kind: str, on: date | None,
          signer: Person) -> DocumentMeta:
    return DocumentMeta(issuing_body=issuing_body, place=place, number=f"……/{number_symbol(kind)}",
                        date=on or date.today(), chair=signer, secretary=Person(), council=[],
                        audit_heads=chain_heads(session))


def citations(results: Publication) -> list[str]:
    return list(dict.fromkeys(s.framework_citation for s in results.sections if s.framework_citation))


def decision(session: Session, year: int, on: date | None = None) -> Decision:
    """The decision of ``year``'s results (not checked for approval: ``services.documents.gather`` does)."""
    info = project_row(session)
    province = info.province or ""
    settings = report_setup(session)
    signer = Person.of(settings.get("committee_chair"))
    meta = _meta(session, committee_issuer(province), place_of(province) or "……", "decision", on, signer)
    results = publication(session, year, on)
    results.meta = meta
    basis = [PROGRAMME, *citations(results)]
    return Decision(results=results, meta=meta, signer=signer,
                    signer_heading=committee_signer_heading(signer.position),
                    province=province_name(province), basis=basis, laws=local_government_law(meta.date),
                    submission=str(settings.get("submission_ref") or ""))


def analysis(session: Session, year: int, on: date | None = None) -> Analysis:
    """The Department of Home Affairs' analysis of ``year``'s results."""
    from evaluator.services.results import compute_year
    from evaluator.services.shortcomings import year_leaves

    info = project_row(session)
    province = info.province or ""
    settings = report_setup(session)
    signer = Person.of(settings.get("home_affairs_director"))
    meta = _meta(session, [province_committee(province), "SỞ NỘI VỤ"], place_of(province) or "……", "analysis",
                 on, signer)
    results = compute_year(session, year)
    pub = publication(session, year, on, results)
    previous_means: dict[tuple[str, str], Decimal | None] = {}
    if session.scalars(select(Period.id).where(Period.year == year - 1)).first() is not None:
        before = compute_year(session, year - 1, previous=False)
        for key, s in before.group_summary.items():
            previous_means[key] = None if s["mean_index"] is None else Decimal(str(s["mean_index"]))
    leaves = year_leaves(session, year)
    kinds = []
    for section in pub.sections:
        kinds.append(KindAnalysis(
            section=section,
            previous_mean=previous_means.get((section.kind, section.group)),
            risers=_movers(section, results.changes, up=True),
            fallers=_movers(section, results.changes, up=False),
            criteria=_lost_criteria(section, leaves),
            losses=_losses(section, leaves),
        ))
    return Analysis(
        project_id=str(info.id), project_name=info.name, province=province, year=year, meta=meta,
        signer=signer, signer_heading=director_signer_heading(signer.position), kinds=kinds,
        index_decimals=pub.index_decimals, citations=citations(pub),
        criteria_sets=[{"kind": s.kind, "identity": s.framework_identity, "sha256": s.framework_sha256}
                       for s in pub.sections if not s.group],
    )


def _movers(s: KindSection, changes: dict[str, Any], *, up: bool) -> list[Mover]:
    """The units that rose (``up``) or fell the most places against last year (a unit renamed since is
    compared with its predecessor, as the results do; a merged or new unit has no rank change)."""
    moved = [r for r in s.rows
             if r.rank_change is not None and (r.rank_change > 0 if up else r.rank_change < 0)]
    moved.sort(key=lambda r: (-abs(r.rank_change or 0), r.rank or 0, r.code))
    out = []
    for r in moved[:TOP_MOVERS]:
        c = changes.get(r.code)
        out.append(Mover(r.code, r.name, r.short_name, r.rank, int(r.rank_change or 0), r.index,
                         None if c is None else c.index_change))
    return out


def _lost_criteria(s: KindSection, leaves: dict[str, Any]) -> list[LostCriterion]:
    """The scored criteria of the section's set that most of its units lost points on."""
    units = [leaves[r.code] for r in s.rows if r.code in leaves]
    if not units:
        return []
    fw = units[0].framework
    out = []
    for node in fw.leaves(s.kind):
        if node.role != "scored":
            continue
        outcomes = [o for u in units if (o := u.leaves.get(node.code)) is not None and not o.not_applicable]
        losing = [o for o in outcomes if o.lost > 0]
        if not losing:
            continue
        out.append(LostCriterion(node.code, node.title, fw.area_of(node.code).code, len(losing),
                                 len(outcomes), sum((o.lost for o in losing), Decimal(0)), node.max[s.kind]))
    out.sort(key=lambda c: (-c.units, -c.lost, c.code))
    return out[:TOP_CRITERIA]


def _losses(s: KindSection, leaves: dict[str, Any]) -> list[UnitLosses]:
    out = []
    for r in s.rows:
        u = leaves.get(r.code)
        lost = [] if u is None else u.lost_points()
        out.append(UnitLosses(r.code, r.name, [LostPoint(o.code, o.title, o.points, o.max, o.note)
                                                for o in lost]))
    return out
