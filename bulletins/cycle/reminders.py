"""Reminders on the deadline day: at the programme's reminder hours, each fellow in their own
timezone, and once more an hour after they asked "remind me in an hour".

A person's reminder hours are the configured ones on the deadline day in their timezone;
those that would fall at or after the deadline are dropped, and someone for whom all would
(far west of the programme) gets them at the programme's hours instead, which are before it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bulletins import outbox
from bulletins.calendar import IsoWeek, ProgrammeCalendar
from bulletins.cycle.context import JobContext
from bulletins.cycle.status import teams_to_remind, week_statuses
from bulletins.db.models import Person, ReminderSnooze, Team
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext, normalize_locale
from bulletins.messages import Button, Message, Section
from bulletins.mrkdwn import escape
from bulletins.people import away_ids, fellows_of, timezone_of, zone_named
from bulletins.rendering import render_sections

OPEN_FORM = "open_form"  # the same ids as bot.ids
SNOOZE_REMINDER = "snooze_reminder"
EXCUSE_WEEK = "excuse_week"
SNOOZE = timedelta(hours=1)


class TooLateToSnooze(BulletinsError):
    """An hour from now is past the deadline (``passed``: the deadline itself is)."""

    def __init__(self, message: str, deadline: datetime, passed: bool):
        super().__init__(message)
        self.deadline, self.passed = deadline, passed


def reminder_times(
    calendar: ProgrammeCalendar, week: IsoWeek, zone: ZoneInfo
) -> list[tuple[time, datetime]]:
    """Each reminder slot (its configured hour) and when it reaches someone in ``zone``."""
    day, deadline = calendar.deadline_day(week), calendar.deadline(week)
    slots = calendar.schedule.reminders
    local = [(slot, datetime.combine(day, slot, tzinfo=zone)) for slot in slots]
    before = [(slot, moment) for slot, moment in local if moment < deadline]
    return before or [(slot, calendar.at(day, slot)) for slot in slots]


def _due_slot(ctx: JobContext, week: IsoWeek, zone: ZoneInfo) -> time | None:
    """The slot whose reminder is due at ``now`` in ``zone``: the latest one not older than
    the grace (a reminder that late after downtime is dropped), never past the deadline."""
    deadline, grace = ctx.calendar.deadline(week), ctx.settings.schedule.reminder_grace
    due = [
        (moment, slot)
        for slot, moment in reminder_times(ctx.calendar, week, zone)
        if moment <= ctx.now < min(moment + grace, deadline)
    ]
    return max(due)[1] if due else None


def reminder_message(ctx: JobContext, team: Team, person: Person, week: IsoWeek) -> Message:
    """The reminder DM: the deadline in the person's time, a button to write, "remind me in
    an hour" and "we are off this week"."""
    locale = normalize_locale(person.locale, ctx.settings.locale)
    deadline = ctx.calendar.deadline(week).astimezone(timezone_of(person, ctx.calendar.timezone))
    value = str(team.id)
    buttons = (
        Button(OPEN_FORM, value, gettext(locale, "Write the bulletin"), primary=True),
        Button(SNOOZE_REMINDER, value, gettext(locale, "Remind me in an hour")),
        Button(EXCUSE_WEEK, value, gettext(locale, "We are off this week")),
    )
    return Message(
        text=gettext(locale, "Reminder: %(team)s's bulletin is due", team=escape(team.name)),
        sections=tuple(
            Section(text)
            for text in render_sections(
                "reminder", locale, team=team, week=week, deadline=deadline, person=person
            )
        ),
        buttons=buttons,
    )


def reminder_key(week: IsoWeek, slot: str, team: Team, person: Person) -> str:
    return f"reminder:{week}:{slot}:team-{team.id}:person-{person.id}"


def reminders(ctx: JobContext) -> int:
    """At each reminder time of the deadline day, in each fellow's timezone, a DM to each
    fellow of each team that has neither filed nor been excused; nobody away, no ended
    team, never twice."""
    week = ctx.calendar.week_of(ctx.now)
    zones = {ctx.calendar.timezone.key: ctx.calendar.timezone}
    for name in ctx.session.scalars(select(Person.timezone).distinct()):
        zone = zone_named(name, ctx.calendar.timezone)
        zones[zone.key] = zone
    due = {key: _due_slot(ctx, week, zone) for key, zone in zones.items()}
    if not any(due.values()):
        return 0
    today = ctx.calendar.local(ctx.now).date()
    away = away_ids(ctx.session, today)
    added = 0
    for team in teams_to_remind(week_statuses(ctx.session, ctx.calendar, week, ctx.now)):
        for person in fellows_of(ctx.session, team, today):
            slot = due[timezone_of(person, ctx.calendar.timezone).key]
            if slot is None or person.id in away:
                continue
            key = reminder_key(week, f"{slot:%H%M}", team, person)
            added += _send(ctx, key, person, reminder_message(ctx, team, person, week))
    return added


def _send(ctx: JobContext, key: str, person: Person, message: Message) -> int:
    if outbox.exists(ctx.session, key):
        return 0
    outbox.enqueue(
        ctx.session,
        key=key,
        kind="reminder",
        channel=person.slack_user_id,
        message=message,
        now=ctx.now,
    )
    return 1


def snooze(
    session: Session, calendar: ProgrammeCalendar, person: Person, team: Team, now: datetime
) -> ReminderSnooze:
    """Record "remind me in an hour"; refused when an hour from now is past the deadline,
    or when the reminder clicked is an old one (reminders come the day before a deadline
    at the earliest, whatever the timezone)."""
    week = calendar.week_of(now)
    until, deadline = now + SNOOZE, calendar.deadline(week)
    if not deadline - timedelta(days=1) <= now < deadline:
        raise TooLateToSnooze(f"no reminder of {week} is due", deadline, passed=True)
    if until >= deadline:
        raise TooLateToSnooze(f"the deadline of {week} is within the hour", deadline, False)
    row = ReminderSnooze(person=person, team=team, week=str(week), until=until, at=now)
    session.add(row)
    session.flush()
    return row


def snoozed_reminders(ctx: JobContext) -> int:
    """An hour after "remind me in an hour", the reminder again,
    unless the team has filed or been excused meanwhile, the person is away or no longer
    in the team, or the deadline has passed; within the reminders' grace, once."""
    week = ctx.calendar.week_of(ctx.now)
    deadline, grace = ctx.calendar.deadline(week), ctx.settings.schedule.reminder_grace
    query = select(ReminderSnooze).where(
        ReminderSnooze.week == str(week),
        ReminderSnooze.until <= ctx.now,
        ReminderSnooze.until > ctx.now - grace,
    )
    snoozes = [row for row in ctx.session.scalars(query) if ctx.now < deadline]
    if not snoozes:
        return 0
    statuses = week_statuses(ctx.session, ctx.calendar, week, ctx.now)
    waiting = {team.id for team in teams_to_remind(statuses)}
    today = ctx.calendar.local(ctx.now).date()
    away = away_ids(ctx.session, today)
    added = 0
    for row in snoozes:
        if row.team_id not in waiting or row.person_id in away:
            continue
        if row.person not in fellows_of(ctx.session, row.team, today):  # left the team since
            continue
        key = reminder_key(week, f"snooze-{row.id}", row.team, row.person)
        added += _send(ctx, key, row.person, reminder_message(ctx, row.team, row.person, week))
    return added
