"""The Department of Home Affairs' analysis of the results (issue 15), from the demo as a real PDF: header
"UBND TỈNH … / SỞ NỘI VỤ", BC-SNV, "GIÁM ĐỐC" with the name from the setting; its figures checked against
``services.results`` (class counts and shares summing to 100 %, means, last year's means, area averages,
rank movers) and against the minutes' own scoring (each unit's lost points); charts labelled by name at
10 pt or more; landscape appendices; approval required unless a draft."""

from __future__ import annotations

import subprocess
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pandas as pd
import pki
import pytest
from test_report_form import Piece, find, pieces

from evaluator.errors import UserError
from evaluator.models import open_project
from evaluator.reports import read_attachment, render, text
from evaluator.services.report_setup import set_report_setup

DAY = date(2025, 2, 5)
DIRECTOR = {"name": "Nguyễn Thị Mai", "position": "Phó Giám đốc Sở Nội vụ"}


def pdftext(path: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", "-layout", *pages, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = pki.copy_project(pki.demo_project(tmp_path_factory), tmp_path_factory.mktemp("analysis"))
    with open_project(db) as p, p.session(write=True) as s:
        set_report_setup(s, {**pki.REPORT_SETTINGS, "home_affairs_director": DIRECTOR})
    return db


@pytest.fixture(scope="module")
def made(project: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path, Any, Any]:
    """The analysis (data), its PDF, the year's results and last year's."""
    from evaluator.services.decision_data import analysis
    from evaluator.services.results import compute_year

    out = tmp_path_factory.mktemp("analysis-pdf") / "bc.pdf"
    with open_project(project) as p, p.session() as s:
        a = analysis(s, 2024, DAY)
        now, before = compute_year(s, 2024), compute_year(s, 2023)
    a.draft = True
    out.write_bytes(render(a).data)
    return a, out, now, before


@pytest.fixture(scope="module")
def measured(made: tuple[Any, Path, Any, Any]) -> list[Piece]:
    return pieces(made[1])


def test_header_symbol_and_signature(made: tuple[Any, Path, Any, Any]) -> None:
    _a, pdf, _now, _before = made
    first = pdftext(pdf, 1)
    assert "UBND TỈNH AN KHÁNH" in first and "SỞ NỘI VỤ" in first and "Số: ……/BC-SNV" in first
    assert "DỰ THẢO" in first and "BÁO CÁO" in first
    assert "Phân tích, đánh giá kết quả Chỉ số cải cách hành chính năm 2024" in first
    flat = " ".join(pdftext(pdf).split())
    for line in ("Căn cứ Quyết định số 1987/QĐ-UBND", "I. KHÁI QUÁT KẾT QUẢ", "II. SỞ, BAN, NGÀNH",
                 "III. UBND CẤP HUYỆN", "IV. UBND CẤP XÃ", "V. ĐỀ XUẤT, KIẾN NGHỊ", "Nơi nhận:",
                 "- Lưu: VT, CCHC.", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "Nguyễn Thị Mai",
                 "(Kèm theo Báo cáo số ……/BC-SNV ngày 05 tháng 02 năm 2025 của Sở Nội vụ)"):
        assert line in flat, line


def test_figures_against_the_results(made: tuple[Any, Path, Any, Any]) -> None:
    a, pdf, now, before = made
    flat = " ".join(pdftext(pdf).split())
    assert [k.section.kind for k in a.kinds] == now.kinds()
    for k in a.kinds:
        s, kind = k.section, k.section.kind
        summary = now.summary[kind]
        assert s.mean_index == Decimal(str(summary["mean_index"]))
        assert k.previous_mean == Decimal(str(before.summary[kind]["mean_index"]))
        assert sum(share for *_x, share in s.classes) == Decimal(100)
        counts = [(c, v["count"]) for c, v in summary["classes"].items()]
        assert [(c, n) for c, _l, n, _s in s.classes] == counts
        assert sum(n for _c, _l, n, _s in s.classes) == len(now.ranking(kind))
        for _c, label, n, share in s.classes:
            assert f"{label}: {n} đơn vị, {text.index(share)}%" in flat
        change = text.vn_number(s.mean_index - k.previous_mean, 2, sign=True)
        assert (f"Chỉ số CCHC trung bình {text.index(s.mean_index)}% (năm 2023: "
                f"{text.index(k.previous_mean)}%, {change} điểm phần trăm)") in flat
        # the province's average per area: the mean of every unit's component index
        ranking = now.ranking(kind)
        areas = now.areas[now.areas["assessment"].isin(set(ranking["assessment"]))]
        decimals = now.frameworks[kind].index_decimals
        for code, _title, mean in s.areas:
            values = [Decimal(int(v)).scaleb(-decimals) for v in areas[areas["area"] == code]["index_scaled"]]
            assert mean == (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))
        # movers: the biggest rank changes of the results, up and down
        changes = {str(r.code): int(r.rank_change) for r in ranking.itertuples(index=False)
                   if not pd.isna(r.rank_change)}
        ups = sorted((v for v in changes.values() if v > 0), reverse=True)[:5]
        downs = sorted(v for v in changes.values() if v < 0)[:5]
        assert [m.rank_change for m in k.risers] == ups and [m.rank_change for m in k.fallers] == downs
        for m in k.risers + k.fallers:
            assert changes[m.code] == m.rank_change and text.rank_change(m.rank_change, True) in flat
        best = ranking[ranking["rank"] == ranking["rank"].min()].iloc[0]
        assert k.best[0].code == best["code"] and f"Dẫn đầu: {best['name']}" in flat
        assert len(k.losses) == len(ranking)


