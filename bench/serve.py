"""Serve, for ``bench.ack_latency``, in a process of its own: the app exactly as
``bulletins serve`` does (``bootstrap``, ``create_app``, ``HttpServer``) but on a fixed
clock, or a bare Bolt app that only acknowledges, served the same way. Prints the port.

    python -m bench.serve {bulletins,bare} DATABASE_URL SLACK_API_URL NOW WORKERS [MODE]

``WORKERS``: processes for the work after acknowledging, as ``bulletins serve --workers``
(0: none, that work runs in the serving process). ``MODE`` ``on-return``: both apps in
Bolt's ``process_before_response`` mode (see ``bot.app.create_app``).
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
from bot.server import HttpServer, exit_on_sigterm
from bot.standin.bench import SIGNING_SECRET, TOKEN, MovableClock
from bot.workers import WorkerPool
from bulletins.config import settings_from_dict


def bare_app(slack_api_url: str, process_before_response: bool = False) -> App:
    """A Bolt app that only acknowledges, with our app's token and signing secret."""
    app = App(
        client=WebClient(token=TOKEN, base_url=slack_api_url),
        signing_secret=SIGNING_SECRET,
        logger=logging.getLogger("bench.bare"),
        process_before_response=process_before_response,
    )

    def ack_only(ack) -> None:
        ack()

    app.command(ids.COMMAND)(ack_only)
    app.view(ids.BULLETIN_VIEW)(ack_only)
    return app


def main() -> None:
    kind, database_url, slack_api_url, now, workers = sys.argv[1:6]
    on_return = sys.argv[6:7] == ["on-return"]
    logging.basicConfig(level=logging.ERROR, format=f"{kind}: %(levelname)s %(message)s")
    env = {
        "DATABASE_URL": database_url,
        "SLACK_API_URL": slack_api_url,
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
    }
    settings = settings_from_dict({}, env)
    clock = MovableClock(datetime.fromisoformat(now))
    services = bootstrap(settings, clock=clock)
    if kind == "bulletins" and int(workers):
        services.workers = WorkerPool(settings, int(workers), clock, logging.ERROR).start()
    if kind == "bulletins":
        app = create_app(services, process_before_response=on_return)
    else:
        app = bare_app(slack_api_url, process_before_response=on_return)
    server = HttpServer(app, services.engine, host="127.0.0.1", port=0)
    print(server.port, flush=True)
    exit_on_sigterm()
    try:
        server.serve_forever()
    finally:
        if services.workers is not None:
            services.workers.close()


if __name__ == "__main__":
    main()
