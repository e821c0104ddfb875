"""Team packages at real evidence volumes (issue 17): evidence that does not compress is stored as it is,
the export trusts the evidence store's names instead of hashing again (the import still checks every
hash), export and import report bytes done of the total, and zip64 packages (over 4 GB) are read."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import pytest
from exchange_helpers import add_evidence, copy, export, run_import

from evaluator.errors import UserError
from evaluator.exchange import package as pkg
from evaluator.exchange.package import PackageError, open_package
from evaluator.exchange.package_writer import PackageWriter, compressible
from evaluator.models import open_project
from evaluator.services.exchange import export_package
from evaluator.services.exchange.meter import REPORT_BYTES, ByteMeter, parse_bytes, phase_of

MIB = 1024 * 1024
RNG = random.Random(17)


def noise(n: int) -> bytes:
    return RNG.randbytes(n)


def office_file() -> bytes:
    """A docx-like file: a zip of XML (what Word, Excel and LibreOffice write)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document>" + "văn bản " * 5000 + "</w:document>")
    return buf.getvalue()


KINDS = {
    "pdf": b"%PDF-1.7\n" + noise(200_000),
    "jpeg": b"\xff\xd8\xff\xe0" + noise(200_000),
    "png": b"\x89PNG\r\n\x1a\n" + noise(200_000),
    "docx": office_file(),
    "mp4": b"\x00\x00\x00\x20ftypisom" + noise(200_000),
    "unknown-noise": noise(200_000),  # no known first bytes: a fast deflate of its start says it won't shrink
}


def test_only_what_compresses_is_deflated(tmp_path: Path):
    text = ("Biên bản kiểm tra công tác cải cách hành chính. " * 4000).encode()
    # content decides, not a name: a text that merely says it is a PDF in its first bytes is a PDF
    assert not compressible(b"%PDF" + text) and compressible(text)
    writer = PackageWriter(tmp_path / "p.cchc")
    for name, data in {**KINDS, "text": text}.items():
        writer.add_file(f"evidence/{name}", io.BytesIO(data))
    writer.finish({})
    with zipfile.ZipFile(tmp_path / "p.cchc") as z:
        kinds = {i.filename.split("/")[-1]: i.compress_type for i in z.infolist() if "/" in i.filename}
        assert kinds == {**dict.fromkeys(KINDS, zipfile.ZIP_STORED), "text": zipfile.ZIP_DEFLATED}
        assert all(z.read(f"evidence/{n}") == d for n, d in KINDS.items())  # stored bytes read back intact


