"""Render resources/caseworker.svg into resources/caseworker.ico (the Windows icon).

The executables, the installer and the uninstaller entry use the .ico; the application itself
uses the SVG. Run again after changing the SVG:
``QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icon.py``.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QBuffer, QIODevice, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SIZES = (16, 20, 24, 32, 40, 48, 64, 128, 256)


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    return Image.open(io.BytesIO(bytes(buffer.data().data()))).convert("RGBA")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(ROOT / "resources" / "caseworker.svg"))
    if not renderer.isValid():
        print("caseworker.svg cannot be read", file=sys.stderr)
        return 1
    images = [render(renderer, size) for size in SIZES]
    largest = images[-1]
    largest.save(
        ROOT / "resources" / "caseworker.ico",
        format="ICO",
        sizes=[(s, s) for s in SIZES],
        append_images=images[:-1],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
