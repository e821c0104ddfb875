#!/usr/bin/env python3
"""Set-up and everyday commands on a fresh machine (Python ≥ 3.11 and pip, nothing else assumed).

    python3 dev.py demo    # venv + install, build the demo project, print the 2024 results table
    python3 dev.py test    # venv + install (+ system packages the tests need, PostgreSQL's server
                           # among them), ruff, mypy, lint-imports, the whole suite on SQLite and on a
                           # throwaway PostgreSQL cluster (--quick: plain `pytest`, without the slow
                           # tests and the PostgreSQL ones)
    python3 dev.py crash   # the crash campaign: kill -9 of imports, demo creation and report batches

Everything is installed into ``.venv`` beside this file; re-running skips what is already done.
"""

from __future__ import annotations

import glob
import hashlib
import os
import platform
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"
sys.path.insert(0, str(ROOT / "installer"))
import bundle  # noqa: E402 - installer/bundle.py (plain Python): what the Linux bundle carries

# Debian/Ubuntu packages: Qt's libraries for offscreen runs, poppler-utils for pdftotext/pdftoppm,
# SoftHSM2 for the real PKCS#11 token tests, Xvfb and Weston for the GUI on real X11 and Wayland display
# servers, and the xcb helper libraries that the Linux bundle carries (bundle.XCB_PACKAGES: they must be on
# the machine that builds it).
APT_PACKAGES = ["libegl1", "libgl1", "libxkbcommon0", "libfontconfig1", "libglib2.0-0", "libdbus-1-3",
                "poppler-utils", "softhsm2", "xvfb", "xauth", "weston", *bundle.XCB_PACKAGES]
COMMANDS_NEEDED = ["pdftotext", "pdftoppm", "softhsm2-util", "xvfb-run", "xauth", "weston"]
# PostgreSQL's server programs (initdb, pg_ctl, postgres): tests/pg_cluster.py runs a throwaway cluster in
# a temporary folder for the tests marked `postgres`. Debian puts them in /usr/lib/postgresql/N/bin, off PATH.
PG_PACKAGES = ["postgresql"]
TEST_EXTRAS = "test,postgres"  # psycopg: SQLAlchemy's PostgreSQL driver


def run(*cmd: str | Path, env: dict[str, str] | None = None, check: bool = True) -> int:
    # paths inside the repository are shown relative to it: the line can be typed again from there
    shown = [os.path.relpath(c, ROOT) if isinstance(c, Path) and c.is_relative_to(ROOT) else str(c)
             for c in cmd]
    print("+", " ".join(shown), flush=True)
    return subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env, check=check).returncode


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"evaluator needs Python 3.11 or newer; this is {platform.python_version()}")
    if not PY.exists():
        print(f"Creating the virtual environment {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == wanted:
        print(f"The packages in {VENV} are up to date.", flush=True)
        return
    # pip runs quietly: say what is happening, or the first run looks hung for a minute or two
    print("Updating pip ...", flush=True)
    run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    what = f"evaluator with its {extras} tools" if extras else "evaluator"
    print(f"Installing {what} and the packages it needs into {VENV}: this takes a minute or two the "
          "first time ...", flush=True)
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extras}]" if extras else ".")
    STAMP.write_text(wanted)


def qt_works() -> bool:
    probe = "from PySide6.QtWidgets import QApplication; QApplication([])"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(PY), "-c", probe], env=env, capture_output=True).returncode == 0


def xcb_libs_present() -> bool:
    return not bundle.missing_xcb_libs()


def postgres_present() -> bool:
    """initdb and pg_ctl where tests/pg_cluster.py (find_bin_dir) looks: PATH, /usr/lib/postgresql/*/bin.
    (Its own search is not imported: it is a pytest plugin, and pytest may not be installed yet.)"""
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return True
    return any((Path(d) / "initdb").exists() and (Path(d) / "pg_ctl").exists()
               for d in glob.glob("/usr/lib/postgresql/*/bin"))


def ensure_postgres() -> None:
    """PostgreSQL's server programs for the tests marked ``postgres`` (apt, as root or through sudo)."""
    if postgres_present():
        return
    apt = shutil.which("apt-get")
    prefix = [] if os.name != "posix" or os.geteuid() == 0 else ["sudo"] if shutil.which("sudo") else None
    if apt is None or prefix is None:
        sys.exit("PostgreSQL's server programs (initdb, pg_ctl) are missing and cannot be installed from "
                 "here (no apt-get, or not root and no sudo): install PostgreSQL (Debian/Ubuntu: "
                 "`sudo apt-get install -y postgresql`), or leave its tests out with -m 'not postgres'")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(*prefix, apt, "update", "-qq", env=env)
    # no recommends: the server programs only; the tests start their own cluster, not the system's
    run(*prefix, apt, "install", "-y", "-qq", "--no-install-recommends", *PG_PACKAGES, env=env)
    if not postgres_present():
        sys.exit("PostgreSQL's initdb and pg_ctl are still missing after installing " + " ".join(PG_PACKAGES))


