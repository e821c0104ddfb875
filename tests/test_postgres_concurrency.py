"""Four programs at once on one server database (issue #17): two import team packages, one edits scores
through the services (plain sessions, as the CLI's and the GUI's edits are), one produces results and
documents. They lose nothing and end with the results, the row counts and intact audit chains of the same
work done one after the other.

The writers share one audit chain (one computer, one project address: one device); before the writer lock
was taken by every write on PostgreSQL, an edit read the chain's head while an import was appending and
collided with it on the unique (chain, seq) index."""

from __future__ import annotations

import multiprocessing
import shutil
from pathlib import Path
from typing import Any

import pytest
from exchange_helpers import YEAR, add_evidence, copy, edit, export, run_import
from pg_cluster import Cluster, copy_rows
from project_helpers import _link_or_copy
from sqlalchemy import func, select

from evaluator.models import Assessment, AuditEvent, Base, Period, ProjectBusy, Unit, open_project
from evaluator.services.audit import verify_chains
from evaluator.services.documents import produce
from evaluator.services.exchange import this_device
from evaluator.services.results import compute_year
from evaluator.services.scores import set_score

pytestmark = pytest.mark.postgres

ROUNDS = 6  # enough for the programs' writes to interleave (the unguarded code failed within it)
EDITED = [(unit, leaf) for unit in ("SO03", "SO04") for leaf in ("1.1.2", "1.5.2", "1.7")]


# --- the four kinds of work (top level: run in spawned processes) ------------------------------------
def import_work(url: str, packages: list[str]) -> None:
    for _ in range(ROUNDS):  # again and again: a repeated import changes nothing, but it writes its log
        for package in packages:
            run_import(url, [Path(package)])  # type: ignore[arg-type]


def _retrying(work: Any) -> Any:
    """``work()``, tried again while the project is busy: an import holds the writer lock for its whole run,
    on a loaded machine longer than the busy timeout, and another program's write is then refused with
    nothing written ("busy: try again") — the person saving tries again, as here."""
    for attempt in range(30):
        try:
            return work()
        except ProjectBusy:
            if attempt == 29:
                raise
    return None


def edit_work(url: str) -> None:
    """Rounds of edits, each round one plain session (as a form saving several leaves): it asks for no
    lock, its writes must take it."""
    with open_project(url) as project:
        device = _retrying(lambda: this_device(project))
        for n in range(ROUNDS * 2):
            def one_round(n: int = n) -> None:
                with project.session() as s:
                    for unit, leaf in EDITED:
                        a_id = s.scalars(select(Assessment.id).join(Unit).join(Period)
                                         .where(Unit.code == unit, Period.year == YEAR)).one()
                        set_score(s, a_id, leaf, "self", value={"done": n % 2 == 0}, note=f"lần {n}",
                                  author="Thư ký", device_id=device, reason=f"sửa lần {n}")

            _retrying(one_round)


def produce_work(url: str, out: str) -> None:
    for n in range(3):
        with open_project(url) as project:
            with project.session() as s:
                compute_year(s, YEAR)
            produce(project, "results_xlsx", YEAR, None, Path(out) / f"ket-qua-{n}.xlsx")


def _run(work: Any, args: tuple[Any, ...], start: Any) -> None:
    start.wait(120)
    work(*args)


# --- set-up --------------------------------------------------------------------------------------------
@pytest.fixture
def packages(demo_db: Path, tmp_path: Path) -> dict[str, list[str]]:
    """Two teams, each on its own units (so that the order of the work does not change its result),
    with an evidence file and a package per unit."""
    a, b = copy(demo_db, tmp_path, "team_a"), copy(demo_db, tmp_path, "team_b")
    edit(a, "SO01", "1.1.2", {"done": False}, "Tổ 1")
    edit(a, "SO01", "1.5.2", {"done": True}, "Tổ 1")
    edit(a, "H01", "1.7", {"done": False}, "Tổ 1")
    add_evidence(a, "SO01", "1.5.2", b"Bien ban kiem tra - to 1", "bien-ban-to1.txt", "Tổ 1")
    edit(b, "SO02", "1.1.2", {"done": False}, "Tổ 2")
    edit(b, "H02", "1.5.2", {"done": False}, "Tổ 2")
    add_evidence(b, "H02", "1.5.2", b"Bien ban kiem tra - to 2", "bien-ban-to2.txt", "Tổ 2")
    return {team: [str(export(db, tmp_path / f"{team}-{unit}.cchc", [unit], author))
                   for unit in units]
            for team, db, units, author in (("a", a, ("SO01", "H01"), "Tổ 1"),
                                            ("b", b, ("SO02", "H02"), "Tổ 2"))}


def _committee(cluster: Cluster, template: str, demo_db: Path, folder: Path) -> tuple[str, str]:
    """(URL, name) of a new copy of the demo on the cluster, its evidence a copy of the demo's."""
    name = cluster.new_database(template=template)
    evidence = folder / "committee.evidence"
    shutil.copytree(demo_db.with_suffix(".evidence"), evidence, copy_function=_link_or_copy)
    return cluster.url(name, evidence_dir=str(evidence)), name


def _outcome(url: str) -> tuple[Any, dict[str, int]]:
    """The year's results, and the rows of every table; the audit chains must verify."""
    with open_project(url) as project, project.session() as s:
        report = verify_chains(s)
        assert report.intact, report.render()
        assert report.events == s.scalar(select(func.count()).select_from(AuditEvent))
        counts = {t.name: s.scalar(select(func.count()).select_from(t)) or 0
                  for t in Base.metadata.sorted_tables}
        return compute_year(s, YEAR).to_json(None), counts


def test_four_programs_at_once_do_what_they_do_one_after_another(
        pg_cluster: Cluster, demo_db: Path, packages: dict[str, list[str]], tmp_path: Path) -> None:
    template = f"evaluator_conc_{id(tmp_path)}"
    seed = pg_cluster.new_database()
    copy_rows(str(demo_db), pg_cluster.url(seed))
    pg_cluster.make_template(seed, template)
    names: list[str] = []
    try:
        outcomes = []
        for mode in ("one_after_another", "at_once"):
            folder = tmp_path / mode
            (folder / "documents").mkdir(parents=True)
            url, name = _committee(pg_cluster, template, demo_db, folder)
            names.append(name)
            work = [(import_work, (url, packages["a"])), (import_work, (url, packages["b"])),
                    (edit_work, (url,)), (produce_work, (url, str(folder / "documents")))]
            if mode == "one_after_another":
                for fn, args in work:
                    fn(*args)
            else:
                ctx = multiprocessing.get_context("spawn")
                start = ctx.Event()
                procs = [ctx.Process(target=_run, args=(fn, args, start)) for fn, args in work]
                for p in procs:
                    p.start()
                start.set()
                for p in procs:
                    p.join(600)
                assert [p.exitcode for p in procs] == [0, 0, 0, 0]
            assert len(list((folder / "documents").glob("ket-qua-*.xlsx"))) == 3
            outcomes.append(_outcome(url))
        (serial_results, serial_counts), (results, counts) = outcomes
        assert counts == serial_counts
        assert counts["import_log"] or counts["package_import"]
        assert results == serial_results
    finally:
        for name in names:
            pg_cluster.drop_database(name)
        pg_cluster._admin(f"ALTER DATABASE {template} WITH IS_TEMPLATE false")
        pg_cluster.drop_database(template)
