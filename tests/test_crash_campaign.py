"""The crash campaign: ``kill -9`` of a package import, of demo creation and of a report batch at seeded
random moments, then the checks a person relies on after a power cut:

- the project file passes SQLite's integrity check and opens;
- an import is all or nothing: the project is exactly as before, or holds everything the same import
  holds when it is not interrupted;
- nothing is left behind once the project is opened again or the command is run again: no ``.incoming-*``
  or other temp files, no evidence file that no row names, no backup under a normal name that is not a
  whole database, no half-made demo that blocks ``demo``, no truncated PDF under a document's name.
  (Opening removes temp files and orphans only once they are an hour old — another program may be writing
  them right now — so the campaign ages what a kill left by two hours before it opens the project.)

Each scenario measures its uninterrupted run first and draws the kill moments uniformly over it
(``EVALUATOR_CRASH_POINTS`` per scenario, default 30; ``EVALUATOR_CRASH_SEED``). The campaign runs apart
from the default suite (marker ``crash``): ``python3 dev.py test`` runs it as its own step.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import copy_project, project_fingerprint
from exchange_helpers import add_evidence, edit, export

from evaluator.services.backups import list_backups
from evaluator.services.projects import open_existing

pytestmark = [pytest.mark.crash]

POINTS = int(os.environ.get("EVALUATOR_CRASH_POINTS", "30"))
SEED = int(os.environ.get("EVALUATOR_CRASH_SEED", "2026"))
PYTHON = sys.executable


@dataclass
class Tally:
    """What the campaign did, printed at the end of each scenario (the issue's figures)."""

    scenario: str
    tried: int = 0
    killed: int = 0
    finished_first: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self) -> str:
        return (f"crash campaign {self.scenario}: {self.tried} runs, {self.killed} killed, "
                f"{self.finished_first} finished before the kill, {len(self.problems)} problem(s)")


def cli(*args: object) -> list[str]:
    return [PYTHON, "-m", "evaluator", *map(str, args)]


def run_and_kill(cmd: list[str], delay: float, cwd: Path) -> bool:
    """Start ``cmd`` in its own process group and SIGKILL the whole group after ``delay`` seconds (workers
    of a batch included). True if it was still running (killed), False if it ended first."""
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        proc.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        return True
    finally:
        if proc.stderr is not None:
            proc.stderr.close()


