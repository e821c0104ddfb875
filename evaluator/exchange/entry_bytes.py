"""The bytes of a package entry, read the fast way where that is safe (issue #17: "import within 2.5× of
copying its bytes").

Evidence entries are stored, not deflated (scans and photos do not compress). ``zipfile`` reads such an
entry through ``ZipExtFile``: a lock, a seek and a CRC-32 update per chunk, and a copy or two more. Here a
stored entry is read straight from the package file instead: its local header is checked as ``zipfile``
checks it (signature, name), then its bytes are read in large chunks into one reused buffer.

Why skipping the zip's CRC-32 loses nothing: every entry's bytes are checked against the SHA-256 that the
manifest lists (and a signature covers), by whoever consumes these chunks (``Package._verified_chunks``),
before anything made from them is kept. Any damage the CRC would catch changes the SHA-256 too, and the
SHA-256 also catches what a CRC cannot (deliberate changes). The CRC was a second pass over every byte
that protected nothing more.

Writing (``Landing``): evidence lands in the store through a temporary file flushed to disk before it is
renamed into place. The flush is started while the file is being written (``posix_fadvise`` asks the
kernel to write back what is there already, without waiting), so the final ``fsync`` waits for the last
chunk only instead of the whole file: hashing the next chunk and writing the previous one to disk overlap.

Landing in one copy (``land_stored``, Linux): the kernel copies the entry's bytes from the package into the
temporary file (``sendfile``: page cache to page cache, no trip through this process), and then the
*landed* bytes are hashed where they lie (``mmap``: no copy either). Reading into a buffer, hashing it and
writing it out costs two copies of every byte besides the hashing; on 20 × 25 MB this lands them in 0.34 s
against 0.45 s (a plain copy: 0.19 s). Hashing what landed rather than what was read is also the safe
order: a package changed on its stick between the two could not put bytes in the store that were not
checked.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import io
import mmap
import os
import sys
import zipfile
from collections.abc import Callable, Iterator


def _fast_zip_crc() -> None:
    """``zipfile`` takes a CRC-32 of every byte it writes (and reads) with its module's ``crc32``: at 2.3
    GB/s, the biggest cost of exporting stored evidence (0.23 s of 0.50 for 524 MB; a plain copy takes
    0.19). ISA-L's (``isal``, maintained, with wheels for every platform we ship) computes the same
    function with the processor's carry-less multiply at about 17 GB/s; ``zipfile`` offers no other way
    to give it one. Where it is missing, zlib's stays."""
    try:
        from isal import isal_zlib
    except ImportError:  # pragma: no cover - a dependency; kept optional for odd platforms
        return
    zipfile.crc32 = isal_zlib.crc32  # type: ignore[attr-defined]


_fast_zip_crc()

CHUNK = 4 * 1024 * 1024
"""Bytes read (and written) at once: large enough that system calls and Python cost nothing beside the
hashing, small enough that memory stays flat (one buffer per thread)."""
_LOCAL_HEADER = 30
_LOCAL_MAGIC = b"PK\x03\x04"


def stored_chunks(path: os.PathLike[str] | str, info: zipfile.ZipInfo, limit: int,
                  same_as: int | None = None) -> Iterator[memoryview]:
    """The bytes of the stored (not deflated) entry ``info`` of the zip at ``path``, in chunks of at most
    ``CHUNK`` bytes, never more than ``limit + 1`` in all (the caller refuses more than ``limit``).

    Each chunk is a view of one reused buffer: use it before asking for the next. ``same_as``: the file
    descriptor of the zip that was checked (its central directory): the file opened here must be that
    same file, not another one put at the path since. Problems raise ``OSError`` or ``ValueError``
    with what is wrong (the package names the entry)."""
    with open(path, "rb", buffering=0) as fh:
        start = _checked_start(fh, info, same_as)
        length = min(info.compress_size, limit + 1)
        fh.seek(start)
        buf = bytearray(min(CHUNK, max(length, 1)))
        view = memoryview(buf)
        while length:
            n = fh.readinto(view[: min(len(buf), length)])
            if not n:
                raise EOFError("the package ends inside the entry (truncated?)")
            length -= n
            yield view[:n]


ONE_COPY = sys.platform.startswith("linux") and hasattr(os, "sendfile")
"""``land_stored`` works here: Linux's ``sendfile`` writes into a file (elsewhere only into a socket)."""


def land_stored(path: os.PathLike[str] | str, info: zipfile.ZipInfo, fd: int, same_as: int | None = None,
                on_bytes: Callable[[int], None] | None = None) -> str:
    """Copy the stored entry ``info`` of the zip at ``path`` into the empty file open at ``fd`` (read and
    write), its flush to disk started (the caller waits for it); return the SHA-256 (hex) of the bytes
    that landed, for the caller to check against the manifest. ``on_bytes(n)`` as the landed bytes are
    hashed (progress; it may raise to cancel). Problems raise ``OSError`` or ``ValueError`` with what is
    wrong (the package names the entry). Only where ``ONE_COPY``; ``same_as`` as for ``stored_chunks``."""
    size = info.file_size
    with open(path, "rb", buffering=0) as fh:
        start = _checked_start(fh, info, same_as)
        _copy_range(fh.fileno(), start, size, fd)
    digest = hashlib.sha256()
    for at in range(0, size, WINDOW):
        length = min(WINDOW, size - at)
        with mmap.mmap(fd, length, offset=at, access=mmap.ACCESS_READ) as window:
            view = memoryview(window)
            try:
                for part in range(0, length, CHUNK):
                    piece = view[part: part + CHUNK]
                    digest.update(piece)
                    piece.release()
                    if on_bytes is not None:
                        on_bytes(min(CHUNK, length - part))
            finally:
                view.release()
    return digest.hexdigest()


