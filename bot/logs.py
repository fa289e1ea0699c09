"""Logging set-up, with a filter that keeps Slack tokens and secrets out of every log line."""

from __future__ import annotations

import logging
import re

_SECRET = re.compile(r"\b(xox[abposr]|xapp)-[A-Za-z0-9-]+")


class RedactSecrets(logging.Filter):
    """Replaces anything shaped like a Slack token with a placeholder."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _SECRET.sub(r"\1-[redacted]", message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


def configure_logging(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(RedactSecrets())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # slack_sdk logs request bodies at DEBUG; they may hold what people typed.
    logging.getLogger("slack_sdk").setLevel(max(level, logging.INFO))
    # Alembic tells of each plugin and migration step at INFO: noise on every command.
    logging.getLogger("alembic").setLevel(max(level, logging.WARNING))
