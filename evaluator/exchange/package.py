"""The team package (``.cchc``): a zip that carries a team's work from a laptop to the committee.

Layout (format ``evaluator-team-package``, version 1)::

    manifest.json         format, version, package id, project id, device id, author, created time,
                          criteria-set identities (code, version, SHA-256) and every entry (path, size,
                          SHA-256)
    manifest.json.p7s     optional: a detached CMS signature over the exact bytes of manifest.json
    data.json             units, periods, criteria sets, assessments, scores with their whole revision
                          history, evidence metadata, audit events, resolved conflicts (optional key)
    evidence/<sha256>     the evidence files, named by their content hash

Evidence that does not compress (scans, photos, office files that are zips: ``compressible``) is stored
as it is, and zip64 records are written when needed: a year's evidence passes 4 GB.

Reading is defensive: every entry name is checked (no ``..``, no absolute path, no duplicates), the
expanded size and the compression ratio are bounded, the entries must be exactly the manifest's, and
every size and SHA-256 must match. Any problem raises ``PackageError`` naming the package and the entry.
"""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from evaluator.errors import Coded
from evaluator.exchange.entry_bytes import ONE_COPY, Landing, land_stored, stored_chunks
from evaluator.exchange.volumes import (
    VolumeError,
    VolumeReader,
    ZipOverVolumes,
    check_volumes,
    find_volumes,
    volume_base,
)
from evaluator.fields import FieldError, check_text
from evaluator.models.evidence_store import TEMP_PREFIX, EvidenceError, EvidenceStore

FORMAT = "evaluator-team-package"
FORMAT_VERSION = 1
SUFFIX = ".cchc"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"
DATA = "data.json"
EVIDENCE_PREFIX = "evidence/"

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SIGNATURE_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024 * 1024
"""Refuse packages that would expand to more than this (64 GiB): a province's year of scans is tens of
gigabytes (zip64 holds them); a directory claiming more is refused before anything is read."""
MAX_RATIO = 200
"""Refuse entries larger than ``RATIO_FLOOR`` compressed more than this many times (zip bombs)."""
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 200_000
MAX_WORKERS = 4
"""Threads that check entries' hashes at once (at most one per core)."""
CHUNK = 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")

class PackageError(Coded):
    """A package cannot be used; the message (``package.*``) names the file and what is wrong."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump(value: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, UTF-8, Decimals as numbers)."""
    from evaluator.models import dumps_json

    return dumps_json(value).encode("utf-8")


# --- reading ----------------------------------------------------------------------------------------
def _check_name(name: str, label: str) -> None:
    if not name or "\x00" in name:
        raise PackageError("package.bad_entry_name", label=label)
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        raise PackageError("package.absolute_path", label=label, name=name)
    parts = PurePosixPath(name).parts
    if any(p in ("..", ".") for p in parts) or name.endswith("/"):
        raise PackageError("package.outside", label=label, name=name)


