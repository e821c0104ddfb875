"""Progress and cancel of long imports (team packages, consolidated workbooks): the callback sees the phases
in order and a growing fraction; raising from it at any call — as the import centre's Cancel does — leaves
the project exactly as it was (rows and evidence files), and the same import then runs to the end."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from exchange_helpers import team_packages

from evaluator.models import open_project
from evaluator.services.imports import import_files
from evaluator.services.progress import PHASES


class Stop(Exception):
    """What a cancel raises from the progress callback."""


def watch(stop_at: int | None = None) -> tuple[list[tuple[float, str]], Any]:
    calls: list[tuple[float, str]] = []

    def progress(done: float, phase: str) -> None:
        calls.append((done, phase))
        if stop_at is not None and len(calls) == stop_at:
            raise Stop()

    return calls, progress


def run(db: Path, files: list[Path], progress: Any) -> Any:
    with open_project(db) as project:
        return import_files(project, files, author="Thư ký", progress=progress)


@pytest.fixture
def packages(demo_db: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    return team_packages(demo_db, tmp_path)


def check_calls(calls: list[tuple[float, str]]) -> None:
    fractions = [done for done, _ in calls]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] == 1.0
    phases = [phase for _, phase in calls]
    assert set(phases) <= set(PHASES)
    assert [p for i, p in enumerate(phases) if i == 0 or phases[i - 1] != p] == list(PHASES)  # in order


def test_package_import_reports_every_phase(packages: tuple[Path, list[Path]]):
    committee, files = packages
    calls, progress = watch()
    report = run(committee, files, progress)
    assert report.scores_new + report.scores_updated > 0
    check_calls(calls)
    assert [phase for _, phase in calls].count("read") == len(files)


@pytest.mark.slow
def test_a_package_import_cancelled_at_any_step_writes_nothing(packages: tuple[Path, list[Path]]):
    committee, files = packages
    before = project_fingerprint(committee)
    steps = len(files) + 3  # each package read, check, write starts, write ends (just before the commit)
    for stop_at in range(1, steps + 1):
        calls, progress = watch(stop_at)
        with pytest.raises(Stop):
            run(committee, files, progress)
        assert project_fingerprint(committee) == before, f"cancelled at call {stop_at}: {calls[-1]}"
    calls, progress = watch()
    run(committee, files, progress)  # the same import, not cancelled
    assert len(calls) == steps and project_fingerprint(committee) != before


@pytest.mark.slow
def test_a_workbook_import_cancelled_at_any_step_writes_nothing(demo_copy: Path, tmp_path: Path):
    from workbook_helpers import write_workbook

    books = [write_workbook(tmp_path / f"{code}.xlsx",
                            units=[[code, name, "department", "par-department-2024"]],
                            scores=[[code, "1.3.2", "self", 0.5, 0, "Có phát sinh"]])
             for code, name in (("SO01", "Sở Nội vụ"), ("SO02", "Sở Tư pháp"))]
    before = project_fingerprint(demo_copy)
    for stop_at in range(1, len(books) + 3):  # each file read, check, write (just before the commit)
        calls, progress = watch(stop_at)
        with pytest.raises(Stop):
            run(demo_copy, books, progress)
        assert project_fingerprint(demo_copy) == before, f"cancelled at call {stop_at}: {calls[-1]}"
    calls, progress = watch()
    report = run(demo_copy, books, progress)
    assert report.scores_updated == 2 and len(calls) == len(books) + 2
    check_calls(calls)
    assert project_fingerprint(demo_copy) != before
