from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from project_helpers import copy_project, shared_demo

# the GUI fixtures (``gui``, ``window``) for every module, without importing them into each
pytest_plugins = ["ui_helpers", "disk_usage", "pg_cluster"]

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini_framework():
    from evaluator.frameworks import load_framework

    return load_framework(DATA / "mini.yaml")


# --- the storage backends: an SQLite file, and a database on the throwaway PostgreSQL cluster -------
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres, id="postgresql")]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """In a module marked ``backends``, every test using ``db_url`` (or ``project``) runs on each backend."""
    if "db_backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("backends"):
        metafunc.parametrize("db_backend", BACKENDS)


@pytest.fixture
def db_backend() -> str:
    """``sqlite`` unless the module is marked ``backends`` (then both: see ``pytest_generate_tests``)."""
    return "sqlite"


@pytest.fixture
def db_url(db_backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """Where a test's project lives: the file ``p.db`` in ``tmp_path``, or a fresh PostgreSQL database
    (schema at head, no project row yet; evidence in ``tmp_path/p.evidence``)."""
    if db_backend == "postgresql":
        return request.getfixturevalue("pg_url")
    return str(tmp_path / "p.db")


@pytest.fixture
def project(db_url: str) -> Iterator:
    """A new, empty project at ``db_url`` (the file ``p.db`` in a temporary folder by default)."""
    from evaluator.models import open_project

    proj = open_project(db_url, create=True, name="Test", province="Tỉnh Thử")
    yield proj
    proj.close()


# --- the demo project and the command line (tests of the CLI, demo, results and imports) -----------
@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project (seed 2024, years 2023–2024), built once per session. Read it only: a test
    that writes uses ``demo_copy``."""
    return shared_demo(tmp_path_factory)


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A private copy of the demo project (with its evidence folder) that a test may change."""
    return copy_project(demo_db, tmp_path / "demo.db")


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]):
    """``run_cli(*args) -> (exit code, stdout, stderr)``: ``evaluator.cli.main.main`` in-process.
    Usage errors raise ``SystemExit`` as argparse does."""
    from evaluator.cli.main import main

    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


