"""The demo project: one province, 22 departments, 8 districts and 40 communes, scored at every stage
for a year and the year before (so ranks can change), with small real evidence files. From 2025 on
(``--year 2025``) it covers 2023 to that year, the units of 2025 reorganised as Vietnam's were: departments
merged, no districts, communes merged, each with its predecessors.

Deterministic for a given seed: ids, times, scores and files all come from one random generator.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from evaluator.errors import UserError
from evaluator.frameworks.model import CENT, STAGES, Framework, Node
from evaluator.models import (
    Assessment,
    AuditEvent,
    Evidence,
    EvidenceStore,
    Project,
    Score,
    ScoreRevision,
    Unit,
    open_project,
)
from evaluator.models.audit_chain import chained_rows
from evaluator.models.evidence_store import TEMP_PREFIX, remove_stale
from evaluator.models.project import temp_path
from evaluator.scoring import evaluate
from evaluator.services.frameworks import framework_for_kind, framework_of
from evaluator.services.projects import create_project, ensure_period

PROVINCE = "Tỉnh An Khánh"
DEPARTMENTS = [
    "Sở Nội vụ", "Sở Tư pháp", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn", "Sở Giao thông vận tải", "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường", "Sở Thông tin và Truyền thông", "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Giáo dục và Đào tạo", "Sở Y tế",
    "Sở Ngoại vụ", "Thanh tra tỉnh", "Văn phòng UBND tỉnh", "Ban Dân tộc tỉnh",
    "Ban Quản lý các khu công nghiệp", "Văn phòng Đoàn ĐBQH và HĐND tỉnh", "Sở Du lịch",
]
DISTRICTS = ["Thành phố An Khánh", "Thị xã Hòa Lạc", "Huyện Đông Sơn", "Huyện Tây Hà", "Huyện Bắc Bình",
             "Huyện Nam Giang", "Huyện Phú Lộc", "Huyện Yên Thành"]
COMMUNE_NAMES = ["Xã Tân Lập", "Xã Hòa Bình", "Phường Trung Tâm", "Xã Đông Phong", "Xã Quảng Thành",
                 "Xã Thạnh Mỹ", "Phường An Phú", "Xã Phước Hưng", "Xã Vĩnh Hòa", "Xã Long Hưng",
                 "Xã Mỹ Lộc", "Phường Bình Minh", "Xã Hưng Đạo", "Xã Nghĩa Trung", "Xã Cát Tiên",
                 "Xã Đức Hòa", "Xã Thanh Sơn", "Phường Hải Châu", "Xã Tiến Thắng", "Xã Kim Liên"]

ROLES = {"self": "assessor", "appraisal1": "member", "explanation": "assessor", "appraisal2": "committee",
         "survey": "secretary"}
APPRAISAL_REASONS = ["Thiếu tài liệu kiểm chứng", "Tài liệu kiểm chứng không phù hợp nội dung tiêu chí",
                     "Ban hành chậm so với thời hạn quy định", "Số liệu báo cáo chưa khớp với hồ sơ",
                     "Chưa đủ căn cứ chấm điểm tối đa"]
AUTHORS = {"self": "Cán bộ đơn vị", "appraisal1": "Tổ thẩm định số 1", "explanation": "Đơn vị giải trình",
           "appraisal2": "Hội đồng thẩm định", "survey": "Điều tra XHH"}
EVIDENCE_TITLES = ["Kế hoạch CCHC năm {year}", "Báo cáo kết quả CCHC năm {year}",
                   "Quyết định kiện toàn Ban chỉ đạo CCHC", "Báo cáo tự đánh giá chấm điểm",
                   "Biên bản kiểm tra công tác CCHC", "Danh mục TTHC được công khai"]


@dataclass
class DemoUnit:
    code: str
    name: str
    kind: str
    parent_code: str | None
    quality: float
    """How well the unit does (0..1): drives every score."""


def demo_units(rng: random.Random) -> list[DemoUnit]:
    units = [DemoUnit(f"SO{i + 1:02d}", name, "department", None, rng.uniform(0.6, 0.97))
             for i, name in enumerate(DEPARTMENTS)]
    for d, name in enumerate(DISTRICTS):
        units.append(DemoUnit(f"H{d + 1:02d}", f"UBND {name[0].lower()}{name[1:]}", "district", None,
                              rng.uniform(0.62, 0.95)))
        for c in range(5):
            commune = COMMUNE_NAMES[(d * 5 + c) % len(COMMUNE_NAMES)]
            units.append(DemoUnit(f"X{d + 1:02d}{c + 1:02d}",
                                  f"UBND {commune[0].lower()}{commune[1:]} ({name})",
                                  "commune", f"H{d + 1:02d}", rng.uniform(0.45, 0.95)))
    return units


def _ids(rng: random.Random) -> Callable[[], uuid.UUID]:
    return lambda: uuid.UUID(int=rng.getrandbits(128), version=4)


def _quantize_step(value: Decimal, step: Decimal) -> Decimal:
    return ((value / step).to_integral_value() * step).quantize(CENT)


def raw_input(node: Node, kind: str, q: float, rng: random.Random) -> dict[str, Any]:
    """A plausible input for a leaf from a unit of quality ``q``."""
    rule = node.rule
    assert rule is not None
    mx = node.max[kind]
    k = rule.kind
    q = min(max(q + rng.gauss(0, 0.12), 0.0), 1.0)
    if k == "binary":
        return {"done": rng.random() < q + 0.1}
    if k == "options":
        levels = list(rule.levels)
        position = min(int((1 - q) * len(levels) * 0.9), len(levels) - 1)
        return {"option": levels[position].code}
    if k in ("bands", "proportional"):
        if rule.input == "ratio":
            den = rng.randint(8, 240)
            return {"numerator": min(den, round(den * min(1.0, q + 0.1))), "denominator": den}
        return {"value": round(min(100.0, q * 100 + 5), 2)}
    if k == "count":
        per = rule.per_item or Decimal("0.25")
        if rule.mode == "deduct":
            return {"count": max(0, round((1 - q) * 4 + rng.uniform(-1, 1)))}
        return {"count": max(0, round(float(mx / per) * q))}
    if k in ("external", "rank", "minmax"):
        return {"value": round(min(100.0, 55 + q * 45 + rng.uniform(-3, 3)), 2)}
    step = rule.step or Decimal("0.25")
    return {"points": _quantize_step(mx * Decimal(str(round(q, 3))), step)}


_SHORT_PREFIXES = (("Sở ", ""), ("UBND huyện ", "H. "), ("UBND thị xã ", "TX. "), ("UBND thành phố ", "TP. "),
                   ("UBND xã ", "X. "), ("UBND phường ", "P. "), ("UBND thị trấn ", "TT. "))


def short_name(name: str) -> str:
    """The name charts and narrow tables show, as provinces abbreviate them ("Sở Nội vụ" → "Nội vụ",
    "UBND huyện An Lão" → "H. An Lão"); other names are short already."""
    for prefix, short in _SHORT_PREFIXES:
        if name.startswith(prefix):
            return short + name[len(prefix):]
    return name


def _pdf_bytes(title: str, unit: str, year: int) -> bytes:
    from reportlab import rl_config
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    # Same bytes for the same text whatever else ran in this process: invariant dates and ids, and the
    # stream encoding pinned (the report module sets rl_config.useA85 globally when it is imported).
    saved, rl_config.useA85 = rl_config.useA85, 0
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    pdf.setFont("Helvetica-Bold", 14)
    pdf.drawString(72, 770, _ascii(title))
    pdf.setFont("Helvetica", 11)
    pdf.drawString(72, 745, _ascii(f"{unit} - {year}"))
    pdf.drawString(72, 720, "Tai lieu kiem chung (demo).")
    pdf.showPage()
    try:
        pdf.save()
    finally:
        rl_config.useA85 = saved
    return buffer.getvalue()


def _ascii(text: str) -> str:
    import unicodedata

    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def build_demo(db: str | Path, *, seed: int = 2024, year: int = 2024,
               progress: Callable[[str], None] | None = None) -> Project:
    """Build the demo project at ``db`` (a file that must not exist) and return it open.

    It is built under a temporary name (``.incoming-<name>-<random>.db`` and its evidence folder) and
    renamed into place when complete: a build killed half-way never leaves a half-made project under
    the real name (which would make the next ``demo`` refuse it as existing). What such a build left is
    removed by the next build once stale (a younger one may be another build running now).
    """
    target = Path(db).expanduser().absolute()
    if target.exists():
        raise UserError("projects.exists", target=target)
    if not target.parent.is_dir():
        raise UserError("projects.demo_no_folder", target=target, folder=target.parent)
    remove_stale(target.parent, f"{TEMP_PREFIX}{target.name}-")
    tmp = temp_path(target, ".db")
    try:
        _build(tmp, seed=seed, year=year, progress=progress).close()
        _checkpoint(tmp)
        _move_into_place(tmp, target)
    except BaseException:
        for extra in ("", "-journal", "-wal", "-shm"):
            Path(f"{tmp}{extra}").unlink(missing_ok=True)
        shutil.rmtree(tmp.with_suffix(".evidence"), ignore_errors=True)
        raise
    return open_project(target)


def _checkpoint(db: Path) -> None:
    """Fold the write-ahead log into the file, so that the file alone is the whole project."""
    con = sqlite3.connect(str(db))
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    if Path(f"{db}-wal").exists() and Path(f"{db}-wal").stat().st_size:
        raise UserError("projects.demo_unfinished", db=db)


def _move_into_place(tmp: Path, target: Path) -> None:
    """Evidence first, then the project file: the rename of the file is the moment the demo exists."""
    made, final = tmp.with_suffix(".evidence"), target.with_suffix(".evidence")
    if made.is_dir():
        if not final.exists():
            os.replace(made, final)
        else:  # content-addressed: files already there are the same bytes; add the missing ones
            store = EvidenceStore(final)
            for path in EvidenceStore(made).stored():
                wanted = store.path(path.name)
                if not wanted.is_file():
                    wanted.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(path, wanted)
            shutil.rmtree(made)
    for extra in ("-wal", "-shm"):
        Path(f"{tmp}{extra}").unlink(missing_ok=True)
    if target.exists():
        raise UserError("projects.demo_appeared", target=target)
    os.replace(tmp, target)


def _build(db: Path, *, seed: int, year: int, progress: Callable[[str], None] | None) -> Project:
    """Two years up to 2024 (``year`` and the one before); from 2025 on, 2023 and 2024 exactly as the 2024
    demo builds them (same ids, scores and files for the same seed), then the 2025 reorganisation
    (``REORGANISATION_2025``) and the years from 2025 to ``year`` with the units of the new shape."""
    rng = random.Random(seed)
    new_id = _ids(rng)
    first = min(year, REORGANISED_FROM - 1)
    base_time = datetime(first, 11, 1, 8, 0, tzinfo=UTC)
    units = demo_units(rng)
    years = [first - 1, *range(first, year + 1)]
    project = create_project(db, years, name=f"Thẩm định Chỉ số CCHC {year} — {PROVINCE}",
                             province=PROVINCE)
    store = project.evidence
    with project.session() as session:
        unit_rows = {}
        for u in units:
            row = Unit(id=new_id(), code=u.code, name=u.name, kind=u.kind, parent_code=u.parent_code,
                       short_name=short_name(u.name), created_at=base_time - timedelta(days=400))
            session.add(row)
            unit_rows[u.code] = row
        session.flush()
        for y in years:
            if y == REORGANISED_FROM:
                units = _reorganise(session, units, unit_rows, rng, new_id, base_time.replace(year=y))
            # A few communes were created in the second year: they have no previous rank.
            members = [u for u in units
                       if not (y == first - 1 and u.code.endswith("05") and u.kind == "commune")]
            if progress:
                progress(f"{y}: chấm điểm {len(members) if y >= REORGANISED_FROM else len(units)} đơn vị")
            _score_year(session, y, members, unit_rows, store, rng, new_id,
                        status="appraisal2" if y == year else "approved", shaken=y == first - 1,
                        t=base_time.replace(year=y))
    return project


def _score_year(session: Any, y: int, members: list[DemoUnit], unit_rows: dict[str, Unit], store: Any,
                rng: random.Random, new_id: Callable[[], uuid.UUID], *, status: str, shaken: bool,
                t: datetime) -> None:
    """Every member's assessment of year ``y``, scored at every stage, with evidence files (``shaken``: the
    first year, each unit a little off its usual quality)."""
    period = ensure_period(session, y)
    sets = {kind: framework_for_kind(session, y, kind) for kind in {u.kind for u in members}}
    scores: list[dict[str, Any]] = []
    revisions: list[dict[str, Any]] = []
    audits: list[dict[str, Any]] = []
    evidence: list[dict[str, Any]] = []
    for u in members:
        set_row = sets[u.kind]
        fw = framework_of(set_row)
        a_id = new_id()
        session.add(Assessment(id=a_id, unit_id=unit_rows[u.code].id, period_id=period.id,
                               criteria_set_id=set_row.id, status=status, created_at=t, updated_at=t))
        q = u.quality + (rng.uniform(-0.08, 0.05) if shaken else 0)
        _score_unit(fw, u, q, y, a_id, t, rng, new_id, scores, revisions, audits)
        evidence.extend(_evidence_for(fw, u, y, a_id, t, rng, new_id, store))
    session.flush()
    audits = chained_rows(session.connection(), audits)  # bulk audit rows carry their hash chain
    for table, rows in ((Score, scores), (ScoreRevision, revisions), (AuditEvent, audits),
                        (Evidence, evidence)):
        for i in range(0, len(rows), 5000):
            session.execute(insert(table), rows[i:i + 5000])


REORGANISED_FROM = 2025
"""The year the demo province's units change shape (Vietnam's reorganisation of 2025)."""

REORGANISATION_2025: list[tuple[str, str, tuple[str, ...], str]] = [
    # (code, name, predecessors, basis): a unit among its own predecessors absorbed the others
    ("SO01", "Sở Nội vụ", ("SO01", "SO11"), "merged"),  # labour and social affairs into home affairs
    ("SO03", "Sở Tài chính", ("SO03", "SO04"), "merged"),  # planning and investment into finance
    ("SO08", "Sở Xây dựng", ("SO07", "SO08"), "merged"),  # transport into construction
    ("SO13", "Sở Khoa học và Công nghệ", ("SO10", "SO13"), "merged"),  # information and communications
    ("SO12", "Sở Văn hóa, Thể thao và Du lịch", ("SO12", "SO22"), "merged"),  # tourism back into culture
    ("SO23", "Sở Nông nghiệp và Môi trường", ("SO06", "SO09"), "merged"),  # agriculture + natural resources
    ("SO24", "Sở Dân tộc và Tôn giáo", ("SO19",), "renamed"),  # the ethnic committee becomes a department
]
"""The departments of 2025: merged as the government's reorganisation of 1 March 2025 merged them."""

