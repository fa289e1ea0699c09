"""The monthly digest's scheduled job, like :mod:`bulletins.cycle.jobs`: a function of the
context's session, settings and ``now``, idempotent by the keys it writes.

On the first working day of each month (programme calendar), from ``[schedule]
monthly_digest`` (10:00 by default) until the end of that day, so a tick after downtime
catches up: the previous month's digest in the staff channel, under the key
``monthly:YYYY-MM`` (a long digest continues in its thread as ``monthly:YYYY-MM:part-N``),
then its two charts as files in that thread, ``monthly:YYYY-MM:heatmap`` and ``:mood``.
"""

from __future__ import annotations

from babel.numbers import format_decimal

from bulletins import outbox
from bulletins.cycle.jobs import CoreJob, JobContext
from bulletins.dates import week_start
from bulletins.i18n import gettext
from bulletins.outbox.files import FileUpload, enqueue_file, filename_for
from evaluation import charts
from evaluation.monthly.digest import (
    Month,
    MonthlyData,
    compose_monthly,
    month_name,
    previous_month,
)


def monthly_key(month: Month, part: str | None = None) -> str:
    """``monthly:2026-03``, or one of its parts such as ``monthly:2026-03:heatmap``."""
    key = f"monthly:{month[0]:04d}-{month[1]:02d}"
    return f"{key}:{part}" if part else key


def _due_month(ctx: JobContext) -> Month | None:
    """The month whose digest is due at ``now``: the previous one, on the first working
    day of this one from the configured time until midnight."""
    local = ctx.calendar.local(ctx.now)
    first = ctx.calendar.first_working_day_of_month(local.year, local.month)
    if local.date() != first or local.time() < ctx.settings.schedule.monthly_digest:
        return None
    return previous_month((local.year, local.month))


def monthly_digest(ctx: JobContext) -> int:
    """Post the previous month's digest and its charts to the staff channel, once; nothing
    for a month in which no team was in the programme."""
    month = _due_month(ctx)
    if month is None or outbox.exists(ctx.session, monthly_key(month)):
        return 0
    digest = compose_monthly(ctx.session, ctx.calendar, ctx.settings, month, ctx.now)
    if not digest.data.grid.teams:
        return 0
    channel, parent = ctx.settings.channels.staff, monthly_key(month)
    for number, part in enumerate(digest.messages, start=1):
        outbox.enqueue(
            ctx.session,
            key=parent if number == 1 else monthly_key(month, f"part-{number}"),
            kind="monthly_digest" if number == 1 else "monthly_digest_continued",
            channel=channel,
            message=part,
            now=ctx.now,
            thread_of=None if number == 1 else parent,
        )
    uploads = chart_uploads(digest.data, ctx.settings.locale)
    for name, upload in uploads.items():
        enqueue_file(
            ctx.session,
            key=monthly_key(month, name),
            channel=channel,
            upload=upload,
            now=ctx.now,
            thread_of=parent,
        )
    return len(digest.messages) + len(uploads)


def chart_uploads(data: MonthlyData, locale: str) -> dict[str, FileUpload]:
    """The month's participation heatmap and mood trend, as PNG files to upload."""
    month = month_name(data.month, locale)
    teams, weeks, rows = data.grid.chart_data()
    heatmap_title = gettext(locale, "Bulletins by team and week, %(month)s", month=month)
    mood_title = gettext(locale, "Mean mood of the bulletins by week, %(month)s", month=month)
    means = [week.mean for week in data.mood]
    return {
        "heatmap": FileUpload(
            filename=filename_for(monthly_key(data.month, "heatmap"), "png"),
            title=heatmap_title,
            content=charts.heatmap_png(teams, weeks, rows, locale, heatmap_title),
            alt_text=gettext(
                locale,
                "Grid of %(teams)s teams by %(weeks)s weeks: on time, late, excused or silent.",
                teams=len(teams),
                weeks=len(weeks),
            ),
        ),
        "mood": FileUpload(
            filename=filename_for(monthly_key(data.month, "mood"), "png"),
            title=mood_title,
            content=charts.mood_png(weeks, means, locale, mood_title),
            alt_text=_mood_alt(data, locale),
        ),
    }


def _mood_alt(data: MonthlyData, locale: str) -> str:
    """The mood chart in words, for those who cannot see it."""
    points = ", ".join(
        f"{week_start(week.week, locale)}: "
        + ("—" if week.mean is None else format_decimal(week.mean, "0.0", locale=locale))
        for week in data.mood
    )
    return gettext(locale, "Mean mood from 1 to 4 by week: %(points)s.", points=points)


def monthly_jobs() -> list[tuple[str, CoreJob]]:
    """The monthly digest's job, in the order a tick runs it."""
    return [("monthly_digest", monthly_digest)]
