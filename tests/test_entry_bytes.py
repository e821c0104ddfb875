"""The fast byte path of team packages (issue #17: import within 2.5× of a plain copy): stored entries read
straight from the package file and landed with their writeback started early. Every check of the slow path
holds: a byte changed in the middle of an entry, a package cut short while it is read, a local header that
names another entry, a package file replaced while it is read, a cancel in the middle of an entry — each
refused with the entry named, nothing landed in the store and no temporary file left; the export's zip is
valid (every CRC right)."""

from __future__ import annotations

import errno
import hashlib
import os
import random
import uuid
import zipfile
from pathlib import Path

import pytest

from evaluator.exchange import entry_bytes, package_writer
from evaluator.exchange.package import (
    DATA,
    EVIDENCE_PREFIX,
    FORMAT,
    FORMAT_VERSION,
    PackageError,
    open_package,
)
from evaluator.exchange.package_writer import PackageWriter
from evaluator.models.evidence_store import EvidenceError, EvidenceStore

MIB = 1024 * 1024
RNG = random.Random(1771)


class Stop(Exception):
    """What a cancel raises from the progress callback."""


def _blobs(sizes: list[int]) -> dict[str, bytes]:
    """Scans (they start as a PDF does: stored, not deflated), named by their SHA-256."""
    out = {}
    for size in sizes:
        data = b"%PDF-1.7\n" + RNG.randbytes(size)
        out[hashlib.sha256(data).hexdigest()] = data
    return out


def _package(path: Path, blobs: dict[str, bytes], folder: Path) -> Path:
    """A package made by ``PackageWriter`` from files of an evidence store (the export's way)."""
    store = EvidenceStore(folder / "source-store")
    for data in blobs.values():
        store.put(data)
    writer = PackageWriter(path)
    writer.add_bytes(DATA, b"{}")
    for sha in sorted(blobs):
        with store.open(sha) as fh:
            writer.add_file(EVIDENCE_PREFIX + sha, fh, sha256=sha)
    writer.finish({"format": FORMAT, "format_version": FORMAT_VERSION, "package_id": str(uuid.uuid4()),
                   "project_id": str(uuid.uuid4()), "device_id": "may-1", "author": "Tổ 1",
                   "created": "2024-11-01T08:00:00+07:00", "criteria_sets": []})
    return path


def _data_offset(path: Path, name: str) -> int:
    with zipfile.ZipFile(path) as zf, path.open("rb") as fh:
        info = zf.getinfo(name)
        fh.seek(info.header_offset + 26)
        head = fh.read(4)
        name_len, extra_len = int.from_bytes(head[:2], "little"), int.from_bytes(head[2:], "little")
        return info.header_offset + 30 + name_len + extra_len


def _store_files(store: EvidenceStore) -> list[Path]:
    return sorted(p for p in store.root.rglob("*") if p.is_file()) if store.root.exists() else []


@pytest.fixture
def made(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    blobs = _blobs([9 * MIB, 3 * MIB, 10 * MIB, 100])  # two of them span several read chunks
    return _package(tmp_path / "goi.cchc", blobs, tmp_path), blobs


def test_the_export_is_a_valid_zip_and_the_import_lands_every_file(made: tuple[Path, dict[str, bytes]],
                                                                   tmp_path: Path):
    path, blobs = made
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None  # every CRC-32 right, also those computed beside the kernel's copy
        kinds = {i.filename: i.compress_type for i in zf.infolist() if i.filename.startswith(EVIDENCE_PREFIX)}
        assert kinds == {EVIDENCE_PREFIX + sha: zipfile.ZIP_STORED for sha in blobs}
    store, landed = EvidenceStore(tmp_path / "store"), []
    seen: list[int] = []
    with open_package(path) as package:
        package.verify_all(store=store, landed=landed, on_bytes=seen.append)
        assert sum(seen) == package.total_bytes()
    assert sorted(landed) == sorted(store.path(sha) for sha in blobs)
    assert all(store.path(sha).read_bytes() == data for sha, data in blobs.items())
    assert not [p for p in _store_files(store) if p.name.startswith(".")]


def test_each_landed_file_is_flushed_to_disk_once(made: tuple[Path, dict[str, bytes]], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch):
    path, blobs = made
    flushed: list[int] = []
    real = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: (flushed.append(fd), real(fd))[1])
    with open_package(path) as package:
        package.verify_all(store=EvidenceStore(tmp_path / "store"), landed=[])
    assert len(flushed) == len(blobs)


@pytest.mark.parametrize("where", ["first byte", "middle", "last byte"])
def test_a_byte_changed_inside_an_entry_lands_nothing(made: tuple[Path, dict[str, bytes]], tmp_path: Path,
                                                      where: str):
    path, blobs = made
    big = max(blobs, key=lambda sha: len(blobs[sha]))
    at = _data_offset(path, EVIDENCE_PREFIX + big) + {"first byte": 0, "middle": len(blobs[big]) // 2,
                                                       "last byte": len(blobs[big]) - 1}[where]
    with path.open("r+b") as fh:  # the zip's CRC is not made to fit: the SHA-256 refuses it
        fh.seek(at)
        byte = fh.read(1)
        fh.seek(at)
        fh.write(bytes([byte[0] ^ 0x40]))
    store, landed = EvidenceStore(tmp_path / "store"), []
    with open_package(path) as package, pytest.raises(PackageError) as err:
        package.verify_all(store=store, landed=landed)
    assert err.value.code == "package.hash_mismatch" and big in str(err.value)
    assert store.path(big) not in landed and not store.path(big).exists()
    assert not [p for p in _store_files(store) if p.name.startswith(".")]


