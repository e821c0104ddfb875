"""Sheets that reach far: one value at XFD1048576 made python-calamine ask for 549,755,813,888 bytes (the
process aborted), one at ZZ100000 took 2.9 GB. Every reader of outside ``.xlsx`` files (consolidated
workbooks, survey and external-index sheets, criteria-set workbooks) now checks the file first
(``evaluator.xlsx_limits``) and refuses such a sheet with a message naming the file, the sheet and the cell.

The imports run in a child process with its address space capped, and report their peak memory."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from workbook_helpers import (
    consolidated,
    copy_db,
    dump_db,
    replace_part,
    sheet_part,
    with_sheet_data,
    write_sheets,
)

from evaluator import xlsx_limits
from evaluator.services.projects import create_project
from evaluator.xlsx_limits import WorkbookRefused, check_xlsx, extents

ROOT = Path(__file__).resolve().parents[1]
UNITS = [["H01", "UBND huyện Đông Sơn", "district", "par-district-2024"]]
SCORES = [["H01", "8.7.5", "self", 1], ["H01", "8.7.5", "appraisal1", 0.75, None, "Tổ thẩm định"]]
RSS_LIMIT_MB = 300
CHILD = r"""
import json, resource, sys
cap = 2 << 30  # an unbounded reader fails here rather than taking the machine's memory
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
result = None
try:
    exec(sys.argv[1])
finally:
    # VmHWM: this process's own peak (ru_maxrss would also count the parent's size at fork time, which
    # Linux keeps across exec: a big pytest process made every child look big)
    hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
    print("\n" + json.dumps({"result": result, "rss_mb": int(hwm.split()[1]) / 1024}))
"""


def bounded(code: str) -> tuple[int, Any, float | None, str]:
    """Run ``code`` (which sets ``result``) in a child with at most 2 GB of address space:
    (exit status, result, peak RSS in MB, stderr)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    p = subprocess.run([sys.executable, "-c", CHILD, code], capture_output=True, text=True, timeout=300,
                       env=env, cwd=ROOT)
    last = p.stdout.strip().splitlines()[-1] if p.stdout.strip() else ""
    if not last.startswith("{"):
        return p.returncode, None, None, p.stderr
    report = json.loads(last)
    return p.returncode, report["result"], report["rss_mb"], p.stderr


def import_cli(db: Path, book: Path) -> tuple[int, Any, float | None, str]:
    return bounded(f"""
import contextlib, io
from evaluator.cli.main import main
err = io.StringIO()
with contextlib.redirect_stderr(err):
    code = main(["import", "--db", {str(db)!r}, {str(book)!r}])
result = [code, err.getvalue()]
""")


def far_workbook(path: Path, cell: str, sheet: str = "scores") -> Path:
    """A valid consolidated workbook with one more value, at ``cell`` of ``sheet`` (written by openpyxl)."""
    write_sheets(path, consolidated(2024, UNITS, SCORES))
    wb = load_workbook(path)
    wb[sheet][cell] = "x"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "p.db"
    create_project(path, [2024], name="Thẩm định 2024", province="Tỉnh Thử").close()
    return path


@pytest.mark.parametrize(("cell", "size"), [("XFD1048576", "1,048,576 rows × 16,384 columns"),
                                            ("ZZ100000", "100,000 rows × 702 columns"),
                                            ("GS1", "3 rows × 201 columns"),
                                            ("F1000000", "1,000,000 rows × 6 columns")])
def test_a_far_away_cell_is_refused_in_bounded_memory(template: Path, tmp_path: Path, cell: str,
                                                      size: str) -> None:
    db = copy_db(template, tmp_path / "p.db")
    book = far_workbook(tmp_path / "xa.xlsx", cell)
    before = dump_db(db)
    status, result, rss, stderr = import_cli(db, book)
    assert status == 0 and result is not None, stderr[-2000:]
    code, err = result
    assert code == 1
    assert (f"  - xa.xlsx: sheet scores: a value at cell {cell} makes it {size} from A1; this program reads "
            "at most 200 columns and 5,000,000 cells: delete what lies beyond the table") in err, err
    assert "Traceback" not in err
    assert rss is not None and rss < RSS_LIMIT_MB, rss
    assert dump_db(db) == before


