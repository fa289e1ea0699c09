"""Bolt listeners, one module per kind, each with a ``register(app, services)``."""

from __future__ import annotations

from slack_bolt import App

from bot.bootstrap import Services


def register(app: App, services: Services) -> None:
    """Attach every listener kind to ``app``."""
    from bot.listeners import (
        actions,
        commands,
        errors,
        events,
        facts,
        indicators,
        surveys,
        views,
    )

    for module in (errors, commands, actions, views, events, surveys, facts, indicators):
        module.register(app, services)
