"""A local stand-in for Slack's Web API, served over real HTTP.

Point ``slack_sdk.WebClient(token=..., base_url=standin.base_url)`` at it: it
checks tokens, required arguments, Block Kit payloads, channels and trigger
ids the way Slack does, records every call, and can inject rate limits and
server errors.
"""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import itertools
import json
import math
import mimetypes
import random
import sys
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from .blockkit import BlockKitError, check_blocks, check_view

Args = dict[str, Any]
JSON_ARGS = frozenset({"blocks", "view", "attachments", "files", "metadata"})
TRIGGER_TTL = 3.0
RESPONSE_URL_TTL = 30 * 60.0
RESPONSE_URL_MAX_USES = 5
MAX_TEXT = 40_000
_DEFAULT_FAULT_ERRORS = {429: "ratelimited", 500: "internal_error", 503: "service_unavailable"}
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
}
_NEEDS_CHANNEL = frozenset(
    {
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "conversations.history",
        "conversations.replies",
    }
)


@dataclass(frozen=True)
class Call:
    """One recorded request: ``at`` is read from the stand-in's clock."""

    method: str
    args: Args
    status: int
    response: dict[str, Any]
    at: float

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.response.get("ok"))


@dataclass
class UploadedFile:
    """A file created through files.getUploadURLExternal and its upload URL."""

    id: str
    filename: str
    length: int
    content: bytes | None = None
    title: str | None = None
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


