"""Who may do what on a committee's PostgreSQL server, enforced by the server (issue #17).

``create_roles`` makes four group roles (NOLOGIN), ``<prefix>_committee``, ``_secretary``, ``_appraiser``
and ``_readonly``, and grants each what it needs on the project database; ``create_login`` makes a login
in one of them. The program's own role checks stay (they give the clear message first); these hold
against a modified client too:

- read-only: SELECT only.
- secretary, appraiser: read and write the project's tables, except that they cannot resolve a
  conflict — no UPDATE on ``score_conflict`` at all (resolving is the only update of that table; imports
  insert and delete conflicts) — and cannot unlock a stage: ``assessment.locked_stages`` is one column
  that locking and unlocking both write, so a privilege cannot tell them apart; a trigger refuses an
  update that removes a stage unless ``current_user`` is a member of the committee role (SQLSTATE 42501,
  as a missing privilege).
- secretary, appraiser: read only on the committee's own tables (``COMMITTEE_ONLY``: approvals, deadlines,
  re-openings after a deadline).
- committee: everything on the tables.

Tables a later upgrade adds are covered too: default privileges (``ALTER DEFAULT PRIVILEGES FOR ROLE`` the
role that owns the project's tables, the one that runs the migrations) give them the plain grants above
as they are created; running it again after an upgrade re-applies the special cases. A refused
statement reaches the person as ``server.not_allowed`` (``models.project``'s session maps the server's
"insufficient privilege").
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError

from evaluator.errors import UserError

GROUPS = ("committee", "secretary", "appraiser", "readonly")
DEFAULT_PREFIX = "evaluator"
PASSWORD_ENV = "EVALUATOR_DB_PASSWORD"
_NAME = re.compile(r"[a-z_][a-z0-9_]{0,40}")
_LOGIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,62}")
WRITERS = ("committee", "secretary", "appraiser")
NOT_RESOLVING = ("secretary", "appraiser")
COMMITTEE_ONLY = ("approval", "stage_schedule", "stage_reopening")
"""Tables only the committee writes (the chair's approval, the deadlines, a stage re-opened after its
deadline): the other groups read them."""
TRIGGER_FUNCTION = "evaluator_guard_unlock"

__all__ = ["DEFAULT_PREFIX", "GROUPS", "PASSWORD_ENV", "RolesReport", "create_login", "create_roles",
           "group_name", "password_from"]


@dataclass
class RolesReport:
    """What ``create_roles`` did: the group roles (created now or already there) and the tables granted."""

    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    tables: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"created": self.created, "existing": self.existing, "tables": self.tables}


def group_name(prefix: str, group: str) -> str:
    if not _NAME.fullmatch(prefix):
        raise UserError("server.bad_prefix", prefix=prefix)
    if group not in GROUPS:
        raise UserError("server.unknown_group", group=group, groups=", ".join(GROUPS))
    return f"{prefix}_{group}"


def _connect(db: str) -> Any:
    try:
        url = make_url(db)
    except (ArgumentError, ValueError) as exc:
        raise UserError("server.not_postgresql", db=db) from exc
    if url.get_backend_name() != "postgresql":
        raise UserError("server.not_postgresql", db=db)
    # ours, not the driver's (see models.project)
    return create_engine(url.difference_update_query(["evidence_dir"]))


def _q(conn: Connection, name: str) -> str:
    return conn.dialect.identifier_preparer.quote_identifier(name)


def _refused(exc: DBAPIError, db: str) -> UserError:
    orig = exc.orig
    if getattr(orig, "sqlstate", None) == "42501":
        return UserError("server.not_allowed", user=make_url(db).username or "",
                         error=str(orig).strip().splitlines()[0])
    shown = make_url(db).render_as_string(hide_password=True)
    return UserError("server.failed", db=shown, error=str(orig or exc).strip().splitlines()[0])


def create_roles(db: str, *, prefix: str = DEFAULT_PREFIX) -> RolesReport:
    """Create the group roles (if missing) and give them their privileges on the database ``db`` (a
    ``postgresql+psycopg://`` URL of a project, connected as its owner or a superuser)."""
    names = {g: group_name(prefix, g) for g in GROUPS}
    report = RolesReport()
    engine = _connect(db)
    try:
        with engine.begin() as conn:
            for name in names.values():
                if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
                    report.existing.append(name)
                else:
                    conn.exec_driver_sql(f"CREATE ROLE {_q(conn, name)} NOLOGIN")
                    report.created.append(name)
            tables = list(conn.scalars(text(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")))
            report.tables = len(tables)
            quoted = {g: _q(conn, n) for g, n in names.items()}
            database = _q(conn, conn.scalar(text("SELECT current_database()")) or "")
            schema = _q(conn, conn.scalar(text("SELECT current_schema()")) or "public")
            for q in quoted.values():
                conn.exec_driver_sql(f"GRANT CONNECT ON DATABASE {database} TO {q}")
                conn.exec_driver_sql(f"GRANT USAGE ON SCHEMA {schema} TO {q}")
                conn.exec_driver_sql(f"GRANT SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {q}")
            for table in tables:
                t = _q(conn, table)
                for group, q in quoted.items():
                    conn.exec_driver_sql(f"REVOKE ALL ON {t} FROM {q}")
                    if group == "readonly" or table == "alembic_version" or (
                            table in COMMITTEE_ONLY and group != "committee"):
                        conn.exec_driver_sql(f"GRANT SELECT ON {t} TO {q}")
                    elif table == "score_conflict" and group in NOT_RESOLVING:
                        conn.exec_driver_sql(f"GRANT SELECT, INSERT, DELETE ON {t} TO {q}")
                    else:
                        conn.exec_driver_sql(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {t} TO {q}")
            for group in WRITERS:
                conn.exec_driver_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {quoted[group]}")
            _default_privileges(conn, schema, quoted)
            if "assessment" in tables:
                _unlock_guard(conn, names["committee"])
    except DBAPIError as exc:
        raise _refused(exc, db) from exc
    finally:
        engine.dispose()
    return report


def _default_privileges(conn: Connection, schema: str, quoted: dict[str, str]) -> None:
    """Grants for the tables and sequences created later by the role that owns the project's tables (a
    migration run by the owner): the same plain grants as above, so that a table added by an upgrade is
    not out of every group's reach until someone remembers to run ``server roles`` again."""
    owner = conn.scalar(text("SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
                             "AND tablename = 'alembic_version'")) or conn.scalar(text("SELECT current_user"))
    alter = f"ALTER DEFAULT PRIVILEGES FOR ROLE {_q(conn, owner)} IN SCHEMA {schema}"
    for group, q in quoted.items():
        tables = "SELECT" if group == "readonly" else "SELECT, INSERT, UPDATE, DELETE"
        conn.exec_driver_sql(f"{alter} GRANT {tables} ON TABLES TO {q}")
        sequences = "SELECT" if group == "readonly" else "USAGE, SELECT"
        conn.exec_driver_sql(f"{alter} GRANT {sequences} ON SEQUENCES TO {q}")


def _unlock_guard(conn: Connection, committee: str) -> None:
    """The trigger that lets only the committee (or a superuser) take a stage out of ``locked_stages``."""
    literal = committee.replace("'", "''")  # below: %% is one % (the driver's placeholders)
    conn.exec_driver_sql(f"""
CREATE OR REPLACE FUNCTION {TRIGGER_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM unnest(string_to_array(coalesce(OLD.locked_stages, ''), ',')) AS s(stage)
             WHERE s.stage <> ''
               AND NOT s.stage = ANY (string_to_array(coalesce(NEW.locked_stages, ''), ',')))
     AND NOT pg_has_role(current_user, '{literal}', 'MEMBER') THEN
    RAISE EXCEPTION 'permission denied: only the committee may unlock a stage (%%)', current_user
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$""")
    conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {TRIGGER_FUNCTION} ON assessment")
    conn.exec_driver_sql(f"CREATE TRIGGER {TRIGGER_FUNCTION} BEFORE UPDATE OF locked_stages ON assessment "
                         f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER_FUNCTION}()")


def password_from(stdin_text: str | None) -> str:
    """The new login's password: ``EVALUATOR_DB_PASSWORD`` if set, else the first line read from stdin."""
    password = os.environ.get(PASSWORD_ENV)
    if password is None and stdin_text is not None:
        password = stdin_text.splitlines()[0] if stdin_text.strip() else ""
    if not password:
        raise UserError("server.no_password", env=PASSWORD_ENV)
    return password


def create_login(db: str, name: str, group: str, password: str, *, prefix: str = DEFAULT_PREFIX) -> str:
    """Create the login ``name`` (with ``password``) as a member of the group role of ``group``; the
    group role's name. The group roles must exist (``create_roles``)."""
    role = group_name(prefix, group)
    if not _LOGIN.fullmatch(name):
        raise UserError("server.bad_login", name=name)
    engine = _connect(db)
    try:
        with engine.begin() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": role}):
                raise UserError("server.no_group", group=role)
            if conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}):
                raise UserError("server.login_exists", name=name)
            # the password as a literal (CREATE ROLE takes no parameters), quoted by the driver
            from psycopg import sql

            statement = sql.SQL("CREATE ROLE {} LOGIN PASSWORD {} IN ROLE {}").format(
                sql.Identifier(name), sql.Literal(password), sql.Identifier(role))
            raw = conn.connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur:
                cur.execute(statement)
    except DBAPIError as exc:
        raise _refused(exc, db) from exc
    finally:
        engine.dispose()
    return role
