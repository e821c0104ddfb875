"""Writing a team package (``PackageWriter``): data and evidence entries, the manifest and its signature,
into one file or into volumes. Scans and photos are stored, not deflated (``compressible``), and large
stored entries start on a page boundary (``align_padding``). The format itself and the reading side are
``exchange/package.py``."""

from __future__ import annotations

import contextlib
import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from evaluator.exchange.package import CHUNK, MANIFEST, SIGNATURE, sha256_hex
from evaluator.exchange.volumes import VolumeWriter, volume_comment, volume_path

# Formats that are compressed already (scanned PDFs, photos, office files that are zips, archives, video):
# deflating them again costs ~10x a copy and saves nothing. Known by their first bytes, not by a name.
_COMPRESSED_MAGIC = (
    b"%PDF",  # PDF: its streams are deflated or DCT/JBIG2 images
    b"\xff\xd8\xff",  # JPEG
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"GIF8",  # GIF
    b"PK\x03\x04",  # zip and the formats built on it: docx, xlsx, pptx, odt, ods
    b"PK\x05\x06",  # an empty zip
    b"\x1f\x8b",  # gzip
    b"7z\xbc\xaf\x27\x1c",  # 7-Zip
    b"Rar!\x1a\x07",  # RAR
    b"BZh",  # bzip2
    b"\xfd7zXZ\x00",  # xz
    b"\x28\xb5\x2f\xfd",  # zstd
    b"ID3",  # MP3
)
PROBE = 64 * 1024
"""Bytes of an unknown format deflated once to see whether the whole file is worth deflating."""
PROBE_GAIN = 0.95
"""An unknown format is stored as it is when its first ``PROBE`` bytes deflate to more than this share."""


def compressible(head: bytes) -> bool:
    """Whether a file starting with ``head`` is worth deflating: not a format that is compressed already
    (by its first bytes), and its first ``PROBE`` bytes shrink under a fast deflate."""
    if head.startswith(_COMPRESSED_MAGIC):
        return False
    if head[4:8] == b"ftyp" or (head[:4] == b"RIFF" and head[8:12] in (b"WEBP", b"AVI ")):
        return False  # MP4, MOV, HEIC photos; WebP, AVI
    sample = head[:PROBE]
    return len(sample) < 512 or len(zlib.compress(sample, 1)) <= PROBE_GAIN * len(sample)


ALIGN = 4096
"""Stored entries of at least ``ALIGN_FROM`` bytes start on a page boundary of the package (as Android's
zipalign does): the kernel copies page-aligned bytes into the store faster (``entry_bytes.land_stored``:
20 × 25 MB land in 0.39 s against 0.42 s unaligned). At most ``ALIGN`` bytes of padding per entry, in an
extra field of its local header that every zip reader skips; the central directory does not repeat it."""
ALIGN_FROM = 1024 * 1024
ALIGN_EXTRA_ID = 0xD935
"""The extra field zipalign pads with: its alignment (2 bytes), then zeros."""


def align_padding(header_offset: int, name: str) -> bytes:
    """The extra field that makes the bytes of a stored entry ``name`` whose local header starts at
    ``header_offset`` begin on an ``ALIGN`` boundary (``zipfile`` writes the header: 30 bytes, the name,
    this field, then its zip64 field of 20 bytes, as the writer forces zip64)."""
    before = header_offset + 30 + len(name.encode("utf-8")) + 4 + 20
    pad = -before % ALIGN
    if pad < 2:  # room for the alignment value
        pad += ALIGN
    return ALIGN_EXTRA_ID.to_bytes(2, "little") + pad.to_bytes(2, "little") + \
        ALIGN.to_bytes(2, "little") + bytes(pad - 2)


@dataclass
class PackageWriter:
    """Build a package: add data and evidence files, then ``finish(manifest_fields, signer)``."""

    path: Path
    entries: list[dict[str, Any]] = field(default_factory=list)
    volume_size: int | None = None
    """Write ``path.001``, ``path.002`` … of at most this many bytes each (``exchange.volumes``)."""
    volumes: list[Path] = field(default_factory=list)
    """The volumes written (once ``finish`` returned)."""

    def __post_init__(self) -> None:
        self._tmp = self.path.with_name(f".{self.path.name}.partial")
        self._volumes: VolumeWriter | None = None
        target: Any = self._tmp
        if self.volume_size is not None:
            self._volumes = target = VolumeWriter(self._volume_partial, self.volume_size)
        # allowZip64 (the default, said here on purpose): a year's evidence passes 4 GB
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6,
                                    allowZip64=True)
        self._names: set[str] = set()

    def _volume_partial(self, n: int) -> Path:
        return self.path.with_name(f".{volume_path(self.path, n).name}.partial")

    def add_bytes(self, name: str, data: bytes, *, compress: bool = True) -> None:
        if name in self._names:
            return
        self._names.add(name)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        self._zip.writestr(info, data)
        self.entries.append({"path": name, "size": len(data), "sha256": sha256_hex(data)})

    def add_file(self, name: str, source: IO[bytes], *, sha256: str | None = None,
                 on_bytes: Callable[[int], None] | None = None) -> None:
        """Add a file's bytes, streamed. Stored as they are when they do not compress (``compressible``).

        ``sha256``: the content's hash when the caller knows it already (the evidence store names every
        file by it): not computed again here. The importer checks every entry's hash anyway, so a damaged
        store file makes a package that is refused, never one that is wrongly accepted.
        ``on_bytes(n)``: called after each chunk written with its size (progress)."""
        if name in self._names:
            return
        self._names.add(name)
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        head = source.read(CHUNK)
        info.compress_type = zipfile.ZIP_DEFLATED if compressible(head) else zipfile.ZIP_STORED
        if info.compress_type == zipfile.ZIP_STORED and len(head) >= ALIGN_FROM:
            info.extra = align_padding(self._zip.fp.tell() if self._zip.fp is not None else 0, name)
        digest = hashlib.sha256() if sha256 is None else None
        size = 0
        with self._zip.open(info, "w", force_zip64=True) as out:
            chunk = head
            while chunk:
                if digest is not None:
                    digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
                if on_bytes is not None:
                    on_bytes(len(chunk))
                chunk = source.read(CHUNK)
        info.extra = b""  # the padding is for the local header only: the directory stays small
        known = sha256 if digest is None else digest.hexdigest()
        self.entries.append({"path": name, "size": size, "sha256": known})

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
            if self._volumes is not None:
                assert self.volume_size is not None
                self._zip.comment = volume_comment(str(manifest.get("package_id", "")), self.volume_size)
            self._zip.close()
            if self._volumes is None:
                self._tmp.replace(self.path)
            else:
                self._volumes.close()
                self._volumes.sync()
                self.volumes = [volume_path(self.path, n) for n in range(1, self._volumes.count + 1)]
                for n, final in enumerate(self.volumes, start=1):
                    self._volume_partial(n).replace(final)
                n = len(self.volumes) + 1  # an older package's volumes of the same name would follow ours
                while volume_path(self.path, n).exists():
                    volume_path(self.path, n).unlink()
                    n += 1
            return data
        except BaseException:
            self.abort()
            raise

    def abort(self) -> None:
        with contextlib.suppress(Exception):  # already closed or broken: removing the file is what matters
            self._zip.close()
        self._tmp.unlink(missing_ok=True)
        if self._volumes is not None:
            with contextlib.suppress(Exception):
                self._volumes.close()
            for n in range(1, self._volumes.count + 1):
                self._volume_partial(n).unlink(missing_ok=True)
