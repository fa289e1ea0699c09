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
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot import dedup, ids
from bot.blocks.form_values import FormMeta, answers_from_state, field_errors, text_value
from bot.bootstrap import Services
from bot.filing import Receipt, excuse_from_form, excused_message, file_from_form, filed_message
from bot.home import publish_home
from bot.listeners.errors import after_ack, explain
from bot.locales import locale_for_user, stored_locale
from bot.replies import reply_to
from bulletins.cycle import InvalidBulletin
from bulletins.db import database_unavailable
from bulletins.errors import BulletinsError
from bulletins.i18n import gettext
from bulletins.messages import Message

log = logging.getLogger(__name__)


def errors_for(error: BulletinsError, locale: str, first_block: str) -> dict[str, str]:
    """Per-block messages; an error about no one field goes under the first one."""
    if isinstance(error, InvalidBulletin):
        return field_errors(error, locale)
    return {first_block: explain(error, locale) or ""}


@dataclass(frozen=True)
class Submitted:
    """What Slack is answered (``ack``'s keywords), and what was filed (None: nothing)."""

    answer: dict[str, Any] = field(default_factory=dict)
    receipt: Receipt | None = None


def saved_or_refused(
    services: Services, user_id: str, view: dict, save: Callable[[], Receipt], closing: dict
) -> Submitted:
    """``save()``'s receipt and the ``closing`` answer; or what tells the modal why nothing
    was saved.

    The request's key is recorded in the filing's transaction, so a refused or failed
    submission leaves none: sending it again is not taken for a repeat.
    """
    first_block = ids.REASON if view["callback_id"] == ids.EXCUSE_VIEW else ids.MOOD
    try:
        return Submitted(closing, save())
    except dedup.Repeated as repeated:
        log.info("ignored a repeated request (%s)", repeated)
        return Submitted(closing)  # the modal closes, as it did the first time
    except BulletinsError as error:
        errors = errors_for(error, stored_locale(services, user_id), first_block)
    except Exception as error:
        if not database_unavailable(error):
            raise
        log.warning("the database did not answer a form submission: %s", error)
        errors = {first_block: dedup.database_down_text(services.settings.locale, form=True)}
    return Submitted({"response_action": "errors", "errors": errors})


def file_bulletin_form(services: Services, user_id: str, view: dict, key: str | None) -> Submitted:
    """File the bulletin the form holds; ``key`` names the request against repeats."""
    answers = answers_from_state(view["state"]["values"])
    meta = FormMeta.read(view["private_metadata"])
    claim = partial(dedup.claim, services, key)
    save = partial(file_from_form, services, user_id, meta, answers, claim)
    return saved_or_refused(services, user_id, view, save, closing={})


def file_excuse_form(services: Services, user_id: str, view: dict, key: str | None) -> Submitted:
    """Mark the week "no bulletin" with the form's reason; closes the bulletin form too,
    when the excuse form was pushed from it."""
    reason = text_value(view["state"]["values"], ids.REASON) or ""
    meta = FormMeta.read(view["private_metadata"])
    claim = partial(dedup.claim, services, key)
    save = partial(excuse_from_form, services, user_id, meta, reason, claim)
    return saved_or_refused(services, user_id, view, save, closing={"response_action": "clear"})


def submit(
    services: Services, task: Callable[..., Submitted], context: BoltContext, body: dict
) -> Submitted:
    """Run the filing ``task`` before answering Slack (in a worker process when the server
    has some); a worker that did not answer in time leaves the modal open, as it was."""
    user_id, view = body["user"]["id"], body["view"]
    form = {key: view[key] for key in ("callback_id", "private_metadata", "state")}
    try:
        return services.before_ack(task, user_id, form, context.get(dedup.PENDING_KEY))
    except (TimeoutError, BrokenProcessPool) as error:
        log.warning("a form submission got no answer from its worker: %r", error)
        first_block = ids.REASON if view["callback_id"] == ids.EXCUSE_VIEW else ids.MOOD
        text = not_saved_text(stored_locale(services, user_id))
        return Submitted({"response_action": "errors", "errors": {first_block: text}})


def not_saved_text(locale: str) -> str:
    return gettext(
        locale,
        "Your answers could not be saved just now. Please submit again: "
        "what you typed is still here.",
    )


def sender(body: dict) -> dict:
    """The part of a submission the confirmation needs: who sent it."""
    return {"type": body["type"], "user": {"id": body["user"]["id"]}}


def bulletin_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """File the bulletin, or send the problems back into the modal."""
    done = submit(services, file_bulletin_form, context, body)
    ack(**done.answer)
    if done.receipt is not None:
        home = FormMeta.read(body["view"]["private_metadata"]).from_home
        after_ack(services, sender(body), None, bulletin_filed, done.receipt, home)


def excuse_submitted(services: Services, ack: Ack, context: BoltContext, body: dict) -> None:
    """Mark the week "no bulletin", or send the problem back into the modal."""
    done = submit(services, file_excuse_form, context, body)
    ack(**done.answer)
    if done.receipt is not None:
        view = body["view"]
        reason = text_value(view["state"]["values"], ids.REASON) or ""
        home = FormMeta.read(view["private_metadata"]).from_home
        after_ack(services, sender(body), None, week_excused, done.receipt, reason, home)


def confirm(
    services: Services, user_id: str, message: Callable[[str], Message], home: bool
) -> None:
    """Send the person ``message`` in their language; refresh their Home tab if ``home``."""
    reply_to(services, user_id)(message(locale_for_user(services, user_id)))
    if home:
        publish_home(services, user_id)


def bulletin_filed(
    services: Services, body: dict, _respond: None, receipt: Receipt, home: bool
) -> None:
    confirm(services, body["user"]["id"], partial(filed_message, receipt), home)


def week_excused(
    services: Services, body: dict, _respond: None, receipt: Receipt, reason: str, home: bool
) -> None:
    confirm(services, body["user"]["id"], partial(excused_message, receipt, reason), home)


def register(app: App, services: Services) -> None:
    @app.view(ids.BULLETIN_VIEW)
    def on_bulletin(ack: Ack, context: BoltContext, body: dict) -> None:
        bulletin_submitted(services, ack, context, body)

    @app.view(ids.EXCUSE_VIEW)
    def on_excuse(ack: Ack, context: BoltContext, body: dict) -> None:
        excuse_submitted(services, ack, context, body)
