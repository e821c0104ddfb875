"""What the documents show, gathered from a project: pure data, no reportlab, no Qt.

``unit_documents`` builds the content of the appraisal minutes (biên bản thẩm định) and the
self-assessment report (báo cáo tự đánh giá) of one or more units (``publication_data``: a year's
results) as the data classes of ``reports.document_data``, which the reports layer renders.
Each document object has ``data()``: the JSON embedded in the PDF (project, year, unit, set identity,
scores, evidence SHA-256 list) and what ``evaluator verify --db`` compares with the project.

People and places that the schema does not hold yet come from the project setting ``reports`` (all keys
optional; documents leave dotted lines to fill in by hand where something is missing)::

    {"issuing_body": ["UBND TỈNH AN KHÁNH", "HỘI ĐỒNG THẨM ĐỊNH CHỈ SỐ CCHC"],
     "place": "An Khánh", "number_suffix": "BB-HĐTĐ",
     "chair": {"name": "…", "position": "Giám đốc Sở Nội vụ"},
     "secretary": {"name": "…", "position": "…"},
     "council": [{"name": "…", "position": "…", "role": "Thành viên"}],
     "representatives": {"SO01": [{"name": "…", "position": "Chánh Văn phòng"}]},
     "conclusions": {"SO01": "…"}, "unit_opinions": {"SO01": "…"},
     "district_councils": {"H01": {"chair": {"name": "…", "position": "Chủ tịch UBND huyện"}, …}}}

In a year with districts (the year assesses districts), a commune's minutes are issued by the council of
its district (``Unit.parent_code``) when the setting has one, else by the provincial council, named as such.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Hashable, Iterable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import STAGES, SURVEY_STAGE, Framework, Node
from evaluator.messages import Message
from evaluator.models import Assessment, CriteriaSet, Evidence, Period, ProjectInfo, Score, Unit
from evaluator.models.audit_chain import chain_heads
from evaluator.models.schema import KIND_ORDER
from evaluator.reports.authority import abbreviation_of, number_symbol, place_name, unit_issuer
from evaluator.reports.document_data import (
    AreaTotal,
    CriterionRow,
    DocumentMeta,
    EvidenceItem,
    Meeting,
    Person,
    UnitDocument,
)
from evaluator.scoring.unit import Entry, UnitScore, score_units
from evaluator.services.frameworks import framework_of
from evaluator.services.report_setup import (
    DAY_TIME,
    DISTRICTS,
    MEETING,
    MEETINGS,
    meeting_time,
    report_setup,
)

APPRAISAL_STAGES = ("appraisal1", "appraisal2")


# --- gathering --------------------------------------------------------------------------------------
def project_row(session: Session) -> ProjectInfo:
    row = session.scalars(select(ProjectInfo)).first()
    if row is None:
        raise UserError("projects.not_evaluator")
    return row


def place_of(province: str) -> str:
    for prefix in ("Thành phố ", "Tỉnh ", "TP. "):
        if province.startswith(prefix):
            return province[len(prefix) :]
    return province


def document_meta(
    session: Session, settings: dict[str, Any], kind: str, on: date | None = None
) -> DocumentMeta:
    info = project_row(session)
    province = info.province or ""
    body = settings.get("issuing_body")
    if isinstance(body, str):
        body = [body]
    if not body:
        body = [f"UBND {province.upper()}" if province else "UBND TỈNH", "HỘI ĐỒNG THẨM ĐỊNH"]
    # the council's override (its documents only: a unit's self-assessment carries the unit's symbol)
    suffix = settings.get("number_suffix") or number_symbol(kind)
    return DocumentMeta(
        issuing_body=[str(b) for b in body],
        place=str(settings.get("place") or place_of(province) or "……"),
        number=f"……/{suffix}",
        date=on or date.today(),
        chair=Person.of(settings.get("chair")),
        secretary=Person.of(settings.get("secretary")),
        council=[Person.of(p) for p in settings.get("council") or []],
        audit_heads=chain_heads(session),
        meeting=meeting_of(settings.get(MEETING)),
    )


def meeting_of(value: Any) -> Meeting:
    """A meeting of the setting (what cannot be read is left out: ``set_report_setup`` checked it)."""
    if not isinstance(value, dict):
        return Meeting()
    return Meeting(meeting_time(str(value.get("start") or ""), (DAY_TIME,)),
                   meeting_time(str(value.get("end") or "")), str(value.get("place") or ""))


COUNCIL_NAME = "Hội đồng thẩm định Chỉ số cải cách hành chính"
_PEOPLES_COMMITTEE = ("UBND ", "Ủy ban nhân dân ", "ỦY BAN NHÂN DÂN ", "Uỷ ban nhân dân ")
_LOCALITY = ("huyện ", "thị xã ", "thành phố ", "quận ", "Huyện ", "Thị xã ", "Thành phố ", "Quận ")


def locality(name: str) -> str:
    """"UBND huyện Đức Trọng" → "huyện Đức Trọng": the district a People's Committee's name stands for."""
    for prefix in _PEOPLES_COMMITTEE:
        if name.startswith(prefix):
            return name[len(prefix):].strip()
    return name.strip()


def district_defaults(name: str) -> tuple[list[str], str]:
    """The header and place a district's council prints when its setting leaves them empty: "UBND HUYỆN
    ĐỨC TRỌNG" over "HỘI ĐỒNG THẨM ĐỊNH", "Đức Trọng" (``name``: the district's People's Committee)."""
    where = locality(name)
    place = where
    for prefix in _LOCALITY:
        if place.startswith(prefix):
            place = place[len(prefix):]
            break
    return [f"UBND {where.upper()}", "HỘI ĐỒNG THẨM ĐỊNH"], place


