"""Units: matched by id (or by a merge remembered in ``unit_alias``), new ones added; a unit created on
two laptops (same code, another id) is a probable duplicate, skipped or, with ``merge_duplicates``,
merged into the project's unit."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from evaluator.messages import Message
from evaluator.messages.labels import kind as kind_term
from evaluator.models import Unit, utcnow
from evaluator.models.schema import UnitAlias
from evaluator.services import audit
from evaluator.services.exchange.merge.context import Planner, unit_field
from evaluator.services.exchange.reading import UNIT_DETAILS, _Incoming


class UnitPlanner(Planner):
    new_units: list[dict[str, Any]]
    new_aliases: list[dict[str, Any]]
    """Units merged in this run: remembered (``unit_alias``) and audited when written."""

    def plan(self) -> None:
        self.new_units = []
        self.new_aliases = []
        self.ctx.units, self.ctx.skipped_units = self._units()

    def _units(self) -> tuple[dict[uuid.UUID, Unit | dict[str, Any]], set[uuid.UUID]]:
        """Incoming unit id → the project's unit (a ``Unit`` or a planned new row), and the ids of
        probable duplicates whose records are skipped."""
        by_id = {u.id: u for u in self.s.scalars(select(Unit))}
        by_code = {u.code: u for u in by_id.values()}
        aliases = {a.foreign_unit_id: a.unit_id for a in self.s.scalars(select(UnitAlias))}
        out: dict[uuid.UUID, Unit | dict[str, Any]] = {}
        skipped: set[uuid.UUID] = set()
        offered: dict[str, dict[uuid.UUID, tuple[dict[str, Any], _Incoming]]] = defaultdict(dict)
        for inc in self.incoming:
            for u in inc.units:
                known = by_id.get(u["id"])
                how = Message("merge.same_id")
                if known is None and u["id"] in aliases:  # merged before: the same unit, without asking
                    known, how = by_id[aliases[u["id"]]], Message("merge.merged_before")
                if known is not None:
                    if known.code != u["code"]:
                        self.report.warnings.append(Message("merge.unit_code_kept", {
                            "label": inc.label, "code": u["code"], "known": known.code, "how": how}))
                    out[u["id"]] = known
                    continue
                offered[u["code"]].setdefault(u["id"], (u, inc))
        for code, choices in sorted(offered.items()):
            local = by_code.get(code)
            ids = sorted(choices)  # the lowest UUID is kept: the same choice whatever the package order
            keep = None if local is not None else ids[0]
            kept: Unit | dict[str, Any] | None = local
            for uid in ids:
                u, inc = choices[uid]
                if uid == keep:
                    row = {
                        "id": uid,
                        "code": code,
                        "name": u["name"],
                        "kind": u["kind"],
                        "parent_code": u["parent_code"],
                        **{name: u.get(name, "") for name in UNIT_DETAILS},
                        "retired_at": u.get("retired_at"),
                        "created_at": utcnow(),
                    }
                    self.new_units.append(row)
                    out[uid] = kept = row
                    self.report.units_new += 1
                    self.report.changes.append(
                        Message("report.change_unit", {"code": code, "name": u["name"]}))
                    continue
                assert kept is not None
                if self.ctx.merge_duplicates:
                    if self._merge_unit(u, inc, kept):
                        out[uid] = kept
                    else:  # refused (a problem): keep its records out of the other checks' messages
                        skipped.add(uid)
                    continue
                other = unit_field(kept, "id")
                self.report.duplicates.append(Message("report.duplicate_unit", {
                    "package": inc.label, "code": code, "name": u["name"], "id": uid, "other": other}))
                skipped.add(uid)
        for inc in self.incoming:
            if any(u["id"] in skipped for u in inc.units):
                self.ctx.partial.add(inc.package.manifest_sha256)
        return out, skipped

    def _merge_unit(self, u: dict[str, Any], inc: _Incoming, target: Unit | dict[str, Any]) -> bool:
        """Plan merging the incoming unit ``u`` into ``target`` (same code); False when refused."""
        code, name, kind = (unit_field(target, f) for f in ("code", "name", "kind"))
        where = Message("merge.unit_where", {"label": inc.label, "code": u["code"], "name": u["name"],
                                             "id": u["id"]})
        into = Message("merge.unit_project", {"code": code, "name": name, "id": unit_field(target, "id")})
        if not isinstance(target, Unit):
            into = Message("merge.unit_run", {"code": code, "name": name, "id": target["id"]})
        if u["kind"] != kind:
            # different kinds are scored against different criteria sets: not the same unit
            self.problems.add("merge.kinds_differ", where=where, kind_in=kind_term(u["kind"]), into=into,
                              kind=kind_term(kind))
            return False
        # the report's lines, in the reader's language
        run = "" if isinstance(target, Unit) else "_run"
        unit = {"package": inc.label, "code": u["code"], "name": u["name"], "id": u["id"]}
        if u["name"] != name:
            self.report.warnings.append(Message("report.renamed_unit" + run, {**unit, "into_name": name}))
        self.report.merged_units.append(Message("report.merged_unit" + run, {
            **unit, "into_code": code, "into_name": name, "into_id": unit_field(target, "id")}))
        self.report.changes.append(Message("report.change_merged", {
            "code": u["code"], "name": u["name"], "into_code": code, "into_name": name}))
        self.new_aliases.append(
            {
                "foreign_unit_id": u["id"],
                "unit_id": unit_field(target, "id"),
                "code": u["code"],
                "name": u["name"],
                "device_id": inc.package.manifest["device_id"][:100],
                "source": inc.label,
                "package_id": inc.package.manifest["package_id"],
            }
        )
        return True

    def write(self, author: str, now: datetime) -> None:
        s = self.s
        if self.new_units:
            s.execute(insert(Unit), self.new_units)
        for alias in self.new_aliases:
            package_id = alias["package_id"]
            row = {k: v for k, v in alias.items() if k != "package_id"}
            s.add(UnitAlias(**row, created_by=author[:200], created_at=now))
            audit.record(
                s, "unit.merge", author=author, role="committee", device_id="import",
                old={
                    "unit_id": alias["foreign_unit_id"],
                    "code": alias["code"],
                    "name": alias["name"],
                    "device_id": alias["device_id"],
                },
                new={"unit_id": alias["unit_id"]},
                reason=f"team package {alias['source']} ({package_id}): unit {alias['code']} created on "
                "another laptop merged into the project's unit of the same code",
                time=now,
            )
