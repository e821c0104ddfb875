"""The team package (``.cchc``): a zip that carries a team's work from a laptop to the committee.

Layout (format ``evaluator-team-package``, version 1)::

    manifest.json         format, version, package id, project id, device id, author, created time,
                          criteria-set identities (code, version, SHA-256) and every entry (path, size,
                          SHA-256)
    manifest.json.p7s     optional: a detached CMS signature over the exact bytes of manifest.json
    data.json             units, periods, criteria sets, assessments, scores with their whole revision
                          history, evidence metadata, audit events, resolved conflicts (optional key)
    evidence/<sha256>     the evidence files, named by their content hash

Reading is defensive: every entry name is checked (no ``..``, no absolute path, no duplicates), the
expanded size and the compression ratio are bounded, the entries must be exactly the manifest's, and
every size and SHA-256 must match. Any problem raises ``PackageError`` naming the package and the entry.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from evaluator.fields import FieldError, check_text

FORMAT = "evaluator-team-package"
FORMAT_VERSION = 1
SUFFIX = ".cchc"
MANIFEST = "manifest.json"
SIGNATURE = "manifest.json.p7s"
DATA = "data.json"
EVIDENCE_PREFIX = "evidence/"

MAX_MANIFEST_BYTES = 64 * 1024 * 1024
MAX_SIGNATURE_BYTES = 1024 * 1024
MAX_TOTAL_BYTES = 8 * 1024 * 1024 * 1024
"""Refuse packages that would expand to more than this (8 GiB)."""
MAX_RATIO = 200
"""Refuse entries larger than ``RATIO_FLOOR`` compressed more than this many times (zip bombs)."""
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 200_000
CHUNK = 1024 * 1024
_SHA = re.compile(r"^[0-9a-f]{64}$")


class PackageError(Exception):
    """A package cannot be used; the message names the file and what is wrong."""


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def dump(value: Any) -> bytes:
    """Deterministic JSON bytes (sorted keys, UTF-8, Decimals as numbers)."""
    from evaluator.models import dumps_json

    return dumps_json(value).encode("utf-8")


# --- writing ----------------------------------------------------------------------------------------
@dataclass
class PackageWriter:
    """Build a package: add data and evidence files, then ``finish(manifest_fields, signer)``."""

    path: Path
    entries: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._tmp = self.path.with_name(f".{self.path.name}.partial")
        self._zip = zipfile.ZipFile(self._tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6)
        self._names: set[str] = set()

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> None:
        if name in self._names:
            return
        self._names.add(name)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self._zip.writestr(info, data)
        self.entries.append({"path": name, "size": len(data), "sha256": sha256_hex(data)})

    def add_file(self, name: str, source: IO[bytes]) -> None:
        if name in self._names:
            return
        self._names.add(name)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        digest, size = hashlib.sha256(), 0
        with self._zip.open(info, "w", force_zip64=True) as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        self.entries.append({"path": name, "size": size, "sha256": digest.hexdigest()})

    def finish(self, manifest: dict[str, Any], signer: Any = None) -> bytes:
        """Write the manifest (and signature); move the finished file into place. Returns the manifest."""
        try:
            body = dict(manifest)
            body["entries"] = sorted(self.entries, key=lambda e: e["path"])
            data = json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")
            info = zipfile.ZipInfo(MANIFEST, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            self._zip.writestr(info, data)
            if signer is not None:
                sig = signer.sign_detached(data)
                info = zipfile.ZipInfo(SIGNATURE, date_time=(1980, 1, 1, 0, 0, 0))
                self._zip.writestr(info, sig)
            self._zip.close()
            self._tmp.replace(self.path)
            return data
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # already closed or broken: removing the file is what matters
            self._zip.close()
        self._tmp.unlink(missing_ok=True)


# --- reading ----------------------------------------------------------------------------------------
def _check_name(name: str, label: str) -> None:
    if not name or "\x00" in name:
        raise PackageError(f"{label}: an entry has an empty or invalid name")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or "\\" in name:
        raise PackageError(f"{label}: entry {name!r} has an absolute or Windows path; refused")
    parts = PurePosixPath(name).parts
    if any(p in ("..", ".") for p in parts) or name.endswith("/"):
        raise PackageError(f"{label}: entry {name!r} points outside the package (contains '..'); refused")


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
            raise PackageError(f"{self.label}: entry {name!r} is not in the manifest")
        with self.open(name) as fh:
            return fh.read()

    def open(self, name: str) -> IO[bytes]:
        """A checked reader: the whole entry is read and verified first (entries are small)."""
        entry = self.entries[name]
        data = _read_limited(self._zip, name, entry["size"], self.label)
        if len(data) != entry["size"]:
            raise PackageError(
                f"{self.label}: entry {name} has {len(data)} bytes, the manifest says {entry['size']}"
            )
        if sha256_hex(data) != entry["sha256"]:
            raise PackageError(
                f"{self.label}: entry {name} does not match its SHA-256 in the manifest "
                "(the package was altered or damaged)"
            )
        return io.BytesIO(data)

    def verify_all(self, skip: Sequence[str] = ()) -> None:
        """Read every entry (but ``skip``) and check its size and hash."""
        for name in self.entries:
            if name not in skip:
                with self.open(name):
                    pass

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
                    raise PackageError(f"{label}: entry {name} is larger than the manifest says")
            return out.getvalue()
    except PackageError:
        raise
    except _READ_ERRORS as exc:
        raise PackageError(
            f"{label}: entry {name} cannot be read (damaged or truncated package): {exc}"
        ) from exc


def open_package(path: Path | str) -> Package:
    """Open a package and check its structure against the manifest (hashes are checked on read;
    call ``verify_all`` to check every entry at once). Raises ``PackageError``."""
    path = Path(path)
    label = path.name
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise PackageError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise PackageError(f"{label}: is a folder, not a package") from None
    except _READ_ERRORS as exc:
        raise PackageError(
            f"{label}: not a team package (.cchc) — the zip cannot be read; it may be "
            f"truncated or damaged ({exc})"
        ) from exc
    try:
        return _check(path, zf)
    except BaseException:
        zf.close()
        raise


def _check(path: Path, zf: zipfile.ZipFile) -> Package:
    label = path.name
    infos = zf.infolist()
    if len(infos) > MAX_ENTRIES:
        raise PackageError(f"{label}: {len(infos)} entries; a package holds at most {MAX_ENTRIES}")
    seen: set[str] = set()
    total = 0
    for info in infos:
        _check_name(info.filename, label)
        if info.filename in seen:
            raise PackageError(f"{label}: entry {info.filename!r} appears twice")
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            raise PackageError(f"{label}: entry {info.filename} is encrypted; packages are never encrypted")
        total += info.file_size
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise PackageError(
                f"{label}: entry {info.filename} would expand {ratio} times ({info.file_size} "
                "bytes); refused as a possible zip bomb"
            )
    if total > MAX_TOTAL_BYTES:
        raise PackageError(
            f"{label}: the package would expand to {total} bytes (limit {MAX_TOTAL_BYTES}); refused"
        )
    if MANIFEST not in seen:
        raise PackageError(f"{label}: no {MANIFEST}: not a team package")
    manifest_bytes = _read_limited(zf, MANIFEST, MAX_MANIFEST_BYTES, label)
    try:
        manifest = json.loads(manifest_bytes.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise PackageError(f"{label}: {MANIFEST} is not valid JSON: {exc}") from exc
    if not isinstance(manifest, dict):
        raise PackageError(f"{label}: {MANIFEST} is not a JSON object")
    if manifest.get("format") != FORMAT:
        raise PackageError(f"{label}: {MANIFEST}: format {manifest.get('format')!r} is not {FORMAT!r}")
    version = manifest.get("format_version")
    if type(version) is not int or version != FORMAT_VERSION:  # 1.0 and true equal 1 in Python
        raise PackageError(
            f"{label}: unknown package format version {version!r}; this program reads "
            f"version {FORMAT_VERSION} (update evaluator to read newer packages)"
        )
    _check_manifest_fields(manifest, label)
    entries: dict[str, dict[str, Any]] = {}
    for i, e in enumerate(manifest["entries"]):
        where = f"{label}: {MANIFEST}, entries[{i}]"
        if (
            not isinstance(e, dict)
            or not isinstance(e.get("path"), str)
            or not isinstance(e.get("size"), int)
            or isinstance(e.get("size"), bool)
            or e["size"] < 0
            or not isinstance(e.get("sha256"), str)
            or not _SHA.match(e["sha256"])
        ):
            raise PackageError(f"{where}: needs path, size (bytes) and sha256 (64 hex digits)")
        _check_name(e["path"], label)
        if e["path"] in entries or e["path"] in (MANIFEST, SIGNATURE):
            raise PackageError(f"{where}: {e['path']!r} is listed twice or names the manifest itself")
        entries[e["path"]] = e
    present = seen - {MANIFEST, SIGNATURE}
    missing = sorted(set(entries) - present)
    extra = sorted(present - set(entries))
    if missing:
        raise PackageError(f"{label}: missing file(s) listed in the manifest: {', '.join(missing[:10])}")
    if extra:
        raise PackageError(f"{label}: file(s) not listed in the manifest: {', '.join(extra[:10])}; refused")
    if DATA not in entries:
        raise PackageError(f"{label}: the manifest lists no {DATA}")
    for name in entries:
        is_evidence = name.startswith(EVIDENCE_PREFIX) and _SHA.match(name[len(EVIDENCE_PREFIX) :])
        if name != DATA and not is_evidence:
            raise PackageError(f"{label}: unexpected entry {name!r} (only {DATA} and evidence/<sha256>)")
        if name.startswith(EVIDENCE_PREFIX) and name[len(EVIDENCE_PREFIX) :] != entries[name]["sha256"]:
            raise PackageError(f"{label}: evidence entry {name} is not named by its SHA-256")
        if zf.getinfo(name).file_size != entries[name]["size"]:
            raise PackageError(
                f"{label}: entry {name} has {zf.getinfo(name).file_size} bytes, the manifest "
                f"says {entries[name]['size']}"
            )
    signature = None
    if SIGNATURE in seen:
        signature = _read_limited(zf, SIGNATURE, MAX_SIGNATURE_BYTES, label)
    return Package(path, manifest, manifest_bytes, signature, entries, zf)


def _check_manifest_fields(m: dict[str, Any], label: str) -> None:
    import uuid

    for key in ("package_id", "project_id"):
        try:
            uuid.UUID(str(m.get(key)))
        except ValueError:
            raise PackageError(f"{label}: {MANIFEST}: {key} is not a UUID") from None
    for key in ("device_id", "author", "created"):
        if not isinstance(m.get(key), str):
            raise PackageError(f"{label}: {MANIFEST}: {key} is missing")
    for key in ("device_id", "author"):  # stored with the import: the same rules as any other text
        try:
            check_text(m[key], key)
        except FieldError as exc:
            raise PackageError(f"{label}: {MANIFEST}: {key}: {exc}") from None
    try:
        created = datetime.fromisoformat(m["created"])
    except ValueError:
        raise PackageError(f"{label}: {MANIFEST}: created {m['created']!r} is not a time") from None
    if created.tzinfo is None:
        raise PackageError(f"{label}: {MANIFEST}: created has no time zone")
    try:
        created.astimezone(UTC)  # stored with the import: 0001-01-01 at +14:00 has no UTC time
    except OverflowError:
        raise PackageError(f"{label}: {MANIFEST}: created {m['created']!r} is out of range") from None
    sets = m.get("criteria_sets")
    if not isinstance(sets, list) or not all(
        isinstance(s, dict)
        and isinstance(s.get("code"), str)
        and type(s.get("version")) is int
        and isinstance(s.get("sha256"), str)
        for s in sets
    ):
        raise PackageError(f"{label}: {MANIFEST}: criteria_sets must list code, version and sha256")
    if not isinstance(m.get("entries"), list):
        raise PackageError(f"{label}: {MANIFEST}: entries is missing")
