"""What a criteria set that packages bring would change (issue 12: the import centre shows, beside "Chấp
nhận bộ tiêu chí mới", each new set's diff against the project's sets).

``diff_new_sets`` takes the sets an import's preview listed (``ImportReport.new_sets``: file, code,
version, SHA-256), reads each one's document from its package again (the manifest's hashes checked, the
document checked against its fingerprint and as a set: ``rebuild_framework``) and compares it
(``frameworks.diff``) with the project's latest version of the same code. A set whose code the project
does not have is wholly new; it is then compared with the project's set that serves the same year and
unit kinds, if there is one — a copy of the department set under a new code with one maximum raised shows
as exactly that. Reads only; nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from evaluator.errors import Coded
from evaluator.exchange.package import DATA, open_package
from evaluator.frameworks.diff import FrameworkDiff, diff_frameworks
from evaluator.frameworks.model import Framework
from evaluator.messages import Message
from evaluator.models import CriteriaSet, Project, rebuild_framework
from evaluator.services.frameworks import framework_of


@dataclass(frozen=True)
class NewSetDiff:
    identity: str
    """``CODE@VERSION`` of the set the package brings."""
    file: str
    same_code: bool
    """Compared with the project's latest version of the same code; False: the project has no set of that
    code (a wholly new set), and ``against`` is the set serving the same year and kinds, if any."""
    against: str = ""
    """The project's set it is compared with (``CODE@VERSION``); "" when there is none."""
    diff: FrameworkDiff | None = None
    problem: Message | str = ""
    """Why the set could not be read again (the package changed since the preview), else ""."""


def diff_new_sets(project: Project, paths: Sequence[Path | str], new_sets: Sequence[dict[str, Any]]
                  ) -> list[NewSetDiff]:
    """One ``NewSetDiff`` per entry of ``new_sets`` (an import preview's), in that order."""
    by_label = {Path(p).name: Path(p) for p in paths}
    wanted: dict[str, list[dict[str, Any]]] = {}
    for s in new_sets:
        wanted.setdefault(str(s["file"]), []).append(s)
    found: dict[tuple[str, str, int], Framework | Message | str] = {}
    for label, sets in wanted.items():
        path = by_label.get(label)
        if path is None:
            continue
        try:
            documents = _documents(path)
            for s in sets:
                key = (str(s["code"]), int(s["version"]))
                doc = documents.get(key)
                if doc is None or doc[1] != s["sha256"]:
                    raise Coded("package_sets.changed", file=label, identity=f"{key[0]}@{key[1]}")
                found[(label, *key)] = rebuild_framework(doc[0], doc[1], source=f"{label}: {key[0]}@{key[1]}")
        except Coded as exc:  # package and set errors alike: said beside the set, the preview still holds
            for s in sets:
                found.setdefault((label, str(s["code"]), int(s["version"])), exc.message)
    out: list[NewSetDiff] = []
    with project.session() as session:
        rows = session.scalars(select(CriteriaSet).order_by(CriteriaSet.version.desc())).all()
        for s in new_sets:
            code, version = str(s["code"]), int(s["version"])
            identity = f"{code}@{version}"
            fw = found.get((str(s["file"]), code, version))
            latest = next((r for r in rows if r.code == code and r.version != version), None)
            if not isinstance(fw, Framework):
                problem = fw if fw is not None else Message("package_sets.changed",
                                                            {"file": s["file"], "identity": identity})
                out.append(NewSetDiff(identity, str(s["file"]), latest is not None, problem=problem))
                continue
            if latest is not None:
                old = framework_of(latest)
                out.append(NewSetDiff(identity, str(s["file"]), True, old.identity, diff_frameworks(old, fw)))
                continue
            beside = next((framework_of(r) for r in rows if r.year == fw.year and r.code != code
                           and set(framework_of(r).unit_kinds) & set(fw.unit_kinds)), None)
            out.append(NewSetDiff(identity, str(s["file"]), False, beside.identity if beside else "",
                                  diff_frameworks(beside, fw) if beside else None))
    return out


def _documents(path: Path) -> dict[tuple[str, int], tuple[str, str]]:
    """The criteria sets of a package's ``data.json``: (code, version) → (document, SHA-256). The entry is
    checked against the manifest (size, hash) as it is read; a set's values are checked by the caller."""
    with open_package(path) as package:
        raw = package.read(DATA)
    try:
        # numbers as text: only the sets' identities and documents (strings) are used here
        data = json.loads(raw.decode("utf-8"), parse_float=str, parse_int=str, parse_constant=str)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise Coded("package_sets.unreadable", file=path.name, error=str(exc)[:200]) from exc
    out: dict[tuple[str, int], tuple[str, str]] = {}
    sets = data.get("criteria_sets") if isinstance(data, dict) else None
    for c in sets if isinstance(sets, list) else []:
        if not isinstance(c, dict):
            continue
        code, version, document, sha = c.get("code"), c.get("version"), c.get("document"), c.get("sha256")
        if isinstance(code, str) and isinstance(version, str) and version.isdigit() and len(version) < 10 \
                and isinstance(document, str) and isinstance(sha, str):
            out[(code, int(version))] = (document, sha)
    return out
