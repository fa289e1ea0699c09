"""The monthly digest for the programme team: a month of bulletins and surveys in figures.

Over the ISO weeks whose deadline falls in the month, those a cohort ran and whose deadline
has passed (the evaluation snapshot's rule): each team's participation (on time,
late, excused, silent), the mood week by week, the help requests still open, the key dates
of the next 30 days, the response rates of the surveys open during the month, and the teams
silent two weeks in a row or more (a run that began the month before counts whole). Read in
a fixed number of bulk queries whatever the number of teams and weeks, and rendered as core
:class:`Message` parts within Slack's limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from sqlalchemy.orm import Session

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Settings
from bulletins.cycle.bulletin import MOODS
from bulletins.cycle.digest import KeyDate, key_dates
from bulletins.cycle.status import Status
from bulletins.i18n import gettext
from bulletins.messages import Limits, Message, Section, split_message
from bulletins.mrkdwn import escape
from bulletins.people import active_teams
from bulletins.rendering import render_sections
from evaluation.monthly.figures import (
    HelpRequest,
    MoodWeek,
    SurveyRate,
    mood_trend,
    open_help_requests,
    overall,
    survey_rates,
)
from evaluation.participation import (
    ParticipationGrid,
    SilentStreak,
    month_weeks,
    participation_grid,
    silent_streaks,
    week_range,
)

Month = tuple[int, int]  # (year, month)
KEY_DATE_DAYS = 30
LOOKBACK_WEEKS = 26  # a silent run is followed this far back into earlier months
SLACK_LIMITS = Limits()


@dataclass(frozen=True)
class MonthlyData:
    """What the digest of one month says, as of the moment it is composed."""

    month: Month
    weeks: tuple[IsoWeek, ...]
    grid: ParticipationGrid  # the month's weeks and the teams active in one of them
    streaks: list[SilentStreak]
    mood: list[MoodWeek]
    help: list[HelpRequest]
    key_dates: list[KeyDate]
    surveys: list[SurveyRate]

    @property
    def first_day(self) -> date:
        return date(*self.month, 1)

    @property
    def mood_overall(self) -> MoodWeek | None:
        return overall(self.mood)

    @property
    def totals(self) -> dict[str, int]:
        counted = self.grid.totals()
        return {str(status): counted[status] for status in Status}


@dataclass(frozen=True)
class MonthlyDigest:
    data: MonthlyData
    messages: list[Message]


def month_bounds(calendar: ProgrammeCalendar, month: Month) -> tuple[datetime, datetime]:
    """The month's first moment and the next month's, in programme time."""
    first = date(*month, 1)
    following = (first + timedelta(days=31)).replace(day=1)
    return calendar.at(first, time(0)), calendar.at(following, time(0))


def previous_month(month: Month) -> Month:
    year, number = month
    return (year - 1, 12) if number == 1 else (year, number - 1)


def played_weeks(
    grid: ParticipationGrid, weeks: list[IsoWeek], calendar: ProgrammeCalendar, now: datetime
) -> list[IsoWeek]:
    """Those of ``weeks`` that a cohort ran (a team of the grid was active on their deadline
    day) and whose deadline had passed by ``now``: the snapshot's rule."""
    ran = {week for _, week in grid.statuses}
    return [week for week in weeks if week in ran and calendar.deadline(week) < now]


def monthly_data(
    session: Session, calendar: ProgrammeCalendar, month: Month, now: datetime
) -> MonthlyData:
    """The month's figures, in a fixed number of queries."""
    in_month = month_weeks(calendar, *month)
    since = IsoWeek.of(in_month[0].monday - timedelta(weeks=LOOKBACK_WEEKS))
    history = participation_grid(session, calendar, week_range(since, in_month[-1]), now)
    weeks = played_weeks(history, in_month, calendar, now)
    grid = history.restricted(weeks)
    today = calendar.local(now).date()
    start, end = month_bounds(calendar, month)
    return MonthlyData(
        month=month,
        weeks=tuple(weeks),
        grid=grid,
        streaks=silent_streaks(history, weeks),
        mood=mood_trend(grid),
        help=open_help_requests(grid),
        key_dates=key_dates(
            session, active_teams(session, today), today, today + timedelta(KEY_DATE_DAYS), now
        ),
        surveys=survey_rates(session, calendar, start, end),
    )


def _helpers(locale: str) -> dict[str, object]:
    """Number formats for the template, in ``locale`` ("90 %" in French, "90%" in English)."""
    return {
        "percent": lambda share: "—" if share is None else format_percent(share, locale=locale),
        "decimal": lambda value: format_decimal(value, "0.0", locale=locale),
        "moods": MOODS,
    }


def month_name(month: Month, locale: str) -> str:
    return format_date(date(*month, 1), "MMMM y", locale=locale)


def render_monthly(
    data: MonthlyData, settings: Settings, locale: str, limits: Limits = SLACK_LIMITS
) -> list[Message]:
    """The digest as messages within ``limits``: the first carries the header."""
    month = month_name(data.month, locale)
    sections = render_sections("monthly", locale, data=data, **_helpers(locale))
    message = Message(
        text=gettext(
            locale,
            "Monthly digest of %(programme)s, %(month)s",
            programme=escape(settings.programme_name),
            month=month,
        ),
        # Plain text: a Block Kit header is not mrkdwn, so it is not escaped.
        header=gettext(
            locale,
            "%(programme)s · monthly digest, %(month)s",
            programme=settings.programme_name,
            month=month,
        ),
        sections=tuple(Section(part) for part in sections),
        context=gettext(locale, "The participation and mood charts follow in the thread."),
    )
    return split_message(message, limits)


def compose_monthly(
    session: Session,
    calendar: ProgrammeCalendar,
    settings: Settings,
    month: Month,
    now: datetime,
) -> MonthlyDigest:
    """The monthly digest of ``month`` (year, month) as of ``now``, in the settings' locale."""
    data = monthly_data(session, calendar, month, now)
    return MonthlyDigest(data, render_monthly(data, settings, settings.locale))
