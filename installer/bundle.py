"""What the PyInstaller bundle holds: data files, hidden imports, excluded modules and Qt files.

Plain Python with no PyInstaller import, so that ``installer/evaluator.spec`` and the fast tests
(``tests/test_installer.py``) read the same lists.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# --- data -------------------------------------------------------------------------------------------
SKIP_DIRS = {"__pycache__"}
SKIP_FILES = {"build.py"}  # resources/translations/build.py: a developer tool
SKIP_SUFFIXES = {".ts", ".pyc"}  # translation sources (Qt loads the .qm files)


def version(root: Path = ROOT) -> str:
    found = re.search(r'__version__ = "([^"]+)"', (root / "evaluator" / "__init__.py").read_text("utf-8"))
    if not found:
        raise ValueError("no __version__ in evaluator/__init__.py")
    return found.group(1)


def tree(source: Path, target: str) -> list[tuple[str, str]]:
    """(file, folder in the bundle) for every file under ``source``, keeping the layout."""
    out = []
    for folder, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        rel = Path(folder).relative_to(source)
        for name in sorted(files):
            if name in SKIP_FILES or Path(name).suffix in SKIP_SUFFIXES:
                continue
            out.append((str(Path(folder) / name), str(Path(target) / rel)))
    return out


def datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """``resources/`` → ``resources`` (``evaluator.resources`` looks under ``sys._MEIPASS/resources``);
    the Alembic migrations → ``evaluator/models/migrations`` as files, beside the frozen
    ``evaluator/models/project.pyc`` whose ``MIGRATIONS_DIR`` names that folder."""
    return tree(root / "resources", "resources") + tree(
        root / "evaluator" / "models" / "migrations", str(Path("evaluator", "models", "migrations"))
    )


# Distributions whose metadata the About dialog reads (importlib.metadata.version).
METADATA = ["PySide6-Essentials", "SQLAlchemy", "alembic", "pandas", "numpy", "openpyxl", "python-calamine",
            "reportlab", "rl_accel", "pyHanko", "pyhanko-certvalidator", "python-pkcs11", "cryptography",
            "asn1crypto", "PyYAML", "platformdirs"]

# --- modules ----------------------------------------------------------------------------------------
COMMAND_MODULES = ["evaluator.cli.gui_cmd", "evaluator.cli.report_cmd", "evaluator.cli.exchange_cmd"]
HIDDEN_IMPORTS = [
    *COMMAND_MODULES,  # imported by name in evaluator.cli.main (the spec adds every evaluator module too)
    # imported by the migration files, which Alembic loads from disk at run time
    "alembic.op", "alembic.context", "alembic.autogenerate", "alembic.autogenerate.api",
    "alembic.ddl.sqlite", "alembic.runtime.migration", "alembic.runtime.environment",
    "sqlalchemy.dialects.sqlite", "sqlalchemy.types", "sqlalchemy.engine",
    # C helpers imported inside try/except
    "_rl_accel", "reportlab.lib.rl_accel",
    # PKCS#11 tokens: pyHanko imports its PKCS#11 support on demand
    "pkcs11", "pkcs11._pkcs11", "pkcs11.util.rsa", "pkcs11.util.ec", "pkcs11.util.x509",
    "pyhanko.sign.pkcs11",
    "python_calamine",
]

QT_USED = {"QtCore", "QtGui", "QtWidgets", "QtCharts", "QtPdf", "QtPdfWidgets", "QtSvg"}
QT_ALL = [
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender", "QtAxContainer",
    "QtBluetooth", "QtCanvasPainter", "QtConcurrent", "QtDBus", "QtDataVisualization", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLabsStyleKit", "QtLocation",
    "QtMultimedia", "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtOpenGL",
    "QtOpenGLWidgets", "QtPositioning", "QtPrintSupport", "QtQml", "QtQmlFeatures", "QtQuick",
    "QtQuick3D", "QtQuickControls2", "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml",
    "QtSensors", "QtSerialBus", "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine",
    "QtSvgWidgets", "QtTest", "QtTextToSpeech", "QtUiTools", "QtWebChannel", "QtWebEngineCore",
    "QtWebEngineQuick", "QtWebEngineWidgets", "QtWebSockets", "QtWebView", "QtXml",
]
EXCLUDES = [
    *(f"PySide6.{m}" for m in QT_ALL if m not in QT_USED),
    "PyQt5", "PyQt6", "PySide2", "tkinter", "_tkinter", "matplotlib", "IPython", "jupyter_client",
    "notebook", "scipy", "pytest", "_pytest", "pytestqt", "hypothesis", "mypy", "ruff",
    "pandas.tests", "numpy.tests", "numpy.f2py", "sqlalchemy.testing", "alembic.testing",
    "pyhanko.cli", "psycopg", "psycopg2",
]

# --- Qt files the PySide6 hooks would add but the app does not use ------------------------------------
UNUSED_QT_LIBS = (
    "Qt6Quick", "Qt6Qml", "Qt6WebEngine", "Qt63D", "Qt6Multimedia", "Qt6Designer", "Qt6VirtualKeyboard",
    "Qt6ShaderTools", "Qt6Location", "Qt6Positioning", "Qt6Sensors", "Qt6Bluetooth", "Qt6SerialPort",
    "Qt6Sql", "Qt6Test", "Qt6Help", "Qt6RemoteObjects", "Qt6Scxml", "Qt6Graphs", "Qt6DataVisualization",
    "Qt6TextToSpeech", "Qt6Nfc", "Qt6SpatialAudio", "Qt6WebChannel", "Qt6WebSockets", "Qt6WebView",
    "Qt6HttpServer", "Qt6NetworkAuth", "Qt6EglFSDeviceIntegration", "Qt6EglFsKmsSupport",
)
UNUSED_PLUGIN_DIRS = (
    "qmltooling", "sqldrivers", "multimedia", "position", "sensors", "texttospeech", "webview", "designer",
    "sceneparsers", "geometryloaders", "renderers", "renderplugins", "virtualkeyboard", "canbus",
    "assetimporters", "egldeviceintegrations",
)
# Linux: laptops use xcb or wayland (tests: offscreen); framebuffer/VNC/KMS platforms are not for them.
# The GTK3 theme plugin would drag the build machine's GTK stack into the bundle, where it clashes with
# the desktop's own; the XDG portal theme gives native file dialogs instead.
UNUSED_FILES = ("libqeglfs.so", "libqlinuxfb.so", "libqvnc.so", "libqvkkhrdisplay.so", "libqminimalegl.so",
                "libqgtk3.so")
GTK_STACK = ("libgtk-3.so", "libgdk-3.so", "libatk-1.0.so", "libatk-bridge-2.0.so", "libpango-1.0.so",
             "libpangocairo-1.0.so", "libpangoft2-1.0.so", "libcairo.so", "libcairo-gobject.so",
             "libgdk_pixbuf-2.0.so", "libepoxy.so")


def unused_qt(dest: str) -> bool:
    """Whether a file of the bundle (its destination path) is a Qt part the app does not use."""
    dest = dest.replace("\\", "/")
    name = dest.rsplit("/", 1)[-1]
    parts = dest.split("/")
    if "qml" in parts and "PySide6" in parts:
        return True
    stem = name[3:] if name.startswith("lib") else name
    if stem.startswith(UNUSED_QT_LIBS):
        return True
    if "plugins" in parts and parts[parts.index("plugins") + 1 : parts.index("plugins") + 2] and (
        parts[parts.index("plugins") + 1] in UNUSED_PLUGIN_DIRS
    ):
        return True
    return name in UNUSED_FILES or name.startswith(GTK_STACK)
