"""Jinja2 templates, named by convention: ``templates/<name>.md.j2`` renders mrkdwn text.

Every ``{{ value }}`` is escaped for Slack unless it is already :class:`Mrkdwn`, so text
written by people can never turn into mentions or markup. Sections are separated by a
line holding only ``---``. Templates translate with ``{% trans %}`` / ``_()`` from the
catalogs in ``locale/``.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date, format_datetime
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bulletins.i18n import translations
from bulletins.mrkdwn import Mrkdwn, escape, mention, quote
from bulletins.names import shown_name

TEMPLATES = Path(__file__).with_name("templates")
SECTION_BREAK = "\n---\n"


def _finalize(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, str):
        return escape(value)
    return value


@cache
def environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        extensions=["jinja2.ext.i18n"],
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        quote=quote,
        mention=mention,
        raw=Mrkdwn,
        day=lambda d, fmt="EEEE d MMMM": format_date(d, fmt, locale=locale),
        moment=lambda m, fmt="EEEE d MMMM HH:mm": format_datetime(m, fmt, locale=locale),
    )
    env.globals["locale"] = locale
    env.globals["who"] = lambda person: shown_name(person, locale)
    return env


def render(name: str, locale: str, **context: object) -> str:
    """Render ``templates/<name>.md.j2`` in ``locale``."""
    text = environment(locale).get_template(f"{name}.md.j2").render(**context)
    return text.strip()


def render_sections(name: str, locale: str, **context: object) -> list[str]:
    """Render a template and cut it into sections at ``---`` lines; empty ones are dropped."""
    text = render(name, locale, **context)
    return [part.strip() for part in f"\n{text}\n".split(SECTION_BREAK) if part.strip()]


def format_day(day: date, locale: str, fmt: str = "EEEE d MMMM") -> str:
    return format_date(day, fmt, locale=locale)


def format_moment(moment: datetime, locale: str, fmt: str = "EEEE d MMMM HH:mm") -> str:
    return format_datetime(moment, fmt, tzinfo=moment.tzinfo, locale=locale)
