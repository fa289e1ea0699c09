"""The HTTP server: Slack's requests on ``POST /slack/events``, ``GET /healthz`` for probes.

Served by waitress, a production WSGI server, in HTTP mode; or Socket Mode when asked.
"""

from __future__ import annotations

import contextlib
import json
import logging
import signal
import threading
from collections.abc import Callable, Iterable

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine
from waitress import wasyncore

from bulletins.db import ping
from bulletins.errors import ConfigError

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Requests served at once. No more than bulletins.db.engine.POOL_SIZE: each may hold a
# connection (a form is filed before its answer).
THREADS = 8


def make_wsgi_app(app: App, engine: Engine) -> Callable:
    """A WSGI application routing Slack's requests to Bolt and answering health checks."""
    slack = SlackRequestHandler(app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            healthy = ping(engine)
            body = json.dumps({"database": "ok" if healthy else "unreachable"}).encode()
            status = "200 OK" if healthy else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            return [body]
        return slack(environ, start_response)

    return application


class HttpServer:
    """waitress serving the app on ``host:port``; port 0 picks a free one (tests, demo)."""

    def __init__(self, app: App, engine: Engine, host: str = "0.0.0.0", port: int = 3000):
        self._server = waitress.create_server(
            make_wsgi_app(app, engine), host=host, port=port, threads=THREADS, ident="bulletins"
        )
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.effective_port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{EVENTS_PATH}"

    def serve_forever(self) -> None:
        log.info("listening on %s:%s", self._server.effective_host, self.port)
        self._server.run()

    def start_in_background(self) -> HttpServer:
        self._thread = threading.Thread(target=self._server.run, name="http", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is None:
            self._server.close()
            return
        # Closing from the loop's own thread wakes its select() at once instead of after
        # its one-second timeout.
        try:
            self._server.trigger.pull_trigger(self._server.close)
        except OSError as error:
            # Seldom, the descriptor of the loop's wake-up pipe is closed under it. Close
            # the listening socket from here: the loop ends at its next timeout.
            log.warning("closing the HTTP server without waking its loop: %s", error)
            with contextlib.suppress(OSError):
                self._server.trigger.close()
            wasyncore.dispatcher.close(self._server)
        self._thread.join(timeout=5)
        self._server.task_dispatcher.shutdown(timeout=5)

    def __enter__(self) -> HttpServer:
        return self.start_in_background()

    def __exit__(self, *exc) -> None:
        self.stop()


def exit_on_sigterm() -> None:
    """Make SIGTERM (how process managers stop a service) end the process as Ctrl-C does,
    through ``finally`` blocks."""

    def exit_now(_signum: int, _frame: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, exit_now)


def socket_mode_handler(app: App, app_token: str) -> SocketModeHandler:
    """Socket Mode: Slack pushes requests over a websocket that the app opens, with the URL
    ``apps.connections.open`` gives for ``app_token``; no public URL needed. The handler
    calls Slack with the app's client, so ``SLACK_API_URL`` holds here too. ``connect()``
    to start in the background, ``close()`` to stop."""
    return SocketModeHandler(app, app_token)


def serve_socket_mode(app: App, app_token: str) -> None:
    """Serve over Socket Mode until the process is stopped."""
    handler = socket_mode_handler(app, app_token)
    try:
        handler.connect()
    except SlackApiError as error:
        raise ConfigError(
            f"SLACK_APP_TOKEN: Slack refused it ({error.response.get('error')}); give the "
            "app-level token (xapp-...) with the connections:write scope"
        ) from None
    log.info("connected to Slack over Socket Mode")
    threading.Event().wait()
