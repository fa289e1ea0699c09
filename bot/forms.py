"""Which modal a person gets when they ask to write: the bulletin form, the "no bulletin"
form, the team picker, or a message saying why there is nothing to write."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot import ids
from bot.blocks.bulletin_form import FormContext, form_view
from bot.blocks.form_values import from_home
from bot.blocks.modals import excuse_view, notice_view, picker_view
from bot.bootstrap import Services
from bot.locales import locale_of
from bot.replies import Reply, text_message
from bulletins.cycle.bulletin import bulletin_for, filing_window
from bulletins.dates import week_start
from bulletins.db.models import Person, Team
from bulletins.home_page import contacts_for
from bulletins.i18n import gettext
from bulletins.messages import Message
from bulletins.mrkdwn import escape
from bulletins.people import NotAllowed, is_staff, person_and_teams, timezone_of
from bulletins.rendering import render

Shown = dict | Message


def team_view(
    services: Services,
    session: Session,
    team: Team,
    person: Person,
    purpose: str,
    locale: str,
    now: datetime,
) -> dict:
    """The form (or the excuse form) of ``team`` for the week being written at ``now``,
    its times in ``person``'s timezone."""
    window = filing_window(services.calendar, now)
    bulletin = bulletin_for(session, team, window.week, people=purpose != ids.FOR_EXCUSE)
    if purpose != ids.FOR_EXCUSE:
        zone = timezone_of(person, services.calendar.timezone)
        context = FormContext(team, window, bulletin, locale, zone)
        return form_view(context)
    if bulletin is None:
        return excuse_view(team, window.week, locale)
    text = gettext(
        locale,
        "*%(team)s* has filed its bulletin for the week of %(week)s, so there is nothing to "
        "excuse. Type `/bulletin` to edit it.",
        team=escape(team.name),
        week=week_start(window.week, locale),
    )
    return notice_view(gettext(locale, "Already filed"), text, locale)


def own_team(teams: list[Team], team_id: int) -> Team:
    for team in teams:
        if team.id == team_id:
            return team
    raise NotAllowed(f"not a member of team {team_id}")


def no_team_message(session: Session, person: Person, day: date, locale: str) -> Message:
    """Why there is no bulletin to write, and whom to ask."""
    text = render(
        "no_team",
        locale,
        staff=is_staff(session, person, day),
        contacts=contacts_for(session, person, day),
    )
    return text_message(text)


def modal_for(
    services: Services, user_id: str, purpose: str = ids.FOR_FORM, team_id: int | None = None
) -> Shown:
    """The view to show ``user_id`` (for ``team_id``, or for their only team, or a picker),
    or a message when they have no team."""
    now = services.clock()
    with services.sessions.begin() as session:
        day = services.calendar.local(now).date()
        person, teams = person_and_teams(session, user_id, day)
        locale = locale_of(services, user_id, person)
        if team_id is not None:
            team = own_team(teams, team_id)
            return team_view(services, session, team, person, purpose, locale, now)
        if not teams:
            return no_team_message(session, person, day, locale)
        if len(teams) > 1:
            return picker_view(teams, purpose, locale)
        return team_view(services, session, teams[0], person, purpose, locale, now)


def show(shown: Shown, reply: Reply, send_view: Callable[[dict], object]) -> None:
    """Send a view with ``send_view`` (views.open, push or update), or a message with ``reply``."""
    if isinstance(shown, Message):
        reply(shown)
    else:
        send_view(shown)


def open_modal(
    services: Services,
    user_id: str,
    trigger_id: str,
    reply: Reply,
    purpose: str = ids.FOR_FORM,
    team_id: int | None = None,
    home: bool = False,
) -> None:
    """Open what ``user_id`` should see to write (within the trigger's 3 seconds); ``home``:
    asked from the Home tab."""
    shown = modal_for(services, user_id, purpose, team_id)
    if home and isinstance(shown, dict):
        shown = from_home(shown)
    show(shown, reply, lambda view: services.slack.views_open(trigger_id=trigger_id, view=view))