@pytest.fixture
def heavy(demo_db: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A team copy of the demo with 10 MiB of scanned PDFs on SO01, and the committee's copy."""
    team = copy(demo_db, tmp_path, "team")
    for i in range(2):
        add_evidence(team, "SO01", "1.1.2", b"%PDF-1.7\n" + noise(5 * MIB), f"scan-{i}.pdf", "Tổ 1")
    return team, copy(demo_db, tmp_path, "committee")


def byte_reports(calls: list[tuple[float, str]]) -> list[tuple[str, int, int]]:
    return [b for _, m in calls if (b := parse_bytes(m)) is not None]


def test_export_reports_bytes_up_to_the_total_and_stores_pdfs(heavy: tuple[Path, Path], tmp_path: Path):
    team, _committee = heavy
    calls: list[tuple[float, str]] = []
    out = tmp_path / "SO01.cchc"
    with open_project(team) as project:
        export_package(project, out, years=[2024], units=["SO01"], author="Tổ 1",
                       progress=lambda f, m: calls.append((f, m)))
    reports = byte_reports(calls)
    with zipfile.ZipFile(out) as z:
        evidence = [i for i in z.infolist() if i.filename.startswith("evidence/")]
    total = sum(i.file_size for i in evidence)
    assert total > 10 * MIB and {phase for phase, _d, _t in reports} == {"write"}
    done = [d for _p, d, _t in reports]
    assert done == sorted(done) and done[0] == 0 and done[-1] == total and len(done) >= 4
    assert {t for _p, _d, t in reports} == {total}
    fractions = [f for f, _m in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    big = [i for i in evidence if i.file_size > MIB]
    assert len(big) == 2 and all(i.compress_type == zipfile.ZIP_STORED for i in big)


def test_import_reports_bytes_read_up_to_the_total(heavy: tuple[Path, Path], tmp_path: Path):
    team, committee = heavy
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    calls: list[tuple[float, str]] = []
    report = run_import(committee, [package], progress=lambda f, m: calls.append((f, m)))
    assert report.evidence_files_new >= 2
    reports = byte_reports(calls)
    with zipfile.ZipFile(package) as z:
        expanded = sum(i.file_size for i in z.infolist() if not i.filename.startswith("manifest.json"))
    assert reports and {phase for phase, _d, _t in reports} == {"read"}
    done = [d for _p, d, _t in reports]
    assert done == sorted(done) and done[-1] == expanded and {t for *_x, t in reports} == {expanded}
    fractions = [f for f, _m in calls]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [phase_of(m) for _f, m in calls][:1] == ["read"]


def test_small_transfers_keep_the_plain_phase_reports():
    calls: list[tuple[float, str]] = []
    meter = ByteMeter(lambda f, m: calls.append((f, m)), "read", REPORT_BYTES - 1, steps=2)
    meter.step()
    meter(1000)
    meter.step()
    meter(REPORT_BYTES)  # clamped to the total
    meter.finish()
    assert calls == [(0.0, "read"), (1001 / (REPORT_BYTES + 1), "read")]


def test_export_names_evidence_by_the_store_and_import_still_checks(heavy: tuple[Path, Path],
                                                                    tmp_path: Path):
    """The export does not hash what the store names (a damaged store file is packed under its name); the
    import's own check refuses the package and writes nothing."""
    team, committee = heavy
    with open_project(team) as project:
        stored = max(project.evidence.stored(), key=lambda p: p.stat().st_size)
    data = bytearray(stored.read_bytes())
    data[-1] ^= 0xFF
    stored.unlink()  # a copy of the demo shares its files by hard links: never write one in place
    stored.write_bytes(bytes(data))
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    with open_package(package) as opened:
        assert opened.entries[f"evidence/{stored.name}"]["sha256"] == stored.name
        with pytest.raises(PackageError) as err:
            opened.verify_all()
    assert err.value.code == "package.hash_mismatch" and stored.name in str(err.value)
    with pytest.raises(UserError) as refused:
        run_import(committee, [package])
    assert stored.name in str(refused.value)


def test_zip64_packages_are_read(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """zip64 records (what a package over 4 GB has) written without 4 GB: the zip module's limit lowered
    while the package is written, so every entry, the directory and its end carry their zip64 forms."""
    team = copy(demo_db, tmp_path, "team")
    add_evidence(team, "SO01", "1.1.2", b"%PDF-1.7\n" + noise(300_000), "scan.pdf", "Tổ 1")
    monkeypatch.setattr(zipfile, "ZIP64_LIMIT", 1024)
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    monkeypatch.undo()
    raw = package.read_bytes()
    assert zipfile.stringEndArchive64 in raw and zipfile.stringEndArchive64Locator in raw
    report = run_import(copy(demo_db, tmp_path, "committee"), [package])
    assert report.evidence_files_new >= 1


def test_the_size_limits_allow_packages_over_4_gb(demo_db: Path, tmp_path: Path):
    """A directory that says an entry expands to 5 GiB passes the limits (the manifest's size is then what
    refuses it here); one that says 70 GiB is refused as too large, before anything is read."""
    assert pkg.MAX_TOTAL_BYTES > 32 * 1024**3
    package = export(copy(demo_db, tmp_path, "team"), tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")

    def check(claimed: int) -> str:
        with zipfile.ZipFile(package) as zf:
            info = zf.getinfo("data.json")
            info.file_size = info.compress_size = claimed
            with pytest.raises(PackageError) as err:
                pkg._check(package, zf)
            return err.value.code

    assert check(5 * 1024**3) == "package.size_mismatch"
    assert check(70 * 1024**3) == "package.too_large"


def test_copying_evidence_into_the_store_checks_every_hash(heavy: tuple[Path, Path], tmp_path: Path):
    """The store is written on every core; a damaged entry is named, lands nowhere, and leaves no
    temporary file; the intact ones that landed are listed for the caller to remove."""
    from package_helpers import entries_of, write_zip

    from evaluator.models.evidence_store import EvidenceStore

    team, _committee = heavy
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    entries = entries_of(package)
    names = sorted(n for n in entries if n.startswith("evidence/"))
    damaged = max(names, key=lambda n: len(entries[n]))
    entries[damaged] = entries[damaged][:-1] + bytes([entries[damaged][-1] ^ 1])
    write_zip(package, entries, compress=zipfile.ZIP_STORED)
    store = EvidenceStore(tmp_path / "store")
    landed: list[Path] = []
    with open_package(package) as opened, pytest.raises(PackageError) as err:
        opened.copy_many(names, store, landed)
    assert err.value.code == "package.hash_mismatch" and damaged in str(err.value)
    assert not store.path(damaged.split("/")[1]).exists()
    assert sorted(p.name for p in store.root.rglob("*") if p.is_file()) == sorted(p.name for p in landed)
    assert all(store.verify(p.name) for p in landed)
    with open_package(package) as opened:
        intact = [n for n in names if n != damaged]
        again: list[Path] = []
        opened.copy_many(intact, store, again)
        assert sorted(p.name for p in again) == sorted(n.split("/")[1] for n in intact)


def test_no_evidence_is_written_without_room_for_all(heavy: tuple[Path, Path], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch):
    from collections import namedtuple

    from evaluator.models.evidence_store import EvidenceError, EvidenceStore

    team, _committee = heavy
    package = export(team, tmp_path / "SO01.cchc", ["SO01"], "Tổ 1")
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(pkg.shutil, "disk_usage", lambda _p: usage(10**12, 10**12 - 10**6, 10**6))
    store = EvidenceStore(tmp_path / "store")
    with open_package(package) as opened, pytest.raises(EvidenceError) as err:
        opened.copy_many(sorted(opened.evidence_names()), store, [])
    assert err.value.code == "transfer.no_room" and "SO01.cchc" in str(err.value) and "1 MB" in str(err.value)
    assert not [p for p in store.root.rglob("*") if p.is_file()]
