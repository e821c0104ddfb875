"""The team package format: export, verify (hashes and signature), and every kind of bad package."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import PKI_PASSWORD, backup_files
from exchange_helpers import copy
from package_helpers import entries_of, file_state, rehashed, with_manifest, write_zip

from evaluator.errors import UserError
from evaluator.exchange import (
    FORMAT,
    FORMAT_VERSION,
    PackageError,
    Pkcs12Signer,
    open_package,
    verify_package,
)
from evaluator.exchange import package as package_module
from evaluator.models import open_project
from evaluator.services.exchange import export_package, import_packages

YEAR = 2024


@pytest.fixture(scope="module")
def packages(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory, exchange_pki: dict[str, Path]
) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("packages")
    team = copy(demo_db, folder, "team")
    with open_project(team) as project:
        plain = export_package(project, folder / "plain.cchc", years=[YEAR], units=["SO01"], author="Tổ 1")
        signed = export_package(
            project,
            folder / "signed.cchc",
            years=[YEAR],
            units=["SO01"],
            author="Tổ 1",
            signer=Pkcs12Signer(exchange_pki["p12"], PKI_PASSWORD),
        )
        rogue = export_package(
            project,
            folder / "rogue.cchc",
            years=[YEAR],
            units=["SO01"],
            author="Tổ 1",
            signer=Pkcs12Signer(exchange_pki["rogue_p12"], PKI_PASSWORD),
        )
    assert plain.evidence_files > 0 and signed.signed_by == "CN=Tổ thẩm định số 1,C=VN"
    assert "not signed" in plain.render("en") and "signed by" in signed.render("en")
    return {"plain": plain.path, "signed": signed.path, "rogue": rogue.path}


@pytest.fixture
def committee(demo_db: Path, tmp_path: Path) -> Path:
    return copy(demo_db, tmp_path, "committee")


def test_layout_and_manifest(packages: dict[str, Path]):
    names = set(entries_of(packages["signed"]))
    assert {"manifest.json", "manifest.json.p7s", "data.json"} <= names
    with open_package(packages["signed"]) as package:
        m = package.manifest
        assert (m["format"], m["format_version"]) == (FORMAT, FORMAT_VERSION)
        assert m["units"] == ["SO01"] and m["years"] == [YEAR] and m["author"] == "Tổ 1"
        assert [(c["code"], c["version"]) for c in m["criteria_sets"]] == [("par-department-2024", 2)]
        assert all(len(c["sha256"]) == 64 for c in m["criteria_sets"])
        assert {e["path"] for e in m["entries"]} == names - {"manifest.json", "manifest.json.p7s"}
        assert m["device_id"] and m["project_id"] and m["package_id"] and m["created"].endswith("+00:00")
        data = json.loads(package.read("data.json"))
    assert set(data) == {
        "project",
        "criteria_sets",
        "periods",
        "units",
        "assessments",
        "scores",
        "evidence",
        "audit",
        "conflicts",
        "confirmations",  # carried evidence confirmed for this year (issue 17)
    }
    assert data["conflicts"] == []  # no resolved conflict in this project (open ones are never exported)
    assert all(
        s["revisions"]
        and {"id", "revision", "base_revision_id", "device_id", "author", "time", "note"}
        <= set(s["revisions"][0])
        for s in data["scores"]
    )


def test_verify_signed_trusted_untrusted(packages: dict[str, Path], exchange_pki: dict[str, Path]):
    report = verify_package(packages["signed"], [exchange_pki["ca_pem"]])
    assert report.ok and report.signed and report.signature is not None and report.signature.trusted
    assert "signature valid, trusted" in report.render()
    assert report.to_json()["signature"]["subject"] == "CN=Tổ thẩm định số 1,C=VN"
    unchecked = verify_package(packages["signed"])
    assert unchecked.ok and unchecked.signature is not None and unchecked.signature.trusted is None
    plain = verify_package(packages["plain"])
    assert plain.ok and not plain.signed and "not signed" in plain.render()
    # with trusted certificates, a package must be signed: removing the signature gets nothing past them
    plain = verify_package(packages["plain"], [exchange_pki["ca_pem"]])
    assert not plain.ok and not plain.signed and "only a signed package can be trusted" in plain.render()
    rogue = verify_package(packages["rogue"], [exchange_pki["ca_pem"]])
    assert not rogue.ok and "not trusted" in rogue.render()


def test_export_refuses_bad_requests(committee: Path, tmp_path: Path):
    with open_project(committee) as project:
        with pytest.raises(UserError, match=r"ends with \.cchc"):
            export_package(project, tmp_path / "x.zip")
        with pytest.raises(UserError, match="no assessment for unit"):
            export_package(project, tmp_path / "x.cchc", units=["NOPE"])
        with pytest.raises(UserError, match="nothing to export"):
            export_package(project, tmp_path / "x.cchc", years=[1999])
    assert not list(tmp_path.glob("*.cchc")) and not list(tmp_path.glob(".*partial"))


def _data_changed(entries: dict[str, bytes], change: Any) -> dict[str, bytes]:
    data = json.loads(entries["data.json"])
    change(data)
    return rehashed({**entries, "data.json": json.dumps(data).encode()})


def _bomb(entries: dict[str, bytes]) -> dict[str, bytes]:
    zeros = bytes(8 * 1024 * 1024)
    name = "evidence/" + hashlib.sha256(zeros).hexdigest()
    return rehashed({**entries, name: zeros})


def _flip_data(entries: dict[str, bytes]) -> dict[str, bytes]:
    data = bytearray(entries["data.json"])
    data[len(data) // 2] = ord("x") if data[len(data) // 2] != ord("x") else ord("y")
    return {**entries, "data.json": bytes(data)}


BAD: dict[str, tuple[Any, str]] = {
    "dotdot": (lambda e: {**e, "../evil.txt": b"x"}, r"points outside the package"),
    "dotdot-inside": (lambda e: {**e, "evidence/../../evil": b"x"}, r"points outside the package"),
    "absolute": (lambda e: {**e, "/etc/evil": b"x"}, r"absolute"),
    "windows": (lambda e: {**e, "C:\\evil": b"x"}, r"absolute or Windows"),
    "bomb": (_bomb, r"possible zip bomb"),
    "missing": (lambda e: {k: v for k, v in e.items() if not k.startswith("evidence/")}, r"missing file"),
    "extra": (lambda e: {**e, "evidence/" + "0" * 64: b"extra"}, r"not listed in the manifest"),
    "extra-other": (lambda e: {**e, "notes.txt": b"extra"}, r"not listed in the manifest"),
    "hash": (_flip_data, r"does not match its SHA-256"),
    "size": (lambda e: {**e, "data.json": e["data.json"] + b" "}, r"has \d+ bytes, the manifest says"),
    "version": (
        lambda e: with_manifest(e, lambda m: m.__setitem__("format_version", 99)),
        r"unknown package format version 99",
    ),
    "format": (
        lambda e: with_manifest(e, lambda m: m.__setitem__("format", "other")),
        r"is not 'evaluator-team",
    ),
    "no-manifest": (lambda e: {k: v for k, v in e.items() if k != "manifest.json"}, r"no manifest.json"),
    "manifest-json": (lambda e: {**e, "manifest.json": b"{not json"}, r"not valid JSON"),
    "bad-data": (
        lambda e: rehashed({**e, "data.json": b'{"project": 5}'}),
        r"data.json: project: expected an object",
    ),
    "bad-score": (
        lambda e: _data_changed(e, lambda d: d["scores"][0].__setitem__("stage", "x")),
        r"scores\[0\].stage: unknown stage 'x'",
    ),
    "bad-points": (
        lambda e: _data_changed(e, lambda d: d["scores"][0]["revisions"][0].__setitem__("points", 99)),
        r"points are outside",
    ),
    "bad-leaf": (
        lambda e: _data_changed(e, lambda d: d["scores"][0].__setitem__("criterion_code", "9.9.9")),
        r"criterion '9.9.9' is not a leaf",
    ),
    "bad-status": (  # the statuses are the models' (one list: ``ASSESSMENT_STATUSES``)
        lambda e: _data_changed(e, lambda d: d["assessments"][0].__setitem__("status", "archived")),
        r"assessments\[0\].status: unknown status 'archived'",
    ),
    "bad-evidence-stage": (
        lambda e: _data_changed(e, lambda d: d["evidence"][0].__setitem__("stage", "x")),
        r"evidence\[0\].stage: unknown stage",
    ),
    "bad-nesting": (
        lambda e: rehashed({**e, "data.json": b"[" * 100_000 + b"]" * 100_000}),
        r"not valid JSON",
    ),
    "bad-cycle": (
        lambda e: _data_changed(
            e,
            lambda d: d["scores"][0]["revisions"][0].__setitem__(
                "base_revision_id", d["scores"][0]["revisions"][0]["id"]
            ),
        ),
        r"cannot build on itself",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_packages_leave_the_project_as_it_was(
    case: str, packages: dict[str, Path], committee: Path, tmp_path: Path
):
    change, message = BAD[case]
    bad = write_zip(tmp_path / f"{case}.cchc", change(entries_of(packages["plain"])))
    before = file_state(committee)
    with open_project(committee) as project, pytest.raises(UserError, match=message):
        import_packages(project, [bad])
    assert file_state(committee) == before
    assert not backup_files("committee.db.bak-*")
    report = verify_package(bad)
    if case.startswith("bad-"):  # hashes fit: only the import's checks of the data find these
        assert report.ok
    else:
        assert not report.ok and report.problems and "NOT VALID" in report.render()


def test_truncated_and_not_a_zip(packages: dict[str, Path], committee: Path, tmp_path: Path):
    data = packages["plain"].read_bytes()
    truncated = tmp_path / "truncated.cchc"
    truncated.write_bytes(data[: len(data) * 2 // 3])
    text = tmp_path / "text.cchc"
    text.write_text("không phải gói dữ liệu")
    before = file_state(committee)
    for bad in (truncated, text, tmp_path / "missing.cchc"):
        with open_project(committee) as project, pytest.raises(UserError, match=r"truncated|no such file"):
            import_packages(project, [bad])
        assert not verify_package(bad).ok
    assert file_state(committee) == before


def test_total_size_limit(packages: dict[str, Path], committee: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(package_module, "MAX_TOTAL_BYTES", 1000)
    with open_project(committee) as project, pytest.raises(UserError, match="would expand to"):
        import_packages(project, [packages["plain"]])


def test_broken_signatures(
    packages: dict[str, Path], committee: Path, tmp_path: Path, exchange_pki: dict[str, Path]
):
    entries = entries_of(packages["signed"])
    tampered = write_zip(
        tmp_path / "tampered.cchc", with_manifest(entries, lambda m: m.__setitem__("author", "Người khác"))
    )
    sig = bytearray(entries["manifest.json.p7s"])
    sig[-10] ^= 0xFF
    damaged = write_zip(tmp_path / "damaged.cchc", {**entries, "manifest.json.p7s": bytes(sig)})
    garbage = write_zip(tmp_path / "garbage.cchc", {**entries, "manifest.json.p7s": b"\x30\x03abc"})
    before = file_state(committee)
    for bad in (tampered, damaged, garbage):
        with open_project(committee) as project, pytest.raises(UserError, match="broken signature"):
            import_packages(project, [bad])
        report = verify_package(bad, [exchange_pki["ca_pem"]])
        assert not report.ok and "BROKEN" in report.render()
    assert file_state(committee) == before


def test_one_bad_package_refuses_all(packages: dict[str, Path], committee: Path, tmp_path: Path):
    bad = write_zip(tmp_path / "bad.cchc", _flip_data(entries_of(packages["plain"])))
    before = file_state(committee)
    with open_project(committee) as project, pytest.raises(UserError) as info:
        import_packages(project, [packages["plain"], bad])
    assert "bad.cchc" in str(info.value) and "nothing was written" in str(info.value)
    assert file_state(committee) == before


def test_export_and_verify_from_the_command_line(
    run_cli, committee: Path, tmp_path: Path, exchange_pki: dict[str, Path], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TEAM_P12_PASSWORD", PKI_PASSWORD)
    out = tmp_path / "team.cchc"
    code, stdout, _ = run_cli(
        "export",
        "--db",
        committee,
        "--out",
        out,
        "--year",
        YEAR,
        "--unit",
        "SO01",
        "SO02",
        "--author",
        "Tổ 1",
        "--p12",
        exchange_pki["p12"],
        "--password-env",
        "TEAM_P12_PASSWORD",
    )
    assert code == 0 and "signed by CN=Tổ thẩm định số 1" in stdout and out.is_file()
    assert verify_package(out, [exchange_pki["ca_pem"]]).ok
    code, _, err = run_cli(
        "export",
        "--db",
        committee,
        "--out",
        tmp_path / "x.cchc",
        "--p12",
        exchange_pki["p12"],
        "--password-env",
        "NO_SUCH_VARIABLE_X",
    )
    assert code == 1 and "NO_SUCH_VARIABLE_X" in err
    monkeypatch.setenv("WRONG", "sai")
    code, _, err = run_cli(
        "export",
        "--db",
        committee,
        "--out",
        tmp_path / "x.cchc",
        "--p12",
        exchange_pki["p12"],
        "--password-env",
        "WRONG",
    )
    assert code == 1 and "wrong password" in err
    assert not (tmp_path / "x.cchc").exists()


def test_package_error_is_refused_by_open(tmp_path: Path):
    with pytest.raises(PackageError, match="is a folder"):
        open_package(tmp_path)


def test_package_statuses_are_the_models_statuses():
    """One list of assessment statuses: the exchange's public ``STATES`` is the models' list itself."""
    from evaluator.models import ASSESSMENT_STATUSES
    from evaluator.services import exchange

    assert exchange.STATES is ASSESSMENT_STATUSES
    assert "approved" in exchange.STATES


def test_the_package_report_speaks_vietnamese(packages: dict[str, Path], exchange_pki: dict[str, Path]):
    from evaluator import i18n

    before = i18n.language()
    try:
        i18n.set_language("vi")
        lines = verify_package(packages["signed"], [exchange_pki["ca_pem"]]).render().splitlines()
        assert lines[0] == f"{packages['signed'].name}: HỢP LỆ"
        assert "  ký bởi CN=Tổ thẩm định số 1,C=VN: chữ ký hợp lệ, tin cậy" in lines
        lines = verify_package(packages["signed"]).render().splitlines()
        assert any(line.endswith("chưa kiểm tra tin cậy (hãy chọn chứng thư CA tin cậy)") for line in lines)
        assert verify_package(packages["plain"]).render().splitlines()[-1] == "  chưa ký"
    finally:
        i18n.set_language(before)
