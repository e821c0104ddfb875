"""Two laptops and a committee on copies of the demo project: edit a score, add evidence, export a team
package, import packages, and read back what is stored (the exchange, conflict and merge tests)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from project_helpers import copy_project
from sqlalchemy import select

from evaluator.models import (
    Assessment,
    Evidence,
    Period,
    Score,
    Unit,
    open_project,
)
from evaluator.services.conflicts import list_conflicts
from evaluator.services.exchange import export_package, import_packages, this_device
from evaluator.services.scores import set_score

YEAR = 2024
JOIN_A = (Assessment, Assessment.id == Score.assessment_id)
JOIN_U = (Unit, Unit.id == Assessment.unit_id)
JOIN_P = (Period, Period.id == Assessment.period_id)


def copy(demo_db: Path, folder: Path, name: str) -> Path:
    """A copy of the demo project; evidence files are hard links (the store never changes a file in place)."""
    return copy_project(demo_db, folder / f"{name}.db")


def edit(
    db: Path,
    unit: str,
    leaf: str,
    value: dict[str, Any],
    author: str,
    *,
    stage: str = "self",
    year: int = YEAR,
) -> None:
    with open_project(db) as project:
        device = this_device(project)
        with project.session() as s:
            a_id = s.scalars(
                select(Assessment.id).join(Unit).join(Period).where(Unit.code == unit, Period.year == year)
            ).one()
            set_score(
                s,
                a_id,
                leaf,
                stage,
                value=value,
                note=f"ghi chú của {author}",
                author=author,
                device_id=device,
                reason=f"lý do của {author}",
            )


def add_evidence(db: Path, unit: str, leaf: str, content: bytes, name: str, author: str) -> None:
    with open_project(db) as project:
        sha, size = project.evidence.put(content, name)
        with project.session() as s:
            a_id = s.scalars(
                select(Assessment.id).join(Unit).join(Period).where(Unit.code == unit, Period.year == YEAR)
            ).one()
            s.add(
                Evidence(
                    assessment_id=a_id,
                    criterion_code=leaf,
                    stage="self",
                    sha256=sha,
                    file_name=name,
                    size=size,
                    media_type="text/plain",
                    added_by=author,
                )
            )


def export(db: Path, out: Path, units: list[str], author: str, signer: Any = None) -> Path:
    with open_project(db) as project:
        export_package(project, out, years=[YEAR], units=units, author=author, signer=signer)
    return out


def run_import(db: Path, packages: list[Path], **kw: Any):
    with open_project(db) as project:
        return import_packages(project, packages, author="Thư ký hội đồng", **kw)


def state(db: Path) -> dict[str, Any]:
    """What must be equal whatever the import order: scores by natural key, every revision, the
    conflicts, evidence and the audit events (the import's own events aside)."""
    con = sqlite3.connect(db)
    try:
        scores = {
            tuple(r[:4]): r[4:]
            for r in con.execute(
                "SELECT u.code, p.year, s.criterion_code, s.stage, s.points, s.not_applicable, s.value, "
                "s.note, s.author, s.device_id, s.revision, s.base_revision_id, s.updated_at FROM score s "
                "JOIN assessment a ON a.id = s.assessment_id JOIN unit u ON u.id = a.unit_id "
                "JOIN period p ON p.id = a.period_id"
            )
        }
        revisions = sorted(
            con.execute(
                "SELECT id, score_id IS NOT NULL, base_revision_id, points, revision, "
                "value, note, author, device_id, time FROM score_revision"
            )
        )
        evidence = sorted(
            con.execute("SELECT assessment_id, criterion_code, sha256, file_name FROM evidence")
        )
        audit = sorted(con.execute("SELECT id FROM audit_event WHERE action != 'import.package'"))
    finally:
        con.close()
    with open_project(db) as project, project.session() as s:
        conflicts = list_conflicts(s, status=None)
    return {
        "scores": scores,
        "revisions": revisions,
        "evidence": evidence,
        "audit": audit,
        "conflicts": conflicts,
    }


def score_of(db: Path, unit: str, leaf: str, stage: str = "self") -> tuple[Any, ...]:
    """(points, not applicable, value, note, author) of a score."""
    with open_project(db) as project, project.session() as s:
        sc = s.scalars(
            select(Score)
            .join(*JOIN_A)
            .join(*JOIN_U)
            .join(*JOIN_P)
            .where(Unit.code == unit, Period.year == YEAR, Score.criterion_code == leaf, Score.stage == stage)
        ).one()
        return sc.points, sc.not_applicable, sc.value, sc.note, sc.author


def edit_done(db: Path, unit: str, leaf: str, done: bool, author: str) -> None:
    """A yes/no leaf's self score set to ``done`` (note: the author's name; no reason)."""
    with open_project(db) as project:
        device = this_device(project)
        with project.session() as s:
            a_id = s.scalars(
                select(Assessment.id)
                .join(Unit, Unit.id == Assessment.unit_id)
                .join(Period, Period.id == Assessment.period_id)
                .where(Unit.code == unit, Period.year == 2024)
            ).one()
            set_score(
                s, a_id, leaf, "self", value={"done": done}, note=author, author=author, device_id=device
            )


def team_packages(demo_db: Path, tmp_path: Path) -> tuple[Path, list[Path]]:
    """The committee's copy of the demo, and three packages of a team that edited two leaves."""
    team = copy(demo_db, tmp_path, "team")
    edit(team, "SO01", "1.1.1", {"option": "cham"}, "Tổ 1")
    edit(team, "H01", "1.1.1", {"option": "cham"}, "Tổ 1")
    add_evidence(team, "SO01", "1.1.2", "nội dung mới".encode(), "ke-hoach-moi.txt", "Tổ 1")
    files = [export(team, tmp_path / f"{u}.cchc", [u], "Tổ 1") for u in ("SO01", "H01", "H02")]
    return copy(demo_db, tmp_path, "committee"), files
