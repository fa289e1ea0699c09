"""The programme calendar: ISO week keys, deadlines moved by public holidays, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.config import Schedule, Settings, WeeklyTime, settings_from_dict

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def cal() -> ProgrammeCalendar:
    return ProgrammeCalendar.from_settings(Settings())


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)


# --- ISO weeks ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "key"),
    [
        (date(2019, 12, 30), "2020-W01"),
        (date(2021, 1, 3), "2020-W53"),
        (date(2026, 12, 31), "2026-W53"),
        (date(2027, 1, 3), "2026-W53"),
        (date(2027, 1, 4), "2027-W01"),
        (date(2026, 3, 4), "2026-W10"),
    ],
)
def test_week_key_follows_iso_year_not_calendar_year(day, key):
    assert str(IsoWeek.of(day)) == key


@pytest.mark.parametrize("key", ["2020-W01", "2020-W53", "2026-W05", "2026-W53", "2027-W01"])
def test_parse_and_str_round_trip(key):
    week = IsoWeek.parse(key)
    assert str(week) == key
    assert IsoWeek.parse(str(week)) == week


def test_parse_gives_the_week_with_its_monday():
    week = IsoWeek.parse("2020-W01")
    assert (week.year, week.week) == (2020, 1)
    assert week.monday == date(2019, 12, 30)
    assert week.sunday == date(2020, 1, 5)


def test_parse_refuses_a_week_the_year_does_not_have():
    with pytest.raises(ValueError, match=r"2025.*no week 53"):
        IsoWeek.parse("2025-W53")


@pytest.mark.parametrize("key", ["2026-5", "2026W05", "W05", "2026-W5", "", "2026-W00"])
def test_parse_refuses_malformed_keys(key):
    with pytest.raises(ValueError, match="ISO"):
        IsoWeek.parse(key)


def test_next_and_previous_cross_the_53rd_week():
    w53 = IsoWeek.parse("2026-W53")
    w01 = IsoWeek.parse("2027-W01")
    assert w53.next() == w01
    assert w01.previous() == w53
    assert IsoWeek.parse("2026-W52").next() == w53
    assert IsoWeek.parse("2025-W52").next() == IsoWeek.parse("2026-W01")


def test_weeks_order_chronologically_across_years():
    keys = ["2027-W01", "2026-W10", "2026-W53", "2026-W09", "2025-W52"]
    ordered = sorted(IsoWeek.parse(key) for key in keys)
    assert [str(week) for week in ordered] == [
        "2025-W52",
        "2026-W09",
        "2026-W10",
        "2026-W53",
        "2027-W01",
    ]
    assert IsoWeek.parse("2026-W53") < IsoWeek.parse("2027-W01")


# --- deadlines ----------------------------------------------------------------------------


def test_normal_week_deadline_is_friday_1505_paris(cal):
    deadline = cal.deadline(IsoWeek.parse("2026-W10"))
    assert deadline == paris(2026, 3, 6, 15, 5)
    assert deadline.tzinfo is not None
    assert deadline.utcoffset() == timedelta(hours=1)
    assert deadline.isoweekday() == 5
    assert cal.opens(IsoWeek.parse("2026-W10")) == paris(2026, 3, 2, 9, 0)


def test_bastille_day_moves_deadline_to_thursday(cal):
    week = IsoWeek.of(date(2028, 7, 14))
    assert cal.deadline(week) == paris(2028, 7, 13, 15, 5)


def test_christmas_2026_moves_deadline_to_christmas_eve(cal):
    week = IsoWeek.parse("2026-W52")
    assert cal.deadline(week) == paris(2026, 12, 24, 15, 5)


def test_reminders_and_call_to_action_move_with_the_deadline(cal):
    week = IsoWeek.parse("2026-W52")
    assert cal.call_to_action(week) == paris(2026, 12, 24, 10, 0)
    assert cal.reminders(week) == [paris(2026, 12, 24, 14, 0), paris(2026, 12, 24, 14, 45)]
    normal = IsoWeek.parse("2026-W51")
    assert cal.reminders(normal) == [paris(2026, 12, 18, 14, 0), paris(2026, 12, 18, 14, 45)]
    assert cal.call_to_action(normal) == paris(2026, 12, 18, 10, 0)


def test_moved_deadline_stays_keyed_by_its_own_week(cal):
    for key in ("2026-W52", "2028-W28"):
        week = IsoWeek.parse(key)
        assert cal.week_of(cal.deadline(week)) == week
        assert cal.week_of(cal.reminders(week)[-1]) == week


def test_deadline_never_moves_before_the_form_opens():
    # Tuesday deadline in Germany, week of Christmas 2028: Monday 25 and Tuesday 26 December
    # are both public holidays. The deadline falls back at most to the opening day.
    schedule = Schedule(deadline=WeeklyTime(2, time(15, 5)))
    cal = ProgrammeCalendar(PARIS, "DE", schedule)
    week = IsoWeek.of(date(2028, 12, 25))
    assert cal.deadline(week) == paris(2028, 12, 25, 15, 5)
    assert cal.deadline(week) > cal.opens(week)


def test_deadline_is_1505_local_across_the_october_dst_change(cal):
    # Clocks go back on Sunday 25 October 2026, the last day of 2026-W43.
    before = IsoWeek.of(date(2026, 10, 25))
    after = before.next()
    assert str(before) == "2026-W43"
    summer, winter = cal.deadline(before), cal.deadline(after)
    assert (summer.hour, summer.minute) == (15, 5)
    assert (winter.hour, winter.minute) == (15, 5)
    assert summer.utcoffset() == timedelta(hours=2)
    assert winter.utcoffset() == timedelta(hours=1)
    assert summer.astimezone(UTC).hour == 13
    assert winter.astimezone(UTC).hour == 14
    # Same tzinfo subtracts wall clocks; the elapsed time is only visible in UTC.
    assert winter.astimezone(UTC) - summer.astimezone(UTC) == timedelta(days=7, hours=1)


def test_week_of_uses_programme_local_time(cal):
    sunday_night_utc = datetime(2027, 1, 3, 23, 30, tzinfo=UTC)  # 00:30 Monday in Paris
    assert str(cal.week_of(sunday_night_utc)) == "2027-W01"
    assert str(cal.week_of(datetime(2027, 1, 3, 22, 30, tzinfo=UTC))) == "2026-W53"


def test_week_of_refuses_naive_datetime(cal):
    with pytest.raises(ValueError, match="aware"):
        cal.week_of(datetime(2026, 3, 4, 12, 0))


def test_late_until_is_the_next_weeks_opening(cal):
    week = IsoWeek.parse("2026-W53")
    assert cal.late_until(week) == cal.opens(IsoWeek.parse("2027-W01"))
    assert cal.late_until(week) == paris(2027, 1, 4, 9, 0)


def test_configured_country_uses_its_own_holidays():
    # Friday 3 October 2025 is German Unity Day, an ordinary day in France.
    week = IsoWeek.of(date(2025, 10, 3))
    german = ProgrammeCalendar.from_settings(
        settings_from_dict({"programme": {"holiday_country": "DE"}})
    )
    french = ProgrammeCalendar.from_settings(Settings())
    assert german.deadline(week) == paris(2025, 10, 2, 15, 5)
    assert french.deadline(week) == paris(2025, 10, 3, 15, 5)
    assert german.holiday_name(date(2025, 10, 3)) is not None
    assert french.holiday_name(date(2025, 10, 3)) is None
    # and France's 14 July is not a German holiday
    assert german.deadline(IsoWeek.of(date(2028, 7, 14))) == paris(2028, 7, 14, 15, 5)


def test_configured_timezone_is_used():
    montreal = ZoneInfo("America/Montreal")
    cal = ProgrammeCalendar.from_settings(
        settings_from_dict({"programme": {"timezone": "America/Montreal"}})
    )
    deadline = cal.deadline(IsoWeek.parse("2026-W10"))
    assert deadline == datetime(2026, 3, 6, 15, 5, tzinfo=montreal)
    assert deadline.utcoffset() == timedelta(hours=-5)


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        (2026, 1, date(2026, 1, 2)),  # Thu 1 Jan is New Year's Day
        (2027, 1, date(2027, 1, 4)),  # Fri 1 Jan holiday, then the weekend
        (2026, 5, date(2026, 5, 4)),  # Fri 1 May holiday, then the weekend
        (2026, 8, date(2026, 8, 3)),  # Sat 1 Aug, Sun 2 Aug
        (2026, 6, date(2026, 6, 1)),  # Mon 1 June is an ordinary working day
    ],
)
def test_first_working_day_of_month(cal, year, month, expected):
    assert cal.first_working_day_of_month(year, month) == expected
