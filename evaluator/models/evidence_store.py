"""Content-addressed evidence files beside the project: ``<root>/<sha[:2]>/<sha>``.

The same bytes are stored once, whatever their file names (names live in the ``evidence`` table).
Files are written to a temporary file in the store and renamed into place, so a crash never leaves a
half-written file under a valid name. Everything is streamed in chunks.

Evidence names come from outside (packages, workbooks, other people's folders): they are display names
only. The one on-disk path built from a name (``named_copy``, a copy for the system viewer or an export)
is ``<folder>/<sha[:16]>/<safe_file_name(name)>`` and is checked to stay inside ``folder``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import shutil
import tempfile
import time
from pathlib import Path
from typing import BinaryIO

from evaluator.fields import safe_file_name
from evaluator.models.schema import ProjectError

CHUNK = 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")
TEMP_PREFIX = ".incoming-"
"""Names of files being written (evidence, backups, demo projects): renamed into place when complete."""
STALE_AFTER = 3600.0
"""Seconds after its last change that a temporary or orphan file counts as left over by a crash. Another
program may be writing one right now (an import into the same project, a backup): its file changes every
few moments and is renamed or committed within minutes, so an hour keeps clear of it with a wide margin."""


def _last_change(path: Path) -> float:
    """The newest modification time of a file, or of a folder and everything in it."""
    newest = path.lstat().st_mtime
    if path.is_dir() and not path.is_symlink():
        for child in path.rglob("*"):
            with contextlib.suppress(OSError):  # removed meanwhile
                newest = max(newest, child.lstat().st_mtime)
    return newest


def remove_stale(folder: Path, prefix: str = TEMP_PREFIX, *, now: float | None = None,
                 margin: float = STALE_AFTER) -> list[Path]:
    """Remove the entries of ``folder`` whose names start with ``prefix`` and that nothing changed for
    ``margin`` seconds (leftovers of a crash; a younger one may belong to a program writing it now)."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = [p for p in folder.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return removed
    for entry in entries:
        try:
            if now - _last_change(entry) < margin:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
        except OSError:  # gone meanwhile, or in use (Windows): the next opening tries again
            pass
    return removed


class EvidenceError(ProjectError):
    """An evidence file is missing, unreadable or not what its name says."""


def hash_file(path: Path) -> tuple[str, int]:
    """SHA-256 (hex) and size of a file, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class EvidenceStore:
    def __init__(self, root: Path | str):
        self.root = Path(root)

    def __repr__(self) -> str:
        return f"EvidenceStore({str(self.root)!r})"

    def path(self, sha256: str) -> Path:
        """Where the file with this SHA-256 lives (whether or not it exists)."""
        if not isinstance(sha256, str) or not _SHA.match(sha256):
            raise EvidenceError("project.not_sha", sha256=sha256)
        return self.root / sha256[:2] / sha256

    def stored(self) -> list[Path]:
        """Every stored file (``<sha[:2]>/<sha>``), temporary files left out."""
        if not self.root.is_dir():
            return []
        return [p for p in self.root.glob("??/*")
                if _SHA.match(p.name) and p.parent.name == p.name[:2] and p.is_file()]

    def remove_stale_incoming(self, *, now: float | None = None, margin: float = STALE_AFTER) -> list[Path]:
        """Remove ``.incoming-*`` files that a killed program left half-written (see ``STALE_AFTER``)."""
        return remove_stale(self.root, TEMP_PREFIX, now=now, margin=margin)

    def exists(self, sha256: str) -> bool:
        return self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        """Open the stored file for reading (binary)."""
        path = self.path(sha256)
        try:
            return path.open("rb")
        except FileNotFoundError:
            raise EvidenceError("project.evidence_missing", sha256=sha256, root=self.root) from None

    def verify(self, sha256: str) -> bool:
        """True when the file exists and its bytes still hash to ``sha256``."""
        path = self.path(sha256)
        if not path.is_file():
            return False
        return hash_file(path)[0] == sha256

    def put(self, source: bytes | Path | str, file_name: str = "") -> tuple[str, int]:
        """Store bytes, or the content of the file at ``source``; return ``(sha256, size)``.

        Storing content that is already present (and intact) changes nothing. ``file_name`` is only
        used in error messages; record it in the ``evidence`` table.
        """
        label = file_name or (str(source) if not isinstance(source, bytes) else "<bytes>")
        self.root.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=self.root)
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            size = 0
            with os.fdopen(fd, "wb") as out:
                if isinstance(source, bytes):
                    digest.update(source)
                    size = len(source)
                    out.write(source)
                else:
                    try:
                        with Path(source).open("rb") as fh:
                            while chunk := fh.read(CHUNK):
                                digest.update(chunk)
                                size += len(chunk)
                                out.write(chunk)
                    except OSError as exc:
                        raise EvidenceError("project.evidence_unreadable", label=label, error=exc) from exc
                out.flush()
                os.fsync(out.fileno())
            sha = digest.hexdigest()
            target = self.path(sha)
            if target.is_file() and self.verify(sha):
                tmp.unlink()
                return sha, size
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)  # atomic; also replaces a damaged copy
            return sha, size
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise EvidenceError("project.evidence_store_failed", label=label, root=self.root,
                                    error=exc) from exc
            raise

    def named_copy(self, sha256: str, name: str, folder: Path | str) -> Path:
        """A copy of the stored file under a readable name (for the system viewer, or an export):
        ``<folder>/<sha256[:16]>/<safe_file_name(name)>``, never outside ``folder`` whatever ``name`` is.

        The copy is checked against ``sha256`` while it is written; an existing intact copy (a regular
        file, not a link) is reused, anything else at that place is replaced, never written through."""
        self.path(sha256)  # a SHA-256 (64 hex digits) before it names a folder
        base = Path(folder).resolve()
        target = base / sha256[:16] / safe_file_name(name)
        # One plain component in a folder that is not a link: the copy cannot land anywhere else.
        if target.parent.resolve() != base / sha256[:16] or target.name in ("", ".", "..") or (
            not (target.parent.resolve() / target.name).is_relative_to(base)
        ):
            raise EvidenceError("project.evidence_escape", name=name, base=base)
        if target.is_file() and not target.is_symlink() and hash_file(target)[0] == sha256:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".copy-", dir=target.parent)
        tmp = Path(tmp_name)
        try:
            digest = hashlib.sha256()
            with os.fdopen(fd, "wb") as out, self.open(sha256) as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise EvidenceError("project.evidence_damaged", name=name, sha=sha256[:12], root=self.root)
            os.replace(tmp, target)  # replaces a link itself, never the file it points to
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise EvidenceError("project.evidence_copy_failed", name=name, folder=target.parent,
                                    error=exc) from exc
            raise
        return target
