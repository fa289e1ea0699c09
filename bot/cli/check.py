"""``bulletins check``: the checklist to run after deploying."""

from __future__ import annotations

import logging
import os
import sys

import click

from bot.cli import Context, pass_context


@click.command()
@click.option(
    "--manifest",
    metavar="PATH",
    help="The Slack app manifest (default: ./manifest.yml, else the repository's).",
)
@pass_context
def check(obj: Context, manifest: str | None) -> None:
    """Check the deployment, one line each, "ok" or what to fix: the configuration, the
    database and its schema, the Slack token and its scopes, the channels, the clock
    process's last tick, SQLite on a platform. Exit status 1 when anything needs fixing.
    Changes nothing."""
    from bot.bootstrap import utc_now
    from bot.checklist import run_checks

    if logging.getLogger().level > logging.DEBUG:  # the line says it; the client's retries, noise
        logging.getLogger("slack_sdk").setLevel(logging.CRITICAL)
    failed = 0
    for line in run_checks(obj.config_path, os.environ, utc_now(), manifest):
        click.echo(str(line))
        failed += not line.ok
    if failed:
        click.echo(f"{failed} thing(s) to fix.", err=True)
        sys.exit(1)
    click.echo("All good.")
