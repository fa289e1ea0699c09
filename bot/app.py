"""The Bolt app factory: one app per set of services, no global app."""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError

from bot import dedup, listeners
from bot.bootstrap import Services
from bulletins.errors import BulletinsError, ConfigError

log = logging.getLogger(__name__)


def create_app(services: Services, *, verify_token: bool = True) -> App:
    """A Bolt app whose listeners call the core through ``services``.

    Request signatures are always verified: there is no switch to turn that off.
    """
    secrets = services.settings.slack
    if not secrets.signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set: Slack requests cannot be verified")
    if not secrets.bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: the bot cannot call Slack")
    try:  # Bolt checks the token with auth.test as it starts
        app = App(
            client=services.slack,
            signing_secret=secrets.signing_secret,
            token_verification_enabled=verify_token,
            logger=logging.getLogger("bot.bolt"),
        )
    except (BoltError, SlackApiError) as error:  # Bolt turns invalid_auth into a BoltError
        raise ConfigError(
            f"SLACK_BOT_TOKEN: Slack refused it at {secrets.api_url} ({error}); give the "
            "app's bot token (xoxb-...)"
        ) from None
    except OSError as error:  # urllib's URLError, a refused or timed-out connection
        raise BulletinsError(
            f"Slack did not answer at {secrets.api_url} ({error}); check the network, or "
            "SLACK_API_URL"
        ) from None
    dedup.register(app, services)  # before any listener: a repeat never reaches one
    listeners.register(app, services)
    return app
