"""The PyInstaller bundle's lists (``installer/bundle.py``, read by ``installer/evaluator.spec``): the
migrations and every resource go in, the dynamically imported modules are hidden imports, no Qt module
the UI imports is excluded. Fast: nothing is built (``installer/smoke.sh`` builds and runs the bundle)."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"


@pytest.fixture(scope="module")
def bundle() -> ModuleType:
    spec = importlib.util.spec_from_file_location("installer_bundle", INSTALLER / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses/annotations look the module up
    spec.loader.exec_module(module)
    return module


def _bundled(bundle: ModuleType) -> set[str]:
    """Bundle paths (folder/name, with /) of every data file."""
    return {(Path(target) / Path(source).name).as_posix() for source, target in bundle.datas()}


def test_spec_uses_the_tested_lists() -> None:
    spec = (INSTALLER / "evaluator.spec").read_text(encoding="utf-8")
    for needed in ("bundle.datas()", "bundle.HIDDEN_IMPORTS", "bundle.EXCLUDES", "bundle.unused_qt",
                   'collect_submodules("evaluator"', "launcher.py", 'name="evaluator"'):
        assert needed in spec, needed


def test_migrations_are_bundled_as_files_where_alembic_looks(bundle: ModuleType) -> None:
    from evaluator.models.project import MIGRATIONS_DIR

    bundled = _bundled(bundle)
    files = [p for p in MIGRATIONS_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    assert any(p.name == "env.py" for p in files) and any(p.parent.name == "versions" for p in files)
    for path in files:
        rel = path.relative_to(MIGRATIONS_DIR).as_posix()
        assert f"evaluator/models/migrations/{rel}" in bundled, rel
    # MIGRATIONS_DIR is found beside project.py, i.e. at evaluator/models/migrations in the bundle too
    project_py = Path(sys.modules["evaluator.models.project"].__file__ or "")
    assert project_py.resolve().parent / "migrations" == MIGRATIONS_DIR


def test_every_resource_is_bundled(bundle: ModuleType) -> None:
    from evaluator.resources import resources_dir

    bundled = _bundled(bundle)
    source = ROOT / "resources"
    assert resources_dir().resolve() == source.resolve()
    wanted = [p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts
              and p.suffix not in (".po", ".pyc") and p.name not in ("build.py", "fill.py")]
    assert wanted
    for path in wanted:
        assert f"resources/{path.relative_to(source).as_posix()}" in bundled, path
    for needed in ("resources/frameworks/par-district-2024.yaml", "resources/fonts/DejaVuSans.ttf",
                   "resources/fonts/DejaVu-LICENSE.txt", "resources/translations/en/LC_MESSAGES/evaluator.mo",
                   "resources/translations/vi/LC_MESSAGES/qt.mo",
                   "resources/icons/evaluator.ico", "resources/icons/evaluator.png"):
        assert needed in bundled, needed
    assert not any(b.endswith((".po", "/build.py", ".pyc")) for b in bundled)


def test_dynamic_command_modules_are_hidden_imports(bundle: ModuleType) -> None:
    from evaluator.cli import main

    assert set(main.COMMAND_MODULES) <= set(bundle.HIDDEN_IMPORTS)


def test_what_the_migrations_import_is_bundled(bundle: ModuleType) -> None:
    """Alembic loads the migration files from disk, so PyInstaller never sees their imports."""
    from evaluator.models.project import MIGRATIONS_DIR

    hidden = set(bundle.HIDDEN_IMPORTS)
    for path in MIGRATIONS_DIR.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([node.module or ""] if isinstance(node, ast.ImportFrom)
                     else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                top = name.split(".")[0]
                if top in ("alembic",) and name != "alembic":
                    assert name in hidden, f"{path.name} imports {name}"


def test_no_qt_module_the_app_imports_is_excluded(bundle: ModuleType) -> None:
    used = set()
    for path in (ROOT / "evaluator").rglob("*.py"):
        used |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used <= bundle.QT_USED, used - bundle.QT_USED
    excluded = {e.split(".", 1)[1] for e in bundle.EXCLUDES if e.startswith("PySide6.")}
    assert not used & excluded
    for heavy in ("QtWebEngineCore", "Qt3DCore", "QtQml", "QtQuick", "QtMultimedia"):
        assert f"PySide6.{heavy}" in bundle.EXCLUDES


@pytest.mark.parametrize(
    ("dest", "unused"),
    [
        ("PySide6/Qt/lib/libQt6Quick.so.6", True),
        ("PySide6/Qt/lib/libQt6WebEngineCore.so.6", True),
        ("PySide6/Qt/qml/QtQuick/Controls/x.qml", True),
        ("PySide6\\Qt\\plugins\\sqldrivers\\qsqlite.dll", True),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", True),
        ("libgtk-3.so.0", True),
        ("PySide6/Qt/lib/libQt6Widgets.so.6", False),
        ("PySide6/Qt/lib/libQt6Charts.so.6", False),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", False),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", False),
        ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False),
        ("PySide6\\plugins\\platforms\\qwindows.dll", False),
        ("PySide6/Qt/plugins/imageformats/libqsvg.so", False),
        ("Qt6Pdf.dll", False),
    ],
)
def test_unused_qt_files(bundle: ModuleType, dest: str, unused: bool) -> None:
    assert bundle.unused_qt(dest) is unused


def test_version_and_scripts(bundle: ModuleType) -> None:
    import evaluator

    assert bundle.version() == evaluator.__version__
    for script in ("build.sh", "smoke.sh", "linux/install.sh"):
        text = (INSTALLER / script).read_text(encoding="utf-8")
        assert text.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in text
        assert (INSTALLER / script).stat().st_mode & 0o111, f"{script} is not executable"
    smoke = (INSTALLER / "smoke.sh").read_text(encoding="utf-8")
    for step in ("--version", " demo ", " results ", " verify ", " export ", " import ", "--screenshot",
                 "env -i PATH=/usr/bin:/bin", "QT_QPA_PLATFORM=offscreen"):
        assert step in smoke, step


def test_linux_desktop_integration_is_in_the_tarball() -> None:
    build = (INSTALLER / "build.sh").read_text(encoding="utf-8")
    for name in ("installer/linux/install.sh", "evaluator.desktop", "evaluator-cchc.xml"):
        assert name in build
    desktop = (INSTALLER / "linux" / "evaluator.desktop").read_text(encoding="utf-8")
    assert "Exec=evaluator %f" in desktop and "MimeType=application/x-evaluator-cchc;" in desktop
    mime = (INSTALLER / "linux" / "evaluator-cchc.xml").read_text(encoding="utf-8")
    assert '<glob pattern="*.cchc"/>' in mime and 'type="application/x-evaluator-cchc"' in mime
    install = (INSTALLER / "linux" / "install.sh").read_text(encoding="utf-8")
    assert "sudo" not in install.split("set -euo pipefail")[1]  # per user, no root
    assert "Documents" not in install.split("set -euo pipefail")[1]  # never touches the user's projects


def _section(iss: str, name: str) -> list[str]:
    found = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", iss, re.M | re.S)
    return [line for line in (found.group(1).splitlines() if found else []) if line and line[0] != ";"]


def test_windows_installer_is_per_user_and_keeps_user_data() -> None:
    iss = (INSTALLER / "windows" / "evaluator.iss").read_text(encoding="utf-8")
    setup = "\n".join(_section(iss, "Setup"))
    assert re.search(r"^PrivilegesRequired=lowest$", setup, re.M)
    assert "DefaultDirName={userpf}" in setup or "DefaultDirName={localappdata}" in setup
    registry = _section(iss, "Registry")
    assert registry and all(line.startswith("Root: HKCU;") for line in registry)
    assert any(".cchc" in line for line in registry)
    assert any("{userprograms}" in line for line in _section(iss, "Icons"))
    # uninstall removes what it installed and nothing of the user's: projects, settings, logs stay
    for line in _section(iss, "UninstallDelete"):
        assert '"{app}' in line, line


@pytest.mark.parametrize(
    ("line", "outside"),
    [
        ("\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x00007f06e89d9000)",
         "libxcb-icccm.so.4"),
        ("\tlibxcb-keysyms.so.1 => not found", "libxcb-keysyms.so.1"),
        ("\tlibxcb-cursor.so.0 => /tmp/x/evaluator-0.1.0/_internal/libxcb-cursor.so.0 (0x1)", None),
        ("\tlibGL.so.1 => /lib/x86_64-linux-gnu/libGL.so.1 (0x00007f06e8865000)", None),
        ("\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x1)", None),
        ("\tlibwayland-cursor.so.0 => not found", None),  # every Wayland desktop has it
        ("\tlinux-vdso.so.1 (0x00007f06e8ab8000)", None),
        ("\t/lib64/ld-linux-x86-64.so.2 (0x00007f06e8aba000)", None),
        ("", None),
    ],
)
def test_a_platform_plugin_may_take_only_the_desktop_base_from_outside(bundle: ModuleType, line: str,
                                                                       outside: str | None) -> None:
    assert bundle.outside_base(line) == outside


def test_the_bundle_carries_the_xcb_libraries_qt_needs(bundle: ModuleType) -> None:
    # libxcb-cursor is opened by name at run time (PyInstaller cannot see it): it is added explicitly,
    # and this machine (which builds the bundle in CI) has every library the list names
    assert "libxcb-cursor.so.0" in bundle.DLOPENED_LIBS and set(bundle.DLOPENED_LIBS) <= set(bundle.XCB_LIBS)
    assert bundle.missing_xcb_libs() == []
    binaries = [(Path(src).name, dest) for src, dest in bundle.dlopened_binaries()]
    assert binaries == [("libxcb-cursor.so.0", ".")]
    assert not any(name.startswith(bundle.SYSTEM_BASE) for name in bundle.XCB_LIBS)
