"""Signing a team package with a PKCS#11 token (SoftHSM2 stands in for a USB token).

SoftHSM reads its configuration once per process, when the library is first loaded, so the token is made
and used in a child process: the token tests of the PDF signing keep theirs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
CHILD = r"""
import json, sys
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import pki
from evaluator.cli.main import main
from evaluator.exchange import verify_package

folder, db = Path(sys.argv[2]), Path(sys.argv[3])
ca = pki.make_ca()
token = pki.make_token(folder / "hsm", pki.make_signer(ca, "Trưởng đoàn thẩm định"))
trust = pki.write_pem(folder / "ca.pem", ca)
import os
os.environ["TOKEN_PIN"] = pki.PIN
out = folder / "team.cchc"
code = main(["export", "--db", str(db), "--out", str(out), "--year", "2024", "--unit", "SO01",
             "--pkcs11-lib", token.lib, "--token-label", token.label, "--password-env", "TOKEN_PIN"])
report = verify_package(out, [trust])
print(json.dumps({"code": code, "ok": report.ok, "trusted": report.signature and report.signature.trusted,
                  "subject": report.signature and report.signature.subject}))
"""


@pytest.mark.slow
def test_export_signed_with_a_token(demo_db: Path, tmp_path: Path):
    db = tmp_path / "team.db"
    shutil.copyfile(demo_db, db)
    shutil.copytree(demo_db.with_suffix(".evidence"), db.with_suffix(".evidence"), copy_function=os.link)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(TESTS), str(tmp_path), str(db)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ},
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["code"] == 0 and result["ok"] and result["trusted"], done.stderr
    assert "Trưởng đoàn thẩm định" in result["subject"]
