from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture
def mini_framework():
    from evaluator.frameworks import load_framework

    return load_framework(DATA / "mini.yaml")


@pytest.fixture
def project(tmp_path: Path) -> Iterator:
    """A new, empty project file ``p.db`` in a temporary folder."""
    from evaluator.models import open_project

    proj = open_project(tmp_path / "p.db", create=True, name="Test", province="Tỉnh Thử")
    yield proj
    proj.close()


# --- the demo project and the command line (tests of the CLI, demo, results and imports) -----------
DEMO_SEED = 2024
DEMO_YEAR = 2024


def copy_project(source: Path, target: Path) -> Path:
    """Copy a closed project file and its evidence folder (``X.db`` → ``target``, ``X.evidence/``)."""
    import shutil

    shutil.copyfile(source, target)
    for suffix in ("-wal", "-shm"):
        if Path(f"{source}{suffix}").exists():
            shutil.copyfile(f"{source}{suffix}", f"{target}{suffix}")
    evidence = source.with_suffix(".evidence")
    if evidence.is_dir():
        shutil.copytree(evidence, target.with_suffix(".evidence"))
    return target


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project (seed 2024, years 2023–2024), built once per session. Read it only: a test
    that writes uses ``demo_copy``."""
    from evaluator.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, seed=DEMO_SEED, year=DEMO_YEAR).close()
    return path


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


def project_fingerprint(db: Path) -> tuple[str, tuple[str, ...]]:
    """Every row of every table (sorted) and the evidence files of a closed project, hashed: equal
    fingerprints mean the project was left exactly as it was."""
    import hashlib
    import sqlite3

    con = sqlite3.connect(db)
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
        con.close()
    evidence = db.with_suffix(".evidence")
    files = tuple(sorted(str(p.relative_to(evidence)) for p in evidence.rglob("*") if p.is_file())) \
        if evidence.is_dir() else ()
    return digest.hexdigest(), files


# --- automatic backups go to the platform's backups folder: one private folder per test ------------
@pytest.fixture(autouse=True)
def backups_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Where this test's automatic backups land (``EVALUATOR_BACKUPS_DIR``), outside ``tmp_path`` so that
    tests listing their own folder see only their files."""
    folder = tmp_path_factory.mktemp("backups")
    monkeypatch.setenv("EVALUATOR_BACKUPS_DIR", str(folder))
    return folder


def backup_files(pattern: str = "*.bak-*") -> list[Path]:
    """The automatic backups made so far in this test."""
    import os

    return sorted(Path(os.environ["EVALUATOR_BACKUPS_DIR"]).rglob(pattern))


# --- the language of messages: English outside the GUI (the command line's default), Vietnamese in it --
@pytest.fixture(autouse=True)
def message_language(request: pytest.FixtureRequest) -> Iterator[str]:
    """Errors render in the process's language (``evaluator.i18n``): tests of the lower layers read them in
    English, as the command line shows them by default; GUI tests (those using Qt) in the app's Vietnamese."""
    from evaluator import i18n

    before = i18n.language()
    gui = bool({"qapp", "qtbot"} & set(request.fixturenames))
    i18n.set_language(i18n.SOURCE_LANGUAGE if gui else "en")
    yield i18n.language()
    i18n.set_language(before)