def district_meta(province_meta: DocumentMeta, settings: dict[str, Any], kind: str, district: Unit,
                  province: str) -> DocumentMeta:
    """The meta of a commune's minutes in a year with districts: its district's council (header "UBND
    HUYỆN …" over "HỘI ĐỒNG THẨM ĐỊNH", the district's place, its chair and secretary), or the provincial
    council named as such when the setting has no council for that district."""
    council = (settings.get(DISTRICTS) or {}).get(district.code)
    if not council:
        if province.startswith(("Thành phố ", "TP. ")):
            of = f"thành phố {place_of(province)}"
        else:
            of = f"tỉnh {place_of(province)}" if province else "cấp tỉnh"
        return dataclasses.replace(province_meta, council_name=f"{COUNCIL_NAME} {of}")
    where = locality(district.name)
    body, place = district_defaults(district.name)
    body = council.get("issuing_body") or body
    suffix = council.get("number_suffix") or number_symbol(kind)
    return dataclasses.replace(
        province_meta,
        issuing_body=[str(b) for b in body],
        place=str(council.get("place") or place or province_meta.place),
        number=f"……/{suffix}",
        chair=Person.of(council.get("chair")),
        secretary=Person.of(council.get("secretary")),
        council=[Person.of(p) for p in council.get("council") or []],
        meeting=meeting_of(council.get(MEETING)),
        council_name=f"{COUNCIL_NAME} {where}",
        council_district=district.code,
    )


def unit_meta(province_meta: DocumentMeta, unit: Unit, province: str) -> DocumentMeta:
    """The meta of a unit's own document (the self-assessment report): the unit is the issuer — its header
    ("ỦY BAN NHÂN DÂN" / "XÃ …" in full, or "UBND TỈNH …" / "SỞ …"), its place (a commune's or district's
    own; a department's is the province's) and its number symbol (BC-<Unit.abbreviation>)."""
    place = place_name(unit.name) if unit.kind in ("district", "commune") else province_meta.place
    return dataclasses.replace(
        province_meta,
        issuing_body=unit_issuer(unit.kind, unit.name, province),
        place=place or province_meta.place,
        number=f"……/{number_symbol('self', unit.abbreviation or abbreviation_of(unit.name))}",
    )


