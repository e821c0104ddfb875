"""Random damage to valid packages and workbooks: a clean error and an untouched project, or a correct
import — never a half-written project."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import tempfile
import uuid
import zipfile
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from conftest import PKI_PASSWORD
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from evaluator.errors import UserError
from evaluator.exchange import Pkcs12Signer
from evaluator.models import Assessment, Evidence, Period, Unit, open_project
from evaluator.services.conflicts import list_conflicts, resolve_conflict
from evaluator.services.exchange import export_package, import_packages, this_device
from evaluator.services.frameworks import framework_for_kind
from evaluator.services.projects import create_project
from evaluator.services.scores import set_score
from evaluator.services.survey_import import import_survey
from evaluator.services.workbook_import import import_workbooks

YEAR = 2024
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HOSTILE = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
STATS: Counter[str] = Counter()
"""Outcomes of the hostile package cases (tried, refused, imported, traceback), printed at the end."""


def _small_project(path: Path) -> None:
    with create_project(path, [YEAR], name="Fuzz") as project, project.session() as s:
        period = s.scalars(select(Period).where(Period.year == YEAR)).one()
        for code, kind in (("H01", "district"), ("H02", "district")):
            unit = Unit(code=code, name=f"UBND {code}", kind=kind)
            s.add(unit)
            s.flush()
            s.add(
                Assessment(
                    unit_id=unit.id, period_id=period.id, criteria_set_id=framework_for_kind(s, YEAR, kind).id
                )
            )
        s.flush()
        for a in s.scalars(select(Assessment)):
            for leaf in ("1.7", "2.2.1"):
                set_score(s, a.id, leaf, "self", value={"done": True}, author="đơn vị")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, exchange_pki: dict[str, Path]) -> Iterator[dict[str, Any]]:
    folder = tmp_path_factory.mktemp("fuzz")
    committee = folder / "committee.db"
    _small_project(committee)
    team = folder / "team.db"
    shutil.copyfile(committee, team)
    # another laptop changed H01 2.2.1 too: the team imports it and decides the conflict, so that the
    # package also carries a resolved conflict (``conflicts``) for the mutations to damage
    other = folder / "other.db"
    shutil.copyfile(committee, other)
    with open_project(other) as project:
        other_device = this_device(project)
        with project.session() as s:
            [a_id] = s.scalars(select(Assessment.id).join(Unit).where(Unit.code == "H01"))
            set_score(s, a_id, "2.2.1", "self", value={"done": False}, author="Tổ 2", device_id=other_device)
        export_package(project, folder / "other.cchc", author="Tổ 2")
    with open_project(team) as project:
        device = this_device(project)
        sha, size = project.evidence.put(b"bien ban kiem tra", "bb.txt")
        with project.session() as s:
            for a in s.scalars(select(Assessment)):
                set_score(s, a.id, "1.7", "self", value={"done": False}, author="Tổ 1", device_id=device)
                s.add(
                    Evidence(
                        assessment_id=a.id, criterion_code="1.7", sha256=sha, file_name="bb.txt", size=size
                    )
                )
            [a_id] = s.scalars(select(Assessment.id).join(Unit).where(Unit.code == "H01"))
            set_score(s, a_id, "2.2.1", "self", value={"done": True}, author="Tổ 1", device_id=device)
        assert import_packages(project, [folder / "other.cchc"]).scores_conflicting == 1
        with project.session() as s:
            [c] = list_conflicts(s)
            resolve_conflict(s, c["id"], points=Decimal("0.25"), reason="tổ quyết định", author="Tổ 1")
        export_package(project, folder / "team.cchc", author="Tổ 1")
        signer = Pkcs12Signer(exchange_pki["p12"], PKI_PASSWORD)
        export_package(project, folder / "signed.cchc", author="Tổ 1", signer=signer)
    book = folder / "survey.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "answers"
    ws.append(["respondent_id", "group", "unit_code", "question_code", "answer"])
    for i, (unit, q, group, answer) in enumerate(
        [("H01", "Q1", "officials", "A"), ("H01", "Q2", "leaders", "B"), ("H02", "Q22", "citizens", "C")]
    ):
        ws.append([f"R{i}", group, unit, q, answer])
    wb.save(book)
    consolidated = folder / "consolidated.xlsx"
    wb = openpyxl.Workbook()
    meta = wb.active
    assert meta is not None
    meta.title = "meta"
    for row in (
        ["key", "value"],
        ["format", "evaluator-consolidated"],
        ["format_version", 1],
        ["year", YEAR],
    ):
        meta.append(row)
    units = wb.create_sheet("units")
    units.append(["unit_code", "unit_name", "unit_kind", "framework_code"])
    units.append(["H01", "UBND H01", "district", "par-district-2024"])
    scores = wb.create_sheet("scores")
    scores.append(["unit_code", "criterion_code", "stage", "points", "not_applicable", "note"])
    scores.append(["H01", "1.7", "appraisal1", 0, "", "hội đồng"])
    scores.append(["H02", "2.2.1", "appraisal2", 0.5, "", ""])
    wb.save(consolidated)
    reference = _scratch(committee)
    with open_project(reference) as project:
        assert import_packages(project, [folder / "team.cchc"]).conflicts_resolved == 1
    yield {
        "committee": committee,
        "package": (folder / "team.cchc").read_bytes(),
        "signed": (folder / "signed.cchc").read_bytes(),
        "ca": exchange_pki["ca_pem"],
        "survey": book.read_bytes(),
        "consolidated": consolidated.read_bytes(),
        "reference": _content(reference),
    }
    if STATS:
        print("\nhostile package cases: " + ", ".join(f"{k} {v}" for k, v in sorted(STATS.items())))


def _scratch(committee: Path) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
    target = folder / "committee.db"
    shutil.copyfile(committee, target)
    return target


@contextmanager
def scratch(committee: Path) -> Iterator[Path]:
    """A private copy of the committee project in a temporary folder, removed afterwards."""
    db = _scratch(committee)
    try:
        yield db
    finally:
        shutil.rmtree(db.parent, ignore_errors=True)


def _state(db: Path) -> tuple[str, tuple[str, ...]]:
    digest = hashlib.sha256(db.read_bytes()).hexdigest()
    evidence = db.with_suffix(".evidence")
    return digest, tuple(
        sorted(p.name for p in evidence.rglob("*") if p.is_file())
    ) if evidence.is_dir() else ()


def _content(db: Path) -> Any:
    con = sqlite3.connect(db)
    try:
        return (
            sorted(
                con.execute(
                    "SELECT assessment_id, criterion_code, stage, points, value, note, revision FROM score"
                )
            ),
            sorted(con.execute("SELECT id, base_revision_id, points FROM score_revision")),
            sorted(con.execute("SELECT assessment_id, criterion_code, sha256 FROM evidence")),
            sorted(con.execute("SELECT id FROM audit_event WHERE action != 'import.package'")),
        )
    finally:
        con.close()


def _sound(db: Path) -> None:
    con = sqlite3.connect(db)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()


def _check(db: Path, run: Any, *, logs_every_run: bool = False) -> bool:
    """Run an import: True when it succeeded, False when it was refused (and changed nothing).

    A correct import is idempotent: running it again changes nothing (``logs_every_run``: the consolidated
    workbook import logs every run, so only its scores must stay the same)."""
    before = _state(db)
    try:
        with open_project(db) as project:
            run(project)
    except UserError:
        assert _state(db) == before
        return False
    except Exception:
        STATS["traceback"] += 1
        raise
    _sound(db)
    again, content = _state(db), _content(db)
    with open_project(db) as project:
        report = run(project)
    if logs_every_run:
        assert _content(db) == content and report.scores_new == report.scores_updated == 0
    else:
        assert _state(db) == again
    return True


@FUZZ
@given(data=st.data())
def test_damaged_package_bytes(base: dict[str, Any], data: st.DataObject):
    raw = bytearray(base["package"])
    how = data.draw(st.sampled_from(["flip", "truncate", "splice"]))
    if how == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            i = data.draw(st.integers(0, len(raw) - 1))
            raw[i] ^= data.draw(st.integers(1, 255))
    elif how == "truncate":
        raw = raw[: data.draw(st.integers(0, len(raw) - 1))]
    else:
        i = data.draw(st.integers(0, len(raw)))
        raw[i:i] = data.draw(st.binary(min_size=1, max_size=64))
    with scratch(base["committee"]) as db:
        package = db.parent / "team.cchc"
        package.write_bytes(bytes(raw))
        if _check(db, lambda p: import_packages(p, [package])):
            assert _content(db) == base["reference"]  # the damage missed everything the hashes cover


def _mutate_json(value: Any, data: st.DataObject) -> Any:
    """Replace one randomly chosen value somewhere inside ``value``."""
    if isinstance(value, dict) and value and data.draw(st.booleans()):
        key = data.draw(st.sampled_from(sorted(value)))
        return {**value, key: _mutate_json(value[key], data)}
    if isinstance(value, list) and value and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(value) - 1))
        return [*value[:i], _mutate_json(value[i], data), *value[i + 1 :]]
    return data.draw(
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-5, 10**6),
            st.text(max_size=8),
            st.sampled_from(
                [
                    "self",
                    "survey",
                    "1.7",
                    "2024-01-01T00:00:00+00:00",
                    "00000000-0000-0000-0000-000000000001",
                    "0.5",
                ]
            ),
            st.lists(st.integers(), max_size=2),
            st.just({}),
        )
    )


@FUZZ
@given(data=st.data())
def test_altered_package_content(base: dict[str, Any], data: st.DataObject):
    """The data itself is changed and the manifest re-hashed (a package made by another program)."""
    with zipfile.ZipFile(io.BytesIO(base["package"])) as zf:
        entries = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json.p7s"}
    document = _mutate_json(json.loads(entries["data.json"]), data)
    entries["data.json"] = json.dumps(document).encode()
    manifest = json.loads(entries["manifest.json"])
    manifest["entries"] = [
        {"path": n, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
        for n, b in entries.items()
        if n != "manifest.json"
    ]
    entries["manifest.json"] = json.dumps(manifest).encode()
    with scratch(base["committee"]) as db:
        package = db.parent / "team.cchc"
        with zipfile.ZipFile(package, "w") as zf:
            for name, blob in entries.items():
                zf.writestr(name, blob)
        _check(db, lambda p: import_packages(p, [package]))


@FUZZ
@given(data=st.data())
@pytest.mark.slow
def test_damaged_survey_workbook(base: dict[str, Any], data: st.DataObject):
    raw = bytearray(base["survey"])
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] ^= data.draw(st.integers(1, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    with scratch(base["committee"]) as db:
        book = db.parent / "survey.xlsx"
        book.write_bytes(bytes(raw))
        _check(db, lambda p: import_survey(p, book, year=YEAR))


@FUZZ
@given(data=st.data())
def test_damaged_consolidated_workbook(base: dict[str, Any], data: st.DataObject):
    raw = bytearray(base["consolidated"])
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(raw) - 1))
        raw[i] ^= data.draw(st.integers(1, 255))
    if data.draw(st.booleans()):
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    with scratch(base["committee"]) as db:
        book = db.parent / "consolidated.xlsx"
        book.write_bytes(bytes(raw))
        _check(db, lambda p: import_workbooks(p, [book]), logs_every_run=True)


# --- hostile content (issue #10): what a crafted package may hold ------------------------------------------
PLACEHOLDER = "@@raw@@"
EXTREME = ["1e308", "-1e308", "1e-400", "1" + "0" * 30, "-" + "9" * 40, "Infinity", "-Infinity", "NaN",
           "1e999999999", "0.000000000000000000001", "4.9e-324", "2.5"]


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    if isinstance(value, dict):
        for k in sorted(value):
            yield from _leaves(value[k], (*path, k))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _leaves(item, (*path, i))
    else:
        yield path, value


def _set(document: Any, path: tuple[Any, ...], value: Any) -> None:
    for key in path[:-1]:
        document = document[key]
    document[path[-1]] = value


def _pick(document: Any, data: st.DataObject, want: Any) -> tuple[Any, ...]:
    paths = [p for p, v in _leaves(document) if want(p, v)]
    return data.draw(st.sampled_from(paths))


def _repacked(source: bytes, text: str, *, keep_signature: bool = False) -> dict[str, bytes]:
    """The package's entries with ``text`` as data.json, the manifest re-hashed (signature dropped)."""
    with zipfile.ZipFile(io.BytesIO(source)) as zf:
        entries = {n: zf.read(n) for n in zf.namelist() if keep_signature or n != "manifest.json.p7s"}
    entries["data.json"] = text.encode()
    manifest = json.loads(entries["manifest.json"])
    manifest["entries"] = [
        {"path": n, "size": len(b), "sha256": hashlib.sha256(b).hexdigest()}
        for n, b in entries.items()
        if n not in ("manifest.json", "manifest.json.p7s")
    ]
    entries["manifest.json"] = json.dumps(manifest).encode()
    return entries


