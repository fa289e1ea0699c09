"""The console's language: the one Slack gave at sign-in, else the person's in the roster,
else the browser's, else the programme's. Messages come from the project's catalogs
(``bulletins/locale/*/LC_MESSAGES/web.po`` for the console's own)."""

from __future__ import annotations

from datetime import date, datetime

from babel.numbers import format_decimal
from flask import Flask, g, request, session
from markupsafe import Markup

from bulletins.calendar import IsoWeek
from bulletins.dates import format_day, format_moment, week_start
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


def week(value: IsoWeek | str) -> str:
    """ "week of 2 March 2026", as people say it, not the ISO code."""
    return gettext("week of %(day)s", day=week_start(value, g.locale, "d MMMM y"))


def day(value: date) -> str:
    return format_day(value, g.locale, "d MMMM y")


def moment(value: datetime) -> str:
    return format_moment(value, g.locale, "d MMMM y HH:mm")


def number(value: float, pattern: str | None = None) -> str:
    """``value`` as the language writes it: "2,5" in French."""
    return format_decimal(value, pattern, locale=g.locale)


def install(app: Flask) -> None:
    app.jinja_env.globals.update(_=gettext, gettext=gettext, ngettext=ngettext)
    app.jinja_env.filters.update(week=week, day=day, moment=moment, number=number)
