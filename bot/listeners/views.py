"""Submissions of the bulletin form and of the "no bulletin this week" form.

Problems with the answers go back in the modal itself (``response_action: errors``), so
nothing typed is lost; on success the modal closes, then the person gets a confirmation
and their Home tab is refreshed.
"""

from __future__ import annotations

from slack_bolt import Ack, App

from bot import ids
from bot.blocks.form_values import FormMeta, answers_from_state, field_errors, text_value
from bot.bootstrap import Services
from bot.filing import excuse_from_form, excused_message, file_from_form, filed_message
from bot.home import publish_home
from bot.listeners.errors import explain, reported
from bot.locales import locale_for_user
from bot.replies import reply_to
from bulletins.cycle import InvalidBulletin
from bulletins.errors import BulletinsError


def errors_for(error: BulletinsError, locale: str, first_block: str) -> dict[str, str]:
    """Per-block messages; an error about no one field goes under the first one."""
    if isinstance(error, InvalidBulletin):
        return field_errors(error, locale)
    return {first_block: explain(error, locale) or ""}


def bulletin_submitted(services: Services, ack: Ack, body: dict, view: dict) -> None:
    """File the bulletin, or send the problems back into the modal."""
    user_id = body["user"]["id"]
    locale = locale_for_user(services, user_id)
    answers = answers_from_state(view["state"]["values"])
    meta = FormMeta.read(view["private_metadata"])
    try:
        receipt = file_from_form(services, user_id, meta, answers)
    except BulletinsError as error:
        ack(response_action="errors", errors=errors_for(error, locale, ids.MOOD))
        return
    ack()
    with reported(services, body):
        reply_to(services, user_id)(filed_message(receipt, locale))
        publish_home(services, user_id)


def excuse_submitted(services: Services, ack: Ack, body: dict, view: dict) -> None:
    """Mark the week "no bulletin", or send the problem back into the modal."""
    user_id = body["user"]["id"]
    locale = locale_for_user(services, user_id)
    reason = text_value(view["state"]["values"], ids.REASON) or ""
    meta = FormMeta.read(view["private_metadata"])
    try:
        receipt = excuse_from_form(services, user_id, meta, reason)
    except BulletinsError as error:
        ack(response_action="errors", errors=errors_for(error, locale, ids.REASON))
        return
    ack(response_action="clear")  # closes the bulletin form too, when pushed from it
    with reported(services, body):
        reply_to(services, user_id)(excused_message(receipt, reason, locale))
        publish_home(services, user_id)


def register(app: App, services: Services) -> None:
    @app.view(ids.BULLETIN_VIEW)
    def on_bulletin(ack: Ack, body: dict, view: dict) -> None:
        bulletin_submitted(services, ack, body, view)

    @app.view(ids.EXCUSE_VIEW)
    def on_excuse(ack: Ack, body: dict, view: dict) -> None:
        excuse_submitted(services, ack, body, view)