@dataclass
class Package:
    """An opened, checked package: the manifest, its bytes, the signature bytes and the zip."""

    path: Path
    manifest: dict[str, Any]
    manifest_bytes: bytes
    signature: bytes | None
    entries: dict[str, dict[str, Any]]
    _zip: zipfile.ZipFile

    @property
    def label(self) -> str:
        return self.path.name

    @property
    def manifest_sha256(self) -> str:
        return sha256_hex(self.manifest_bytes)

    def read(self, name: str) -> bytes:
        """An entry's bytes, checked against the manifest's size and SHA-256."""
        entry = self.entries.get(name)
        if entry is None:
            raise PackageError("package.not_in_manifest", label=self.label, name=name)
        with self.open(name) as fh:
            return fh.read()

    def open(self, name: str) -> IO[bytes]:
        """A checked reader: the whole entry is read and verified first (entries are small)."""
        entry = self.entries[name]
        data = _read_limited(self._zip, name, entry["size"], self.label)
        if len(data) != entry["size"]:
            raise PackageError("package.size_mismatch", label=self.label, name=name, size=len(data),
                               expected=entry["size"])
        if sha256_hex(data) != entry["sha256"]:
            raise PackageError("package.hash_mismatch", label=self.label, name=name)
        return io.BytesIO(data)

    def verify_all(self, skip: Sequence[str] = (), on_bytes: Callable[[int], None] | None = None,
                   store: EvidenceStore | None = None, landed: list[Path] | None = None) -> None:
        """Read every entry (but ``skip``) and check its size and hash, streamed (an entry may be larger
        than the memory); ``on_bytes(n)`` after each chunk read (progress).
        With a ``store`` (and ``landed``), evidence entries the store does not hold yet are copied into it
        on the same read (each byte read and hashed once): each lands only when its hash is the manifest's
        and is appended to ``landed`` (the caller removes them when the import does not go through).
        When the store's disk has not room for them all, they are only checked (``copy_many`` says so)."""
        names = [n for n in self.entries if n not in skip]
        if on_bytes is not None:  # the workers report; a progress callback is not made for threads
            lock, report = threading.Lock(), on_bytes

            def on_bytes(n: int) -> None:
                with lock:
                    report(n)

        into: set[str] = set()
        if store is not None and landed is not None:
            into = {n for n in names if n.startswith(EVIDENCE_PREFIX)
                    and not store.exists(self.entries[n]["sha256"])}
            if into and not self._room_for(into, store):
                into = set()  # checked only; the merge's copy_many then names the missing room
        with _Batch(store, landed) as batch:

            def work(n: str) -> None:
                if n not in into:
                    self.check_entry(n, on_bytes)
                else:
                    batch.land(self, n, on_bytes)

            _each(names, work)

    def _room_for(self, names: set[str], store: EvidenceStore) -> bool:
        need = sum(self.entries[n]["size"] for n in names)
        try:
            store.root.mkdir(parents=True, exist_ok=True)
            return need <= shutil.disk_usage(store.root).free
        except OSError:
            return False

    def copy_many(self, names: Sequence[str], store: EvidenceStore, landed: list[Path]) -> None:
        """``copy_into`` for each entry, on every core, flushed together at the end (``_Batch``); each
        stored file is appended to ``landed`` as it lands (all of them when this returns; those that
        landed before a failure when it raises).
        A package may be tens of gigabytes: when the store's disk has not room for them all, nothing is
        written (rather than a full disk halfway through)."""
        need = sum(self.entries[n]["size"] for n in names if n in self.entries)
        try:
            store.root.mkdir(parents=True, exist_ok=True)
            free = shutil.disk_usage(store.root).free
        except OSError as exc:
            raise EvidenceError("project.evidence_store_failed", label=self.label, root=store.root,
                                error=exc) from exc
        if need > free:
            raise EvidenceError("transfer.no_room", label=self.label, size=f"{need / 1e6:,.0f}",
                                free=f"{free / 1e6:,.0f}", root=store.root)
        with _Batch(store, landed) as batch:
            _each(names, lambda n: batch.land(self, n, None))

    def _entry(self, name: str) -> dict[str, Any]:
        entry = self.entries.get(name)
        if entry is None:
            raise PackageError("package.not_in_manifest", label=self.label, name=name)
        return entry

    def _verified_chunks(self, name: str) -> Iterator[bytes | memoryview]:
        """One entry's bytes in chunks, never more than its manifest size; once the last chunk is out, its
        size and SHA-256 are checked (PackageError when they are not the manifest's): whoever consumes the
        chunks keeps what they made only when the loop ends normally. A chunk may be a view of a reused
        buffer: use it before asking for the next."""
        entry = self._entry(name)
        limit, digest, size = entry["size"], hashlib.sha256(), 0
        info = self._info(name)
        chunks = self._stored(info, limit) if self._direct(info) else self._inflated(name, limit)
        for chunk in chunks:
            size += len(chunk)
            if size > limit:
                raise PackageError("package.larger", label=self.label, name=name)
            digest.update(chunk)
            yield chunk
        if size != limit:
            raise PackageError("package.size_mismatch", label=self.label, name=name, size=size,
                               expected=limit)
        if digest.hexdigest() != entry["sha256"]:
            raise PackageError("package.hash_mismatch", label=self.label, name=name)

    def _info(self, name: str) -> zipfile.ZipInfo:
        try:
            return self._zip.getinfo(name)
        except KeyError as exc:
            raise PackageError("package.unreadable_entry", label=self.label, name=name, error=exc) from exc

    def _direct(self, info: zipfile.ZipInfo) -> bool:
        """Stored entries (evidence) are read straight from the file, without zipfile's CRC (see
        entry_bytes); a package split in volumes is one zip only through its VolumeReader: zipfile reads
        it."""
        return info.compress_type == zipfile.ZIP_STORED and not isinstance(self._zip, ZipOverVolumes)

    def _land(self, name: str, fd: int, on_bytes: Callable[[int], None] | None) -> None:
        """Land an entry into the empty temporary file ``fd`` (its flush started, not waited for); raise
        ``PackageError`` unless what landed has the manifest's size and SHA-256 (the caller then removes
        the file)."""
        entry = self._entry(name)
        info = self._info(name)
        if not (ONE_COPY and self._direct(info)):
            out = Landing(fd)
            for chunk in self._verified_chunks(name):
                out.write(chunk)
                if on_bytes is not None:
                    on_bytes(len(chunk))
            return
        if info.file_size != entry["size"]:  # before a byte is copied: never more than the manifest says
            code = "package.larger" if info.file_size > entry["size"] else "package.size_mismatch"
            raise PackageError(code, label=self.label, name=name, size=info.file_size, expected=entry["size"])
        same_as = self._zip.fp.fileno() if self._zip.fp is not None else None
        try:
            landed = land_stored(self.path, info, fd, same_as, on_bytes)
        except _READ_ERRORS as exc:
            if isinstance(exc, OSError) and exc.errno in STORE_ERRNOS:  # the store's disk: see copy_into
                raise
            raise PackageError("package.unreadable_entry", label=self.label, name=name, error=exc) from exc
        if landed != entry["sha256"]:
            raise PackageError("package.hash_mismatch", label=self.label, name=name)

    def _stored(self, info: zipfile.ZipInfo, limit: int) -> Iterator[memoryview]:
        same_as = self._zip.fp.fileno() if self._zip.fp is not None else None
        try:
            yield from stored_chunks(self.path, info, limit, same_as=same_as)
        except _READ_ERRORS as exc:
            raise PackageError("package.unreadable_entry", label=self.label, name=info.filename,
                               error=exc) from exc

    def _inflated(self, name: str, limit: int) -> Iterator[bytes]:
        try:
            fh = self._zip.open(name)
        except _READ_ERRORS as exc:
            raise PackageError("package.unreadable_entry", label=self.label, name=name, error=exc) from exc
        size = 0
        with fh:
            while chunk := _read_chunk(fh, min(CHUNK, limit + 1 - size) or 1, self.label, name):
                size += len(chunk)
                yield chunk
                if size > limit:
                    return

    def check_entry(self, name: str, on_bytes: Callable[[int], None] | None = None) -> None:
        """Read one entry in chunks: never more than its manifest size, and its SHA-256 must match."""
        for chunk in self._verified_chunks(name):
            if on_bytes is not None:
                on_bytes(len(chunk))

    def copy_into(self, name: str, store: EvidenceStore,
                  on_bytes: Callable[[int], None] | None = None) -> Path:
        """Copy an evidence entry into ``store`` (its place is its SHA-256) through a temporary file in the
        store, streamed and hashed once on the way: it lands only when its size and SHA-256 are the
        manifest's (flushed to disk, then renamed into place). Returns the stored file."""
        landed: list[Path] = []
        with _Batch(store, landed) as batch:
            batch.land(self, name, on_bytes)
        return landed[0]

    def land_unflushed(self, name: str, store: EvidenceStore,
                       on_bytes: Callable[[int], None] | None = None) -> Path:
        """The first half of ``copy_into``: the entry's checked bytes in a temporary file of the store, not
        flushed yet (``_Batch`` flushes and renames them). Returns the temporary file; raises (and leaves
        no file) when the entry is not the manifest's."""
        try:
            store.root.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, dir=store.root)
        except OSError as exc:
            raise EvidenceError("project.evidence_store_failed", label=name, root=store.root,
                                error=exc) from exc
        tmp = Path(tmp_name)
        try:
            try:
                self._land(name, fd, on_bytes)
            finally:
                os.close(fd)
            return tmp
        except BaseException as exc:
            tmp.unlink(missing_ok=True)
            if isinstance(exc, OSError):  # reading errors are PackageErrors by now: this is the store's disk
                raise EvidenceError("project.evidence_store_failed", label=name, root=store.root,
                                    error=exc) from exc
            raise

    def total_bytes(self, skip: Sequence[str] = ()) -> int:
        """The expanded size of every entry but ``skip`` (what ``verify_all`` reads)."""
        return sum(e["size"] for n, e in self.entries.items() if n not in skip)

    def evidence_names(self) -> Iterator[str]:
        return (n for n in self.entries if n.startswith(EVIDENCE_PREFIX))

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
    KeyError,
    OverflowError,
)


