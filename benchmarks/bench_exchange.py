"""Exchange at province scale, in one run:

1. team packages: a project with N units (120 leaves, 4 stages, one small evidence file each) exports one
   package per unit; a committee project (the same project before any score) imports all N at once;
2. consolidated workbooks: N workbooks (one unit each, every stage of every leaf) are read with the fastest
   reader available (python-calamine, every sheet to Python values) and then imported with
   ``import_workbooks`` into another copy of the committee project.

    python benchmarks/bench_exchange.py [--units 1000] [--leaves 120] [--keep DIR]
                                        [--only packages|workbooks] [--workbooks N]

``--only`` runs one of the two parts; ``--workbooks N`` sets the number of workbooks (default: ``--units``;
the committee project then has max(units, N) units, so every workbook names a unit it already has).

Targets (issue 5): N = 1,000 packages imported in ≤ 60 s; the whole workbook import within 1.5× of reading
the workbooks alone. The workbook part also measures the storage floor: the same score and revision rows
inserted with plain ``sqlite3`` from ready-made tuples (``workbook_sqlite_floor_s``), and the score rows alone
(``…_scores_only_s``); each ``…_ratio`` is reading plus that floor over reading alone: what no import that
reads the files and then stores those rows can beat.

3. evidence at real volumes: a team project whose evidence is ``BENCH_EVIDENCE_FILES`` files (default 40) of
   ``BENCH_EVIDENCE_MB`` MB (default 2; the issue's measure is 25, i.e. 1 GB) of incompressible bytes that
   start as a PDF does, exported into one package and imported into the committee's project, each against
   the floor of the same run: ``shutil.copyfile`` of every evidence file into a temporary folder. Targets
   (issue 17): export ≤ 2× the copy, import ≤ 2.5× the copy (it checks every SHA-256). The machine may be
   shared: ``BENCH_EVIDENCE_ROUNDS`` rounds (default 5) each time copy, durable copy, export and import in
   turn; the figures are the medians (each round's ratios under ``evidence_rounds``, the load average before
   and after beside them). The import also against the same copy flushed to disk
   (``evidence_import_vs_fsync_copy``): the import makes every file durable before it counts as imported,
   the floor does not. ``--only evidence`` runs this part alone; the disk needs about four times the
   evidence's size while it runs.

4. a day's work as an incremental package (issue 17): the team project of part 1, with
   ``BENCH_BASE_FILES`` scanned files (default 100) of ``BENCH_DAY_MB`` MB (default 1) attached to its units
   as the year's evidence so far, exports its first package with ``since_last`` (full, as the first one
   always is), then scores every leaf of 2 units at the self-assessment stage and attaches 10 more such
   files, and exports again with ``since_last``: only that day's work. Its size and time against the full
   one's, and the committee's import of each (the full one first; then the increment on top).
   ``--only increments`` runs this part alone (on ``--units`` units).

The last line printed is one JSON object with the figures and the targets.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
import zipfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scoring import national_framework
from sqlalchemy import insert, select

from evaluator.frameworks.model import STAGES
from evaluator.models import (
    Assessment,
    AuditEvent,
    Evidence,
    Score,
    ScoreRevision,
    Unit,
    open_project,
)
from evaluator.models.audit_chain import chained_rows
from evaluator.services.exchange import export_package, import_packages
from evaluator.services.frameworks import store_framework
from evaluator.services.projects import ensure_period
from evaluator.services.workbook_import import import_workbooks

YEAR = 2024
PACKAGE_TARGET_S = 60.0
WORKBOOK_RATIO_TARGET = 1.5
EVIDENCE_EXPORT_TARGET = 2.0
EVIDENCE_IMPORT_TARGET = 2.5


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the source project -----------------------------------------------------------------------------
def build(folder: Path, n_units: int, n_leaves: int, *, scores: bool = True) -> tuple[Path, Path, Any]:
    """(team project with scores, committee snapshot without scores, framework); ``scores=False`` leaves
    the team project without scores too (the workbook part needs only the committee snapshot)."""
    fw = national_framework(n_leaves)
    team = folder / "team.db"
    rng = random.Random(5)
    with open_project(team, create=True, name="Bench") as project:
        with project.session() as s:
            set_row = store_framework(s, fw)
            period = ensure_period(s, YEAR)
            units = [
                {
                    "id": uuid.uuid4(),
                    "code": f"U{i:05d}",
                    "name": f"Đơn vị {i}",
                    "kind": "district",
                    "parent_code": None,
                    "created_at": datetime.now(UTC),
                }
                for i in range(n_units)
            ]
            s.execute(insert(Unit), units)
            assessments = [
                {
                    "id": uuid.uuid4(),
                    "unit_id": u["id"],
                    "period_id": period.id,
                    "criteria_set_id": set_row.id,
                    "status": "appraisal2",
                    "locked_stages": "",
                    "created_at": datetime.now(UTC),
                    "updated_at": datetime.now(UTC),
                }
                for u in units
            ]
            s.execute(insert(Assessment), assessments)
        project.close()
        committee = folder / "committee.db"
        shutil.copyfile(team, committee)
        if not scores:
            return team, committee, fw
        leaves = fw.leaves("district")
        t0 = datetime(YEAR, 11, 1, tzinfo=UTC)
        store = project.evidence
        with project.session() as s:
            for chunk in range(0, n_units, 100):
                scores, revisions, audits, evidence = [], [], [], []
                for a in assessments[chunk : chunk + 100]:
                    for node in leaves:
                        mx = node.max["district"]
                        for k, stage in enumerate(STAGES):
                            points = (mx * Decimal(rng.randint(50, 100)) / 100).quantize(Decimal("0.01"))
                            sid, rid, when = uuid.uuid4(), uuid.uuid4(), t0 + timedelta(days=7 * k)
                            scores.append(
                                {
                                    "id": sid,
                                    "assessment_id": a["id"],
                                    "criterion_code": node.code,
                                    "stage": stage,
                                    "value": {"points": points},
                                    "points": points,
                                    "not_applicable": False,
                                    "note": "ghi chú",
                                    "author": "Tổ 1",
                                    "device_id": "bench",
                                    "updated_at": when,
                                    "revision": 1,
                                    "base_revision_id": None,
                                }
                            )
                            revisions.append(
                                {
                                    "id": rid,
                                    "score_id": sid,
                                    "revision": 1,
                                    "value": {"points": points},
                                    "points": points,
                                    "not_applicable": False,
                                    "note": "ghi chú",
                                    "author": "Tổ 1",
                                    "device_id": "bench",
                                    "time": when,
                                    "base_revision_id": None,
                                }
                            )
                            audits.append(
                                {
                                    "id": uuid.uuid4(),
                                    "time": when,
                                    "author": "Tổ 1",
                                    "role": "",
                                    "device_id": "bench",
                                    "action": "score.set",
                                    "assessment_id": a["id"],
                                    "criterion_code": node.code,
                                    "stage": stage,
                                    "old": None,
                                    "new": {"points": points},
                                    "reason": "",
                                }
                            )
                    content = f"Biên bản kiểm tra {a['id']}".encode()
                    sha, size = store.put(content, "bb.txt")
                    evidence.append(
                        {
                            "id": uuid.uuid4(),
                            "assessment_id": a["id"],
                            "criterion_code": leaves[0].code,
                            "stage": "self",
                            "sha256": sha,
                            "file_name": "bien-ban.txt",
                            "size": size,
                            "media_type": "text/plain",
                            "reference": "",
                            "added_by": "Tổ 1",
                            "added_at": t0,
                        }
                    )
                for model, rows in (
                    (Score, scores),
                    (ScoreRevision, revisions),
                    (AuditEvent, chained_rows(s.connection(), audits)),  # with their hash chain
                    (Evidence, evidence),
                ):
                    s.execute(insert(model), rows)
    return team, committee, fw


# --- consolidated workbooks, written directly as SpreadsheetML (fast and dependency-free) ------------
def _cell(ref: str, value: Any) -> str:
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return f'<c r="{ref}"><v>{value}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(str(value))}</t></is></c>'


def _col(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _sheet(rows: list[list[Any]]) -> str:
    body = "".join(
        f'<row r="{r + 1}">' + "".join(_cell(f"{_col(c)}{r + 1}", v) for c, v in enumerate(row)) + "</row>"
        for r, row in enumerate(rows)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<sheetData>{body}</sheetData></worksheet>"
    )


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> None:
    names = list(sheets)
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ctype}.sheet.main+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="{ctype}.worksheet+xml"/>'
                for i in range(len(names))
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" '
            f'xmlns:r="{rel}"><sheets>'
            + "".join(f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="'
            'http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i + 1}" Type="{rel}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(len(names))
            )
            + "</Relationships>",
        )
        for i, n in enumerate(names):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", _sheet(sheets[n]))
    path.write_bytes(buf.getvalue())


def write_workbooks(folder: Path, fw: Any, n_units: int) -> list[Path]:
    rng = random.Random(11)
    leaves = fw.leaves("district")
    paths = []
    for i in range(n_units):
        code = f"U{i:05d}"
        scores: list[list[Any]] = [
            ["unit_code", "criterion_code", "stage", "points", "not_applicable", "note"]
        ]
        for node in leaves:
            mx = node.max["district"]
            for stage in STAGES:
                scores.append(
                    [
                        code,
                        node.code,
                        stage,
                        (mx * Decimal(rng.randint(40, 100)) / 100).quantize(Decimal("0.01")),
                        "",
                        "hội đồng",
                    ]
                )
        path = folder / f"{code}.xlsx"
        write_xlsx(
            path,
            {
                "meta": [
                    ["key", "value"],
                    ["format", "evaluator-consolidated"],
                    ["format_version", 1],
                    ["year", YEAR],
                ],
                "units": [
                    ["unit_code", "unit_name", "unit_kind", "framework_code"],
                    [code, f"Đơn vị {i}", "district", fw.code],
                ],
                "scores": scores,
            },
        )
        paths.append(path)
    return paths


def read_only(paths: list[Path]) -> int:
    """The floor: every sheet of every workbook into Python values with python-calamine."""
    from python_calamine import CalamineWorkbook

    cells = 0
    for p in paths:
        wb = CalamineWorkbook.from_path(str(p))
        for name in wb.sheet_names:
            rows = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            cells += sum(len(r) for r in rows)
    return cells


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--units", type=int, default=1000)
    ap.add_argument("--leaves", type=int, default=120)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it")
    ap.add_argument("--only", choices=("packages", "workbooks", "evidence", "increments"),
                    help="run one part only")
    ap.add_argument("--workbooks", type=int, help="number of consolidated workbooks (default: --units)")
    ap.add_argument("--no-postgres", action="store_true",
                    help="leave out the PostgreSQL figures (by default the package import is timed on a "
                         "throwaway PostgreSQL cluster too, when its programs are installed)")
    args = ap.parse_args(argv)
    n_books = args.units if args.workbooks is None else args.workbooks
    if args.only == "workbooks":
        args.units = n_books
    elif args.workbooks is not None:
        args.units = max(args.units, n_books)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-exchange-"))
    folder.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {"units": args.units, "leaves": args.leaves, "stages": len(STAGES)}
    try:
        if args.only == "evidence":
            evidence_part(figures, folder, args.leaves)
            return finish(figures, args)
        t = time.perf_counter()
        team, committee, fw = build(folder, args.units, args.leaves, scores=args.only != "workbooks")
        figures["build_s"] = round(time.perf_counter() - t, 2)
        log(
            f"source project: {args.units} units × {args.leaves} leaves × {len(STAGES)} stages "
            f"in {figures['build_s']} s"
        )

        if args.only == "increments":
            increments_part(figures, folder, team, committee, fw)
            return finish(figures, args)
        if args.only != "workbooks":
            package_part(figures, args, folder, team, committee)
        if args.only != "packages":
            workbook_part(figures, folder, committee, fw, n_books)
        if args.only is None:
            increments_part(figures, folder, team, committee, fw)
            evidence_part(figures, folder / "evidence", args.leaves)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    return finish(figures, args)


def finish(figures: dict[str, Any], args: argparse.Namespace) -> int:
    """Print the figures and the targets as one JSON object (the last line)."""
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    figures["targets"] = {"package_import_s": PACKAGE_TARGET_S, "workbook_ratio": WORKBOOK_RATIO_TARGET}
    if "package_import_s" in figures:
        figures["package_target_met"] = figures["package_import_s"] <= PACKAGE_TARGET_S * args.units / 1000
    if "workbook_ratio" in figures:
        figures["workbook_target_met"] = figures["workbook_ratio"] <= WORKBOOK_RATIO_TARGET
    if "evidence_export_ratio" in figures:
        figures["targets"].update(evidence_export_ratio=EVIDENCE_EXPORT_TARGET,
                                  evidence_import_ratio=EVIDENCE_IMPORT_TARGET)
        figures["evidence_target_met"] = (figures["evidence_export_ratio"] <= EVIDENCE_EXPORT_TARGET
                                          and figures["evidence_import_ratio"] <= EVIDENCE_IMPORT_TARGET)
    print(json.dumps(figures, ensure_ascii=False))
    return 0


def package_part(
    figures: dict[str, Any], args: argparse.Namespace, folder: Path, team: Path, committee: Path
) -> None:
    out = folder / "packages"
    out.mkdir()
    t = time.perf_counter()
    with open_project(team) as project:
        for i in range(args.units):
            export_package(project, out / f"U{i:05d}.cchc", years=[YEAR], units=[f"U{i:05d}"], author="Tổ 1")
    figures["export_s"] = round(time.perf_counter() - t, 2)
    figures["packages_mb"] = round(sum(p.stat().st_size for p in out.iterdir()) / 1e6, 1)
    log(f"exported {args.units} packages ({figures['packages_mb']} MB) in {figures['export_s']} s")

    packages = sorted(out.iterdir())
    work = folder / "committee-packages.db"
    shutil.copyfile(committee, work)
    t = time.perf_counter()
    with open_project(work) as project:
        report = import_packages(project, packages, author="Thư ký")
    figures["package_import_s"] = round(time.perf_counter() - t, 2)
    figures["package_scores_new"] = report.scores_new
    figures["package_revisions_new"] = report.revisions_new
    assert report.scores_new == args.units * args.leaves * len(STAGES), report.render()
    log(f"imported {args.units} packages ({report.scores_new} scores) in {figures['package_import_s']} s")
    t = time.perf_counter()
    with open_project(work) as project:
        again = import_packages(project, packages, author="Thư ký")
    figures["package_reimport_s"] = round(time.perf_counter() - t, 2)
    assert not again.changed
    postgres_packages(figures, args, folder, committee, packages)


def postgres_packages(figures: dict[str, Any], args: argparse.Namespace, folder: Path, committee: Path,
                      packages: list[Path]) -> None:
    """The same import (and re-import) into the same committee project moved onto PostgreSQL."""
    from pg_side import move_onto, postgres  # type: ignore[import-not-found]

    with postgres(figures, enabled=not args.no_postgres) as cluster:
        if cluster is None:
            return
        url = move_onto(cluster, committee, folder / "pg-evidence")
        t = time.perf_counter()
        with open_project(url) as project:
            report = import_packages(project, packages, author="Thư ký")
        figures["package_import_pg_s"] = round(time.perf_counter() - t, 2)
        assert report.scores_new == figures["package_scores_new"], report.render()
        t = time.perf_counter()
        with open_project(url) as project:
            assert not import_packages(project, packages, author="Thư ký").changed
        figures["package_reimport_pg_s"] = round(time.perf_counter() - t, 2)
        figures["package_import_pg_vs_sqlite"] = round(
            figures["package_import_pg_s"] / max(figures["package_import_s"], 1e-9), 2)
        log(f"PostgreSQL: imported {args.units} packages in {figures['package_import_pg_s']} s "
            f"({figures['package_import_pg_vs_sqlite']}× SQLite)")


def increments_part(figures: dict[str, Any], folder: Path, team: Path, committee: Path, fw: Any) -> None:
    """A day's work as an incremental package against the full package of the whole project (see the top)."""
    from evaluator.services.exchange import this_device
    from evaluator.services.scores import set_score

    out = folder / "increments"
    out.mkdir()
    work = folder / "team-increments.db"
    shutil.copyfile(team, work)
    if team.with_suffix(".evidence").is_dir():
        shutil.copytree(team.with_suffix(".evidence"), work.with_suffix(".evidence"))
    size = int(float(os.environ.get("BENCH_DAY_MB", "1")) * 1024 * 1024)
    rng = random.Random(23)
    leaves = fw.leaves("district")
    with open_project(work) as project, project.session() as s:  # the evidence of the year so far
        a_all = s.scalars(select(Assessment.id)).all()
        for i in range(int(os.environ.get("BENCH_BASE_FILES", "100"))):
            sha, n = project.evidence.put(b"%PDF-1.7\n" + rng.randbytes(size - 9), f"nam-{i}.pdf")
            s.add(Evidence(assessment_id=a_all[i % len(a_all)], criterion_code=leaves[1 + i % 50].code,
                           stage="self", sha256=sha, file_name=f"nam-{i}.pdf", size=n,
                           media_type="application/pdf", added_by="Tổ 1"))
    settle()
    t = time.perf_counter()
    with open_project(work) as project:
        full = export_package(project, out / "full.cchc", author="Tổ 1", since_last=True)
    figures["increment_full_export_s"] = round(time.perf_counter() - t, 2)
    figures["increment_full_mb"] = round(full.size / 1e6, 2)
    assert full.first_full and not full.builds_on
    with open_project(work) as project:
        device = this_device(project)
        with project.session() as s:
            a_ids = s.scalars(select(Assessment.id).join(Unit).order_by(Unit.code).limit(2)).all()
            for a_id in a_ids:
                for node in leaves:
                    share = Decimal(rng.randint(50, 100)) / 100
                    points = (node.max["district"] * share).quantize(Decimal("0.01"))
                    set_score(s, a_id, node.code, "self", value={"points": points}, author="Tổ 1",
                              device_id=device, note="ngày làm việc")
            for i in range(10):
                sha, n = project.evidence.put(b"%PDF-1.7\n" + rng.randbytes(size - 9), f"ngay-{i}.pdf")
                s.add(Evidence(assessment_id=a_ids[i % 2], criterion_code=leaves[i].code, stage="self",
                               sha256=sha, file_name=f"ngay-{i}.pdf", size=n, media_type="application/pdf",
                               added_by="Tổ 1"))
        settle()
        t = time.perf_counter()
        day = export_package(project, out / "day.cchc", author="Tổ 1", since_last=True)
        figures["increment_export_s"] = round(time.perf_counter() - t, 2)
    figures["increment_mb"] = round(day.size / 1e6, 2)
    figures["increment_revisions"] = day.revisions
    figures["increment_evidence_files"] = day.evidence_files
    figures["increment_size_ratio"] = round(day.size / max(full.size, 1), 4)
    figures["increment_time_ratio"] = round(figures["increment_export_s"]
                                            / max(figures["increment_full_export_s"], 1e-9), 3)
    assert day.builds_on == [full.package_id] and day.evidence_files == 10, day.render()
    target = folder / "committee-increments.db"
    shutil.copyfile(committee, target)
    with open_project(target) as project:
        t = time.perf_counter()
        import_packages(project, [full.path], author="Thư ký", backup=False)
        figures["increment_full_import_s"] = round(time.perf_counter() - t, 2)
        t = time.perf_counter()
        report = import_packages(project, [day.path], author="Thư ký", backup=False)
        figures["increment_import_s"] = round(time.perf_counter() - t, 2)
    assert report.revisions_new == 2 * len(leaves) and report.evidence_new == 10, report.render()
    log(f"a day's work: full package {figures['increment_full_mb']} MB in "
        f"{figures['increment_full_export_s']} s, "
        f"increment {figures['increment_mb']} MB in {figures['increment_export_s']} s "
        f"(size × {figures['increment_size_ratio']}); import {figures['increment_full_import_s']} s then "
        f"{figures['increment_import_s']} s")


