"""Scoring at national scale: the batch engine against a plain pandas groupby-sum (the floor) and the
simple per-unit path, on the same generated data in one run. Then a year's results computed from a
project database (the demo province: read every score, score, rank, classify) on SQLite and on a
throwaway PostgreSQL cluster holding the same project (``evaluator migrate``), in the same run.

    python benchmarks/bench_scoring.py [--units 10000] [--leaves 120] [--per-unit-sample 1000]
                                       [--no-postgres]

The last line printed is one JSON object: batch_s, floor_s, per_unit_s, units, leaves, peak_rss_mb, ...
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from evaluator.frameworks import parse_framework
from evaluator.frameworks.model import STAGES
from evaluator.scoring import Entry, score_batch, score_units

CLASSES = [{"code": code, "label": label, "min": lo} for code, label, lo in (
    ("xuat_sac", "Xuất sắc", 90), ("tot", "Tốt", 80), ("kha", "Khá", 70), ("trung_binh", "Trung bình", 50),
    ("yeu", "Yếu", 0))]


def national_framework(n_leaves: int, n_areas: int = 8):
    """A set with ``n_leaves`` leaves (max 1 point each would not sum to 100, so 100 points are spread in
    cents), grouped in areas → criteria → sub-criteria like a real set."""
    per_area = n_leaves // n_areas
    leaf_max = [Decimal(100) / n_leaves] * n_leaves
    cents = [int(m * 100) for m in leaf_max]
    cents[-1] += 10000 - sum(cents)
    areas, i = [], 0
    for a in range(n_areas):
        count = per_area if a < n_areas - 1 else n_leaves - per_area * (n_areas - 1)
        crits = []
        for c in range(0, count, 3):
            subs = [{"code": f"{a + 1}.{c // 3 + 1}.{s + 1}", "title": f"Tiêu chí {i + s}",
                     "max": cents[i + s] / 100, "rule": {"kind": "manual", "step": 0.01},
                     **({"not_applicable_allowed": True} if (i + s) % 17 == 0 else {})}
                    for s in range(min(3, count - c))]
            i += len(subs)
            crits.append({"code": f"{a + 1}.{c // 3 + 1}", "title": f"Tiêu chí {a + 1}.{c // 3 + 1}",
                          "max": sum(Decimal(str(s["max"])) for s in subs), "children": subs})
        areas.append({"code": str(a + 1), "title": f"Lĩnh vực {a + 1}",
                      "max": sum(Decimal(str(c["max"])) for c in crits), "children": crits})
    for area in areas:  # plain numbers for the loader
        area["max"] = float(area["max"])
        for crit in area["children"]:
            crit["max"] = float(crit["max"])
    doc = {"format": "evaluator-framework", "format_version": 1, "code": "bench", "version": 1, "year": 2024,
           "title": "Bộ tiêu chí đo hiệu năng", "unit_kinds": ["district"], "classes": CLASSES,
           "nodes": areas}
    return parse_framework(doc, "bench")


def generate(fw, n_units: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    leaves = fw.leaves("district")
    codes = [n.code for n in leaves]
    maxc = np.array([int(n.max["district"] * 100) for n in leaves])
    n_leaves = len(leaves)
    unit_ids = [f"U{i:05d}" for i in range(n_units)]
    units = pd.DataFrame({"unit": unit_ids, "kind": "district"})
    n = n_units * n_leaves * len(STAGES)
    u = np.repeat(np.arange(n_units), n_leaves * len(STAGES))
    leaf = np.tile(np.repeat(np.arange(n_leaves), len(STAGES)), n_units)
    stage = np.tile(np.arange(len(STAGES)), n_units * n_leaves)
    points = np.floor(rng.random(n) * (maxc[leaf] + 1)) / 100
    empty = rng.random(n) < 0.25
    points[empty & (stage > 0)] = np.nan  # later stages often left empty
    na = (rng.random(n) < 0.01) & np.isin(leaf, [j for j, x in enumerate(leaves) if x.not_applicable_allowed])
    entries = pd.DataFrame({
        "unit": pd.Categorical.from_codes(u, unit_ids),
        "leaf": pd.Categorical.from_codes(leaf, codes),
        "stage": pd.Categorical.from_codes(stage, list(STAGES)),
        "points": points, "na": na,
    })
    return units, entries


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=10_000)
    ap.add_argument("--leaves", type=int, default=120)
    ap.add_argument("--per-unit-sample", type=int, default=1_000,
                    help="units timed on the per-unit path (the time is scaled to all units)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-postgres", action="store_true",
                    help="leave out the project part on PostgreSQL (SQLite is still timed)")
    args = ap.parse_args()

    fw = national_framework(args.leaves)
    units, entries = generate(fw, args.units)

    batch_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        result = score_batch(fw, units, entries, with_nodes=False)
        batch_times.append(time.perf_counter() - t)
    batch_s = min(batch_times)

    # The floor: the final points (last non-empty stage) summed per unit and area by a plain groupby.
    wide = entries.assign(stage_pos=entries["stage"].cat.codes).dropna(subset=["points"])
    final = wide.sort_values("stage_pos").drop_duplicates(["unit", "leaf"], keep="last")
    area_of = {n.code: fw.area_of(n.code).code for n in fw.leaves("district")}
    final = final.assign(area=final["leaf"].map(area_of).astype("category"))[["unit", "area", "points"]]
    floor_times = []
    for _ in range(args.repeat):
        t = time.perf_counter()
        per_area = final.groupby(["unit", "area"], observed=True)["points"].sum()
        per_area.groupby(level=0, observed=True).sum()
        floor_times.append(time.perf_counter() - t)
    floor_s = min(floor_times)

    sample = units.head(args.per_unit_sample)
    sample_entries = entries[entries["unit"].isin(sample["unit"])]
    sample_entries = sample_entries[sample_entries["points"].notna() | sample_entries["na"]]
    by_unit: dict[str, list[Entry]] = {}
    for row in sample_entries.itertuples(index=False):
        by_unit.setdefault(str(row.unit), []).append(
            Entry(str(row.leaf), str(row.stage),
                  points=None if np.isnan(row.points) else Decimal(repr(row.points)),
                  not_applicable=bool(row.na)))
    t = time.perf_counter()
    simple = score_units(fw, dict(zip(sample["unit"], sample["kind"], strict=True)), by_unit)
    per_unit_sample_s = time.perf_counter() - t
    per_unit_s = per_unit_sample_s * len(units) / max(len(sample), 1)

    # The two paths must agree on what they both computed.
    check = result.units.set_index("unit").loc[list(simple)]
    agree = all(int(s.points * 100) == int(check.loc[u, "points_c"]) for u, s in simple.items())

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures = {
        "batch_s": round(batch_s, 4), "floor_s": round(floor_s, 4), "per_unit_s": round(per_unit_s, 3),
        "per_unit_sample_units": len(sample), "batch_vs_floor": round(batch_s / floor_s, 2),
        "units": args.units, "leaves": len(fw.leaves("district")), "stages": len(STAGES),
        "entries": len(entries), "paths_agree": agree, "peak_rss_mb": round(peak_mb, 1),
        "target": "batch_s <= 1 and batch_vs_floor <= 3",
    }
    print(f"batch {batch_s:.3f} s, floor {floor_s:.3f} s ({figures['batch_vs_floor']}x), "
          f"per-unit {per_unit_s:.1f} s (scaled from {len(sample)} units), paths agree: {agree}")
    project_part(figures, args)
    print(json.dumps(figures, ensure_ascii=False))


def _results_time(db: str | Path, year: int, repeat: int) -> tuple[float, dict]:
    from evaluator.models import open_project
    from evaluator.services.results import compute_year

    times, out = [], {}
    with open_project(db) as project:
        for _ in range(repeat):
            t = time.perf_counter()
            with project.session() as s:
                out = compute_year(s, year).to_json(None)
            times.append(time.perf_counter() - t)
    return min(times), out


def project_part(figures: dict, args: argparse.Namespace) -> None:
    """The demo's 2024 results from its database: SQLite, then the same project on PostgreSQL."""
    import shutil
    import tempfile

    from pg_side import move_onto, postgres  # type: ignore[import-not-found]

    from evaluator.services.demo import build_demo

    folder = Path(tempfile.mkdtemp(prefix="bench-scoring-"))
    try:
        db = folder / "demo.db"
        build_demo(db).close()
        sqlite_s, on_file = _results_time(db, 2024, args.repeat)
        figures["project_results_sqlite_s"] = round(sqlite_s, 3)
        figures["project_units"] = len(on_file["units"])
        with postgres(figures, enabled=not args.no_postgres) as cluster:
            if cluster is not None:
                url = move_onto(cluster, db, folder / "pg-evidence")
                pg_s, on_server = _results_time(url, 2024, args.repeat)
                figures["project_results_pg_s"] = round(pg_s, 3)
                figures["project_results_pg_vs_sqlite"] = round(pg_s / max(sqlite_s, 1e-9), 2)
                figures["project_results_same"] = on_server == on_file
                print(f"demo results: SQLite {sqlite_s:.3f} s, PostgreSQL {pg_s:.3f} s, "
                      f"same: {figures['project_results_same']}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
