"""Split volumes of a team package (issue 17): written straight into FILE.cchc.001, .002 …, each at most the
volume size, read back as one; a missing, foreign, cut or misordered volume is named."""

from __future__ import annotations

import hashlib
import io
import os
import random
import shutil
import uuid
from pathlib import Path

import pytest
from exchange_helpers import YEAR, copy, state

from evaluator.errors import UserError
from evaluator.exchange import PackageError, open_package
from evaluator.exchange.package_writer import PackageWriter
from evaluator.exchange.volumes import MIN_VOLUME, parse_volume_size
from evaluator.models import open_project
from evaluator.services.imports import import_files

SIZE = MIN_VOLUME  # 64 KiB: a package of ~400 KB makes seven volumes


def write_package(path: Path, *, volume_size: int | None = SIZE, seed: int = 1, files: int = 6) -> list[Path]:
    """A package of the real format (manifest, data.json, evidence named by their hashes) holding random
    (incompressible) files of 20–90 KB, so that entries cross volume boundaries."""
    rng = random.Random(seed)
    writer = PackageWriter(path, volume_size=volume_size)
    writer.add_bytes("data.json", b'{"project": {}}')
    for i in range(files):
        blob = rng.randbytes(20_000 + 14_000 * i)
        sha = hashlib.sha256(blob).hexdigest()
        writer.add_file(f"evidence/{sha}", io.BytesIO(blob))
    manifest = {"format": "evaluator-team-package", "format_version": 1,
                "package_id": str(uuid.UUID(int=seed)), "project_id": "7f3c35ba-3c8e-4a5a-9d52-5e3f0c1d2b3a",
                "device_id": "d", "author": "Tổ 1", "created": "2026-12-01T08:00:00+00:00",
                "criteria_sets": []}
    writer.finish(manifest)
    return writer.volumes


def test_sizes_are_parsed_and_nonsense_is_named() -> None:
    assert parse_volume_size("4000M") == 4_000_000_000
    assert parse_volume_size("700MB") == 700_000_000
    assert parse_volume_size("650MiB") == 650 * 2**20
    assert parse_volume_size("1,5G") == 1_500_000_000
    assert parse_volume_size("65536") == 65536
    for bad in ("", "abc", "4000X", "-5M", "4 000M", "1e9"):
        with pytest.raises(UserError) as err:
            parse_volume_size(bad)
        assert "is not valid" in err.value.render("en")
    with pytest.raises(UserError) as err:
        parse_volume_size("10K")
    assert "too small" in err.value.render("en") and "64 KiB" in err.value.render("en")


def test_volumes_round_trip(tmp_path: Path) -> None:
    volumes = write_package(tmp_path / "p.cchc")
    assert len(volumes) >= 5 and [v.name for v in volumes][:2] == ["p.cchc.001", "p.cchc.002"]
    assert all(v.stat().st_size == SIZE for v in volumes[:-1]) and 0 < volumes[-1].stat().st_size <= SIZE
    assert not (tmp_path / "p.cchc").exists() and not list(tmp_path.glob(".*partial"))
    whole = tmp_path / "whole" / "p.cchc"
    whole.parent.mkdir()
    whole.write_bytes(b"".join(v.read_bytes() for v in volumes))  # cat p.cchc.0* > p.cchc
    for given in (volumes[0], volumes[3], volumes[-1], tmp_path / "p.cchc", whole):
        with open_package(given) as package:
            package.verify_all()
            assert len(list(package.evidence_names())) == 6


def test_a_later_export_removes_older_volumes_of_the_same_name(tmp_path: Path) -> None:
    many = write_package(tmp_path / "p.cchc", files=8)
    few = write_package(tmp_path / "p.cchc", files=2, seed=2)
    assert len(few) < len(many)
    assert sorted(tmp_path.glob("p.cchc.*")) == few
    with open_package(few[0]) as package:
        package.verify_all()


def test_missing_cut_and_foreign_volumes_are_named(tmp_path: Path) -> None:
    volumes = write_package(tmp_path / "p.cchc")
    (tmp_path / "other").mkdir()
    other = write_package(tmp_path / "other" / "p.cchc", seed=7)  # same name and size, another package

    def refused(folder: Path, change) -> str:
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        for v in volumes:
            shutil.copy(v, folder / v.name)
        change(folder)
        with pytest.raises(PackageError) as err, open_package(folder / "p.cchc.001") as package:
            package.verify_all()
        return err.value.render("en")

    work = tmp_path / "work"
    assert "volume p.cchc.003 is missing" in refused(work, lambda f: (f / "p.cchc.003").unlink())
    assert "first volume p.cchc.001 is not there" in refused(work, lambda f: (f / "p.cchc.001").unlink())
    last = volumes[-1].name
    text = refused(work, lambda f: (f / last).unlink())
    assert "does not end there" in text and volumes[-2].name in text
    text = refused(work, lambda f: os.truncate(f / "p.cchc.002", SIZE - 100))
    assert "volume p.cchc.002 has 65,436 bytes" in text
    text = refused(work, lambda f: shutil.copy(other[1], f / "p.cchc.002"))
    assert "volume p.cchc.002 does not belong to this package" in text

    def swap(f: Path) -> None:
        a, b = (f / "p.cchc.002").read_bytes(), (f / "p.cchc.004").read_bytes()
        (f / "p.cchc.002").write_bytes(b)
        (f / "p.cchc.004").write_bytes(a)

    assert "volume p.cchc.002 does not belong to this package" in refused(work, swap)


def test_import_takes_any_volume_once(tmp_path: Path) -> None:
    volumes = write_package(tmp_path / "p.cchc")
    from evaluator.services.imports import is_team_package, one_per_package

    assert all(is_team_package(v) for v in volumes)
    assert one_per_package([*volumes, tmp_path / "q.cchc"]) == [volumes[0], tmp_path / "q.cchc"]


@pytest.mark.slow
def test_export_in_volumes_and_import_from_the_command_line(run_cli, demo_db: Path, tmp_path: Path) -> None:
    team = copy(demo_db, tmp_path, "team")
    committee = copy(demo_db, tmp_path, "committee")
    from exchange_helpers import add_evidence

    add_evidence(team, "SO01", "1.1.2", os.urandom(300_000), "anh-chup.jpg", "Tổ 1")
    out = tmp_path / "team.cchc"
    code, stdout, _ = run_cli("export", "--db", team, "--out", out, "--year", YEAR, "--unit", "SO01",
                              "--volume-size", "200K", "--author", "Tổ 1")
    assert code == 0, stdout
    volumes = sorted(tmp_path.glob("team.cchc.*"))
    assert len(volumes) >= 2 and all(v.stat().st_size <= 200_000 for v in volumes)
    assert "Split into" in stdout and "team.cchc.001" in stdout
    code, stdout, _ = run_cli("verify", volumes[1])
    assert code == 0 and "team.cchc.002" in stdout
    code, _out, err = run_cli("export", "--db", team, "--out", out, "--volume-size", "700X")
    assert code != 0 and "700X" in err and "not valid" in err
    code, stdout, err = run_cli("import", "--db", committee, *[str(v) for v in volumes], "--author", "Thư ký")
    assert code == 0, err
    assert state(committee)["evidence"] == state(team)["evidence"]
    with open_project(committee) as project:
        again = import_files(project, [volumes[-1]])
    assert not again.changed
