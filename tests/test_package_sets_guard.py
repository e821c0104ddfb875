"""A team package cannot slip a criteria set into a project (issue 12): a set the project lacks is added
only when the import accepts new sets, or when the package is signed by a certificate of the project's
trust list; the preview lists every new set with its identity and fingerprint."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import PKI_PASSWORD, project_fingerprint
from exchange_helpers import YEAR, copy, edit, export, run_import, score_of
from package_helpers import entries_of, rehashed, with_manifest, write_zip
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.exchange import Pkcs12Signer
from evaluator.frameworks import parse_framework
from evaluator.models import Assessment, CriteriaSet, Period, Unit, open_project
from evaluator.models.schema import decode_canonical_json
from evaluator.services.exchange import set_trust

FORGED = "par-department-2024-sua"


def _walk(nodes: list[dict[str, Any]]) -> Any:
    for n in nodes:
        yield n
        yield from _walk(n.get("children", []))


def _forge(db: Path) -> None:
    """On a laptop: a copy of the department set under a new code with leaf 1.1.2's maximum raised to
    50, and a new unit SO99 assessed by it and scored full on that leaf."""
    with open_project(db) as project, project.session() as s:
        real = s.scalars(select(CriteriaSet).where(CriteriaSet.code == "par-department-2024")).one()
        doc = decode_canonical_json(real.document)
        doc["code"] = FORGED
        doc["version"] = 1  # a set of its own starts at version 1 (the bundled one it copies is at 2)
        raise_by = Decimal("49.5")
        for node in _walk(doc["nodes"]):
            if node["code"] in ("1", "1.1", "1.1.2"):  # the parents too: the set must still be valid
                node["max"] = node["max"] + raise_by
        doc["total_max"] = doc["total_max"] + raise_by
        forged = CriteriaSet.from_framework(parse_framework(doc, "forged"))
        s.add(forged)
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        unit = Unit(code="SO99", name="Sở giả", kind="department")
        s.add(unit)
        s.flush()
        s.add(Assessment(unit_id=unit.id, period_id=period.id, criteria_set_id=forged.id))
    edit(db, "SO99", "1.1.2", {"done": True}, "Kẻ gian")


@pytest.fixture
def forged(demo_db: Path, tmp_path: Path, exchange_pki: dict[str, Path]) -> dict[str, Path]:
    laptop = copy(demo_db, tmp_path, "laptop")
    _forge(laptop)
    signer = Pkcs12Signer(exchange_pki["p12"], PKI_PASSWORD)
    return {
        "unsigned": export(laptop, tmp_path / "forged.cchc", ["SO99"], "Kẻ gian"),
        "signed": export(laptop, tmp_path / "forged-signed.cchc", ["SO99"], "Tổ 1", signer),
    }


def _so99_points(db: Path) -> Any:
    """SO99's points on the raised leaf (the results refuse a year ranked by two department sets)."""
    return score_of(db, "SO99", "1.1.2")[0]


