"""Issue #12's proof: a province's first year from nothing but what it has — its own criteria sets as Excel
workbooks (made from the exported template and changed), its unit list as a workbook — through the command
line: create the project, import the units, hand out copies to two teams, score on both laptops, import
both at the committee, compute results and publish the documents."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from province_helpers import COMMUNES, DEPARTMENTS, PROVINCE, YEAR, commune_set, department_set, unit_list
from sqlalchemy import select

from evaluator.models import Assessment, Period, Unit, open_project
from evaluator.services.approval import approve
from evaluator.services.demo import raw_input
from evaluator.services.exchange import this_device
from evaluator.services.frameworks import framework_of
from evaluator.services.scores import set_score

pytestmark = pytest.mark.slow


def evaluator(*args: object, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "evaluator", "--lang", "vi", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True)
    assert done.returncode == 0, f"evaluator {' '.join(map(str, args))}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def score_everything(db: Path, team: str, seed: int) -> None:
    """What a team does on its laptop: the self-assessment it was handed is completed, and it appraises
    every leaf (a different value, with a reason, where it disagrees)."""
    rng = random.Random(seed)
    with open_project(db) as project, project.session(write=True) as s:
        device = this_device(project)
        for a in s.scalars(select(Assessment).join(Period).where(Period.year == YEAR)):
            fw = framework_of(a.criteria_set)
            quality = rng.uniform(0.6, 1.0)
            for leaf in fw.leaves():
                if leaf.source != "appraisal" or leaf.rule is None or a.unit.kind not in leaf.max:
                    continue
                own = raw_input(leaf, a.unit.kind, quality, rng)
                set_score(s, a.id, leaf.code, "self", value=own, author="Cán bộ đơn vị", role="assessor",
                          device_id=device)
                appraised = raw_input(leaf, a.unit.kind, quality - 0.1, rng)
                set_score(s, a.id, leaf.code, "appraisal1", value=appraised, author=team, role="member",
                          device_id=device, reason="Theo tài liệu kiểm chứng đơn vị gửi")


def indices(stdout: str) -> dict[str, dict[str, Any]]:
    return {u["code"]: u for u in json.loads(stdout)["units"]}


def test_a_province_runs_its_first_year_on_its_own_sets_and_units(tmp_path: Path) -> None:
    files = tmp_path / "tinh"
    files.mkdir()
    sets = [department_set(files), commune_set(files)]
    units = unit_list(files)
    committee = tmp_path / "hoi-dong" / "cchc-2026.db"
    committee.parent.mkdir()

    out = evaluator("init", committee, "--year", YEAR, "--sets", *sets, "--no-bundled",
                    "--province", PROVINCE, cwd=tmp_path)
    assert "kh-so-nganh@1" in out and "kh-xa-phuong@1" in out
    listed = json.loads(evaluator("framework", "list", "--db", committee, "--format", "json", cwd=tmp_path))
    assert {s["code"] for s in listed} == {"kh-so-nganh", "kh-xa-phuong"}  # nothing bundled slipped in
    evaluator("units", "import", "--db", committee, units, "--year", YEAR, cwd=tmp_path)
    shown = json.loads(evaluator("units", "list", "--db", committee, "--format", "json", cwd=tmp_path))
    assert len(shown) == len(DEPARTMENTS) + len(COMMUNES)

    # two teams: the departments, the communes
    departments = [u[0] for u in DEPARTMENTS]
    communes = [u[0] for u in COMMUNES]
    laptops = {}
    for team, chosen in (("Tổ 1", departments), ("Tổ 2", communes)):
        handout = tmp_path / f"giao-viec-{team[-1]}.cchc"
        evaluator("handout", "--db", committee, "--out", handout, "--unit", *chosen, "--team", team,
                  cwd=tmp_path)
        laptop = tmp_path / f"may-{team[-1]}" / "to.db"
        laptop.parent.mkdir()
        evaluator("init", laptop, "--from-package", handout, cwd=tmp_path)
        with open_project(laptop) as project, project.session() as s:
            assert sorted(s.scalars(select(Unit.code))) == sorted(chosen)
        score_everything(laptop, team, seed=len(team) + len(chosen))
        laptops[team] = laptop

    packages = []
    for team, laptop in laptops.items():
        package = tmp_path / f"tra-ve-{team[-1]}.cchc"
        evaluator("export", "--db", laptop, "--out", package, "--year", YEAR, cwd=tmp_path)
        packages.append(package)
    report = evaluator("import", "--db", committee, *packages, cwd=tmp_path)
    assert "xung đột" not in report.lower() or "0 xung đột" in report.lower()

    results = json.loads(evaluator("results", "--db", committee, "--year", YEAR, "--format", "json",
                                   cwd=tmp_path))
    at_committee = {u["code"]: u for u in results["units"]}
    assert set(at_committee) == set(departments) | set(communes)
    # what each laptop computed for its own units arrived whole at the committee
    for laptop in laptops.values():
        own = indices(evaluator("results", "--db", laptop, "--year", YEAR, "--format", "json", cwd=tmp_path))
        for code, unit in own.items():
            assert (unit["points"], unit["index"], unit["class"]) == (
                at_committee[code]["points"], at_committee[code]["index"], at_committee[code]["class"]), code
    # the province's four classes, its dense ranks, its special body ranked apart
    assert {u["class"] for u in results["units"]} <= {"tot", "kha", "trung_binh", "yeu"}
    main = sorted((u for u in results["units"] if u["kind"] == "department" and not u["group"]),
                  key=lambda u: u["rank"])
    ranks = [u["rank"] for u in main]
    assert ranks[0] == 1 and all(b - a in (0, 1) for a, b in itertools.pairwise(ranks))  # dense
    assert at_committee["KH-BQLKKT"]["group"] == "dac_thu" and at_committee["KH-BQLKKT"]["rank"] == 1
    for summary in results["summary"].values():
        assert sum(float(c["share"]) for c in summary["classes"].values()) == pytest.approx(100.0)
    assert all(u["index"] <= 100 for u in results["units"])  # cap_total by default

    # the documents: the publication presents the results as final, so the chair approves every unit first
    publication = tmp_path / "cong-bo.pdf"
    refused = subprocess.run([sys.executable, "-m", "evaluator", "--lang", "vi", "report", "publication",
                              "--db", str(committee), "--year", str(YEAR), "--out", str(publication)],
                             cwd=tmp_path, capture_output=True, text=True)
    assert refused.returncode == 1 and "chưa phê duyệt" in refused.stderr and not publication.exists()
    with open_project(committee) as project, project.session(write=True) as s:
        for code in sorted(at_committee):
            approve(s, YEAR, code, author="Chủ tịch Hội đồng", role="committee")
    evaluator("report", "publication", "--db", committee, "--year", YEAR, "--out", publication, cwd=tmp_path)
    minutes = tmp_path / "bien-ban"
    evaluator("report", "appraisal", "--db", committee, "--year", YEAR, "--all", "--out", minutes,
              "--workers", 1, cwd=tmp_path)
    assert len(list(minutes.glob("*.pdf"))) == len(departments) + len(communes)
    text = " ".join(subprocess.run(["pdftotext", str(publication), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())  # a name wrapped in its cell reads whole
    assert "Sở Khoa học và Công nghệ" in text and "KH-BQLKKT" in text and "Ban Quản lý Khu kinh tế" in text
    # the province's set is named in the document's metadata (with its hash), not on the page face
    info = " ".join(subprocess.run(["pdfinfo", str(publication)], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "kh-so-nganh@1 sha256" in info and "kh-so-nganh@1" not in text
    assert "Xuất sắc" not in text  # the province's classes, not the bundled ones
