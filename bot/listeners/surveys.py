"""Surveys: the "Answer" button of an invitation, the questionnaire's pages, the answers that
show or hide other questions, and the pulse answered with one button in its message.

A page's submission is saved before Slack gets its answer: the next page replaces the modal
(``response_action: update``), problems show under their inputs (``errors``, nothing typed
is lost), and after the last page the survey is sent, the modal closes and a direct message
confirms.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot import dedup, ids
from bot.blocks.survey_pulse import PULSE_ACTION, answered_blocks, closed_blocks
from bot.blocks.survey_values import PageMeta, input_blocks
from bot.bootstrap import Services
from bot.explanations import explain
from bot.forms import show
from bot.listeners.follow_up import ack_then, listen, then
from bot.locales import locale_for_user
from bot.questionnaires import (
    Outcome,
    answer_view,
    change_started,
    closed_text,
    error_locale,
    page_submitted,
    redrawn,
    respondent,
    sent_text,
    when,
)
from bot.replies import reply_to, text_message
from bulletins.db import database_unavailable
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.messages import Message
from evaluation import campaigns as core
from evaluation.campaigns.invitations import pulse_answer

log = logging.getLogger(__name__)


def answer_clicked(services: Services, body: dict, respond: Respond, action: dict) -> None:
    """Open the page the person is at (within the trigger's 3 seconds), or say why not."""
    user_id = body["user"]["id"]
    shown = answer_view(services, user_id, int(action["value"]))
    open_view = partial(services.slack.views_open, trigger_id=body["trigger_id"])
    show(shown, reply_to(services, user_id, respond), lambda view: open_view(view=view))


def input_changed(services: Services, body: dict, _respond: None, _action: dict) -> None:
    """An answer other questions depend on changed: redraw the page (what is typed stays)."""
    view = body["view"]
    meta = PageMeta.read(view["private_metadata"])
    values = {k: dict(v) for k, v in ((view.get("state") or {}).get("values") or {}).items()}
    for action in body.get("actions") or []:  # the change itself, whatever the state says
        values.setdefault(action["block_id"], {})[action["action_id"]] = action
    page = redrawn(services, body["user"]["id"], meta, values)
    services.slack.views_update(view_id=view["id"], hash=view.get("hash"), view=page)


def refusal(services: Services, user_id: str, view: dict, error: Exception) -> dict[str, str]:
    """Why a page could not be saved, under its first input."""
    first = (input_blocks(view) or [""])[0]
    if database_unavailable(error):
        log.warning("the database did not answer a survey page: %s", error)
        return {first: dedup.database_down_text(services.settings.locale, form=True)}
    locale = error_locale(services, user_id)
    if isinstance(error, core.CampaignClosed):
        closed = when(services, error.closes_at, locale)
        text = gettext(locale, "This survey closed on %(when)s: answers can no longer be sent.")
        return {first: text % {"when": closed}}
    if isinstance(error, core.AlreadySent):
        return {first: gettext(locale, "You have already sent your answers to this survey.")}
    return {first: explain(error, locale) or ""}


def outcome_of(
    services: Services, ack: Ack, context: BoltContext, body: dict, submit: Callable[[], Outcome]
) -> Outcome | None:
    """``submit()``'s outcome; None once the modal was told why the page was not saved (its
    request may then be sent again)."""
    user_id, view = body["user"]["id"], body["view"]
    try:
        outcome = submit()
    except Exception as error:
        dedup.release(services, context)
        if not (isinstance(error, BulletinsError) or database_unavailable(error)):
            raise
        ack(response_action="errors", errors=refusal(services, user_id, view, error))
        return None
    if outcome.errors:
        dedup.release(services, context)
        ack(response_action="errors", errors=outcome.errors)
        return None
    return outcome


def page_sent(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """Save the page: the next one, errors, or the survey sent and confirmed by DM."""
    user_id, view = body["user"]["id"], body["view"]
    meta = PageMeta.read(view["private_metadata"])
    submit = partial(page_submitted, services, user_id, meta, view)
    outcome = outcome_of(services, ack, context, body, submit)
    if outcome is None:
        return
    if outcome.view is not None:
        ack(response_action="update", view=outcome.view)
        return
    ack()
    if outcome.finished is not None:
        then(context, survey_sent, outcome.finished)


def survey_sent(services: Services, body: dict, _respond: None, thanks: Message) -> None:
    """Confirm by direct message that the survey was sent."""
    reply_to(services, body["user"]["id"])(thanks)


def change_confirmed(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """The person chose to change their answers: the named response goes back to a draft."""
    user_id, view = body["user"]["id"], body["view"]
    meta = PageMeta.read(view["private_metadata"])

    def submit() -> Outcome:
        return Outcome(view=change_started(services, user_id, meta))

    outcome = outcome_of(services, ack, context, body, submit)
    if outcome is not None:
        ack(response_action="update", view=outcome.view)


def message_of(body: dict) -> tuple[str | None, str | None, dict[str, Any]]:
    """The channel and ts of the message a button was clicked in, and the message."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    return channel, container.get("message_ts") or message.get("ts"), message


def pulse_answered(
    services: Services, user_id: str, value: str, blocks: list[dict]
) -> tuple[list[dict] | None, str | None]:
    """Store a pulse's answer: the message's new blocks (the answer shown in place of the
    buttons, an anonymous one never, or the buttons gone once closed), and a note for the
    person, if any."""
    campaign_id, question_id, raw = core.parse_pulse_value(value)
    with respondent(services, user_id, campaign_id) as who:
        if not core.is_open(who.campaign, who.now):
            text = closed_text(services, who)
            return (closed_blocks(blocks, text), None) if blocks else (None, text)
        try:
            progress = core.answer_pulse(
                who.session, who.campaign, who.person, question_id, raw, who.now
            )
        except core.AlreadySent:
            return None, sent_text(who)
        question = who.survey.question(question_id)
        chosen = pulse_answer(question, raw)
        shown = answered_blocks(
            blocks,
            question,
            chosen,
            who.locale,
            progress.finished,
            anonymous=who.campaign.anonymous,
        )
        return shown, None


def pulse_clicked(services: Services, body: dict, respond: Respond, action: dict) -> None:
    """Answer the pulse, then update its message (a DM from the bot): the answer, or for an
    anonymous campaign only that it is recorded."""
    user_id = body["user"]["id"]
    channel, ts, message = message_of(body)
    value = str(action.get("value") or "")
    blocks, note = pulse_answered(services, user_id, value, message.get("blocks") or [])
    if blocks is not None and channel and ts:
        services.slack.chat_update(
            channel=channel, ts=ts, text=message.get("text") or " ", blocks=blocks
        )
    elif blocks is not None:
        note = note or gettext(
            locale_for_user(services, user_id), "Thank you! Your answer is recorded."
        )
    if note is not None:
        reply_to(services, user_id, respond)(text_message(note))


def register(app: App, services: Services) -> None:
    def on_page(ack: Ack, context: BoltContext, body: dict) -> None:
        page_sent(services, ack, context, body)

    def on_change(ack: Ack, context: BoltContext, body: dict) -> None:
        change_confirmed(services, ack, context, body)

    listen(app.action(ids.SURVEY_ANSWER), services, ack_then(answer_clicked))
    listen(app.action(ids.SURVEY_INPUT), services, ack_then(input_changed))
    listen(app.action(PULSE_ACTION), services, ack_then(pulse_clicked))
    listen(app.view(ids.SURVEY_VIEW), services, on_page)
    listen(app.view(ids.SURVEY_CHANGE_VIEW), services, on_change)
