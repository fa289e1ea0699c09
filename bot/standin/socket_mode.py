"""Slack's side of Socket Mode, on ``127.0.0.1``: the websocket an app opens with the URL
``apps.connections.open`` gave it, through which Slack pushes envelopes (commands,
interactions, events) and the app sends back each one's acknowledgement.

Attached to a ``SlackStandIn``, which then answers ``apps.connections.open`` for the
app-level token. ``push`` sends one envelope and waits for its acknowledgement, as Slack
does for three seconds; ``SocketModeDriver`` sends ``SlackDriver``'s requests that way.
Needs the ``websockets`` package (the ``test`` extra).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from .driver import Response, SlackDriver
from .web_api import SlackStandIn

APP_TOKEN = "xapp-1-standin"
ACK_WINDOW = 3.0  # seconds Slack waits for an envelope's acknowledgement


class NoAcknowledgement(AssertionError):
    """The app did not acknowledge an envelope within Slack's window."""


class SocketModeSlack:
    """Use as a context manager, or ``start()`` and ``stop()``."""

    def __init__(
        self, standin: SlackStandIn, app_token: str = APP_TOKEN, ack_window: float = ACK_WINDOW
    ):
        self.standin = standin
        self.app_token = app_token
        self.ack_window = ack_window
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._changed = threading.Condition()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, dict[str, Any]] = {}
        self.acknowledged_in: dict[str, float] = {}  # envelope id -> seconds

    @property
    def url(self) -> str:
        assert self._server is not None, "start() first"
        host, port = self._server.socket.getsockname()[:2]
        return f"ws://{host}:{port}/link/"

    def start(self) -> SocketModeSlack:
        # No pings from this side: the app's client sends its own.
        self._server = serve(self._serve, "127.0.0.1", 0, ping_interval=None)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        self.standin.serve_socket_mode(self.url, self.app_token)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> SocketModeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def wait_for_app(self, timeout: float = 10.0) -> None:
        """Wait until the app has opened its websocket."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._connections, timeout):
                raise AssertionError(f"the app did not connect within {timeout} s")

    def push(self, kind: str, payload: dict[str, Any], **extra: Any) -> dict[str, Any]:
        """Send an envelope of ``kind`` (``slash_commands``, ``interactive``,
        ``events_api``) and return the app's acknowledgement; raise ``NoAcknowledgement``
        when none comes within the window."""
        self.wait_for_app()
        envelope_id = str(uuid.uuid4())
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            **extra,
        }
        started = time.monotonic()
        with self._changed:
            connection = self._connections[-1]
        connection.send(json.dumps(envelope))
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self._acks, self.ack_window):
                raise NoAcknowledgement(f"no acknowledgement of a {kind} envelope within "
                                        f"{self.ack_window} s")  # fmt: skip
            self.acknowledged_in[envelope_id] = time.monotonic() - started
            return self._acks.pop(envelope_id)

    def _serve(self, connection: ServerConnection) -> None:
        hello = {"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}}
        connection.send(json.dumps(hello))
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        try:
            for message in connection:
                answer = json.loads(message)
                if isinstance(answer, dict) and "envelope_id" in answer:
                    with self._changed:
                        self._acks[answer["envelope_id"]] = answer
                        self._changed.notify_all()
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._connections.remove(connection)
                self._changed.notify_all()


class SocketModeDriver(SlackDriver):
    """``SlackDriver``'s commands, interactions and events, pushed as Socket Mode envelopes.
    A response is the acknowledgement: status 200, its payload as a JSON body (empty when
    it has none), so the same assertions hold over HTTP and over the websocket."""

    def __init__(self, socket: SocketModeSlack, **kwargs: Any) -> None:
        super().__init__("", "", socket.standin, **kwargs)
        self.socket = socket

    def _deliver_command(self, fields: dict[str, Any]) -> Response:
        return self._pushed("slash_commands", fields)

    def _send_payload(self, payload: dict[str, Any]) -> Response:
        return self._pushed("interactive", payload)

    def _deliver_event(
        self, envelope: dict[str, Any], retry_num: int | None, retry_reason: str | None
    ) -> Response:
        retry = {"retry_attempt": retry_num or 0, "retry_reason": retry_reason or ""}
        return self._pushed("events_api", envelope, **retry)

    def _pushed(self, kind: str, payload: dict[str, Any], **extra: Any) -> Response:
        answer = self.socket.push(kind, payload, **extra).get("payload")
        return Response(200, {}, json.dumps(answer).encode() if answer else b"")

    def _send(self, *args: Any, **kwargs: Any) -> Response:
        raise TypeError("Socket Mode has no HTTP request: no url_verification, no raw body")
