"""Send Slack-signed requests (commands, interactions, events) to a running app.

Every method returns a ``Response``. When the driver has a ``SlackStandIn``,
the trigger_id and response_url it puts in a request are issued by that
stand-in, so the app's follow-up API calls are checked there; the values used
are available as ``response.trigger_id`` and ``response.response_url``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .payloads import StateValues, action_entry, find_element, state_values
from .web_api import SlackStandIn

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"


def sign(signing_secret: str, timestamp: str, body: bytes) -> str:
    """Slack's ``X-Slack-Signature`` value for ``body`` sent at ``timestamp``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(signing_secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Response:
    """The app's answer, plus the trigger_id / response_url the request carried (if any)."""

    status: int
    headers: dict[str, str]
    body: bytes
    trigger_id: str | None = None
    response_url: str | None = None
    request: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        return json.loads(self.body)


class SlackDriver:
    """Plays Slack's side of the Events API and interactivity against an app URL."""

    def __init__(
        self,
        app_url: str,
        signing_secret: str,
        standin: SlackStandIn | None = None,
        team_id: str = "T0001",
        *,
        api_app_id: str = "A0001",
        verification_token: str = "legacy-verification-token",
        timeout: float = 10.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.standin = standin
        self.team_id = team_id
        self.api_app_id = api_app_id
        self.verification_token = verification_token
        self.timeout = timeout
        self._clock = clock

    state_values = staticmethod(state_values)

    # --------------------------------------------------------------- commands

    def command(
        self,
        user_id: str,
        text: str = "",
        command: str = "/bulletin",
        channel_id: str = "C0GENERAL",
    ) -> Response:
        """Send a slash command as Slack does (form-encoded)."""
        trigger_id, response_url = self._issue_ids()
        fields = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "team_domain": "standin",
            "channel_id": channel_id,
            "channel_name": self._channel_name(channel_id),
            "user_id": user_id,
            "user_name": self._user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": self.api_app_id,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        response = self._deliver_command(fields)
        return self._annotate(response, fields, trigger_id, response_url)

    # ----------------------------------------------------------- interactions

    def block_action(
        self,
        user_id: str,
        action_id: str,
        value: Any = None,
        block_id: str | None = None,
        view: dict[str, Any] | None = None,
        container: dict[str, Any] | None = None,
        channel_id: str | None = None,
        message: dict[str, Any] | None = None,
    ) -> Response:
        """Click or select ``action_id`` in ``view`` or ``message``.

        The element found there decides the action's shape (button value, selected_option...).
        """
        blocks = (view or message or {}).get("blocks", [])
        found = find_element(blocks, action_id, block_id)
        found_block_id, element = found or (
            block_id or "",
            {"type": "button", "action_id": action_id},
        )
        trigger_id, response_url = self._issue_ids()
        payload = self._interaction("block_actions", user_id, trigger_id)
        payload["actions"] = [action_entry(element, found_block_id, value)]
        if view is not None:
            payload["container"] = container or {"type": "view", "view_id": view.get("id", "")}
            payload["view"] = view
            response_url = None  # Slack sends no response_url for actions in views
        else:
            channel = channel_id or "C0GENERAL"
            payload["container"] = container or _message_container(channel, message)
            payload["channel"] = {"id": channel, "name": self._channel_name(channel)}
            payload["state"] = {"values": {}}
            payload["response_url"] = response_url
            if message is not None:
                payload["message"] = message
        return self._annotate(self._send_payload(payload), payload, trigger_id, response_url)

    def view_submission(
        self,
        user_id: str,
        view: dict[str, Any],
        values: StateValues,
        private_metadata: str | None = None,
    ) -> Response:
        """Submit ``view`` (as stored by the stand-in) with Slack-shaped state ``values``."""
        submitted = {**view, "state": {"values": values}}
        if private_metadata is not None:
            submitted["private_metadata"] = private_metadata
        trigger_id, _ = self._issue_ids()
        payload = self._interaction("view_submission", user_id, trigger_id)
        payload.update(view=submitted, response_urls=[])
        return self._annotate(self._send_payload(payload), payload, trigger_id, None)

    def submit_view(
        self,
        user_id: str,
        view: dict[str, Any],
        simple_values: dict[str, dict[str, Any]],
        private_metadata: str | None = None,
    ) -> Response:
        """``view_submission`` with values given as ``{block_id: {action_id: python value}}``."""
        return self.view_submission(
            user_id, view, state_values(view, simple_values), private_metadata
        )

    def view_closed(self, user_id: str, view: dict[str, Any], is_cleared: bool = False) -> Response:
        """Tell the app the user closed ``view`` (sent only when it has notify_on_close)."""
        payload = self._interaction("view_closed", user_id, None)
        payload.update(view=view, is_cleared=is_cleared)
        return self._annotate(self._send_payload(payload), payload, None, None)

    # ----------------------------------------------------------------- events

    def event(
        self,
        event: dict[str, Any],
        event_id: str | None = None,
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> Response:
        """Deliver an ``event_callback``; ``retry_num`` adds Slack's retry headers."""
        bot_user_id = self.standin.bot_user_id if self.standin else "UBOT"
        envelope = {
            "token": self.verification_token,
            "team_id": self.team_id,
            "api_app_id": self.api_app_id,
            "event": {"event_ts": f"{self._clock():.6f}", **event},
            "type": "event_callback",
            "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(self._clock()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": self.team_id,
                    "user_id": bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        response = self._deliver_event(envelope, retry_num, retry_reason)
        return self._annotate(response, envelope, None, None)

    def url_verification(self, challenge: str) -> Response:
        """Send the Events API URL handshake."""
        body = {
            "token": self.verification_token,
            "challenge": challenge,
            "type": "url_verification",
        }
        return self._annotate(self._send(json.dumps(body).encode(), JSON), body, None, None)

    def raw(
        self,
        body: bytes,
        headers: Mapping[str, str],
        sign: bool = True,
        timestamp: int | str | None = None,
    ) -> Response:
        """Send ``body`` as is, signed or not, e.g. with a stale ``timestamp``."""
        return self._send(body, None, dict(headers), signed=sign, timestamp=timestamp)

    # ---------------------------------------------------------------- helpers

    def _issue_ids(self) -> tuple[str, str]:
        if self.standin is not None:
            return self.standin.new_trigger_id(), self.standin.new_response_url()
        fake = uuid.uuid4().hex
        return f"0.{self.team_id[1:]}.{fake}", f"http://response-url.invalid/{fake}"

    def _interaction(self, kind: str, user_id: str, trigger_id: str | None) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "type": kind,
            "team": {"id": self.team_id, "domain": "standin"},
            "user": {
                "id": user_id,
                "username": self._user_name(user_id),
                "name": self._user_name(user_id),
                "team_id": self.team_id,
            },
            "api_app_id": self.api_app_id,
            "token": self.verification_token,
            "enterprise": None,
            "is_enterprise_install": False,
        }
        if trigger_id is not None:
            payload["trigger_id"] = trigger_id
        return payload

    def _user_name(self, user_id: str) -> str:
        known = self.standin.user_name(user_id) if self.standin else None
        return known or user_id.lower()

    def _channel_name(self, channel_id: str) -> str:
        known = self.standin.channel_name(channel_id) if self.standin else None
        if known:
            return known
        return "directmessage" if channel_id.startswith("D") else channel_id.lower()

    # How each kind of request reaches the app: over HTTP here, as Slack's Events API and
    # interactivity do (``bot.standin.socket_mode.SocketModeDriver``: over a websocket).

    def _deliver_command(self, fields: dict[str, Any]) -> Response:
        return self._send(urlencode(fields).encode(), FORM)

    def _send_payload(self, payload: dict[str, Any]) -> Response:
        return self._send(urlencode({"payload": json.dumps(payload)}).encode(), FORM)

    def _deliver_event(
        self, envelope: dict[str, Any], retry_num: int | None, retry_reason: str | None
    ) -> Response:
        headers = {}
        if retry_num is not None:
            headers = {
                "X-Slack-Retry-Num": str(retry_num),
                "X-Slack-Retry-Reason": retry_reason or "http_timeout",
            }
        return self._send(json.dumps(envelope).encode(), JSON, headers)

    def _send(
        self,
        body: bytes,
        content_type: str | None,
        extra_headers: dict[str, str] | None = None,
        *,
        signed: bool = True,
        timestamp: int | str | None = None,
    ) -> Response:
        headers = dict(extra_headers or {})
        if content_type is not None:
            headers["Content-Type"] = content_type
        if signed:
            ts = str(int(self._clock()) if timestamp is None else timestamp)
            headers["X-Slack-Request-Timestamp"] = ts
            headers["X-Slack-Signature"] = sign(self.signing_secret, ts, body)
        request = urllib.request.Request(self.app_url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as answer:  # noqa: S310 - local URL
                return Response(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            return Response(error.code, dict(error.headers.items()), error.read())

    @staticmethod
    def _annotate(
        response: Response,
        request: dict[str, Any],
        trigger_id: str | None,
        response_url: str | None,
    ) -> Response:
        response.trigger_id = trigger_id
        response.response_url = response_url
        response.request = request
        return response


def _message_container(channel_id: str, message: dict[str, Any] | None) -> dict[str, Any]:
    if message is None:
        return {"type": "message", "message_ts": "", "channel_id": channel_id, "is_ephemeral": True}
    return {
        "type": "message",
        "message_ts": message.get("ts", ""),
        "channel_id": channel_id,
        "is_ephemeral": False,
    }
