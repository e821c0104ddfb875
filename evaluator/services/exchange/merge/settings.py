"""Project settings a handout carries (the committee's document settings): they replace the laptop's
own, but only in a team copy (a project made from a handout); the committee's project ignores them, so
that no package can rewrite its council or representatives."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from evaluator.errors import Problems
from evaluator.messages import Message
from evaluator.models import Setting, Unit
from evaluator.models.audit_chain import local_device
from evaluator.services import audit
from evaluator.services.exchange.merge.context import Planner, unit_field
from evaluator.services.exchange.reading import PURPOSE_HANDOUT
from evaluator.services.team_scope import COPY_SETTING

TEAM_COPY_SETTING = COPY_SETTING
"""Project setting of a team copy: ``{"team", "project_id", "committee", "package_id"}`` of the handout
it was made from. Its presence is what lets later handouts replace the document settings."""


class SettingsPlanner(Planner):
    replace: dict[str, Any]

    def plan(self) -> None:
        from evaluator.services.report_setup import SETTING, normalise, report_setup

        self.replace = {}
        self.scope: dict[str, Any] | None = None
        self._plan_scope()
        handouts = [i for i in self.incoming if i.purpose == PURPOSE_HANDOUT and i.settings]
        if not handouts:
            return
        if self.s.get(Setting, TEAM_COPY_SETTING) is None:
            for inc in handouts:
                self.report.warnings.append(Message("handout.settings_ignored", {"label": inc.label}))
            return
        # several handouts in one run: the newest one's settings are the committee's current ones
        latest = max(handouts, key=lambda i: datetime.fromisoformat(i.package.manifest["created"]))
        assert latest.settings is not None
        # the units the settings may name: the project's and those this import adds
        units = set(self.s.scalars(select(Unit.code))) | {
            unit_field(u, "code") for u in self.ctx.units.values()}
        for key, value in latest.settings.items():
            if key != SETTING:
                continue
            found = Problems()
            normal = normalise(value, found, units)  # checked here, so that a preview names the problems
            for problem in found.items:
                self.problems.add("handout.settings_bad", label=latest.label, problem=problem)
            if not found.items and report_setup(self.s) != normal:
                self.replace[key] = normal
        self.report.settings_replaced = sorted({*self.report.settings_replaced, *self.replace})

    def _plan_scope(self) -> None:
        """A later handout for this copy's team with another scope (the committee changed the team's
        areas or units): the copy follows it. A handout without a scope, or for another team, changes
        nothing (lifting the limits takes a handout that says so, not one that says nothing)."""
        row = self.s.get(Setting, TEAM_COPY_SETTING)
        copy = row.value if row is not None and isinstance(row.value, dict) else None
        scoped = [i for i in self.incoming if i.purpose == PURPOSE_HANDOUT and i.team_scope is not None]
        if copy is None or not scoped:
            return
        latest = max(scoped, key=lambda i: datetime.fromisoformat(i.package.manifest["created"]))
        assert latest.team_scope is not None
        if latest.team_scope.get("team") == copy.get("team") and latest.team_scope != copy.get("scope"):
            self.scope = latest.team_scope
            self.report.settings_replaced = sorted({*self.report.settings_replaced, "team_scope"})

    def write(self, author: str) -> None:
        from evaluator.services.report_setup import SETTING, set_report_setup

        if self.scope is not None:
            row = self.s.get(Setting, TEAM_COPY_SETTING)
            assert row is not None and isinstance(row.value, dict)
            old = row.value.get("scope")
            row.value = {**row.value, "scope": self.scope}
            audit.record(self.s, "handout.scope", author=author, device_id=local_device(self.s.connection()),
                         old=old, new=self.scope)

        for key, value in self.replace.items():
            if key == SETTING:  # checked as a whole (the units it names are written by now), audited
                set_report_setup(self.s, value, author=author, device_id=local_device(self.s.connection()))
