"""The state every part of the stand-in shares, and the helpers they all use.

``SlackStandIn`` holds one ``StandInState`` and hands it to each of its features
(people, chat, views, files, response URLs, faults, rate limits). They all read
and write it under its one ``lock``, which the dispatch holds for a whole request.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .blockkit import BlockKitError, check_blocks
from .model import Args, Call, Channel, Reply, SlackError, User


@dataclass
class StandInState:
    """Who the app is, the registries of users and channels, the recorded calls, the clock."""

    token: str
    bot_user_id: str
    team_id: str
    strict_channels: bool
    clock: Callable[[], float]
    bot_id: str = "B0001"
    app_id: str = "A0001"
    app_token: str | None = None  # set by serve_socket_mode
    scopes: tuple[str, ...] = ()  # the bot token's, sent in X-OAuth-Scopes as Slack does
    socket_mode_url: str | None = None
    address: tuple[str, int] | None = None  # where it is served, once started
    lock: threading.RLock = field(default_factory=threading.RLock)
    seq: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    calls: list[Call] = field(default_factory=list)
    users: dict[str, User] = field(default_factory=dict)
    channels: dict[str, Channel] = field(default_factory=dict)
    dms: dict[str, str] = field(default_factory=dict)  # user id -> DM channel id
    groups: dict[frozenset[str], str] = field(default_factory=dict)  # users -> group DM id

    @property
    def root_url(self) -> str:
        """``http://127.0.0.1:PORT/``; raises if not started."""
        if self.address is None:
            raise RuntimeError("SlackStandIn is not started")
        host, port = self.address
        return f"http://{host}:{port}/"

    def record(self, method: str, args: Args, reply: Reply) -> Reply:
        """Record a call with its answer; returns the answer."""
        self.calls.append(Call(method, args, reply.status, reply.as_dict(), self.clock()))
        return reply

    def new_ts(self) -> str:
        """A fresh message timestamp, later than any issued before."""
        n = next(self.seq)
        return f"{1_700_000_000 + n // 10_000}.{(n % 10_000) * 100:06d}"

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id conversations.open returns for ``user_id``."""
        with self.lock:
            return self.dms.setdefault(user_id, f"D{next(self.seq):08d}")

    def group_channel(self, user_ids: frozenset[str]) -> str:
        """The group DM conversations.open returns for several users (the same each time)."""
        with self.lock:
            return self.groups.setdefault(user_ids, f"G{next(self.seq):08d}")

    def group_members(self, channel: str) -> frozenset[str] | None:
        """The users of a group DM, or None if ``channel`` is not one."""
        return next((users for users, c in self.groups.items() if c == channel), None)

    def dm_for(self, user_id: str) -> str:
        """The DM channel of ``user_id``, refused for a deactivated user."""
        user = self.users.get(user_id)
        if user is not None and user.deleted:
            raise SlackError("user_disabled")
        return self.dm_channel(user_id)

    def resolve_channel(self, channel: str) -> str:
        """The channel id a method's ``channel`` argument (id, name or user id) stands for,
        or the Slack error a post there gets."""
        if channel in self.dms.values() or channel in self.groups.values():
            return channel
        if looks_like_id(channel, "UW"):
            return self.dm_for(channel)
        found = self.channels.get(channel) or self.channel_by_name(channel.lstrip("#"))
        if found is None:
            if self.strict_channels:
                raise SlackError("channel_not_found")
            return channel
        if found.archived:
            raise SlackError("is_archived")
        if not found.member:
            raise SlackError("not_in_channel")
        return found.id

    def channel_by_name(self, name: str) -> Channel | None:
        """The registered channel called ``name`` (without ``#``), if any."""
        return next((c for c in self.channels.values() if c.name == name), None)

    @staticmethod
    def checked_blocks(args: Args) -> list[dict[str, Any]] | None:
        """The ``blocks`` argument, checked as Slack checks Block Kit; ``None`` if absent."""
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
