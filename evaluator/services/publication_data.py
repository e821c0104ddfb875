"""What the results publication shows (công bố kết quả của năm): every kind's ranking, classes and area
means, gathered from a project — pure data like ``report_data``, which holds the header and the people."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pandas as pd
from sqlalchemy.orm import Session

from evaluator.messages import labels
from evaluator.models.schema import Unit
from evaluator.reports.authority import criteria_citation
from evaluator.reports.document_data import KIND_LABELS, ZERO, ChangeRow, KindSection, Publication, RankingRow
from evaluator.reports.text import tie_rule
from evaluator.services.report_data import document_meta, project_row
from evaluator.services.report_setup import report_setup

TIE_POLICY_LABELS = {
    "min": "đồng hạng, bỏ qua hạng kế tiếp (1-2-2-4)",
    "dense": "đồng hạng liền kề (1-2-2-3)",
    "ordinal": "không đồng hạng (1-2-3-4)",
}


def publication(session: Session, year: int, on: date | None = None, results: Any = None) -> Publication:
    """The year's publication; ``results``: the year's ``results.YearResults`` when the caller has them."""
    from evaluator.services.results import compute_year

    if results is None:
        results = compute_year(session, year)
    info = project_row(session)
    settings = report_setup(session)
    meta = document_meta(session, settings, "publication", on)
    sections = []
    decimals = 2
    short_names = dict(session.query(Unit.code, Unit.short_name).all())  # the charts' unit labels
    for kind, group in ((k, g) for k in results.kinds() for g in results.groups(k)):
        fw = results.frameworks[kind]
        decimals = fw.index_decimals
        frame = results.ranking(kind, group)
        if frame.empty and (group or len(results.groups(kind)) > 1):  # a group without units: no section
            continue
        area_frame = results.areas[results.areas["assessment"].isin(set(frame["assessment"]))]
        area_codes = [a.code for a in fw.areas(kind)]
        per_unit: dict[Any, dict[str, Decimal | None]] = {}
        for a in area_frame.itertuples(index=False):
            per_unit.setdefault(a.assessment, {})[str(a.area)] = _scaled(a.index_scaled, decimals)
        rows = []
        for r in frame.itertuples(index=False):
            rows.append(
                RankingRow(
                    code=str(r.code),
                    name=str(r.name),
                    points=_cents(r.points_c),
                    max=_cents(r.max_c),
                    index=_scaled(r.index_scaled, decimals),
                    rank=_int(r.rank),
                    rank_change=_int(r.rank_change),
                    points_change=None if _missing(r.points_change_c) else _cents(r.points_change_c),
                    class_label=str(r.class_label or ""),
                    areas={c: per_unit.get(r.assessment, {}).get(c) for c in area_codes},
                    short_name=str(short_names.get(str(r.code)) or ""),
                    basis=str(getattr(r, "previous_basis", "") or ""),
                )
            )
        s = results.group_summary[(kind, group)]
        classes = [
            (code, str(c["label"]), int(c["count"]), Decimal(str(c["share"])))
            for code, c in s["classes"].items()
        ]
        areas = []
        for area in fw.areas(kind):
            values = [v for r in rows if (v := r.areas.get(area.code)) is not None]
            mean = (
                (sum(values, ZERO) / len(values)).quantize(Decimal(1).scaleb(-decimals)) if values else None
            )
            areas.append((area.code, area.title, mean))
        sections.append(
            KindSection(
                kind=kind,
                label=(KIND_LABELS.get(kind) or labels.label("kind", kind, "vi"))  # a set's own kind too
                + (f" — nhóm {group}" if group else ""),
                framework_identity=fw.identity,
                framework_sha256=fw.sha256,
                tie_policy=TIE_POLICY_LABELS.get(fw.tie_policy, fw.tie_policy),
                rows=rows,
                mean_index=None if s["mean_index"] is None else Decimal(str(s["mean_index"])),
                classes=classes,
                areas=areas,
                compared=any(r.rank_change is not None for r in rows),
                group=group,
                tie_rule=tie_rule(fw.tie_policy, fw.tie_breakers, {a.code: a.title for a in fw.areas(kind)}),
                changes=_change_rows(results.changes, rows),
                framework_citation=criteria_citation(fw.title, fw.issued_by),
            )
        )
    return Publication(
        project_id=str(info.id),
        project_name=info.name,
        province=info.province,
        year=year,
        sections=sections,
        meta=meta,
        index_decimals=decimals,
    )


def _change_rows(changes: dict[str, Any], rows: list[RankingRow]) -> list[ChangeRow]:
    """The section's units that were assessed last year, in ranking order."""
    out = []
    for r in rows:
        c = changes.get(r.code)
        if c is None:
            continue
        counts = c.counts()
        out.append(ChangeRow(r.code, r.name, c.index_change, c.rank_change,
                             tuple((x.code, x.change) for x in c.gained),
                             tuple((x.code, x.change) for x in c.lost),
                             counts["fixed"], counts["not_fixed"], counts["dropped"],
                             c.basis, tuple(c.predecessors)))
    return out


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def _int(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _cents(value: Any) -> Decimal:
    return Decimal(int(value)).scaleb(-2)


def _scaled(value: Any, decimals: int) -> Decimal | None:
    if _missing(value) or int(value) < 0:
        return None
    return Decimal(int(value)).scaleb(-decimals)
