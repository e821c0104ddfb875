"""Fill in English translations from JSON files {"Vietnamese source": "English", …} (e.g. written while
giving messages their codes), then compile. From this folder: ``../../.venv/bin/python fill.py FILE.json``.
A source not in the catalogue is reported (run build.py first so that it is extracted)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from build import APP_CATALOGUES, HERE, mo_bytes, po_bytes, read  # type: ignore[import-not-found]


def main(argv: list[str]) -> int:
    wanted: dict[str, str] = {}
    for name in argv:
        wanted.update(json.loads(Path(name).read_text(encoding="utf-8")))
    path = APP_CATALOGUES[0]
    catalog = read(path)
    unknown = [source for source in wanted if source not in catalog]
    for source, english in wanted.items():
        if source in catalog:
            catalog[source].string = english
    path.write_bytes(po_bytes(catalog))
    for po in sorted(HERE.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(mo_bytes(read(po)))
    for source in unknown:
        print(f"not in the catalogue (run build.py first): {source!r}", file=sys.stderr)
    return 1 if unknown else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