HOSTILE_KINDS = ("file_name", "number", "surrogate", "orphan", "year", "text")


def _hostile(document: dict[str, Any], data: st.DataObject, how: str) -> str:
    """``document`` with one hostile change of the kind ``how``, as data.json text."""
    raw = None
    if how == "file_name":
        names = ["../../../x.sh", "..", "C:\\x.pdf", "/etc/passwd", "a/../b", "CON.pdf", "ok.pdf"]
        parts = st.sampled_from(["..", ".", "a", "/", "\\", "C:", "\x00", "\x1b", "ặ"])
        name = data.draw(st.one_of(st.sampled_from(names), st.lists(parts, max_size=6).map("".join)))
        i = data.draw(st.integers(0, len(document["evidence"]) - 1))
        _set(document, ("evidence", i, "file_name"), name)
    elif how == "number":
        path = _pick(document, data, lambda p, v: isinstance(v, int | float) and not isinstance(v, bool))
        raw = data.draw(st.sampled_from(EXTREME))
        _set(document, path, PLACEHOLDER)
    elif how == "surrogate":
        path = _pick(document, data, lambda p, v: isinstance(v, str) and p[0] != "criteria_sets")
        lone = chr(data.draw(st.integers(0xD800, 0xDFFF)))
        _set(document, path, data.draw(st.sampled_from(["", "x"])) + lone)
    elif how == "orphan":
        keys = ("assessment_id", "unit_id", "period_id", "criteria_set_id")
        path = _pick(document, data, lambda p, v: p[-1] in keys)
        _set(document, path, str(uuid.UUID(int=data.draw(st.integers(1, 2**64)))))
    elif how == "year":
        path = data.draw(st.sampled_from([("periods", 0, "year"), ("criteria_sets", 0, "year")]))
        _set(document, path, data.draw(st.one_of(st.integers(-(10**6), 10**6), st.integers(2000, 2100))))
    else:  # text beyond the limits, or with control characters
        path = _pick(document, data, lambda p, v: isinstance(v, str) and p[0] not in ("criteria_sets",))
        _set(document, path, data.draw(st.sampled_from(["x" * 10_001, "x" * 301, "a\x1bb", "a\nb", "\x7f"])))
    text = json.dumps(document)
    if raw is not None:
        text = text.replace(json.dumps(PLACEHOLDER), raw)
    return text


