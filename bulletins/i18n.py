"""Translations: message ids are English, catalogs (``locale/<lang>/LC_MESSAGES/*.po``, one
file per part of the product, merged) give the other languages. French is the default.

The ``.po`` files are read directly with Babel, so no compiled catalog is kept in the
repository.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

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
                if locale == "fr":
                    message.string = _french_spacing(message.string)
                catalog[message.id] = message
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled)


# French puts a space before the two-part signs, one that never breaks a line: a no-break
# space before ":" and inside « », a narrow one before ";", "!" and "?". The catalogs are
# written with plain spaces; what people type is never touched.
_BEFORE_SIGN = re.compile(r" ([:;!?»])(?![\w/])")  # not ":emoji:", not "://"
_AFTER_QUOTE = re.compile(r"« ")
_NO_BREAK = {":": "\u00a0", "»": "\u00a0", ";": "\u202f", "!": "\u202f", "?": "\u202f"}


def _french_spacing(string: str | tuple[str, ...]) -> str | tuple[str, ...]:
    if isinstance(string, tuple):
        return tuple(_french_spacing(form) for form in string)  # type: ignore[misc]
    spaced = _BEFORE_SIGN.sub(lambda m: _NO_BREAK[m[1]] + m[1], string)
    return _AFTER_QUOTE.sub("«\u00a0", spaced)


def _read(path: Path, locale: str) -> Catalog:
    with path.open("rb") as source:
        return read_po(source, locale=locale)


def gettext(locale: str, message: str, **params: object) -> str:
    """``message`` translated into ``locale``, with ``%(name)s`` parameters filled in."""
    text = translations(locale).gettext(message)
    return elide(text, params, locale) % params if params else text


def ngettext(locale: str, singular: str, plural: str, n: int, **params: object) -> str:
    text = translations(locale).ngettext(singular, plural, n)
    params = {"num": n} | params
    return elide(text, params, locale) % params


# French drops the vowel of "de", "que" and "jusque" before a vowel: "le bulletin d'ADLER",
# "qu'Inès".
# A catalog cannot know the name that will follow, so the elision is made on filling in.
_ELIDING = re.compile(r"\b([Dd]e|[Qq]ue|[Jj]usque) (\*?)%\((\w+)\)s")


def _starts_with_vowel(value: object) -> bool:
    first = unicodedata.normalize("NFD", str(value).lstrip("*_~ "))[:1].lower()
    return first in ("a", "e", "i", "o", "u", "y")  # "h" is mute or aspirated: left alone


def elide(text: str, params: Mapping[str, object], locale: str) -> str:
    """``text`` (a translated message) with "de %(team)s" made "d'%(team)s" where the value
    filled in begins with a vowel."""
    if locale != "fr" or "%(" not in text:
        return text

    def apostrophe(match: re.Match[str]) -> str:
        word, star, name = match.groups()
        if name in params and _starts_with_vowel(params[name]):
            return f"{word[:-1]}'{star}%({name})s"
        return match[0]

    elided = _ELIDING.sub(apostrophe, text)
    return Markup(elided) if isinstance(text, Markup) else elided


def install(env: Environment, locale: str) -> None:
    """Jinja's ``_``, ``gettext`` and ``ngettext`` in ``locale``, eliding as :func:`elide`."""
    catalog = translations(locale)

    def fill(context: Context, text: str, params: dict[str, object]) -> str:
        # As Jinja's own: in an escaping template the values are escaped, not the message.
        if context.eval_ctx.autoescape:
            text = Markup(text)
        return elide(text, params, locale) % params

    @pass_context
    def _gettext(context: Context, message: str, **params: object) -> str:
        return fill(context, catalog.gettext(message), params)

    @pass_context
    def _ngettext(context: Context, singular: str, plural: str, n: int, **params: object) -> str:
        params.setdefault("num", n)
        return fill(context, catalog.ngettext(singular, plural, n), params)

    env.add_extension("jinja2.ext.i18n")
    env.newstyle_gettext = True  # type: ignore[attr-defined]
    # A colon written in a template (``{{ label }}{{ colon }} {{ value }}``), spaced as the
    # language wants it.
    colon = "\u00a0:" if locale == "fr" else ":"
    env.globals.update(_=_gettext, gettext=_gettext, ngettext=_ngettext, colon=colon)