class _Batch:
    """Evidence landing together: each entry lands in a temporary file as soon as it is checked, and
    all of them are flushed to disk and renamed into place at the end (a file is never at its place in
    the store before its bytes are on disk). Flushing each file as it lands made every worker wait for
    the disk in turn, while the next file could have been hashed (20 × 25 MB: 0.72 s against 0.97 on a
    busy machine). When anything fails, every temporary file goes; files already renamed stay in
    ``landed`` (the caller removes those when the import does not go through)."""

    def __init__(self, store: EvidenceStore | None, landed: list[Path] | None):
        self.store, self.landed = store, landed
        self.pending: list[tuple[Path, str]] = []
        self._lock = threading.Lock()

    def land(self, package: Package, name: str, on_bytes: Callable[[int], None] | None) -> None:
        assert self.store is not None
        tmp = package.land_unflushed(name, self.store, on_bytes)
        with self._lock:
            self.pending.append((tmp, package.entries[name]["sha256"]))

    def __enter__(self) -> _Batch:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            if kind is None and self.pending:
                self._flush()
        finally:
            for tmp, _ in self.pending:
                tmp.unlink(missing_ok=True)

    def _flush(self) -> None:
        assert self.store is not None and self.landed is not None
        store = self.store
        while self.pending:
            tmp, sha = self.pending[0]
            target = store.path(sha)
            try:
                fd = os.open(tmp, os.O_RDWR | getattr(os, "O_BINARY", 0))
                try:
                    os.fsync(fd)
                finally:
                    os.close(fd)
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(tmp, target)  # atomic; also replaces a damaged copy
            except OSError as exc:
                raise EvidenceError("project.evidence_store_failed", label=sha, root=store.root,
                                    error=exc) from exc
            self.pending.pop(0)
            self.landed.append(target)


