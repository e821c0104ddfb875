"""Qt asks every installed translator for each text it shows; this one answers from the app's gettext
catalogues (``evaluator.i18n``): in English the app's own Vietnamese texts, in Vietnamese Qt's own English
texts (standard buttons, file dialogs, context menus), which Qt ships no Vietnamese translation for."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

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


_keep: list[Any] = []  # translators must outlive the app's use of them


def install_language(app: QCoreApplication, language: str) -> bool:
    """Vietnamese is the app's source language; one translator answers from the gettext catalogues in both
    directions (``ui/translator.py``), and error messages rendered outside Qt follow ``i18n.set_language``."""
    for old in _keep:
        app.removeTranslator(old)
    _keep.clear()
    i18n.set_language(language)
    if language == "en":
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    else:
        QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))
    translator = CatalogueTranslator(language)
    app.installTranslator(translator)
    _keep.append(translator)
    return language == i18n.SOURCE_LANGUAGE or i18n.translated("Chỉ số", language) is not None
