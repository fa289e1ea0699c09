"""Translations: message ids are English, catalogs (``locale/<lang>/LC_MESSAGES/*.po``, one
file per part of the product, merged) give the other languages. French is the default.

The ``.po`` files are read directly with Babel, so no compiled catalog is kept in the
repository.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

LOCALES = ("fr", "en")
CATALOGS = Path(__file__).with_name("locale")


def normalize_locale(value: str | None, default: str) -> str:
    """``fr-FR`` or ``fr_CA`` → ``fr``; anything unknown → ``default``."""
    if value:
        language = value.replace("_", "-").split("-")[0].lower()
        if language in LOCALES:
            return language
    return default


@cache
def translations(locale: str) -> NullTranslations:
    paths = sorted((CATALOGS / locale / "LC_MESSAGES").glob("*.po"))
    if not paths:
        return NullTranslations()
    # The main catalog's header (its Plural-Forms above all) is the merged one's: a fresh
    # Catalog would take CLDR's plural rules, whose count may differ from the files'.
    catalogs = [_read(path, locale) for path in paths]
    main = next((c for p, c in zip(paths, catalogs, strict=True) if p.name == "messages.po"),
                catalogs[0])  # fmt: skip
    catalog = Catalog(locale=locale)
    catalog.mime_headers = main.mime_headers
    for part in catalogs:
        for message in part:
            if message.id:
                catalog[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def gettext(locale: str, message: str, **params: object) -> str:
    """``message`` translated into ``locale``, with ``%(name)s`` parameters filled in."""
    text = translations(locale).gettext(message)
    return text % params if params else text


def ngettext(locale: str, singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(locale).ngettext(singular, plural, n)
    return text % ({"num": n} | params)
