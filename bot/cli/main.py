"""The ``bulletins`` command: a thin layer over the library.

Each command's docstring is its help text. A problem a person can fix (a bad
configuration value, a bad roster row) prints one clear message and exits with
status 2, never a traceback.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import click

from bot.cli import Context
from bot.cli.check import check
from bot.cli.db import db
from bot.cli.demo import demo
from bot.cli.export import export
from bot.cli.facts import facts
from bot.cli.outbox import outbox
from bot.cli.people import people
from bot.cli.processes import scheduler, serve, tick
from bot.cli.roster import roster
from bot.cli.snapshot import snapshot
from bot.cli.survey import survey
from bot.cli.survey_results import results
from bot.logs import configure_logging
from bulletins.effective_config import STARTER_CONFIG
from bulletins.errors import BulletinsError


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
    try:
        target.write_text(STARTER_CONFIG.read_text(encoding="utf-8"), encoding="utf-8")
    except OSError as error:
        raise BulletinsError(f"cannot write {target}: {error.strerror or error}") from None
    click.echo(f"Wrote {target}. Edit it, then run: bulletins db upgrade")


survey.add_command(results)
COMMANDS = (
    db,
    roster,
    serve,
    tick,
    scheduler,
    check,
    export,
    outbox,
    demo,
    survey,
    facts,
    snapshot,
    people,
)
for command in COMMANDS:
    cli.add_command(command)


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
