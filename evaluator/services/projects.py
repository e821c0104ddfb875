"""Creating and opening projects (one project = one database, evidence beside it)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import Framework
from evaluator.frameworks.registry import bundled_for_year
from evaluator.messages import labels
from evaluator.models import Period, Project, ProjectError, open_project
from evaluator.services.frameworks import SetFile, import_sets, store_bundled


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


def create_project(db: str | Path, years: list[int], *, name: str = "", province: str = "",
                   sets: Sequence[Framework | SetFile] | None = None, bundled: bool | None = None,
                   report_setup: dict[str, Any] | None = None,
                   author: str = "", role: str = "", device_id: str = "") -> Project:
    """A new, empty project for the given years, all or nothing (a failure leaves no file behind).

    ``sets``: criteria sets to store — sets the user ticked in the GUI (``Framework``) or the province's
    files read and checked by ``frameworks.read_sets`` (``SetFile``). ``bundled``: also store the bundled
    sets of each year; by default only when no ``sets`` are given. With ``sets`` and no ``bundled``
    (the GUI), the sets are exactly the project's: each of one of ``years``, every year served, two sets
    never for the same unit kind and year (``check_sets``). A year with no set at all is refused unless
    ``bundled`` is false: a project may start with no set and import its sets later. ``report_setup``: the
    document settings (``services.report_setup``), checked and stored in the same transaction (audited as
    ``author``/``role``/``device_id``)."""
    add_bundled = (sets is None) if bundled is None else bundled
    given = [s if isinstance(s, SetFile) else SetFile(Path(s.identity), s) for s in sets or ()]
    for year in years:
        if add_bundled and not given and not bundled_for_year(year):
            raise UserError("frameworks.year_without_sets", year=year)
    target = Path(db) if "://" not in str(db) else None
    if target is not None and target.exists():
        raise UserError("projects.exists", target=target)
    if sets is not None and bundled is None:
        check_sets(years, [item.framework for item in given])
    try:
        project = open_project(db, create=True, name=name, province=province)
    except ProjectError as exc:
        raise UserError.from_error(exc) from exc
    try:
        with project.session() as session:
            for year in years:
                if add_bundled and bundled_for_year(year):
                    store_bundled(session, year)
                ensure_period(session, year)
            if given:
                from evaluator.services.users import actor_in

                actor = actor_in(session, author, role or "committee")
                import_sets(session, given, actor, period_years=years)
            if report_setup is not None:
                from evaluator.services.report_setup import set_report_setup

                set_report_setup(session, report_setup, author=author, role=role, device_id=device_id)
    except Exception:
        project.close()
        if target is not None:  # do not leave a half-made project behind (a retry would be refused)
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        raise
    return project


def check_sets(years: list[int], sets: Sequence[Framework]) -> None:
    """Refuse, before any file is made, a set of another year, a year without a set, and two sets for one
    kind of unit in one year (the results could not say which one scores that kind)."""
    seen: dict[tuple[int, str], str] = {}
    for fw in sets:
        if fw.year not in years:
            raise UserError("newproject.set_year", identity=fw.identity, set_year=fw.year,
                            years=", ".join(str(y) for y in years))
        for kind in fw.unit_kinds:
            first = seen.setdefault((fw.year, kind), fw.identity)
            if first != fw.identity:
                raise UserError("newproject.kind_twice", kind=labels.kind(kind), year=fw.year, first=first,
                                second=fw.identity)
    for year in years:
        if not any(fw.year == year for fw in sets):
            raise UserError("newproject.no_set", year=year)
