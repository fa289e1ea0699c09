"""One global middleware so that a request Slack sends twice has one effect.

- an event retried by Slack (``X-Slack-Retry-Num``) is recognised by its ``event_id``;
- a double click (same person, button and value within ``CLICK_WINDOW``) counts once;
- a form submitted twice (same view, same version, same answers) is filed once.

The key is recorded in a short transaction of its own before the listener runs; a repeat is
acknowledged and dropped. The bulletin and "no bulletin" forms are the exception: their
listener records the key in the transaction that files the form, so that a refused form
leaves no key behind. The database's timeouts bound that transaction, so Slack still gets
its answer in time; when the database does not answer, a form submission is answered in the
modal itself (nothing typed is lost), and other requests go on to their listener, which
acknowledges and then explains the problem.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from datetime import timedelta

from slack_bolt import App, BoltContext, BoltResponse

from bot import ids
from bot.bootstrap import Services
from bot.request_log import OUTCOME_KEY
from bulletins.db import database_unavailable
from bulletins.db.writers import one_writer
from bulletins.i18n import gettext
from bulletins.repeats import first_time, first_within, forget

log = logging.getLogger(__name__)

CLICK_WINDOW = timedelta(seconds=2)
CONTEXT_KEY = "received_key"  # where a listener finds the key of the request it handles
PENDING_KEY = "unrecorded_key"  # the key a listener records itself, with its work
RECORDED_BY_LISTENER = frozenset({ids.BULLETIN_VIEW, ids.EXCUSE_VIEW})


def _digest(secret: str, *parts: object) -> str:
    """An opaque digest of ``parts``, keyed with ``secret`` (which the database does not
    hold): the key of a survey answer's click or page must tell nothing of the person or
    the answer, even to someone who tries every person and every answer."""
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


def action_value(action: dict) -> str:
    """What a click chose: a button's value, or a menu's selected option."""
    option = action.get("selected_option") or {}
    return str(action.get("value") or option.get("value") or "")


def request_key(body: dict, secret: str) -> tuple[str, timedelta | None] | None:
    """The key naming a request, and the window within which a repeat counts (None: ever);
    None for a request that is not deduplicated (slash commands, which people retype).
    What a person sent or clicked is in the key only as a digest keyed with ``secret``."""
    kind = body.get("type")
    if kind == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}", None
    if kind == "view_submission":
        view = body.get("view") or {}
        answers = (view.get("state") or {}).get("values")
        return f"view:{_digest(secret, view.get('id'), view.get('hash'), answers)}", None
    if kind == "block_actions" and body.get("actions"):
        action = body["actions"][0]
        user = (body.get("user") or {}).get("id")
        click = _digest(secret, user, action.get("action_id"), action_value(action))
        return f"click:{click}", CLICK_WINDOW
    return None


def recorded_by_listener(body: dict) -> bool:
    view = body.get("view") or {}
    return body.get("type") == "view_submission" and view.get("callback_id") in RECORDED_BY_LISTENER


def record(services: Services, key: str, window: timedelta | None) -> bool:
    """Record ``key`` in a transaction of its own; False when it is a repeat."""
    now = services.clock()
    with one_writer(services.engine), services.sessions.begin() as session:
        if window is None:
            return first_time(session, key, now)
        return first_within(session, key, now, window)


def database_down_text(locale: str, *, form: bool = False) -> str:
    """What to tell a person whose request met a database that does not answer; ``form``:
    under a field of the modal they submitted, which stays open."""
    if form:
        return gettext(
            locale,
            "The database is not answering right now, so your answers are not saved yet. "
            "Please submit again in a minute: what you typed is still here.",
        )
    return gettext(locale, "The database is not answering right now. Please try again in a minute.")


def database_down_answer(services: Services, view: dict) -> BoltResponse:
    """Keep the modal open, with what the person typed, and say why under its first input."""
    blocks = view.get("blocks") or []
    first = next((b.get("block_id") for b in blocks if b.get("type") == "input"), None)
    text = database_down_text(services.settings.locale, form=True)
    body = {"response_action": "errors", "errors": {first or "": text}}
    headers = {"content-type": "application/json"}
    return BoltResponse(status=200, body=json.dumps(body), headers=headers)


def deduplicator(services: Services) -> Callable[..., BoltResponse | None]:
    """The middleware, bound to ``services``."""
    secret = services.settings.slack.signing_secret

    def deduplicate(
        body: dict, context: BoltContext, resp: BoltResponse, next_: Callable[[], None]
    ) -> BoltResponse:
        found = request_key(body, secret)
        if found is None:
            next_()
            return resp
        key, window = found
        if recorded_by_listener(body):
            context[PENDING_KEY] = key
            next_()
            return resp
        try:
            fresh = record(services, key, window)
        except Exception as error:
            if not database_unavailable(error):
                raise
            log.warning("the database did not answer while recording %s: %s", key, error)
            context[OUTCOME_KEY] = "database down"
            if body.get("type") == "view_submission":
                return database_down_answer(services, body.get("view") or {})
            next_()
            return resp
        if not fresh:
            log.info("ignored a repeated request (%s)", key)
            context[OUTCOME_KEY] = "repeat ignored"
            return BoltResponse(status=200, body="")
        if window is None:
            context[CONTEXT_KEY] = key
        next_()
        return resp

    return deduplicate


def release(services: Services, context: BoltContext) -> None:
    """Forget the key of the request being handled, so that the same request sent again is
    handled (the form's answers were refused, or could not be saved). Best effort."""
    key = context.get(CONTEXT_KEY)
    if not key:
        return
    try:
        with services.sessions.begin() as session:
            forget(session, key)
    except Exception:
        log.warning("could not forget the received request %s", key, exc_info=True)


def register(app: App, services: Services) -> None:
    app.middleware(deduplicator(services))
