"""``evaluator framework diff`` and ``evaluator framework upgrade``: compare two criteria sets, and move a
project's assessments to a newer version of their set (``evaluator.frameworks.diff``,
``evaluator.services.framework_upgrade``). ``add_parsers`` adds both to the ``framework`` sub-parsers."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evaluator.cli.output import table
from evaluator.errors import UserError
from evaluator.messages import say

if TYPE_CHECKING:
    from evaluator.frameworks.diff import FrameworkDiff
    from evaluator.frameworks.model import Framework

DIFF_HELP = """\
OLD and NEW are criteria-set files (.yaml, .json, .xlsx) or CODE@VERSION of a set stored in the project
given by --db (a name that is an existing file is read as a file).

Nodes are matched by code. Compared fields: kind_of_node (leaf or group), title, title_en, max (per unit
kind), rule (its canonical form: kind and parameters), source, role, parent, not_applicable_allowed,
evidence_required.

--format json prints one object:
  {"old": "CODE@V", "new": "CODE@W",
   "added":   [{"code", "kind_of_node", "fields": {NAME: {"old": null, "new": VALUE}}}],
   "removed": [{"code", "kind_of_node", "fields": {NAME: {"old": VALUE, "new": null}}}],
   "changed": [{"code", "kind_of_node", "fields": {NAME: {"old": VALUE, "new": VALUE}}}]}
added and changed nodes are listed in the new set's tree order, removed ones in the old set's; an added or
removed node lists every field, a changed one only the fields that differ. Numbers are JSON numbers; max
is {KIND: number}; rule is a mapping such as {"kind": "binary"}. Exit 0 whether or not the sets differ."""

UPGRADE_HELP = """\
Moves every assessment on --from CODE@V to --to CODE@W (both stored in the project; same code, W > V, same
year, and CODE@W covers the kinds of the assessed units). Strategies for the values already entered:
  keep     carry each stage value of every leaf whose code, source, rule, "not applicable" flag and
           maximum are unchanged; clear the others and list their leaves as needing a new score
  reset    carry nothing
  rescale  what keep carries, plus the leaves whose only change is their maximum: points typed as points
           are scaled (rule of three: old x new max / old max, rounded to the cent), other inputs are
           re-evaluated by the new rule
Carried values keep their author, note and time and are re-evaluated by the new rule; cleared ones stay in
the revision history. Evidence stays attached per leaf (that of a removed leaf is kept and listed).
Refused while any assessment on CODE@V has a locked stage or an open conflict. A backup is made first and
everything is written in one transaction, with one audit event (framework.upgrade) per assessment.
--dry-run prints exactly the same report and writes nothing.

--format json prints {"old", "new", "strategy", "dry_run", "backup", "totals": {"assessments", "kept",
"rescaled", "cleared", "evidence_kept"}, "assessments": [{"assessment", "unit", "name", "kind", "moved":
[{"criterion", "stage", "old_points", "new_points", "not_applicable", "how"}], "cleared": [{"criterion",
"stage", "old_points", "why"}], "needs_score": [CODE], "evidence_moved", "evidence_kept": [{"criterion",
"file_name"}]}], "diff": (as framework diff)}; points are strings with two decimals, or null."""


def add_parsers(fsub: Any) -> None:
    """Add ``diff`` and ``upgrade`` to the ``framework`` command's sub-parsers."""
    fd = fsub.add_parser("diff", help="added, removed and changed nodes between two criteria sets",
                         description=DIFF_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    fd.add_argument("old", help="a criteria-set file, or CODE@VERSION stored in --db")
    fd.add_argument("new", help="a criteria-set file, or CODE@VERSION stored in --db")
    fd.add_argument("--db", help="the project holding the sets named CODE@VERSION")
    fd.add_argument("--format", choices=("table", "json"), default="table")
    fd.set_defaults(handler=cmd_diff)
    fu = fsub.add_parser("upgrade", help="move a project's assessments to a newer version of their set",
                         description=UPGRADE_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    fu.add_argument("--db", required=True)
    fu.add_argument("--from", dest="from_set", required=True, metavar="CODE@V")
    fu.add_argument("--to", dest="to_set", required=True, metavar="CODE@W")
    fu.add_argument("--strategy", choices=("keep", "reset", "rescale"), required=True)
    fu.add_argument("--dry-run", action="store_true", help="print what would happen, write nothing")
    fu.add_argument("--reason", default="", help="why (kept in the audit log), e.g. the amending decision")
    fu.add_argument("--author", default="", help="who runs the upgrade (kept in the audit log)")
    fu.add_argument("--format", choices=("table", "json"), default="table")
    fu.set_defaults(handler=cmd_upgrade)


# --- diff ---------------------------------------------------------------------------------------------
def _read_set(given: str, db: str | None) -> Framework:
    from evaluator.frameworks import load_framework
    from evaluator.services.framework_upgrade import looks_like_identity

    if Path(given).is_file() or not looks_like_identity(given):
        return load_framework(given)
    if not db:
        raise UserError("upgrade.need_project", given=given)
    from evaluator.services.framework_upgrade import stored_set
    from evaluator.services.frameworks import framework_of
    from evaluator.services.projects import open_existing

    with open_existing(db) as project, project.session() as session:
        return framework_of(stored_set(session, given))


def cmd_diff(args: argparse.Namespace) -> int:
    from evaluator.frameworks.diff import diff_frameworks

    diff = diff_frameworks(_read_set(args.old, args.db), _read_set(args.new, args.db))
    if args.format == "json":
        print(json.dumps(diff.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_diff(diff))
    return 0


def render_diff(diff: FrameworkDiff) -> str:
    head = say("upgrade.diff_head", old=diff.old, new=diff.new, added=len(diff.added),
               removed=len(diff.removed), changed=len(diff.changed))
    if diff.empty:
        return head + "\n" + say("upgrade.no_difference")
    from evaluator.frameworks.diff import diff_rows

    rows = [[say(f"upgrade.{r.change}") if r.first else "", r.code if r.first else "",
             say(f"upgrade.{r.node}") if r.first else "", say(f"upgrade.field_{r.field}"),
             _shown(r.old), _shown(r.new)] for r in diff_rows(diff)]
    headers = [say(f"upgrade.col_{n}") for n in ("change", "code", "node", "field", "old", "new")]
    return head + "\n" + table(headers, rows)


def _shown(value: Any) -> str:
    from evaluator.frameworks.diff import plain

    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "—"
    if isinstance(value, str):
        return say(f"upgrade.{value}") if value in ("leaf", "group") else value
    value = plain(value)
    if isinstance(value, dict) and value and all(not isinstance(v, dict | list) for v in value.values()) \
            and "kind" not in value:
        return ", ".join(f"{k}: {v}" for k, v in value.items())  # a maximum per kind
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


# --- upgrade ---------------------------------------------------------------------------------------------
def cmd_upgrade(args: argparse.Namespace) -> int:
    from evaluator.services.framework_upgrade import upgrade_assessments
    from evaluator.services.projects import open_existing

    with open_existing(args.db) as project:
        report = upgrade_assessments(project, args.from_set, args.to_set, args.strategy, dry_run=args.dry_run,
                                     reason=args.reason, author=args.author)
    if args.format == "json":
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.render())
    return 0
