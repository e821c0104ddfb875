"""Hostile handouts: random manifest ``purpose`` and ``team`` and random document ``settings`` in a
handout give a clean refusal and no project file (``init --from-package``) or an untouched team copy
(a later handout imported), or a correct import — never a traceback or a half-written project."""

from __future__ import annotations

import json
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
from evaluator.services.exchange import import_packages
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.handout import create_from_handout, export_handout
from evaluator.services.projects import create_project
from evaluator.services.report_setup import report_setup, set_report_setup
from evaluator.services.scores import set_score

YEAR = 2024
FUZZ = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
SETUP_KEYS = st.sampled_from(["place", "council", "representatives", "conclusions", "chair", "odd",
                              "issuing_body"])
SETTINGS = st.one_of(
    JSON,
    st.dictionaries(st.sampled_from(["reports", "other"]),
                    st.one_of(JSON, st.dictionaries(SETUP_KEYS, JSON, max_size=4)), max_size=2),
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("handout-fuzz")
    committee = folder / "committee.db"
    with create_project(committee, [YEAR], name="Hội đồng", province="Tỉnh Thử") as project, \
            project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code="H01", name="UBND H01", kind="district")
        s.add(unit)
        s.flush()
        a = Assessment(unit_id=unit.id, period_id=period.id,
                       criteria_set_id=framework_for_kind(s, YEAR, "district").id)
        s.add(a)
        s.flush()
        set_score(s, a.id, "1.7", "self", value={"done": True}, author="đơn vị")
        set_report_setup(s, {"place": "Nha Trang", "representatives": {"H01": [{"name": "Lê Văn A"}]}})
    with open_project(committee) as project:
        export_handout(project, folder / "h.cchc", team="Tổ 1")
    laptop = folder / "laptop.db"
    create_from_handout(laptop, folder / "h.cchc")
    yield {"entries": entries_of(folder / "h.cchc"), "laptop": laptop}


def _crafted(entries: dict[str, bytes], manifest: dict[str, Any], data_settings: Any) -> dict[str, bytes]:
    data = json.loads(entries["data.json"])
    data["settings"] = data_settings
    out = {**entries, "data.json": json.dumps(data, ensure_ascii=False).encode()}
    return rehashed(with_manifest(out, lambda m: m.update(manifest)))


MANIFEST = st.fixed_dictionaries({}, optional={
    "purpose": st.one_of(st.just("handout"), st.just("team"), JSON),
    "team": st.one_of(st.text(max_size=250), JSON),
})


@pytest.mark.slow
@FUZZ
@given(manifest=MANIFEST, data_settings=SETTINGS)
def test_hostile_handouts(base: dict[str, Any], manifest: dict[str, Any], data_settings: Any):
    folder = Path(tempfile.mkdtemp(prefix="handout-fuzz-"))
    try:
        package = write_zip(folder / "h.cchc", _crafted(base["entries"], manifest, data_settings))
        # a new team copy: made whole, or refused with no file left behind
        target = folder / "copy.db"
        try:
            create_from_handout(target, package)
        except UserError as exc:
            assert exc.render("en") and exc.render("vi")
            assert sorted(p.name for p in folder.iterdir()) == ["h.cchc"]
        else:
            with open_project(target) as project, project.session() as s:
                assert s.scalars(select(Unit.code)).all() == ["H01"]
                report_setup(s)  # whatever was stored reads back
        # a later handout into an existing team copy: imported, or refused with the copy unchanged
        laptop = folder / "laptop.db"
        shutil.copyfile(base["laptop"], laptop)
        before = file_state(laptop)
        try:
            with open_project(laptop) as project:
                import_packages(project, [package])
        except UserError as exc:
            assert exc.render("en") and exc.render("vi")
            assert file_state(laptop) == before
    finally:
        shutil.rmtree(folder, ignore_errors=True)