def ensure_system_packages() -> None:
    """Install what the tests need from the system where it is missing (Linux with apt only)."""
    if sys.platform.startswith("linux") and "not postgres" not in " ".join(sys.argv):
        ensure_postgres()
    if not sys.platform.startswith("linux") or (qt_works() and all(map(shutil.which, COMMANDS_NEEDED))
                                                 and xcb_libs_present()):
        return
    apt = shutil.which("apt-get")
    if apt is None:
        sys.exit("Qt's libraries, poppler-utils or softhsm2 are missing and there is no apt-get: "
                 "install them by hand")
    prefix = [] if os.geteuid() == 0 else ["sudo"]
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    run(*prefix, apt, "update", "-qq", env=env)
    run(*prefix, apt, "install", "-y", "-qq", "--no-install-recommends", *APT_PACKAGES, env=env)
    if not qt_works():
        sys.exit("Qt still cannot start offscreen after installing system packages")
    missing = [c for c in COMMANDS_NEEDED if not shutil.which(c)]
    if not xcb_libs_present():
        missing.append("the xcb libraries of " + " ".join(bundle.XCB_PACKAGES))
    if missing:
        sys.exit(f"still missing after installing system packages: {', '.join(missing)}")


def demo() -> int:
    ensure_venv("")
    db = ROOT / "demo.db"
    print(f"Building the demo project {db} (one province, 2023 and 2024, every stage scored) ...",
          flush=True)
    run(BIN / "evaluator", "demo", db, "--force")
    print("The 2024 results of the demo project:", flush=True)
    code = run(BIN / "evaluator", "results", "--db", db, "--year", "2024", check=False)
    # ``evaluator`` is not on PATH (it is in the venv): print commands that work as typed, from here
    exe = os.path.relpath(BIN / ("evaluator.exe" if os.name == "nt" else "evaluator"), ROOT)
    name = os.path.relpath(db, ROOT)
    print(f"""
Done. From this folder ({ROOT}):
  {exe} gui --db {name}                     open the desktop application on the demo project
  {exe} results --db {name} --year 2024     the results table again
  {exe} --help                              every command""", flush=True)
    return code


def test(extra: list[str]) -> int:
    ensure_venv(TEST_EXTRAS)
    ensure_system_packages()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    failed = 0
    failed |= run(PY, "-m", "ruff", "check", "evaluator", "tests", "benchmarks", check=False)
    failed |= run(PY, "-m", "mypy", check=False)
    failed |= run(BIN / "lint-imports", check=False)  # the layers ([tool.importlinter] in pyproject.toml)
    # everything but the crash campaign, slow tests included (plain `pytest` leaves them out); --quick: not
    quick = "--quick" in extra
    marks = [] if quick else ["-m", "not crash"]
    code = run(PY, "-m", "pytest", *marks, *workers(extra), *[a for a in extra if a != "--quick"], env=env,
               check=False)
    return code or (1 if failed else 0)


def workers(extra: list[str]) -> list[str]:
    """pytest-xdist: one test process per core (at most 4; EVALUATOR_TEST_WORKERS overrides, 1 = none), each
    test file whole on one worker (``loadfile``: a module's fixtures are built once). Not when the caller
    already chose, or names single tests."""
    if any(a.startswith(("-n", "--numprocesses")) or a == "no:xdist" or "::" in a for a in extra):
        return []
    count = int(os.environ.get("EVALUATOR_TEST_WORKERS", min(os.cpu_count() or 1, 4)))
    return ["-n", str(count), "--dist", "loadfile"] if count > 1 else []


def crash(extra: list[str]) -> int:
    """The crash campaign (tests/test_crash_campaign.py): apart from the default suite, which it would
    double; EVALUATOR_CRASH_POINTS (default 30 per scenario) and EVALUATOR_CRASH_SEED choose the moments."""
    ensure_venv(TEST_EXTRAS)
    ensure_system_packages()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return run(PY, "-m", "pytest", "-m", "crash", "-s", "tests/test_crash_campaign.py", *extra, env=env,
               check=False)


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in ("demo", "test", "crash"):
        print(__doc__)
        return 2
    if sys.argv[1] == "demo":
        return demo()
    if sys.argv[1] == "crash":
        return crash(sys.argv[2:])
    return test(sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
