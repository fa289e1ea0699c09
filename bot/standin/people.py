"""Who is who: auth.test, apps.connections.open, users.info and conversations.open (a DM,
or a group DM with several users)."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from .model import Args, Handler, SlackError, User, invalid_arguments
from .state import StandInState


class People:
    """Method handlers about the bot, the users and their DMs."""

    def __init__(self, state: StandInState) -> None:
        self._state = state

    def handlers(self) -> dict[str, Handler]:
        """The Web API methods served here, by name."""
        return {
            "auth.test": self._auth_test,
            "apps.connections.open": self._apps_connections_open,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
        }

    def _auth_test(self, args: Args) -> dict[str, Any]:
        state = self._state
        return {
            "url": "https://standin.slack.com/",
            "team": "Stand-in",
            "user": state.users[state.bot_user_id].name,
            "team_id": state.team_id,
            "user_id": state.bot_user_id,
            "bot_id": state.bot_id,
            "is_enterprise_install": False,
        }

    def _apps_connections_open(self, args: Args) -> dict[str, Any]:
        return {"url": self._state.socket_mode_url}

    def _users_info(self, args: Args) -> dict[str, Any]:
        user = self._state.users.get(args["user"])
        if user is None:
            raise SlackError("user_not_found")
        return {"user": self._user_object(user, _truthy(args.get("include_locale")))}

    def _user_object(self, user: User, include_locale: bool) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(user.tz))
        offset = now.utcoffset()
        obj: dict[str, Any] = {
            "id": user.id,
            "team_id": self._state.team_id,
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
        state = self._state
        if args.get("channel"):
            return {"channel": {"id": state.resolve_channel(args["channel"])}}
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if not users or len(users) > 8:
            raise invalid_arguments("between 1 and 8 users are needed [json-pointer:/users]")
        if state.strict_channels and any(u not in state.users for u in users):
            raise SlackError("user_not_found")
        if len(set(users)) > 1:  # a group DM (mpim) between them and the bot
            for user in users:
                state.dm_for(user)  # refused, as a DM would be, for a deactivated user
            members = frozenset(users)
            already = members in state.groups
            return {"channel": {"id": state.group_channel(members)}, "already_open": already}
        already = users[0] in state.dms
        return {
            "channel": {"id": state.dm_for(users[0])},
            "already_open": already,
            "no_op": already,
        }


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")
