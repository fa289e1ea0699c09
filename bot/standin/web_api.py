"""A local stand-in for Slack's Web API, served over real HTTP.

Point ``slack_sdk.WebClient(token=..., base_url=standin.base_url)`` at it: it
checks tokens, required arguments, Block Kit payloads, channels and trigger
ids the way Slack does, records every call, and can inject rate limits and
server errors.

``SlackStandIn`` is assembled here from the method handlers of ``chat``,
``views``, ``files`` and ``response_urls``, the fault injection of ``faults``,
the request routing of ``dispatch`` and the shared state of ``base``;
``http_server`` serves it. The names other
code imports from this module (``Call``, ``UploadedFile``, ``SlackError``, the
limits) are re-exported here.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from .base import looks_like_id
from .chat import MAX_TEXT, ChatMixin
from .dispatch import DispatchMixin
from .faults import RATE_LIMIT_JITTER
from .http_server import JSON_ARGS, RequestHandler, StandInServer
from .model import Args, Call, Channel, SlackError, UploadedFile, User, invalid_arguments
from .response_urls import RESPONSE_URL_MAX_USES, RESPONSE_URL_TTL
from .views import TRIGGER_TTL, ViewsMixin

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


class SlackStandIn(DispatchMixin, ChatMixin, ViewsMixin):
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
        self.token = token
        self.app_token: str | None = None  # set by serve_socket_mode
        self._socket_mode_url: str | None = None
        self.bot_user_id = bot_user_id
        self.bot_id = "B0001"
        self.app_id = "A0001"
        self.team_id = team_id
        self.strict_channels = strict_channels
        self._time = time_fn
        self._address = (host, port)
        self._server: StandInServer | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()
        self._init_state()
        self._handlers = self._method_handlers()
        self._users[bot_user_id] = User(
            bot_user_id, "bulletins", "en-US", "UTC", False, is_bot=True
        )

    def _init_state(self) -> None:
        """Empty registries, records, views, files and faults."""
        self._seq = itertools.count(1)
        self._calls = []
        self._users = {}
        self._channels = {}
        self._dms = {}
        self._triggers = {}
        self._hooks = {}
        self._views = {}
        self._home_views = {}
        self._messages = {}
        self._files = {}
        self._faults = {}
        self._random_faults = {}
        self._delays = {}
        self._rate = None
        self._workspace_rate = None
        self._burst = 1.0
        self._buckets = {}

    def _method_handlers(self) -> dict[str, Callable[[Args], dict[str, Any]]]:
        """The Web API methods served, by name."""
        return {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "conversations.list": self._conversations_list,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url,
            "files.completeUploadExternal": self._files_complete_upload,
            "files.list": self._files_list,
        }

    # ----------------------------------------------------------------- server

    def start(self) -> SlackStandIn:
        """Start serving in a daemon thread; returns self."""
        if self._server is not None:
            return self
        server = StandInServer(self._address, RequestHandler)
        server.standin = self
        self._server = server
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

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

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
        with self._lock:
            self._users[user_id] = User(user_id, name, locale, tz, deleted)

    def serve_socket_mode(self, url: str, app_token: str) -> None:
        """Answer ``apps.connections.open``, for ``app_token``, with the websocket ``url``
        (see ``bot.standin.socket_mode``)."""
        with self._lock:
            self._socket_mode_url, self.app_token = url, app_token

    def _apps_connections_open(self, args: Args) -> dict[str, Any]:
        return {"url": self._socket_mode_url}

    def add_channel(
        self,
        channel_id_or_name: str,
        archived: bool = False,
        member: bool = True,
        private: bool = False,
    ) -> str:
        """Register a channel by id (``C…``/``G…``) or by name (``#general``); returns its id."""
        value = channel_id_or_name.lstrip("#")
        with self._lock:
            if looks_like_id(value, "CG"):
                channel = Channel(value, value.lower(), archived, member, private)
            else:
                channel = Channel(f"C{next(self._seq):08d}", value, archived, member, private)
            self._channels[channel.id] = channel
            return channel.id

    def channel_name(self, channel_id: str) -> str | None:
        """The registered name of a channel, if known."""
        with self._lock:
            channel = self._channels.get(channel_id)
            return channel.name if channel else None

    def user_name(self, user_id: str) -> str | None:
        """The registered name of a user, if known."""
        with self._lock:
            user = self._users.get(user_id)
            return user.name if user else None

    # -------------------------------------------------------------- recording

    @property
    def calls(self) -> list[Call]:
        """Every recorded call, oldest first."""
        with self._lock:
            return list(self._calls)

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
        with self._lock:
            channel = self._resolve_channel(channel)
            found = [m for (c, _), m in self._messages.items() if c == channel]
            return json.loads(json.dumps(sorted(found, key=lambda m: float(m["ts"]))))

    def view(self, view_id: str) -> dict[str, Any]:
        """The current state of a view opened, pushed, updated or published here."""
        with self._lock:
            view = json.loads(json.dumps(self._views[view_id]))
        view.pop("_seq", None)
        return view

    def last_view(self, callback_id: str | None = None) -> dict[str, Any]:
        """The latest stored view (optionally with this callback_id), as Slack would send it."""
        with self._lock:
            views = [v for v in self._views.values() if callback_id in (None, v.get("callback_id"))]
            if not views:
                raise LookupError(f"no view with callback_id {callback_id!r}")
            latest = max(views, key=lambda v: v["_seq"])
            return self.view(latest["id"])

    @property
    def files(self) -> dict[str, UploadedFile]:
        """Copies of the files created here, by id."""
        with self._lock:
            return {k: replace(v) for k, v in self._files.items()}

    def reset(self) -> None:
        """Forget recorded calls, faults and rate-limit state (registries are kept)."""
        with self._lock:
            self._calls.clear()
            self._faults.clear()
            self._random_faults.clear()
            self._buckets.clear()
