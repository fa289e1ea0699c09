"""The programme calendar: ISO weeks, public holidays and the weekly schedule.

Weeks are keyed by ISO year and ISO week (``2020-W01`` starts on Monday
2019-12-30), never by calendar year. Every moment is an aware datetime in the
programme's timezone, so daylight-saving changes move nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from zoneinfo import ZoneInfo

import holidays

from bulletins.config import Schedule, Settings

_WEEK_KEY = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True, order=True)
class IsoWeek:
    year: int
    week: int

    def __post_init__(self) -> None:
        # date.fromisocalendar validates the week number for that ISO year (52 or 53).
        date.fromisocalendar(self.year, self.week, 1)

    @classmethod
    def of(cls, day: date) -> IsoWeek:
        iso = day.isocalendar()
        return cls(iso.year, iso.week)

    @classmethod
    def parse(cls, key: str) -> IsoWeek:
        """Read a key such as ``2026-W53``; raises ValueError with the expected form."""
        match = _WEEK_KEY.match(key.strip())
        if not match:
            raise ValueError(f"expected an ISO week such as 2026-W05, got {key!r}")
        try:
            return cls(int(match[1]), int(match[2]))
        except ValueError:
            raise ValueError(f"{key!r}: ISO year {match[1]} has no week {match[2]}") from None

    def __str__(self) -> str:
        return f"{self.year:04d}-W{self.week:02d}"

    def day(self, weekday: int) -> date:
        """The date of an ISO weekday (1 = Monday … 7 = Sunday) in this week."""
        return date.fromisocalendar(self.year, self.week, weekday)

    @property
    def monday(self) -> date:
        return self.day(1)

    @property
    def sunday(self) -> date:
        return self.day(7)

    def next(self) -> IsoWeek:
        return IsoWeek.of(self.monday + timedelta(days=7))

    def previous(self) -> IsoWeek:
        return IsoWeek.of(self.monday - timedelta(days=7))


class ProgrammeCalendar:
    """Answers "when" questions for one programme: deadlines, reminders, working days."""

    def __init__(self, timezone: ZoneInfo, holiday_country: str, schedule: Schedule):
        self.timezone = timezone
        self.schedule = schedule
        self._country = holiday_country

    @classmethod
    def from_settings(cls, settings: Settings) -> ProgrammeCalendar:
        return cls(settings.timezone, settings.holiday_country, settings.schedule)

    @cached_property
    def _holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays(self._country)

    def holiday_name(self, day: date) -> str | None:
        return self._holidays.get(day)

    def is_working_day(self, day: date) -> bool:
        return day.isoweekday() <= 5 and day not in self._holidays

    def last_working_day(self, day: date, not_before: date) -> date:
        """``day`` or the last working day before it, but never before ``not_before``."""
        while not self.is_working_day(day) and day > not_before:
            day -= timedelta(days=1)
        return day

    def first_working_day(self, day: date) -> date:
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def at(self, day: date, wall_time: time) -> datetime:
        return datetime.combine(day, wall_time, tzinfo=self.timezone)

    def local(self, moment: datetime) -> datetime:
        if moment.tzinfo is None:
            raise ValueError("the calendar needs an aware datetime (with a timezone)")
        return moment.astimezone(self.timezone)

    def week_of(self, moment: datetime) -> IsoWeek:
        return IsoWeek.of(self.local(moment).date())

    def opens(self, week: IsoWeek) -> datetime:
        """When the form for ``week`` opens."""
        return self.at(week.day(self.schedule.form_opens.weekday), self.schedule.form_opens.at)

    def deadline_day(self, week: IsoWeek) -> date:
        """The deadline's day: the configured weekday, or the last working day before it."""
        wanted = week.day(self.schedule.deadline.weekday)
        return self.last_working_day(wanted, not_before=self.opens(week).date())

    def deadline(self, week: IsoWeek) -> datetime:
        return self.at(self.deadline_day(week), self.schedule.deadline.at)

    def call_to_action(self, week: IsoWeek) -> datetime:
        return self.at(self.deadline_day(week), self.schedule.call_to_action)

    def reminders(self, week: IsoWeek) -> list[datetime]:
        day = self.deadline_day(week)
        return [self.at(day, moment) for moment in self.schedule.reminders]

    def late_until(self, week: IsoWeek) -> datetime:
        """Past the deadline a bulletin is still taken, marked late, until the next week opens."""
        return self.opens(week.next())

    def first_working_day_of_month(self, year: int, month: int) -> date:
        return self.first_working_day(date(year, month, 1))
