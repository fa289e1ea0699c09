"""Scheduled jobs of the bulletin cycle: pure functions of the session, the settings and ``now``.

Each job decides whether it is due at ``now`` and enqueues its messages in the outbox
under keys that name them, so running it twice for the same moment adds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from bulletins import outbox
from bulletins.calendar import IsoWeek
from bulletins.cycle.context import CoreJob, JobContext
from bulletins.cycle.digest import compose_digest, compose_late, digest_data, late_since
from bulletins.cycle.reminders import reminders, snoozed_reminders
from bulletins.cycle.status import Status, teams_to_remind, week_statuses
from bulletins.db.models import OutboxStatus, Person
from bulletins.i18n import gettext, normalize_locale
from bulletins.messages import Button, Message, Section
from bulletins.rendering import render, render_sections
from bulletins.repeats import prune_received

OPEN_FORM = "open_form"  # the same id as bot.ids.OPEN_FORM


def call_to_action(ctx: JobContext) -> int:
    """On the deadline day, one message in the announce channel with a button to write;
    none when no team is waiting for its bulletin (between cohorts, every team excused)."""
    week = ctx.calendar.week_of(ctx.now)
    start, deadline = ctx.calendar.call_to_action(week), ctx.calendar.deadline(week)
    key = f"call_to_action:{week}"
    if not start <= ctx.now < deadline or outbox.exists(ctx.session, key):
        return 0
    if not teams_to_remind(week_statuses(ctx.session, ctx.calendar, week, ctx.now)):
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
        key=key,
        kind="call_to_action",
        channel=ctx.settings.channels.announce,
        message=message,
        now=ctx.now,
    )
    return int(row is not None)


def digest_key(week: IsoWeek, part: int = 1) -> str:
    return f"digest:{week}:{part}"


def _digest_week(ctx: JobContext) -> IsoWeek | None:
    """The week whose digest is due at ``now``: its deadline has passed, within the grace.

    The grace may run past midnight into the next ISO week, so last week is looked at too.
    """
    this_week = ctx.calendar.week_of(ctx.now)
    for week in (this_week, this_week.previous()):
        deadline = ctx.calendar.deadline(week)
        if deadline <= ctx.now < deadline + ctx.settings.schedule.digest_grace:
            return week
    return None


def digest(ctx: JobContext) -> int:
    """At the deadline, the week's digest in the digest channel: its first part as a post,
    the other parts (when it is too long for one message) as replies in its thread.

    Only the first part is of kind "digest" (what the Home tab shows as the last digest).
    """
    week = _digest_week(ctx)
    if week is None or outbox.exists(ctx.session, digest_key(week)):
        return 0
    data = digest_data(ctx.session, ctx.calendar, week, ctx.now)
    if data is None:
        return 0
    parts = compose_digest(data, ctx.settings, ctx.settings.locale)
    for number, part in enumerate(parts, start=1):
        outbox.enqueue(
            ctx.session,
            key=digest_key(week, number),
            kind="digest" if number == 1 else "digest_continued",
            channel=ctx.settings.channels.digest,
            message=part,
            now=ctx.now,
            thread_of=None if number == 1 else digest_key(week),
        )
    return len(parts)


def _last_and_this_week(ctx: JobContext, job: Callable[[JobContext, IsoWeek], int]) -> int:
    """``job`` for last week, then this one: a tick after downtime catches up."""
    this_week = ctx.calendar.week_of(ctx.now)
    return job(ctx, this_week.previous()) + job(ctx, this_week)


def late_bulletins(ctx: JobContext) -> int:
    """Each bulletin filed after its week's digest was composed, once, as a reply in the
    digest's thread. Last week is looked at too, so a tick after downtime catches up."""
    return _last_and_this_week(ctx, _post_late)


