"""``/bulletin facts`` and ``/bulletin indicators``: which modal a person gets (the team's
facts or indicators, a team picker first for someone in several teams or for the programme
team, or a message when they have none), and the picker's choice."""

from __future__ import annotations

from slack_bolt import App

from bot import ids
from bot.blocks.facts_form import picker_view
from bot.bootstrap import Services
from bot.forms import Shown, no_team_message, own_team, show
from bot.listeners.evaluation_forms import teams_for
from bot.listeners.facts import facts_shown
from bot.listeners.follow_up import ack_then, listen
from bot.listeners.indicators import indicators_shown
from bot.locales import locale_of
from bot.replies import Reply, reply_to
from bulletins.people import person_by_slack_id


def evaluation_modal(
    services: Services, user_id: str, purpose: str, team_id: int | None = None
) -> Shown:
    """The facts (or indicators) modal of ``team_id`` or of the person's only team, a picker
    when they have several, or a message when they have none."""
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


def register(app: App, services: Services) -> None:
    # In a modal: no response_url, replies go by DM.
    listen(app.action(ids.EVALUATION_PICK_TEAM), services, ack_then(team_picked))
