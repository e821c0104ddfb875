"""Many rows of one table in one ``executemany``: used by the merge and by the workbook import."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from itertools import repeat
from typing import Any, cast


def bulk_insert(
    conn: Any,
    table: Any,
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    *,
    columns: Sequence[str] | None = None,
    constants: dict[str, Any] | None = None,
    converted: Collection[str] = (),
    repeating: Collection[str] = (),
) -> None:
    """Insert many rows of the same columns: the column types' own bind processors turn the values into
    what the driver takes (column by column), then one ``executemany`` (SQLAlchemy's per-row statement
    work costs more than SQLite's).

    ``rows`` are dicts with the same keys, or sequences of values in the order of ``columns``.
    ``constants`` gives columns whose value is the same in every row (converted once, not per row).
    ``converted`` names columns whose values are already what the driver takes (e.g. JSON text made with
    ``dumps_json`` for a ``JSONText`` column), so they are passed as they are.
    ``repeating`` names columns with few distinct (hashable) values, e.g. an assessment id or points:
    each distinct value is converted once.
    """
    if not rows:
        return
    constants = constants or {}
    if columns is None:
        cols = list(cast(dict[str, Any], rows[0]))
        values: list[Sequence[Any]] = [[r[c] for r in cast(Sequence[dict[str, Any]], rows)] for c in cols]
    else:
        cols = list(columns)
        values = list(zip(*cast(Sequence[Sequence[Any]], rows), strict=True))
    dialect = conn.dialect
    processed: list[Any] = []
    for c, vs in zip(cols, values, strict=True):
        f = None if c in converted else table.c[c].type._cached_bind_processor(dialect)
        if f is not None and c in repeating:
            done = {v: f(v) for v in set(vs)}
            processed.append([done[v] for v in vs])
        else:
            processed.append(vs if f is None else list(map(f, vs)))
    for c, v in constants.items():
        f = None if c in converted else table.c[c].type._cached_bind_processor(dialect)
        processed.append(repeat(v if f is None else f(v), len(rows)))
    names = cols + list(constants)
    quote = dialect.identifier_preparer.quote
    style = dialect.paramstyle
    if style in ("qmark", "format", "numeric"):
        marks = ["?"] * len(names) if style == "qmark" else ["%s"] * len(names) if style == "format" \
            else [f":{i + 1}" for i in range(len(names))]
        params: list[Any] = list(zip(*processed, strict=True))
    else:  # named, pyformat: parameters by name
        keys = [f"p{i}" for i in range(len(names))]
        marks = [f":{k}" if style == "named" else f"%({k})s" for k in keys]
        params = [dict(zip(keys, row, strict=True)) for row in zip(*processed, strict=True)]
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in names)}) "
        f"VALUES ({', '.join(marks)})"
    )
    conn.exec_driver_sql(sql, params)

