"""Qt asks every installed translator for each text it shows; this one answers from the app's gettext
catalogues (``evaluator.i18n``): in English the app's own Vietnamese texts, in Vietnamese Qt's own English
texts (standard buttons, file dialogs, context menus), which Qt ships no Vietnamese translation for."""

from __future__ import annotations

from PySide6.QtCore import QTranslator

from evaluator import i18n


class CatalogueTranslator(QTranslator):
    def __init__(self, language: str) -> None:
        super().__init__()
        self._lang = language

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        if not source:
            return None
        # None, not "": Qt then asks the next translator and falls back to the source text
        if (context.startswith("Q") and context[1:2].isupper()) or context in QT_CONTEXTS:
            return i18n.qt_text(context, source, self._lang)
        return i18n.translated(source, self._lang)

    def isEmpty(self) -> bool:
        return False


QT_CONTEXTS = {"MAC_APPLICATION_MENU", "CloseButton"}
"""Qt's contexts that do not look like a Qt class name (QFileDialog, QPlatformTheme…)."""
