"""When each reminder reaches someone, by their timezone: the configured hours of their own
day, never at or after the programme's deadline."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import settings_from_dict
from bulletins.cycle.reminders import reminder_times

PARIS = ZoneInfo("Europe/Paris")
W10 = IsoWeek(2026, 10)  # deadline Friday 6 March 15:05 in Paris (UTC+1)
CALENDAR = ProgrammeCalendar.from_settings(settings_from_dict({}))


def in_paris(zone: str) -> list[tuple[time, str]]:
    return [
        (slot, f"{moment.astimezone(PARIS):%a %H:%M}")
        for slot, moment in reminder_times(CALENDAR, W10, ZoneInfo(zone))
    ]


def test_east_of_the_programme_the_hours_are_theirs():
    assert in_paris("Indian/Reunion") == [(time(14), "Fri 11:00"), (time(14, 45), "Fri 11:45")]


def test_in_the_programmes_timezone_nothing_moves():
    assert in_paris("Europe/Paris") == [(time(14), "Fri 14:00"), (time(14, 45), "Fri 14:45")]


def test_an_hour_after_the_deadline_is_dropped_the_one_before_stays():
    # 14:00 in London is 15:00 in Paris, before 15:05; 14:45 there is 15:45, after it.
    assert in_paris("Europe/London") == [(time(14), "Fri 15:00")]


def test_when_every_hour_would_come_after_the_deadline_the_programmes_are_used():
    assert in_paris("America/Cayenne") == [(time(14), "Fri 14:00"), (time(14, 45), "Fri 14:45")]
    for _slot, moment in reminder_times(CALENDAR, W10, ZoneInfo("Pacific/Tahiti")):
        assert moment < CALENDAR.deadline(W10)
        assert moment.date() == datetime(2026, 3, 6).date()