def _copy_range(src: int, start: int, size: int, fd: int) -> None:
    """Copy ``size`` bytes of ``src`` from ``start`` to ``fd`` (at its position), starting the flush as it
    goes. By the kernel; through a buffer where the package's file system cannot (``sendfile`` refuses a
    file it cannot map: then nothing has been written yet)."""
    done = 0
    try:
        while done < size:
            n = os.sendfile(fd, src, start + done, min(CHUNK, size - done))
            if not n:
                raise EOFError("the package ends inside the entry (truncated?)")
            _start_writeback(fd, done, n)
            _forget(src, start + done, n)
            done += n
        return
    except OSError as exc:
        if done or exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
            raise
    out = Landing(fd)
    buf = bytearray(min(CHUNK, max(size, 1)))
    view = memoryview(buf)
    while done < size:
        n = os.preadv(src, [view[: min(len(buf), size - done)]], start + done)
        if not n:
            raise EOFError("the package ends inside the entry (truncated?)")
        out.write(view[:n])
        done += n


WINDOW = 16 * CHUNK
"""Bytes of a landed file mapped at once to hash them: a whole file could be gigabytes of address space."""


def _checked_start(fh: io.FileIO, info: zipfile.ZipInfo, same_as: int | None) -> int:
    """Where the stored entry's bytes start in the open package ``fh``, once it is known to be the file
    that was checked (``same_as``), the entry is stored whole and its bytes lie inside the file."""
    if same_as is not None:
        here, there = os.fstat(fh.fileno()), os.fstat(same_as)
        if (here.st_dev, here.st_ino) != (there.st_dev, there.st_ino):
            raise ValueError("the package file was replaced while it was read")
    start = _data_offset(fh, info)
    if info.compress_size != info.file_size:
        raise ValueError(f"a stored entry of {info.file_size} bytes takes {info.compress_size}")
    if start + info.compress_size > os.fstat(fh.fileno()).st_size:
        raise ValueError("the entry's bytes run past the end of the package (truncated?)")
    return start


def _data_offset(fh: io.FileIO, info: zipfile.ZipInfo) -> int:
    """Where the entry's bytes start: after its local header, checked as ``zipfile.ZipFile.open`` does."""
    fh.seek(info.header_offset)
    header = fh.read(_LOCAL_HEADER)
    if len(header) != _LOCAL_HEADER or not header.startswith(_LOCAL_MAGIC):
        raise zipfile.BadZipFile("bad local file header")
    flags = int.from_bytes(header[6:8], "little")
    name_len = int.from_bytes(header[26:28], "little")
    extra_len = int.from_bytes(header[28:30], "little")
    raw_name = fh.read(name_len)
    name = raw_name.decode("utf-8" if flags & 0x800 else "cp437", errors="replace")
    if name != info.orig_filename:
        raise zipfile.BadZipFile(f"the local header names {name!r}, the directory {info.orig_filename!r}")
    if info.flag_bits & 0x61:  # encrypted, patched or strongly encrypted: not ours (the package refuses)
        raise NotImplementedError("encrypted or patched entry")
    return info.header_offset + _LOCAL_HEADER + name_len + extra_len


class Landing:
    """Writes a file's bytes to an open file descriptor, starting the flush to disk as it goes (see the
    top); the caller's ``fsync`` then waits for the rest only."""

    def __init__(self, fd: int):
        self.fd = fd
        self.written = 0
        self._flushed = 0

    def write(self, chunk: memoryview | bytes) -> None:
        view = memoryview(chunk)
        while view:
            n = os.write(self.fd, view)
            view = view[n:]
            self.written += n
        if self.written - self._flushed >= CHUNK:
            _start_writeback(self.fd, self._flushed, self.written - self._flushed)
            self._flushed = self.written



def _forget(fd: int, offset: int, length: int) -> None:
    """Drop the package's pages just copied from the page cache (they are read once, and the package is
    usually on a stick): the next chunk's copy reuses them at once instead of taking more memory. On a
    virtual machine that hands free memory back to its host, taking more memory is what made the import
    of 40 × 25 MB spend 1.8–2.9 s of system time in the kernel's copy (0.4–0.5 s otherwise)."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError):  # advice only
            advise(fd, offset, length, os.POSIX_FADV_DONTNEED)


def _start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing these bytes to disk now, without waiting (Linux: ``DONTNEED`` on
    dirty pages starts their writeback; the pages stay until they are clean). Elsewhere nothing: the
    final ``fsync`` does it all."""
    advise = getattr(os, "posix_fadvise", None)
    if advise is not None:
        with contextlib.suppress(OSError):  # advice only
            advise(fd, offset, length, os.POSIX_FADV_DONTNEED)