def timed(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    return time.perf_counter() - start


def integrity(db: Path) -> str:
    con = sqlite3.connect(db)
    try:
        return str(con.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        con.close()


def counts(db: Path) -> dict[str, int]:
    con = sqlite3.connect(db)
    try:
        tables = [r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
    finally:
        con.close()


def stray_files(folder: Path) -> list[str]:
    """Files a finished or reopened project must not have beside it: temp and incoming files."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and (p.name.startswith(".incoming-") or p.name.endswith((".tmp", ".part"))))


def age(folder: Path, hours: float = 2) -> None:
    """Make every file under ``folder`` look ``hours`` old (what a crash left, found on a later day)."""
    then = time.time() - hours * 3600
    for p in folder.rglob("*"):
        os.utime(p, (then, then), follow_symlinks=False)


def orphan_evidence(db: Path) -> list[str]:
    """Files of the evidence folder that no evidence row names."""
    folder = db.with_suffix(".evidence")
    con = sqlite3.connect(db)
    try:
        named = {r[0] for r in con.execute("SELECT sha256 FROM evidence")}
    finally:
        con.close()
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and p.name not in named) \
        if folder.is_dir() else []


def bad_backups(folder: Path) -> list[str]:
    """Backups (files named ``*.bak-*``) that are not whole SQLite databases."""
    bad = []
    for p in folder.rglob("*.bak-*"):
        temporary = p.name.startswith(".incoming-")  # judged by stray_files once an hour old
        if not p.is_file() or temporary or p.name.endswith(("-journal", "-wal", "-shm")):
            continue
        try:
            ok = integrity(p) == "ok" and counts(p)
        except sqlite3.DatabaseError as exc:
            ok, why = False, str(exc)
        else:
            why = "integrity check failed or empty"
        if not ok:
            bad.append(f"{p.name}: {why}")
    return bad


def moments(rng: random.Random, reference: float) -> Iterator[float]:
    # up to 90 % of the uninterrupted run: later runs are often faster (warm caches), and a moment after
    # the end kills nothing
    for _ in range(POINTS):
        yield rng.uniform(0.05, reference * 0.9)


# --- scenario 1: a package import --------------------------------------------------------------------
@pytest.fixture
def import_case(demo_db: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """A committee copy of the demo and three team packages with new scores and evidence."""
    team = copy_project(demo_db, tmp_path / "team.db")
    for unit in ("SO01", "SO02", "H01", "H02", "X0101"):
        edit(team, unit, "1.1.1", {"option": "cham"}, "Tổ 1")
        edit(team, unit, "1.1.2", {"done": False}, "Tổ 1")
        add_evidence(team, unit, "1.1.2", f"kế hoạch mới của {unit}".encode(), f"ke-hoach-{unit}.txt", "Tổ 1")
    files = [export(team, tmp_path / f"team-{i}.cchc", units, "Tổ 1")
             for i, units in enumerate((["SO01", "SO02"], ["H01", "H02"], ["X0101"]))]
    committee = copy_project(demo_db, tmp_path / "pristine.db")
    return committee, files


def test_a_package_import_killed_anywhere(import_case: tuple[Path, list[Path]], tmp_path: Path,
                                          backups_dir: Path) -> None:
    pristine, files = import_case
    before = project_fingerprint(pristine)
    target = tmp_path / "work" / "committee.db"
    target.parent.mkdir()

    def fresh() -> None:
        for p in target.parent.iterdir():
            if p.is_dir():
                shutil.rmtree(p)
            else:
                p.unlink()
        copy_project(pristine, target)

    fresh()
    command = cli("import", "--db", target, *files)
    reference = timed(command, tmp_path)
    after = counts(target)
    assert after != counts(pristine)
    tally = Tally("package import")
    for delay in moments(random.Random(SEED), reference):
        fresh()
        tally.tried += 1
        if run_and_kill(command, delay, tmp_path):
            tally.killed += 1
        else:
            tally.finished_first += 1
        where = f"killed after {delay:.2f} s"
        if integrity(target) != "ok":
            tally.problems.append(f"{where}: integrity check failed")
            continue
        # the rows at once; the evidence files once the project was opened again: the store writes a file
        # before the row that names it commits, so a kill in between leaves a file no row names, which
        # opening removes (and the check below for orphans proves it)
        now = counts(target)
        whole = now == after
        if not whole and project_fingerprint(target)[0] != before[0]:
            tally.problems.append(f"{where}: half an import ({now} vs {after})")
        age(target.parent)
        age(backups_dir)
        open_existing(target).close()  # opening cleans what a crash left beside the project
        list_backups(target)  # listing cleans the backups folder
        if not whole and project_fingerprint(target) != before:
            tally.problems.append(f"{where}: the evidence folder differs after reopening")
        if stray := stray_files(target.parent) + orphan_evidence(target) + stray_files(backups_dir):
            tally.problems.append(f"{where}: left {stray}")
        if bad := bad_backups(backups_dir) + bad_backups(target.parent):
            tally.problems.append(f"{where}: bad backups {bad}")
    # the import still runs to the end on the last state, and holds the same as the reference
    subprocess.run(command, cwd=tmp_path, check=True, capture_output=True)
    assert counts(target) == after
    print(tally.line())
    assert not tally.problems, "\n".join(tally.problems)
    assert tally.killed >= POINTS * 0.6


# --- scenario 2: building the demo -------------------------------------------------------------------
def test_demo_creation_killed_anywhere(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    command = cli("demo", target)
    reference = timed(command, tmp_path)
    complete = counts(target)
    tally = Tally("demo creation")
    for delay in moments(random.Random(SEED + 1), reference):
        for p in tmp_path.iterdir():
            if p.name.startswith("demo"):
                shutil.rmtree(p) if p.is_dir() else p.unlink()
        tally.tried += 1
        if run_and_kill(command, delay, tmp_path):
            tally.killed += 1
        else:
            tally.finished_first += 1
        where = f"killed after {delay:.2f} s"
        # a demo under its own name is a whole demo
        if target.exists() and (integrity(target) != "ok" or counts(target) != complete):
            tally.problems.append(f"{where}: {target.name} exists but is not a whole demo")
    # a half-made demo never blocks the next run, and opening the demo then leaves nothing behind
    age(tmp_path)
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    if done.returncode != 0:
        tally.problems.append(f"demo after the campaign: {done.stderr.strip()[-500:]}")
    else:
        assert counts(target) == complete
        open_existing(target).close()
    if stray := stray_files(tmp_path):
        tally.problems.append(f"left {stray}")
    print(tally.line())
    assert not tally.problems, "\n".join(tally.problems)
    assert tally.killed >= POINTS * 0.6


# --- scenario 3: a report batch ----------------------------------------------------------------------
def whole_pdf(path: Path) -> bool:
    from pyhanko.pdf_utils.reader import PdfFileReader

    data = path.read_bytes()
    if not data.rstrip().endswith(b"%%EOF"):
        return False
    with path.open("rb") as f:
        try:
            return len(PdfFileReader(f, strict=False).root["/Pages"]["/Kids"]) > 0
        except Exception:  # any parse failure means a broken document
            return False


def test_a_report_batch_killed_anywhere(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    command = cli("report", "appraisal", "--db", demo_db, "--year", 2024, "--all", "--out", out,
                  "--workers", 2, "--date", "2024-12-01")
    reference = timed(command, tmp_path)
    expected = sorted(p.name for p in out.glob("*.pdf"))
    tally = Tally("report batch")
    for delay in moments(random.Random(SEED + 2), reference):
        tally.tried += 1
        if run_and_kill(command, delay, tmp_path):
            tally.killed += 1
        else:
            tally.finished_first += 1
        where = f"killed after {delay:.2f} s"
        broken = [p.name for p in out.glob("*.pdf") if not whole_pdf(p)]
        if broken:
            tally.problems.append(f"{where}: truncated documents {broken[:5]}")
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert sorted(p.name for p in out.glob("*.pdf")) == expected
    if stray := stray_files(out) + [p.name for p in out.iterdir() if not p.name.endswith(".pdf")]:
        tally.problems.append(f"after a complete run, left {stray}")
    print(tally.line())
    assert not tally.problems, "\n".join(tally.problems)
    assert tally.killed >= POINTS * 0.6


def test_a_complete_write_removes_what_a_killed_one_left_beside_the_same_file(tmp_path: Path) -> None:
    """A document written whole takes away the temporary files a program killed while writing that very
    document left (the report batch's complete run left them: crash campaign, CI of stop 24); another
    document's are not touched."""
    from evaluator.signing.sign import write_atomically

    target = tmp_path / "bien-ban.pdf"
    (tmp_path / ".bien-ban.pdf.yg1asgqa.tmp").write_bytes(b"%PDF-1.7 half")
    (tmp_path / ".khac.pdf.abcdefgh.tmp").write_bytes(b"%PDF-1.7 other")
    write_atomically(target, b"%PDF-1.7 whole")
    assert target.read_bytes() == b"%PDF-1.7 whole"
    assert stray_files(tmp_path) == [".khac.pdf.abcdefgh.tmp"]
