"""Helpers of the /bulletin end-to-end tests: open the form, answer it, read what was stored."""

from __future__ import annotations

import json
import threading
from datetime import date

from sqlalchemy import select

from bot import ids
from bot.blocks.form_values import FormMeta
from bot.standin.workspace import SlackWorkspace
from bulletins.calendar import IsoWeek
from bulletins.cycle.bulletin import Answers, file_bulletin
from bulletins.db.models import (
    Bulletin,
    Membership,
    Person,
    Role,
    Team,
)


def answers(
    mood: int = 3,
    priority: str = "Ship the simulator to the Senate",
    ups: str = "Demo went well; the API is slow",
    help_request: str | None = None,
    key_date: date | None = None,
    label: str | None = None,
) -> dict[str, dict[str, object]]:
    """Form values as ``driver.submit_view`` takes them."""
    values: dict[str, dict[str, object]] = {
        ids.MOOD: {ids.input_id(ids.MOOD): str(mood)},
        ids.PRIORITY: {ids.input_id(ids.PRIORITY): priority},
        ids.UPS_AND_DOWNS: {ids.input_id(ids.UPS_AND_DOWNS): ups},
    }
    optional = {ids.HELP_REQUEST: help_request, ids.KEY_DATE: key_date, ids.KEY_DATE_LABEL: label}
    for block, value in optional.items():
        if value is not None:
            values[block] = {ids.input_id(block): value}
    return values


def open_view(
    workspace: SlackWorkspace, user_id: str, text: str = "", callback: str = ids.BULLETIN_VIEW
):
    """Type ``/bulletin <text>`` and return the modal Slack then shows."""
    before = len(workspace.standin.calls_to("views.open"))
    assert workspace.driver.command(user_id, text).status == 200
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.open")) > before)
    call = workspace.standin.calls_to("views.open")[-1]
    assert call.ok, call.response
    return workspace.standin.last_view(callback)


def replies(workspace: SlackWorkspace, count: int = 1) -> list[str]:
    """The ephemeral replies (response_url) sent so far, text and blocks, once ``count`` came."""
    workspace.wait_for(lambda: len(workspace.standin.calls_to("response_url")) >= count)
    return [
        call.args.get("text", "") + json.dumps(call.args.get("blocks"), ensure_ascii=False)
        for call in workspace.standin.calls_to("response_url")
    ]


def dms(workspace: SlackWorkspace, user_id: str, count: int = 1) -> list[str]:
    """The texts of the direct messages sent to ``user_id``, once ``count`` came."""
    workspace.wait_for(lambda: len(workspace.standin.messages(user_id)) >= count)
    return [message["text"] for message in workspace.standin.messages(user_id)]


def bulletins(workspace: SlackWorkspace, team: Team) -> list[Bulletin]:
    with workspace.services.sessions() as session:
        query = select(Bulletin).where(Bulletin.team_id == team.id)
        return list(session.scalars(query))


def join(workspace: SlackWorkspace, person: Person, team: Team, role: Role = Role.MENTOR) -> None:
    """Make ``person`` a member of a second team."""
    with workspace.services.sessions.begin() as session:
        session.add(
            Membership(person_id=person.id, team_id=team.id, role=str(role), since=date(2026, 1, 5))
        )


def file_directly(workspace: SlackWorkspace, person: Person, team: Team, **fields: object) -> None:
    """File a bulletin through the core, at the workspace's current time."""
    values = {"mood": 2, "priority": "Priority", "ups_and_downs": "Ups"} | fields
    with workspace.services.sessions.begin() as session:
        file_bulletin(
            session,
            workspace.services.calendar,
            person=session.get(Person, person.id),
            team=session.get(Team, team.id),
            answers=Answers(**values),
            now=workspace.clock(),
        )


def week(workspace: SlackWorkspace) -> IsoWeek:
    return workspace.services.calendar.week_of(workspace.clock())


def refreshes_home(view: dict) -> bool:
    """The bulletin and excuse forms refresh the Home tab only when opened from it."""
    if view.get("callback_id") in (ids.BULLETIN_VIEW, ids.EXCUSE_VIEW):
        return FormMeta.read(view["private_metadata"]).from_home
    return True


def submit(workspace: SlackWorkspace, user_id: str, view: dict, values: dict, times: int = 1):
    """Submit a modal; once it is accepted, wait for the work done after the
    acknowledgement (confirmation, Home tab) so that it never outlives the test."""
    dms_before = len(workspace.standin.messages(user_id))
    homes_before = len(workspace.standin.calls_to("views.publish"))
    response = workspace.driver.submit_view(user_id, view, values)
    if response.text in ("", '{"response_action": "clear"}'):
        workspace.wait_for(lambda: len(workspace.standin.messages(user_id)) >= dms_before + times)
        if refreshes_home(view):
            published = workspace.standin.calls_to
            workspace.wait_for(lambda: len(published("views.publish")) >= homes_before + times)
    return response


def ask(workspace: SlackWorkspace, user_id: str, text: str = "") -> str:
    """Type ``/bulletin <text>`` and return the ephemeral reply it gets."""
    before = len(workspace.standin.calls_to("response_url"))
    assert workspace.driver.command(user_id, text).status == 200
    return replies(workspace, before + 1)[before]


def submit_twice_at_once(
    workspace: SlackWorkspace, user_id: str, view: dict, values: dict
) -> list[str]:
    """Send the same submission twice, concurrently (Slack retrying, or a double click);
    the two answers' texts."""
    texts: list[str] = []

    def send() -> None:
        texts.append(workspace.driver.submit_view(user_id, view, values).text)

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return texts


HOME_OPENED = {"type": "app_home_opened", "channel": "D0HOME", "tab": "home"}


def reminder_message(team_id: int) -> dict:
    """A message with the reminder's button, as Slack gives it back in a click."""
    button = {
        "type": "button",
        "action_id": ids.OPEN_FORM,
        "value": str(team_id),
        "text": {"type": "plain_text", "text": "Écrire le bulletin"},
    }
    return {"ts": "1700000000.000100", "blocks": [{"type": "actions", "elements": [button]}]}


def open_home(workspace, user_id: str) -> dict:
    """Open the Home tab as ``user_id`` and return the view the app published."""
    before = len(workspace.standin.calls_to("views.publish"))
    event = {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": "home"}
    assert workspace.driver.event(event).status == 200
    workspace.wait_for(lambda: len(workspace.standin.calls_to("views.publish")) > before)
    call = workspace.standin.calls_to("views.publish")[-1]
    assert call.ok and call.args["user_id"] == user_id, call.response
    return call.args["view"]
