"""The chain of incremental team packages (issue 17): the manifest's ``builds_on``, the packages an
incremental one builds on (``services.exchange.increments`` writes and checks it against a project)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from evaluator.exchange.package import MANIFEST, PackageError
from evaluator.fields import FieldError, bad_character, check_text
from evaluator.messages import Message

BUILDS_ON = "builds_on"
"""The manifest's list of predecessors (absent or empty: a full package)."""
MAX_PREDECESSORS = 5000
"""More predecessors than this in one manifest is refused (a laptop exporting every day for ten years
stays far below; a crafted list of millions would only cost the committee time)."""
_SHA_LEN = 64


@dataclass(frozen=True)
class Predecessor:
    """A package an incremental one builds on, as its manifest names it."""

    package_id: str
    manifest_sha256: str
    created: str
    author: str
    device_id: str
    team: str
    file_name: str

    def to_json(self) -> dict[str, str]:
        return {"package_id": self.package_id, "manifest_sha256": self.manifest_sha256,
                "created": self.created, "author": self.author, "device_id": self.device_id,
                "team": self.team, "file_name": self.file_name}

    def describe(self) -> Message:
        """"<file> (id …, made <date> by <who> on device …)" for a message."""
        who = self.team or self.author or "—"
        return Message("increments.package_named", {"file": self.file_name or "—", "id": self.package_id,
                                                    "created": self.created[:16].replace("T", " "),
                                                    "who": who, "device": self.device_id})


def parse_builds_on(manifest: dict[str, Any], label: str) -> list[Predecessor]:
    """The manifest's predecessors, checked: a list (at most ``MAX_PREDECESSORS``) of objects whose ids are
    UUIDs and fingerprints SHA-256, none twice, never the package itself. Raises ``PackageError``."""
    raw = manifest.get(BUILDS_ON, [])

    def bad(problem: str) -> PackageError:
        return PackageError("increments.bad_builds_on", label=label, manifest=MANIFEST, problem=problem)

    if not isinstance(raw, list):
        raise bad("not a list")
    if len(raw) > MAX_PREDECESSORS:
        raise bad(f"{len(raw)} packages named (at most {MAX_PREDECESSORS})")
    found: list[Predecessor] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise bad(f"[{i}] is not an object")
        values: dict[str, str] = {}
        for key in ("package_id", "manifest_sha256", "created", "author", "device_id", "team", "file_name"):
            value = item.get(key, "")
            if not isinstance(value, str) or len(value) > 1000:
                raise bad(f"[{i}].{key} is not a text")
            values[key] = value
        try:
            pid = str(uuid.UUID(values["package_id"]))
        except ValueError:
            raise bad(f"[{i}].package_id is not a UUID") from None
        sha = values["manifest_sha256"]
        if len(sha) != _SHA_LEN or any(c not in "0123456789abcdef" for c in sha):
            raise bad(f"[{i}].manifest_sha256 is not a SHA-256") from None
        if pid == str(manifest.get("package_id", "")).lower():
            raise bad(f"[{i}] names the package itself")
        if pid in seen:
            raise bad(f"[{i}] names {pid} twice")
        seen.add(pid)
        try:
            datetime.fromisoformat(values["created"])
            for key in ("author", "device_id", "team"):
                check_text(values[key], "author")
            if bad_character(values["file_name"]) is not None:
                raise ValueError(f"file_name {bad_character(values['file_name'])}")
        except (ValueError, FieldError) as exc:
            raise bad(f"[{i}]: {str(exc)[:200]}") from None
        values["package_id"] = pid
        found.append(Predecessor(**values))
    return found


