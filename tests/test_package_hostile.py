"""Hostile team packages (issue #10): each is refused with a message naming the entry, and the project is
left as it was — file names that are paths, removed signatures under a trust list, tampered copies of an
imported package, text beyond the field limits, records pointing at nothing, impossible years, extreme
numbers, and values that do not give their points."""

from __future__ import annotations

import json
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from conftest import PKI_PASSWORD, backup_files
from exchange_helpers import copy
from package_helpers import entries_of, file_state, rehashed, with_manifest, write_zip

from evaluator.errors import UserError
from evaluator.exchange import Pkcs12Signer, verify_package
from evaluator.models import open_project
from evaluator.services.exchange import (
    TRUST_SETTING,
    export_package,
    import_packages,
    set_trust,
    trust_setting,
)


@pytest.fixture(scope="module")
def pk(
    demo_db: Path, tmp_path_factory: pytest.TempPathFactory, exchange_pki: dict[str, Path]
) -> dict[str, Path]:
    """Packages of unit SO01 in 2024: plain, signed by the team (trusted) and by a rogue (not trusted)."""
    folder = tmp_path_factory.mktemp("hostile")
    out: dict[str, Path] = {}
    with open_project(copy(demo_db, folder, "team")) as project:
        for name, p12 in (("plain", None), ("signed", "p12"), ("rogue", "rogue_p12")):
            signer = Pkcs12Signer(exchange_pki[p12], PKI_PASSWORD) if p12 else None
            out[name] = folder / f"{name}.cchc"
            export_package(project, out[name], years=[2024], units=["SO01"], author="Tổ 1", signer=signer)
    return out


@pytest.fixture
def project_db(demo_db: Path, tmp_path: Path) -> Path:
    return copy(demo_db, tmp_path, "committee")


def package_data(package: Path) -> dict[str, Any]:
    return json.loads(entries_of(package)["data.json"])


def crafted(source: Path, folder: Path, change: Any, *, raw: Any = None) -> Path:
    """A copy of ``source`` whose data.json was changed by ``change(data)`` (and its text by ``raw(text)``),
    re-hashed as another program would: only the import's own checks can find what is wrong."""
    entries = entries_of(source)
    data = json.loads(entries["data.json"])
    change(data)
    text = json.dumps(data)  # ASCII: a lone surrogate stays an escape, as a hostile writer would put it
    if raw is not None:
        text = raw(text)
    return write_zip(folder / "crafted.cchc", rehashed({**entries, "data.json": text.encode()}))


def refused(project_db: Path, package: Path, message: str, **kwargs: Any) -> str:
    """Import ``package``: a ``UserError`` matching ``message``, nothing changed, no backup made."""
    before = file_state(project_db)
    with open_project(project_db) as project, pytest.raises(UserError, match=message) as info:
        import_packages(project, [package], **kwargs)
    assert file_state(project_db) == before
    assert not backup_files("committee.db.bak-*")
    return str(info.value)


def first_rev(d: dict[str, Any], rule: str) -> dict[str, Any]:
    """The first revision whose value has the key ``rule`` (e.g. ``done``: a binary leaf)."""
    return next(r for s in d["scores"] for r in s["revisions"] if r["value"] and rule in r["value"])