def test_lost_points_agree_with_the_minutes(made: tuple[Any, Path, Any, Any], project: Path) -> None:
    """Each unit's lost points (batch scoring) against its minutes' rows (the unit scorer), for the
    departments; and the criteria most units lost points on counted from them."""
    from evaluator.services.report_data import unit_documents

    a, pdf, _now, _before = made
    k = a.kinds[0]
    codes = [u.code for u in k.losses]
    with open_project(project) as p, p.session() as s:
        minutes = {d.unit_code: d for d in unit_documents(s, 2024, codes, "appraisal", DAY)}
    counted: dict[str, int] = {}
    for u in k.losses:
        rows = [r for r in minutes[u.code].rows if r.is_leaf and r.role == "scored" and not r.not_applicable]
        lost = {r.code: r.max - (r.appraised or Decimal(0)) for r in rows if r.max - (r.appraised or 0) > 0}
        assert {p.code: p.lost for p in u.points} == lost, u.code
        for code in lost:
            counted[code] = counted.get(code, 0) + 1
    top = k.criteria[0]
    assert top.units == max(counted.values()) and counted[top.code] == top.units
    assert [c.units for c in k.criteria] == sorted((c.units for c in k.criteria), reverse=True)
    appendix = " ".join(pdftext(pdf).split())
    first = k.losses[0]
    assert f"{first.points[0].code} ({text.vn_number(-first.points[0].lost, 2)})" in appendix
    assert text.points(first.total) in appendix


def test_charts_by_name_readable_and_landscape_appendices(made: tuple[Any, Path, Any, Any],
                                                          measured: list[Piece]) -> None:
    _a, pdf, now, _before = made
    assert not [p for p in measured if p.size < 10]  # chart labels 10 pt, everything else 11 pt or more
    assert {p.size for p in measured if p.text == "Văn phòng UBND tỉnh"} >= {10}  # a bar labelled by name
    words = set(pdftext(pdf).split())
    assert not words & set(now.units["code"])
    first_appendix = min(p.page for p in measured if p.text == "Phụ lục I")
    landscape = {p.page for p in measured if p.page_width > p.page_height}
    assert min(landscape) == first_appendix and max(landscape) == max(p.page for p in measured)
    assert {p.text for p in measured if p.text.startswith("Phụ lục ") and p.page in landscape} == {
        "Phụ lục I", "Phụ lục II", "Phụ lục III"}
    find(measured, "Nơi nhận:")


@pytest.mark.slow
def test_attachment_and_approval(made: tuple[Any, Path, Any, Any], project: Path, tmp_path: Path) -> None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    from evaluator.services.documents import gather, produce
    from evaluator.services.report_compare import current_data

    _a, pdf, _now, _before = made
    with open(pdf, "rb") as fh:
        payload = read_attachment(PdfFileReader(fh, strict=False))
    assert payload is not None and payload["signature_fields"] == ["director"]
    data = payload["data"]
    assert data["document"] == "analysis" and data["signer"]["heading"] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert [k["kind"] for k in data["kinds"]] == ["department", "district", "commune"]
    assert sum(c["share"] for c in data["kinds"][0]["classes"]) == pytest.approx(100)
    with open_project(project) as p:
        with p.session() as s:
            assert current_data(s, data) == data  # verify --db rebuilds it
        with pytest.raises(UserError, match="SO01"):
            gather(p, "analysis", 2024, None, DAY)  # not approved: refused, naming the units
        made_draft = produce(p, "analysis", 2024, None, tmp_path / "bc.pdf", on=DAY, draft=True)
    assert made_draft.files == [tmp_path / "bc.pdf"] and "DỰ THẢO" in pdftext(tmp_path / "bc.pdf", 1)


@pytest.mark.slow
def test_a_first_year_has_nothing_to_compare(project: Path, tmp_path: Path) -> None:
    from evaluator.services.decision_data import analysis

    with open_project(project) as p, p.session() as s:
        a = analysis(s, 2023, DAY)
    assert all(k.previous_mean is None and not k.risers and not k.fallers for k in a.kinds)
    out = tmp_path / "bc-2023.pdf"
    out.write_bytes(render(a).data)
    flat = " ".join(pdftext(out).split())
    assert flat.count("Chưa có kết quả năm 2022 để so sánh.") == len(a.kinds)
    assert "điểm phần trăm" not in flat
