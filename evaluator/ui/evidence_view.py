"""Evidence of a leaf: list with size, SHA-256 and page reference; attach by file dialog or drag-and-drop;
open with the system viewer; preview PDFs and images inside the app.

PDF previews use QtPdf when this PySide6 build has it, otherwise the pages are rendered to images by
poppler's ``pdftoppm`` in a worker thread.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QMimeData, QObject, QPointF, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evaluator.errors import UserError
from evaluator.services import evidence as evidence_service
from evaluator.services.evidence import EvidenceInfo
from evaluator.services.users import Who
from evaluator.ui.context import AppContext
from evaluator.ui.dialogs import open_files
from evaluator.ui.evidence_viewer import EvidenceViewer
from evaluator.ui.labels import size_text
from evaluator.ui.operations import Job, ReadOp, error_text

try:  # QtPdf ships in some PySide6 builds only
    from PySide6.QtPdf import QPdfDocument
    from PySide6.QtPdfWidgets import QPdfView

    HAVE_QTPDF = True
except ImportError:  # pragma: no cover - depends on the wheel (tests also switch it off)
    HAVE_QTPDF = False

FILE_FILTER = "TLKC (*.pdf *.png *.jpg *.jpeg *.gif *.bmp *.doc *.docx *.xls *.xlsx *.odt *.ods *.txt);;* (*)"


def render_pdf_pages(path: Path, *, pages: int = 3, dpi: int = 60) -> list[QImage]:
    """The first pages of a PDF as images, by ``pdftoppm`` (runs in a worker thread)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [tool, "-png", "-r", str(dpi), "-f", "1", "-l", str(pages), str(path), str(Path(tmp) / "p")],
            check=False,
            capture_output=True,
            timeout=60,
        )
        return [QImage(str(p)) for p in sorted(Path(tmp).glob("p*.png"))]