def test_a_huge_declared_dimension_alone_is_read(template: Path, tmp_path: Path) -> None:
    """The ``<dimension>`` a file declares is not what it holds: only the values count."""
    db = copy_db(template, tmp_path / "p.db")
    path = write_sheets(tmp_path / "dim.xlsx", consolidated(2024, UNITS, SCORES))
    data = path.read_bytes()
    member = sheet_part(data, "scores")
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read(member).decode()
    assert '<dimension ref="A1:F3"/>' in xml
    path.write_bytes(replace_part(data, member, xml.replace("A1:F3", "A1:XFD1048576").encode()))
    status, result, rss, stderr = import_cli(db, path)
    assert status == 0 and result is not None, stderr[-2000:]
    assert result[0] == 0, result[1]
    assert rss is not None and rss < RSS_LIMIT_MB, rss


def test_a_far_away_cell_in_a_survey_sheet_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "survey"
    ws.append(["unit_code", "criterion_code"])
    ws["XFD1048576"] = 1
    path = tmp_path / "ks.xlsx"
    wb.save(path)
    status, result, rss, stderr = bounded(f"""
from pathlib import Path
from evaluator.services.exchange_sheets import Problems, read_table
problems = Problems()
read_table(Path({str(path)!r}), "survey", ["unit_code"], problems)
result = [str(item) for item in problems.items]  # Messages, in English outside the faces
""")
    assert status == 0, stderr[-2000:]
    assert result == ["ks.xlsx: sheet survey: a value at cell XFD1048576 makes it 1,048,576 rows × 16,384 "
                      "columns from A1; this program reads at most 200 columns and 5,000,000 cells: delete "
                      "what lies beyond the table"]
    assert rss is not None and rss < RSS_LIMIT_MB


def test_a_far_away_cell_in_a_criteria_set_workbook_is_refused(tmp_path: Path) -> None:
    from evaluator.frameworks.registry import find_bundled
    from evaluator.frameworks.xlsx import write_workbook

    fw = find_bundled("par-district-2024")
    assert fw is not None
    path = tmp_path / "bo.xlsx"
    write_workbook(fw, path)
    wb = load_workbook(path)
    first = wb.sheetnames[0]
    wb[first]["ZZ100000"] = "x"
    wb.save(path)
    status, result, rss, stderr = bounded(f"""
from pathlib import Path
from evaluator.frameworks.loader import FrameworkInvalid
from evaluator.frameworks.xlsx_read import read_workbook
try:
    read_workbook(Path({str(path)!r}))
    result = "read"
except FrameworkInvalid as exc:
    result = [p.message for p in exc.problems]
""")
    assert status == 0, stderr[-2000:]
    assert result == [f"sheet {first}: a value at cell ZZ100000 makes it 100,000 rows × 702 columns from "
                      "A1; this program reads at most 200 columns and 5,000,000 cells: delete what lies "
                      "beyond the table"], result
    assert rss is not None and rss < RSS_LIMIT_MB


# --- what the scan sees, without calamine ------------------------------------------------------------
@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return write_sheets(tmp_path_factory.mktemp("base") / "b.xlsx",
                        consolidated(2024, UNITS, SCORES)).read_bytes()


FAR = "sheet scores: a value at cell "
UNUSUAL = [  # sheet XML the regular expressions cannot vouch for: the tokenizer follows calamine
    ("a namespace prefix", '<x:row r="1"><x:c r="XFD1"><x:v>1</x:v></x:c></x:row>', "XFD1"),
    ("cells without a reference", "<row>" + "<c><v>1</v></c>" * 201 + "</row>", "GS1"),
    ("a row without a reference after a far one", '<row r="4999999"/><row/><row><c t="n"><v>1</v></c></row>'
     '<!-- -->', "A5000001"),
    ("a cell after a far reference", '<row r="1"><c r="GR1"><v>1</v></c><c><v>2</v></c></row>', "GS1"),
    ("a comment before the cell", '<!-- <c r="A1"> --><row r="5"><c r="A5000001"><v>1</v></c></row>',
     "A5000001"),
    ("CDATA in a string", '<row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[<c r="A1">]]></t></is></c>'
     '<c r="XFD2"><v>1</v></c></row>', "XFD2"),
    ("a second r attribute", '<row r="1"><c r="A1" r="XFD1"><v>1</v></c></row>', "XFD1"),
    ("single quotes", "<row r='1'><c r='XFD9'><v>1</v></c></row>", "XFD9"),
    ("a lower-case reference", '<row r="1"><c r="xfd9"><v>1</v></c></row>', "XFD9"),
    ("a reference beyond Excel's", '<row r="1"><c r="A99999999"><v>1</v></c></row>', "A99999999"),
]


@pytest.mark.parametrize(("rows", "cell"), [u[1:] for u in UNUSUAL], ids=[u[0] for u in UNUSUAL])
def test_unusual_sheet_xml_is_followed_as_calamine_reads_it(base: bytes, rows: str, cell: str) -> None:
    with pytest.raises(WorkbookRefused, match=f"^{FAR}{cell} "):
        check_xlsx(with_sheet_data(base, "scores", rows))


