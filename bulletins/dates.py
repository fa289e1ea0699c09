"""Dates and weeks as people read them: "mercredi 1er avril", "la semaine du 23 mars".

ISO week codes (``2026-W13``) stay in keys, CSVs and file names; a person reads the
Monday's date. French writes the first day of a month as an ordinal, which Babel's date
patterns cannot say.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from babel.dates import format_date, format_datetime

from bulletins.calendar import IsoWeek

# A pattern's day-of-month field: a lone ``d`` outside quoted literals.
_DAY_FIELD = re.compile(r"('[^']*')|(?<![dD])d(?![dD])")


def _pattern(fmt: str, day: int, locale: str) -> str:
    if locale != "fr" or day != 1:
        return fmt
    return _DAY_FIELD.sub(lambda m: m[1] or "'1er'", fmt)


def format_day(day: date, locale: str, fmt: str = "EEEE d MMMM") -> str:
    return format_date(day, _pattern(fmt, day.day, locale), locale=locale)


def format_moment(moment: datetime, locale: str, fmt: str = "EEEE d MMMM HH:mm") -> str:
    pattern = _pattern(fmt, moment.day, locale)
    return format_datetime(moment, pattern, tzinfo=moment.tzinfo, locale=locale)


def week_start(week: IsoWeek | str, locale: str, fmt: str = "d MMMM") -> str:
    """The Monday that opens ``week``, for "the week of …": "23 mars", "1er juin"."""
    week = IsoWeek.parse(week) if isinstance(week, str) else week
    return format_day(week.monday, locale, fmt)
