"""Team packages taken apart and put back together: their entries, a changed manifest, hashes made to fit
again, and the state of a project file (the package and audit tests)."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any


def file_state(db: Path) -> tuple[str, tuple[str, ...]]:
    """The bytes of the (closed) project file and the names of its evidence files."""
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    evidence = db.with_suffix(".evidence")
    return digest, tuple(sorted(str(p.relative_to(evidence)) for p in evidence.rglob("*") if p.is_file()))


def entries_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i.filename) for i in zf.infolist()}


def write_zip(path: Path, entries: dict[str, bytes], *, compress: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression=compress) as zf:
        for name, data in entries.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data, compress_type=compress)
    return path


def with_manifest(entries: dict[str, bytes], change: Any) -> dict[str, bytes]:
    manifest = json.loads(entries["manifest.json"])
    change(manifest)
    return {**entries, "manifest.json": json.dumps(manifest).encode()}


def rehashed(entries: dict[str, bytes]) -> dict[str, bytes]:
    """Entries with a manifest whose sizes and hashes fit them again (signature dropped)."""
    out = {k: v for k, v in entries.items() if k != "manifest.json.p7s"}
    return with_manifest(
        out,
        lambda m: m.__setitem__(
            "entries",
            [
                {"path": k, "size": len(v), "sha256": hashlib.sha256(v).hexdigest()}
                for k, v in sorted(out.items())
                if k not in ("manifest.json",)
            ],
        ),
    )
