"""Messages and people: auth.test, users.info, conversations.* and chat.* of the stand-in."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .faults import FaultsMixin
from .model import Args, SlackError, User, invalid_arguments

MAX_TEXT = 40_000


class ChatMixin(FaultsMixin):
    """Method handlers for posting, editing and reading messages (posts are rate limited)."""

    def _auth_test(self, args: Args) -> dict[str, Any]:
        return {
            "url": "https://standin.slack.com/",
            "team": "Stand-in",
            "user": self._users[self.bot_user_id].name,
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: Args) -> dict[str, Any]:
        user = self._users.get(args["user"])
        if user is None:
            raise SlackError("user_not_found")
        return {"user": self._user_object(user, _truthy(args.get("include_locale")))}

    def _user_object(self, user: User, include_locale: bool) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(user.tz))
        offset = now.utcoffset()
        obj: dict[str, Any] = {
            "id": user.id,
            "team_id": self.team_id,
            "name": user.name,
            "deleted": user.deleted,
            "real_name": user.name,
            "tz": user.tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            "is_bot": user.is_bot,
            "profile": {"real_name": user.name, "display_name": user.name},
        }
        if include_locale:  # as on Slack, locale is only sent when asked for
            obj["locale"] = user.locale
        return obj

    def _conversations_open(self, args: Args) -> dict[str, Any]:
        if args.get("channel"):
            return {"channel": {"id": self._resolve_channel(args["channel"])}}
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if len(users) != 1:
            raise invalid_arguments(
                "exactly one user is supported by the stand-in [json-pointer:/users]"
            )
        if users[0] not in self._users and self.strict_channels:
            raise SlackError("user_not_found")
        already = users[0] in self._dms
        return {
            "channel": {"id": self._dm_for(users[0])},
            "already_open": already,
            "no_op": already,
        }

    def _chat_post_message(self, args: Args) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        blocks = self._checked_message(args)
        self._check_rate_limit(channel)
        ts = self._new_ts()
        message = {
            "type": "message",
            "user": self.bot_user_id,
            "bot_id": self.bot_id,
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
            for c in self._channels.values()
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

    def _conversations_history(self, args: Args) -> dict[str, Any]:
        """Top-level messages of a channel, newest first (thread replies are not listed)."""
        channel = self._resolve_channel(args["channel"])
        oldest = float(args.get("oldest") or 0)
        found = [
            m
            for (c, ts), m in self._messages.items()
            if c == channel and float(ts) > oldest and m.get("thread_ts") in (None, ts)
        ]
        return self._listing(found, args, newest_first=True)

    def _conversations_replies(self, args: Args) -> dict[str, Any]:
        """A thread: its parent then its replies, oldest first."""
        channel = self._resolve_channel(args["channel"])
        parent = self._messages.get((channel, args["ts"]))
        if parent is None:
            raise SlackError("thread_not_found")
        replies = [
            m
            for (c, _), m in self._messages.items()
            if c == channel and m.get("thread_ts") == args["ts"]
        ]
        return self._listing([parent, *replies], args, newest_first=False)

    def _listing(self, found: list, args: Args, newest_first: bool) -> dict[str, Any]:
        limit = int(args.get("limit") or 100)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = sorted(found, key=lambda m: float(m["ts"]), reverse=newest_first)
        messages = [
            m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
            for m in found[:limit]
        ]
        return {"messages": messages, "has_more": len(found) > limit}

    def _chat_update(self, args: Args) -> dict[str, Any]:
        channel = self._resolve_channel(args["channel"])
        message = self._messages.get((channel, args["ts"]))
        if message is None:
            raise SlackError("message_not_found")
        blocks = self._checked_message(args)
        message["text"] = args.get("text", "")
        if blocks is not None:
            message["blocks"] = blocks
        message["edited"] = {"user": self.bot_user_id, "ts": self._new_ts()}
        return {"channel": channel, "ts": args["ts"], "text": message["text"], "message": message}

    def _chat_post_ephemeral(self, args: Args) -> dict[str, Any]:
        self._resolve_channel(args["channel"])
        self._checked_message(args)
        return {"message_ts": self._new_ts()}

    def _checked_message(self, args: Args) -> list[dict[str, Any]] | None:
        blocks = self._checked_blocks(args)
        text = args.get("text")
        if not text and not blocks and not args.get("attachments"):
            raise SlackError("no_text")
        if text and len(str(text)) > MAX_TEXT:
            raise SlackError("msg_too_long")
        return blocks


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")
