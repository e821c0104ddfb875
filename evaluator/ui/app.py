"""Starting the application: QApplication, bundled fonts, language, the main window; and the offscreen
screenshot mode (``evaluator gui --screenshot FILE.png --view …``)."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop
from PySide6.QtGui import QFont, QFontDatabase, QFontMetrics
from PySide6.QtWidgets import QApplication

from evaluator.resources import resource
from evaluator.services.users import UserSettings, load_settings
from evaluator.ui import operations
from evaluator.ui.context import AppContext
from evaluator.ui.main_window import MainWindow
from evaluator.ui.translator import install_language

UI_FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


def register_fonts(app: QApplication) -> None:
    """Register the bundled DejaVu Sans; use it where the platform font cannot show Vietnamese (and
    offscreen, so screenshots look the same on every machine)."""
    family = None
    for name in UI_FONTS:
        path = resource("fonts", name)
        if path.is_file():
            font_id = QFontDatabase.addApplicationFont(str(path))
            families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
            family = family or (families[0] if families else None)
    offscreen = QApplication.platformName() in ("offscreen", "minimal")
    if family and (offscreen or not QFontMetrics(app.font()).inFontUcs4(ord("ệ"))):
        font = QFont(family)
        font.setPointSize(9)
        app.setFont(font)


def application(language: str = "vi") -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("evaluator")
        app.setOrganizationName("evaluator")
    assert isinstance(app, QApplication)
    register_fonts(app)
    from evaluator.ui.about import app_icon

    app.setWindowIcon(app_icon())
    install_language(app, language)
    return app


def demo_cache_path() -> Path:
    override = os.environ.get("EVALUATOR_DEMO_DIR")
    if override:
        return Path(override) / "demo.db"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("evaluator", appauthor=False)) / "demo" / "demo.db"


def ensure_demo(path: Path | None = None, progress: Callable[[str], None] | None = None) -> Path:
    """The demo project in the cache folder, built once (``services.demo.build_demo``)."""
    from evaluator.services.demo import build_demo

    path = path or demo_cache_path()
    if not path.exists():  # build_demo writes under a temporary name: a killed build leaves no demo.db
        path.parent.mkdir(parents=True, exist_ok=True)
        build_demo(path, progress=progress).close()
    return path


def wait_for(condition: Callable[[], bool], timeout: float = 60.0) -> bool:
    """Run the event loop until ``condition()`` holds (screenshots, benchmarks)."""
    loop = QEventLoop()
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.005)
    return True


def build_window(settings: UserSettings, *, persist: bool = True) -> tuple[AppContext, MainWindow]:
    ctx = AppContext(settings, persist=persist)
    window = MainWindow(ctx)
    window.demo_builder = lambda job: ensure_demo(progress=lambda text: job.progress(0.0, text))
    window.resize(1500, 900)
    return ctx, window


def run(
    db: str | None = None,
    *,
    demo: bool = False,
    screenshot: str | None = None,
    view: str = "workspace",
    language: str | None = None,
    packages: list[str] | None = None,
) -> int:
    settings = load_settings()
    app = application(language or settings.language)
    if screenshot:
        return take_screenshot(app, settings, db, screenshot, view)
    _ctx, window = build_window(settings)
    window.pending_import = list(packages or [])  # team packages: the import preview once a project is open
    window.show()
    if not settings.configured:
        window.edit_user()
    if demo:
        window.open_demo()
    elif db:
        window.open_project(db)
    elif settings.last_project:
        window.open_project(settings.last_project)
    elif packages and window.offer_handout(packages):  # a handout with no project: the team's copy from it
        window.pending_import = []
    return app.exec()


def take_screenshot(app: QApplication, settings: UserSettings, db: str | None, target: str, view: str) -> int:
    """Open the project (the demo one without ``db``), show ``view`` with real data, save a PNG."""
    if not settings.configured:
        settings.name, settings.role = "Nguyễn Thị Lan", "leader"
    ctx, window = build_window(settings, persist=False)
    window.show()
    if view != "start":
        path = db or str(ensure_demo())
        job = window.open_project(path)
        if not wait_for(job.finished.is_set) or not wait_for(
            lambda: ctx.project is not None or window.job is None
        ):
            print("error: the project did not open in time", file=sys.stderr)
            return 1
        if ctx.project is None:
            print(f"error: {window.project_label.text()}", file=sys.stderr)
            return 1
        prepare_view(window, view)
    else:
        demo = str(ensure_demo())
        settings.remember(demo)
        window.start_page.set_recent(settings.recent)
        window.show_view("start")
    wait_for(lambda: False, 0.3)
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    ok = window.grab().save(target)
    window.close()
    workers_idle()
    return 0 if ok else 1


def prepare_view(window: MainWindow, view: str) -> None:
    """Put a view in a state that shows real data (a unit and an interesting leaf selected)."""
    window.show_view(view)
    if view == "workspace":
        ws = window.workspace
        first = ws.units.topLevelItem(0)
        if first is not None:
            ws.units.setCurrentItem(first)
        sheet = ws.sheet
        if sheet is not None:
            leaves = sheet.leaves()
            code = (
                next((r.code for r in leaves if r.mark == "changed" and r.evidence), None)
                or next((r.code for r in leaves if r.evidence and r.stages), None)
                or next((r.code for r in leaves if r.mark == "changed"), None)
            )
            if code:
                ws.select_leaf(code)
            if ws.detail.evidence.items:
                ws.detail.evidence.table.selectRow(0)
                wait_for(lambda: ws.detail.evidence.preview.kind != "", 20)
    elif view == "results":
        rv = window.results
        wait_for(lambda: bool(rv.results) and rv.job is None, 60)
    elif view == "audit":
        window.audit.reload()


def workers_idle() -> None:
    """Wait (up to 10 s) until every operation submitted has been delivered (before the app quits)."""
    wait_for(operations.idle, 10)
