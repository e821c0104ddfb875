"""``evaluator verify FILE.cchc``: check a team package's structure, every hash and its signature."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from evaluator.exchange.package import PackageError, open_package
from evaluator.exchange.signing import SignatureCheck, SigningError, check_signature, load_trusted
from evaluator.messages import say


@dataclass
class PackageVerification:
    path: Path
    ok: bool = False
    """Structure, sizes and hashes are right and, when signed, the signature is valid (and trusted,
    when trusted certificates were given)."""
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)
    entries: int = 0
    signature: SignatureCheck | None = None
    """None when the package is not signed."""

    @property
    def signed(self) -> bool:
        return self.signature is not None

    def to_json(self) -> dict[str, Any]:
        sig = (
            None
            if self.signature is None
            else {
                "valid": self.signature.valid,
                "subject": self.signature.subject,
                "trusted": self.signature.trusted,
                "problem": self.signature.problem,
                "notes": self.signature.notes,
            }
        )
        m = self.manifest
        return {
            "file": str(self.path),
            "ok": self.ok,
            "problems": self.problems,
            "entries": self.entries,
            "package_id": m.get("package_id"),
            "project_id": m.get("project_id"),
            "device_id": m.get("device_id"),
            "author": m.get("author"),
            "created": m.get("created"),
            "criteria_sets": m.get("criteria_sets"),
            "signature": sig,
        }

    def render(self) -> str:
        """The report in the current language."""
        m = self.manifest
        lines = [say("verify.package_ok" if self.ok else "verify.package_not_valid", name=self.path.name)]
        if m:
            sets = ", ".join(f"{s.get('code')}@{s.get('version')}" for s in m.get("criteria_sets", []))
            lines += [
                say("verify.package_from", package=m.get("package_id"), device=m.get("device_id"),
                    author=m.get("author") or "—", created=m.get("created")),
                say("verify.package_project", project=m.get("project_id"), sets=sets or "—"),
                say("verify.package_entries", count=self.entries),
            ]
        if self.signature is None:
            lines.append(say("verify.package_unsigned"))
        elif self.signature.valid:
            trust = {True: "verify.package_trusted", False: "verify.package_not_trusted",
                     None: "verify.package_trust_unchecked"}
            lines.append(say("verify.package_signed", subject=self.signature.subject,
                             trust=say(trust[self.signature.trusted])))
        else:
            lines.append(say("verify.package_broken", problem=self.signature.problem))
        if self.signature is not None:
            lines += [say("verify.package_note", note=n) for n in self.signature.notes]
        lines += [say("verify.package_problem", problem=p) for p in self.problems]
        return "\n".join(lines)


def verify_package(path: Path | str, trust_files: Sequence[Path | str] = ()) -> PackageVerification:
    """Check a ``.cchc`` package: zip structure, manifest, every entry's size and SHA-256, and the
    signature (against ``trust_files`` when given: PEM/DER certificates). Never raises for a bad package:
    read ``ok`` and ``problems``; raises ``SigningError`` only when a trust file cannot be read."""
    report = PackageVerification(Path(path))
    trusted = load_trusted(trust_files) if trust_files else None
    try:
        with open_package(path) as package:
            report.manifest = package.manifest
            report.entries = len(package.entries)
            # the signature first: a damaged package still says who signed it (it covers the manifest)
            if package.signature is None and trusted is not None:
                report.problems.append(say("package.unsigned_trust"))
            if package.signature is not None:
                try:
                    at = datetime.fromisoformat(package.manifest["created"])
                except (KeyError, ValueError):
                    at = None
                report.signature = check_signature(package.manifest_bytes, package.signature, trusted, at=at)
                if not report.signature.valid:
                    report.problems.append(say("package.broken_signature", problem=report.signature.problem))
                elif report.signature.trusted is False:
                    report.problems.append(say("package.untrusted"))
            package.verify_all()
    except PackageError as exc:
        report.problems.append(str(exc))
    except SigningError as exc:  # pragma: no cover - trust files are read before
        report.problems.append(str(exc))
    report.ok = not report.problems
    return report