STORE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS}
"""What a copy straight from the package into the store fails with because of the store's disk (else it
is the package that could not be read)."""


def _each(names: Sequence[str], work: Callable[[str], object]) -> None:
    """``work(name)`` for every name, on every core (``MAX_WORKERS`` at most): SHA-256 is the cost of a
    big package (slower than a disk copy without CPU help), and hashlib and zlib let go of the GIL on large
    buffers. The first name in order that fails is the one raised; a failure stops what has not started,
    and waits for what has (no file is being written when this returns)."""
    workers = min(len(names), os.cpu_count() or 1, MAX_WORKERS)
    if workers <= 1:
        for name in names:
            work(name)
        return
    with ThreadPoolExecutor(workers) as pool:
        try:
            for _ in pool.map(work, names):
                pass
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _read_chunk(fh: IO[bytes], n: int, label: str, name: str) -> bytes:
    """Up to ``n`` bytes of an entry; what goes wrong reading it (a bad CRC, broken deflate data) is a
    ``PackageError`` naming the entry."""
    try:
        return fh.read(n)
    except _READ_ERRORS as exc:
        raise PackageError("package.unreadable_entry", label=label, name=name, error=exc) from exc


def _read_limited(zf: zipfile.ZipFile, name: str, limit: int, label: str) -> bytes:
    """Read an entry, never more than ``limit + 1`` bytes whatever its header claims."""
    try:
        with zf.open(name) as fh:
            out = io.BytesIO()
            while True:
                chunk = fh.read(min(CHUNK, limit + 1 - out.tell()) or 1)
                if not chunk:
                    break
                out.write(chunk)
                if out.tell() > limit:
                    raise PackageError("package.larger", label=label, name=name)
            return out.getvalue()
    except PackageError:
        raise
    except _READ_ERRORS as exc:
        raise PackageError("package.unreadable_entry", label=label, name=name, error=exc) from exc