COMMUNES_2025 = ["Phường An Khánh", "Phường Bắc An Khánh", "Phường Hòa Lạc", "Phường Hòa Thạnh",
                 "Xã Đông Sơn", "Xã Đông Hưng", "Xã Tây Hà", "Xã Tây Sơn", "Xã Bắc Bình", "Xã Bình Phước",
                 "Xã Nam Giang", "Xã Giang Thành", "Xã Phú Lộc", "Xã Lộc An", "Xã Yên Thành", "Xã Yên Phú"]
"""The 16 communes and wards of 2025, two per former district: the first from its communes ..01–..03,
the second from ..04–..05 (directly under the province: there are no districts from 1 July 2025)."""


def _reorganise(session: Any, units: list[DemoUnit], unit_rows: dict[str, Unit], rng: random.Random,
                new_id: Callable[[], uuid.UUID], t: datetime) -> list[DemoUnit]:
    """The 2025 shape: departments merged, districts retired, communes merged; predecessors recorded, the
    old units retired from 2025 with their history. Returns the units in use from 2025."""
    from evaluator.models import UnitPredecessor
    from evaluator.services.reorganisation import year_start

    by_code = {u.code: u for u in units}
    gone: set[str] = set()
    made: list[DemoUnit] = []
    links: list[tuple[str, str, str]] = []  # (unit, predecessor, basis)
    for code, name, preds, basis in REORGANISATION_2025:
        quality = sum(by_code[p].quality for p in preds) / len(preds)
        made.append(DemoUnit(code, name, "department", None, min(0.97, quality + rng.uniform(-0.03, 0.03))))
        for p in preds:
            links.append((code, p, "same" if p == code else basis))
            if p != code:
                gone.add(p)
    districts = [u for u in units if u.kind == "district"]
    gone.update(d.code for d in districts)
    for d, district in enumerate(districts):
        communes = sorted(u.code for u in units if u.parent_code == district.code)
        for part, olds in enumerate((communes[:3], communes[3:])):
            code = f"X25{2 * d + part + 1:02d}"
            name = COMMUNES_2025[2 * d + part]
            quality = sum(by_code[c].quality for c in olds) / len(olds)
            made.append(DemoUnit(code, f"UBND {name[0].lower()}{name[1:]}", "commune", None,
                                 min(0.95, quality + rng.uniform(-0.03, 0.03))))
            links.extend((code, c, "merged") for c in olds)
            gone.update(olds)
    for u in made:
        if u.code not in unit_rows:
            row = Unit(id=new_id(), code=u.code, name=u.name, kind=u.kind, parent_code=None,
                       short_name=short_name(u.name), created_at=t)
            session.add(row)
            unit_rows[u.code] = row
        else:
            unit_rows[u.code].name, unit_rows[u.code].short_name = u.name, short_name(u.name)
    session.flush()
    for unit, pred, basis in links:
        session.add(UnitPredecessor(id=new_id(), unit_id=unit_rows[unit].id,
                                    predecessor_id=unit_rows[pred].id,
                                    basis=basis, from_year=REORGANISED_FROM, created_by="demo", created_at=t))
    for code in sorted(gone):
        unit_rows[code].retired_at = year_start(REORGANISED_FROM)
    session.flush()
    kept = {u.code for u in made}
    return [u for u in units if u.code not in gone and u.code not in kept] + made