def _post_late(ctx: JobContext, week: IsoWeek) -> int:
    parent = outbox.by_key(ctx.session, digest_key(week))
    if parent is None:
        return 0
    late = {
        f"late:{week}:team-{bulletin.team_id}": bulletin
        for bulletin in late_since(ctx.session, week, parent.created_at)
    }
    posted = outbox.existing(ctx.session, list(late))
    for key, bulletin in late.items():
        if key not in posted:
            outbox.enqueue(
                ctx.session,
                key=key,
                kind="late_bulletin",
                channel=ctx.settings.channels.digest,
                message=compose_late(bulletin, ctx.settings.locale),
                now=ctx.now,
                thread_of=parent.key,
            )
    return len(late.keys() - posted)


def refresh_digests(ctx: JobContext) -> int:
    """A digest already posted, kept true: once a team files late or excuses the week, the
    digest's counts and its list of teams without a bulletin are updated in place (through
    the outbox, so several changes in a row show as their latest state)."""
    return _last_and_this_week(ctx, _refresh_digest)


def _refresh_digest(ctx: JobContext, week: IsoWeek) -> int:
    first = outbox.by_key(ctx.session, digest_key(week))
    if first is None:
        return 0
    data = digest_data(ctx.session, ctx.calendar, week, ctx.now, posted=first.created_at)
    if data is None:
        return 0
    changed = 0
    for number, part in enumerate(compose_digest(data, ctx.settings, ctx.settings.locale), 1):
        target = outbox.by_key(ctx.session, digest_key(week, number))
        if target is not None:
            changed += outbox.enqueue_update(ctx.session, target=target, message=part, now=ctx.now)
            continue
        # Grown past a message's limits: the new part continues in the thread.
        outbox.enqueue(
            ctx.session,
            key=digest_key(week, number),
            kind="digest_continued",
            channel=ctx.settings.channels.digest,
            message=part,
            now=ctx.now,
            thread_of=first.key,
        )
        changed += 1
    return changed


_REMINDER_KEY = re.compile(r":team-(?P<team>\d+):person-(?P<person>\d+)$")


def stand_down_reminders(ctx: JobContext) -> int:
    """Once a team has filed or excused the week, the reminders its members got say so,
    and lose their button; those not yet sent are withdrawn."""
    return _last_and_this_week(ctx, _stand_down)


def _stand_down(ctx: JobContext, week: IsoWeek) -> int:
    sent = [
        row
        for row in outbox.with_prefix(ctx.session, "reminder", f"reminder:{week}:")
        if row.status != OutboxStatus.FAILED
    ]
    if not sent:
        return 0
    done = {
        tw.team.id: tw
        for tw in week_statuses(ctx.session, ctx.calendar, week, ctx.now)
        if tw.status in (Status.FILED, Status.LATE, Status.EXCUSED)
    }
    changed = 0
    for row in sent:
        found = _REMINDER_KEY.search(row.key)
        if found is None or int(found["team"]) not in done:
            continue
        if outbox.withdraw(ctx.session, row):
            changed += 1
            continue
        person = ctx.session.get(Person, int(found["person"]))
        locale = normalize_locale(person.locale if person else None, ctx.settings.locale)
        line = render(
            "reminder_done", locale, tw=done[int(found["team"])], local=ctx.calendar.local
        )
        reminder = Message.from_json(row.payload)
        message = replace(reminder, sections=(*reminder.sections, Section(line)), buttons=())
        changed += outbox.enqueue_update(ctx.session, target=row, message=message, now=ctx.now)
    return changed


def cycle_jobs() -> list[tuple[str, CoreJob]]:
    """The bulletin cycle's jobs, in the order a tick runs them."""
    return [
        ("call_to_action", call_to_action),
        ("reminders", reminders),
        ("snoozed_reminders", snoozed_reminders),
        ("digest", digest),
        ("late_bulletins", late_bulletins),
        ("refresh_digests", refresh_digests),
        ("stand_down_reminders", stand_down_reminders),
        ("prune_received", prune_received_requests),
    ]


def prune_received_requests(ctx: JobContext) -> int:
    """Forget the keys of Slack requests handled days ago (their retries are long over)."""
    keep = timedelta(days=ctx.settings.retention.received_requests_days)
    return prune_received(ctx.session, ctx.now, keep)
