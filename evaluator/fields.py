"""The rules every text field obeys, whatever brought it in: a team package, a workbook, the GUI or the CLI.

One table of limits (``LIMITS``) matches the database columns, so that what one importer accepts another
can always export and import again. Text never holds control characters (an ESC in a note broke the
Excel export, and they have no business in a signed document) nor lone surrogates (they cannot be written
as UTF-8). Evidence file names are display names only: ``file_name_problem`` says why a name from outside
is not one, ``safe_file_name`` turns any name into one path component that is safe on Windows and Linux.

This module sits at the bottom of the layers: it raises ``FieldError`` (a ``ValueError`` whose message is a
code, ``field.*``, rendered in the user's language) and each caller names the place (file, row, record) in its
own message. The ``*_problem`` functions return the text rendered in the current language.
"""

from __future__ import annotations

import re
import unicodedata

from evaluator.errors import Coded
from evaluator.messages import Message

LIMITS: dict[str, int] = {
    "project.name": 300,
    "project.province": 200,
    "period.title": 300,
    "unit.code": 64,
    "unit.name": 300,
    "unit.kind": 32,
    # the details a province keeps about its units (migration 0006)
    "unit.short_name": 100,
    "unit.ranking_group": 64,
    "unit.abbreviation": 32,
    "unit.head_title": 100,
    "criterion_code": 64,
    "stage": 32,
    "author": 200,
    "role": 64,
    "device_id": 100,
    "action": 64,
    "file_name": 255,
    "media_type": 200,
    "note": 10_000,
    "reason": 10_000,
    "reference": 2_000,
}
"""Most characters each field may hold (the database column's length, or a bound on free text)."""

MULTILINE = frozenset({"note", "reason", "reference"})
"""Fields where a line break or a tab is ordinary text."""

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")

_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
    | {f"COM{c}" for c in "¹²³"}
    | {f"LPT{c}" for c in "¹²³"}
)
_WINDOWS_BAD = re.compile(r'[<>:"/\\|?*]')
_DRIVE = re.compile(r"^[A-Za-z]:")
FILE_NAME_BYTES = 240
"""Bytes of UTF-8 a file name on disk may take (ext4 and NTFS allow 255; room for a suffix)."""


FIRST_YEAR, LAST_YEAR = 2000, 2100
"""The years a criteria set, a period or an imported workbook may name (the criteria-set loader's rule)."""


class FieldError(Coded, ValueError):
    """A value that breaks a field's rule; the message names the rule, the caller names the place."""


def check_year(value: object) -> int:
    """``value`` if it is a whole year from ``FIRST_YEAR`` to ``LAST_YEAR``, else ``FieldError``."""
    if not isinstance(value, int) or isinstance(value, bool) or not FIRST_YEAR <= value <= LAST_YEAR:
        raise FieldError("field.not_a_year", value=value, first=FIRST_YEAR, last=LAST_YEAR)
    return value


def year_pair_problem(period_year: int, set_year: int) -> str | None:
    """Why an assessment of ``period_year`` cannot use a criteria set made for ``set_year`` (or None):
    the same rule for team packages and workbooks."""
    if period_year != set_year:
        return Message("field.year_pair", {"period_year": period_year, "set_year": set_year}).render()
    return None


def bad_character(text: str, *, multiline: bool = False) -> str | None:
    """A description of the first control character or lone surrogate in ``text`` (None if clean)."""
    found = _bad_character(text, multiline=multiline)
    return None if found is None else found.render()


def _bad_character(text: str, *, multiline: bool = False) -> Message | None:
    m = (_CONTROL_MULTILINE if multiline else _CONTROL).search(text)
    if m is None:
        return None
    ch = m.group()
    kind = Message("field.lone_surrogate" if "\ud800" <= ch <= "\udfff" else "field.control_character")
    return Message("field.bad_character", {"kind": kind, "code": f"{ord(ch):04X}", "position": m.start() + 1})


def check_text(value: object, field: str, *, empty: bool = True) -> str:
    """``value`` if it is text that fits ``field`` (a key of ``LIMITS``), else ``FieldError``."""
    if not isinstance(value, str):
        raise FieldError("field.not_text", type=type(value).__name__)
    limit = LIMITS[field]
    if len(value) > limit:
        raise FieldError("field.too_long", length=len(value), limit=limit)
    if not empty and not value.strip():
        raise FieldError("field.empty")
    problem = _bad_character(value, multiline=field in MULTILINE)
    if problem is not None:
        raise FieldError("field.contains", problem=problem)
    return value


def strip_control(text: str, *, multiline: bool = True) -> str:
    """``text`` without control characters and lone surrogates: for writing text stored by an older
    version (exporters must not fail on what the database already holds)."""
    return (_CONTROL_MULTILINE if multiline else _CONTROL).sub("", text)


def file_name_problem(name: object) -> str | None:
    """Why ``name`` (an evidence file name from outside) is not a plain display name, or None.

    A name that could point anywhere but at one file in one folder is refused: path separators, ``.`` and
    ``..``, drive and absolute paths, control characters. Names that are merely awkward on Windows
    (``CON.pdf``, ``a?b``) are accepted here: ``safe_file_name`` neutralises them on disk."""
    found = _file_name_problem(name)
    return None if found is None else found.render()


def _file_name_problem(name: object) -> Message | None:
    if not isinstance(name, str):
        return Message("field.expected_text")
    if not name.strip():
        return Message("field.name_empty")
    if len(name) > LIMITS["file_name"]:
        return Message("field.too_long", {"length": len(name), "limit": LIMITS["file_name"]})
    problem = _bad_character(name)
    if problem is not None:
        return Message("field.contains", {"problem": problem})
    if "/" in name or "\\" in name:
        return Message("field.path_separator")
    if name.strip() in (".", ".."):
        return Message("field.folder_reference")
    if _DRIVE.match(name):
        return Message("field.drive_path")
    return None


def safe_file_name(name: str, *, default: str = "tai-lieu") -> str:
    """One path component for ``name`` that is safe to create on Windows and Linux: the last part of any
    path, without control or reserved characters, not a reserved device name, not ``.``/``..``, not ending
    in a dot or space, at most ``FILE_NAME_BYTES`` bytes of UTF-8 (the extension kept)."""
    name = unicodedata.normalize("NFC", name)
    name = re.split(r"[/\\]", name)[-1]
    name = _DRIVE.sub("", name)
    name = _CONTROL.sub("", name)
    name = _WINDOWS_BAD.sub("_", name).strip().rstrip(". ")
    if not name or set(name) <= {"."}:
        name = default
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    if stem.split(".")[0].upper().rstrip() in _WINDOWS_RESERVED or name.upper() in _WINDOWS_RESERVED:
        name = "_" + name
        stem = "_" + stem if dot else name
    if len(name.encode("utf-8")) > FILE_NAME_BYTES:
        ext = ext if dot and len(ext.encode("utf-8")) <= 16 else ""
        room = FILE_NAME_BYTES - len(ext.encode("utf-8")) - (1 if ext else 0)
        cut = (stem if dot else name).encode("utf-8")[:room]
        stem = cut.decode("utf-8", "ignore").rstrip(". ") or default
        name = f"{stem}.{ext}" if ext else stem
    return name