def test_empty_cells_far_away_do_not_count(base: bytes) -> None:
    """Formatting alone (``<c r="XFD1" s="1"/>``) is no value: calamine skips it too."""
    data = with_sheet_data(base, "scores", '<row r="1"><c r="A1" t="inlineStr"><is><t>unit_code</t></is></c>'
                           '<c r="XFD1048576" s="1"/></row><row r="1048576"><c r="XFD1048576" s="1"/></row>')
    check_xlsx(data)
    assert extents(data)[sheet_part(data, "scores")] == (0, 0, 1)


def test_too_many_cells_even_at_one_place_are_refused(base: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine keeps every cell it meets before placing them: a million copies of A1 are a million cells."""
    monkeypatch.setattr(xlsx_limits, "MAX_CELLS", 1000)
    data = with_sheet_data(base, "scores", '<row r="1">' + '<c r="A1"><v>1</v></c>' * 1001 + "</row>")
    with pytest.raises(WorkbookRefused, match=r"^sheet scores: 1,001 cells with a value; this program reads "
                                              r"at most 1,000 in a sheet$"):
        check_xlsx(data)


def test_a_zip_bomb_is_refused(base: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx_limits, "MAX_UNZIPPED", 1 << 20)
    data = replace_part(base, "", extra={"xl/sharedStrings.xml": b"<sst>" + b" " * (2 << 20) + b"</sst>"})
    with pytest.raises(WorkbookRefused, match=r"^its parts unzip to more than 1 MB"):
        check_xlsx(data)


@pytest.mark.parametrize(("data", "message"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
     "it is an old .xls file or a password-protected workbook"),
    ("xlsb", "it holds the parts of an .xlsb or .ods file"),
    ("ods", "it holds the parts of an .xlsb or .ods file"),
    ("utf16", "is written in UTF-16"),
])
def test_formats_the_scan_cannot_follow_are_refused(base: bytes, data: Any, message: str) -> None:
    """calamine would also open .xls, .xlsb and .ods files, whose cells this scan cannot see."""
    if data == "xlsb":
        data = replace_part(base, "", extra={"xl/workbook.bin": b"\x83\x01\x00"})
    elif data == "ods":
        data = replace_part(base, "", extra={"content.xml": b"<office:document-content/>"})
    elif data == "utf16":
        member = sheet_part(base, "scores")
        with zipfile.ZipFile(io.BytesIO(base)) as z:
            xml = z.read(member).decode()
        utf16 = xml.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
        data = replace_part(base, member, utf16)
    with pytest.raises(WorkbookRefused, match=message):
        check_xlsx(data)


def test_a_file_that_is_no_zip_is_left_to_calamine() -> None:
    check_xlsx(b"hello")  # calamine refuses it with its own message


def test_a_damaged_workbook_part_is_refused_not_raised(tmp_path: Path) -> None:
    """A deflate stream that zlib cannot read in xl/workbook.xml (found by the survey fuzz test) is a
    refusal naming the part, not a zlib.error traceback."""
    import struct

    path = write_sheets(tmp_path / "s.xlsx", consolidated(2024, UNITS, SCORES))
    data = bytearray(path.read_bytes())
    offset = 0
    while True:  # the local header of xl/workbook.xml
        offset = data.index(b"PK\x03\x04", offset)
        name_len, extra_len = struct.unpack("<HH", data[offset + 26 : offset + 30])
        if data[offset + 30 : offset + 30 + name_len] == b"xl/workbook.xml":
            break
        offset += 4
    start = offset + 30 + name_len + extra_len
    data[start : start + 5] = b"\x00\x05\x00\x00\x00"  # a stored block whose LEN and NLEN disagree
    with pytest.raises(WorkbookRefused, match=r"part xl/workbook\.xml: .*invalid stored block lengths"):
        check_xlsx(bytes(data))


def test_a_zip_of_an_unknown_version_is_left_to_calamine_not_raised(tmp_path: Path) -> None:
    """A central directory claiming "zip file version 8.4" (found by the consolidated-workbook fuzz test)
    made zipfile raise NotImplementedError out of the check: it is now left to calamine, which refuses it."""
    path = write_sheets(tmp_path / "s.xlsx", consolidated(2024, UNITS, SCORES))
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")
    data[central + 6 : central + 8] = (84).to_bytes(2, "little")  # version needed to extract: 8.4
    check_xlsx(bytes(data))
