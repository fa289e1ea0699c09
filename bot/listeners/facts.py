"""``/bulletin facts``: the team facts modal, prefilled with the team's current sheet (a
team picker first for someone in several teams, or for the programme team), and its
submission: problems show under their fields, a saved sheet gets a DM confirmation.

Also the picker shared with ``/bulletin indicators``, and :func:`saved_or_errors`, which the
indicators' forms use too.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot import dedup, ids
from bot.blocks.facts_form import facts_view, picker_view, raw_facts, team_of
from bot.blocks.form_values import translate
from bot.bootstrap import Services
from bot.explanations import explain
from bot.forms import Shown, no_team_message, own_team, show
from bot.home import publish_home
from bot.listeners.errors import reported
from bot.locales import locale_for_user, locale_of, stored_locale
from bot.replies import Reply, reply_to, text_message
from bulletins.db import database_unavailable
from bulletins.db.models import Person, Team
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from bulletins.people import active_teams, is_staff, person_by_slack_id, teams_of
from evaluation.facts import InvalidFacts, current_facts, parse_facts, record_facts
from evaluation.indicators import InvalidIndicator

log = logging.getLogger(__name__)
T = TypeVar("T")


def teams_for(session: Session, person: Person, day: date) -> list[Team]:
    """The person's teams; for the programme team, every active team."""
    if is_staff(session, person, day):
        return active_teams(session, day)
    return teams_of(session, person, day)


def facts_shown(services: Services, session: Session, team: Team, locale: str) -> dict:
    facts = current_facts(session, [team])[team.id]
    return facts_view(team, facts, locale, services.calendar.local)


def evaluation_modal(
    services: Services, user_id: str, purpose: str, team_id: int | None = None
) -> Shown:
    """The facts (or indicators) modal of ``team_id`` or of the person's only team, a picker
    when they have several, or a message when they have none."""
    from bot.listeners.indicators import indicators_shown

    with services.sessions.begin() as session:
        person = person_by_slack_id(session, user_id)
        locale = locale_of(services, user_id, person)
        day = services.calendar.local(services.clock()).date()
        teams = teams_for(session, person, day)
        if team_id is None and len(teams) != 1:
            if not teams:
                return no_team_message(session, person, day, locale)
            return picker_view(teams, purpose, locale)
        team = own_team(teams, teams[0].id if team_id is None else team_id)
        if purpose == ids.FOR_INDICATORS:
            return indicators_shown(session, person, team, locale, day)
        return facts_shown(services, session, team, locale)


def open_evaluation_modal(
    services: Services, user_id: str, trigger_id: str, reply: Reply, purpose: str
) -> None:
    """``/bulletin facts`` or ``/bulletin indicators``: open the modal (within 3 seconds)."""
    shown = evaluation_modal(services, user_id, purpose)
    show(shown, reply, lambda view: services.slack.views_open(trigger_id=trigger_id, view=view))


def team_picked(services: Services, body: dict, _respond: None, action: dict) -> None:
    """The picker becomes the chosen team's facts or indicators modal."""
    user_id, picker = body["user"]["id"], body["view"]
    purpose, _, team = str(action.get("value") or "").partition(":")
    purpose = purpose if purpose == ids.FOR_INDICATORS else ids.FOR_FACTS
    shown = evaluation_modal(services, user_id, purpose, int(team) if team.isdigit() else None)
    show(
        shown,
        reply_to(services, user_id),
        lambda v: services.slack.views_update(view_id=picker["id"], hash=picker["hash"], view=v),
    )


def field_errors(error: BulletinsError, locale: str, first_block: str) -> dict[str, str]:
    """Each field's problem under its input; any other problem under the first one."""
    if isinstance(error, InvalidFacts | InvalidIndicator):
        return {field: translate(problem, locale) for field, problem in error.problems.items()}
    return {first_block: explain(error, locale) or ""}


def saved_or_errors(
    services: Services, ack: Ack, context: BoltContext, body: dict, save: Callable[[], T]
) -> T | None:
    """``save()``'s result; or None once the modal was told why (it stays open with what was
    typed, and its submission key is forgotten so that sending it again is not a repeat)."""
    blocks = body["view"].get("blocks") or []
    first_block = next((b.get("block_id") for b in blocks if b.get("type") == "input"), "")
    try:
        return save()
    except BulletinsError as error:
        dedup.release(services, context)
        locale = stored_locale(services, body["user"]["id"])
        ack(response_action="errors", errors=field_errors(error, locale, first_block))
    except Exception as error:
        if not database_unavailable(error):
            dedup.release(services, context)
            raise
        log.warning("the database did not answer a form submission: %s", error)
        text = dedup.database_down_text(services.settings.locale, form=True)
        ack(response_action="errors", errors={first_block: text})
        dedup.release(services, context)
    return None


def save_facts(services: Services, user_id: str, team_id: int, raw: dict) -> tuple[str, bool]:
    """Record the sheet; the team's name, and whether anything changed."""
    values = parse_facts(raw)
    now = services.clock()
    with services.sessions.begin() as session:
        person = person_by_slack_id(session, user_id)
        team = session.get(Team, team_id)
        if team is None:
            raise BulletinsError(f"team {team_id} does not exist")
        before = current_facts(session, [team])[team.id]
        day = services.calendar.local(now).date()
        after = record_facts(session, team, person, values, now, today=day)
        return team.name, before is None or after.id != before.id


def facts_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    user_id, view = body["user"]["id"], body["view"]
    raw = raw_facts(view["state"]["values"])
    team_id = team_of(view["private_metadata"])
    saved = saved_or_errors(
        services, ack, context, body, lambda: save_facts(services, user_id, team_id, raw)
    )
    if saved is None:
        return
    ack()
    with reported(services, body):
        facts_saved(services, body, None, *saved)


def facts_saved(services: Services, body: dict, _respond: None, name: str, changed: bool) -> None:
    """Confirm by direct message, and show the new facts in the person's Home tab."""
    user_id = body["user"]["id"]
    locale = locale_for_user(services, user_id)
    text = (
        gettext(locale, "The facts of *%(team)s* are saved. Thank you!", team=escape(name))
        if changed
        else gettext(locale, "The facts of *%(team)s* were already so.", team=escape(name))
    )
    reply_to(services, user_id)(text_message(text))
    publish_home(services, user_id)


def register(app: App, services: Services) -> None:
    @app.action(ids.EVALUATION_PICK_TEAM)
    def on_pick_team(ack: Ack, body: dict, action: dict) -> None:
        ack()
        # In a modal: no response_url, replies go by DM.
        with reported(services, body):
            team_picked(services, body, None, action)

    @app.view(ids.FACTS_VIEW)
    def on_facts(ack: Ack, context: BoltContext, body: dict) -> None:
        facts_submitted(services, ack, context, body)
