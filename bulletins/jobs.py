"""Scheduled jobs of the bulletin cycle: pure functions of the session, the settings and ``now``.

Each job decides whether it is due at ``now`` and enqueues its messages in the outbox
under keys that name them, so running it twice for the same moment adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bulletins import outbox
from bulletins.calendar import ProgrammeCalendar
from bulletins.config import Settings
from bulletins.i18n import gettext, normalize_locale
from bulletins.messages import Button, Message, Section
from bulletins.people import away_ids, fellows_of
from bulletins.rendering import render_sections
from bulletins.status import teams_to_remind, week_statuses

OPEN_FORM = "open_form"  # the same id as bot.ids.OPEN_FORM


@dataclass(frozen=True)
class JobContext:
    session: Session
    calendar: ProgrammeCalendar
    settings: Settings
    now: datetime


CoreJob = Callable[[JobContext], int]


def call_to_action(ctx: JobContext) -> int:
    """On the deadline day, one message in the announce channel with a button to write."""
    week = ctx.calendar.week_of(ctx.now)
    start, deadline = ctx.calendar.call_to_action(week), ctx.calendar.deadline(week)
    if not start <= ctx.now < deadline:
        return 0
    locale = ctx.settings.locale
    message = Message(
        text=gettext(locale, "Weekly bulletins are due today"),
        sections=tuple(
            Section(text)
            for text in render_sections(
                "call_to_action", locale, week=week, deadline=deadline, settings=ctx.settings
            )
        ),
        buttons=(Button(OPEN_FORM, "", gettext(locale, "Write our bulletin"), primary=True),),
    )
    row = outbox.enqueue(
        ctx.session,
        key=f"call_to_action:{week}",
        kind="call_to_action",
        channel=ctx.settings.channels.announce,
        message=message,
        now=ctx.now,
    )
    return int(row is not None)


def reminders(ctx: JobContext) -> int:
    """At each reminder time of the deadline day, a DM to each fellow of each team that has
    neither filed nor been excused; nobody away, no ended team, never twice."""
    week = ctx.calendar.week_of(ctx.now)
    deadline = ctx.calendar.deadline(week)
    due = [
        moment
        for moment in ctx.calendar.reminders(week)
        if moment <= ctx.now < min(moment + ctx.settings.schedule.reminder_grace, deadline)
    ]
    if not due:
        return 0
    moment = due[-1]
    today = ctx.calendar.local(ctx.now).date()
    away = away_ids(ctx.session, today)
    added = 0
    for team in teams_to_remind(week_statuses(ctx.session, ctx.calendar, week, ctx.now)):
        for person in fellows_of(ctx.session, team, today):
            if person.id in away:
                continue
            locale = normalize_locale(person.locale, ctx.settings.locale)
            message = Message(
                text=gettext(locale, "Reminder: %(team)s's bulletin is due", team=team.name),
                sections=tuple(
                    Section(text)
                    for text in render_sections(
                        "reminder", locale, team=team, week=week, deadline=deadline, person=person
                    )
                ),
                buttons=(
                    Button(OPEN_FORM, str(team.id), gettext(locale, "Write the bulletin"), True),
                ),
            )
            key = f"reminder:{week}:{moment:%H%M}:team-{team.id}:person-{person.id}"
            row = outbox.enqueue(
                ctx.session,
                key=key,
                kind="reminder",
                channel=person.slack_user_id,
                message=message,
                now=ctx.now,
            )
            added += row is not None
    return added


def cycle_jobs() -> list[tuple[str, CoreJob]]:
    """The bulletin cycle's jobs, in the order a tick runs them."""
    return [("call_to_action", call_to_action), ("reminders", reminders)]
