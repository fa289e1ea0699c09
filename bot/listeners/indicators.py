"""``/bulletin indicators``: the team's indicators with their progress; for its mentors and
the programme team, buttons that push a form to add an indicator or to record a value, and
one on each indicator to archive it (Slack asks to confirm first).

A pushed form's submission closes it and refreshes the list beneath (its view id travels in
the form's metadata); problems show under their fields.
"""

from __future__ import annotations

import json
from datetime import date

from slack_bolt import Ack, App, BoltContext
from sqlalchemy.orm import Session

from bot import ids
from bot.blocks.facts_form import raw_facts
from bot.blocks.indicators import add_view, indicators_view, read_number, value_view
from bot.bootstrap import Services
from bot.forms import own_team
from bot.listeners.evaluation_forms import saved_or_errors, teams_for
from bot.listeners.follow_up import ack_then, listen, then
from bot.locales import locale_of
from bulletins.cycle.bulletin import Problem
from bulletins.db.models import Person, Team
from bulletins.people import person_by_slack_id
from evaluation.facts.indicators import (
    InvalidIndicator,
    add_indicator,
    archive_indicator,
    can_edit_indicators,
    record_value,
    require_editor,
    team_indicator,
    team_indicators,
)

NUMBERS = ("baseline", "target", "value")


def indicators_shown(session: Session, person: Person, team: Team, locale: str, day: date) -> dict:
    """The list of ``team``'s indicators as ``person`` sees it."""
    editor = can_edit_indicators(session, person, team, day)
    return indicators_view(team, team_indicators(session, team), editor, locale)


def _context(services: Services, session: Session, user_id: str, team_id: int):
    """The person, their language, today, and the team if they may read it."""
    person = person_by_slack_id(session, user_id)
    day = services.calendar.local(services.clock()).date()
    team = own_team(teams_for(session, person, day), team_id)
    return person, locale_of(services, user_id, person), day, team


def button_clicked(services: Services, body: dict, _respond: None, action: dict) -> None:
    """Push the form to add an indicator, or to record a value, over the list. In a modal:
    no response_url, so anything to say goes in a direct message."""
    user_id, listing = body["user"]["id"], body["view"]
    with services.sessions.begin() as session:
        person, locale, day, team = _context(services, session, user_id, int(action["value"]))
        require_editor(session, person, team, day)  # NotAnEditor: explained by a message
        if action["action_id"] == ids.INDICATOR_ADD:
            view = add_view(team, listing["id"], locale)
        else:
            view = value_view(team, team_indicators(session, team), listing["id"], day, locale)
    services.slack.views_push(trigger_id=body["trigger_id"], view=view)


def _save(services: Services, user_id: str, view: dict) -> tuple[int, str]:
    """Add the indicator or record the value the pushed form holds; returns the team id and
    the list's view id."""
    meta = json.loads(view["private_metadata"])
    raw = raw_facts(view["state"]["values"])  # the same shape: text by block id
    problems: dict[str, Problem] = {}
    numbers = {name: read_number(raw.get(name), name, problems) for name in NUMBERS}
    if problems:
        raise InvalidIndicator(problems)
    now = services.clock()
    with services.sessions.begin() as session:
        person, _locale, day, team = _context(services, session, user_id, int(meta["team"]))
        if view["callback_id"] == ids.INDICATOR_ADD_VIEW:
            texts = {name: raw.get(name) or "" for name in ("objective", "name", "method", "unit")}
            baseline, target = numbers["baseline"], numbers["target"]
            add_indicator(session, team, person, **texts, baseline=baseline, target=target,
                          now=now, today=day)  # fmt: skip
        else:
            indicator = team_indicator(session, team, int(raw.get("indicator") or 0))
            value, measured_on = _measure(numbers["value"], raw.get("measured_on"), day)
            record_value(session, indicator, person, value, measured_on, now, today=day)
    return int(meta["team"]), meta["list"]


def _measure(value: float | None, measured_on: str | None, day: date) -> tuple[float, date]:
    if value is None:
        raise InvalidIndicator({"value": Problem("This answer is required.")})
    return value, date.fromisoformat(measured_on) if measured_on else day


def form_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    user_id, view = body["user"]["id"], body["view"]
    saved = saved_or_errors(services, ack, context, body, lambda: _save(services, user_id, view))
    if saved is None:
        return
    ack()  # closes the pushed form
    then(context, listing_refreshed, *saved)


def listing_refreshed(
    services: Services, body: dict, _respond: None, team_id: int, list_view_id: str
) -> None:
    """Show the list of indicators, under the closed form, with what was just saved."""
    with services.sessions.begin() as session:
        person, locale, day, team = _context(services, session, body["user"]["id"], team_id)
        listing = indicators_shown(session, person, team, locale, day)
    services.slack.views_update(view_id=list_view_id, view=listing)


def indicator_archived(
    services: Services, body: dict, _respond: None, value: str, list_view_id: str
) -> None:
    """Archive the indicator the button was on, then show the list without it."""
    team_id, indicator_id = (int(part) for part in value.split(":"))
    with services.sessions.begin() as session:
        person, _locale, day, team = _context(services, session, body["user"]["id"], team_id)
        indicator = team_indicator(session, team, indicator_id)
        archive_indicator(session, indicator, person, today=day)
    listing_refreshed(services, body, None, team_id, list_view_id)


def archive_clicked(services: Services, body: dict, _respond: None, action: dict) -> None:
    indicator_archived(services, body, None, action["value"], body["view"]["id"])


def register(app: App, services: Services) -> None:
    def on_form(ack: Ack, context: BoltContext, body: dict) -> None:
        form_submitted(services, ack, context, body)

    listen(app.action(ids.INDICATOR_ARCHIVE), services, ack_then(archive_clicked))
    for action_id in (ids.INDICATOR_ADD, ids.INDICATOR_MEASURE):
        listen(app.action(action_id), services, ack_then(button_clicked))
    for callback_id in (ids.INDICATOR_ADD_VIEW, ids.INDICATOR_VALUE_VIEW):
        listen(app.view(callback_id), services, on_form)
