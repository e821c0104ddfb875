"""Hostile packages for the import centre's new-set diff (``services.package_sets.diff_new_sets``): whatever a
package's ``data.json`` holds in place of its criteria sets (random JSON, a document that is not a set, one
whose fingerprint does not fit, huge version numbers), and whatever the preview listed, each listed set gets
a diff or a problem said beside it — never a traceback — and the project is not touched."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from package_helpers import entries_of, file_state, rehashed, write_zip
from sqlalchemy import select

from evaluator.models import Assessment, CriteriaSet, Period, Unit
from evaluator.services.exchange import export_package
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.package_sets import diff_new_sets
from evaluator.services.projects import create_project, open_existing

YEAR = 2024
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("package-sets-fuzz")
    db = folder / "p.db"
    with create_project(db, [YEAR]) as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code="SO01", name="Sở Một", kind="department")
        s.add(unit)
        s.flush()
        s.add(Assessment(unit_id=unit.id, period_id=period.id,
                         criteria_set_id=framework_for_kind(s, YEAR, "department").id))
    with open_existing(db) as project:
        export_package(project, folder / "team.cchc", years=[YEAR], author="Tổ 1")
        with project.session() as s:
            real = s.scalars(select(CriteriaSet).where(CriteriaSet.code == "par-department-2024")).one()
            identity = {"code": real.code, "version": real.version, "sha256": real.sha256}
    yield {"db": db, "folder": folder, "entries": entries_of(folder / "team.cchc"), "set": identity}


def _sets(base: dict[str, Any]) -> Any:
    real = base["set"]
    document = json.loads(base["entries"]["data.json"])["criteria_sets"][0]["document"]
    entry = st.fixed_dictionaries({
        "code": st.one_of(st.just(real["code"]), st.text(max_size=8), JSON),
        "version": st.one_of(st.just(real["version"]), st.integers(), st.just("__BIG__"), JSON),
        "sha256": st.one_of(st.just(real["sha256"]), st.text(max_size=64), JSON),
        "document": st.one_of(st.just(document), st.just(document.replace("Sở", "Sở giả", 1)),
                              st.text(max_size=50), JSON),
    })
    return st.one_of(JSON, st.lists(st.one_of(entry, JSON), max_size=3))


@given(data=st.data())
@FUZZ
def test_any_criteria_sets_in_a_package_give_a_diff_or_a_problem(base: dict[str, Any], data: Any) -> None:
    raw = json.loads(base["entries"]["data.json"])
    raw["criteria_sets"] = data.draw(_sets(base))
    # a version of 5000 digits, as a file could hold it (Python would not write such an int)
    text = json.dumps(raw).replace('"__BIG__"', "9" * 5000)
    entries = {**base["entries"], "data.json": text.encode()}
    if data.draw(st.booleans()):
        entries = rehashed(entries)  # else the manifest's hash refuses data.json
    path = write_zip(base["folder"] / "fuzz.cchc", entries)
    listed = data.draw(st.lists(st.fixed_dictionaries({
        "file": st.sampled_from(["fuzz.cchc", "other.cchc"]),
        "code": st.sampled_from([base["set"]["code"], "khac"]),
        "version": st.sampled_from([1, 2, 999]),
        "sha256": st.sampled_from([base["set"]["sha256"], "0" * 64]),
    }), min_size=1, max_size=3))
    before = file_state(base["db"])
    with open_existing(base["db"]) as project:
        diffs = diff_new_sets(project, [path], listed)
    assert file_state(base["db"]) == before
    assert len(diffs) == len(listed)
    for d in diffs:
        if d.problem:  # said beside the set
            assert d.diff is None
        else:  # compared, or wholly new with nothing of the same year and kinds to compare it with
            assert (d.diff is not None) == bool(d.against)
