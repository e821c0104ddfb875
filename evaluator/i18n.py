"""The language of everything the app says, from one set of gettext catalogues.

One tool for the whole app: gettext catalogues (``resources/translations/<lang>/LC_MESSAGES/<domain>.po``),
extracted, checked and compiled with Babel (``resources/translations/build.py``), read at run time with the
standard library's ``gettext`` (no dependency in the installed app). Two domains:

- ``evaluator``: the app's own texts. Vietnamese is the source language (the texts in the code are
  Vietnamese), so only English has a catalogue. The GUI's ``self.tr(...)`` and
  ``QCoreApplication.translate(...)`` calls reach it through ``ui/translator.py``; error messages
  (``evaluator.messages``) and the CLI through :func:`text`.
- ``qt``: Qt's own texts (standard buttons, file dialogs, context menus) have English sources and Qt ships no
  Vietnamese translation, so Vietnamese has this catalogue, by Qt context.

Why gettext rather than Qt's .ts/.qm: services and the CLI must render messages without Qt (the layers keep
Qt in ``ui/``), and a Qt translator can read gettext catalogues (a few lines) while the reverse needs Qt.

The language is one value per process: the GUI sets it from the user's settings, the CLI from ``--lang``.
"""

from __future__ import annotations

import gettext
from functools import cache

from evaluator.resources import resource

LANGUAGES = ("vi", "en")
SOURCE_LANGUAGE = "vi"
APP_DOMAIN = "evaluator"
QT_DOMAIN = "qt"

# Until a face chooses (the GUI the user's language at start, the CLI --lang's), messages speak English as
# the command line does by default: code run outside the faces (scripts, worker processes) says what it
# always said.
_language = "en"


def set_language(language: str) -> None:
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    _language = language


def language() -> str:
    return _language


@cache
def catalogue(domain: str, language: str) -> gettext.NullTranslations:
    """The compiled catalogue, or one that returns every text unchanged when there is none."""
    return gettext.translation(domain, localedir=str(resource("translations")), languages=[language],
                               fallback=True)


def N_(source: str) -> str:  # gettext's conventional name: marks a text for extraction only
    return source


def text(source: str, language: str | None = None) -> str:
    """One of the app's (Vietnamese) texts in ``language`` (default: the current one)."""
    lang = language or _language
    if lang == SOURCE_LANGUAGE:
        return source
    return catalogue(APP_DOMAIN, lang).gettext(source)


def translated(source: str, language: str) -> str | None:
    """The app text's translation, or None when the catalogue has none (the source language has none)."""
    if language == SOURCE_LANGUAGE:
        return None
    found = catalogue(APP_DOMAIN, language).gettext(source)
    return found if found != source or _has(APP_DOMAIN, language, None, source) else None


def qt_text(context: str, source: str, language: str) -> str | None:
    """Qt's own (English) text in ``language``, or None when the catalogue has none."""
    if language == "en":
        return None
    found = catalogue(QT_DOMAIN, language).pgettext(context, source)
    return found if found != source or _has(QT_DOMAIN, language, context, source) else None


def _has(domain: str, language: str, context: str | None, source: str) -> bool:
    """Whether the catalogue holds ``source`` (a translation may equal its source, e.g. "OK")."""
    cat = catalogue(domain, language)
    messages = getattr(cat, "_catalog", {})
    key = source if context is None else f"{context}\x04{source}"
    return key in messages
