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
SKIP_FILES = {"build.py", "fill.py"}  # resources/translations: developer tools
SKIP_SUFFIXES = {".po", ".pyc"}  # translation sources (the app reads the compiled .mo files)


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
            "asn1crypto", "PyYAML", "platformdirs", "python-docx", "lxml", "pypdfium2", "isal", "holidays"]

# --- modules ----------------------------------------------------------------------------------------
COMMAND_MODULES = ["evaluator.cli.gui_cmd", "evaluator.cli.report_cmd", "evaluator.cli.exchange_cmd",
                   "evaluator.cli.backup_cmd", "evaluator.cli.audit_cmd", "evaluator.cli.units_cmd",
                   "evaluator.cli.handout_cmd", "evaluator.cli.framework_cmd", "evaluator.cli.migrate_cmd",
                   "evaluator.cli.server_cmd", "evaluator.cli.yearly_cmd", "evaluator.cli.teams_cmd",
                   "evaluator.cli.progress_cmd", "evaluator.cli.organisation_cmd",
                   "evaluator.cli.shortcomings_cmd"]
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
    # Word drafts (reports/docx.py imports them inside functions); the spec adds their data files
    "docx", "lxml.etree", "pypdfium2", "pypdfium2_raw",
    "isal.isal_zlib",  # the zip's CRC-32 (exchange/entry_bytes.py imports it inside a function)
    "holidays.countries.vietnam",  # the notice's working days (services/notice_data.py, inside a function)
]

QT_USED = {"QtCore", "QtGui", "QtWidgets", "QtCharts", "QtPdf", "QtPdfWidgets", "QtPrintSupport", "QtSvg"}
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


# --- Linux: what Qt's xcb platform plugin needs from the system ------------------------------------------
# A laptop's X11 desktop has the X and GL base below, but not necessarily the xcb helper libraries Qt 6
# needs (a fresh Ubuntu lacks libxcb-cursor0): those travel in the bundle. PyInstaller finds the linked
# ones on the build machine; libxcb-cursor is opened by Qt at run time, so it is added by name.
XCB_PACKAGES = ("libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-image0", "libxcb-render-util0",
                "libxcb-shape0", "libxcb-randr0", "libxcb-xkb1", "libxkbcommon-x11-0", "libxcb-xfixes0",
                "libxcb-sync1", "libxcb-shm0", "libxcb-util1")
XCB_LIBS = ("libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1", "libxcb-image.so.0",
            "libxcb-render-util.so.0", "libxcb-shape.so.0", "libxcb-randr.so.0", "libxcb-xkb.so.1",
            "libxkbcommon-x11.so.0")
DLOPENED_LIBS = ("libxcb-cursor.so.0",)
# What the bundle may take from the desktop: the C library, X11/xcb core, GL/EGL (the driver's own),
# fonts, GLib/D-Bus (the session's). Anything else the platform plugins need must be in the bundle.
SYSTEM_BASE = ("linux-vdso.so", "ld-linux", "libc.so", "libm.so", "libdl.so", "libpthread.so", "librt.so",
               "libgcc_s.so", "libstdc++.so", "libGL.so", "libGLX.so", "libEGL.so", "libOpenGL.so",
               "libGLdispatch.so", "libX11.so", "libX11-xcb.so", "libXau.so", "libXdmcp.so", "libxcb.so",
               "libbsd.so", "libmd.so", "libfontconfig.so", "libfreetype.so", "libpng16.so", "libexpat.so",
               "libz.so", "libbrotli", "libglib-2.0.so", "libgthread-2.0.so", "libpcre2-8.so",
               "libdbus-1.so", "libsystemd.so", "libcap.so", "libgcrypt.so", "libgpg-error.so", "liblzma.so",
               "libzstd.so", "liblz4.so", "libwayland-", "libffi.so", "libxkbcommon.so")


def library_dirs() -> list[Path]:
    """Where the build machine's shared libraries are (Debian multiarch first)."""
    import platform

    machine = platform.machine()
    dirs = [Path(f"/usr/lib/{machine}-linux-gnu"), Path(f"/lib/{machine}-linux-gnu"), Path("/usr/lib64"),
            Path("/usr/lib"), Path("/lib64"), Path("/lib")]
    return [d for d in dirs if d.is_dir()]


def find_library(name: str) -> Path | None:
    for d in library_dirs():
        if (d / name).exists():
            return d / name  # by this name (a symbolic link to the versioned file): what Qt opens
    return None


def missing_xcb_libs() -> list[str]:
    """The xcb libraries this build machine lacks (the bundle would be missing them too)."""
    return [name for name in XCB_LIBS if find_library(name) is None]


def dlopened_binaries() -> list[tuple[str, str]]:
    """(source, ".") for the libraries Qt opens by name at run time, as PyInstaller ``binaries`` (Linux)."""
    out = []
    for name in DLOPENED_LIBS:
        path = find_library(name)
        if path is None:
            raise SystemExit(f"{name} is not on this build machine; install the Debian packages "
                             f"{' '.join(XCB_PACKAGES)}")
        out.append((str(path), "."))
    return out


def outside_base(ldd_line: str) -> str | None:
    """The library of an ``ldd`` output line when it is resolved outside the bundle and is not part of the
    desktop base (``SYSTEM_BASE``), or missing altogether; else None."""
    line = ldd_line.strip()
    if not line or "_internal/" in line:
        return None
    name = line.split()[0]
    if name.startswith(SYSTEM_BASE) or name.startswith("/"):  # the desktop's (even if this machine lacks it)
        return None
    return name


def check_libs(bundle_dir: Path) -> list[str]:
    """Problems of the Qt platform plugins in a built Linux bundle: each library they need (``ldd``, with
    the bundle's own folder first, as the frozen app has it) that is neither in the bundle nor part of the
    desktop base, and each library Qt opens by name that the bundle lacks."""
    import subprocess

    internal = bundle_dir / "_internal"
    problems = [f"{name} is not in the bundle" for name in DLOPENED_LIBS if not (internal / name).exists()]
    env = {**os.environ, "LD_LIBRARY_PATH": str(internal)}
    plugins = sorted((internal / "PySide6" / "Qt" / "plugins" / "platforms").glob("*.so"))
    if not plugins:
        problems.append(f"no Qt platform plugins under {internal}")
    for lib in plugins + [internal / name for name in DLOPENED_LIBS if (internal / name).exists()]:
        out = subprocess.run(["ldd", str(lib)], env=env, capture_output=True, text=True, check=True).stdout
        problems += [f"{lib.name} needs {name} from outside the bundle"
                     for name in map(outside_base, out.splitlines()) if name]
    return list(dict.fromkeys(problems))


if __name__ == "__main__":  # installer/smoke.sh: python installer/bundle.py check-libs BUNDLE_DIR
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "check-libs":
        sys.exit("usage: bundle.py check-libs BUNDLE_DIR")
    found = check_libs(Path(sys.argv[2]))
    print("\n".join(found) or "platform plugins: every library is in the bundle or the desktop base")
    sys.exit(1 if found else 0)
