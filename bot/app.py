"""The Bolt app factory: one app per set of services, no global app."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App
from slack_bolt.error import BoltError
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk.errors import SlackApiError

from bot import dedup, listeners
from bot.bootstrap import Services
from bot.request_log import LoggingApp
from bulletins.errors import BulletinsError, ConfigError

log = logging.getLogger(__name__)

# The work that follows each answer (opening a modal, a confirmation: calls to Slack) runs
# in Bolt's listener threads. With more of them than the web server has request threads, no
# work waits for a thread while others call Slack.
LISTENER_THREADS = 32


class SameToken(logging.Filter):
    """Drops Bolt's warning that the token it reads from ``SLACK_BOT_TOKEN`` goes unused
    because the app is given a client: the client holds that same token."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def create_app(services: Services, *, verify_token: bool = True) -> App:
    """A Bolt app whose listeners call the core through ``services``.

    Request signatures are always verified: there is no switch to turn that off.

    Each listener's first function runs in the request's thread, and Slack is answered as
    it returns; the work that follows runs in Bolt's listener threads as a lazy listener
    (``listeners.follow_up``). In Bolt's other mode, the request's thread would look for
    the answer every 10 ms while a listener thread worked.
    """
    secrets = services.settings.slack
    if not secrets.signing_secret:
        raise ConfigError("SLACK_SIGNING_SECRET is not set: Slack requests cannot be verified")
    if not secrets.bot_token:
        raise ConfigError("SLACK_BOT_TOKEN is not set: the bot cannot call Slack")
    logger = logging.getLogger("bot.bolt")
    if not any(isinstance(f, SameToken) for f in logger.filters):
        logger.addFilter(SameToken())
    try:  # Bolt checks the token with auth.test as it starts
        app = LoggingApp(
            client=services.slack,
            signing_secret=secrets.signing_secret,
            token_verification_enabled=verify_token,
            logger=logger,
            process_before_response=True,
            # Bolt's default is 5 threads: with more requests at once than that, the
            # work after the others' answers would wait for a thread.
            listener_executor=ThreadPoolExecutor(LISTENER_THREADS, thread_name_prefix="listener"),
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
