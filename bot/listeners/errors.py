"""One error handler: a domain error becomes a message the person sees, never a silence.

Domain errors (``BulletinsError``) are explained in the person's language, ephemeral where
they acted or in a direct message; so is a database that does not answer ("try again in a
minute"), except to someone who merely opened their Home tab. Anything else is logged with
a short reference that the person is given, so the programme team can find it in the logs.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt import App

from bot.bootstrap import Services
from bot.dedup import database_down_text
from bot.explanations import explain
from bot.locales import locale_for_user
from bot.replies import reply_to, text_message
from bulletins.db import database_unavailable
from bulletins.i18n import gettext

log = logging.getLogger(__name__)


def user_of(body: dict) -> str | None:
    """The Slack user who acted, in a command, an interaction or an event."""
    user = body.get("user")
    return (
        body.get("user_id")
        or (user.get("id") if isinstance(user, dict) else user)
        or (body.get("event") or {}).get("user")
    )


def safe_locale(services: Services, user_id: str | None) -> str:
    """The person's language, or the programme's when even that cannot be found out."""
    try:
        return locale_for_user(services, user_id) if user_id else services.settings.locale
    except Exception:
        log.warning("could not find a person's language", exc_info=True)
        return services.settings.locale


def explanation(services: Services, error: Exception, body: dict, user_id: str | None) -> str:
    """The text for the person, logging the error as it deserves."""
    if database_unavailable(error):
        log.warning("the database did not answer (type=%s): %s", body.get("type"), error)
        return database_down_text(services.settings.locale)  # asking theirs would wait again
    locale = safe_locale(services, user_id)
    text = explain(error, locale)
    if text is not None:
        log.info("explained a %s to a person (type=%s)", type(error).__name__, body.get("type"))
        return text
    reference = uuid.uuid4().hex[:8]
    log.error(
        "unexpected error in a Slack listener (type=%s, reference=%s)",
        body.get("type"),
        reference,
        exc_info=error,
    )
    return gettext(
        locale,
        "Something went wrong on our side (reference %(reference)s). Please try again; if it "
        "keeps happening, give this reference to the programme team.",
        reference=reference,
    )


def report_error(services: Services, error: Exception, body: dict, respond) -> None:
    """Tell the person what went wrong; if even that fails, the log says so."""
    user_id = user_of(body)
    if body.get("type") == "event_callback" and database_unavailable(error):
        log.warning("the database did not answer an event: %s", error)
        return
    try:
        text = explanation(services, error, body, user_id)
        if user_id:
            reply_to(services, user_id, respond)(text_message(text))
    except Exception:
        # The first error's type only: its message may quote what the person typed.
        log.exception(
            "could not tell a person about an error (first error: %s)", type(error).__name__
        )


@contextmanager
def reported(services: Services, body: dict, respond=None) -> Iterator[None]:
    """Report errors raised after ``ack()`` to the person: the work that follows a
    listener's answer (opening a modal, a reply, a confirmation) runs inside this.

    They must not reach Bolt, which would only log a line for the programme team.
    """
    try:
        yield
    except Exception as error:
        report_error(services, error, body, respond)


def register(app: App, services: Services) -> None:
    # Errors raised before acknowledging (or in events, acknowledged by Bolt) end up here.
    @app.error
    def on_error(error: Exception, body: dict, respond=None) -> None:
        report_error(services, error, body, respond)
