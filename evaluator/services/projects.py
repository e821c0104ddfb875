"""Creating and opening projects (one project = one database, evidence beside it)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.models import Period, Project, ProjectError, open_project
from evaluator.services.frameworks import store_bundled


def open_existing(db: str | Path) -> Project:
    try:
        project = open_project(db)
    except ProjectError as exc:
        raise UserError.from_error(exc) from exc
    from evaluator.services.backups import clean_leftovers

    try:
        clean_leftovers(project)  # what a crash left: stale temporary files, old orphan evidence files
    except BaseException:
        project.close()  # else its connections (and the file's lock) stay open behind the caller's back
        raise
    return project


def ensure_period(session: Session, year: int) -> Period:
    period = session.scalars(select(Period).where(Period.year == year)).first()
    if period is None:
        period = Period(year=year, title=f"Năm {year}")
        session.add(period)
        session.flush()
    return period


def create_project(db: str | Path, years: list[int], *, name: str = "", province: str = "") -> Project:
    """A new, empty project holding the bundled criteria sets of the given years."""
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
                store_bundled(session, year)
                ensure_period(session, year)
    except Exception:
        project.close()
        if target is not None:  # do not leave a half-made project behind (a retry would be refused)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    return project
