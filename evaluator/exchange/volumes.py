"""Split volumes of a team package (issue 17), for FAT32 USB sticks (no file of 4 GiB or more).

``FILE.cchc`` split at ``SIZE`` bytes is written as ``FILE.cchc.001``, ``FILE.cchc.002`` … : plain
consecutive slices of the one zip, each exactly ``SIZE`` bytes but the last (so ``cat FILE.cchc.0* >
FILE.cchc`` or ``copy /b`` rebuilds the package, and a volume that was cut short is seen by its size). The
zip is written through ``VolumeWriter`` straight into the volumes and read back through ``VolumeReader``
as one file: no volume is ever held in memory, nor copied into one big file first.

The zip's comment (at the very end, in the last volume) names the volume size and the package id. Reading
checks that every volume from ``.001`` to the last is present, that all but the last have that size, and
that each zip entry that starts in a volume starts where the central directory says with the name it says:
a missing, foreign or misordered volume is named. The bytes of every entry are then checked against the
manifest's SHA-256 as for any package.
"""

from __future__ import annotations

import io
import json
import os
import re
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from evaluator.errors import Coded, UserError

MIN_VOLUME = 64 * 1024
"""A smaller volume size is refused: it only multiplies files (a package's manifest alone may be larger)."""
MAX_VOLUMES = 999
"""``.001`` to ``.999``."""
_VOLUME = re.compile(r"^(?P<base>.+)\.(?P<n>\d{3})$")
_SIZE = re.compile(r"^\s*(?P<n>\d+(?:[.,]\d+)?)\s*(?P<unit>[kmgt]?i?b?)\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 10**3, "kb": 10**3, "m": 10**6, "mb": 10**6, "g": 10**9, "gb": 10**9,
          "t": 10**12, "tb": 10**12, "ki": 2**10, "kib": 2**10, "mi": 2**20, "mib": 2**20, "gi": 2**30,
          "gib": 2**30, "ti": 2**40, "tib": 2**40}
COMMENT_KEY = "evaluator_volumes"


class VolumeError(Coded):
    """The volumes of a package cannot be read as one (``volumes.*``: names the volume and the problem)."""


def parse_volume_size(text: str) -> int:
    """``4000M``, ``700MB``, ``4G``, ``650MiB``, ``1048576`` → bytes (K, M, G: powers of 1000, as sticks
    are sold; KiB, MiB, GiB: of 1024). ``UserError`` naming the text when it is no size or too small."""
    m = _SIZE.match(text or "")
    unit = (m.group("unit") or "").lower() if m else ""
    if m is None or unit not in _UNITS:
        raise UserError("volumes.bad_size", text=str(text)[:40])
    number = float(m.group("n").replace(",", "."))
    size = int(number * _UNITS[unit])
    check_volume_size(size, str(text)[:40])
    return size


def check_volume_size(size: int, text: str | None = None) -> None:
    if isinstance(size, bool) or not isinstance(size, int) or size < MIN_VOLUME:
        raise UserError("volumes.too_small", text=text if text is not None else str(size),
                        minimum=f"{MIN_VOLUME // 1024} KiB")


def volume_path(base: Path, n: int) -> Path:
    return base.with_name(f"{base.name}.{n:03d}")


def volume_base(path: Path) -> Path | None:
    """``FILE.cchc`` for ``FILE.cchc.002``; also for ``FILE.cchc`` when it is not there but its first
    volume is (a package given by its name); None for a file that is no volume."""
    m = _VOLUME.match(path.name)
    if m is not None:
        return path.with_name(m.group("base"))
    if not path.exists() and volume_path(path, 1).exists():
        return path
    return None


def is_volume_name(path: Path | str) -> bool:
    """Whether ``path`` looks like a volume of a package (``*.cchc.NNN``)."""
    m = _VOLUME.match(Path(path).name)
    return m is not None and m.group("base").lower().endswith(".cchc")


# --- writing ----------------------------------------------------------------------------------------
class VolumeWriter(io.RawIOBase):
    """A seekable, writable file made of volumes of ``size`` bytes (``partial(n)``: where volume ``n``
    is written until ``commit``). zipfile writes it in order and seeks back only to patch the header of
    the entry it has just written; a few handles are kept open."""

    def __init__(self, partial: Callable[[int], Path], size: int):
        super().__init__()
        self._partial, self._size = partial, size
        self._pos = self._end = 0
        self._handles: dict[int, IO[bytes]] = {}
        self.count = 0

    def _handle(self, index: int) -> IO[bytes]:
        fh = self._handles.get(index)
        if fh is None:
            if index >= MAX_VOLUMES:
                raise UserError("volumes.too_many", count=MAX_VOLUMES, size=f"{self._size:,}")
            if len(self._handles) >= 4:  # the oldest: zipfile never goes back further than one entry
                oldest = min(self._handles)
                self._handles.pop(oldest).close()
            path = self._partial(index + 1)
            fh = open(path, "r+b" if index < self.count else "w+b")  # noqa: SIM115  (kept open, closed below)
            self._handles[index] = fh
            self.count = max(self.count, index + 1)
        return fh

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._end}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def write(self, data: Any) -> int:
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            index, offset = divmod(self._pos, self._size)
            fh = self._handle(index)
            fh.seek(offset)
            n = min(len(view) - done, self._size - offset)
            fh.write(view[done:done + n])
            done += n
            self._pos += n
            self._end = max(self._end, self._pos)
        return done

    def flush(self) -> None:
        for fh in self._handles.values():
            fh.flush()

    def close(self) -> None:
        if not self.closed:
            for fh in self._handles.values():
                fh.close()
            self._handles.clear()
        super().close()

    def sync(self) -> None:
        """Everything written on disk (before the volumes are renamed into place)."""
        for n in range(1, self.count + 1):
            with open(self._partial(n), "r+b") as fh:
                os.fsync(fh.fileno())


