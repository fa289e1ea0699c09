"""The console's language: the one Slack gave at sign-in, else the person's in the roster,
else the browser's, else the programme's. Messages come from the project's catalogs
(``bulletins/locale/*/LC_MESSAGES/web.po`` for the console's own)."""

from __future__ import annotations

from flask import Flask, g, request, session
from markupsafe import Markup

from bulletins.i18n import LOCALES, elide, normalize_locale, translations


def choose_locale(default: str) -> str:
    chosen = session.get("locale")
    if chosen in LOCALES:
        return chosen
    return request.accept_languages.best_match(LOCALES) or default


def set_locale(value: str | None, default: str) -> None:
    """Keep the language Slack gave at sign-in (``en-US`` → ``en``) for the session."""
    session["locale"] = normalize_locale(value, default)


def gettext(message: str, **params: object) -> str:
    """``message`` in the request's language (Markup: the parameters filled in are escaped)."""
    locale = g.get("locale", "fr")
    text = Markup(translations(locale).gettext(message))
    return elide(text, params, locale) % params if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    locale = g.get("locale", "fr")
    text = Markup(translations(locale).ngettext(singular, plural, n))
    params = {"num": n} | params
    return elide(text, params, locale) % params


def install(app: Flask) -> None:
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
