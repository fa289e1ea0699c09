"""The state every part of the stand-in shares, and the helpers they all use.

``SlackStandIn`` is built from mixins (chat, views, files, response URLs,
faults) over ``StandInBase``. All of them read and write the state declared
here under the one ``_lock``, which ``handle_http`` holds for a whole request.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from http.server import ThreadingHTTPServer
from typing import Any

from .blockkit import BlockKitError, check_blocks
from .model import Args, Call, Channel, Reply, SlackError, User


class StandInBase:
    """Shared state (set by ``SlackStandIn.__init__``), addresses and channel resolution."""

    token: str
    bot_user_id: str
    bot_id: str
    app_id: str
    team_id: str
    strict_channels: bool
    _time: Callable[[], float]
    _server: ThreadingHTTPServer | None
    _lock: threading.RLock
    _seq: itertools.count[int]
    _calls: list[Call]
    _users: dict[str, User]
    _channels: dict[str, Channel]
    _dms: dict[str, str]  # user id -> DM channel id
    _messages: dict[tuple[str, str], dict[str, Any]]

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT/``; raises if not started."""
        if self._server is None:
            raise RuntimeError("SlackStandIn is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/"

    @property
    def base_url(self) -> str:
        """What ``slack_sdk.WebClient(base_url=...)`` takes."""
        return self.root_url + "api/"

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id conversations.open returns for ``user_id``."""
        with self._lock:
            return self._dms.setdefault(user_id, f"D{next(self._seq):08d}")

    def _record(self, method: str, args: Args, reply: Reply) -> Reply:
        self._calls.append(Call(method, args, reply.status, reply.as_dict(), self._time()))
        return reply

    def _resolve_channel(self, channel: str) -> str:
        if channel in self._dms.values():
            return channel
        if looks_like_id(channel, "UW"):
            return self._dm_for(channel)
        found = self._channels.get(channel) or self._channel_by_name(channel.lstrip("#"))
        if found is None:
            if self.strict_channels:
                raise SlackError("channel_not_found")
            return channel
        if found.archived:
            raise SlackError("is_archived")
        if not found.member:
            raise SlackError("not_in_channel")
        return found.id

    def _channel_by_name(self, name: str) -> Channel | None:
        return next((c for c in self._channels.values() if c.name == name), None)

    def _dm_for(self, user_id: str) -> str:
        user = self._users.get(user_id)
        if user is not None and user.deleted:
            raise SlackError("user_disabled")
        return self.dm_channel(user_id)

    def _new_ts(self) -> str:
        n = next(self._seq)
        return f"{1_700_000_000 + n // 10_000}.{(n % 10_000) * 100:06d}"

    def _checked_blocks(self, args: Args) -> list[dict[str, Any]] | None:
        blocks = args.get("blocks")
        if blocks is None:
            return None
        if isinstance(blocks, str):
            raise SlackError("invalid_blocks_format")
        try:
            check_blocks(blocks)
        except BlockKitError as exc:
            raise SlackError("invalid_blocks", [f"[ERROR] {exc}"]) from exc
        return blocks


def looks_like_id(value: str, prefixes: str) -> bool:
    """Whether ``value`` reads as a Slack id starting with one of ``prefixes``."""
    return len(value) >= 3 and value[0] in prefixes and value.isalnum() and value.isupper()
