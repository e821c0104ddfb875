"""Importing raw sociological-survey answers and turning them into survey points per leaf.

File: an ``.xlsx`` with a sheet ``answers`` and the columns ``respondent_id``, ``group``, ``unit_code``,
``question_code``, ``answer`` (one row per answer; see ``docs/exchange.md``). For every unit and survey
leaf the points come from ``scoring.survey.survey_points`` with the set's answer weights and the leaf's
group weights; they are stored as the leaf's ``survey`` stage value ``{"points": p, "respondents":
{group: n}}`` through ``set_score`` (revision chain and audit). All or nothing: any unknown unit,
question, group or answer letter refuses the whole file, naming the row and column, and so does a cell
that breaks its field's rule (``evaluator.fields``: control characters, lone surrogates, length).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.frameworks.model import Framework, Node
from evaluator.messages import Message, labels
from evaluator.messages.reports import status
from evaluator.models import Assessment, Project, Score
from evaluator.scoring.survey import Answer, survey_points
from evaluator.services.changes import Change
from evaluator.services.exchange_sheets import (
    MAX_LISTED,
    Problems,
    assessments_by_code,
    read_table,
)
from evaluator.services.external_import import Planned, checked_file, column, shown, text_cell, write_plan
from evaluator.services.frameworks import framework_of
from evaluator.services.progress import Progress, no_progress

SHEET = "answers"
COLUMNS = ("respondent_id", "group", "unit_code", "question_code", "answer")
FIELDS = {
    "respondent_id": "author",  # a person, like an author
    "group": "role",  # citizens, officials, leaders: who answers, like a role
    "unit_code": "unit.code",
    "question_code": "criterion_code",
    "answer": "criterion_code",  # a letter: a short code
}
"""The ``evaluator.fields`` rule each column's text obeys."""


@dataclass
class LeafResult:
    unit: str
    leaf: str
    points: Any
    respondents: dict[str, int]
    status: str
    """new, updated, identical or no answers."""


@dataclass
class SurveyReport:
    file: str
    year: int
    dry_run: bool
    answers: int = 0
    blank: int = 0
    leaves: list[LeafResult] = field(default_factory=list)
    backup: str = ""
    change: Change = field(default_factory=Change)
    """What the import changed (empty for a dry run or when nothing was new)."""

    def count(self, status: str) -> int:
        return sum(1 for r in self.leaves if r.status == status)

    def summary(self) -> dict[str, Any]:
        return {
            "kind": "survey",
            "file": self.file,
            "year": self.year,
            "dry_run": self.dry_run,
            "answers": self.answers,
            "blank": self.blank,
            "new": self.count("new"),
            "updated": self.count("updated"),
            "identical": self.count("identical"),
            "no_answers": self.count("no answers"),
            "backup": self.backup,
            "leaves": [
                {
                    "unit": r.unit,
                    "leaf": r.leaf,
                    "points": r.points,
                    "respondents": r.respondents,
                    "status": r.status,
                }
                for r in self.leaves
            ],
        }

    def render(self, language: str | None = None) -> str:
        def say(code: str, **params: Any) -> str:  # in ``language``: the GUI's, or English as the CLI printed
            return Message(code, params).render(language)

        lines = [
            say("report.dry_run" if self.dry_run else "report.survey_imported"),
            "  " + say("report.survey_file", file=self.file, year=self.year, answers=self.answers,
                       blank=self.blank),
            "  " + say("report.survey_leaves", new=self.count("new"), updated=self.count("updated"),
                       identical=self.count("identical"), unanswered=self.count("no answers")),
        ]
        if self.backup:
            lines.append("  " + say("report.backup", path=self.backup))
        shown = [r for r in self.leaves if r.status != "identical"]
        if shown:
            lines.append("  " + say("report.survey_per_leaf"))
            for r in shown[: MAX_LISTED * 4]:
                people = ", ".join(f"{g} {n}" for g, n in sorted(r.respondents.items())) or "—"
                points = "—" if r.points is None else r.points
                lines.append("    " + say("report.survey_leaf", unit=r.unit, leaf=r.leaf, points=points,
                                          people=people, status=status(r.status)))
            if len(shown) > MAX_LISTED * 4:
                lines.append("    " + say("report.more", count=len(shown) - MAX_LISTED * 4))
        return "\n".join(lines)


