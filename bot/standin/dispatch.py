"""Dispatch of the stand-in's HTTP requests: Web API methods, upload URLs, response URLs.

A Web API call is parsed, checked for its token, its channel and its required
arguments, handed to its method handler from the table, then given any queued
fault or delay, and recorded, all under the stand-in's one lock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from .faults import Faults
from .http_server import parse_args
from .model import Args, Handler, Reply, SlackError, invalid_arguments
from .openid import AUTHORIZE_PATH, METHODS, OpenId
from .state import StandInState

Serve = Callable[[str, bytes], Reply]  # the id in the URL and the body -> the answer

_REQUIRED: dict[str, tuple[str, ...]] = {
    "users.info": ("user",),
    "chat.postEphemeral": ("user",),
    "chat.update": ("ts",),
    "views.open": ("trigger_id", "view"),
    "views.push": ("trigger_id", "view"),
    "views.update": ("view",),
    "views.publish": ("user_id", "view"),
    "files.getUploadURLExternal": ("filename", "length"),
    "files.completeUploadExternal": ("files",),
    "conversations.replies": ("ts",),
    "chat.getPermalink": ("message_ts",),
}
_NEEDS_CHANNEL = frozenset(
    {
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "chat.getPermalink",
        "conversations.history",
        "conversations.replies",
    }
)


class Dispatch:
    """Route each HTTP request to the method handler, upload URL or response URL it is for."""

    def __init__(
        self,
        state: StandInState,
        faults: Faults,
        handlers: Mapping[str, Handler],
        serve_upload: Serve,
        serve_response_url: Serve,
        openid: OpenId,
    ) -> None:
        self._state = state
        self._faults = faults
        self._handlers = handlers
        self._serve_upload = serve_upload
        self._serve_response_url = serve_response_url
        self._openid = openid

    def handle_http(self, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (called by the server threads)."""
        parts = urlsplit(path)
        segments = parts.path.strip("/").split("/")
        with self._state.lock:
            if parts.path.strip("/") == AUTHORIZE_PATH:
                return self._openid.serve_authorize(parts.query)
            if len(segments) == 2 and segments[0] == "api" and segments[1] in METHODS:
                return self._openid.serve(segments[1], parts.query, headers, body)
            if len(segments) == 2 and segments[0] == "api":
                return self._serve_api(segments[1], parts.query, headers, body)
            if len(segments) == 3 and segments[:2] == ["upload", "v1"]:
                return self._serve_upload(segments[2], body)
            if len(segments) == 2 and segments[0] == "response":
                return self._serve_response_url(segments[1], body)
        return Reply(404, {"ok": False, "error": "not_found"})

    def _serve_api(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        try:
            args = parse_args(headers.get("Content-Type", ""), query, body)
        except ValueError as exc:
            reply = SlackError("invalid_form_data", [str(exc)]).reply()
            return self._state.record(method, {}, reply)
        fault = self._faults.take_fault(method)
        if fault is None or fault.applied:
            try:
                answer = self._call_api(method, args, headers)
                reply = Reply(200, {"ok": True, **answer}, self._scopes_header(method))
            except SlackError as exc:
                reply = exc.reply()
        if fault is not None:
            reply = fault.reply()
        reply.delay = self._faults.take_delay(method)
        return self._state.record(method, args, reply)

    def _call_api(self, method: str, args: Args, headers: Mapping[str, str]) -> dict[str, Any]:
        self._check_auth(method, headers, args)
        handler = self._handlers.get(method)
        if handler is None:
            raise SlackError("unknown_method")
        if method in _NEEDS_CHANNEL and not args.get("channel"):
            raise SlackError("channel_not_found")
        missing = [name for name in _REQUIRED.get(method, ()) if args.get(name) in (None, "")]
        if missing:
            raise invalid_arguments(*(f"missing required field: {name}" for name in missing))
        return handler(args)

    def _scopes_header(self, method: str) -> dict[str, str]:
        """Slack tells the scopes of the bot token in a header of every answer to it."""
        if method == "apps.connections.open":
            return {}
        return {"X-OAuth-Scopes": ",".join(self._state.scopes)}

    def _check_auth(self, method: str, headers: Mapping[str, str], args: Args) -> None:
        """The bot token for every method but ``apps.connections.open``, which takes the
        app-level token; either token where the other belongs is the wrong type."""
        auth = headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else args.get("token")
        if not token:
            raise SlackError("not_authed")
        wanted, other = self._state.token, self._state.app_token
        if method == "apps.connections.open":
            wanted, other = other, wanted
        if token == other:
            raise SlackError("not_allowed_token_type")
        if token != wanted:
            raise SlackError("invalid_auth")
