"""Messages and channels: chat.* (posting, editing, permalinks) and conversations.list,
.info, .history and .replies."""

from __future__ import annotations

import base64
import json
from typing import Any

from .model import Args, Handler, SlackError
from .rate_limits import RateLimits
from .state import StandInState

MAX_TEXT = 40_000


class Chat:
    """Method handlers for posting, editing and reading messages (posts are rate limited)."""

    def __init__(self, state: StandInState, rate_limits: RateLimits) -> None:
        self._state = state
        self._rate_limits = rate_limits
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) -> message

    def handlers(self) -> dict[str, Handler]:
        """The Web API methods served here, by name."""
        return {
            "conversations.list": self._conversations_list,
            "conversations.info": self._conversations_info,
            "conversations.history": self._conversations_history,
            "conversations.replies": self._conversations_replies,
            "chat.postMessage": self._chat_post_message,
            "chat.update": self._chat_update,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.getPermalink": self._chat_get_permalink,
        }

    def posted(self, channel: str) -> list[dict[str, Any]]:
        """What a person sees in ``channel`` (an id, a name or a user's DM), oldest first,
        whatever answers the calls got: a server may fail after posting."""
        with self._state.lock:
            channel = self._state.resolve_channel(channel)
            found = [m for (c, _), m in self._messages.items() if c == channel]
            return json.loads(json.dumps(sorted(found, key=lambda m: float(m["ts"]))))

    def _chat_post_message(self, args: Args) -> dict[str, Any]:
        state = self._state
        channel = state.resolve_channel(args["channel"])
        blocks = self._checked_message(args)
        self._rate_limits.check(channel)
        ts = state.new_ts()
        message = {
            "type": "message",
            "user": state.bot_user_id,
            "bot_id": state.bot_id,
            "text": args.get("text", ""),
            "ts": ts,
        }
        if blocks is not None:
            message["blocks"] = blocks
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        if isinstance(args.get("metadata"), dict):
            message["metadata"] = args["metadata"]
        self._messages[(channel, ts)] = message
        return {"channel": channel, "ts": ts, "message": message}

    def _conversations_list(self, args: Args) -> dict[str, Any]:
        """The channels the bot can see, a page at a time: public ones, and private ones it
        is a member of (``types``), archived ones unless ``exclude_archived``."""
        types = set(str(args.get("types") or "public_channel").split(","))
        skip_archived = str(args.get("exclude_archived")).lower() in ("true", "1")
        visible = [
            c
            for c in self._state.channels.values()
            if ("private_channel" in types and c.private and c.member)
            or ("public_channel" in types and not c.private)
        ]
        visible = [c for c in visible if not (skip_archived and c.archived)]
        start = int(base64.b64decode(str(args.get("cursor") or "MA==")))  # "0"
        end = start + min(int(args.get("limit") or 100), 1000)
        listed = [
            {
                "id": c.id,
                "name": c.name,
                "is_channel": True,
                "is_private": c.private,
                "is_archived": c.archived,
                "is_member": c.member,
            }  # fmt: skip
            for c in visible[start:end]
        ]
        cursor = base64.b64encode(str(end).encode()).decode() if end < len(visible) else ""
        return {"channels": listed, "response_metadata": {"next_cursor": cursor}}

    def _conversations_info(self, args: Args) -> dict[str, Any]:
        """One channel, by id: a private channel the bot is not in is not found, as on
        Slack; a public one says whether the bot is a member."""
        found = self._state.channels.get(str(args.get("channel") or ""))
        if found is None or (found.private and not found.member):
            raise SlackError("channel_not_found")
        return {
            "channel": {
                "id": found.id,
                "name": found.name,
                "is_channel": True,
                "is_private": found.private,
                "is_archived": found.archived,
                "is_member": found.member,
            }
        }

    def _conversations_history(self, args: Args) -> dict[str, Any]:
        """Top-level messages of a channel, newest first (thread replies are not listed)."""
        channel = self._state.resolve_channel(args["channel"])
        oldest = float(args.get("oldest") or 0)
        found = [
            m
            for (c, ts), m in self._messages.items()
            if c == channel and float(ts) > oldest and m.get("thread_ts") in (None, ts)
        ]
        return _listing(found, args, newest_first=True)

    def _conversations_replies(self, args: Args) -> dict[str, Any]:
        """A thread: its parent then its replies, oldest first."""
        channel = self._state.resolve_channel(args["channel"])
        parent = self._messages.get((channel, args["ts"]))
        if parent is None:
            raise SlackError("thread_not_found")
        replies = [
            m
            for (c, _), m in self._messages.items()
            if c == channel and m.get("thread_ts") == args["ts"]
        ]
        return _listing([parent, *replies], args, newest_first=False)

    def _chat_update(self, args: Args) -> dict[str, Any]:
        channel = self._state.resolve_channel(args["channel"])
        message = self._messages.get((channel, args["ts"]))
        if message is None:
            raise SlackError("message_not_found")
        blocks = self._checked_message(args)
        message["text"] = args.get("text", "")
        if blocks is not None:
            message["blocks"] = blocks
        message["edited"] = {"user": self._state.bot_user_id, "ts": self._state.new_ts()}
        return {"channel": channel, "ts": args["ts"], "text": message["text"], "message": message}

    def _chat_get_permalink(self, args: Args) -> dict[str, Any]:
        """A link to a message, as Slack makes them (``/archives/<channel>/p<ts digits>``)."""
        channel = self._state.resolve_channel(args["channel"])
        ts = str(args.get("message_ts") or "")
        if (channel, ts) not in self._messages:
            raise SlackError("message_not_found")
        link = f"https://standin.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    def _chat_post_ephemeral(self, args: Args) -> dict[str, Any]:
        self._state.resolve_channel(args["channel"])
        self._checked_message(args)
        return {"message_ts": self._state.new_ts()}

    def _checked_message(self, args: Args) -> list[dict[str, Any]] | None:
        blocks = self._state.checked_blocks(args)
        text = args.get("text")
        if not text and not blocks and not args.get("attachments"):
            raise SlackError("no_text")
        if text and len(str(text)) > MAX_TEXT:
            raise SlackError("msg_too_long")
        return blocks


def _listing(found: list, args: Args, newest_first: bool) -> dict[str, Any]:
    limit = int(args.get("limit") or 100)
    with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
    found = sorted(found, key=lambda m: float(m["ts"]), reverse=newest_first)
    messages = [
        m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
        for m in found[:limit]
    ]
    return {"messages": messages, "has_more": len(found) > limit}
