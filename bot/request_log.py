"""One log line per request from Slack: its kind, what it is for (a command's name, a
view's callback id, a button's action id, an event's type), its outcome and how long the
answer took. Nothing a person typed, no token, no SQL: only the names the app gave."""

from __future__ import annotations

import logging
import time

from slack_bolt import App, BoltRequest, BoltResponse

log = logging.getLogger("bot.requests")

OUTCOME_KEY = "request_outcome"  # what a middleware that answers by itself says it did


def describe(body: dict) -> tuple[str, str]:
    """The kind of request and what it is for, from the app's own names only."""
    if body.get("command"):
        return "command", str(body["command"])
    kind = str(body.get("type") or "unknown")
    if kind in ("block_actions", "block_suggestion") and body.get("actions"):
        return kind, str(body["actions"][0].get("action_id") or "-")
    if kind == "block_suggestion":
        return kind, str(body.get("action_id") or "-")
    if kind in ("view_submission", "view_closed"):
        return kind, str((body.get("view") or {}).get("callback_id") or "-")
    if kind == "event_callback":
        return "event", str((body.get("event") or {}).get("type") or "-")
    if kind in ("shortcut", "message_action"):
        return kind, str(body.get("callback_id") or "-")
    return kind, "-"


def outcome(request: BoltRequest, response: BoltResponse) -> str:
    said = request.context.get(OUTCOME_KEY)
    if said:
        return str(said)
    if response.status >= 400:
        return f"failed ({response.status})"
    if '"response_action": "errors"' in (response.body or ""):
        return "form refused"
    return "ok"


class LoggingApp(App):
    """Bolt's app, logging each request it dispatches once its answer is ready (a global
    middleware would not see the answer: Bolt runs the listener after the middlewares)."""

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        started = time.monotonic()
        response = super().dispatch(req)
        kind, name = describe(req.body or {})
        ms = round((time.monotonic() - started) * 1000)
        log.info("slack %s %s: %s, %d ms", kind, name, outcome(req, response), ms)
        return response