def blocking_conflicts(session: Session, assessment_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    """Unresolved merge conflicts per assessment (``criterion/stage`` labels): documents of those units
    are refused until the committee resolves them (``evaluator conflicts resolve``)."""
    from evaluator.services.conflicts import open_conflicts_of

    return open_conflicts_of(session, assessment_ids)


def _period(session: Session, year: int) -> Period:
    period = session.scalars(select(Period).where(Period.year == year)).first()
    if period is None:
        known = sorted(session.scalars(select(Period.year)).all())
        raise UserError(
            "projects.no_year", year=year, years=", ".join(map(str, known)) or Message("common.none")
        )
    return period


def unit_codes(session: Session, year: int) -> list[str]:
    """Codes of every unit assessed in ``year`` (departments, districts, communes; by code)."""
    period = _period(session, year)
    rows = session.execute(
        select(Unit.code, Unit.kind)
        .join(Assessment, Assessment.unit_id == Unit.id)
        .where(Assessment.period_id == period.id)
    ).all()
    return [code for code, kind in sorted(rows, key=lambda r: (KIND_ORDER.get(r[1], 9), r[0]))]


def unit_documents(
    session: Session, year: int, codes: Sequence[str], kind: str = "appraisal", on: date | None = None,
    *, stages: Sequence[str] | None = None,
) -> list[UnitDocument]:
    """The minutes or self-assessment reports of the units ``codes`` (in that order).

    Relative leaves (ranks among peers) are scored against every unit of the same kind and set, so a
    unit's document agrees with the published results. ``stages`` (None: all) scores only those stages, for
    every peer alike: the notice of the first appraisal is the result as it stood after round 1."""
    if kind not in ("appraisal", "self"):
        raise ValueError(kind)
    period = _period(session, year)
    wanted = list(dict.fromkeys(codes))
    found = {
        a.unit.code: a
        for a in session.scalars(
            select(Assessment)
            .join(Unit, Unit.id == Assessment.unit_id)
            .where(Assessment.period_id == period.id, Unit.code.in_(wanted))
        ).all()
    }
    missing = [c for c in wanted if c not in found]
    if missing:
        raise UserError("projects.no_assessment", year=year, units=", ".join(missing))
    conflicts = blocking_conflicts(session, [a.id for a in found.values()])
    if conflicts:
        blocked = sorted(a.unit.code for a in found.values() if a.id in conflicts)
        listed = "; ".join(f"{a.unit.code}: {', '.join(conflicts[a.id])}"
                           for a in found.values() if a.id in conflicts)
        raise UserError("report.unresolved_conflicts", units=", ".join(blocked), listed=listed)
    settings = report_setup(session)
    meta = document_meta(session, settings, kind, on)
    info = project_row(session)
    councils = _district_councils(session, period, found.values()) if kind == "appraisal" else {}
    # Peers: every assessment of the year that shares a set with a wanted unit.
    set_ids = {a.criteria_set_id for a in found.values()}
    peers = session.execute(
        select(Assessment.id, Unit.kind, Assessment.criteria_set_id)
        .join(Unit, Unit.id == Assessment.unit_id)
        .where(Assessment.period_id == period.id, Assessment.criteria_set_id.in_(set_ids))
    ).all()
    peer_ids = [p[0] for p in peers]
    scores: dict[uuid.UUID, list[Score]] = {}
    for s in session.scalars(select(Score).where(Score.assessment_id.in_(peer_ids))).all():
        if stages is None or s.stage in stages:
            scores.setdefault(s.assessment_id, []).append(s)
    evidence_rows: dict[uuid.UUID, list[Evidence]] = {}
    for e in session.scalars(
        select(Evidence)
        .where(Evidence.assessment_id.in_(peer_ids))
        .order_by(Evidence.criterion_code, Evidence.file_name, Evidence.sha256)
    ).all():
        evidence_rows.setdefault(e.assessment_id, []).append(e)
    sets = {r.id: r for r in session.scalars(select(CriteriaSet).where(CriteriaSet.id.in_(set_ids))).all()}
    scored: dict[uuid.UUID, tuple[UnitScore, UnitScore]] = {}
    for set_id in set_ids:
        fw = framework_of(sets[set_id])
        ids: list[uuid.UUID] = [p[0] for p in peers if p[2] == set_id]
        members: dict[Hashable, str] = {p[0]: p[1] for p in peers if p[2] == set_id}
        entries: dict[Hashable, list[Entry]] = {m: [_entry(s) for s in scores.get(m, [])] for m in ids}
        with_evidence: dict[Hashable, set[str]] = {
            m: {e.criterion_code for e in evidence_rows.get(m, []) if not e.carry_pending} for m in ids
        }
        final = score_units(fw, members, entries, with_evidence)
        self_only = score_units(
            fw, members, {m: _self_entries(fw, members[m], es) for m, es in entries.items()}, with_evidence
        )
        for m in members:
            scored[m] = (self_only[m], final[m])  # type: ignore[index]
    docs = []
    for code in wanted:
        a = found[code]
        fw = framework_of(sets[a.criteria_set_id])
        self_score, final_score = scored[a.id]
        docs.append(
            _unit_document(
                kind,
                info,
                year,
                a,
                fw,
                scores.get(a.id, []),
                evidence_rows.get(a.id, []),
                self_score,
                final_score,
                district_meta(meta, settings, kind, councils[code], info.province or "")
                if code in councils else unit_meta(meta, a.unit, info.province or "") if kind == "self"
                else meta,
                settings,
            )
        )
    return docs


def _district_councils(session: Session, period: Period,
                       assessments: Iterable[Assessment]) -> dict[str, Unit]:
    """The district of each commune among ``assessments`` whose district is assessed in the same year (a
    year with districts): its council appraises the commune."""
    parents = {a.unit.code: a.unit.parent_code for a in assessments
               if a.unit.kind == "commune" and a.unit.parent_code}
    if not parents:
        return {}
    districts = {
        u.code: u
        for u in session.scalars(
            select(Unit)
            .join(Assessment, Assessment.unit_id == Unit.id)
            .where(Assessment.period_id == period.id, Unit.kind == "district",
                   Unit.code.in_(set(parents.values())))
        )
    }
    return {code: districts[p] for code, p in parents.items() if p in districts}


def _entry(s: Score) -> Entry:
    value = None
    if s.points is None and isinstance(s.value, dict) and s.value.get("value") is not None:
        try:
            value = Decimal(str(s.value["value"]))
        except ArithmeticError:
            value = None
    return Entry(
        leaf=s.criterion_code,
        stage=s.stage,
        points=s.points,
        value=value,
        not_applicable=bool(s.not_applicable),
    )


def _self_entries(fw: Framework, kind: str, entries: list[Entry]) -> list[Entry]:
    """The self stage only; survey leaves (units do not score them) leave the self-assessment's max."""
    out = [e for e in entries if e.stage == "self"]
    out += [
        Entry(leaf=n.code, stage=SURVEY_STAGE, not_applicable=True)
        for n in fw.leaves(kind)
        if n.source == "survey"
    ]
    return out


def _unit_document(
    kind: str,
    info: ProjectInfo,
    year: int,
    a: Assessment,
    fw: Framework,
    scores: list[Score],
    evidence: list[Evidence],
    self_score: UnitScore,
    final: UnitScore,
    meta: DocumentMeta,
    settings: dict[str, Any],
) -> UnitDocument:
    unit = a.unit
    by_leaf: dict[str, dict[str, Score]] = {}
    for s in scores:
        by_leaf.setdefault(s.criterion_code, {})[s.stage] = s
    items = [EvidenceItem(e.criterion_code, e.file_name, e.sha256, e.reference, e.carried_from)
             for e in evidence]
    ev_by_leaf: dict[str, list[EvidenceItem]] = {}
    for item in items:
        ev_by_leaf.setdefault(item.criterion, []).append(item)
    rows = []
    for node in fw.nodes.values():
        if not node.applies_to(unit.kind):
            continue
        rows.append(
            _row(
                node, unit.kind, by_leaf.get(node.code, {}), self_score, final, ev_by_leaf.get(node.code, [])
            )
        )
    areas = []
    for area in fw.areas(unit.kind):
        s_node, f_node = self_score.nodes[area.code], final.nodes[area.code]
        areas.append(
            AreaTotal(
                area.code,
                area.title,
                f_node.max,
                s_node.points,
                f_node.points,
                final.area_index(area.code, fw.index_decimals),
                s_node.max,
            )
        )
    labels = {b.code: b.label for b in fw.classes_for(unit.kind)}
    reps = (settings.get("representatives") or {}).get(unit.code) or []
    return UnitDocument(
        kind=kind,
        project_id=str(info.id),
        project_name=info.name,
        province=info.province,
        year=year,
        unit_code=unit.code,
        unit_name=unit.name,
        unit_kind=unit.kind,
        unit_head_title=unit.head_title or "",
        framework_identity=fw.identity,
        framework_title=fw.title,
        framework_sha256=fw.sha256,
        framework_issued_by=fw.issued_by,
        status=a.status,
        rows=rows,
        areas=areas,
        self_total=self_score.points,
        self_max=self_score.max,
        self_index=self_score.index,
        self_bonus=self_score.bonus,
        self_penalty=self_score.penalty,
        bonus=final.bonus,
        penalty=final.penalty,
        total=final.points,
        total_max=final.max,
        index=final.index,
        index_decimals=fw.index_decimals,
        class_label=labels.get(final.class_code or "", ""),
        evidence=items,
        meta=meta,
        representatives=[Person.of(p) for p in reps],
        conclusions=str((settings.get("conclusions") or {}).get(unit.code, "")),
        unit_opinion=str((settings.get("unit_opinions") or {}).get(unit.code, "")),
        meeting=meta.meeting.merged(meeting_of((settings.get(MEETINGS) or {}).get(unit.code))),
    )


def _row(
    node: Node,
    kind: str,
    stages: dict[str, Score],
    self_score: UnitScore,
    final: UnitScore,
    evidence: list[EvidenceItem],
) -> CriterionRow:
    f_node = final.nodes.get(node.code)
    s_node = self_score.nodes.get(node.code)
    mx = node.max[kind]
    survey = node.source == "survey"
    if not node.is_leaf:
        return CriterionRow(
            node.code,
            node.title,
            node.depth,
            False,
            node.role,
            node.source,
            mx,
            None if s_node is None else s_node.points,
            None if f_node is None else f_node.points,
        )
    self_entry = stages.get("self")
    self_points = None if survey or self_entry is None or s_node is None else s_node.points
    claimed = None
    if (
        self_entry is not None
        and self_points is not None
        and self_entry.points is not None
        and self_entry.points != self_points
        and node.evidence_required
        and not evidence
    ):
        claimed = self_entry.points
    not_applicable = f_node is not None and f_node.max == 0 and mx > 0
    appraisal_notes = [
        stages[s].note for s in reversed(STAGES) if s in APPRAISAL_STAGES and s in stages and stages[s].note
    ]
    unit_notes = [stages[s].note for s in ("explanation", "self") if s in stages and stages[s].note]
    if survey and SURVEY_STAGE in stages and stages[SURVEY_STAGE].note:
        appraisal_notes = [stages[SURVEY_STAGE].note]
    return CriterionRow(
        node.code,
        node.title,
        node.depth,
        True,
        node.role,
        node.source,
        mx,
        self_points,
        None if f_node is None else f_node.points,
        not_applicable,
        reason=appraisal_notes[0] if appraisal_notes else "",
        unit_note=unit_notes[0] if unit_notes else "",
        evidence=evidence,
        self_claimed=claimed,
    )