def open_package(path: Path | str) -> Package:
    """Open a package and check its structure against the manifest (hashes are checked on read;
    call ``verify_all`` to check every entry at once). Raises ``PackageError``."""
    path = Path(path)
    label = path.name
    base = volume_base(path)
    if base is not None:  # FILE.cchc.001 … read as one
        return _open_volumes(path, base)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise PackageError("package.no_file", label=label) from None
    except IsADirectoryError:
        raise PackageError("package.folder", label=label) from None
    except _READ_ERRORS as exc:
        raise PackageError("package.not_zip", label=label, error=exc) from exc
    try:
        return _check(path, zf)
    except BaseException:
        zf.close()
        raise


def _open_volumes(path: Path, base: Path) -> Package:
    label = path.name
    try:
        reader = VolumeReader(find_volumes(base))
    except VolumeError as exc:
        raise PackageError(str(exc.code), **exc.params) from None
    except OSError as exc:
        raise PackageError("package.not_zip", label=label, error=exc) from exc
    try:
        zf = ZipOverVolumes(reader)
    except _READ_ERRORS as exc:
        reader.close()
        # no zip end in what was found: the last volume (or more) is not there
        raise PackageError("volumes.end_missing", label=base.name, last=reader.paths[-1].name,
                           error=exc) from exc
    try:
        check_volumes(zf, reader, base)
        return _check(path, zf)
    except VolumeError as exc:
        zf.close()
        raise PackageError(str(exc.code), **exc.params) from None
    except BaseException:
        zf.close()
        raise


