"""A local stand-in for Slack's Web API, served over real HTTP.

Point ``slack_sdk.WebClient(token=..., base_url=standin.base_url)`` at it: it
checks tokens, required arguments, Block Kit payloads, channels and trigger
ids the way Slack does, records every call, and can inject rate limits and
server errors.

``SlackStandIn`` composes one ``StandInState`` (``state``) with the features
that work on it: ``people``, ``chat``, ``views`` and ``files`` each contribute
their method handlers to one table, which ``dispatch`` routes requests to, along
with the upload URLs of ``files`` and the ``response_urls``; ``faults`` and
``rate_limits`` make calls fail; ``http_server`` serves it. The names other code
imports from this module (``Call``, ``UploadedFile``, ``SlackError``, the
limits) are re-exported here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from .chat import MAX_TEXT, Chat
from .dispatch import Dispatch
from .faults import Faults
from .files import Files
from .http_server import JSON_ARGS, RequestHandler, StandInServer
from .model import (
    Args,
    Call,
    Channel,
    Handler,
    Reply,
    SlackError,
    UploadedFile,
    User,
    invalid_arguments,
)
from .openid import OpenId
from .people import People
from .rate_limits import RATE_LIMIT_JITTER, RateLimits
from .response_urls import RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL, ResponseUrls
from .state import StandInState, looks_like_id
from .views import TRIGGER_TTL, Views

__all__ = [
    "JSON_ARGS",
    "MAX_TEXT",
    "RATE_LIMIT_JITTER",
    "RESPONSE_URL_MAX_USES",
    "RESPONSE_URL_TTL",
    "TRIGGER_TTL",
    "Args",
    "Call",
    "SlackError",
    "SlackStandIn",
    "UploadedFile",
    "invalid_arguments",
]


class SlackStandIn:
    """Slack Web API stand-in on ``127.0.0.1``; use as a context manager or start()/stop()."""

    def __init__(
        self,
        token: str = "xoxb-test",
        bot_user_id: str = "UBOT",
        team_id: str = "T0001",
        *,
        strict_channels: bool = True,
        time_fn: Callable[[], float] = time.monotonic,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        state = StandInState(token, bot_user_id, team_id, strict_channels, clock=time_fn)
        state.users[bot_user_id] = User(
            bot_user_id, "bulletins", "en-US", "UTC", False, is_bot=True
        )
        self._state = state
        self._faults = Faults(state)
        self._rate_limits = RateLimits(state)
        self._people = People(state)
        self._chat = Chat(state, self._rate_limits)
        self._views = Views(state)
        self._files = Files(state, self._faults)
        self._response_urls = ResponseUrls(state, self._faults)
        self._openid = OpenId(state)
        self._dispatch = Dispatch(
            state,
            self._faults,
            self._method_handlers(),
            serve_upload=self._files.serve_upload,
            serve_response_url=self._response_urls.serve,
            openid=self._openid,
        )
        self._address = (host, port)
        self._server: StandInServer | None = None
        self._thread: threading.Thread | None = None

    def _method_handlers(self) -> dict[str, Handler]:
        """The Web API methods served, by name: the features' tables in one. A subclass may
        wrap entries (``bench.harness.WatchedStandIn`` watches views.open)."""
        return {
            **self._people.handlers(),
            **self._chat.handlers(),
            **self._views.handlers(),
            **self._files.handlers(),
        }

    def handle_http(self, path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (called by the server threads)."""
        return self._dispatch.handle_http(path, headers, body)

    # ----------------------------------------------------------------- server

    def start(self) -> SlackStandIn:
        """Start serving in a daemon thread; returns self."""
        if self._server is not None:
            return self
        server = StandInServer(self._address, RequestHandler)
        server.standin = self
        self._server = server
        host, port = server.server_address[:2]
        self._state.address = (str(host), port)
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and release the port."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = self._thread = None
        self._state.address = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT/``; raises if not started."""
        return self._state.root_url

    @property
    def base_url(self) -> str:
        """What ``slack_sdk.WebClient(base_url=...)`` takes."""
        return self.root_url + "api/"

    # --------------------------------------------------------------- identity

    @property
    def token(self) -> str:
        """The bot token every method but ``apps.connections.open`` takes."""
        return self._state.token

    @property
    def app_token(self) -> str | None:
        """The app-level token, once ``serve_socket_mode`` has set it."""
        return self._state.app_token

    @property
    def client_id(self) -> str:
        """The app's OAuth client id, for Sign in with Slack (``SLACK_CLIENT_ID``)."""
        return self._openid.client_id

    @property
    def client_secret(self) -> str:
        """The app's OAuth client secret (``SLACK_CLIENT_SECRET``)."""
        return self._openid.client_secret

    @property
    def bot_user_id(self) -> str:
        """The bot's user id, as auth.test gives it."""
        return self._state.bot_user_id

    @property
    def bot_id(self) -> str:
        """The bot's id, as auth.test gives it."""
        return self._state.bot_id

    @property
    def app_id(self) -> str:
        """The app's id, as in stored views."""
        return self._state.app_id

    @property
    def team_id(self) -> str:
        """The workspace's id."""
        return self._state.team_id

    @property
    def strict_channels(self) -> bool:
        """Whether unknown channels and users are refused (else taken as they come)."""
        return self._state.strict_channels

    # ------------------------------------------------------------- registries

    def add_user(
        self,
        user_id: str,
        name: str,
        locale: str = "fr-FR",
        tz: str = "Europe/Paris",
        deleted: bool = False,
    ) -> None:
        """Register a user known to users.info and conversations.open."""
        with self._state.lock:
            self._state.users[user_id] = User(user_id, name, locale, tz, deleted)

    def add_channel(
        self,
        channel_id_or_name: str,
        archived: bool = False,
        member: bool = True,
        private: bool = False,
    ) -> str:
        """Register a channel by id (``C…``/``G…``) or by name (``#general``); returns its id."""
        value = channel_id_or_name.lstrip("#")
        with self._state.lock:
            if looks_like_id(value, "CG"):
                channel = Channel(value, value.lower(), archived, member, private)
            else:
                channel = Channel(f"C{next(self._state.seq):08d}", value, archived, member, private)
            self._state.channels[channel.id] = channel
            return channel.id

    def grant_scopes(self, *scopes: str) -> None:
        """The bot token's scopes, which every answer's ``X-OAuth-Scopes`` header lists."""
        with self._state.lock:
            self._state.scopes = scopes

    def serve_socket_mode(self, url: str, app_token: str) -> None:
        """Answer ``apps.connections.open``, for ``app_token``, with the websocket ``url``
        (see ``bot.standin.socket_mode``)."""
        with self._state.lock:
            self._state.socket_mode_url, self._state.app_token = url, app_token

    def channel_name(self, channel_id: str) -> str | None:
        """The registered name of a channel, if known."""
        with self._state.lock:
            channel = self._state.channels.get(channel_id)
            return channel.name if channel else None

    def user_name(self, user_id: str) -> str | None:
        """The registered name of a user, if known."""
        with self._state.lock:
            user = self._state.users.get(user_id)
            return user.name if user else None

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id conversations.open returns for ``user_id``."""
        return self._state.dm_channel(user_id)

    def group_members(self, channel: str) -> frozenset[str] | None:
        """The users of a group DM conversations.open returned, or None for another channel."""
        return self._state.group_members(channel)

    def new_trigger_id(self) -> str:
        """Issue a single-use trigger id valid for 3 seconds of the stand-in's clock."""
        return self._views.new_trigger_id()

    def new_response_url(self) -> str:
        """Issue a response_url here; POSTs to it are recorded as ``response_url`` calls."""
        return self._response_urls.new_response_url()

    # ----------------------------------------------------------------- faults

    def fail_next(
        self,
        method: str,
        n: int = 1,
        status: int = 429,
        retry_after: int = 1,
        error: str | None = None,
        applied: bool = False,
    ) -> None:
        """Make the next ``n`` calls of ``method`` fail (see ``Faults.fail_next``)."""
        self._faults.fail_next(method, n, status, retry_after, error, applied)

    def delay_answer(self, method: str, seconds: float, after: int = 0) -> None:
        """Answer a call of ``method`` late (see ``Faults.delay_answer``)."""
        self._faults.delay_answer(method, seconds, after)

    def fail_randomly(
        self,
        method: str,
        rate: float,
        statuses: tuple[int, ...] = (429, 500, 503),
        applied_rate: float = 0.0,
        seed: int = 0,
    ) -> None:
        """Make a share of the calls of ``method`` fail (see ``Faults.fail_randomly``)."""
        self._faults.fail_randomly(method, rate, statuses, applied_rate, seed)

    def enforce_rate_limits(
        self,
        per_channel_per_second: float | None = 1.0,
        burst: int = 1,
        workspace_per_minute: float | None = None,
    ) -> None:
        """Rate-limit chat.postMessage per channel and, optionally, for the whole workspace
        (token buckets); ``None`` turns a limit off."""
        self._rate_limits.enforce(per_channel_per_second, burst, workspace_per_minute)

    # -------------------------------------------------------------- recording

    @property
    def calls(self) -> list[Call]:
        """Every recorded call, oldest first."""
        with self._state.lock:
            return list(self._state.calls)

    def calls_to(self, method: str) -> list[Call]:
        """The recorded calls of ``method``."""
        return [c for c in self.calls if c.method == method]

    def messages(self, channel: str | None = None) -> list[Args]:
        """Args of successful chat.postMessage and chat.postEphemeral calls (in `channel`)."""
        found = []
        for call in self.calls:
            if call.method not in ("chat.postMessage", "chat.postEphemeral") or not call.ok:
                continue
            if channel is None or channel in (
                call.args.get("channel"),
                call.response.get("channel"),
            ):
                found.append(call.args)
        return found

    def posted(self, channel: str) -> list[dict[str, Any]]:
        """What a person sees in ``channel`` (an id, a name or a user's DM), oldest first,
        whatever answers the calls got: a server may fail after posting."""
        return self._chat.posted(channel)

    def view(self, view_id: str) -> dict[str, Any]:
        """The current state of a view opened, pushed, updated or published here."""
        return self._views.view(view_id)

    def last_view(self, callback_id: str | None = None) -> dict[str, Any]:
        """The latest stored view (optionally with this callback_id), as Slack would send it."""
        return self._views.last_view(callback_id)

    @property
    def files(self) -> dict[str, UploadedFile]:
        """Copies of the files created here, by id."""
        return self._files.copies()

    def reset(self) -> None:
        """Forget recorded calls, faults and rate-limit state (registries are kept)."""
        with self._state.lock:
            self._state.calls.clear()
            self._faults.reset()
            self._rate_limits.reset()
