"""What the council's notice of the first appraisal and the Department of Home Affairs' submission show,
gathered from a project (pure data: ``reports.notice_data``'s classes, rendered by ``reports.notice`` and
``reports.submission``).

The notice is the result as it stood after the first appraisal round: the self-assessment, the council's
round 1 and the surveys, scored for every peer alike (``report_data.unit_documents(stages=…)``), so a later
explanation or second round does not rewrite what the unit was told. The submission summarises the year's
results as the publication ranks them (``publication_data.publication``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.models import Assessment, Period, Score
from evaluator.reports.authority import number_symbol, province_committee
from evaluator.reports.document_data import CriterionRow, DocumentMeta, Person, UnitDocument
from evaluator.reports.notice_data import (
    NoticeDocument,
    NoticeRow,
    Submission,
    SubmissionSection,
    UnitIndex,
)
from evaluator.services.report_data import place_of, project_row, unit_documents
from evaluator.services.report_setup import NOTICE, report_setup

FIRST_ROUND = ("self", "appraisal1", "survey")
"""The stages the notice of the first appraisal counts."""
EXPLANATION_DAYS = 5
"""Working days (Monday to Friday but public holidays) from the notice's date to the deadline for
explanations, unless the ``notice`` setting says otherwise."""
HOME_AFFAIRS_NAME = "SỞ NỘI VỤ"


# --- the notice -------------------------------------------------------------------------------------------
def working_days_after(start: date, days: int, days_off: Iterable[str] = ()) -> date:
    """The day ``days`` working days after ``start``: Monday to Friday, except Vietnam's public holidays
    (Tết and the Hùng Kings' day follow the lunar calendar, and a holiday on a weekend gives a day off
    after it) and the province's own ``days_off`` (ISO dates)."""
    extra = {date.fromisoformat(d) for d in days_off}
    public = public_holidays(start.year, start.year + 1 + days // 200)
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in public and day not in extra:
            days -= 1
    return day


def public_holidays(first: int, last: int) -> set[date]:
    """Vietnam's public holidays and the days off the law gives for them, years ``first``..``last``:
    from ``holidays`` (vacanza/holidays: maintained, MIT, follows each year's decisions on days off; the
    lunar dates of Tết are not ours to compute)."""
    from holidays.countries.vietnam import Vietnam

    return set(Vietnam(years=range(first, last + 1)).keys())


def explanation_deadline(setting: dict[str, Any], on: date) -> tuple[date, str]:
    """The deadline for explanations of a notice dated ``on`` and how it was set: the setting's date, else
    its working days (default ``EXPLANATION_DAYS``) after ``on``. A date before ``on`` is refused."""
    if setting.get("deadline"):
        deadline = date.fromisoformat(setting["deadline"])
        if deadline < on:
            raise UserError("notice.deadline_before_date", deadline=deadline.isoformat(), date=on.isoformat())
        return deadline, "date"
    days = setting.get("explanation_days") or EXPLANATION_DAYS
    return working_days_after(on, days, setting.get("days_off") or ()), f"{days} working days"


def _differs(r: CriterionRow) -> bool:
    unit = r.self_claimed if r.self_claimed is not None else r.self_points
    if r.not_applicable:  # the council found it not applicable: a change only if the unit claimed points
        return unit is not None and unit > 0
    return unit != r.appraised


def notice_rows(d: UnitDocument) -> list[NoticeRow]:
    """The leaves of ``d`` the unit scores itself whose appraised score differs from its own (survey
    leaves are the council's alone)."""
    return [
        NoticeRow(r.code, r.title, r.max, r.self_points, r.appraised, r.reason, r.not_applicable,
                  r.self_claimed)
        for r in d.rows
        if r.is_leaf and r.source != "survey" and _differs(r)
    ]


def notices(session: Session, year: int, codes: Sequence[str],
            on: date | None = None) -> list[NoticeDocument]:
    """The notices of the first appraisal of the units ``codes`` (in that order), issued by the council
    that appraises each (a district's for its communes in a year with districts)."""
    on = on or date.today()
    deadline, rule = explanation_deadline(report_setup(session)[NOTICE], on)
    out = []
    for d in unit_documents(session, year, codes, "appraisal", on, stages=FIRST_ROUND):
        # the notice's own symbol, never the minutes' (number_suffix is the minutes' and publication's)
        meta = dataclasses.replace(d.meta, number=f"……/{number_symbol('notice')}")
        out.append(
            NoticeDocument(
                project_id=d.project_id, project_name=d.project_name, province=d.province, year=year,
                unit_code=d.unit_code, unit_name=d.unit_name, unit_kind=d.unit_kind,
                framework_identity=d.framework_identity, framework_sha256=d.framework_sha256,
                framework_citation=d.framework_issued_by.strip() or d.framework_title.strip(),
                rows=notice_rows(d), self_total=d.self_total, self_max=d.self_max,
                appraised_total=d.total, appraised_max=d.total_max, index=d.index,
                index_decimals=d.index_decimals, deadline=deadline, deadline_rule=rule, meta=meta,
            )
        )
    return out


def current_data(session: Session, embedded: dict[str, Any]) -> dict[str, Any]:
    """The data a notice or submission described by ``embedded`` (its ``data``) would show now, for
    ``verify --db``: a notice counted from the date it recorded, a submission as a draft (its approval is
    checked by the comparison, not refused)."""
    year = embedded.get("year")
    if not isinstance(year, int):
        raise UserError("report.embedded_no_document")
    if embedded.get("document") == "submission":
        data = submission(session, year, draft=True).data()
        if embedded.get("draft") is not True:
            data.pop("draft", None)
        return data
    code = (embedded.get("unit") or {}).get("code")
    if not isinstance(code, str):
        raise UserError("report.embedded_no_unit")
    counted = (embedded.get("explanation") or {}).get("counted_from")
    try:
        on = date.fromisoformat(counted) if isinstance(counted, str) else None
    except ValueError:
        on = None
    return notices(session, year, [code], on)[0].data()


# --- the submission ---------------------------------------------------------------------------------------
def _extremes(rows: list[Any], highest: bool) -> list[UnitIndex]:
    indexed = [r for r in rows if r.index is not None]
    if not indexed:
        return []
    best = max(r.index for r in indexed) if highest else min(r.index for r in indexed)
    return [UnitIndex(r.code, r.name, r.index) for r in indexed if r.index == best]


def _has_survey(session: Session, year: int) -> bool:
    """Whether the year has survey (XHH) results."""
    found = session.execute(
        select(Score.id)
        .join(Assessment, Assessment.id == Score.assessment_id)
        .join(Period, Period.id == Assessment.period_id)
        .where(Period.year == year, Score.stage == "survey")
        .limit(1)
    ).first()
    return found is not None


def submission(session: Session, year: int, on: date | None = None, *, draft: bool = False) -> Submission:
    """The submission of ``year``: every unit's result must be approved unless it is a ``draft``."""
    from evaluator.services.approval import require_approved
    from evaluator.services.publication_data import publication

    pub = publication(session, year, on)
    codes = [r.code for s in pub.sections for r in s.rows]
    if not draft:
        require_approved(session, year, codes)
    info = project_row(session)
    province = info.province or ""
    settings = report_setup(session)
    meta = DocumentMeta(
        issuing_body=[province_committee(province), HOME_AFFAIRS_NAME],
        place=place_of(province) or "……",
        number=f"……/{number_symbol('submission')}",
        date=pub.meta.date,
        chair=Person(),
        secretary=Person(),
        council=[],
        audit_heads=pub.meta.audit_heads,
    )
    sections = [
        SubmissionSection(
            kind=s.kind, label=s.label, units=len(s.rows), mean_index=s.mean_index,
            highest=_extremes(s.rows, True), lowest=_extremes(s.rows, False),
            classes=[(c, label, n, Decimal(share)) for c, label, n, share in s.classes], group=s.group,
        )
        for s in pub.sections
    ]
    return Submission(
        project_id=pub.project_id,
        project_name=pub.project_name,
        province=province,
        year=year,
        sections=sections,
        citations=list(dict.fromkeys(s.framework_citation for s in pub.sections if s.framework_citation)),
        criteria_sets=[{"kind": s.kind, "identity": s.framework_identity, "sha256": s.framework_sha256}
                       for s in pub.sections if not s.group],
        survey=_has_survey(session, year),
        signer=Person.of(settings["home_affairs_director"]),
        meta=meta,
        index_decimals=pub.index_decimals,
        draft=draft,
        units=len(codes),
    )
