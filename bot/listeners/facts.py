"""``/bulletin facts``: the team facts modal, prefilled with the team's current sheet, and
its submission: problems show under their fields, a saved sheet gets a DM confirmation.
"""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot import ids
from bot.blocks.facts_form import facts_view, raw_facts, team_of
from bot.bootstrap import Services
from bot.home_tab import publish_home
from bot.listeners.evaluation_forms import saved_or_errors
from bot.listeners.follow_up import listen, then
from bot.locales import locale_for_user
from bot.replies import reply_to, text_message
from bulletins.db.models import Team
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.mrkdwn import escape
from bulletins.people import person_by_slack_id
from evaluation.facts.sheets import current_facts, parse_facts, record_facts

log = logging.getLogger(__name__)


def facts_shown(services: Services, session: Session, team: Team, locale: str) -> dict:
    facts = current_facts(session, [team])[team.id]
    return facts_view(team, facts, locale, services.calendar.local)


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
    then(context, facts_saved, *saved)


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
    def on_facts(ack: Ack, context: BoltContext, body: dict) -> None:
        facts_submitted(services, ack, context, body)

    listen(app.view(ids.FACTS_VIEW), services, on_facts)
