"""The records and errors of the Slack Web API stand-in.

``Call`` and ``UploadedFile`` are what tests read back; a ``Handler`` serves one
Web API method; ``SlackError`` is how a method handler answers
``{"ok": false, "error": ...}``; ``Reply`` is one HTTP answer on its way out.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Args = dict[str, Any]
Handler = Callable[[Args], dict[str, Any]]  # a Web API method: its args -> the answer's fields


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
        """Whether Slack answered 200 with ``ok: true``."""
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

    def reply(self) -> Reply:
        """The HTTP answer Slack gives for this error."""
        body: dict[str, Any] = {"ok": False, "error": self.error}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return Reply(self.status, body, self.headers)


def invalid_arguments(*messages: str) -> SlackError:
    """Slack's ``invalid_arguments`` error, with one ``[ERROR]`` line per message."""
    return SlackError("invalid_arguments", [f"[ERROR] {m}" for m in messages])


@dataclass
class Reply:
    """One HTTP answer: a JSON object or plain text, with extra headers."""

    status: int
    body: dict[str, Any] | str
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to hold the answer back, the call already done

    def as_dict(self) -> dict[str, Any]:
        """The body as recorded in a ``Call``."""
        return (
            self.body
            if isinstance(self.body, dict)
            else {"ok": self.status == 200, "body": self.body}
        )

    def encode(self) -> tuple[bytes, str]:
        """The body's bytes and content type."""
        if isinstance(self.body, str):
            return self.body.encode(), self.headers.get("Content-Type", "text/plain; charset=utf-8")
        return json.dumps(self.body).encode(), "application/json; charset=utf-8"


@dataclass
class Channel:
    """A registered channel."""

    id: str
    name: str
    archived: bool = False
    member: bool = True
    private: bool = False


@dataclass
class User:
    """A registered user."""

    id: str
    name: str
    locale: str
    tz: str
    deleted: bool
    is_bot: bool = False
