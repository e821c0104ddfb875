"""What a reportlab table's style says, read cell by cell for the Word draft (``reports.docx``): column
widths, header rows, spans, borders and shading. reportlab keeps these as style commands over ranges
(negative indices, split-only rows); Word wants them per cell."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Table


def col_widths(t: Table, available: float) -> list[float]:
    given = list(t._colWidths) if t._colWidths else [None] * t._ncols
    fixed = [w for w in given if isinstance(w, int | float)]
    loose = [i for i, w in enumerate(given) if not isinstance(w, int | float)]
    share = max(available - sum(fixed), 0) / len(loose) if loose else 0
    return [float(w) if isinstance(w, int | float) else share for w in given]


def header_rows(repeat: Any) -> set[int]:
    if isinstance(repeat, int):
        return set(range(repeat))
    return {int(r) for r in repeat or ()}


def cells(start: Any, stop: Any, nrows: int, ncols: int) -> tuple[int, int, int, int] | None:
    """A style command's range as (first row, first col, last row, last col); None for split-only rows."""
    (sc, sr), (ec, er) = start, stop
    if isinstance(sr, str) or isinstance(er, str):
        return None  # "splitfirst"/"splitlast": only for the pieces of a split table
    sc, ec = (x + ncols if x < 0 else x for x in (sc, ec))
    sr, er = (x + nrows if x < 0 else x for x in (sr, er))
    return sr, sc, min(er, nrows - 1), min(ec, ncols - 1)


def spans(t: Table, nrows: int, ncols: int) -> dict[tuple[int, int], tuple[int, int]]:
    spans = {}
    for cmd in t._spanCmds:
        box = cells(cmd[1], cmd[2], nrows, ncols)
        if box is not None:
            sr, sc, er, ec = box
            spans[(sr, sc)] = (er, ec)
    return spans


def borders(t: Table, nrows: int, ncols: int) -> dict[tuple[int, int], dict[str, Any]]:
    out: dict[tuple[int, int], dict[str, Any]] = {}
    for cmd in t._linecmds:
        op, start, stop, weight, color = cmd[:5]
        box = cells(start, stop, nrows, ncols)
        if box is None or not weight or color is None:
            continue
        sr, sc, er, ec = box
        for r in range(sr, er + 1):
            for c in range(sc, ec + 1):
                sides: set[str] = set()
                if op == "GRID":
                    sides = {"top", "bottom", "left", "right"}
                elif op in ("BOX", "OUTLINE"):
                    sides = {s for s, on in (("top", r == sr), ("bottom", r == er), ("left", c == sc),
                                             ("right", c == ec)) if on}
                elif op == "INNERGRID":
                    sides = {s for s, on in (("top", r > sr), ("bottom", r < er), ("left", c > sc),
                                             ("right", c < ec)) if on}
                else:
                    sides = {{"LINEBELOW": "bottom", "LINEABOVE": "top", "LINEBEFORE": "left",
                              "LINEAFTER": "right"}.get(op, "")} - {""}
                for side in sides:
                    out.setdefault((r, c), {})[side] = (float(weight), color)
    return out


def shades(t: Table, nrows: int, ncols: int) -> dict[tuple[int, int], Any]:
    out: dict[tuple[int, int], Any] = {}
    for cmd in t._bkgrndcmds:
        op, start, stop, *args = cmd
        box = cells(start, stop, nrows, ncols)
        if box is None or not args:
            continue
        sr, sc, er, ec = box
        for r in range(sr, er + 1):
            for c in range(sc, ec + 1):
                if op == "BACKGROUND" and not isinstance(args[0], list | tuple):
                    color = args[0]
                elif op == "ROWBACKGROUNDS" and args[0]:
                    color = args[0][(r - sr) % len(args[0])]
                elif op == "COLBACKGROUNDS" and args[0]:
                    color = args[0][(c - sc) % len(args[0])]
                else:
                    continue
                if color is not None:
                    out[(r, c)] = color
    return out
