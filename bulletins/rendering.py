"""Jinja2 templates, named by convention: ``templates/<name>.md.j2`` renders mrkdwn text.

Every ``{{ value }}`` is escaped for Slack unless it is already :class:`Mrkdwn`, so text
written by people can never turn into mentions or markup. Sections are separated by a
line holding only ``---``. Templates translate with ``{% trans %}`` / ``_()`` from the
catalogs in ``locale/``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from bulletins.dates import format_day, format_moment, week_start
from bulletins.i18n import install
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
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    install(env, locale)
    env.filters.update(
        quote=quote,
        mention=mention,
        raw=Mrkdwn,
        day=lambda d, fmt="EEEE d MMMM": format_day(d, locale, fmt),
        moment=lambda m, fmt="EEEE d MMMM HH:mm": format_moment(m, locale, fmt),
        week_start=lambda week: week_start(week, locale),
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