# --- 1. evidence names are display names --------------------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("../../../x.sh", "path separator"),
        ("..\\..\\evil.bat", "path separator"),
        ("/etc/cron.d/x", "path separator"),
        ("C:evil.exe", "drive path"),
        ("..", "folder reference"),
        ("bien\x1bban.pdf", "control character"),
        ("x" * 256 + ".pdf", "at most 255"),
    ],
)
def test_evidence_file_names_that_are_paths_are_refused(
    name: str,
    why: str,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    bad = crafted(pk["plain"], tmp_path, lambda d: d["evidence"][3].__setitem__("file_name", name))
    message = refused(project_db, bad, rf"evidence\[3\]\.file_name: .*{why}")
    assert "crafted.cchc: data.json" in message


def test_awkward_windows_names_are_display_names(
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    """``CON.pdf`` is refused by nobody: it is only ever shown (the store names files by their hash)."""
    ok = crafted(pk["plain"], tmp_path, lambda d: d["evidence"][0].__setitem__("file_name", "CON.pdf"))
    with open_project(project_db) as project:
        report = import_packages(project, [ok], dry_run=True)
    assert report.evidence_identical == len(package_data(ok)["evidence"])  # every file, CON.pdf too


# --- 2. a trust list needs a signature ----------------------------------------------------------------------
def test_removing_the_signature_does_not_pass_the_trust_list(
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
    exchange_pki: dict[str, Path],
):
    entries = entries_of(pk["signed"])
    stripped = write_zip(
        tmp_path / "stripped.cchc", {k: v for k, v in entries.items() if k != "manifest.json.p7s"}
    )
    message = refused(project_db, stripped, r"not signed", trust_files=[exchange_pki["ca_pem"]])
    assert "stripped.cchc" in message
    report = verify_package(stripped, [exchange_pki["ca_pem"]])
    assert not report.ok and "not signed" in report.render()
    # without a trust list an unsigned package is what it always was: accepted
    with open_project(project_db) as project:
        assert import_packages(project, [stripped], dry_run=True).signatures == {"stripped.cchc": ""}
    # the project's own trust list (setting exchange.trust) applies without --trust
    with open_project(project_db) as project:
        assert set_trust(project, [exchange_pki["ca_pem"]]) == ["CN=Test CA Sở Nội vụ,C=VN"]
        assert len(trust_setting(project)) == 1 and project.get_setting(TRUST_SETTING)[0].startswith("-----")
    refused(project_db, stripped, r"stripped.cchc: not signed.*setting exchange.trust")
    refused(project_db, pk["rogue"], r"who is not trusted")
    with open_project(project_db) as project:
        report = import_packages(project, [pk["signed"]], dry_run=True)
        assert report.signatures == {"signed.cchc": "CN=Tổ thẩm định số 1,C=VN"}
        assert set_trust(project, clear=True) == [] and trust_setting(project) == []


def test_trust_list_from_the_command_line(
    run_cli,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
    exchange_pki: dict[str, Path],
):
    code, out, _ = run_cli("trust", "--db", project_db)
    assert code == 0 and "No trusted certificates" in out
    code, out, _ = run_cli("trust", "--db", project_db, exchange_pki["ca_pem"])
    assert code == 0 and "CN=Test CA Sở Nội vụ,C=VN" in out
    stripped = write_zip(
        tmp_path / "stripped.cchc",
        {k: v for k, v in entries_of(pk["signed"]).items() if k != "manifest.json.p7s"},
    )
    code, _, err = run_cli("import", "--db", project_db, stripped, "--dry-run")
    assert code == 1 and "not signed" in err
    code, _, err = run_cli("verify", stripped, "--trust", exchange_pki["ca_pem"])
    assert code == 1
    not_a_cert = tmp_path / "x.pem"
    not_a_cert.write_text("-----BEGIN CERTIFICATE-----\nxx\n-----END CERTIFICATE-----\n")
    code, _, err = run_cli("trust", "--db", project_db, not_a_cert)
    assert code == 1 and "x.pem" in err
    code, out, _ = run_cli("trust", "--db", project_db, "--clear")
    assert code == 0 and "No trusted certificates" in out
    code, out, _ = run_cli("import", "--db", project_db, stripped, "--dry-run")
    assert code == 0


# --- 3. a tampered copy of an imported package --------------------------------------------------------------
def test_a_tampered_copy_of_an_imported_package_is_not_nothing_new(
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
    exchange_pki: dict[str, Path],
):
    with open_project(project_db) as project:
        import_packages(project, [pk["signed"]])
    entries = entries_of(pk["signed"])
    data = entries["data.json"].replace(b'"demo"', b'"dEmo"', 1)  # the same size: only the hash tells
    assert data != entries["data.json"] and len(data) == len(entries["data.json"])
    tampered = write_zip(tmp_path / "tampered.cchc", {**entries, "data.json": data})  # manifest unchanged
    refused(project_db, tampered, r"tampered.cchc: entry data.json does not match its SHA-256")
    evidence = next(k for k in entries if k.startswith("evidence/"))
    swapped = write_zip(tmp_path / "swapped.cchc", {**entries, evidence: entries[evidence][::-1]})
    refused(project_db, swapped, r"swapped.cchc: entry evidence/.* does not match its SHA-256")
    # verify still says who signed the damaged package, and that it is damaged
    report = verify_package(swapped, [exchange_pki["ca_pem"]])
    text = report.render()
    assert not report.ok and report.signature is not None and report.signature.valid
    assert "signed by CN=Tổ thẩm định số 1,C=VN" in text and "does not match its SHA-256" in text
    # the genuine copy is still "nothing new"
    with open_project(project_db) as project:
        assert not import_packages(project, [pk["signed"]]).changed


# --- 8 and 6. one set of field limits, no control characters ------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["scores"][0]["revisions"][0].__setitem__("note", "x" * 10_001),
            r"scores\[0\]\.revisions\[0\]\.note: 10001 characters, at most 10000",
        ),
        (
            lambda d: d["evidence"][0].__setitem__("reference", "x" * 2001),
            r"evidence\[0\]\.reference: 2001 characters, at most 2000",
        ),
        (
            lambda d: d["audit"][0].__setitem__("reason", "x" * 10_001),
            r"audit\[0\]\.reason: 10001 characters",
        ),
        (
            lambda d: d["units"][0].__setitem__("name", "Sở\x1b[31m Nội vụ"),
            r"units\[0\]\.name: contains a control character \(U\+001B\)",
        ),
        (
            lambda d: d["units"][0].__setitem__("name", "Sở\nNội vụ"),
            r"units\[0\]\.name: contains a control character \(U\+000A\)",
        ),
        (
            lambda d: d["scores"][0]["revisions"][0].__setitem__("author", "a\x00b"),
            r"scores\[0\]\.revisions\[0\]\.author: contains a control character",
        ),
        (lambda d: d["periods"][0].__setitem__("title", "x" * 301), r"periods\[0\]\.title: 301 characters"),
    ],
)
def test_text_fields_follow_the_one_table_of_limits(
    change: Any,
    message: str,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    refused(project_db, crafted(pk["plain"], tmp_path, change), message)


def test_line_breaks_in_notes_are_text(pk: dict[str, Path], project_db: Path, tmp_path: Path):
    ok = crafted(
        pk["plain"], tmp_path, lambda d: d["scores"][0]["revisions"][0].__setitem__("note", "a\r\n\tb")
    )
    with open_project(project_db) as project:
        assert import_packages(project, [ok], dry_run=True).revisions_new == 0  # the same id: identical


def test_manifest_text_follows_the_limits(pk: dict[str, Path], project_db: Path, tmp_path: Path):
    bad = write_zip(
        tmp_path / "author.cchc",
        with_manifest(entries_of(pk["plain"]), lambda m: m.__setitem__("author", "x" * 201)),
    )
    refused(project_db, bad, r"manifest.json: author: 201 characters, at most 200")


def test_export_refuses_an_author_no_project_could_import(project_db: Path, tmp_path: Path):
    with open_project(project_db) as project, pytest.raises(UserError, match="201 characters, at most 200"):
        export_package(project, tmp_path / "x.cchc", units=["SO01"], author="x" * 201)
    assert not list(tmp_path.glob("*.cchc"))


# --- 9. records pointing at nothing -------------------------------------------------------------------------
OTHER = str(uuid.UUID(int=7))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["scores"][5].__setitem__("assessment_id", OTHER),
            rf"scores\[5\]\.assessment_id: {OTHER} is not an assessment of this package",
        ),
        (
            lambda d: d["evidence"][2].__setitem__("assessment_id", OTHER),
            r"evidence\[2\]\.assessment_id: .* is not an assessment of this package",
        ),
        (
            lambda d: d["audit"][4].__setitem__("assessment_id", OTHER),
            r"audit\[4\]\.assessment_id: .* is not an assessment of this package",
        ),
        (
            lambda d: d["assessments"][0].__setitem__("unit_id", OTHER),
            r"assessments\[0\]\.unit_id: .* is not a unit of this package",
        ),
        (
            lambda d: d["assessments"][0].__setitem__("period_id", OTHER),
            r"assessments\[0\]\.period_id: .* is not a period of this package",
        ),
        (
            lambda d: d["assessments"][0].__setitem__("criteria_set_id", OTHER),
            r"assessments\[0\]\.criteria_set_id: .* is not a criteria set of this package",
        ),
    ],
)
def test_records_naming_what_the_package_lacks_are_refused(
    change: Any,
    message: str,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    refused(project_db, crafted(pk["plain"], tmp_path, change), message)


# --- 10. years ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["periods"][0].__setitem__("year", -1),
            r"periods\[0\]\.year: -1 is not a year from 2000",
        ),
        (lambda d: d["periods"][0].__setitem__("year", 99999), r"periods\[0\]\.year: 99999 is not a year"),
        (
            lambda d: d["criteria_sets"][0].__setitem__("year", 1),
            r"criteria_sets\[0\]\.year: 1 is not a year",
        ),
        # the 2023 appraisal (a period the project has) with the 2024 set
        (
            lambda d: d["periods"][0].__setitem__("year", 2023),
            r"assessments\[0\]: the 2023 appraisal cannot use a criteria set for 2024",
        ),
        # the data lies about the set's year too: the set's own document says 2024
        (
            lambda d: (
                d["periods"][0].__setitem__("year", 2023),
                d["criteria_sets"][0].__setitem__("year", 2023),
            ),
            r"the 2023 appraisal cannot use a criteria set for 2024 \(par-department-2024",
        ),
    ],
)
def test_impossible_years_and_mismatched_sets_are_refused(
    change: Any,
    message: str,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    refused(project_db, crafted(pk["plain"], tmp_path, change), message)


# --- 12. extreme numbers: a message, never a traceback ------------------------------------------------------
NUMBER = '"@number@"'


def _points_to(number: str) -> dict[str, Any]:
    return {
        "change": lambda d: d["scores"][0]["revisions"][0].__setitem__("points", "@number@"),
        "raw": lambda text: text.replace(NUMBER, number),
    }


@pytest.mark.parametrize(
    ("how", "message"),
    [
        (_points_to("1e308"), r"scores\[0\]\.revisions\[0\]\.points: 1E\+308 is not a number of points"),
        (
            _points_to("1" + "0" * 30),
            r"scores\[0\]\.revisions\[0\]\.points: 1000.* is not a number of points",
        ),
        (_points_to("1e-400"), r"scores\[0\]\.revisions\[0\]\.points: 1E-400 is not a number of points"),
        (_points_to("-1e999999999"), r"points: -1E\+999999999 is not a number of points"),
        (_points_to("Infinity"), r"data.json: Infinity is not a number a package may hold"),
        (_points_to("NaN"), r"data.json: NaN is not a number a package may hold"),
        (_points_to("1" * 5000), r"data.json is not valid JSON"),
        (
            {
                "change": lambda d: first_rev(d, "done")["value"].__setitem__("extra", "@number@"),
                "raw": lambda text: text.replace(NUMBER, "1e-400"),
            },
            r"revisions\[\d+\]\.value: cannot be stored",
        ),
        (
            {
                "change": lambda d: first_rev(d, "count")["value"].__setitem__("count", "@number@"),
                "raw": lambda text: text.replace(NUMBER, "1e999999999"),
            },
            r"revisions\[\d+\]\.value: cannot be stored",
        ),
        (
            {"change": lambda d: d["evidence"][0].__setitem__("size", 10**30)},
            r"evidence\[0\]\.size: expected a whole number",
        ),
        (
            {
                "change": lambda d: d["scores"][0]["revisions"][0].__setitem__(
                    "time", "0001-01-01T00:00:00+14:00"
                )
            },
            r"scores\[0\]\.revisions\[0\]\.time: .* is out of range",
        ),
        # lone surrogates: in a text field, in a value, in an audit event's old/new
        (
            {"change": lambda d: d["units"][0].__setitem__("name", "S\ud800")},
            r"units\[0\]\.name: contains a lone surrogate",
        ),
        (
            {"change": lambda d: first_rev(d, "done")["value"].__setitem__("\udc00", 1)},
            r"revisions\[\d+\]\.value: cannot be stored",
        ),
        (
            {"change": lambda d: d["audit"][1].__setitem__("new", {"x": "\ud83d"})},
            r"audit\[1\]\.new: cannot be stored",
        ),
    ],
)
def test_extreme_numbers_and_surrogates_are_refused_cleanly(
    how: dict[str, Any],
    message: str,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    refused(project_db, crafted(pk["plain"], tmp_path, how["change"], raw=how.get("raw")), message)


# --- 14. accepted values that should be refused -------------------------------------------------------------
@pytest.mark.parametrize("version", [1.0, True, "1"])
def test_format_version_must_be_the_number_one(
    version: Any,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    bad = write_zip(
        tmp_path / "version.cchc",
        with_manifest(entries_of(pk["plain"]), lambda m: m.__setitem__("format_version", version)),
    )
    refused(project_db, bad, r"unknown package format version")
    assert not verify_package(bad).ok


def _wrong_points(d: dict[str, Any]) -> None:
    rev = first_rev(d, "done")
    rev["value"] = {"done": not rev["value"]["done"]}  # the other answer, with the same points


def _na_with_points(d: dict[str, Any]) -> None:
    rev = first_rev(d, "done")
    rev.update(value=None, not_applicable=True)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["evidence"][0].__setitem__("size", -1),
            r"evidence\[0\]\.size: -1 is not the size of its file",
        ),
        (
            lambda d: d["evidence"][0].__setitem__("size", 5),
            r"evidence\[0\]\.size: 5 is not the size of its file",
        ),
        (
            _wrong_points,
            r"revisions\[\d+\] \(revision .*\): its value gives .* points under the criteria set's "
            r"rule, the package says",
        ),
        (
            lambda d: first_rev(d, "option")["value"].__setitem__("option", "nope"),
            r"its value does not fit the rule: .*unknown option 'nope'",
        ),
        (_na_with_points, r"not applicable, yet it has points"),
        (lambda d: first_rev(d, "done").__setitem__("points", 0.01), r"its value gives .* says 0.01 points"),
    ],
)
def test_values_that_disagree_are_refused(
    change: Any,
    message: str,
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    refused(project_db, crafted(pk["plain"], tmp_path, change), message)


def test_points_without_a_value_are_kept(pk: dict[str, Path], project_db: Path, tmp_path: Path):
    """A decision or a workbook keeps points without a value: still accepted (within the leaf's range)."""

    def typed(d: dict[str, Any]) -> None:
        first_rev(d, "done")["value"] = None
        first_rev(d, "option")["value"] = None

    package = crafted(pk["plain"], tmp_path, typed)
    with open_project(project_db) as project:
        report = import_packages(project, [package], dry_run=True)
    assert report.scores_identical == len(package_data(package)["scores"])  # the two typed ones too


def test_a_zip_with_a_crafted_entry_name_is_refused(
    pk: dict[str, Path],
    project_db: Path,
    tmp_path: Path,
):
    """The zip layer too: an entry ``evidence/../../x.sh`` never reaches the disk."""
    entries = entries_of(pk["plain"])
    path = tmp_path / "slip.cchc"
    with zipfile.ZipFile(path, "w") as zf:
        for name, blob in {**entries, "evidence/../../x.sh": b"echo"}.items():
            zf.writestr(name, blob)
    refused(project_db, path, r"points outside the package")
    assert not (tmp_path.parent / "x.sh").exists()
