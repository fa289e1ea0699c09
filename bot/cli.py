"""The ``bulletins`` command: a thin layer over the library.

Each command's docstring is its help text. A problem a person can fix (a bad
configuration value, a bad roster row) prints one clear message and exits with
status 2, never a traceback.
"""

from __future__ import annotations

import logging
import os
import sys
from datetime import date, datetime
from pathlib import Path

import click

from bot.cli_context import Context, pass_context
from bot.facts_cli import facts
from bot.logs import configure_logging
from bot.survey_cli import survey
from bot.survey_results_cli import results
from bulletins.config import Settings
from bulletins.errors import BulletinsError

STARTER_CONFIG = Path(__file__).resolve().parent.parent / "bulletins" / "config.example.toml"


@click.group()
@click.option(
    "--config",
    "config_path",
    metavar="PATH",
    help="Configuration file (default: $BULLETINS_CONFIG, else ./bulletins.toml).",
)
@click.option("-v", "--verbose", is_flag=True, help="Log debugging details.")
@click.version_option(package_name="bulletins")
@click.pass_context
def cli(ctx: click.Context, config_path: str | None, verbose: bool) -> None:
    """Bulletins: weekly team bulletins, pulse surveys and evaluation for a fellowship
    programme, in Slack."""
    configure_logging(logging.DEBUG if verbose else logging.INFO)
    ctx.obj = Context(config_path)


@cli.command()
@click.argument("path", default="bulletins.toml", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
def init(path: str, force: bool) -> None:
    """Write a commented starter configuration file (default: ./bulletins.toml)."""
    target = Path(path)
    if target.exists() and not force:
        raise BulletinsError(f"{target} already exists; use --force to overwrite it")
    target.write_text(STARTER_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    click.echo(f"Wrote {target}. Edit it, then run: bulletins db upgrade")


@cli.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@pass_context
def db_upgrade(obj: Context) -> None:
    """Create or migrate the database to the latest schema."""
    from bulletins.db import upgrade

    services = obj.services()
    upgrade(services.engine)
    click.echo(f"Database is up to date ({services.engine.url.render_as_string()}).")


@cli.group()
def roster() -> None:
    """Manage cohorts, teams and people."""


@roster.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), help="Cohort start date, YYYY-MM-DD.")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), help="Cohort end date, YYYY-MM-DD.")
@pass_context
def roster_import(obj: Context, file: Path, start: datetime | None, end: datetime | None) -> None:
    """Import a roster CSV (cohort,team,role,name,slack_user_id,email): all rows or none."""
    from bulletins.roster import import_roster, read_roster_file

    rows = read_roster_file(file)
    services = obj.services(upgrade_sqlite=True)
    today = services.calendar.local(services.clock()).date()
    with services.sessions.begin() as session:
        report = import_roster(
            session,
            rows,
            today=today,
            cohort_start=start.date() if start else None,
            cohort_end=end.date() if end else None,
        )
    click.echo(report.summary())


@cli.command()
@click.option("--host", default="0.0.0.0", show_default=True, help="Interface to listen on.")
@click.option("--port", type=int, help="Port (default: $PORT, else 3000).")
@click.option("--socket", "socket_mode", is_flag=True, help="Use Socket Mode (SLACK_APP_TOKEN).")
@pass_context
def serve(obj: Context, host: str, port: int | None, socket_mode: bool) -> None:
    """Serve the Slack app over HTTP (POST /slack/events, GET /healthz) or Socket Mode.

    To serve more people, run more of these processes on the same PostgreSQL database,
    behind one address; keep a single scheduler."""
    from bot.app import create_app
    from bot.server import HttpServer, exit_on_sigterm, freeze_startup_objects, serve_socket_mode

    services = obj.services(upgrade_sqlite=True)
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
        HttpServer(app, services.engine, host, port, signing_secret=secret).serve_forever()


def _port_from_env() -> int:
    raw = os.environ.get("PORT", "3000")
    if not raw.isdigit() or not 0 < int(raw) < 65536:
        raise BulletinsError(f"PORT: expected a port number from 1 to 65535, got {raw!r}")
    return int(raw)