def test_unsigned_package_with_its_own_set_is_refused(demo_db: Path, tmp_path: Path, forged: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    before = project_fingerprint(committee)
    with pytest.raises(UserError) as err:
        run_import(committee, [forged["unsigned"]])
    text = err.value.render("en")
    assert f"criteria set {FORGED}@1" in text and "accept new criteria sets" in text
    assert "forged.cchc" in text
    vietnamese = err.value.render("vi")
    assert f"{FORGED}@1" in vietnamese and "--" not in vietnamese  # names no flag
    assert project_fingerprint(committee) == before


def test_the_preview_lists_the_new_set(demo_db: Path, tmp_path: Path, forged: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    before = project_fingerprint(committee)
    report = run_import(committee, [forged["unsigned"]], dry_run=True)
    new = report.new_sets
    assert [(c["code"], c["version"], c["year"], c["accepted"]) for c in new] == [(FORGED, 1, YEAR, False)]
    sha = new[0]["sha256"]
    assert len(sha) == 64 and new[0]["file"] == "forged.cchc"
    assert f"{FORGED}@1" in report.render("en") and "must be accepted" in report.render("en")
    assert report.summary()["new_sets"][0]["sha256"] == sha
    assert project_fingerprint(committee) == before


def test_accepted_set_is_added(demo_db: Path, tmp_path: Path, forged: dict[str, Path]):
    committee = copy(demo_db, tmp_path, "committee")
    report = run_import(committee, [forged["unsigned"]], accept_sets=True)
    assert report.new_sets[0]["accepted"] and report.units_new == 1
    with open_project(committee) as project, project.session() as s:
        assert s.scalars(select(CriteriaSet.code).where(CriteriaSet.code == FORGED)).one() == FORGED
    assert _so99_points(committee) == Decimal("50.00")


def test_set_from_a_package_signed_by_the_project_trust_list_is_added(
    demo_db: Path, tmp_path: Path, forged: dict[str, Path], exchange_pki: dict[str, Path]
):
    # a valid signature alone is not enough: only the project's own trust list counts
    untrusting = copy(demo_db, tmp_path, "untrusting")
    before = project_fingerprint(untrusting)
    with pytest.raises(UserError, match=f"criteria set {FORGED}@1"):
        run_import(untrusting, [forged["signed"]])
    with pytest.raises(UserError, match=f"criteria set {FORGED}@1"):
        run_import(untrusting, [forged["signed"]], trust_files=[exchange_pki["ca_pem"]])
    assert project_fingerprint(untrusting) == before

    committee = copy(demo_db, tmp_path, "committee")
    with open_project(committee) as project:
        set_trust(project, [exchange_pki["ca_pem"]])
    report = run_import(committee, [forged["signed"]])
    assert report.new_sets[0]["accepted"] and report.new_sets[0]["signed_by"] == "CN=Tổ thẩm định số 1,C=VN"
    assert report.units_new == 1


def test_packages_with_the_projects_own_sets_need_no_acceptance(demo_db: Path, tmp_path: Path):
    laptop, committee = copy(demo_db, tmp_path, "laptop"), copy(demo_db, tmp_path, "committee")
    edit(laptop, "SO01", "1.1.2", {"done": True}, "Tổ 1")
    report = run_import(committee, [export(laptop, tmp_path / "t.cchc", ["SO01"], "Tổ 1")])
    assert report.new_sets == [] and report.scores_updated == 1


def test_command_line_accept_sets(demo_db: Path, tmp_path: Path, forged: dict[str, Path], run_cli):
    committee = copy(demo_db, tmp_path, "committee")
    code, _out, err = run_cli("import", "--db", committee, forged["unsigned"])
    assert code == 1 and f"{FORGED}@1" in err and "--accept-sets" in err
    code, out, _err = run_cli("import", "--db", committee, "--dry-run", forged["unsigned"])
    assert code == 0 and "must be accepted" in out
    code, out, _err = run_cli("import", "--db", committee, "--accept-sets", forged["unsigned"])
    assert code == 0 and "accepted" in out
    assert _so99_points(committee) == Decimal("50.00")


def _data_changed(entries: dict[str, bytes], change: Any) -> dict[str, bytes]:
    data = json.loads(entries["data.json"])
    change(data)
    raw = json.dumps(data).encode()
    out = {**entries, "data.json": raw}
    return rehashed(out)


def test_a_period_paired_with_another_years_set_is_refused(
    demo_db: Path, tmp_path: Path, forged: dict[str, Path]
):
    """The forged set said to be 2023's (its document still says 2024): refused by the package's own
    data, and a set whose document is really 2023's, paired with the 2024 period, by the merge."""
    committee = copy(demo_db, tmp_path, "committee")
    before = project_fingerprint(committee)

    def year_2023(data: dict[str, Any]) -> None:
        data["criteria_sets"][0]["year"] = 2023

    bad = write_zip(tmp_path / "year.cchc", _data_changed(entries_of(forged["unsigned"]), year_2023))
    with pytest.raises(UserError, match="the 2024 appraisal cannot use a criteria set for 2023"):
        run_import(committee, [bad], accept_sets=True)

    with open_project(committee) as project, project.session() as s:
        old = s.scalars(select(CriteriaSet).where(CriteriaSet.code == "par-department-2023")).one()
        old_set = {"id": str(old.id), "code": old.code, "version": old.version, "year": 2024,
                   "title": old.title, "sha256": old.sha256, "document": old.document}

    def paired_with_2023(data: dict[str, Any]) -> None:
        data["criteria_sets"] = [old_set]
        data["assessments"][0]["criteria_set_id"] = old_set["id"]

    def manifest_sets(m: dict[str, Any]) -> None:
        m["criteria_sets"] = [{"code": old.code, "version": old.version, "sha256": old.sha256}]

    entries = _data_changed(entries_of(forged["unsigned"]), paired_with_2023)
    crafted = write_zip(tmp_path / "paired.cchc", rehashed(with_manifest(entries, manifest_sets)))
    with pytest.raises(UserError, match="the 2024 appraisal cannot use a criteria set for 2023"):
        run_import(committee, [crafted], accept_sets=True)
    assert project_fingerprint(committee) == before
    assert hashlib.sha256(old.document.encode()).hexdigest() == old.sha256
