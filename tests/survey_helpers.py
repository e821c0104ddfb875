"""Survey and external-index workbooks for the import tests, and the survey score stored for a leaf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select

from evaluator.models import Assessment, Period, Score, Unit, open_project

YEAR = 2024
HEADER = ["respondent_id", "group", "unit_code", "question_code", "answer"]
GOOD = [  # H01 leaf 1.8: Q1 (officials) A, B → 0.8; Q2 (leaders) C → 0.2; weights ½ ½ → 0.5 of max 1
    ["R1", "officials", "H01", "Q1", "A"],
    ["R2", "officials", "H01", "Q1", "b"],
    ["R3", "leaders", "H01", "Q2", "C"],
    ["R4", "leaders", "H01", "Q2", ""],  # blank: not counted
    ["C1", "citizens", "H02", "Q22", "A"],  # H02 leaf 8.2: citizens only → A, D → 0.5 of max 3
    ["C1", "citizens", "H02", "Q23", "D"],
]


def workbook(
    path: Path, rows: list[list[Any]], *, sheet: str = "answers", header: list[str] = HEADER
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def survey_score(db: Path, unit: str, leaf: str, stage: str = "survey") -> Score | None:
    with open_project(db) as project, project.session() as s:
        return s.scalars(
            select(Score)
            .join(Assessment, Assessment.id == Score.assessment_id)
            .join(Unit, Unit.id == Assessment.unit_id)
            .join(Period, Period.id == Assessment.period_id)
            .where(Unit.code == unit, Period.year == YEAR, Score.criterion_code == leaf, Score.stage == stage)
        ).first()


def indices(path: Path, rows: list[list[Any]]) -> Path:
    return workbook(path, rows, sheet="indices", header=["unit_code", "indicator", "value", "note"])