@cli.command()
@click.option("--now", "now_text", metavar="ISO-8601", help="The moment to act as (default: now).")
@pass_context
def tick(obj: Context, now_text: str | None) -> None:
    """Run once, idempotently, every scheduled job due at NOW."""
    from bot.channels import use_channel_ids
    from bot.lock import SchedulerLock
    from bot.scheduler import tick as run_tick

    services = obj.services(upgrade_sqlite=True)
    use_channel_ids(services)
    now = parse_now(now_text, services.settings) if now_text else services.clock()
    lock = SchedulerLock(services.engine)
    if not lock.acquire(poll_seconds=1, timeout=60):
        raise BulletinsError("the scheduler is busy (it holds the lock): try again in a minute")
    try:
        for run in run_tick(services, now):
            click.echo(f"{run.name}: {run.done}" + (f" ({run.error})" if run.error else ""))
    finally:
        lock.release()


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


@cli.command()
@pass_context
def scheduler(obj: Context) -> None:
    """Run the clock process: every minute, the jobs that are due."""
    from bot.scheduler import run_scheduler

    run_scheduler(obj.services(upgrade_sqlite=True))


@cli.group()
def export() -> None:
    """Export data for spreadsheets and open data."""


@export.command("bulletins")
@click.option("--cohort", metavar="NAME", help="Only this cohort (default: every cohort).")
@click.option(
    "--out",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The CSV file to write.",
)
@click.option("--comma", is_flag=True, help="Separate values with ',' instead of ';'.")
@pass_context
def export_bulletins(obj: Context, cohort: str | None, out: Path, comma: bool) -> None:
    """Write every bulletin and excused week as CSV (UTF-8 with BOM, ';'), by week then team."""
    from bulletins.export import export_rows, write_csv
    from bulletins.people import find_cohort

    services = obj.services(upgrade_sqlite=True)
    with services.sessions() as session:
        chosen = find_cohort(session, cohort) if cohort else None
        rows = export_rows(session, services.calendar, chosen, services.settings.locale)
    count = write_csv(rows, out, delimiter="," if comma else ";")
    click.echo(f"Wrote {count} rows to {out}.")


@cli.command()
@click.option(
    "--failed", "failed_only", is_flag=True, help="Only messages that could not be delivered."
)
@click.option("--limit", default=50, show_default=True, help="How many messages, newest first.")
@pass_context
def outbox(obj: Context, failed_only: bool, limit: int) -> None:
    """List the latest outgoing messages (digests, reminders, replies) and how their delivery
    went: key, kind, channel, status, attempts, error, whether it is permanent, and times."""
    from bulletins.outbox_report import anonymous_prefixes, outbox_rows, outbox_table

    services = obj.services(upgrade_sqlite=True)
    with services.sessions() as session:
        rows = outbox_rows(session, failed_only=failed_only, limit=limit)
        if not rows:
            click.echo("No failed messages." if failed_only else "The outbox is empty.")
            return
        anonymous = anonymous_prefixes(session)
        click.echo(outbox_table(rows, services.settings.timezone, anonymous))


@cli.command()
@click.option(
    "--weeks",
    default=5,  # bot.demo.DEFAULT_WEEKS, not imported here: the CLI starts fast
    show_default=True,
    help="How many weeks to play from 2 March 2026 (1 to 12); 5 or more cross into April.",
)
@click.option(
    "--out",
    default="demo-out",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the database and the pages.",
)
@pass_context
def demo(obj: Context, weeks: int, out: Path) -> None:
    """Play weeks of a sample cohort through the app and a local Slack stand-in (bulletins,
    facts, the monthly digest and the mentors' pulse), then its end-of-cohort
    questionnaires; write what Slack would have shown as HTML and Markdown pages, with the
    survey results, the evaluation snapshot and the CSV export."""
    if not logging.getLogger().isEnabledFor(logging.DEBUG):
        # The demo prints its own summary of what the scheduler did.
        logging.getLogger("bot.scheduler").setLevel(logging.WARNING)
    from bot.demo import run_demo

    result = run_demo(obj.settings, weeks, out)
    for record in result.weeks:
        click.echo(f"{record.summary()}; {len(record.pages)} pages in {out / str(record.week)}")
    if result.end is not None:
        click.echo(f"End of cohort: {result.end.summary()}")
        click.echo(f"Snapshot:   {out / 'snapshot' / 'snapshot.html'}")
    click.echo(f"CSV export: {result.csv}")
    click.echo(f"Database:   {result.database}")
    click.echo(f"Open {result.index} to see everything.")


survey.add_command(results)
cli.add_command(survey)
cli.add_command(facts)
cli.add_command(__import__("bot.snapshot_cli", fromlist=["snapshot"]).snapshot)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the console script."""
    try:
        cli.main(args=argv, prog_name="bulletins", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except BulletinsError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(2)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
