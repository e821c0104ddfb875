"""A team package over 4 GB (zip64), split into FAT32 volumes, written and read back (issue 17).

    python benchmarks/bench_zip64.py [--gb 4.5] [--volume-size 4000M] [--keep DIR]

Writes a package through ``PackageWriter`` whose evidence entries (``--gb`` in all, files of 900 MB of
incompressible bytes, stored as scans are) take it past 4 GiB, straight into volumes of ``--volume-size``;
then opens it from its first volume, checks every entry's size and SHA-256 (``verify_all``) and reports:
the volumes and their sizes, whether the zip64 end records are there, the largest local header offset
(past 4 GiB: the zip64 extra fields are used), the times, and the copy floor (reading the volumes' bytes
once). Needs about ``--gb`` of free disk. The last line printed is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import resource
import shutil
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path
from typing import IO

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evaluator.exchange.package import open_package
from evaluator.exchange.package_writer import PackageWriter
from evaluator.exchange.volumes import parse_volume_size

ENTRY = 900 * 1024 * 1024
BLOCK = 1024 * 1024


class Repeating:
    """``size`` bytes made of one random block repeated (deflate's 32 KiB window sees no repetition: the
    probe stores it as it stores a scan), read in chunks: nothing the size of an entry is in memory."""

    def __init__(self, size: int, seed: int):
        self.left, self.at = size, 0
        rng = __import__("random").Random(seed)
        self.block = rng.randbytes(BLOCK)

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        out = bytearray()
        while len(out) < n:  # the same bytes whatever the sizes asked
            piece = self.block[self.at : self.at + n - len(out)]
            out += piece
            self.at = (self.at + len(piece)) % BLOCK
        self.left -= n
        return bytes(out)


def digest(size: int, seed: int) -> str:
    h, src = hashlib.sha256(), Repeating(size, seed)
    while chunk := src.read(8 * BLOCK):
        h.update(chunk)
    return h.hexdigest()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gb", type=float, default=4.5)
    ap.add_argument("--volume-size", default="4000M")
    ap.add_argument("--keep", type=Path)
    args = ap.parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="bench-zip64-"))
    folder.mkdir(parents=True, exist_ok=True)
    total = int(args.gb * 1e9)
    sizes = [ENTRY] * (total // ENTRY) + ([total % ENTRY] if total % ENTRY else [])
    figures: dict[str, object] = {"evidence_gb": round(total / 1e9, 2), "entries": len(sizes),
                                  "volume_size": parse_volume_size(args.volume_size)}
    try:
        out = folder / "big.cchc"
        t = time.perf_counter()
        writer = PackageWriter(out, volume_size=parse_volume_size(args.volume_size))
        writer.add_bytes("data.json", b"{}")
        for i, size in enumerate(sizes):
            src: IO[bytes] = Repeating(size, i)  # type: ignore[assignment]
            writer.add_file(f"evidence/{digest(size, i)}", src, sha256=None)
        writer.finish({"format": "evaluator-team-package", "format_version": 1,
                       "package_id": str(uuid.uuid4()), "project_id": str(uuid.uuid4()), "device_id": "bench",
                       "author": "bench", "created": "2026-12-06T08:00:00+00:00", "criteria_sets": []})
        figures["write_s"] = round(time.perf_counter() - t, 1)
        figures["volumes"] = [v.stat().st_size for v in writer.volumes]
        t = time.perf_counter()
        for v in writer.volumes:
            with v.open("rb") as fh:
                while fh.read(8 * BLOCK):
                    pass
        figures["read_floor_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        with open_package(writer.volumes[0]) as package:
            package.verify_all()
            zf: zipfile.ZipFile = package._zip
            offsets = [i.header_offset for i in zf.infolist()]
            figures["max_header_offset"] = max(offsets)
            figures["entries_read"] = len(package.entries)
        figures["verify_s"] = round(time.perf_counter() - t, 1)
        with writer.volumes[-1].open("rb") as fh:  # the end records: the last few kilobytes only
            fh.seek(max(0, writer.volumes[-1].stat().st_size - 4096))
            tail = fh.read()
        figures["zip64_end_record"] = b"PK\x06\x06" in tail and b"PK\x06\x07" in tail
        figures["zip64_offsets"] = figures["max_header_offset"] > 0xFFFFFFFF  # type: ignore[operator]
        figures["total_bytes"] = sum(figures["volumes"])  # type: ignore[arg-type]
        figures["all_volumes_within_size"] = all(s <= figures["volume_size"]  # type: ignore[operator]
                                                 for s in figures["volumes"])  # type: ignore[attr-defined]
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
