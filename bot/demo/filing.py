"""The demo's people at work: they file and excuse through the app's real HTTP endpoint,
with Slack-signed requests, exactly as Slack would send them.

Nothing here writes to the database: if the app does not answer as Slack's users would
see it (no form opens, a submission is refused, nothing is recorded), a ``DemoError``
says what went wrong instead of pretending.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Protocol

from sqlalchemy import select

from bot import ids
from bot.demo.story import Plan
from bot.standin.payloads import find_element
from bot.standin.workspace import SlackWorkspace
from bulletins.db.models import Bulletin, Team, WeekExcuse
from bulletins.errors import BulletinsError
from bulletins.roster.csv_file import RosterRow

WAIT = 5.0  # seconds: listeners finish their work after acknowledging
Step = tuple[datetime, Callable[[], object]]  # at that moment, do that


class Timeline(Protocol):
    marks: list[tuple[int, datetime]]  # (index of the first call, the clock from then on)


class DemoError(BulletinsError):
    """The demo could not play its script through the app."""


def run_steps(workspace: SlackWorkspace, steps: list[Step], timeline: Timeline) -> None:
    """Play ``steps`` in time order, the clock set to each moment, marking where it was."""
    for moment, action in sorted(steps, key=lambda step: step[0]):
        workspace.clock.now = moment
        timeline.marks.append((len(workspace.standin.calls), moment))
        action()


def _new_view(workspace: SlackWorkspace, since: int, callback_id: str) -> dict[str, Any] | None:
    for call in workspace.standin.calls[since:]:
        if (
            call.ok
            and call.method in ("views.open", "views.push", "views.update")
            and call.args["view"].get("callback_id") == callback_id
        ):
            return call.response["view"]
    return None


def await_view(
    workspace: SlackWorkspace, since: int, callback_id: str, doing: str
) -> dict[str, Any]:
    try:
        return workspace.wait_for(lambda: _new_view(workspace, since, callback_id), timeout=WAIT)
    except AssertionError:
        refused = [c for c in workspace.standin.calls[since:] if not c.ok]
        detail = f"; Slack refused: {refused[-1].response}" if refused else ""
        raise DemoError(
            f"{doing} opened no view with callback_id {callback_id!r} within {WAIT:.0f} s"
            f" (is its listener registered in bot/listeners?){detail}"
        ) from None


def open_form(workspace: SlackWorkspace, user_id: str) -> dict[str, Any]:
    """Type ``/bulletin``; returns the form the app opened, as the stand-in stores it."""
    since = len(workspace.standin.calls)
    response = workspace.driver.command(user_id, "", "/bulletin")
    if response.status != 200:
        raise DemoError(
            f"/bulletin answered HTTP {response.status} ({response.text[:200]}): the filing "
            "step needs the /bulletin listener (bot/listeners); nothing was filed"
        )
    return await_view(workspace, since, ids.BULLETIN_VIEW, "/bulletin")


def _mood_value(element: dict[str, Any], mood: int) -> Any:
    """The option for ``mood`` (by value "1"…"4", else the n-th option), or the number."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options", [])
    if not options:
        return str(mood)
    by_value = [o for o in options if o.get("value") == str(mood)]
    return by_value[0] if by_value else options[mood - 1]


def form_values(view: dict[str, Any], plan: Plan, key_date: date | None) -> dict[str, dict]:
    """``{block_id: {action_id: value}}`` for the fields of ``plan`` the form has."""
    wanted: dict[str, Any] = {
        ids.MOOD: plan.mood,
        ids.PRIORITY: plan.priority,
        ids.UPS_AND_DOWNS: plan.ups_and_downs,
        ids.HELP_REQUEST: plan.help_request,
        ids.KEY_DATE: key_date,
        ids.KEY_DATE_LABEL: plan.key_date_label,
    }
    values: dict[str, dict] = {}
    for block_id, value in wanted.items():
        found = find_element(view.get("blocks", []), ids.input_id(block_id), block_id)
        if found is None:
            if block_id in (ids.MOOD, ids.PRIORITY, ids.UPS_AND_DOWNS):
                raise DemoError(f"the bulletin form has no {block_id!r} input")
            continue
        if block_id == ids.MOOD:
            value = _mood_value(found[1], plan.mood)
        values[block_id] = {ids.input_id(block_id): value}
    return values


def submit(workspace: SlackWorkspace, user_id: str, view: dict[str, Any], values: dict) -> None:
    response = workspace.driver.submit_view(user_id, view, values)
    body = response.text.strip()
    if response.status != 200 or '"errors"' in body:
        raise DemoError(
            f"submitting {view.get('callback_id')!r} was refused "
            f"(HTTP {response.status}): {body[:300]}"
        )


def _await_row(workspace: SlackWorkspace, model: type, team: Team, week: str, what: str) -> None:
    def recorded() -> bool:
        with workspace.services.sessions() as session:
            query = select(model.id).where(model.team_id == team.id, model.week == week)
            return session.scalar(query) is not None

    try:
        workspace.wait_for(recorded, timeout=WAIT)
    except AssertionError:
        raise DemoError(f"{what} for {team.name} ({week}) was submitted but not recorded") from None