class PreviewPane(QWidget):
    """Shows one evidence file: a PDF's pages or an image; other files get a line of text."""

    shown = Signal(str)
    """Emitted with ``pdf``, ``image`` or ``other`` once the preview is on screen."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.scroller = QScrollArea()
        self.scroller.setWidgetResizable(True)
        self.pages = QWidget()
        self.pages_layout = QVBoxLayout(self.pages)
        self.scroller.setWidget(self.pages)
        layout.addWidget(self.scroller, 1)
        self.pdf_view: Any = None
        self.pdf_document: Any = None
        self.images: list[QImage] = []
        self.labels: list[QLabel] = []
        self.kind = ""
        self.token = 0
        self.zoom: float | None = None
        """Image pages' scale (1.0: the rendered size), or None: fit the pane's width."""
        self.render_pages, self.render_dpi = 3, 60
        """Without QtPdf, how many pages pdftoppm renders, how sharp (the evidence viewer asks for more)."""

    def clear(self) -> None:
        self.kind = ""
        self.images = []
        self.labels = []
        self.pdf_view = None
        if self.pdf_document is not None:  # the next file's page count is its own
            self.pdf_document.deleteLater()
            self.pdf_document = None
        while self.pages_layout.count():
            item = self.pages_layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.caption.clear()

    def _add_image(self, image: QImage) -> None:
        label = QLabel()
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._scale(label, image)
        self.labels.append(label)
        self.pages_layout.addWidget(label)

    def _scale(self, label: QLabel, image: QImage) -> None:
        if self.zoom is None:
            width = min(max(200, self.scroller.viewport().width() - 24), image.width() * 2)
        else:
            width = max(16, int(image.width() * self.zoom))
        smooth = Qt.TransformationMode.SmoothTransformation
        label.setPixmap(QPixmap.fromImage(image).scaledToWidth(width, smooth))

    # --- pages and zoom (the evidence viewer's buttons) ---------------------------------------------
    def current_page(self) -> int:
        """The page at the top of the view (0-based)."""
        if self.pdf_view is not None:
            return int(self.pdf_view.pageNavigator().currentPage())
        top = self.scroller.verticalScrollBar().value()
        page = 0
        for i, label in enumerate(self.labels):
            if label.y() <= top + 4:
                page = i
        return page

    def go_to_page(self, page: int) -> None:
        page = max(0, min(page, self.page_count() - 1))
        if self.pdf_view is not None:
            self.pdf_view.pageNavigator().jump(page, QPointF(0, 0))
        elif 0 <= page < len(self.labels):
            self.pages.adjustSize()
            self.scroller.verticalScrollBar().setValue(self.labels[page].y())

    def set_zoom(self, factor: float | None) -> None:
        """``factor`` (1.0: 100 %), or None: fit the width."""
        self.zoom = factor
        if self.pdf_view is not None:
            if factor is None:
                self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
            else:
                self.pdf_view.setZoomMode(QPdfView.ZoomMode.Custom)
                self.pdf_view.setZoomFactor(factor)
            return
        page = self.current_page()
        for label, image in zip(self.labels, self.images, strict=False):
            self._scale(label, image)
        self.pages.adjustSize()
        self.go_to_page(page)

    def zoom_factor(self) -> float:
        """The scale shown now (fit-to-width included)."""
        if self.pdf_view is not None:
            return float(self.pdf_view.zoomFactor()) if self.zoom is not None else self._fit_factor()
        if self.zoom is not None:
            return self.zoom
        if self.labels and self.images and self.images[0].width():
            pixmap = self.labels[0].pixmap()
            return pixmap.width() / self.images[0].width() if not pixmap.isNull() else 1.0
        return 1.0

    def _fit_factor(self) -> float:
        doc, view = self.pdf_document, self.pdf_view
        if doc is None or view is None or doc.pageCount() == 0:
            return 1.0
        points = doc.pagePointSize(max(0, self.current_page())).width()
        pixels = points * view.logicalDpiX() / 72.0
        room = view.viewport().width() - 2 * view.documentMargins().left()
        return max(0.05, room / pixels) if pixels else 1.0

    def _rendered(self, payload: tuple[int, EvidenceInfo, list[QImage]]) -> None:
        token, info, images = payload
        if token != self.token:  # another file was chosen meanwhile
            return
        pages = self.tr("%1 trang đầu").replace("%1", str(len(images)))
        self.labels = []
        self.caption.setText(f"{info.file_name} · {size_text(info.size)} · {pages}")
        self.images = images
        for image in images:
            self._add_image(image)
        if not images:  # neither QtPdf nor poppler's pdftoppm on this machine
            self.pages_layout.addWidget(
                QLabel(self.tr("Không hiển thị được PDF trên máy này: mở bằng ứng dụng của hệ thống."))
            )
        self.kind = "pdf"
        self.shown.emit("pdf")

    def _render_failed(self, exc: BaseException) -> None:
        self.caption.setText(error_text(exc))

    def page_count(self) -> int:
        """Pages of the PDF shown (QtPdf), or page images rendered (pdftoppm); 0 while rendering."""
        if self.pdf_document is not None:
            return int(self.pdf_document.pageCount())
        return len(self.images)

    def show_file(self, info: EvidenceInfo, path: Path) -> None:
        self.clear()
        self.token += 1
        self.caption.setText(f"{info.file_name} · {size_text(info.size)}")
        kind = info.kind
        if kind == "image":
            image = QImage(str(path))
            if not image.isNull():
                self.images = [image]
                self._add_image(image)
            self.kind = "image"
            self.shown.emit(kind)
        elif kind == "pdf" and HAVE_QTPDF:
            self.pdf_document = QPdfDocument(self)
            self.pdf_document.load(str(path))
            self.pdf_view = QPdfView(self.pages)
            self.pdf_view.setDocument(self.pdf_document)
            self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
            self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)  # whole lines, no sideways scrolling
            if self.zoom is not None:
                self.set_zoom(self.zoom)
            self.pages_layout.addWidget(self.pdf_view)
            self.kind = "pdf"
            self.shown.emit(kind)
        elif kind == "pdf":
            self.caption.setText(self.caption.text() + " · " + self.tr("đang hiển thị…"))
            token = self.token

            pages, dpi = self.render_pages, self.render_dpi

            def render(_job: Job) -> tuple[int, EvidenceInfo, list[QImage]]:
                return token, info, render_pdf_pages(path, pages=pages, dpi=dpi)

            # Bound methods of this widget: Qt drops the connection if the widget is gone first.
            ReadOp(self, render).success(self._rendered).failure(self._render_failed).run()
        else:
            self.pages_layout.addWidget(
                QLabel(self.tr("Không xem trước được loại tệp này: mở bằng ứng dụng của hệ thống."))
            )
            self.kind = "other"
            self.shown.emit(kind)


class EvidencePanel(QWidget):
    """The evidence of the selected leaf. Accepts dropped files."""

    COLUMNS = 4

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.assessment_id: uuid.UUID | None = None
        self.leaf: str | None = None
        self.stage: str | None = None
        self.items: list[EvidenceInfo] = []
        self.ask_files: Callable[[], list[str]] = self._ask_files
        self.ask_text: Callable[[str, str, str], str | None] = self._ask_text
        self._viewer_folder: Path | None = None
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Tệp"), self.tr("Dung lượng"), self.tr("Trích dẫn"), "SHA-256"]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setFixedHeight(96)
        self.table.itemSelectionChanged.connect(self._selected)
        self.table.itemDoubleClicked.connect(lambda _i: self.open_viewer())
        self.table.installEventFilter(self)
        layout.addWidget(self.table)
        buttons = QHBoxLayout()
        self.attach_button = QPushButton(self.tr("Đính kèm…"))
        self.attach_button.clicked.connect(self.attach_dialog)
        self.view_button = QPushButton(self.tr("Xem…"))
        self.view_button.setToolTip(self.tr("Đọc tệp trong cửa sổ riêng: lật trang, phóng to (Space)"))
        self.view_button.clicked.connect(self.open_viewer)
        self.open_button = QPushButton(self.tr("Mở bằng ứng dụng"))
        self.open_button.clicked.connect(self.open_external)
        self.reference_button = QPushButton(self.tr("Trích dẫn…"))
        self.reference_button.setToolTip(self.tr("Trang, mục, điều khoản trong tài liệu"))
        self.reference_button.clicked.connect(lambda: self.edit_reference())
        self.remove_button = QPushButton(self.tr("Gỡ"))
        self.remove_button.clicked.connect(lambda: self.remove_current())
        self.confirm_button = QPushButton(self.tr("Xác nhận dùng cho năm này"))
        self.confirm_button.setToolTip(self.tr("Tài liệu chuyển từ năm trước chỉ được tính là tài liệu kiểm "
                                               "chứng của năm này khi đã xác nhận"))
        self.confirm_button.clicked.connect(lambda: self.confirm_current())
        self.hint = QLabel(self.tr("hoặc kéo thả tệp vào đây"))
        self.hint.setStyleSheet("color: #777")
        for w in (self.attach_button, self.reference_button, self.remove_button):
            buttons.addWidget(w)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        reading = QHBoxLayout()  # a second row: one row of five buttons would widen the detail pane
        for w in (self.view_button, self.open_button, self.confirm_button):  # confirm: carried files only
            reading.addWidget(w)
        reading.addStretch(1)
        layout.addLayout(reading)
        layout.addWidget(self.hint)
        # the file is read in a window of its own (pages, zoom), not in a box squeezed under the form
        self.preview = PreviewPane()
        self.viewer = EvidenceViewer(self.preview, self)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)

    # --- data ------------------------------------------------------------------------------------
    def show_leaf(self, assessment_id: uuid.UUID | None, leaf: str | None, stage: str | None = None) -> None:
        self.assessment_id, self.leaf, self.stage = assessment_id, leaf, stage
        self.preview.clear()
        self.message.clear()
        self.reload()

    def reload(self) -> None:
        a_id, leaf = self.assessment_id, self.leaf
        if a_id is None or leaf is None or self.ctx.project is None:
            self.items = []
        else:
            self.items = self.ctx.read(lambda s: evidence_service.list_evidence(s, a_id, leaf))
        self.table.setRowCount(len(self.items))
        for r, info in enumerate(self.items):
            name = info.file_name
            if info.carried_from is not None:  # carried by new-year: say so, and whether it counts yet
                carried = self.tr("từ năm %1").replace("%1", str(info.carried_from))
                pending = self.tr("chờ xác nhận")
                name = f"{name} — {carried}" + (f" ({pending})" if info.carry_pending else "")
            cells = [name, size_text(info.size), info.reference, info.sha256[:16] + "…"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c == 3:
                    item.setToolTip(info.sha256)
                if c == 1:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(r, c, item)
        enabled = a_id is not None and leaf is not None
        self.attach_button.setEnabled(enabled)
        for button in (self.view_button, self.open_button, self.reference_button, self.remove_button):
            button.setEnabled(bool(self.items))
        self._confirm_state()

    def _confirm_state(self) -> None:
        info = self.current()
        pending = any(i.carry_pending for i in self.items)
        self.confirm_button.setVisible(pending)
        self.confirm_button.setEnabled(info is not None and info.carry_pending)

    def current(self) -> EvidenceInfo | None:
        row = self.table.currentRow()
        return self.items[row] if 0 <= row < len(self.items) else None

    def _selected(self) -> None:
        self._confirm_state()
        info = self.current()
        if info is not None:
            self.show_preview(info)

    def show_preview(self, info: EvidenceInfo) -> None:
        assert self.ctx.project is not None
        try:
            path = evidence_service.file_path(self.ctx.project.evidence, info)
        except Exception as exc:
            self.message.setText(str(exc))
            return
        self.preview.show_file(info, path)

    def open_viewer(self) -> EvidenceViewer | None:
        """The viewer window, showing the selected file (the first one when none is selected)."""
        if not self.items:
            return None
        if self.current() is None:
            self.table.selectRow(0)
        self.viewer.show()
        self.viewer.raise_()
        self.viewer.activateWindow()
        return self.viewer

    # --- actions ---------------------------------------------------------------------------------
    def _ask_files(self) -> list[str]:
        return open_files(self, self.tr("Chọn tài liệu kiểm chứng"), FILE_FILTER)

    def attach_dialog(self) -> None:
        self.attach_files([Path(f) for f in self.ask_files()])

    def attach_files(self, paths: list[Path]) -> list[evidence_service.Attached]:
        a_id, leaf = self.assessment_id, self.leaf
        if a_id is None or leaf is None or self.ctx.project is None:
            return []
        store = self.ctx.project.evidence
        results: list[evidence_service.Attached] = []
        for path in paths:

            def attach_one(session: Any, p: Path = path) -> Any:
                return _attach(self.ctx.history, results, session, store, a_id, leaf, p, self.stage,
                               self.ctx.who)

            try:
                self.ctx.recorded(attach_one, initiator=self)
            except Exception as exc:
                self.message.setText(str(exc))
        dup = [r.evidence.file_name for r in results if r.duplicate]
        if dup:
            self.message.setText(self.tr("Đã có, không lưu lại: %1").replace("%1", ", ".join(dup)))
        self.reload()
        if results:
            names = [r.evidence.sha256 for r in results]
            for row, info in enumerate(self.items):
                if info.sha256 == names[-1]:
                    self.table.selectRow(row)
        return results

    def _ask_text(self, title: str, label: str, text: str) -> str | None:
        value, ok = QInputDialog.getText(self, title, label, text=text)
        return value if ok else None

    def edit_reference(self, reference: str | None = None) -> bool:
        """Set the page/section reference of the selected file (audited)."""
        info = self.current()
        if info is None:
            return False
        if reference is None:
            reference = self.ask_text(
                self.tr("Trích dẫn"), self.tr("Trang, mục hoặc điều trong tài liệu:"), info.reference
            )
            if reference is None:
                return False
        ev_id, text = info.id, reference.strip()
        try:
            self.ctx.recorded(lambda s: self.ctx.history.set_reference(s, ev_id, text, **self.ctx.who),
                              initiator=self)
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        row = self.table.currentRow()
        self.reload()
        self.table.selectRow(row)
        return True

    def confirm_current(self) -> bool:
        """Confirm the selected file carried from last year as this year's evidence (audited)."""
        info = self.current()
        if info is None or not info.carry_pending:
            return False
        ev_id = info.id
        try:
            self.ctx.run(lambda s: evidence_service.confirm_evidence(s, ev_id, **self.ctx.who),
                         initiator=self)
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        row = self.table.currentRow()
        self.reload()
        self.table.selectRow(row)
        return True

    def remove_current(self, reason: str | None = None) -> bool:
        """Detach the selected file from the leaf (audited; the stored bytes stay)."""
        info = self.current()
        if info is None:
            return False
        if reason is None:
            reason = self.ask_text(
                self.tr("Gỡ tài liệu"), self.tr("Lý do gỡ %1:").replace("%1", info.file_name), ""
            )
            if reason is None:
                return False
        ev_id = info.id
        try:
            self.ctx.recorded(
                lambda s: self.ctx.history.remove_evidence(s, ev_id, reason=reason or "", **self.ctx.who),
                initiator=self)
        except UserError as exc:
            self.message.setText(str(exc))
            return False
        self.preview.clear()
        self.reload()
        return True

    def viewer_folder(self) -> Path:
        """This window's private temporary folder for the viewer's copies (made on first use, readable by
        this user only, with an unguessable name: nobody can plant a file or a link in it)."""
        if self._viewer_folder is None or not self._viewer_folder.is_dir():
            self._viewer_folder = Path(tempfile.mkdtemp(prefix="evaluator-evidence-"))
        return self._viewer_folder

    def open_external(self) -> None:
        info = self.current()
        if info is None or self.ctx.project is None:
            return
        # The store names files by hash: give the viewer a copy with the name and extension. The name
        # came from outside (a package, a workbook): the service makes it one safe path component.
        try:
            target = evidence_service.named_copy(self.ctx.project.evidence, info, self.viewer_folder())
        except (UserError, OSError) as exc:
            self.message.setText(str(exc))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the evidence list stays here: passed on, the detail pane would take it for "save
        # the score and go to the next criterion", away from the evidence being looked at.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()
            return
        super().keyPressEvent(event)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Space in the list opens the viewer (the list would only select the row it is on)
        if (watched is self.table and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Space and self.items):
            self.open_viewer()
            return True
        return super().eventFilter(watched, event)

    # --- drag and drop ------------------------------------------------------------------------------
    @staticmethod
    def _files(mime: QMimeData) -> list[Path]:
        return [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.leaf is not None and self._files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = self._files(event.mimeData())
        if files:
            event.acceptProposedAction()
            self.attach_files(files)


def _attach(
    history: Any,
    out: list[evidence_service.Attached],
    session: Any,
    store: Any,
    a_id: uuid.UUID,
    leaf: str,
    path: Path,
    stage: str | None,
    who: Who,
) -> Any:
    result: evidence_service.Attached = history.attach(session, store, a_id, leaf, path, stage=stage, **who)
    out.append(result)
    return result.change
