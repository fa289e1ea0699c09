"""Events: the Home tab, published each time a person opens it."""

from __future__ import annotations

from slack_bolt import App

from bot.bootstrap import Services
from bot.home_tab import publish_home
from bot.listeners.errors import reported


def home_opened(services: Services, body: dict, _respond: None) -> None:
    event = body["event"]
    if event.get("tab", "home") == "home":
        publish_home(services, event["user"])


def register(app: App, services: Services) -> None:
    @app.event("app_home_opened")
    def on_home_opened(body: dict) -> None:  # Bolt acknowledges events by itself
        with reported(services, body):
            home_opened(services, body, None)
