"""Fixtures for the Slack test workspace's own tests."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from slack_sdk import WebClient

from bot.standin import SlackStandIn

TOKEN = "xoxb-test"
SIGNING_SECRET = "s3cr3t-signing"


class FakeClock:
    """A monotonic clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def standin(clock: FakeClock) -> Iterator[SlackStandIn]:
    with SlackStandIn(token=TOKEN, time_fn=clock) as server:
        server.add_channel("C0GENERAL")
        server.add_user("U0ALICE", "alice")
        yield server


@pytest.fixture
def client(standin: SlackStandIn) -> WebClient:
    return WebClient(token=TOKEN, base_url=standin.base_url)


@dataclass
class Received:
    """One request a ``tiny_app`` got."""

    path: str
    headers: dict[str, str]
    body: bytes


Answer = tuple[int, dict[str, str], bytes]


@dataclass
class TinyApp:
    """A throwaway HTTP app: records requests and answers through ``respond``."""

    url: str
    received: list[Received] = field(default_factory=list)
    respond: Callable[[Received], Answer] = lambda _: (200, {}, b"")


@pytest.fixture
def tiny_app() -> Iterator[TinyApp]:
    app = TinyApp(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            request = Received(self.path, dict(self.headers.items()), self.rfile.read(length))
            app.received.append(request)
            status, headers, body = app.respond(request)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    app.url = f"http://127.0.0.1:{server.server_address[1]}/slack/events"
    yield app
    server.shutdown()
    server.server_close()
