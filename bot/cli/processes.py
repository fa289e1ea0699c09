"""The app's processes: ``bulletins serve`` (Slack's requests), ``bulletins scheduler`` (the
clock process) and ``bulletins tick`` (the clock's work, once, at a given moment).

Each command imports what it runs when it runs, so that ``bulletins --help`` and the
other commands start fast.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date, datetime

import click

from bot.cli import Context, pass_context
from bulletins.config import Settings
from bulletins.errors import BulletinsError
from bulletins.hosting import sqlite_on_paas

log = logging.getLogger(__name__)


@click.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, help="Port (default: $PORT, else 3000).")
@click.option("--socket", "socket_mode", is_flag=True, help="Use Socket Mode (SLACK_APP_TOKEN).")
@pass_context
def serve(obj: Context, host: str, port: int | None, socket_mode: bool) -> None:
    """Serve the Slack app over HTTP (POST /slack/events, GET /healthz) and the web
    console (/app/), or the Slack app over Socket Mode.

    To serve more people, run more of these processes on the same PostgreSQL database,
    behind one address; keep a single scheduler."""
    warn_of_sqlite_on_paas(obj.settings)
    services = obj.services()
    from bot.app import create_app
    from bot.console import checklist_of, console_app
    from bot.server import (
        HttpServer,
        exit_on_sigterm,
        freeze_startup_objects,
        health_check,
        serve_socket_mode,
    )

    if socket_mode and not services.settings.slack.app_token:
        raise BulletinsError("Socket Mode needs SLACK_APP_TOKEN (an xapp- token)")
    if not socket_mode and port is None:
        port = _port_from_env()
    app = create_app(services)
    exit_on_sigterm()
    freeze_startup_objects()
    if socket_mode:
        serve_socket_mode(app, services.settings.slack.app_token)
    else:
        assert port is not None
        secret = services.settings.slack.signing_secret
        health = health_check(services.engine, services.clock, services.settings.scheduler_max_age)
        server = HttpServer(
            app,
            services.engine,
            host,
            port,
            signing_secret=secret,
            health=health,
            console=console_app(services, checklist_of(obj.config_path)),
        )
        server.serve_forever()


def warn_of_sqlite_on_paas(settings: Settings) -> None:
    """Say it loudly, before anything is lost: the app runs, but not for long."""
    warning = sqlite_on_paas(settings.database_url, os.environ)
    if warning:
        log.warning("*** DATA WILL BE LOST *** %s", warning)


def _port_from_env() -> int:
    raw = os.environ.get("PORT", "3000")
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise BulletinsError(f"PORT: expected a port number from 1 to 65535, got {raw!r}")
    return int(raw)


@click.command()
@click.option("--now", "now_text", metavar="ISO-8601", help="The moment to act as (default: now).")
@pass_context
def tick(obj: Context, now_text: str | None) -> None:
    """Run once, idempotently, every scheduled job due at NOW; exit status 1 when any
    job failed, naming them."""
    moment = parse_now(now_text, obj.settings) if now_text else None  # before any wait
    services = obj.services()
    from bot.scheduler import tick_once

    runs = tick_once(services, moment)
    for run in runs:
        click.echo(f"{run.name}: {run.done}" + (f" ({run.error})" if run.error else ""))
    failed = [run.name for run in runs if run.error]
    if failed:
        # Status 1, not 2: the command was right, the jobs' work was not done.
        click.echo(f"Error: {len(failed)} job(s) failed: {', '.join(failed)}", err=True)
        sys.exit(1)


def parse_now(text: str, settings: Settings) -> datetime:
    """An ISO-8601 moment; without an offset it is read in the programme's timezone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            moment = datetime.combine(date.fromisoformat(text), datetime.min.time())
        except ValueError:
            raise BulletinsError(
                f"--now: expected an ISO-8601 moment such as 2026-03-06T14:00, got {text!r}"
            ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=settings.timezone)


@click.command()
@pass_context
def scheduler(obj: Context) -> None:
    """Run the clock process: every minute, the jobs that are due."""
    warn_of_sqlite_on_paas(obj.settings)
    services = obj.services()
    from bot.scheduler import run_scheduler

    run_scheduler(services)