# --- exchange between laptops (team packages, committee import, conflicts) -------------------------
@pytest.fixture(scope="session")
def exchange_pki(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A throw-away CA and two signers: ``p12`` (trusted, issued by the CA), ``rogue_p12`` (self-signed),
    ``ca_pem`` (the trust file); the PKCS#12 password is ``PKI_PASSWORD``."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("pki")
    now = datetime.now(UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                          x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def cert(subject: str, key, issuer: str, issuer_key, ca: bool) -> x509.Certificate:
        return (x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
                .public_key(key.public_key()).serial_number(x509.random_serial_number())
                .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=365))
                .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
                .sign(issuer_key, hashes.SHA256()))

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = cert("Test CA Sở Nội vụ", ca_key, "Test CA Sở Nội vụ", ca_key, True)
    team_key = ec.generate_private_key(ec.SECP256R1())
    team = cert("Tổ thẩm định số 1", team_key, "Test CA Sở Nội vụ", ca_key, False)
    rogue_key = ec.generate_private_key(ec.SECP256R1())
    rogue = cert("Kẻ mạo danh", rogue_key, "Kẻ mạo danh", rogue_key, False)
    enc = serialization.BestAvailableEncryption(PKI_PASSWORD.encode())
    (folder / "team.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(b"team", team_key, team, [ca], enc))
    (folder / "rogue.p12").write_bytes(
        pkcs12.serialize_key_and_certificates(b"rogue", rogue_key, rogue, None, enc))
    (folder / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    return {"p12": folder / "team.p12", "rogue_p12": folder / "rogue.p12", "ca_pem": folder / "ca.pem"}


PKI_PASSWORD = "mật khẩu"


class ProjectRows:
    """Every row of every table of a closed project, compared by content (a sorted dump of each table).

    Dumping a demo-sized project takes about a second and "nothing changed" is checked after nearly
    every refused import, so the file's bytes are kept and compared first: equal bytes are equal rows.
    Only when the bytes differ (a write that left the rows as they were, or a real change) are both sides
    dumped and compared row by row."""

    def __init__(self, db: Path) -> None:
        import hashlib

        wal = db.with_name(db.name + "-wal")
        self._data: bytes | None = None
        self._rows: str | None = None
        if wal.exists() and wal.stat().st_size:  # committed rows may still be in the log: dump now
            self.raw = ""
            self._rows = _dump_rows(db)
        else:
            self._data = db.read_bytes()
            self.raw = hashlib.sha256(self._data).hexdigest()

    def rows(self) -> str:
        if self._rows is None:
            import sqlite3

            assert self._data is not None
            data = bytearray(self._data)
            data[18:20] = b"\x01\x01"  # an in-memory copy reads a WAL-mode file as a rollback-journal one
            con = sqlite3.connect(":memory:")
            try:
                con.deserialize(bytes(data))
                self._rows = _dump_rows(con)
            finally:
                con.close()
            self._data = None
        return self._rows

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProjectRows):
            return NotImplemented
        return (bool(self.raw) and self.raw == other.raw) or self.rows() == other.rows()

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ProjectRows({self.raw[:12] or 'dumped'})"


def _dump_rows(db: Any) -> str:
    import hashlib
    import sqlite3

    con = sqlite3.connect(db) if isinstance(db, Path) else db
    try:
        digest = hashlib.sha256()
        tables = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        for table in tables:
            rows = sorted(repr(r) for r in con.execute(f'SELECT * FROM "{table}"'))
            digest.update(f"{table}:{len(rows)}\n".encode())
            for row in rows:
                digest.update(row.encode())
    finally:
        if con is not db:
            con.close()
    return digest.hexdigest()


def project_fingerprint(db: Path) -> tuple[ProjectRows, tuple[str, ...]]:
    """Every row of every table (sorted) and the evidence files of a closed project: equal fingerprints
    mean the project was left exactly as it was."""
    evidence = db.with_suffix(".evidence")
    files = tuple(sorted(str(p.relative_to(evidence)) for p in evidence.rglob("*") if p.is_file())) \
        if evidence.is_dir() else ()
    return ProjectRows(db), files


# --- what a run leaves on disk -------------------------------------------------------------------
# pytest removes a passed test's tmp_path (pyproject: tmp_path_retention_policy = "failed"); the folders
# below live outside tmp_path, so they follow the same rule here: kept for a failed test, for diagnosis.
_PASSED = pytest.StashKey[dict[str, bool]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    report = yield
    item.stash.setdefault(_PASSED, {})[report.when] = report.passed
    return report


def passed(request: pytest.FixtureRequest) -> bool:
    """In a fixture's teardown: the test's setup and call passed."""
    outcome = request.node.stash.get(_PASSED, {})
    return outcome.get("setup", False) and outcome.get("call", False)


MODULE_FOLDERS = {"fuzz", "import-fuzz", "hostile", "round", "packages", "softhsm", "template", "imported",
                  "limits", "base", "twins", "keys", "tamper-pki", "bulk", "excel", "older"}
"""The ``tmp_path_factory.mktemp`` names of module-scoped fixtures: pytest would keep them until the run
ends (several demo copies: 25 MB each), so they go when their module is done — unless a test failed."""


@pytest.fixture(scope="module", autouse=True)
def module_folders(tmp_path_factory: pytest.TempPathFactory,
                   request: pytest.FixtureRequest) -> Iterator[None]:
    import re
    import shutil

    base = tmp_path_factory.getbasetemp()
    before = {p.name for p in base.iterdir()}
    failed = request.session.testsfailed
    yield
    if request.session.testsfailed != failed:
        return
    for folder in base.iterdir():
        fixture = re.sub(r"\d+$", "", folder.name)
        if folder.name not in before and folder.is_dir() and fixture in MODULE_FOLDERS:
            shutil.rmtree(folder, ignore_errors=True)


# --- automatic backups go to the platform's backups folder: one private folder per test ------------
@pytest.fixture(autouse=True)
def backups_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch,
                request: pytest.FixtureRequest) -> Iterator[Path]:
    """Where this test's automatic backups land (``EVALUATOR_BACKUPS_DIR``), outside ``tmp_path`` so that
    tests listing their own folder see only their files. Removed after the test if it passed: backups of
    the demo project are 25 MB each."""
    import shutil

    folder = tmp_path_factory.mktemp("backups")
    monkeypatch.setenv("EVALUATOR_BACKUPS_DIR", str(folder))
    yield folder
    if passed(request):
        shutil.rmtree(folder, ignore_errors=True)


def backup_files(pattern: str = "*.bak-*") -> list[Path]:
    """The automatic backups made so far in this test."""
    import os

    return sorted(Path(os.environ["EVALUATOR_BACKUPS_DIR"]).rglob(pattern))


GUI_FIXTURES = {"qtbot", "qapp", "gui", "window"}


@pytest.fixture(autouse=True)
def message_language(request: pytest.FixtureRequest) -> Iterator[str]:
    """The language messages are rendered in is one value per process (``evaluator.i18n``), as in the app:
    a GUI test runs in the desktop app's default, Vietnamese; any other test in the CLI's default, English."""
    from evaluator import i18n

    before = i18n.language()
    language = "vi" if GUI_FIXTURES & set(request.fixturenames) else "en"
    i18n.set_language(language)
    yield language
    i18n.set_language(before)
