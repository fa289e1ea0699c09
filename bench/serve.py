"""Serve, for ``bench.ack_latency``, in a process of its own: the app exactly as
``bulletins serve`` does (``bootstrap``, ``create_app``, ``HttpServer``) but on a fixed
clock, or a bare Bolt app that only acknowledges, served the same way. Prints the port.

    python -m bench.serve {bulletins,bare} DATABASE_URL SLACK_API_URL NOW
"""

from __future__ import annotations

import logging
import sys
from datetime import datetime

from slack_bolt import App
from slack_sdk import WebClient

from bot import ids
from bot.app import create_app
from bot.bootstrap import bootstrap
from bot.server import HttpServer
from bot.standin.bench import SIGNING_SECRET, TOKEN
from bulletins.config import settings_from_dict


def bare_app(slack_api_url: str) -> App:
    """A Bolt app that only acknowledges, with our app's token and signing secret."""
    app = App(
        client=WebClient(token=TOKEN, base_url=slack_api_url),
        signing_secret=SIGNING_SECRET,
        logger=logging.getLogger("bench.bare"),
    )

    def ack_only(ack) -> None:
        ack()

    app.command(ids.COMMAND)(ack_only)
    app.view(ids.BULLETIN_VIEW)(ack_only)
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
    moment = datetime.fromisoformat(now)
    services = bootstrap(settings_from_dict({}, env), clock=lambda: moment)
    app = create_app(services) if kind == "bulletins" else bare_app(slack_api_url)
    server = HttpServer(app, services.engine, host="127.0.0.1", port=0)
    print(server.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
