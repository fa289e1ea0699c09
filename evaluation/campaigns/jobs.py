"""Scheduled jobs of the surveys, like :mod:`bulletins.cycle.jobs`: functions of the context's
session, settings and ``now``, idempotent by the keys they write.

- ``launch_recurring``: a survey with a monthly recurrence is launched on the first
  working day of the month at 10:00 programme time, once per month and cohort.
- ``survey_reminders``: on each reminder day of an open campaign, at 10:00, a DM to each
  person invited who has not finished (and is not away); the last reminder says when the
  survey closes.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select

from bulletins import outbox
from bulletins.cycle.jobs import CoreJob, JobContext
from bulletins.db.models import Campaign, Participation, Person
from bulletins.i18n import normalize_locale
from bulletins.people import away_ids, find_cohort
from evaluation.campaigns import (
    NobodyToInvite,
    available_surveys,
    campaign_key,
    launch,
    survey_of,
)
from evaluation.campaigns.audience import active_cohorts
from evaluation.campaigns.invitations import reminder
from evaluation.surveys.definitions import Survey

SURVEY_TIME = time(10, 0)  # launches and reminders, programme time


def _due_moment(ctx: JobContext, day_offset: int, opened: datetime) -> datetime | None:
    """The reminder moment ``day_offset`` days after ``opened`` when it is due at ``now``
    (from 10:00 until the end of that day), else None."""
    day = ctx.calendar.local(opened).date() + timedelta(days=day_offset)
    moment = ctx.calendar.at(day, SURVEY_TIME)
    if moment <= ctx.now < ctx.calendar.at(day + timedelta(days=1), time(0, 0)):
        return moment
    return None


def launch_recurring(ctx: JobContext) -> int:
    """Launch each monthly survey on the first working day of the month, from 10:00 on that
    day (a later tick that day catches up), once per cohort: the campaign key is the month's."""
    local = ctx.calendar.local(ctx.now)
    first = ctx.calendar.first_working_day_of_month(local.year, local.month)
    if local.date() != first or local.time() < SURVEY_TIME:
        return 0
    launched = 0
    for survey in available_surveys(ctx.settings).values():
        if survey.recurrence is None or survey.recurrence.every != "month":
            continue
        launched += _launch_each_cohort(ctx, survey)
    return launched


def _launch_each_cohort(ctx: JobContext, survey: Survey) -> int:
    today = ctx.calendar.local(ctx.now).date()
    if survey.audience.cohort is not None:
        cohorts = [find_cohort(ctx.session, survey.audience.cohort)]
    else:
        cohorts = active_cohorts(ctx.session, today)
    launched = 0
    for cohort in cohorts:
        key = campaign_key(survey, cohort, ctx.calendar.local(ctx.now))
        if ctx.session.scalar(select(Campaign.id).where(Campaign.key == key)) is not None:
            continue
        try:
            launch(
                ctx.session,
                survey,
                cohort=cohort,
                now=ctx.now,
                calendar=ctx.calendar,
                settings=ctx.settings,
                key=key,
            )
        except NobodyToInvite:
            continue
        launched += 1
    return launched


def survey_reminders(ctx: JobContext) -> int:
    """Remind who has not finished, on each reminder day of each open campaign."""
    open_campaigns = ctx.session.scalars(
        select(Campaign)
        .where(Campaign.opens_at <= ctx.now, Campaign.closes_at > ctx.now)
        .order_by(Campaign.id)
    )
    return sum(_remind(ctx, campaign) for campaign in open_campaigns)


def _remind(ctx: JobContext, campaign: Campaign) -> int:
    survey = survey_of(campaign)
    days = sorted(survey.reminders)
    due = [d for d in days if _due_moment(ctx, d, campaign.opens_at) is not None]
    if not due:
        return 0
    day, last = due[-1], due[-1] == days[-1]
    date_key = (ctx.calendar.local(campaign.opens_at).date() + timedelta(days=day)).isoformat()
    away = away_ids(ctx.session, ctx.calendar.local(ctx.now).date())
    people = ctx.session.scalars(
        select(Person)
        .join(Participation, Participation.person_id == Person.id)
        .where(Participation.campaign_id == campaign.id, Participation.finished.is_(False))
        .where(Person.erased_at.is_(None))  # erased at their request: no Slack id left
        .order_by(Person.id)
    )
    added = 0
    for person in people:
        key = f"survey:{campaign.key}:reminder:{date_key}:person-{person.id}"
        if person.id in away or outbox.exists(ctx.session, key):
            continue
        locale = normalize_locale(person.locale, ctx.settings.locale)
        message = reminder(campaign.id, campaign.closes_at, survey, locale, ctx.settings, last)
        outbox.enqueue(
            ctx.session,
            key=key,
            kind="survey_reminder",
            channel=person.slack_user_id,
            message=message,
            now=ctx.now,
        )
        added += 1
    return added


def survey_jobs() -> list[tuple[str, CoreJob]]:
    """The surveys' jobs, in the order a tick runs them (after the bulletin cycle's)."""
    return [("launch_recurring", launch_recurring), ("survey_reminders", survey_reminders)]