def file_bulletin(
    workspace: SlackWorkspace,
    user_id: str,
    team: Team,
    week: str,
    plan: Plan,
    key_date: date | None,
) -> None:
    """Open the form with ``/bulletin``, fill it in as ``plan`` says, submit it."""
    view = open_form(workspace, user_id)
    submit(workspace, user_id, view, form_values(view, plan, key_date))
    _await_row(workspace, Bulletin, team, week, "the bulletin")


def _excuse_button(workspace: SlackWorkspace, user_id: str) -> tuple[dict | None, dict | None]:
    """(message, view) holding the "no bulletin this week" button: a reminder, else the form."""
    dm = workspace.standin.dm_channel(user_id)
    for message in reversed(workspace.standin.messages(dm)):
        if find_element(message.get("blocks") or [], ids.EXCUSE_WEEK):
            return message, None
    view = open_form(workspace, user_id)
    if find_element(view.get("blocks", []), ids.EXCUSE_WEEK):
        return None, view
    raise DemoError(f"neither a reminder nor the form offers the {ids.EXCUSE_WEEK!r} button")


def excuse_week(
    workspace: SlackWorkspace, user_id: str, team: Team, week: str, reason: str
) -> None:
    """Click "no bulletin this week" and give the reason, as a fellow would."""
    message, view = _excuse_button(workspace, user_id)
    since = len(workspace.standin.calls)
    channel = workspace.standin.dm_channel(user_id) if message else None
    workspace.driver.block_action(
        user_id, ids.EXCUSE_WEEK, view=view, message=message, channel_id=channel
    )
    excuse_view = await_view(workspace, since, ids.EXCUSE_VIEW, "the excuse button")
    values = {ids.REASON: {ids.input_id(ids.REASON): reason}}
    submit(workspace, user_id, excuse_view, values)
    _await_row(workspace, WeekExcuse, team, week, "the excused week")


def _help_button(workspace: SlackWorkspace) -> tuple[dict, str] | None:
    """The latest digest's first "I can help" button: (the message, the asker's user id)."""
    channel = workspace.services.settings.channels.digest
    for message in reversed(workspace.standin.posted(channel)):
        for block in message.get("blocks") or []:
            if (block.get("accessory") or {}).get("action_id") == ids.OFFER_HELP:
                asker = re.search(r"<@([A-Z0-9]+)>", block["text"]["text"])
                return message, asker.group(1) if asker else ""
    return None


def offer_help(workspace: SlackWorkspace, rows: list[RosterRow]) -> str | None:
    """A fellow of another team clicks "I can help" under the digest's first help request,
    as Slack would send it; returns who, or None when the digest asks for no help."""
    found = _help_button(workspace)
    if found is None:
        return None
    message, asker = found
    asking_team = next((row.team for row in rows if row.slack_user_id == asker), None)
    helper = next(r for r in rows if r.role == "fellow" and r.team not in (asking_team, ""))
    channel = workspace.services.settings.channels.digest
    workspace.driver.block_action(
        helper.slack_user_id, ids.OFFER_HELP, message=message, channel_id=channel
    )

    def said_in_thread() -> bool:
        replies = workspace.standin.posted(channel)
        return any(m.get("thread_ts") == message["ts"] and "🙋" in m["text"] for m in replies)

    try:
        workspace.wait_for(said_in_thread, timeout=WAIT)
    except AssertionError:
        raise DemoError('"I can help" was clicked but nothing was said in the thread') from None
    return helper.name


def open_home(workspace: SlackWorkspace, user_id: str) -> dict[str, Any] | None:
    """Open the app's Home tab; returns the view published for the user, or None."""
    since = len(workspace.standin.calls)
    workspace.driver.event(
        {"type": "app_home_opened", "user": user_id, "channel": "D0HOME", "tab": "home"}
    )

    def published() -> dict[str, Any] | None:
        for call in workspace.standin.calls[since:]:
            if call.ok and call.method == "views.publish" and call.args["user_id"] == user_id:
                return call.args["view"]
        return None

    try:
        return workspace.wait_for(published, timeout=2.0)
    except AssertionError:
        return None


def snooze_reminder(workspace: SlackWorkspace, user_id: str) -> None:
    """``user_id`` clicks "Remind me in an hour" under their latest reminder."""
    channel = workspace.standin.dm_channel(user_id)
    reminders = [
        m
        for m in workspace.standin.posted(user_id)
        if find_element(m.get("blocks", []), ids.SNOOZE_REMINDER, None)
    ]
    if not reminders:
        raise DemoError(f"{user_id} has no reminder to snooze (did the reminders job run?)")
    message = reminders[-1]
    workspace.driver.block_action(user_id, ids.SNOOZE_REMINDER, message=message, channel_id=channel)

    def updated() -> bool:
        now = [m for m in workspace.standin.posted(user_id) if m["ts"] == message["ts"]]
        return bool(now) and "⏰" in str(now[0].get("blocks"))

    try:
        workspace.wait_for(updated, timeout=WAIT)
    except AssertionError:
        raise DemoError(
            '"Remind me in an hour" was clicked but the reminder did not say so'
        ) from None