def test_a_package_cut_short_while_it_is_read(made: tuple[Path, dict[str, bytes]], tmp_path: Path):
    path, blobs = made
    store, landed = EvidenceStore(tmp_path / "store"), []
    with open_package(path) as package:  # checked whole; then the stick is pulled out halfway
        middle = EVIDENCE_PREFIX + sorted(blobs)[1]
        with path.open("r+b") as fh:
            fh.truncate(_data_offset(path, middle) + 1000)
        with pytest.raises(PackageError) as err:
            package.verify_all(store=store, landed=landed)
    assert err.value.code == "package.unreadable_entry"
    assert set(landed) <= {store.path(sha) for sha in blobs}
    assert all(p.read_bytes() == blobs[p.name] for p in landed)  # what landed is whole and right
    assert not [p for p in _store_files(store) if p.name.startswith(".")]
    cut = tmp_path / "cut.cchc"  # cut before it is opened: not a zip any more
    cut.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(PackageError) as err:
        open_package(cut)
    assert err.value.code == "package.not_zip"


def test_a_local_header_naming_another_entry_is_refused(made: tuple[Path, dict[str, bytes]], tmp_path: Path):
    path, blobs = made
    name = EVIDENCE_PREFIX + sorted(blobs)[0]
    with zipfile.ZipFile(path) as zf:
        offset = zf.getinfo(name).header_offset
    with path.open("r+b") as fh:
        fh.seek(offset + 30 + len(EVIDENCE_PREFIX))
        fh.write(b"f" if fh.read(1) != b"f" else b"e")
    with open_package(path) as package, pytest.raises(PackageError) as err:
        package.check_entry(name)
    assert err.value.code == "package.unreadable_entry" and "local header" in str(err.value)


def test_a_package_replaced_while_it_is_read_is_refused(made: tuple[Path, dict[str, bytes]], tmp_path: Path):
    path, blobs = made
    with open_package(path) as package:
        os.replace(_package(tmp_path / "other.cchc", blobs, tmp_path / "o"), path)
        with pytest.raises(PackageError) as err:
            package.check_entry(EVIDENCE_PREFIX + sorted(blobs)[0])
    assert err.value.code == "package.unreadable_entry" and "replaced" in str(err.value)