def import_survey(
    project: Project,
    path: Path | str,
    *,
    year: int,
    dry_run: bool = False,
    author: str = "",
    device_id: str = "",
    progress: Progress = no_progress,
) -> SurveyReport:
    """``progress`` (``services.progress``) may raise to cancel: nothing is then written."""
    path = Path(path)
    checked_file(path, author)
    progress(0.0, "read")
    problems = Problems()
    read = read_table(path, SHEET, COLUMNS, problems)
    problems.raise_if_any()
    progress(0.4, "check")
    assert read is not None
    data, rows = read
    report = SurveyReport(path.name, year, dry_run)
    with project.session(write=not dry_run) as session:
        assessments = assessments_by_code(session, year)
        questions: dict[uuid.UUID, dict[str, Node]] = {}
        frameworks: dict[uuid.UUID, Framework] = {}
        for a, u in assessments.values():
            fw = framework_of(a.criteria_set)
            frameworks[a.id] = fw
            questions[a.id] = {
                q.code: n
                for n in fw.leaves(u.kind)
                if n.rule is not None and n.rule.kind == "survey"
                for q in n.rule.questions
            }
        answers: dict[uuid.UUID, list[Answer]] = {}
        seen: dict[tuple[str, str, str], int] = {}
        for i, raw in rows:
            where = Message("import.row", {"file": path.name, "sheet": SHEET, "row": i})
            cells = [text_cell(raw[c], FIELDS[c], column(where, c), problems) for c in COLUMNS]
            if None in cells:
                continue
            respondent, group, unit, question, letter = (c or "" for c in cells)
            for name, value in (
                ("respondent_id", respondent),
                ("group", group),
                ("unit_code", unit),
                ("question_code", question),
            ):
                if not value:
                    problems.add("import.empty", where=column(where, name))
            if not (respondent and group and unit and question):
                continue
            found = assessments.get(unit)
            if found is None:
                problems.add("import.unknown_unit", where=column(where, "unit_code"), unit=shown(unit),
                             year=year)
                continue
            a, u = found
            fw = frameworks[a.id]
            node = questions[a.id].get(question)
            if node is None:
                problems.add("import.unknown_question", where=column(where, "question_code"),
                             question=shown(question), kind=labels.kind(u.kind), identity=fw.identity)
                continue
            assert node.rule is not None
            asked = next(q.group for q in node.rule.questions if q.code == question)
            if group != asked:
                problems.add("import.wrong_group", where=column(where, "group"), question=question,
                             asked=asked, group=shown(group))
                continue
            letter = letter.upper()
            if letter and letter not in fw.answer_weights:
                problems.add("import.not_an_answer", where=column(where, "answer"), letter=shown(letter),
                             letters=", ".join(sorted(fw.answer_weights)))
                continue
            key = (unit, respondent, question)
            if key in seen:
                problems.add("import.answered_twice", where=where, respondent=respondent, question=question,
                             unit=unit, row=seen[key])
                continue
            seen[key] = i
            if not letter:
                report.blank += 1
                continue
            report.answers += 1
            answers.setdefault(a.id, []).append(Answer(respondent, group, question, letter))
        problems.raise_if_any()
        if not answers:
            raise UserError("import.no_answers", file=path.name)
        plan: list[tuple[Assessment, Node, LeafResult, dict[str, Any]]] = []
        for a_id, given in answers.items():
            a, u = next(v for v in assessments.values() if v[0].id == a_id)
            fw = frameworks[a_id]
            current = {
                s.criterion_code: s
                for s in session.scalars(
                    select(Score).where(Score.assessment_id == a_id, Score.stage == "survey")
                )
            }
            for node in {n.code: n for n in questions[a_id].values()}.values():
                result = survey_points(node, u.kind, given, fw.answer_weights)
                counts = dict(result.respondents)
                if result.points is None:
                    report.leaves.append(LeafResult(u.code, node.code, None, counts, "no answers"))
                    continue
                stored = {"points": result.points, "respondents": counts}
                old = current.get(node.code)
                status = (
                    "new"
                    if old is None
                    else "identical"
                    if (old.points == result.points and old.value == stored and not old.not_applicable)
                    else "updated"
                )
                leaf = LeafResult(u.code, node.code, result.points, counts, status)
                report.leaves.append(leaf)
                if status != "identical":
                    plan.append((a, node, leaf, stored))
        writes = [Planned(a.id, a.unit.code, node.code, "survey", stored, "Kết quả điều tra xã hội học")
                  for a, node, _leaf, stored in plan]
        write_plan(session, project, report, writes, path=path, data=data, author=author,
                   device_id=device_id, reason=f"survey import {path.name}", progress=progress)
    return report
