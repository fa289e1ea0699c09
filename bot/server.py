"""The HTTP server: Slack's requests on ``POST /slack/events``, ``GET /healthz`` for probes,
and the web console under ``/app/`` (``web``) when one is given.

``/healthz`` answers 200 when the database answers at the latest schema and the clock
process completed a tick recently, else 503; its JSON body says which is wrong.

Served by waitress, a production WSGI server, in HTTP mode; or Socket Mode when asked.
"""

from __future__ import annotations

import contextlib
import gc
import io
import json
import logging
import signal
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

import waitress
from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.errors import SlackApiError
from slack_sdk.signature import SignatureVerifier
from sqlalchemy import Engine
from waitress import wasyncore
from werkzeug.middleware.dispatcher import DispatcherMiddleware

from bot.bootstrap import utc_now
from bulletins.config import Settings
from bulletins.cycle.calendar_files import ICS_PATH, key_date_calendar
from bulletins.db import make_session_factory
from bulletins.db.migrate import latest_revision
from bulletins.errors import ConfigError
from bulletins.health import Health, check_health

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
CONSOLE_PATH = "/app"
# Requests served at once. No more than bulletins.db.engine.POOL_SIZE: each may hold a
# connection (a form is filed before its answer).
THREADS = 8


# Far above any payload Slack sends (a submitted view with every field full is tens of KB).
MAX_BODY = 1024 * 1024


def _plain(start_response: Callable, status: str) -> list[bytes]:
    start_response(status, [("Content-Type", "text/plain; charset=utf-8")])
    return [status.encode()]


def signed(slack: Callable, signing_secret: str) -> Callable[[dict, Callable], Iterable[bytes]]:
    """``slack`` behind a check of Slack's signature: a request that is too large (413), or
    not signed with ``signing_secret`` within the last five minutes (401), is refused
    before anything parses it, and nothing (no reply, no error message to a response_url it
    names) is done for it. Bolt checks the signature again."""
    verifier = SignatureVerifier(signing_secret)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return _plain(start_response, "400 Bad Request")
        if length > MAX_BODY:
            log.warning("refused a request of %d bytes (more than %d)", length, MAX_BODY)
            return _plain(start_response, "413 Content Too Large")
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        try:
            valid = timestamp.isdigit() and verifier.is_valid(body, timestamp, signature)
        except (ValueError, UnicodeDecodeError):
            valid = False
        if not valid:
            log.warning(
                "refused a request not signed by Slack (from %s)", environ.get("REMOTE_ADDR")
            )
            return _plain(start_response, "401 Unauthorized")
        environ["wsgi.input"] = io.BytesIO(body)
        return slack(environ, start_response)

    return application


def health_check(
    engine: Engine,
    clock: Callable[[], datetime] = utc_now,
    scheduler_max_age: timedelta = Settings.scheduler_max_age,
) -> Callable[[], Health]:
    """The deployment's health, read anew at each call."""
    latest = latest_revision()  # read once: it is the code's, not the database's
    return lambda: check_health(engine, latest, clock(), scheduler_max_age)


def make_wsgi_app(
    app: App,
    engine: Engine,
    signing_secret: str,
    health: Callable[[], Health] | None = None,
    console: Callable | None = None,
) -> Callable:
    """A WSGI application routing Slack's requests, once their signature is checked, to
    Bolt, answering health checks, and serving ``console`` (a WSGI application: the web
    console) under ``/app``."""
    slack = signed(SlackRequestHandler(app, path=EVENTS_PATH), signing_secret)
    health = health or health_check(engine)
    calendar_file = key_date_files(engine, signing_secret)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            found = health()
            status = "200 OK" if found.ok else "503 Service Unavailable"
            start_response(status, [("Content-Type", "application/json")])
            return [json.dumps(found.as_dict()).encode()]
        path = environ.get("PATH_INFO") or ""
        if path.startswith(ICS_PATH) and environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            return calendar_file(path, start_response)
        if path != EVENTS_PATH:
            return _plain(start_response, "404 Not Found")
        return slack(environ, start_response)

    if console is None:
        return application
    return DispatcherMiddleware(application, {CONSOLE_PATH: console})


def key_date_files(engine: Engine, signing_secret: str) -> Callable:
    """``GET /ics/<token>.ics``: a key date of the digest as a calendar file; 404 for a
    token not signed with ``signing_secret`` or a date its bulletin no longer announces."""
    sessions = make_session_factory(engine)

    def answer(path: str, start_response: Callable) -> Iterable[bytes]:
        name = path.removeprefix(ICS_PATH)
        if not name.endswith(".ics"):
            return _plain(start_response, "404 Not Found")
        with sessions() as session:
            body = key_date_calendar(session, signing_secret, name.removesuffix(".ics"))
        if body is None:
            return _plain(start_response, "404 Not Found")
        headers = [
            ("Content-Type", "text/calendar; charset=utf-8"),
            ("Content-Disposition", 'attachment; filename="key-date.ics"'),
        ]
        start_response("200 OK", headers)
        return [body]

    return answer


def freeze_startup_objects() -> None:
    """Keep the objects alive once the app is built (modules, models, templates, catalogs)
    out of the garbage collector's sight: they live as long as the process, and without
    this each full collection walks them all, 70 to 105 ms measured during a burst of
    forms, while every request in flight waits."""
    gc.collect()
    gc.freeze()


class HttpServer:
    """waitress serving the app on ``host:port``; port 0 picks a free one (tests, demo).
    Requests are checked against ``signing_secret``, the secret the app verifies with;
    ``health`` answers ``/healthz`` (by default: ``health_check(engine)``); ``console``, if
    given, answers under ``/app/``."""

    def __init__(
        self,
        app: App,
        engine: Engine,
        host: str = "0.0.0.0",
        port: int = 3000,
        *,
        signing_secret: str,
        health: Callable[[], Health] | None = None,
        console: Callable | None = None,
    ):
        self._server = waitress.create_server(
            make_wsgi_app(app, engine, signing_secret, health, console),
            host=host,
            port=port,
            threads=THREADS,
            ident="bulletins",
            # waitress refuses a larger body itself (413), without reading it.
            max_request_body_size=MAX_BODY,
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
