"""Buttons: open the form (from reminders, the call to write, the Home tab), say there is no
bulletin this week, and pick a team in the picker."""

from __future__ import annotations

from slack_bolt import App, Respond

from bot import ids
from bot.blocks.form_values import from_home, opened_from_home, purpose_of
from bot.bootstrap import Services
from bot.forms import modal_for, open_modal, show
from bot.listeners.follow_up import ack_then, listen
from bot.replies import reply_to


def team_id_of(action: dict) -> int | None:
    """A button's team id; "" (the call to write in a channel) means "pick a team"."""
    value = str(action.get("value") or "")
    return int(value) if value.isdigit() else None


def open_form_clicked(services: Services, body: dict, respond: Respond, action: dict) -> None:
    user_id = body["user"]["id"]
    reply = reply_to(services, user_id, respond)
    team_id, home = team_id_of(action), opened_from_home(body)
    open_modal(services, user_id, body["trigger_id"], reply, ids.FOR_FORM, team_id, home)


def excuse_clicked(services: Services, body: dict, respond: Respond, action: dict) -> None:
    """From the form, the excuse form is pushed on top of it; elsewhere, opened."""
    user_id = body["user"]["id"]
    shown = modal_for(services, user_id, ids.FOR_EXCUSE, team_id_of(action))
    if opened_from_home(body) and isinstance(shown, dict):
        shown = from_home(shown)
    trigger_id = body["trigger_id"]
    if (body.get("container") or {}).get("type") == "view":
        send = services.slack.views_push
    else:
        send = services.slack.views_open
    show(shown, reply_to(services, user_id, respond), lambda v: send(trigger_id=trigger_id, view=v))


def team_picked(services: Services, body: dict, respond: Respond, action: dict) -> None:
    """The picker becomes the chosen team's form (or excuse form)."""
    user_id, picker = body["user"]["id"], body["view"]
    shown = modal_for(services, user_id, purpose_of(picker["private_metadata"]), team_id_of(action))
    show(
        shown,
        reply_to(services, user_id, respond),
        lambda v: services.slack.views_update(view_id=picker["id"], hash=picker["hash"], view=v),
    )


def register(app: App, services: Services) -> None:
    listen(app.action(ids.OPEN_FORM), services, ack_then(open_form_clicked))
    listen(app.action(ids.EXCUSE_WEEK), services, ack_then(excuse_clicked))
    listen(app.action(ids.PICK_TEAM), services, ack_then(team_picked))
