"""The criteria mapping: for each unit kind, each leaf of one year's set and its successor in the next year's
set (or none), as ``evaluator new-year`` proposes it, a province corrects it (xlsx or the wizard) and the
yearly comparisons read it (``leaf_mapping``).

Proposal (``propose``): a leaf with the same code and the same title is the same leaf (score 100); every
other leaf goes to the most similar title (rapidfuzz) among the unused leaves of the matching area (the
area with the same code or a similar title), best pairs first, each leaf used at most once. Pairs scored
below ``REVIEW_BELOW`` are listed for review; below ``NO_MATCH_BELOW`` a leaf has no successor.

The xlsx (sheet ``mapping``; columns ``old_code``, ``new_code``, ``unit_kind``, optional title and score
columns ignored on reading) is read through the checked workbook helpers: a hostile file is refused with
the file, row and column of every problem, and nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from evaluator.errors import UserError
from evaluator.frameworks.model import Framework, Node
from evaluator.messages import Message, labels
from evaluator.models import Assessment, CriteriaMapping, CriteriaSet, Period, Unit
from evaluator.models.schema import KIND_ORDER
from evaluator.services import audit
from evaluator.services.changes import Change
from evaluator.services.exchange_sheets import Problems, read_table
from evaluator.services.external_import import column, shown, text_cell
from evaluator.services.frameworks import framework_of

REVIEW_BELOW = 80
"""A proposed pair scored below this is listed for review."""
NO_MATCH_BELOW = 50
"""Below this the titles have too little in common: the leaf is proposed with no successor."""
SHEET = "mapping"
COLUMNS = ("old_code", "new_code", "unit_kind")
TITLE_COLUMNS = ("old_title", "new_title", "score", "method")
ACTION = "mapping.import"


@dataclass(frozen=True)
class Pair:
    old_code: str
    old_title: str
    new_code: str | None
    new_title: str
    score: int
    method: str
    """``exact``, ``title``, ``file`` or ``none`` (``models.MAPPING_METHODS``)."""

    @property
    def review(self) -> bool:
        return self.new_code is not None and self.score < REVIEW_BELOW

    def to_json(self) -> dict[str, Any]:
        return {"old_code": self.old_code, "old_title": self.old_title, "new_code": self.new_code,
                "new_title": self.new_title, "score": self.score, "method": self.method,
                "review": self.review}


@dataclass
class KindMapping:
    """One unit kind's mapping: every old leaf in its set's order, and the new leaves nobody maps to."""

    kind: str
    old: Framework
    new: Framework
    pairs: list[Pair] = field(default_factory=list)

    @property
    def unmatched_new(self) -> list[Node]:
        used = {p.new_code for p in self.pairs}
        return [n for n in self.new.leaves(self.kind) if n.code not in used]

    @property
    def review(self) -> list[Pair]:
        return [p for p in self.pairs if p.review]

    def as_dict(self) -> dict[str, str | None]:
        return {p.old_code: p.new_code for p in self.pairs}

    def to_json(self) -> dict[str, Any]:
        return {"unit_kind": self.kind, "from_set": self.old.identity, "to_set": self.new.identity,
                "pairs": [p.to_json() for p in self.pairs],
                "unmatched_new": [{"code": n.code, "title": n.title} for n in self.unmatched_new],
                "review": [p.old_code for p in self.review]}

    def set_pair(self, old_code: str, new_code: str | None, method: str = "file") -> None:
        """Pair ``old_code`` with ``new_code`` (None: no successor); a leaf that had ``new_code`` loses it."""
        new_node = self.new.nodes[new_code] if new_code is not None else None
        out = []
        for p in self.pairs:
            if p.old_code == old_code:
                score = similarity(p.old_title, new_node.title) if new_node is not None else 0
                p = replace(p, new_code=new_code, new_title=new_node.title if new_node else "", score=score,
                            method=method if new_code is not None else "none")
            elif new_code is not None and p.new_code == new_code:
                p = replace(p, new_code=None, new_title="", score=0, method="none")
            out.append(p)
        self.pairs = out


def similarity(a: str, b: str) -> int:
    """0–100: how alike two titles are (case, punctuation and spacing ignored)."""
    return round(fuzz.ratio(a, b, processor=default_process))


def _norm(title: str) -> str:
    return default_process(title)


def _area_pairs(old: Framework, new: Framework, kind: str) -> dict[str, set[str]]:
    """Old area code → the new areas its leaves may go to: the area with the same code and the areas with a
    similar title (a renumbered set keeps its areas' titles)."""
    new_areas = [a for a in new.nodes.values() if a.parent is None and a.applies_to(kind)]
    out: dict[str, set[str]] = {}
    for area in (a for a in old.nodes.values() if a.parent is None and a.applies_to(kind)):
        found = {a.code for a in new_areas if a.code == area.code}
        found |= {a.code for a in new_areas if similarity(a.title, area.title) >= REVIEW_BELOW}
        out[area.code] = found
    return out


def propose(old: Framework, new: Framework, kind: str) -> KindMapping:
    """The automatic mapping of ``kind``'s leaves from ``old`` to ``new`` (see the module's text)."""
    old_leaves = old.leaves(kind)
    new_leaves = new.leaves(kind)
    new_by_code = {n.code: n for n in new_leaves}
    chosen: dict[str, tuple[Node, int, str]] = {}
    used: set[str] = set()
    for n in old_leaves:
        twin = new_by_code.get(n.code)
        if twin is not None and _norm(twin.title) == _norm(n.title):
            chosen[n.code] = (twin, 100, "exact")
            used.add(twin.code)
    areas = _area_pairs(old, new, kind)
    candidates: list[tuple[int, int, int, str, str]] = []
    for i, n in enumerate(old_leaves):
        if n.code in chosen:
            continue
        allowed = areas.get(old.area_of(n.code).code, set())
        for j, m in enumerate(new_leaves):
            if m.code in used or new.area_of(m.code).code not in allowed:
                continue
            score = similarity(n.title, m.title)
            if score >= NO_MATCH_BELOW:
                # best score first; then the same code; then the set's order (deterministic)
                candidates.append((-score, 0 if m.code == n.code else 1, i * 100_000 + j, n.code, m.code))
    candidates.sort()
    for neg, _same, _order, old_code, new_code in candidates:
        if old_code in chosen or new_code in used:
            continue
        chosen[old_code] = (new_by_code[new_code], -neg, "title")
        used.add(new_code)
    pairs = []
    for n in old_leaves:
        hit = chosen.get(n.code)
        if hit is None:
            pairs.append(Pair(n.code, n.title, None, "", 0, "none"))
        else:
            pairs.append(Pair(n.code, n.title, hit[0].code, hit[0].title, hit[1], hit[2]))
    return KindMapping(kind, old, new, pairs)


# --- stored mappings ------------------------------------------------------------------------------------
def year_sets(session: Session, year: int) -> dict[str, Framework]:
    """Unit kind → the set its assessments of ``year`` use (the newest version when several)."""
    rows = session.execute(
        select(Unit.kind, CriteriaSet).join(Assessment, Assessment.unit_id == Unit.id)
        .join(CriteriaSet, CriteriaSet.id == Assessment.criteria_set_id)
        .join(Period, Period.id == Assessment.period_id).where(Period.year == year).distinct()).all()
    out: dict[str, Framework] = {}
    for kind, row in sorted(rows, key=lambda r: r[1].version):
        out[kind] = framework_of(row)
    return out


def stored_mapping(session: Session, year: int) -> dict[str, KindMapping]:
    """Unit kind → the stored mapping into ``year`` (kinds with nothing stored are left out)."""
    rows = session.scalars(select(CriteriaMapping).where(CriteriaMapping.year == year)).all()
    if not rows:
        return {}
    from_year = rows[0].from_year
    old_sets, new_sets = year_sets(session, from_year), year_sets(session, year)
    out: dict[str, KindMapping] = {}
    by_kind: dict[str, dict[str, CriteriaMapping]] = {}
    for r in rows:
        by_kind.setdefault(r.unit_kind, {})[r.old_code] = r
    for kind, stored in by_kind.items():
        old, new = old_sets.get(kind), new_sets.get(kind)
        if old is None or new is None:
            continue
        pairs = []
        for n in old.leaves(kind):
            hit = stored.get(n.code)
            target = new.nodes.get(hit.new_code) if hit is not None and hit.new_code else None
            if hit is None or target is None:
                pairs.append(Pair(n.code, n.title, None, "", 0, "none"))
            else:
                pairs.append(Pair(n.code, n.title, target.code, target.title, hit.score, hit.method))
        out[kind] = KindMapping(kind, old, new, pairs)
    return out


def mapping_for_year(session: Session, year: int) -> dict[str, KindMapping]:
    """The mapping into ``year`` per kind: the stored one, else same-code pairs between the two years' sets
    (as ``leaf_mapping`` falls back)."""
    stored = stored_mapping(session, year)
    old_sets, new_sets = year_sets(session, year - 1), year_sets(session, year)
    if not new_sets:
        raise UserError("yearly.no_year", year=year)
    out = dict(stored)
    for kind in sorted(set(old_sets) & set(new_sets), key=_kind_order):
        if kind not in out:
            out[kind] = same_code(old_sets[kind], new_sets[kind], kind)
    return {k: out[k] for k in sorted(out, key=_kind_order)}


def _kind_order(kind: str) -> tuple[int, str]:
    return KIND_ORDER.get(kind, 9), kind


def same_code(old: Framework, new: Framework, kind: str) -> KindMapping:
    new_codes = {n.code: n for n in new.leaves(kind)}
    pairs = []
    for n in old.leaves(kind):
        m = new_codes.get(n.code)
        pairs.append(Pair(n.code, n.title, m.code if m else None, m.title if m else "",
                          similarity(n.title, m.title) if m else 0, "exact" if m else "none"))
    return KindMapping(kind, old, new, pairs)


def leaf_mapping(session: Session, year: int, kind: str) -> dict[str, str | None]:
    """Leaf code of ``year - 1``'s set for ``kind`` → its successor's code in ``year``'s set (None: none).

    The stored mapping (``evaluator new-year``, ``mapping import``); when nothing is stored for that year
    and kind, same-code matching between the two years' sets (the sets the assessments use, else the
    project's sets of each year); ``{}`` when either year has no set for the kind."""
    rows = session.execute(select(CriteriaMapping.old_code, CriteriaMapping.new_code).where(
        CriteriaMapping.year == year, CriteriaMapping.unit_kind == kind)).all()
    if rows:
        return {old: new for old, new in rows}
    old, new = _set_of(session, year - 1, kind), _set_of(session, year, kind)
    if old is None or new is None:
        return {}
    return same_code(old, new, kind).as_dict()


def _set_of(session: Session, year: int, kind: str) -> Framework | None:
    found = year_sets(session, year).get(kind)
    if found is not None:
        return found
    rows = session.scalars(select(CriteriaSet).where(CriteriaSet.year == year)
                           .order_by(CriteriaSet.version.desc())).all()
    for row in rows:
        fw = framework_of(row)
        if kind in fw.unit_kinds:
            return fw
    return None


def store_mapping(session: Session, year: int, from_year: int, mappings: Iterable[KindMapping],
                  author: str = "") -> None:
    """Replace the stored mapping into ``year`` of each given kind (in the caller's transaction)."""
    for m in mappings:
        session.execute(delete(CriteriaMapping).where(CriteriaMapping.year == year,
                                                      CriteriaMapping.unit_kind == m.kind))
        session.add_all(CriteriaMapping(year=year, from_year=from_year, unit_kind=m.kind, old_code=p.old_code,
                                        new_code=p.new_code, score=p.score, method=p.method,
                                        updated_by=author) for p in m.pairs)
    session.flush()


# --- the xlsx -------------------------------------------------------------------------------------------
def write_mapping_xlsx(mappings: Sequence[KindMapping], out: Path) -> None:
    """Sheet ``mapping``: ``old_code``, ``new_code``, ``unit_kind`` (what is read back), then the titles,
    the score and how each pair was made (for the reader; ignored on reading)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from evaluator.reports.excel import save_workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = SHEET
    ws.append([*COLUMNS, *TITLE_COLUMNS])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for m in mappings:
        for p in m.pairs:
            ws.append([p.old_code, p.new_code or "", m.kind, p.old_title, p.new_title, p.score, p.method])
        for n in m.unmatched_new:  # the new leaves nobody maps to, for the reader: no old_code, not read back
            ws.append(["", n.code, m.kind, "", n.title, 0, "new"])
    for letter, width in zip("ABCDEFG", (12, 12, 12, 60, 60, 8, 8), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    save_workbook(wb, out)


def read_mapping_xlsx(path: Path, mappings: Mapping[str, KindMapping]) -> dict[str, dict[str, str | None]]:
    """Unit kind → {old leaf → new leaf or None} from the file, every row checked against ``mappings``
    (the two years' sets per kind); ``UserError`` naming the file, row and column of every problem.

    A row with no ``old_code`` but a ``new_code`` (a new leaf nobody maps to, as ``write_mapping_xlsx``
    lists them) is skipped."""
    path = Path(path)
    problems = Problems()
    read = read_table(path, SHEET, COLUMNS, problems)
    problems.raise_if_any()
    assert read is not None
    _data, rows = read
    out: dict[str, dict[str, str | None]] = {}
    seen_old: dict[tuple[str, str], int] = {}
    seen_new: dict[tuple[str, str], int] = {}
    for i, raw in rows:
        where = Message("import.row", {"file": path.name, "sheet": SHEET, "row": i})
        old = text_cell(raw["old_code"], "criterion_code", column(where, "old_code"), problems)
        new = text_cell(raw["new_code"], "criterion_code", column(where, "new_code"), problems)
        kind = text_cell(raw["unit_kind"], "unit.kind", column(where, "unit_kind"), problems)
        if old is None or new is None or kind is None:
            continue
        if not old:
            if not new:
                problems.add("import.empty", where=column(where, "old_code"))
            continue
        if not kind:
            problems.add("import.empty", where=column(where, "unit_kind"))
            continue
        m = mappings.get(kind)
        if m is None:
            problems.add("yearly.file_kind", where=column(where, "unit_kind"), kind=shown(kind),
                         kinds=", ".join(mappings) or Message("common.none"))
            continue
        if old not in {n.code for n in m.old.leaves(kind)}:
            problems.add("yearly.file_old_leaf", where=column(where, "old_code"), code=shown(old),
                         identity=m.old.identity, kind=labels.kind(kind))
            continue
        if new and new not in {n.code for n in m.new.leaves(kind)}:
            problems.add("yearly.file_new_leaf", where=column(where, "new_code"), code=shown(new),
                         identity=m.new.identity, kind=labels.kind(kind))
            continue
        first = seen_old.setdefault((kind, old), i)
        if first != i:
            problems.add("yearly.file_old_twice", where=column(where, "old_code"), code=old, row=first)
            continue
        if new:
            first = seen_new.setdefault((kind, new), i)
            if first != i:
                problems.add("yearly.file_new_twice", where=column(where, "new_code"), code=new, row=first)
                continue
        out.setdefault(kind, {})[old] = new or None
    problems.raise_if_any()
    if not out:
        raise UserError("yearly.file_empty", file=path.name)
    return out


def apply_file(mappings: Mapping[str, KindMapping], rows: Mapping[str, Mapping[str, str | None]], *,
               complete: bool) -> None:
    """Put the file's pairs into ``mappings``. ``complete``: the file is the whole mapping of its kinds
    (``mapping import``: an old leaf it leaves out has no successor); else it corrects the proposal."""
    for kind, pairs in rows.items():
        m = mappings[kind]
        was = {p.old_code: p for p in m.pairs}
        if complete:
            m.pairs = [replace(p, new_code=None, new_title="", score=0, method="none") for p in m.pairs]
        for old, new in pairs.items():
            if new is None:
                m.set_pair(old, None)
        for old, new in pairs.items():
            if new is not None:
                m.set_pair(old, new, "file")
        # a pair the file leaves as it was keeps how it was made (exact, title)
        m.pairs = [was[p.old_code] if was[p.old_code].new_code == p.new_code else p for p in m.pairs]


def import_mapping(session: Session, year: int, path: Path, *, author: str = "", role: str = "",
                   device_id: str = "") -> tuple[Change, dict[str, KindMapping]]:
    """``evaluator mapping import``: the file's mapping replaces the stored one of ``year`` for the kinds in
    the file (audited: the kinds and the pairs that changed)."""
    current = mapping_for_year(session, year)
    if not current:
        raise UserError("yearly.no_previous", year=year)
    before = {k: m.as_dict() for k, m in current.items()}
    rows = read_mapping_xlsx(path, current)
    apply_file(current, rows, complete=True)
    changed = {k: current[k] for k in rows}
    store_mapping(session, year, year - 1, changed.values(), author)
    diff = {k: {o: n for o, n in m.as_dict().items() if before[k].get(o) != n} for k, m in changed.items()}
    audit.record(session, ACTION, author=author, role=role, device_id=device_id,
                 old={k: {o: before[k].get(o) for o in d} for k, d in diff.items()},
                 new={"year": year, "file": path.name, "pairs": diff})
    return Change(audit=True, years={year}), changed
