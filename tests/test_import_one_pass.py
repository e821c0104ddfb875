"""A team package's evidence is read once on import (issue 17, "import within 2.5× of copying its bytes"):
evidence the store lacks lands while the package is checked, and the merge uses it without reading again.
All-or-nothing still holds: a hash mismatch or a cancel at any progress report leaves the store and the
database as they were; a dry run lands nothing."""

from __future__ import annotations

import random
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import project_fingerprint
from exchange_helpers import add_evidence, copy, export, run_import
from package_helpers import entries_of, write_zip

from evaluator.exchange import package as package_module
from evaluator.exchange.package import EVIDENCE_PREFIX, Package
from evaluator.models import open_project
from evaluator.services.exchange import import_packages

MIB = 1024 * 1024
RNG = random.Random(1717)


class Stop(Exception):
    """What a cancel raises from the progress callback."""


@pytest.fixture
def heavy(demo_db: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A team copy of the demo with four scanned PDFs (3 MiB each) on SO01, and the committee's copy."""
    team = copy(demo_db, tmp_path, "team")
    for i in range(4):
        add_evidence(team, "SO01", "1.1.2", b"%PDF-1.7\n" + RNG.randbytes(3 * MIB), f"scan-{i}.pdf", "Tổ 1")
    return team, copy(demo_db, tmp_path, "committee")


def count_reads(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Bytes read from each package entry, through the two readers every entry read goes through: the
    chunk reader, and (Linux) the kernel's copy into the store."""
    read: Counter[str] = Counter()
    original = Package._verified_chunks
    original_land = package_module.land_stored

    def counting(self: Package, name: str) -> Iterator[bytes]:
        for chunk in original(self, name):
            read[name] += len(chunk)
            yield chunk

    def counting_land(path: Any, info: zipfile.ZipInfo, *args: Any) -> str:
        digest = original_land(path, info, *args)
        read[info.filename] += info.file_size
        return digest

    monkeypatch.setattr(Package, "_verified_chunks", counting)
    monkeypatch.setattr(package_module, "land_stored", counting_land)
    return read


def evidence_sizes(package: Path) -> dict[str, int]:
    with zipfile.ZipFile(package) as z:
        return {i.filename: i.file_size for i in z.infolist() if i.filename.startswith(EVIDENCE_PREFIX)}


def test_import_reads_each_evidence_byte_once(heavy: tuple[Path, Path], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch):
    team, committee = heavy
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    sizes = evidence_sizes(package)
    with open_project(committee) as project:
        held = {n for n in sizes if project.evidence.exists(n.removeprefix(EVIDENCE_PREFIX))}
    new = {n: s for n, s in sizes.items() if n not in held}
    assert sum(new.values()) >= 12 * MIB  # the four scans are new to the committee
    read = count_reads(monkeypatch)
    report = run_import(committee, [package])
    assert report.evidence_files_new == len(new)
    assert {n: read[n] for n in sizes} == sizes  # every entry checked, each byte once (also those held)
    with open_project(committee) as project:
        assert all(project.evidence.verify(n.removeprefix(EVIDENCE_PREFIX)) for n in sizes)
    # the same package again: nothing new to store, each byte still read once (checked, not copied)
    read.clear()
    before = project_fingerprint(committee)
    run_import(committee, [package])
    assert {n: read[n] for n in sizes} == sizes
    assert project_fingerprint(committee)[1] == before[1]


def test_a_dry_run_lands_nothing(heavy: tuple[Path, Path], tmp_path: Path):
    team, committee = heavy
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    before = project_fingerprint(committee)
    report = run_import(committee, [package], dry_run=True)
    assert report.evidence_new >= 4
    assert project_fingerprint(committee) == before


def test_a_hash_mismatch_halfway_leaves_the_store_as_it_was(heavy: tuple[Path, Path], tmp_path: Path):
    team, committee = heavy
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    entries = entries_of(package)
    big = sorted(n for n in entries if n.startswith(EVIDENCE_PREFIX) and len(entries[n]) > MIB)
    assert len(big) == 4
    # the last in order is damaged: the others (read before it or beside it) land first
    damaged = big[-1]
    entries[damaged] = entries[damaged][:-1] + bytes([entries[damaged][-1] ^ 1])
    write_zip(package, entries, compress=zipfile.ZIP_STORED)
    before = project_fingerprint(committee)
    with open_project(committee) as project:
        with pytest.raises(Exception) as err:
            import_packages(project, [package], author="Thư ký hội đồng")
        assert "SO01.cchc" in str(err.value)
        leftovers = [p for p in project.evidence.root.rglob("*") if p.is_file()]
    assert project_fingerprint(committee) == before
    assert not [p for p in leftovers if p.name.startswith(".")]  # no temporary file either


def test_a_cancel_at_each_progress_report_leaves_store_and_database(heavy: tuple[Path, Path], tmp_path: Path):
    team, committee = heavy
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    calls: list[Any] = []
    run_import(copy(committee, tmp_path, "probe"), [package], progress=lambda f, m: calls.append((f, m)))
    assert len(calls) >= 6
    before = project_fingerprint(committee)
    for stop_at in range(1, len(calls) + 1):
        seen: list[Any] = []

        def progress(done: float, message: str, stop_at: int = stop_at, seen: list[Any] = seen) -> None:
            seen.append(done)
            if len(seen) == stop_at:
                raise Stop()

        with pytest.raises(Stop):
            run_import(committee, [package], progress=progress)
        assert project_fingerprint(committee) == before, f"cancelled at report {stop_at}"
    report = run_import(committee, [package])  # and the whole import still goes through afterwards
    assert report.evidence_files_new >= 4
