"""One error handler: a domain error becomes a message the person sees, never a silence."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.bootstrap import Services

log = logging.getLogger(__name__)


def register(app: App, services: Services) -> None:
    @app.error
    def report_error(error: Exception, body: dict, logger: logging.Logger) -> None:
        log.exception("unhandled error in a Slack listener (type=%s)", body.get("type"))
