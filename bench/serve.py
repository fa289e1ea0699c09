"""Serve, for the benchmarks, in a process of its own: the app exactly as ``bulletins serve``
builds it (``bootstrap``, ``create_app``, ``HttpServer``) but on a fixed clock, or one of two
Bolt apps for comparison, served the same way. Prints the port.

    python -m bench.serve {bulletins,bare,plain} DATABASE_URL SLACK_API_URL NOW

``bare``: a Bolt app that only acknowledges ``/bulletin`` and the bulletin form's submission.
``plain``: a Bolt app that acknowledges ``/bulletin``, then opens a small modal with
``views.open`` in the same listener, as Bolt's documentation shows.
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import ids
from bot.app import create_app
from bot.bootstrap import bootstrap
from bot.server import HttpServer, exit_on_sigterm, freeze_startup_objects
from bot.standin.workspace import SIGNING_SECRET, TOKEN, MovableClock
from bulletins.config import settings_from_dict

PLAIN_VIEW = "plain_modal"
PLAIN_MODAL = {
    "type": "modal",
    "callback_id": PLAIN_VIEW,
    "title": {"type": "plain_text", "text": "Bulletin"},
    "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Hello!"}}],
}


def bolt_app(slack_api_url: str) -> App:
    """A Bolt app with Bolt's defaults and our app's token and signing secret."""
    return App(
        client=WebClient(token=TOKEN, base_url=slack_api_url),
        signing_secret=SIGNING_SECRET,
        logger=logging.getLogger("bench.bolt"),
    )


def bare_app(slack_api_url: str) -> App:
    """A Bolt app that only acknowledges."""
    app = bolt_app(slack_api_url)

    def ack_only(ack: Ack) -> None:
        ack()

    app.command(ids.COMMAND)(ack_only)
    app.view(ids.BULLETIN_VIEW)(ack_only)
    return app


def plain_app(slack_api_url: str) -> App:
    """A Bolt app that acknowledges ``/bulletin``, then opens a small modal."""
    app = bolt_app(slack_api_url)

    @app.command(ids.COMMAND)
    def open_modal(ack: Ack, body: dict, client: WebClient) -> None:
        ack()
        client.views_open(trigger_id=body["trigger_id"], view=PLAIN_MODAL)

    return app


def main() -> None:
    kind, database_url, slack_api_url, now = sys.argv[1:5]
    logging.basicConfig(level=logging.ERROR, format=f"{kind}: %(levelname)s %(message)s")
    env = {
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack_api_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    settings = settings_from_dict({}, env)
    services = bootstrap(settings, clock=MovableClock(datetime.fromisoformat(now)))
    if kind == "bulletins":
        app = create_app(services)
    elif kind == "bare":
        app = bare_app(slack_api_url)
    elif kind == "plain":
        app = plain_app(slack_api_url)
    else:
        raise SystemExit(f"unknown kind of app: {kind}")
    server = HttpServer(
        app, services.engine, host="127.0.0.1", port=0, signing_secret=SIGNING_SECRET
    )
    print(server.port, flush=True)
    exit_on_sigterm()  # as `bulletins serve` does
    freeze_startup_objects()
    server.serve_forever()


if __name__ == "__main__":
    main()
