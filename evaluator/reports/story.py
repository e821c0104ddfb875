"""The one seam between a kind of document and its file formats.

Each kind's renderer (``unit_reports``, ``publication`` …) turns its data into a ``Story``: the reportlab
flowables in reading order, the document information and the list the signature and fill-in boxes are
recorded in as the story is drawn. ``build`` lays a story out as PDF; ``reports.docx`` (the Word draft)
walks the same flowables, so both formats come from the same data and layout rules.

A renderer registers itself with ``@renders(DataClass)``; ``story_of`` finds it by the document's type.
A new kind adds its module to ``RENDERERS``.
"""

from __future__ import annotations

import importlib
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from evaluator.reports.layout import LANDSCAPE, MARGINS, PAGE, FieldBox, NumberedCanvas

RENDERERS = ("evaluator.reports.unit_reports", "evaluator.reports.publication", "evaluator.reports.notice",
             "evaluator.reports.submission", "evaluator.reports.decision", "evaluator.reports.analysis")
"""The modules that register a kind's story (imported on first use, so a CLI command that writes no
document does not load reportlab's platypus)."""


@dataclass(frozen=True)
class DocInfo:
    """The PDF's document information: what the page face does not show (Decree 30 leaves no room for
    a technical footer) — the criteria set's identity and SHA-256 go in the keywords."""

    title: str
    author: str
    subject: str
    keywords: str


@dataclass
class Story:
    """A document ready to be laid out: its flowables, its information and its fields."""

    flowables: list[Any]
    info: DocInfo
    fields: list[FieldBox] = field(default_factory=list)
    """Filled while the PDF is drawn (signature and fill-in boxes, with their page and position)."""
    field_order: tuple[str, ...] = ()
    """The signing order of the signature fields (``services.documents.KINDS``); others go last."""


D = TypeVar("D")
_STORIES: dict[type, Callable[[Any], Story]] = {}


def renders(data_type: type[D]) -> Callable[[Callable[[D], Story]], Callable[[D], Story]]:
    """Register ``fn`` as the story of documents of ``data_type``."""

    def register(fn: Callable[[D], Story]) -> Callable[[D], Story]:
        _STORIES[data_type] = fn
        return fn

    return register


def story_of(document: Any) -> Story:
    """The story of ``document``, by its type."""
    for _attempt in range(2):
        for cls in type(document).__mro__:
            if cls in _STORIES:
                return _STORIES[cls](document)
        # not registered yet: some renderers may be loaded already (a batch's workers import two of them
        # ahead), so every module is imported, not only when none is
        for module in RENDERERS:
            importlib.import_module(module)
    raise TypeError(f"no renderer for {type(document).__name__}")


def _doc(buffer: io.BytesIO, info: DocInfo) -> BaseDocTemplate:
    doc = BaseDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGINS["left"],
        rightMargin=MARGINS["right"],
        topMargin=MARGINS["top"],
        bottomMargin=MARGINS["bottom"],
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=info.keywords,
        creator="evaluator",
        invariant=1,
    )

    def frame(width: float, height: float) -> Frame:
        return Frame(
            MARGINS["left"],
            MARGINS["bottom"],
            width - MARGINS["left"] - MARGINS["right"],
            height - MARGINS["top"] - MARGINS["bottom"],
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )

    doc.addPageTemplates(
        [
            PageTemplate(id="page", frames=[frame(*PAGE)], pagesize=PAGE),
            # wide tables (appendices) on landscape pages, as Decree 30 allows
            PageTemplate(id="landscape", frames=[frame(*LANDSCAPE)], pagesize=LANDSCAPE),
        ]
    )
    return doc


def build(story: list[Any], info: DocInfo) -> tuple[bytes, int]:
    """Lay the flowables out as PDF: the bytes and the number of pages."""
    buffer = io.BytesIO()
    doc = _doc(buffer, info)
    doc.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue(), doc.page


def render_story(s: Story) -> tuple[bytes, list[FieldBox], int]:
    """The story as PDF bytes, its recorded fields (signature fields in signing order) and its pages."""
    raw, pages = build(s.flowables, s.info)
    order = s.field_order
    s.fields.sort(key=lambda f: order.index(f.name) if f.name in order else len(order))
    return raw, s.fields, pages