def settle() -> None:
    """Write what earlier steps left in the page cache to disk first: each timed step starts with no
    dirty pages of another (else the kernel makes the later one write them back)."""
    if hasattr(os, "sync"):
        os.sync()


def evidence_part(figures: dict[str, Any], folder: Path, n_leaves: int) -> None:
    """Export and import of an evidence-heavy package against copying the same bytes (see the top)."""
    n_files = int(os.environ.get("BENCH_EVIDENCE_FILES", "40"))
    size = int(float(os.environ.get("BENCH_EVIDENCE_MB", "2")) * 1024 * 1024)
    repeat = max(1, int(os.environ.get("BENCH_EVIDENCE_ROUNDS", "5")))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        team, committee, fw = build(folder, 1, n_leaves, scores=False)
        leaves = fw.leaves("district")
        rng = random.Random(17)
        with open_project(team) as project:
            store = project.evidence
            rows = []
            with project.session() as s:
                a_id = s.scalars(select(Assessment.id)).one()
                for i in range(n_files):
                    # a scanned PDF: its pages are compressed images already (random bytes, as incompressible)
                    sha, n = store.put(b"%PDF-1.7\n" + rng.randbytes(size - 9), f"scan{i}.pdf")
                    rows.append({"id": uuid.uuid4(), "assessment_id": a_id,
                                 "criterion_code": leaves[i % len(leaves)].code, "stage": "self",
                                 "sha256": sha, "file_name": f"bien-ban-{i}.pdf", "size": n,
                                 "media_type": "application/pdf", "reference": "", "added_by": "Tổ 1",
                                 "added_at": datetime(YEAR, 11, 1, tzinfo=UTC)})
                s.execute(insert(Evidence), rows)
            files = [store.path(r["sha256"]) for r in rows]
        figures["evidence_files"] = n_files
        figures["evidence_mb"] = round(n_files * size / 1e6, 1)
        figures["evidence_load_before"] = [round(x, 2) for x in os.getloadavg()]
        runs = [evidence_round(folder, team, committee, files, n_files) for _ in range(repeat)]
        figures["evidence_load_after"] = [round(x, 2) for x in os.getloadavg()]
        figures["evidence_rounds"] = runs
        for key in ("copy_s", "copy_fsync_s", "export_s", "import_s", "export_ratio", "import_ratio",
                    "import_vs_fsync_copy", "copy_cpu_s", "export_cpu_s", "import_cpu_s"):
            figures[f"evidence_{key}"] = round(statistics.median(r[key] for r in runs), 3)
        figures["evidence_package_mb"] = runs[-1]["package_mb"]
        log(
            f"evidence: {n_files} files, {figures['evidence_mb']} MB, median of {repeat} rounds: copy "
            f"{figures['evidence_copy_s']} s, export {figures['evidence_export_s']} s "
            f"(× {figures['evidence_export_ratio']}), import {figures['evidence_import_s']} s "
            f"(× {figures['evidence_import_ratio']}; "
            f"× {figures['evidence_import_vs_fsync_copy']} of the copy flushed to disk); "
            f"load {figures['evidence_load_before']} → {figures['evidence_load_after']}"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class CpuClock:
    """Processor time (user + system, every thread of this process) of a step: what the step costs
    whatever else runs on a shared machine, beside its wall time."""

    def start(self) -> None:
        self.begun = self._now()

    def stop(self) -> float:
        return round(self._now() - self.begun, 3)

    @staticmethod
    def _now() -> float:
        use = resource.getrusage(resource.RUSAGE_SELF)
        return use.ru_utime + use.ru_stime


def evidence_round(folder: Path, team: Path, committee: Path, files: list[Path],
                   n_files: int) -> dict[str, Any]:
    """One round: the copy floor, the same copy flushed to disk, the export, the import into a fresh copy of
    the committee's project (its store empty), each after ``settle``; the ratios of this round."""
    out: dict[str, Any] = {}
    clock = CpuClock()
    copies = folder / "copy"
    for key, durable in (("copy_s", False), ("copy_fsync_s", True)):
        copies.mkdir()
        settle()
        t = time.perf_counter()
        clock.start()
        for f in files:
            shutil.copyfile(f, copies / f.name)
            if durable:  # made durable as the import makes its files; shown beside the floor
                with (copies / f.name).open("rb+") as fh:
                    os.fsync(fh.fileno())
        out[key] = round(time.perf_counter() - t, 3)
        out[key.replace("_s", "_cpu_s")] = clock.stop()
        shutil.rmtree(copies)
    package = folder / "evidence.cchc"
    package.unlink(missing_ok=True)
    with open_project(team) as project:  # opened before the clock starts, as before the rounds
        settle()
        t = time.perf_counter()
        clock.start()
        export_package(project, package, years=[YEAR], author="Tổ 1")
        out["export_s"] = round(time.perf_counter() - t, 3)
        out["export_cpu_s"] = clock.stop()
    out["package_mb"] = round(package.stat().st_size / 1e6, 1)
    work = folder / "committee-round.db"
    shutil.rmtree(work.with_suffix(".evidence"), ignore_errors=True)
    shutil.copyfile(committee, work)
    settle()
    t = time.perf_counter()
    clock.start()
    with open_project(work) as project:
        report = import_packages(project, [package], author="Thư ký", backup=False)
    out["import_s"] = round(time.perf_counter() - t, 3)
    out["import_cpu_s"] = clock.stop()
    assert report.evidence_files_new == n_files, report.render()
    copy = max(out["copy_s"], 1e-9)
    out["export_ratio"] = round(out["export_s"] / copy, 2)
    out["import_ratio"] = round(out["import_s"] / copy, 2)
    out["import_vs_fsync_copy"] = round(out["import_s"] / max(out["copy_fsync_s"], 1e-9), 2)
    shutil.rmtree(work.with_suffix(".evidence"), ignore_errors=True)
    return out


def workbook_part(figures: dict[str, Any], folder: Path, committee: Path, fw: Any, n_books: int) -> None:
    figures["workbooks"] = n_books
    books_dir = folder / "workbooks"
    books_dir.mkdir()
    t = time.perf_counter()
    books = write_workbooks(books_dir, fw, n_books)
    figures["workbooks_write_s"] = round(time.perf_counter() - t, 2)
    t = time.perf_counter()
    figures["workbook_cells"] = read_only(books)
    figures["workbook_read_s"] = round(time.perf_counter() - t, 2)
    work2 = folder / "committee-workbooks.db"
    shutil.copyfile(committee, work2)
    t = time.perf_counter()
    with open_project(work2) as project:
        wb_report = import_workbooks(project, books, author="Thư ký")
    figures["workbook_import_s"] = round(time.perf_counter() - t, 2)
    figures["workbook_scores_new"] = wb_report.scores_new
    figures["workbook_ratio"] = round(figures["workbook_import_s"] / max(figures["workbook_read_s"], 1e-9), 2)
    log(
        f"workbooks: reading alone {figures['workbook_read_s']} s, "
        f"whole import {figures['workbook_import_s']} s (× {figures['workbook_ratio']})"
    )
    read = max(figures["workbook_read_s"], 1e-9)
    for key, tables in (("workbook_sqlite_floor", ("score", "score_revision")),
                        ("workbook_sqlite_floor_scores_only", ("score",))):
        floor = folder / f"committee-{key}.db"
        shutil.copyfile(committee, floor)
        figures[f"{key}_s"] = sqlite_floor(work2, floor, tables)
        figures[f"{key}_ratio"] = round((figures["workbook_read_s"] + figures[f"{key}_s"]) / read, 2)
        log(
            f"workbooks: plain sqlite3 inserting the same {' and '.join(tables)} rows "
            f"{figures[f'{key}_s']} s: reading + that is × {figures[f'{key}_ratio']} of reading alone"
        )


def sqlite_floor(imported: Path, empty: Path, tables: tuple[str, ...]) -> float:
    """The storage floor: rows the import wrote, as ready-made tuples, inserted with plain ``sqlite3``
    ``executemany`` into a copy of the project before the import (same schema, indexes, foreign keys and WAL
    as the app), then committed. Nothing of the app's own work is in this time."""
    import sqlite3

    with sqlite3.connect(imported) as src:
        rows_of = {t: src.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    dst = sqlite3.connect(empty, isolation_level=None)
    try:
        dst.execute("PRAGMA journal_mode=WAL")
        dst.execute("PRAGMA foreign_keys=ON")
        t = time.perf_counter()
        dst.execute("BEGIN")
        for table, rows in rows_of.items():
            marks = ",".join("?" * len(rows[0]))
            dst.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
        dst.execute("COMMIT")
        return round(time.perf_counter() - t, 2)
    finally:
        dst.close()


if __name__ == "__main__":
    raise SystemExit(main())
