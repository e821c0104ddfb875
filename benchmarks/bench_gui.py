"""The desktop application on a province-scale project (1 province, 200 units, 2 years), offscreen:

- ``start_s``: process start → main window shown with the project open and the unit list filled;
- ``select_ms``: selecting a unit → its criteria tree, totals and detail pane on screen (median);
- ``edit_ms``: recording a score through the detail pane → the updated index shown (median);
- ``unit_keyboard_per_leaf_ms`` (median, and ``_max``), ``unit_keyboard_total_s``: a whole unit (``--unit``)
  scored at the keyboard with QTest — Tab into the value, the value's keys, Tab, a reason, Enter (saves and
  moves on) — every key to the focused widget; ``unit_keyboard_stored`` counts the leaves whose typed
  reason is in the file. Baseline in the same run: ``service_per_leaf_ms``, the service call alone (one
  write session, ``set_score`` with the same stage and value) on a unit of the same kind (``--twin``);
- ``audit_reload_ms``: the audit view's table reloading the 2,000 newest events after it was shown once
  → painted (median); ``audit_reload_with_query_ms``: the whole reload, the service's queries for the page
  and its count included. Baselines measured in the same run: ``audit_first_ms``, showing the view with
  its first fill, and ``old_table_reload_ms``, the QTableWidget the view used to be (an item per cell,
  columns resized to their contents) reloading ``--old-rows`` of the same events after it was shown once
  (it grows with the square of the rows: 300 took 71 s on a laptop, 2,000 would take hours).

    python benchmarks/bench_gui.py [--db PATH] [--samples 20] [--old-rows 60] [--unit SO05 --twin SO06]

The project is built once (the demo builder with 200 units) into ``--db`` (default: a cache file in the
system temp folder). The last line printed is one JSON object with the figures and their targets.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TARGETS = {"start_s": 2.0, "select_ms": 150.0, "edit_ms": 50.0, "audit_reload_ms": 100.0,
           "unit_keyboard_per_leaf_ms": 150.0}


def province_units(rng: random.Random) -> list:
    """200 units: 22 departments, 10 districts, 168 communes (the demo's names, numbered)."""
    from evaluator.services.demo import COMMUNE_NAMES, DEPARTMENTS, DISTRICTS, DemoUnit

    units = [
        DemoUnit(f"SO{i + 1:02d}", name, "department", None, rng.uniform(0.6, 0.97))
        for i, name in enumerate(DEPARTMENTS)
    ]
    districts = [*DISTRICTS, "Huyện Sơn Hà", "Huyện Kim Bôi"]
    for d, name in enumerate(districts):
        units.append(DemoUnit(f"H{d + 1:02d}", f"UBND {name}", "district", None, rng.uniform(0.62, 0.95)))
        for c in range(168 // len(districts) + (1 if d < 168 % len(districts) else 0)):
            commune = COMMUNE_NAMES[(d * 17 + c) % len(COMMUNE_NAMES)]
            units.append(
                DemoUnit(
                    f"X{d + 1:02d}{c + 1:02d}",
                    f"UBND {commune} ({name})",
                    "commune",
                    f"H{d + 1:02d}",
                    rng.uniform(0.45, 0.95),
                )
            )
    assert len(units) == 200, len(units)
    return units


def build(path: Path) -> None:
    from evaluator.services import demo

    demo.demo_units = province_units  # the demo builder's machinery, with a province's 200 units
    demo.build_demo(path, seed=7).close()


CHILD = r"""
import os, sys, time, json, statistics
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, sys.argv[2])
from evaluator.services.users import UserSettings
from evaluator.ui.app import application, build_window, wait_for
app = application("vi")
ctx, window = build_window(UserSettings(name="Bench", role="committee", device_id="bench"), persist=False)
window.show()
window.open_project(sys.argv[1])
wait_for(lambda: ctx.project is not None and window.workspace.units.topLevelItemCount() > 0, 60)
app.processEvents()
print("READY", flush=True)
ws = window.workspace
samples = int(sys.argv[3])
select = []
for i in range(samples):
    item = ws.units.topLevelItem((i * 37) % ws.units.topLevelItemCount())
    t = time.perf_counter()
    ws.units.setCurrentItem(item)
    ws.tree.viewport().repaint()
    app.processEvents()
    select.append((time.perf_counter() - t) * 1000)
ws.select_unit("SO01")
ws.detail.ask_reason = lambda: "bench"
sheet = ws.sheet
leaves = [r.code for r in sheet.leaves()
          if sheet.node(r.code).rule.kind == "binary" and r.source == "appraisal"]
edit = []
for i in range(samples):
    ws.jump(leaves[i % len(leaves)])
    combo = ws.detail.stage_combo
    combo.setCurrentIndex(combo.findData("appraisal2"))
    check = ws.detail.input.check
    check.setChecked(not check.isChecked())
    before = ws.header.text()
    t = time.perf_counter()
    ok = ws.detail.save()
    ws.header.repaint()
    app.processEvents()
    edit.append((time.perf_counter() - t) * 1000)
    assert ok
audit_view = window.audit
t = time.perf_counter()
window.show_view("audit")
app.processEvents()
audit_first = (time.perf_counter() - t) * 1000
audit_rows = audit_view.model.rowCount()
audit, audit_query = [], []
for i in range(max(samples // 2, 5)):
    # The table's part: the service's rows into the shown table and painted ...
    t = time.perf_counter()
    audit_view.model.set_rows(audit_view.rows)
    audit_view.table.viewport().repaint()
    app.processEvents()
    audit.append((time.perf_counter() - t) * 1000)
    # ... and the whole reload, the service's two queries (page and count) included.
    t = time.perf_counter()
    audit_view.reload()
    audit_view.table.viewport().repaint()
    app.processEvents()
    audit_query.append((time.perf_counter() - t) * 1000)
old = None
old_rows = int(sys.argv[4])
if old_rows:
    # The old audit table, as it was: a QTableWidget, an item per cell, columns fitted to their contents.
    from PySide6.QtWidgets import QHeaderView, QTableWidget, QTableWidgetItem
    from evaluator.ui.audit_view import audit_cells
    cells = [audit_cells(e) for e in audit_view.rows[:old_rows]]
    table = QTableWidget(0, 9)
    table.resize(1340, 600)
    for c in range(9):
        table.horizontalHeader().setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
    def fill():
        table.setUpdatesEnabled(False)
        table.setRowCount(len(cells))
        for r, row in enumerate(cells):
            for c, text in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(text))
        table.setUpdatesEnabled(True)
        app.processEvents()
    table.show()
    fill()
    t = time.perf_counter()
    fill()
    table.viewport().repaint()
    app.processEvents()
    old = (time.perf_counter() - t) * 1000
    table.close()
# A whole unit scored at the keyboard: Tab into the value, keys for the value, Tab, a reason, Enter (saves
# and moves on), every key sent to the widget that has the focus, as a user's would be.
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from evaluator.services import history as history_service
from evaluator.ui.labels import num
from PySide6.QtCore import QEvent
def settle():
    # processEvents leaves deleteLater's deletions to an event loop this script does not run: the detail
    # pane's old inputs would linger as hidden windows holding the focus
    app.processEvents()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
window.show_view("workspace")
window.activateWindow()
settle()
unit, twin = sys.argv[5], sys.argv[6]
assert ws.select_unit(unit)
sheet = ws.sheet
detail = ws.detail
detail.ask_reason = lambda: "bench"
leaves = [r.code for r in sheet.leaves()]
ws.select_leaf(leaves[0])
ws.tree.setFocus()
QTest.keyClick(ws.tree, Qt.Key.Key_Tab)
def key(k):
    QTest.keyClick(QApplication.focusWidget(), k)
def typed(text):
    QTest.keyClicks(QApplication.focusWidget(), text)
per_leaf, done = [], []
t_all = time.perf_counter()
for leaf in leaves:
    t = time.perf_counter()
    inp = detail.input
    stage = detail.current_stage()
    if detail.na.isChecked() or inp is None:
        pass
    elif inp.check is not None:
        key(Qt.Key.Key_Space)
    elif inp.combo is not None:
        key(Qt.Key.Key_Up if inp.combo.currentIndex() == inp.combo.count() - 1 else Qt.Key.Key_Down)
    elif inp.numerator is not None:
        typed("30"); key(Qt.Key.Key_Tab); typed("40")
    elif inp.count is not None:
        typed("2")
    elif inp.mode == "points":
        typed(num(inp.mx))
    else:
        typed("12")
    if QApplication.focusWidget() is not detail.note:
        key(Qt.Key.Key_Tab)
    QTest.keyClick(detail.note, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    typed("Ly do " + leaf)
    key(Qt.Key.Key_Return)
    settle()
    per_leaf.append((time.perf_counter() - t) * 1000)
    done.append((leaf, stage))
keyboard_total = time.perf_counter() - t_all
# Baseline, same run: the service call alone (what Enter ends in), for the same leaves, stages and stored
# values, on a unit of the same kind, in one write session per leaf as the window does.
a_unit = sheet.assessment_id
twin_id = next(a for a, item in ws.units.items.items() if item.text(0) == twin)
states = ctx.read(lambda s: {leaf: history_service.current_state(s, a_unit, leaf, st) for leaf, st in done})
stored = sum(1 for leaf, _st in done
             if states[leaf] is not None and states[leaf].get("note") == "Ly do " + leaf)
service = []
for leaf, st in done:
    state = states[leaf]
    if state is None:
        continue
    t = time.perf_counter()
    with ctx.project.session(write=True) as s:
        history_service._apply(s, history_service.Edit(twin_id, leaf, st, None, state), state,
                               author="Bench", role="committee", device_id="bench", reason="bench")
    service.append((time.perf_counter() - t) * 1000)
print(json.dumps({"select": select, "edit": edit, "audit": audit, "audit_first": audit_first,
                  "audit_query": audit_query,
                  "audit_rows": audit_rows, "old": old, "old_rows": old_rows,
                  "unit_leaves": len(leaves), "unit_stored": stored, "unit_per_leaf": per_leaf,
                  "unit_total": keyboard_total, "service": service}), flush=True)
window.close()
"""


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_db = Path(tempfile.gettempdir()) / "evaluator-bench-gui" / "province.db"
    parser.add_argument("--db", type=Path, default=default_db)
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--old-rows", type=int, default=60,
                        help="rows for the old QTableWidget baseline (0: skip it)")
    parser.add_argument("--unit", default="SO05", help="the unit scored at the keyboard")
    parser.add_argument("--twin", default="SO06",
                        help="a unit of the same kind: the service baseline writes the same values there")
    args = parser.parse_args()
    if not args.db.exists():
        args.db.parent.mkdir(parents=True, exist_ok=True)
        t = time.perf_counter()
        build(args.db)
        print(f"built {args.db} (200 units, 2 years) in {time.perf_counter() - t:.1f} s", file=sys.stderr)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    # Each run edits the project: work on a copy so runs stay comparable.
    work = Path(tempfile.mkdtemp(prefix="bench-gui-")) / "province.db"
    shutil.copyfile(args.db, work)
    shutil.copytree(args.db.with_suffix(".evidence"), work.with_suffix(".evidence"))
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(work), str(ROOT), str(args.samples), str(args.old_rows), args.unit,
         args.twin],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    start_s = None
    figures = None
    for line in child.stdout:
        if line.startswith("READY") and start_s is None:
            start_s = time.perf_counter() - t0
        elif line.startswith("{"):
            figures = json.loads(line)
    child.wait()
    if start_s is None or figures is None:
        print("error: the GUI did not start", file=sys.stderr)
        return 1
    result = {
        "start_s": round(start_s, 3),
        "select_ms": round(statistics.median(figures["select"]), 1),
        "select_ms_max": round(max(figures["select"]), 1),
        "edit_ms": round(statistics.median(figures["edit"]), 1),
        "edit_ms_max": round(max(figures["edit"]), 1),
        "audit_reload_ms": round(statistics.median(figures["audit"]), 1),
        "audit_reload_ms_max": round(max(figures["audit"]), 1),
        "audit_rows": figures["audit_rows"],
        "audit_reload_with_query_ms": round(statistics.median(figures["audit_query"]), 1),
        "audit_first_ms": round(figures["audit_first"], 1),
        "old_table_reload_ms": None if figures["old"] is None else round(figures["old"], 1),
        "old_table_rows": figures["old_rows"],
        "unit_keyboard_leaves": figures["unit_leaves"],
        "unit_keyboard_stored": figures["unit_stored"],
        "unit_keyboard_total_s": round(figures["unit_total"], 2),
        "unit_keyboard_per_leaf_ms": round(statistics.median(figures["unit_per_leaf"]), 1),
        "unit_keyboard_per_leaf_ms_max": round(max(figures["unit_per_leaf"]), 1),
        "service_per_leaf_ms": (round(statistics.median(figures["service"]), 1) if figures["service"]
                                else None),
        "units": 200,
        "years": 2,
        "samples": args.samples,
        "targets": TARGETS,
    }
    result["meets_targets"] = all(result[k] <= v for k, v in TARGETS.items())
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
