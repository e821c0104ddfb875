"""Creating and opening projects (one project = one database, evidence beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.registry import bundled_for_year
from evaluator.models import Period, Project, ProjectError, open_project
from evaluator.services.frameworks import SetFile, import_sets, store_bundled


def open_existing(db: str | Path) -> Project:
    try:
        project = open_project(db)
    except ProjectError as exc:
        raise UserError.from_error(exc) from exc
    from evaluator.services.backups import clean_leftovers

    clean_leftovers(project)  # what a crash left: stale temporary files, old orphan evidence files
    return project


def ensure_period(session: Session, year: int) -> Period:
    period = session.scalars(select(Period).where(Period.year == year)).first()
    if period is None:
        period = Period(year=year, title=f"Năm {year}")
        session.add(period)
        session.flush()
    return period


def create_project(db: str | Path, years: list[int], *, name: str = "", province: str = "",
                   sets: Sequence[SetFile] = (), bundled: bool = True) -> Project:
    """A new, empty project holding the bundled criteria sets of the given years (unless ``bundled`` is
    false) and ``sets`` (read and checked by ``frameworks.read_sets``). A year with neither is refused
    unless ``bundled`` is false: a project may start with no set and import its sets later."""
    for year in years:
        if bundled and not sets and not bundled_for_year(year):
            raise UserError("frameworks.year_without_sets", year=year)
    target = Path(db) if "://" not in str(db) else None
    if target is not None and target.exists():
        raise UserError("projects.exists", target=target)
    try:
        project = open_project(db, create=True, name=name, province=province)
    except ProjectError as exc:
        raise UserError.from_error(exc) from exc
    try:
        with project.session() as session:
            for year in years:
                if bundled and bundled_for_year(year):
                    store_bundled(session, year)
                ensure_period(session, year)
            if sets:
                from evaluator.services.users import actor_in

                import_sets(session, sets, actor_in(session, "", "committee"), period_years=years)
    except Exception:
        project.close()
        if target is not None:  # do not leave a half-made project behind (a retry would be refused)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    return project
