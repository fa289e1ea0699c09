"""Submissions of the bulletin form and of the "no bulletin this week" form.

Their answer to Slack decides whether the modal closes, so the filing is done before
acknowledging, within the database's timeouts. Problems with the answers go back in the
modal itself (``response_action: errors``), and so does a database that does not answer:
nothing typed is lost. On success the modal closes, then the person gets a confirmation, and
their Home tab is refreshed when the form was opened from it (else it is rebuilt when they
next open it: rebuilding it costs more than the rest of the submission).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from slack_bolt import Ack, App, BoltContext

from bot import dedup, ids
from bot.blocks.form_values import FormMeta, answers_from_state, field_errors, text_value
from bot.bootstrap import Services
from bot.filing import Receipt, excuse_from_form, excused_message, file_from_form, filed_message
from bot.home import publish_home
from bot.listeners.errors import explain, reported
from bot.locales import locale_for_user, stored_locale
from bot.replies import reply_to
from bulletins.cycle import InvalidBulletin
from bulletins.db import database_unavailable
from bulletins.errors import BulletinsError

log = logging.getLogger(__name__)


def errors_for(error: BulletinsError, locale: str, first_block: str) -> dict[str, str]:
    """Per-block messages; an error about no one field goes under the first one."""
    if isinstance(error, InvalidBulletin):
        return field_errors(error, locale)
    return {first_block: explain(error, locale) or ""}


def saved_or_refused(
    services: Services, ack: Ack, context: BoltContext, body: dict, save: Callable[[], Receipt]
) -> Receipt | None:
    """``save()``'s receipt; or None once the modal was told why it could not be saved.

    The request's key is recorded in the filing's transaction, so a refused or failed
    submission leaves none: sending it again is not taken for a repeat.
    """
    first_block = ids.REASON if body["view"]["callback_id"] == ids.EXCUSE_VIEW else ids.MOOD
    try:
        return save()
    except dedup.Repeated as repeated:
        log.info("ignored a repeated request (%s)", repeated)
        ack()  # the modal closes, as it did the first time
    except BulletinsError as error:
        locale = stored_locale(services, body["user"]["id"])
        ack(response_action="errors", errors=errors_for(error, locale, first_block))
    except Exception as error:
        if not database_unavailable(error):
            raise
        log.warning("the database did not answer a form submission: %s", error)
        text = dedup.database_down_text(services.settings.locale, form=True)
        ack(response_action="errors", errors={first_block: text})
    return None


def bulletin_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """File the bulletin, or send the problems back into the modal."""
    user_id, view = body["user"]["id"], body["view"]
    answers = answers_from_state(view["state"]["values"])
    meta = FormMeta.read(view["private_metadata"])
    claim = partial(dedup.claim, services, context=context)
    save = partial(file_from_form, services, user_id, meta, answers, claim)
    receipt = saved_or_refused(services, ack, context, body, save)
    if receipt is None:
        return
    ack()
    with reported(services, body):
        locale = locale_for_user(services, user_id)
        reply_to(services, user_id)(filed_message(receipt, locale))
        if meta.from_home:
            publish_home(services, user_id)


def excuse_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """Mark the week "no bulletin", or send the problem back into the modal."""
    user_id, view = body["user"]["id"], body["view"]
    reason = text_value(view["state"]["values"], ids.REASON) or ""
    meta = FormMeta.read(view["private_metadata"])
    claim = partial(dedup.claim, services, context=context)
    save = partial(excuse_from_form, services, user_id, meta, reason, claim)
    receipt = saved_or_refused(services, ack, context, body, save)
    if receipt is None:
        return
    ack(response_action="clear")  # closes the bulletin form too, when pushed from it
    with reported(services, body):
        locale = locale_for_user(services, user_id)
        reply_to(services, user_id)(excused_message(receipt, reason, locale))
        if meta.from_home:
            publish_home(services, user_id)


def register(app: App, services: Services) -> None:
    @app.view(ids.BULLETIN_VIEW)
    def on_bulletin(ack: Ack, context: BoltContext, body: dict) -> None:
        bulletin_submitted(services, ack, context, body)

    @app.view(ids.EXCUSE_VIEW)
    def on_excuse(ack: Ack, context: BoltContext, body: dict) -> None:
        excuse_submitted(services, ack, context, body)