@pytest.mark.parametrize("how", HOSTILE_KINDS)
@HOSTILE
@given(data=st.data())
def test_hostile_package_content(base: dict[str, Any], how: str, data: st.DataObject):
    """Crafted packages (re-hashed as another program would): refused with a message naming the place, or
    imported soundly — never a traceback, never a half-written project."""
    with zipfile.ZipFile(io.BytesIO(base["package"])) as zf:
        document = json.loads(zf.read("data.json"))
    text = _hostile(document, data, how)
    with scratch(base["committee"]) as db:
        package = db.parent / "team.cchc"
        with zipfile.ZipFile(package, "w") as zf:
            for name, blob in _repacked(base["package"], text).items():
                zf.writestr(name, blob)
        STATS["tried"] += 1
        STATS[f"{how}: tried"] += 1
        imported = _check(db, lambda p: import_packages(p, [package]))
        STATS["imported" if imported else "refused"] += 1
        STATS[f"{how}: {'imported' if imported else 'refused'}"] += 1


@HOSTILE
@given(data=st.data())
def test_removed_signature_under_a_trust_list(base: dict[str, Any], data: st.DataObject):
    """A signed package with its signature removed (and maybe its data changed and re-hashed) never gets
    past ``--trust``; with its signature kept, a changed manifest breaks the signature."""
    with zipfile.ZipFile(io.BytesIO(base["signed"])) as zf:
        document = json.loads(zf.read("data.json"))
    changed = data.draw(st.booleans())
    how = data.draw(st.sampled_from(HOSTILE_KINDS))
    text = _hostile(document, data, how) if changed else json.dumps(document)
    keep = data.draw(st.booleans())
    with scratch(base["committee"]) as db:
        package = db.parent / "team.cchc"
        with zipfile.ZipFile(package, "w") as zf:
            for name, blob in _repacked(base["signed"], text, keep_signature=keep).items():
                zf.writestr(name, blob)
        STATS["tried"] += 1
        STATS["signature: tried"] += 1
        imported = _check(db, lambda p: import_packages(p, [package], trust_files=[base["ca"]]))
        STATS["imported" if imported else "refused"] += 1
        STATS[f"signature: {'imported' if imported else 'refused'}"] += 1
        assert not imported  # unsigned, or a signature that no longer fits the re-hashed manifest
