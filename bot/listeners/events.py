"""Events: the Home tab, published each time a person opens it."""

from __future__ import annotations

from slack_bolt import App

from bot.bootstrap import Services
from bot.home_tab import publish_home
from bot.listeners.follow_up import ack_then, listen


def home_opened(services: Services, body: dict, _respond: None) -> None:
    event = body["event"]
    if event.get("tab", "home") == "home":
        publish_home(services, event["user"])


def register(app: App, services: Services) -> None:
    listen(app.event("app_home_opened"), services, ack_then(home_opened))
