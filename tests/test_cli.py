"""The ``evaluator`` command line: exit codes (0 success, 1 bad input with a message, 2 usage error),
``framework list/validate/export``, ``init`` and ``demo``'s refusal to overwrite. In-process through
``evaluator.cli.main.main``, plus a few real subprocess runs."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from evaluator import __version__
from evaluator.frameworks import load_framework
from evaluator.frameworks.registry import bundled_frameworks, find_bundled
from evaluator.models import CriteriaSet, Period, ProjectInfo, open_project

ROOT = Path(__file__).resolve().parent.parent
MINI = Path(__file__).parent / "data" / "mini.yaml"


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("PYTHONIOENCODING", None)
    env["LC_ALL"] = "C"  # a poor locale: output must still be UTF-8 and messages must not crash
    return env


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --- real processes ----------------------------------------------------------------------------------
@pytest.mark.slow
def test_version_from_the_console_script_and_python_m() -> None:
    script = Path(sys.executable).parent / "evaluator"
    commands = [[sys.executable, "-m", "evaluator", "--version"]]
    if script.exists():
        commands.append([str(script), "--version"])
    for command in commands:
        done = subprocess.run(command, capture_output=True, env=_env(), cwd=ROOT, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode().strip() == f"evaluator {__version__}"


def test_version_loads_no_database_or_table_library() -> None:
    # The installer's smoke test wants `--version` within 1 s from a cold start; building the whole parser
    # imported SQLAlchemy (server roles) and, through the saved language, pandas and the scoring engine.
    heavy = "('sqlalchemy', 'pandas', 'reportlab', 'PySide6')"
    probe = ("import sys; from evaluator.cli.main import main; code = main(['--version']); "
             f"print(code, sorted(m for m in {heavy} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=_env(), cwd=ROOT,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().splitlines() == [f"evaluator {__version__}", "0 []"]


@pytest.mark.slow
def test_subprocess_exit_codes_bad_input_1_and_usage_2(tmp_path: Path) -> None:
    missing = tmp_path / "không có.db"
    done = subprocess.run([sys.executable, "-m", "evaluator", "results", "--db", str(missing),
                           "--year", "2024"], capture_output=True, env=_env(), cwd=tmp_path, timeout=60)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 1
    assert err.startswith("error: ") and "không có.db" in err
    assert "Traceback" not in err
    assert not missing.exists(), "opening a missing project must not create it"

    done = subprocess.run([sys.executable, "-m", "evaluator", "results", "--year", "2024"],
                          capture_output=True, env=_env(), cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert b"--db" in done.stderr and b"Traceback" not in done.stderr


# --- usage errors: exit 2 ----------------------------------------------------------------------------
@pytest.mark.parametrize("argv", [
    ["bogus"],
    ["results", "--year", "2024"],
    ["results", "--db", "x.db", "--year", "last"],
    ["results", "--db", "x.db", "--year", "2024", "--format", "xml"],
    ["import", "--db", "x.db"],
    ["import", "a.xlsx"],
    ["framework"],
    ["framework", "frobnicate"],
    ["framework", "export", "par-district-2024"],
    ["framework", "list", "--format", "yaml"],
    ["init", "x.db"],
    ["demo"],
    ["demo", "x.db", "--seed", "abc"],
], ids=lambda a: " ".join(a))
def test_usage_errors_exit_2(argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             capsys: pytest.CaptureFixture[str]) -> None:
    from evaluator.cli.main import main

    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "usage:" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == [], "a usage error must not create files"


@pytest.mark.parametrize("command", [
    ["export", "--db", "p.db", "--out", "t.cchc"],
    ["report", "appraisal", "--db", "p.db", "--year", "2024", "--all", "--out", "d"],
    ["sign", "a.pdf"],
], ids=lambda a: a[0])
def test_signing_key_options_are_the_same_for_every_command(command: list[str]) -> None:
    """export, report and sign read one set of key options (cli/keys.add_key_options), into the same
    names ``key_choice`` reads."""
    from evaluator.cli.main import _parser

    keys = ["--p12", "k.p12", "--pkcs11-lib", "lib.so", "--token-label", "T", "--key-label", "K",
            "--password-env", "PW", "--password-stdin"]
    args = _parser().parse_args([*command, *keys])
    assert (args.p12, args.pkcs11_lib, args.token_label, args.key_label, args.password_env,
            args.password_stdin) == (Path("k.p12"), "lib.so", "T", "K", "PW", True)


# --- bad input: exit 1 with a message ----------------------------------------------------------------
@pytest.fixture
def empty_2024(tmp_path: Path, run_cli) -> Path:
    path = tmp_path / "p.db"
    code, _out, err = run_cli("init", path, "--year", 2024)
    assert code == 0, err
    return path


def test_results_for_a_year_not_in_the_project(empty_2024: Path, run_cli) -> None:
    before = _sha(empty_2024)
    code, out, err = run_cli("results", "--db", empty_2024, "--year", 2019)
    assert code == 1 and out == ""
    assert err == "error: the project has no data for 2019; years in the project: 2024\n"
    assert _sha(empty_2024) == before


def test_results_of_a_year_without_assessments_is_empty_not_an_error(empty_2024: Path, run_cli) -> None:
    code, out, err = run_cli("results", "--db", empty_2024, "--year", 2024, "--format", "json")
    assert code == 0, err
    assert json.loads(out) == {"year": 2024, "units": [], "summary": {}}


def test_missing_project_file(tmp_path: Path, run_cli) -> None:
    missing = tmp_path / "missing.db"
    for argv in (["results", "--db", missing, "--year", 2024],
                 ["import", "--db", missing, tmp_path / "a.xlsx"]):
        code, out, err = run_cli(*argv)
        assert code == 1 and out == ""
        assert err.startswith("error: no project at ") and str(missing) in err
        assert not missing.exists()


@pytest.mark.parametrize("content", [b"hello, not a database\n", b"PK\x03\x04 a zip file, perhaps",
                                     bytes(range(256))], ids=["text", "zip", "binary"])
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path: Path, run_cli,
                                                                 content: bytes) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    code, out, err = run_cli("results", "--db", path, "--year", 2024)
    assert code == 1 and out == ""
    assert "is not an evaluator project: it is not an SQLite database file" in err
    assert path.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def test_a_folder_as_project(tmp_path: Path, run_cli) -> None:
    code, _out, err = run_cli("results", "--db", tmp_path, "--year", 2024)
    assert code == 1 and "is a folder, not a project file" in err


def test_an_unknown_database_url(run_cli) -> None:
    code, _out, err = run_cli("results", "--db", "nosuchdialect://host/db", "--year", 2024)
    assert code == 1 and err.startswith("error: ") and "Traceback" not in err


def test_import_of_a_missing_workbook(empty_2024: Path, tmp_path: Path, run_cli) -> None:
    code, _out, err = run_cli("import", "--db", empty_2024, tmp_path / "nowhere.xlsx")
    assert code == 1
    assert "import refused, nothing was written" in err and "nowhere.xlsx: cannot be read" in err


# --- framework list ----------------------------------------------------------------------------------
def test_framework_list_json_shape(run_cli) -> None:
    code, out, err = run_cli("framework", "list", "--format", "json")
    assert code == 0, err
    data = json.loads(out)
    assert isinstance(data, list)
    bundled = {(f.code, f.version): f for f in bundled_frameworks()}
    assert len(data) == len(bundled) >= 8
    for item in data:
        assert list(item) == ["code", "version", "year", "unit_kinds", "sha256", "title"]
        fw = bundled[(item["code"], item["version"])]
        assert isinstance(item["version"], int) and isinstance(item["year"], int)
        assert item["year"] == fw.year and item["title"] == fw.title
        assert item["unit_kinds"] == list(fw.unit_kinds)
        assert item["sha256"] == fw.sha256 and len(item["sha256"]) == 64
        int(item["sha256"], 16)
    codes = {item["code"] for item in data}
    assert {"par-department-2024", "par-district-2024", "par-commune-2024", "par-commune-2023",
            "par-department-2025"} <= codes
    titles = [item["title"] for item in data]
    assert not all(t.isascii() for t in titles)
    assert all(t in out for t in titles) and "\\u" not in out  # Vietnamese as is, not \u-escaped


def test_framework_list_by_year_and_as_table(run_cli) -> None:
    code, out, _err = run_cli("framework", "list", "--year", 2025, "--format", "json")
    assert code == 0
    assert {(i["code"], i["year"]) for i in json.loads(out)} == {("par-commune-2025", 2025),
                                                                 ("par-department-2025", 2025)}
    code, out, _err = run_cli("framework", "list", "--year", 2024)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["Mã", "Phiên", "bản"]
    body = [line for line in lines[2:] if line.strip()]
    assert sorted(line.split()[0] for line in body) == ["par-commune-2024", "par-department-2024",
                                                        "par-district-2024"]
    fw = find_bundled("par-district-2024")
    row = next(line for line in body if line.startswith("par-district-2024"))
    assert fw.sha256[:12] in row and f" {len(fw.leaves())} " in row
    code, out, _err = run_cli("framework", "list", "--year", 1999, "--format", "json")
    assert code == 0 and json.loads(out) == []


# --- framework export / validate ---------------------------------------------------------------------
NODE_KEYS = {"code", "parent", "title", "source", "role", "max", "rule", "not_applicable_allowed",
             "evidence_required"}
OPTIONAL_NODE_KEYS = {"title_en", "guidance", "cap_children"}


def test_framework_export_json_is_the_flat_node_list(tmp_path: Path, run_cli) -> None:
    out_file = tmp_path / "bo tieu chi.json"
    code, out, err = run_cli("framework", "export", "par-district-2024", "--out", out_file)
    assert code == 0, err
    assert out.strip() == f"par-district-2024@1 written to {out_file}"
    fw = find_bundled("par-district-2024")
    doc = json.loads(out_file.read_text(encoding="utf-8"))
    assert list(doc)[:5] == ["code", "version", "sha256", "year", "unit_kinds"]
    assert (doc["code"], doc["version"], doc["sha256"], doc["year"], doc["unit_kinds"]) == (
        "par-district-2024", 1, fw.sha256, 2024, ["district"])
    assert doc["format"] == "evaluator-framework" and doc["format_version"] == 1
    assert isinstance(doc["nodes"], list) and list(doc)[-1] == "nodes"
    assert [n["code"] for n in doc["nodes"]] == list(fw.nodes)  # tree order, every node
    seen: set[str] = set()
    for node in doc["nodes"]:
        assert NODE_KEYS <= set(node) <= NODE_KEYS | OPTIONAL_NODE_KEYS, node["code"]
        assert node["parent"] is None or node["parent"] in seen  # parents come first
        seen.add(node["code"])
        model = fw.nodes[node["code"]]
        assert node["parent"] == model.parent
        assert set(node["max"]) == {"district"}  # max always per kind
        assert node["max"]["district"] == float(model.max["district"])
        assert (node["rule"] is not None) == model.is_leaf
        assert node["source"] in ("appraisal", "survey") and node["role"] in ("scored", "bonus", "penalty")
        assert isinstance(node["not_applicable_allowed"], bool)
        assert isinstance(node["evidence_required"], bool)
    # and it reads back as the very same set
    code, out, err = run_cli("framework", "validate", out_file)
    assert code == 0, err
    assert f"OK — par-district-2024@1, 2024, {len(fw.leaves())} leaves, sha256 {fw.sha256}" in out


@pytest.mark.parametrize("suffix", [".yaml", ".xlsx"])
def test_framework_export_yaml_and_xlsx_keep_the_identity(tmp_path: Path, run_cli, suffix: str) -> None:
    out_file = tmp_path / f"set{suffix}"
    code, _out, err = run_cli("framework", "export", "par-commune-2025", "--out", out_file)
    assert code == 0, err
    assert load_framework(out_file).sha256 == find_bundled("par-commune-2025").sha256


def test_framework_export_errors(tmp_path: Path, run_cli) -> None:
    code, out, err = run_cli("framework", "export", "par-district-2024", "--out", tmp_path / "set.txt")
    assert code == 1 and out == ""
    assert err == "error: cannot export to set.txt: use a .yaml, .json or .xlsx file name\n"
    assert not (tmp_path / "set.txt").exists()

    code, _out, err = run_cli("framework", "export", "par-village-2024", "--out", tmp_path / "x.json")
    assert code == 1 and "no bundled criteria set 'par-village-2024'; known: par-commune-2023" in err

    code, _out, err = run_cli("framework", "export", "par-district-2024", "--version", 7, "--out",
                              tmp_path / "x.json")
    assert code == 1 and "no bundled criteria set 'par-district-2024' version 7" in err

    code, _out, err = run_cli("framework", "export", "par-district-2024", "--out", tmp_path / "no" / "x.json")
    assert code == 1 and err.startswith("error: cannot write ") and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_framework_validate_lists_every_problem_of_every_file(tmp_path: Path, run_cli) -> None:
    text = MINI.read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    broken.write_text(text.replace("title: Ban hành kế hoạch CCHC năm", 'title: ""')
                      .replace("rule: {kind: binary}", "rule: {kind: bogus}")
                      .replace("max: 1.5\n", "max: -1.5\n"), encoding="utf-8")
    not_text = tmp_path / "binary.yaml"
    not_text.write_bytes(b"\xff\xfe\x00garbage")
    code, out, err = run_cli("framework", "validate", broken, MINI, not_text, tmp_path / "absent.json")
    assert code == 1
    assert f"{MINI}: OK — test-mini@1, 2024, 13 leaves" in out  # the good file is still checked
    assert f"{broken}: 5 problem(s)" in err
    for expected in ("node 1.1: field 'title': is required",
                     "node 1.1: field 'rule.kind': unknown rule kind 'bogus'",
                     "node 1.4.1: field 'max': must be greater than 0, got -1.5",
                     "node 1.4: field 'max.district': children add up to 1 but the node's max is 2",
                     "node 1.4: field 'max.commune': children add up to 1 but the node's max is 2"):
        assert f"  - {broken}: {expected}" in err
    assert f"{not_text}: 1 problem(s)" in err and "not UTF-8 text" in err
    assert f"{tmp_path / 'absent.json'}: set: field '(file)': no such file" in err
    assert "Traceback" not in err

    code, out, err = run_cli("framework", "validate", MINI)
    assert code == 0 and err == ""


# --- init --------------------------------------------------------------------------------------------
def test_init_creates_a_project_with_the_three_sets_of_the_year(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "thẩm định 2024.db"
    code, out, err = run_cli("init", path, "--year", 2024, "--name", "Thẩm định 2024", "--province", "Tỉnh B")
    assert code == 0, err
    assert out.strip() == (f"project {path} created for 2024 with criteria sets: "
                           "par-commune-2024@1, par-department-2024@2, par-district-2024@1")
    with open_project(path) as project, project.session() as s:
        sets = s.scalars(select(CriteriaSet)).all()
        assert sorted((c.code, c.year) for c in sets) == [("par-commune-2024", 2024),
                                                          ("par-department-2024", 2024),
                                                          ("par-district-2024", 2024)]
        for c in sets:
            assert c.sha256 == find_bundled(c.code).sha256
        assert s.scalars(select(Period.year)).all() == [2024]
        info = s.scalars(select(ProjectInfo)).one()
        assert (info.name, info.province) == ("Thẩm định 2024", "Tỉnh B")
    # in Vietnamese too (it was English whatever the language)
    code, out, err = run_cli("--lang", "vi", "init", tmp_path / "vi.db", "--year", 2025)
    assert code == 0, err
    assert out.startswith(f"đã tạo dự án {tmp_path / 'vi.db'} cho năm 2025 với các bộ tiêu chí: par-")

    before = _sha(path)
    code, _out, err = run_cli("init", path, "--year", 2024)
    assert code == 1 and "already exists" in err
    assert _sha(path) == before


def test_init_for_a_year_without_bundled_sets_leaves_no_file(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "p.db"
    code, _out, err = run_cli("init", path, "--year", 2030)
    assert code == 1 and err.startswith("error: no bundled criteria sets for 2030: give the province's own")
    assert list(tmp_path.iterdir()) == []
    code, _out, err = run_cli("init", path, "--year", 2023)  # so a corrected retry works
    assert code == 0, err


def test_init_in_a_missing_folder(tmp_path: Path, run_cli) -> None:
    code, _out, err = run_cli("init", tmp_path / "no" / "p.db", "--year", 2024)
    assert code == 1 and "does not exist" in err


# --- demo --------------------------------------------------------------------------------------------
def test_demo_refuses_to_overwrite_without_force(tmp_path: Path, run_cli) -> None:
    path = tmp_path / "demo.db"
    path.write_bytes(b"precious work")
    evidence = tmp_path / "demo.evidence"
    evidence.mkdir()
    (evidence / "keep.txt").write_text("keep")
    code, out, err = run_cli("demo", path)
    assert code == 1 and out == ""
    assert err == f"error: {path} already exists: use --force to replace it\n"
    assert path.read_bytes() == b"precious work"
    assert (evidence / "keep.txt").read_text() == "keep"


def test_demo_in_a_missing_folder(tmp_path: Path, run_cli) -> None:
    code, _out, err = run_cli("demo", tmp_path / "missing" / "demo.db")
    assert code == 1 and "does not exist" in err and "Traceback" not in err
