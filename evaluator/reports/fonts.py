"""The documents' typeface: Times New Roman (Decree 30/2020 asks for it) where the system has it, else the
bundled Liberation Serif, which has the same metrics (a page lays out the same on both) and covers every
Vietnamese letter (SIL Open Font License 1.1, ``resources/fonts/LiberationSerif-LICENSE.txt``).

Both are embedded as subsets; the four styles are registered under our own names so the layout never
depends on which file was found.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
from pathlib import Path

from evaluator.resources import resource

SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC = (
    "EvSerif",
    "EvSerif-Bold",
    "EvSerif-Italic",
    "EvSerif-BoldItalic",
)
STYLES = (SERIF, SERIF_BOLD, SERIF_ITALIC, SERIF_BOLD_ITALIC)
BUNDLED = {
    SERIF: "LiberationSerif-Regular.ttf",
    SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf",
    SERIF_BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
# The file names Times New Roman comes under: Windows and macOS (times.ttf …), Debian's and Fedora's
# msttcorefonts (Times_New_Roman.ttf …), and the names the font's own installers use.
TIMES_NAMES = {
    SERIF: ("times.ttf", "Times_New_Roman.ttf", "Times New Roman.ttf", "TimesNewRoman.ttf"),
    SERIF_BOLD: (
        "timesbd.ttf",
        "Times_New_Roman_Bold.ttf",
        "Times New Roman Bold.ttf",
        "TimesNewRomanBold.ttf",
    ),
    SERIF_ITALIC: (
        "timesi.ttf",
        "Times_New_Roman_Italic.ttf",
        "Times New Roman Italic.ttf",
        "TimesNewRomanItalic.ttf",
    ),
    SERIF_BOLD_ITALIC: (
        "timesbi.ttf",
        "Times_New_Roman_Bold_Italic.ttf",
        "Times New Roman Bold Italic.ttf",
        "TimesNewRomanBoldItalic.ttf",
    ),
}


def font_folders() -> list[Path]:
    """The usual font folders of Windows, macOS and Linux (the user's own first)."""
    home = Path.home()
    folders: list[Path] = []
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        folders.append(
            Path(os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or "C:\\Windows") / "Fonts"
        )
    elif sys.platform == "darwin":
        folders += [
            home / "Library" / "Fonts",
            Path("/Library/Fonts"),
            Path("/System/Library/Fonts/Supplemental"),
        ]
    else:
        data = os.environ.get("XDG_DATA_HOME")
        folders += [
            Path(data) / "fonts" if data else home / ".local" / "share" / "fonts",
            home / ".fonts",
            Path("/usr/local/share/fonts"),
            Path("/usr/share/fonts"),
        ]
    return folders


def find_times_new_roman(folders: list[Path]) -> dict[str, Path] | None:
    """The four Times New Roman files under ``folders`` (looked for in each folder and the folders in
    it, as Linux keeps them under ``truetype/msttcorefonts``), or None unless all four are there: a bold
    made up from the regular would not be the same typeface on the page."""
    for folder in folders:
        if not folder.is_dir():
            continue
        candidates = [folder]
        with contextlib.suppress(OSError):  # an unreadable folder: look in the others
            candidates += sorted(p for p in folder.rglob("*") if p.is_dir())[:500]  # bounded: a huge tree
        for where in candidates:
            found = {}
            for style, names in TIMES_NAMES.items():
                path = next((where / n for n in names if (where / n).is_file()), None)
                if path is None:
                    break
                found[style] = path
            else:
                return found
    return None


def font_files(folders: list[Path] | None = None) -> tuple[str, dict[str, Path]]:
    """(family, file per style): Times New Roman if found under ``folders`` (default: the system's font
    folders), else the bundled Liberation Serif."""
    found = find_times_new_roman(font_folders() if folders is None else folders)
    if found:
        return "Times New Roman", found
    return "Liberation Serif", {style: resource("fonts", file) for style, file in BUNDLED.items()}


@functools.cache
def register_fonts() -> str:
    """Register the documents' four styles once per process; the family used."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    rl_config.useA85 = 0  # binary (compressed) streams: ASCII85 only makes files bigger and slower to write

    family, files = font_files()
    try:
        fonts = {style: TTFont(style, str(path)) for style, path in files.items()}
    except (OSError, TTFError):  # a damaged or unreadable system font: the bundled one lays out the same
        family, files = (
            "Liberation Serif",
            {style: resource("fonts", file) for style, file in BUNDLED.items()},
        )
        for path in files.values():
            if not path.is_file():
                raise FileNotFoundError(f"the report font {path} is missing from the installation") from None
        fonts = {style: TTFont(style, str(path)) for style, path in files.items()}
    for font in fonts.values():
        pdfmetrics.registerFont(font)
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, SERIF_BOLD_ITALIC)
    return family
