"""Publishing a person's Home tab."""

from __future__ import annotations

import logging
from functools import partial

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.blocks.facts_form import home_line
from bot.blocks.home import person_home, stranger_home
from bot.bootstrap import Services
from bot.locales import locale_of
from bot.server import CONSOLE_PATH
from bulletins.config import Settings
from bulletins.home_page import HomePage, contacts_for, home_page
from bulletins.people import UnknownPerson, is_staff, person_and_teams
from bulletins.rendering import render
from evaluation.campaigns.staff_progress import open_campaigns_progress
from evaluation.facts.indicators import indicator_counts
from evaluation.facts.sheets import current_facts

log = logging.getLogger(__name__)


def home_for(services: Services, user_id: str) -> dict:
    """The Home tab ``user_id`` sees now."""
    now = services.clock()
    calendar = services.calendar
    day = calendar.local(now).date()
    with services.sessions.begin() as session:
        try:
            person, teams = person_and_teams(session, user_id, day)
        except UnknownPerson:
            return stranger_home(locale_of(services, user_id, None))
        locale = locale_of(services, user_id, person)
        page = home_page(session, calendar, person, now, teams=teams)
        no_team = None
        if not page.own and not page.cohorts:
            staff, contacts = is_staff(session, person, day), contacts_for(session, person, day)
            no_team = render("no_team", locale, staff=staff, contacts=contacts)
        cohort_ids = [week.cohort.id for week in page.cohorts]
        campaigns = open_campaigns_progress(session, now, cohort_ids) if cohort_ids else []
        evaluation = evaluation_lines(session, page, locale)
        link = partial(digest_permalink, services, page)
        privacy = render("home_privacy", locale, settings=services.settings)
        return person_home(
            page, locale, calendar.local, no_team, campaigns, evaluation, link, privacy,
            outbox_url=console_outbox_url(services.settings),
        )  # fmt: skip


def console_outbox_url(settings: Settings) -> str | None:
    """The web console's outbox page, when the console can be signed in to (Slack's client
    id and secret set) at a known public address; None otherwise."""
    base = settings.console.url or settings.public_url
    if not base or not settings.slack.client_id or not settings.slack.client_secret:
        return None
    return f"{base.rstrip('/')}{CONSOLE_PATH}/outbox"


def digest_permalink(services: Services, page: HomePage) -> str | None:
    """The link to the last digest in Slack, or None when Slack cannot give it."""
    digest = page.digest
    if digest is None or not digest.slack_channel or not digest.slack_ts:
        return None
    try:
        answer = services.slack.chat_getPermalink(
            channel=digest.slack_channel, message_ts=digest.slack_ts
        )
    except SlackApiError as error:
        log.warning("chat.getPermalink failed for the last digest: %s", error.response.get("error"))
        return None
    return answer.get("permalink")


def evaluation_lines(session: Session, page: HomePage, locale: str) -> dict[int, str]:
    """For each of the person's teams: its tool's status and how many indicators it has."""
    teams = [tw.team for tw in page.own]
    facts, counts = current_facts(session, teams), indicator_counts(session, teams)
    return {team.id: home_line(facts[team.id], counts[team.id], locale) for team in teams}


def publish_home(services: Services, user_id: str) -> None:
    services.slack.views_publish(user_id=user_id, view=home_for(services, user_id))