class SlackError(Exception):
    """A Slack error answer: ``{"ok": false, "error": ...}``."""

    def __init__(
        self,
        error: str,
        messages: list[str] | None = None,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(error)
        self.error = error
        self.messages = messages
        self.status = status
        self.headers = headers or {}

    def reply(self) -> _Reply:
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return _Reply(self.status, body, self.headers)


def invalid_arguments(*messages: str) -> SlackError:
    return SlackError("invalid_arguments", [f"[ERROR] {m}" for m in messages])


@dataclass
class _Reply:
    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to hold the answer back, the call already done

    def as_dict(self) -> dict[str, Any]:
        return (
            self.body
            if isinstance(self.body, dict)
            else {"ok": self.status == 200, "body": self.body}
        )

    def encode(self) -> tuple[bytes, str]:
        if isinstance(self.body, str):
            return self.body.encode(), "text/plain; charset=utf-8"
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


@dataclass
class _Channel:
    id: str
    name: str
    archived: bool = False
    member: bool = True


@dataclass
class _User:
    id: str
    name: str
    locale: str
    tz: str
    deleted: bool
    is_bot: bool = False


@dataclass
class _Fault:
    status: int
    retry_after: int
    error: str | None
    remaining: int
    applied: bool = False  # the call takes effect, yet the answer is an error


@dataclass
class _RandomFaults:
    rate: float
    statuses: tuple[int, ...]
    applied_rate: float
    rng: random.Random


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class _Hook:
    issued_at: float
    uses: int = 0


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
        self.token = token
        self.bot_user_id = bot_user_id
        self.bot_id = "B0001"
        self.app_id = "A0001"
        self.team_id = team_id
        self.strict_channels = strict_channels
        self._time = time_fn
        self._address = (host, port)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.RLock()
        self._seq = itertools.count(1)
        self._calls: list[Call] = []
        self._users: dict[str, _User] = {}
        self._channels: dict[str, _Channel] = {}
        self._dms: dict[str, str] = {}  # user id -> DM channel id
        self._triggers: dict[str, float] = {}
        self._hooks: dict[str, _Hook] = {}
        self._views: dict[str, dict[str, Any]] = {}
        self._home_views: dict[str, str] = {}  # user id -> view id
        self._messages: dict[tuple[str, str], dict[str, Any]] = {}
        self._files: dict[str, UploadedFile] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._random_faults: dict[str, _RandomFaults] = {}
        self._delays: dict[str, tuple[float, int]] = {}
        self._rate: float | None = None
        self._workspace_rate: float | None = None
        self._burst = 1.0
        self._buckets: dict[str, _Bucket] = {}
        self._handlers: dict[str, Callable[[Args], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
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
        }
        self._users[bot_user_id] = _User(
            bot_user_id, "bulletins", "en-US", "UTC", False, is_bot=True
        )

    # ----------------------------------------------------------------- server

    def start(self) -> SlackStandIn:
        """Start serving in a daemon thread; returns self."""
        if self._server is not None:
            return self
        server = _Server(self._address, _RequestHandler)
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
            self._users[user_id] = _User(user_id, name, locale, tz, deleted)

    def add_channel(
        self, channel_id_or_name: str, archived: bool = False, member: bool = True
    ) -> str:
        """Register a channel by id (``C…``/``G…``) or by name (``#general``); returns its id."""
        value = channel_id_or_name.lstrip("#")
        with self._lock:
            if _looks_like_id(value, "CG"):
                channel = _Channel(value, value.lower(), archived, member)
            else:
                channel = _Channel(f"C{next(self._seq):08d}", value, archived, member)
            self._channels[channel.id] = channel
            return channel.id

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id conversations.open returns for ``user_id``."""
        with self._lock:
            return self._dms.setdefault(user_id, f"D{next(self._seq):08d}")

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

    def new_trigger_id(self) -> str:
        """Issue a single-use trigger id valid for 3 seconds of the stand-in's clock."""
        with self._lock:
            trigger_id = f"{next(self._seq)}.{self.team_id[1:]}.{uuid.uuid4().hex}"
            self._triggers[trigger_id] = self._time()
            return trigger_id

    def new_response_url(self) -> str:
        """Issue a response_url here; POSTs to it are recorded as ``response_url`` calls."""
        with self._lock:
            hook_id = uuid.uuid4().hex
            self._hooks[hook_id] = _Hook(self._time())
            return f"{self.root_url}response/{hook_id}"

    # ---------------------------------------------------- faults & rate limits

    def fail_next(
        self,
        method: str,
        n: int = 1,
        status: int = 429,
        retry_after: int = 1,
        error: str | None = None,
        applied: bool = False,
    ) -> None:
        """Make the next ``n`` calls of ``method`` fail (``applied``: after taking effect).

        429 answers with Retry-After, 5xx with an error body, and 200 needs ``error``
        (e.g. ``"channel_not_found"``). ``method`` may also be ``"response_url"`` or
        ``"file_upload"`` (the upload URL of files_upload_v2).
        """
        if status == 200 and not error:
            raise ValueError("a status-200 fault needs an error, e.g. error='channel_not_found'")
        with self._lock:
            self._faults.setdefault(method, deque()).append(
                _Fault(status, retry_after, error, n, applied)
            )

    def delay_answer(self, method: str, seconds: float, after: int = 0) -> None:
        """Do the call that comes after the next ``after`` calls of ``method`` at once, but
        answer it only ``seconds`` later: the window in which a caller may die."""
        with self._lock:
            self._delays[method] = (seconds, after)

    def fail_randomly(
        self,
        method: str,
        rate: float,
        statuses: tuple[int, ...] = (429, 500, 503),
        applied_rate: float = 0.0,
        seed: int = 0,
    ) -> None:
        """Make a share ``rate`` of the calls of ``method`` fail with one of ``statuses``;
        a share ``applied_rate`` of the 5xx ones take effect all the same, as a server that
        fails after doing the work. ``rate=0`` stops it."""
        with self._lock:
            if rate <= 0:
                self._random_faults.pop(method, None)
                return
            self._random_faults[method] = _RandomFaults(
                rate, statuses, applied_rate, random.Random(seed)
            )

    def enforce_rate_limits(
        self,
        per_channel_per_second: float | None = 1.0,
        burst: int = 1,
        workspace_per_minute: float | None = None,
    ) -> None:
        """Rate-limit chat.postMessage per channel and, optionally, for the whole workspace
        (token buckets); ``None`` turns a limit off."""
        with self._lock:
            self._rate = per_channel_per_second
            self._burst = float(max(1, burst))
            self._workspace_rate = workspace_per_minute / 60 if workspace_per_minute else None
            self._buckets.clear()

    # -------------------------------------------------------------- recording

    @property
    def calls(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
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
        with self._lock:
            return {k: replace(v) for k, v in self._files.items()}

    def reset(self) -> None:
        """Forget recorded calls, faults and rate-limit state (registries are kept)."""
        with self._lock:
            self._calls.clear()
            self._faults.clear()
            self._random_faults.clear()
            self._buckets.clear()

    # ---------------------------------------------------------- HTTP dispatch

    def handle_http(self, path: str, headers: Mapping[str, str], body: bytes) -> _Reply:
        """Answer one HTTP request (called by the server threads)."""
        parts = urlsplit(path)
        segments = parts.path.strip("/").split("/")
        with self._lock:
            if len(segments) == 2 and segments[0] == "api":
                return self._serve_api(segments[1], parts.query, headers, body)
            if len(segments) == 3 and segments[:2] == ["upload", "v1"]:
                return self._serve_upload(segments[2], body)
            if len(segments) == 2 and segments[0] == "response":
                return self._serve_response_url(segments[1], body)
        return _Reply(404, {"ok": False, "error": "not_found"})

    def _record(self, method: str, args: Args, reply: _Reply) -> _Reply:
        self._calls.append(Call(method, args, reply.status, reply.as_dict(), self._time()))
        return reply

    def _serve_api(
        self, method: str, query: str, headers: Mapping[str, str], body: bytes
    ) -> _Reply:
        try:
            args = _parse_args(headers.get("Content-Type", ""), query, body)
        except ValueError as exc:
            return self._record(method, {}, SlackError("invalid_form_data", [str(exc)]).reply())
        fault = self._take_fault(method)
        if fault is None or fault.applied:
            try:
                reply = _Reply(200, {"ok": True, **self._call_api(method, args, headers)})
            except SlackError as exc:
                reply = exc.reply()
        if fault is not None:
            reply = self._fault_reply(fault)
        reply.delay = self._take_delay(method)
        return self._record(method, args, reply)

    def _take_delay(self, method: str) -> float:
        delay = self._delays.get(method)
        if delay is None:
            return 0.0
        if delay[1] > 0:
            self._delays[method] = (delay[0], delay[1] - 1)
            return 0.0
        del self._delays[method]
        return delay[0]

    def _call_api(self, method: str, args: Args, headers: Mapping[str, str]) -> dict[str, Any]:
        self._check_auth(headers, args)
        handler = self._handlers.get(method)
        if handler is None:
            raise SlackError("unknown_method")
        if method in _NEEDS_CHANNEL and not args.get("channel"):
            raise SlackError("channel_not_found")
        missing = [name for name in _REQUIRED.get(method, ()) if args.get(name) in (None, "")]
        if missing:
            raise invalid_arguments(*(f"missing required field: {name}" for name in missing))
        return handler(args)

    def _check_auth(self, headers: Mapping[str, str], args: Args) -> None:
        auth = headers.get("Authorization", "")
        token = auth[len("Bearer ") :] if auth.startswith("Bearer ") else args.get("token")
        if not token:
            raise SlackError("not_authed")
        if token != self.token:
            raise SlackError("invalid_auth")

    def _take_fault(self, method: str) -> _Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return self._random_fault(method)
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining <= 0:
            queue.popleft()
        return fault

    def _random_fault(self, method: str) -> _Fault | None:
        chaos = self._random_faults.get(method)
        if chaos is None or chaos.rng.random() >= chaos.rate:
            return None
        status = chaos.rng.choice(chaos.statuses)
        applied = status >= 500 and chaos.rng.random() < chaos.applied_rate
        return _Fault(status, retry_after=1, error=None, remaining=1, applied=applied)

    def _fault_reply(self, fault: _Fault) -> _Reply:
        error = fault.error or _DEFAULT_FAULT_ERRORS.get(fault.status, "fatal_error")
        headers = {"Retry-After": str(fault.retry_after)} if fault.status == 429 else {}
        return _Reply(fault.status, {"ok": False, "error": error}, headers)

    def _serve_upload(self, file_id: str, body: bytes) -> _Reply:
        args = {"file_id": file_id, "size": len(body)}
        reply = self._take_fault("file_upload")
        if reply is None:
            upload = self._files.get(file_id)
            if upload is None or upload.completed:
                reply = _Reply(404, "Not Found")
            else:
                upload.content = body
                reply = _Reply(200, f"OK - {len(body)}")
        return self._record("file_upload", args, reply)

    def _serve_response_url(self, hook_id: str, body: bytes) -> _Reply:
        try:
            args = json.loads(body or b"{}")
        except ValueError:
            args = {"_raw": body.decode("utf-8", "replace")}
        reply = self._take_fault("response_url")
        if reply is None:
            try:
                self._use_hook(hook_id)
                self._check_response_url_body(args)
                reply = _Reply(200, {"ok": True})
            except SlackError as exc:
                reply = exc.reply()
        return self._record("response_url", args, reply)

    def _use_hook(self, hook_id: str) -> None:
        hook = self._hooks.get(hook_id)
        if hook is None or self._time() - hook.issued_at > RESPONSE_URL_TTL:
            raise SlackError("expired_url", status=404)
        if hook.uses >= RESPONSE_URL_MAX_USES:
            raise SlackError("used_url", status=404)
        hook.uses += 1

    def _check_response_url_body(self, args: Any) -> None:
        if not isinstance(args, dict) or "_raw" in args:
            raise SlackError("invalid_payload", status=400)
        if args.get("delete_original"):
            return
        blocks = self._checked_blocks(args)
        if not args.get("text") and not blocks:
            raise SlackError("no_text", status=400)

    # ----------------------------------------------------------------- checks

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

    def _checked_message(self, args: Args) -> list[dict[str, Any]] | None:
        blocks = self._checked_blocks(args)
        text = args.get("text")
        if not text and not blocks and not args.get("attachments"):
            raise SlackError("no_text")
        if text and len(str(text)) > MAX_TEXT:
            raise SlackError("msg_too_long")
        return blocks

    def _checked_view(self, args: Args) -> dict[str, Any]:
        view = args["view"]
        if isinstance(view, str):
            raise invalid_arguments("view must be a JSON object [json-pointer:/view]")
        try:
            check_view(view)
        except BlockKitError as exc:
            raise invalid_arguments(str(exc)) from exc
        return view

    def _resolve_channel(self, channel: str) -> str:
        if channel in self._dms.values():
            return channel
        if _looks_like_id(channel, "UW"):
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

    def _channel_by_name(self, name: str) -> _Channel | None:
        return next((c for c in self._channels.values() if c.name == name), None)

    def _dm_for(self, user_id: str) -> str:
        user = self._users.get(user_id)
        if user is not None and user.deleted:
            raise SlackError("user_disabled")
        return self.dm_channel(user_id)

    def _use_trigger(self, trigger_id: str) -> None:
        issued_at = self._triggers.get(trigger_id)
        if issued_at is None:
            raise SlackError("invalid_trigger_id")
        if self._time() - issued_at >= TRIGGER_TTL:
            raise SlackError("expired_trigger_id")
        del self._triggers[trigger_id]

    def _check_rate_limit(self, channel: str) -> None:
        limits = [(channel, self._rate), ("*workspace*", self._workspace_rate)]
        buckets = [self._refilled(key, rate) for key, rate in limits if rate]
        for bucket, rate in buckets:
            if bucket.tokens < 1:
                wait = max(1, math.ceil((1 - bucket.tokens) / rate))
                raise SlackError("ratelimited", status=429, headers={"Retry-After": str(wait)})
        for bucket, _ in buckets:
            bucket.tokens -= 1

    def _refilled(self, key: str, rate: float) -> tuple[_Bucket, float]:
        now = self._time()
        bucket = self._buckets.setdefault(key, _Bucket(self._burst, now))
        bucket.tokens = min(self._burst, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        return bucket, rate

    def _new_ts(self) -> str:
        n = next(self._seq)
        return f"{1_700_000_000 + n // 10_000}.{(n % 10_000) * 100:06d}"

    # ---------------------------------------------------------------- methods

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

    def _user_object(self, user: _User, include_locale: bool) -> dict[str, Any]:
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

    def _views_open(self, args: Args) -> dict[str, Any]:
        view = self._checked_modal(args)
        self._use_trigger(args["trigger_id"])
        return {"view": self._store_view(view)}

    def _views_push(self, args: Args) -> dict[str, Any]:
        view = self._checked_modal(args)
        self._use_trigger(args["trigger_id"])
        return {"view": self._store_view(view)}

    def _checked_modal(self, args: Args) -> dict[str, Any]:
        view = self._checked_view(args)
        if view["type"] != "modal":
            raise invalid_arguments("type must be modal [json-pointer:/view/type]")
        self._check_external_id(view, None)
        return view

    def _views_update(self, args: Args) -> dict[str, Any]:
        if args.get("view_id"):
            existing = self._views.get(args["view_id"])
        elif args.get("external_id"):
            existing = next(
                (v for v in self._views.values() if v.get("external_id") == args["external_id"]),
                None,
            )
        else:
            raise invalid_arguments("missing required field: view_id or external_id")
        if existing is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != existing["hash"]:
            raise SlackError("hash_conflict")
        view = self._checked_view(args)
        self._check_external_id(view, existing["id"])
        return {"view": self._store_view(view, existing)}

    def _views_publish(self, args: Args) -> dict[str, Any]:
        user_id = args["user_id"]
        if user_id not in self._users and self.strict_channels:
            raise SlackError("user_not_found")
        view = self._checked_view(args)
        if view["type"] != "home":
            raise invalid_arguments("type must be home [json-pointer:/view/type]")
        existing = self._views.get(self._home_views.get(user_id, ""))
        if existing is not None and args.get("hash") and args["hash"] != existing["hash"]:
            raise SlackError("hash_conflict")
        stored = self._store_view(view, existing)
        self._home_views[user_id] = stored["id"]
        return {"view": stored}

    def _check_external_id(self, view: dict[str, Any], own_id: str | None) -> None:
        external_id = view.get("external_id")
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != own_id for v in self._views.values()
        ):
            raise SlackError("duplicate_external_id")

    def _store_view(
        self, view: dict[str, Any], existing: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        view_id = existing["id"] if existing else f"V{next(self._seq):010d}"
        stored = {
            "id": view_id,
            "team_id": self.team_id,
            "type": view["type"],
            "blocks": view["blocks"],
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""),
            "state": {"values": {}},
            "hash": f"{next(self._seq)}.{uuid.uuid4().hex[:8]}",
            "title": view.get("title"),
            "clear_on_close": bool(view.get("clear_on_close", False)),
            "notify_on_close": bool(view.get("notify_on_close", False)),
            "close": view.get("close"),
            "submit": view.get("submit"),
            "previous_view_id": None,
            "root_view_id": existing["root_view_id"] if existing else view_id,
            "app_id": self.app_id,
            "external_id": view.get("external_id", ""),
            "app_installed_team_id": self.team_id,
            "bot_id": self.bot_id,
        }
        self._views[view_id] = {**stored, "_seq": next(self._seq)}
        return stored

    def _files_get_upload_url(self, args: Args) -> dict[str, Any]:
        try:
            length = int(args["length"])
        except (TypeError, ValueError) as exc:
            raise invalid_arguments("length must be an integer [json-pointer:/length]") from exc
        file_id = f"F{next(self._seq):010d}"
        self._files[file_id] = UploadedFile(file_id, str(args["filename"]), length)
        return {"upload_url": f"{self.root_url}upload/v1/{file_id}", "file_id": file_id}

    def _files_complete_upload(self, args: Args) -> dict[str, Any]:
        entries = args["files"]
        if not isinstance(entries, list) or not all(
            isinstance(e, dict) and e.get("id") for e in entries
        ):
            raise invalid_arguments(
                "files must be an array of objects with an id [json-pointer:/files]"
            )
        uploads = [self._files.get(e["id"]) for e in entries]
        if any(u is None or u.content is None or u.completed for u in uploads):
            raise SlackError("file_not_found")
        targets = [
            c for c in [args.get("channel_id"), *str(args.get("channels") or "").split(",")] if c
        ]
        channels = [self._resolve_channel(c) for c in targets]
        return {
            "files": [
                self._complete(u, e, channels, args) for u, e in zip(uploads, entries, strict=True)
            ]
        }

    def _complete(
        self, upload: UploadedFile | None, entry: dict[str, Any], channels: list[str], args: Args
    ) -> dict:
        assert upload is not None and upload.content is not None
        upload.title = entry.get("title") or upload.filename
        upload.channels = channels
        upload.initial_comment = args.get("initial_comment")
        upload.thread_ts = args.get("thread_ts")
        upload.completed = True
        return {
            "id": upload.id,
            "name": upload.filename,
            "title": upload.title,
            "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
            "size": len(upload.content),
            "user": self.bot_user_id,
            "channels": [c for c in channels if c[0] == "C"],
            "ims": [c for c in channels if c[0] == "D"],
            "groups": [c for c in channels if c[0] == "G"],
        }


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default of 5 drops bursts of concurrent clients
    standin: SlackStandIn

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that died mid-request (as fault tests make them) is no error here."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _RequestHandler(BaseHTTPRequestHandler):
    server: _Server

    protocol_version = "HTTP/1.1"

    def do_POST(self) -> None:
        self._serve()

    def do_GET(self) -> None:
        self._serve()

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.server.standin.handle_http(self.path, self.headers, body)
        if reply.delay:
            time.sleep(reply.delay)
        data, content_type = reply.encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        """Keep test output quiet."""


def _parse_args(content_type: str, query: str, body: bytes) -> Args:
    args: Args = dict(parse_qsl(query, keep_blank_values=True))
    media_type = content_type.split(";")[0].strip().lower()
    if media_type == "application/json":
        parsed = json.loads(body or b"{}")
        if not isinstance(parsed, dict):
            raise ValueError("JSON body must be an object")
        args.update(parsed)
    elif media_type == "multipart/form-data":
        args.update(_parse_multipart(content_type, body))
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in JSON_ARGS & args.keys():
        if isinstance(args[key], str):
            # Left as a string when not JSON: the method reports the bad format.
            with contextlib.suppress(ValueError):
                args[key] = json.loads(args[key])
    return args


def _parse_multipart(content_type: str, body: bytes) -> Args:
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    args: Args = {}
    for part in message.iter_parts():  # type: ignore[attr-defined]
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        args[name] = payload if part.get_filename() else payload.decode("utf-8")
    return args


def _looks_like_id(value: str, prefixes: str) -> bool:
    return len(value) >= 3 and value[0] in prefixes and value.isalnum() and value.isupper()


def _truthy(value: Any) -> bool:
    return value in (True, 1, "1", "true", "True")
