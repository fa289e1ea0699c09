"""Bolt listeners, one module per kind, each with a ``register(app, services)``."""

from __future__ import annotations

from slack_bolt import App

from bot.bootstrap import Services
from bot.listeners import (
    actions,
    commands,
    errors,
    evaluation,
    events,
    facts,
    help_offers,
    indicators,
    reminders,
    surveys,
    views,
)

MODULES = (
    errors,
    commands,
    actions,
    views,
    events,
    surveys,
    evaluation,
    facts,
    indicators,
    help_offers,
    reminders,
)


def register(app: App, services: Services) -> None:
    """Attach every listener kind to ``app``."""
    for module in MODULES:
        module.register(app, services)
