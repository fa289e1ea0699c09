"""The evaluation snapshot's scheduled job, like :mod:`bulletins.cycle.jobs`: a function of the
context's session, settings and ``now``, idempotent by the keys it writes.

On the first working day of each month of ``[schedule] snapshot_months`` (January and July
by default), from 11:00 until the end of that day, so a tick after downtime catches up: for
each cohort running or ended less than six months before, its snapshot as of the day
before, in the staff channel: a message with the key figures under the key
``snapshot:<cohort>:<YYYY-MM>``, and in its thread the report as files: a PDF Slack
previews (``snapshot:<cohort>:<YYYY-MM>:pdf``) and the HTML page
(``snapshot:<cohort>:<YYYY-MM>:html``).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bulletins import outbox
from bulletins.cycle.jobs import CoreJob, JobContext
from bulletins.db.models import Cohort
from bulletins.i18n import gettext
from bulletins.messages import Message, Section
from bulletins.mrkdwn import escape
from bulletins.outbox.files import FileUpload, enqueue_file, filename_for
from bulletins.rendering import render_sections
from evaluation.snapshot.compose import Snapshot, build_snapshot, generated_line
from evaluation.snapshot.pdf import render_pdf
from evaluation.snapshot.render import render_html
from evaluation.snapshot.view import Words
from evaluation.snapshot.view_parts import key_figures

SNAPSHOT_AT = time(11, 0)
ENDED_WITHIN = timedelta(days=183)  # a cohort that ended since the last snapshot is covered


def snapshot_key(cohort: Cohort, moment: datetime) -> str:
    return f"snapshot:{cohort.name}:{moment:%Y-%m}"


def _due(ctx: JobContext) -> bool:
    local = ctx.calendar.local(ctx.now)
    if local.month not in ctx.settings.schedule.snapshot_months:
        return False
    first = ctx.calendar.first_working_day_of_month(local.year, local.month)
    return local.date() == first and local.time() >= SNAPSHOT_AT


def snapshot_cohorts(session: Session, today: date) -> list[Cohort]:
    """Cohorts started by ``today`` and running, or ended less than six months before."""
    query = select(Cohort).where(
        Cohort.starts_on < today,
        or_(Cohort.ends_on.is_(None), Cohort.ends_on >= today - ENDED_WITHIN),
    )
    return list(session.scalars(query.order_by(Cohort.starts_on, Cohort.name)))


def snapshot_message(snapshot: Snapshot) -> Message:
    """The key figures for the staff channel; the report follows as a file."""
    locale = snapshot.locale
    words = Words(locale, snapshot.k)
    header = gettext(
        locale,
        "Evaluation snapshot: %(cohort)s, as of %(day)s",
        cohort=snapshot.cohort,
        day=words.day(snapshot.as_of),
    )
    sections = render_sections(
        "snapshot_message",
        locale,
        figures=key_figures(snapshot, words),
        cohort=snapshot.cohort,
        as_of=snapshot.as_of,
    )
    return Message(text=escape(header), header=header[:150], sections=tuple(map(Section, sections)))


def evaluation_snapshot(ctx: JobContext) -> int:
    """Post each cohort's snapshot and its report, as PDF and HTML, to the staff channel,
    once."""
    if not _due(ctx):
        return 0
    local = ctx.calendar.local(ctx.now)
    as_of, locale, added = local.date() - timedelta(days=1), ctx.settings.locale, 0
    for cohort in snapshot_cohorts(ctx.session, local.date()):
        key = snapshot_key(cohort, local)
        if outbox.exists(ctx.session, key):
            continue
        snapshot = build_snapshot(ctx.session, ctx.calendar, ctx.settings, cohort, as_of, locale)
        channel = ctx.settings.channels.staff
        message = snapshot_message(snapshot)
        outbox.enqueue(
            ctx.session, key=key, kind="snapshot", channel=channel, message=message, now=ctx.now
        )
        generated = generated_line(local, locale)
        reports = (
            ("pdf", render_pdf(snapshot, generated)),
            ("html", render_html(snapshot, generated).encode("utf-8")),
        )
        for extension, content in reports:
            upload = FileUpload(
                filename=filename_for(key, extension), title=message.text, content=content
            )
            enqueue_file(
                ctx.session, key=f"{key}:{extension}", channel=channel, upload=upload,
                now=ctx.now, thread_of=key,
            )  # fmt: skip
        added += 1 + len(reports)
    return added


def snapshot_jobs() -> list[tuple[str, CoreJob]]:
    """The evaluation snapshot's job, in the order a tick runs it."""
    return [("evaluation_snapshot", evaluation_snapshot)]
