"""Hostile predecessor lists (``builds_on``) in a package's manifest (issue 17): wrong types, huge lists,
cycles, unknown ids, the package itself. The import refuses with a message naming the package (and the
missing predecessors), or takes the package when every predecessor is there — never a traceback — and a
refused import leaves the project as it was."""

from __future__ import annotations

import json
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from package_helpers import entries_of, file_state, write_zip
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.exchange import PackageError
from evaluator.exchange.chain import MAX_PREDECESSORS, parse_builds_on
from evaluator.models import Assessment, PackageImport, Period, Unit
from evaluator.services.exchange import export_package, import_packages
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.projects import create_project, open_existing

YEAR = 2024
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
SHA = st.text("0123456789abcdef", min_size=64, max_size=64)


def _predecessor(ids: list[str]) -> Any:
    return st.fixed_dictionaries({
        "package_id": st.one_of(st.sampled_from(ids), st.uuids().map(str), st.text(max_size=40), JSON),
        "manifest_sha256": st.one_of(SHA, st.text(max_size=70), JSON),
        "created": st.one_of(st.just("2026-12-01T08:00:00+00:00"), st.text(max_size=30), JSON),
        "author": st.one_of(st.just("Tổ 1"), st.text(max_size=30), JSON),
        "device_id": st.one_of(st.just("d1"), st.text(max_size=30)),
        "team": st.one_of(st.just(""), st.text(max_size=30)),
        "file_name": st.one_of(st.just("a.cchc"), st.text(max_size=30)),
    })


@given(raw=st.one_of(JSON, st.lists(st.one_of(_predecessor([str(uuid.uuid4())]), JSON), max_size=6)))
@settings(max_examples=300, deadline=None)
def test_any_builds_on_is_parsed_or_refused_by_name(raw: Any) -> None:
    manifest = {"package_id": str(uuid.UUID(int=1)), "builds_on": raw}
    try:
        found = parse_builds_on(manifest, "x.cchc")
    except PackageError as exc:
        assert exc.render("en").startswith("x.cchc: manifest.json: the list of packages it builds on")
        return
    assert isinstance(raw, list) and len(found) == len(raw)
    assert all(uuid.UUID(p.package_id) and len(p.manifest_sha256) == 64 for p in found)


def test_huge_lists_and_the_package_itself_are_refused() -> None:
    one = {"package_id": str(uuid.uuid4()), "manifest_sha256": "a" * 64,
           "created": "2026-12-01T08:00:00+00:00"}
    huge = {"package_id": str(uuid.UUID(int=1)), "builds_on": [one] * (MAX_PREDECESSORS + 1)}
    with pytest.raises(PackageError, match="at most"):
        parse_builds_on(huge, "x")
    itself = {**one, "package_id": str(uuid.UUID(int=1))}
    with pytest.raises(PackageError, match="the package itself"):
        parse_builds_on({"package_id": str(uuid.UUID(int=1)), "builds_on": [itself]}, "x")
    with pytest.raises(PackageError, match="twice"):
        parse_builds_on({"package_id": str(uuid.UUID(int=1)), "builds_on": [one, one]}, "x")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """A small project and two packages of it: ``a`` (full), ``b`` naming ``a`` (rewritten below)."""
    folder = tmp_path_factory.mktemp("increments-fuzz")
    db = folder / "p.db"
    with create_project(db, [YEAR]) as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code="SO01", name="Sở Một", kind="department")
        s.add(unit)
        s.flush()
        s.add(Assessment(unit_id=unit.id, period_id=period.id,
                         criteria_set_id=framework_for_kind(s, YEAR, "department").id))
    with open_existing(db) as project:
        export_package(project, folder / "a.cchc", years=[YEAR], author="Tổ 1")
    yield _Base({"db": db, "folder": folder, "a": entries_of(folder / "a.cchc")})


class _Base(dict):
    def __repr__(self) -> str:  # hypothesis prints the fixture with a failing example: not 80 kB of JSON
        return "base"


def _package(folder: Path, name: str, entries: dict[str, bytes], package_id: str, builds_on: Any) -> Path:
    manifest = json.loads(entries["manifest.json"])
    manifest["package_id"] = package_id
    manifest["builds_on"] = builds_on
    return write_zip(folder / name, {**entries, "manifest.json": json.dumps(manifest).encode()})


@pytest.mark.slow
@given(data=st.data())
@FUZZ
def test_hostile_chains_are_refused_or_taken_whole(base: dict[str, Any], data: Any, tmp_path_factory) -> None:
    folder = tmp_path_factory.mktemp("case")
    db = folder / "p.db"
    shutil.copy(base["db"], db)
    if base["db"].with_suffix(".evidence").exists():
        shutil.copytree(base["db"].with_suffix(".evidence"), db.with_suffix(".evidence"))
    ids = [str(uuid.uuid4()) for _ in range(3)]
    files: list[Path] = []
    for i, pid in enumerate(ids):  # up to three packages naming each other (cycles) or strangers
        builds_on = data.draw(st.one_of(JSON, st.lists(_predecessor(ids), max_size=4)), label=f"builds_on{i}")
        files.append(_package(folder, f"p{i}.cchc", base["a"], pid, builds_on))
    chosen = data.draw(st.lists(st.sampled_from(files), min_size=1, max_size=3, unique=True))
    before = file_state(db)
    try:
        with open_existing(db) as project:
            import_packages(project, chosen, author="Thư ký")
    except UserError as exc:
        text = exc.render("en")
        assert "nothing was written" in text and any(f.name in text for f in chosen)
        assert file_state(db) == before
        return
    # taken: every package taken named only packages this project had, or others taken in the run
    with open_existing(db) as project, project.session() as s:
        taken = {str(p) for p in s.scalars(select(PackageImport.package_id))}
    for f in chosen:
        named = json.loads(entries_of(f)["manifest.json"])["builds_on"]
        assert all(p["package_id"] in taken for p in named)