def _score_unit(fw: Framework, u: DemoUnit, q: float, year: int, a_id: uuid.UUID, t: datetime,
                rng: random.Random, new_id: Callable[[], uuid.UUID], scores: list[dict[str, Any]],
                revisions: list[dict[str, Any]], audits: list[dict[str, Any]]) -> None:
    for node in fw.leaves(u.kind):
        stages: list[tuple[str, dict[str, Any], str]] = []
        if node.not_applicable_allowed and rng.random() < 0.06:
            stages.append(("self" if node.source != "survey" else "survey", {"not_applicable": True},
                           "Đơn vị không phát sinh nhiệm vụ này"))
        elif node.source == "survey":
            if node.role != "scored" or rng.random() < 0.98:
                stages.append(("survey", raw_input(node, u.kind, q, rng), "Kết quả điều tra xã hội học"))
        else:
            claimed = raw_input(node, u.kind, min(q + 0.12, 1.0), rng)
            stages.append(("self", claimed, "Đơn vị tự chấm"))
            appraised = raw_input(node, u.kind, q, rng) if rng.random() < 0.35 else claimed
            reason = rng.choice(APPRAISAL_REASONS) if appraised != claimed else "Thống nhất với điểm tự chấm"
            stages.append(("appraisal1", appraised, reason))
            if appraised != claimed and rng.random() < 0.4:
                stages.append(("explanation", claimed, "Đơn vị giải trình, bổ sung tài liệu kiểm chứng"))
                accepted = rng.random() < 0.5
                stages.append(("appraisal2", claimed if accepted else appraised,
                               "Chấp nhận giải trình" if accepted else "Giữ nguyên kết quả thẩm định vòng 1"))
        for i, (stage, value, note) in enumerate(stages):
            result = evaluate(node, u.kind, value)
            stamp = t + timedelta(days=7 * i, minutes=rng.randint(0, 600))
            s_id, r_id = new_id(), new_id()
            author = AUTHORS[stage]
            row = {"id": s_id, "assessment_id": a_id, "criterion_code": node.code, "stage": stage,
                   "value": None if value.get("not_applicable") else value, "points": result.points,
                   "not_applicable": result.not_applicable, "note": note, "author": author,
                   "device_id": "demo", "updated_at": stamp, "revision": 1, "base_revision_id": None}
            scores.append(row)
            revisions.append({"id": r_id, "score_id": s_id, "revision": 1, "value": row["value"],
                              "points": result.points, "not_applicable": result.not_applicable, "note": note,
                              "author": author, "device_id": "demo", "time": stamp, "base_revision_id": None})
            audits.append({"id": new_id(), "time": stamp, "author": author, "role": ROLES[stage],
                           "device_id": "demo",
                           "action": "score.set", "assessment_id": a_id, "criterion_code": node.code,
                           "stage": stage, "old": None,
                           "new": {"points": result.points, "not_applicable": result.not_applicable,
                                   "value": row["value"]},
                           "reason": note if stage in ("appraisal1", "appraisal2") else ""})
    assert all(s in (*STAGES, "survey") for s in (r["stage"] for r in scores[-3:]))


