"""User-facing text in Simplified Chinese (default) and English.

Every string a user reads goes through `t(key, **fields)`, or `tn(key, n, **fields)`
when its wording depends on a number. The language comes from `set_language()` or
the SANSHU_LANG environment variable.

The messages are gettext catalogues, one per language: translators edit
`locale/<lang>/LC_MESSAGES/sanshu.po`; the program reads the compiled `sanshu.mo`
beside it with the standard library (Babel, which compiles them, is needed only by
developers and tests). The msgids are symbolic keys such as "err.syntax". A key
missing from English falls back to Chinese; a key missing everywhere shows itself.
`tests/test_i18n.py` checks that neither happens in the product.
"""

from __future__ import annotations

import os
from gettext import GNUTranslations, NullTranslations

LANGUAGES = ("zh", "en")
FALLBACK = "zh"  # the language every message is written in first
DOMAIN = "sanshu"
LOCALE_DIR = os.path.join(os.path.dirname(__file__), "locale")

_current: str | None = None
_catalogues: dict[str, GNUTranslations] = {}


def language() -> str:
    if _current is not None:
        return _current
    env = os.environ.get("SANSHU_LANG", "zh").lower()
    return "en" if env.startswith("en") else "zh"


def set_language(lang: str | None) -> None:
    global _current
    if lang is not None and lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}")
    _current = lang


def catalogue_path(lang: str, suffix: str = ".mo") -> str:
    return os.path.join(LOCALE_DIR, lang, "LC_MESSAGES", DOMAIN + suffix)


def catalogue(lang: str) -> GNUTranslations:
    """The compiled catalogue of `lang`, read once (on first use: a command that shows
    no text never reads one)."""
    found = _catalogues.get(lang)
    if found is None:
        with open(catalogue_path(lang), "rb") as mo:
            found = GNUTranslations(mo)
        if lang != FALLBACK:
            found.add_fallback(_Fallback())
        _catalogues[lang] = found
    return found


class _Fallback(NullTranslations):
    """The Chinese catalogue, read only when a message is missing from another language
    (the tests make sure none is, so English alone reads one catalogue)."""

    def gettext(self, message: str) -> str:
        return catalogue(FALLBACK).gettext(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return catalogue(FALLBACK).ngettext(msgid1, msgid2, n)


def t(key: str, **fields: object) -> str:
    """The message `key` in the current language, its `{fields}` filled in."""
    text = catalogue(language()).gettext(key)
    return text.format(**fields) if fields else text


def tn(key: str, n: int, **fields: object) -> str:
    """The message `key` in the form the number `n` needs ("1 item", "2 items"); `n`
    fills `{count}` unless `count` is given."""
    text = catalogue(language()).ngettext(key, key, n)
    fields.setdefault("count", n)
    return text.format(**fields)