def _check(path: Path, zf: zipfile.ZipFile) -> Package:
    label = path.name
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError("package.too_many_entries", label=label, count=len(infos), limit=MAX_ENTRIES)
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_name(info.filename, label)
        if info.filename in seen:
            raise PackageError("package.twice", label=label, name=info.filename)
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise PackageError("package.encrypted", label=label, name=info.filename)
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackageError("package.zip_bomb", label=label, name=info.filename, ratio=ratio,
                               size=info.file_size)
    if total > MAX_TOTAL_BYTES:
        raise PackageError("package.too_large", label=label, total=total, limit=MAX_TOTAL_BYTES)
    if MANIFEST not in seen:
        raise PackageError("package.no_manifest", label=label, manifest=MANIFEST)
    manifest_bytes = _read_limited(zf, MANIFEST, MAX_MANIFEST_BYTES, label)
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageError("package.manifest_not_json", label=label, manifest=MANIFEST, error=exc) from exc
    if not isinstance(manifest, dict):
        raise PackageError("package.manifest_not_object", label=label, manifest=MANIFEST)
    if manifest.get("format") != FORMAT:
        raise PackageError("package.wrong_format", label=label, manifest=MANIFEST,
                           found=manifest.get("format"), format=FORMAT)
    version = manifest.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:  # 1.0 and true equal 1 in Python
        raise PackageError("package.unknown_version", label=label, version=version, supported=FORMAT_VERSION)
    _check_manifest_fields(manifest, label)
    entries: dict[str, dict[str, Any]] = {}
    for i, e in enumerate(manifest["entries"]):
        if (
            not isinstance(e, dict)
            or not isinstance(e.get("path"), str)
            or not isinstance(e.get("size"), int)
            or isinstance(e.get("size"), bool)
            or e["size"] < 0
            or not isinstance(e.get("sha256"), str)
            or not _SHA.match(e["sha256"])
        ):
            raise PackageError("package.bad_entry_record", label=label, manifest=MANIFEST, index=i)
        _check_name(e["path"], label)
        if e["path"] in entries or e["path"] in (MANIFEST, SIGNATURE):
            raise PackageError("package.listed_twice", label=label, manifest=MANIFEST, index=i,
                               name=e["path"])
        entries[e["path"]] = e
    present = seen - {MANIFEST, SIGNATURE}
    missing = sorted(set(entries) - present)
    extra = sorted(present - set(entries))
    if missing:
        raise PackageError("package.missing_files", label=label, names=", ".join(missing[:10]))
    if extra:
        raise PackageError("package.extra_files", label=label, names=", ".join(extra[:10]))
    if DATA not in entries:
        raise PackageError("package.no_data", label=label, data=DATA)
    for name in entries:
        is_evidence = name.startswith(EVIDENCE_PREFIX) and _SHA.match(name[len(EVIDENCE_PREFIX) :])
        if name != DATA and not is_evidence:
            raise PackageError("package.unexpected_entry", label=label, name=name, data=DATA)
        if name.startswith(EVIDENCE_PREFIX) and name[len(EVIDENCE_PREFIX) :] != entries[name]["sha256"]:
            raise PackageError("package.evidence_name", label=label, name=name)
        if zf.getinfo(name).file_size != entries[name]["size"]:
            raise PackageError("package.size_mismatch", label=label, name=name,
                               size=zf.getinfo(name).file_size, expected=entries[name]["size"])
    signature = None
    if SIGNATURE in seen:
        signature = _read_limited(zf, SIGNATURE, MAX_SIGNATURE_BYTES, label)
    return Package(path, manifest, manifest_bytes, signature, entries, zf)


def _check_manifest_fields(m: dict[str, Any], label: str) -> None:
    import uuid

    for key in ("package_id", "project_id"):
        try:
            if not isinstance(m.get(key), str):  # a number of 32 digits passed str() and broke its readers
                raise ValueError(key)
            uuid.UUID(m[key])
        except ValueError:
            raise PackageError("package.not_uuid", label=label, manifest=MANIFEST, key=key) from None
    for key in ("device_id", "author", "created"):
        if not isinstance(m.get(key), str):
            raise PackageError("package.key_missing", label=label, manifest=MANIFEST, key=key)
    for key in ("device_id", "author"):  # stored with the import: the same rules as any other text
        try:
            check_text(m[key], key)
        except FieldError as exc:
            raise PackageError("package.bad_field", label=label, manifest=MANIFEST, key=key,
                               problem=exc.message) from None
    try:
        created = datetime.fromisoformat(m["created"])
    except ValueError:
        raise PackageError("package.not_a_time", label=label, manifest=MANIFEST, value=m["created"]) from None
    if created.tzinfo is None:
        raise PackageError("package.no_time_zone", label=label, manifest=MANIFEST)
    try:
        created.astimezone(UTC)  # stored with the import: 0001-01-01 at +14:00 has no UTC time
    except OverflowError:
        raise PackageError("package.time_range", label=label, manifest=MANIFEST, value=m["created"]) from None
    sets = m.get("criteria_sets")
    if not isinstance(sets, list) or not all(
        isinstance(s, dict)
        and isinstance(s.get("code"), str)
        and type(s.get("version")) is int
        and isinstance(s.get("sha256"), str)
        for s in sets
    ):
        raise PackageError("package.criteria_sets", label=label, manifest=MANIFEST)
    if not isinstance(m.get("entries"), list):
        raise PackageError("package.entries_missing", label=label, manifest=MANIFEST)
