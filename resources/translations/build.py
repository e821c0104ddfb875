"""Translations (see ``evaluator/i18n.py``): extract the app's texts from ``evaluator/`` with Babel, bring the
English catalogue up to date, and compile every catalogue to the ``.mo`` files the app reads.

    .venv/bin/python resources/translations/build.py          # update en/…/evaluator.po, compile all .mo
    .venv/bin/python resources/translations/build.py --check  # change nothing; exit 1 if anything is missing

Vietnamese is the source language of the app's texts: a new ``self.tr("…")``, ``QCoreApplication.translate(
"…", "…")`` or ``N_("…")`` appears in ``en/LC_MESSAGES/evaluator.po`` with an empty ``msgstr`` to fill in.
``vi/LC_MESSAGES/qt.po`` holds the Vietnamese of Qt's own texts and is edited by hand.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

HERE = Path(__file__).resolve().parent
SOURCES = HERE.parent.parent / "evaluator"
APP_CATALOGUES = [HERE / "en" / "LC_MESSAGES" / "evaluator.po"]
# self.tr("…") (and module helpers tr/_tr); QCoreApplication.translate("Context", "…") (the app's texts need no context: one English per
# Vietnamese text); N_("…") marks texts translated later (error messages, labels in tables)
KEYWORDS = {"tr": None, "_tr": None, "translate": (2,), "N_": None}


def extracted() -> Catalog:
    template = Catalog(fuzzy=False)
    for path, line, message, _comments, _context in extract_from_dir(str(SOURCES), keywords=KEYWORDS,
                                                                       method_map=[("**.py", "python")]):
        if isinstance(message, str) and message:
            template.add(message, locations=[(path, line)])
    return template


def read(path: Path) -> Catalog:
    with path.open("rb") as f:
        return read_po(f)


def po_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=0, sort_output=True, omit_header=False, no_location=True)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def updated(path: Path, template: Catalog) -> Catalog:
    catalog = read(path)
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    return catalog


def problems(template: Catalog | None = None) -> list[str]:
    """What the catalogues lack: untranslated texts, texts no longer used, .mo files older than their .po."""
    template = template or extracted()
    found: list[str] = []
    for path in APP_CATALOGUES:
        catalog = read(path)
        wanted = {m.id for m in template if m.id}
        have = {m.id for m in catalog if m.id}
        found += [f"{path.name}: untranslated {text!r}" for text in sorted(wanted - have)]
        found += [f"{path.name}: empty translation of {m.id!r}" for m in catalog if m.id and not m.string]
        found += [f"{path.name}: no longer used {text!r}" for text in sorted(have - wanted)]
    for po in sorted(HERE.glob("*/LC_MESSAGES/*.po")):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.read_bytes() != mo_bytes(read(po)):
            found.append(f"{mo.relative_to(HERE)} is not compiled from {po.name}: run build.py")
    return found


def main(argv: list[str]) -> int:
    if "--check" in argv:
        found = problems()
        for line in found:
            print(line, file=sys.stderr)
        return 1 if found else 0
    template = extracted()
    for path in APP_CATALOGUES:
        path.write_bytes(po_bytes(updated(path, template)))
    for po in sorted(HERE.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(mo_bytes(read(po)))
    found = problems(template)
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
