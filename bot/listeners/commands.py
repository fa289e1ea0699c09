"""``/bulletin`` and its subcommands: help, history, away, excuse; alone, it opens the form.

Each handler acknowledges at once; the work (and the modal, within the trigger's 3 seconds)
follows. Domain errors raised here are explained to the person by ``errors.py``.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App, Respond

from bot import ids
from bot.bootstrap import Services
from bot.command_text import SHOWN, Command, parse_away, parse_command
from bot.forms import open_modal
from bot.listeners.evaluation import open_evaluation_modal
from bot.listeners.follow_up import ack_then, listen
from bot.locales import locale_for_user, locale_of
from bot.replies import Reply, reply_to, text_message
from bulletins.cycle.bulletin import MOODS
from bulletins.cycle.history import history
from bulletins.dates import format_day
from bulletins.i18n import gettext
from bulletins.people import person_by_slack_id, set_away
from bulletins.rendering import render_sections


def show_help(services: Services, user_id: str, command: Command, reply: Reply) -> None:
    locale = locale_for_user(services, user_id)
    typed = command.typed if command.name == "unknown" else ""
    suggestion = command.suggestion if typed else None
    texts = render_sections("help", locale, typed=typed, suggestion=suggestion, shown=SHOWN)
    reply(text_message(*texts))


def show_history(services: Services, user_id: str, command: Command, reply: Reply) -> None:
    """The latest bulletins of the teams the person may read (or of the team they name)."""
    now = services.clock()
    with services.sessions.begin() as session:
        person = person_by_slack_id(session, user_id)
        locale = locale_of(services, user_id, person)
        day = services.calendar.local(now).date()
        teams, bulletins = history(session, person, day, command.argument or None)
        texts = render_sections(
            "history",
            locale,
            teams=teams,
            bulletins=bulletins,
            query=command.argument,
            moods=MOODS,
        )
    reply(text_message(*texts))


def mark_away(services: Services, user_id: str, command: Command, reply: Reply) -> None:
    """``away until YYYY-MM-DD``: no reminders for the person until that day, included."""
    now = services.clock()
    with services.sessions.begin() as session:
        person = person_by_slack_id(session, user_id)
        locale = locale_of(services, user_id, person)
        today = services.calendar.local(now).date()
        until = parse_away(command.argument, today)
        set_away(session, person, until, today)
    text = gettext(
        locale,
        "Noted: you are away until %(day)s, included. No reminder will reach you until then.",
        day=format_day(until, locale, "EEEE d MMMM y"),
    )
    reply(text_message(text))


Handler = Callable[[Services, str, Command, Reply], None]
HANDLERS: dict[str, Handler] = {
    "help": show_help,
    "unknown": show_help,
    "history": show_history,
    "away": mark_away,
}


def run_command(services: Services, body: dict, respond: Respond | None) -> None:
    """Route ``/bulletin <text>`` to its subcommand."""
    user_id = body["user_id"]
    command = parse_command(body.get("text", ""))
    reply = reply_to(services, user_id, respond)
    if command.name in ("form", "excuse"):
        purpose = ids.FOR_EXCUSE if command.name == "excuse" else ids.FOR_FORM
        open_modal(services, user_id, body["trigger_id"], reply, purpose)
    elif command.name in (ids.FOR_FACTS, ids.FOR_INDICATORS):
        open_evaluation_modal(services, user_id, body["trigger_id"], reply, command.name)
    else:
        HANDLERS[command.name](services, user_id, command, reply)


def register(app: App, services: Services) -> None:
    listen(app.command(ids.COMMAND), services, ack_then(run_command))
