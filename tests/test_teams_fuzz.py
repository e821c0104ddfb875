"""Hostile team scopes (issue 14): a random ``team_scope`` in a handout's manifest, and a random ``team`` /
``handout_id`` in a team package's manifest, give a clean refusal with nothing written, or a team copy
whose scope is exactly what the manifest said, or an import held to the committee's own team — never a
traceback or a half-written project."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from package_helpers import entries_of, file_state, rehashed, with_manifest, write_zip
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.models import Assessment, Period, Unit, open_project
from evaluator.services.exchange import export_package, import_packages
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.handout import create_from_handout, export_handout
from evaluator.services.projects import create_project
from evaluator.services.scores import set_score
from evaluator.services.team_scope import Scope, copy_scope
from evaluator.services.teams import add_team

YEAR = 2024
FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=10,
)
CODES = st.lists(st.sampled_from(["1", "2", "3", "", "x"]) | st.text(max_size=5), max_size=4)
SCOPES = st.one_of(
    JSON,
    st.fixed_dictionaries({"team": st.text(max_size=30) | JSON},
                          optional={"department": st.text(max_size=20) | JSON,
                                    "areas": st.dictionaries(st.sampled_from(["*", "district", "x"]), CODES,
                                                             max_size=3) | JSON,
                                    "units": CODES | JSON}),
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("teams-fuzz")
    committee = folder / "committee.db"
    with create_project(committee, [YEAR], name="Hội đồng", province="Tỉnh Thử") as project, \
            project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code="H01", name="UBND H01", kind="district")
        s.add(unit)
        s.flush()
        s.add(Assessment(unit_id=unit.id, period_id=period.id,
                         criteria_set_id=framework_for_kind(s, YEAR, "district").id))
        add_team(s, "Tổ 1", ["2"])
    with open_project(committee) as project:
        export_handout(project, folder / "h.cchc", team="Tổ 1")
    laptop = folder / "laptop.db"
    create_from_handout(laptop, folder / "h.cchc")
    with open_project(laptop) as project:
        with project.session() as s:
            a_id = s.scalars(select(Assessment.id)).one()
            set_score(s, a_id, "1.7", "self", value={"done": True}, author="Tổ 1")
        export_package(project, folder / "p.cchc", author="Tổ 1")
    yield {"handout": entries_of(folder / "h.cchc"), "package": entries_of(folder / "p.cchc"),
           "committee": committee}


@pytest.mark.slow
@FUZZ
@given(scope=SCOPES)
def test_hostile_handout_scopes(base: dict[str, Any], scope: Any):
    folder = Path(tempfile.mkdtemp(prefix="teams-fuzz-"))
    try:
        package = write_zip(folder / "h.cchc", rehashed(with_manifest(
            base["handout"], lambda m: m.update({"team_scope": scope}))))
        target = folder / "copy.db"
        try:
            expected = Scope.from_json(scope)
        except ValueError:
            expected = None
        try:
            create_from_handout(target, package)
        except UserError as exc:
            assert exc.render("en") and exc.render("vi")
            assert sorted(p.name for p in folder.iterdir()) == ["h.cchc"]
            assert expected is None  # a scope the reader accepts is never refused
        else:
            assert expected is not None
            with open_project(target) as project, project.session() as s:
                assert copy_scope(s) == expected
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.slow
@FUZZ
@given(team=st.text(max_size=40) | JSON, handout_id=st.uuids().map(str) | st.text(max_size=70) | JSON)
def test_hostile_package_teams(base: dict[str, Any], team: Any, handout_id: Any):
    folder = Path(tempfile.mkdtemp(prefix="teams-fuzz-"))
    try:
        package = write_zip(folder / "p.cchc", rehashed(with_manifest(
            base["package"], lambda m: m.update({"team": team, "handout_id": handout_id}))))
        committee = folder / "committee.db"
        shutil.copyfile(base["committee"], committee)
        before = file_state(committee)
        try:
            with open_project(committee) as project:
                report = import_packages(project, [package], backup=False)
        except UserError as exc:
            assert exc.render("en") and exc.render("vi")
            assert file_state(committee) == before
        else:
            assert report.out_of_scope == []  # the edit (a self score) is the unit's, in any team's scope
            assert isinstance(team, str) and isinstance(handout_id, str)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
