"""Render ``resources/icons/evaluator.svg`` to the PNG sizes and the Windows ``.ico`` the app and the
installers use. Run after changing the SVG (the results are committed):

    QT_QPA_PLATFORM=offscreen .venv/bin/python installer/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ICONS / "evaluator.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        name = "evaluator.png" if size == 256 else f"evaluator-{size}.png"
        image.save(str(ICONS / name))
    big = Image.open(ICONS / "evaluator.png")
    big.save(ICONS / "evaluator.ico", sizes=[(s, s) for s in SIZES])
    print(f"written: {', '.join(sorted(p.name for p in ICONS.iterdir()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
