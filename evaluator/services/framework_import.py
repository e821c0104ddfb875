"""Importing criteria-set files into a project (``evaluator framework import`` and the GUI's): apart from
``frameworks`` because it needs backups and the acting user, which sit above it (users -> scores ->
frameworks)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from evaluator.models import CriteriaSet, Project
from evaluator.services.backups import backup_before_import
from evaluator.services.changes import Change
from evaluator.services.frameworks import SetFile, import_sets, read_sets
from evaluator.services.users import actor_in


def import_set_files(project: Project, paths: Sequence[Path | str], *,
                     author: str = "") -> tuple[Change, list[SetFile]]:
    """``evaluator framework import`` (and the GUI's): every file checked first (nothing written on a
    problem), a backup when something new is stored, then every set in one transaction."""
    sets = read_sets(paths)
    with project.session() as session:
        known = {(c, v) for c, v in session.execute(select(CriteriaSet.code, CriteriaSet.version))}
    if any((s.framework.code, s.framework.version) not in known for s in sets):
        backup_before_import(project)
    with project.session(write=True) as session:
        return import_sets(session, sets, actor_in(session, author, "committee"))