def _evidence_for(fw: Framework, u: DemoUnit, year: int, a_id: uuid.UUID, t: datetime, rng: random.Random,
                  new_id: Callable[[], uuid.UUID], store: Any) -> list[dict[str, Any]]:
    rows = []
    leaves = [n for n in fw.leaves(u.kind) if n.source != "survey"]
    wanted = [n for n in leaves if n.evidence_required] + rng.sample(leaves, k=min(3, len(leaves)))
    seen: set[str] = set()
    for n, node in enumerate(wanted):
        if node.code in seen:
            continue
        seen.add(node.code)
        title = EVIDENCE_TITLES[n % len(EVIDENCE_TITLES)].format(year=year)
        if n % 2 == 0:
            data, name = _pdf_bytes(title, u.name, year), f"{_ascii(title)[:40]}.pdf"
            media = "application/pdf"
        else:
            text = f"{title}\n{u.name}\nTiêu chí {node.code}: {node.title}\n"
            data, name, media = text.encode("utf-8"), f"{_ascii(title)[:40]}.txt", "text/plain"
        sha, size = store.put(data, name)
        rows.append({"id": new_id(), "assessment_id": a_id, "criterion_code": node.code, "stage": "self",
                     "sha256": sha, "file_name": name, "size": size, "media_type": media,
                     "reference": f"Trang {rng.randint(1, 12)}", "added_by": AUTHORS["self"], "added_at": t})
    return rows