def volume_comment(package_id: str, size: int) -> bytes:
    return json.dumps({COMMENT_KEY: {"size": size, "package_id": package_id}}, sort_keys=True).encode()


# --- reading ----------------------------------------------------------------------------------------
class VolumeReader(io.RawIOBase):
    """The volumes ``paths`` read as one seekable file (handles opened when first read)."""

    def __init__(self, paths: list[Path]):
        super().__init__()
        self.paths = paths
        self.sizes = [p.stat().st_size for p in paths]
        self._starts = [sum(self.sizes[:i]) for i in range(len(paths))]
        self._total = sum(self.sizes)
        self._pos = 0
        self._handles: dict[int, io.BufferedReader] = {}

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        base = {os.SEEK_SET: 0, os.SEEK_CUR: self._pos, os.SEEK_END: self._total}[whence]
        if base + offset < 0:
            raise ValueError("negative seek position")
        self._pos = base + offset
        return self._pos

    def _index(self, pos: int) -> int:
        lo, hi = 0, len(self._starts) - 1
        while lo < hi:  # the last volume starting at or before pos
            mid = (lo + hi + 1) // 2
            if self._starts[mid] <= pos:
                lo = mid
            else:
                hi = mid - 1
        return lo

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        done = 0
        while done < len(view) and self._pos < self._total:
            index = self._index(self._pos)
            fh = self._handles.get(index)
            if fh is None:
                fh = self._handles[index] = open(self.paths[index], "rb")  # noqa: SIM115
            offset = self._pos - self._starts[index]
            fh.seek(offset)
            n = fh.readinto(view[done:done + min(len(view) - done, self.sizes[index] - offset)])
            if not n:
                raise OSError(f"{self.paths[index].name} is shorter than when it was opened")
            done += n
            self._pos += n
        return done

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._total - self._pos
        buf = bytearray(max(0, min(size, self._total - self._pos)))
        n = self.readinto(buf)
        return bytes(buf[:n])

    def close(self) -> None:
        if not self.closed:
            for fh in self._handles.values():
                fh.close()
            self._handles.clear()
        super().close()


def find_volumes(base: Path) -> list[Path]:
    """``base.001`` to the last consecutive volume; a gap (``.003`` there without ``.002``) or no ``.001``
    is a ``VolumeError`` naming the missing volume."""
    numbers = sorted(int(m.group("n")) for p in base.parent.glob(f"{glob_escape(base.name)}.[0-9][0-9][0-9]")
                     if (m := _VOLUME.match(p.name)) is not None)
    if not numbers or numbers[0] != 1:
        raise VolumeError("volumes.first_missing", label=base.name, volume=volume_path(base, 1).name)
    for expected, n in enumerate(numbers, start=1):
        if n != expected:
            raise VolumeError("volumes.missing", label=base.name, volume=volume_path(base, expected).name,
                              last=volume_path(base, numbers[-1]).name)
    return [volume_path(base, n) for n in numbers]


def open_zip(path: Path | str) -> zipfile.ZipFile:
    """The zip of a package, also when it is split in volumes (no check: ``open_package`` checks)."""
    path = Path(path)
    base = volume_base(path)
    if base is None:
        return zipfile.ZipFile(path)
    reader = VolumeReader(find_volumes(base))
    try:
        return ZipOverVolumes(reader)
    except BaseException:
        reader.close()
        raise


class ZipOverVolumes(zipfile.ZipFile):
    """A zip read through a ``VolumeReader``, closed with it."""

    def __init__(self, reader: VolumeReader):
        self.reader = reader
        super().__init__(reader)

    def close(self) -> None:
        try:
            super().close()
        finally:
            self.reader.close()


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def check_volumes(zf: zipfile.ZipFile, reader: VolumeReader, base: Path) -> None:
    """The volumes fit together (see the module docstring); ``VolumeError`` naming the one that does not."""
    label = base.name
    try:
        info = json.loads(zf.comment.decode("utf-8"))[COMMENT_KEY]
        size = info["size"]
        if not isinstance(size, int) or isinstance(size, bool) or size < 1:
            raise ValueError(size)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise VolumeError("volumes.no_table", label=label, last=reader.paths[-1].name) from None
    for i, (path, have) in enumerate(zip(reader.paths, reader.sizes, strict=True)):
        last = i == len(reader.paths) - 1
        if (have != size and not last) or have > size or have == 0:
            raise VolumeError("volumes.wrong_size", label=label, volume=path.name, size=f"{have:,}",
                              expected=f"{size:,}")
    # each volume in which an entry starts: that entry's local header is there, with its name
    firsts: dict[int, zipfile.ZipInfo] = {}
    for item in zf.infolist():
        firsts.setdefault(item.header_offset // size, item)
    for index, item in sorted(firsts.items()):
        reader.seek(item.header_offset)
        head = reader.read(30)
        ok = len(head) == 30 and head[:4] == b"PK\x03\x04"
        if ok:
            name_len = struct.unpack("<H", head[26:28])[0]
            ok = reader.read(name_len) == item.orig_filename.encode("utf-8" if item.flag_bits & 0x800
                                                                    else "cp437")
        if not ok:
            raise VolumeError("volumes.foreign", label=label, volume=reader.paths[index].name)
    reader.seek(0)