def test_a_cancel_in_the_middle_of_an_entry_lands_nothing(made: tuple[Path, dict[str, bytes]],
                                                          tmp_path: Path):
    path, blobs = made
    big = max(blobs, key=lambda sha: len(blobs[sha]))
    store = EvidenceStore(tmp_path / "store")
    calls = 0

    def cancel(n: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # the second chunk of the first (big) entry: in the middle of it
            raise Stop

    with open_package(path) as package, pytest.raises(Stop):
        assert len(blobs[big]) > 2 * entry_bytes.CHUNK
        package.copy_into(EVIDENCE_PREFIX + big, store, cancel)
    assert _store_files(store) == []  # neither the file nor its temporary file


def test_large_stored_entries_start_on_a_page_boundary(made: tuple[Path, dict[str, bytes]]):
    """zipalign's padding (issue 17: the kernel copies aligned pages faster): in the local header only;
    every zip reader still reads the package, and the central directory carries no padding."""
    path, blobs = made
    with zipfile.ZipFile(path) as zf:
        assert zf.testzip() is None
        for info in zf.infolist():
            if not info.filename.startswith(EVIDENCE_PREFIX):
                continue
            offset = _data_offset(path, info.filename)
            if info.file_size >= package_writer.ALIGN_FROM:
                assert offset % package_writer.ALIGN == 0, info.filename
            assert info.extra == b""  # the directory's copy of the extra fields
            assert zf.read(info) == blobs[info.filename.removeprefix(EVIDENCE_PREFIX)]
        small = [i for i in zf.infolist() if i.filename.startswith(EVIDENCE_PREFIX) and i.file_size < 1000]
        assert small and all(_data_offset(path, i.filename) - i.header_offset < 200 for i in small)


def test_the_zip_crc_is_zlibs_crc(tmp_path: Path):
    """zipfile's CRC-32 is ISA-L's where it is installed: the same function as zlib's."""
    import zlib

    for size in (0, 1, 4095, 4097, 3 * MIB + 17):
        data = RNG.randbytes(size)
        assert zipfile.crc32(data, 0) == zlib.crc32(data)  # type: ignore[attr-defined]
        assert zipfile.crc32(data, 12345) == zlib.crc32(data, 12345)  # type: ignore[attr-defined]
    path = tmp_path / "z.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("a", b"x" * 100_000)
    with zipfile.ZipFile(path) as zf:
        assert zlib.crc32(b"x" * 100_000) == zf.getinfo("a").CRC and zf.testzip() is None


@pytest.mark.skipif(not entry_bytes.ONE_COPY, reason="the kernel's copy is Linux's")
def test_a_file_system_without_the_kernels_copy_lands_through_a_buffer(
        made: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path, blobs = made

    def refuse(*args: object) -> int:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(os, "sendfile", refuse)
    store, landed = EvidenceStore(tmp_path / "store"), []
    with open_package(path) as package:
        package.verify_all(store=store, landed=landed)
    assert all(store.path(sha).read_bytes() == data for sha, data in blobs.items())


@pytest.mark.skipif(not entry_bytes.ONE_COPY, reason="the kernel's copy is Linux's")
@pytest.mark.parametrize(("code", "expected"), [(errno.ENOSPC, "project.evidence_store_failed"),
                                                (errno.EIO, "package.unreadable_entry")])
def test_a_failing_kernel_copy_names_the_store_or_the_package(
        made: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int,
        expected: str):
    path, blobs = made
    real, calls = os.sendfile, 0

    def failing(*args: int) -> int:
        nonlocal calls
        calls += 1
        if calls == 2:  # in the middle of the first big entry
            raise OSError(code, os.strerror(code))
        return real(*args)

    monkeypatch.setattr(os, "sendfile", failing)
    store = EvidenceStore(tmp_path / "store")
    with open_package(path) as package, pytest.raises((PackageError, EvidenceError)) as err:
        package.copy_into(EVIDENCE_PREFIX + max(blobs, key=lambda sha: len(blobs[sha])), store)
    assert err.value.code == expected
    assert _store_files(store) == []


def test_an_entry_larger_than_its_manifest_size_is_refused_before_a_byte_lands(
        made: tuple[Path, dict[str, bytes]], tmp_path: Path):
    path, blobs = made
    big = max(blobs, key=lambda sha: len(blobs[sha]))
    store = EvidenceStore(tmp_path / "store")
    with open_package(path) as package:
        package.entries[EVIDENCE_PREFIX + big]["size"] -= 1  # as a forged manifest would say
        with pytest.raises(PackageError) as err:
            package.copy_into(EVIDENCE_PREFIX + big, store)
    assert err.value.code == "package.larger" and _store_files(store) == []


def test_no_file_reaches_its_place_before_its_bytes_are_on_disk(
        made: tuple[Path, dict[str, bytes]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The batch lands every entry first and flushes them together at the end: each file is renamed into
    the store only after its own flush (a power cut never leaves a hollow file at a content address)."""
    path, blobs = made
    events: list[tuple[str, object]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(fd: int) -> None:
        events.append(("fsync", os.fstat(fd).st_ino))
        real_fsync(fd)

    def replace(src: object, dst: object) -> None:
        events.append(("replace", os.stat(src).st_ino))  # type: ignore[arg-type]
        real_replace(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    store, landed = EvidenceStore(tmp_path / "store"), []
    with open_package(path) as package:
        package.verify_all(store=store, landed=landed)
    replaced = [(i, ino) for i, (what, ino) in enumerate(events) if what == "replace"]
    assert len(replaced) == len(blobs) == len(landed)
    for at, ino in replaced:
        assert ("fsync", ino) in events[:at]


def test_one_bad_entry_puts_none_of_the_batch_in_the_store(made: tuple[Path, dict[str, bytes]],
                                                          tmp_path: Path):
    path, blobs = made
    last = sorted(blobs)[-1]  # the others land (checked) before it is found wrong
    with open_package(path) as package:
        package.entries[EVIDENCE_PREFIX + last]["sha256"] = "0" * 64
        store, landed = EvidenceStore(tmp_path / "store"), []
        with pytest.raises(PackageError):
            package.verify_all(store=store, landed=landed)
    assert landed == [] and _store_files(store) == []


@pytest.mark.skipif(not entry_bytes.ONE_COPY, reason="the kernel's copy is Linux's")
def test_the_packages_pages_are_let_go_as_they_are_copied(made: tuple[Path, dict[str, bytes]], tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch):
    """Read once: each copied range of the package is dropped from the page cache (the landing reuses the
    memory instead of taking more); the landed bytes are still right."""
    path, blobs = made
    dropped: list[tuple[int, int]] = []
    real = os.posix_fadvise
    package_ino = path.stat().st_ino

    def advise(fd: int, offset: int, length: int, advice: int) -> None:
        if os.fstat(fd).st_ino == package_ino and advice == os.POSIX_FADV_DONTNEED:
            dropped.append((offset, length))
        real(fd, offset, length, advice)

    monkeypatch.setattr(os, "posix_fadvise", advise)
    store = EvidenceStore(tmp_path / "store")
    with open_package(path) as package:
        package.verify_all(store=store, landed=[])
    for sha, data in blobs.items():
        start = _data_offset(path, EVIDENCE_PREFIX + sha)
        covered = sum(n for at, n in dropped if start <= at < start + len(data))
        assert covered == len(data)
        assert store.path(sha).read_bytes() == data
