"""A whole Slack workspace in one object: the Web API stand-in, the app served over real HTTP
on an ephemeral port, a signed-request driver, and a clock the caller moves.

The end-to-end tests and ``bulletins demo`` both run on it: no Slack account, no network.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime
from typing import TYPE_CHECKING

from slack_bolt import App
from sqlalchemy import Engine, select

from bot.app import create_app
from bot.bootstrap import Services, bootstrap
from bot.channels import use_channel_ids
from bot.console import console_app
from bot.scheduler import JobRun, record_tick, tick
from bot.server import HttpServer, health_check, socket_mode_handler
from bot.standin.driver import SlackDriver
from bot.standin.web_api import SlackStandIn
from bulletins.config import Delivery, Settings, SlackSecrets
from bulletins.db.models import Person

if TYPE_CHECKING:
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from bot.standin.socket_mode import SocketModeSlack

TOKEN = "xoxb-workspace-token"
SIGNING_SECRET = "workspace-signing-secret"
UNPACED = Delivery(channel_messages_per_second=1e6, workspace_messages_per_minute=1e9)


class MovableClock:
    """The app's clock, set by the caller: ``clock.now = datetime(...)``."""

    def __init__(self, now: datetime):
        if now.tzinfo is None:
            raise ValueError("the clock needs an aware datetime")
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class SlackWorkspace:
    """Start with ``with SlackWorkspace(settings, engine, now) as workspace:``."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        now: datetime,
        paced: bool = False,
        socket_mode: bool = False,
    ):
        """``paced``: keep Slack's posting limits (benchmarks); otherwise post at once,
        since the local stand-in has no limits unless told to. ``socket_mode``:
        serve as ``bulletins serve --socket`` does, the driver pushing its requests over
        the websocket (needs the ``test`` extra)."""
        self.standin = SlackStandIn(token=TOKEN)
        self._paced = paced
        self._socket_mode = socket_mode
        self._socket: tuple[SocketModeHandler, SocketModeSlack] | None = None
        self.clock = MovableClock(now)
        self._base_settings = settings
        self._engine = engine
        self.services: Services
        self.server: HttpServer
        self.driver: SlackDriver

    def start(self) -> SlackWorkspace:
        self.standin.start()
        settings = dataclasses.replace(
            self._base_settings,
            slack=SlackSecrets(
                bot_token=TOKEN,
                signing_secret=SIGNING_SECRET,
                api_url=self.standin.base_url,
                client_id=self.standin.client_id,
                client_secret=self.standin.client_secret,
            ),
            # Served over http://127.0.0.1: a Secure cookie would never come back.
            console=dataclasses.replace(self._base_settings.console, secure_cookies=False),
        )
        if not self._paced:
            settings = dataclasses.replace(settings, delivery=UNPACED)
        for channel in dataclasses.astuple(settings.channels):
            self.standin.add_channel(channel)
        self.services = bootstrap(settings, engine=self._engine, clock=self.clock)
        use_channel_ids(self.services)  # as the scheduler does
        app = create_app(self.services)
        if self._socket_mode:
            self.driver = self._connect_socket_mode(app)
            return self
        health = health_check(self._engine, self.clock, settings.scheduler_max_age)
        self.server = HttpServer(
            app,
            self._engine,
            host="127.0.0.1",
            port=0,
            signing_secret=SIGNING_SECRET,
            health=health,
            console=console_app(self.services),
        )
        self.server.start_in_background()
        self.driver = SlackDriver(self.server.url, SIGNING_SECRET, self.standin)
        return self

    def _connect_socket_mode(self, app: App) -> SlackDriver:
        from bot.standin.socket_mode import SocketModeDriver, SocketModeSlack

        slack = SocketModeSlack(self.standin).start()
        handler = socket_mode_handler(app, slack.app_token)
        self._socket = handler, slack
        handler.connect()
        slack.wait_for_app()
        return SocketModeDriver(slack)

    def stop(self) -> None:
        if self._socket is not None:
            handler, slack = self._socket
            slack.stop()  # first: the app's client closes sooner once its socket has ended
            handler.close()
        else:
            self.server.stop()
        self.standin.stop()

    def __enter__(self) -> SlackWorkspace:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def console_url(self) -> str:
        """The web console's home page."""
        return self.server.url.replace("/slack/events", "/app/")

    def register_people(self) -> None:
        """Make every person of the roster known to the stand-in's users.info."""
        with self.services.sessions() as session:
            for person in session.scalars(select(Person)):
                locale = {"en": "en-US"}.get(person.locale or "", "fr-FR")
                self.standin.add_user(person.slack_user_id, person.name, locale=locale)

    def tick(self, at: datetime) -> list[JobRun]:
        """Move the clock to ``at`` and run the scheduled jobs, as the clock process would."""
        self.clock.now = at
        runs = tick(self.services, at)
        record_tick(self.services, runs)
        return runs

    def wait_for(self, condition, timeout: float = 5.0, interval: float = 0.02):
        """Wait until ``condition()`` is truthy (listeners finish after acknowledging)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = condition()
            if result:
                return result
            time.sleep(interval)
        raise AssertionError(f"condition not met within {timeout} s")
