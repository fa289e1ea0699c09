"""Submissions of the bulletin form and of the "no bulletin this week" form.

Their answer to Slack decides whether the modal closes. Before answering, the form is filed,
in one short transaction: problems go back in the modal itself (``response_action:
errors``), and a database that does not answer leaves the modal open with what was typed.
Once the modal is closed, the person gets a confirmation, and their Home tab is refreshed
when the form was opened from it (else it is rebuilt when they next open it).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from slack_bolt import Ack, App, BoltContext

from bot import dedup, ids
from bot.blocks.form_values import FormMeta, answers_from_state, field_errors, text_value
from bot.bootstrap import Services
from bot.explanations import explain
from bot.filing import BULLETIN, EXCUSE, Filing, Form, confirm, file_form
from bot.listeners.follow_up import listen, then
from bot.locales import stored_locale
from bulletins.cycle.bulletin import InvalidBulletin
from bulletins.db import database_unavailable
from bulletins.errors import BulletinsError

log = logging.getLogger(__name__)


def errors_for(error: BulletinsError, locale: str, first_block: str) -> dict[str, str]:
    """Per-block messages; an error about no one field goes under the first one."""
    if isinstance(error, InvalidBulletin):
        return field_errors(error, locale)
    return {first_block: explain(error, locale) or ""}


def file_or_refuse(
    services: Services,
    ack: Ack,
    context: BoltContext,
    body: dict,
    read: Callable[[FormMeta], Form],
    **closing: str,
) -> None:
    """File the form ``read`` makes of the submission and close the modal (``closing``:
    how), then confirm; or tell the modal why it cannot be filed. The request's key is
    recorded with the filing, so a refused form leaves none: sending it again is not taken
    for a repeat."""
    view = body["view"]
    first_block = ids.REASON if view.get("callback_id") == ids.EXCUSE_VIEW else ids.MOOD
    key = context.get(dedup.PENDING_KEY) or f"form:{uuid.uuid4().hex}"
    try:
        form = read(FormMeta.read(view.get("private_metadata") or ""))
        filing = file_form(services, key, form)
    except BulletinsError as error:
        locale = stored_locale(services, body["user"]["id"])
        ack(response_action="errors", errors=errors_for(error, locale, first_block))
        return
    except Exception as error:
        if not database_unavailable(error):
            raise
        log.warning("the database did not answer a form submission: %s", error)
        text = dedup.database_down_text(services.settings.locale, form=True)
        ack(response_action="errors", errors={first_block: text})
        return
    ack(**closing)  # a repeat closes the modal too, as the first one did
    if filing is None:
        log.info("ignored a repeated request (%s)", key)
        return
    then(context, confirmed, filing)


def bulletin_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """File the bulletin, or send the problems back into the modal."""
    user_id, values = body["user"]["id"], body["view"]["state"]["values"]

    def read(meta: FormMeta) -> Form:
        answers = answers_from_state(values)
        return Form(
            BULLETIN, user_id, meta.team_id, meta.week, meta.from_home, answers, seen=meta.seen
        )

    file_or_refuse(services, ack, context, body, read)


def excuse_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """File the "no bulletin this week", or send the problem back into the modal."""
    user_id, values = body["user"]["id"], body["view"]["state"]["values"]

    def read(meta: FormMeta) -> Form:
        reason = text_value(values, ids.REASON) or ""
        return Form(EXCUSE, user_id, meta.team_id, meta.week, meta.from_home, reason=reason)

    # "clear" closes the bulletin form too, when the excuse form was pushed from it.
    file_or_refuse(services, ack, context, body, read, response_action="clear")


def confirmed(services: Services, _body: dict, _respond: None, filing: Filing) -> None:
    confirm(services, filing)


def register(app: App, services: Services) -> None:
    def on_bulletin(ack: Ack, context: BoltContext, body: dict) -> None:
        bulletin_submitted(services, ack, context, body)

    def on_excuse(ack: Ack, context: BoltContext, body: dict) -> None:
        excuse_submitted(services, ack, context, body)

    listen(app.view(ids.BULLETIN_VIEW), services, on_bulletin)
    listen(app.view(ids.EXCUSE_VIEW), services, on_excuse)
